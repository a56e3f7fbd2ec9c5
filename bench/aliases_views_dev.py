"""How the alias views were chosen: per-view alias AUC on the *calibration* authors only.

Each of the 25 calibration authors (even positions of the sorted C50 list) is split into two
aliases of one C50test article, 10 times (seed 1); for each view variant the 50 aliases' TF-IDF
rows are built (min_df = 2, sublinear TF, as the linker does), the cosine taken (centred or plain),
S-normalised against a seeded cohort of 30 other aliases, and the pooled AUC printed. The
evaluation authors (odd positions) are never read. max_df = 0.2 for the char and word views
came from this table.

    nice -n 19 .venv/bin/python bench/aliases_views_dev.py [--data ../shared/data/reuter_c50]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import roc_auc_score

from lockstep.aliases import HellingerVectorizer
from lockstep.aliases._evaluation import alias_trials, c50_author_split, load_c50
from lockstep.aliases._features import WORD_TOKENS, clean_text, mask_topic

REPO = Path(__file__).resolve().parents[1]


def _masked(t: str) -> str:
    return mask_topic(clean_text(t))


CHAR = dict(analyzer="char", ngram_range=(1, 4), lowercase=False)
WORD = dict(analyzer="word", ngram_range=(1, 2), lowercase=True, token_pattern=WORD_TOKENS)
VARIANTS = {
    "char 1-4": (clean_text, CHAR),
    **{f"char 1-4 max_df {d}": (clean_text, {**CHAR, "max_df": d}) for d in (0.5, 0.3, 0.25, 0.2, 0.15, 0.1)},
    "char 2-5 max_df 0.2": (clean_text, {**CHAR, "ngram_range": (2, 5), "max_df": 0.2}),
    "char 1-4 lower-case": (clean_text, {**CHAR, "lowercase": True}),
    "char 1-4 no idf": (clean_text, {**CHAR, "use_idf": False}),
    "char 1-4 binary": (clean_text, {**CHAR, "binary": True}),
    "char_wb 2-5": (clean_text, {**CHAR, "analyzer": "char_wb", "ngram_range": (2, 5)}),
    "word 1-2": (clean_text, WORD),
    **{f"word 1-2 max_df {d}": (clean_text, {**WORD, "max_df": d}) for d in (0.5, 0.3, 0.2, 0.1)},
    "word 1-3": (clean_text, {**WORD, "ngram_range": (1, 3)}),
    "masked 2-5": (_masked, dict(analyzer="char", ngram_range=(2, 5), lowercase=False)),
    "masked 2-5 max_df 0.3": (_masked, dict(analyzer="char", ngram_range=(2, 5), lowercase=False, max_df=0.3)),
    # Square roots of relative frequencies (HellingerVectorizer) instead of TF-IDF: better for
    # C50 attribution, not for one-article alias linking (char 0.930 vs 0.933, word 0.920 vs 0.926).
    "hellinger char 1-4 max_df 0.2": (clean_text, {**CHAR, "max_df": 0.2, "hellinger": True}),
    "hellinger word 1-2 max_df 0.2": (clean_text, {**WORD, "max_df": 0.2, "hellinger": True}),
}


def snorm_pairs(s: np.ndarray, rng: np.random.Generator, n_cohort: int = 30) -> np.ndarray:
    n = len(s)
    cohort = rng.choice(n, size=min(n_cohort + 1, n), replace=False)
    mu, sd = np.zeros(n), np.ones(n)
    for a in range(n):
        c = cohort[cohort != a][:n_cohort]
        mu[a], sd[a] = s[a, c].mean(), max(s[a, c].std(), 1e-3)
    z = ((s - mu[:, None]) / sd[:, None] + (s - mu[None, :]) / sd[None, :]) / 2
    return z[np.triu_indices(n, 1)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "reuter_c50"))
    args = ap.parse_args()
    root = Path(args.data)
    cal_authors, _ = c50_author_split(root)
    trials = list(alias_trials(load_c50(root, "C50test", cal_authors), 1, 10, 1))
    for name, (prep, kw) in VARIANTS.items():
        for centred in (False, True):
            rng = np.random.default_rng(0)
            zs, ys = [], []
            for _names, texts, truth in trials:
                kw = dict(kw)
                vec = (HellingerVectorizer(min_df=2, dtype=np.float32, **kw) if kw.pop("hellinger", False)
                       else TfidfVectorizer(sublinear_tf=True, min_df=2, dtype=np.float32, **kw))
                m = vec.fit_transform([prep("\n\n".join(t)) for t in texts]).toarray().astype(float)
                if centred:
                    m -= m.mean(axis=0)
                m /= np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
                zs.append(snorm_pairs(m @ m.T, rng))
                iu = np.triu_indices(len(truth), 1)
                ys.append(np.array([truth[a] == truth[b] for a, b in zip(*iu)]))
            auc = roc_auc_score(np.concatenate(ys), np.concatenate(zs))
            print(f"{name:24s} {'centred' if centred else 'plain':8s} AUC {auc:.4f}", flush=True)


if __name__ == "__main__":
    main()
