"""The investigation report: one self-contained, safe HTML file and Gephi/pandas-ready exports.

``write_report(workspace, out)`` reads the detection results of a workspace and writes into
``out``: ``report.html`` (works offline, no server, no CDN), ``accounts``, ``clusters``, ``edges``
and ``evidence`` as CSV and Parquet, ``network.gexf``, ``network.graphml`` and ``summary.json``.
See docs/report.md.
"""

from __future__ import annotations

from lockstep.report._data import ReportData, ReportError, gather
from lockstep.report._exports import neutralise_cell, write_csv, write_gexf, write_graphml, xml_text
from lockstep.report._html import embed_json, render_html
from lockstep.report._report import FILES, Report, write_report

__all__ = [
    "FILES",
    "Report",
    "ReportData",
    "ReportError",
    "embed_json",
    "gather",
    "neutralise_cell",
    "render_html",
    "write_csv",
    "write_gexf",
    "write_graphml",
    "write_report",
    "xml_text",
]
