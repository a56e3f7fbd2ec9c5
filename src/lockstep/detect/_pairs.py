"""Windowed pair counting shared by every signal.

The heart of co-action detection is one self-join: two actions on the same object by two accounts
within ``window`` seconds of each other. Joining on the object alone and filtering by time afterwards
is quadratic in an object's popularity (a post reposted 50,000 times makes 1.25 billion candidates),
so pairs are formed only inside a time band: each action gets ``bucket = floor(t / window)`` and is
joined with the actions of its own bucket and of the next one, which holds every pair with
``|Δt| ≤ window`` exactly once. This "bucket" form is the one measured to run unchanged on DuckDB and
Spark (DESIGN.md); a per-object guard counts an object's in-window pairs before the join and sets
aside objects that would still explode, with a note.

Tables per signal (prefix ``ls_<signal>_``): ``raw`` (actions), ``obj`` (objects with popularity and
weight), ``act`` (actions with integer ids and buckets), ``pairs`` (one row per co-action), ``edges``.
On DuckDB the co-actions are grouped per account pair in this process (:mod:`._pair_stats`), and
raw counts (no null model, no evidence) form them there too, with no ``pairs`` table.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lockstep._hugepages import no_hugepages
from lockstep.detect._base import Detector, parse_window
from lockstep.detect._evidence import EVIDENCE_SCHEMA, empty_evidence, evidence_for_kept, restrict_evidence
from lockstep.detect._null import bh_fdr, score_edges

__all__ = ["EDGE_SCHEMA", "EVIDENCE_SCHEMA", "empty_edges", "empty_evidence", "run_detector"]

_TS = pa.timestamp("us", tz="UTC")

#: One row per account pair and signal (``coaction_edges``).
EDGE_SCHEMA = pa.schema([
    ("signal", pa.string()),
    ("platform_a", pa.string()), ("account_a", pa.string()),
    ("platform_b", pa.string()), ("account_b", pa.string()),
    ("n_pairs", pa.int64()),      # post pairs within the window
    ("n_objects", pa.int64()),    # distinct objects both acted on within the window
    ("n_posts_a", pa.int64()),    # distinct posts of a with a partner post of b in the window
    ("n_posts_b", pa.int64()),
    ("strength", pa.float64()),   # Σ over those objects of the inverse-popularity weight
    ("median_dt_s", pa.float64()),
    ("window_s", pa.float64()),
    ("n_shared", pa.int64()),     # objects both acted on at any time (delay null), else null
    ("expected", pa.float64()),   # expected count under the null model
    ("p_value", pa.float64()),
    ("q_value", pa.float64()),    # Benjamini–Hochberg adjusted p-value
    ("screened", pa.bool_()),     # kept, or p ≤ screen_p: enters the cluster graph
    ("kept", pa.bool_()),         # q ≤ fdr; after clustering: inside a coordinated cluster
])

def empty_edges() -> pa.Table:
    return EDGE_SCHEMA.empty_table()


def _skip(det: Detector, note: str, window_s: float | None = None) -> None:
    det.edges_ = empty_edges()
    det.evidence_ = empty_evidence()
    det.screened_evidence_ = empty_evidence()
    det.window_s_ = window_s
    det.notes_ = [*getattr(det, "notes_", []), note]
    det.n_actions_ = 0
    det.n_pairs_ = 0


def run_detector(det: Detector, ctx: Any, *, seed: int = 0) -> Detector:
    """Run one detector in a :class:`~lockstep.detect._context.Context`; fills its ``*_`` attributes."""
    det._validate_params()
    started = time.perf_counter()
    try:
        with no_hugepages():
            return _run(det, ctx, seed)
    finally:
        det.seconds_ = time.perf_counter() - started


def _run(det: Detector, ctx: Any, seed: int) -> Detector:
    det.notes_ = []
    det.seed_ = seed
    e = ctx.engine
    p = "ls_" + det.signal.replace("-", "_")
    if ctx.n_posts == 0:
        _skip(det, f"{det.signal}: the workspace has no posts")
        return det
    if det.fields and not any(ctx.has_values(f) for f in det.fields):
        _skip(det, f"{det.signal}: skipped, no post has {' or '.join(det.fields)}")
        return det

    # Only the delay null reads an object's origin (the reposted post's own time).
    ctx.need_origin = det.null_model_ == "delay"
    det.prepare(ctx)
    e.create_table(
        f"{p}_raw",
        f"SELECT DISTINCT pid, acc, t, object, t_origin FROM ({det.actions_sql(ctx)}) AS a "
        f"WHERE {det.object_filter}",
    )
    e.create_table(
        f"{p}_obj",
        "SELECT object, CAST(row_number() OVER (ORDER BY object) - 1 AS BIGINT) AS obj, "
        "count(*) AS n_actions, count(DISTINCT acc) AS n_accounts, "
        # When the object's origin is known (the reposted post's own time) delays count from it.
        "least(min(t), coalesce(min(t_origin), min(t))) AS t_origin, "
        # Inverse popularity: an object two accounts share weighs 1, one 1,000 share weighs 0.16.
        "ln(3) / ln(1 + count(DISTINCT acc)) AS weight "
        f"FROM {p}_raw GROUP BY object",
    )
    det.n_actions_ = e.count(f"{p}_raw")
    # In process, the co-actions of account pairs under min_count are never formed: nothing
    # downstream reads them (most pairs co-act once; at 10M posts, ~100M in-window pairs). There
    # the actions on objects two accounts share are fetched once, sorted by object and time, and
    # the auto window, the heavy objects and the pairs all come from them.
    frequent_only = "in_process" in e.capabilities and int(det.min_count) >= 2
    local = _sorted_actions(e, _shared_actions_sql(p)) if frequent_only else None

    window_s = parse_window(det.window)
    if window_s is None and det.auto_window_s is not None:
        window_s = det.auto_window_s
    elif window_s is None:
        window_s = auto_window(ctx, p) if local is None else auto_window_local(local)
        det.notes_.append(f"{det.signal}: window estimated from the data: {window_s:g} s")
    det.window_s_ = window_s
    w_us = round(window_s * 1_000_000)
    bucket_us = max(w_us, 1)

    e.create_table(
        f"{p}_act0",
        f"SELECT pid, acc, t, obj, CAST(floor(t / {bucket_us}) AS BIGINT) AS bucket FROM ({_shared_actions_sql(p)}) AS x",
    )
    heavy_filter = ""
    if det.max_pairs_per_object is not None and not (frequent_only and det.keeps_heavy_objects):
        if local is None:
            heavy = _heavy_objects(e, p, w_us, int(det.max_pairs_per_object))
        else:
            heavy, local = _heavy_objects_local(e, p, local, w_us, int(det.max_pairs_per_object))
        if heavy.num_rows:
            top = heavy.column(0)[0].as_py()
            det.notes_.append(
                f"{det.signal}: {heavy.num_rows} object(s) set aside, each with more than "
                f"{det.max_pairs_per_object} in-window pairs (largest: {str(top)[:80]!r}, "
                f"{heavy.column(1)[0].as_py()} pairs); raise max_pairs_per_object to include them"
            )
            heavy_filter = f"WHERE obj NOT IN (SELECT obj FROM {p}_heavy)"
    e.create_table(f"{p}_act", f"SELECT pid, acc, t, obj, bucket FROM {p}_act0 {heavy_filter}")
    e.drop(f"{p}_act0")

    if _pairs_stay_local(det, e):
        cand = _raw_edge_stats_local(det, ctx, p, w_us, local)
        if cand is not None:
            return _finish(det, ctx, p, window_s, w_us, cand)
    if local is not None:
        _frequent_pairs_local(det, ctx, p, w_us, local)
    else:
        _band_join(e, p, w_us)
    det.refine_pairs(ctx, f"{p}_pairs")
    # One post may carry the same object twice (a URL in text and card): count each post pair once.
    det.n_pairs_ = e.count(f"{p}_pairs")
    # Sorted here (one integer sort) rather than by the engine: the same order, ORDER BY acc_a, acc_b.
    cand = _edge_stats(e, p, det.count_column, int(det.min_count), ctx.n_accounts, n_pairs=det.n_pairs_)
    return _finish(det, ctx, p, window_s, w_us, cand)


def _band_join(e: Any, p: str, w_us: int) -> None:
    """``{p}_pairs``: the co-actions of ``{p}_act``, formed by the engine's band join: same bucket
    (each unordered pair once: a post carries an object once, so pid orders the pairs of one
    object) plus the next bucket."""
    cols = "l.pid AS pid_x, r.pid AS pid_y, l.acc AS acc_x, r.acc AS acc_y, l.obj AS obj, l.t AS t_x, r.t AS t_y"
    e.create_table(
        f"{p}_pairs",
        f"""WITH j AS (
  SELECT {cols} FROM {p}_act AS l JOIN {p}_act AS r
    ON r.obj = l.obj AND r.bucket = l.bucket AND r.pid > l.pid
  UNION ALL
  SELECT {cols} FROM {p}_act AS l JOIN {p}_act AS r
    ON r.obj = l.obj AND r.bucket = l.bucket + 1
)
SELECT
  CASE WHEN acc_x < acc_y THEN acc_x ELSE acc_y END AS acc_a,
  CASE WHEN acc_x < acc_y THEN acc_y ELSE acc_x END AS acc_b,
  CASE WHEN acc_x < acc_y THEN pid_x ELSE pid_y END AS pid_a,
  CASE WHEN acc_x < acc_y THEN pid_y ELSE pid_x END AS pid_b,
  CASE WHEN acc_x < acc_y THEN t_x ELSE t_y END AS t_a,
  CASE WHEN acc_x < acc_y THEN t_y ELSE t_x END AS t_b,
  obj
