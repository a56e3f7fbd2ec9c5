"""What the scorers read: cleaned text, topic-masked text, habits."""

from __future__ import annotations

from lockstep.aliases import HABITS, build_features, clean_text, mask_topic


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
