"""Third round of attribution ideas (issue #5) on C50train alone (temporal hold-out), never on C50test.

Protocol of bench/aliases_attribution_cv.py: each author's C50train articles ordered by Reuters item
id, the 35 earliest train and the 15 latest are held out. The shipped three views (char and word
frequency roots, masked TF-IDF; LinearSVC C = 3, z-scored decision values summed) score 0.844.
Each idea's held-out scores (articles × authors) are cached (``--cache``) and printed alone and
added to the shipped three (z-scored, at a few weights):

- ``lm``: per-author character n-gram language models (PPM-like: interpolated Witten-Bell
  smoothing, i.e. PPM's escape method C without exclusions; Teahan & Harper 2003, Peng et al.
  2003): a held-out article's log probability under each author's model, ``--orders`` 4,5,6, on the
  cleaned text (``lm``) and the topic-masked text (``lmm``);
- ``chunks``: each view's SVM trained on every training article cut into ``k`` pieces (more,
  shorter examples), scoring the whole held-out articles;
- ``lr``: multinomial logistic regression instead of the SVM, per view;
- ``cng``: common n-gram profiles (Keselj et al. 2003): each author's ``L`` most frequent character
  n-grams, the held-out article's profile, the CNG dissimilarity (nearest author centroid).

Results (and the verdict: nothing kept, nothing above the shipped 0.844) in docs/aliases.md,
"Third round on the two unmet targets". The base views' scores are read from the cache of
bench/aliases_attribution_ideas.py (``--base-cache``; run that first).

    nice -n 19 .venv/bin/python bench/aliases_attribution_round3.py lm|chunks|lr|cng|combine [...]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.svm import LinearSVC

from lockstep.aliases._evaluation import _masked, attribution_view
from lockstep.aliases._features import clean_text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from aliases_attribution_ideas import split, zs  # the same temporal split and z-scores

REPO = Path(__file__).resolve().parents[1]
BASE = ("char", "masked", "word")


def lm_scores(
    train: list[str], ytr: np.ndarray, test: list[str], order: int, method: str = "wb", discount: float = 0.75
) -> np.ndarray:
    """Log probability of each test text under each author's character ``order``-gram model.

    ``wb``: interpolated Witten-Bell, P(c|h) = (C(hc) + T(h) P(c|h')) / (C(h) + T(h)) with T(h) the
    number of distinct characters seen after h (PPM's escape method C, without exclusions);
    ``kn``: interpolated absolute discounting, (max(C(hc) − D, 0) + D T(h) P(c|h')) / C(h).
    The vocabulary is every n-gram of the training and test texts (no labels of the test texts).
    """
    classes = np.array(sorted(set(ytr)))
    cv = CountVectorizer(analyzer="char", ngram_range=(1, order), lowercase=False, dtype=np.float64)
    cv.fit([*train, *test])
    vocab = cv.vocabulary_
    v = len(vocab)
    grams = np.empty(v, dtype=object)
    for g, i in vocab.items():
        grams[i] = g
    length = np.fromiter((len(g) for g in grams), dtype=np.int64, count=v)
    prefix = np.full(v, -1, dtype=np.int64)
    suffix = np.full(v, -1, dtype=np.int64)
    for i, g in enumerate(grams):
        if len(g) > 1:
            prefix[i] = vocab[g[:-1]]
            suffix[i] = vocab[g[1:]]
    xtr = cv.transform(train)
    onehot = sp.csr_matrix(
        (np.ones(len(ytr)), (np.searchsorted(classes, ytr), np.arange(len(ytr)))),
        shape=(len(classes), len(ytr)),
    )
    counts = (onehot @ xtr).toarray()  # authors × vocabulary
    xte = cv.transform(test)
    top = np.flatnonzero(length == order)
    xte_top = xte[:, top]
    out = np.zeros((len(test), len(classes)))
    n1 = np.flatnonzero(length == 1)
    for a in range(len(classes)):
        c = counts[a]
        p = np.zeros(v)
        p[n1] = (c[n1] + 1.0) / (c[n1].sum() + len(n1))
        for n in range(2, order + 1):
            idx = np.flatnonzero(length == n)
            ctx_total = np.bincount(prefix[idx], weights=c[idx], minlength=v)
            ctx_types = np.bincount(prefix[idx], weights=(c[idx] > 0).astype(float), minlength=v)
            h = prefix[idx]
            lower = p[suffix[idx]]
            tot = ctx_total[h]
            typ = ctx_types[h]
            if method == "wb":
                den = tot + typ
                p[idx] = np.where(den > 0, (c[idx] + typ * lower) / np.maximum(den, 1e-300), lower)
            else:
                p[idx] = np.where(
                    tot > 0,
                    (np.maximum(c[idx] - discount, 0) + discount * typ * lower) / np.maximum(tot, 1e-300),
                    lower,
                )
        out[:, a] = xte_top @ np.log(p[top])
    return out


def chunk(text: str, k: int) -> list[str]:
    """``text`` cut into ``k`` pieces of about equal length, at whitespace."""
    if k <= 1:
        return [text]
    bounds = [0]
    for q in range(1, k):
        cut = text.find(" ", len(text) * q // k)
        bounds.append(cut if cut > bounds[-1] else bounds[-1])
    bounds.append(len(text))
    return [text[s:e] for s, e in itertools.pairwise(bounds) if text[s:e].strip()]


def svm_view(name: str, train, ytr, test, *, k: int = 1, c: float = 3.0, model: str = "svm") -> np.ndarray:
    prep, vec = attribution_view(name)
    pieces, yy = [], []
    for t, a in zip(train, ytr):
        for piece in chunk(prep(t), k):
            pieces.append(piece)
            yy.append(a)
    x = vec.fit_transform(pieces)
    if model == "svm":
        clf = LinearSVC(C=c).fit(x, yy)
    else:
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=c, max_iter=300).fit(x, yy)
    return clf.decision_function(vec.transform([prep(t) for t in test]))


def cng_scores(train, ytr, test, n: int, top: int, prep) -> np.ndarray:
    """Negative CNG dissimilarity (Keselj et al. 2003) of each test text to each author profile."""
    classes = np.array(sorted(set(ytr)))
    cv = CountVectorizer(analyzer="char", ngram_range=(n, n), lowercase=False, dtype=np.float64)
    xtr = cv.fit_transform([prep(t) for t in train])
    onehot = sp.csr_matrix(
        (np.ones(len(ytr)), (np.searchsorted(classes, ytr), np.arange(len(ytr)))),
        shape=(len(classes), len(ytr)),
    )
    prof = (onehot @ xtr).toarray()
    prof /= prof.sum(axis=1, keepdims=True)
    xte = cv.transform([prep(t) for t in test]).tocsr()
    # Each profile keeps its `top` most frequent n-grams. An n-gram in no profile adds the same
    # (2)² to the dissimilarity to every author, so only the union of the profiles is computed.
    pa = np.zeros_like(prof)
    for a in range(len(classes)):
        keep = np.argsort(-prof[a])[:top]
        pa[a, keep] = prof[a, keep]
    union = np.flatnonzero(pa.any(axis=0))
    pa = pa[:, union]
    out = np.zeros((len(test), len(classes)))
    for i in range(len(test)):
        row = xte[i].toarray().ravel()
        row /= max(row.sum(), 1.0)
        t = np.zeros(len(row))
        keep = np.argsort(-row)[:top]
        t[keep] = row[keep]
        t = t[union]
        s = t[None, :] + pa
        d = np.where(s > 0, (2 * (t[None, :] - pa) / np.maximum(s, 1e-300)) ** 2, 0.0)
        out[i] = -d.sum(axis=1)
    return out


def report(cache: dict, classes: np.ndarray, yho: np.ndarray, keys: list[str]) -> None:
    base = sum(zs(cache[f"{v}|3.0"]) for v in BASE)
    print(f"shipped three views: {np.mean(classes[base.argmax(1)] == yho):.4f}")
    for k in keys:
        d = cache[k]
        line = f"{k:28s} alone {np.mean(classes[d.argmax(1)] == yho):.4f}  + shipped at weight"
        for w in (0.25, 0.5, 1.0, 1.5):
            line += f" {w}: {np.mean(classes[(base + w * zs(d)).argmax(1)] == yho):.4f}"
        print(line, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["lm", "chunks", "lr", "cng", "combine"])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "reuter_c50"))
    ap.add_argument("--n-train", type=int, default=35)
    ap.add_argument("--base-cache", default="/tmp/aliases_attr_cache.npz")
    ap.add_argument("--cache", default="/tmp/aliases_attr_round3.npz")
    ap.add_argument("--orders", default="4,5,6")
    ap.add_argument("--methods", default="wb")
    ap.add_argument("--k", default="2,3")
    ap.add_argument("--views", default="char,masked,word")
    ap.add_argument("--c", default="10,100")
    args = ap.parse_args()
    root = Path(args.data)
    xtr, ytr, xho, yho = split(root, args.n_train)
    classes = np.array(sorted(set(ytr)))
    cache = dict(np.load(args.base_cache, allow_pickle=True))
    if Path(args.cache).exists():
        cache.update(dict(np.load(args.cache, allow_pickle=True)))

    def put(key, fn):
        if key not in cache:
            t0 = time.process_time()
            cache[key] = fn()
            np.savez(args.cache, **{k: v for k, v in cache.items() if k.count("|") > 1})
            print(f"{key}: {time.process_time() - t0:.0f} cpu s", flush=True)
        report(cache, classes, yho, [key])

    if args.what == "lm":
        ctr = [clean_text(t) for t in xtr]
        cho = [clean_text(t) for t in xho]
        for method in args.methods.split(","):
            for o in map(int, args.orders.split(",")):
                put(f"lm|{method}|{o}", lambda o=o, method=method: lm_scores(ctr, ytr, cho, o, method))
        mtr = [_masked(t) for t in xtr]
        mho = [_masked(t) for t in xho]
        for o in map(int, args.orders.split(",")):
            put(f"lmm|wb|{o}", lambda o=o: lm_scores(mtr, ytr, mho, o, "wb"))
    elif args.what == "chunks":
        for k in map(int, args.k.split(",")):
            for v in args.views.split(","):
                put(f"{v}|chunks|{k}", lambda v=v, k=k: svm_view(v, xtr, ytr, xho, k=k))
            if all(f"{v}|chunks|{k}" in cache for v in BASE):
                s = sum(zs(cache[f"{v}|chunks|{k}"]) for v in BASE)
                print(f"three views trained on {k} chunks: {np.mean(classes[s.argmax(1)] == yho):.4f}")
    elif args.what == "lr":
        for c in map(float, args.c.split(",")):
            for v in args.views.split(","):
                put(f"{v}|lr|{c}", lambda v=v, c=c: svm_view(v, xtr, ytr, xho, c=c, model="lr"))
            if all(f"{v}|lr|{c}" in cache for v in BASE):
                s = sum(zs(cache[f"{v}|lr|{c}"]) for v in BASE)
                print(f"three views, logistic regression C={c}: {np.mean(classes[s.argmax(1)] == yho):.4f}")
    elif args.what == "cng":
        for n, top in ((3, 2000), (4, 5000), (5, 5000)):
            put(f"cng|{n}|{top}", lambda n=n, top=top: cng_scores(xtr, ytr, xho, n, top, clean_text))
    # Everything cached, with the shipped three.
    extra = sorted(k for k in cache if k.count("|") > 1)
    report(cache, classes, yho, extra)
    for a, b in itertools.combinations(extra, 2):
        s = sum(zs(cache[f"{v}|3.0"]) for v in BASE) + 0.5 * zs(cache[a]) + 0.5 * zs(cache[b])
        print(f"shipped + 0.5 {a} + 0.5 {b}: {np.mean(classes[s.argmax(1)] == yho):.4f}")


if __name__ == "__main__":
    main()
