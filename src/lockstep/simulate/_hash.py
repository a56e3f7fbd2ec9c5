"""Counter-based randomness: text is a pure function of a post's content key.

A repost carries its original's key, a copypasta post shares its campaign's key, and the text is
rendered from the key only when a chunk is written. The posts therefore never have to be held as
strings all at once, and the same key always renders to the same words.
"""

from __future__ import annotations

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def splitmix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser over a uint64 array (wrapping arithmetic is the point)."""
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64, copy=True) + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        return z ^ (z >> np.uint64(31))


def mix(key: np.ndarray, *salts: int | np.ndarray) -> np.ndarray:
    """Hash of a key combined with salts (ints or arrays broadcastable to the key)."""
    h = splitmix64(np.asarray(key, dtype=np.uint64))
    with np.errstate(over="ignore"):
        for s in salts:
            h = splitmix64(h ^ (np.asarray(s).astype(np.uint64) * _M2))
    return h


def uniform(h: np.ndarray) -> np.ndarray:
    """Map hashes to floats in [0, 1)."""
    return (h >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)
