"""Candidate pairs: which pairs of names get the full (costly) scoring.

Up to ``all_pairs_max`` names every pair is scored. Beyond that, each name's ``k`` nearest
neighbours are found in two cheap spaces — the character view and the topic-masked view, each
reduced to a few hundred dimensions by a seeded randomized SVD — with blocked dense dot products,
and only the union of those pairs is scored. 10,000 names then cost about 10,000 × 2k full
comparisons instead of 50 million.
"""

from __future__ import annotations

import numpy as np


def all_pairs(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every unordered pair of the given indices, as two arrays with ``i < j``."""
    idx = np.sort(np.asarray(idx, dtype=np.int64))
    a, b = np.triu_indices(len(idx), k=1)
    return idx[a], idx[b]


def _reduce(m, n_components: int, seed: int) -> np.ndarray:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    k = min(n_components, m.shape[1] - 1, m.shape[0] - 1)
    if k < 2:
        return normalize(m.toarray()) if m.shape[1] else np.zeros((m.shape[0], 1))
    red = TruncatedSVD(n_components=k, algorithm="randomized", n_iter=4, random_state=seed).fit_transform(m)
    return normalize(red).astype(np.float32)


def top_k_pairs(vectors: np.ndarray, rows: np.ndarray, k: int, block: int = 2048) -> set[tuple[int, int]]:
    """Pairs (i < j) where j is among the ``k`` most similar rows of i (or i of j), by dot product."""
    out: set[tuple[int, int]] = set()
    v = vectors[rows]
    k = min(k, len(rows) - 1)
    if k <= 0:
        return out
    for s in range(0, len(rows), block):
        sims = v[s : s + block] @ v.T
        for r in range(sims.shape[0]):
            sims[r, s + r] = -np.inf
        nn = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for r in range(nn.shape[0]):
            a = int(rows[s + r])
            for c in nn[r]:
                b = int(rows[c])
                out.add((a, b) if a < b else (b, a))
    return out


def candidate_pairs(
    feats, rows: np.ndarray, *, k: int = 10, all_pairs_max: int = 400, n_components: int = 256, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of names (indices into ``feats``) to score fully.

    Parameters
    ----------
    feats : StyleFeatures
    rows : numpy.ndarray
        Indices of the names with enough text.
    k : int
        Neighbours per name and per view.
    all_pairs_max : int
        Up to this many names, every pair is a candidate.
    n_components : int
        Dimensions of the reduced views.
    seed : int
        Seed of the randomized SVD.
    """
    rows = np.sort(np.asarray(rows, dtype=np.int64))
    if len(rows) <= all_pairs_max:
        return all_pairs(rows)
    pairs: set[tuple[int, int]] = set()
    for m in (feats.char, feats.masked):
        vec = _reduce(m[rows], n_components, seed)
        full = np.zeros((m.shape[0], vec.shape[1]), dtype=np.float32)
        full[rows] = vec
        pairs |= top_k_pairs(full, rows, k)
    arr = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]
