"""The HTML report: one file, nothing from the data in its markup or code paths that could run."""

from __future__ import annotations

import base64
import hashlib
import re
from html import unescape
from importlib import resources

import pytest
from typer.testing import CliRunner

from lockstep.cli import app
from lockstep.report._html import format_number


def _html(hostile) -> str:
    return (hostile[1] / "report.html").read_text(encoding="utf-8")


def test_the_page_has_exactly_its_own_two_script_elements_and_no_markup_from_the_data(hostile):
    html = _html(hostile)
    assert re.findall(r"<script[^>]*>", html, flags=re.I) == ['<script type="application/json" id="report-data">',
                                                              "<script>"]
    assert len(re.findall(r"</script", html, flags=re.I)) == 2
    for tag in ("<img", "<svg", "<iframe", "<a href=\"javascript", "<style>body", "<!--<script"):
        assert tag not in html.lower(), tag


def test_the_content_security_policy_allows_only_the_pages_own_script_and_style(hostile):
    html = _html(hostile)
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    script = resources.files("lockstep.report").joinpath("static", "report.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "base-uri 'none'" in csp
    assert "unsafe" not in csp


def test_the_viewer_never_parses_strings_as_markup():
    js = resources.files("lockstep.report").joinpath("static", "report.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "setTimeout(\"", "srcdoc"):
        assert sink not in js, sink


def test_the_page_needs_nothing_from_the_network(hostile):
    html = _html(hostile)
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_report_command_writes_the_directory_and_prints_the_page(hostile, tmp_path):
    ws, _, _ = hostile
    r = CliRunner().invoke(app, ["report", "--workspace", str(ws), "--out", str(tmp_path / "r")])
    assert r.exit_code == 0, r.output
    assert f"report: {tmp_path / 'r' / 'report.html'}" in r.output.replace("\n", "")


def test_report_on_a_workspace_without_detection_results_says_what_to_run(tmp_path):
    from lockstep import Workspace

    Workspace(tmp_path / "ws").close()
    r = CliRunner().invoke(app, ["report", "--workspace", str(tmp_path / "ws"), "--out", str(tmp_path / "r")])
    assert r.exit_code == 2
    assert "run `lockstep detect --workspace WS` first" in r.output.replace("\n", "")


def test_report_help_shows_an_example():
    r = CliRunner().invoke(app, ["report", "--help"])
    assert r.exit_code == 0
    assert "lockstep report --workspace ws --out report" in r.output


def test_a_run_that_flagged_nothing_still_gets_a_report_that_says_so(hostile, tmp_path):
    import shutil

    from lockstep import Workspace
    from lockstep.report import write_report

    shutil.copytree(hostile[0], tmp_path / "ws")
    with Workspace(tmp_path / "ws") as ws:
        ws.con.execute("DELETE FROM clusters")
        paths = write_report(ws, tmp_path / "r")
    html = paths["report.html"].read_text(encoding="utf-8")
    assert "No cluster was flagged." in html
    assert paths["accounts.csv"].read_text(encoding="utf-8").count("\n") == 1


@pytest.mark.parametrize(("value", "shown"), [
    (12345.6, "12,346"), (1_000_000, "1,000,000"), (3.14159, "3.14"), (12.345, "12.3"),
    (0.000123, "0.000123"), (0.5, "0.5"), (0, "0"), (None, "–"), (float("nan"), "–"),
])
def test_cluster_scores_are_shown_with_separators_and_never_in_e_notation(value, shown):
    assert format_number(value) == shown


def test_after_a_spark_scan_the_overview_counts_everything_scanned_not_only_the_posts_kept(hostile, tmp_path):
    import json
    import shutil

    from lockstep import Workspace
    from lockstep.report import gather, write_report

    shutil.copytree(hostile[0], tmp_path / "ws")
    scan = {"source": ["s3a://bucket/<posts>/*.parquet"], "posts": 1_234_567, "accounts": 45_678,
            "first_post": "2024-01-01T00:00:00+00:00", "last_post": "2024-02-01T00:00:00+00:00",
            "platforms": {"telegram": 234_567, "twitter": 1_000_000},
            "platform_accounts": {"telegram": 5_678, "twitter": 40_000}, "rows_left_out": 3}
    with Workspace(tmp_path / "ws") as ws:
        kept_posts, kept_accounts = ws.con.execute(
            "SELECT count(*), count(DISTINCT (platform, account_id)) FROM posts").fetchall()[0]
        ws.con.execute("INSERT OR REPLACE INTO metadata VALUES ('spark_scan', ?)", [json.dumps(scan)])
        data = gather(ws).summary["data"]
        paths = write_report(ws, tmp_path / "r")
    assert data == {
        "posts": 1_234_567, "accounts": 45_678, "first_post": "2024-01-01T00:00:00+00:00",
        "last_post": "2024-02-01T00:00:00+00:00",
        "platforms": [{"platform": "telegram", "posts": 234_567, "accounts": 5_678},
                      {"platform": "twitter", "posts": 1_000_000, "accounts": 40_000}],
        "scanned": {"source": ["s3a://bucket/<posts>/*.parquet"], "kept_posts": kept_posts,
                    "kept_accounts": kept_accounts, "rows_left_out": 3},
    }
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", paths["report.html"].read_text(encoding="utf-8"))))
    assert "1,234,567 posts" in text
    assert (f"Scanned in place with Spark (s3a://bucket/<posts>/*.parquet): the counts above are of everything "
            f"scanned, 3 row(s) without a key left out. The workspace keeps the {kept_posts:,} posts of the "
            f"{kept_accounts:,} flagged accounts") in text


def test_the_report_knows_every_kind_of_row_that_explains_why_an_account_joined_a_cluster():
    from lockstep.detect._evidence import SOURCE_SIGNALS
    from lockstep.report._html import JOINED_BY

    # Which side of the row is the joined account, for each such signal the detector writes.
    assert sorted(JOINED_BY) == sorted(SOURCE_SIGNALS)
