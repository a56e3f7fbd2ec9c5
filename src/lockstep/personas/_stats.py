"""How unusual a value is against the rest of the data: robust z-scores and percentiles."""

from __future__ import annotations

import numpy as np


def robust_z(x: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray:
    """(x − median) / robust spread, the spread taken from ``reference`` (default ``x``).

    The spread is 1.4826 × MAD; when more than half the values are equal (MAD = 0, common for
    counts such as "accounts sharing this bio") it falls back to 1.2533 × mean absolute deviation,
    and to 1 when every value is the same. NaN stays NaN.
    """
    x = np.asarray(x, dtype=float)
    ref = x if reference is None else np.asarray(reference, dtype=float)
    ref = ref[~np.isnan(ref)]
    if ref.size == 0:
        return np.full(x.shape, np.nan)
    med = np.median(ref)
    dev = np.abs(ref - med)
    scale = 1.4826 * np.median(dev)
    if scale == 0:
        scale = 1.2533 * dev.mean()
    if scale == 0:
        scale = 1.0
    return (x - med) / scale


def percentile(x: np.ndarray) -> np.ndarray:
    """Share of known values ≤ each value (0–1); NaN stays NaN."""
    x = np.asarray(x, dtype=float)
    known = np.sort(x[~np.isnan(x)])
    out = np.full(x.shape, np.nan)
    if known.size:
        m = ~np.isnan(x)
        out[m] = np.searchsorted(known, x[m], side="right") / known.size
    return out
