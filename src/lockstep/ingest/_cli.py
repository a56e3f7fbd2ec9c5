"""``lockstep ingest``, ``lockstep info`` and ``lockstep formats``."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from lockstep._cli_common import console, err_console, handle_errors
from lockstep.errors import MappingError


def _parse_map(items: list[str] | None) -> dict[str, str] | None:
    if not items:
        return None
    mapping = {}
    for item in items:
        src, sep, dst = item.partition("=")
        if not sep or not src or not dst:
            raise MappingError(f"--map {item!r}: expected SRC_COL=FIELD, e.g. --map tweet_text=text")
        mapping[src] = dst.strip()
    return mapping


def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or directories (walked recursively) to read."),
    workspace: Path = typer.Option(..., "--workspace", "-w", help="Workspace directory (created if missing)."),
    format: str | None = typer.Option(None, "--format", "-f", help="Reader to use (see `lockstep formats`); detected per file when omitted."),
    map: list[str] | None = typer.Option(None, "--map", "-m", help="SRC_COL=FIELD: read column SRC_COL as canonical FIELD (generic tables). Repeatable."),
    platform: str | None = typer.Option(None, "--platform", "-p", help="Platform to assign to the rows (e.g. twitter, telegram)."),
    as_json: bool = typer.Option(False, "--json", help="Print the per-file counts as JSON."),
) -> None:
    """Read exports into a workspace, one canonical schema for all formats.

    Formats are detected from each file's content (gzip, zstd, bz2, xz and zip are opened
    transparently). The same file ingested twice adds nothing; a post already stored is counted
    as a duplicate. Every file prints read = accepted + duplicates + rejected; rejected rows are kept
    in the workspace with file, line, field and reason (`lockstep info` lists them).

    Example:

        lockstep ingest tweets.jsonl.gz telegram/result.json --workspace ws

        lockstep ingest shares.csv --workspace ws --map user=account_id --map shared_at=created_at --map link=urls --platform facebook
    """
    from lockstep.workspace import Workspace

    mapping = _parse_map(map)
    with Workspace(workspace) as ws:
        if err_console.is_terminal:
            with Progress(
                TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
                console=err_console, transient=True,
            ) as bar:
                tasks: dict[str, int] = {}

                def progress(path: str, done: int, total: int) -> None:
                    if path not in tasks:
                        tasks[path] = bar.add_task(Path(path).name[-40:], total=total or None)
                    bar.update(tasks[path], completed=done)

                results = ws.ingest(paths, format=format, mapping=mapping, platform=platform, progress=progress)
        else:
            results = ws.ingest(paths, format=format, mapping=mapping, platform=platform)
    if as_json:
        typer.echo(json.dumps([r.as_dict() for r in results], indent=2))
        return
    table = Table(title=f"Ingested into {workspace}")
    for col in ("file", "format", "read", "accepted", "duplicates", "rejected", "seconds"):
        table.add_column(col, justify="right" if col not in ("file", "format") else "left")
    for r in results:
        if r.skipped:
            table.add_row(r.path, r.format, "already ingested", "0", "", "", f"{r.seconds:.1f}")
        else:
            table.add_row(r.path, r.format, f"{r.n_read:,}", f"{r.n_accepted:,}", f"{r.n_duplicates:,}",
                          f"{r.n_rejected:,}", f"{r.seconds:.1f}")
    console.print(table)
    n_rej = sum(r.n_rejected for r in results)
    if n_rej:
        console.print(f"{n_rej:,} rejected rows kept in the workspace: `lockstep info --workspace {workspace}` explains them.")


def info(
    workspace: Path = typer.Option(..., "--workspace", "-w", help="Workspace directory."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    rejected: int = typer.Option(0, "--rejected", help="Also list this many rejected rows with file, line, field and reason."),
) -> None:
    """What a workspace holds: posts per platform and kind, sources, time span, rejected rows by reason.

    Example:

        lockstep info --workspace ws

        lockstep info --workspace ws --rejected 20
    """
    from lockstep.workspace import Workspace

    with Workspace(workspace, read_only=True) as ws:
        data = ws.info()
        rows = ws.query(
            "SELECT source_file, source_line, field, reason FROM rejected ORDER BY source_file, source_line LIMIT ?",
            [rejected],
        ).to_pylist() if rejected else []
    if as_json:
        data["rejected_rows"] = rows
        typer.echo(json.dumps(data, default=str, indent=2))
        return
    console.print(f"[bold]{data['workspace']}[/bold]: {data['posts']:,} posts by {data['accounts_posting']:,} "
                  f"accounts ({data['accounts_profiled']:,} with profiles), "
                  f"{data['first_post'] or '–'} … {data['last_post'] or '–'}")
    t = Table(title="Posts by platform and kind")
    for c in ("platform", "kind", "posts", "accounts"):
        t.add_column(c, justify="right" if c in ("posts", "accounts") else "left")
    for r in data["by_platform_kind"]:
        t.add_row(r["platform"], r["kind"], f"{r['posts']:,}", f"{r['accounts']:,}")
    console.print(t)
    t = Table(title="Sources")
    for c in ("file", "format", "read", "accepted", "duplicates", "rejected"):
        t.add_column(c, justify="left" if c in ("file", "format") else "right")
    for r in data["sources"]:
        t.add_row(r["path"], r["format"], f"{r['read']:,}", f"{r['accepted']:,}", f"{r['duplicates']:,}", f"{r['rejected']:,}")
    console.print(t)
    if data["rejected_by_reason"]:
        t = Table(title="Rejected rows by reason")
        for c in ("field", "reason", "rows"):
            t.add_column(c, justify="right" if c == "rows" else "left")
        for r in data["rejected_by_reason"]:
            t.add_row(r["field"] or "(record)", r["reason"], f"{r['rows']:,}")
        console.print(t)
    for r in rows:
        console.print(f"{r['source_file']}:{r['source_line']}: {r['field'] or '(record)'}: {r['reason']}",
                      markup=False, soft_wrap=True)


def formats() -> None:
    """List the input formats lockstep reads (the names `--format` takes).

    Example:

        lockstep formats
    """
    from lockstep.ingest import READERS

    t = Table(title="Input formats")
    t.add_column("format")
    t.add_column("platform")
    t.add_column("what it reads")
    for name, cls in sorted(READERS.items()):
        t.add_row(name, cls.platform, (cls.description or (cls.__doc__ or "").strip().splitlines()[0]))
    console.print(t)


def register(app: typer.Typer) -> None:
    app.command()(handle_errors(ingest))
    app.command()(handle_errors(info))
    app.command()(handle_errors(formats))
