"""Per account pair statistics of the co-actions, computed in this process (numba).

The engine-neutral way (``_pairs._edge_stats``) groups the co-action table by account pair in
SQL: a hash aggregate over every co-action, a join back for the pairs that co-act more than
once, and two fetches. Where the engine runs in this process (DuckDB), fetching the co-actions
once and grouping them here is ~3x faster on millions of them: one integer sort puts each pair's
co-actions together, and one compiled pass counts them. Most pairs co-act once; the few that
co-act more often sort their handful of objects, posts and delays in place. The results are the
SQL's, bit for bit (strength is a fixed-point integer sum; the median interpolates as DuckDB's
``quantile_cont`` does), which a test checks on random co-actions.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

try:
    from numba import njit, prange
except ImportError:  # pragma: no cover - numba is a dependency
    def njit(*args: Any, **kwargs: Any) -> Any:
        return args[0] if args and callable(args[0]) else (lambda f: f)

    prange = range

__all__ = ["band_pairs", "count_band_pairs", "frequent_band_pairs", "group_pair_stats", "object_window_pairs",
           "share_times"]

#: One parallel kernel at a time: numba's default threading layer (workqueue) aborts the process
#: when two threads launch parallel kernels at once (a library user running detectors in threads).
_PARALLEL = threading.Lock()


@njit(cache=True, nogil=True)
def _n_distinct_sorted(x: np.ndarray) -> int:  # pragma: no cover - compiled
    k = 1
    for i in range(1, x.size):
        if x[i] != x[i - 1]:
            k += 1
    return k


@njit(cache=True, nogil=True)
def _pack(acc_a: np.ndarray, acc_b: np.ndarray, m: int, row_bits: int) -> np.ndarray:  # pragma: no cover - compiled
    """``(acc_a * m + acc_b) << row_bits | row``: the pair key and the row in one integer."""
    out = np.empty(acc_a.size, np.int64)
    for i in range(acc_a.size):
        out[i] = ((acc_a[i] * m + acc_b[i]) << row_bits) | i
    return out


@njit(cache=True, nogil=True)
def _run_starts(key: np.ndarray, shift: int) -> np.ndarray:  # pragma: no cover - compiled
    """Where each run of equal ``key >> shift`` (``key`` sorted) starts, and ``key.size`` last."""
    n = key.size
    k = 0
    for i in range(n):
        if i == 0 or (key[i] >> shift) != (key[i - 1] >> shift):
            k += 1
    starts = np.empty(k + 1, np.int64)
    k = 0
    for i in range(n):
        if i == 0 or (key[i] >> shift) != (key[i - 1] >> shift):
            starts[k] = i
            k += 1
    starts[k] = n
    return starts


@njit(cache=True, parallel=True)
def _group_stats(
    starts: np.ndarray, rows: np.ndarray, row_mask: int, obj: np.ndarray, pid_a: np.ndarray, pid_b: np.ndarray,
    dt: np.ndarray, weight_fixed: np.ndarray,
) -> tuple[np.ndarray, ...]:  # pragma: no cover - compiled
    """Statistics of each group ``rows[starts[g]:starts[g + 1]] & row_mask`` of co-action rows
    (``rows``: the sorted packed keys, or the row numbers themselves with ``row_mask`` -1).

    Groups are independent, so they run in parallel (the rows are read in random order: the
    time goes into memory latency, which two threads hide better than one).
    """
    n_groups = starts.size - 1
    n_pairs = np.empty(n_groups, np.int64)
    n_objects = np.empty(n_groups, np.int64)
    n_posts_a = np.empty(n_groups, np.int64)
    n_posts_b = np.empty(n_groups, np.int64)
    strength = np.empty(n_groups, np.int64)
    median_us = np.empty(n_groups, np.float64)
    for g in prange(n_groups):
        start = starts[g]
        size = starts[g + 1] - start
        n_pairs[g] = size
        if size == 1:
            r = rows[start] & row_mask
            n_objects[g] = 1
            n_posts_a[g] = 1
            n_posts_b[g] = 1
            strength[g] = weight_fixed[obj[r]]
            median_us[g] = float(dt[r])
            continue
        o = np.empty(size, np.int64)
        a = np.empty(size, np.int64)
        b = np.empty(size, np.int64)
        d = np.empty(size, np.int64)
        for j in range(size):
            r = rows[start + j] & row_mask
            o[j] = obj[r]
            a[j] = pid_a[r]
            b[j] = pid_b[r]
            d[j] = dt[r]
        o.sort()
        k = 1
        fixed = weight_fixed[o[0]]
        for j in range(1, size):
            if o[j] != o[j - 1]:
                k += 1
                fixed += weight_fixed[o[j]]
        n_objects[g] = k
        strength[g] = fixed
        a.sort()
        b.sort()
        n_posts_a[g] = _n_distinct_sorted(a)
        n_posts_b[g] = _n_distinct_sorted(b)
        d.sort()
        if size % 2 == 1:
            median_us[g] = float(d[size // 2])
        else:
            # DuckDB's quantile_cont interpolation, lo + 0.5 * (hi - lo), for the same bits.
            lo = float(d[size // 2 - 1])
            median_us[g] = lo + 0.5 * (float(d[size // 2]) - lo)
    return n_pairs, n_objects, n_posts_a, n_posts_b, strength, median_us


@njit(cache=True, nogil=True)
def _band_pairs(obj: np.ndarray, t: np.ndarray, acc: np.ndarray, pid: np.ndarray, w_us: int,
                fill: bool, out: tuple[np.ndarray, ...]) -> int:  # pragma: no cover - compiled
    """Count (``fill`` false) or write the in-window pairs of actions sorted by (object, time)."""
    acc_a, acc_b, obj_out, pid_a, pid_b, dt = out
    n = obj.size
    k = 0
    for i in range(n):
        j = i + 1
        while j < n and obj[j] == obj[i] and t[j] - t[i] <= w_us:
            if acc[j] != acc[i]:
                if fill:
                    x, y = (i, j) if acc[i] < acc[j] else (j, i)
                    acc_a[k] = acc[x]
                    acc_b[k] = acc[y]
                    obj_out[k] = obj[i]
                    pid_a[k] = pid[x]
                    pid_b[k] = pid[y]
                    dt[k] = t[j] - t[i]
                k += 1
            j += 1
    return k


_BAND_COLUMNS = ("acc_a", "acc_b", "obj", "pid_a", "pid_b", "dt")


def count_band_pairs(obj: np.ndarray, t: np.ndarray, acc: np.ndarray, w_us: int) -> int:
    """How many pairs :func:`band_pairs` would return (nothing allocated for them)."""
    empty = tuple(np.empty(0, np.int64) for _ in _BAND_COLUMNS)
    return int(_band_pairs(obj, t, acc, acc, int(w_us), False, empty))


def band_pairs(obj: np.ndarray, t: np.ndarray, acc: np.ndarray, pid: np.ndarray, w_us: int,
               n_pairs: int | None = None) -> dict[str, np.ndarray]:
    """Every pair of actions on one object by two accounts at most ``w_us`` apart, each once.

    The local form of the band join of :mod:`._pairs` (the same pairs): the actions (int64
    arrays) sorted by object and time, each paired with the later actions of its object inside
    the window. Returns ``acc_a < acc_b``, ``obj``, ``pid_a``, ``pid_b`` (the posts on each
    side) and ``dt`` (``|Δt|``, µs). ``n_pairs``: :func:`count_band_pairs` of the same actions,
    when the caller already has it.
    """
    n = count_band_pairs(obj, t, acc, w_us) if n_pairs is None else int(n_pairs)
    out = tuple(np.empty(n, np.int64) for _ in _BAND_COLUMNS)
    _band_pairs(obj, t, acc, pid, int(w_us), True, out)
    return dict(zip(_BAND_COLUMNS, out, strict=True))


@njit(cache=True, nogil=True)
def _slot(a: int, b: int, mask: np.uint64) -> int:  # pragma: no cover - compiled
    """A counter slot of the account pair ``(a, b)`` (a multiplicative hash)."""
    h = np.uint64(a) * np.uint64(0x9E3779B97F4A7C15) ^ np.uint64(b) * np.uint64(0xC2B2AE3D27D4EB4F)
    h ^= h >> np.uint64(31)
    return h & mask


@njit(cache=True, nogil=True)
def _count_in_slots(obj: np.ndarray, t: np.ndarray, acc: np.ndarray, w_us: int,
                    counts: np.ndarray) -> int:  # pragma: no cover - compiled
    """Add each in-window pair to its account pair's slot of ``counts`` (saturating at 255);
    returns how many pairs there are."""
    mask = np.uint64(counts.size - 1)
    n = obj.size
    k = 0
    for i in range(n):
        j = i + 1
        while j < n and obj[j] == obj[i] and t[j] - t[i] <= w_us:
            if acc[j] != acc[i]:
                s = _slot(min(acc[i], acc[j]), max(acc[i], acc[j]), mask)
                if counts[s] < 255:
                    counts[s] += 1
                k += 1
            j += 1
    return k


@njit(cache=True, nogil=True)
def _band_pairs_in_slots(obj: np.ndarray, t: np.ndarray, acc: np.ndarray, pid: np.ndarray, w_us: int,
                         counts: np.ndarray, threshold: int, fill: bool,
                         out: tuple[np.ndarray, ...]) -> int:  # pragma: no cover - compiled
    """Count or write the in-window pairs whose account pair's slot holds at least ``threshold``."""
    acc_a, acc_b, obj_out, pid_a, pid_b, t_a, t_b = out
    mask = np.uint64(counts.size - 1)
    n = obj.size
    k = 0
    for i in range(n):
        j = i + 1
        while j < n and obj[j] == obj[i] and t[j] - t[i] <= w_us:
            if acc[j] != acc[i]:
                x, y = (i, j) if acc[i] < acc[j] else (j, i)
                if counts[_slot(acc[x], acc[y], mask)] >= threshold:
                    if fill:
                        acc_a[k] = acc[x]
                        acc_b[k] = acc[y]
                        obj_out[k] = obj[i]
                        pid_a[k] = pid[x]
                        pid_b[k] = pid[y]
                        t_a[k] = t[x]
                        t_b[k] = t[y]
                    k += 1
            j += 1
    return k


