"""What the scorers read: cleaned text, topic-masked text, habits."""

from __future__ import annotations

import numpy as np

from lockstep.aliases import HABITS, HellingerVectorizer, build_features, clean_text, mask_topic, mask_words


def test_masking_keeps_function_words_punctuation_and_word_shapes():
    assert mask_topic("The Bank of Canada raised rates by 0.25 points, again!") == (
        "The Xxxx of Xxxxxx xxxxxx xxxxx by 0.00 xxxxxx, again!"
    )


def test_cleaning_hides_links_handles_and_hashtag_words_but_keeps_the_habit():
    assert clean_text("see https://x.com/a?b=1 via @someone #Breaking\x07") == "see U via @M #H"


def test_habits_are_counted_per_thousand_characters():
    feats = build_features(["Wait... what?! Really!!", "Plain text here."])
    rate = dict(zip([h[0] for h in HABITS], feats.habits[0]))
    n = len("Wait... what?! Really!!")
    assert (rate["three dots ..."], rate["?! or !?"], rate["repeated !!"]) == (1000 / n, 1000 / n, 1000 / n)
    assert feats.n_chars.tolist() == [n, len("Plain text here.")]


def test_the_function_word_skeleton_keeps_function_words_and_punctuation_only():
    assert mask_words("The Bank of Canada raised rates by 0.25 points, again!") == "The * of * * * by #.# *, again!"


def test_max_df_drops_ngrams_most_names_use_but_never_empties_a_small_set():
    texts = [f"the cat number {k} sat on a mat of {'ab' * k} with pal{k // 2}" for k in range(1, 11)]
    df = lambda m: np.asarray((m > 0).sum(axis=0)).ravel()  # noqa: E731 - names in how many texts
    kept = build_features(texts)
    pruned = build_features(texts, max_df=0.2)
    assert df(kept.char).max() == 10 and df(kept.word).max() == 10
    # 0.2 of 10 names is 2, the floor is min_df + 1 = 3 names.
    assert 2 <= df(pruned.char).max() <= 3 and 2 <= df(pruned.word).max() <= 3
    assert "the" in set(kept.char_vocab) and "the" not in set(pruned.char_vocab)
    # The masked view is not pruned: its n-grams are common by design.
    assert (pruned.masked != kept.masked).nnz == 0


def test_hellinger_rows_are_square_roots_of_relative_frequencies():
    vec = HellingerVectorizer(analyzer="word", token_pattern=r"\w+").fit(["a a a b", "b c"])
    rows = vec.transform(["a a a b", "c c c c", "zzz"]).toarray()
    # vocabulary a, b, c: 3/4 and 1/4 of the first text, all of the second; an unseen word adds nothing
    np.testing.assert_allclose(rows, [[np.sqrt(0.75), 0.5, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    # so the product of two rows is the Bhattacharyya coefficient of the two distributions
    np.testing.assert_allclose(rows[0] @ rows[0], 1.0, rtol=1e-6)
