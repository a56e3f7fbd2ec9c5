"""Fit the alias-linking calibration shipped as src/lockstep/aliases/calibration.json.

Data: Reuter_50_50 (../shared/data/reuter_c50), the *calibration* authors only — the 25 authors at
even positions of the sorted author list — and only their C50train articles. The evaluation
(`lockstep eval authorship --corpus c50`) uses the other 25 authors and their C50test articles, so
no evaluation author or article is seen here.

Each trial splits every calibration author into two aliases (k distinct articles each) and scores
all pairs of the 50 aliases with the linker; the conditions mix the amounts of text a user meets:
one article cut to 1,500 characters (the default --min-chars), one, two, three and five articles.
A logistic regression with balanced classes on the scorer outputs is then a log likelihood ratio.
The ``centred`` model reads the cohort-normalised scores of the centred cosines (with the char and
word views' n-grams used by more than ``max_df`` of the names dropped), as the linker computes them
for 50 names; the ``cohort`` model (fewer than ``center_min_names`` names) reads
those of plain cosines of all n-grams, from a second linker run with centring (and so max_df)
switched off; the ``raw`` model (a
handful of names) reads the plain cosines, recomputed here from the linker's features.

    .venv/bin/python scripts/fit_alias_calibration.py [--data ../shared/data/reuter_c50] [--trials 4]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from lockstep.aliases._calibration import fit_calibration, save_calibrations
from lockstep.aliases._evaluation import alias_trials, c50_author_split, load_c50, pair_truth
from lockstep.aliases._linker import AliasLinker
from lockstep.aliases._scorers import SCORERS, CosineScorer

REPO = Path(__file__).resolve().parents[1]
CONDITIONS = ((1, 1500), (1, None), (2, None), (3, None), (5, None))  # (articles per alias, truncate)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "reuter_c50"))
    ap.add_argument("--trials", type=int, default=4, help="trials per condition")
    ap.add_argument("--seed", type=int, default=12345)
    ap.add_argument("--out", default=str(REPO / "src" / "lockstep" / "aliases" / "calibration.json"))
    ap.add_argument("--save-pairs", help="also write the scored calibration pairs to this Parquet file")
    args = ap.parse_args()
    root = Path(args.data)
    cal_authors, _ = c50_author_split(root)
    docs = load_c50(root, "C50train", cal_authors)
    frames = []
    for ci, (k, trunc) in enumerate(CONDITIONS):
        t0 = time.perf_counter()
        for names, texts, truth in alias_trials(docs, k, args.trials, args.seed + 100 * ci, truncate=trunc):
            linker = AliasLinker(min_chars=0, topic="none", n_evidence=0, seed=args.seed).fit(names, texts)
            plain_linker = AliasLinker(min_chars=0, topic="none", n_evidence=0, seed=args.seed,
                                       center_min_names=10**9).fit(names, texts)
            plain = plain_linker.pairs_.set_index(["name_a", "name_b"])
            pairs = linker.pairs_.copy()
            key = pd.MultiIndex.from_frame(pairs[["name_a", "name_b"]])
            for s in SCORERS:
                pairs[f"plainz_{s}"] = plain.loc[key, f"z_{s}"].to_numpy()
            pairs["same"] = pair_truth(pairs, dict(zip(names, truth)))
            pairs["condition"] = ci
            pairs["trial_names"] = len(frames)
            pairs["log10_min_chars"] = np.log10(np.maximum(np.minimum(pairs["n_chars_a"], pairs["n_chars_b"]), 1))
            # The raw model's inputs: plain (uncentred) cosines of all n-grams (no max_df), as the
            # linker computes them when there are too few names for a cohort.
            index = {n: r for r, n in enumerate(plain_linker.names_["name"])}
            ia = pairs["name_a"].map(index).to_numpy()
            ib = pairs["name_b"].map(index).to_numpy()
            for view in ("char", "masked", "word"):
                pairs[f"plain_{view}"] = CosineScorer(getattr(plain_linker.features_, view))(ia, ib)
            frames.append(pairs)
        print(f"condition k={k} truncate={trunc}: {time.perf_counter() - t0:.0f} s", flush=True)
    data = pd.concat(frames, ignore_index=True)
    if args.save_pairs:
        data.drop(columns=["evidence"]).to_parquet(args.save_pairs, index=False)
    y = data["same"].to_numpy()
    models = {}
    for name, cols in (
        ("centred", [f"z_{s}" for s in SCORERS] + ["log10_min_chars"]),
        # The word scorer is left out of the plain-cosine cohort model: on a dozen names (what it
        # serves) it spread the weight of identical texts thinner than the char scorer alone.
        ("cohort", [f"z_{s}" for s in SCORERS if s != "word"] + ["log10_min_chars"]),
        ("raw", [f"score_{s}" for s in SCORERS] + ["log10_min_chars"]),
    ):
        # Each model reads the columns it will meet in use (see the module docstring).
        prefix = {"centred": {}, "cohort": {"z_": "plainz_"}, "raw": {"score_": "plain_"}}[name]
        source = []
        for c in cols:
            for old, new in prefix.items():
                if c.startswith(old) and new + c[len(old):] in data:
                    c = new + c[len(old):]
            source.append(c)
        m = fit_calibration(name, data[source].to_numpy(), y, tuple(cols), monotone=tuple(cols[:-1]))
        models[name] = m
        print(name, dict(zip(cols, np.round(m.coef, 3))), "intercept", round(m.intercept, 3))
    save_calibrations(args.out, models, {
        "fitted_on": "Reuter_50_50 C50train, calibration authors = sorted author list at even positions "
                     f"({', '.join(cal_authors)})",
        "conditions": [{"articles_per_alias": k, "truncate_chars": t} for k, t in CONDITIONS],
        "trials_per_condition": args.trials,
        "n_pairs": len(y),
        "n_same_author_pairs": int(y.sum()),
        "seed": args.seed,
        "script": "scripts/fit_alias_calibration.py",
        "meaning": "log LR of same vs different author = intercept + sum(coef * (x - mean) / scale)",
    })
    print(f"wrote {args.out}: {len(y)} pairs, {int(y.sum())} same-author")


if __name__ == "__main__":
    main()
