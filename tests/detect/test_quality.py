"""Stealthy campaigns found, hard negatives left alone: the mechanics on small hand-made platforms.

A background of ordinary accounts shares links from a popular pool at random times. On top of it:
a campaign pushing fresh links of a fringe site, each push spread over six hours; a news outlet
whose every headline three feed bots copy minutes later.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
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


def _scheduled(rng: np.random.Generator, members: int = 8, days: int = 10, jitter: float = 25.0) -> list[dict]:
    """An operator's schedule: each weekday at 09:30 and 14:00 (UTC), every member posts with
    tens of seconds of jitter, each skipping about half the slots; and a few posts of their own."""
    rows = []
    for d in range(days):
        for slot in (9.5 * 3600, 14 * 3600):
            t = d * DAY + slot - 12 * 3600  # T0 is noon
            for m in range(members):
                if rng.random() < 0.5:
                    rows.append(post(f"sched{m}", t + abs(float(rng.normal(0, jitter))), f"sched{m}-{d}-{slot}",
                                     text=_text(rng)))
    for m in range(members):
        for j in range(10):
            rows.append(post(f"sched{m}", float(rng.uniform(0, days * DAY)), f"sched{m}-own{j}", text=_text(rng)))
    return rows


@pytest.fixture
def scheduled(workspace):
    rng = np.random.default_rng(13)
    return workspace(_background(rng, posts=40) + _scheduled(rng))


def test_accounts_posting_on_one_schedule_are_found_by_their_repeated_co_bursts(scheduled):
    det = lockstep.detect(scheduled, ["scheduled"], write=False, seed=0)
    # Every member and nobody else (Leiden may cut the eight in two).
    assert sorted(a for members in _members(det) for a in members) == [f"sched{m}" for m in range(8)]
    assert {r["top_signal"] for r in det.cluster_scores_.to_pylist()} == {"scheduled"}


def test_the_same_schedule_is_missed_by_posts_within_five_seconds(scheduled):
    # Tens of seconds of jitter: two members rarely post within 5 s of each other.
    det = lockstep.detect(scheduled, ["synchronous"], write=False, seed=0)
    assert _members(det) == []


def test_scheduled_counts_days_with_a_co_burst_among_posts_that_recur(workspace):
    rows = []
    for d in range(4):  # a and b at 09:00, 20 s apart, four days running; c once at 09:00
        rows += [post("a", d * DAY - 3 * 3600, f"a{d}"), post("b", d * DAY - 3 * 3600 + 20, f"b{d}")]
        rows += [post(x, d * DAY + 3600 * (1 + d) + 7 * k, f"{x}{d}-{k}") for x in "abc" for k in range(2)]
    rows.append(post("c", -3 * 3600 + 10, "c-nine"))
    det = lockstep.detect.Scheduled(min_count=1, null=None, min_posts=1).fit(workspace(rows))
    # Only posts recurring at one time of day on 3+ days pair: a and b at 09:00 (c's post at
    # 09:00 happens once, and the afternoon posts move by an hour a day).
    assert [(e["account_a"], e["account_b"], e["n_objects"], e["n_pairs"]) for e in det.edges_.to_pylist()] == [
        ("a", "b", 4, 4)
    ]


def _tag_background(rng: np.random.Generator, n_accounts: int = 80, posts: int = 20, days: int = 7) -> list[dict]:
    """Ordinary accounts tagging their posts with two of thirty topics, at random times."""
    topics = [f"topic{i}" for i in range(30)]
    return [
        post(f"tagger{a}", float(rng.uniform(0, days * DAY)), f"tagger{a}-{k}", text=_text(rng),
             hashtags=list(rng.choice(topics, 2, replace=False)))
        for a in range(n_accounts) for k in range(posts)
    ]


def _hashtag_push(rng: np.random.Generator, members: int = 8, days: int = 7) -> list[dict]:
    """A campaign: one hashtag set, posted by most members each day, hours apart."""
    rows = []
    for d in range(days):
        start = d * DAY + float(rng.uniform(0, 3600))
        for m in range(members):
            if rng.random() < 0.8:
                t = start + float(rng.uniform(0, 3 * 3600))
                rows.append(post(f"tag{m}", t, f"tag{m}-{d}", text=_text(rng), hashtags=["wakeup", "truthmatters"]))
    return rows


def _trending(rng: np.random.Generator, n: int = 150, days: int = 7) -> list[dict]:
    """A trending pair of hashtags: each day over a hundred accounts use it at random times."""
    return [
        post(f"fan{a}", d * DAY + float(rng.uniform(0, DAY)), f"fan{a}-{d}", text=_text(rng),
             hashtags=["nowplaying", "music"])
        for d in range(days) for a in range(n) if rng.random() < 0.8
    ]


def test_a_rare_hashtag_set_pushed_hours_apart_day_after_day_is_found_by_rare_share(workspace):
    rng = np.random.default_rng(14)
    ws = workspace(_background(rng) + _tag_background(rng) + _hashtag_push(rng) + _trending(rng))
    det = lockstep.detect(ws, ["rare-share"], write=False, seed=0)
    assert _members(det) == [[f"tag{m}" for m in range(8)]]
    ev = pl.from_arrow(det.evidence_)
    # Each object is the set on one day (days since 1970-01-01, UTC): the evidence names both.
    assert ev["object"].str.starts_with("truthmatters wakeup (UTC day ").all()
    assert ev["object"].n_unique() == 7


def _seeded_push(rng: np.random.Generator, members: int = 8, pushes: int = 8) -> list[dict]:
    """A cross-platform campaign: each push starts on Telegram, where one of four channels posts a
    fresh fringe link and a fifth forwards it; the Twitter members share the link hours later.
    Beside it, a busy outlet whose articles the members share twice."""
    rows = []
    for k in range(pushes):
        start = k * 7 * DAY / pushes + float(rng.uniform(0, 3600))
        url = f"https://fringe.example/push-{k}"
        seed = f"chan{k % 4}"
        rows.append(post(seed, start, f"{seed}-{k}", platform="telegram", text=f"read this {_text(rng, 5)}", urls=[url]))
        rows.append(post("chan4", start + float(rng.uniform(60, 600)), f"chan4-{k}", platform="telegram",
                         repost_of=f"{seed}-{k}", urls=[url]))
        for m in range(members):
            t = start + 600 + float(rng.uniform(0, 6 * 3600))
            rows.append(post(f"camp{m}", t, f"camp{m}-push{k}", text=f"must read {_text(rng, 5)} {m}", urls=[url]))
    for j in range(40):  # the outlet: forty articles, two of which the members pick up
        t0 = float(rng.uniform(0, 6 * DAY))
        url = f"https://outlet.example/story-{j}"
        rows.append(post("outlet", t0, f"outlet-{j}", text=f"Story {j}: {_text(rng, 6)}", urls=[url]))
        if j < 2:
            rows += [post(f"camp{m}", t0 + 3600 + 60 * m, f"camp{m}-outlet{j}", text=_text(rng), urls=[url])
                     for m in range(3)]
    return rows


def test_the_telegram_channels_seeding_a_campaigns_links_join_its_cluster(workspace):
    rng = np.random.default_rng(15)
    det = lockstep.detect(workspace(_background(rng) + _seeded_push(rng)), ["rare-share"], write=False, seed=0)
    # The Twitter members are found by the rare links they share; the channel that posted each
    # link first, and the one forwarding it, by seeding that cluster. The outlet is not: of its
    # forty articles the cluster shared two.
    assert _members(det) == [[f"camp{m}" for m in range(8)] + [f"chan{c}" for c in range(5)]]
    assert any("joined a cluster as its source" in n for n in det.notes_)


def _evidence_row(signal: str, a: dict, b: dict, url: str) -> dict:
    return {
        "signal": signal, "platform_a": a["platform"], "account_a": a["account_id"], "post_a": a["post_id"],
        "platform_b": b["platform"], "account_b": b["account_id"], "post_b": b["post_id"], "object": url,
        "t_a": a["created_at"], "t_b": b["created_at"],
        "dt_s": (b["created_at"] - a["created_at"]) / dt.timedelta(microseconds=1) / 1e6,
    }


def test_the_evidence_shows_which_links_each_seeding_channel_posted_first_and_which_posts_it_forwarded(workspace):
    rng = np.random.default_rng(15)
    background = _background(rng)
    push = _seeded_push(rng)
    det = lockstep.detect(workspace(background + push), ["rare-share"], write=False, seed=0)
    by_id = {r["post_id"]: r for r in push}
    # Each channel's first post of a fringe link beside every member's share of that link
    # (hours later, within rare-share's day); the forwarder's repost beside the post it forwards.
    # The outlet seeded nothing: no rows.
    source, forward = [], []
    for k in range(8):
        url, seed = f"https://fringe.example/push-{k}", by_id[f"chan{k % 4}-{k}"]
        source += [_evidence_row("source", seed, by_id[f"camp{m}-push{k}"], url) for m in range(8)]
        forward.append(_evidence_row("forward", seed, by_id[f"chan4-{k}"], url))

    def order(r: dict) -> tuple:
        return r["account_a"], r["account_b"], r["t_a"], r["t_b"]

    ev = det.evidence_.filter(pc.is_in(det.evidence_["signal"], pa.array(["source", "forward"])))
    assert ev.to_pylist() == sorted(source, key=order) + sorted(forward, key=order)
    # Those rows explain membership; they are not a signal: the reason, the signals and the
    # synchrony still come from rare-share's co-actions. Every post of the thirteen members is
    # evidence, each counted once (a member's share is in a source row and in rare-share's).
    score = det.cluster_scores_.select(["top_signal", "signals", "coordinated_share"]).to_pylist()
    assert score == [{"top_signal": "rare-share", "signals": "rare-share", "coordinated_share": 1.0}]


def _repost_background(rng: np.random.Generator, n_users: int = 100, n_posts: int = 300,
                       reposts: int = 20) -> list[dict]:
    """Ordinary accounts writing posts and reposting each other's, popular ones more often."""
    rows = [post(f"user{i % n_users}", float(rng.uniform(0, 6 * DAY)), f"bg-{i}", text=_text(rng)) for i in range(n_posts)]
    weights = 1.0 / (np.arange(n_posts) + 3.0)
    weights /= weights.sum()
    for u in range(n_users):
        for i in rng.choice(n_posts, reposts, replace=False, p=weights):
            src = rows[int(i)]
            if src["account_id"] != f"user{u}":
                rows.append(post(f"user{u}", (src["created_at"] - T0_).total_seconds() + float(rng.uniform(60, DAY)),
                                 f"user{u}-rp{i}", repost_of=src["post_id"]))
    return rows


