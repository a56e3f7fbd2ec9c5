"""The exports: spreadsheet-safe CSV, raw Parquet, GEXF/GraphML that parse anywhere, stable bytes."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import igraph as ig
import networkx as nx
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from _payloads import CONTROL, FORMULAS, RTL

from lockstep.report import FILES, embed_json, neutralise_cell, write_gexf, write_graphml, write_report

TABLES = ("accounts", "clusters", "edges", "evidence")


@pytest.mark.parametrize(("cell", "expected", "why"), [
    ("=1+1", "'=1+1", "formula"),
    ("+1+1", "'+1+1", "formula by sign"),
    ("-2+3", "'-2+3", "formula by sign"),
    ("@SUM(A1)", "'@SUM(A1)", "Lotus-style function"),
    ("\t=1", "'\t=1", "tab hides a formula"),
    ("\r=1", "'\r=1", "carriage return hides a formula"),
    ("a=1", "a=1", "only the first character matters"),
    ("", "", "empty stays empty"),
])
def test_cells_that_start_like_a_formula_get_a_quote(cell, expected, why):
    assert neutralise_cell(cell) == expected, why


def test_the_report_directory_holds_every_promised_file(hostile):
    _, out, _ = hostile
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)


def _csv_rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_hostile_handles_and_bios_are_neutralised_in_csv_and_kept_raw_in_parquet(hostile):
    _, out, _ = hostile
    rows = {r["account_id"]: r for r in _csv_rows(out / "accounts.csv")}
    raw = {r["account_id"]: r for r in pd.read_parquet(out / "accounts.parquet").to_dict("records")}
    assert rows["evil3"]["handle"] == "'" + FORMULAS[0]
    assert raw["evil3"]["handle"] == FORMULAS[0]
    assert rows["evil7"]["handle"] == "'-minus"
    assert rows["evil2"]["bio"] == "'" + FORMULAS[1]
    assert rows["evil2"]["handle"] == RTL
    # No cell of any CSV starts like a formula, except numbers the report itself wrote.
    for name in TABLES:
        for row in _csv_rows(out / f"{name}.csv"):
            for col, v in row.items():
                if v[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    float(v)  # raises (and fails the test) unless it is a number
                    assert col not in ("handle", "display_name", "bio", "text_a", "text_b", "object"), (name, col)


@pytest.mark.parametrize("name", TABLES)
def test_every_table_loads_in_pandas_and_polars_with_the_parquet_row_count(hostile, name):
    _, out, _ = hostile
    n = pq_rows = pd.read_parquet(out / f"{name}.parquet").shape[0]
    assert pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False).shape[0] == n
    assert pl.read_csv(out / f"{name}.csv", infer_schema=False).height == n
    assert pl.read_parquet(out / f"{name}.parquet").height == pq_rows
    assert n > 0


def test_gexf_parses_with_networkx_and_igraph_with_clusters_scores_and_signal_weights(hostile):
    _, out, _ = hostile
    g = nx.read_gexf(out / "network.gexf")
    accounts = pd.read_parquet(out / "accounts.parquet")
    edges = pd.read_parquet(out / "edges.parquet")
    assert g.number_of_nodes() == len(accounts)
    assert g.number_of_edges() == len(edges)
    node = g.nodes["twitter:evil2"]
    assert (node["label"], node["handle"], node["cluster_rank"]) == (RTL, RTL, 1)
    assert node["cluster"] != ""
    assert {"strength", "degree", "n_posts", "persona_flags"} - set(node) <= {"persona_flags"}
    _a, _b, data = next(iter(g.edges(data=True)))
    assert {"weight", "cluster", "signals"} <= set(data)
    assert "weight_co-repost" in data
    h = ig.Graph.from_networkx(g)
    assert (h.vcount(), h.ecount()) == (len(accounts), len(edges))


def test_graphml_parses_with_networkx_and_igraph(hostile):
    _, out, _ = hostile
    accounts = pd.read_parquet(out / "accounts.parquet")
    g = nx.read_graphml(out / "network.graphml")
    h = ig.Graph.Read_GraphML(str(out / "network.graphml"))
    assert g.number_of_nodes() == h.vcount() == len(accounts)
    assert sorted(h.vs["handle"]) == sorted(accounts["handle"].tolist())


def test_xml_exports_stay_well_formed_with_every_control_character_and_noncharacter(tmp_path):
    hostile = "".join(chr(c) for c in range(32)) + "\x7f\ufffe\uffff<&>\"'" + CONTROL
    nodes = pa.table({"id": ["a\x00", "b"], "label": [hostile, "b"], "handle": [hostile, "tab\there\nnew\rline"]})
    edges = pa.table({"source": ["a\x00"], "target": ["b"], "weight": [1.5], "note": [hostile]})
    write_gexf(nodes, edges, tmp_path / "g.gexf")
    write_graphml(nodes, edges, tmp_path / "g.graphml")
    kept = "\t\n\r\x7f<&>\"'ctl\x7f end"
    g = nx.read_gexf(tmp_path / "g.gexf")
    assert g.nodes["a"]["handle"] == kept
    assert g.nodes["b"]["handle"] == "tab\there\nnew\rline"
    gm = nx.read_graphml(tmp_path / "g.graphml")
    assert gm.nodes["a"]["handle"] == kept
    assert gm.edges["a", "b"]["note"] == kept
    assert ig.Graph.Read_GraphML(str(tmp_path / "g.graphml")).vs["handle"] == [kept, "tab\there\nnew\rline"]
    ET.parse(tmp_path / "g.gexf")


def test_summary_json_says_what_was_covered_and_flagged(hostile):
    _, out, _ = hostile
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert s["data"]["posts"] == 24 * 4 + 6 * 8 + 17 * 8
    assert s["data"]["platforms"] == [{"platform": "twitter", "posts": 280, "accounts": 32}]
    assert s["flagged"]["clusters"] >= 1
    assert [x["signal"] for x in s["signals"]] == sorted(x["signal"] for x in s["signals"])


def test_the_same_workspace_writes_byte_identical_files(hostile, tmp_path):
    ws, out, _ = hostile
    write_report(ws, tmp_path / "again")
    for name in FILES:
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name


def test_embedded_json_cannot_end_its_script_element():
    s = embed_json({"t": "</script><!--<script>\u2028\u2029&"})
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s
    assert json.load(io.StringIO(s)) == {"t": "</script><!--<script>\u2028\u2029&"}
