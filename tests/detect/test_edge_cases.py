"""Bad input and edge cases: nothing crashes, nothing is dropped silently."""

from __future__ import annotations

import pytest

import lockstep
from lockstep.detect import DETECTORS, CoRepost, InvalidParameterError, NotFittedError, get_detector

from .conftest import post

RAW = dict(min_count=1, null=None, max_pairs_per_object=None)


def test_an_empty_workspace_gives_empty_tables_and_a_note(workspace):
    det = lockstep.detect(workspace([]))
    assert det.coaction_edges_.num_rows == det.edges_.num_rows == det.clusters_.num_rows == 0
    assert det.notes_ == ["the workspace has no posts: nothing to detect"]


def test_a_signal_whose_fields_are_absent_is_skipped_with_a_note(workspace):
    ws = workspace([post("a", 0, "a1", repost_of="x"), post("b", 1, "b1", repost_of="x")])
    det = lockstep.detect(ws, signals="co-repost,co-link", raw=True)
    assert "co-link: skipped, no post has urls" in det.notes_
    assert det.coaction_edges_["signal"].to_pylist() == ["co-repost"]


def test_accounts_with_one_post_and_objects_shared_once_make_no_edges(workspace):
    ws = workspace([post(f"u{i}", i, f"p{i}", repost_of=f"x{i}") for i in range(5)])
    det = CoRepost(window="1h", **RAW).fit(ws)
    assert det.edges_.num_rows == 0
    assert det.evidence_.num_rows == 0


def test_timestamps_all_equal_pair_everyone_even_with_a_zero_window(workspace):
    ws = workspace([post(a, 0, f"{a}1", repost_of="x") for a in "abc"])
    det = CoRepost(window=0, **RAW).fit(ws)
    assert [(r["account_a"], r["account_b"]) for r in det.edges_.to_pylist()] == [("a", "b"), ("a", "c"), ("b", "c")]
    assert set(det.evidence_["dt_s"].to_pylist()) == {0.0}


@pytest.mark.parametrize("min_count", [1, 2])  # 2: the guard counts in process (DuckDB), 1: in the engine
def test_one_giant_object_is_set_aside_with_a_note_when_it_exceeds_the_guard(workspace, min_count):
    rows = [post(f"u{i:03d}", i % 7, f"g{i}", repost_of="giant") for i in range(60)]
    rows += [post("a", 100, "a1", repost_of="small"), post("b", 101, "b1", repost_of="small")]
    rows += [post("a", 200, "a2", repost_of="small2"), post("b", 201, "b2", repost_of="small2")]
    ws = workspace(rows)
    det = CoRepost(window="10s", min_count=min_count, null=None, max_pairs_per_object=100).fit(ws)
    assert [(r["account_a"], r["account_b"]) for r in det.edges_.to_pylist()] == [("a", "b")]
    assert det.notes_ == [
        "co-repost: 1 object(s) set aside, each with more than 100 in-window pairs "
        "(largest: 'twitter:giant', 1770 pairs); raise max_pairs_per_object to include them"
    ]
    # Without the guard the giant object pairs all 60 accounts: 60·59/2 edges, plus a–b.
    assert CoRepost(window="10s", **RAW).fit(ws).edges_.num_rows == 60 * 59 // 2 + 1


def test_synchronous_on_timestamps_all_equal_is_set_aside_by_its_cap(workspace):
    """Every post at one instant: each pair of accounts co-posts 36 times. The clock is not set
    aside for being crowded; past the cap, its pairs of accounts that reach min_count are."""
    from lockstep.detect import Synchronous

    ws = workspace([post(f"u{i:02d}", 5, f"p{i}-{k}") for i in range(40) for k in range(6)])
    assert Synchronous(min_count=5).fit(ws).edges_.num_rows == 40 * 39 // 2
    det = Synchronous(min_count=5, max_pairs_per_object=1000).fit(ws)
    assert det.edges_.num_rows == 0
    assert det.notes_ == [
        "synchronous: set aside: 28080 in-window pairs, more than max_pairs_per_object (1000) of them "
        "between accounts with at least 5; raise it to include them"
    ]