def _ring_and_fans(rng: np.random.Generator) -> tuple[list[dict], list[dict]]:
    """A ring of eight reposting its anchor's six campaign posts (each member four of them, minutes
    to hours apart) and three other accounts' posts nobody else reposts; and twelve fans
    reposting most of their idol's thirty posts, as fast as each of them is."""
    ring = [post("anchor", float(rng.uniform(0, 6 * DAY)), f"anchor-{j}", text=_text(rng)) for j in range(20)]
    pushed = ring[:6] + [post(f"pol{j}", 1.5 * DAY * (j + 1), f"pol-{j}", text=_text(rng)) for j in range(3)]
    ring += pushed[6:]
    for j, target in enumerate(pushed):
        t0 = (target["created_at"] - T0_).total_seconds()
        for m in range(8):
            if (m + j) % 3 != 0:
                ring.append(post(f"ring{m}", t0 + float(rng.uniform(600, 4 * 3600)), f"ring{m}-rp{j}",
                                 repost_of=target["post_id"]))
    fans = [post("idol", float(rng.uniform(0, 6 * DAY)), f"idol-{j}", text=_text(rng)) for j in range(30)]
    speed = rng.uniform(15, 240, 12)
    for j in range(30):
        t0 = (fans[j]["created_at"] - T0_).total_seconds()
        for f in range(12):
            if rng.random() < 0.7:
                fans.append(post(f"fan{f}", t0 + 2 + float(rng.exponential(speed[f])), f"fan{f}-rp{j}",
                                 repost_of=f"idol-{j}"))
    return ring, fans


