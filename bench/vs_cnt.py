"""lockstep against the Coordination Network Toolkit (CNT 1.5.2, QUT Digital Observatory), same input.

What it does
------------
1. Installs ``coordination-network-toolkit==1.5.2`` into a throwaway venv under ``--workdir``
   (default ``/tmp/lockstep-bench/vs_cnt``; created once, reused).
2. Writes a synthetic file in CNT's 8-column CSV format (``bench/_synth.py``: Zipf-popular
   retweets and links, replies, planted coordinated groups; seeded, so the same bytes every run).
3. Runs CNT end to end: ``preprocess``, then ``compute`` co_retweet, co_tweet, co_link and
   co_similar_tweet at ``--window`` seconds (``--min_edge_weight 1``, so that CNT returns its whole
   graph, and ``--n_cpus 2``), each step timed and bounded by ``--cnt-timeout``.
4. Runs lockstep end to end on the same CSV: ingest (the ``cnt`` reader), then the matching
   co-action signals in raw mode (windowed pair counts, no null model), each timed.
5. Compares the edge sets per signal (pairs of distinct accounts; CNT's self-loops are dropped, as
   CNT's own export does by default) and the weights, and explains every difference by re-running
   CNT's rule on CNT's own tables with one ingredient changed at a time (see ``explain_*``).

Usage::

    .venv/bin/python bench/vs_cnt.py --rows 100000          # a few minutes
    .venv/bin/python bench/vs_cnt.py                        # 1M rows: CNT alone takes long
    .venv/bin/python bench/vs_cnt.py --repeat 3             # lockstep's median of 3, CNT timed in the same run
    .venv/bin/python bench/vs_cnt.py --skip-cnt             # edge sets only: CNT's last database and timings
                                                            # (its ratios are not same-run ratios, and say so)

Targets: lockstep at least 20x faster end to end (ingest included) on co-retweet, co-tweet and
co-link together, at least 100x on near-identical text.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _synth import write_cnt_csv

CNT_VERSION = "1.5.2"
SIGNALS = ("co_retweet", "co_tweet", "co_link", "co_similar_tweet")
FIRST_THREE = ("co_retweet", "co_tweet", "co_link")


# --- CNT ------------------------------------------------------------------------------------

def ensure_cnt(venv: Path) -> Path:
    """The ``compute_networks`` executable of a venv holding CNT, created on first use."""
    exe = venv / "bin" / "compute_networks"
    if exe.exists():
        return exe
    print(f"creating {venv} with coordination-network-toolkit=={CNT_VERSION} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"coordination-network-toolkit=={CNT_VERSION}"],
                   check=True)
    return exe


@dataclass
class Step:
    seconds: float | None = None
    status: str = "ok"  # ok | timeout | failed | skipped


def run_cnt(exe: Path, csv: Path, db: Path, window: int, signals: tuple[str, ...], timeout: float,
            log: Path) -> dict[str, Step]:
    """Time CNT's preprocess and each compute; a step that times out or fails is marked, not fatal."""
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    steps: dict[str, Step] = {}
    commands = {"preprocess": [str(exe), str(db), "preprocess", "--format", "csv", str(csv)]}
    for s in signals:
        commands[s] = [str(exe), str(db), "compute", s, "--time_window", str(window),
                       "--min_edge_weight", "1", "--n_cpus", "2"]
    with log.open("a") as out:
        for name, cmd in commands.items():
            if name != "preprocess" and steps["preprocess"].status != "ok":
                steps[name] = Step(status="skipped")
                continue
            print(f"  CNT {name} ...", end=" ", flush=True)
            t = time.perf_counter()
            try:
                # CNT's process pool is never shut down; it prints a harmless traceback at exit.
                proc = subprocess.run(cmd, stdout=out, stderr=out, timeout=timeout, start_new_session=True)
                steps[name] = Step(time.perf_counter() - t, "ok" if proc.returncode == 0 else "failed")
            except subprocess.TimeoutExpired:
                steps[name] = Step(time.perf_counter() - t, "timeout")
            print(f"{steps[name].seconds:.1f} s ({steps[name].status})", flush=True)
    return steps


def ddl(con: Any, sql: str) -> None:
    """Run statements whose results nobody reads (DuckDB 2 wants every result consumed)."""
    for stmt in sql.split(";"):
        if stmt.strip():
            con.execute(stmt).fetchall()


