"""Fourth round of attribution ideas (issue #5) on C50train alone (temporal hold-outs), never on C50test.

Protocol of bench/aliases_attribution_round3.py (its ``split`` and ``zs``): each author's C50train
articles ordered by Reuters item id; the ``main`` split trains on the 35 earliest and holds out the
15 latest (the shipped three views score 0.844 there), the ``second`` split trains on the 30
earliest and holds out the 20 latest (a guard against selection noise). An idea counts only if it
gains >= 0.01 on ``main`` and does not lose on ``second``.

Each view's n-gram counts are computed once per split with the product's vocabulary rule (the
``CountVectorizer`` arguments of ``attribution_view``) and cached (``--cache-dir``); the shipped rows
are derived from them (frequency roots for char and word, sublinear TF-IDF for masked; checked to
reproduce 0.844). Ideas:

- ``adapt``: domain adaptation on the unlabelled batch of held-out articles (transductive, no labels).
  ``shift``: each view's held-out rows centred on their own mean plus the training mean (for a linear
  model: each author's decision values minus their held-out mean plus their training mean), at
  strength ``alpha``; ``coral``: each feature also rescaled by the ratio of its training and held-out
  standard deviations (CORAL on the diagonal). Also scored on held-out batches with a skewed author
  mix (the centring assumes the batch's authors resemble the training mix).
- ``stable``: drift-stable features. Per feature, the correlation across authors of the author means
  in the earlier and the later half of each author's training articles; features weighted by
  ``max(r, 0) ** gamma`` or dropped below a threshold; and dropping n-grams confined to one author
  and fewer than ``m`` training articles (names, one-off stories), or a higher global ``min_df``.
- ``norm``: row variants: relative frequencies to the power ``p`` (0.5 shipped) then L2 (L2 after
  the root itself is a no-op: frequency-root rows have unit norm); masked view as sublinear TF
  without IDF, binary, or frequency roots with IDF.
- ``dirichlet``: Dirichlet-smoothed frequency roots, sqrt((c + mu q) / (n + mu)) with q the training
  corpus distribution, computed exactly through kernels (the rows would be dense).
- ``nap``: nuisance attribute projection (Solomonoff et al. 2005, from speaker verification): the
  ``k`` leading directions of the within-author scatter of the training rows (how one author's
  articles differ from each other: mostly topic) projected out, through kernels.
- ``combine``: the single-view winners stacked, with and without the batch mean shift.

Verdict: no idea passes the rule (best gain on ``main``: +0.003); nothing shipped, C50test not
looked at. Results in the helper report (the "Fourth round" text for docs/aliases.md).

    nice -n 19 .venv/bin/python bench/aliases_attribution_round4.py \
        adapt|stable|norm|dirichlet|nap|combine [--splits main,second] [--cache-dir /tmp]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from lockstep.aliases._evaluation import _ATTRIBUTION_VIEW_DEFS, ATTRIBUTION_VIEWS, HELLINGER_VIEWS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from aliases_attribution_round3 import split, zs  # the same temporal split and z-scores

REPO = Path(__file__).resolve().parents[1]
SPLITS = {"main": 35, "second": 30}


def floats(arg: str) -> list[float]:
    """A comma-separated command-line list of numbers."""
    return [float(x) for x in arg.split(",") if x]


def ints(arg: str) -> list[int]:
    """A comma-separated command-line list of whole numbers."""
    return [int(x) for x in arg.split(",") if x]


def acc(scores: np.ndarray, classes: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(classes[scores.argmax(1)] == y))


class Split:
    """One temporal split: texts, labels, and each view's n-gram counts (cached on disk)."""

    def __init__(self, root: Path, name: str, cache_dir: Path):
        self.name = name
        self.n_train = SPLITS[name]
        self.xtr, self.ytr, self.xho, self.yho = split(root, self.n_train)
        self.classes = np.array(sorted(set(self.ytr)))
        self.cache_dir = cache_dir
        self._counts: dict[str, tuple[sp.csr_matrix, sp.csr_matrix]] = {}

    def counts(self, view: str) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """(training, held-out) n-gram counts of ``view``, over the product's vocabulary rule."""
        if view in self._counts:
            return self._counts[view]
        ftr = self.cache_dir / f"r4_{self.name}_{view}_tr.npz"
        fho = self.cache_dir / f"r4_{self.name}_{view}_ho.npz"
        if ftr.exists() and fho.exists():
            a, b = sp.load_npz(ftr).tocsr(), sp.load_npz(fho).tocsr()
        else:
            prep, kw = _ATTRIBUTION_VIEW_DEFS[view]
            cv = CountVectorizer(min_df=2, max_features=300_000, dtype=np.float64, **kw)
            a = cv.fit_transform([prep(t) for t in self.xtr]).tocsr()
            b = cv.transform([prep(t) for t in self.xho]).tocsr()
            sp.save_npz(ftr, a)
            sp.save_npz(fho, b)
        self._counts[view] = (a, b)
        return a, b

    def author_half(self) -> np.ndarray:
        """0 for the earlier half of each author's training articles, 1 for the later half."""
        pos = np.tile(np.arange(self.n_train), len(self.classes))
        return (pos >= self.n_train // 2).astype(int)


def rows(counts: sp.csr_matrix, kind: str, idf: np.ndarray | None = None, p: float = 0.5) -> sp.csr_matrix:
    """Rows of one view from counts: ``root`` (frequency roots, as shipped for char/word), ``power``
    (relative frequencies ** p, then L2), ``tfidf`` (sublinear TF-IDF, as shipped for masked),
    ``logtf`` (sublinear TF, no IDF, L2), ``binary`` (presence, L2), ``root_idf`` (roots × IDF, L2)."""
    x = counts.astype(np.float64).tocsr(copy=True)
    if kind in ("root", "power"):
        x = normalize(x, norm="l1")
        x.data = x.data ** (0.5 if kind == "root" else p)
        return normalize(x) if kind == "power" else x
    if kind == "logtf":
        x.data = 1.0 + np.log(x.data)
        return normalize(x)
    if kind == "binary":
        x.data[:] = 1.0
        return normalize(x)
    if kind == "root_idf":
        x = normalize(x, norm="l1")
        x.data = np.sqrt(x.data)
        return normalize(x @ sp.diags(idf))
    raise ValueError(kind)


def shipped_rows(s: Split, view: str) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """The product's rows of ``view`` (frequency roots or sublinear TF-IDF, fitted on training)."""
    a, b = s.counts(view)
    if view in HELLINGER_VIEWS:
        return rows(a, "root"), rows(b, "root")
    tf = TfidfTransformer(sublinear_tf=True).fit(a)
    return tf.transform(a), tf.transform(b)


def svm(xa, y, c: float = 3.0) -> LinearSVC:
    return LinearSVC(C=c).fit(xa, y)


def adapted(
    clf: LinearSVC,
    xa: sp.csr_matrix,
    xb: sp.csr_matrix,
    ytr: np.ndarray,
    idx: np.ndarray | None = None,
    clip: float = 4.0,
) -> dict[str, np.ndarray]:
    """Held-out decision values: plain, mean-shifted (alpha 0.5, 1) and diagonal CORAL.

    With ``idx`` the held-out batch is the subset ``idx`` (its own means and deviations).
    """
    xa, xb = sp.csr_matrix(xa), sp.csr_matrix(xb)
    if idx is not None:
        xb = xb[idx]
    w = clf.coef_  # authors × features
    d = clf.decision_function(xb)
    dtr = clf.decision_function(xa)
    dtr_mean = dtr.mean(axis=0)  # = w · (training mean) + b
    out = {"plain": d}
    for alpha in (0.5, 1.0):
        out[f"shift{alpha}"] = d - alpha * (d.mean(axis=0) - dtr_mean)
    # Class-conditional shift, robust to the batch's author mix: the drift is the average over the
    # predicted authors of (their held-out mean − their training mean), so a batch dominated by one
    # author does not read that author's style as drift.
    pred = d.argmax(axis=1)
    ytr_idx = np.searchsorted(clf.classes_, ytr)
    drift = np.mean(
        [d[pred == a].mean(axis=0) - dtr[ytr_idx == a].mean(axis=0) for a in np.unique(pred)], axis=0
    )
    out["cshift"] = d - drift
    # Projection: each author's weights lose their component along the drift direction u.
    mu_a0 = np.asarray(xa.mean(axis=0)).ravel()
    u = np.asarray(xb.mean(axis=0)).ravel() - mu_a0
    u /= max(np.linalg.norm(u), 1e-300)
    out["project"] = d - np.outer(xb @ u - mu_a0 @ u, w @ u)
    mu_a = np.asarray(xa.mean(axis=0)).ravel()
    mu_b = np.asarray(xb.mean(axis=0)).ravel()
    var_a = np.asarray(xa.multiply(xa).mean(axis=0)).ravel() - mu_a**2
    var_b = np.asarray(xb.multiply(xb).mean(axis=0)).ravel() - mu_b**2
    eps = 1e-12
    ratio = np.sqrt((np.maximum(var_a, 0) + eps) / (np.maximum(var_b, 0) + eps))
    ratio = np.clip(ratio, 1 / clip, clip)
    # x' = (x − mu_b) · ratio + mu_a;  w·x' + b = (w·ratio)·x − (w·ratio)·mu_b + w·mu_a + b
    ws = w * ratio[None, :]
    out["coral"] = (xb @ ws.T) + clf.intercept_[None, :] - (ws @ mu_b)[None, :] + (w @ mu_a)[None, :]
    return out


def skewed_batches(s: Split, n: int, seed: int) -> list[np.ndarray]:
    """Held-out subsets with a skewed author mix: per author a Dirichlet(0.5) share of its articles."""
    rng = np.random.default_rng(seed)
    per = len(s.yho) // len(s.classes)
    out = []
    for _ in range(n):
        share = rng.dirichlet(np.full(len(s.classes), 0.5))
        keep_n = np.minimum(per, np.maximum(0, np.round(share / share.max() * per))).astype(int)
        idx = np.concatenate([a * per + rng.choice(per, size=k, replace=False) for a, k in enumerate(keep_n)])
        out.append(np.sort(idx))
    return out


def run_adapt(s: Split, args) -> None:
    t0 = time.process_time()
    per_view: dict[str, dict[str, np.ndarray]] = {}
    fits = {}
    for view in ATTRIBUTION_VIEWS:
        a, b = shipped_rows(s, view)
        clf = svm(a, s.ytr)
        fits[view] = (clf, a, b, s.ytr)
        per_view[view] = adapted(clf, a, b, s.ytr)
        line = " ".join(f"{k} {acc(v, s.classes, s.yho):.4f}" for k, v in per_view[view].items())
        print(f"[{s.name}] {view:7s} alone: {line}  ({time.process_time() - t0:.0f} cpu s)", flush=True)
    kinds = list(per_view[ATTRIBUTION_VIEWS[0]])
    for k in kinds:
        tot = sum(zs(per_view[v][k]) for v in ATTRIBUTION_VIEWS)
        print(f"[{s.name}] three views, {k:9s}: {acc(tot, s.classes, s.yho):.4f}", flush=True)
    # Only the frequency-root views adapted, masked plain (and the reverse).
    for k in ("shift1.0", "coral"):
        tot = sum(zs(per_view[v][k if v in HELLINGER_VIEWS else "plain"]) for v in ATTRIBUTION_VIEWS)
        print(f"[{s.name}] {k} on char+word only: {acc(tot, s.classes, s.yho):.4f}", flush=True)
    # Skewed author mixes: the batch's own means.
    batches = skewed_batches(s, args.n_skewed, seed=0)
    res = {k: [] for k in kinds}
    sizes = []
    for idx in batches:
        pv = {v: adapted(*fits[v], idx=idx) for v in ATTRIBUTION_VIEWS}
        sizes.append(len(idx))
        for k in kinds:
            res[k].append(acc(sum(zs(pv[v][k]) for v in ATTRIBUTION_VIEWS), s.classes, s.yho[idx]))
    print(
        f"[{s.name}] {len(batches)} skewed batches (Dirichlet 0.5 author shares; "
        f"{np.mean(sizes):.0f} articles, {np.mean([len(set(s.yho[i])) for i in batches]):.0f} authors on average):",
        flush=True,
    )
    for k in kinds:
        r = np.array(res[k])
        diff = r - np.array(res["plain"])
        print(
            f"[{s.name}]   {k:9s} mean {r.mean():.4f}  vs plain {diff.mean():+.4f} (min {diff.min():+.4f})",
            flush=True,
        )


def stability(a: sp.csr_matrix, s: Split) -> np.ndarray:
    """Per feature: correlation across authors of the author means in the two halves of training."""
    half = s.author_half()
    author = np.searchsorted(s.classes, s.ytr)
    means = []
    for h in (0, 1):
        sel = np.flatnonzero(half == h)
        onehot = sp.csr_matrix(
            (np.ones(len(sel)), (author[sel], np.arange(len(sel)))), shape=(len(s.classes), len(sel))
        )
        cnt = np.asarray(onehot.sum(axis=1)).ravel()
        means.append((onehot @ a[sel]).toarray() / cnt[:, None])
    m0, m1 = means
    m0 = m0 - m0.mean(axis=0)
    m1 = m1 - m1.mean(axis=0)
    den = np.sqrt((m0**2).sum(axis=0) * (m1**2).sum(axis=0))
    return np.where(den > 0, (m0 * m1).sum(axis=0) / np.maximum(den, 1e-300), 0.0)


def run_stable(s: Split, args) -> None:
    t0 = time.process_time()
    author = np.searchsorted(s.classes, s.ytr)
    results: dict[str, dict[str, np.ndarray]] = {}
    for view in ATTRIBUTION_VIEWS:
        a, b = shipped_rows(s, view)
        ca, _ = s.counts(view)
        r = stability(a, s)
        pres = (ca > 0).astype(np.float64).tocsc()
        df = np.asarray(pres.sum(axis=0)).ravel()
        onehot = sp.csr_matrix(
            (np.ones(len(author)), (author, np.arange(len(author)))), shape=(len(s.classes), len(author))
        )
        n_auth = np.asarray(((onehot @ pres) > 0).sum(axis=0)).ravel()
        print(
            f"[{s.name}] {view}: {a.shape[1]} features; stability r quartiles "
            f"{np.round(np.quantile(r, [0.25, 0.5, 0.75]), 3)}; one-author features "
            f"{np.mean(n_auth == 1):.3f}",
            flush=True,
        )
        variants: dict[str, np.ndarray] = {}
        for gamma in args.gammas:
            wgt = np.maximum(r, 0.0) ** gamma
            variants[f"weight^{gamma}"] = wgt
        for thr in args.thresholds:
            variants[f"r>{thr}"] = (r > thr).astype(float)
        for m in args.one_author:
            variants[f"drop1auth<{m}"] = (~((n_auth == 1) & (df < m))).astype(float)
        for m in args.min_df:
            variants[f"min_df{m}"] = (df >= m).astype(float)
        results[view] = {"plain": svm(a, s.ytr).decision_function(b)}
        print(
            f"[{s.name}] {view:7s} plain alone {acc(results[view]['plain'], s.classes, s.yho):.4f}",
            flush=True,
        )
        for k, wgt in variants.items():
            keep = np.flatnonzero(wgt > 0)
            dg = sp.diags(wgt[keep])
            aa, bb = a[:, keep] @ dg, b[:, keep] @ dg
            # Dropped columns of frequency-root rows are not renormalised (the rows keep their roots).
            results[view][k] = svm(aa, s.ytr).decision_function(bb)
            print(
                f"[{s.name}] {view:7s} {k:14s} alone {acc(results[view][k], s.classes, s.yho):.4f} "
                f"({len(keep)} features; {time.process_time() - t0:.0f} cpu s)",
                flush=True,
            )
    for k in results[ATTRIBUTION_VIEWS[0]]:
        tot = sum(zs(results[v][k]) for v in ATTRIBUTION_VIEWS)
        print(f"[{s.name}] three views, {k:14s}: {acc(tot, s.classes, s.yho):.4f}", flush=True)
        for only in ATTRIBUTION_VIEWS:
            tot = sum(zs(results[v][k if v == only else "plain"]) for v in ATTRIBUTION_VIEWS)
            print(f"[{s.name}]    {k} on {only} only: {acc(tot, s.classes, s.yho):.4f}", flush=True)


def run_norm(s: Split, args) -> None:
    t0 = time.process_time()
    results: dict[str, dict[str, np.ndarray]] = {}
    for view in ATTRIBUTION_VIEWS:
        a, b = s.counts(view)
        sa, sb = shipped_rows(s, view)
        results[view] = {"shipped": svm(sa, s.ytr).decision_function(sb)}
        if view in HELLINGER_VIEWS:
            variants = {f"power{p}": (rows(a, "power", p=p), rows(b, "power", p=p)) for p in args.powers}
        else:
            idf = TfidfTransformer().fit(a).idf_
            variants = {k: (rows(a, k, idf), rows(b, k, idf)) for k in ("logtf", "binary", "root_idf")}
        for k, (aa, bb) in variants.items():
            results[view][k] = svm(aa, s.ytr).decision_function(bb)
        line = " ".join(f"{k} {acc(v, s.classes, s.yho):.4f}" for k, v in results[view].items())
        print(f"[{s.name}] {view:7s} alone: {line} ({time.process_time() - t0:.0f} cpu s)", flush=True)
    for view in ATTRIBUTION_VIEWS:
        for k in results[view]:
            if k == "shipped":
                continue
            tot = sum(zs(results[v][k if v == view else "shipped"]) for v in ATTRIBUTION_VIEWS)
            print(f"[{s.name}] three views with {view} as {k}: {acc(tot, s.classes, s.yho):.4f}", flush=True)
    tot = sum(zs(results[v]["shipped"]) for v in ATTRIBUTION_VIEWS)
    print(f"[{s.name}] three views as shipped: {acc(tot, s.classes, s.yho):.4f}", flush=True)


def kernel_features(k_tr: np.ndarray, k_ho: np.ndarray, tol: float = 1e-8) -> tuple[np.ndarray, np.ndarray]:
    """Explicit features whose dot products are the kernel ``k_tr`` (training) and ``k_ho`` (held out
    against training). A linear SVM on them equals one on the original rows: its weights lie in the
    span of the training rows."""
    lam, q = np.linalg.eigh(k_tr)
    keep = lam > tol * lam.max()
    lam, q = lam[keep], q[:, keep]
    return q * np.sqrt(lam), (k_ho @ q) / np.sqrt(lam)


def nap_kernels(a: sp.csr_matrix, b: sp.csr_matrix, author: np.ndarray, ks: list[int]):
    """Nuisance attribute projection (Solomonoff et al. 2005): the ``k`` leading directions of the
    within-author scatter of the training rows (how one author's articles differ from each other:
    mostly their topics) projected out of every row. Yields (k, training kernel, held-out kernel).

    Done through kernels: with H the author-averaging matrix and (I − H) K (I − H) = U S Uᵀ, the
    directions are V = Xᵀ (I − H) U S^-½ and the projected rows' kernel is K − (K (I − H) U S^-½)(…)ᵀ.
    """
    n = a.shape[0]
    k_tr = (a @ a.T).toarray()
    k_ho = (b @ a.T).toarray()
    onehot = np.zeros((n, author.max() + 1))
    onehot[np.arange(n), author] = 1.0
    h = onehot @ (onehot / onehot.sum(axis=0)).T  # row i: average of i's author's rows
    c = np.eye(n) - h
    s, u = np.linalg.eigh(c @ k_tr @ c)
    order = np.argsort(-s)
    s, u = s[order], u[:, order]
    for k in ks:
        if k == 0:
            yield 0, k_tr, k_ho
            continue
        m = c @ u[:, :k] / np.sqrt(s[:k])
        p_tr, p_ho = k_tr @ m, k_ho @ m  # coordinates of the rows along the k directions
        yield k, k_tr - p_tr @ p_tr.T, k_ho - p_ho @ p_tr.T


def run_nap(s: Split, args) -> None:
    t0 = time.process_time()
    author = np.searchsorted(s.classes, s.ytr)
    results: dict[str, dict[int, np.ndarray]] = {}
    for view in ATTRIBUTION_VIEWS:
        a, b = shipped_rows(s, view)
        results[view] = {}
        for k, ktr, kho in nap_kernels(a.astype(np.float64), b.astype(np.float64), author, [0, *args.ks]):
            ftr, fho = kernel_features(ktr, kho)
            results[view][k] = svm(ftr, s.ytr).decision_function(fho)
            print(
                f"[{s.name}] {view:7s} NAP k={k:3d} alone {acc(results[view][k], s.classes, s.yho):.4f} "
                f"({time.process_time() - t0:.0f} cpu s)",
                flush=True,
            )
    for k in [0, *args.ks]:
        tot = sum(zs(results[v][k]) for v in ATTRIBUTION_VIEWS)
        line = f"[{s.name}] three views, NAP k={k:3d}: {acc(tot, s.classes, s.yho):.4f}; only on"
        for only in ATTRIBUTION_VIEWS:
            tot = sum(zs(results[v][k if v == only else 0]) for v in ATTRIBUTION_VIEWS)
            line += f" {only} {acc(tot, s.classes, s.yho):.4f}"
        print(line, flush=True)


def dirichlet_kernels(ca: sp.csr_matrix, cb: sp.csr_matrix, mu: float) -> tuple[np.ndarray, np.ndarray]:
    """Kernels of Dirichlet-smoothed frequency roots, exact without dense rows.

    p_if = (c_if + mu q_f) / (n_i + mu), q the training corpus' n-gram distribution. Row i is
    sqrt(p_i) = a_i sqrt(q) + e_i with a_i = sqrt(mu / (n_i + mu)) and e_i nonzero only where
    c_if > 0, so r_i · r_j = a_i a_j + a_i (sqrt(q) · e_j) + a_j (sqrt(q) · e_i) + e_i · e_j.
    """
    q = np.asarray(ca.sum(axis=0)).ravel()
    q /= q.sum()
    sq = np.sqrt(q)

    def parts(c: sp.csr_matrix):
        c = c.tocsr().astype(np.float64)
        n = np.asarray(c.sum(axis=1)).ravel()
        a = np.sqrt(mu / (n + mu))
        e = c.copy()
        rows_of = np.repeat(np.arange(c.shape[0]), np.diff(c.indptr))
        qf = q[c.indices]
        e.data = np.sqrt((c.data + mu * qf) / (n[rows_of] + mu)) - a[rows_of] * np.sqrt(qf)
        return a, e, e @ sq

    a_tr, e_tr, s_tr = parts(ca)
    a_ho, e_ho, s_ho = parts(cb)

    def kern(a1, e1, s1):
        return np.outer(a1, a_tr) + np.outer(a1, s_tr) + np.outer(s1, a_tr) + (e1 @ e_tr.T).toarray()

    return kern(a_tr, e_tr, s_tr), kern(a_ho, e_ho, s_ho)


def run_dirichlet(s: Split, args) -> None:
    t0 = time.process_time()
    results: dict[str, dict[float, np.ndarray]] = {}
    for view in ATTRIBUTION_VIEWS:
        a, b = shipped_rows(s, view)
        results[view] = {0.0: svm(a, s.ytr).decision_function(b)}
        if view not in HELLINGER_VIEWS:
            continue
        ca, cb = s.counts(view)
        for mu in args.mus:
            ftr, fho = kernel_features(*dirichlet_kernels(ca, cb, mu))
            results[view][mu] = svm(ftr, s.ytr).decision_function(fho)
            print(
                f"[{s.name}] {view:7s} Dirichlet mu={mu:g} alone {acc(results[view][mu], s.classes, s.yho):.4f} "
                f"(unsmoothed {acc(results[view][0.0], s.classes, s.yho):.4f}; {time.process_time() - t0:.0f} cpu s)",
                flush=True,
            )
    for mu in args.mus:
        line = f"[{s.name}] three views, Dirichlet mu={mu:g} on"
        for on in (("char",), ("word",), ("char", "word")):
            tot = sum(zs(results[v][mu if v in on else 0.0]) for v in ATTRIBUTION_VIEWS)
            line += f" {'+'.join(on)} {acc(tot, s.classes, s.yho):.4f}"
        print(line, flush=True)


def run_combine(s: Split, args) -> None:
    """The single-view winners stacked (chosen after the fact on ``main``, so a check of whether
    small gains add up, not a selection): word with NAP (k = 20), masked weighted by stability
    ``** 0.5``, char as shipped; then the batch mean shift on top."""
    t0 = time.process_time()
    author = np.searchsorted(s.classes, s.ytr)
    fits = {}
    for view in ATTRIBUTION_VIEWS:
        a, b = shipped_rows(s, view)
        if view == "word":
            _, ktr, kho = next(iter(nap_kernels(a.astype(np.float64), b.astype(np.float64), author, [20])))
            a, b = kernel_features(ktr, kho)
        elif view == "masked":
            wgt = np.maximum(stability(a, s), 0.0) ** 0.5
            keep = np.flatnonzero(wgt > 0)
            a, b = a[:, keep] @ sp.diags(wgt[keep]), b[:, keep] @ sp.diags(wgt[keep])
        clf = svm(a, s.ytr)
        fits[view] = adapted(clf, a, b, s.ytr)
        print(f"[{s.name}] {view:7s} ({time.process_time() - t0:.0f} cpu s)", flush=True)
    for k in ("plain", "shift1.0", "cshift"):
        tot = sum(zs(fits[v][k]) for v in ATTRIBUTION_VIEWS)
        print(f"[{s.name}] combined views, {k}: {acc(tot, s.classes, s.yho):.4f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["adapt", "stable", "norm", "nap", "dirichlet", "combine"])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "reuter_c50"))
    ap.add_argument("--splits", default="main,second")
    ap.add_argument("--cache-dir", default="/tmp")
    ap.add_argument("--n-skewed", type=int, default=20)
    ap.add_argument("--gammas", type=floats, default=[0.5, 1.0])
    ap.add_argument("--thresholds", type=floats, default=[0.0])
    ap.add_argument("--one-author", type=ints, default=[3, 5])
    ap.add_argument("--min-df", type=ints, default=[])
    ap.add_argument("--powers", type=floats, default=[0.3, 0.7])
    ap.add_argument("--ks", type=ints, default=[5, 20, 50, 100])
    ap.add_argument("--mus", type=floats, default=[30.0, 300.0, 3000.0])
    args = ap.parse_args()
    root = Path(args.data)
    for name in args.splits.split(","):
        s = Split(root, name, Path(args.cache_dir))
        {
            "adapt": run_adapt,
            "stable": run_stable,
            "norm": run_norm,
            "nap": run_nap,
            "dirichlet": run_dirichlet,
            "combine": run_combine,
        }[args.what](s, args)


if __name__ == "__main__":
    main()
