"""Cluster scores and one-line reasons."""

from __future__ import annotations

import math
import re

import pyarrow as pa

from lockstep.detect._evidence import RING_SIGNAL, SOURCE_SIGNALS

__all__ = ["SCORE_SCHEMA", "format_seconds", "score_clusters"]

#: One row per cluster (``cluster_scores``), best first.
SCORE_SCHEMA = pa.schema([
    ("cluster", pa.int64()),
    ("rank", pa.int64()),
    ("score", pa.float64()),              # strength × coordinated_share
    ("n_accounts", pa.int64()),
    ("n_edges", pa.int64()),
    ("density", pa.float64()),            # edges / possible edges among the members
    ("strength", pa.float64()),           # Σ fused weight inside the cluster
    ("coordinated_share", pa.float64()),  # share of the members' posts that appear in evidence
    ("median_abs_dt_s", pa.float64()),    # how synchronous: median |Δt| of the evidence inside
    ("top_signal", pa.string()),
    ("n_objects", pa.int64()),            # distinct objects of the top signal inside the cluster
    ("signals", pa.string()),
    ("reason", pa.string()),
])


def format_seconds(s: float) -> str:
    """A duration for people.

    Examples
    --------
    >>> format_seconds(0.4), format_seconds(30), format_seconds(150), format_seconds(7200)
    ('1 s', '30 s', '2.5 min', '2 h')
    """
    if s < 60:
        return f"{max(1, math.ceil(s)):d} s"
    if s < 3600:
        return f"{s / 60:.3g} min"
    return f"{s / 3600:.3g} h"


