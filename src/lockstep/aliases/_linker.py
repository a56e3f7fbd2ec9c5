"""AliasLinker: which names are written by the same hand."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lockstep.aliases._calibration import MIN_COHORT, Calibration, load_calibration, posterior
from lockstep.aliases._candidates import candidate_pairs
from lockstep.aliases._clustering import cluster_names
from lockstep.aliases._features import (
    FUNCTION_WORDS,
    HABITS,
    StyleFeatures,
    build_features,
    clean_text,
    emoji_counts,
)
from lockstep.aliases._scorers import SCORERS, choose_impostors, cohort_stats, make_scorers, snorm
from lockstep.aliases._topic import TOPIC_MODELS, resolve_topic, topic_similarity
from lockstep.aliases._verifier import load_verifier
from lockstep.errors import LockstepError

INSUFFICIENT = "insufficient evidence"

_CONSTRAINTS: dict[str, Any] = {
    "min_chars": (int, 0, None),
    "n_candidates": (int, 1, None),
    "all_pairs_max": (int, 2, None),
    "n_impostors": (int, 0, None),
    "threshold": (float, 0.0, 1.0),
    "prior": (float, 0.0, 1.0),
    "n_evidence": (int, 0, None),
    "evidence_min_probability": (float, 0.0, 1.0),
    "compression_chars": (int, 100, None),
    "compression_max_names": (int, 0, None),
    "center_min_names": (int, 2, None),
    "max_df": (float, 0.0, 1.0),
    "seed": (int, None, None),
}


class NotFittedError(LockstepError):
    """A result was asked for before :meth:`AliasLinker.fit` ran."""


class AliasLinker:
    """Score every candidate pair of names for same authorship, explain it, and cluster the names.

    Parameters
    ----------
    min_chars : int
        Names with less text than this (after removing links, handles and hashtag words) are
        reported as ``"insufficient evidence"`` and never scored.
    n_candidates : int
        Neighbours per name (per view) that get full scoring when there are many names.
    all_pairs_max : int
        Up to this many names every pair is scored.
    n_impostors : int
        Random other names each name is compared with for the cohort normalisation.
    topic : {"auto", "minilm", "words", "none"}
        Topic-only similarity reported beside each pair (see :mod:`lockstep.aliases._topic`).
    prior : float, optional
        Prior probability that a given pair is one author. Default ``min(0.5, 1/(n − 1))`` for
        ``n`` scored names: each name has, a priori, one alias among the others.
    threshold : float
        Probability from which two names (or groups, on average) are put in one cluster.
    n_evidence : int
        Evidence items of each kind listed per pair.
    evidence_min_probability : float
        Evidence is listed for pairs at or above this probability (the ones a reader looks at).
    compression_chars : int
        Characters of each name the compression scorer reads.
    compression_max_names : int
        Above this many scored names the compression scorer (a PPMd run per pair) is skipped;
        its normalised score then counts as 0, i.e. typical.
    center_min_names : int
        From this many scored names on, the three cosine scorers are centred on the names' mean
        vector (see :class:`~lockstep.aliases._scorers.CosineScorer`) and the ``centred``
        calibration is used. With fewer names the mean is dominated by the few authors present
        (two centred names are always opposite), so plain cosines and the ``cohort`` (or ``raw``)
        model are used.
    max_df : float
        From ``center_min_names`` scored names on, character and word n-grams used by more than
        this fraction of the names are dropped from those two views: what a fifth of all names
        write is common usage, not a hand (on one article per alias, calibration authors of
        Reuters C50, this lifts the character view alone from an AUC of 0.924 to 0.933).
    calibration : str or Path, optional
        A calibration JSON file; default the one shipped with lockstep.
    verifier : str or Path, optional
        A pair-verifier JSON file (``scripts/fit_alias_verifier.py``); default the one shipped with
        lockstep. Its score is the ``verifier`` scorer.
    seed : int
        Seed of the impostor draw and the candidate search.

    Attributes
    ----------
    names_ : pandas.DataFrame
        One row per name: ``name, n_docs, n_chars, status, cluster``.
    pairs_ : pandas.DataFrame
        One row per scored pair, most probable first.
    clusters_ : list of list of str
        Groups of two or more names judged to be one operator.
    calibration_used_, topic_used_, prior_ : str, str, float
    compression_used_ : bool

    Examples
    --------
    >>> linker = AliasLinker(min_chars=10, topic="none").fit(
    ...     ["a", "b", "c"], ["Well... I think so!!", "Well... I guess so!!", "The report was published."])
    >>> list(linker.names_["status"])
    ['ok', 'ok', 'ok']
    """

    def __init__(
        self,
        *,
        min_chars: int = 1500,
        n_candidates: int = 10,
        all_pairs_max: int = 400,
        n_impostors: int = 30,
        topic: str = "auto",
        prior: float | None = None,
        threshold: float = 0.5,
        n_evidence: int = 3,
        evidence_min_probability: float = 0.05,
        compression_chars: int = 6000,
        compression_max_names: int = 2000,
        center_min_names: int = 30,
        max_df: float = 0.2,
        calibration: str | Path | None = None,
        verifier: str | Path | None = None,
        seed: int = 0,
    ):
        self.min_chars = min_chars
        self.n_candidates = n_candidates
        self.all_pairs_max = all_pairs_max
        self.n_impostors = n_impostors
        self.topic = topic
        self.prior = prior
        self.threshold = threshold
        self.n_evidence = n_evidence
        self.evidence_min_probability = evidence_min_probability
        self.compression_chars = compression_chars
        self.compression_max_names = compression_max_names
        self.center_min_names = center_min_names
        self.max_df = max_df
        self.calibration = calibration
        self.verifier = verifier
        self.seed = seed

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters, as given."""
        return {k: getattr(self, k) for k in (*_CONSTRAINTS, "topic", "calibration", "verifier")}

    def _validate(self) -> None:
        for name, (typ, lo, hi) in _CONSTRAINTS.items():
            v = getattr(self, name)
            if v is None and name == "prior":
                continue
            ok = isinstance(v, (int, float) if typ is float else int) and not isinstance(v, bool)
            ok = ok and (lo is None or v >= lo) and (hi is None or v <= hi)
            if not ok:
                rng = f"[{lo}, {hi if hi is not None else '∞'}]"
                raise LockstepError(f"{name} must be a {typ.__name__} in {rng}, not {v!r}")
        if self.topic not in TOPIC_MODELS:
            raise LockstepError(f"topic must be one of {', '.join(TOPIC_MODELS)}, not {self.topic!r}")

    # -- the work --------------------------------------------------------------------------

    def fit(self, names: Sequence[str], texts: Sequence[str | Sequence[str]]) -> AliasLinker:
        """Score, explain and cluster the names.

        Parameters
        ----------
        names : sequence of str
            Distinct names (accounts, bylines).
        texts : sequence
            For each name, its text or a list of its documents/posts.

        Returns
        -------
        self
        """
        import pandas as pd

        self._validate()
        names = [str(n) for n in names]
        if len(names) != len(texts):
            raise LockstepError(f"{len(names)} names but {len(texts)} texts")
        if len(set(names)) != len(names):
            raise LockstepError("names must be distinct")
        order = np.argsort(np.array(names, dtype=object), kind="stable")
        names = [names[k] for k in order]
        docs = [[texts[k]] if isinstance(texts[k], str) else [str(d) for d in texts[k] if d] for k in order]
        joined = ["\n\n".join(d for d in ds if d) for ds in docs]

        ok = np.array([len(clean_text(t)) >= self.min_chars for t in joined], dtype=bool)
        n_ok = int(ok.sum())
        # Enough names for a cohort of impostors (see choose_impostors) and for centring: the
        # regime of the `centred` calibration, which is also the one where max_df applies.
        many = min(self.n_impostors, max(n_ok - 2, 0)) >= MIN_COHORT and n_ok >= self.center_min_names
        feats = build_features(joined, max_df=self.max_df if many else 1.0)
        rows = np.flatnonzero(ok)
        self.prior_ = float(self.prior) if self.prior is not None else (min(0.5, 1.0 / (n_ok - 1)) if n_ok > 1 else 0.5)

        models = load_calibration(self.calibration)
        impostors, cohort = choose_impostors(len(names), ok, self.n_impostors, self.seed)
        use_cohort = impostors.shape[1] >= MIN_COHORT
        # The cosines are centred on the scored names' mean only when there are many names (the
        # same condition as use_cohort plus center_min_names); each model reads the scores it was
        # fitted on (centred, or plain cosines).
        center = many
        scorers = make_scorers(feats, compression_chars=self.compression_chars, center_rows=rows if center else None,
                               verifier=load_verifier(self.verifier))
        # Compression costs a PPMd run per pair; past compression_max_names it is skipped and its
        # normalised score set to 0 (typical), which the calibration reads as no evidence either way.
        self.compression_used_ = n_ok <= self.compression_max_names or not use_cohort
        skip = () if self.compression_used_ else ("compression",)
        self.calibration_used_ = ("centred" if center else "cohort") if use_cohort else "raw"
        model = models[self.calibration_used_]

        i, j = candidate_pairs(feats, rows, k=self.n_candidates, all_pairs_max=self.all_pairs_max)
        cols: dict[str, np.ndarray] = {}
        for name in SCORERS:
            if name in skip:
                cols[f"score_{name}"] = np.full(len(i), np.nan)
            else:
                cols[f"score_{name}"] = scorers[name](i, j) if len(i) else np.zeros(0)
        if use_cohort:
            stats = cohort_stats(scorers, impostors, cohort, rows, skip=skip)
            for name in SCORERS:
                cols[f"z_{name}"] = snorm(cols[f"score_{name}"], i, j, stats[name])
        else:
            for name in SCORERS:
                cols[f"z_{name}"] = np.full(len(i), np.nan)
        cols["log10_min_chars"] = np.log10(np.maximum(np.minimum(feats.n_chars[i], feats.n_chars[j]), 1)).astype(float)
        # A skipped scorer (NaN) enters the model at its neutral value 0.
        x = np.nan_to_num(_design(cols, model), nan=0.0)
        log_lr = model.log_lr(x) if len(i) else np.zeros(0)
        # Each scorer's additive share of the log likelihood ratio: which scorer made the call.
        parts = model.parts(x) if len(i) else np.zeros((0, len(model.features)))
        part_cols = {}
        for name in SCORERS:
            hit = [k for k, f in enumerate(model.features) if f.endswith(f"_{name}")]
            part_cols[f"part_{name}"] = parts[:, hit[0]] if hit else np.zeros(len(i))
        prob = posterior(log_lr, self.prior_) if len(i) else np.zeros(0)

        self.topic_used_ = resolve_topic(self.topic, len(np.unique(np.concatenate([i, j]))) if len(i) else 0)
        topic = topic_similarity(joined, np.unique(np.concatenate([i, j])) if len(i) else rows, i, j, self.topic_used_)

        emoji = {}
        evidence = [
            json.dumps(explain_pair(feats, int(a), int(b), self.n_evidence, emoji), ensure_ascii=False)
            if p >= self.evidence_min_probability else "[]"
            for a, b, p in zip(i, j, prob)
        ]
        labels = cluster_names(len(names), i, j, prob, threshold=self.threshold)

        pairs = pd.DataFrame({
            "name_a": [names[a] for a in i],
            "name_b": [names[b] for b in j],
            "probability": prob,
            "log_lr": log_lr,
            **part_cols,
            **{k: v for k, v in cols.items() if k != "log10_min_chars"},
            "topic_similarity": topic,
            "n_chars_a": feats.n_chars[i],
            "n_chars_b": feats.n_chars[j],
            "evidence": evidence,
        })
        pairs = pairs.sort_values(["probability", "name_a", "name_b"], ascending=[False, True, True], kind="stable")
        self.pairs_ = pairs.reset_index(drop=True)
        # Cluster ids only for names that were scored; an unscored name belongs to no cluster.
        cluster = np.where(ok, labels, -1)
        sizes = np.bincount(labels[ok], minlength=len(names)) if n_ok else np.zeros(len(names), dtype=int)
        self.names_ = pd.DataFrame({
            "name": names,
            "n_docs": [len(d) for d in docs],
            "n_chars": feats.n_chars,
            "status": np.where(ok, "ok", INSUFFICIENT),
            "cluster": cluster,
            "cluster_size": np.where(ok, sizes[labels], 0),
        })
        groups: dict[int, list[str]] = {}
        for k in rows:
            groups.setdefault(int(labels[k]), []).append(names[k])
        self.clusters_ = sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g))
        self.features_ = feats
        return self

    def _check(self) -> None:
        if not hasattr(self, "pairs_"):
            raise NotFittedError("this AliasLinker has not been fitted yet: call .fit(names, texts) first")

    def to_frames(self) -> dict[str, Any]:
        """The results as ``{"pairs": DataFrame, "names": DataFrame}``."""
        self._check()
        return {"pairs": self.pairs_, "names": self.names_}


