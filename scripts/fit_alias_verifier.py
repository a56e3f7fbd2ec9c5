"""Fit the learned pair verifier shipped as src/lockstep/aliases/verifier.json.

Data: Reuter_50_50 (../shared/data/reuter_c50), the *calibration* authors only — the 25 authors at
even positions of the sorted author list — and only their C50train articles (as for the
calibration; the evaluation authors and every C50test article are never read).

The verifier (see src/lockstep/aliases/_verifier.py): per view (character 1–4-grams, masked 2–5-grams,
word 1–2-grams) the square roots of the relative frequencies of the ``--top`` most frequent n-grams
of these articles; pair features the absolute differences and each view's cosine; a balanced
logistic regression (``--c``) on ``--max-pos`` same-author pairs of articles and ``--neg`` times as
many different-author pairs (a seeded sample). Deterministic for a seed.

The calibration (scripts/fit_alias_calibration.py) does not read this file's scores on its pairs
(this verifier has seen their authors): it cross-fits verifiers with the same parameters.

    nice -n 19 .venv/bin/python scripts/fit_alias_verifier.py [--data ../shared/data/reuter_c50]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from lockstep.aliases._evaluation import c50_author_split, load_c50
from lockstep.aliases._verifier import DEFAULT_PARAMS, fit_verifier

REPO = Path(__file__).resolve().parents[1]

#: The verifier's parameters (bench/aliases_verifier_learned.py, docs/aliases.md "Third round").
PARAMS = DEFAULT_PARAMS


def calibration_articles(root: Path) -> tuple[list[str], list[str], list[str]]:
    """(articles, author of each, calibration authors): the calibration authors' C50train articles."""
    cal_authors, _ = c50_author_split(root)
    docs = load_c50(root, "C50train", cal_authors)
    texts = [t for a in sorted(docs) for t in docs[a]]
    authors = [a for a in sorted(docs) for _ in docs[a]]
    return texts, authors, cal_authors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "reuter_c50"))
    ap.add_argument("--out", default=str(REPO / "src" / "lockstep" / "aliases" / "verifier.json"))
    for k, v in PARAMS.items():
        ap.add_argument(f"--{k.replace('_', '-')}", type=type(v), default=v)
    args = ap.parse_args()
    params = {k: getattr(args, k) for k in PARAMS}
    texts, authors, cal_authors = calibration_articles(Path(args.data))
    t0 = time.process_time()
    v = fit_verifier(texts, authors, **params)
    v.meta.update({
        "fitted_on": "Reuter_50_50 C50train, calibration authors = sorted author list at even positions",
        "script": "scripts/fit_alias_verifier.py",
        "meaning": "score = intercept + sum over views of (sum(weights * |sqrt f_a - sqrt f_b|) "
                   "+ cosine_weight * cosine(sqrt f_a, sqrt f_b)); f = relative n-gram frequencies",
    })
    v.save(args.out)
    print(f"wrote {args.out}: {len(texts)} articles of {len(cal_authors)} authors, "
          f"{v.meta['n_training_pairs']} training pairs ({time.process_time() - t0:.0f} CPU s)")


if __name__ == "__main__":
    main()
