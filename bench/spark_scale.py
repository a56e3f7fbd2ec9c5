"""Spark engine scaling curve beside DuckDB, and the task-time skew of a heavy object.

``curve`` (default): the simulated ``default`` scenario at ``--base`` posts (cached in
``--workdir``) is repeated k = 1, 2, 4, 8 times, each copy shifted by the scenario's span (14
days) with suffixed post ids: k months of the same accounts, ~k times the posts and the pairs. Each
size is written as Parquet (one file per copy) and loaded into a DuckDB workspace; then
``lockstep.detect`` (every signal the Spark engine runs: all but near-text) runs once on DuckDB (2
threads) and once on Spark ``--master`` (posts read from the Parquet), each in a fresh subprocess,
the shared bench lock held per run. Prints seconds, pairs formed (Σ over signals of the band-join
pairs), seconds per million pairs, and peak RSS: the DuckDB process; Spark's Python driver and
its JVM (driver = executor in local mode), polled with psutil over the process tree, and the
JVM's own high-water mark (VmHWM). Checks both engines found the same edges.

``skew``: the 200k-post scenario plus one post reposted by ``--viral`` accounts inside one window,
co-repost only, on Spark with and without splitting heavy keys (``skew_split_rows``). From Spark's
event log: the band-join stage's task count, max and median executor run time and their ratio,
and the wall time of the pairs step.

Usage::

    .venv/bin/python bench/spark_scale.py curve --sizes 1,2,4,8 [--lock /tmp/lockstep-bench.lock]
    .venv/bin/python bench/spark_scale.py skew [--viral 6000]
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

SIGNALS = "co-repost,co-link,co-reply,co-hashtag,co-mention,identical-text,synchronous,co-media"
SPAN_DAYS = 14  # the default scenario's span: copies are shifted by it

_CHILD = r"""
import hashlib, json, resource, sys, time
import lockstep
ws_path, engine, master, parquet, signals, conf = sys.argv[1:7]
conf = json.loads(conf)
with lockstep.Workspace(ws_path, memory_limit=conf.pop("duckdb_memory", None)) as ws:
    if engine == "spark":
        from lockstep.engines import SparkEngine
        eng = SparkEngine(ws, master=master, posts=parquet, conf=conf)
        eng.spark  # session start-up is not part of the measured time
    else:
        eng = "duckdb"
        ws.con.execute("SET threads = 2")
    t = time.perf_counter()
    det = lockstep.detect(ws, signals, write=False, seed=0, engine=eng)
    seconds = time.perf_counter() - t
