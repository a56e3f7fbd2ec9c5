"""The Engine contract: where lockstep's queries run.

Detectors write their queries once, as SQL in lockstep's dialect (DuckDB's, kept to the subset that
sqlglot transpiles to Spark SQL), and hand them to an engine. An engine knows how to run a statement,
materialise a result as a named table, register an Arrow table and fetch a result as Arrow. What an
engine cannot do is declared up front in ``capabilities`` so that a detector that needs it fails
before any work, naming both (:meth:`Engine.require`).
"""

from __future__ import annotations

from typing import Any, ClassVar

import pyarrow as pa

from lockstep.errors import LockstepError

__all__ = ["Engine", "EngineCapabilityError", "UnknownEngineError"]


class UnknownEngineError(LockstepError):
    """An engine name that lockstep does not know, or whose optional dependency is missing."""


class EngineCapabilityError(LockstepError):
    """A detector needs something the chosen engine does not offer."""


class Engine:
    """Base class of the query engines.

    Subclasses set ``name``, ``dialect`` (a sqlglot dialect name) and ``capabilities``, and
    implement :meth:`execute`, :meth:`fetch_arrow` and :meth:`register_arrow`.
    """

    #: Short name used on the command line (``--engine duckdb``).
    name: ClassVar[str] = ""
    #: sqlglot dialect of the engine's SQL.
    dialect: ClassVar[str] = "duckdb"
    #: What the engine supports: ``"range_window"`` (RANGE frames on numbers),
    #: ``"python_udf"`` (local Python between queries is cheap), ``"temp_tables"``.
    capabilities: ClassVar[frozenset[str]] = frozenset()

    def transpile(self, sql: str) -> str:
        """lockstep's SQL (DuckDB dialect) in this engine's dialect."""
        if self.dialect == "duckdb":
            return sql
        import sqlglot

        return ";\n".join(sqlglot.transpile(sql, read="duckdb", write=self.dialect))

    def require(self, capability: str, who: str) -> None:
        """Fail before any work when ``who`` needs a capability this engine lacks."""
        if capability not in self.capabilities:
            raise EngineCapabilityError(
                f"{who} needs {capability!r}, which the {self.name} engine does not support"
            )

    # -- what a subclass implements ---------------------------------------------------------
    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        """Run a statement for its effect."""
        raise NotImplementedError

    def fetch_arrow(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        """Run a query and return its result as an Arrow table."""
        raise NotImplementedError

    def register_arrow(self, name: str, table: pa.Table) -> None:
        """Make an Arrow table queryable under ``name`` (a temporary table)."""
        raise NotImplementedError

    # -- built on the above -----------------------------------------------------------------
    def create_table(self, name: str, sql: str) -> None:
        """Materialise a query as a temporary table ``name`` (replacing it)."""
        self.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def drop(self, *names: str) -> None:
        """Drop temporary tables if they exist."""
        for name in names:
            self.execute(f"DROP TABLE IF EXISTS {name}")

    def scalar(self, sql: str) -> Any:
        """The single value of a one-row, one-column query."""
        t = self.fetch_arrow(sql)
        return t.column(0)[0].as_py() if t.num_rows else None

    def count(self, name: str) -> int:
        return int(self.scalar(f"SELECT count(*) FROM {name}") or 0)

    def epoch_us(self, expr: str) -> str:
        """SQL for a timestamp column as integer microseconds since the Unix epoch."""
        return f"epoch_us({expr})"

    def quantile(self, expr: str, q: float) -> str:
        """SQL for the exact, interpolated ``q`` quantile of ``expr`` (an aggregate)."""
        return f"quantile_cont({expr}, {float(q)})"

    def hash64(self, expr: str) -> str:
        """SQL for a 64-bit hash of ``expr`` (engines differ: DuckDB's hash, Spark's xxhash64)."""
        return f"hash({expr})"

    def row_id(self) -> str:
        """SQL for a unique BIGINT per row of a query, in no particular order (an internal handle)."""
        return "CAST(row_number() OVER () - 1 AS BIGINT)"

    def table_row_id(self, alias: str) -> str:
        """SQL for a unique BIGINT per row of the base table aliased ``alias`` in a query.

        Defaults to :meth:`row_id`; an engine with a physical row id (DuckDB's ``rowid``) returns
        that, which costs nothing to compute.
        """
        return self.row_id()

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
