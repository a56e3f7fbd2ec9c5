"""Null models and the false-discovery rate."""

from __future__ import annotations

import random

import numpy as np
import pytest

from lockstep.detect import CoRepost, Synchronous, bh_fdr

from .conftest import post


def test_benjamini_hochberg_matches_the_textbook_example():
    p = np.array([0.01, 0.04, 0.03, 0.2, np.nan])
    assert bh_fdr(p).round(4).tolist()[:4] == [0.04, 0.0533, 0.0533, 0.2]
    assert np.isnan(bh_fdr(p)[4])


def _reposts(rng, delays_a, delays_b):
    rows = []
    for k, (da, db) in enumerate(zip(delays_a, delays_b)):
        t0 = 7200 * k
        rows += [post("star", t0, f"s{k}"), post("a", t0 + da, f"a{k}", repost_of=f"s{k}"),
                 post("b", t0 + db, f"b{k}", repost_of=f"s{k}")]
    return rows


def test_delay_null_explains_fans_who_always_react_within_seconds(workspace):
    rng = random.Random(0)
    # Two fans repost all 20 posts of a star, each 5–25 s after it: always within 30 s of each
    # other, and exactly as often as their reaction speeds predict.
    rows = _reposts(rng, [rng.uniform(5, 25) for _ in range(20)], [rng.uniform(5, 25) for _ in range(20)])
    (edge,) = CoRepost(window="30s").fit(workspace(rows)).edges_.to_pylist()
    assert (edge["n_objects"], edge["n_shared"], edge["expected"], edge["p_value"], edge["kept"]) == (
        20, 20, 20.0, 1.0, False
    )


def test_delay_null_flags_accounts_synchronised_with_each_other_not_with_the_post(workspace):
    rng = random.Random(1)
    # An operator picks a random moment hours after each post; both accounts act within 5 s of it.
    moments = [rng.uniform(600, 6000) for _ in range(20)]
    rows = _reposts(rng, [m + rng.uniform(0, 5) for m in moments], [m + rng.uniform(0, 5) for m in moments])
    (edge,) = CoRepost(window="30s").fit(workspace(rows)).edges_.to_pylist()
    assert edge["n_objects"] == 20 and edge["n_shared"] == 20
    assert edge["expected"] < 2.0
    assert edge["p_value"] < 1e-12 and edge["kept"]


def test_activity_null_flags_accounts_posting_seconds_apart_day_after_day(workspace):
    rows = []
    for day in range(10):
        t = 86400 * day + 9 * 3600
        rows += [post("a", t, f"a{day}"), post("b", t + 2, f"b{day}")]
        # c posts in the same hours, but at other minutes.
        rows += [post("c", t + 1200 + 37 * day, f"c{day}")]
    edges = Synchronous(window="5s").fit(workspace(rows)).edges_.to_pylist()
    assert [(e["account_a"], e["account_b"], e["n_pairs"], e["kept"]) for e in edges] == [("a", "b", 10, True)]
    # ten 10-minute bins holding one post of each: 10 · 1 · 1 · (2w + 1 µs) / 10 min
    assert edges[0]["expected"] == pytest.approx(10 * (2 * 5_000_000 + 1) / 600_000_000, rel=1e-12)
