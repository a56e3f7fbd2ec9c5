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

The ``verifier`` scorer is *cross-fitted*: the shipped verifier (scripts/fit_alias_verifier.py)
was trained on these very articles and recognises their authors, so its scores here would be
too good and the calibration would over-weight it. Instead the calibration authors are dealt into
``--folds`` folds, and every pair of names (and every name–impostor pair of the S-norm) is scored
by a verifier with the shipped parameters trained without the folds of both its authors
(``lockstep.aliases._verifier.crossfit_matrix``): 15 verifiers for 5 folds. ``--verifier-cache``
keeps them between runs.

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
from lockstep.aliases._scorers import SCORERS, CosineScorer, choose_impostors, cohort_stats, snorm
from lockstep.aliases._verifier import (
    DEFAULT_PARAMS,
    PairVerifier,
    crossfit_matrix,
    crossfit_verifiers,
    load_verifier,
)

REPO = Path(__file__).resolve().parents[1]
CONDITIONS = ((1, 1500), (1, None), (2, None), (3, None), (5, None))  # (articles per alias, truncate)


class MatrixScorer:
    """Scores read from a precomputed square matrix, in the scorer interface (for ``cohort_stats``)."""

    def __init__(self, m: np.ndarray):
        self.m = m

    def __call__(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return self.m[i, j]

    def block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return self.m[np.ix_(rows, cols)]


def snormed(m: np.ndarray, i: np.ndarray, j: np.ndarray, n_impostors: int, seed: int) -> np.ndarray:
    """S-normalised scores of pairs ``(i, j)`` from a score matrix, with the linker's impostor cohort."""
    n = len(m)
    impostors, cohort = choose_impostors(n, np.ones(n, dtype=bool), n_impostors, seed)
    stats = cohort_stats({"v": MatrixScorer(m)}, impostors, cohort, np.arange(n))["v"]
    return snorm(m[i, j], i, j, stats)


def crossfit_models(
    root: Path, cal_authors: list[str], n_folds: int, cache: Path | None
) -> tuple[dict[str, int], dict[frozenset[int], PairVerifier]]:
    """The cross-fitting verifiers, trained on the calibration authors' C50train (or read from ``cache``)."""
    names = sorted(cal_authors)
    fold_of = {a: k % n_folds for k, a in enumerate(names)}
    keys = [frozenset((f, g)) for f in range(n_folds) for g in range(f, n_folds)]

    def path(key: frozenset[int]) -> Path:
        assert cache is not None
        return cache / f"verifier_folds{n_folds}_{'_'.join(map(str, sorted(key)))}.json"

    if cache is not None and all(path(k).is_file() for k in keys):
        models = {k: load_verifier(path(k)) for k in keys}
        if all(m.meta.get("params") == DEFAULT_PARAMS for m in models.values()):
            return fold_of, models
    docs = load_c50(root, "C50train", cal_authors)
    texts = [t for a in sorted(docs) for t in docs[a]]
    authors = [a for a in sorted(docs) for _ in docs[a]]
    t0 = time.process_time()
    fold_of2, models = crossfit_verifiers(texts, authors, n_folds=n_folds, **DEFAULT_PARAMS)
    assert fold_of2 == fold_of
    print(f"{len(models)} cross-fitting verifiers trained ({time.process_time() - t0:.0f} CPU s)", flush=True)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        for k, m in models.items():
            m.save(path(k))
    return fold_of, models


def _check_snorm_mirrors_the_linker(linker: AliasLinker, plain_linker: AliasLinker, ia, ib, seed: int) -> None:
    """The shipped verifier's scores, S-normalised here, equal the linker's own (same cohort and formula)."""
    shipped = load_verifier()
    feats = plain_linker.features_
    n = len(feats.texts)
    m = shipped.block(shipped.profiles(feats.texts), np.arange(n), np.arange(n))
    mine = snormed(m, ia, ib, linker.n_impostors, seed)
    theirs = linker.pairs_["z_verifier"].to_numpy()
    if not np.allclose(mine, theirs, atol=1e-5):
        raise SystemExit("the verifier's S-norm here does not reproduce the linker's")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "reuter_c50"))
    ap.add_argument("--trials", type=int, default=4, help="trials per condition")
    ap.add_argument("--seed", type=int, default=12345)
    ap.add_argument("--out", default=str(REPO / "src" / "lockstep" / "aliases" / "calibration.json"))
    ap.add_argument("--save-pairs", help="also write the scored calibration pairs to this Parquet file")
    ap.add_argument("--folds", type=int, default=5, help="author folds of the verifier's cross-fitting")
    ap.add_argument("--verifier-cache", help="folder keeping the cross-fitting verifiers between runs")
    args = ap.parse_args()
    root = Path(args.data)
    cal_authors, _ = c50_author_split(root)
    fold_of, cf_models = crossfit_models(root, cal_authors, args.folds,
                                         Path(args.verifier_cache) if args.verifier_cache else None)
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
            # The verifier's scores, cross-fitted: each pair (and each name-impostor pair) scored
            # by a verifier that saw neither author. The S-norm mirrors the linker's, with its cohort.
            order = list(plain_linker.names_["name"])
            author_of = dict(zip(names, truth))
            m, _ = crossfit_matrix(plain_linker.features_.texts, [author_of[n] for n in order], fold_of, cf_models)
            if not frames:
                _check_snorm_mirrors_the_linker(linker, plain_linker, ia, ib, args.seed)
            pairs["score_verifier"] = m[ia, ib]
            pairs["z_verifier"] = pairs["plainz_verifier"] = snormed(m, ia, ib, linker.n_impostors, args.seed)
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
        "verifier": f"cross-fitted: {args.folds} folds of the calibration authors; each pair scored by a verifier "
                    f"trained (parameters {DEFAULT_PARAMS}) on the C50train articles of the authors outside "
                    "both of its authors' folds",
        "script": "scripts/fit_alias_calibration.py",
        "meaning": "log LR of same vs different author = intercept + sum(coef * (x - mean) / scale)",
    })
    print(f"wrote {args.out}: {len(y)} pairs, {int(y.sum())} same-author")


if __name__ == "__main__":
    main()
