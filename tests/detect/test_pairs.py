"""Windowed pair counting, signal by signal, on hand-built posts with the exact expected edges."""

from __future__ import annotations

import math

import pytest

from lockstep.detect import (
    CoHashtag,
    CoLink,
    CoMedia,
    CoMention,
    CoReply,
    CoRepost,
    IdenticalText,
    NearText,
    Synchronous,
    pair_counts,
)

from .conftest import post

RAW = dict(min_count=1, null=None, max_pairs_per_object=None)


def edges(det):
    """(account_a, account_b, n_pairs, n_objects, n_posts_a, n_posts_b) of every kept edge."""
    t = det.edges_
    return [
        (r["account_a"], r["account_b"], r["n_pairs"], r["n_objects"], r["n_posts_a"], r["n_posts_b"])
        for r in t.to_pylist()
        if r["kept"]
    ]


def evidence(det):
    """(account_a, post_a, account_b, post_b, object, dt_s) of every evidence row."""
    return [
        (r["account_a"], r["post_a"], r["account_b"], r["post_b"], r["object"], r["dt_s"])
        for r in det.evidence_.to_pylist()
    ]


def test_co_repost_pairs_accounts_reposting_the_same_post_within_the_window(workspace):
    ws = workspace([
        post("orig", 0, "p1"),
        post("orig", 100, "p2"),
        post("a", 5, "a1", repost_of="p1"),
        post("b", 8, "b1", repost_of="p1"),    # 3 s after a: pairs with a
        post("c", 50, "c1", repost_of="p1"),   # 42 s after b: outside a 10 s window
        post("a", 105, "a2", repost_of="p2"),
        post("b", 104, "b2", repost_of="p2"),  # 1 s before a: pairs with a
        post("c", 115, "c2", repost_of="p2"),  # 10 s after a: the window is inclusive
    ])
    det = CoRepost(window="10s", **RAW).fit(ws)
    assert edges(det) == [
        ("a", "b", 2, 2, 2, 2),  # p1 (Δt 3 s) and p2 (Δt 1 s)
        ("a", "c", 1, 1, 1, 1),  # p2, Δt exactly 10 s
    ]
    assert evidence(det) == [
        ("a", "a1", "b", "b1", "twitter:p1", 3.0),
        ("a", "a2", "b", "b2", "twitter:p2", -1.0),
        ("a", "a2", "c", "c2", "twitter:p2", 10.0),
    ]


def test_pair_counts_gives_the_raw_windowed_edges_with_cnt_directed_weights(workspace):
    ws = workspace([
        post("a", 0, "a1", repost_of="x"),
        post("a", 1, "a2", repost_of="x"),  # a reposts x twice: two of a's posts have a partner
        post("b", 2, "b1", repost_of="x"),
    ])
    t = pair_counts(ws, "co-repost", 60)
    assert t.select(["account_a", "account_b", "n_pairs", "n_objects", "n_posts_a", "n_posts_b", "kept"]).to_pylist() == [
        {"account_a": "a", "account_b": "b", "n_pairs": 2, "n_objects": 1, "n_posts_a": 2, "n_posts_b": 1, "kept": True}
    ]


def test_pair_counts_include_pairs_exactly_one_window_apart_and_never_an_account_with_itself(workspace):
    ws = workspace([
        post("a", 100, "a1", repost_of="x"),
        post("a", 105, "a2", repost_of="x"),   # a with itself: no pair
        post("b", 110, "b1", repost_of="x"),   # 10 s after a1: the window is inclusive
        post("c", 115.5, "c1", repost_of="x"),  # 10.5 s after a2: outside
        post("b", 120, "b2", repost_of="y"),
        post("c", 120, "c2", repost_of="y"),   # the same second as b2
    ])
    t = pair_counts(ws, "co-repost", 10)
    assert t.select(["account_a", "account_b", "n_pairs", "n_objects", "n_posts_a", "n_posts_b", "median_dt_s"]).to_pylist() == [
        {"account_a": "a", "account_b": "b", "n_pairs": 2, "n_objects": 1, "n_posts_a": 2, "n_posts_b": 1,
         "median_dt_s": 7.5},  # a1-b1 10 s, a2-b1 5 s
        {"account_a": "b", "account_b": "c", "n_pairs": 2, "n_objects": 2, "n_posts_a": 2, "n_posts_b": 2,
         "median_dt_s": 2.75},  # b1-c1 5.5 s, b2-c2 0 s
    ]