def sqlite_arrow(db: Path, sql: str) -> pa.Table:
    con = sqlite3.connect(db)
    try:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
    finally:
        con.close()
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pa.table({n: pa.array(list(c), pa.string() if n in ("u1", "u2", "msg", "usr", "key") else None)
                     for n, c in zip(names, cols, strict=True)})


# --- CNT's counting rule, re-run in DuckDB ----------------------------------------------------

def cnt_rule(con: duckdb.DuckDBPyConnection, events: str, window: int, out: str) -> None:
    """CNT's weight, from an events table (msg, usr, key, ts), into table ``out`` (u1, u2, weight).

    CNT: ``count(DISTINCT e_1.message_id)`` over ``e_1 JOIN e_2 ON key AND e_2.ts BETWEEN e_1.ts -
    w AND e_1.ts + w`` grouped by (e_1.user, e_2.user): directed, the number of u1's messages
    that have a u2 message on the same key within the window. Self-loops dropped. The join runs
    on (key, time bucket) so that one huge key (CNT's empty URL) is not a cartesian product.
    """
    ddl(con, f"""
        CREATE OR REPLACE TEMP TABLE _ev AS
            SELECT msg, usr, key, ts, floor(ts / {window})::BIGINT AS b FROM {events};
        CREATE OR REPLACE TABLE {out} AS
        SELECT e1.usr AS u1, e2.usr AS u2, count(DISTINCT e1.msg) AS weight
        FROM _ev e1, (SELECT unnest([-1, 0, 1]) AS d) s
        JOIN _ev e2 ON e2.key = e1.key AND e2.b = e1.b + s.d
        WHERE abs(e2.ts - e1.ts) <= {window} AND e1.usr <> e2.usr
        GROUP BY ALL
    """)


def undirected(con: duckdb.DuckDBPyConnection, directed: str, out: str) -> None:
    """One row per unordered pair: a < b, with both directed CNT weights (w_ab, w_ba)."""
    ddl(con, f"""
        CREATE OR REPLACE TABLE {out} AS
        SELECT least(u1, u2) AS a, greatest(u1, u2) AS b,
               max(weight) FILTER (WHERE u1 < u2) AS w_ab, max(weight) FILTER (WHERE u1 > u2) AS w_ba
        FROM {directed} GROUP BY ALL
    """)


def diff_counts(con: duckdb.DuckDBPyConnection, left: str, right: str) -> tuple[int, int, int]:
    """(both, only left, only right) over unordered pairs (a, b)."""
    both = con.execute(f"SELECT count(*) FROM {left} SEMI JOIN {right} USING (a, b)").fetchall()[0][0]
    only_l = con.execute(f"SELECT count(*) FROM {left} ANTI JOIN {right} USING (a, b)").fetchall()[0][0]
    only_r = con.execute(f"SELECT count(*) FROM {right} ANTI JOIN {left} USING (a, b)").fetchall()[0][0]
    return both, only_l, only_r


# --- the report ---------------------------------------------------------------------------

@dataclass
class Comparison:
    signal: str
    cnt: Step
    lockstep_seconds: float | None
    both: int = 0
    only_cnt: int = 0
    only_lockstep: int = 0
    weights_equal: int | None = None
    notes: list[str] = field(default_factory=list)


def fmt_s(x: float | None) -> str:
    return "-" if x is None else f"{x:,.1f}"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b <= 0:
        return "-"
    return f"{a / b:,.1f}x"


# --- lockstep -------------------------------------------------------------------------------

#: CNT network → (lockstep signal, parameters that make lockstep's rule CNT's).
LOCKSTEP_SIGNALS: dict[str, tuple[str, dict[str, Any]]] = {
    "co_retweet": ("co-repost", {}),
    # CNT compares every non-repost text, however short; lockstep's default ignores < 10 chars.
    "co_tweet": ("identical-text", {"min_chars": 0}),
    # CNT ignores the URLs of reposts ("Ignore url shared in reposts", preprocess.py).
    "co_link": ("co-link", {"include_reposts": False}),
    # CNT's CLI default --min_document_size_similarity 1: any text with at least one token.
    "co_similar_tweet": ("near-text", {"min_tokens": 1}),
}


@dataclass
class LockstepRun:
    ingest_seconds: float
    n_posts: int
    seconds: dict[str, float]
    edges: dict[str, pa.Table]
    notes: list[str]


