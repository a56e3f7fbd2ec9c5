"""The learned pair verifier: shipped as plain JSON, tells authors apart, deterministic, cross-fitted honestly."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from lockstep.aliases import AliasLinker
from lockstep.aliases._verifier import (
    VIEWS,
    PairVerifier,
    _Counter,
    _vectorizer,
    crossfit_matrix,
    crossfit_verifiers,
    fit_verifier,
    load_verifier,
    ngram_positions,
    prepare,
    training_pairs,
)
from tests.aliases.conftest import STYLES, TOPICS, make_posts


def fixture_texts(n_per: int = 2, posts: int = 12) -> tuple[list[str], list[str], list[str]]:
    """Texts by the four synthetic authors, ``n_per`` on each topic: (texts, authors, topics)."""
    texts, authors, topics = [], [], []
    for a in STYLES:
        for t in TOPICS:
            for s in range(n_per):
                texts.append(" ".join(make_posts(a, t, posts, seed=s)))
                authors.append(a)
                topics.append(t)
    return texts, authors, topics


def test_the_shipped_verifier_is_plain_json_read_offline_with_its_provenance():
    doc = json.loads(resources.files("lockstep.aliases").joinpath("verifier.json").read_text(encoding="utf-8"))
    assert doc["script"] == "scripts/fit_alias_verifier.py"
    assert doc["fitted_on"].startswith("Reuter_50_50 C50train, calibration authors")
    assert len(doc["trained_on"]) == 25
    v = load_verifier()
    for view in VIEWS:
        assert len(v.ngrams[view]) == len(v.weights[view]) == 3000
        assert len(set(v.ngrams[view])) == 3000
        assert np.isfinite(v.weights[view]).all()
    assert doc["params"] == {"top": 3000, "c": 0.001, "max_pos": 8000, "neg": 2.0, "seed": 0}


def test_the_shipped_verifier_scores_same_author_pairs_above_different_author_pairs():
    texts, authors, topics = fixture_texts()
    v = load_verifier()
    prof = v.profiles(texts)
    i, j = np.triu_indices(len(texts), 1)
    s = v.score(prof, i, j)
    a = np.array(authors)
    t = np.array(topics)
    same = a[i] == a[j]
    # The hard case too: the same author on another topic against another author on the same topic.
    same_other_topic = same & (t[i] != t[j])
    other_same_topic = ~same & (t[i] == t[j])
    assert s[same].min() > s[~same].max()
    assert s[same_other_topic].min() > s[other_same_topic].max()


def test_on_unseen_c50_authors_the_shipped_verifier_ranks_same_author_articles_first(c50):
    from sklearn.metrics import roc_auc_score

    from lockstep.aliases._evaluation import c50_author_split, load_c50

    _, eval_authors = c50_author_split(c50)
    docs = load_c50(c50, "C50test", eval_authors[:6])
    texts = [d for a in sorted(docs) for d in docs[a][:8]]
    authors = np.array([a for a in sorted(docs) for _ in docs[a][:8]])
    v = load_verifier()
    assert not set(eval_authors) & set(v.trained_on)
    i, j = np.triu_indices(len(texts), 1)
    s = v.score(v.profiles(texts), i, j)
    # One article against one article of evaluation authors it never saw (the linker reaches 0.91
    # there with all its scorers); a verifier that had learned nothing would be near 0.5.
    assert roc_auc_score(authors[i] == authors[j], s) > 0.75


def test_pair_scores_and_block_scores_agree_and_survive_a_json_round_trip(tmp_path):
    texts, authors, _ = fixture_texts(n_per=1)
    v = fit_verifier(texts, authors, top=200, max_pos=40, seed=1)
    prof = v.profiles(texts)
    i, j = np.triu_indices(len(texts), 1)
    s = v.score(prof, i, j)
    b = v.block(prof, np.arange(len(texts)), np.arange(len(texts)))
    np.testing.assert_allclose(b[i, j], s, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(b, b.T, rtol=1e-5, atol=1e-5)
    v.save(tmp_path / "v.json")
    w = load_verifier(tmp_path / "v.json")
    np.testing.assert_allclose(w.score(w.profiles(texts), i, j), s, rtol=1e-5, atol=1e-5)
    assert w.trained_on == tuple(sorted(set(authors)))


def test_fitting_and_scoring_are_deterministic():
    texts, authors, _ = fixture_texts(n_per=1)
    a = fit_verifier(texts, authors, top=200, max_pos=40, seed=3)
    b = fit_verifier(texts, authors, top=200, max_pos=40, seed=3)
    assert a.to_dict() == b.to_dict()
    i, j = np.triu_indices(len(texts), 1)
    assert np.array_equal(a.score(a.profiles(texts), i, j), b.score(b.profiles(texts), i, j))


def test_hard_negatives_come_from_the_most_alike_different_author_pairs():
    authors = np.repeat(np.array(list("abcdefgh")), 10)
    sim = np.random.default_rng(0).random((len(authors), len(authors)))
    plain = training_pairs(authors, max_pos=100, neg=2.0, seed=1)
    # No hard share: the sample of earlier versions, pair for pair (the shipped verifier refits byte for byte).
    assert all(np.array_equal(x, y) for x, y in zip(plain, training_pairs(authors, max_pos=100, neg=2.0, seed=1,
                                                                           similarity=sim)))
    i, j, y = training_pairs(authors, max_pos=100, neg=2.0, seed=1, hard=0.5, similarity=sim)
    assert y.sum() == 100 and (~y).sum() == 200 and len(set(zip(i, j))) == 300
    ii, jj = np.triu_indices(len(authors), 1)
    different = authors[ii] != authors[jj]
    cut = np.quantile(sim[ii[different], jj[different]], 0.9)
    # Half the negatives from the top tenth, the other half at random (about a tenth of those too).
    assert 100 <= (sim[i[~y], j[~y]] >= cut).sum() <= 130


def test_frequencies_are_relative_to_all_the_texts_ngrams():
    for view in VIEWS:
        analyzer = _vectorizer(view).build_analyzer()
        for text in ("", "a", "Well...  I  think so!!", "The Bank of Canada raised rates by 0.25 points, again!"):
            p = prepare(view, text)
            assert ngram_positions(view, p) == len(analyzer(p)), (view, text)
    v = PairVerifier(ngrams={"char": ("a",), "masked": ("xx",), "word": ("the",)},
                     weights={k: np.zeros(1) for k in VIEWS}, cosine_weights=dict.fromkeys(VIEWS, 0.0), intercept=0.0)
    prof = v.profiles(["aaaa"])
    # "aaaa": 4 + 3 + 2 + 1 = 10 character n-grams of orders 1-4, 4 of them "a".
    assert prof["char"][0, 0] == pytest.approx(np.sqrt(4 / 10))


@pytest.mark.parametrize("chunk_chars", [1, 700, 4_000_000])
def test_the_fast_counter_counts_exactly_what_sklearn_counts(chunk_chars):
    texts, _, _ = fixture_texts(n_per=1)
    texts += ["", "a", "x  y\t\tz  ", "Ünïcode — “quotes” 😀 don't… (2.5%)\n\nEnd.", "The Bank of Canada, again!"]
    v = load_verifier()
    for view in VIEWS:
        prepared = [prepare(view, t) for t in texts]
        fast = _Counter(view, v.ngrams[view]).counts(prepared, chunk_chars=chunk_chars)
        ref = _vectorizer(view, v.ngrams[view]).transform(prepared)
        assert fast.shape == ref.shape
        assert abs(fast - ref).max() == 0, view
        assert ref.sum() > 0


def test_the_linker_reports_the_verifier_among_the_scorers_parts():
    texts, authors, _ = fixture_texts(n_per=1, posts=20)
    names = [f"{a}{k}" for k, a in enumerate(authors)]
    pairs = AliasLinker(min_chars=200, topic="none").fit(names, texts).pairs_
    for col in ("score_verifier", "z_verifier", "part_verifier"):
        assert col in pairs
    assert pairs["score_verifier"].notna().all()


def test_cross_fitting_never_scores_a_pair_with_a_verifier_that_saw_either_author():
    # 12 "authors" (style × topic), 4 folds: each pair of folds leaves 6 authors to train on.
    texts, styles, topics = fixture_texts(n_per=2, posts=8)
    authors = [f"{s}/{t}" for s, t in zip(styles, topics)]
    fold_of, models = crossfit_verifiers(texts, authors, n_folds=4, top=100, max_pos=30, seed=0)
    assert sorted(set(fold_of.values())) == [0, 1, 2, 3]
    assert len(models) == 4 + 6
    for key, m in models.items():
        assert set(m.trained_on) == {a for a, f in fold_of.items() if f not in key}
    scores, used = crossfit_matrix(texts, authors, fold_of, models)
    keys = sorted(models, key=sorted)
    n = len(texts)
    assert np.allclose(scores, scores.T)
    for a in range(n):
        for b in range(n):
            if a == b:
                assert used[a, b] == -1
                continue
            seen = set(models[keys[used[a, b]]].trained_on)
            assert authors[a] not in seen and authors[b] not in seen, (a, b)
    # Each entry is that verifier's own score of the pair.
    a, b = 0, n - 1
    m = models[keys[used[a, b]]]
    assert scores[a, b] == pytest.approx(m.score(m.profiles([texts[a], texts[b]]), [0], [1])[0], abs=1e-5)


def test_the_linker_hands_the_verifier_its_masked_texts_and_the_scores_do_not_change():
    from lockstep.aliases._features import build_features
    from lockstep.aliases._verifier import VerifierScorer

    texts, _, _ = fixture_texts(n_per=1)
    feats = build_features(texts)
    assert len(feats.masked_texts) == len(texts)
    shipped = load_verifier()
    i, j = np.triu_indices(len(texts), 1)
    shared = VerifierScorer(shipped, feats.texts, feats.masked_texts)(i, j)
    assert np.array_equal(shared, VerifierScorer(shipped, feats.texts)(i, j))
    assert np.array_equal(shared, shipped.score(shipped.profiles(texts), i, j))
    with pytest.raises(ValueError, match="one text per text"):
        shipped.profiles(feats.texts, cleaned=True, masked=feats.masked_texts[:-1])
