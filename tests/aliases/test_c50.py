"""Real bylined news (Reuters C50, 10 authors): same-author aliases score above the rest."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

from lockstep.aliases import AliasLinker, texts_from_documents


def test_two_aliases_of_each_of_ten_authors_are_found(c50):
    docs = texts_from_documents(c50 / "C50test")
    names, texts, author = [], [], {}
    # Odd positions: the evaluation authors, never seen by the shipped calibration.
    for a, d in list(zip(docs.names, docs.texts))[1::2][:10]:
        for side, part in (("A", d[:2]), ("B", d[2:4])):
            names.append(f"{a}#{side}")
            texts.append(part)
            author[f"{a}#{side}"] = a
    linker = AliasLinker(min_chars=1500, topic="none").fit(names, texts)
    pairs = linker.pairs_
    y = np.array([author[a] == author[b] for a, b in zip(pairs["name_a"], pairs["name_b"])])
    assert roc_auc_score(y, pairs["probability"]) > 0.9
    # Calibrated at a prior of one alias per name: about one same-author pair is expected per name.
    assert 0.3 * y.sum() < pairs["probability"].sum() < 3 * y.sum()
    assert docs.skipped == {}
