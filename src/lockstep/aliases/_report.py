"""Run the linker on a workspace or on documents, write the results, and summarise them."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lockstep.aliases._io import NamedTexts, texts_from_documents, texts_from_workspace
from lockstep.aliases._linker import INSUFFICIENT, AliasLinker
from lockstep.errors import LockstepError

_WRITERS = (".csv", ".parquet", ".jsonl")


@dataclass
class AliasResult:
    """What `lockstep aliases` found: the fitted linker, display labels and skipped input."""

    linker: AliasLinker
    labels: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)

    def label(self, name: str) -> str:
        h = self.labels.get(name)
        return f"{name} (@{h})" if h else name

    def summary_lines(self, top: int = 20) -> list[str]:
        """Plain-text lines for the terminal: counts, top pairs with their evidence, clusters."""
        lk = self.linker
        names = lk.names_
        n_ok = int((names["status"] == "ok").sum())
        n_ins = int((names["status"] == INSUFFICIENT).sum())
        lines = [
            f"{len(names)} names: {n_ok} scored, {n_ins} with insufficient evidence "
            f"(< {lk.min_chars} characters); {len(lk.pairs_)} pairs scored; calibration {lk.calibration_used_}, "
            f"prior {lk.prior_:.4g}, topic similarity {lk.topic_used_}",
        ]
        if n_ok < 2:
            lines.append("fewer than two names with enough text: nothing to compare")
        shown = lk.pairs_.head(top)
        if len(shown):
            lines.append("")
            lines.append("most probable same-author pairs (probability, topic similarity, name a, name b):")
        for row in shown.itertuples(index=False):
            topic = "   -  " if row.topic_similarity != row.topic_similarity else f"{row.topic_similarity:6.3f}"
            lines.append(f"  {row.probability:7.4f}  {topic}  {self.label(row.name_a)}  ~  {self.label(row.name_b)}")
            ev = json.loads(row.evidence)
            if ev:
                lines.append("           shared: " + "; ".join(f"{e['kind']} {e['feature']!r}" for e in ev[:6]))
        if lk.clusters_:
            lines.append("")
            lines.append(f"clusters (probability ≥ {lk.threshold} on average):")
            for k, c in enumerate(lk.clusters_, 1):
                lines.append(f"  {k}: " + ", ".join(self.label(n) for n in c))
        if n_ins:
            sample = names.loc[names["status"] == INSUFFICIENT, "name"].head(5).tolist()
            lines.append("")
            lines.append(f"insufficient evidence ({n_ins}): " + ", ".join(self.label(n) for n in sample)
                         + (", ..." if n_ins > 5 else ""))
        for w in self.written:
            lines.append(f"wrote {w}")
        return lines


def _write(frame, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_json(path, orient="records", lines=True, force_ascii=False)


def run_aliases(
    *,
    workspace: str | os.PathLike[str] | None = None,
    docs: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    **params: Any,
) -> AliasResult:
    """Link the accounts of a workspace or the bylines of documents; write results where asked.

    Parameters
    ----------
    workspace, docs : path
        Exactly one: a lockstep workspace, or bylined documents (see
        :func:`lockstep.aliases.texts_from_documents`).
    out : path, optional
        File for the pairs (``.csv``, ``.parquet`` or ``.jsonl``); names are written beside it.
    **params
        :class:`AliasLinker` parameters.
    """
    if (workspace is None) == (docs is None):
        raise LockstepError("give exactly one of a workspace or documents")
    if out is not None and Path(out).suffix.lower() not in _WRITERS:
        raise LockstepError(f"--out must end in {', '.join(_WRITERS)}, not {Path(out).name!r}")
    ws = None
    if workspace is not None:
        from lockstep.workspace import Workspace

        ws = Workspace(workspace)
        named: NamedTexts = texts_from_workspace(ws)
    else:
        named = texts_from_documents(docs)  # type: ignore[arg-type]
    try:
        linker = AliasLinker(**params).fit(named.names, named.texts)
        result = AliasResult(linker=linker, labels=named.labels, skipped=named.skipped)
        if ws is not None:
            ws.write_table("alias_pairs", linker.pairs_)
            ws.write_table("alias_names", linker.names_)
            result.written.append(f"{workspace}: tables alias_pairs, alias_names")
    finally:
        if ws is not None:
            ws.close()
    if out is not None:
        out = Path(out)
        names_path = out.with_name(f"{out.stem}.names{out.suffix}")
        _write(linker.pairs_, out)
        _write(linker.names_, names_path)
        result.written += [str(out), str(names_path)]
    return result
