"""Peak memory of `lockstep ingest` over a generated file several times larger than the bound.

    python bench/memory_bound.py --mb 2000 --bound-mb 600 --duckdb-limit 128MB   # 518 MB, 96 s (2026-11-29)
    python bench/memory_bound.py --mb 48,200,400,800 --duckdb-limit 128MB   # peak against file size

Writes a canonical CSV of ordinary posts (about 300 bytes a row) of ``--mb`` megabytes (several
sizes: one after the other, each file removed after its run), ingests it in a child process
(DuckDB memory limit ``--duckdb-limit``), samples the child's RSS every 0.2 s with psutil, and
prints the peak against the bound and the ratio file size / bound. Exits 1 when a peak exceeds
the bound.

Compare peaks at the same ``--duckdb-limit`` only: DuckDB keeps up to about its limit of the
streamed posts in memory before writing them out, so the limit moves the peak one for one
(800 MB file: ~510 MB with 128MB, ~640 MB with 256MB). Measured (128MB, 2 threads): 48 MB → 460,
200 → 495, 400 → 495, 800 → 510 MB; a small file ends before DuckDB's buffers fill, past ~200 MB
the peak is flat.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

CHILD = """
import sys
from lockstep import Workspace
with Workspace(sys.argv[1], memory_limit=sys.argv[3], threads=2) as ws:
    r = ws.ingest(sys.argv[2])
print(sum(x.n_read for x in r))
"""


def write(path: Path, mb: int, seed: int = 0) -> int:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(20_000)] + ["#vote", "@news", "https://ex.com/a?utm_source=x"]
    target, n = mb * 1024 * 1024, 0
    with path.open("w", encoding="utf-8") as f:
        f.write("platform,post_id,account_id,created_at,kind,text,handle\n")
        while f.tell() < target:
            block = []
            for _ in range(10_000):
                text = " ".join(rng.choices(words, k=30))
                block.append(f"twitter,{n},acc{n % 50_000},2024-03-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:{n % 59:02d}Z,"
                             f"post,{text},h{n % 50_000}\n")
                n += 1
            f.write("".join(block))
    return n


def measure(path: Path, workspace: Path, duckdb_limit: str) -> tuple[int, float, str]:
    """Peak RSS in bytes of a child process ingesting ``path``, its wall time and its output."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(workspace), str(path), duckdb_limit],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            peak = max(peak, ps.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.2)
    out, err = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"ingest failed: {err}")
    return peak, time.perf_counter() - t0, out.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", default="2000", help="size of the generated file in MB (or sizes: 48,200,400)")
    ap.add_argument("--bound-mb", type=int, default=600, help="the stated peak-RSS bound in MB")
    ap.add_argument("--duckdb-limit", default="256MB")
    ap.add_argument("--dir", default=None, help="scratch directory (default: a temporary one)")
    args = ap.parse_args()
    sizes = [int(x) for x in str(args.mb).split(",") if x.strip()]
    ok = True
    for mb in sizes:
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            path = Path(tmp) / "posts.csv"
            t0 = time.perf_counter()
            rows = write(path, mb)
            size = path.stat().st_size
            print(f"generated {size / 2**20:,.0f} MB, {rows:,} rows in {time.perf_counter() - t0:.0f} s")
            peak, seconds, out = measure(path, Path(tmp) / "ws", args.duckdb_limit)
            print(f"ingested {out} rows in {seconds:.0f} s ({rows / seconds:,.0f} rows/s)")
            print(f"peak RSS {peak / 2**20:,.0f} MB; bound {args.bound_mb} MB; file / bound = {size / 2**20 / args.bound_mb:.1f}"
                  f" (DuckDB limit {args.duckdb_limit})")
            ok = ok and peak <= args.bound_mb * 2**20
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
