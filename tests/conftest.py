from __future__ import annotations

from pathlib import Path

import pytest

import tests.plugins.tsv_reader  # noqa: F401  (registers the test reader)

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data beside the checkout; tests that need it skip with a message when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data sets not available at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def workspace(tmp_path):
    """A fresh, empty workspace."""
    from lockstep import Workspace

    ws = Workspace(tmp_path / "ws")
    yield ws
    ws.close()
