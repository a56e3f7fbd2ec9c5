"""`lockstep detect` and `lockstep scan` through Typer's CliRunner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import lockstep
from lockstep.cli import app

from .conftest import insert, post

runner = CliRunner()


def _trio_rows():
    rows = []
    for k in range(10):
        t0 = 4000 * k
        rows.append(post("src", t0, f"s{k}"))
        for i, acc in enumerate(("a1", "a2", "a3")):
            rows.append(post(acc, t0 + 900 + (k * 331) % 2000 + 2 * i, f"{acc}-{k}", repost_of=f"s{k}"))
    return rows


def test_detect_and_scan_have_help_with_an_example():
    for command in ("detect", "scan"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output and f"lockstep {command}" in result.output


def test_detect_prints_the_ranked_clusters_and_writes_the_tables(tmp_path):
    with lockstep.Workspace(tmp_path / "ws") as ws:
        insert(ws, _trio_rows())
    result = runner.invoke(app, ["detect", "--workspace", str(tmp_path / "ws"), "--signals", "co-repost",
                                 "--window", "30s", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [c["reason"] for c in out["clusters"]] == ["3 accounts reposted the same 10 posts within 4 s"]
    with lockstep.Workspace(tmp_path / "ws") as ws:
        assert ws.table("clusters").num_rows == 3


def test_detect_on_a_missing_workspace_is_a_clean_error(tmp_path):
    result = runner.invoke(app, ["detect", "--workspace", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "not a lockstep workspace" in result.output


def test_detect_with_an_unknown_signal_names_the_available_ones(tmp_path):
    lockstep.Workspace(tmp_path / "ws").close()
    result = runner.invoke(app, ["detect", "-w", str(tmp_path / "ws"), "--signals", "co-nothing"])
    assert result.exit_code == 2
    assert "unknown signal 'co-nothing'; available: co-repost, co-link" in result.output


def test_scan_ingests_files_then_detects(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from lockstep.simulate import simulate

    paths = simulate("demo", seed=1).write(tmp_path / "posts.parquet")
    assert isinstance(pq.read_table(paths["posts"]), pa.Table)
    result = runner.invoke(app, ["scan", str(paths["posts"]), "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output[result.output.index("{"):])
    assert out["clusters"] and out["clusters"][0]["rank"] == 1
    with lockstep.Workspace(tmp_path / "out" / "workspace") as ws:
        assert ws.table("posts").num_rows > 10_000
        assert ws.table("cluster_scores").num_rows == len(out["clusters"]) or len(out["clusters"]) == 20
    # scan ends with the report and its exports in OUT.
    for name in ("report.html", "network.gexf", "edges.csv", "evidence.parquet", "summary.json"):
        assert (tmp_path / "out" / name).is_file(), name
