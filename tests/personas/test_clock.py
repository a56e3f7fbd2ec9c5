"""The operator's clock model on hour-of-week histograms drawn from known local working patterns."""

from __future__ import annotations

import numpy as np
import pytest

from lockstep.personas import fit_clock, format_offset


def _accounts(offset: float, hours: range, *, weekend: float, n_accounts: int = 15, posts: int = 120,
              seed: int = 0) -> np.ndarray:
    """UTC hour-of-week counts of accounts that post in ``hours`` of the local day, weekends at
    ``weekend`` times the weekday rate, from a zone at ``offset`` (times drawn to the minute)."""
    rng = np.random.default_rng(seed)
    day_w = np.where(np.arange(7) >= 5, weekend, 1.0)
    units = np.zeros((n_accounts, 168))
    for a in range(n_accounts):
        day = rng.choice(7, posts, p=day_w / day_w.sum())
        local_h = day * 24 + rng.choice(list(hours), posts) + rng.random(posts)
        utc_bin = np.floor(local_h - offset).astype(int) % 168
        np.add.at(units[a], utc_bin, 1)
    return units


def _fit(units: np.ndarray):
    return fit_clock(units, n_bootstrap=50, rng=np.random.default_rng(0))


@pytest.mark.parametrize("offset", [-6, -5, 0, 3, 8])
def test_an_office_team_is_put_within_one_hour_and_its_alternatives_name_the_start_hours(offset):
    fit = _fit(_accounts(offset, range(9, 18), weekend=0.05))
    assert fit.utc_offset == offset
    assert fit.pattern.describe() == "workday 09:00–18:00, weekends at 5%"
    # Start hour and offset trade off: the confidence is the prior share of days starting 08–10.
    assert fit.confidence == pytest.approx(0.86, abs=0.01)
    assert [(o - offset, p.start) for o, _, p in fit.alternatives[:3]] == [(0, 9), (-1, 8), (1, 10)]


def test_a_workday_starting_at_eight_is_read_as_nine_an_hour_east_which_is_within_the_hour():
    fit = _fit(_accounts(3, range(8, 17), weekend=0.05))
    assert (fit.utc_offset, fit.pattern.start) == (4, 9)


def test_two_shifts_from_seven_to_eleven_pm_are_read_with_the_two_shift_start_prior():
    fit = _fit(_accounts(-5, range(7, 23), weekend=0.3))
    assert fit.utc_offset == -5
    assert fit.pattern.describe() == "workday 07:00–23:00, weekends at 30%"


def test_a_half_hour_zone_shows_in_half_filled_edge_hours():
    fit = _fit(_accounts(5.5, range(9, 18), weekend=0.05, posts=300))
    assert fit.utc_offset == 5.5
    assert format_offset(fit.utc_offset) == "UTC+5:30"


def test_around_the_clock_activity_gets_no_confident_offset():
    fit = _fit(_accounts(0, range(24), weekend=1.0))
    assert fit.pattern.describe() == "flat, around the clock"
    assert fit.confidence < 0.3


@pytest.mark.parametrize("offset", [13, -11])
def test_the_weekend_tells_apart_offsets_a_day_apart_on_the_same_hours(offset):
    # Samoa (+13) and American Samoa (−11) work the same UTC hours; only the weekend is a day apart.
    fit = _fit(_accounts(offset, range(9, 18), weekend=0.05))
    assert fit.utc_offset == offset


def test_no_posts_give_no_offset():
    fit = _fit(np.zeros((3, 168)))
    assert (fit.utc_offset, fit.confidence, fit.alternatives) == (None, 0.0, [])


@pytest.mark.parametrize(("offset", "label"), [(0, "UTC±0"), (3, "UTC+3"), (-5.0, "UTC−5"), (5.5, "UTC+5:30"),
                                                (-3.5, "UTC−3:30"), (None, "unknown"), (float("nan"), "unknown")])
def test_offsets_are_labelled_with_hours_and_minutes(offset, label):
    assert format_offset(offset) == label
