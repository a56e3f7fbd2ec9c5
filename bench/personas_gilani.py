"""Automation score vs a random forest on Gilani et al. (2017) bots and humans, per popularity band.

The automation score is unsupervised: fixed feature directions, robust z-scores against the
training fold (no labels used). The random forest is trained on the labels of the same folds and
the same features. Both are scored on held-out folds (5-fold stratified CV, pooled predictions).

Run: .venv/bin/python bench/personas_gilani.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from lockstep.personas import SCORE_DIRECTIONS, automation_score

DATA = Path(__file__).resolve().parents[1] / "../shared/data/gilani2017"
BANDS = ("1k", "100k", "1M", "10M")


def load() -> pd.DataFrame:
    frames = []
    for label, folder in ((1, "bots"), (0, "humans")):
        for band in BANDS:
            df = pd.read_csv(DATA / folder / f"{folder}.{band}.csv", skipinitialspace=True)
            df["bot"], df["band"] = label, band
            frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    num = [c for c in df.columns if c not in ("screen_name", "source_identity", "band", "bot")]
    df[num] = df[num].apply(pd.to_numeric, errors="coerce")
    return df


def our_features(df: pd.DataFrame) -> pd.DataFrame:
    """The automation features this data has, under lockstep's names."""
    total = (df["user_tweeted"] + df["user_retweeted"] + df["user_replied"]).replace(0, np.nan)
    return pd.DataFrame({
        "posts_per_day": df["tweet_frequency"],
        "repost_ratio": df["user_retweeted"] / total,
        "reply_ratio": df["user_replied"] / total,
        "n_clients": df["sources_count"],
    })


def cv_auc(df: pd.DataFrame, seed: int = 0) -> dict[str, float]:
    feats = our_features(df)
    y = df["bot"].to_numpy()
    score = np.zeros(len(df))
    rf = np.zeros(len(df))
    rf_all = np.zeros(len(df))
    all_cols = [c for c in df.columns if c not in ("screen_name", "source_identity", "band", "bot")]
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    for train, test in folds.split(feats, y):
        score[test] = automation_score(feats.iloc[test], reference=feats.iloc[train])
        for cols, out, X in ((list(feats.columns), rf, feats), (all_cols, rf_all, df[all_cols])):
            m = RandomForestClassifier(n_estimators=300, random_state=seed, n_jobs=1)
            m.fit(X.iloc[train][cols].fillna(0), y[train])
            out[test] = m.predict_proba(X.iloc[test][cols].fillna(0))[:, 1]
    single = {}
    for c in feats.columns:
        if c in SCORE_DIRECTIONS:
            x = feats[c].fillna(feats[c].median())
            d = SCORE_DIRECTIONS[c]
            single[c] = roc_auc_score(y, (x - x.median()).abs() if d == 0 else d * x)
    # The score as it was before the repost ratio became two-sided (+1: "amplifiers repost").
    before = {**SCORE_DIRECTIONS, "repost_ratio": 1.0}
    score_before = np.zeros(len(df))
    for train, test in folds.split(feats, y):
        score_before[test] = automation_score(feats.iloc[test], reference=feats.iloc[train], directions=before)
    single["posts_per_day"] = roc_auc_score(y, feats["posts_per_day"].fillna(0))
    return {"n_bots": int(y.sum()), "n_humans": int(len(y) - y.sum()),
            "score": roc_auc_score(y, np.nan_to_num(score)),
            "score_before": roc_auc_score(y, np.nan_to_num(score_before)), "rf_same": roc_auc_score(y, rf),
            "rf_all15": roc_auc_score(y, rf_all), **{f"auc_{k}": v for k, v in single.items()}}


def main() -> None:
    if not DATA.exists():
        sys.exit(f"skipped: {DATA} not found (the shared data folder beside the repository)")
    df = load()
    rows = []
    for band in (*BANDS, "all"):
        sub = df if band == "all" else df[df["band"] == band]
        rows.append({"band": band, **cv_auc(sub.reset_index(drop=True))})
    out = pd.DataFrame(rows).set_index("band")
    out["score/rf"] = out["score"] / out["rf_same"]
    pd.set_option("display.width", 200)
    print("ROC AUC, 5-fold stratified CV (automation score: unsupervised, fixed directions, repost ratio")
    print("two-sided; score_before: repost ratio +1 as before;")
    print("rf_same: random forest on the same 4 features; rf_all15: on all 15 Gilani features)")
    print(out.round(3).to_string())


if __name__ == "__main__":
    main()
