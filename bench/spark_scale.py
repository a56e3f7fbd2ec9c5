"""Spark engine scaling curve beside DuckDB: time and peak memory at 1M, 2M, 4M, 8M posts.

Generates ``lockstep.simulate`` scenario ``default`` at each size (cached in ``--workdir``),
ingests it into a workspace, writes the posts as Parquet, then runs ``lockstep.detect`` (every
signal the Spark engine supports, i.e. all but near-text) once on DuckDB and once on Spark
``--master`` (default ``local[2]``), each in a fresh subprocess. Prints seconds, peak RSS of the
Python process and of the Spark JVM (driver = executor in local mode), posts per second per core
and the Spark/DuckDB time ratio, and checks that both engines found the same edges.

Usage: ``.venv/bin/python bench/spark_scale.py [--sizes 1000000,2000000] [--master local[2]]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

SIGNALS = "co-repost,co-link,co-reply,co-hashtag,co-mention,identical-text,synchronous,co-media"

_CHILD = r"""
import hashlib, json, resource, sys, time
import lockstep
ws_path, engine, master, parquet, signals = sys.argv[1:6]
with lockstep.Workspace(ws_path) as ws:
    if engine == "spark":
        from lockstep.engines import SparkEngine
        eng = SparkEngine(ws, master=master, posts=parquet,
                          conf={"spark.driver.memory": "4g", "spark.sql.shuffle.partitions": "8"})
    else:
        eng = "duckdb"
        ws.con.execute("SET threads = 2")
    t = time.perf_counter()
    det = lockstep.detect(ws, signals, write=False, seed=0, engine=eng)
    seconds = time.perf_counter() - t
jvm_mb = 0
if engine == "spark":  # the Spark JVM (driver and executor in local mode): its peak RSS (VmHWM)
    from pyspark import SparkContext
    with open(f"/proc/{SparkContext._gateway.proc.pid}/status") as f:
        jvm_mb = next(int(x.split()[1]) // 1024 for x in f if x.startswith("VmHWM"))
keys = sorted((r["signal"], r["account_a"], r["account_b"], r["n_pairs"]) for r in det.coaction_edges_.to_pylist())
print(json.dumps({
    "engine": engine, "posts": det.n_posts_, "seconds": round(seconds, 1),
    "peak_rss_mb_python": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    "peak_rss_mb_jvm": jvm_mb,
    "edges": len(keys), "edge_keys": hashlib.sha256(repr(keys).encode()).hexdigest(),
    "clusters": det.cluster_scores_.num_rows,
}))
"""


def _prepare(n: int, workdir: Path) -> tuple[Path, Path]:
    import lockstep
    from lockstep.simulate import simulate

    ws_path = workdir / f"ws_{n}"
    parquet = workdir / f"posts_{n}.parquet"
    if not (ws_path / "lockstep.duckdb").exists():
        src = workdir / f"sim_{n}.parquet"
        simulate("default", n_posts=n, seed=0).write(src)
        with lockstep.Workspace(ws_path) as ws:
            ws.ingest([src])
    if not parquet.exists():
        with lockstep.Workspace(ws_path) as ws:
            ws.con.execute(f"COPY posts TO '{parquet}' (FORMAT parquet)")
    return ws_path, parquet


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000000,2000000,4000000,8000000")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--workdir", default=os.environ.get("TMPDIR", "/tmp") + "/lockstep_spark_scale")
    args = ap.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    cores = int(args.master[6:-1]) if args.master.startswith("local[") and args.master[6:-1].isdigit() else 2
    for n in (int(s) for s in args.sizes.split(",")):
        ws_path, parquet = _prepare(n, workdir)
        res = {}
        for engine in ("duckdb", "spark"):
            out = subprocess.run(
                [sys.executable, "-c", _CHILD, str(ws_path), engine, args.master, str(parquet), SIGNALS],
                capture_output=True, text=True, check=True,
            )
            res[engine] = json.loads(out.stdout.strip().splitlines()[-1])
        d, s = res["duckdb"], res["spark"]
        print(json.dumps({
            "posts": n, "duckdb_s": d["seconds"], "spark_s": s["seconds"],
            "spark_over_duckdb": round(s["seconds"] / max(d["seconds"], 0.1), 2),
            "duckdb_peak_mb": d["peak_rss_mb_python"],
            "spark_peak_mb_driver_python": s["peak_rss_mb_python"], "spark_peak_mb_jvm": s["peak_rss_mb_jvm"],
            "spark_posts_per_core_s": round(n / s["seconds"] / cores),
            "same_edges": d["edge_keys"] == s["edge_keys"],
            "edges": d["edges"], "clusters": [d["clusters"], s["clusters"]],
        }), flush=True)


if __name__ == "__main__":
    main()
