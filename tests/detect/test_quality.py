"""Stealthy campaigns found, hard negatives left alone: the mechanics on small hand-made platforms.

A background of ordinary accounts shares links from a popular pool at random times. On top of it:
a campaign pushing fresh links of a fringe site, each push spread over six hours; a news outlet
whose every headline three feed bots copy minutes later.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import lockstep

from .conftest import post

DAY = 86_400
WORDS = ("river", "market", "season", "window", "garden", "signal", "travel", "coffee", "planet", "music",
         "winter", "letter", "number", "energy", "orange", "silver", "ticket", "valley", "bridge", "forest")


def _text(rng: np.random.Generator, n: int = 8) -> str:
    return " ".join(rng.choice(WORDS, n))


def _background(rng: np.random.Generator, n_accounts: int = 60, posts: int = 30) -> list[dict]:
    """Ordinary accounts: own texts, links from a Zipf-popular pool, at random times over a week."""
    pool = [f"https://news.example/article-{i}" for i in range(200)]
    weights = 1.0 / (np.arange(200) + 3.0)
    weights /= weights.sum()
    rows = []
    for a in range(n_accounts):
        for k in range(posts):
            t = float(rng.uniform(0, 7 * DAY))
            urls = [pool[int(rng.choice(200, p=weights))]] if rng.random() < 0.4 else []
            rows.append(post(f"user{a}", t, f"user{a}-{k}", text=f"{_text(rng)} {a} {k}", urls=urls))
    return rows


def _link_push(rng: np.random.Generator, members: int = 8, pushes: int = 8, spread_h: float = 6.0) -> list[dict]:
    """A campaign: each push a fresh fringe link, posted by every member within ``spread_h`` hours."""
    rows = []
    for k in range(pushes):
        start = k * 7 * DAY / pushes + float(rng.uniform(0, 3600))
        url = f"https://fringe.example/story-{k}"
        for m in range(members):
            t = start + float(rng.uniform(0, spread_h * 3600))
            rows.append(post(f"camp{m}", t, f"camp{m}-push{k}", text=f"must read {_text(rng, 5)} {m}", urls=[url]))
    for m in range(members):  # and ordinary-looking posts of their own
        for j in range(10):
            rows.append(post(f"camp{m}", float(rng.uniform(0, 7 * DAY)), f"camp{m}-own{j}", text=_text(rng)))
    return rows


def _news_feed(rng: np.random.Generator, headlines: int = 80, bots: int = 3) -> list[dict]:
    """An outlet posts headlines; each bot copies nearly every one, text and link, after its own lag."""
    rows = []
    # Each polls the outlet's feed every minute or two: they post each headline close together.
    lags = [(60.0, 60.0), (70.0, 90.0), (80.0, 120.0)][:bots]
    for k in range(headlines):
        t0 = float(rng.uniform(0, 7 * DAY))
        text = f"Headline {k}: {_text(rng, 7)}"
        url = f"https://outlet.example/news/{k}"
        rows.append(post("outlet", t0, f"outlet-{k}", text=text, urls=[url]))
        for b, (lag, poll) in enumerate(lags):
            if rng.random() < 0.95:
                rows.append(post(f"bot{b}", t0 + lag + float(rng.uniform(0, poll)), f"bot{b}-{k}", text=text, urls=[url]))
    return rows


def _members(det) -> list[list[str]]:
    cl = pl.from_arrow(det.clusters_)
    if cl.height == 0:
        return []
    return cl.group_by("cluster").agg(pl.col("account_id").sort()).sort("cluster")["account_id"].to_list()


@pytest.fixture
def pushed(workspace):
    rng = np.random.default_rng(11)
    return workspace(_background(rng) + _link_push(rng))


@pytest.fixture
def feed(workspace):
    rng = np.random.default_rng(12)
    return workspace(_background(rng) + _news_feed(rng))


def test_rare_links_pushed_over_six_hours_are_found_by_rare_share(pushed):
    det = lockstep.detect(pushed, write=False, seed=0)
    assert _members(det) == [[f"camp{m}" for m in range(8)]]
    scores = det.cluster_scores_.to_pylist()
    assert scores[0]["top_signal"] == "rare-share"
    assert scores[0]["reason"].startswith("8 accounts shared the same ")


def test_the_same_push_is_missed_inside_a_one_minute_window(pushed):
    # The short-window view alone: members six hours apart rarely meet within a minute.
    det = lockstep.detect(pushed, ["co-link"], window="60s", write=False, seed=0)
    assert _members(det) == []


def test_every_kept_rare_share_edge_has_its_post_pairs_as_evidence(pushed):
    det = lockstep.detect(pushed, ["rare-share"], write=False, seed=0)
    kept = pl.from_arrow(det.coaction_edges_).filter(pl.col("kept"))
    ev = pl.from_arrow(det.evidence_)
    keys = ["signal", "platform_a", "account_a", "platform_b", "account_b"]
    assert kept.height == 28  # every pair of the eight members
    assert kept.select(keys).join(ev.select(keys).unique(), on=keys, how="anti").height == 0
    # The evidence shows the links themselves, fringe links only, hours apart at most a day.
    assert set(ev["object"].to_list()) <= {f"https://fringe.example/story-{k}" for k in range(8)}
    assert ev["dt_s"].abs().max() <= 6 * 3600


def test_a_news_outlet_and_the_bots_copying_it_are_not_flagged(feed):
    # Every content signal. Synchronous posting judges the clock alone: bots polling one feed
    # every minute do post within seconds of each other, and that signal says so.
    signals = [s for s in lockstep.detect.DETECTORS if s != "synchronous"]
    det = lockstep.detect(feed, signals, write=False, seed=0)
    flagged = {a for members in _members(det) for a in members}
    assert flagged & {"outlet", "bot0", "bot1", "bot2"} == set()


def test_rare_share_counts_copies_of_one_source_once(feed):
    det = lockstep.detect(feed, ["rare-share"], write=False, seed=0)
    edges = pl.from_arrow(det.coaction_edges_)
    bots = edges.filter(pl.col("account_a").str.starts_with("bot") & pl.col("account_b").str.starts_with("bot"))
    # Dozens of headlines in common, all first posted by the outlet: one independent source.
    assert bots.height == 3
    assert bots["n_objects"].min() >= 40
    assert bots["n_shared"].to_list() == [1, 1, 1]
    assert not bots["kept"].any()
