"""Quick screens of alias-verification ideas on the *calibration* authors only (issue #5).

Each screen builds the views itself (TF-IDF over the names of one trial, centred, S-normalised as in
bench/aliases_views_dev.py) on the calibration authors' C50test articles, one article per alias;
the evaluation authors (odd positions of the sorted C50 list) are never read.

- ``views``: further views added to the shipped linker's log LR (pairs written by
  ``bench/aliases_verification_dev.py --no-gi --save /tmp/val_k1.parquet``), at three fixed weights;
- ``cohort``: the cohort statistics of the S-norm: plain (shipped), leave-pair-out (a pair's own
  partner never in the other's cohort), trimmed (each name's highest cohort score dropped), median/MAD;
- ``calibration``: the centred model refitted on other inputs, on the calibration pairs written by
  ``scripts/fit_alias_calibration.py --out /tmp/x.json --save-pairs /tmp/calpairs.parquet``,
  scored on ``--pairs`` (one-article conditions only, length interactions, max/min of char and word);
- ``fisher``: character or word n-grams weighted by their Fisher ratio (between-author over
  within-author variance) learnt on 13 calibration authors' C50train articles, scored on aliases of
  the other 12 calibration authors' C50test articles (a learnt, shipped weighting of n-grams).

    nice -n 19 .venv/bin/python bench/aliases_verification_screens.py views|cohort|calibration|fisher [--view char]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import roc_auc_score

from lockstep.aliases import HellingerVectorizer
from lockstep.aliases._evaluation import alias_trials, c50_author_split, load_c50
from lockstep.aliases._features import WORD_TOKENS, clean_text, mask_topic

REPO = Path(__file__).resolve().parents[1]
CHAR = dict(analyzer="char", ngram_range=(1, 4), lowercase=False)
WORD = dict(analyzer="word", ngram_range=(1, 2), lowercase=True, token_pattern=WORD_TOKENS)
MASKED = dict(analyzer="char", ngram_range=(2, 5), lowercase=False)


def _masked(t: str) -> str:
    return mask_topic(clean_text(t))


def rows(texts, prep, kw, hellinger=False, weights=None) -> np.ndarray:
    """Centred, L2-normalised dense rows of one trial's names."""
    vec = (HellingerVectorizer(min_df=2, dtype=np.float32, **kw) if hellinger
           else TfidfVectorizer(sublinear_tf=True, min_df=2, dtype=np.float32, **kw))
    m = vec.fit_transform([prep("\n\n".join(t)) for t in texts]).toarray().astype(float)
    if weights is not None:
        m *= weights(vec.get_feature_names_out())
    m -= m.mean(axis=0)
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def snorm(g: np.ndarray, cohort: np.ndarray, mode: str = "plain", m: int = 30) -> np.ndarray:
    """S-normalised scores of all pairs (upper triangle), with the chosen cohort statistics."""
    n = len(g)
    mu, sd = np.zeros((n, n)), np.ones((n, n))
    for a in range(n):
        c = cohort[cohort != a][:m]
        for b in range(n):
            v = g[a, c[c != b]] if mode == "lpo" else g[a, c]
            if mode == "trim":
                v = np.sort(v)[:-1]
            if mode == "median":
                med = np.median(v)
                mu[a, b], sd[a, b] = med, max(1.4826 * np.median(np.abs(v - med)), 1e-3)
            else:
                mu[a, b], sd[a, b] = v.mean(), max(v.std(), 1e-3)
    z = ((g - mu) / sd + (g.T - mu.T) / sd.T) / 2
    return z[np.triu_indices(n, 1)]


