"""The report's machine-readable exports: CSV, Parquet, GEXF, GraphML and summary.json.

Every writer takes the tables of one :class:`~lockstep.report.ReportData` and writes bytes that
depend only on them (rows sorted, keys sorted, no time of generation), so the same workspace
exports the same files.

GEXF and GraphML are written here by hand, not through networkx: the data are written by
adversaries, and XML 1.0 cannot hold most control characters at all (not even as character
references), so every string passes through :func:`xml_text`, which drops the characters XML
forbids and escapes the rest.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["neutralise_cell", "write_csv", "write_gexf", "write_graphml", "write_parquet", "xml_text"]

# A spreadsheet evaluates a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# XML 1.0 Char production: everything outside it is not well-formed, escaped or not.
_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def neutralise_cell(value: str) -> str:
    """Make a CSV cell inert in spreadsheets: prefix ``'`` when it starts like a formula.

    Examples
    --------
    >>> neutralise_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_cell("-5 is text here")
    "'-5 is text here"
    >>> neutralise_cell("plain")
    'plain'
    """
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def xml_text(value: Any, *, attribute: bool = False) -> str:
    """``value`` as XML character data: forbidden characters dropped, markup escaped.

    In attributes, tab, newline and carriage return become character references so that a
    parser's attribute-value normalisation does not turn them into spaces.
    """
    s = _XML_INVALID.sub("", str(value))
    # A bare CR would be read back as LF (end-of-line normalisation): keep it as a reference.
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if attribute:
        s = s.replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
    return s


def _cell(value: Any) -> str:
    """One CSV cell: lists joined with ``; ``, timestamps in ISO 8601, numbers as Python prints them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return repr(value)
    if isinstance(value, int):
        # Numbers are written by us, not by the data: a negative number stays a number.
        return str(value)
    if isinstance(value, list | tuple):
        return neutralise_cell("; ".join("" if v is None else str(v) for v in value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralise_cell(str(value))


def write_csv(table: pa.Table, path: str | Path) -> None:
    """Write ``table`` as UTF-8 CSV (RFC 4180 quoting, ``\\n`` line ends), formula cells neutralised.

    Lists are joined with ``"; "``; the Parquet file beside it keeps them as lists.
    """
    out = [",".join(_quote(c) for c in table.column_names)]
    cols = [table.column(i).to_pylist() for i in range(table.num_columns)]
    for row in zip(*cols):
        out.append(",".join(_quote(_cell(v)) for v in row))
    Path(path).write_bytes(("\n".join(out) + "\n").encode("utf-8"))


def _quote(s: str) -> str:
    # By hand: the csv module leaves a lone CR unquoted when the line terminator is LF, which
    # splits the row for every reader.
    if any(ch in s for ch in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def write_parquet(table: pa.Table, path: str | Path) -> None:
    """Write ``table`` as Parquet, values exactly as in the workspace (no spreadsheet neutralisation)."""
    pq.write_table(table, str(path), compression="zstd")


# -- graphs ----------------------------------------------------------------------------------


def _xml_type(t: pa.DataType, flavour: str) -> str:
    if pa.types.is_integer(t):
        return "long"
    if pa.types.is_floating(t):
        return "double"
    if pa.types.is_boolean(t):
        return "boolean"
    return "string"


def _xml_value(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return None if math.isnan(v) else repr(v)
    if isinstance(v, list | tuple):
        return "; ".join("" if x is None else str(x) for x in v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def _attr_columns(table: pa.Table, skip: Sequence[str]) -> list[tuple[str, str, pa.DataType]]:
    # (id, title, type); ids are positional so that no data-derived name becomes an XML id.
    cols = [f for f in table.schema if f.name not in skip]
    return [(str(i), f.name, f.type) for i, f in enumerate(cols)]


def _rows(table: pa.Table) -> Iterable[dict[str, Any]]:
    return table.to_pylist()


def write_gexf(
    nodes: pa.Table,
    edges: pa.Table,
    path: str | Path,
    *,
    positions: dict[str, tuple[float, float]] | None = None,
    colours: dict[str, tuple[int, int, int]] | None = None,
) -> None:
    """Write an undirected GEXF 1.3 graph Gephi opens with attributes, layout and cluster colours.

    Parameters
    ----------
    nodes : pyarrow.Table
        One row per node; column ``id`` is the node id and ``label`` its label, every other
        column becomes a node attribute.
    edges : pyarrow.Table
        One row per edge; columns ``source``, ``target`` (node ids) and ``weight``, every other
        column an edge attribute.
    positions, colours : dict, optional
        Node id → (x, y) and node id → (r, g, b), written as ``viz:position`` / ``viz:color``.
    """
    node_attrs = _attr_columns(nodes, ("id", "label"))
    edge_attrs = _attr_columns(edges, ("source", "target", "weight"))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">',
        '  <meta><creator>lockstep</creator><description>Coordinated accounts found by lockstep'
        "</description></meta>",
        '  <graph defaultedgetype="undirected" mode="static">',
        '    <attributes class="node">',
    ]
    for i, name, t in node_attrs:
        out.append(f'      <attribute id="n{i}" title="{xml_text(name, attribute=True)}" type="{_xml_type(t, "gexf")}"/>')
    out.append("    </attributes>")
    out.append('    <attributes class="edge">')
    for i, name, t in edge_attrs:
        out.append(f'      <attribute id="e{i}" title="{xml_text(name, attribute=True)}" type="{_xml_type(t, "gexf")}"/>')
    out.append("    </attributes>")
    out.append("    <nodes>")
    for row in _rows(nodes):
        nid = xml_text(row["id"], attribute=True)
        out.append(f'      <node id="{nid}" label="{xml_text(row.get("label") or row["id"], attribute=True)}">')
        out.append("        <attvalues>")
        for i, name, _t in node_attrs:
            v = _xml_value(row[name])
            if v is not None:
                out.append(f'          <attvalue for="n{i}" value="{xml_text(v, attribute=True)}"/>')
        out.append("        </attvalues>")
        if colours and row["id"] in colours:
            r, g, b = colours[row["id"]]
            out.append(f'        <viz:color r="{r}" g="{g}" b="{b}"/>')
        if positions and row["id"] in positions:
            x, y = positions[row["id"]]
            out.append(f'        <viz:position x="{x:.3f}" y="{y:.3f}" z="0.0"/>')
        out.append("      </node>")
    out.append("    </nodes>")
    out.append("    <edges>")
    for k, row in enumerate(_rows(edges)):
        out.append(
            f'      <edge id="{k}" source="{xml_text(row["source"], attribute=True)}" '
            f'target="{xml_text(row["target"], attribute=True)}" weight="{float(row["weight"])!r}">'
        )
        out.append("        <attvalues>")
        for i, name, _t in edge_attrs:
            v = _xml_value(row[name])
            if v is not None:
                out.append(f'          <attvalue for="e{i}" value="{xml_text(v, attribute=True)}"/>')
        out.append("        </attvalues>")
        out.append("      </edge>")
    out.append("    </edges>")
    out.append("  </graph>")
    out.append("</gexf>")
    Path(path).write_bytes(("\n".join(out) + "\n").encode("utf-8"))


def write_graphml(nodes: pa.Table, edges: pa.Table, path: str | Path) -> None:
    """Write an undirected GraphML graph (networkx, igraph, Gephi, Cytoscape read it).

    Same tables as :func:`write_gexf`; ``label`` and ``weight`` are ordinary attributes here.
    """
    node_attrs = _attr_columns(nodes, ("id",))
    edge_attrs = _attr_columns(edges, ("source", "target"))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for i, name, t in node_attrs:
        out.append(f'  <key id="n{i}" for="node" attr.name="{xml_text(name, attribute=True)}" '
                   f'attr.type="{_xml_type(t, "graphml")}"/>')
    for i, name, t in edge_attrs:
        out.append(f'  <key id="e{i}" for="edge" attr.name="{xml_text(name, attribute=True)}" '
                   f'attr.type="{_xml_type(t, "graphml")}"/>')
    out.append('  <graph id="lockstep" edgedefault="undirected">')
    for row in _rows(nodes):
        out.append(f'    <node id="{xml_text(row["id"], attribute=True)}">')
        for i, name, _t in node_attrs:
            v = _xml_value(row[name])
            if v is not None:
                out.append(f'      <data key="n{i}">{xml_text(v)}</data>')
        out.append("    </node>")
    for row in _rows(edges):
        out.append(f'    <edge source="{xml_text(row["source"], attribute=True)}" '
                   f'target="{xml_text(row["target"], attribute=True)}">')
        for i, name, _t in edge_attrs:
            v = _xml_value(row[name])
            if v is not None:
                out.append(f'      <data key="e{i}">{xml_text(v)}</data>')
        out.append("    </edge>")
    out.append("  </graph>")
    out.append("</graphml>")
    Path(path).write_bytes(("\n".join(out) + "\n").encode("utf-8"))


def write_json(obj: Any, path: str | Path) -> None:
    """Write ``obj`` as sorted, indented UTF-8 JSON."""
    Path(path).write_bytes((json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")
                           .encode("utf-8", "replace"))
