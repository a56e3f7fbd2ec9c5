"""The shipped calibration: plain JSON, probabilities in [0, 1], monotone in every scorer."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from lockstep.aliases import SCORERS, load_calibration


def test_the_shipped_calibration_is_plain_json_with_its_provenance():
    doc = json.loads(resources.files("lockstep.aliases").joinpath("calibration.json").read_text())
    assert sorted(doc["models"]) == ["centred", "cohort", "raw"]
    assert doc["script"] == "scripts/fit_alias_calibration.py"
    assert doc["fitted_on"].startswith("Reuter_50_50 C50train, calibration authors")


@pytest.mark.parametrize("model", ["centred", "cohort", "raw"])
def test_probabilities_lie_in_0_1_and_never_fall_when_a_scorer_rises(model):
    cal = load_calibration()[model]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, len(cal.features))) * np.array(cal.scale) * 3 + np.array(cal.mean)
    for prior in (0.001, 0.02, 0.5):
        p = cal.probability(x, prior)
        assert ((p >= 0) & (p <= 1)).all()
    for k, f in enumerate(cal.features):
        if f.split("_", 1)[1] not in SCORERS:
            continue
        up = x.copy()
        up[:, k] += cal.scale[k]
        assert (cal.log_lr(up) >= cal.log_lr(x)).all(), f
        assert (cal.probability(up, 0.02) >= cal.probability(x, 0.02)).all(), f


def test_the_prior_moves_the_probability_as_bayes_says():
    cal = load_calibration()["cohort"]
    x = np.array([cal.mean])
    llr = cal.log_lr(x)[0]
    p = cal.probability(x, 0.2)[0]
    assert np.log(p / (1 - p)) == pytest.approx(llr + np.log(0.2 / 0.8))


def test_balanced_fit_gives_a_likelihood_ratio_and_unbalanced_fit_the_base_rate():
    from lockstep.aliases._calibration import fit_calibration

    rng = np.random.default_rng(0)
    y = rng.random(5000) < 0.02
    x = (rng.normal(size=5000) + 2.0 * y)[:, None]
    balanced = fit_calibration("b", x, y, ("z_char",))
    plain = fit_calibration("u", x, y, ("z_char",), balanced=False)
    # Unweighted, the model's probabilities average to the observed rate; balanced, the two classes'
    # averages do to a half (each class weighs the same).
    assert abs(plain.probability(x, 0.5).mean() - y.mean()) < 0.005
    p = balanced.probability(x, 0.5)
    assert abs((p[y].mean() + p[~y].mean()) / 2 - 0.5) < 0.01
    # Both read as likelihood ratios once the training odds are removed from the unweighted one.
    odds = np.log(y.mean() / (1 - y.mean()))
    assert np.corrcoef(balanced.log_lr(x), plain.log_lr(x) - odds)[0, 1] > 0.999