def _z(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std()


def screen_views(root: Path, pairs: Path) -> None:
    cal, _ = c50_author_split(root)
    trials = list(alias_trials(load_c50(root, "C50test", cal), 1, 10, 1001))
    val = pd.read_parquet(pairs)
    variants = {
        "hellinger char 1-4": (clean_text, {**CHAR, "max_df": 0.2}, True),
        "hellinger char 2-5": (clean_text, {**CHAR, "ngram_range": (2, 5), "max_df": 0.2}, True),
        "tf-idf char 2-5": (clean_text, {**CHAR, "ngram_range": (2, 5), "max_df": 0.2}, False),
        "hellinger word 1-2": (clean_text, {**WORD, "max_df": 0.2}, True),
        "tf-idf word 1-3": (clean_text, {**WORD, "ngram_range": (1, 3), "max_df": 0.2}, False),
        "hellinger masked 2-5": (_masked, MASKED, True),
    }
    cols: dict[str, list[np.ndarray]] = {v: [] for v in variants}
    ys, lls = [], []
    for t, (names, texts, _truth) in enumerate(trials):
        sub = val[val["trial"] == t]
        index = {n: r for r, n in enumerate(names)}
        a, b = sub["name_a"].map(index).to_numpy(), sub["name_b"].map(index).to_numpy()
        pos = {ij: p for p, ij in enumerate(zip(*np.triu_indices(len(names), 1)))}
        sel = np.array([pos[i, j] for i, j in zip(a, b)])
        ys.append(sub["same"].to_numpy())
        lls.append(sub["log_lr"].to_numpy())
        cohort = np.sort(np.random.default_rng(t).choice(len(names), size=31, replace=False))
        for v, (prep, kw, hell) in variants.items():
            m = rows(texts, prep, kw, hell)
            cols[v].append(snorm(m @ m.T, cohort)[sel])
    y, ll = np.concatenate(ys), np.concatenate(lls)
    print(f"shipped log LR AUC {roc_auc_score(y, ll):.4f}")
    for v in variants:
        s = np.concatenate(cols[v])
        print(f"{v:22s} alone {roc_auc_score(y, s):.4f}  "
              + "  ".join(f"log LR + {w}: {roc_auc_score(y, _z(ll) + w * _z(s)):.4f}" for w in (0.25, 0.5, 1.0)))


def screen_cohort(root: Path) -> None:
    cal, _ = c50_author_split(root)
    trials = list(alias_trials(load_c50(root, "C50test", cal), 1, 10, 1001))
    views = {"char": (clean_text, {**CHAR, "max_df": 0.2}), "word": (clean_text, {**WORD, "max_df": 0.2}),
             "masked": (_masked, MASKED)}
    modes = ("plain", "lpo", "trim", "median")
    res: dict[tuple[str, str], list[np.ndarray]] = {}
    ys = []
    for t, (names, texts, truth) in enumerate(trials):
        ys.append(np.array([truth[a] == truth[b] for a, b in zip(*np.triu_indices(len(names), 1))]))
        cohort = np.sort(np.random.default_rng(t).choice(len(names), size=31, replace=False))
        for v, (prep, kw) in views.items():
            m = rows(texts, prep, kw)
            for mode in modes:
                res.setdefault((v, mode), []).append(snorm(m @ m.T, cohort, mode))
    y = np.concatenate(ys)
    for (v, mode), s in res.items():
        print(f"{v:7s} {mode:7s} AUC {roc_auc_score(y, np.concatenate(s)):.4f}")
    for mode in modes:
        # Weights of the shipped `centred` calibration.
        s = sum(w * _z(np.concatenate(res[v, mode])) for v, w in (("char", 1.02), ("word", 0.90), ("masked", 0.36)))
        print(f"char + word + masked, {mode:7s} AUC {roc_auc_score(y, s):.4f}")


def screen_calibration(train: Path, pairs: Path) -> None:
    from sklearn.linear_model import LogisticRegression

    scorers = ["z_char", "z_masked", "z_word", "z_delta", "z_compression"]

    def extend(d: pd.DataFrame) -> pd.DataFrame:
        d = d.copy()
        for c in scorers:
            d[f"{c}_x_len"] = d[c] * (d["log10_min_chars"] - 3.5)
        d["zmax"] = np.maximum(d["z_char"], d["z_word"])
        d["zmin"] = np.minimum(d["z_char"], d["z_word"])
        return d

    tr, val = extend(pd.read_parquet(train)), extend(pd.read_parquet(pairs))
    base = [*scorers, "log10_min_chars"]
    for name, cols, data in (
        ("shipped inputs", base, tr),
        ("one-article conditions only", base, tr[tr["condition"] <= 1]),
        ("length interactions", base + [f"{c}_x_len" for c in scorers], tr),
        ("max and min of char, word", [*base, "zmax", "zmin"], tr),
        ("char and word only", ["z_char", "z_word", "log10_min_chars"], tr),
    ):
        x = data[cols].to_numpy()
        mean, sd = x.mean(axis=0), x.std(axis=0)
        sd[sd == 0] = 1.0
        lr = LogisticRegression(class_weight="balanced", max_iter=2000).fit((x - mean) / sd, data["same"])
        score = ((val[cols].to_numpy() - mean) / sd) @ lr.coef_[0]
        print(f"{name:28s} AUC {roc_auc_score(val['same'], score):.4f}")


def screen_fisher(root: Path, view: str) -> None:
    cal, _ = c50_author_split(root)
    learn, held = cal[0::2], cal[1::2]
    kw = {"char": CHAR, "word": WORD}[view]
    tr = load_c50(root, "C50train", learn)
    lab = np.array([a for a in sorted(tr) for _ in tr[a]])
    vec = TfidfVectorizer(sublinear_tf=True, min_df=3, dtype=np.float32, **kw)
    x = vec.fit_transform([clean_text(t) for a in sorted(tr) for t in tr[a]]).toarray()
    between = np.stack([x[lab == a].mean(axis=0) for a in sorted(tr)]).var(axis=0)
    within = np.stack([x[lab == a].var(axis=0) for a in sorted(tr)]).mean(axis=0)
    fisher = dict(zip(vec.get_feature_names_out(), between / (within + 1e-6)))
    med = float(np.median(list(fisher.values())))

    def weigh(power: float, unseen: float):
        return lambda names: np.array([fisher.get(g, unseen) for g in names]) ** power

    variants = {"plain": None, "fisher^0.5": weigh(0.5, med), "fisher^1": weigh(1.0, med),
                "fisher^0.5, unseen n-grams 0": weigh(0.5, 0.0)}
    res: dict[str, list[np.ndarray]] = {}
    ys = []
    for names, texts, truth in alias_trials(load_c50(root, "C50test", held), 1, 20, 77):
        n = len(names)
        ys.append(np.array([truth[a] == truth[b] for a, b in zip(*np.triu_indices(n, 1))]))
        for k, w in variants.items():
            m = rows(texts, clean_text, {**kw, "max_df": 0.2}, weights=w)
            # 24 names: every other name is the cohort.
            res.setdefault(k, []).append(snorm(m @ m.T, np.arange(n), m=n - 1))
    y = np.concatenate(ys)
    for k, s in res.items():
        print(f"{view} {k:30s} AUC {roc_auc_score(y, np.concatenate(s)):.4f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("screen", choices=("views", "cohort", "calibration", "fisher"))
    ap.add_argument("--train-pairs", default="/tmp/calpairs.parquet")
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "reuter_c50"))
    ap.add_argument("--pairs", default="/tmp/val_k1.parquet")
    ap.add_argument("--view", default="char", choices=("char", "word"))
    args = ap.parse_args()
    root = Path(args.data)
    if args.screen == "views":
        screen_views(root, Path(args.pairs))
    elif args.screen == "cohort":
        screen_cohort(root)
    elif args.screen == "calibration":
        screen_calibration(Path(args.train_pairs), Path(args.pairs))
    else:
        screen_fisher(root, args.view)


if __name__ == "__main__":
    main()