jvm_hwm_mb = 0
if engine == "spark":
    from pyspark import SparkContext
    with open(f"/proc/{SparkContext._gateway.proc.pid}/status") as f:
        jvm_hwm_mb = next(int(x.split()[1]) // 1024 for x in f if x.startswith("VmHWM"))
keys = sorted((r["signal"], r["account_a"], r["account_b"], r["n_pairs"]) for r in det.coaction_edges_.to_pylist())
print(json.dumps({
    "engine": engine, "posts": det.n_posts_, "seconds": round(seconds, 1),
    "pairs": int(sum(getattr(d, "n_pairs_", 0) or 0 for d in det.detectors_.values())),
    "python_hwm_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    "jvm_hwm_mb": jvm_hwm_mb,
    "edges": len(keys), "edge_keys": hashlib.sha256(repr(keys).encode()).hexdigest(),
    "clusters": det.cluster_scores_.num_rows,
}))
"""


@contextlib.contextmanager
def _lock(path: str | None):
    if not path:
        yield
        return
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _run_measured(cmd: list[str]) -> tuple[str, dict[str, int]]:
    """Run ``cmd``; its stdout and the peak RSS (MB) of the Python process, the JVMs and the tree."""
    import psutil

    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = {"python_mb": 0, "jvm_mb": 0, "tree_mb": 0, "cpu_s": 0}
    done = threading.Event()
    cpu: dict[int, float] = {}  # last CPU seconds seen per process of the tree

    def poll() -> None:
        root = psutil.Process(proc.pid)
        while not done.is_set():
            with contextlib.suppress(psutil.Error):
                py = root.memory_info().rss
                t = root.cpu_times()
                cpu[root.pid] = t.user + t.system
                jvm = 0
                for c in root.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        t = c.cpu_times()
                        cpu[c.pid] = t.user + t.system
                        if "java" in c.name():
                            jvm += c.memory_info().rss
                mb = 1 << 20
                peak["python_mb"] = max(peak["python_mb"], py // mb)
                peak["jvm_mb"] = max(peak["jvm_mb"], jvm // mb)
                peak["tree_mb"] = max(peak["tree_mb"], (py + jvm) // mb)
            time.sleep(0.25)

    t = threading.Thread(target=poll, daemon=True)
    t.start()
    out, err = proc.communicate()
    done.set()
    t.join()
    # CPU seconds of the whole tree (sampled every 0.25 s): the load-independent cost of a run.
    peak["cpu_s"] = round(sum(cpu.values()), 1)
    if proc.returncode:
        raise RuntimeError(f"{cmd[:3]} failed ({proc.returncode}):\n{err[-4000:]}")
    return out, peak


def _base(n: int, workdir: Path, lock: str | None) -> Path:
    """The canonical posts of the simulated scenario at ``n`` posts, as Parquet (cached)."""
    import lockstep
    from lockstep.simulate import simulate

    parquet = workdir / f"posts_{n}.parquet"
    if parquet.exists():
        return parquet
    with _lock(lock):
        src, ws_path = workdir / f"sim_{n}.parquet", workdir / f"ws_{n}"
        simulate("default", n_posts=n, seed=0).write(src)
        with lockstep.Workspace(ws_path) as ws:
            ws.ingest([src])
            ws.con.execute(f"COPY posts TO '{parquet}' (FORMAT parquet)")
    return parquet


def _tiled(base: Path, k: int, workdir: Path) -> tuple[Path, Path]:
    """k time-shifted copies of ``base``: a Parquet directory and a workspace holding the same posts."""
    import duckdb

    import lockstep

    tag = f"{base.stem}_x{k}"
    pq_dir, ws_path = workdir / f"{tag}_parquet", workdir / f"{tag}_ws"
    if not (pq_dir / "_done").exists():
        pq_dir.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect()
        for i in range(k):
            sfx = f"'~{i}'" if i else "''"
            con.execute(f"""COPY (SELECT * REPLACE (
                post_id || {sfx} AS post_id, repost_of || {sfx} AS repost_of, reply_to || {sfx} AS reply_to,
                quote_of || {sfx} AS quote_of, created_at + INTERVAL {i * SPAN_DAYS} DAY AS created_at)
                FROM read_parquet('{base}')) TO '{pq_dir}/part-{i:03d}.parquet' (FORMAT parquet)""")
        (pq_dir / "_done").touch()
    if not (ws_path / "_done").exists():
        with lockstep.Workspace(ws_path) as ws:
            ws.con.execute("DELETE FROM posts")
            ws.con.execute(f"INSERT INTO posts BY NAME SELECT * FROM read_parquet('{pq_dir}/*.parquet')")
        (ws_path / "_done").touch()
    return pq_dir, ws_path


def _grown(n: int, workdir: Path) -> tuple[Path, Path]:
    """The simulated ``default`` scenario asked for ``n`` posts (accounts grow with the posts, same
    14 days): its canonical posts as Parquet and a workspace loaded from them (cached)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from detect_scale import load_direct
    from lockstep.simulate import simulate

    d = workdir / f"grow_{n}"
    parquet, ws_path = d / "posts_canonical.parquet", d / "ws"
    if not (d / "_done").exists():
        import shutil

        import lockstep

        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        simulate("default", n_posts=n, seed=0).write(d / "sim.parquet")
        load_direct(d / "sim.parquet", ws_path)
        with lockstep.Workspace(ws_path) as ws:
            ws.con.execute(f"COPY posts TO '{parquet}' (FORMAT parquet)")
        (d / "_done").touch()
    return parquet, ws_path


def curve(args: argparse.Namespace) -> None:
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    cores = int(args.master[6:-1]) if args.master.startswith("local[") and args.master[6:-1].isdigit() else 2
    base = _base(args.base, workdir, args.lock) if args.grow == "time" else None
    conf = {"spark.driver.memory": args.driver_memory, "spark.sql.shuffle.partitions": str(args.partitions)}
    # The lock is held per group of sizes ("1+2,4,8": 1 and 2 together), both engines of a size
    # measured under the same conditions.
    for group in args.sizes.split(","):
        with _lock(args.lock):
            for k in (int(x) for x in group.split("+")):
                _measure_size(args, base, k, workdir, conf, cores)


def _measure_size(args: argparse.Namespace, base: Path | None, k: int, workdir: Path, conf: dict, cores: int) -> None:
    """Both engines on k copies of ``base``; prints one JSON line."""
    res = {}
    pq_dir, ws_path = _tiled(base, k, workdir) if args.grow == "time" else _grown(args.base * k, workdir)
    load = os.getloadavg()[0]
    for engine in ("duckdb", "spark"):
        c = dict(conf) if engine == "spark" else {"duckdb_memory": args.duckdb_memory}
        out, peak = _run_measured([sys.executable, "-c", _CHILD, str(ws_path), engine, args.master,
                                   str(pq_dir), SIGNALS, json.dumps(c)])
        res[engine] = {**json.loads(out.strip().splitlines()[-1]), **peak}
    load = [round(load, 1), round(os.getloadavg()[0], 1)]
    d, s = res["duckdb"], res["spark"]
    pairs_m = max(d["pairs"], 1) / 1e6
    print(json.dumps({
        "grow": args.grow, "posts": d["posts"], "pairs": d["pairs"], "edges": d["edges"],
        "duckdb_s": d["seconds"], "spark_s": s["seconds"],
        "duckdb_cpu_s_process": d["cpu_s"], "spark_cpu_s_process": s["cpu_s"],
        "spark_over_duckdb": round(s["seconds"] / max(d["seconds"], 0.1), 2),
        "duckdb_s_per_m_pairs": round(d["seconds"] / pairs_m, 2),
        "spark_s_per_m_pairs": round(s["seconds"] / pairs_m, 2),
        "duckdb_peak_mb": d["python_mb"], "duckdb_hwm_mb": d["python_hwm_mb"],
        "spark_driver_python_peak_mb": s["python_mb"], "spark_jvm_peak_mb": s["jvm_mb"],
        "spark_jvm_hwm_mb": s["jvm_hwm_mb"], "spark_tree_peak_mb": s["tree_mb"],
        "spark_posts_per_core_s": round(d["posts"] / s["seconds"] / cores),
        "same_pairs": d["pairs"] == s["pairs"], "same_edges": d["edge_keys"] == s["edge_keys"],
        "clusters": [d["clusters"], s["clusters"]], "load_avg_before_after": load,
    }), flush=True)


_SKEW_CHILD = r"""
import json, sys, time
import lockstep
from lockstep.engines import SparkEngine
ws_path, parquet, master, split, logdir = sys.argv[1:6]
eng = SparkEngine(master=master, posts=parquet, skew_split_rows=None if split == "none" else int(split), conf={
    "spark.driver.memory": "4g", "spark.sql.shuffle.partitions": "8",
    # As on a cluster, where a large input keeps its partitions: the heavy key is one of 8.
    "spark.sql.adaptive.coalescePartitions.enabled": "false",
    "spark.eventLog.enabled": "true", "spark.eventLog.compress": "false", "spark.eventLog.dir": "file://" + logdir})
app = eng.spark.sparkContext.applicationId
with lockstep.Workspace(ws_path) as ws:
    t = time.perf_counter()
    det = lockstep.detect(ws, "co-repost", window="60s", write=False, cluster=False, engine=eng,
                          options={"co-repost": {"max_pairs_per_object": None}})
    seconds = time.perf_counter() - t
pairs = det.detectors_["co-repost"].n_pairs_
eng.spark.stop()
print(json.dumps({"app": app, "seconds": round(seconds, 1), "pairs": pairs, "splits": eng.skew_splits_}))
"""


def _event_lines(logdir: Path, app: str):
    """The event log lines of application ``app`` (one file, or Spark 4's rolling eventlog_v2_ directory)."""
    files = sorted(p for p in logdir.rglob("*") if p.is_file() and app in str(p) and "appstatus" not in p.name)
    files.sort(key=lambda p: int(p.name.split("_")[1]) if p.name.startswith("events_") else 0)
    for path in files:
        with open(path) as f:
            yield from f


def _stage_skew(lines, description: str) -> dict[str, object]:
    """Task times of the jobs described ``description``: per stage, and the stage with the most work."""
    stages: set[int] = set()
    jobs: dict[int, list[float]] = {}
    tasks: dict[int, list[float]] = {}
    for line in lines:
        ev = json.loads(line)
        kind = ev.get("Event")
        if kind == "SparkListenerJobStart" and (ev.get("Properties") or {}).get("spark.job.description") == description:
            stages.update(ev["Stage IDs"])
            jobs[ev["Job ID"]] = [ev["Submission Time"]]
        elif kind == "SparkListenerJobEnd" and ev["Job ID"] in jobs:
            jobs[ev["Job ID"]].append(ev["Completion Time"])
        elif kind == "SparkListenerTaskEnd" and ev["Stage ID"] in stages:
            tasks.setdefault(ev["Stage ID"], []).append(ev["Task Metrics"]["Executor Run Time"] / 1000)
    def one(times: list[float]) -> dict[str, float]:
        med = statistics.median(times)
        return {"tasks": len(times), "max_task_s": round(max(times), 2), "median_task_s": round(med, 2),
                "max_over_median": round(max(times) / max(med, 1e-3), 1),
                "max_share_of_stage": round(max(times) / max(sum(times), 1e-3), 2)}
    _, times = max(tasks.items(), key=lambda kv: sum(kv[1]))
    wall = (max(t[-1] for t in jobs.values()) - min(t[0] for t in jobs.values())) / 1000
    return {"step_wall_s": round(wall, 1), "join_stage": one(times),
            "stages": {k: one(v) for k, v in sorted(tasks.items())}}


def skew(args: argparse.Namespace) -> None:
    import duckdb

    import lockstep

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    base = _base(200_000, workdir, args.lock)
    parquet = workdir / f"skew_{args.viral}.parquet"
    if not parquet.exists():
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        # One post reposted by `viral` accounts within 30 s of one whole minute (one band-join key).
        con.execute(f"""COPY (
            SELECT * FROM read_parquet('{base}')
            UNION ALL BY NAME
            SELECT 'twitter' AS platform, 'viral-' || i AS post_id, 'fan' || i AS account_id,
                   TIMESTAMPTZ '2024-03-10 12:00:00+00' + to_microseconds(CAST(i * 30000000 // {args.viral} AS BIGINT)) AS created_at,
                   'repost' AS kind, 'the-viral-post' AS repost_of, 'bench' AS source_file
            FROM range({args.viral}) AS r(i)) TO '{parquet}' (FORMAT parquet)""")
    logdir = workdir / "eventlog"
    logdir.mkdir(exist_ok=True)
    with _lock(args.lock):  # both runs under the same conditions
        runs = []
        for split in ("none", str(args.split_rows)):
            ws_path = workdir / f"skew_ws_{split}"
            lockstep.Workspace(ws_path).close()
            runs.append((split, *_run_measured([sys.executable, "-c", _SKEW_CHILD, str(ws_path), str(parquet),
                                                args.master, split, str(logdir)])))
    for split, out, peak in runs:
        r = json.loads(out.strip().splitlines()[-1])
        print(json.dumps({
            "skew_split_rows": None if split == "none" else int(split), "viral_reposts": args.viral,
            "detect_s": r["seconds"], "pairs": r["pairs"], "splits": r["splits"],
            "band_join": _stage_skew(_event_lines(logdir, r["app"]), "lockstep: ls_co_repost_pairs"), "jvm_peak_mb": peak["jvm_mb"],
        }), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", nargs="?", default="curve", choices=["curve", "skew", "both"])
    ap.add_argument("--sizes", default="1,2,4,8", help="Copies of the base scenario (curve).")
    ap.add_argument("--base", type=int, default=1_000_000, help="Posts of the base scenario (curve).")
    ap.add_argument("--grow", choices=("accounts", "time"), default="accounts",
                    help="How the data grows (curve): 'accounts': the scenario simulated at k x base posts "
                         "(k x the accounts, same 14 days); 'time': k copies of base shifted by 14 days "
                         "(the same accounts, k x as long).")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=16, help="spark.sql.shuffle.partitions (curve).")
    ap.add_argument("--driver-memory", default="6g")
    ap.add_argument("--duckdb-memory", default="8GB")
    ap.add_argument("--viral", type=int, default=6000, help="Accounts reposting the one viral post (skew).")
    ap.add_argument("--split-rows", type=int, default=1000, help="skew_split_rows of the split run (skew).")
    ap.add_argument("--lock", default="/tmp/lockstep-bench.lock", help="Shared bench lock, held per run ('' for none).")
    ap.add_argument("--workdir", default=os.environ.get("TMPDIR", "/tmp") + "/lockstep_spark_scale")
    args = ap.parse_args()
    if args.mode in ("skew", "both"):
        skew(args)
    if args.mode in ("curve", "both"):
        curve(args)


if __name__ == "__main__":
    main()