@njit(cache=True, nogil=True)
def _object_window_pairs(obj: np.ndarray, t: np.ndarray, w_us: int) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """Per object (actions sorted by object and time): how many pairs of its actions, of any
    accounts, fall at most ``w_us`` apart. Two pointers: linear in the actions."""
    starts = _run_starts(obj, 0)
    counts = np.zeros(starts.size - 1, np.int64)
    for g in range(starts.size - 1):
        end = starts[g + 1]
        j = starts[g]
        for i in range(starts[g], end):
            if j <= i:
                j = i + 1
            while j < end and t[j] - t[i] <= w_us:
                j += 1
            counts[g] += j - i - 1
    return obj[starts[:-1]], counts


def object_window_pairs(obj: np.ndarray, t: np.ndarray, w_us: int) -> tuple[np.ndarray, np.ndarray]:
    """``(objects, pairs)``: each object of the actions (sorted by object and time) and its
    in-window pairs of actions, whoever made them (what the heavy-object guard counts)."""
    return _object_window_pairs(obj, t, int(w_us))


@njit(cache=True, nogil=True)
def _share_times(obj: np.ndarray, t: np.ndarray, share: float) -> np.ndarray:  # pragma: no cover - compiled
    """Per object (actions sorted by object and time): the time from its first action to its
    action at ``share`` of them (rank ``max(2, ceil(n * share))``)."""
    starts = _run_starts(obj, 0)
    out = np.empty(starts.size - 1, np.int64)
    for g in range(starts.size - 1):
        start, n = starts[g], starts[g + 1] - starts[g]
        k = max(2, int(np.ceil(n * share)))
        out[g] = t[start + min(k, n) - 1] - t[start]
    return out


