"""Gathering what the report shows from a workspace, with DuckDB SQL.

The detection engine (:mod:`lockstep.detect`) leaves result tables in the workspace; this module
reads them, joins the accounts' profiles, post counts, persona flags and the posts behind each
piece of evidence, and returns plain Arrow tables and dicts that the HTML writer and the exports
share. Nothing here renders anything, and nothing here trusts a string from the data.

Tables read (the engine's contract, see ``lockstep.detect``):

``clusters``
    ``platform, account_id, cluster``: the flagged accounts and their cluster.
``cluster_scores``
    ``cluster``, a one-sentence ``reason`` and numeric scores (every numeric column is shown).
``edges``
    The fused graph: an account pair and ``weight``.
``coaction_edges``
    The same per ``signal``: an account pair, ``signal`` and ``weight``.
``evidence``
    The co-actions behind each edge: ``signal``, the pair, ``post_a``, ``post_b`` (post ids) and
    ``object`` (what both acted on); times and texts are taken from ``posts``.
``detect_runs``
    One row per run with its ``parameters`` (JSON); the latest row is reported.
``personas`` (optional)
    ``platform, account_id, flags`` (list of sentences) from ``lockstep personas``.

An account pair is read as ``platform_a, account_a, platform_b, account_b`` or, when the table
has a single ``platform`` column, as ``platform, account_a, account_b``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from lockstep._determinism import round_floats
from lockstep.errors import LockstepError
from lockstep.workspace import Workspace

__all__ = ["ReportData", "ReportError", "gather"]

#: Candidate bin widths of the timelines, in seconds; the first that gives ≤ MAX_BINS bins is used.
BIN_WIDTHS = (3600, 6 * 3600, 86400, 7 * 86400, 30 * 86400)
MAX_BINS = 400
#: Top shared objects kept per cluster and kind.
TOP_OBJECTS = 10


class ReportError(LockstepError):
    """The workspace lacks what a report needs (typically: detection has not been run)."""


@dataclass
class ReportData:
    """Everything the report and the exports show, as plain tables and dicts.

    Attributes
    ----------
    summary : dict
        Data covered, the run's parameters, counts and what each signal contributed.
    clusters : pyarrow.Table
        One row per cluster, ranked (``rank`` 1 is the strongest).
    accounts : pyarrow.Table
        One row per flagged account, sorted by cluster rank then handle.
    edges : pyarrow.Table
        Fused edges between flagged accounts, with the weight each signal gave.
    evidence : pyarrow.Table
        Every co-action behind those edges, with both posts' text and time.
    timelines : dict
        ``bin_seconds``, ``start`` (epoch s), ``background`` (posts per bin) and per-cluster sparse counts.
    heatmaps : dict
        Cluster → 168 post counts (hour of week, UTC, Monday 00:00 first).
    top_objects : dict
        Cluster → kind (post, url, domain, hashtag) → rows ``[object, accounts, posts]``.
    signals : list of str
        The signals that produced edges, sorted.
    """

    summary: dict[str, Any]
    clusters: pa.Table
    accounts: pa.Table
    edges: pa.Table
    evidence: pa.Table
    timelines: dict[str, Any] = field(default_factory=dict)
    heatmaps: dict[str, list[int]] = field(default_factory=dict)
    top_objects: dict[str, dict[str, list[list[Any]]]] = field(default_factory=dict)
    signals: list[str] = field(default_factory=list)
    cluster_flags: dict[str, list[str]] = field(default_factory=dict)


# -- reading the engine's tables -------------------------------------------------------------


def _columns(con: Any, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()]


def _pair(con: Any, table: str) -> str:
    """SELECT expressions naming a table's account pair platform_a, account_a, platform_b, account_b."""
    cols = set(_columns(con, table))
    a = "account_a" if "account_a" in cols else "account_id_a"
    b = "account_b" if "account_b" in cols else "account_id_b"
    if {"platform_a", "platform_b"} <= cols:
        pa_, pb = "platform_a", "platform_b"
    elif "platform" in cols:
        pa_ = pb = "platform"
    else:
        raise ReportError(f"table {table!r} has no platform column (columns: {sorted(cols)})")
    if a not in cols or b not in cols:
        raise ReportError(f"table {table!r} has no account pair columns (columns: {sorted(cols)})")
    return (f"CAST({pa_} AS VARCHAR) AS platform_a, CAST({a} AS VARCHAR) AS account_a, "
            f"CAST({pb} AS VARCHAR) AS platform_b, CAST({b} AS VARCHAR) AS account_b")


