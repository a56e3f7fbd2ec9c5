"""near-text: accounts posting near-identical texts within the window (CNT's co_similar_tweet).

Linear in posts, never all pairs: each text becomes a set of word tokens, a MinHash signature
(``num_perm`` seeded permutations) and ``bands`` LSH keys. Two posts whose texts share a band key
are candidates; each LSH band key is an object for the shared windowed pair counting, and the
candidate post pairs are then verified with the exact Jaccard similarity of their token sets.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from lockstep.detect._base import Detector, Interval, Options

__all__ = ["NearText", "lsh_bands"]


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

    def _tokens_sql(self, ctx: Any) -> str:
        where = "text_norm IS NOT NULL" + ("" if self.include_reposts else " AND kind <> 'repost'")
        return (
            # Word tokens: runs of letters, digits and underscores (any script).
            r"SELECT pid, acc, t, list_distinct(regexp_extract_all(text_norm, '[\p{L}\p{N}_]+')) AS toks "
            f"FROM {ctx.posts} WHERE {where}"
        )

    def prepare(self, ctx: Any) -> None:
        e = ctx.engine
        p = "ls_near_text"
        # Tokens once, materialised: filtering on array_length(toks) in the same statement would have the
        # engine tokenise every text twice.
        e.create_table(f"{p}_docs0", self._tokens_sql(ctx))
        e.create_table(
            f"{p}_docs", f"SELECT pid, acc, t, array_length(toks) AS n_tok FROM {p}_docs0 WHERE array_length(toks) >= {int(self.min_tokens)}"
        )
        e.create_table(
            f"{p}_tok",
            f"SELECT pid, unnest(toks) AS tok, array_length(toks) AS n_tok FROM {p}_docs0 WHERE array_length(toks) >= {int(self.min_tokens)}",
        )
        e.drop(f"{p}_docs0")
        tok = e.fetch_arrow(f"SELECT pid, {e.hash64('tok')} AS h FROM {p}_tok ORDER BY pid")
        docs = e.fetch_arrow(f"SELECT pid, acc, t FROM {p}_docs ORDER BY pid")
        keys = self._band_keys(tok, docs.num_rows, self.seed_)
        bands = keys.shape[1]
        flat = keys.reshape(-1)
        # Most texts share no band with any other: drop band keys seen once before the engine
        # has to group them (12 keys a post otherwise).
        import polars as pl

        keep = pl.Series(flat).is_duplicated().to_numpy()
        e.register_arrow(
            f"{p}_bands",
            pa.table({
                "pid": np.repeat(docs["pid"].to_numpy(), bands)[keep],
                "acc": np.repeat(docs["acc"].to_numpy(), bands)[keep],
                "t": np.repeat(docs["t"].to_numpy(), bands)[keep],
                "object": flat[keep],
            }),
        )

    def _band_keys(self, tok: pa.Table, n_docs: int, seed: int) -> np.ndarray:
        bands, rows = lsh_bands(float(self.threshold), int(self.num_perm))
        if n_docs == 0:
            return np.zeros((0, bands), dtype=np.int64)
        pid = tok["pid"].to_numpy()
        x = tok["h"].to_numpy().astype(np.uint64)
        starts = np.flatnonzero(np.r_[True, pid[1:] != pid[:-1]])
        rng = np.random.default_rng(seed)
        # Multiply-shift hashing (wrapping 64-bit a·x + b, top 32 bits): a universal family that
        # needs no modulo, which numpy computes slowly on 64-bit integers.
        a = rng.integers(1, 2**63, size=bands * rows, dtype=np.uint64) | np.uint64(1)
        b = rng.integers(0, 2**63, size=bands * rows, dtype=np.uint64)
        mix = rng.integers(1, 2**62, size=rows, dtype=np.uint64) | np.uint64(1)
        shift = np.uint64(32)
        out = np.empty((starts.size, bands), dtype=np.int64)
        with np.errstate(over="ignore"):
            for band in range(bands):
                key = np.zeros(starts.size, dtype=np.uint64)
                for r in range(rows):
                    k = band * rows + r
                    sig = np.minimum.reduceat((a[k] * x + b[k]) >> shift, starts)
                    key = key * mix[r] + sig  # wraps mod 2^64 on purpose: a hash of the row tuple
                # The band number goes in the top byte so equal rows in different bands differ.
                out[:, band] = ((key >> np.uint64(8)) | (np.uint64(band) << np.uint64(56))).view(np.int64)
        return out

    def actions_sql(self, ctx: Any) -> str:
        return "SELECT pid, acc, t, object, CAST(NULL AS BIGINT) AS t_origin FROM ls_near_text_bands"

    def refine_pairs(self, ctx: Any, pairs_table: str) -> None:
        e = ctx.engine
        p = "ls_near_text"
        # Candidates share at least one band; keep the pairs whose exact Jaccard reaches the threshold,
        # once each (a pair found in several bands keeps its first band as its object).
        e.create_table(
            f"{p}_cand_posts",
            f"SELECT DISTINCT pid_a, pid_b FROM {pairs_table}",
        )
        e.create_table(
            f"{p}_similar",
            f"""SELECT c.pid_a, c.pid_b FROM {p}_cand_posts AS c
JOIN {p}_tok AS ta ON ta.pid = c.pid_a
JOIN {p}_tok AS tb ON tb.pid = c.pid_b AND tb.tok = ta.tok
GROUP BY c.pid_a, c.pid_b
HAVING count(*) >= {float(self.threshold)} * (min(ta.n_tok) + min(tb.n_tok) - count(*)) - 1e-9""",
        )
        e.create_table(
            f"{pairs_table}_v",
            f"""SELECT x.acc_a, x.acc_b, x.pid_a, x.pid_b, x.t_a, x.t_b, min(x.obj) AS obj
FROM {pairs_table} AS x JOIN {p}_similar AS s ON s.pid_a = x.pid_a AND s.pid_b = x.pid_b
GROUP BY x.acc_a, x.acc_b, x.pid_a, x.pid_b, x.t_a, x.t_b""",
        )
        e.create_table(pairs_table, f"SELECT * FROM {pairs_table}_v")
        e.drop(f"{pairs_table}_v")

    def object_label_sql(self, obj_col: str) -> str:
        # The object is an LSH band key; show the first post's text instead.
        return "pa.text_norm"