def test_co_link_pairs_accounts_across_platforms_on_the_same_normalised_url(workspace):
    url = "https://example.org/story"
    ws = workspace([
        post("a", 0, "a1", urls=[url], domains=["example.org"]),
        post("f", 20, "f1", platform="facebook", urls=[url], domains=["example.org"]),
        post("b", 30, "b1", urls=["https://example.org/other"], domains=["example.org"]),
    ])
    # The account key is (platform, account_id): facebook/f sorts before twitter/a.
    assert edges(CoLink(window="60s", **RAW).fit(ws)) == [("f", "a", 1, 1, 1, 1)]
    # At domain level all three share example.org within 60 s.
    domain = CoLink(window="60s", level="domain", **RAW).fit(ws)
    assert [(r["platform_a"], r["account_a"], r["platform_b"], r["account_b"]) for r in domain.edges_.to_pylist()] == [
        ("facebook", "f", "twitter", "a"),
        ("facebook", "f", "twitter", "b"),
        ("twitter", "a", "twitter", "b"),
    ]


def test_co_reply_pairs_accounts_replying_to_the_same_post(workspace):
    ws = workspace([
        post("a", 0, "a1", reply_to="t"),
        post("b", 30, "b1", reply_to="t"),
        post("c", 30, "c1", reply_to="other"),
    ])
    assert edges(CoReply(window="1m", **RAW).fit(ws)) == [("a", "b", 1, 1, 1, 1)]


def test_co_hashtag_compares_the_hashtag_set_or_its_sequence(workspace):
    ws = workspace([
        post("a", 0, "a1", hashtags=["x", "y"]),
        post("b", 10, "b1", hashtags=["y", "x"]),  # same set, other order
        post("c", 20, "c1", hashtags=["x"]),       # one hashtag: below min_hashtags=2
    ])
    assert edges(CoHashtag(window="1m", **RAW).fit(ws)) == [("a", "b", 1, 1, 1, 1)]
    assert edges(CoHashtag(window="1m", mode="sequence", **RAW).fit(ws)) == []


def test_co_mention_pairs_accounts_mentioning_the_same_handle_but_not_in_reposts(workspace):
    ws = workspace([
        post("a", 0, "a1", mentions=["target"]),
        post("b", 5, "b1", mentions=["target"]),
        post("c", 6, "c1", mentions=["target"], repost_of="zz"),  # RT @target: a repost
    ])
    assert edges(CoMention(window="1m", **RAW).fit(ws)) == [("a", "b", 1, 1, 1, 1)]


def test_co_media_pairs_accounts_posting_the_same_media_hash(workspace):
    ws = workspace([
        post("a", 0, "a1", media=["sha:1", "sha:2"]),
        post("b", 5, "b1", media=["sha:2"]),
    ])
    det = CoMedia(window="1m", **RAW).fit(ws)
    assert edges(det) == [("a", "b", 1, 1, 1, 1)]
    assert evidence(det) == [("a", "a1", "b", "b1", "sha:2", 5.0)]


def test_identical_text_uses_original_posts_and_ignores_short_texts(workspace):
    text = "the election was stolen, share before they delete"
    ws = workspace([
        post("a", 0, "a1", text=text),
        post("b", 30, "b1", text=text.upper()),                 # same once case-folded
        post("c", 40, "c1", text=text, repost_of="a1"),         # a repost: co-repost's business
        post("d", 50, "d1", text="ok"), post("e", 51, "e1", text="ok"),  # shorter than min_chars
    ])
    assert edges(IdenticalText(window="1m", **RAW).fit(ws)) == [("a", "b", 1, 1, 1, 1)]


def test_near_text_finds_texts_above_the_jaccard_threshold_only(workspace):
    base = "one two three four five six seven eight nine ten"
    ws = workspace([
        post("a", 0, "a1", text=base),
        post("b", 10, "b1", text=base + " eleven"),                   # Jaccard 10/11 = 0.91
        post("c", 20, "c1", text="one two three four five alpha beta gamma delta"),  # 5/14
    ])
    det = NearText(window="1m", threshold=0.8, **RAW).fit(ws)
    assert edges(det) == [("a", "b", 1, 1, 1, 1)]
    assert [r[:4] for r in evidence(det)] == [("a", "a1", "b", "b1")]


def test_synchronous_counts_posts_within_seconds_whatever_they_are(workspace):
    rows = []
    for k in range(5):  # five rounds: a and b 2 s apart, c a minute later
        rows += [post("a", 1000 * k, f"a{k}"), post("b", 1000 * k + 2, f"b{k}"), post("c", 1000 * k + 60, f"c{k}")]
    det = Synchronous(window="5s", min_posts=5, **RAW).fit(ws := workspace(rows))
    assert edges(det) == [("a", "b", 5, 1, 5, 5)]
    assert {r[5] for r in evidence(det)} == {2.0}
    del ws


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("2s", []),                           # Δt 3 s is outside
        ("3s", [("a", "b", 1, 1, 1, 1)]),     # inclusive bound
        (3.5, [("a", "b", 1, 1, 1, 1)]),      # a number is seconds
    ],
)
def test_the_window_bound_is_inclusive(workspace, window, expected):
    ws = workspace([post("a", 0, "a1", repost_of="x"), post("b", 3, "b1", repost_of="x")])
    assert edges(CoRepost(window=window, **RAW).fit(ws)) == expected