T0_ = post("x", 0.0)["created_at"]


def test_a_ring_reposting_its_anchor_and_posts_nobody_else_reposts_is_found_and_fans_are_not(workspace):
    rng = np.random.default_rng(21)
    ring, fans = _ring_and_fans(rng)
    det = lockstep.detect(workspace(_repost_background(rng) + ring + fans), ["co-repost"], write=False, seed=0)
    # Minutes to hours apart, the ring's reposts rarely meet inside co-repost's window; what gives
    # it away is that its crowd also pushed three other accounts' posts that nobody else reposted.
    # The fans repost only their idol, as fans do: not a ring.
    assert _members(det) == [["anchor"] + [f"ring{m}" for m in range(8)]]
    assert any("amplification ring" in n for n in det.notes_)
    # The reason counts the nine posts the ring pushed (the politicians' three among them: the
    # reposts are the members' own), within the slowest repost's delay.
    score = det.cluster_scores_.select(["top_signal", "n_accounts", "reason"]).to_pylist()
    slowest = max((r["created_at"] - next(o for o in ring if o["post_id"] == r["repost_of"])["created_at"])
                  for r in ring if r["repost_of"]).total_seconds() / 3600
    assert score == [{"top_signal": "ring", "n_accounts": 9, "reason": "9 accounts reposted the same 9 posts, which "
                      f"almost nobody outside them reposted, within {slowest:.3g} h"}]


def test_the_evidence_of_a_ring_is_each_members_repost_of_the_posts_it_pushed(workspace):
    rng = np.random.default_rng(21)
    ring, fans = _ring_and_fans(rng)
    det = lockstep.detect(workspace(_repost_background(rng) + ring + fans), ["co-repost"], write=False, seed=0)
    by_id = {r["post_id"]: r for r in ring}
    expected = [_evidence_row("ring", by_id[r["repost_of"]], r, f"twitter:{r['repost_of']}")
                for r in ring if r["repost_of"]]
    key = ("platform_a", "account_a", "platform_b", "account_b", "t_a", "t_b", "post_a", "post_b")
    ev = det.evidence_.filter(pc.equal(det.evidence_["signal"], "ring"))
    assert ev.to_pylist() == sorted(expected, key=lambda r: tuple(r[k] for k in key))
