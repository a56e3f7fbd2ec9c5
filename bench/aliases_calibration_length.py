"""Is the alias calibration over-confident on short texts because one slope serves every length? (issue #5)

`lockstep eval authorship --corpus c50` shows over-confidence at one article per alias (pairs given
0.95–0.99 are one author about half the time) and under-confidence at five. The shipped ``centred``
model has one coefficient per scorer for every amount of text, plus a length main effect: scores
from one article are noisier than from five, yet they are trusted alike.

Compared here, on the calibration pairs only (``scripts/fit_alias_calibration.py --save-pairs``:
the calibration authors' C50train, five conditions from 1,500 characters to five articles), with
the calibration authors dealt into five folds:

- ``shipped``: the shipped form, scorers' z-scores plus log10 of the shorter text's length;
- ``temperature``: the shipped model's log LR then rescaled by a length-dependent factor,
  ``log LR' = a + (b0 + b1 · L) · log LR + c · L`` (L = log10 length; a second balanced logistic
  regression on the held-out log LR, four numbers; each scorer's part scales by the same factor);
- ``interactions``: every z-score also multiplied by L (one slope per scorer and length);
- ``unbalanced``: the shipped form fitted without class weights (the logit of P(same) at the
  training pairs' base rate, minus their prior odds).

Every pair is predicted by a model fitted without both its authors' folds (15 fits for 5 folds).

Printed per condition: Brier score and log loss of the probabilities at the linker's prior for 50
names (1/49), the expected calibration error (ECE, ten bins of predicted probability), the mean
predicted and observed rate among pairs given ≥ 0.5, and the AUC.

    .venv/bin/python scripts/fit_alias_calibration.py --save-pairs /tmp/calpairs.parquet --out /tmp/cal.json
    .venv/bin/python bench/aliases_calibration_length.py /tmp/calpairs.parquet
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

from lockstep.aliases._calibration import fit_calibration, posterior
from lockstep.aliases._scorers import SCORERS

CONDITIONS = ("1 article cut to 1,500 chars", "1 article", "2 articles", "3 articles", "5 articles")
PRIOR = 1 / 49


def ece(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    k = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    return float(sum(abs(p[k == b].mean() - y[k == b].mean()) * (k == b).mean() for b in range(bins) if (k == b).any()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pairs", help="Parquet written by scripts/fit_alias_calibration.py --save-pairs")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    d = pd.read_parquet(args.pairs)
    y = d["same"].to_numpy().astype(bool)
    authors = sorted(set(d["name_a"].str.split("#").str[0]) | set(d["name_b"].str.split("#").str[0]))
    fold_of = {a: k % args.folds for k, a in enumerate(authors)}
    fa = d["name_a"].str.split("#").str[0].map(fold_of).to_numpy()
    fb = d["name_b"].str.split("#").str[0].map(fold_of).to_numpy()
    z = [f"z_{s}" for s in SCORERS]
    length = d["log10_min_chars"].to_numpy()
    x_main = d[[*z, "log10_min_chars"]].to_numpy()
    x_int = np.column_stack([x_main, d[z].to_numpy() * length[:, None]])
    feats_int = (*z, "log10_min_chars", *(f"{c}*L" for c in z))

    pred = {k: np.full(len(d), np.nan) for k in ("shipped", "temperature", "interactions", "unbalanced")}
    main_feats = (*z, "log10_min_chars")
    for f in range(args.folds):
        for g in range(f, args.folds):
            # Pairs by authors of folds f and g, predicted by models fitted on pairs of the other folds.
            test = ((fa == f) & (fb == g)) | ((fa == g) & (fb == f))
            train = ~np.isin(fa, (f, g)) & ~np.isin(fb, (f, g))
            main = fit_calibration("m", x_main[train], y[train], main_feats, monotone=tuple(z))
            pred["shipped"][test] = main.log_lr(x_main[test])
            inter = fit_calibration("i", x_int[train], y[train], feats_int, monotone=tuple(z))
            pred["interactions"][test] = inter.log_lr(x_int[test])
            # Unweighted classes: the logit of P(same) at the training pairs' base rate, minus its prior odds.
            unb = fit_calibration("u", x_main[train], y[train], main_feats, monotone=tuple(z), balanced=False)
            pred["unbalanced"][test] = unb.log_lr(x_main[test]) - np.log(y[train].mean() / (1 - y[train].mean()))
            # The length-dependent temperature, fitted on the main model's log LR of its own
            # training pairs (seven coefficients on ~10^5 pairs: in-sample is out-of-sample here).
            ll = main.log_lr(x_main[train])
            temp = fit_calibration("t", np.column_stack([ll, ll * length[train], length[train]]), y[train],
                                   ("log_lr", "log_lr*L", "L"))
            ll = main.log_lr(x_main[test])
            pred["temperature"][test] = temp.log_lr(np.column_stack([ll, ll * length[test], length[test]]))
    scored = ~np.isnan(pred["shipped"])
    print(f"{int(scored.sum())} of {len(d)} pairs predicted by a model that saw neither author")
    for c, label in enumerate(CONDITIONS):
        sel = scored & (d["condition"].to_numpy() == c)
        print(f"{label}: {int(sel.sum())} pairs, {int(y[sel].sum())} same author")
        for k, ll in pred.items():
            p = posterior(ll[sel], PRIOR)
            hi = p >= 0.5
            print(f"  {k:13s} Brier {brier_score_loss(y[sel], p):.5f}  log loss {log_loss(y[sel], p, labels=[0, 1]):.4f}  "
                  f"ECE {ece(p, y[sel]):.4f}  p≥0.5: {int(hi.sum())} pairs, mean p {p[hi].mean():.3f}, "
                  f"observed {y[sel][hi].mean():.3f}  AUC {roc_auc_score(y[sel], ll[sel]):.4f}")


if __name__ == "__main__":
    main()
