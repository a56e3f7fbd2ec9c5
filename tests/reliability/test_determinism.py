"""Determinism: the same inputs and seed give byte-identical outputs, whatever the run."""

from __future__ import annotations

import subprocess

from lockstep import Workspace
from lockstep.report import write_report
from lockstep.simulate import simulate

from ._pipeline import files_bytes, require_engine
from ._procs import LOCKSTEP

ORDERED = {
    "posts": "SELECT * FROM posts ORDER BY platform, post_id",
    "accounts": "SELECT * FROM accounts ORDER BY platform, account_id",
    "rejected": "SELECT * FROM rejected ORDER BY source_file, source_line",
    "duplicates": "SELECT * FROM duplicates ORDER BY source_file, source_line, post_id",
}


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path):
    for k, seed in enumerate((7, 7, 8)):
        subprocess.run([LOCKSTEP, "simulate", "--scenario", "demo", "--seed", str(seed), "--out",
                        str(tmp_path / f"run{k}" / "posts.csv")], check=True, capture_output=True, timeout=300)
    runs = [files_bytes(tmp_path / f"run{k}") for k in range(3)]
    assert runs[0] == runs[1]
    assert runs[0]["posts.csv"] != runs[2]["posts.csv"]


def test_ingesting_the_same_files_gives_the_same_tables_in_any_order_of_runs(tmp_path):
    scenario = simulate("demo", seed=3)
    paths = scenario.write(tmp_path / "sim" / "posts.csv")
    tables = []
    for k in range(2):
        with Workspace(tmp_path / f"ws{k}", threads=1 + k) as ws:  # one thread, then two
            ws.ingest(paths["posts"])
            tables.append({name: ws.query(sql).to_pylist() for name, sql in ORDERED.items()})
    assert tables[0] == tables[1]
    assert len(tables[0]["posts"]) > 1000


def test_the_whole_pipeline_writes_byte_identical_reports(tmp_path):
    detect = require_engine()
    scenario = simulate("demo", seed=5)
    posts = scenario.write(tmp_path / "sim" / "posts.csv")["posts"]
    outputs = []
    for k in range(2):
        with Workspace(tmp_path / f"ws{k}") as ws:
            ws.ingest(posts)
            detect(ws)
            write_report(ws, tmp_path / f"report{k}")
        outputs.append(files_bytes(tmp_path / f"report{k}"))
    assert {"report.html", "network.gexf"} <= set(outputs[0])
    assert any(n.endswith(".csv") for n in outputs[0]) and any(n.endswith(".parquet") for n in outputs[0])
    assert outputs[0] == outputs[1]
