"""Reproducible authorship figures: `lockstep eval authorship --corpus c50|ira|scale`.

Splits (fixed, so that the shipped calibration never sees an evaluation author):

- C50 authors sorted by name; those at even positions (0, 2, …, 48) are the *calibration* authors
  (only their ``C50train`` articles are read by ``scripts/fit_alias_calibration.py``); those at odd
  positions (1, 3, …, 49) are the *evaluation* authors (only their ``C50test`` articles are used
  for alias linking). Attribution uses the standard split (train on C50train, test on C50test,
  all 50 authors): that task trains its own classifier and does not use the calibration.
- IRA: every account with enough original tweets (``retweet == 0``) is split at the middle of its
  time-sorted tweets; ``n`` tweets are drawn (seeded) from each half.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from lockstep.errors import LockstepError

CORPORA = ("c50", "ira", "scale")

Reporter = Callable[[str], None]


def _quiet(_msg: str) -> None:
    """Default reporter: say nothing."""


# -- C50 ------------------------------------------------------------------------------------------


def c50_authors(root: Path) -> list[str]:
    """The 50 authors of Reuter_50_50, sorted."""
    return sorted(d.name for d in (root / "C50train").iterdir() if d.is_dir())


def c50_author_split(root: Path) -> tuple[list[str], list[str]]:
    """(calibration authors, evaluation authors): even and odd positions of the sorted list."""
    authors = c50_authors(root)
    return authors[0::2], authors[1::2]


def load_c50(root: Path, split: str, authors: list[str] | None = None) -> dict[str, list[str]]:
    """Articles of each author in ``C50train`` or ``C50test``, files in name order."""
    out: dict[str, list[str]] = {}
    for a in authors if authors is not None else c50_authors(root):
        d = root / split / a
        out[a] = [f.read_text(encoding="latin-1") for f in sorted(d.iterdir()) if f.suffix == ".txt"]
    return out


def alias_trials(
    docs: dict[str, list[str]], k: int, n_trials: int, seed: int, truncate: int | None = None
) -> Iterator[tuple[list[str], list[list[str]], list[str]]]:
    """Each author split into two aliases of ``k`` distinct articles, ``n_trials`` times.

    Yields (names, documents of each name, true author of each name); with ``truncate`` each
    name's joined text is cut to that many characters.
    """
    rng = np.random.default_rng(seed)
    for _ in range(n_trials):
        names, texts, truth = [], [], []
        for a in sorted(docs):
            pick = rng.choice(len(docs[a]), size=2 * k, replace=False)
            for side, sel in (("A", pick[:k]), ("B", pick[k:])):
                chosen = [docs[a][s] for s in sorted(sel)]
                names.append(f"{a}#{side}")
                texts.append(["\n\n".join(chosen)[:truncate]] if truncate else chosen)
                truth.append(a)
        yield names, texts, truth


def pair_truth(pairs, truth_of: dict[str, str]) -> np.ndarray:
    """Whether each scored pair is one author."""
    return np.array([truth_of[a] == truth_of[b] for a, b in zip(pairs["name_a"], pairs["name_b"])])


def author_bootstrap_auc(
    y: np.ndarray, score: np.ndarray, author_a: np.ndarray, author_b: np.ndarray, *, n_boot: int = 1000,
    seed: int = 0, level: float = 0.95,
) -> tuple[float, float]:
    """Interval for a pair AUC over the sampling of *authors* (a cluster bootstrap).

    The pairs of one author are not independent evidence: what the figure generalises over is new
    authors. Each replicate draws the authors with replacement; a pair weighs the product of its two
    authors' multiplicities (a same-author pair, its author's), and the weighted AUC is taken.
    """
    from sklearn.metrics import roc_auc_score

    authors, codes = np.unique(np.concatenate([author_a, author_b]), return_inverse=True)
    ca, cb = codes[: len(author_a)], codes[len(author_a):]
    rng = np.random.default_rng(seed)
    aucs = []
    for _ in range(n_boot):
        mult = np.bincount(rng.integers(0, len(authors), len(authors)), minlength=len(authors)).astype(float)
        w = np.where(ca == cb, mult[ca], mult[ca] * mult[cb])
        keep = w > 0
        if y[keep].all() or not y[keep].any():
            continue
        aucs.append(roc_auc_score(y[keep], score[keep], sample_weight=w[keep]))
    lo, hi = np.quantile(aucs, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def author_bootstrap_accuracy(
    correct: np.ndarray, author: np.ndarray, *, n_boot: int = 1000, seed: int = 0, level: float = 0.95,
) -> tuple[float, float]:
    """Interval for an accuracy over the sampling of authors (each replicate draws authors with replacement)."""
    authors, codes = np.unique(author, return_inverse=True)
    hits = np.bincount(codes, weights=correct.astype(float), minlength=len(authors))
    sizes = np.bincount(codes, minlength=len(authors)).astype(float)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(authors), (n_boot, len(authors)))
    acc = hits[draws].sum(axis=1) / sizes[draws].sum(axis=1)
    lo, hi = np.quantile(acc, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def reliability_table(p: np.ndarray, y: np.ndarray, edges=(0, 0.01, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99, 1.0)):
    """Rows (low, high, n, mean predicted, observed frequency) per probability bin."""
    rows = []
    for lo, hi in itertools.pairwise(edges):
        sel = (p >= lo) & ((p < hi) if hi < 1.0 else (p <= hi))
        if sel.any():
            rows.append((lo, hi, int(sel.sum()), float(p[sel].mean()), float(y[sel].mean())))
    return rows


#: The attribution views, in the order their SVMs are fitted (definitions in _ATTRIBUTION_VIEW_DEFS).
ATTRIBUTION_VIEWS = ("char", "masked", "word")

#: Views whose rows are square roots of relative n-gram frequencies (Hellinger embedding), not TF-IDF.
HELLINGER_VIEWS = frozenset({"char", "word"})


def attribution_view(name: str) -> tuple[Callable[[str], str], Any]:
    """An attribution view by name: its text preparation and its (unfitted) vectoriser."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from lockstep.aliases._features import HellingerVectorizer

    prep, kw = _ATTRIBUTION_VIEW_DEFS[name]
    common = dict(min_df=2, max_features=300_000, dtype=np.float32, **kw)
    vec = HellingerVectorizer(**common) if name in HELLINGER_VIEWS else TfidfVectorizer(sublinear_tf=True, **common)
    return prep, vec


