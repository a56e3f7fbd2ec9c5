"""Persona flags in the report: simulate → ingest → detect → personas → report, end to end.

The flags the persona stage writes must reach the page's embedded data and every export; and since
a workspace can come from anyone, flag text planted in it must come out escaped (no live markup in
the page, no formulas in the spreadsheets, well-formed XML in the graph files).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import xml.etree.ElementTree as ET

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lockstep import Workspace
from lockstep.detect import detect
from lockstep.personas import run_personas
from lockstep.report import write_report
from lockstep.simulate import simulate

HOSTILE = "</script><script>alert(1)</script> & =HYPERLINK(\"http://x\")"


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    root = tmp_path_factory.mktemp("persona_report")
    sim = simulate("demo", seed=3, n_posts=6000)
    posts = root / "posts.parquet"
    sim.write(posts)
    with Workspace(root / "ws") as ws:
        ws.ingest([posts])
        detect(ws, seed=0)
    signals, _ = run_personas(root / "ws", n_bootstrap=20, random_state=0)
    write_report(root / "ws", root / "report")
    return root, signals


def _page_payload(html: str) -> dict:
    scripts = re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert scripts, "the page embeds its data as JSON"
    return json.loads(max(scripts, key=len))


def _reported_accounts(root) -> dict[str, str]:
    with open(root / "report" / "accounts.csv", newline="", encoding="utf-8") as fh:
        return {r["account_id"]: r["persona_flags"] for r in csv.DictReader(fh)}


def test_the_persona_flags_of_reported_accounts_reach_the_csv_and_parquet_exports(pipeline):
    root, signals = pipeline
    flags = {r["account_id"]: r["flags"] for r in signals.accounts_.to_pylist()}
    reported = _reported_accounts(root)
    flagged = [a for a in reported if flags.get(a)]
    assert flagged, "some reported accounts carry persona flags"
    for a in flagged:
        assert reported[a] == "; ".join(flags[a])
    parquet = pq.read_table(root / "report" / "accounts.parquet").to_pylist()
    assert {r["account_id"]: list(r["persona_flags"] or []) for r in parquet if r["account_id"] in flagged} == \
        {a: flags[a] for a in flagged}


def test_the_page_shows_account_and_cluster_persona_flags(pipeline):
    root, signals = pipeline
    payload = _page_payload((root / "report" / "report.html").read_text(encoding="utf-8"))
    acc = payload["accounts"]
    flags = {r["account_id"]: r["flags"] for r in signals.accounts_.to_pylist()}
    shown = {a: f for a, f in zip(acc["id"], acc["flags"]) if f}
    assert shown and all(shown[a] == flags[a] for a in shown)
    cluster_flags = {r["cluster"]: r["flags"] for r in signals.clusters_.to_pylist()} if signals.clusters_ else {}
    page_clusters = dict(zip(payload["clusters"]["id"], payload["clusters"]["persona_flags"]))
    assert any(page_clusters.values()), "some reported clusters carry persona flags"
    for c, f in page_clusters.items():
        assert f == list(cluster_flags.get(c) or [])


def test_the_clock_flag_of_a_cluster_names_its_offset_and_confidence(pipeline):
    _, signals = pipeline
    clock = [f for r in signals.clusters_.to_pylist() for f in r["flags"] if f.startswith("run on a UTC")]
    assert clock and all(re.fullmatch(r"run on a UTC[+−±][0-9:]+ clock \(.+\), confidence \d+%", f) for f in clock)


def _copy_workspace(root, tmp_path):
    shutil.copytree(root / "ws", tmp_path / "ws")
    return tmp_path / "ws"


def test_hostile_flag_text_planted_in_the_workspace_comes_out_escaped(pipeline, tmp_path):
    root, _ = pipeline
    with Workspace(_copy_workspace(root, tmp_path)) as ws:
        personas = ws.table("personas")
        clusters = ws.table("persona_clusters")
        victim = _first_reported(root)
        flags = [[HOSTILE] if a == victim else f for a, f in zip(personas.column("account_id").to_pylist(),
                                                                 personas.column("flags").to_pylist())]
        ws.write_table("personas", personas.set_column(personas.schema.get_field_index("flags"), "flags",
                                                       pa.array(flags, pa.list_(pa.string()))))
        cflags = [[HOSTILE] for _ in range(clusters.num_rows)]
        ws.write_table("persona_clusters", clusters.set_column(clusters.schema.get_field_index("flags"), "flags",
                                                               pa.array(cflags, pa.list_(pa.string()))))
        write_report(ws, tmp_path / "report")
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "</script><script>alert" not in html
    payload = _page_payload(html)
    assert HOSTILE in [f for fs in payload["accounts"]["flags"] for f in fs]
    assert HOSTILE in [f for fs in payload["clusters"]["persona_flags"] for f in fs]
    with open(tmp_path / "report" / "accounts.csv", newline="", encoding="utf-8") as fh:
        cell = next(r["persona_flags"] for r in csv.DictReader(fh) if r["account_id"] == victim)
    assert cell == HOSTILE  # not a formula: it starts with "<", and the text is kept whole
    for name in ("network.gexf", "network.graphml"):
        tree = ET.parse(tmp_path / "report" / name)
        assert HOSTILE in [el.text or el.get("value") for el in tree.iter()]


def test_a_flag_that_starts_like_a_formula_is_quoted_in_the_csv(pipeline, tmp_path):
    root, _ = pipeline
    victim = _first_reported(root)
    with Workspace(_copy_workspace(root, tmp_path)) as ws:
        personas = ws.table("personas")
        flags = [["=1+1"] if a == victim else f for a, f in zip(personas.column("account_id").to_pylist(),
                                                                personas.column("flags").to_pylist())]
        ws.write_table("personas", personas.set_column(personas.schema.get_field_index("flags"), "flags",
                                                       pa.array(flags, pa.list_(pa.string()))))
        write_report(ws, tmp_path / "report")
    with open(tmp_path / "report" / "accounts.csv", newline="", encoding="utf-8") as fh:
        cell = next(r["persona_flags"] for r in csv.DictReader(fh) if r["account_id"] == victim)
    assert cell == "'=1+1"


def _first_reported(root) -> str:
    return next(iter(_reported_accounts(root)))
