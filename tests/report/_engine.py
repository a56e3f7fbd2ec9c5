"""Detection results for report tests: the real coordination engine, with its defaults."""

from __future__ import annotations

from lockstep import Workspace


def run_detection(ws: Workspace) -> str:
    """Fill the result tables of ``ws`` with lockstep.detect; returns "engine"."""
    from lockstep.detect import detect

    detect(ws, seed=0)
    return "engine"
