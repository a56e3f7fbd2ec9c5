"""The columnar ingest fast path on CNT's 8-column CSV: seconds, peak RSS, and ratios.

Prints, for the same file, each run in a fresh subprocess (so peak RSS is its own):

- lockstep ingest with the columnar fast path (the default), end to end (digest, read,
  normalise, write the workspace), with its stage breakdown;
- DuckDB's bare ``read_csv`` of the file into a table (all VARCHAR, no normalisation): the floor
  of what loading can cost;
- lockstep ingest with the per-row path (``LOCKSTEP_INGEST_COLUMNAR=0``), unless ``--no-rows``;
- CNT 1.5.2's own ``preprocess`` time on the same 1M-row file (measured by bench/vs_cnt.py).

Target (issue #3): the 1M-row file ingested in at most 4 s on 2 cores.

Usage::

    flock /tmp/lockstep-bench.lock .venv/bin/python bench/ingest_columnar.py [--rows 1000000] [--no-rows]

The file is ``/tmp/lockstep-bench/vs_cnt/cnt_<rows>_s0_w60.csv``, written by bench/_synth.py when
absent (the same bytes bench/vs_cnt.py uses).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 4.0
CNT_PREPROCESS_1M = 27.6  # seconds, CNT 1.5.2 `preprocess` of the 1M file (bench/vs_cnt.py)

_INGEST = """
import json, resource, sys, time
import lockstep
t = time.perf_counter()
res = lockstep.ingest([sys.argv[1]], workspace=sys.argv[2], format="cnt")
sec = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": sec, "rss_mb": ru.ru_maxrss / 1024, "cpu": ru.ru_utime + ru.ru_stime,
                  "results": [r.as_dict() for r in res]}))
"""

_READ_CSV = """
import duckdb, json, resource, sys, time
t = time.perf_counter()
con = duckdb.connect(sys.argv[2] + "/ref.duckdb")
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar=true)", [sys.argv[1]])
n = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
con.close()
print(json.dumps({"seconds": time.perf_counter() - t, "rows": n,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_child(code: str, *args: str, env: dict[str, str] | None = None) -> dict:
    p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                       env={**os.environ, **(env or {})})
    if p.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--no-rows", action="store_true", help="skip the per-row path (about 100 s at 1M rows)")
    ap.add_argument("--repeat", type=int, default=1, help="fast-path runs (the best is reported)")
    args = ap.parse_args()
    path = Path(f"/tmp/lockstep-bench/vs_cnt/cnt_{args.rows}_s0_w60.csv")
    if not path.exists():
        sys.path.insert(0, str(ROOT / "bench"))
        from _synth import write_cnt_csv

        path.parent.mkdir(parents=True, exist_ok=True)
        write_cnt_csv(path, args.rows, seed=0, window=60)
    print(f"python {sys.version.split()[0]}, cores {len(os.sched_getaffinity(0))}, "
          f"file {path} ({path.stat().st_size / 1e6:,.0f} MB)")

    fast_runs = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            fast_runs.append(run_child(_INGEST, str(path), tmp + "/ws"))
    fast = min(fast_runs, key=lambda r: r["seconds"])
    [res] = fast["results"]
    assert res["columnar"], "the fast path did not take the file"
    sec = fast["seconds"]
    print(f"lockstep ingest, columnar: {sec:.2f} s ({res['n_read'] / sec:,.0f} rows/s, CPU {fast['cpu']:.1f} s "
          f"incl. imports), peak RSS "
          f"{fast['rss_mb']:,.0f} MB; read {res['n_read']:,} = accepted {res['n_accepted']:,} + duplicates "
          f"{res['n_duplicates']:,} + rejected {res['n_rejected']:,}"
          + ("  [runs: " + ", ".join(f"{r['seconds']:.2f}" for r in fast_runs) + "]" if args.repeat > 1 else ""))
    print(f"  target {TARGET_SECONDS:.0f} s: {sec / TARGET_SECONDS:.2f}x of budget")
    if args.rows == 1_000_000:
        print(f"  CNT 1.5.2 preprocess of the same file: {CNT_PREPROCESS_1M:.1f} s -> lockstep ingest is "
              f"{CNT_PREPROCESS_1M / sec:.1f}x faster")

    with tempfile.TemporaryDirectory() as tmp:
        ref = run_child(_READ_CSV, str(path), tmp)
    print(f"DuckDB bare read_csv into a table (no normalisation): {ref['seconds']:.2f} s, {ref['rows']:,} rows, "
          f"peak RSS {ref['rss_mb']:,.0f} MB")
    print(f"  columnar ingest / bare read_csv: {sec / ref['seconds']:.2f}x")

    if not args.no_rows:
        with tempfile.TemporaryDirectory() as tmp:
            rows = run_child(_INGEST, str(path), tmp + "/ws", env={"LOCKSTEP_INGEST_COLUMNAR": "0"})
        [r] = rows["results"]
        assert not r["columnar"]
        print(f"lockstep ingest, per-row path: {rows['seconds']:.1f} s (CPU {rows['cpu']:.1f} s), "
              f"peak RSS {rows['rss_mb']:,.0f} MB")
        print(f"  per-row / columnar: {rows['seconds'] / sec:.1f}x")


if __name__ == "__main__":
    main()
