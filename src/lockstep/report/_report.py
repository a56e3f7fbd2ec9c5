"""The report as a component: gather from a workspace, render, write the HTML and the exports."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyarrow as pa

from lockstep.report._data import ReportData, gather
from lockstep.report._exports import write_csv, write_gexf, write_graphml, write_json, write_parquet
from lockstep.report._html import build_payload, render_html
from lockstep.report._layout import PALETTE
from lockstep.workspace import Workspace

__all__ = ["Report", "write_report"]

#: The files a report directory holds, in the order they are written.
FILES = (
    "report.html", "accounts.csv", "accounts.parquet", "clusters.csv", "clusters.parquet", "edges.csv",
    "edges.parquet", "evidence.csv", "evidence.parquet", "network.gexf", "network.graphml", "summary.json",
)


def _node_id(platform: str, account_id: str) -> str:
    return f"{platform}:{account_id}"


class Report:
    """The investigation report of a workspace: one HTML file and machine-readable exports.

    Parameters
    ----------
    title : str
        Title of the HTML page.
    generated_at : str, optional
        A date shown in the page when given. The report never reads the clock, so the same
        workspace gives byte-identical files.
    seed : int
        Seed of the network layout.

    Attributes
    ----------
    data_ : ReportData
        What was read from the workspace.
    payload_ : dict
        The data embedded in the page (with the network layout).
    html_ : str
        The rendered page.

    Examples
    --------
    >>> from lockstep.report import Report
    >>> Report(title="Operation X")
    Report(title='Operation X', generated_at=None, seed=0)
    """

    def __init__(self, *, title: str = "lockstep report", generated_at: str | None = None, seed: int = 0):
        self.title = title
        self.generated_at = generated_at
        self.seed = seed

    def __repr__(self) -> str:
        return f"Report(title={self.title!r}, generated_at={self.generated_at!r}, seed={self.seed!r})"

    def get_params(self) -> dict[str, Any]:
        return {"title": self.title, "generated_at": self.generated_at, "seed": self.seed}

    def fit(self, workspace: Workspace) -> Report:
        """Read the detection results from ``workspace`` and render the page."""
        self.data_ = gather(workspace)
        self.payload_ = build_payload(self.data_, seed=self.seed)
        self.html_ = render_html(self.data_, title=self.title, generated_at=self.generated_at, seed=self.seed,
                                 payload=self.payload_)
        return self

    def write(self, out: str | os.PathLike[str]) -> dict[str, Path]:
        """Write report.html and the exports into directory ``out`` (created if missing).

        Returns
        -------
        dict
            File name → path, in :data:`FILES` order.
        """
        if not hasattr(self, "data_"):
            raise AttributeError("Report.write needs results: call fit(workspace) first")
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        d = self.data_
        paths = {name: out / name for name in FILES}
        paths["report.html"].write_bytes(self.html_.encode("utf-8"))
        for name, table in (("accounts", d.accounts), ("clusters", d.clusters), ("edges", d.edges),
                            ("evidence", d.evidence)):
            write_csv(table, paths[f"{name}.csv"])
            write_parquet(table, paths[f"{name}.parquet"])
        nodes, edges, positions, colours = _graph_tables(d, self.payload_)
        write_gexf(nodes, edges, paths["network.gexf"], positions=positions, colours=colours)
        write_graphml(nodes, edges, paths["network.graphml"])
        write_json(d.summary, paths["summary.json"])
        return paths


def _graph_tables(d: ReportData, payload: dict[str, Any]) -> tuple[pa.Table, pa.Table, dict, dict]:
    a = d.accounts
    ids = [_node_id(p, i) for p, i in zip(a.column("platform").to_pylist(), a.column("account_id").to_pylist())]
    flags = a.column("persona_flags").to_pylist()
    nodes = pa.table({
        "id": ids,
        "label": [h or i for h, i in zip(a.column("handle").to_pylist(), a.column("account_id").to_pylist())],
        "platform": a.column("platform"), "account_id": a.column("account_id"),
        "handle": a.column("handle"), "display_name": a.column("display_name"),
        "created_at": pa.array([None if v is None else v.isoformat() for v in a.column("created_at").to_pylist()],
                               pa.string()),
        "cluster": a.column("cluster"), "cluster_rank": a.column("cluster_rank"),
        "n_posts": a.column("n_posts"), "degree": a.column("degree"), "strength": a.column("strength"),
        "persona_flags": pa.array(["; ".join(f) if f else None for f in flags], pa.string()),
    })
    e = d.edges
    sig_cols = [f"weight_{s}" for s in d.signals]
    edges = pa.table({
        "source": [_node_id(p, i) for p, i in zip(e.column("platform_a").to_pylist(), e.column("account_a").to_pylist())],
        "target": [_node_id(p, i) for p, i in zip(e.column("platform_b").to_pylist(), e.column("account_b").to_pylist())],
        "weight": pa.array([w or 0.0 for w in e.column("weight").to_pylist()], pa.float64()),
        "cluster": e.column("cluster"),
        "signals": pa.array(["; ".join(s) if s else None for s in e.column("signals").to_pylist()], pa.string()),
        **{c: e.column(c) for c in sig_cols},
    })
    xs, ys = payload["accounts"]["x"], payload["accounts"]["y"]
    # Gephi's y axis points up; flip it so the export looks like the page.
    positions = {i: (x * 10, -y * 10) for i, x, y in zip(ids, xs, ys)}
    ranks = a.column("cluster_rank").to_pylist()
    colours = {i: PALETTE[(r - 1) % len(PALETTE)] for i, r in zip(ids, ranks)}
    return nodes, edges, positions, colours


def write_report(
    workspace: str | os.PathLike[str] | Workspace,
    out: str | os.PathLike[str],
    **params: Any,
) -> dict[str, Path]:
    """Write the report of ``workspace`` into directory ``out``; see :class:`Report`.

    Returns
    -------
    dict
        File name → path of every file written.
    """
    if isinstance(workspace, Workspace):
        return Report(**params).fit(workspace).write(out)
    with Workspace(workspace, read_only=True) as ws:
        return Report(**params).fit(ws).write(out)