def _style_classifier(train: list[str], y: list[str], *, c: float = 3.0, views=ATTRIBUTION_VIEWS):
    """Attribution: one linear SVM per view, z-scored decision values summed.

    Views: character 1–4-grams and word 1–2-grams (punctuation marks as words) as square roots of
    relative frequencies (:class:`~lockstep.aliases.HellingerVectorizer`), and topic-masked character 2–5-grams as
    sublinear TF-IDF, as in the alias linker. The views, their weighting and ``c`` were chosen on
    C50train alone (each author's 35 earliest articles by Reuters item id for training, the 15
    latest held out, since C50test is later in time than C50train); C50test was not used
    (bench/aliases_attribution_cv.py).
    """
    from sklearn.svm import LinearSVC

    fitted = []
    for name in views:
        prep, vec = attribution_view(name)
        x = vec.fit_transform([prep(t) for t in train])
        clf = LinearSVC(C=c).fit(x, y)
        fitted.append((prep, vec, clf))

    def predict(test: list[str]) -> np.ndarray:
        total = 0
        for prep, vec, clf in fitted:
            d = clf.decision_function(vec.transform([prep(t) for t in test]))
            total = total + (d - d.mean(axis=1, keepdims=True)) / d.std(axis=1, keepdims=True)
        return fitted[0][2].classes_[np.argmax(total, axis=1)]

    return predict


def _masked(t: str) -> str:
    from lockstep.aliases._features import clean_text, mask_topic

    return mask_topic(clean_text(t))


def _skeleton(t: str) -> str:
    from lockstep.aliases._features import clean_text, mask_words

    return mask_words(clean_text(t))


def _cleaned(t: str) -> str:
    from lockstep.aliases._features import clean_text

    return clean_text(t)


