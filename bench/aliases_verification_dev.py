"""Alias-verification ideas of issue #5 on the *calibration* authors only (one article per alias).

Protocol of the "validation inside the training side" figure in docs/aliases.md: the 25
calibration authors (even positions of the sorted C50 list), each split into two aliases of one
C50test article, 10 splits (seed 1000 + articles per alias: 1001); the shipped linker scores all pairs of the 50 aliases (its
calibration was fitted on the same authors' C50train articles). The evaluation authors (odd
positions) are never read. Printed: the AUC of the linker's log LR, of each z-scored scorer, and of
the General Impostors score (Koppel & Winter 2014; Seidman 2013) on each view: over ``K`` random
halves of the features, how often a name is closer to its partner than to every impostor of the
shared cohort (and the softer rate of impostors beaten), averaged over both directions; plus the
log LR with each candidate score added at a few weights (a screen only: the weights are not fitted).

``--no-gi --save FILE`` writes the scored pairs for bench/aliases_verification_screens.py and for
refitting the calibration on other inputs. Results in docs/aliases.md ("Second round").

    nice -n 19 .venv/bin/python bench/aliases_verification_dev.py [--articles 1] [--no-gi] [--save FILE]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from lockstep.aliases import AliasLinker
from lockstep.aliases._evaluation import alias_trials, c50_author_split, load_c50, pair_truth
from lockstep.aliases._scorers import choose_impostors

REPO = Path(__file__).resolve().parents[1]


def impostor_scores(m: np.ndarray, i: np.ndarray, j: np.ndarray, cohort: np.ndarray, k: int, frac: float,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(hard, soft) General Impostors scores of pairs (i, j) on dense centred rows ``m``."""
    f = m.shape[1]
    hard = np.zeros(len(i))
    soft = np.zeros(len(i))
    for _ in range(k):
        keep = rng.random(f) < frac
        x = m[:, keep]
        x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
        g = x @ x.T
        s = g[i, j]
        for a, b in ((i, j), (j, i)):
            imp = g[a][:, cohort]  # rows a, cohort columns
            # A name is not its own impostor, nor its partner's.
            mask = (cohort[None, :] == a[:, None]) | (cohort[None, :] == b[:, None])
            imp = np.where(mask, -np.inf, imp)
            hard += (s > imp.max(axis=1)) / 2
            soft += np.mean(np.where(mask, np.nan, s[:, None] > imp), axis=1, where=~mask) / 2
    return hard / k, soft / k


def dense_centred(m) -> np.ndarray:
    x = m.toarray().astype(np.float64)
    return x - x.mean(axis=0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "reuter_c50"))
    ap.add_argument("--k", type=int, default=100, help="random feature subsets")
    ap.add_argument("--frac", type=float, default=0.5)
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--articles", type=int, default=1, help="articles per alias")
    ap.add_argument("--no-gi", action="store_true", help="skip the impostor scores")
    ap.add_argument("--save", help="write the scored pairs (z scores, truth) to this Parquet file")
    args = ap.parse_args()
    root = Path(args.data)
    cal_authors, _ = c50_author_split(root)
    docs = load_c50(root, "C50test", cal_authors)
    rows: dict[str, list[np.ndarray]] = {}
    t0 = time.process_time()
    frames = []
    for names, texts, truth in alias_trials(docs, args.articles, args.trials, 1000 + args.articles):
        linker = AliasLinker(min_chars=0, topic="none", n_evidence=0, seed=0).fit(names, texts)
        p = linker.pairs_
        order = list(linker.names_["name"])
        index = {n: r for r, n in enumerate(order)}
        i = p["name_a"].map(index).to_numpy()
        j = p["name_b"].map(index).to_numpy()
        rows.setdefault("y", []).append(pair_truth(p, dict(zip(names, truth))))
        frames.append(p.assign(same=rows["y"][-1], trial=len(frames),
                               log10_min_chars=np.log10(np.maximum(np.minimum(p["n_chars_a"], p["n_chars_b"]), 1))))
        rows.setdefault("log_lr", []).append(p["log_lr"].to_numpy())
        for s in ("char", "masked", "word", "delta", "compression"):
            rows.setdefault(f"z_{s}", []).append(p[f"z_{s}"].to_numpy())
        if args.no_gi:
            continue
        _, cohort = choose_impostors(len(order), np.ones(len(order), bool), 30, 0)
        rng = np.random.default_rng(7)
        f = linker.features_
        for view in ("char", "word", "masked"):
            hard, soft = impostor_scores(dense_centred(getattr(f, view)), i, j, cohort, args.k, args.frac, rng)
            rows.setdefault(f"gi_{view}", []).append(hard)
            rows.setdefault(f"gis_{view}", []).append(soft)
    if args.save:
        import pandas as pd

        pd.concat(frames, ignore_index=True).drop(columns=["evidence"]).to_parquet(args.save, index=False)
    d = {k: np.concatenate(v) for k, v in rows.items()}
    y = d.pop("y")
    print(f"{len(y)} pairs, {int(y.sum())} same-author; {time.process_time() - t0:.0f} cpu s")
    for k, v in d.items():
        print(f"{k:16s} AUC {roc_auc_score(y, v):.4f}")

    def z(v):
        return (v - v.mean()) / v.std()

    for k in [k for k in d if k.startswith("gi")]:
        for w in (0.25, 0.5, 1.0):
            print(f"log_lr + {w} z({k}) AUC {roc_auc_score(y, z(d['log_lr']) + w * z(d[k])):.4f}")
    if args.no_gi:
        return
    gi_sum = sum(z(d[f"gis_{v}"]) for v in ("char", "word", "masked"))
    print(f"gis sum AUC {roc_auc_score(y, gi_sum):.4f}; + log_lr {roc_auc_score(y, z(d['log_lr']) + z(gi_sum)):.4f}")


if __name__ == "__main__":
    main()