def _design(cols: dict[str, np.ndarray], model: Calibration) -> np.ndarray:
    n = len(next(iter(cols.values())))
    return np.column_stack([cols[f] for f in model.features]) if n else np.zeros((0, len(model.features)))


def _top_shared_ngrams(m, vocab, a: int, b: int, n: int, keep) -> list[dict[str, Any]]:
    # Slicing the CSR arrays directly: row indexing of a scipy matrix costs far more.
    sa, sb = slice(m.indptr[a], m.indptr[a + 1]), slice(m.indptr[b], m.indptr[b + 1])
    common, ia, ib = np.intersect1d(m.indices[sa], m.indices[sb], assume_unique=True, return_indices=True)
    if not len(common):
        return []
    w = m.data[sa][ia] * m.data[sb][ib]
    out = []
    for k in np.argsort(-w, kind="stable"):
        f = str(vocab[common[k]])
        if keep(f):
            out.append({"feature": f, "weight": round(float(w[k]), 5)})
        if len(out) == n:
            break
    return out


def explain_pair(
    feats: StyleFeatures, a: int, b: int, n: int = 3, cache: dict[int, dict[str, int]] | None = None
) -> list[dict[str, Any]]:
    """The most distinctive features two names share, as a list of evidence items.

    Each item has ``kind`` (``char_ngram``, ``style_ngram``, ``function_word``, ``habit``,
    ``emoji``), ``feature`` and the values for each name (``a``, ``b``): TF-IDF product weight for
    n-grams, rate per 1,000 words for function words, per 1,000 characters for habits, counts for emoji.
    """
    items: list[dict[str, Any]] = []
    if n == 0:
        return items
    # Readable n-grams only: at least three characters, not only spaces.
    for it in _top_shared_ngrams(feats.char, feats.char_vocab, a, b, n, lambda f: len(f.strip()) >= 3):
        items.append({"kind": "char_ngram", **it})
    # A masked n-gram made only of x's and spaces says no more than word lengths; keep those with
    # punctuation, digits' shape or a function word in them.
    for it in _top_shared_ngrams(
        feats.masked, feats.masked_vocab, a, b, n, lambda f: len(f.strip()) >= 3 and bool(set(f) - set("xX "))
    ):
        items.append({"kind": "style_ngram", **it})
    za, zb = feats.function_words_z[a], feats.function_words_z[b]
    both = np.minimum(za, zb)
    for k in np.argsort(-both, kind="stable")[:n]:
        if both[k] > 1.0:
            items.append({
                "kind": "function_word", "feature": FUNCTION_WORDS[k],
                "a": round(float(feats.function_words[a, k] * 1000), 2),
                "b": round(float(feats.function_words[b, k] * 1000), 2),
            })
    ha, hb = feats.habits_z[a], feats.habits_z[b]
    both = np.minimum(ha, hb)
    for k in np.argsort(-both, kind="stable")[:n]:
        if both[k] > 1.0 and feats.habits[a, k] > 0 and feats.habits[b, k] > 0:
            items.append({
                "kind": "habit", "feature": HABITS[k][0],
                "a": round(float(feats.habits[a, k]), 3), "b": round(float(feats.habits[b, k]), 3),
            })
    cache = {} if cache is None else cache
    for k in (a, b):
        if k not in cache:
            cache[k] = emoji_counts(feats.texts[k])
    ea, eb = cache[a], cache[b]
    shared = sorted(set(ea) & set(eb), key=lambda e: (-min(ea[e], eb[e]), e))[:n]
    for e in shared:
        items.append({"kind": "emoji", "feature": e, "a": ea[e], "b": eb[e]})
    return items


def link_aliases(names: Sequence[str], texts: Sequence[str | Sequence[str]], **params: Any) -> AliasLinker:
    """Build and fit an :class:`AliasLinker` (keyword parameters as its constructor's)."""
    return AliasLinker(**params).fit(names, texts)
