"""The detection run: signals → per-signal edges → fusion → Leiden clusters → scores, evidence."""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

import pyarrow as pa

from lockstep._determinism import round_floats
from lockstep.detect._base import Detector, DetectorError, InvalidParameterError, NotFittedError, parse_window
from lockstep.detect._cluster import CLUSTER_SCHEMA, CLUSTER_TEST_SCHEMA, cluster_tests, leiden_clusters
from lockstep.detect._context import Context
from lockstep.detect._evidence import EVIDENCE_SCHEMA, evidence_rows, restrict_evidence
from lockstep.detect._fuse import FUSED_SCHEMA, fuse
from lockstep.detect._pairs import EDGE_SCHEMA, run_detector
from lockstep.detect._registry import DETECTORS, get_detector
from lockstep.detect._ring import RING_REASON, RING_SIGNAL, amplification_rings
from lockstep.detect._score import SCORE_SCHEMA, score_clusters

__all__ = ["RESULT_TABLES", "Detection", "detect", "pair_counts"]

#: Result tables a run writes into the workspace, with their schemas.
RESULT_TABLES: dict[str, pa.Schema] = {
    "coaction_edges": EDGE_SCHEMA,
    "edges": FUSED_SCHEMA,
    "clusters": CLUSTER_SCHEMA,
    "cluster_scores": SCORE_SCHEMA,
    "evidence": EVIDENCE_SCHEMA,
    "cluster_tests": CLUSTER_TEST_SCHEMA,
}

_FRAMES = ("arrow", "polars", "pandas")


def _signal_list(signals: Any) -> list[str]:
    if signals is None:
        return list(DETECTORS)
    if isinstance(signals, str):
        signals = [s.strip() for s in signals.split(",") if s.strip()]
    out = []
    for s in signals:
        if s not in DETECTORS:
            raise DetectorError(f"unknown signal {s!r}; available: {', '.join(DETECTORS)}")
        if s not in out:
            out.append(s)
    return out


