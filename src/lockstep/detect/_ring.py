"""Amplification rings: a closed group of accounts reposting the same posts, judged without time.

A co-repost campaign that reposts its anchor's posts after independent delays (each member
when it gets to it, minutes apart) rarely meets inside a co-repost window, and pair by pair it
looks like the fans of a celebrity: a fixed crowd reposting one account's posts. What tells
the two apart is what else the crowd reposts. Fans share one idol; a ring also pushes the
posts it is told to push (a second anchor, a sympathetic politician's post), and those posts
are reposted by the ring and almost nobody else.

The test, per *source* S (an account whose posts others repost):

1. its crowd G: the accounts that reposted at least two of S's posts (``min_members`` to
   ``max_members`` of them), who together made at least half of the reposts of S's posts;
2. the share of all reposts on S's platform that G's members made, ``pi``: if G's members
   reposted like everyone else, a post with ``c`` reposters would count ``Bin(c, pi)`` of
   them;
3. every other source's post with at least three reposters from G (only posts with at most
   ``2 * max_members`` reposters: a post thousands repost says nothing about any group) is
   tested: it is *amplified* by G when G's members are at least half of its reposters, at
   least ``min_lift`` times ``c * pi``, and the binomial upper tail is at most ``alpha``
   divided by the number of such posts in the run (Bonferroni);
4. G is a ring when it amplified at least ``min_amplified`` such posts.

Rings that share accounts are one group. Its accounts outside every cluster join the cluster
holding at least half of the group, or else form a cluster of their own; S, whose posts the
ring exists to push, joins with them. Linear: reposts are grouped by post and by (source,
account); only crowds of at most ``max_members`` are joined with their members' reposts of
small posts.

Evidence (signal ``ring``): for every account the step added, each repost by a ring member of
S's posts and of the amplified posts (``a`` the original post, ``b`` the repost), so a reader
sees which posts the ring pushed and that the reposts are the ring's own.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from lockstep.detect._cluster import CLUSTER_SCHEMA
from lockstep.detect._evidence import EVIDENCE_SCHEMA, RING_SIGNAL, evidence_rows

__all__ = ["RING_REASON", "RING_SIGNAL", "amplification_rings"]

#: Reason template of a cluster whose evidence is a ring's reposts.
RING_REASON = "{n} accounts reposted the same {k} posts, which almost nobody outside them reposted, within {dt}"


def amplification_rings(
    ctx: Any, clusters: pa.Table, *, alpha: float = 1e-3, min_members: int = 5, max_members: int = 500,
    min_amplified: int = 2, min_lift: float = 4.0, min_size: int = 2,
) -> tuple[pa.Table, int, pa.Table]:
    """Find amplification rings and add their accounts to the clusters (see the module notes).

    Returns the clusters with ring accounts added (new clusters numbered after the existing
    ones), how many accounts were added, and their evidence rows (``EVIDENCE_SCHEMA``).
    """
    import numpy as np
    import polars as pl
    from scipy import stats

    empty = (clusters, 0, EVIDENCE_SCHEMA.empty_table())
    e = ctx.engine
    p = "ls_ring"
    # One row per (account, reposted post in the data), the account's first repost of it.
    e.create_table(
        f"{p}_rep",
        "SELECT r.acc, o.pid AS obj, o.acc AS src, min_by(r.pid, r.t) AS rpid, min(r.t) AS t "
        f"FROM {ctx.posts} AS r JOIN {ctx.posts} AS o ON o.platform = r.platform AND o.post_id = r.repost_of "
        "WHERE r.repost_of IS NOT NULL AND r.acc <> o.acc GROUP BY r.acc, o.pid, o.acc",
    )
    try:
        e.create_table(f"{p}_c", f"SELECT obj, count(*) AS c FROM {p}_rep GROUP BY obj")
        # Each source's crowd: accounts that reposted two or more of its posts.
        e.create_table(
            f"{p}_g",
            "SELECT src, acc FROM ("
            "SELECT src, acc, count(*) OVER (PARTITION BY src) AS n FROM ("
            f"SELECT src, acc FROM {p}_rep GROUP BY src, acc HAVING count(*) >= 2) AS x) AS y "
            f"WHERE n >= {int(min_members)} AND n <= {int(max_members)}",
        )
        crowd = pl.from_arrow(e.fetch_arrow(
            f"""WITH n_acc AS (SELECT acc, count(*) AS n FROM {p}_rep GROUP BY acc),
