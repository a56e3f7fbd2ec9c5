"""MinHash-LSH for near-text: tokens, signatures, band keys and exact Jaccard, compiled with numba.

Imported only when near-text runs (numba takes most of a second to import): ``lockstep --help``
and the other signals never load it.

Texts are tokenised once (a compiled scan for ASCII text; Polars' Rust regex for the rest), each
token hashed once (FNV-1a on its UTF-8 bytes, then mixed: independent of any library's version),
numbered densely, and each distinct token's ``num_perm`` permuted values computed once (a
vocabulary × permutations table). A text's signature is then the column-wise minimum of its
tokens' rows; band keys hash ``rows`` consecutive minima. Without numba the same functions run
as plain Python: correct, but slow.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

try:
    from numba import njit
except ImportError:  # pragma: no cover - numba is a dependency
    def njit(*args: Any, **kwargs: Any) -> Any:
        return (lambda f: f) if not args or not callable(args[0]) else args[0]

__all__ = ["TOKEN_PATTERN", "Tokens", "band_keys", "intersections", "shared_keys"]

#: Word tokens: runs of letters, digits and underscores (any script).
TOKEN_PATTERN = r"[\p{L}\p{N}_]+"


_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


@njit(cache=True, nogil=True, inline="always")
def _mix64(h: np.uint64) -> np.uint64:  # pragma: no cover - compiled
    # splitmix64's finaliser: FNV-1a alone leaves the low bits of short tokens poorly mixed.
    h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


@njit(cache=True, nogil=True, inline="always")
def _is_word_byte(c: np.uint8) -> bool:  # pragma: no cover - compiled
    return (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122) or c == 95


@njit(cache=True, nogil=True)
def _ascii_token_counts(data: np.ndarray, offsets: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """Word tokens per text, or -1 for a text with non-ASCII bytes (left to the regex)."""
    n = offsets.size - 1
    out = np.zeros(n, np.int64)
    for i in range(n):
        c_prev = False
        k = 0
        for j in range(offsets[i], offsets[i + 1]):
            c = data[j]
            if c >= 128:
                k = -1
                break
            w = _is_word_byte(c)
            if w and not c_prev:
                k += 1
            c_prev = w
        out[i] = k
    return out


@njit(cache=True, nogil=True)
def _ascii_token_hashes(
    data: np.ndarray, offsets: np.ndarray, ascii: np.ndarray, starts: np.ndarray, out: np.ndarray
) -> None:  # pragma: no cover - compiled
    """Hashes (FNV-1a, mixed) of the word tokens of the ASCII texts, at ``out[starts[i]:]``."""
    for i in range(offsets.size - 1):
        if not ascii[i]:
            continue
        k = starts[i]
        h = _FNV_OFFSET
        inside = False
        for j in range(offsets[i], offsets[i + 1]):
            c = data[j]
            if _is_word_byte(c):
                h = (h ^ np.uint64(c)) * _FNV_PRIME
                inside = True
            elif inside:
                out[k] = _mix64(h)
                k += 1
                h = _FNV_OFFSET
                inside = False
        if inside:
            out[k] = _mix64(h)


@njit(cache=True, nogil=True)
def _string_hashes(data: np.ndarray, offsets: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """The same hash of whole strings (tokens the regex found in non-ASCII texts)."""
    out = np.empty(offsets.size - 1, np.uint64)
    for i in range(offsets.size - 1):
        h = _FNV_OFFSET
        for j in range(offsets[i], offsets[i + 1]):
            h = (h ^ np.uint64(data[j])) * _FNV_PRIME
        out[i] = _mix64(h)
    return out


def _buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """``(data bytes, offsets)`` of a string array, as numpy views (large_string layout)."""
    arr = arr.cast(pa.large_string())
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    buf = arr.buffers()[2]
    data = np.frombuffer(buf, dtype=np.uint8) if buf is not None else np.zeros(0, np.uint8)
    return data, offsets


def _token_hashes(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Every word token of every text, hashed: ``(hashes, starts)`` in CSR form.

    A compiled scan tokenises ASCII texts; texts with other bytes go through the regex
    (``TOKEN_PATTERN``, Polars). Both hash a token's UTF-8 bytes the same way, independent of
    any library's version.
    """
    data, offsets = _buffers(texts)
    counts = _ascii_token_counts(data, offsets)
    ascii = counts >= 0
    other = np.flatnonzero(~ascii)
    other_hashes = np.zeros(0, np.uint64)
    if other.size:
        import polars as pl

        lists = pl.Series(values=texts.take(pa.array(other))).str.extract_all(TOKEN_PATTERN)
        counts[other] = lists.list.len().fill_null(0).to_numpy()
        # An empty list explodes to one null: drop those (tokens themselves are never null).
        toks = lists.explode().drop_nulls().to_arrow()
        if isinstance(toks, pa.ChunkedArray):
            toks = toks.combine_chunks()
        other_hashes = _string_hashes(*_buffers(toks))
    starts = np.zeros(counts.size + 1, np.int64)
    np.cumsum(counts, out=starts[1:])
    h = np.empty(int(starts[-1]), np.uint64)
    _ascii_token_hashes(data, offsets, ascii, starts, h)
    if other.size:
        n = counts[other]
        first = np.repeat(starts[other] - np.r_[0, np.cumsum(n)[:-1]], n)
        h[first + np.arange(int(n.sum()))] = other_hashes
    return h, starts


