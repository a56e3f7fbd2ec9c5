"""The alias linker on small synthetic authors: each writes under one name per topic, so that a
same-topic pair by different authors is the hard negative."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lockstep.aliases import INSUFFICIENT, SCORERS, AliasLinker, NotFittedError, clean_text, link_aliases
from lockstep.errors import LockstepError
from tests.aliases.conftest import STYLES, TOPICS, make_posts


def scenario(topics=tuple(TOPICS), n_posts=30, mixed=False):
    """One name per author and topic; with ``mixed`` every name writes on every topic in turn."""
    names, texts, author = [], [], {}
    for a in STYLES:
        for t in topics:
            name = f"{a}_{t}"
            names.append(name)
            texts.append(make_posts(a, "mixed" if mixed else t, n_posts, seed=len(t)))
            author[name] = a
    return names, texts, author


def same(pairs, author):
    return np.array([author[a] == author[b] for a, b in zip(pairs["name_a"], pairs["name_b"])])


@pytest.mark.parametrize("topics, calibration", [
    (tuple(TOPICS), "cohort"),          # 12 names: enough impostors for cohort normalisation
    (("ships", "farms"), "raw"),        # 8 names: too few impostors, raw model
])
def test_every_same_author_pair_scores_above_every_different_author_pair(topics, calibration):
    names, texts, author = scenario(topics, mixed=True)
    linker = AliasLinker(min_chars=500, topic="none").fit(names, texts)
    y = same(linker.pairs_, author)
    p = linker.pairs_["probability"].to_numpy()
    assert linker.calibration_used_ == calibration
    assert len(linker.pairs_) == len(names) * (len(names) - 1) // 2
    assert p[y].min() > p[~y].max()


def hard_negatives(pairs, author):
    topic = {n: n.split("_")[1] for n in author}
    return np.array([topic[a] == topic[b] and author[a] != author[b] for a, b in zip(pairs["name_a"], pairs["name_b"])])


def test_the_topic_masked_scorer_puts_same_author_pairs_above_same_topic_pairs_by_different_authors():
    names, texts, author = scenario()
    pairs = AliasLinker(min_chars=500, topic="none").fit(names, texts).pairs_
    y, hard = same(pairs, author), hard_negatives(pairs, author)
    assert pairs["z_masked"][y].min() > pairs["z_masked"][hard].max()
    assert pairs["z_delta"][y].min() > pairs["z_delta"][hard].max()


@pytest.mark.xfail(reason="known limit: the calibration, fitted on C50 where topic follows the author, "
                   "leans on character n-grams, which carry topic (docs/aliases.md, Limits)")
def test_the_probability_puts_same_author_pairs_above_same_topic_pairs_by_different_authors():
    names, texts, author = scenario()
    pairs = AliasLinker(min_chars=500, topic="none").fit(names, texts).pairs_
    y, hard = same(pairs, author), hard_negatives(pairs, author)
    assert pairs["log_lr"][y].min() > pairs["log_lr"][hard].max()


def test_clusters_are_the_authors():
    names, texts, _ = scenario(mixed=True)
    linker = AliasLinker(min_chars=500, topic="none").fit(names, texts)
    assert linker.clusters_ == [
        ["ann_banks", "ann_farms", "ann_ships"],
        ["bob_banks", "bob_farms", "bob_ships"],
        ["cat_banks", "cat_farms", "cat_ships"],
        ["dan_banks", "dan_farms", "dan_ships"],
    ]


def test_names_with_too_little_text_get_insufficient_evidence_and_no_pair():
    names, texts, _ = scenario(("ships",))
    names.append("zed_short")
    texts.append(["A short post.", "Another one."])
    linker = AliasLinker(min_chars=500, topic="none").fit(names, texts)
    row = linker.names_.set_index("name").loc["zed_short"]
    assert (row["status"], row["cluster"], row["n_chars"]) == (INSUFFICIENT, -1, len("A short post.\n\nAnother one."))
    assert "zed_short" not in set(linker.pairs_["name_a"]) | set(linker.pairs_["name_b"])
    assert list(linker.names_["status"]).count("ok") == 4


def test_the_evidence_lists_features_both_names_really_use():
    names, texts, _ = scenario(mixed=True)
    linker = AliasLinker(min_chars=500, topic="none").fit(names, texts)
    top = linker.pairs_.iloc[0]
    cleaned = {n: clean_text("\n\n".join(t)) for n, t in zip(names, texts)}
    evidence = json.loads(top["evidence"])
    kinds = {e["kind"] for e in evidence}
    assert {"char_ngram", "style_ngram"} <= kinds
    for e in evidence:
        if e["kind"] == "char_ngram":
            assert e["feature"] in cleaned[top["name_a"]] and e["feature"] in cleaned[top["name_b"]]
        if e["kind"] in ("function_word", "habit"):
            assert e["a"] > 0 and e["b"] > 0
    words = [e["feature"] for e in evidence if e["kind"] == "function_word"]
    for w in words:
        assert f" {w} " in f" {cleaned[top['name_a']].lower()} " and f" {w} " in f" {cleaned[top['name_b']].lower()} "


def test_the_same_input_and_seed_give_the_same_output():
    names, texts, _ = scenario()
    a = AliasLinker(min_chars=500, topic="none", seed=3).fit(names, texts)
    b = AliasLinker(min_chars=500, topic="none", seed=3).fit(list(reversed(names)), list(reversed(texts)))
    assert a.pairs_.equals(b.pairs_)
    assert a.names_.equals(b.names_)


def test_the_scorer_parts_add_up_to_the_log_likelihood_ratio_with_length():
    names, texts, _ = scenario()
    pairs = AliasLinker(min_chars=500, topic="none").fit(names, texts).pairs_
    parts = pairs[[f"part_{s}" for s in SCORERS]].sum(axis=1)
    # What remains is the intercept plus the text-length term: the same for equal lengths.
    rest = pairs["log_lr"] - parts
    assert rest.std() < 0.5


def test_probabilities_are_probabilities_and_the_prior_is_one_alias_per_name():
    names, texts, _ = scenario()
    linker = AliasLinker(min_chars=500, topic="none").fit(names, texts)
    p = linker.pairs_["probability"]
    assert ((p >= 0) & (p <= 1)).all()
    assert linker.prior_ == pytest.approx(1 / 11)


def test_word_topic_similarity_sees_the_topic_not_the_author():
    names, texts, _ = scenario()
    pairs = AliasLinker(min_chars=500, topic="words").fit(names, texts).pairs_
    topic = {n: n.split("_")[1] for n in names}
    same_topic = np.array([topic[a] == topic[b] for a, b in zip(pairs["name_a"], pairs["name_b"])])
    assert pairs["topic_similarity"][same_topic].min() > pairs["topic_similarity"][~same_topic].max()


def test_results_before_fit_raise_a_clear_error():
    with pytest.raises(NotFittedError, match=r"call \.fit"):
        AliasLinker().to_frames()


@pytest.mark.parametrize("params, message", [
    ({"min_chars": -1}, "min_chars must be a int in"),
    ({"threshold": 2.0}, "threshold must be a float in"),
    ({"topic": "bert"}, "topic must be one of auto, minilm, words, none"),
])
def test_bad_parameters_are_named_when_the_work_starts(params, message):
    linker = AliasLinker(**params)  # the constructor only stores
    with pytest.raises(LockstepError, match=message):
        linker.fit(["a", "b"], ["x", "y"])


def test_hostile_and_empty_texts_do_not_crash():
    names = ["=cmd|' /C calc'!A0", "<script>alert(1)</script>", "empty", "\x00\x1b[31m"]
    texts = [["=SUM(A1)"] * 40, ["<b>bold</b> " * 100], [], ["\x00" * 2000]]
    linker = link_aliases(names, texts, min_chars=100, topic="none")
    assert sorted(linker.names_["name"]) == sorted(names)
    assert dict(zip(linker.names_["name"], linker.names_["status"]))["empty"] == INSUFFICIENT


def test_beyond_all_pairs_max_only_nearest_neighbours_are_scored_and_twins_are_among_them():
    names, texts, author = scenario(mixed=True)
    linker = AliasLinker(min_chars=500, topic="none", all_pairs_max=5, n_candidates=2).fit(names, texts)
    y = same(linker.pairs_, author)
    assert len(linker.pairs_) < len(names) * (len(names) - 1) // 2
    assert y.sum() == 12  # all 4 authors × 3 pairs of their names found by the neighbour search


def test_past_compression_max_names_the_compression_scorer_is_skipped_not_guessed():
    names, texts, author = scenario(mixed=True)
    linker = AliasLinker(min_chars=500, topic="none", compression_max_names=5).fit(names, texts)
    pairs = linker.pairs_
    assert linker.compression_used_ is False
    assert pairs["score_compression"].isna().all()
    y = same(pairs, author)
    assert pairs["probability"][y].min() > pairs["probability"][~y].max()


def test_from_thirty_names_on_the_cosines_are_centred_on_the_names_mean():
    names, texts, author = [], [], {}
    for a in STYLES:
        for t in TOPICS:
            for seed in range(3):
                names.append(f"{a}_{t}_{seed}")
                texts.append(make_posts(a, t, 20, seed=seed))
                author[names[-1]] = a
    linker = AliasLinker(min_chars=500, topic="none").fit(names, texts)
    assert len(names) == 36 and linker.calibration_used_ == "centred"
    # The centred cosine, computed the long way: subtract the mean row, renormalise, take the dot.
    m = linker.features_.char.toarray().astype(float)
    c = m - m.mean(axis=0)
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    row = {n: k for k, n in enumerate(linker.names_["name"])}
    pairs = linker.pairs_
    expected = [c[row[a]] @ c[row[b]] for a, b in zip(pairs["name_a"], pairs["name_b"])]
    np.testing.assert_allclose(pairs["score_char"], expected, atol=1e-5)
    y = same(pairs, author)
    assert pairs["probability"][y].mean() > 10 * pairs["probability"][~y].mean()
    plain = AliasLinker(min_chars=500, topic="none", center_min_names=100).fit(names, texts)
    assert plain.calibration_used_ == "cohort"
    # Only with many names are the n-grams used by more than a fifth of them (7 of 36) dropped.
    df = lambda m: np.asarray((m > 0).sum(axis=0)).ravel()  # noqa: E731 - names using each n-gram
    assert (df(linker.features_.char).max(), df(linker.features_.word).max()) == (7, 7)
    assert (df(plain.features_.char).max(), df(plain.features_.word).max()) == (36, 18)
