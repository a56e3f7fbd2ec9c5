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

Targets: lockstep at least 20x faster end to end (ingest included) on co-retweet, co-tweet and
co-link together, at least 100x on near-identical text.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _synth import write_cnt_csv  # noqa: E402

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


def cnt_similarity_module(venv: Path) -> Any:
    """CNT's own similarity.py (tokenizer and Jaccard), loaded from its venv (needs ``regex``)."""
    path = next(venv.glob("lib/python*/site-packages/coordination_network_toolkit/similarity.py"))
    spec = importlib.util.spec_from_file_location("cnt_similarity", path)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


# --- CNT's counting rule, re-run in DuckDB ----------------------------------------------------

def cnt_rule(con: duckdb.DuckDBPyConnection, events: str, window: int, out: str) -> None:
    """CNT's weight, from an events table (msg, usr, key, ts), into table ``out`` (u1, u2, weight).

    CNT: ``count(DISTINCT e_1.message_id)`` over ``e_1 JOIN e_2 ON key AND e_2.ts BETWEEN e_1.ts -
    w AND e_1.ts + w`` grouped by (e_1.user, e_2.user): directed, the number of u1's messages
    that have a u2 message on the same key within the window. Self-loops dropped. The join runs
    on (key, time bucket) so that one huge key (CNT's empty URL) is not a cartesian product.
    """
    con.execute(f"""
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
    con.execute(f"""
        CREATE OR REPLACE TABLE {out} AS
        SELECT least(u1, u2) AS a, greatest(u1, u2) AS b,
               max(weight) FILTER (WHERE u1 < u2) AS w_ab, max(weight) FILTER (WHERE u1 > u2) AS w_ba
        FROM {directed} GROUP BY ALL
    """)


def diff_counts(con: duckdb.DuckDBPyConnection, left: str, right: str) -> tuple[int, int, int]:
    """(both, only left, only right) over unordered pairs (a, b)."""
    both = con.execute(f"SELECT count(*) FROM {left} SEMI JOIN {right} USING (a, b)").fetchone()[0]
    only_l = con.execute(f"SELECT count(*) FROM {left} ANTI JOIN {right} USING (a, b)").fetchone()[0]
    only_r = con.execute(f"SELECT count(*) FROM {right} ANTI JOIN {left} USING (a, b)").fetchone()[0]
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--window", type=int, default=60, help="seconds, for every signal and both tools")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--similarity", type=float, default=0.8, help="CNT's --similarity_threshold (its CLI default)")
    ap.add_argument("--cnt-timeout", type=float, default=3600, help="seconds per CNT step")
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "lockstep-bench" / "vs_cnt")
    ap.add_argument("--signals", default=",".join(SIGNALS))
    ap.add_argument("--skip-cnt", action="store_true", help="reuse the CNT database and timings of the last run")
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
    else:
        cnt_steps = run_cnt(exe, csv, db, args.window, signals, args.cnt_timeout, work / "cnt.log")
        timings.write_text("".join(f"{k} {v.seconds} {v.status}\n" for k, v in cnt_steps.items()))

    print("lockstep on the same file:")
    ls = run_lockstep(csv, work / "lockstep-ws", args.window, args.similarity, signals)

    con = duckdb.connect()
    con.execute("SET threads = 2")
    results = compare(con, db, work, ls, cnt_steps, args, signals)
    print_report(results, cnt_steps, ls, args, signals)
    return 0


if __name__ == "__main__":
    sys.exit(main())
