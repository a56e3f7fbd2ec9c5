"""Writing persona results: to the workspace and to CSV / Parquet / JSON files by suffix."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from lockstep.errors import LockstepError
from lockstep.personas._signals import PersonaSignals
from lockstep.workspace import Workspace

_SUFFIXES = (".csv", ".parquet", ".json")


def _write_one(table: pa.Table, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        pq.write_table(table, path)
    elif suffix == ".csv":
        # CSV has no lists: join them with "; " (flags are sentences without semicolons).
        cols = []
        for f in table.schema:
            col = table[f.name]
            if pa.types.is_list(f.type):
                if pa.types.is_string(f.type.value_type):
                    col = pc.binary_join(col, "; ")
                else:
                    col = pa.array([None if v is None else json.dumps(v) for v in col.to_pylist()], pa.string())
            cols.append(col)
        pacsv.write_csv(pa.table(cols, names=table.column_names), path)
    else:
        rows = table.to_pylist()
        path.write_text(json.dumps(rows, default=str, ensure_ascii=False, indent=1), encoding="utf-8")


def write_results(signals: PersonaSignals, out: str | os.PathLike[str]) -> list[Path]:
    """Write ``accounts_`` to ``out`` and, beside it, ``<stem>.schedule<suffix>`` and (when
    clusters exist) ``<stem>.clusters<suffix>``; the suffix (.csv, .parquet, .json) picks the format.

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(out)
    if out.suffix.lower() not in _SUFFIXES:
        raise LockstepError(f"{out}: --out must end in .csv, .parquet or .json")
    out.parent.mkdir(parents=True, exist_ok=True)
    written = [out]
    _write_one(signals.accounts_, out)
    for name, table in (("schedule", signals.schedule_), ("clusters", signals.clusters_)):
        if table is not None:
            p = out.with_name(f"{out.stem}.{name}{out.suffix}")
            _write_one(table, p)
            written.append(p)
    return written


def run_personas(
    workspace: str | os.PathLike[str],
    *,
    out: str | os.PathLike[str] | None = None,
    groups: str | os.PathLike[str] | None = None,
    **params: Any,
) -> tuple[PersonaSignals, list[Path]]:
    """Fit persona signals on a workspace, store them in it (tables ``personas``,
    ``persona_schedule`` and ``persona_clusters``) and optionally export them to ``out``."""
    with Workspace(workspace) as ws:
        signals = PersonaSignals(groups=groups, **params).fit(ws)
        ws.write_table("personas", signals.accounts_)
        ws.write_table("persona_schedule", signals.schedule_)
        if signals.clusters_ is not None:
            ws.write_table("persona_clusters", signals.clusters_)
    written = write_results(signals, out) if out is not None else []
    return signals, written
