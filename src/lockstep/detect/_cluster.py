"""Leiden communities on the fused account graph (igraph + leidenalg, seeded)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

__all__ = ["CLUSTER_SCHEMA", "CLUSTER_TEST_SCHEMA", "cluster_tests", "leiden_clusters"]

#: Cluster membership (``clusters``); cluster 1 is the top-ranked after scoring.
CLUSTER_SCHEMA = pa.schema([
    ("platform", pa.string()), ("account_id", pa.string()), ("cluster", pa.int64()),
])


def leiden_clusters(edges: pa.Table, *, resolution: float = 1.0, seed: int = 0, min_size: int = 2) -> pa.Table:
    """Communities of the fused graph; clusters smaller than ``min_size`` are dropped.

    Vertices and edges enter the graph in sorted order and leidenalg gets ``seed``, so the same
    edges give the same clusters. Cluster ids here are provisional (by size, then first member);
    :func:`~lockstep.detect._score.score_clusters` renumbers them by rank.
    """
    if edges.num_rows == 0:
        return CLUSTER_SCHEMA.empty_table()
    import igraph as ig
    import leidenalg

    a = list(zip(edges["platform_a"].to_pylist(), edges["account_a"].to_pylist()))
    b = list(zip(edges["platform_b"].to_pylist(), edges["account_b"].to_pylist()))
    nodes = sorted(set(a) | set(b))
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[x], index[y]) for x, y in zip(a, b)])
    g.es["weight"] = [float(w) for w in edges["weight"].to_pylist()]
    part = leidenalg.find_partition(
        g, leidenalg.RBConfigurationVertexPartition, weights="weight",
        resolution_parameter=resolution, seed=seed,
    )
    groups: dict[int, list[tuple[str, str]]] = {}
    for v, c in enumerate(part.membership):
        groups.setdefault(c, []).append(nodes[v])
    ordered = sorted((sorted(m) for m in groups.values() if len(m) >= min_size), key=lambda m: (-len(m), m[0]))
    rows = [(p, acc, i + 1) for i, members in enumerate(ordered) for p, acc in members]
    return pa.table(
        {
            "platform": [r[0] for r in rows],
            "account_id": [r[1] for r in rows],
            "cluster": pa.array([r[2] for r in rows], pa.int64()),
        },
        schema=CLUSTER_SCHEMA,
    )


#: Least observed/expected ratio of a coordinated cluster, per null model.
DEFAULT_MIN_EXCESS = {"delay": 1.25, "activity": 2.0, "rarity": 2.0}

#: Per cluster and signal: the cluster-level test (``cluster_tests``).
CLUSTER_TEST_SCHEMA = pa.schema([
    ("cluster", pa.int64()), ("signal", pa.string()),
    ("n_edges", pa.int64()),      # candidate edges of this signal inside the cluster
    ("density", pa.float64()),    # n_edges / member pairs
    ("n_significant", pa.int64()),  # of those, significant on their own (q ≤ fdr)
    ("observed", pa.float64()),   # Σ of their observed counts
    ("expected", pa.float64()),   # Σ of their expected counts under the signal's null
    ("excess", pa.float64()),     # observed / expected
    ("p_value", pa.float64()),    # Poisson upper tail of the sums
    ("coordinated", pa.bool_()),
])


def tested_counts(edges: Any, nulls: dict[str, str | None]) -> Any:
    """``edges`` (a polars frame of coaction edges) with ``_obs``: the count each edge was tested on.

    Under the rarity and activity nulls the discounted count in ``n_shared`` (independent
    sources; co-actions not explained by following a feed), under the delay null distinct
    objects, without a null (raw) post pairs.
    """
    import polars as pl

    tested = [s for s, n in nulls.items() if n in ("rarity", "activity")]
    return edges.with_columns(
        pl.when(pl.col("signal").is_in(tested) & pl.col("n_shared").is_not_null()).then(pl.col("n_shared"))
        .when(pl.col("signal").is_in(["synchronous"]) | pl.col("n_shared").is_null())
        .then(pl.col("n_pairs")).otherwise(pl.col("n_objects")).cast(pl.Float64).alias("_obs")
    )


def excess_thresholds(min_excess: float | dict[str, float] | None) -> dict[str, float]:
    """Least observed/expected ratio per null model, ``min_excess`` over the defaults."""
    return {**DEFAULT_MIN_EXCESS, **(
        min_excess if isinstance(min_excess, dict)
        else {} if min_excess is None else dict.fromkeys(DEFAULT_MIN_EXCESS, float(min_excess))
    )}


#: Signals whose objects are times, not content: no strong-member path in the cluster test.
_CLOCK_SIGNALS = ("scheduled",)


def _strong_members(inside: Any, size: Any, thresholds: dict[str, float], nulls: dict[str, str | None],
                    alpha: float, keys: Any) -> Any:
    """Per (cluster, signal) row of ``keys``: members whose own candidate edges inside the cluster
    exceed their expectation by the null's ratio with Poisson p ≤ ``alpha`` / cluster size."""
    import numpy as np
    import polars as pl
    from scipy import stats

    ends = pl.concat([
        inside.select("cluster", "signal", pl.col("platform_a").alias("platform"),
                      pl.col("account_a").alias("account_id"), "_obs", "expected"),
        inside.select("cluster", "signal", pl.col("platform_b").alias("platform"),
                      pl.col("account_b").alias("account_id"), "_obs", "expected"),
    ])
    per = ends.group_by("cluster", "signal", "platform", "account_id").agg(
        pl.col("_obs").sum().alias("obs"), pl.col("expected").sum().alias("exp"),
        pl.col("expected").is_null().all().alias("raw"),
    ).join(size, on="cluster")
    obs, exp = per["obs"].to_numpy().astype(float), per["exp"].fill_null(0.0).to_numpy().astype(float)
    need = np.array([thresholds.get(nulls.get(s) or "activity", 1.25) for s in per["signal"].to_list()])
    p = np.where(exp > 0, stats.poisson.sf(obs - 1, np.maximum(exp, 1e-300)), 1.0)
    strong = ~per["raw"].to_numpy() & (exp > 0) & (p <= alpha / per["_n"].to_numpy()) & (obs >= need * exp)
    counts = per.with_columns(pl.Series("strong", strong)).group_by("cluster", "signal").agg(
        pl.col("strong").sum().alias("n_strong"))
    return keys.join(counts, on=["cluster", "signal"], how="left", maintain_order="left")["n_strong"].fill_null(0).to_numpy()