def share_times(obj: np.ndarray, t: np.ndarray, share: float) -> np.ndarray:
    """Per object of the actions (sorted by object and time), how long it took to reach ``share``
    of its actions (at least two): what ``auto_window`` takes a quantile of."""
    return _share_times(obj, t, float(share))


def quantile_cont(values: np.ndarray, q: float) -> float | None:
    """DuckDB's ``quantile_cont`` of integers, bit for bit: the sorted values at ``floor`` and
    ``ceil`` of ``(n - 1) q`` as doubles, interpolated as its build computes
    ``lo * (1 - d) + hi * d``, i.e. with one fused multiply-add (a test compares them)."""
    from fractions import Fraction

    if values.size == 0:
        return None
    v = np.sort(values)
    pos = (v.size - 1) * float(q)
    i, j = int(np.floor(pos)), int(np.ceil(pos))
    lo, hi, d = float(v[i]), float(v[j]), pos - i
    if i == j:
        return lo
    return float(Fraction(lo) * Fraction(1.0 - d) + Fraction(hi * d))  # fma(lo, 1 - d, hi * d)


_FREQUENT_COLUMNS = ("acc_a", "acc_b", "obj", "pid_a", "pid_b", "t_a", "t_b")
#: Counter slots of :func:`frequent_band_pairs` at most (one byte each).
MAX_SLOTS = 1 << 28


