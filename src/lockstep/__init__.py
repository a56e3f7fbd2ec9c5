"""lockstep: expose coordinated inauthentic behaviour in dumps of social-media posts.

The top-level names are imported lazily so that ``lockstep --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name -> (module, attribute); attribute None means the module itself. `lockstep.ingest` and
# `lockstep.detect` are subpackages that can also be called as functions (their modules are
# callable), so that the verb and the package are one name whichever is imported first.
_LAZY: dict[str, tuple[str, str | None]] = {
    "Workspace": ("lockstep.workspace", "Workspace"),
    "ingest": ("lockstep.ingest", None),
    "detect": ("lockstep.detect", None),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module_name, attr = _LAZY[name]
        module = importlib.import_module(module_name)
        value = module if attr is None else getattr(module, attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lockstep' has no attribute {name!r}")
