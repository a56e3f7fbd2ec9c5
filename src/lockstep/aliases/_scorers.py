"""Pair scorers and their cohort (impostor) normalisation.

Each scorer maps a pair of names to a similarity (higher = more alike):

- ``char``: cosine of the character n-gram TF-IDF rows;
- ``masked``: the same on topic-masked text (style with the subject matter hidden);
- ``delta``: Cosine Delta (Smith & Aldridge 2011), the cosine of the z-scored function-word
  frequencies — the robust variant of Burrows' Delta;
- ``compression``: 1 − normalised compression distance under PPMd (order 5), which picks up any
  repeated sequence, spelling and formatting habit without choosing features.

Raw similarities are not comparable across names: a long, plain text is close to everything. The
cohort normalisation (S-norm, as in speaker verification and the impostors method of authorship
verification) compares a pair's score with each name's scores against a fixed random set of other
names, the impostors: ``z = ((s − μ_a)/σ_a + (s − μ_b)/σ_b) / 2``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lockstep.aliases._features import StyleFeatures

#: Scorer names in the order of the calibration features.
SCORERS: tuple[str, ...] = ("char", "masked", "delta", "compression")

#: Impostors used for the cohort statistics of the compression scorer.
COMPRESSION_COHORT = 10


def rowwise_cosine(m, i: np.ndarray, j: np.ndarray, block: int = 20_000) -> np.ndarray:
    """Cosine of rows ``i[k]`` and ``j[k]`` of an L2-normalised sparse matrix."""
    out = np.empty(len(i), dtype=np.float64)
    if m.shape[1] == 0:
        out[:] = 0.0
        return out
    for s in range(0, len(i), block):
        a = m[i[s : s + block]]
        b = m[j[s : s + block]]
        out[s : s + block] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return out


def cosine_delta(z: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Cosine Delta similarity between rows of z-scored function-word frequencies."""
    norms = np.linalg.norm(z, axis=1)
    norms[norms == 0] = 1.0
    zn = z / norms[:, None]
    return np.einsum("ij,ij->i", zn[i], zn[j])


class CompressionScorer:
    """1 − NCD under PPMd, on the first ``max_chars`` characters of each text.

    Compressed sizes of single texts are cached, so cohort statistics and pair scores share them.
    """

    def __init__(self, texts: list[str], *, max_chars: int = 6000, order: int = 5):
        self.data = [t[:max_chars].encode("utf-8", "replace") for t in texts]
        self.order = order
        self._single: dict[int, int] = {}

    def _size(self, b: bytes) -> int:
        import pyppmd

        # 1 MB of model memory is ample for two texts of 6,000 characters, and allocating more per
        # call costs more time than the compression itself.
        return len(pyppmd.compress(b, max_order=self.order, mem_size=1 << 20))

    def single(self, i: int) -> int:
        if i not in self._single:
            self._single[i] = self._size(self.data[i])
        return self._single[i]

    def __call__(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        out = np.empty(len(i), dtype=np.float64)
        for k, (a, b) in enumerate(zip(i.tolist(), j.tolist())):
            if not self.data[a] or not self.data[b]:
                out[k] = 0.0
                continue
            ca, cb = self.single(a), self.single(b)
            # NCD is not quite symmetric; always concatenating in index order makes the score
            # independent of which name of the pair is asked about first (names are sorted).
            lo, hi = (a, b) if a < b else (b, a)
            cab = self._size(self.data[lo] + b"\n" + self.data[hi])
            out[k] = 1.0 - (cab - min(ca, cb)) / max(ca, cb)
        return out


def make_scorers(feats: StyleFeatures, *, compression_chars: int = 6000) -> dict[str, Callable]:
    """The scorer functions ``f(i, j) -> similarities`` over one set of features."""
    comp = CompressionScorer(feats.texts, max_chars=compression_chars)
    return {
        "char": lambda i, j: rowwise_cosine(feats.char, i, j),
        "masked": lambda i, j: rowwise_cosine(feats.masked, i, j),
        "delta": lambda i, j: cosine_delta(feats.function_words_z, i, j),
        "compression": comp,
    }


def choose_impostors(n: int, eligible: np.ndarray, n_impostors: int, seed: int) -> np.ndarray:
    """For each of ``n`` names, ``n_impostors`` other eligible names drawn at random (seeded).

    Returns an ``n × m`` array of indices (``m`` may be smaller when few names are eligible).
    """
    rng = np.random.default_rng(seed)
    pool = np.flatnonzero(eligible)
    m = min(n_impostors, max(len(pool) - 2, 0))
    out = np.empty((n, m), dtype=np.int64)
    if m == 0:
        return out
    for a in range(n):
        picks = rng.choice(pool, size=min(m + 2, len(pool)), replace=False)
        picks = picks[picks != a][:m]
        out[a] = picks
    return out


def cohort_stats(
    scorers: dict[str, Callable], impostors: np.ndarray, rows: np.ndarray
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Mean and standard deviation of each scorer between each name in ``rows`` and its impostors."""
    n, m_all = impostors.shape
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name, f in scorers.items():
        # Compression is by far the costliest scorer (and carries the least weight in the shipped
        # calibration): its cohort uses the first COMPRESSION_COHORT impostors only.
        m = min(m_all, COMPRESSION_COHORT) if name == "compression" else m_all
        i = np.repeat(rows, m)
        j = impostors[rows, :m].ravel()
        mu = np.zeros(n)
        sd = np.ones(n)
        if m and len(rows):
            s = f(i, j).reshape(len(rows), m)
            mu[rows] = s.mean(axis=1)
            # A floor on σ: with a handful of near-identical impostor scores a tiny σ would turn
            # noise into a huge z.
            sd[rows] = np.maximum(s.std(axis=1), 1e-3)
        out[name] = (mu, sd)
    return out


def snorm(s: np.ndarray, i: np.ndarray, j: np.ndarray, stats: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Symmetric cohort normalisation of pair scores ``s`` between names ``i`` and ``j``."""
    mu, sd = stats
    return 0.5 * ((s - mu[i]) / sd[i] + (s - mu[j]) / sd[j])
