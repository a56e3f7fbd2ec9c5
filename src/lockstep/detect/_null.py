"""Null models: how many co-actions would an account pair show if it were not coordinated?

Every candidate edge (an account pair with at least ``min_count`` co-actions in the window) gets an
expected count under a null model and a one-sided p-value; edges are kept under Benjamini–Hochberg
at the chosen false-discovery rate.

``delay`` (object signals)
    Accounts react to objects with their own delays: a fan reposts a celebrity within seconds of
    every post, a news bot posts each headline a minute after it appears. Two such accounts meet
    inside the window often without any coordination. For each candidate pair we take the objects
    *both* acted on (at any time), each account's delay from the object's origin (the reposted
    post's own time when the data has it, else the object's first action), and ask how often the
    two delays would fall within the window if each account's delays were shuffled across those
    objects: ``expected = Σ_i Σ_j 1[|d_a(i) − d_b(j)| ≤ w] / n_shared``. The observed count is the
    number of shared objects acted on within the window; the p-value is the binomial upper tail
    ``P(X ≥ observed)``, ``X ~ Bin(n_shared, expected / n_shared)``. Coordinated accounts are
    synchronised with *each other* beyond what their reaction speeds explain.

``activity`` (synchronous posting, or any signal on request)
    An analytic expectation from each account's activity: within each time bin h (ten windows,
    at least ten minutes) each account acts uniformly at random, so the expected number of
    action pairs within ``w`` is ``Σ_h n_a(h) n_b(h) · 2w / bin``, counting only actions on objects
    some other account also acted on. The observed count is the number of post pairs on the same
    object within ``w``; the p-value is the Poisson upper tail. Matching on the object is
    ignored by the expectation, which makes it an upper bound on chance: conservative.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

__all__ = ["NULL_MODELS", "bh_fdr", "score_edges"]

NULL_MODELS = ("delay", "activity")

_BIN_MIN_US = 600_000_000


def bh_fdr(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values); NaN stays NaN.

    Examples
    --------
    >>> bh_fdr(np.array([0.01, 0.04, 0.03, 0.2])).round(3).tolist()
    [0.04, 0.04, 0.04, 0.2]
    """
    p = np.asarray(p, dtype=float)
    q = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return q
    pv = p[ok]
    order = np.argsort(pv, kind="stable")
    ranked = pv[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(ranked, 1.0)
    q[ok] = out
    return q


def score_edges(
    null: str, ctx: Any, p: str, cand: pa.Table, *, window_us: int, count_column: str
) -> dict[str, np.ndarray | None]:
    """Expected counts and p-values for the candidate edges ``cand`` (columns acc_a, acc_b, ...)."""
    ctx.engine.register_arrow(
        f"{p}_cand",
        pa.table({"eid": pa.array(np.arange(cand.num_rows, dtype=np.int64)),
                  "acc_a": cand["acc_a"], "acc_b": cand["acc_b"]}),
    )
    observed = cand[count_column].to_numpy().astype(float)
    if null == "delay":
        return _delay(ctx, p, cand.num_rows, observed, window_us)
    if null == "activity":
        return _activity(ctx, p, cand.num_rows, observed, window_us)
    raise ValueError(f"unknown null model {null!r}; choose from {NULL_MODELS}")


def _delay(ctx: Any, p: str, n: int, observed: np.ndarray, w: int) -> dict[str, np.ndarray | None]:
    from scipy import stats  # imported here: `lockstep --help` need not load scipy

    e = ctx.engine
    shared = e.fetch_arrow(
        f"""WITH d AS (
  SELECT a.acc, a.obj, min(a.t) - min(o.t_origin) AS d
  FROM {p}_act AS a JOIN {p}_obj AS o ON o.obj = a.obj GROUP BY a.acc, a.obj
)
SELECT c.eid, da.d AS d_a, db.d AS d_b
FROM {p}_cand AS c JOIN d AS da ON da.acc = c.acc_a JOIN d AS db ON db.acc = c.acc_b AND db.obj = da.obj"""
    )
    eid = shared["eid"].to_numpy()
    d_a = shared["d_a"].to_numpy().astype(np.int64)
    d_b = shared["d_b"].to_numpy().astype(np.int64)
    n_shared = np.bincount(eid, minlength=n).astype(np.int64)
    cross = _count_within(eid, d_a, d_b, w, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.where(n_shared > 0, cross / np.maximum(n_shared, 1), 0.0)
        prob = np.clip(np.where(n_shared > 0, expected / np.maximum(n_shared, 1), 1.0), 0.0, 1.0)
    k = np.minimum(observed, n_shared)
    pval = stats.binom.sf(k - 1, n_shared, prob)
    return {"expected": expected, "p_value": pval, "n_shared": n_shared}


def _count_within(eid: np.ndarray, d_a: np.ndarray, d_b: np.ndarray, w: int, n: int) -> np.ndarray:
    """Per group ``eid``: how many (i, j) have ``|d_a[i] − d_b[j]| ≤ w``, in O(N log N)."""
    if eid.size == 0:
        return np.zeros(n)
    lo_d = int(min(d_a.min(), d_b.min())) - w
    span = int(max(d_a.max(), d_b.max())) + w - lo_d + 1
    # Offset each group into its own stretch of one number line, then two binary searches per
    # element count the partners within ±w; scale the delays down when the line would overflow.
    scale = 1
    while (n + 1) * (span // scale + 1) >= 2**62:
        scale *= 10
    stride = span // scale + 2
    base = eid.astype(np.int64) * stride
    kb = np.sort(base + (d_b - lo_d) // scale)
    ka = base + (d_a - lo_d) // scale
    lo = np.searchsorted(kb, ka - w // scale, side="left")
    hi = np.searchsorted(kb, ka + w // scale, side="right")
    return np.bincount(eid, weights=(hi - lo).astype(float), minlength=n)


def _activity(ctx: Any, p: str, n: int, observed: np.ndarray, w: int) -> dict[str, np.ndarray | None]:
    from scipy import stats

    e = ctx.engine
    # Ten windows, at least ten minutes: short enough to follow an account's bursts of activity,
    # long enough to hold many windows.
    bin_us = max(_BIN_MIN_US, 10 * w)
    e.create_table(
        f"{p}_bins",
        f"SELECT acc, CAST(floor(t / {bin_us}) AS BIGINT) AS hr, count(DISTINCT pid) AS n "
        f"FROM {p}_act GROUP BY acc, CAST(floor(t / {bin_us}) AS BIGINT)",
    )
    # Two steps on purpose: joining the bins of a and then of b per candidate pair stays linear in
    # the candidates' bins; left to itself the optimiser may join the bins to each other first.
    e.create_table(
        f"{p}_bins_a",
        f"SELECT c.eid, c.acc_b, ha.hr, ha.n FROM {p}_cand AS c JOIN {p}_bins AS ha ON ha.acc = c.acc_a",
    )
    t = e.fetch_arrow(
        f"SELECT x.eid, sum(x.n * hb.n) AS nn FROM {p}_bins_a AS x "
        f"JOIN {p}_bins AS hb ON hb.acc = x.acc_b AND hb.hr = x.hr GROUP BY x.eid"
    )
    nn = np.zeros(n)
    nn[t["eid"].to_numpy()] = t["nn"].to_numpy().astype(float)
    expected = nn * min(1.0, (2 * w + 1) / bin_us)
    pval = stats.poisson.sf(observed - 1, expected)
    pval = np.where(expected > 0, pval, np.where(observed > 0, 0.0, 1.0))
    return {"expected": expected, "p_value": pval, "n_shared": None}
