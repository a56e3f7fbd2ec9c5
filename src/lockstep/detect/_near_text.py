"""near-text: accounts posting near-identical texts within the window (CNT's co_similar_tweet).

Linear in posts, never all pairs: each text becomes a set of word tokens, a MinHash signature
(``num_perm`` seeded permutations) and ``bands`` LSH keys. Two posts whose texts share a band key
are candidates; each LSH band key is an object for the shared windowed pair counting, and the
candidate post pairs are then verified with the exact Jaccard similarity of their token sets.

The MinHash work runs locally, between two queries, in compiled code (:mod:`._minhash`): linear in
the texts' words with small constants. Band keys seen once, or only by one account, are dropped
before the engine sees them, and candidates are verified by exact Jaccard in the same code.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from lockstep.detect._base import Detector, Interval, Options

__all__ = ["NearText", "lsh_bands"]

_P = "ls_near_text"


def lsh_bands(threshold: float, num_perm: int, target: float = 0.99) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands · rows ≤ num_perm`` that finds a pair at ``threshold`` with
    probability ≥ ``target`` while letting the fewest dissimilar pairs through.

    Examples
    --------
    >>> lsh_bands(0.8, 64)
    (12, 5)
    """
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if bands == 0:
            break
        if 1 - (1 - threshold**rows) ** bands >= target:
            best = (bands, rows)
    return best


class NearText(Detector):
    """Pair accounts that post near-identical texts (Jaccard ≥ ``threshold``) within ``window``.

    Parameters
    ----------
    threshold : float, default 0.8
        Least Jaccard similarity of the two posts' word sets.
    num_perm : int, default 64
        MinHash permutations; the LSH bands are chosen to find pairs at ``threshold`` with 99 %
        probability (:func:`lsh_bands`).
    min_tokens : int, default 3
        Texts with fewer distinct words are ignored.
    include_reposts : bool, default False
        Compare reposts' text too.
    window, min_count, null, fdr, max_pairs_per_object, evidence
        As :class:`CoRepost`.

    Examples
    --------
    >>> NearText(threshold=0.9)
    NearText(threshold=0.9)
    """

    signal: ClassVar[str] = "near-text"
    description: ClassVar[str] = "posted near-identical text"
    fields: ClassVar[tuple[str, ...]] = ("text_norm",)
    reason: ClassVar[str] = "{n} accounts posted {k} near-identical texts within {dt}"
    object_filter: ClassVar[str] = "object IS NOT NULL"
    # The objects are LSH band keys (one post pair shares several), so the delay null's count of
    # shared objects would not be comparable with the observed count: use the activity null.
    default_null: ClassVar[str] = "activity"
    # MinHash runs in local Python over every token: cheap next to DuckDB, a driver bottleneck on Spark.
    requires: ClassVar[frozenset[str]] = frozenset({"python_udf"})
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "threshold": [Interval(0, 1, closed="right")],
        "num_perm": [Interval(1, 1024, integer=True)],
        "min_tokens": [Interval(1, None, integer=True)],
        "include_reposts": [Options(True, False)],
    }

    def __init__(
        self,
        *,
        threshold: float = 0.8,
        num_perm: int = 64,
        min_tokens: int = 3,
        include_reposts: bool = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.threshold = threshold
        self.num_perm = num_perm
        self.min_tokens = min_tokens
        self.include_reposts = include_reposts

    def _texts_sql(self, ctx: Any) -> str:
        where = "text_norm IS NOT NULL" + ("" if self.include_reposts else " AND kind <> 'repost'")
        return f"SELECT pid, acc, t, text_norm FROM {ctx.posts} WHERE {where}"

    def prepare(self, ctx: Any) -> None:
        e = ctx.engine
        docs = e.fetch_arrow(self._texts_sql(ctx))
        bands, rows = lsh_bands(float(self.threshold), int(self.num_perm))
        from lockstep.detect import _minhash

        toks = _minhash.Tokens.from_texts(docs["text_norm"])
        keep = toks.n_tok >= int(self.min_tokens)
        keys = _minhash.band_keys(toks, keep, bands, rows, self.seed_)
        pid = docs["pid"].to_numpy()[keep]
        acc = docs["acc"].to_numpy()[keep]
        t = docs["t"].to_numpy()[keep]
        # Most texts share no band with any other, or only with the same account's texts: drop
        # those band keys before the engine has to group them (12 keys a text otherwise).
        rows_, band_ = np.nonzero(_minhash.shared_keys(keys, acc.astype(np.int64)))
        acts = pa.table({"pid": pid[rows_], "acc": acc[rows_], "t": t[rows_], "object": keys[rows_, band_]})
        e.register_arrow(f"{_P}_bands", acts)
        # Kept for refine_pairs: each kept text's distinct tokens, found by pid.
        order = np.argsort(pid, kind="stable")
        self._docs = (pid[order], np.flatnonzero(keep)[order], toks)

    def actions_sql(self, ctx: Any) -> str:
        return f"SELECT pid, acc, t, object, CAST(NULL AS BIGINT) AS t_origin FROM {_P}_bands"

    def refine_pairs(self, ctx: Any, pairs_table: str) -> None:
        e = ctx.engine
        # Candidates share at least one band; keep the pairs whose exact Jaccard reaches the
        # threshold, once each (a pair found in several bands keeps its first band as its object).
        cand = e.fetch_arrow(f"SELECT DISTINCT pid_a, pid_b FROM {pairs_table}")
        pids, rows, toks = self._docs
        del self._docs
        pid_a = cand["pid_a"].to_numpy()
        pid_b = cand["pid_b"].to_numpy()
        da = rows[np.searchsorted(pids, pid_a)]
        db = rows[np.searchsorted(pids, pid_b)]
        from lockstep.detect._minhash import intersections

        inter = intersections(toks.tok, toks.starts, da, db, toks.n_vocab)
        union = toks.n_tok[da] + toks.n_tok[db] - inter
        ok = inter >= float(self.threshold) * union - 1e-9
        e.register_arrow(f"{_P}_similar", pa.table({"pid_a": pid_a[ok], "pid_b": pid_b[ok]}))
        e.create_table(
            f"{pairs_table}_v",
            f"""SELECT x.acc_a, x.acc_b, x.pid_a, x.pid_b, x.t_a, x.t_b, min(x.obj) AS obj
FROM {pairs_table} AS x JOIN {_P}_similar AS s ON s.pid_a = x.pid_a AND s.pid_b = x.pid_b
GROUP BY x.acc_a, x.acc_b, x.pid_a, x.pid_b, x.t_a, x.t_b""",
        )
        e.create_table(pairs_table, f"SELECT * FROM {pairs_table}_v")
        e.drop(f"{pairs_table}_v")

    def object_label_sql(self, obj_col: str) -> str:
        # The object is an LSH band key; show the first post's text instead.
        return "pa.text_norm"