def frequent_band_pairs(obj: np.ndarray, t: np.ndarray, acc: np.ndarray, pid: np.ndarray, w_us: int,
                        min_count: int, max_pairs: int | None = None) -> tuple[dict[str, np.ndarray] | None, int]:
    """The pairs of :func:`band_pairs` whose two accounts have at least ``min_count`` of them,
    and how many pairs there are in all; nothing is allocated for the others. None instead of
    the pairs when more than ``max_pairs`` would be written (nothing is allocated for them).

    A signal whose one object is the clock (``synchronous``) pairs nearly every post with its
    neighbours in time: 10M posts make ~100M in-window pairs, nearly all of them between
    accounts that meet once or twice, which no test would keep (``min_count``). The pairs are
    counted twice without being stored: first into one-byte counters, one per hashed account
    pair (a slot holds at least its pair's count: colliding pairs only add to it), then only
    pairs whose slot reaches ``min_count`` are written. Those are then counted exactly and the
    pairs under ``min_count`` that came in through a shared slot dropped. Returns the account
    pairs ``acc_a < acc_b``, ``obj``, the two posts and their times, in the order of
    :func:`band_pairs`.
    """
    min_count = max(1, int(min_count))
    n_all = count_band_pairs(obj, t, acc, w_us)
    n_slots = 1 << max(10, min(MAX_SLOTS.bit_length() - 1, (2 * max(n_all, 1) - 1).bit_length()))
    counts = np.zeros(n_slots, np.uint8)
    _count_in_slots(obj, t, acc, int(w_us), counts)
    threshold = min(min_count, 255)  # a saturated slot holds 255 or more
    empty = tuple(np.empty(0, np.int64) for _ in _FREQUENT_COLUMNS)
    n = _band_pairs_in_slots(obj, t, acc, pid, int(w_us), counts, threshold, False, empty)
    if max_pairs is not None and n > max_pairs:
        return None, n_all
    out = tuple(np.empty(n, np.int64) for _ in _FREQUENT_COLUMNS)
    _band_pairs_in_slots(obj, t, acc, pid, int(w_us), counts, threshold, True, out)
    del counts
    cols = dict(zip(_FREQUENT_COLUMNS, out, strict=True))
    if n:
        # Exact counts of the few pairs written: keep those with min_count or more.
        a, b = cols["acc_a"], cols["acc_b"]
        m = int(b.max()) + 1
        key = a * m + b if (int(a.max()) + 1) * m <= 1 << 62 else np.stack([a, b], axis=1)
        _, inverse, per_pair = np.unique(key, axis=0, return_inverse=True, return_counts=True)
        keep = per_pair[inverse.reshape(-1)] >= min_count
        if not keep.all():
            cols = {name: v[keep] for name, v in cols.items()}
    return cols, n_all


def group_pair_stats(
    acc_a: np.ndarray, acc_b: np.ndarray, obj: np.ndarray, pid_a: np.ndarray, pid_b: np.ndarray,
    dt_us: np.ndarray, weight_fixed: np.ndarray, *, n_accounts: int, min_count: int, count_column: str,
) -> dict[str, np.ndarray]:
    """Statistics of each account pair's co-actions, pairs in ``(acc_a, acc_b)`` order.

    Parameters
    ----------
    acc_a, acc_b, obj, pid_a, pid_b, dt_us
        One entry per co-action (int64): the two accounts (``acc_a < acc_b``), the object, the two
        posts and ``|t_b - t_a|`` in microseconds.
    weight_fixed
        Each object's inverse-popularity weight in fixed point (an integer number of 2⁻⁴⁰),
        indexed by ``obj``.
    n_accounts, min_count, count_column
        Account ids are below ``n_accounts``; pairs whose ``count_column`` (``n_pairs`` or
        ``n_objects``) is under ``min_count`` are left out.

    Returns
    -------
    dict of arrays: ``acc_a, acc_b, n_pairs, n_objects, n_posts_a, n_posts_b``, ``strength_fixed``
    (the summed weights of the distinct objects, fixed point) and ``median_dt_us``.
    """
    from lockstep.detect._pairs import _sort_int64, pair_key_layout

    n = acc_a.size
    layout = pair_key_layout(acc_a, acc_b, n_accounts)
    if layout is not None:
        m, row_bits = layout
        # One sort of (pair key, row) packed into an integer: pairs together, rows in order.
        rows = _sort_int64(_pack(acc_a, acc_b, m, row_bits))
        starts = _run_starts(rows, row_bits)
        key = rows[starts[:-1]] >> np.int64(row_bits)
        a, b = key // m, key % m
        row_mask = (1 << row_bits) - 1
    else:
        # Pair keys too wide for one integer: sorted row numbers, runs found on the two columns.
        rows = np.lexsort((acc_b, acc_a))
        a_s, b_s = acc_a[rows], acc_b[rows]
        new = np.ones(n, bool)
        new[1:] = (a_s[1:] != a_s[:-1]) | (b_s[1:] != b_s[:-1])
        starts = _run_starts(np.cumsum(new), 0)
        a, b = a_s[starts[:-1]], b_s[starts[:-1]]
        row_mask = -1
    with _PARALLEL:
        n_pairs, n_objects, n_posts_a, n_posts_b, strength, median = _group_stats(
            starts, rows, row_mask, obj, pid_a, pid_b, dt_us, weight_fixed)
    cols = {"acc_a": a, "acc_b": b, "n_pairs": n_pairs, "n_objects": n_objects, "n_posts_a": n_posts_a,
            "n_posts_b": n_posts_b, "strength_fixed": strength, "median_dt_us": median}
    if min_count > 1:
        keep = cols[count_column] >= min_count
        cols = {name: v[keep] for name, v in cols.items()}
    return cols