class Detection:
    """A coordination-detection run over a workspace.

    Parameters
    ----------
    signals : list of str or str, optional
        Signal names (``"co-repost,co-link"`` or a list); default: every registered signal.
        Signals whose fields the data lacks are skipped with a note.
    window : str or float or dict, default "auto"
        Co-action window for every signal (``"30s"``, seconds, ``"auto"``), or a dict
        signal → window. Synchronous posting keeps its own default (5 s) unless named in a dict.
    min_count, null, fdr : optional
        Override every detector's default (see :class:`~lockstep.detect.CoRepost`).
    options : dict, optional
        Per-signal parameters, e.g. ``{"co-link": {"level": "domain"}}``.
    raw : bool, default False
        Plain windowed pair counts, as CNT computes them: no null model, ``min_count=1``, no
        heavy-object guard, no clustering. Every pair with a co-action is an edge.
    cluster : bool, optional
        Fuse and cluster (default: yes unless ``raw``).
    resolution : float, default 1.0
        Leiden resolution (higher: smaller clusters).
    min_cluster_size : int, default 2
    screen_p : float, optional
        Edges with p ≤ screen_p (default 0.05) enter the cluster graph even when they miss the FDR.
    cluster_alpha : float, default 1e-3
        Family-wise level of the cluster tests: each (candidate cluster, signal) test needs
        p ≤ cluster_alpha / number of tests (Bonferroni).
    min_excess : float or dict, optional
        Per null model (default ``{"delay": 1.25, "activity": 2.0, "rarity": 2.0}``); a float
        sets all. A cluster is reported when, for some signal, the summed observed counts of all
        candidate edges among its members exceed the summed expectations by ``min_excess`` times
        with Poisson p ≤ ``cluster_alpha`` (Bonferroni-corrected), with candidate edges between at least ``min_density``
        (default 0.5) of the member pairs (see :func:`~lockstep.detect._cluster.cluster_tests`).
    engine : str, default "duckdb"
    seed : int, default 0
        Seeds MinHash and Leiden: the same input and seed give the same output.

    Notes
    -----
    A reported cluster also takes in accounts outside every cluster that seed it: they first
    posted rare objects its members went on to share, or forwarded those first posts (see
    :func:`_cluster_sources`); ``notes_`` counts them, and ``evidence_`` says why each joined
    (rows of signal ``source`` and ``forward``, after the co-actions of the kept edges).
    With co-repost among the signals, *amplification rings* join too: a closed crowd that
    reposts one account's posts and also pushes other accounts' posts that almost nobody
    outside it reposts, judged without time (see :mod:`lockstep.detect._ring`); their rows
    have signal ``ring``, and a ring outside every cluster is a cluster of its own.

    Attributes
    ----------
    coaction_edges_, edges_, clusters_, cluster_scores_, evidence_ : pyarrow.Table
        The result tables (schemas in ``RESULT_TABLES``).
    detectors_ : dict of str → Detector
        The fitted detectors.
    notes_ : list of str
        Skipped signals, estimated windows, objects set aside.
    """

    def __init__(
        self,
        *,
        signals: Any = None,
        window: Any = "auto",
        min_count: int | None = None,
        null: str | None = "default",
        fdr: float | None = None,
        options: dict[str, dict[str, Any]] | None = None,
        raw: bool = False,
        cluster: bool | None = None,
        resolution: float = 1.0,
        min_cluster_size: int = 2,
        screen_p: float | None = None,
        cluster_alpha: float = 1e-3,
        min_excess: float | dict[str, float] | None = None,
        min_density: float = 0.5,
        engine: Any = "duckdb",
        seed: int = 0,
    ):
        self.signals = signals
        self.window = window
        self.min_count = min_count
        self.null = null
        self.fdr = fdr
        self.options = options
        self.raw = raw
        self.cluster = cluster
        self.resolution = resolution
        self.min_cluster_size = min_cluster_size
        self.screen_p = screen_p
        self.cluster_alpha = cluster_alpha
        self.min_excess = min_excess
        self.min_density = min_density
        self.engine = engine
        self.seed = seed

    def get_params(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in (
            "signals", "window", "min_count", "null", "fdr", "options", "raw", "cluster",
            "resolution", "min_cluster_size", "screen_p", "cluster_alpha", "min_excess", "min_density", "engine", "seed",
        )}

    def _detectors(self) -> dict[str, Detector]:
        from lockstep.engines import engine_capabilities

        names = _signal_list(self.signals)
        # Signals the engine cannot run: named ones fail before any work; the default "every
        # signal" leaves them out with a note.
        caps = engine_capabilities(self.engine)
        self._skipped = []
        for name in list(names):
            for cap in sorted(DETECTORS[name].requires):
                if cap not in caps.capabilities:
                    if self.signals is not None:
                        caps.require(cap, name)
                    names.remove(name)
                    self._skipped.append(f"{name}: skipped, it needs {cap!r}, which the {caps.name} engine "
                                         "does not support")
                    break
        options = dict(self.options or {})
        for k in options:
            if k not in DETECTORS:
                raise DetectorError(f"options for unknown signal {k!r}; available: {', '.join(DETECTORS)}")
        if isinstance(self.window, dict):
            for k in self.window:
                if k not in DETECTORS:
                    raise DetectorError(f"window for unknown signal {k!r}")
        else:
            parse_window(self.window)
        out = {}
        for name in names:
            params: dict[str, Any] = {}
            if isinstance(self.window, dict):
                if name in self.window:
                    params["window"] = self.window[name]
            elif name != "synchronous" and not getattr(DETECTORS[name], "own_window", False):
                # Synchronous posting is about seconds and rare-share about hours: a co-action
                # window (say 60 s) is not their window.
                params["window"] = self.window
            if self.min_count is not None:
                params["min_count"] = self.min_count
            if self.null != "default":
                params["null"] = self.null
            if self.fdr is not None:
                params["fdr"] = self.fdr
            if self.screen_p is not None:
                params["screen_p"] = self.screen_p
            if self.raw:
                params.update(min_count=1, null=None, max_pairs_per_object=None)
            params.update(options.get(name, {}))
            out[name] = get_detector(name, **params)
        return out

    def fit(self, workspace: Any) -> Detection:
        """Run every signal, fuse, cluster and score; returns self."""
        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            raise InvalidParameterError(f"Detection: parameter 'seed' must be an integer; got {self.seed!r}")
        started = dt.datetime.now(dt.UTC)
        detectors = self._detectors()
        for d in detectors.values():
            d._validate_params()  # all parameters checked before any work
        notes: list[str] = list(self._skipped)
        self._notes = notes
        with Context.open(workspace, engine=self.engine) as ctx:
            edges, evidence = [], []
            for d in detectors.values():
                run_detector(d, ctx, seed=self.seed)
                notes.extend(d.notes_)
                edges.append(d.edges_)
                evidence.append(d.screened_evidence_)
            coaction = pa.concat_tables(edges) if edges else EDGE_SCHEMA.empty_table()
            screened_ev = pa.concat_tables(evidence) if evidence else EVIDENCE_SCHEMA.empty_table()
            do_cluster = (not self.raw) if self.cluster is None else self.cluster
            if do_cluster:
                self._cluster(ctx, coaction, screened_ev, detectors)
            else:
                self.coaction_edges_ = coaction
                self.evidence_ = restrict_evidence(screened_ev, coaction)
                self.edges_ = fuse(coaction, list(DETECTORS))
                self.clusters_ = CLUSTER_SCHEMA.empty_table()
                self.cluster_scores_ = SCORE_SCHEMA.empty_table()
                self.cluster_tests_ = CLUSTER_TEST_SCHEMA.empty_table()
            if ctx.n_posts == 0:
                notes[:] = ["the workspace has no posts: nothing to detect"]
            self.n_posts_ = ctx.n_posts
            self.n_accounts_ = ctx.n_accounts
        self.detectors_ = detectors
        self.notes_ = notes
        self.started_at_ = started
        self.finished_at_ = dt.datetime.now(dt.UTC)
        return self

    def _cluster(self, ctx: Any, coaction: pa.Table, screened_ev: pa.Table, detectors: dict[str, Detector]) -> None:
        import numpy as np
        import polars as pl

        # 1. Cluster the graph of screened edges (significant, or nearly so).
        graph = fuse(coaction.set_column(coaction.schema.get_field_index("kept"), "kept", coaction["screened"]),
                     list(DETECTORS))
        clusters = leiden_clusters(graph, resolution=self.resolution, seed=self.seed, min_size=self.min_cluster_size)
        # 2. Judge each cluster as a whole; keep the coordinated ones.
        self._cand_clusters = clusters  # kept for diagnostics
        tests = cluster_tests(clusters, coaction, alpha=self.cluster_alpha, min_excess=self.min_excess,
                              min_density=self.min_density,
                              nulls={n: d.null_model_ for n, d in detectors.items()})
        good = pl.from_arrow(tests).filter(pl.col("coordinated"))["cluster"].unique()
        n_before = pl.from_arrow(clusters)["cluster"].n_unique() if clusters.num_rows else 0
        clusters = pl.from_arrow(clusters).filter(pl.col("cluster").is_in(good.implode())).to_arrow().cast(CLUSTER_SCHEMA)
        clusters = _supported_members(clusters, tests, coaction, self.min_cluster_size,
                                      nulls={n: d.null_model_ for n, d in detectors.items()},
                                      alpha=self.cluster_alpha, min_excess=self.min_excess,
                                      min_density=self.min_density)
        n_after = pl.from_arrow(clusters)["cluster"].n_unique() if clusters.num_rows else 0
        rare = detectors.get("rare-share")
        source_ev = EVIDENCE_SCHEMA.empty_table()
        if rare is not None and getattr(rare, "n_actions_", 0) and rare.window_s_ is not None:
            clusters, n_sources, source_ev = _cluster_sources(
                ctx, clusters, "ls_rare_share", round(rare.window_s_ * 1_000_000), rare.object_label_sql("o.object"))
            if n_sources:
                self._notes.append(
                    f"{n_sources} account(s) joined a cluster as its source: they first posted rare links, texts "
                    "or hashtag sets that the cluster's members went on to share"
                )
        ring_ev = EVIDENCE_SCHEMA.empty_table()
        corepost = detectors.get("co-repost")
        if corepost is not None and getattr(corepost, "n_actions_", 0):
            clusters, n_ring, ring_ev = amplification_rings(ctx, clusters, alpha=self.cluster_alpha,
                                                            min_size=self.min_cluster_size)
            if n_ring:
                self._notes.append(
                    f"{n_ring} account(s) joined a cluster as members of an amplification ring: a closed group "
                    "reposting the same posts of several accounts, posts almost nobody outside it reposted"
                )
        if n_before > n_after:
            self._notes.append(
                f"{n_before - n_after} of {n_before} candidate clusters set aside: their members co-act "
                "no more than the null models expect (e.g. fans or feed bots reacting to the same source)"
            )
        # 3. Final edges: screened edges inside one coordinated cluster.
        cl = pl.from_arrow(clusters)
        ed = pl.from_arrow(coaction).with_row_index("_i")
        inside = (
            ed.join(cl.rename({"platform": "platform_a", "account_id": "account_a"}), on=["platform_a", "account_a"])
            .join(cl.rename({"platform": "platform_b", "account_id": "account_b", "cluster": "cluster_b"}),
                  on=["platform_b", "account_b"])
            .filter((pl.col("cluster") == pl.col("cluster_b")) & pl.col("screened"))["_i"].to_numpy()
        )
        kept = np.zeros(coaction.num_rows, dtype=bool)
        kept[inside] = True
        coaction = coaction.set_column(coaction.schema.get_field_index("kept"), "kept", pa.array(kept))
        self.coaction_edges_ = coaction
        # The co-actions behind the kept edges, then why each source and forwarder joined.
        self.evidence_ = pa.concat_tables([restrict_evidence(screened_ev, coaction), source_ev, ring_ev])
        self.edges_ = fuse(coaction, list(DETECTORS))
        ppa = ctx.engine.fetch_arrow(
            f"SELECT a.platform, a.account_id, count(*) AS n_posts FROM {ctx.posts} AS p "
            f"JOIN {ctx.accounts} AS a ON a.acc = p.acc GROUP BY a.platform, a.account_id"
        )
        self.clusters_, self.cluster_scores_ = score_clusters(
            clusters, self.edges_, self.evidence_, ppa,
            {**{name: d.reason for name, d in detectors.items()}, RING_SIGNAL: RING_REASON},
        )
        # Cluster tests follow the final numbering (rank); set-aside clusters are not listed.
        old_new = (
            pl.from_arrow(clusters).join(pl.from_arrow(self.clusters_).rename({"cluster": "new"}),
                                         on=["platform", "account_id"])
            .select("cluster", "new").unique()
        )
        self.cluster_tests_ = (
            pl.from_arrow(tests).join(old_new, on="cluster").drop("cluster").rename({"new": "cluster"})
            .select([f.name for f in CLUSTER_TEST_SCHEMA]).sort("cluster", "signal").to_arrow().cast(CLUSTER_TEST_SCHEMA)
        )

    def _check(self) -> None:
        if not hasattr(self, "edges_"):
            raise NotFittedError("This Detection has not run yet; call .fit(workspace) first")

    def table(self, name: str, as_: str = "arrow") -> Any:
        """A result table as Arrow, Polars or pandas."""
        self._check()
        if name not in RESULT_TABLES:
            raise DetectorError(f"no result table {name!r}; tables: {', '.join(RESULT_TABLES)}")
        if as_ not in _FRAMES:
            raise DetectorError(f"as_ must be one of {', '.join(_FRAMES)}, not {as_!r}")
        t = getattr(self, f"{name}_")
        if as_ == "polars":
            import polars as pl

            return pl.from_arrow(t)
        if as_ == "pandas":
            return t.to_pandas()
        return t

    def run_record(self) -> pa.Table:
        """The ``detect_runs`` row: parameters (with every detector's) and notes as JSON."""
        self._check()
        from lockstep import __version__

        params = {k: v for k, v in self.get_params().items() if k != "engine"}
        params["engine"] = self.engine if isinstance(self.engine, str) else getattr(self.engine, "name", "?")
        params["detectors"] = {
            n: {**d.get_params(), "window_s": d.window_s_} for n, d in self.detectors_.items()
        }
        return pa.table({
            "started_at": pa.array([self.started_at_], pa.timestamp("us", tz="UTC")),
            "finished_at": pa.array([self.finished_at_], pa.timestamp("us", tz="UTC")),
            "lockstep_version": [__version__],
            "params": [json.dumps(params, sort_keys=True, default=str)],
            "notes": [json.dumps(self.notes_)],
            "n_posts": pa.array([self.n_posts_], pa.int64()),
            "n_edges": pa.array([self.edges_.num_rows], pa.int64()),
            "n_clusters": pa.array([self.cluster_scores_.num_rows], pa.int64()),
        })

    def write(self, workspace: Any) -> None:
        """Write the result tables into the workspace (replacing them); append to ``detect_runs``."""
        self._check()
        if getattr(workspace, "read_only", False):
            raise DetectorError(f"{workspace.path}: opened read-only; detect with write=False to keep results in memory")
        for name in RESULT_TABLES:
            workspace.write_table(name, round_floats(getattr(self, f"{name}_")))
        rec = self.run_record()
        con = workspace.con
        con.register("_ls_run", rec)
        try:
            con.execute("CREATE TABLE IF NOT EXISTS detect_runs AS SELECT * FROM _ls_run WHERE false")
            con.execute("INSERT INTO detect_runs SELECT * FROM _ls_run")
        finally:
            con.unregister("_ls_run")


