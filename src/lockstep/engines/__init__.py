"""Where lockstep's queries run: DuckDB (the default, inside the workspace) and Spark (:class:`SparkEngine`).

``get_engine(name, workspace)`` returns an :class:`Engine`; detectors only talk to that interface.
"""

from __future__ import annotations

from typing import Any

from lockstep.engines._base import Engine, EngineCapabilityError, UnknownEngineError
from lockstep.engines._duckdb import DuckDBEngine
from lockstep.engines._spark import SparkEngine, spark_available
from lockstep.engines._spark_scan import ScanError, SparkScan, is_parquet_input, scan_parquet

__all__ = [
    "ENGINES", "DuckDBEngine", "Engine", "EngineCapabilityError", "ScanError", "SparkEngine", "SparkScan",
    "UnknownEngineError", "engine_capabilities", "get_engine", "is_parquet_input", "scan_parquet", "spark_available",
]

#: Engine name → class.
ENGINES: dict[str, type[Engine]] = {"duckdb": DuckDBEngine, "spark": SparkEngine}


def get_engine(name: str | Engine, workspace: Any, **options: Any) -> Engine:
    """The engine called ``name`` bound to ``workspace`` (an :class:`Engine` passes through).

    ``options`` go to the engine's constructor (Spark: ``master``, ``conf``, ``spark``, ``posts``).
    """
    if isinstance(name, Engine):
        return name
    if name not in ENGINES:
        raise UnknownEngineError(f"unknown engine {name!r}; available: {', '.join(sorted(ENGINES))}")
    if name == "duckdb":
        return DuckDBEngine(workspace.con)
    return ENGINES[name](workspace, **options)


class _Capabilities:
    """An engine's capabilities without building it (no Spark session started to check them)."""

    def __init__(self, cls: type[Engine] | Engine):
        self.name, self.capabilities, self._require = cls.name, cls.capabilities, Engine.require

    def require(self, capability: str, who: str) -> None:
        self._require(self, capability, who)  # type: ignore[arg-type]


def engine_capabilities(name: str | Engine) -> Engine | _Capabilities:
    """What engine ``name`` supports (``.capabilities``, ``.require(cap, who)``), before any work."""
    if isinstance(name, Engine):
        return name
    if name not in ENGINES:
        raise UnknownEngineError(f"unknown engine {name!r}; available: {', '.join(sorted(ENGINES))}")
    return _Capabilities(ENGINES[name])
