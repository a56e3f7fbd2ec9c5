"""``lockstep scan --engine spark``: Parquet read in place, results and flagged posts into OUT/workspace.

The posts are never ingested into DuckDB: the workspace receives the result tables, the posts of
the flagged accounts and a summary of everything scanned; ``lockstep report`` then works on it.
"""

from __future__ import annotations

import json

import pytest

import lockstep
from lockstep.engines import ScanError, is_parquet_input, spark_available

from .conftest import simulated_workspace

missing = spark_available()
needs_spark = pytest.mark.skipif(missing is not None, reason=f"Spark engine unavailable: {missing}")
SIGNALS = "co-repost"


@pytest.fixture(scope="module")
def posts_dir(tmp_path_factory):
    """A small simulated platform as canonical posts Parquet, in two files, and its DuckDB run."""
    root = tmp_path_factory.mktemp("scan")
    with simulated_workspace(root) as ws:
        (root / "posts").mkdir()
        for i, cond in enumerate(("hash(post_id) % 2 = 0", "hash(post_id) % 2 = 1")):
            ws.con.execute(f"COPY (SELECT * FROM posts WHERE {cond}) TO '{root}/posts/part-{i}.parquet' (FORMAT parquet)")
        duck = lockstep.detect(ws, SIGNALS, write=False, seed=0)
    return root / "posts", duck


def test_parquet_input_is_recognised_by_suffix_uri_or_a_directory_of_parquet_files(tmp_path):
    (tmp_path / "ds" / "platform=x").mkdir(parents=True)
    (tmp_path / "ds" / "platform=x" / "a.parquet").write_bytes(b"")
    (tmp_path / "ds" / "_SUCCESS").write_bytes(b"")
    (tmp_path / "mixed").mkdir()
    (tmp_path / "mixed" / "a.parquet").write_bytes(b"")
    (tmp_path / "mixed" / "b.csv").write_bytes(b"")
    assert [is_parquet_input(p) for p in (
        ["s3a://bucket/posts/*.parquet"], ["file:///data/x.parquet"], ["posts/*.parquet", "more.parq"],
        [str(tmp_path / "ds")], [str(tmp_path / "mixed")], ["tweets.jsonl.gz"], ["a.parquet", "b.csv"], [],
    )] == [True, True, True, True, False, False, False, False]


@needs_spark
def test_scan_reads_a_file_uri_glob_and_keeps_only_results_and_the_flagged_posts(posts_dir, tmp_path):
    from lockstep.engines import scan_parquet

    src, duck = posts_dir
    res = scan_parquet([f"file://{src}/*.parquet"], tmp_path / "out", master="local[2]", report=False,
                       signals=SIGNALS, seed=0, conf={"spark.sql.shuffle.partitions": "2"})
    det = res.detection
    # The same edges and clusters as DuckDB over the same posts.
    key = ["account_a", "account_b", "n_pairs", "n_objects", "kept"]
    order = [("account_a", "ascending"), ("account_b", "ascending")]
    assert det.coaction_edges_.select(key).sort_by(order).to_pylist() == \
        duck.coaction_edges_.select(key).sort_by(order).to_pylist()
    assert det.clusters_.to_pylist() == duck.clusters_.to_pylist()
    members = {(r["platform"], r["account_id"]) for r in duck.clusters_.to_pylist()}
    assert members
    with lockstep.Workspace(res.workspace, read_only=True) as ws:
        held = ws.con.execute("SELECT DISTINCT platform, account_id FROM posts").fetchall()
        n_held = ws.con.execute("SELECT count(*) FROM posts").fetchall()[0][0]
        n_edges = ws.con.execute("SELECT count(*) FROM coaction_edges").fetchall()[0][0]
    # Only the flagged accounts' posts came back (every one of them), and the result tables.
    assert set(held) == members | {(r["platform_a"], r["account_a"]) for r in det.coaction_edges_.to_pylist() if r["kept"]} \
        | {(r["platform_b"], r["account_b"]) for r in det.coaction_edges_.to_pylist() if r["kept"]}
    assert n_held == res.summary["flagged_posts"] < res.summary["posts"] == duck.n_posts_
    assert n_edges == det.coaction_edges_.num_rows
    assert json.loads((tmp_path / "out" / "scan.json").read_text()) == res.summary
    assert res.summary["rows_left_out"] == 0


@needs_spark
def test_the_scan_command_takes_a_plain_parquet_directory_and_the_report_runs_on_its_workspace(posts_dir, tmp_path):
    from typer.testing import CliRunner

    from lockstep.cli import app

    src, duck = posts_dir
    runner = CliRunner()
    ok = runner.invoke(app, ["scan", str(src), "--engine", "spark", "--out", str(tmp_path / "out"),
                             "--signals", SIGNALS, "--spark-master", "local[2]", "--json",
                             "--spark-conf", "spark.sql.shuffle.partitions=2"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output[ok.output.index("{"):])["n_coaction_edges"] == duck.coaction_edges_.num_rows
    assert (tmp_path / "out" / "report.html").exists()
    # The report's overview counts everything scanned; the workspace holds only the flagged posts.
    from lockstep.report import gather

    with lockstep.Workspace(tmp_path / "out" / "workspace") as ws:
        data = gather(ws).summary["data"]
    assert (data["posts"], data["accounts"]) == (duck.n_posts_, duck.n_accounts_)
    assert sum(p["posts"] for p in data["platforms"]) == duck.n_posts_
    assert data["scanned"]["kept_posts"] < data["posts"]
    again = runner.invoke(app, ["report", "--workspace", str(tmp_path / "out" / "workspace"), "--out",
                                str(tmp_path / "again")])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again" / "report.html").exists()


@needs_spark
def test_scanning_parquet_without_the_canonical_columns_fails_naming_them(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from lockstep.engines import scan_parquet

    pq.write_table(pa.table({"platform": ["x"], "post_id": ["1"], "text": ["hello"]}), tmp_path / "odd.parquet")
    with pytest.raises(ScanError, match=r"not the canonical posts schema .*missing column.*account_id, created_at"):
        scan_parquet([str(tmp_path / "odd.parquet")], tmp_path / "out", master="local[2]", report=False)


def test_scanning_a_path_that_matches_nothing_fails_before_starting_spark(tmp_path):
    from lockstep.engines import scan_parquet

    with pytest.raises(ScanError, match="no such file or directory"):
        scan_parquet([f"file://{tmp_path}/none/*.parquet"], tmp_path / "out", report=False)


def test_spark_entrypoint_prints_the_script_that_runs_the_command_line_under_spark_submit():
    from pathlib import Path

    from typer.testing import CliRunner

    import lockstep.engines.spark_submit as entry
    from lockstep.cli import app

    res = CliRunner().invoke(app, ["spark-entrypoint"])
    assert res.exit_code == 0
    assert res.output.strip() == entry.__file__ and Path(res.output.strip()).is_file()
