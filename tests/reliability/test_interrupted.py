"""Interrupted ingest: SIGKILL at seeded random points, then a re-run, gives exactly a clean run's rows.

Each file is one transaction, so a kill leaves the workspace as it was after the last finished
file; DuckDB replays or discards its write-ahead log when the workspace is next opened.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time

import pytest

from lockstep import Workspace

from ._procs import LOCKSTEP, write_posts

KILL_POINTS = int(os.environ.get("LOCKSTEP_KILL_POINTS", "5"))
SEED = 20240301
TABLES = {
    "posts": "SELECT * FROM posts ORDER BY platform, post_id",
    "rejected": "SELECT * FROM rejected ORDER BY source_file, source_line",
    "duplicates": "SELECT * FROM duplicates ORDER BY source_file, source_line",
    "account_observations": "SELECT * EXCLUDE (observed_at) FROM account_observations ORDER BY obs_hash",
    "sources": "SELECT * EXCLUDE (ingested_at) FROM sources ORDER BY path",
}


def snapshot(ws_path):
    with Workspace(ws_path, read_only=True) as ws:
        return {name: ws.query(sql).to_pylist() for name, sql in TABLES.items()}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("interrupted")
    data = root / "data"
    data.mkdir()
    for k in range(4):
        write_posts(data / f"part{k}.csv", 4_000, seed=k, start=k * 3_000)  # overlapping ids across files
    t0 = time.perf_counter()
    subprocess.run([LOCKSTEP, "ingest", str(data), "--workspace", str(root / "clean")], check=True,
                   capture_output=True, timeout=300)
    return data, root, time.perf_counter() - t0, snapshot(root / "clean")


def test_the_clean_run_has_rows_duplicates_and_rejections(inputs):
    _, _, _, clean = inputs
    assert len(clean["sources"]) == 4
    assert sum(s["n_read"] for s in clean["sources"]) == 16_000
    assert len(clean["posts"]) > 10_000 and len(clean["duplicates"]) > 3_000 and len(clean["rejected"]) > 20


def test_killing_ingest_at_random_points_then_rerunning_gives_the_clean_rows(inputs, tmp_path):
    data, _, seconds, clean = inputs
    rng = random.Random(SEED)
    # The first ~1.5 s is interpreter start-up: spread the points over the whole run anyway.
    points = sorted(rng.uniform(0.1, seconds) for _ in range(KILL_POINTS))
    print(f"clean run {seconds:.2f}s; kill points {[round(p, 2) for p in points]}")
    committed_at_kill = []
    for k, at in enumerate(points):
        ws = tmp_path / f"ws{k}"
        proc = subprocess.Popen([LOCKSTEP, "ingest", str(data), "--workspace", str(ws)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(at)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        if (ws / "lockstep.duckdb").exists():
            # The workspace opens after the crash and holds whole files only.
            with Workspace(ws) as opened:
                done = opened.query("SELECT path, n_accepted FROM sources").to_pylist()
                per_file = {r["source_file"]: r["n"] for r in opened.query(
                    "SELECT source_file, count(*) AS n FROM posts GROUP BY 1").to_pylist()}
            assert per_file == {d["path"]: d["n_accepted"] for d in done if d["n_accepted"]}
            committed_at_kill.append(len(done))
        rerun = subprocess.run([LOCKSTEP, "ingest", str(data), "--workspace", str(ws)], capture_output=True,
                               text=True, timeout=300)
        assert rerun.returncode == 0, rerun.stderr
        assert snapshot(ws) == clean, f"kill point {k} at {at:.2f}s"
    # Where the points land (before, inside, between files) depends on the machine's speed at that
    # moment, so it is reported, not asserted: a loaded CI machine put all five before the first
    # commit once. The property asserted above holds wherever they land.
    print(f"files committed at each kill: {committed_at_kill}")