def _view_defs() -> dict[str, tuple[Callable[[str], str], dict[str, Any]]]:
    from lockstep.aliases._features import WORD_TOKENS

    return {
        "char": (_cleaned, dict(analyzer="char", ngram_range=(1, 4), lowercase=False)),
        "masked": (_masked, dict(analyzer="char", ngram_range=(2, 5), lowercase=False)),
        "word": (_cleaned, dict(analyzer="word", ngram_range=(1, 2), lowercase=True, token_pattern=WORD_TOKENS)),
        "function_word_ngrams": (
            _skeleton, dict(analyzer="word", ngram_range=(1, 3), lowercase=True, token_pattern=WORD_TOKENS)),
    }


_ATTRIBUTION_VIEW_DEFS = _view_defs()


def evaluate_c50_attribution(root: Path, *, topic: str = "auto", report: Reporter = _quiet) -> dict[str, Any]:
    """50-way attribution accuracy on the standard split, with topic-only baselines beside it."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    from lockstep.aliases._topic import CONTENT_TOKENS, content_stop_words, embed_texts, minilm_available

    train = load_c50(root, "C50train")
    test = load_c50(root, "C50test")
    xtr = [t for a in sorted(train) for t in train[a]]
    ytr = [a for a in sorted(train) for _ in train[a]]
    xte = [t for a in sorted(test) for t in test[a]]
    yte = np.array([a for a in sorted(test) for _ in test[a]])
    out: dict[str, Any] = {"n_train": len(xtr), "n_test": len(xte)}
    t0 = time.perf_counter()
    correct = _style_classifier(xtr, ytr)(xte) == yte
    out["style_accuracy"] = float(np.mean(correct))
    out["style_accuracy_ci95"] = author_bootstrap_accuracy(correct, yte)
    report(f"C50 attribution, style (char and word n-gram frequency roots, masked char TF-IDF; SVMs): "
           f"{out['style_accuracy']:.4f} (95 % interval over authors {out['style_accuracy_ci95'][0]:.3f}–"
           f"{out['style_accuracy_ci95'][1]:.3f}; {time.perf_counter() - t0:.0f} s)")
    vec = TfidfVectorizer(lowercase=True, stop_words=content_stop_words(), token_pattern=CONTENT_TOKENS,
                          sublinear_tf=True, min_df=2)
    clf = LinearSVC(C=1.0).fit(vec.fit_transform(xtr), ytr)
    out["topic_words_accuracy"] = float(np.mean(clf.predict(vec.transform(xte)) == yte))
    report(f"C50 attribution, topic-only baseline (content-word TF-IDF SVM): {out['topic_words_accuracy']:.4f}")
    if topic in ("auto", "minilm") and minilm_available():
        t0 = time.perf_counter()
        etr = embed_texts(xtr, n_chunks=1)
        ete = embed_texts(xte, n_chunks=1)
        lr = LogisticRegression(C=10.0, max_iter=2000).fit(etr, ytr)
        out["topic_minilm_accuracy"] = float(np.mean(lr.predict(ete) == yte))
        report(f"C50 attribution, topic-only baseline (MiniLM embedding + logistic regression): "
               f"{out['topic_minilm_accuracy']:.4f} ({time.perf_counter() - t0:.0f} s)")
    return out


def evaluate_c50_aliases(
    root: Path, *, ks=(1, 5), n_trials: int = 10, seed: int = 0, topic: str = "auto", report: Reporter = _quiet
) -> dict[str, Any]:
    """Alias linking on the evaluation authors: AUC, hard-negative AUC, Brier, reliability, B-cubed F."""
    from sklearn.metrics import brier_score_loss, roc_auc_score

    from lockstep.aliases._clustering import bcubed_f
    from lockstep.aliases._linker import AliasLinker
    from lockstep.aliases._topic import embed_texts, minilm_available

    _, eval_authors = c50_author_split(root)
    docs = load_c50(root, "C50test", eval_authors)
    use_minilm = topic in ("auto", "minilm") and minilm_available()
    emb: dict[str, np.ndarray] = {}
    if use_minilm:
        t0 = time.perf_counter()
        flat = [(a, t) for a in sorted(docs) for t in docs[a]]
        e = embed_texts([t for _, t in flat], n_chunks=1)
        for (_a, t), v in zip(flat, e):
            emb[t] = v
        report(f"embedded {len(flat)} evaluation articles for topic similarity ({time.perf_counter() - t0:.0f} s)")
    results: dict[str, Any] = {"eval_authors": eval_authors}
    for k in ks:
        ys, ps, lls, tops, bc, who = [], [], [], [], [], []
        t0 = time.perf_counter()
        for names, texts, truth in alias_trials(docs, k, n_trials, seed + k):
            linker = AliasLinker(min_chars=0, topic="none", n_evidence=0, seed=seed).fit(names, texts)
            pairs = linker.pairs_
            truth_of = dict(zip(names, truth))
            y = pair_truth(pairs, truth_of)
            ys.append(y)
            ps.append(pairs["probability"].to_numpy())
            lls.append(pairs["log_lr"].to_numpy())
            who.append(np.array([[truth_of[a], truth_of[b]] for a, b in zip(pairs["name_a"], pairs["name_b"])]))
            if use_minilm:
                vec = {}
                for n, t in zip(names, texts):
                    # An alias's topic vector: the mean of its articles' embeddings.
                    parts = [emb[d] for d in t if d in emb]
                    v = np.mean(parts, axis=0) if parts else np.zeros(384)
                    vec[n] = v / (np.linalg.norm(v) or 1.0)
                tops.append(np.array([vec[a] @ vec[b] for a, b in zip(pairs["name_a"], pairs["name_b"])]))
            order = list(linker.names_["name"])
            pred = linker.names_["cluster"].to_numpy()
            bc.append(bcubed_f(pred, np.array([truth_of[n] for n in order])))
        y = np.concatenate(ys)
        p = np.concatenate(ps)
        ll = np.concatenate(lls)
        pair_authors = np.concatenate(who)
        r: dict[str, Any] = {
            "n_pairs": len(y), "n_positive": int(y.sum()),
            "auc": float(roc_auc_score(y, ll)),
            "auc_ci95": author_bootstrap_auc(y, ll, pair_authors[:, 0], pair_authors[:, 1], seed=seed),
            "brier": float(brier_score_loss(y, p)),
            "reliability": reliability_table(p, y),
            "bcubed_precision": float(np.mean([b[0] for b in bc])),
            "bcubed_recall": float(np.mean([b[1] for b in bc])),
            "bcubed_f": float(np.mean([b[2] for b in bc])),
        }
        if use_minilm:
            top = np.concatenate(tops)
            r["topic_only_auc"] = float(roc_auc_score(y, top))
            # Hard negatives: different authors at least as close in topic as the median true pair.
            hard = (~y) & (top >= np.median(top[y]))
            sel = y | hard
            r["n_hard_negatives"] = int(hard.sum())
            r["auc_hard_negatives"] = float(roc_auc_score(y[sel], ll[sel]))
        results[f"k{k}"] = r
        report(f"C50 alias linking, {k} article(s) per alias, {n_trials} trials × {len(eval_authors)} authors "
               f"({time.perf_counter() - t0:.0f} s):")
        report(f"  AUC {r['auc']:.4f} (95 % interval over authors {r['auc_ci95'][0]:.3f}–{r['auc_ci95'][1]:.3f})   Brier {r['brier']:.5f}   B-cubed P/R/F "
               f"{r['bcubed_precision']:.3f}/{r['bcubed_recall']:.3f}/{r['bcubed_f']:.3f}   "
               f"pairs {r['n_pairs']} ({r['n_positive']} same-author)")
        if use_minilm:
            report(f"  topic-only (MiniLM) AUC {r['topic_only_auc']:.4f}   AUC vs hard negatives "
                   f"{r['auc_hard_negatives']:.4f} ({r['n_hard_negatives']} same-topic different-author pairs)")
        report("  reliability: predicted-probability bin, pairs, mean predicted, observed same-author rate")
        for lo, hi, n, mp, obs in r["reliability"]:
            report(f"    [{lo:.2f}, {hi:.2f}]  {n:7d}  {mp:.4f}  {obs:.4f}")
    return results


# -- IRA ------------------------------------------------------------------------------------------


def load_ira_originals(root: Path) -> Any:
    """The IRA tweets that are not retweets: author_id, content, publish_date (sorted)."""
    import pandas as pd

    df = pd.read_csv(
        root / "tweets_english_categories.csv.gz",
        usecols=["author_id", "content", "publish_date", "retweet"],
        dtype={"author_id": str, "content": str, "publish_date": str, "retweet": "Int64"},
    )
    df = df[(df["retweet"] == 0) & df["content"].notna()]
    return df.sort_values(["author_id", "publish_date"], kind="stable")


def twin_ranks(pairs, names: list[str], twin: dict[str, str]) -> np.ndarray:
    """Rank of each name's twin among all other names, by log likelihood ratio (ties split)."""
    score: dict[str, dict[str, float]] = {n: {} for n in names}
    for a, b, s in zip(pairs["name_a"], pairs["name_b"], pairs["log_lr"]):
        score[a][b] = s
        score[b][a] = s
    ranks = []
    for n in names:
        others = score[n]
        t = others.get(twin[n])
        if t is None:
            ranks.append(np.inf)
            continue
        vals = np.fromiter(others.values(), dtype=float)
        ranks.append(1 + np.sum(vals > t) + 0.5 * (np.sum(vals == t) - 1))
    return np.array(ranks)