def warm_up(csv: Path, ws_path: Path, window: int, similarity: float, signals: tuple[str, ...]) -> float:
    """Run the signals once on 5,000 of the file's rows, untimed: numba compiles lockstep's
    kernels on their first use after installation and caches them (``__pycache__``); a fresh
    checkout would otherwise count that one-off compilation in the first signal to use them.
    The rows are spread over the file (its first ones are all reposts: near-text's kernels
    would not run). Returns the seconds it took (printed, so that the one-off cost is on record)."""
    from lockstep.detect import pair_counts
    from lockstep.workspace import Workspace

    small = ws_path.parent / "warm-up.csv"
    with csv.open("rb") as f:
        n_lines = sum(1 for _ in f)
    step = max(1, (n_lines - 1) // 5000)
    with csv.open("rb") as f, small.open("wb") as out:
        out.write(next(f))
        out.writelines(itertools.islice(f, 0, None, step))
    shutil.rmtree(ws_path, ignore_errors=True)
    t = time.perf_counter()
    with Workspace(ws_path, threads=2) as ws:
        ws.ingest(small, format="cnt")
        for s in signals:
            signal, params = LOCKSTEP_SIGNALS[s]
            if signal == "near-text":
                params = {**params, "threshold": similarity}
            pair_counts(ws, signal, float(window), seed=0, **params)
    shutil.rmtree(ws_path, ignore_errors=True)
    small.unlink()
    return time.perf_counter() - t


def run_lockstep(csv: Path, ws_path: Path, window: int, similarity: float, signals: tuple[str, ...]) -> LockstepRun:
    """Ingest the CSV into a fresh workspace, then raw pair counts per signal, each timed."""
    from lockstep.detect import pair_counts
    from lockstep.workspace import Workspace

    shutil.rmtree(ws_path, ignore_errors=True)
    seconds: dict[str, float] = {}
    edges: dict[str, pa.Table] = {}
    notes: list[str] = []
    with Workspace(ws_path, threads=2) as ws:
        print("  lockstep ingest ...", end=" ", flush=True)
        t = time.perf_counter()
        [res] = ws.ingest(csv, format="cnt")
        ingest_s = time.perf_counter() - t
        print(f"{ingest_s:.1f} s ({res.n_accepted:,} posts, {res.n_rejected} rejected, {res.n_duplicates} duplicates)",
              flush=True)
        for s in signals:
            signal, params = LOCKSTEP_SIGNALS[s]
            if signal == "near-text":
                params = {**params, "threshold": similarity}
            print(f"  lockstep pair_counts({signal!r}, {window}, {params}) ...", end=" ", flush=True)
            t = time.perf_counter()
            try:
                edges[s] = pair_counts(ws, signal, float(window), seed=0, **params)
            except Exception as e:  # a failing detector is reported, and the other signals still run
                print(f"failed: {type(e).__name__}: {str(e)[:200]}", flush=True)
                notes.append(f"{signal} failed: {type(e).__name__}: {str(e)[:300]}")
                continue
            seconds[s] = time.perf_counter() - t
            print(f"{seconds[s]:.1f} s, {edges[s].num_rows:,} edges", flush=True)
    return LockstepRun(ingest_s, res.n_accepted, seconds, edges, notes)


def median_run(runs: list[LockstepRun]) -> LockstepRun:
    """The last run's edges with each step's median time over ``runs`` (every run is printed)."""
    if len(runs) == 1:
        return runs[0]
    last = runs[-1]
    ingest = statistics.median(r.ingest_seconds for r in runs)
    seconds = {s: statistics.median(r.seconds[s] for r in runs if s in r.seconds) for s in last.seconds}
    for i, r in enumerate(runs, 1):
        steps = ", ".join(f"{s} {v:.2f}" for s, v in r.seconds.items())
        print(f"  run {i}: ingest {r.ingest_seconds:.2f}, {steps} s")
    print(f"  median: ingest {ingest:.2f}, " + ", ".join(f"{s} {v:.2f}" for s, v in seconds.items()) + " s")
    return LockstepRun(ingest, last.n_posts, seconds, last.edges, last.notes)


# --- comparison ---------------------------------------------------------------------------

def lockstep_undirected(con: duckdb.DuckDBPyConnection, edges: pa.Table, out: str) -> None:
    """lockstep edges as (a, b, w_ab, w_ba): ``n_posts_a`` is CNT's weight from a's side."""
    con.register("_ls", edges)
    ddl(con, f"""
        CREATE OR REPLACE TABLE {out} AS
        SELECT least(account_a, account_b) AS a, greatest(account_a, account_b) AS b,
               CASE WHEN account_a < account_b THEN n_posts_a ELSE n_posts_b END AS w_ab,
               CASE WHEN account_a < account_b THEN n_posts_b ELSE n_posts_a END AS w_ba
        FROM _ls
    """)
    con.unregister("_ls")


@dataclass
class Rung:
    """One step of an explanation: the same counting rule with one ingredient changed."""

    label: str
    table: str


def ladder(con: duckdb.DuckDBPyConnection, rungs: list[Rung]) -> list[str]:
    """What each step changes: edges removed, added, and edges whose (w_ab, w_ba) changed."""
    out = []
    for prev, cur in itertools.pairwise(rungs):
        both, removed, added = diff_counts(con, prev.table, cur.table)
        changed = con.execute(
            f"SELECT count(*) FROM {prev.table} p JOIN {cur.table} c USING (a, b) "
            "WHERE p.w_ab IS DISTINCT FROM c.w_ab OR p.w_ba IS DISTINCT FROM c.w_ba"
        ).fetchall()[0][0]
        out.append(f"{cur.label}: -{removed:,} edges, +{added:,} edges, {changed:,} weights changed (of {both:,})")
    return out


def compare(con: duckdb.DuckDBPyConnection, db: Path, work: Path, ls: LockstepRun, cnt_steps: dict[str, Step],
            args: argparse.Namespace, signals: tuple[str, ...]) -> list[Comparison]:
    w = args.window
    results = []
    # lockstep's own keys, from its workspace: what lockstep's rule sees, counted CNT's way.
    from lockstep.workspace import Workspace

    with Workspace(work / "lockstep-ws", read_only=True) as ws:
        posts = ws.query("SELECT post_id AS msg, account_id AS usr, kind, repost_of, text_norm, urls, "
                         "epoch(created_at) AS ts FROM posts")
    con.register("ls_posts_src", posts)
    ddl(con, "CREATE OR REPLACE TABLE lsp AS SELECT * FROM ls_posts_src")
    con.unregister("ls_posts_src")
    have_db = db.exists()
    if have_db:
        edge = sqlite_arrow(db, "SELECT message_id AS msg, user_id AS usr, repost_id, transformed_message, "
                                "timestamp AS ts FROM edge")
        if "co_similar_tweet" in signals and cnt_steps.get("co_similar_tweet", Step()).status == "ok":
            sim = sqlite_arrow(db, "SELECT message_id AS msg, user_id AS usr, repost_id, token_set, timestamp AS ts "
                                   "FROM edge WHERE repost_id IS NULL")
            con.register("cnt_sim_src", sim)
            ddl(con, "CREATE OR REPLACE TABLE cnt_sim AS SELECT * FROM cnt_sim_src")
        con.register("cnt_edge_src", edge)
        ddl(con, "CREATE OR REPLACE TABLE cnt_edge AS SELECT * FROM cnt_edge_src")
        mu = sqlite_arrow(db, "SELECT message_id AS msg, user_id AS usr, url AS key, timestamp AS ts FROM message_url")
        con.register("cnt_mu_src", mu)
        ddl(con, "CREATE OR REPLACE TABLE cnt_mu AS SELECT * FROM cnt_mu_src")

    for s in signals:
        step = cnt_steps.get(s, Step(status="skipped"))
        c = Comparison(s, step, ls.seconds.get(s))
        results.append(c)
        if s not in ls.edges:
            c.notes.append("lockstep has no matching detector yet: not compared")
            continue
        lockstep_undirected(con, ls.edges[s], f"ls_{s}")
        if step.status != "ok" or not have_db:
            c.notes.append(f"CNT {step.status}: edge sets not compared")
            continue
        table = {"co_retweet": "co_retweet_network", "co_tweet": "co_tweet_network", "co_link": "co_link_network",
                 "co_similar_tweet": "co_similar_tweet_network"}[s]
        con.register("_cnt", sqlite_arrow(db, f"SELECT user_1 AS u1, user_2 AS u2, weight FROM {table} "
                                              "WHERE user_1 <> user_2"))
        ddl(con, f"CREATE OR REPLACE TABLE cntd_{s} AS SELECT * FROM _cnt")
        con.unregister("_cnt")
        undirected(con, f"cntd_{s}", f"cnt_{s}")
        c.both, c.only_cnt, c.only_lockstep = diff_counts(con, f"cnt_{s}", f"ls_{s}")
        c.weights_equal = con.execute(
            f"SELECT count(*) FROM cnt_{s} c JOIN ls_{s} l USING (a, b) WHERE c.w_ab = l.w_ab AND c.w_ba = l.w_ba"
        ).fetchall()[0][0]
        c.notes += EXPLAIN[s](con, s, w, args)
    return results


def _rung(con: duckdb.DuckDBPyConnection, name: str, events_sql: str, w: int, label: str) -> Rung:
    ddl(con, f"CREATE OR REPLACE TEMP VIEW ev_{name} AS {events_sql}")
    cnt_rule(con, f"ev_{name}", w, f"d_{name}")
    undirected(con, f"d_{name}", f"u_{name}")
    return Rung(label, f"u_{name}")


def _check_rule(con: duckdb.DuckDBPyConnection, s: str, rung: Rung) -> str:
    both, only_cnt, only_rerun = diff_counts(con, f"cnt_{s}", rung.table)
    same_w = con.execute(f"SELECT count(*) FROM cnt_{s} c JOIN {rung.table} x USING (a, b) "
                         "WHERE c.w_ab = x.w_ab AND c.w_ba = x.w_ba").fetchall()[0][0]
    ok = only_cnt == 0 and only_rerun == 0 and same_w == both
    return (f"check: CNT's rule re-run in DuckDB on CNT's own tables reproduces CNT's {s} network "
            f"{'exactly' if ok else f'NOT exactly ({only_cnt} only CNT, {only_rerun} only re-run, {both - same_w} weights differ)'}")


def explain_co_retweet(con: duckdb.DuckDBPyConnection, s: str, w: int, args: argparse.Namespace) -> list[str]:
    cnt = _rung(con, "rt_cnt", "SELECT msg, usr, repost_id AS key, ts FROM cnt_edge WHERE repost_id IS NOT NULL", w,
                "CNT's rule on CNT's tables")
    ls = _rung(con, "rt_ls", "SELECT msg, usr, repost_of AS key, ts FROM lsp WHERE repost_of IS NOT NULL", w,
               "same rule on lockstep's posts (repost_of)")
    return [_check_rule(con, s, cnt), *ladder(con, [cnt, ls, Rung("lockstep's engine (n_posts_a, n_posts_b)", f"ls_{s}")])]


def explain_co_tweet(con: duckdb.DuckDBPyConnection, s: str, w: int, args: argparse.Namespace) -> list[str]:
    base = "FROM cnt_edge WHERE repost_id IS NULL"
    cnt = _rung(con, "tw_cnt", f"SELECT msg, usr, transformed_message AS key, ts {base}", w, "CNT's rule")
    nonempty = _rung(con, "tw_ne", f"SELECT msg, usr, transformed_message AS key, ts {base} AND transformed_message <> ''",
                     w, "without texts empty after CNT's normalisation (a bare @mention)")
    ls = _rung(con, "tw_ls", "SELECT msg, usr, text_norm AS key, ts FROM lsp WHERE kind <> 'repost' AND text_norm IS NOT NULL",
               w, "with lockstep's text_norm (also drops URLs, RT prefix; NFKC, casefold)")
    return [_check_rule(con, s, cnt),
            *ladder(con, [cnt, nonempty, ls, Rung("lockstep's engine (n_posts_a, n_posts_b)", f"ls_{s}")])]


def explain_co_link(con: duckdb.DuckDBPyConnection, s: str, w: int, args: argparse.Namespace) -> list[str]:
    rungs = []
    if args.rows <= 200_000:  # the '' URL makes this re-run heavy; checked at small sizes
        rungs.append(_rung(con, "ln_cnt", "SELECT msg, usr, key, ts FROM cnt_mu", w, "CNT's rule"))
        check = [_check_rule(con, s, rungs[0])]
    else:
        rungs.append(Rung("CNT", f"cnt_{s}"))
        check = ["(rule check skipped above 200,000 rows; it passes at 100,000)"]
    rungs.append(_rung(con, "ln_ne", "SELECT msg, usr, key, ts FROM cnt_mu WHERE key <> ''", w,
                       "without the URL '' (CNT's reading of an empty urls cell)"))
    rungs.append(_rung(con, "ln_ls",
                       "SELECT msg, usr, unnest(urls) AS key, ts FROM lsp WHERE kind <> 'repost' AND len(urls) > 0", w,
                       "with lockstep's normalised URLs (tracking parameters such as utm_source dropped)"))
    rungs.append(Rung("lockstep's engine (n_posts_a, n_posts_b)", f"ls_{s}"))
    return [*check, *ladder(con, rungs)]


def explain_co_similar(con: duckdb.DuckDBPyConnection, s: str, w: int, args: argparse.Namespace) -> list[str]:
    """Re-run both similarity rules exactly, but only on the account pairs whose edges differ.

    CNT: Jaccard of CNT's token sets (``tokenize``: lower-cased message, @mentions removed, split
    at word boundaries, so URL pieces and punctuation are tokens) >= threshold, every non-repost.
    lockstep: Jaccard of the word sets of ``text_norm`` (URLs and mentions removed, NFKC, casefold)
    >= threshold, found by MinHash-LSH and then verified exactly. Re-running each rule exactly on
    the differing pairs separates tokenisation differences from LSH misses.
    """
    thr = args.similarity
    ddl(con, f"""
        CREATE OR REPLACE TABLE simd AS
        SELECT a, b, c.w_ab AS c_ab, c.w_ba AS c_ba, l.w_ab AS l_ab, l.w_ba AS l_ba
        FROM cnt_{s} c FULL JOIN ls_{s} l USING (a, b)
        WHERE c.w_ab IS DISTINCT FROM l.w_ab OR c.w_ba IS DISTINCT FROM l.w_ba""")
    n_diff = con.execute("SELECT count(*) FROM simd").fetchall()[0][0]
    if n_diff == 0:
        return ["no differences: same edges, same weights"]
    ddl(con, r"""
        CREATE OR REPLACE TABLE simmsg AS
        SELECT e.msg, e.usr, e.ts, t.text_norm,
               list_distinct(list_filter(regexp_split_to_array(coalesce(e.token_set, ''), '\s+'), lambda x: x <> '')) AS ct,
               list_distinct(list_filter(regexp_split_to_array(coalesce(t.text_norm, ''), '[^\p{L}\p{N}_]+'),
                                         lambda x: x <> '')) AS lt,
               t.text_norm IS NOT NULL AS has_norm
        FROM cnt_sim e JOIN lsp t ON t.msg = e.msg
        WHERE e.repost_id IS NULL AND e.usr IN (SELECT a FROM simd UNION SELECT b FROM simd)""")
    ddl(con, f"""
        CREATE OR REPLACE TABLE simpairs AS
        SELECT m1.usr AS u1, m2.usr AS u2, m1.msg AS msg1, m2.msg AS msg2, m1.text_norm AS t1, m2.text_norm AS t2,
               CASE WHEN len(m1.ct) = 0 OR len(m2.ct) = 0 THEN 0
                    ELSE len(list_intersect(m1.ct, m2.ct)) / len(list_distinct(list_concat(m1.ct, m2.ct))) END AS j_cnt,
               CASE WHEN NOT (m1.has_norm AND m2.has_norm) OR len(m1.lt) = 0 OR len(m2.lt) = 0 THEN 0
                    ELSE len(list_intersect(m1.lt, m2.lt)) / len(list_distinct(list_concat(m1.lt, m2.lt))) END AS j_ls
        FROM simmsg m1 JOIN simmsg m2 ON abs(m1.ts - m2.ts) <= {w} AND m1.usr <> m2.usr
        WHERE (least(m1.usr, m2.usr), greatest(m1.usr, m2.usr)) IN (SELECT (a, b) FROM simd)""")
    out = [f"{n_diff:,} account pairs differ (edge or weights); both rules re-run exactly on them:"]

    def reproduces(col: str, ab: str, ba: str) -> int:
        return con.execute(f"""
            WITH d AS (SELECT u1, u2, count(DISTINCT msg1) AS wt FROM simpairs WHERE {col} >= {thr} - 1e-9 GROUP BY ALL)
            SELECT count(*) FROM simd
            WHERE coalesce((SELECT wt FROM d WHERE u1 = a AND u2 = b), 0) = coalesce({ab}, 0)
              AND coalesce((SELECT wt FROM d WHERE u1 = b AND u2 = a), 0) = coalesce({ba}, 0)""").fetchall()[0][0]

    out.append(f"  CNT's Jaccard on CNT's tokens gives CNT's weights on {reproduces('j_cnt', 'c_ab', 'c_ba'):,} of {n_diff:,}")
    exact_cnt = reproduces("j_ls", "c_ab", "c_ba")
    exact_ls = reproduces("j_ls", "l_ab", "l_ba")
    out.append(f"  exact Jaccard on lockstep's words gives CNT's weights on {exact_cnt:,} and lockstep's on "
               f"{exact_ls:,} of {n_diff:,}: lockstep's weight is lower where MinHash-LSH missed a similar pair "
               "(seed-dependent; see lsh_bands)")
    missed = con.execute(f"""
        WITH d AS (SELECT u1, u2, count(DISTINCT msg1) AS wt FROM simpairs WHERE j_ls >= {thr} - 1e-9 GROUP BY ALL)
        SELECT sum(coalesce((SELECT wt FROM d WHERE u1 = a AND u2 = b), 0) - coalesce(l_ab, 0)) FROM simd
    """).fetchall()[0][0]
    from lockstep.detect import lsh_bands

    bands, rows = lsh_bands(thr, 64)
    out.append(f"  posts short of the exact count, from a's side, summed: {missed}; with {bands} bands x {rows} rows a pair "
               f"at J=0.82 is missed with probability {(1 - 0.82 ** rows) ** bands:.2%}, at J={thr} {(1 - thr ** rows) ** bands:.2%}")
    n_cnt_only, n_ls_only = con.execute(f"""
        SELECT count(*) FILTER (WHERE j_cnt >= {thr} - 1e-9 AND j_ls < {thr} - 1e-9),
               count(*) FILTER (WHERE j_ls >= {thr} - 1e-9 AND j_cnt < {thr} - 1e-9)
        FROM simpairs WHERE msg1 < msg2""").fetchall()[0]
    out.append(f"  post pairs similar only by CNT's tokens: {n_cnt_only:,}; only by lockstep's: {n_ls_only:,}"
               + (" (examples below)" if n_cnt_only + n_ls_only else ""))
    for t1, t2, jc, jl in con.execute(f"""
            SELECT t1, t2, j_cnt, j_ls FROM simpairs
            WHERE msg1 < msg2 AND (j_cnt >= {thr} - 1e-9) <> (j_ls >= {thr} - 1e-9)
            ORDER BY msg1, msg2 LIMIT 3""").fetchall():
        out.append(f"    CNT J={jc:.3f}, lockstep J={jl:.3f}: {str(t1)[:70]!r} / {str(t2)[:70]!r}")
    return out


EXPLAIN = {
    "co_retweet": explain_co_retweet,
    "co_tweet": explain_co_tweet,
    "co_link": explain_co_link,
    "co_similar_tweet": explain_co_similar,
}


def print_report(results: list[Comparison], cnt_steps: dict[str, Step], ls: LockstepRun,
                 args: argparse.Namespace, signals: tuple[str, ...]) -> None:
    print(f"\n== lockstep vs CNT {CNT_VERSION}: {args.rows:,} rows, window {args.window} s, 2 cores ==")
    if args.skip_cnt:
        print("(CNT's timings from an earlier run, --skip-cnt: ratios not from the same run)")
    print(f"ingest: CNT preprocess {fmt_s(cnt_steps['preprocess'].seconds)} s "
          f"({cnt_steps['preprocess'].status}), lockstep ingest {fmt_s(ls.ingest_seconds)} s")
    pre = cnt_steps["preprocess"].seconds
    print("per signal: detection only (CNT compute vs lockstep pair_counts), then end to end "
          "(CNT preprocess + compute vs lockstep ingest + pair_counts)")
    head = (f"{'signal':<18}{'CNT s':>9}{'ls s':>8}{'ratio':>9}{'CNT e2e':>10}{'ls e2e':>9}{'e2e ratio':>10}"
            f"{'both':>11}{'only CNT':>10}{'only ls':>9}{'same w':>11}")
    print(head)
    for c in results:
        st = "" if c.cnt.status == "ok" else f" ({c.cnt.status})"
        cnt_e2e = None if pre is None or c.cnt.seconds is None else pre + c.cnt.seconds
        ls_e2e = None if c.lockstep_seconds is None else ls.ingest_seconds + c.lockstep_seconds
        print(f"{c.signal:<18}{fmt_s(c.cnt.seconds) + st:>9}{fmt_s(c.lockstep_seconds):>8}"
              f"{ratio(c.cnt.seconds, c.lockstep_seconds):>9}{fmt_s(cnt_e2e):>10}{fmt_s(ls_e2e):>9}"
              f"{ratio(cnt_e2e, ls_e2e):>10}{c.both:>11,}{c.only_cnt:>10,}{c.only_lockstep:>9,}"
              f"{'-' if c.weights_equal is None else f'{c.weights_equal:,}':>11}")

    def total(names: tuple[str, ...], with_ingest: bool = True) -> tuple[float | None, float | None, str]:
        cnt_t = ([pre] if with_ingest else []) + [cnt_steps[n].seconds for n in names if n in cnt_steps]
        ls_t = ([ls.ingest_seconds] if with_ingest else []) + [ls.seconds.get(n) for n in names]
        bad = [n for n in ["preprocess", *names] if cnt_steps.get(n, Step(status="missing")).status != "ok"]
        if any(x is None for x in cnt_t + ls_t):
            return None, None, ""
        return sum(cnt_t), sum(ls_t), (f" (CNT lower bound: {', '.join(bad)} timed out)" if bad else "")

    for label, names, target in (("co-retweet + co-tweet + co-link", FIRST_THREE, 20),
                                 ("near-identical text", ("co_similar_tweet",), 100),
                                 ("all four signals", SIGNALS, None)):
        if not all(n in signals for n in names):
            continue
        a, b, note = total(names)
        goal = f" (target {target}x)" if target else ""
        print(f"end to end, {label} (ingest counted once): CNT {fmt_s(a)} s, lockstep {fmt_s(b)} s, "
              f"{ratio(a, b)}{goal}{note}")
        a, b, note = total(names, with_ingest=False)
        print(f"  detection only, {label}: CNT {fmt_s(a)} s, lockstep {fmt_s(b)} s, {ratio(a, b)}{note}")
    print("\nwhere the edge sets differ, and why (each step changes one ingredient of CNT's rule):")
    for c in results:
        print(f"- {c.signal}:")
        for n in c.notes:
            print(f"    {n}")
    for n in ls.notes:
        print(f"  lockstep note: {n}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--window", type=int, default=60, help="seconds, for every signal and both tools")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--similarity", type=float, default=0.8, help="CNT's --similarity_threshold (its CLI default)")
    ap.add_argument("--cnt-timeout", type=float, default=3600, help="seconds per CNT step")
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "lockstep-bench" / "vs_cnt")
    ap.add_argument("--signals", default=",".join(SIGNALS))
    ap.add_argument("--skip-cnt", action="store_true",
                    help="reuse the CNT database and timings of the last run (for the edge sets: the ratios are then "
                         "not same-run ratios, and the report says so)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run lockstep this many times (each from a fresh workspace) and report the median of each "
                         "step: on a shared machine one run can be off by a second")
    args = ap.parse_args(argv)
    signals = tuple(s for s in args.signals.split(",") if s)
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)

    exe = ensure_cnt(work / "cnt-venv")
    csv = work / f"cnt_{args.rows}_s{args.seed}_w{args.window}.csv"
    if not csv.exists():
        t = time.perf_counter()
        truth = write_cnt_csv(csv, args.rows, seed=args.seed, window=args.window)
        print(f"wrote {csv} ({csv.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s: "
              f"{truth.n_rows:,} rows, {truth.n_accounts:,} accounts, {truth.span_seconds / 86400:.1f} days, "
              f"{len(truth.groups)} planted groups ({truth.n_planted_rows:,} rows); kinds {truth.kinds}")

    db = work / f"cnt_{args.rows}_s{args.seed}_w{args.window}.db"
    timings = work / f"cnt_{args.rows}_s{args.seed}_w{args.window}.timings"
    print(f"CNT {CNT_VERSION} on {csv.name} (window {args.window} s):")
    if args.skip_cnt and timings.exists():
        cnt_steps = {k: Step(None if v == "None" else float(v), st)
                     for k, v, st in (line.split() for line in timings.read_text().splitlines())}
        # A ratio is only as good as the two timings' conditions: CNT timed at another time, on a
        # differently loaded machine, gave ratios 2-3x too high in an earlier session.
        when = datetime.fromtimestamp(timings.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")
        print(f"  CNT's timings reused from an earlier run ({when}): the ratios below are NOT same-run "
              "ratios; run without --skip-cnt for those (CNT's steps take ~3 minutes at 1M rows)")
    else:
        cnt_steps = run_cnt(exe, csv, db, args.window, signals, args.cnt_timeout, work / "cnt.log")
        timings.write_text("".join(f"{k} {v.seconds} {v.status}\n" for k, v in cnt_steps.items()))

    print("lockstep on the same file:")
    warm = warm_up(csv, work / "lockstep-ws", args.window, args.similarity, signals)
    print(f"  (warm-up on 5,000 rows spread over the file, untimed: {warm:.1f} s; in a fresh checkout most of it is numba compiling "
          "lockstep's kernels once, cached after)")
    runs = [run_lockstep(csv, work / "lockstep-ws", args.window, args.similarity, signals)
            for _ in range(max(1, args.repeat))]
    ls = median_run(runs)

    con = duckdb.connect()
    ddl(con, "SET threads = 2")
    results = compare(con, db, work, ls, cnt_steps, args, signals)
    print_report(results, cnt_steps, ls, args, signals)
    return 0


if __name__ == "__main__":
    sys.exit(main())
