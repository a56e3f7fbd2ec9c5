"""The intervals `lockstep eval authorship` prints beside its AUC and accuracy: a bootstrap over authors."""

import numpy as np
from sklearn.metrics import roc_auc_score

from lockstep.aliases._evaluation import author_bootstrap_accuracy, author_bootstrap_auc


def alias_pairs(n_authors: int, rng: np.random.Generator, signal: float):
    """Every pair of 2 aliases × n authors: truth, a noisy score, and the two authors of each pair."""
    author = np.repeat(np.arange(n_authors), 2)
    i, j = np.triu_indices(len(author), 1)
    y = author[i] == author[j]
    score = signal * y + rng.normal(size=len(y))
    return y, score, author[i], author[j]


def test_auc_interval_brackets_the_estimate_and_narrows_with_more_authors():
    rng = np.random.default_rng(0)
    widths = []
    for n in (10, 80):
        y, s, a, b = alias_pairs(n, rng, signal=1.5)
        lo, hi = author_bootstrap_auc(y, s, a, b, n_boot=300)
        assert lo < roc_auc_score(y, s) < hi
        widths.append(hi - lo)
    assert widths[1] < widths[0] / 2


def test_auc_interval_of_a_perfect_scorer_is_one_and_of_noise_holds_a_half():
    rng = np.random.default_rng(1)
    y, _, a, b = alias_pairs(20, rng, signal=0)
    assert author_bootstrap_auc(y, y.astype(float), a, b, n_boot=100) == (1.0, 1.0)
    lo, hi = author_bootstrap_auc(y, rng.normal(size=len(y)), a, b, n_boot=300)
    assert lo < 0.5 < hi


def test_auc_interval_counts_authors_not_pairs():
    # One author's aliases carry all the signal: resampling authors must see that, so the interval
    # is wide although there are thousands of pairs.
    rng = np.random.default_rng(2)
    y, s, a, b = alias_pairs(30, rng, signal=0)
    s = s + 10 * (y & (a == 0))
    lo, hi = author_bootstrap_auc(y, s, a, b, n_boot=300)
    assert hi - lo > 0.1


def test_accuracy_interval_over_authors():
    author = np.repeat(np.arange(50), 50)
    # Half the authors always right, half always wrong: accuracy 0.5, and an interval as wide as
    # 50 coin flips (about ±0.14), not 2,500 (±0.02).
    correct = author % 2 == 0
    lo, hi = author_bootstrap_accuracy(correct, author, n_boot=500)
    assert lo < 0.5 < hi and hi - lo > 0.2
    assert author_bootstrap_accuracy(np.ones(100, bool), np.repeat(np.arange(10), 10)) == (1.0, 1.0)
