"""Candidate pairs: which pairs of names get the full (costly) scoring.

Up to ``all_pairs_max`` names every pair is scored. Beyond that, each name's ``k`` nearest
neighbours are found in two cheap spaces — the character view and the topic-masked view, each
pruned to every name's 200 heaviest n-grams — with blocked sparse products, and only the union of
those pairs is scored. 10,000 names then cost about 10,000 × 2k full
comparisons instead of 50 million.
"""

from __future__ import annotations

import numpy as np


def all_pairs(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every unordered pair of the given indices, as two arrays with ``i < j``."""
    idx = np.sort(np.asarray(idx, dtype=np.int64))
    a, b = np.triu_indices(len(idx), k=1)
    return idx[a], idx[b]


def _prune(m, keep: int):
    """Each row's ``keep`` heaviest features, renormalised: the distinctive n-grams of a name.

    Dropping the light, common features makes the sparse product cheap (a feature held by every
    name would otherwise pair everyone with everyone) and barely changes who is nearest.
    """
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    m = m.tocsr()
    indptr, indices, data = [0], [], []
    for r in range(m.shape[0]):
        lo, hi = m.indptr[r], m.indptr[r + 1]
        d = m.data[lo:hi]
        if len(d) > keep:
            sel = np.argpartition(-d, keep - 1)[:keep]
            sel.sort()
        else:
            sel = np.arange(len(d))
        indices.append(m.indices[lo:hi][sel])
        data.append(d[sel])
        indptr.append(indptr[-1] + len(sel))
    out = sp.csr_matrix(
        (np.concatenate(data) if data else np.zeros(0, np.float32),
         np.concatenate(indices) if indices else np.zeros(0, np.int32), np.array(indptr)),
        shape=m.shape,
    )
    return normalize(out)


def top_k_pairs(m, rows: np.ndarray, k: int, block: int = 1000) -> set[tuple[int, int]]:
    """Pairs (i < j) where j is among the ``k`` most similar rows of i (by dot product of sparse rows)."""
    out: set[tuple[int, int]] = set()
    v = m[rows]
    vt = v.T.tocsr()
    k = min(k, len(rows) - 1)
    if k <= 0:
        return out
    for s in range(0, len(rows), block):
        sims = (v[s : s + block] @ vt).toarray()
        for r in range(sims.shape[0]):
            sims[r, s + r] = -np.inf
        nn = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        a = np.repeat(rows[s : s + block], k)
        b = rows[nn.ravel()]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        out.update(zip(lo.tolist(), hi.tolist()))
    return out


def candidate_pairs(
    feats, rows: np.ndarray, *, k: int = 10, all_pairs_max: int = 400, n_features: int = 200
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
    n_features : int
        Features kept per name (its heaviest TF-IDF weights) for the neighbour search.
    """
    rows = np.sort(np.asarray(rows, dtype=np.int64))
    if len(rows) <= all_pairs_max:
        return all_pairs(rows)
    pairs: set[tuple[int, int]] = set()
    for m in (feats.char, feats.masked):
        pairs |= top_k_pairs(_prune(m, n_features), rows, k)
    arr = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]