def evaluate_ira(
    root: Path, *, sizes=(25, 50, 100), max_accounts: int = 150, seed: int = 0, report: Reporter = _quiet
) -> dict[str, Any]:
    """Twin ranking: each account's two time halves; rank of the true twin among all other halves."""
    from lockstep.aliases._linker import AliasLinker

    t0 = time.perf_counter()
    df = load_ira_originals(root)
    groups = {a: g["content"].tolist() for a, g in df.groupby("author_id", sort=True)}
    report(f"IRA: {len(df)} original tweets by {len(groups)} accounts loaded ({time.perf_counter() - t0:.0f} s)")
    rng = np.random.default_rng(seed)
    out: dict[str, Any] = {}
    for n in sizes:
        t0 = time.perf_counter()
        eligible = sorted(a for a, tw in groups.items() if len(tw) >= 2 * n)
        accounts = sorted(rng.choice(eligible, size=min(max_accounts, len(eligible)), replace=False).tolist())
        names, texts, twin = [], [], {}
        for a in accounts:
            tw = groups[a]
            mid = len(tw) // 2
            for side, half in (("1", tw[:mid]), ("2", tw[mid:])):
                pick = np.sort(rng.choice(len(half), size=n, replace=False))
                names.append(f"{a}#{side}")
                texts.append([half[p] for p in pick])
            twin[f"{a}#1"], twin[f"{a}#2"] = f"{a}#2", f"{a}#1"
        # Every pair is scored so that the rank is among all other halves, not only candidates.
        linker = AliasLinker(min_chars=0, topic="none", n_evidence=0, all_pairs_max=len(names), seed=seed)
        linker.fit(names, texts)
        ranks = twin_ranks(linker.pairs_, names, twin)
        r = {
            "n_accounts": len(accounts), "n_eligible": len(eligible), "n_halves": len(names),
            "top1": float(np.mean(ranks == 1)), "top10": float(np.mean(ranks <= 10)),
            "mrr": float(np.mean(1.0 / ranks)),
        }
        out[f"n{n}"] = r
        report(f"IRA twin ranking, {n} tweets per half: {r['n_accounts']} accounts (of {r['n_eligible']} with ≥ {2 * n} "
               f"original tweets), {r['n_halves'] - 1} candidates each: top-1 {r['top1']:.4f}  top-10 {r['top10']:.4f}  "
               f"MRR {r['mrr']:.4f} ({time.perf_counter() - t0:.0f} s)")
    return out