def test_the_guard_counts_in_window_pairs_not_the_pairs_of_adjacent_time_buckets(workspace):
    # Ten reposts at 0 s and ten at 19 s: the band join of 10 s buckets meets 45 + 100 + 45 = 190
    # candidate pairs, but only 90 are within 10 s, under the guard of 100: nothing is set aside.
    rows = [post(f"u{i}", 0, f"u{i}", repost_of="x") for i in range(10)]
    rows += [post(f"v{i}", 19, f"v{i}", repost_of="x") for i in range(10)]
    det = CoRepost(window="10s", min_count=1, null=None, max_pairs_per_object=100).fit(workspace(rows))
    assert det.notes_ == []
    assert det.edges_.num_rows == 90
    assert CoRepost(window="10s", min_count=1, null=None, max_pairs_per_object=89).fit(workspace(rows)).notes_ == [
        "co-repost: 1 object(s) set aside, each with more than 89 in-window pairs "
        "(largest: 'twitter:x', 90 pairs); raise max_pairs_per_object to include them"
    ]


def test_edge_statistics_of_pairs_that_co_act_once_and_many_times_agree(workspace):
    # a–b co-repost twice (two objects, one of a's posts pairs with two of b's), a–c once.
    ws = workspace([
        post("a", 0, "a1", repost_of="x"), post("b", 2, "b1", repost_of="x"), post("b", 4, "b2", repost_of="x"),
        post("a", 100, "a2", repost_of="y"), post("b", 106, "b3", repost_of="y"), post("c", 101, "c1", repost_of="y"),
    ])
    t = CoRepost(window="10s", **RAW).fit(ws).edges_
    cols = ["account_a", "account_b", "n_pairs", "n_objects", "n_posts_a", "n_posts_b", "median_dt_s"]
    assert t.select(cols).to_pylist() == [
        dict(zip(cols, ("a", "b", 3, 2, 2, 3, 4.0), strict=True)),  # Δt 2, 4, 6 s
        dict(zip(cols, ("a", "c", 1, 1, 1, 1, 1.0), strict=True)),
        dict(zip(cols, ("b", "c", 1, 1, 1, 1, 5.0), strict=True)),
    ]
    weights = {"x": 1.0, "y": math.log(3) / math.log(4)}  # y: three accounts
    assert t["strength"].to_pylist() == pytest.approx([weights["x"] + weights["y"], weights["y"], weights["y"]])
    # Summed in fixed point (whole units of 2^-40): the same bits whatever order threads add in.
    assert all((s * 2**40).is_integer() for s in t["strength"].to_pylist())


@pytest.mark.parametrize("n_accounts", [50, 2**31], ids=["packed-sort", "wide-ids"])
def test_candidates_of_single_and_multi_pairs_merge_in_pair_order(n_accounts):
    # Pairs that co-act once arrive bare (object and Δt), the others with every statistic; the
    # merge must equal the whole table sorted by (acc_a, acc_b), whichever sort it takes.
    import numpy as np
    import pyarrow as pa

    from lockstep.detect._pairs import _CAND_SCHEMA, _FIXED, _merge_sorted

    rng = np.random.default_rng(7)
    keys = rng.choice(50 * 50, size=300, replace=False)
    a, b = keys // 50, keys % 50
    if n_accounts > 50:
        a = a * 40_000_000  # ids as large as the packed key cannot hold
        b = b * 40_000_000
    weights = rng.random(20)
    obj = pa.table({"obj": pa.array(np.arange(20)[::-1].copy()), "weight": pa.array(weights[::-1].copy())})
    single = pa.table({"acc_a": a[:200], "acc_b": b[:200], "obj": rng.integers(0, 20, 200),
                       "median_dt_s": rng.random(200)})
    multi = pa.table({"acc_a": a[200:], "acc_b": b[200:], "n_pairs": rng.integers(2, 9, 100),
                      "n_objects": rng.integers(1, 9, 100), "n_posts_a": rng.integers(1, 9, 100),
                      "n_posts_b": rng.integers(1, 9, 100), "strength": rng.random(100),
                      "median_dt_s": rng.random(100)})
    fixed = np.floor(weights * _FIXED + 0.5) / _FIXED  # strength's fixed point
    rows = [(r["acc_a"], r["acc_b"], 1, 1, 1, 1, float(fixed[r["obj"]]), r["median_dt_s"]) for r in single.to_pylist()]
    rows += [tuple(r.values()) for r in multi.to_pylist()]
    expected = pa.Table.from_pylist([dict(zip(_CAND_SCHEMA.names, r)) for r in sorted(rows)], schema=_CAND_SCHEMA)

    got = _merge_sorted(single, multi, obj, n_accounts)

    assert got.equals(expected)
