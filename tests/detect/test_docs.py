"""docs/detect.md lists every registered signal and every result table."""

from __future__ import annotations

import re
from pathlib import Path

from lockstep.detect import DETECTORS, RESULT_TABLES

DOC = Path(__file__).resolve().parents[2] / "docs" / "detect.md"


def test_every_registered_signal_is_in_the_signal_table_and_nothing_else():
    rows = re.findall(r"^\| `([^`]+)` \|", DOC.read_text(), re.M)
    assert rows == list(DETECTORS)


def test_every_result_table_is_described():
    text = DOC.read_text()
    for name in [*RESULT_TABLES, "detect_runs"]:
        assert f"- `{name}`" in text, name
