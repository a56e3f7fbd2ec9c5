"""The ``lockstep report`` command."""

from __future__ import annotations

from pathlib import Path

import typer

from lockstep._cli_common import console, handle_errors


def report(
    workspace: Path = typer.Option(..., "--workspace", "-w", help="Workspace on which `lockstep detect` has run."),
    out: Path = typer.Option(..., "--out", "-o", help="Directory to write report.html and the exports into."),
    title: str = typer.Option("lockstep report", "--title", help="Title of the HTML page."),
    generated_at: str | None = typer.Option(None, "--generated-at",
                                            help="Date to show in the page (never taken from the clock, "
                                            "so the same workspace gives the same bytes)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the network layout."),
) -> None:
    """Write the investigation report: one offline HTML file plus CSV, Parquet, GEXF and GraphML exports.

    OUT receives report.html (open it in any browser, no server needed), accounts / clusters /
    edges / evidence as .csv and .parquet, network.gexf (Gephi), network.graphml and summary.json.

    Example:

        lockstep report --workspace ws --out report

        lockstep report --workspace ws --out report --title "Operation X" --generated-at 2024-05-01
    """
    from lockstep.report import write_report

    paths = write_report(workspace, out, title=title, generated_at=generated_at, seed=seed)
    html = paths["report.html"]
    console.print(f"wrote {len(paths)} files to {out}", markup=False)
    console.print(f"report: {html}", markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to the app."""
    app.command()(handle_errors(report))