def test_a_bad_parameter_names_itself_what_it_allows_and_what_it_got(workspace):
    ws = workspace([])
    with pytest.raises(InvalidParameterError, match=r"CoRepost: parameter 'window' must be .*; got 'soon'"):
        CoRepost(window="soon").fit(ws)
    with pytest.raises(InvalidParameterError, match=r"parameter 'fdr' must be a number in \(0, 1\]; got 0"):
        CoRepost(fdr=0).fit(ws)


def test_results_before_fit_say_which_step_to_run(workspace):
    with pytest.raises(NotFittedError, match=r"call .fit\(workspace\) first"):
        lockstep.detect.Detection().table("edges")


def test_an_unknown_signal_is_a_clear_error():
    with pytest.raises(lockstep.detect.DetectorError, match="unknown signal 'co-telepathy'; available: co-repost"):
        get_detector("co-telepathy")


def test_hostile_text_and_ids_round_trip_through_the_evidence(workspace):
    nasty = "'); DROP TABLE posts; -- \u202e [red]x[/red] \x00?"
    ws = workspace([
        post("a'\"", 0, "p'1", text=nasty * 2, platform="tw'itter"),
        post("b; --", 5, "p\"2", text=nasty * 2, platform="tw'itter"),
    ])
    det = get_detector("identical-text", window="1m", **RAW).fit(ws)
    (row,) = det.evidence_.to_pylist()
    assert (row["account_a"], row["post_a"], row["account_b"], row["post_b"]) == ("a'\"", "p'1", "b; --", "p\"2")
    assert ws.table("posts").num_rows == 2


@pytest.mark.parametrize("signal", list(DETECTORS))
def test_every_signal_runs_on_posts_that_lack_its_fields(workspace, signal):
    ws = workspace([post("a", 0, "a1"), post("b", 1, "b1")])
    det = get_detector(signal).fit(ws)
    assert det.edges_.num_rows == 0


def test_a_read_only_workspace_can_be_read_but_not_written(tmp_path):
    from lockstep import Workspace

    from .conftest import insert

    with Workspace(tmp_path / "ws") as ws:
        insert(ws, [post("a", 0, "a1", repost_of="x"), post("b", 1, "b1", repost_of="x")])
    with Workspace(tmp_path / "ws", read_only=True) as ws:
        det = lockstep.detect(ws, signals="co-repost", raw=True, write=False)
        assert det.coaction_edges_.num_rows == 1
        with pytest.raises(lockstep.detect.DetectorError, match="opened read-only; detect with write=False"):
            lockstep.detect(ws, signals="co-repost", raw=True)


def test_timestamps_kept_to_the_minute_skip_synchronous_unless_the_window_is_a_minute(workspace):
    # Five rounds in which a and b post in the same minute: with minute-resolution clocks both
    # land on :00, which a 5 s window would read as perfect synchrony.
    rows = []
    for k in range(5):
        rows += [post("a", 600 * k, f"a{k}"), post("b", 600 * k, f"b{k}")]
    ws = workspace(rows)
    seconds = get_detector("synchronous", window="5s", min_posts=5, **RAW).fit(ws)
    assert seconds.edges_.num_rows == 0
    assert seconds.notes_ == [
        "synchronous: skipped, 100.0% of timestamps fall on a whole minute: the data is kept to the minute, "
        "so posts within 5 s cannot be told apart from posts in the same minute (a window of 60s or more "
        "runs it at minute resolution)"
    ]
    minute = get_detector("synchronous", window="60s", min_posts=5, **RAW).fit(ws)
    assert minute.edges_.select(["account_a", "account_b"]).to_pylist() == [{"account_a": "a", "account_b": "b"}]


@pytest.mark.parametrize("signal", sorted(DETECTORS))
def test_every_reason_reads_in_the_singular_for_one_object_and_the_plural_for_more(signal):
    from lockstep.detect._score import reason_sentence

    one = reason_sentence(DETECTORS[signal].reason, 3, 1, 30.0)
    many = reason_sentence(DETECTORS[signal].reason, 3, 5, 30.0)
    assert " 1 " not in one.replace("posted 1 near", "") and "{" not in one
    assert "5" in many and one != many
