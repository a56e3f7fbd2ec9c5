"""A learned pair verifier: a weighted distance between two names' n-gram profiles.

Each text is represented, in each of three views (character 1–4-grams of the cleaned text,
character 2–5-grams of the topic-masked text, word 1–2-grams with punctuation marks as words), by
the square roots of the relative frequencies of a fixed list of n-grams: the ``top`` most frequent
(by document frequency) in the training articles. A pair of texts is described by the absolute
differences of their two vectors, n-gram by n-gram, plus each view's cosine; a logistic regression
with balanced classes on pairs of training articles (same author against different authors) then
learns which differences matter. Collapsed, the score of a pair is

    s(a, b) = intercept + Σ_views ( Σ_k w_k · |√f_a(k) − √f_b(k)| + u_view · cos_view(a, b) ),

a learned weighted L1 distance plus the cosines. The scorer reports the raw ``s``; the linker
S-normalises it against the impostor cohort like every other scorer.

The fitted verifier ships as plain JSON (``verifier.json`` beside this module: n-grams and
weights, nothing executable), written by ``scripts/fit_alias_verifier.py`` from the C50train
articles of the 25 calibration authors of Reuters C50. It never saw an evaluation author.

Because a verifier recognises the authors it was trained on, the calibration must not read its
scores on those authors' pairs: :func:`crossfit_verifiers` and :func:`crossfit_matrix` give
scores where each pair is scored by a verifier trained without either of its two authors
(``scripts/fit_alias_calibration.py`` uses them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import combinations_with_replacement
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from lockstep.aliases._features import WORD_TOKENS, clean_text, mask_topic

__all__ = ["DEFAULT_PARAMS", "VIEWS", "PairVerifier", "VerifierScorer", "crossfit_matrix", "crossfit_verifiers", "fit_verifier",
           "load_verifier"]

#: The shipped verifier's fitting parameters (chosen in bench/aliases_verifier_learned.py on the
#: calibration authors only; docs/aliases.md, "Third round").
DEFAULT_PARAMS: dict[str, Any] = {"top": 3000, "c": 0.001, "max_pos": 8000, "neg": 2.0, "seed": 0}

#: The views, in the order of the verifier's features.
VIEWS: tuple[str, ...] = ("char", "masked", "word")

_VIEW_KW: dict[str, dict[str, Any]] = {
    "char": dict(analyzer="char", ngram_range=(1, 4), lowercase=False),
    "masked": dict(analyzer="char", ngram_range=(2, 5), lowercase=False),
    "word": dict(analyzer="word", ngram_range=(1, 2), lowercase=True, token_pattern=WORD_TOKENS),
}
# scikit-learn's character analyser collapses runs of white space before cutting n-grams.
_WHITE_SPACES = re.compile(r"\s\s+")
_WORD_RE = re.compile(WORD_TOKENS)


def prepare(view: str, text: str) -> str:
    """The text a view reads: cleaned (links, handles, hashtags replaced), and masked for ``masked``."""
    t = clean_text(text)
    return mask_topic(t) if view == "masked" else t


def ngram_positions(view: str, text: str) -> int:
    """How many n-grams (of every order of the view) a prepared text has: the denominator of its frequencies."""
    lo, hi = _VIEW_KW[view]["ngram_range"]
    if _VIEW_KW[view]["analyzer"] == "char":
        n = len(_WHITE_SPACES.sub(" ", text))
    else:
        n = len(_WORD_RE.findall(text.lower()))
    return sum(max(n - k + 1, 0) for k in range(lo, hi + 1))


def _vectorizer(view: str, vocabulary: Sequence[str] | None = None):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(vocabulary=list(vocabulary) if vocabulary is not None else None,
                           dtype=np.float32, **_VIEW_KW[view])


class _Counter:
    """Counts of a fixed list of n-grams in texts, as CountVectorizer would give them, only faster.

    scikit-learn's analysers build a Python string for every n-gram of every text, the costly step
    for 10,000 names. For character views each character is coded by its rank in the alphabet of
    the listed n-grams (0: any other character), each n-gram becomes an integer in base
    ``len(alphabet) + 1``, and every position of every text is looked up at once with numpy. Word
    views look tokens and token pairs up in a dict.
    """

    def __init__(self, view: str, ngrams: Sequence[str]):
        self.view = view
        self.char = _VIEW_KW[view]["analyzer"] == "char"
        self.lo, self.hi = _VIEW_KW[view]["ngram_range"]
        self.n_cols = len(ngrams)
        if not self.char:
            self.col = {g: k for k, g in enumerate(ngrams)}
            return
        self.alphabet = np.array(sorted({ord(ch) for g in ngrams for ch in g}), dtype=np.int64)
        self.base = len(self.alphabet) + 1
        if self.base ** self.hi >= 2**62:
            raise ValueError("alphabet too large for integer n-gram keys")
        self.keys: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        by_len: dict[int, tuple[list[int], list[int]]] = {}
        for k, g in enumerate(ngrams):
            key = 0
            for ch in g:
                key = key * self.base + int(np.searchsorted(self.alphabet, ord(ch))) + 1
            keys, cols = by_len.setdefault(len(g), ([], []))
            keys.append(key)
            cols.append(k)
        for n, (keys, cols) in by_len.items():
            order = np.argsort(keys, kind="stable")
            self.keys[n] = (np.asarray(keys, dtype=np.int64)[order], np.asarray(cols, dtype=np.int64)[order])

    def counts(self, prepared: Sequence[str], chunk_chars: int = 4_000_000) -> sp.csr_matrix:
        """Counts (texts × listed n-grams) of already prepared texts.

        Texts are counted in chunks of about ``chunk_chars`` characters (each character costs a
        few 8-byte integers while its chunk is counted).
        """
        parts, start, size = [], 0, 0
        for k, t in enumerate(prepared):
            size += len(t)
            if size >= chunk_chars or k == len(prepared) - 1:
                parts.append(self._counts(prepared[start : k + 1]))
                start, size = k + 1, 0
        if not parts:
            return sp.csr_matrix((0, self.n_cols), dtype=np.float32)
        return sp.vstack(parts, format="csr")

    def _counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        if not self.char:
            r_list, c_list = [], []
            for r, t in enumerate(texts):
                toks = _WORD_RE.findall(t.lower())
                grams = toks if self.lo == 1 else []
                for n in range(max(self.lo, 2), self.hi + 1):
                    grams = grams + [" ".join(toks[p : p + n]) for p in range(len(toks) - n + 1)]
                hit = [c for c in map(self.col.get, grams) if c is not None]
                c_list.append(np.asarray(hit, dtype=np.int64))
                r_list.append(np.full(len(hit), r, dtype=np.int64))
            rows, cols = r_list, c_list
        else:
            norm = [_WHITE_SPACES.sub(" ", t) for t in texts]
            lengths = np.array([len(t) for t in norm], dtype=np.int64)
            cp = np.frombuffer("".join(norm).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
            idx = np.searchsorted(self.alphabet, cp)
            found = idx < len(self.alphabet)
            found[found] = self.alphabet[idx[found]] == cp[found]
            code = np.where(found, idx + 1, 0)
            doc = np.repeat(np.arange(len(norm), dtype=np.int64), lengths)
            total = len(code)
            key = np.zeros(total, dtype=np.int64)
            ok = np.ones(total, dtype=bool)
            for n in range(1, self.hi + 1):
                m = total - n + 1
                if m <= 0:
                    break
                # key/ok at position p now describe the n characters p .. p + n − 1.
                key = key[:m] * self.base + code[n - 1 : n - 1 + m]
                ok = ok[:m] & (code[n - 1 : n - 1 + m] != 0)
                if n < self.lo or n not in self.keys:
                    continue
                valid = ok & (doc[:m] == doc[n - 1 : n - 1 + m])
                pos = np.flatnonzero(valid)
                vkeys, vcols = self.keys[n]
                at = np.searchsorted(vkeys, key[pos])
                at_c = np.minimum(at, len(vkeys) - 1)
                hit = vkeys[at_c] == key[pos]
                rows.append(doc[pos[hit]])
                cols.append(vcols[at_c[hit]])
        r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        m = sp.csr_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=(len(texts), self.n_cols))
        m.sum_duplicates()
        return m


def profile_rows(view: str, vocabulary: Sequence[str], texts: Sequence[str], *, counter: _Counter | None = None,
                 prepared: bool = False) -> sp.csr_matrix:
    """Square roots of the relative frequencies of ``vocabulary`` n-grams in each text (sparse rows).

    The frequencies are relative to all the text's n-grams of the view, not to the listed ones only,
    so a text that uses few of them has a short vector. With ``prepared``, ``texts`` are already
    what the view reads (see :func:`prepare`).
    """
    p = list(texts) if prepared else [prepare(view, t) for t in texts]
    counts = (counter or _Counter(view, vocabulary)).counts(p)
    total = np.array([max(ngram_positions(view, t), 1) for t in p], dtype=np.float64)
    counts = (sp.diags(1.0 / total).astype(np.float32) @ counts).tocsr()
    counts.data = np.sqrt(counts.data)
    return counts


@dataclass(frozen=True)
class PairVerifier:
    """A fitted verifier: per view, its n-grams, their weights on absolute differences, a cosine weight.

    Attributes
    ----------
    ngrams : dict of view → tuple of str
    weights : dict of view → numpy.ndarray
        Weight of ``|√f_a(k) − √f_b(k)|`` for each n-gram ``k`` (negative: a difference speaks
        against one author).
    cosine_weights : dict of view → float
    intercept : float
    trained_on : tuple of str
        The authors whose articles it was trained on (provenance, and the cross-fitting check).
    """

    ngrams: dict[str, tuple[str, ...]]
    weights: dict[str, np.ndarray]
    cosine_weights: dict[str, float]
    intercept: float
    trained_on: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    _counters: dict[str, _Counter] = field(default_factory=dict, compare=False, repr=False)

    def profiles(
        self, texts: Sequence[str], *, cleaned: bool = False, masked: Sequence[str] | None = None,
    ) -> dict[str, sp.csr_matrix]:
        """Each text's profile rows in each view.

        ``cleaned``: the texts are already :func:`clean_text`'s output; ``masked``: and these are
        their :func:`mask_topic` versions (not masked again).
        """
        base = list(texts) if cleaned else [clean_text(t) for t in texts]
        if masked is not None and len(masked) != len(base):
            raise ValueError("masked must hold one text per text")
        out = {}
        for v in VIEWS:
            if v == "masked":
                prepared = list(masked) if masked is not None else [mask_topic(t) for t in base]
            else:
                prepared = base
            out[v] = profile_rows(v, self.ngrams[v], prepared, counter=self._counter(v), prepared=True)
        return out

    def _counter(self, view: str) -> _Counter:
        if view not in self._counters:
            self._counters[view] = _Counter(view, self.ngrams[view])
        return self._counters[view]

    def score(self, prof: dict[str, sp.csr_matrix], i: np.ndarray, j: np.ndarray, block: int = 5000) -> np.ndarray:
        """Scores of the pairs ``(i[k], j[k])`` of rows of ``prof``.

        For non-negative ``a`` and ``b``, ``|a − b| = a + b − 2·min(a, b)``: the weighted L1 distance is
        each row's weighted sum (once per name) minus twice the weighted sum of the element-wise
        minimum, which only the n-grams both texts use contribute to (sparse).
        """
        i = np.asarray(i, dtype=np.int64)
        j = np.asarray(j, dtype=np.int64)
        out = np.full(len(i), self.intercept, dtype=np.float64)
        for v in VIEWS:
            m = prof[v]
            w = self.weights[v]
            wsum = m @ w
            norm = np.sqrt(np.asarray(m.multiply(m).sum(axis=1), dtype=np.float64).ravel())
            for s in range(0, len(i), block):
                ii, jj = i[s : s + block], j[s : s + block]
                a, b = m[ii], m[jj]
                shared = a.minimum(b) @ w
                dot = np.asarray(a.multiply(b).sum(axis=1), dtype=np.float64).ravel()
                cos = dot / np.maximum(norm[ii] * norm[jj], 1e-12)
                out[s : s + block] += wsum[ii] + wsum[jj] - 2.0 * shared + self.cosine_weights[v] * cos
        return out

    def block(self, prof: dict[str, sp.csr_matrix], rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """All scores between two sets of rows, as a dense ``len(rows) × len(cols)`` matrix.

        Meant for many rows against a few columns (the impostor cohort): each column is made
        dense once and met by every row's non-zero entries.
        """
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        out = np.full((len(rows), len(cols)), self.intercept, dtype=np.float64)
        if not len(rows) or not len(cols):
            return out
        for v in VIEWS:
            m = prof[v][rows].tocsr()
            c = prof[v][cols].toarray().astype(np.float64)
            w = self.weights[v]
            data = m.data.astype(np.float64)
            w_at = w[m.indices]
            row_of = np.repeat(np.arange(len(rows)), np.diff(m.indptr))
            wsum_r = np.bincount(row_of, weights=data * w_at, minlength=len(rows))
            norm_r = np.sqrt(np.bincount(row_of, weights=data * data, minlength=len(rows)))
            wsum_c = c @ w
            norm_c = np.sqrt((c * c).sum(axis=1))
            for k in range(len(cols)):
                c_at = c[k][m.indices]
                shared = np.bincount(row_of, weights=np.minimum(data, c_at) * w_at, minlength=len(rows))
                dot = np.bincount(row_of, weights=data * c_at, minlength=len(rows))
                cos = dot / np.maximum(norm_r * norm_c[k], 1e-12)
                out[:, k] += wsum_r + wsum_c[k] - 2.0 * shared + self.cosine_weights[v] * cos
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": 1,
            **self.meta,
            "trained_on": list(self.trained_on),
            "intercept": _round(self.intercept),
            "views": {
                v: {
                    "ngrams": list(self.ngrams[v]),
                    "weights": [_round(w) for w in self.weights[v].tolist()],
                    "cosine_weight": _round(self.cosine_weights[v]),
                }
                for v in VIEWS
            },
        }

    def save(self, path: str | Path) -> None:
        """Write the verifier as JSON (UTF-8)."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                              encoding="utf-8")

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> PairVerifier:
        views = doc["views"]
        meta = {k: v for k, v in doc.items() if k not in ("format", "trained_on", "intercept", "views")}
        return cls(
            ngrams={v: tuple(views[v]["ngrams"]) for v in VIEWS},
            weights={v: np.asarray(views[v]["weights"], dtype=np.float64) for v in VIEWS},
            cosine_weights={v: float(views[v]["cosine_weight"]) for v in VIEWS},
            intercept=float(doc["intercept"]),
            trained_on=tuple(doc.get("trained_on", ())),
            meta=meta,
        )


