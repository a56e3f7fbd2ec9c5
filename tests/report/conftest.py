from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    """A real pipeline over the payload corpus: ingest, detect, report. Returns (workspace path, out dir, engine)."""
    from _engine import run_detection
    from _payloads import write_corpus

    from lockstep import Workspace
    from lockstep.report import write_report

    root = tmp_path_factory.mktemp("hostile")
    csv_path = write_corpus(root / "posts.csv")
    with Workspace(root / "ws") as ws:
        ws.ingest(csv_path)
        engine = run_detection(ws)
        write_report(ws, root / "report")
    return root / "ws", root / "report", engine