own AS (SELECT src, count(*) AS n_own FROM {p}_rep GROUP BY src),
own_g AS (SELECT g.src, count(*) AS n_own_g FROM {p}_g AS g JOIN {p}_rep AS r ON r.acc = g.acc AND r.src = g.src
          GROUP BY g.src)
SELECT g.src, a.platform, count(*) AS n_g, CAST(sum(n_acc.n) AS DOUBLE) AS n_rep_g, max(own.n_own) AS n_own, max(own_g.n_own_g) AS n_own_g
FROM {p}_g AS g JOIN n_acc ON n_acc.acc = g.acc JOIN own ON own.src = g.src JOIN own_g ON own_g.src = g.src
JOIN {ctx.accounts} AS a ON a.acc = g.src
GROUP BY g.src, a.platform"""
        ))
        if crowd.height == 0:
            return empty
        per_platform = pl.from_arrow(e.fetch_arrow(
            f"SELECT a.platform, count(*) AS m FROM {p}_rep AS r JOIN {ctx.accounts} AS a ON a.acc = r.src "
            "GROUP BY a.platform"
        ))
        crowd = crowd.join(per_platform, on="platform").with_columns(
            (pl.col("n_rep_g").cast(pl.Float64) / pl.col("m").cast(pl.Float64)).alias("pi")
        ).filter(2 * pl.col("n_own_g") >= pl.col("n_own"))
        # Posts of other sources that three or more of a crowd's members reposted.
        hits = pl.from_arrow(e.fetch_arrow(
            f"""SELECT g.src AS s, r.obj, c.c, count(*) AS k
FROM {p}_g AS g JOIN {p}_rep AS r ON r.acc = g.acc AND r.src <> g.src
JOIN {p}_c AS c ON c.obj = r.obj
WHERE c.c <= {2 * int(max_members)}
GROUP BY g.src, r.obj, c.c HAVING count(*) >= 3"""
        ))
        if hits.height == 0:
            return empty
        n_tests = hits.height
        hits = hits.join(crowd.select(pl.col("src").alias("s"), "pi"), on="s")
        k, c, pi = (hits[x].to_numpy().astype(float) for x in ("k", "c", "pi"))
        pv = stats.binom.sf(k - 1, c, np.clip(pi, 1e-12, 1.0))
        amp = hits.filter(pl.Series((2 * k >= c) & (k >= min_lift * c * pi) & (pv <= alpha / n_tests)))
        rings = amp.group_by("s").agg(pl.len().alias("n_amp")).filter(pl.col("n_amp") >= min_amplified)
        if rings.height == 0:
            return empty
        ring_posts = amp.join(rings, on="s", how="semi").select("s", "obj")
        e.register_arrow(f"{p}_s", rings.select(pl.col("s").cast(pl.Int64)).to_arrow())
        members = pl.from_arrow(e.fetch_arrow(
            f"SELECT g.src AS s, g.acc FROM {p}_g AS g JOIN {p}_s AS s ON s.s = g.src"
        ))
        members = pl.concat([members, rings.select("s", pl.col("s").alias("acc")).cast(members.schema)]).unique()
        # Rings that share accounts are one group (two anchors of one campaign).
        group = _components(members)
        ring_posts = pl.concat([
            ring_posts.join(group.rename({"acc": "s"}), on="s").select("grp", "obj"),
            # The sources' own posts that the crowd reposted.
            pl.from_arrow(e.fetch_arrow(
                f"SELECT DISTINCT r.src AS s, r.obj FROM {p}_rep AS r JOIN {p}_s AS s ON s.s = r.src"
            )).join(group.rename({"acc": "s"}), on="s").select("grp", "obj"),
        ]).unique()
        platform, account_id = ctx.account_names()
        accs = pl.DataFrame({"platform": pl.Series(platform), "account_id": pl.Series(account_id)}).with_row_index(
            "acc").with_columns(pl.col("acc").cast(pl.Int64))
        cl = pl.from_arrow(clusters)
        cl_acc = cl.join(accs, on=["platform", "account_id"]).select("acc", "cluster")
        g_acc = group.join(cl_acc, on="acc", how="left")
        # Each group joins the cluster holding at least half of it, or becomes one.
        size = g_acc.group_by("grp").agg(pl.len().alias("n"))
        best = (g_acc.filter(pl.col("cluster").is_not_null()).group_by("grp", "cluster").agg(pl.len().alias("k"))
                .sort(["grp", "k", "cluster"], descending=[False, True, False])
                .unique("grp", keep="first", maintain_order=True).join(size, on="grp")
                .filter(2 * pl.col("k") >= pl.col("n")).select("grp", "cluster"))
        new = g_acc.filter(pl.col("cluster").is_null()).drop("cluster").join(best, on="grp", how="left")
        fresh = new.filter(pl.col("cluster").is_null()).filter(pl.len().over("grp") >= max(2, min_size))
        start = int(cl["cluster"].max() or 0) + 1
        ids = fresh.select("grp").unique().sort("grp").with_row_index("i").with_columns(
            (pl.col("i").cast(pl.Int64) + start).alias("cluster")).select("grp", "cluster")
        added = pl.concat([
            new.filter(pl.col("cluster").is_not_null()),
            fresh.drop("cluster").join(ids, on="grp"),
        ]).select("acc", "grp", pl.col("cluster").cast(pl.Int64))
        if added.height == 0:
            return empty
        # The evidence: every added account's part, as a reposter of the ring's posts or as the
        # author of the posts the ring pushed.
        final = g_acc.select("acc", "grp").join(
            pl.concat([cl_acc.rename({"cluster": "c"}), added.select("acc", pl.col("cluster").alias("c"))]),
            on="acc").join(added.select("grp", pl.col("cluster").alias("gc")).unique(), on="grp")
        ring_mem = final.filter(pl.col("c") == pl.col("gc")).select("acc", "grp").with_columns(
            pl.col("acc").is_in(added["acc"].implode()).alias("new"))
        e.register_arrow(f"{p}_mem", ring_mem.cast({"acc": pl.Int64, "grp": pl.Int64}).to_arrow())
        e.register_arrow(f"{p}_posts", ring_posts.cast({"grp": pl.Int64, "obj": pl.Int64}).to_arrow())
        ev = e.fetch_arrow(
            f"""SELECT aa.platform AS platform_a, aa.account_id AS account_a, pa.post_id AS post_a,
       bb.platform AS platform_b, bb.account_id AS account_b, pb.post_id AS post_b,
       pa.platform || ':' || pa.post_id AS object, pa.t AS t_a, pb.t AS t_b
