"""near-text: MinHash-LSH candidates, verified by the exact Jaccard of the texts' word sets."""

from __future__ import annotations

import itertools
import random
import re

from lockstep.detect import NearText

from .conftest import post

RAW = dict(min_count=1, null=None, max_pairs_per_object=None)


def post_pairs(det):
    """The (post_a, post_b) pairs behind the edges, each written in sorted order."""
    return sorted(tuple(sorted((r["post_a"], r["post_b"]))) for r in det.evidence_.to_pylist())


def words(text):
    return set(re.findall(r"[^\W]+", text.lower()))


def jaccard(x, y):
    a, b = words(x), words(y)
    return len(a & b) / len(a | b)


def test_texts_in_any_script_pair_on_their_words_not_their_punctuation(workspace):
    ws = workspace([
        post("a", 0, "a1", text="Выборы украдены! Делитесь, пока не удалили: правда здесь"),
        post("b", 5, "b1", text="выборы украдены — делитесь пока не удалили... правда здесь"),  # same words
        post("c", 9, "c1", text="café naïve, résumé; über straße jalapeño"),
        post("d", 12, "d1", text="CAFÉ naïve résumé über straße jalapeño"),                       # same words
        post("e", 15, "e1", text="café naïve résumé over street pepper"),                          # 3/9
    ])
    det = NearText(window="1m", **RAW).fit(ws)
    assert post_pairs(det) == [("a1", "b1"), ("c1", "d1")]


def test_the_threshold_is_inclusive_and_exact(workspace):
    base = [f"w{i}" for i in range(8)]
    ws = workspace([
        post("a", 0, "a1", text=" ".join(base)),
        post("b", 1, "b1", text=" ".join([*base[:8], "x1", "x2"])),  # Jaccard 8/10 = 0.8
        post("c", 2, "c1", text=" ".join([*base[:7], "y1", "y2"])),  # with a: 7/10 = 0.7
    ])
    det = NearText(window="1m", threshold=0.8, **RAW).fit(ws)
    assert post_pairs(det) == [("a1", "b1")]


def test_texts_with_fewer_distinct_words_than_min_tokens_are_ignored(workspace):
    ws = workspace([
        post("a", 0, "a1", text="vote vote vote"),  # one distinct word
        post("b", 1, "b1", text="vote vote"),
        post("c", 2, "c1", text="vote now today"),
        post("d", 3, "d1", text="today now vote"),
    ])
    assert post_pairs(NearText(window="1m", min_tokens=2, **RAW).fit(ws)) == [("c1", "d1")]
    assert post_pairs(NearText(window="1m", min_tokens=1, **RAW).fit(ws)) == [("a1", "b1"), ("c1", "d1")]


def _corpus(seed):
    """Texts from a small vocabulary: some copies with one or two words changed, many unrelated."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(300)]
    rows, texts = [], {}
    for k in range(120):
        text = rng.sample(vocab, rng.randint(8, 20))
        t = rng.uniform(0, 3000)
        variants = [text]
        for _ in range(rng.randint(0, 3)):
            v = list(text)
            for _ in range(rng.randint(0, 2)):
                v[rng.randrange(len(v))] = rng.choice(vocab)
            variants.append(v)
        for j, v in enumerate(variants):
            pid = f"p{k}_{j}"
            texts[pid] = (" ".join(v), t + 10 * j)
            rows.append(post(f"acc{rng.randrange(60)}", t + 10 * j, pid, text=" ".join(v)))
    return rows, texts


def test_every_pair_found_is_similar_and_every_clearly_similar_pair_is_found(workspace):
    rows, texts = _corpus(7)
    det = NearText(window="1m", threshold=0.8, **RAW).fit(workspace(rows))
    found = set(post_pairs(det))
    account = {r["post_id"]: r["account_id"] for r in rows}
    exact = {}
    for (p, (x, tx)), (q, (y, ty)) in itertools.combinations(sorted(texts.items()), 2):
        if account[p] != account[q] and abs(tx - ty) <= 60:
            exact[tuple(sorted((p, q)))] = jaccard(x, y)
    assert len(found) > 20
    # No false positives: candidates are verified exactly.
    assert [pq for pq in found if exact.get(pq, 0) < 0.8] == []
    # MinHash-LSH finds a pair at Jaccard 0.9 with probability 1 - (1 - 0.9^5)^12 > 0.99999.
    assert [pq for pq, j in exact.items() if j >= 0.9 and pq not in found] == []


def test_the_same_seed_gives_the_same_pairs(workspace):
    rows, _ = _corpus(11)
    ws = workspace(rows)
    runs = [NearText(window="1m", threshold=0.6, **RAW).fit(ws, seed=s) for s in (3, 3)]
    assert runs[0].edges_.equals(runs[1].edges_)
    assert post_pairs(runs[0]) == post_pairs(runs[1])
