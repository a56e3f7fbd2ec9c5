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
    action pairs within ``w`` is ``Σ_h n_a(h) n_b(h) · 2w / bin`` (plus ``n_a(h) n_b(h ± 1) ·
    w² / (2 bin²)`` for pairs straddling a bin edge), counting only actions on objects
    some other account also acted on. The observed count is the number of post pairs on the same
    object within ``w``; the p-value is the Poisson upper tail. Matching on the object is
    ignored by the expectation, which makes it an upper bound on chance: conservative. The
    observed count discounts following a feed: a pair whose order is lopsided (one account
    nearly always first) counts only twice the smaller of "a first" and "b first" (plus ties),
    and co-actions that came right after the same
    third account's action count once per such leader (see :func:`_independent_pairs`), so
    news bots copying one outlet are neither the outlet's partners nor each other's.
    ``n_shared`` holds that tested count.

``rarity`` (rare-share: rare objects over a long window)
    A bipartite configuration model of who shares what: account a shares ``k_a`` distinct
    objects, object o is shared by ``c_o`` accounts, ``M = Σ c_o`` shares in all. If each account
    picked its objects at random, popular ones more often, a and b would have
    ``expected = k_a k_b Σ_o c_o (c_o − 1) / M²`` objects in common (over objects some two
    accounts share). Objects only a few accounts ever share weigh almost nothing in that sum,
    so two accounts sharing many of them stand out however far apart in time they share;
    matching on time is ignored, which makes the expectation an upper bound there. The
    observed count is the number of distinct *sources* (first posters) of the objects the
    two share within the window: feed bots copying one outlet's every headline, or followers
    copying one account, share one source, not hundreds of independent objects. The p-value
    is the Poisson upper tail; ``n_shared`` holds that source count.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

__all__ = ["NULL_MODELS", "bh_fdr", "score_edges"]

NULL_MODELS = ("delay", "activity", "rarity")

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
    # p · m / rank can round below p when m == rank; a q-value is never below its p-value.
    out[order] = np.clip(ranked, pv[order], 1.0)
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
    if null == "rarity":
        return _rarity(ctx, p, cand.num_rows)
    raise ValueError(f"unknown null model {null!r}; choose from {NULL_MODELS}")