def _arrow(con: Any, sql: str, params: list[Any] | None = None) -> pa.Table:
    rel = con.sql(sql, params=params)
    fetch = getattr(rel, "to_arrow_table", None) or rel.arrow
    # Parallel sums differ in their last bits from run to run: round, as detect does.
    return round_floats(fetch())


def _rows(con: Any, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return con.execute(sql, params or []).fetchall()


def _num(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


# -- gathering ---------------------------------------------------------------------------------


def gather(ws: Workspace) -> ReportData:
    """Read the detection results and everything around them from a workspace.

    Parameters
    ----------
    ws : Workspace
        A workspace on which ``lockstep detect`` has run.

    Returns
    -------
    ReportData

    Raises
    ------
    ReportError
        When the workspace has no ``clusters`` table.
    """
    con = ws.con
    tables = set(ws.tables())
    missing = [t for t in ("clusters", "edges") if t not in tables]
    if missing:
        raise ReportError(
            f"{ws.path}: no detection results (missing tables: {', '.join(missing)}); "
            "run `lockstep detect --workspace WS` first"
        )

    # The flagged accounts and the ranking of their clusters, staged in temporary tables so that
    # every later query joins against one definition.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _r_members AS
        SELECT DISTINCT CAST(platform AS VARCHAR) AS platform, CAST(account_id AS VARCHAR) AS account_id,
               CAST(cluster AS VARCHAR) AS cluster
        FROM clusters WHERE cluster IS NOT NULL
    """)
    score_cols: list[str] = []
    reason = "NULL"
    if "cluster_scores" in tables:
        cols = _columns(con, "cluster_scores")
        types = dict(_rows(con, "SELECT column_name, data_type FROM information_schema.columns "
                                "WHERE table_name = 'cluster_scores'"))
        score_cols = [c for c in cols if c not in ("cluster", "n_accounts", "rank")
                      and types[c] in ("DOUBLE", "FLOAT", "BIGINT", "INTEGER", "HUGEINT", "DECIMAL", "REAL")]
        reason = "s.reason" if "reason" in cols else "NULL"
        score_join = "LEFT JOIN (SELECT * REPLACE (CAST(cluster AS VARCHAR) AS cluster) FROM cluster_scores) s USING (cluster)"
    else:
        score_join = ""
    order = ("s.score DESC NULLS LAST, " if "score" in score_cols else "") + "m.n_accounts DESC, m.cluster"
    sel_scores = "".join(f', s."{c}"' for c in score_cols)
    clusters = _arrow(con, f"""
        WITH m AS (SELECT cluster, count(*) AS n_accounts FROM _r_members GROUP BY cluster)
        SELECT row_number() OVER (ORDER BY {order}) AS rank, m.cluster, m.n_accounts{sel_scores},
               CAST({reason} AS VARCHAR) AS reason
        FROM m {score_join}
        ORDER BY rank
    """)
    con.register("_r_clusters_arrow", clusters)
    con.execute("CREATE OR REPLACE TEMP TABLE _r_clusters AS SELECT * FROM _r_clusters_arrow")
    con.unregister("_r_clusters_arrow")

    # Edges: fused weight, plus the weight each signal gave (pivoted from coaction_edges).
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _r_edges AS
        WITH e AS (SELECT {_pair(con, 'edges')}, CAST(weight AS DOUBLE) AS weight FROM edges)
        SELECT e.* FROM e
        JOIN _r_members ma ON ma.platform = e.platform_a AND ma.account_id = e.account_a
        JOIN _r_members mb ON mb.platform = e.platform_b AND mb.account_id = e.account_b
    """)
    signals: list[str] = []
    if "coaction_edges" in tables:
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _r_signal_edges AS
            SELECT CAST(signal AS VARCHAR) AS signal, {_pair(con, 'coaction_edges')},
                   CAST(strength AS DOUBLE) AS weight
            FROM coaction_edges
            WHERE kept
        """)
        signals = [r[0] for r in _rows(con, "SELECT DISTINCT signal FROM _r_signal_edges "
                                            "WHERE signal IS NOT NULL ORDER BY 1")]
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE _r_signal_edges (signal VARCHAR, platform_a VARCHAR, "
                    "account_a VARCHAR, platform_b VARCHAR, account_b VARCHAR, weight DOUBLE)")
    pivot = "".join(
        f", max(CASE WHEN s.signal = ? THEN s.weight END) AS \"w_{i}\"" for i, _ in enumerate(signals)
    )
    edges = _arrow(con, f"""
        SELECT e.platform_a, e.account_a, e.platform_b, e.account_b,
               CASE WHEN ma.cluster = mb.cluster THEN ma.cluster END AS cluster,
               ma.cluster AS cluster_a, mb.cluster AS cluster_b, e.weight,
               list(DISTINCT s.signal ORDER BY s.signal) FILTER (WHERE s.signal IS NOT NULL) AS signals
               {pivot}
        FROM _r_edges e
        JOIN _r_members ma ON ma.platform = e.platform_a AND ma.account_id = e.account_a
        JOIN _r_members mb ON mb.platform = e.platform_b AND mb.account_id = e.account_b
        -- Either orientation of the pair: the signal tables need not order pairs as the fused one does.
        LEFT JOIN (
            SELECT signal, platform_a, account_a, platform_b, account_b, weight FROM _r_signal_edges
            UNION ALL
            SELECT signal, platform_b, account_b, platform_a, account_a, weight FROM _r_signal_edges
        ) s ON s.platform_a = e.platform_a AND s.account_a = e.account_a
           AND s.platform_b = e.platform_b AND s.account_b = e.account_b
        GROUP BY ALL
        ORDER BY e.platform_a, e.account_a, e.platform_b, e.account_b
    """, list(signals))
    edges = edges.rename_columns(
        [f"weight_{signals[int(c[2:])]}" if c.startswith("w_") else c for c in edges.column_names]
    )

    # Accounts: profile, posts, degree in the flagged graph, persona flags.
    persona = "personas" in tables and "flags" in _columns(con, "personas")
    persona_join = ("LEFT JOIN (SELECT CAST(platform AS VARCHAR) AS platform, CAST(account_id AS VARCHAR) "
                    "AS account_id, flags FROM personas) p USING (platform, account_id)") if persona else ""
    persona_sel = "p.flags" if persona else "CAST(NULL AS VARCHAR[])"
    accounts = _arrow(con, f"""
        WITH deg AS (
            SELECT platform, account, count(*) AS degree, sum(weight) AS strength FROM (
                SELECT platform_a AS platform, account_a AS account, weight FROM _r_edges
                UNION ALL SELECT platform_b, account_b, weight FROM _r_edges
            ) GROUP BY ALL
        ), np AS (
            SELECT p.platform, p.account_id, count(*) AS n_posts, min(p.created_at) AS first_post,
                   max(p.created_at) AS last_post
            FROM posts p SEMI JOIN _r_members m USING (platform, account_id)
            GROUP BY ALL
        )
        SELECT m.platform, m.account_id, a.handle, a.display_name, a.created_at, coalesce(np.n_posts, 0) AS n_posts,
               np.first_post, np.last_post, m.cluster, c.rank AS cluster_rank,
               coalesce(deg.degree, 0) AS degree, coalesce(deg.strength, 0.0) AS strength,
               {persona_sel} AS persona_flags, a.bio, a.location, a.url, a.followers, a.following
        FROM _r_members m
        JOIN _r_clusters c USING (cluster)
        LEFT JOIN accounts a USING (platform, account_id)
        LEFT JOIN np USING (platform, account_id)
        LEFT JOIN deg ON deg.platform = m.platform AND deg.account = m.account_id
        {persona_join}
        ORDER BY c.rank, deg.strength DESC NULLS LAST, m.platform, m.account_id
    """)

    evidence = _evidence(con, tables)
    summary = _summary(ws, tables, clusters, accounts, edges, signals)
    timelines, heatmaps = _timelines(con)
    cluster_flags: dict[str, list[str]] = {}
    if "persona_clusters" in tables and {"cluster", "flags"} <= set(_columns(con, "persona_clusters")):
        for c, flags in _rows(con, "SELECT CAST(cluster AS VARCHAR), flags FROM persona_clusters "
                                   "WHERE cluster IN (SELECT cluster FROM _r_clusters) ORDER BY 1"):
            if flags:
                cluster_flags[c] = list(flags)
    return ReportData(
        summary=summary, clusters=clusters, accounts=accounts, edges=edges, evidence=evidence,
        timelines=timelines, heatmaps=heatmaps, top_objects=_top_objects(con), signals=signals,
        cluster_flags=cluster_flags,
    )


def _evidence(con: Any, tables: set[str]) -> pa.Table:
    if "evidence" not in tables:
        return pa.table({c: pa.array([], pa.string()) for c in (
            "cluster", "signal", "platform_a", "account_a", "platform_b", "account_b", "object",
            "post_a", "post_b")})
    cols = set(_columns(con, "evidence"))
    obj = "CAST(ev.object AS VARCHAR)" if "object" in cols else "NULL"
    sig = "CAST(ev.signal AS VARCHAR)" if "signal" in cols else "NULL"
    # Posts are looked up on each side's own platform (cross-platform pairs).
    return _arrow(con, f"""
        WITH ev AS (SELECT *, {_pair(con, 'evidence')} FROM evidence)
        SELECT CASE WHEN ma.cluster = mb.cluster THEN ma.cluster END AS cluster, {sig} AS signal,
               ev.platform_a, ev.account_a, ev.platform_b, ev.account_b, {obj} AS object,
               CAST(ev.post_a AS VARCHAR) AS post_a, CAST(ev.post_b AS VARCHAR) AS post_b,
               pa.created_at AS t_a, pb.created_at AS t_b,
               round(epoch(pb.created_at) - epoch(pa.created_at), 3) AS dt_seconds,
               pa.kind AS kind_a, pb.kind AS kind_b, pa.text AS text_a, pb.text AS text_b,
               pa.post_url AS url_a, pb.post_url AS url_b
        FROM ev
        JOIN _r_members ma ON ma.platform = ev.platform_a AND ma.account_id = ev.account_a
        JOIN _r_members mb ON mb.platform = ev.platform_b AND mb.account_id = ev.account_b
        LEFT JOIN posts pa ON pa.platform = ev.platform_a AND pa.post_id = CAST(ev.post_a AS VARCHAR)
        LEFT JOIN posts pb ON pb.platform = ev.platform_b AND pb.post_id = CAST(ev.post_b AS VARCHAR)
        ORDER BY ev.platform_a, ev.account_a, ev.platform_b, ev.account_b, signal, t_a, t_b, post_a, post_b, object
    """)


def _summary(ws: Workspace, tables: set[str], clusters: pa.Table, accounts: pa.Table,
             edges: pa.Table, signals: list[str]) -> dict[str, Any]:
    con = ws.con
    n_posts, n_accounts, first, last = _rows(
        con, "SELECT count(*), count(DISTINCT (platform, account_id)), min(created_at), max(created_at) FROM posts"
    )[0]
    platforms = [
        {"platform": p, "posts": n, "accounts": a}
        for p, n, a in _rows(con, "SELECT platform, count(*), count(DISTINCT account_id) FROM posts "
                                  "GROUP BY 1 ORDER BY 1")
    ]
    run: dict[str, Any] = {}
    if "detect_runs" in tables:
        cols = _columns(con, "detect_runs")
        order = ", ".join(f'"{c}" DESC' for c in ("started_at", "finished_at", "run_id", "created_at") if c in cols)
        rows = _rows(con, f"SELECT * FROM detect_runs {'ORDER BY ' + order if order else ''} LIMIT 1")
        if rows:
            for c, v in zip(cols, rows[0]):
                if c in ("started_at", "finished_at"):
                    continue  # when it ran is in the workspace; the report stays byte-identical
                if c in ("parameters", "params") and isinstance(v, str):
                    with contextlib.suppress(ValueError):
                        v = json.loads(v)
                run[c] = v.isoformat() if isinstance(v, dt.datetime | dt.date) else _num(v)
    contributions = []
    if signals:
        # What each signal contributed: its edges anywhere, its edges inside flagged clusters, and
        # its share of the weight on the flagged clusters' internal edges.
        within_total = sum(
            w for w, c in zip(edges.column("weight").to_pylist(), edges.column("cluster").to_pylist())
            if c is not None and w is not None
        )
        cluster_col = edges.column("cluster").to_pylist()
        for s in signals:
            n_all, w_all = _rows(con, "SELECT count(*), coalesce(sum(weight), 0) FROM _r_signal_edges "
                                      "WHERE signal = ?", [s])[0]
            ws_ = [w for w, c in zip(edges.column(f"weight_{s}").to_pylist(), cluster_col)
                   if c is not None and w is not None]
            contributions.append({
                "signal": s, "edges": n_all, "weight": round(float(w_all), 6),
                "edges_in_clusters": len(ws_), "weight_in_clusters": round(float(sum(ws_)), 6),
                "share_of_cluster_weight": round(float(sum(ws_)) / within_total, 4) if within_total else None,
            })
    data: dict[str, Any] = {
        "posts": n_posts, "accounts": n_accounts, "platforms": platforms,
        "first_post": first.isoformat() if first else None,
        "last_post": last.isoformat() if last else None,
    }
    scan = _spark_scan(con, tables)
    if scan is not None:
        # A Spark scan keeps only the flagged accounts' posts: the overview states what was
        # scanned, and says that the rest of the report shows the posts kept.
        accounts_by_platform = scan.get("platform_accounts") or {}
        data = {
            "posts": scan.get("posts", n_posts), "accounts": scan.get("accounts", n_accounts),
            "platforms": [{"platform": p, "posts": n, "accounts": accounts_by_platform.get(p)}
                          for p, n in sorted((scan.get("platforms") or {}).items())],
            "first_post": scan.get("first_post"), "last_post": scan.get("last_post"),
            "scanned": {"source": [str(s) for s in scan.get("source") or []], "kept_posts": n_posts,
                        "kept_accounts": n_accounts, "rows_left_out": scan.get("rows_left_out", 0)},
        }
    return {
        "data": data,
        "run": run,
        "flagged": {
            "clusters": clusters.num_rows, "accounts": accounts.num_rows, "edges": edges.num_rows,
            "edges_within_clusters": sum(1 for c in edges.column("cluster").to_pylist() if c is not None),
        },
        "signals": contributions,
    }


def _spark_scan(con: Any, tables: set[str]) -> dict[str, Any] | None:
    """The summary a Parquet scan on Spark left in the workspace (metadata ``spark_scan``), if any."""
    if "metadata" not in tables:
        return None
    rows = _rows(con, "SELECT value FROM metadata WHERE key = 'spark_scan'")
    if not rows:
        return None
    try:
        scan = json.loads(rows[0][0])
    except (TypeError, ValueError):
        return None
    return scan if isinstance(scan, dict) else None


def _timelines(con: Any) -> tuple[dict[str, Any], dict[str, list[int]]]:
    (first, last), = _rows(con, "SELECT epoch(min(created_at)), epoch(max(created_at)) FROM posts")
    if first is None:
        return {"bin_seconds": 3600, "start": 0, "background": [], "clusters": {}}, {}
    span = float(last) - float(first)
    width = next((w for w in BIN_WIDTHS if span / w <= MAX_BINS), BIN_WIDTHS[-1])
    # Bins aligned on UTC midnight of the first day (weeks: on that day, too): readable axis.
    start = int(float(first) // 86400 * 86400)
    n_bins = int((float(last) - start) // width) + 1
    background = [0] * n_bins
    for b, n in _rows(con, "SELECT CAST(floor((epoch(created_at) - ?) / ?) AS BIGINT) AS b, count(*) "
                           "FROM posts GROUP BY 1 ORDER BY 1", [start, width]):
        background[b] = n
    per_cluster: dict[str, list[list[int]]] = {}
    for c, b, n in _rows(con, """
            SELECT m.cluster, CAST(floor((epoch(p.created_at) - ?) / ?) AS BIGINT) AS b, count(*)
            FROM posts p JOIN _r_members m USING (platform, account_id)
            GROUP BY 1, 2 ORDER BY 1, 2""", [start, width]):
        per_cluster.setdefault(c, []).append([b, n])
    heat: dict[str, list[int]] = {}
    for c, h, n in _rows(con, """
            SELECT m.cluster, (isodow(p.created_at) - 1) * 24 + hour(p.created_at) AS h, count(*)
            FROM posts p JOIN _r_members m USING (platform, account_id)
            GROUP BY 1, 2 ORDER BY 1, 2"""):
        heat.setdefault(c, [0] * 168)[h] = n
    return {"bin_seconds": width, "start": start, "background": background, "clusters": per_cluster}, heat


def _top_objects(con: Any) -> dict[str, dict[str, list[list[Any]]]]:
    """Per cluster, the most shared posts, URLs, domains and hashtags: by members, then posts."""
    out: dict[str, dict[str, list[list[Any]]]] = {}
    queries = {
        "post": "SELECT m.cluster, coalesce(p.repost_of, p.quote_of) AS o, p.account_id FROM posts p "
                "JOIN _r_members m USING (platform, account_id) WHERE coalesce(p.repost_of, p.quote_of) IS NOT NULL",
        "url": "SELECT m.cluster, unnest(p.urls) AS o, p.account_id FROM posts p "
               "JOIN _r_members m USING (platform, account_id)",
        "domain": "SELECT m.cluster, unnest(p.domains) AS o, p.account_id FROM posts p "
                  "JOIN _r_members m USING (platform, account_id)",
        "hashtag": "SELECT m.cluster, unnest(p.hashtags) AS o, p.account_id FROM posts p "
                   "JOIN _r_members m USING (platform, account_id)",
    }
    for kind, q in queries.items():
        for c, o, n_acc, n_posts in _rows(con, f"""
                WITH x AS ({q}), g AS (
                    SELECT cluster, o, count(DISTINCT account_id) AS n_acc, count(*) AS n_posts FROM x
                    WHERE o IS NOT NULL GROUP BY 1, 2
                ), r AS (
                    SELECT *, row_number() OVER (PARTITION BY cluster ORDER BY n_acc DESC, n_posts DESC, o) AS k
                    FROM g
                )
                SELECT cluster, o, n_acc, n_posts FROM r WHERE k <= {TOP_OBJECTS} AND n_acc >= 2
                ORDER BY cluster, k"""):
            out.setdefault(c, {}).setdefault(kind, []).append([o, n_acc, n_posts])
    return out
