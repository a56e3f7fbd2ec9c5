"""The whole pipeline for reliability tests: simulate or hostile corpus → ingest → detect → report.

Detection uses the real engine when ``lockstep.detect`` exposes its entry point; tests that need it
skip with a message until then (the engine is being written).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPORT_TESTS = Path(__file__).resolve().parents[1] / "report"


def detect_function() -> Callable[..., Any] | None:
    """The coordination engine's entry point, or None while it is not available."""
    try:
        import lockstep.detect as detect
    except ImportError:
        return None
    for name in ("detect",):
        fn = getattr(detect, name, None)
        if callable(fn):
            return fn
    return None


def require_engine() -> Callable[..., Any]:
    fn = detect_function()
    if fn is None:
        pytest.skip("lockstep.detect does not expose run_detection()/detect() yet: the coordination engine "
                    "is still being written; this pipeline test runs once it does")
    return fn


def payloads() -> Any:
    """tests/report/_payloads.py: the hostile corpus shared with the report's own tests."""
    if str(REPORT_TESTS) not in sys.path:
        sys.path.insert(0, str(REPORT_TESTS))
    import _payloads

    return _payloads


def files_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
