"""lockstep: expose coordinated inauthentic behaviour in dumps of social-media posts.

The top-level names are imported lazily so that ``lockstep --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name -> module that defines it
_LAZY = {
    "Workspace": "lockstep.workspace",
    "ingest": "lockstep.workspace",
    "detect": "lockstep.detect",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lockstep' has no attribute {name!r}")
