"""Hostile content: the payload corpus of tests/report goes through ingest unchanged (stored as the
data it is, nothing interpreted), and through the whole pipeline into every output, inert.

The report's own tests (tests/report/) check its outputs with a stand-in detector; here the real
engine runs when available (skipped with a message otherwise).
"""

from __future__ import annotations

import csv
import shutil
import xml.etree.ElementTree as ET

import pytest

from lockstep import Workspace
from lockstep.report import write_report

from ._pipeline import payloads, require_engine


def test_every_payload_is_stored_verbatim_by_ingest(tmp_path):
    p = payloads()
    corpus = p.write_corpus(tmp_path / "posts.csv")
    with open(corpus, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with Workspace(tmp_path / "ws") as ws:
        (result,) = ws.ingest(corpus)
        assert result.n_read == len(rows) == result.n_accepted + result.n_duplicates + result.n_rejected
        stored = {r["post_id"]: r["text"] for r in ws.query("SELECT post_id, text FROM posts").to_pylist()}
        bios = {r["account_id"]: r for r in ws.query("SELECT account_id, handle, display_name, bio FROM accounts").to_pylist()}
    for r in rows:
        if r["post_id"] in stored:
            assert stored[r["post_id"]] == (r["text"] or None)
    for acc in p.hostile_accounts():
        got = bios[acc["account_id"]]
        assert (got["handle"], got["display_name"], got["bio"]) == (acc["handle"].lstrip("@"), acc["display_name"], acc["bio"])
    assert result.n_rejected == 0


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    detect = require_engine()
    p = payloads()
    root = tmp_path_factory.mktemp("hostile-pipeline")
    with Workspace(root / "ws") as ws:
        ws.ingest(p.write_corpus(root / "posts.csv"))
        detect(ws)
        write_report(ws, root / "report")
    return root / "report", p


def test_csv_exports_neutralise_formulas(hostile_report):
    out, _ = hostile_report
    for path in out.glob("*.csv"):
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.reader(f):
                for cell in row:
                    assert not cell.startswith(("=", "+", "@", "\t", "\r")), (path.name, cell[:40])
                    assert not (cell.startswith("-") and cell[1:2] and not cell[1:2].isdigit()), (path.name, cell[:40])


def test_graph_exports_are_well_formed_xml(hostile_report):
    out, _ = hostile_report
    for name in ("network.gexf", "network.graphml"):
        ET.parse(out / name)


def test_the_report_runs_nothing_from_the_data_in_headless_chromium(hostile_report):
    out, _ = hostile_report
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("chromium is not installed (make system-deps)")
    events: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.on("dialog", lambda d: (events.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: events.append(str(e)))
        page.on("request", lambda r: r.url.startswith("file:") or events.append(r.url))
        page.goto((out / "report.html").as_uri())
        page.wait_for_load_state("load")
        for row in page.locator("tr[data-rank]").all()[:10]:
            row.click()
        pwned = page.evaluate("typeof window.__pwned === 'undefined' ? null : String(window.__pwned)")
        browser.close()
    assert (pwned, events) == (None, [])