def _round(x: float) -> float:
    # Seven significant digits: far below any effect on a score, and a stable, diffable file.
    return float(f"{float(x):.7g}")


def load_verifier(path: str | Path | None = None) -> PairVerifier:
    """Read a verifier from JSON (default: the one shipped with lockstep, read once per process)."""
    if path is None:
        return _shipped()
    return PairVerifier.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _shipped() -> PairVerifier:
    text = resources.files("lockstep.aliases").joinpath("verifier.json").read_text(encoding="utf-8")
    return PairVerifier.from_dict(json.loads(text))


class VerifierScorer:
    """The verifier as a linker scorer: ``f(i, j)`` and ``block(rows, cols)`` over a set of texts."""

    def __init__(self, verifier: PairVerifier, texts: Sequence[str], masked: Sequence[str] | None = None):
        """``texts``: one cleaned text per name (:attr:`StyleFeatures.texts`); ``masked``: their masked versions."""
        self.verifier = verifier
        # The linker's texts are already cleaned (and masked, for the masked view).
        self.prof = verifier.profiles(texts, cleaned=True, masked=masked)

    def __call__(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return self.verifier.score(self.prof, i, j)

    def block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return self.verifier.block(self.prof, rows, cols)


# -- fitting ------------------------------------------------------------------------------------


def top_ngrams(view: str, texts: Sequence[str], top: int) -> tuple[str, ...]:
    """The ``top`` n-grams of a view found in the most texts (ties in n-gram order)."""
    cv = _vectorizer(view)
    x = cv.fit_transform([prepare(view, t) for t in texts])
    df = np.asarray((x > 0).sum(axis=0)).ravel()
    keep = np.argsort(-df, kind="stable")[:top]
    return tuple(str(g) for g in cv.get_feature_names_out()[keep])


def pair_features(prof: dict[str, sp.csr_matrix], i: np.ndarray, j: np.ndarray, block: int = 2000) -> np.ndarray:
    """The verifier's inputs for pairs of rows: per view the absolute differences, then the cosine."""
    parts = []
    for s in range(0, len(i), block):
        ii, jj = i[s : s + block], j[s : s + block]
        row = []
        for v in VIEWS:
            a = prof[v][ii].toarray()
            b = prof[v][jj].toarray()
            na = np.linalg.norm(a, axis=1)
            nb = np.linalg.norm(b, axis=1)
            cos = np.einsum("ij,ij->i", a, b) / np.maximum(na * nb, 1e-12)
            row += [np.abs(a - b), cos[:, None].astype(np.float32)]
        parts.append(np.hstack(row))
    return np.vstack(parts) if parts else np.zeros((0, 0), np.float32)


def training_pairs(
    authors: Sequence[str], *, max_pos: int, neg: float, seed: int, hard: float = 0.0,
    similarity: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A seeded sample of same-author pairs (at most ``max_pos``) and ``neg`` times as many others.

    With ``hard`` > 0 that share of the different-author pairs is drawn from the tenth most alike
    (by ``similarity``, an ``n × n`` matrix), the rest at random: pairs that a topic-blind reading
    would take for one author.
    """
    a = np.asarray(authors)
    ii, jj = np.triu_indices(len(a), 1)
    same = a[ii] == a[jj]
    rng = np.random.default_rng(seed)
    pos_all = np.flatnonzero(same)
    neg_all = np.flatnonzero(~same)
    pos = np.sort(rng.choice(pos_all, size=min(len(pos_all), max_pos), replace=False))
    n_neg = min(len(neg_all), round(neg * len(pos)))
    n_hard = round(hard * n_neg) if similarity is not None else 0
    chosen = []
    if n_hard:
        s = similarity[ii[neg_all], jj[neg_all]]
        top = neg_all[s >= np.quantile(s, 0.9)]
        chosen.append(rng.choice(top, size=min(len(top), n_hard), replace=False))
    rest = np.setdiff1d(neg_all, chosen[0]) if chosen else neg_all
    chosen.append(rng.choice(rest, size=n_neg - sum(len(c) for c in chosen), replace=False))
    negs = np.sort(np.concatenate(chosen))
    sel = np.concatenate([pos, negs])
    return ii[sel], jj[sel], same[sel]


def fit_verifier(
    texts: Sequence[str], authors: Sequence[str], *, top: int = DEFAULT_PARAMS["top"], c: float = DEFAULT_PARAMS["c"],
    max_pos: int = DEFAULT_PARAMS["max_pos"], neg: float = DEFAULT_PARAMS["neg"], seed: int = DEFAULT_PARAMS["seed"],
    hard: float = 0.0,
) -> PairVerifier:
    """Fit a verifier on articles with known authors (a balanced logistic regression on pairs).

    Parameters
    ----------
    texts, authors : sequences
        One article (or text) per entry and its author.
    top : int
        n-grams kept per view: the most frequent (document frequency) in ``texts``.
    c : float
        Inverse L2 regularisation of the logistic regression.
    max_pos, neg : int, float
        Same-author training pairs (a seeded sample) and how many times as many different-author pairs.
    seed : int
        Seed of the pair sample.
    hard : float
        Share of the different-author pairs drawn from the tenth most alike in word-view cosine
        (see :func:`training_pairs`); 0: all at random.
    """
    from sklearn.linear_model import LogisticRegression

    texts = list(texts)
    ngrams = {v: top_ngrams(v, texts, top) for v in VIEWS}
    proto = PairVerifier(ngrams=ngrams, weights={}, cosine_weights={}, intercept=0.0)
    prof = proto.profiles(texts)
    similarity = None
    if hard:
        # Word-view cosine: shared vocabulary, i.e. topic as much as style.
        w = prof["word"].astype(np.float64)
        norm = np.sqrt(np.asarray(w.multiply(w).sum(axis=1)).ravel())
        w = sp.diags(1.0 / np.maximum(norm, 1e-12)) @ w
        similarity = (w @ w.T).toarray()
    i, j, y = training_pairs(authors, max_pos=max_pos, neg=neg, seed=seed, hard=hard, similarity=similarity)
    x = pair_features(prof, i, j)
    mean = x.mean(axis=0, dtype=np.float64)
    sd = x.std(axis=0, dtype=np.float64) + 1e-6
    x -= mean.astype(np.float32)
    x /= sd.astype(np.float32)
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=1000).fit(x, y)
    del x
    coef = lr.coef_[0] / sd
    intercept = float(lr.intercept_[0] - np.sum(lr.coef_[0] * mean / sd))
    weights, cos_w = {}, {}
    k = 0
    for v in VIEWS:
        n = len(ngrams[v])
        weights[v] = coef[k : k + n].astype(np.float64)
        cos_w[v] = float(coef[k + n])
        k += n + 1
    return PairVerifier(
        ngrams=ngrams, weights=weights, cosine_weights=cos_w, intercept=intercept,
        trained_on=tuple(sorted(set(authors))),
        meta={"params": {"top": top, "c": c, "max_pos": max_pos, "neg": neg, "seed": seed,
                         **({"hard": hard} if hard else {})},
              "n_training_pairs": len(y), "n_same_author_pairs": int(y.sum())},
    )


def crossfit_verifiers(
    texts: Sequence[str], authors: Sequence[str], *, n_folds: int = 5, **params: Any
) -> tuple[dict[str, int], dict[frozenset[int], PairVerifier]]:
    """Verifiers for cross-fitting: one per fold and per pair of folds, each trained without them.

    Authors (sorted) are dealt into ``n_folds`` folds in turn. For every set ``{f, g}`` of one or two
    folds a verifier is trained on the articles of the authors in the other folds, so that any pair
    of names, by authors of folds ``f`` and ``g``, can be scored by one that saw neither author.

    Returns ``(fold of each author, {frozenset of excluded folds: verifier})``.
    """
    names = sorted(set(authors))
    if n_folds < 3 or len(names) < n_folds:
        raise ValueError("cross-fitting needs at least 3 folds and one author per fold")
    fold_of = {a: k % n_folds for k, a in enumerate(names)}
    folds = np.array([fold_of[a] for a in authors])
    models: dict[frozenset[int], PairVerifier] = {}
    for f, g in combinations_with_replacement(range(n_folds), 2):
        keep = (folds != f) & (folds != g)
        models[frozenset((f, g))] = fit_verifier(
            [t for t, k in zip(texts, keep) if k], [a for a, k in zip(authors, keep) if k], **params)
    return fold_of, models


def crossfit_matrix(
    texts: Sequence[str], authors: Sequence[str], fold_of: dict[str, int], models: dict[frozenset[int], PairVerifier]
) -> tuple[np.ndarray, np.ndarray]:
    """Verifier scores of every pair of names, each by a verifier trained without either name's author.

    Returns ``(scores, used)``: two ``n × n`` matrices, the (symmetric) scores, and the index into
    ``sorted(models, key=sorted)`` of the verifier that scored each pair (−1 on the diagonal).
    """
    n = len(texts)
    keys = sorted(models, key=sorted)
    folds = np.array([fold_of[a] for a in authors])
    scores = np.zeros((n, n))
    used = np.full((n, n), -1, dtype=np.int64)
    for k, key in enumerate(keys):
        model = models[key]
        members = sorted(key)
        f, g = members[0], members[-1]
        rows = np.flatnonzero(folds == f)
        cols = np.flatnonzero(folds == g)
        if not len(rows) or not len(cols):
            continue
        sub = sorted(set(rows.tolist()) | set(cols.tolist()))
        local = {r: q for q, r in enumerate(sub)}
        prof = model.profiles([texts[r] for r in sub])
        block = model.block(prof, [local[r] for r in rows], [local[c] for c in cols])
        scores[np.ix_(rows, cols)] = block
        scores[np.ix_(cols, rows)] = block.T
        used[np.ix_(rows, cols)] = k
        used[np.ix_(cols, rows)] = k
    np.fill_diagonal(scores, 0.0)
    np.fill_diagonal(used, -1)
    return scores, used