def cluster_tests(
    clusters: pa.Table, coaction_edges: pa.Table, *, alpha: float = 1e-3,
    min_excess: float | dict[str, float] | None = None, min_density: float = 0.5,
    nulls: dict[str, str | None] | None = None, fdr: float = 0.01,
) -> pa.Table:
    """Test each cluster as a whole against the null models.

    Edges are screened leniently (``screen_p``) so that weak but consistent pairs can form a
    cluster; the cluster is then judged on *every* candidate edge among its members, not only
    the screened ones: summed observed counts against summed expectations, per signal. Fans of
    one celebrity co-repost a lot, but no more than their reaction speeds predict (excess ≈ 1);
    a campaign's members do (excess well above 1, p tiny). A cluster is coordinated when some
    signal has ``p_value ≤ alpha``, ``excess ≥ min_excess`` (per null model: default 1.25 for
    ``delay``, 2 for ``activity``, whose expectation ignores bursts of activity shorter than its
    bins, such as feed bots posting the minute a headline appears) and candidate edges between at least
    ``min_density`` of the member pairs, or at least half of its candidate edges significant on
    their own and at least half as many as members: a campaign's members co-act pairwise, while
    a sparse cluster stitched together from a few lucky pairs of a viral crowd does not. Signals run
    without a null (raw mode) make every cluster coordinated.
    """
    import numpy as np
    import polars as pl
    from scipy import stats

    if clusters.num_rows == 0 or coaction_edges.num_rows == 0:
        return CLUSTER_TEST_SCHEMA.empty_table()
    cl = pl.from_arrow(clusters)
    nulls = nulls or {}
    ed = tested_counts(pl.from_arrow(coaction_edges), nulls).with_columns(pl.lit(fdr).alias("_fdr"))
    ca = cl.rename({"platform": "platform_a", "account_id": "account_a"})
    cb = cl.rename({"platform": "platform_b", "account_id": "account_b", "cluster": "cluster_b"})
    inside = ed.join(ca, on=["platform_a", "account_a"]).join(cb, on=["platform_b", "account_b"]).filter(
        pl.col("cluster") == pl.col("cluster_b")
    )
    size = cl.group_by("cluster").agg(pl.len().alias("_n"))
    agg = inside.group_by("cluster", "signal").agg(
        pl.len().cast(pl.Int64).alias("n_edges"),
        pl.col("_obs").sum().alias("observed"),
        pl.col("expected").sum().alias("expected"),
        pl.col("expected").is_null().all().alias("_raw"),
        (pl.col("q_value") <= pl.col("_fdr")).sum().cast(pl.Int64).alias("n_significant"),
    ).join(size, on="cluster").sort("cluster", "signal")
    thresholds = excess_thresholds(min_excess)
    need = np.array([thresholds.get(nulls.get(sig) or "activity", 1.25) for sig in agg["signal"].to_list()])
    obs = agg["observed"].to_numpy()
    n = agg["_n"].to_numpy().astype(float)
    density = agg["n_edges"].to_numpy() / np.maximum(n * (n - 1) / 2, 1)
    exp = agg["expected"].to_numpy()
    raw = agg["_raw"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        excess = np.where(exp > 0, obs / exp, np.inf)
    p = np.where(exp > 0, stats.poisson.sf(obs - 1, np.maximum(exp, 1e-300)), 0.0)
    p = np.where(raw, np.nan, p)
    n_sig = agg["n_significant"].to_numpy()
    n_edges = agg["n_edges"].to_numpy()
    # Pairwise enough: candidate edges between most member pairs, or most of the candidate edges
    # significant on their own (a stealthy campaign whose members skip many bursts).
    # (and enough of them to reach half the members: one lucky pair does not make a crowd coordinated).
    pairwise = (density >= min_density) | ((2 * n_sig >= n_edges) & (2 * n_sig >= n))
    # Or half the density and most members coordinated beyond doubt on their own edges: a
    # brigade whose members each joined two or three of its pushes ties every member to a few
    # others, too few pairs for the density bar, yet each member's own co-actions far exceed
    # chance; a sparse cluster of a viral crowd is a few lucky pairs around a hub, its other
    # members each on one weak edge. (A crowd sharing breaking news links can have strong
    # members too, but ties a tenth of its pairs, not a quarter.)
    n_strong = _strong_members(inside, size, thresholds, nulls, alpha, agg.select("cluster", "signal"))
    # Not for `scheduled`: its objects are clock slots, and at 10M posts busy breaking-news
    # sharers who post in the same slots as a campaign's members passed this way and stayed.
    content = ~agg["signal"].is_in(list(_CLOCK_SIGNALS)).to_numpy()
    pairwise |= content & (density >= min_density / 2) & (2 * n_strong >= n) & (n_strong >= 3)
    # Every candidate cluster and signal is one test, and the clusters were drawn from the same
    # edges they are judged on: ``alpha`` holds for the whole run (Bonferroni over the tests), so
    # that among hundreds of candidate clusters a lucky pair or trio is not reported.
    n_tests = max(1, int((~raw).sum()))
    coordinated = raw | ((p <= alpha / n_tests) & (excess >= need) & pairwise)
    return pa.table(
        {
            "cluster": agg["cluster"].to_arrow(), "signal": agg["signal"].to_arrow(),
            "n_edges": agg["n_edges"].to_arrow(), "density": pa.array(density, pa.float64()),
            "n_significant": agg["n_significant"].to_arrow(),
            "observed": pa.array(obs, pa.float64()),
            "expected": pa.array(np.where(raw, np.nan, exp), pa.float64()),
            "excess": pa.array(np.where(raw, np.nan, excess), pa.float64()),
            "p_value": pa.array(p, pa.float64()), "coordinated": pa.array(coordinated),
        },
        schema=CLUSTER_TEST_SCHEMA,
    )