def _supported_members(
    clusters: pa.Table, tests: pa.Table, coaction: pa.Table, min_size: int, *,
    nulls: dict[str, str | None], alpha: float, min_excess: float | dict[str, float] | None,
    min_density: float = 0.5,
) -> pa.Table:
    """Members of coordinated clusters that the coordination itself supports.

    Leiden may attach to a campaign's cluster accounts whose only ties to it are a few chance
    edges (p ≤ screen_p among thousands of pairs tested). A cluster is reported for the signals
    its test passed; a member stays when it has a screened edge of one of those signals to
    another member and either has candidate edges of that signal to at least ``min_density``
    times as many members as the cluster's median member, or is coordinated beyond doubt on
    its own edges (summed observed counts against summed expectations, Poisson p ≤ ``alpha`` /
    number of member tests, and the null model's excess). The rest go, and the remaining
    members are judged again until nothing changes; clusters left smaller than ``min_size`` go.
    Signals run without a null (raw mode) keep a member with any screened edge.
    """
    import numpy as np
    import polars as pl
    from scipy import stats

    from lockstep.detect._cluster import excess_thresholds, tested_counts

    if clusters.num_rows == 0:
        return clusters
    need = excess_thresholds(min_excess)
    passed = pl.from_arrow(tests).filter(pl.col("coordinated")).select("cluster", "signal")
    ed = tested_counts(pl.from_arrow(coaction), nulls).select(
        "signal", "platform_a", "account_a", "platform_b", "account_b", "_obs", "expected", "screened")
    cl = pl.from_arrow(clusters)
    n_tests = None
    while True:
        ca = cl.rename({"platform": "platform_a", "account_id": "account_a"})
        cb = cl.rename({"platform": "platform_b", "account_id": "account_b", "cluster": "cluster_b"})
        inside = (
            ed.join(ca, on=["platform_a", "account_a"]).join(cb, on=["platform_b", "account_b"])
            .filter(pl.col("cluster") == pl.col("cluster_b")).join(passed, on=["cluster", "signal"], how="semi")
        )
        ends = pl.concat([
            inside.select("cluster", "signal", pl.col("platform_a").alias("platform"),
                          pl.col("account_a").alias("account_id"), "_obs", "expected", "screened"),
            inside.select("cluster", "signal", pl.col("platform_b").alias("platform"),
                          pl.col("account_b").alias("account_id"), "_obs", "expected", "screened"),
        ])
        per = ends.group_by("cluster", "platform", "account_id", "signal").agg(
            pl.col("_obs").sum().alias("obs"), pl.col("expected").sum().alias("exp"),
            pl.col("expected").is_null().all().alias("raw"), pl.col("screened").any().alias("scr"),
            pl.len().alias("deg"),
        ).with_columns(pl.col("deg").median().over("cluster", "signal").alias("mid"))
        if n_tests is None:  # the family: every (member, passed signal) judged in the first round
            n_tests = max(1, per.filter(~pl.col("raw")).height)
        obs, exp = per["obs"].to_numpy().astype(float), per["exp"].fill_null(0.0).to_numpy().astype(float)
        ratio = np.array([need.get(nulls.get(s) or "activity", 1.25) for s in per["signal"].to_list()])
        with np.errstate(divide="ignore", invalid="ignore"):
            excess = np.where(exp > 0, obs / exp, np.inf)
        p = np.where(exp > 0, stats.poisson.sf(obs - 1, np.maximum(exp, 1e-300)), np.where(obs > 0, 0.0, 1.0))
        # Tied to about as many members as a typical member is (at least min_density of the
        # median degree), or coordinated beyond doubt on its own few ties.
        typical = per["deg"].to_numpy() >= min_density * per["mid"].to_numpy()
        strong = (p <= alpha / n_tests) & (excess >= ratio)
        ok = per["scr"].to_numpy() & (per["raw"].to_numpy() | typical | strong)
        supported = per.filter(pl.Series(ok)).select("cluster", "platform", "account_id").unique()
        kept = cl.join(supported, on=["cluster", "platform", "account_id"], how="semi")
        kept = kept.filter(pl.len().over("cluster") >= max(2, min_size))
        if kept.height == cl.height:
            break
        cl = kept
    return cl.sort("cluster", "platform", "account_id").to_arrow().cast(CLUSTER_SCHEMA)