FROM j
-- an account does not coordinate with itself; the band holds pairs up to 2 windows apart
WHERE acc_x <> acc_y AND abs(t_y - t_x) <= {w_us}""",
    )


#: The columns of ``{p}_pairs``, in the band join's order.
_PAIRS_COLUMNS = ("acc_a", "acc_b", "pid_a", "pid_b", "t_a", "t_b", "obj")


def _frequent_pairs_local(det: Detector, ctx: Any, p: str, w_us: int, cols: dict[str, np.ndarray]) -> None:
    """``{p}_pairs`` with only the co-actions of account pairs that have ``min_count`` or more
    (:func:`~lockstep.detect._pair_stats.frequent_band_pairs`), formed in this process.

    Nothing downstream reads the others: the candidate edges need ``min_count`` co-actions (a
    pair's objects never outnumber them), and the null models and the evidence read the
    co-actions of candidate edges only. When more than ``max_pairs_per_object`` remain, none is
    kept, with a note, as the heavy-object guard does.
    """
    from lockstep.detect._pair_stats import frequent_band_pairs

    e = ctx.engine
    cap = det.max_pairs_per_object if det.keeps_heavy_objects else None
    pairs, n_all = frequent_band_pairs(cols["obj"], cols["t"], cols["acc"], cols["pid"], w_us, int(det.min_count),
                                       max_pairs=cap)
    cols.clear()
    if pairs is None:
        det.notes_.append(
            f"{det.signal}: set aside: {n_all} in-window pairs, more than max_pairs_per_object ({cap}) of them "
            f"between accounts with at least {det.min_count}; raise it to include them"
        )
        pairs = {name: np.zeros(0, np.int64) for name in _PAIRS_COLUMNS}
    elif cap is not None and n_all > cap:
        n = int(pairs["obj"].size)
        det.notes_.append(
            f"{det.signal}: {n_all} in-window pairs; the {n} between accounts with at least {det.min_count} "
            "were formed, the others cannot make an edge"
        )
    e.register_arrow(f"{p}_pairs", pa.table({name: pairs[name] for name in _PAIRS_COLUMNS}))


def _finish(det: Detector, ctx: Any, p: str, window_s: float, w_us: int, cand: pa.Table) -> Detector:
    """From the candidate edges: the null model, the kept edges with names, the evidence."""
    e = ctx.engine
    null = det.null_model_
    n = cand.num_rows
    n_shared = pa.nulls(n, pa.int64())
    if null is None or n == 0:
        expected = pa.nulls(n, pa.float64())
        pv = pa.nulls(n, pa.float64())
        qv = pa.nulls(n, pa.float64())
        kept = pa.array(np.ones(n, dtype=bool))
        screened = kept
    else:
        res = score_edges(null, ctx, p, cand, window_us=w_us, count_column=det.count_column)
        expected = pa.array(res["expected"])
        p_arr = res["p_value"]
        q_arr = bh_fdr(p_arr)
        pv, qv = pa.array(p_arr), pa.array(q_arr)
        kept = pa.array(q_arr <= det.fdr)
        screened = pa.array((q_arr <= det.fdr) | (p_arr <= det.screen_p))
        if res.get("n_shared") is not None:
            n_shared = pa.array(res["n_shared"], pa.int64())

    if det.evidence:
        e.register_arrow(f"{p}_kept", pa.table({
            "acc_a": cand["acc_a"], "acc_b": cand["acc_b"], "kept": kept, "screened": screened,
        }))
    names = _account_names(ctx, cand["acc_a"], cand["acc_b"])
    det.edges_ = pa.table(
        {
            "signal": pa.repeat(pa.scalar(det.signal, pa.string()), n),
            "platform_a": names["platform_a"], "account_a": names["account_a"],
            "platform_b": names["platform_b"], "account_b": names["account_b"],
            "n_pairs": cand["n_pairs"], "n_objects": cand["n_objects"],
            "n_posts_a": cand["n_posts_a"], "n_posts_b": cand["n_posts_b"],
            "strength": cand["strength"], "median_dt_s": cand["median_dt_s"],
            "window_s": pa.repeat(pa.scalar(window_s, pa.float64()), n),
            "n_shared": n_shared, "expected": expected, "p_value": pv, "q_value": qv,
            "screened": screened, "kept": kept,
        },
        schema=EDGE_SCHEMA,
    )
    det.screened_evidence_ = evidence_for_kept(det, ctx, p) if det.evidence else empty_evidence()
    det.evidence_ = restrict_evidence(det.screened_evidence_, det.edges_)
    det.n_edges_kept_ = int(pc.sum(kept).as_py() or 0) if n else 0
    return det


def _pairs_stay_local(det: Detector, e: Any) -> bool:
    """Whether the co-actions can be formed and counted in this process, never stored in the engine.

    Only raw counts need nothing more of them: the null models and the evidence query the
    co-action table, and a detector that refines its pairs (near-text) does so in the engine.
    """
    return ("in_process" in e.capabilities and det.null_model_ is None and not det.evidence
            and type(det).refine_pairs is Detector.refine_pairs)


def _raw_edge_stats_local(det: Detector, ctx: Any, p: str, w_us: int,
                          cols: dict[str, np.ndarray] | None = None) -> pa.Table | None:
    """The candidate edges of :func:`_edge_stats`, the co-actions formed locally (:func:`band_pairs`);
    None when they would be more than :data:`LOCAL_MAX_PAIRS` (the engine forms them then)."""
    from lockstep.detect._pair_stats import band_pairs, count_band_pairs

    e = ctx.engine
    cols = _sorted_actions(e, f"SELECT * FROM {p}_act") if cols is None else cols
    n_pairs = count_band_pairs(cols["obj"], cols["t"], cols["acc"], w_us)
    if n_pairs > LOCAL_MAX_PAIRS:
        return None
    pairs = band_pairs(cols["obj"], cols["t"], cols["acc"], cols["pid"], w_us, n_pairs=n_pairs)
    del cols
    det.n_pairs_ = int(pairs["obj"].size)
    return _group_locally(e, p, pairs, det.count_column, int(det.min_count), ctx.n_accounts)


def _shared_actions_sql(p: str) -> str:
    """The actions on objects at least two accounts acted on (the others cannot pair)."""
    return (f"SELECT r.pid, r.acc, r.t, o.obj FROM {p}_raw AS r JOIN {p}_obj AS o ON o.object = r.object "
            "WHERE o.n_accounts >= 2")


def _sorted_actions(e: Any, query: str) -> dict[str, np.ndarray]:
    """``obj, t, acc, pid`` of the actions a query gives, as int64 arrays sorted by object and
    time (the order in which :mod:`._pair_stats` forms band pairs)."""
    act = e.fetch_arrow(f"SELECT obj, t, acc, pid FROM ({query}) AS x ORDER BY obj, t")
    cols = {}
    for name in act.column_names:
        cols[name] = _numpy(act[name], np.int64)
        act = act.drop_columns([name])  # its Arrow buffers go as soon as its copy exists
    return cols


def _sorted_by_pair(cand: pa.Table, n_accounts: int) -> pa.Table:
    """``cand`` in the order of ``ORDER BY acc_a, acc_b`` (its pairs are unique), sorted locally.

    When the pair key and the row number fit in 63 bits together they are packed into one integer
    and sorted (numpy's vectorised sort: several times faster than an argsort, a lexsort or the
    engine's ORDER BY on millions of rows); columns without nulls are reordered as numpy arrays.
    """
    n = cand.num_rows
    if n == 0:
        return cand
    a = cand["acc_a"].to_numpy().astype(np.int64, copy=False)
    b = cand["acc_b"].to_numpy().astype(np.int64, copy=False)
    layout = pair_key_layout(a, b, n_accounts)
    if layout is not None:
        m, row_bits = layout
        packed = _sort_int64(((a * m + b) << np.int64(row_bits)) | np.arange(n, dtype=np.int64))
        order = packed & np.int64((1 << row_bits) - 1)
    else:
        order = np.lexsort((b, a))
    cols = {}
    for name in cand.column_names:
        col = cand[name]
        cols[name] = pa.array(col.to_numpy()[order]) if col.null_count == 0 else col.take(pa.array(order))
    return pa.table(cols, schema=cand.schema)


def pair_key_layout(a: np.ndarray, b: np.ndarray, n_accounts: int) -> tuple[int, int] | None:
    """``(m, row_bits)`` such that ``(a * m + b) << row_bits | row`` is one int64 for every row of
    the account pairs ``a, b`` (ids below ``n_accounts``): the pair key and the row packed for
    one integer sort. None when they do not fit in 63 bits together."""
    n = a.size
    m = max(int(n_accounts), int(a.max()) + 1 if n else 0, int(b.max()) + 1 if n else 0, 1)
    row_bits = max(1, int(max(n, 1) - 1).bit_length())
    return (m, row_bits) if (m * m - 1).bit_length() + row_bits <= 63 else None


def _sort_int64(x: np.ndarray) -> np.ndarray:
    """``np.sort(x)`` of distinct int64 keys, by polars (multithreaded: ~4x faster on 8.6M keys;
    the keys are distinct, so the result is the same whatever the algorithm)."""
    import polars as pl

    return pl.Series(x).sort().to_numpy()


def _account_names(ctx: Any, acc_a: pa.ChunkedArray, acc_b: pa.ChunkedArray) -> dict[str, pa.Array]:
    """``platform_a, account_a, platform_b, account_b`` of account ids, looked up locally."""
    platform, account_id = ctx.account_names()
    a = pa.array(acc_a.to_numpy() if acc_a.num_chunks else np.zeros(0, np.int64))
    b = pa.array(acc_b.to_numpy() if acc_b.num_chunks else np.zeros(0, np.int64))
    jobs = {"platform_a": (platform, a), "account_a": (account_id, a),
            "platform_b": (platform, b), "account_b": (account_id, b)}
    if len(a) < 1_000_000:
        return {k: names.take(idx) for k, (names, idx) in jobs.items()}
    # Millions of edges: four string gathers, mostly the faulting-in of fresh memory, which two
    # threads do side by side (pyarrow releases the GIL).
    with ThreadPoolExecutor(2) as pool:
        futures = {k: pool.submit(names.take, idx) for k, (names, idx) in jobs.items()}
        return {k: f.result() for k, f in futures.items()}


#: What :func:`_heavy_objects` returns: the objects set aside and their in-window pairs.
_HEAVY_SCHEMA = pa.schema([("object", pa.string()), ("n_band_pairs", pa.int64())])


def _heavy_objects(e: Any, p: str, w_us: int, max_pairs: int) -> pa.Table:
    """Objects of ``{p}_act0`` with more than ``max_pairs`` in-window pairs, into ``{p}_heavy``.

    Returns ``(object, n_band_pairs)``, largest first. The exact count (a RANGE window over each
    object's sorted times) is costly, so it runs only on the objects whose cheap upper bound, the
    pairs the band join would form (same bucket, or adjacent buckets), exceeds ``max_pairs``:
    usually none.
    """
    e.create_table(
        f"{p}_heavy_ub",
        f"""WITH c AS (SELECT obj, bucket, count(*) AS n FROM {p}_act0 GROUP BY obj, bucket)
SELECT c.obj FROM c LEFT JOIN c AS d ON d.obj = c.obj AND d.bucket = c.bucket + 1
GROUP BY c.obj HAVING sum(c.n * (c.n - 1) / 2 + c.n * coalesce(d.n, 0)) > {max_pairs}""",
    )
    if e.count(f"{p}_heavy_ub") == 0:
        return _HEAVY_SCHEMA.empty_table()
    # For every action, how many later actions of the same object fall inside the window (a RANGE
    # frame over the sorted times).
    e.create_table(
        f"{p}_heavy",
        "SELECT obj, sum(c) AS n_band_pairs FROM ("
        # RANGE frames include the row's peers (equal t) on both sides; subtracting the row's
        # rank among its peers counts each tied pair once.
        f"SELECT obj, count(*) OVER (PARTITION BY obj ORDER BY t RANGE BETWEEN CURRENT ROW AND {w_us} FOLLOWING) "
        "- row_number() OVER (PARTITION BY obj, t ORDER BY pid, acc) AS c "
        f"FROM {p}_act0 WHERE obj IN (SELECT obj FROM {p}_heavy_ub)) AS x GROUP BY obj HAVING sum(c) > {max_pairs}",
    )
    return e.fetch_arrow(
        f"SELECT o.object, h.n_band_pairs FROM {p}_heavy h JOIN {p}_obj o ON o.obj = h.obj "
        "ORDER BY h.n_band_pairs DESC, o.object"
    )


def _heavy_objects_local(e: Any, p: str, cols: dict[str, np.ndarray], w_us: int,
                         max_pairs: int) -> tuple[pa.Table, dict[str, np.ndarray]]:
    """:func:`_heavy_objects` from the actions of ``{p}_act0`` held here (sorted by object and
    time): every object's in-window pairs counted exactly in one linear pass, no query. Returns
    the same table (and ``{p}_heavy``, when there are heavy objects) and the actions without them."""
    from lockstep.detect._pair_stats import object_window_pairs

    objects, n_pairs = object_window_pairs(cols["obj"], cols["t"], w_us)
    heavy = n_pairs > max_pairs
    if not heavy.any():
        return _HEAVY_SCHEMA.empty_table(), cols
    e.register_arrow(f"{p}_heavy", pa.table({"obj": objects[heavy], "n_band_pairs": n_pairs[heavy]}))
    keep = ~np.isin(cols["obj"], objects[heavy])
    table = e.fetch_arrow(
        f"SELECT o.object, h.n_band_pairs FROM {p}_heavy h JOIN {p}_obj o ON o.obj = h.obj "
        "ORDER BY h.n_band_pairs DESC, o.object"
    )
    return table, {name: v[keep] for name, v in cols.items()}


_CAND_SCHEMA = pa.schema([
    ("acc_a", pa.int64()), ("acc_b", pa.int64()), ("n_pairs", pa.int64()), ("n_objects", pa.int64()),
    ("n_posts_a", pa.int64()), ("n_posts_b", pa.int64()), ("strength", pa.float64()), ("median_dt_s", pa.float64()),
])


#: ``strength`` sums the objects' weights in fixed point (units of 2⁻⁴⁰): an integer sum is the
#: same in any order, so parallel aggregation gives the same bits on every run and engine.
_FIXED = 1 << 40


#: Co-actions grouped in this process at most (each costs ~100 bytes there, outside the engine's
#: memory limit); beyond, the engine groups them (co-repost at 10M posts: 83M co-actions).
LOCAL_MAX_PAIRS = 10_000_000


def _edge_stats(e: Any, p: str, count_column: str, min_count: int, n_accounts: int,
                n_pairs: int | None = None) -> pa.Table:
    """Per account pair, from ``{p}_pairs``, the candidate edges, in the order of ``ORDER BY acc_a, acc_b``.

    Columns: ``acc_a, acc_b, n_pairs, n_objects, n_posts_a, n_posts_b, strength, median_dt_s``,
    only for pairs with ``count_column ≥ min_count``. One pass counts each pair's co-actions; most
    pairs co-act once, and their statistics follow from that pass alone (one object, one post a
    side, Δt itself). Distinct counts and medians, which are costly, run only on the pairs that
    co-act more than once and can still reach ``min_count`` (a pair's objects never outnumber its
    co-actions). An engine that runs in this process groups the fetched co-actions locally
    instead (:mod:`._pair_stats`): the same table, faster.
    """
    if "in_process" in e.capabilities and n_pairs is not None and n_pairs <= LOCAL_MAX_PAIRS:
        return _edge_stats_local(e, p, count_column, min_count, n_accounts)
    e.create_table(
        f"{p}_agg",
        f"SELECT acc_a, acc_b, count(*) AS n, min(obj) AS obj, min(abs(t_b - t_a)) AS dt "
        f"FROM {p}_pairs GROUP BY acc_a, acc_b",
    )
    e.create_table(
        f"{p}_multi",
        f"""SELECT x.* FROM {p}_pairs AS x
JOIN {p}_agg AS m ON m.acc_a = x.acc_a AND m.acc_b = x.acc_b AND m.n >= {max(2, min_count)}""",
    )
    multi = e.fetch_arrow(
        f"""SELECT c.acc_a, c.acc_b, CAST(c.n_pairs AS BIGINT) AS n_pairs, CAST(c.n_objects AS BIGINT) AS n_objects,
       CAST(d.n_posts_a AS BIGINT) AS n_posts_a, CAST(d.n_posts_b AS BIGINT) AS n_posts_b,
       CAST(c.strength AS DOUBLE) AS strength, CAST(d.median_dt_s AS DOUBLE) AS median_dt_s
FROM (
  SELECT acc_a, acc_b, sum(n) AS n_pairs, count(*) AS n_objects,
         CAST(sum(CAST(floor(o.weight * {_FIXED} + 0.5) AS BIGINT)) AS DOUBLE) / {_FIXED} AS strength
  FROM (SELECT acc_a, acc_b, obj, count(*) AS n FROM {p}_multi GROUP BY acc_a, acc_b, obj) AS per_obj
  JOIN {p}_obj AS o ON o.obj = per_obj.obj
  GROUP BY acc_a, acc_b
) AS c
JOIN (
  SELECT acc_a, acc_b, count(DISTINCT pid_a) AS n_posts_a, count(DISTINCT pid_b) AS n_posts_b,
         median(abs(t_b - t_a)) / 1e6 AS median_dt_s
  FROM {p}_multi GROUP BY acc_a, acc_b
) AS d ON d.acc_a = c.acc_a AND d.acc_b = c.acc_b
WHERE c.{count_column} >= {min_count}"""
    )
    e.drop(f"{p}_multi")
    if min_count > 1:
        return _sorted_by_pair(multi, n_accounts)
    # The pairs that co-act once: fetched bare (no join, no constant columns), their object's
    # weight looked up here; most edges are these, and every fetched column costs.
    single = e.fetch_arrow(
        f"SELECT acc_a, acc_b, obj, CAST(dt / 1e6 AS DOUBLE) AS median_dt_s FROM {p}_agg WHERE n = 1"
    )
    obj = e.fetch_arrow(f"SELECT obj, CAST(weight AS DOUBLE) AS weight FROM {p}_obj")
    return _merge_sorted(single, multi, obj, n_accounts)


def _edge_stats_local(e: Any, p: str, count_column: str, min_count: int, n_accounts: int) -> pa.Table:
    """:func:`_edge_stats` by :func:`~lockstep.detect._pair_stats.group_pair_stats` on the fetched co-actions."""
    x = e.fetch_arrow(f"SELECT acc_a, acc_b, obj, pid_a, pid_b, abs(t_b - t_a) AS dt FROM {p}_pairs")
    cols = {name: _numpy(x[name], np.int64) for name in x.column_names}
    del x
    return _group_locally(e, p, cols, count_column, min_count, n_accounts)


def _group_locally(e: Any, p: str, pairs: dict[str, np.ndarray], count_column: str, min_count: int,
                   n_accounts: int) -> pa.Table:
    """Candidate edges (``_CAND_SCHEMA``) of co-actions held as arrays (``band_pairs``' columns)."""
    from lockstep.detect._pair_stats import group_pair_stats

    if pairs["obj"].size == 0:
        return _CAND_SCHEMA.empty_table()
    fixed = _weights_fixed(e.fetch_arrow(f"SELECT obj, CAST(weight AS DOUBLE) AS weight FROM {p}_obj"))
    st = group_pair_stats(pairs["acc_a"], pairs["acc_b"], pairs["obj"], pairs["pid_a"], pairs["pid_b"], pairs["dt"],
                          fixed, n_accounts=n_accounts, min_count=min_count, count_column=count_column)
    pairs.clear()
    return pa.table({
        "acc_a": st["acc_a"], "acc_b": st["acc_b"], "n_pairs": st["n_pairs"], "n_objects": st["n_objects"],
        "n_posts_a": st["n_posts_a"], "n_posts_b": st["n_posts_b"],
        "strength": st["strength_fixed"].astype(np.float64) / _FIXED, "median_dt_s": st["median_dt_us"] / 1e6,
    }, schema=_CAND_SCHEMA)


def _numpy(col: pa.ChunkedArray | pa.Array, dtype: Any) -> np.ndarray:
    if isinstance(col, pa.ChunkedArray) and col.num_chunks == 0:
        return np.zeros(0, dtype)
    return np.asarray(col.to_numpy(), dtype=dtype)


def _merge_sorted(single: pa.Table, multi: pa.Table, obj: pa.Table, n_accounts: int) -> pa.Table:
    """The candidates (``single``: pairs with one co-action, ``multi``: the others, all columns)
    as one table in the order of ``ORDER BY acc_a, acc_b``.

    One packed integer sort of every pair; the four counts are 1 for the single pairs, so only
    strength and the median are reordered, and the multi pairs' counts written where they land.
    """
    ns, nm = single.num_rows, multi.num_rows
    n = ns + nm
    if n == 0:
        return _CAND_SCHEMA.empty_table()
    a = np.concatenate([_numpy(single["acc_a"], np.int64), _numpy(multi["acc_a"], np.int64)])
    b = np.concatenate([_numpy(single["acc_b"], np.int64), _numpy(multi["acc_b"], np.int64)])
    layout = pair_key_layout(a, b, n_accounts)
    if layout is None:
        weight = _weights(obj)
        ones = pa.array(np.ones(ns, np.int64))
        single_cand = pa.table({
            "acc_a": single["acc_a"], "acc_b": single["acc_b"], "n_pairs": ones, "n_objects": ones,
            "n_posts_a": ones, "n_posts_b": ones,
            "strength": pa.array(weight[_numpy(single["obj"], np.int64)]), "median_dt_s": single["median_dt_s"],
        }, schema=_CAND_SCHEMA)
        return _sorted_by_pair(pa.concat_tables([single_cand, multi.cast(_CAND_SCHEMA)]), n_accounts)
    m, row_bits = layout
    key = a * m + b
    del a, b
    packed = _sort_int64((key << np.int64(row_bits)) | np.arange(n, dtype=np.int64))
    del key
    order = packed & np.int64((1 << row_bits) - 1)
    key = packed >> np.int64(row_bits)
    del packed
    weight = _weights(obj)
    strength = np.concatenate([weight[_numpy(single["obj"], np.int64)], _numpy(multi["strength"], np.float64)])[order]
    median = np.concatenate([_numpy(single["median_dt_s"], np.float64), _numpy(multi["median_dt_s"], np.float64)])[order]
    # Where each multi pair landed, and which one it is.
    at = np.flatnonzero(order >= ns)
    which = order[at] - ns
    cols: dict[str, Any] = {"acc_a": key // m, "acc_b": key % m}
    for name in ("n_pairs", "n_objects", "n_posts_a", "n_posts_b"):
        v = np.ones(n, np.int64)
        v[at] = _numpy(multi[name], np.int64)[which]
        cols[name] = v
    cols["strength"] = strength
    cols["median_dt_s"] = median
    return pa.table({k: pa.array(v) for k, v in cols.items()}, schema=_CAND_SCHEMA)


def _weights(obj: pa.Table) -> np.ndarray:
    """Object weights indexed by ``obj`` (0..n-1 on every engine: row_number over the objects),
    rounded to the fixed point of ``strength`` (see :data:`_FIXED`)."""
    return _weights_fixed(obj) / _FIXED


def _weights_fixed(obj: pa.Table) -> np.ndarray:
    """The same as integers: each weight in units of 2⁻⁴⁰, as the engines sum them."""
    w = np.zeros(obj.num_rows, np.int64)
    if obj.num_rows:
        w[_numpy(obj["obj"], np.int64)] = np.floor(_numpy(obj["weight"], np.float64) * _FIXED + 0.5)
    return w


def auto_window_local(cols: dict[str, np.ndarray], *, share: float = 0.5, quantile: float = 0.1) -> float:
    """:func:`auto_window` from the shared actions held here, sorted by object and time (the same
    value: a test compares them)."""
    from lockstep.detect._pair_stats import quantile_cont, share_times

    return _window_of(quantile_cont(share_times(cols["obj"], cols["t"], share), quantile))


def _window_of(v: float | None) -> float:
    """Seconds of the quantile ``v`` (µs): rounded up, within [1 s, 1 h]; 60 s when there is none."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return 60.0
    return float(min(3600.0, max(1.0, math.ceil(v / 1e6))))


def auto_window(ctx: Any, p: str, *, share: float = 0.5, quantile: float = 0.1) -> float:
    """CooRnet-style window: how fast the fastest objects reach half of their actions.

    For every object with actions by at least two accounts, the time from its first action to the
    action at ``share`` of its total; the window is the ``quantile`` of those times over objects,
    rounded up to whole seconds and kept within [1 s, 1 h].
    """
    v = ctx.engine.scalar(
        f"""WITH r AS (
  SELECT r.object, r.t, row_number() OVER (PARTITION BY r.object ORDER BY r.t, r.pid) AS rn,
         count(*) OVER (PARTITION BY r.object) AS n, min(r.t) OVER (PARTITION BY r.object) AS t0
  FROM {p}_raw AS r JOIN {p}_obj AS o ON o.object = r.object WHERE o.n_accounts >= 2
)
SELECT {ctx.engine.quantile("dt", quantile)} FROM (
  SELECT object, max(t - t0) AS dt FROM r WHERE rn <= greatest(2, ceil(n * {share})) GROUP BY object
) AS d"""
    )
    return _window_of(v)