def score_clusters(
    clusters: pa.Table,
    edges: pa.Table,
    evidence: pa.Table,
    posts_per_account: pa.Table,
    reasons: dict[str, str],
) -> tuple[pa.Table, pa.Table]:
    """Score and rank clusters; returns ``(clusters renumbered by rank, cluster_scores)``.

    ``posts_per_account`` has columns platform, account_id, n_posts.
    """
    import polars as pl

    if clusters.num_rows == 0:
        return clusters, SCORE_SCHEMA.empty_table()
    cl = pl.from_arrow(clusters)
    ed = pl.from_arrow(edges)
    ev = pl.from_arrow(evidence)
    ppa = pl.from_arrow(posts_per_account)

    def inside(df: pl.DataFrame) -> pl.DataFrame:
        ca = cl.rename({"platform": "platform_a", "account_id": "account_a", "cluster": "cluster"})
        cb = cl.rename({"platform": "platform_b", "account_id": "account_b", "cluster": "cluster_b"})
        out = df.join(ca, on=["platform_a", "account_a"]).join(cb, on=["platform_b", "account_b"])
        return out.filter(pl.col("cluster") == pl.col("cluster_b")).drop("cluster_b")

    size = cl.group_by("cluster").agg(pl.len().cast(pl.Int64).alias("n_accounts"))
    e_in = inside(ed).group_by("cluster").agg(
        pl.len().cast(pl.Int64).alias("n_edges"), pl.col("weight").sum().alias("strength")
    )
    ev_all = inside(ev) if ev.height else ev.with_columns(pl.lit(0, pl.Int64).alias("cluster"))
    # A ring's rows pair a member's repost with the post it pushed, whoever wrote that post (a
    # politician the ring amplified is not a member): they belong to the reposter's cluster.
    ring = ev.filter(pl.col("signal") == RING_SIGNAL)
    if ring.height:
        ring = ring.join(cl.rename({"platform": "platform_b", "account_id": "account_b"}),
                         on=["platform_b", "account_b"])
        ev_all = pl.concat([ev_all.filter(pl.col("signal") != RING_SIGNAL), ring.select(ev_all.columns)])
    # Posts of members that took part in a co-action inside their cluster, each counted once.
    # The rows saying why a source or forwarder joined count too: its posts are in the
    # denominator (it is a member), and its seed posts and the members' shares of them are its
    # part in the campaign. A post both in those rows and in a co-action counts once; the post a
    # ring pushed counts when its author is a member.
    members = cl.select("platform", "account_id", "cluster")
    a_side = ev_all.select("cluster", "platform_a", "account_a", pl.col("post_a").alias("post")).join(
        members.rename({"platform": "platform_a", "account_id": "account_a"}), on=["platform_a", "account_a", "cluster"],
        how="semi")
    coord_posts = pl.concat([
        a_side.select("cluster", pl.col("platform_a").alias("platform"), "post"),
        ev_all.select("cluster", pl.col("platform_b").alias("platform"), pl.col("post_b").alias("post")),
    ]).unique().group_by("cluster").agg(pl.len().cast(pl.Int64).alias("n_coord_posts"))
    # Synchrony, the signals and the reason describe the co-actions behind the cluster's edges:
    # a source's rows span the rare-share window (hours) and name no signal the cluster passed.
    # A ring's rows are the co-actions of a cluster the ring made: they stay (even should the
    # report come to list them per joined account, as it lists a source's).
    ev_in = ev_all.filter(~pl.col("signal").is_in([x for x in SOURCE_SIGNALS if x != RING_SIGNAL]))
    member_posts = cl.join(ppa, on=["platform", "account_id"], how="left").group_by("cluster").agg(
        pl.col("n_posts").fill_null(0).sum().alias("n_member_posts")
    )
    sync = ev_in.group_by("cluster").agg(pl.col("dt_s").abs().median().alias("median_abs_dt_s"))
    per_sig = ev_in.group_by("cluster", "signal").agg(
        # Synchronous posting has no object (the clock is shared): count the post pairs instead.
        pl.when(pl.col("signal").first() == "synchronous").then(pl.len()).otherwise(pl.col("object").n_unique())
        .cast(pl.Int64).alias("n_objects"),
        pl.len().alias("n_ev"),
        # "within" must hold for every co-action it summarises: the largest |Δt|, not a quantile.
        pl.col("dt_s").abs().max().alias("max_dt"),
    )
    top = per_sig.sort(["cluster", "n_ev", "signal"], descending=[False, True, False]).group_by(
        "cluster", maintain_order=True
    ).first()
    sigs = per_sig.sort("signal").group_by("cluster").agg(pl.col("signal").str.join(",").alias("signals"))

    df = (
        size.join(e_in, on="cluster", how="left")
        .join(coord_posts, on="cluster", how="left")
        .join(member_posts, on="cluster", how="left")
        .join(sync, on="cluster", how="left")
        .join(top.select("cluster", pl.col("signal").alias("top_signal"), "n_objects", "max_dt"), on="cluster", how="left")
        .join(sigs, on="cluster", how="left")
        .with_columns(
            pl.col("n_edges").fill_null(0),
            pl.col("strength").fill_null(0.0),
            (pl.col("n_edges").fill_null(0) * 2 / (pl.col("n_accounts") * (pl.col("n_accounts") - 1))).alias("density"),
            (pl.col("n_coord_posts").fill_null(0) / pl.col("n_member_posts").clip(1)).clip(0, 1).alias("coordinated_share"),
        )
        .with_columns((pl.col("strength") * pl.col("coordinated_share")).alias("score"))
        .sort(["score", "n_accounts", "cluster"], descending=[True, True, False])
        .with_row_index("rank", offset=1)
        .with_columns(pl.col("rank").cast(pl.Int64))
    )
    reason = [
        reason_sentence(reasons.get(sig or "", "{n} accounts acted together {k} times within {dt}"),
                        n, k if k is not None else 0, dt if dt is not None else 0.0)
        for n, k, dt, sig in zip(df["n_accounts"], df["n_objects"], df["max_dt"], df["top_signal"])
    ]
    df = df.with_columns(pl.Series("reason", reason, dtype=pl.String))
    renumber = dict(zip(df["cluster"].to_list(), df["rank"].to_list()))
    df = df.with_columns(pl.col("rank").alias("cluster"))
    cl2 = cl.with_columns(pl.col("cluster").replace_strict(renumber, return_dtype=pl.Int64)).sort(
        ["cluster", "platform", "account_id"]
    )
    scores = df.select([f.name for f in SCORE_SCHEMA]).to_arrow().cast(SCORE_SCHEMA)
    return cl2.to_arrow().cast(clusters.schema), scores


# Each detector's reason names its objects in the plural; one object reads in the singular.
_SINGULAR = {
    "objects": "object", "posts": "post", "links": "link", "texts": "text", "accounts": "account",
    "hashtag combinations": "hashtag combination", "images or videos": "image or video",
    "near-identical texts": "near-identical text", "rare links, texts or hashtag sets": "rare link, text or hashtag set", "days": "day",
}
_COUNTED = re.compile(r"(the same )?\{k\} ([^{]+?) within")


def reason_sentence(template: str, n: int, k: int, dt: float) -> str:
    """A detector's reason template filled in, in the singular when there is one object.

    >>> reason_sentence("{n} accounts shared the same {k} links within {dt}", 3, 1, 30.0)
    '3 accounts shared the same link within 30 s'
    """
    if k == 1:
        template = template.replace("{k} times", "once")
        template = _COUNTED.sub(
            lambda m: (m.group(1) or "{k} ") + _SINGULAR.get(m.group(2), m.group(2)) + " within", template
        )
    return template.format(n=n, k=k, dt=format_seconds(dt))
