"""The CLI as a user meets it: help, examples, exit codes, counts."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lockstep.cli import app

runner = CliRunner()

LINES = (
    "1\talice\t2024-03-01T10:00:00Z\tVote #NOW https://ex.com/\n"
    "2\tbob\tnot a date\tbroken\n"
    "3\tbob\t2024-03-01T10:00:05Z\tVote #now\n"
)


def test_help_lists_the_commands_in_pipeline_order():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "ingest" in result.output and "info" in result.output


def test_every_command_has_help_ending_in_an_example():
    import typer.main

    group = typer.main.get_group(app)
    names = []
    for name, cmd in group.commands.items():
        sub = getattr(cmd, "commands", None)
        for sub_name, sub_cmd in (sub or {name: cmd}).items():
            names.append(sub_name)
            assert sub_cmd.help and "Example:" in sub_cmd.help, f"{name} {sub_name} has no Example: block"
            args = [name, sub_name, "--help"] if sub else [name, "--help"]
            assert runner.invoke(app, args).exit_code == 0
    assert {"ingest", "info", "formats"} <= set(names)


def test_ingest_prints_counts_that_add_up_and_info_explains_rejections(tmp_path):
    (tmp_path / "a.tsv-test").write_text(LINES)
    ws = tmp_path / "ws"
    result = runner.invoke(app, ["ingest", str(tmp_path / "a.tsv-test"), "--workspace", str(ws), "--json"])
    assert result.exit_code == 0, result.output
    [r] = json.loads(result.output)
    assert (r["n_read"], r["n_accepted"], r["n_duplicates"], r["n_rejected"]) == (3, 2, 0, 1)
    result = runner.invoke(app, ["info", "--workspace", str(ws), "--json", "--rejected", "5"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["posts"] == 2
    assert info["rejected_by_reason"] == [{"field": "created_at", "reason": "unrecognised timestamp ", "rows": 1}]
    assert info["rejected_rows"][0]["source_line"] == 2
    result = runner.invoke(app, ["info", "--workspace", str(ws), "--rejected", "5"])
    assert "a.tsv-test:2: created_at: unrecognised timestamp 'not a date'" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "{tmp}/missing.json", "--workspace", "{tmp}/ws"], "missing.json: no such file"),
        (["ingest", "{tmp}/a.tsv-test", "--workspace", "{tmp}/ws", "--format", "nope"], "unknown format 'nope'"),
        (["ingest", "{tmp}/a.tsv-test", "--workspace", "{tmp}/ws", "--map", "oops"], "expected SRC_COL=FIELD"),
        (["info", "--workspace", "{tmp}/nowhere"], "not a lockstep workspace"),
    ],
)
def test_bad_invocations_exit_2_with_one_clear_message(tmp_path, args, message):
    (tmp_path / "a.tsv-test").write_text(LINES)
    result = runner.invoke(app, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_formats_lists_the_registered_readers():
    result = runner.invoke(app, ["formats"])
    assert result.exit_code == 0
    assert "tsv-test" in result.output