@njit(cache=True, nogil=True)
def _dense_ids(h: np.ndarray, vocab: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """Index of each hash ``h[i]`` in ``vocab`` (distinct hashes), by open addressing."""
    cap = 1
    while cap < 2 * vocab.size + 2:
        cap *= 2
    mask = np.uint64(cap - 1)
    slot_key = np.zeros(cap, np.uint64)
    slot_id = np.full(cap, -1, np.int64)
    for v in range(vocab.size):
        j = vocab[v] & mask
        while slot_id[j] >= 0:
            j = (j + np.uint64(1)) & mask
        slot_key[j] = vocab[v]
        slot_id[j] = v
    out = np.empty(h.size, np.int32)
    for i in range(h.size):
        j = h[i] & mask
        while slot_key[j] != h[i] or slot_id[j] < 0:
            j = (j + np.uint64(1)) & mask
        out[i] = slot_id[j]
    return out


@njit(cache=True, nogil=True)
def _distinct(tid: np.ndarray, starts: np.ndarray, n_vocab: int) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
    """Each document's distinct tokens (first occurrences, in order), as (tokens, starts)."""
    n = starts.size - 1
    seen = np.full(n_vocab, -1, np.int64)
    out = np.empty(tid.size, np.int32)
    new_starts = np.empty(n + 1, np.int64)
    j = 0
    for d in range(n):
        new_starts[d] = j
        for i in range(starts[d], starts[d + 1]):
            tok = tid[i]
            if seen[tok] != d:
                seen[tok] = d
                out[j] = tok
                j += 1
    new_starts[n] = j
    return out[:j], new_starts


@njit(cache=True, nogil=True)
def _minhash_bands(
    tid: np.ndarray, starts: np.ndarray, docs: np.ndarray, table: np.ndarray, mix: np.ndarray, bands: int, rows: int
) -> np.ndarray:  # pragma: no cover - compiled
    """LSH band keys of documents ``docs``: per band, a hash of its ``rows`` MinHash values.

    ``table[v, k]`` is token v's value under permutation k; a document's MinHash value k is the
    least ``table[v, k]`` over its tokens.
    """
    n_perm = bands * rows
    out = np.empty((docs.size, bands), np.int64)
    sig = np.empty(n_perm, np.uint32)
    for i in range(docs.size):
        d = docs[i]
        sig[:] = np.uint32(0xFFFFFFFF)
        for j in range(starts[d], starts[d + 1]):
            row = table[tid[j]]
            for k in range(n_perm):  # branch-free, so that the loop vectorises
                sig[k] = min(sig[k], row[k])
        for b in range(bands):
            key = np.uint64(0)
            for r in range(rows):
                key = key * mix[r] + np.uint64(sig[b * rows + r])  # wraps mod 2^64: a hash of the tuple
            # The band number goes in the top byte so equal rows in different bands differ.
            out[i, b] = np.int64((key >> np.uint64(8)) | (np.uint64(b) << np.uint64(56)))
    return out


@njit(cache=True, nogil=True)
def shared_keys(keys: np.ndarray, acc: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """``keys[i, b]`` is also the band-b key of a text by another account (a hash table per band)."""
    n, bands = keys.shape
    cap = 1
    while cap < 2 * n + 2:
        cap *= 2
    mask = np.uint64(cap - 1)
    slot_key = np.zeros(cap, np.int64)
    slot_acc = np.full(cap, -1, np.int64)  # first account seen with the key; -1: free
    slot_multi = np.zeros(cap, np.bool_)
    slot_of = np.empty(n, np.int64)
    out = np.zeros((n, bands), np.bool_)
    for b in range(bands):
        slot_acc[:] = -1
        slot_multi[:] = False
        for i in range(n):
            k = keys[i, b]
            j = _mix64(np.uint64(k)) & mask
            while slot_acc[j] >= 0 and slot_key[j] != k:
                j = (j + np.uint64(1)) & mask
            if slot_acc[j] < 0:
                slot_key[j] = k
                slot_acc[j] = acc[i]
            elif slot_acc[j] != acc[i]:
                slot_multi[j] = True
            slot_of[i] = j
        for i in range(n):
            out[i, b] = slot_multi[slot_of[i]]
    return out


@njit(cache=True, nogil=True)
def intersections(
    tid: np.ndarray, starts: np.ndarray, da: np.ndarray, db: np.ndarray, n_vocab: int
) -> np.ndarray:  # pragma: no cover - compiled
    """Size of the intersection of the (distinct) token sets of documents ``da[i]`` and ``db[i]``."""
    mark = np.full(n_vocab, -1, np.int64)
    out = np.zeros(da.size, np.int64)
    for i in range(da.size):
        for j in range(starts[da[i]], starts[da[i] + 1]):
            mark[tid[j]] = i
        c = 0
        for j in range(starts[db[i]], starts[db[i] + 1]):
            if mark[tid[j]] == i:
                c += 1
        out[i] = c
    return out


class Tokens:
    """The distinct word tokens of every text, as dense ids in CSR form.

    ``tok[starts[d]:starts[d + 1]]`` are text d's distinct token ids; ``vocab[v]`` is token v's
    64-bit hash; ``n_tok[d]`` its number of distinct tokens.
    """

    def __init__(self, tok: np.ndarray, starts: np.ndarray, vocab: np.ndarray):
        self.tok, self.starts, self.vocab = tok, starts, vocab
        self.n_tok = np.diff(starts)
        self.n_vocab = int(vocab.size)

    @classmethod
    def from_texts(cls, texts: pa.ChunkedArray | pa.Array) -> Tokens:
        if isinstance(texts, pa.ChunkedArray):
            texts = texts.combine_chunks() if texts.num_chunks else pa.array([], pa.string())
        h, starts = _token_hashes(texts)
        import polars as pl

        # Numbered densely so that each distinct token's permuted values are computed once.
        vocab = np.sort(pl.Series(h).unique().to_numpy()) if h.size else np.zeros(0, np.uint64)
        tid = _dense_ids(h, vocab) if h.size else np.zeros(0, np.int32)
        tok, starts = _distinct(tid, starts, vocab.size)
        return cls(tok, starts, vocab)


def band_keys(toks: Tokens, keep: np.ndarray, bands: int, rows: int, seed: int) -> np.ndarray:
    """``(n_kept, bands)`` LSH keys of the texts where ``keep`` (a boolean mask over texts)."""
    docs = np.flatnonzero(keep)
    if docs.size == 0:
        return np.zeros((0, bands), dtype=np.int64)
    rng = np.random.default_rng(seed)
    # Multiply-shift hashing (wrapping 64-bit a·x + b, top 32 bits): a universal family that
    # needs no modulo; computed once per distinct token and permutation.
    a = rng.integers(1, 2**63, size=bands * rows, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=bands * rows, dtype=np.uint64)
    mix = rng.integers(1, 2**62, size=rows, dtype=np.uint64) | np.uint64(1)
    with np.errstate(over="ignore"):
        table = ((toks.vocab[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)).astype(np.uint32)
    return _minhash_bands(toks.tok, toks.starts, docs.astype(np.int64), table, mix, bands, rows)