FROM {p}_rep AS r JOIN {p}_mem AS m ON m.acc = r.acc
JOIN {p}_posts AS q ON q.obj = r.obj AND q.grp = m.grp
JOIN {ctx.posts} AS pa ON pa.pid = r.obj JOIN {ctx.posts} AS pb ON pb.pid = r.rpid
LEFT JOIN {p}_mem AS ma ON ma.acc = pa.acc AND ma.grp = m.grp
JOIN {ctx.accounts} AS aa ON aa.acc = pa.acc JOIN {ctx.accounts} AS bb ON bb.acc = pb.acc
WHERE m.new OR coalesce(ma.new, false)"""
        )
        e.drop(f"{p}_s", f"{p}_mem", f"{p}_posts")
    finally:
        e.drop(f"{p}_rep", f"{p}_c", f"{p}_g")
    add = added.join(accs, on="acc").select("platform", "account_id", "cluster")
    out = pl.concat([cl, add.cast(cl.schema)]).sort("cluster", "platform", "account_id")
    ev = pl.from_arrow(evidence_rows(ev, RING_SIGNAL)).sort(
        "platform_a", "account_a", "platform_b", "account_b", "t_a", "t_b", "post_a", "post_b", "object")
    return out.to_arrow().cast(CLUSTER_SCHEMA), add.height, ev.to_arrow().cast(EVIDENCE_SCHEMA)


def _components(members: Any) -> Any:
    """``(s, acc)`` ring memberships → ``(acc, group)``: rings sharing an account are one group,
    numbered by their smallest source."""
    import polars as pl

    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for s, acc in members.select("s", "acc").iter_rows():
        a, b = find(int(s)), find(int(acc))
        if a != b:
            parent[max(a, b)] = min(a, b)
    accs = sorted({int(a) for a in members["acc"].to_list()})
    return pl.DataFrame({"acc": accs, "grp": [find(a) for a in accs]}, schema={"acc": pl.Int64, "grp": pl.Int64})