# -- scale ----------------------------------------------------------------------------------------


def synthetic_names(n_names: int, n_posts: int, seed: int = 0) -> tuple[list[str], list[list[str]], list[str]]:
    """Synthetic accounts, two per simulated author, each with a few habits of its author.

    Good enough for timing and a sanity check; not a measure of accuracy on real text.
    """
    from lockstep.aliases._features import FUNCTION_WORDS

    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    vocab = ["".join(rng.choice(letters, size=rng.integers(3, 10))) for _ in range(5000)]
    zipf = 1.0 / np.arange(1, len(vocab) + 1)
    fw = list(FUNCTION_WORDS[:120])
    enders = [".", "!", "...", "!!", "?", " :)", " 🙂", ".."]
    names, texts, truth = [], [], []
    n_authors = (n_names + 1) // 2
    for a in range(n_authors):
        topic = rng.permutation(len(vocab))[:300]
        fw_w = rng.dirichlet(np.full(len(fw), 0.3))
        end_w = rng.dirichlet(np.full(len(enders), 0.2))
        caps = rng.random() < 0.5
        for side in ("A", "B"):
            if len(names) == n_names:
                break
            posts = []
            for _ in range(n_posts):
                m = rng.integers(8, 20)
                words = [fw[k] if rng.random() < 0.45 else vocab[topic[min(int(rng.zipf(1.3)), 299)]]
                         for k in rng.choice(len(fw), size=m, p=fw_w)]
                s = " ".join(words)
                s = s[:1].upper() + s[1:] if caps else s
                posts.append(s + enders[rng.choice(len(enders), p=end_w)])
            names.append(f"user{a:05d}{side}")
            texts.append(posts)
            truth.append(f"author{a:05d}")
    del zipf
    return names, texts, truth