def _delay(ctx: Any, p: str, n: int, observed: np.ndarray, w: int) -> dict[str, np.ndarray | None]:
    from scipy import stats  # imported here: `lockstep --help` need not load scipy

    e = ctx.engine
    # Counted by the engine, next to the data: only one row per candidate pair comes back (on
    # Spark the shared objects of millions of pairs must not travel to the driver). Each of a's
    # delays counts b's delays within ±w: a window over both accounts' delays in time order.
    t = e.fetch_arrow(
        f"""WITH d AS (
  SELECT a.acc, a.obj, min(a.t) - min(o.t_origin) AS d
  FROM {p}_act AS a JOIN {p}_obj AS o ON o.obj = a.obj GROUP BY a.acc, a.obj
), s AS (
  SELECT c.eid, da.d AS d_a, db.d AS d_b
  FROM {p}_cand AS c JOIN d AS da ON da.acc = c.acc_a JOIN d AS db ON db.acc = c.acc_b AND db.obj = da.obj
), u AS (
  SELECT eid, d_a AS x, 1 AS is_a FROM s UNION ALL SELECT eid, d_b AS x, 0 AS is_a FROM s
), r AS (
  SELECT eid, is_a,
         sum(1 - is_a) OVER (PARTITION BY eid ORDER BY x RANGE BETWEEN {int(w)} PRECEDING AND {int(w)} FOLLOWING) AS nb
  FROM u
)
SELECT eid, sum(is_a) AS n_shared, sum(CASE WHEN is_a = 1 THEN nb ELSE 0 END) AS n_cross FROM r GROUP BY eid"""
    )
    eid = t["eid"].to_numpy()
    n_shared = np.zeros(n, dtype=np.int64)
    cross = np.zeros(n)
    n_shared[eid] = t["n_shared"].to_numpy()
    cross[eid] = t["n_cross"].to_numpy().astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.where(n_shared > 0, cross / np.maximum(n_shared, 1), 0.0)
        prob = np.clip(np.where(n_shared > 0, expected / np.maximum(n_shared, 1), 1.0), 0.0, 1.0)
    k = np.minimum(observed, n_shared)
    pval = stats.binom.sf(k - 1, n_shared, prob)
    return {"expected": expected, "p_value": pval, "n_shared": n_shared}


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
        f"SELECT x.eid, sum(CASE WHEN hb.hr = x.hr THEN x.n * hb.n ELSE 0 END) AS nn, "
        f"sum(CASE WHEN hb.hr = x.hr THEN 0 ELSE x.n * hb.n END) AS nn_adj FROM {p}_bins_a AS x "
        # The neighbouring bins as three equality joins, not a range: joined on the account
        # alone, a range makes every bin of a meet every bin of b, quadratic in how long an
        # account has been active (months of data from the same accounts stalled here).
        f"CROSS JOIN (SELECT -1 AS d UNION ALL SELECT 0 AS d UNION ALL SELECT 1 AS d) AS s "
        f"JOIN {p}_bins AS hb ON hb.acc = x.acc_b AND hb.hr = x.hr + s.d GROUP BY x.eid"
    )
    nn = np.zeros(n)
    nn_adj = np.zeros(n)
    nn[t["eid"].to_numpy()] = t["nn"].to_numpy().astype(float)
    nn_adj[t["eid"].to_numpy()] = t["nn_adj"].to_numpy().astype(float)
    # Two uniform times in one bin fall within w of each other with probability about 2w / bin;
    # in neighbouring bins (a pair straddling a bin edge) with probability w² / (2 bin²).
    expected = nn * min(1.0, (2 * w + 1) / bin_us) + nn_adj * min(1.0, (w / bin_us) ** 2 / 2)
    # Synchronous posting has one object, the clock: there is no feed to follow, and a fixed
    # order seconds apart is the pattern itself. Object signals discount following.
    n_objects = e.scalar(f"SELECT count(*) FROM {p}_obj WHERE n_accounts >= 2")
    if (n_objects or 0) > 1:
        observed = np.minimum(observed, _independent_pairs(ctx, p, n))
    pval = stats.poisson.sf(observed - 1, expected)
    pval = np.where(expected > 0, pval, np.where(observed > 0, 0.0, 1.0))
    return {"expected": expected, "p_value": pval, "n_shared": observed.astype(np.int64)}


def _independent_pairs(ctx: Any, p: str, n: int) -> np.ndarray:
    """Per candidate pair: its post pairs, counted as evidence of a common hand.

    Two corrections for accounts that follow a feed rather than each other:

    - *Order.* Peers acting together go first about equally often; an account that posts every
      headline a few minutes after an outlet follows it. When the order is lopsided (a fair
      coin would give it less than 1 % of the time), only twice the smaller of "a first" and
      "b first", plus ties, counts: the part both orders support.
    - *Leader.* Each co-action's leader is whoever acted on the same object just before the
      earlier of the two posts. News bots that copy one outlet share a handful of leaders
      (the outlet, each other) over hundreds of headlines; campaign members follow ever
      different members, or lead themselves. Co-actions led by a third account count once per
      distinct leader; those the pair started itself count in full.

    The smaller of the two counts is tested.
    """
    t = ctx.engine.fetch_arrow(
        f"""WITH prev AS (
  SELECT pid, obj, lag(acc) OVER (PARTITION BY obj ORDER BY t, pid) AS leader FROM {p}_act
), x AS (
  SELECT c.eid, x.acc_a, x.acc_b, x.t_a, x.t_b,
         CASE WHEN x.t_a <= x.t_b THEN x.pid_a ELSE x.pid_b END AS first_pid, x.obj
  FROM {p}_pairs AS x JOIN {p}_cand AS c ON c.acc_a = x.acc_a AND c.acc_b = x.acc_b
), y AS (
  SELECT x.eid, x.t_a, x.t_b,
         CASE WHEN pv.leader IS NULL OR pv.leader = x.acc_a OR pv.leader = x.acc_b THEN NULL
              ELSE pv.leader END AS leader
  FROM x LEFT JOIN prev AS pv ON pv.pid = x.first_pid AND pv.obj = x.obj
)
SELECT eid, sum(CASE WHEN t_a < t_b THEN 1 ELSE 0 END) AS n_ab,
       sum(CASE WHEN t_a > t_b THEN 1 ELSE 0 END) AS n_ba,
       sum(CASE WHEN t_a = t_b THEN 1 ELSE 0 END) AS n_eq,
       sum(CASE WHEN leader IS NULL THEN 1 ELSE 0 END) AS n_self,
       count(DISTINCT leader) AS n_leaders
FROM y GROUP BY eid"""
    )
    from scipy import stats

    out = np.full(n, np.inf)
    ab, ba, eq, own, lead = (t[c].to_numpy().astype(float) for c in ("n_ab", "n_ba", "n_eq", "n_self", "n_leaders"))
    total = ab + ba + eq
    # Peers' order is a fair coin; only an order that coin would give less than 1% of the time
    # (two-sided) marks a follower. A symmetric count on every pair would cost peers a quarter
    # of their count at random (E 2·min(X, n − X) < n).
    lo = np.minimum(ab, ba)
    lopsided = 2 * stats.binom.cdf(lo, ab + ba, 0.5) < 0.01
    ordered = np.where(lopsided, 2 * lo + eq, total)
    out[t["eid"].to_numpy()] = np.minimum(ordered, own + lead)
    return out