def _cluster_sources(
    ctx: Any, clusters: pa.Table, p: str, window_us: int, label_sql: str = "o.object",
) -> tuple[pa.Table, int, pa.Table]:
    """Add to each coordinated cluster the accounts that seed its rare objects.

    A campaign often starts each push from one account (a Telegram channel posts the link, the
    cluster's Twitter accounts share it minutes later). Pair by pair the seed looks like an
    outlet that feed bots copy: every object the two share has one source, the seed, so the
    rarity null counts it once and the seed never gets an edge. Beside a coordinated cluster
    it is told apart. An account outside every cluster joins one when it was the first to post
    at least two rare objects (rare-share's actions, ``{p}_act``) that two or more members each
    shared within the window after it, those objects are at least half of the rare objects it
    first posted, and the members who shared them are at least half of the cluster. An outlet
    whose headlines a cluster also shares posts many more headlines nobody in it picks up; one
    that two feed bots copy reaches two members, not half of a campaign. Then the accounts that
    forward those first posts join: at least two of them reposted within the window, and at
    least half of the account's reposts.

    The evidence says why each one joined (``EVIDENCE_SCHEMA`` rows; ``label_sql`` turns
    ``o.object``, rare-share's object key, into the label its own evidence shows): for a source,
    signal ``source``, its first post of each object it seeded (``a``) and each share of that
    object by a member of the cluster within the window (``b``); for a forwarder, signal
    ``forward``, the first post of each seeded object (``a``) and the forwarder's repost of it
    (``b``), one row per rare object of that post the members shared within the window.

    Returns the clusters with the sources added, how many were added, and that evidence.
    """
    import polars as pl

    if clusters.num_rows == 0:
        return clusters, 0, EVIDENCE_SCHEMA.empty_table()
    e = ctx.engine
    platform, account_id = ctx.account_names()
    accs = pl.DataFrame({"platform": pl.Series(platform), "account_id": pl.Series(account_id)}).with_row_index(
        "acc").with_columns(pl.col("acc").cast(pl.Int64))
    cl = pl.from_arrow(clusters)
    cl_acc = cl.join(accs, on=["platform", "account_id"]).select("acc", "cluster")
    e.register_arrow("ls_src_cl", cl_acc.to_arrow())
    # Each rare object's first post (every query below starts from it): computed once.
    e.create_table(
        f"{p}_first",
        "SELECT obj, acc AS src, t AS t0, pid FROM ("
        f"SELECT obj, acc, t, pid, row_number() OVER (PARTITION BY obj ORDER BY t, pid) AS rn FROM {p}_act"
        ") AS x WHERE rn = 1",
    )
    t = e.fetch_arrow(
        f"""WITH n_first AS (
  SELECT src, count(*) AS n_first FROM {p}_first GROUP BY src
), s AS (
  SELECT f.src, f.obj, c.cluster, a.acc
  FROM {p}_first AS f JOIN {p}_act AS a ON a.obj = f.obj AND a.acc <> f.src AND a.t - f.t0 <= {int(window_us)}
  JOIN ls_src_cl AS c ON c.acc = a.acc
), seeded AS (
  SELECT src, obj, cluster FROM s GROUP BY src, obj, cluster HAVING count(DISTINCT acc) >= 2
), k AS (
  SELECT src, cluster, count(*) AS k FROM seeded GROUP BY src, cluster
), sharers AS (
  SELECT s.src, s.cluster, count(DISTINCT s.acc) AS n_sharers FROM s
  JOIN seeded AS d ON d.src = s.src AND d.obj = s.obj AND d.cluster = s.cluster GROUP BY s.src, s.cluster
), size AS (
  SELECT cluster, count(*) AS n FROM ls_src_cl GROUP BY cluster
)
SELECT k.src AS acc, k.cluster, k.k FROM k
JOIN n_first AS nf ON nf.src = k.src JOIN sharers AS sh ON sh.src = k.src AND sh.cluster = k.cluster
JOIN size AS z ON z.cluster = k.cluster
WHERE k.k >= 2 AND 2 * k.k >= nf.n_first AND 2 * sh.n_sharers >= z.n
  AND k.src NOT IN (SELECT acc FROM ls_src_cl)"""
    )
    src = _one_cluster_each(t)
    evidence = []
    if src.height:
        # Its evidence: the objects it seeded in the cluster it joined (first posted, shared by
        # two or more members within the window), with each of those members' shares.
        e.register_arrow("ls_src_new", src.select("acc", "cluster").cast(cl_acc.schema).to_arrow())
        evidence.append(evidence_rows(e.fetch_arrow(
            f"""WITH s AS (
  SELECT f.obj, f.pid AS pid_a, a.pid AS pid_b, a.acc AS acc_b
  FROM {p}_first AS f JOIN ls_src_new AS n ON n.acc = f.src
  JOIN {p}_act AS a ON a.obj = f.obj AND a.acc <> f.src AND a.t - f.t0 <= {int(window_us)}
  JOIN ls_src_cl AS c ON c.acc = a.acc AND c.cluster = n.cluster
), seeded AS (
  SELECT obj FROM s GROUP BY obj HAVING count(DISTINCT acc_b) >= 2
)
SELECT aa.platform AS platform_a, aa.account_id AS account_a, pa.post_id AS post_a,
       bb.platform AS platform_b, bb.account_id AS account_b, pb.post_id AS post_b,
       {label_sql} AS object, pa.t AS t_a, pb.t AS t_b
FROM s JOIN seeded AS d ON d.obj = s.obj
JOIN {ctx.posts} AS pa ON pa.pid = s.pid_a
JOIN {ctx.posts} AS pb ON pb.pid = s.pid_b
JOIN {ctx.accounts} AS aa ON aa.acc = pa.acc
JOIN {ctx.accounts} AS bb ON bb.acc = pb.acc
JOIN {p}_obj AS o ON o.obj = s.obj"""
        ), "source"))
        e.drop("ls_src_new")
    e.drop("ls_src_cl")
    cl_acc = pl.concat([cl_acc, src.select("acc", "cluster").cast(cl_acc.schema)])
    # Forwarders: accounts that repost the cluster's seed posts (Telegram channels forwarding
    # the channel that posted the link first) share the link only through the repost, which
    # rare-share leaves to co-repost. One joins when it reposted, within the window, the first
    # post of at least two rare objects a member seeded and two other members shared, and those
    # reposts are at least half of its reposts.
    e.register_arrow("ls_src_cl", cl_acc.to_arrow())
    fw = e.fetch_arrow(
        f"""WITH seeded AS (
  SELECT f.pid, c0.cluster FROM {p}_first AS f JOIN ls_src_cl AS c0 ON c0.acc = f.src
  JOIN {p}_act AS a ON a.obj = f.obj AND a.acc <> f.src AND a.t - f.t0 <= {int(window_us)}
  JOIN ls_src_cl AS c ON c.acc = a.acc AND c.cluster = c0.cluster
  GROUP BY f.pid, c0.cluster HAVING count(DISTINCT a.acc) >= 2
), sp AS (
  SELECT DISTINCT s.cluster, o.platform, o.post_id, o.t FROM seeded AS s JOIN {ctx.posts} AS o ON o.pid = s.pid
), fwd AS (
  SELECT r.acc, sp.cluster, count(DISTINCT sp.post_id) AS k FROM {ctx.posts} AS r
  JOIN sp ON sp.platform = r.platform AND sp.post_id = r.repost_of AND r.t - sp.t <= {int(window_us)}
  GROUP BY r.acc, sp.cluster
), n_rep AS (
  SELECT acc, count(*) AS n FROM {ctx.posts} WHERE repost_of IS NOT NULL GROUP BY acc
)
SELECT fwd.acc, fwd.cluster, fwd.k FROM fwd JOIN n_rep ON n_rep.acc = fwd.acc
WHERE fwd.k >= 2 AND 2 * fwd.k >= n_rep.n AND fwd.acc NOT IN (SELECT acc FROM ls_src_cl)"""
    )
    fw = _one_cluster_each(fw)
    if fw.height:
        # Its evidence: the seed posts of the cluster it joined that it reposted within the
        # window, named by the rare objects of each that the members shared.
        e.register_arrow("ls_fw_new", fw.select("acc", "cluster").cast(cl_acc.schema).to_arrow())
        evidence.append(evidence_rows(e.fetch_arrow(
            f"""WITH sh AS (
  SELECT f.obj, f.pid, c0.cluster, a.acc FROM {p}_first AS f JOIN ls_src_cl AS c0 ON c0.acc = f.src
  JOIN {p}_act AS a ON a.obj = f.obj AND a.acc <> f.src AND a.t - f.t0 <= {int(window_us)}
  JOIN ls_src_cl AS c ON c.acc = a.acc AND c.cluster = c0.cluster
), seeded AS (
  SELECT pid, cluster FROM sh GROUP BY pid, cluster HAVING count(DISTINCT acc) >= 2
), objs AS (
  SELECT DISTINCT sh.pid, sh.cluster, sh.obj FROM sh
  JOIN seeded AS d ON d.pid = sh.pid AND d.cluster = sh.cluster
)
SELECT aa.platform AS platform_a, aa.account_id AS account_a, pa.post_id AS post_a,
       bb.platform AS platform_b, bb.account_id AS account_b, r.post_id AS post_b,
       {label_sql} AS object, pa.t AS t_a, r.t AS t_b
FROM objs JOIN {ctx.posts} AS pa ON pa.pid = objs.pid
JOIN {ctx.posts} AS r ON r.platform = pa.platform AND r.repost_of = pa.post_id AND r.t - pa.t <= {int(window_us)}
JOIN ls_fw_new AS n ON n.acc = r.acc AND n.cluster = objs.cluster
JOIN {ctx.accounts} AS aa ON aa.acc = pa.acc
JOIN {ctx.accounts} AS bb ON bb.acc = r.acc
JOIN {p}_obj AS o ON o.obj = objs.obj"""
        ), "forward"))
        e.drop("ls_fw_new")
    e.drop("ls_src_cl", f"{p}_first")
    new = pl.concat([src.select("acc", "cluster", "k"), fw.select("acc", "cluster", "k").cast(src.select("acc", "cluster", "k").schema)])
    if new.height == 0:
        return clusters, 0, EVIDENCE_SCHEMA.empty_table()
    add = new.join(accs, on="acc").select("platform", "account_id", "cluster")
    out = pl.concat([cl, add.cast(cl.schema)]).sort("cluster", "platform", "account_id")
    # Engines return rows in any order: sort, as evidence_for_kept does.
    ev = pl.from_arrow(pa.concat_tables(evidence)).sort(
        "signal", "platform_a", "account_a", "platform_b", "account_b", "t_a", "t_b", "post_a", "post_b", "object",
        descending=[True] + [False] * 9,  # "source" rows before "forward" rows
    )
    return out.to_arrow().cast(CLUSTER_SCHEMA), add.height, ev.to_arrow().cast(EVIDENCE_SCHEMA)


