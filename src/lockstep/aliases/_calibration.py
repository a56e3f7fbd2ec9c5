"""From scorer outputs to a probability of same authorship.

A logistic model, fitted with balanced classes on pairs of *disjoint* authors (see
``scripts/fit_alias_calibration.py``), gives the log likelihood ratio of "same author" against
"different authors" for a pair's scores. The probability then depends on the prior, which the data
cannot know: by default each name is assumed to have one alias among the others, so the prior of a
given pair is ``1 / (n_names − 1)`` (capped at 0.5). The shipped model is plain JSON
(``calibration.json`` beside this module): coefficients only, nothing executable.

Three models ship: ``centred`` reads the cohort-normalised scores of the centred cosines (used
from ``center_min_names`` scored names on, 30 by default), ``cohort`` the cohort-normalised scores
of plain cosines without the ``word`` scorer (used when at least ``MIN_COHORT`` impostor names exist), and ``raw`` reads raw
scores plus the log length of the shorter text (used for small sets of names, e.g. two bylines).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["MIN_COHORT", "Calibration", "load_calibration"]

#: Fewer impostors than this and the cohort statistics are too noisy: the raw model is used.
MIN_COHORT = 10


@dataclass(frozen=True)
class Calibration:
    """A fitted logistic calibration: ``log LR = intercept + Σ coef · (x − mean) / scale``.

    Parameters
    ----------
    features : tuple of str
        Names of the input columns, in order.
    coef, mean, scale : tuple of float
        Coefficients on standardised inputs, and the standardisation.
    intercept : float
        Intercept at balanced classes (so the linear term is a log likelihood ratio).
    """

    name: str
    features: tuple[str, ...]
    coef: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    intercept: float

    def log_lr(self, x: np.ndarray) -> np.ndarray:
        """Log likelihood ratio (natural log) for rows of ``x`` (columns as :attr:`features`)."""
        x = np.asarray(x, dtype=float)
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return self.intercept + z @ np.asarray(self.coef)

    def parts(self, x: np.ndarray) -> np.ndarray:
        """Each feature's additive share of the log likelihood ratio (columns as :attr:`features`)."""
        x = np.asarray(x, dtype=float)
        return (x - np.asarray(self.mean)) / np.asarray(self.scale) * np.asarray(self.coef)

    def probability(self, x: np.ndarray, prior: float) -> np.ndarray:
        """Probability of same author for rows of ``x`` at a given prior probability."""
        return posterior(self.log_lr(x), prior)

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "coef": list(self.coef),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "intercept": self.intercept,
        }


def posterior(log_lr: np.ndarray, prior: float) -> np.ndarray:
    """Bayes' rule on the log-odds scale, clipped to avoid overflow."""
    prior = min(max(prior, 1e-9), 1 - 1e-9)
    logit = np.clip(np.asarray(log_lr, dtype=float) + np.log(prior / (1 - prior)), -50, 50)
    return 1.0 / (1.0 + np.exp(-logit))


def fit_calibration(
    name: str, x: np.ndarray, y: np.ndarray, features: tuple[str, ...], *, monotone: tuple[str, ...] = (),
    balanced: bool = True,
) -> Calibration:
    """Fit a logistic calibration, balanced by default (used by the fitting script and the tests).

    Features named in ``monotone`` are constrained to a coefficient ≥ 0 (a higher similarity must
    never lower the probability): any that comes out negative is dropped (coefficient 0) and the
    model refitted, until none is negative. With ``balanced=False`` the classes are not weighted
    (the shipped models are balanced; ``bench/aliases_calibration_length.py`` compares the two): the
    intercept then carries the training pairs' prior odds, which a caller must remove to read a
    likelihood ratio.
    """
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(x, dtype=float)
    y = np.asarray(y).astype(int)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    active = list(range(len(features)))
    while True:
        lr = LogisticRegression(C=1.0, class_weight="balanced" if balanced else None, max_iter=1000)
        lr.fit(z[:, active], y)
        coef = np.zeros(len(features))
        coef[active] = lr.coef_[0]
        bad = [k for k in active if features[k] in monotone and coef[k] < 0]
        if not bad:
            break
        active = [k for k in active if k not in bad]
    return Calibration(
        name=name,
        features=tuple(features),
        coef=tuple(float(c) for c in coef),
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        intercept=float(lr.intercept_[0]),
    )


def save_calibrations(path: str | Path, models: dict[str, Calibration], meta: dict[str, Any]) -> None:
    """Write models and provenance as JSON."""
    doc = {"format": 1, **meta, "models": {k: m.to_dict() for k, m in models.items()}}
    Path(path).write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")


def load_calibration(path: str | Path | None = None) -> dict[str, Calibration]:
    """Read calibration models from JSON (default: the one shipped with lockstep).

    Parameters
    ----------
    path : path, optional
        A JSON file written by ``scripts/fit_alias_calibration.py``.

    Returns
    -------
    dict
        ``{"centred": Calibration, "cohort": Calibration, "raw": Calibration}``.
    """
    if path is None:
        text = resources.files("lockstep.aliases").joinpath("calibration.json").read_text()
    else:
        text = Path(path).read_text()
    doc = json.loads(text)
    out = {}
    for key, m in doc["models"].items():
        out[key] = Calibration(
            name=key,
            features=tuple(m["features"]),
            coef=tuple(float(v) for v in m["coef"]),
            mean=tuple(float(v) for v in m["mean"]),
            scale=tuple(float(v) for v in m["scale"]),
            intercept=float(m["intercept"]),
        )
    return out
