"""Where lockstep's queries run: DuckDB (the default, inside the workspace) and, later, Spark.

``get_engine(name, workspace)`` returns an :class:`Engine`; detectors only talk to that interface.
"""

from __future__ import annotations

from typing import Any

from lockstep.engines._base import Engine, EngineCapabilityError, UnknownEngineError
from lockstep.engines._duckdb import DuckDBEngine

__all__ = ["ENGINES", "DuckDBEngine", "Engine", "EngineCapabilityError", "UnknownEngineError", "get_engine"]

#: Engine name → class. Spark registers here when its module exists.
ENGINES: dict[str, type[Engine]] = {"duckdb": DuckDBEngine}


def get_engine(name: str | Engine, workspace: Any) -> Engine:
    """The engine called ``name`` bound to ``workspace`` (an :class:`Engine` passes through)."""
    if isinstance(name, Engine):
        return name
    if name not in ENGINES:
        raise UnknownEngineError(f"unknown engine {name!r}; available: {', '.join(sorted(ENGINES))}")
    if name == "duckdb":
        return DuckDBEngine(workspace.con)
    return ENGINES[name](workspace)  # pragma: no cover - engines added later take the workspace