def _one_cluster_each(rows: pa.Table) -> Any:
    """``(acc, cluster, k)`` rows, one per account: an account that qualifies for two clusters
    joins the one where ``k`` (objects seeded or forwarded) is largest, then the lower-numbered."""
    import polars as pl

    return (pl.from_arrow(rows).sort(["acc", "k", "cluster"], descending=[False, True, False])
            .unique("acc", keep="first", maintain_order=True))


def detect(workspace: Any, signals: Any = None, *, write: bool = True, **params: Any) -> Detection:
    """Detect coordinated accounts in a workspace; the function form of :class:`Detection`.

    Parameters
    ----------
    workspace : Workspace or path
    signals : list of str or str, optional
        Default: every registered signal.
    write : bool, default True
        Write the result tables into the workspace.
    **params
        Any :class:`Detection` parameter (window, min_count, null, fdr, options, raw, ...).

    Returns
    -------
    Detection
        Fitted; read ``.cluster_scores_``, ``.clusters_``, ``.edges_``, ``.evidence_`` or
        ``.table(name, as_="polars")``.
    """
    from lockstep.workspace import Workspace

    own = isinstance(workspace, str | os.PathLike)
    ws = Workspace(workspace) if own else workspace
    try:
        det = Detection(signals=signals, **params).fit(ws)
        if write:
            det.write(ws)
        return det
    finally:
        if own:
            ws.close()


def pair_counts(workspace: Any, signal: str, window: Any, *, seed: int = 0, **params: Any) -> pa.Table:
    """Raw windowed pair counts of one signal: every account pair with at least one co-action.

    No null model, ``min_count=1``, no heavy-object guard, no evidence: the plain counts that
    CNT's networks hold. Columns as ``EDGE_SCHEMA``; CNT's directed weight for (a → b) is
    ``n_posts_a`` and for (b → a) ``n_posts_b``. ``params`` go to the detector
    (e.g. ``min_chars=1`` for identical-text, ``threshold=0.9`` for near-text).
    """
    det = get_detector(signal, window=window, min_count=1, null=None, max_pairs_per_object=None,
                       evidence=False, **params)
    det.fit(workspace, seed=seed)
    return det.edges_

