"""Docs that cannot drift: every format, command and column is documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from lockstep.cli import app
from lockstep.ingest import READERS
from lockstep.schema import schema_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_registered_input_format_is_in_the_ingest_docs():
    first_cells = re.findall(r"^\| (`[^|]+`) \|", (DOCS / "ingest.md").read_text(), re.M)
    names = {n for cell in first_cells for n in re.findall(r"`([^`]+)`", cell)}
    shipped = {name for name, cls in READERS.items() if cls.__module__.startswith("lockstep.")}
    assert shipped - names == set(), "formats missing from docs/ingest.md"
    assert names - shipped == set(), "docs/ingest.md lists formats that do not exist"


def test_schema_docs_are_generated_from_the_schema():
    assert (DOCS / "schema.md").read_text() == schema_markdown()


def test_every_command_is_documented_in_the_docs_folder():
    text = "\n".join(p.read_text() for p in DOCS.glob("*.md"))
    group = typer.main.get_group(app)
    for name, cmd in group.commands.items():
        if name == "version":
            continue
        subs = getattr(cmd, "commands", None) or {None: cmd}
        for sub in subs:
            usage = f"lockstep {name}" + (f" {sub}" if sub else "")
            assert usage in text, f"`{usage}` is not documented in docs/"
