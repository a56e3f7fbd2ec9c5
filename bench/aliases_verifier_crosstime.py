"""Does the pair verifier generalise better when its same-author pairs span time? (issue #5, fifth round)

C50test is later than C50train and its topics have drifted. The shipped verifier learns from pairs
of C50train articles only, so its same-author pairs are mostly close in time and topic. Trained
also on the same authors' C50test articles, half of its same-author pairs are months apart: it has
to find what stays when the stories change.

Calibration authors only (the 25 at even positions), author-disjoint: the authors are dealt into
two folds; each fold's one-article aliases (its C50test articles, 10 splits, seed 1001, the dev
protocol of bench/aliases_verifier_learned.py) are scored by verifiers trained on the *other*
fold, with either

- ``train``: the other fold's C50train articles (as the shipped verifier is trained), or
- ``train+test``: its C50train and C50test articles (``--max-pos`` same-author pairs each).

Printed per variant: the verifier's AUC alone and S-normalised (cohort: the fold's other names),
and the shipped linker's log LR with its verifier part replaced by this one's (the ``centred``
model's coefficient, so no weight is chosen on these pairs). The evaluation authors are never read.

    nice -n 19 .venv/bin/python bench/aliases_verifier_crosstime.py [--max-pos 8000,16000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from lockstep.aliases._calibration import load_calibration
from lockstep.aliases._evaluation import c50_author_split, load_c50
from lockstep.aliases._verifier import DEFAULT_PARAMS, fit_verifier

sys.path.insert(0, str(Path(__file__).resolve().parent))
from aliases_verifier_learned import dev_trials  # the dev protocol's trials

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "reuter_c50"))
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--dev-seed", type=int, default=1001)
    ap.add_argument("--max-pos", default="8000")
    ap.add_argument("--variants", default="train,train+test")
    ap.add_argument("--hard", default="0", help="shares of hard different-author training pairs")
    args = ap.parse_args()
    root = Path(args.data)
    cal, _ = c50_author_split(root)
    train = load_c50(root, "C50train", cal)
    test = load_c50(root, "C50test", cal)
    fold_of = {a: k % 2 for k, a in enumerate(cal)}
    model = load_calibration()["centred"]
    kv = model.features.index("z_verifier")
    coef_v, mean_v, scale_v = model.coef[kv], model.mean[kv], model.scale[kv]

    t0 = time.process_time()
    trials = dev_trials(test, fold_of, args.trials, args.dev_seed)
    print(f"dev trials: {len(trials)} ({time.process_time() - t0:.0f} CPU s)", flush=True)

    for variant in args.variants.split(","):
        for max_pos, hard in ((m, h) for m in map(int, args.max_pos.split(",")) for h in map(float, args.hard.split(","))):
            got: dict[str, list[np.ndarray]] = {k: [] for k in ("y", "log_lr", "no_verifier", "raw", "z")}
            for f in (0, 1):
                t0 = time.process_time()
                others = [a for a in cal if fold_of[a] != f]
                sides = [train] + ([test] if variant == "train+test" else [])
                texts = [t for a in others for side in sides for t in side[a]]
                authors = [a for a in others for side in sides for _ in side[a]]
                params = {**DEFAULT_PARAMS, "max_pos": max_pos, "hard": hard}
                v = fit_verifier(texts, authors, **params)
                for t in trials:
                    members = np.flatnonzero(t["fold"] == f)
                    local = {r: q for q, r in enumerate(members)}
                    prof = v.profiles([t["texts"][r] for r in members])
                    m = v.block(prof, np.arange(len(members)), np.arange(len(members)))
                    off = ~np.eye(len(members), dtype=bool)
                    mu = np.array([m[a, off[a]].mean() for a in range(len(members))])
                    sd = np.array([max(m[a, off[a]].std(), 1e-3) for a in range(len(members))])
                    keep = (t["fold"][t["i"]] == f) & (t["fold"][t["j"]] == f)
                    i = np.array([local[r] for r in t["i"][keep]], dtype=int)
                    j = np.array([local[r] for r in t["j"][keep]], dtype=int)
                    s = m[i, j]
                    got["y"].append(t["y"][keep])
                    got["log_lr"].append(t["log_lr"][keep])
                    got["no_verifier"].append((t["log_lr"] - t["part_verifier"])[keep])
                    got["raw"].append(s)
                    got["z"].append(0.5 * ((s - mu[i]) / sd[i] + (s - mu[j]) / sd[j]))
                print(f"  {variant} max_pos {max_pos} hard {hard} fold {f}: {len(texts)} articles, "
                      f"{v.meta['n_same_author_pairs']} same-author pairs ({time.process_time() - t0:.0f} CPU s)",
                      flush=True)
            y, log_lr, no_v, raw, z = (np.concatenate(got[k]) for k in ("y", "log_lr", "no_verifier", "raw", "z"))
            swapped = no_v + coef_v * (z - mean_v) / scale_v
            print(f"{variant} max_pos {max_pos} hard {hard}: {len(y)} pairs ({int(y.sum())} same author); verifier AUC "
                  f"{roc_auc_score(y, raw):.4f}, S-normalised {roc_auc_score(y, z):.4f}; log LR without verifier "
                  f"{roc_auc_score(y, no_v):.4f}, with this verifier {roc_auc_score(y, swapped):.4f} "
                  f"(shipped, which saw these authors: {roc_auc_score(y, log_lr):.4f})", flush=True)


if __name__ == "__main__":
    main()
