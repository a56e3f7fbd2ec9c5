"""`lockstep aliases` and `lockstep eval` through the CLI runner."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import pandas as pd
import typer
from typer.testing import CliRunner

from lockstep.aliases._cli import eval_app, register
from lockstep.cli import app
from tests.aliases.conftest import STYLES, make_posts

runner = CliRunner()


def test_help_shows_a_real_example():
    result = runner.invoke(app, ["aliases", "--help"])
    assert result.exit_code == 0
    assert "lockstep aliases --workspace ws --min-chars 1500 --out aliases.csv" in result.output
    result = runner.invoke(app, ["eval", "authorship", "--help"])
    assert result.exit_code == 0
    assert "lockstep eval authorship --corpus c50" in result.output


def test_bylines_from_a_csv_are_linked_and_written(tmp_path):
    path = tmp_path / "bylines.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["author", "outlet", "text"])
        for a in STYLES:
            for side in ("x", "y"):
                for post in make_posts(a, "mixed", 30, seed=len(side)):
                    w.writerow([f"{a}-{side}", "Daily", post])
        w.writerow(["", "Daily", "orphan text"])
        w.writerow(["tiny", "Daily", "too short to judge"])
    out = tmp_path / "pairs.csv"
    result = runner.invoke(app, ["aliases", "--docs", str(path), "--topic", "none", "--min-chars", "500",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "9 names: 8 scored, 1 with insufficient evidence" in result.output
    assert "skipped 1 rows without author" in result.output
    names = pd.read_csv(tmp_path / "pairs.names.csv")
    assert names.set_index("name").loc["tiny", "status"] == "insufficient evidence"
    pairs = pd.read_csv(out)
    top4 = {frozenset(p) for p in pairs.head(4)[["name_a", "name_b"]].itertuples(index=False)}
    assert top4 == {frozenset({f"{a}-x", f"{a}-y"}) for a in STYLES}


def test_accounts_of_a_workspace_are_linked_from_their_own_posts_not_reposts(workspace):
    rows = []
    for a in ("ann", "bob"):
        for side in ("1", "2"):
            for k, post in enumerate(make_posts(a, "mixed", 30, seed=len(side))):
                rows.append(("twitter", f"{a}{side}-{k}", f"{a}{side}", datetime(2024, 1, 1, 0, k, tzinfo=UTC),
                             "post", post, "f.jsonl"))
    rows.append(("twitter", "rt-1", "ann1", datetime(2024, 1, 2, tzinfo=UTC), "repost", "someone else's words",
                 "f.jsonl"))
    workspace.con.executemany(
        "INSERT INTO posts (platform, post_id, account_id, created_at, kind, text, source_file) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    path = workspace.path
    workspace.close()
    result = runner.invoke(app, ["aliases", "--workspace", str(path), "--topic", "none", "--min-chars", "500"])
    assert result.exit_code == 0, result.output
    assert "4 names: 4 scored, 0 with insufficient evidence" in result.output
    assert "skipped 1 reposts (not the account's own words)" in result.output
    from lockstep import Workspace

    with Workspace(path) as ws:
        top2 = ws.con.execute("SELECT name_a, name_b FROM alias_pairs ORDER BY probability DESC LIMIT 2").fetchall()
        assert ws.con.execute("SELECT count(*) FROM alias_pairs").fetchone()[0] == 6
    assert sorted(top2) == [("twitter:ann1", "twitter:ann2"), ("twitter:bob1", "twitter:bob2")]


def test_exactly_one_input_is_required():
    result = runner.invoke(app, ["aliases"])
    assert result.exit_code == 2
    assert "exactly one of --workspace or --docs" in result.output


def test_a_missing_documents_path_is_a_clean_error(tmp_path):
    result = runner.invoke(app, ["aliases", "--docs", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.output


def test_registering_twice_does_not_add_a_second_eval_group():
    other = typer.Typer()
    register(other)
    register(other)
    assert [g.typer_instance for g in other.registered_groups] == [eval_app]