def evaluate_scale(*, n_names: int = 10_000, n_posts: int = 20, seed: int = 0, report: Reporter = _quiet) -> dict[str, Any]:
    """Wall time of the whole linker (default parameters) on synthetic names."""
    from lockstep.aliases._linker import AliasLinker

    names, texts, truth = synthetic_names(n_names, n_posts, seed)
    t0 = time.perf_counter()
    linker = AliasLinker(min_chars=0, seed=seed).fit(names, texts)
    seconds = time.perf_counter() - t0
    truth_of = dict(zip(names, truth))
    top = linker.pairs_.drop_duplicates("name_a")
    r = {
        "n_names": n_names, "n_posts": n_posts, "seconds": seconds, "n_pairs_scored": len(linker.pairs_),
        "topic_used": linker.topic_used_, "cores": os.cpu_count(),
        "twin_found_rate": float(np.mean(pair_truth(top, truth_of))),
    }
    report(f"scale: {n_names} names × {n_posts} posts, {r['n_pairs_scored']} candidate pairs scored "
           f"(of {n_names * (n_names - 1) // 2}), topic={r['topic_used']}: {seconds:.1f} s on {r['cores']} cores")
    return r


def evaluate_authorship(
    corpus: str, *, data_dir: str | os.PathLike[str] = "../shared/data", topic: str = "auto",
    n_trials: int = 10, seed: int = 0, report: Reporter = _quiet,
) -> dict[str, Any]:
    """Run one of the reproducible evaluations and return its figures.

    Parameters
    ----------
    corpus : {"c50", "ira", "scale"}
        ``c50``: attribution accuracy (standard split) with topic-only baselines, and alias linking
        on the evaluation authors (1 and 5 articles per alias). ``ira``: twin ranking at 25, 50 and
        100 tweets per half. ``scale``: timing on 10,000 synthetic names × 20 posts.
    data_dir : path
        Folder holding ``reuter_c50/`` and ``ira_tweets/`` (not needed for ``scale``).
    """
    if corpus not in CORPORA:
        raise LockstepError(f"corpus must be one of {', '.join(CORPORA)}, not {corpus!r}")
    base = Path(data_dir)
    if corpus == "scale":
        return {"scale": evaluate_scale(seed=seed, report=report)}
    sub = base / ("reuter_c50" if corpus == "c50" else "ira_tweets")
    if not sub.is_dir():
        raise LockstepError(f"{sub}: data set not found; pass --data-dir pointing at the folder that holds it")
    if corpus == "c50":
        return {
            "attribution": evaluate_c50_attribution(sub, topic=topic, report=report),
            "aliases": evaluate_c50_aliases(sub, n_trials=n_trials, seed=seed, topic=topic, report=report),
        }
    return {"ira": evaluate_ira(sub, seed=seed, report=report)}