def _rarity(ctx: Any, p: str, n: int) -> dict[str, np.ndarray | None]:
    from scipy import stats

    e = ctx.engine
    # Each kind of object (rare-share keys start with a one-letter kind: "u " URL, "t " text,
    # "m " media, "h " hashtag set on a day) is its own choice: an account that posts many
    # links but few texts draws its links from the link pool only. Per kind: k_a (distinct objects of a, those nobody else
    # shares included), M = Σ k_a and Σ_o c_o (c_o − 1) over objects two or more accounts share.
    kind = "substr(object, 1, 1)"
    e.create_table(
        f"{p}_k", f"SELECT acc, {kind} AS kind, count(DISTINCT object) AS k FROM {p}_raw GROUP BY acc, {kind}"
    )
    e.create_table(
        f"{p}_q",
        f"SELECT m.kind, CAST(coalesce(c.cc, 0) AS DOUBLE) / (CAST(m.m AS DOUBLE) * m.m) AS q FROM "
        f"(SELECT kind, sum(k) AS m FROM {p}_k GROUP BY kind) AS m LEFT JOIN "
        f"(SELECT {kind} AS kind, sum(CAST(n_accounts AS DOUBLE) * (n_accounts - 1)) AS cc FROM {p}_obj "
        f"WHERE n_accounts >= 2 GROUP BY {kind}) AS c ON c.kind = m.kind",
    )
    ex = e.fetch_arrow(
        f"SELECT c.eid, sum(CAST(ka.k AS DOUBLE) * kb.k * q.q) AS expected FROM {p}_cand AS c "
        f"JOIN {p}_k AS ka ON ka.acc = c.acc_a JOIN {p}_k AS kb ON kb.acc = c.acc_b AND kb.kind = ka.kind "
        f"JOIN {p}_q AS q ON q.kind = ka.kind GROUP BY c.eid"
    )
    expected = np.zeros(n)
    expected[ex["eid"].to_numpy()] = ex["expected"].to_numpy().astype(float)
    # Independent sources: the first poster of each object the pair shared within the window.
    src = e.fetch_arrow(
        f"""WITH first AS (
  SELECT obj, acc AS src FROM (
    SELECT obj, acc, row_number() OVER (PARTITION BY obj ORDER BY t, pid) AS rn FROM {p}_act
  ) AS x WHERE rn = 1
)
SELECT c.eid, count(DISTINCT f.src) AS n_src
FROM {p}_pairs AS x JOIN {p}_cand AS c ON c.acc_a = x.acc_a AND c.acc_b = x.acc_b
JOIN first AS f ON f.obj = x.obj GROUP BY c.eid"""
    )
    n_src = np.zeros(n, dtype=np.int64)
    n_src[src["eid"].to_numpy()] = src["n_src"].to_numpy()
    pval = stats.poisson.sf(n_src - 1, np.maximum(expected, 1e-300))
    pval = np.where(n_src > 0, pval, 1.0)
    return {"expected": expected, "p_value": pval, "n_shared": n_src}
