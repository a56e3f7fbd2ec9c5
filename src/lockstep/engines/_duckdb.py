"""The DuckDB engine: lockstep's default, running inside the workspace's own database."""

from __future__ import annotations

from typing import Any, ClassVar

import pyarrow as pa

from lockstep.engines._base import Engine

__all__ = ["DuckDBEngine"]


class DuckDBEngine(Engine):
    """Run queries on a DuckDB connection (normally ``Workspace.con``).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The connection; temporary tables live as long as it does.
    """

    name: ClassVar[str] = "duckdb"
    dialect: ClassVar[str] = "duckdb"
    # in_process: query results are in this process's memory, so a detector may fetch a large
    # intermediate table and work on it locally (a copy, not a transfer over the network).
    capabilities: ClassVar[frozenset[str]] = frozenset({"range_window", "python_udf", "temp_tables", "in_process"})

    def __init__(self, con: Any):
        self.con = con

    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        self.con.execute(sql, params or None)

    def fetch_arrow(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        rel = self.con.sql(sql, params=params or None)
        # DuckDB ≥1.4 names it to_arrow_table(); older releases arrow().
        fetch = getattr(rel, "to_arrow_table", None) or rel.arrow
        return fetch()

    def table_row_id(self, alias: str) -> str:
        # The table's own row id: unique and free, where row_number() OVER () numbers rows in one
        # thread after the rest of the query.
        return f"{alias}.rowid"

    def register_arrow(self, name: str, table: pa.Table) -> None:
        view = f"_ls_arrow_{name}"
        self.con.register(view, table)
        try:
            self.create_table(name, f"SELECT * FROM {view}")
        finally:
            self.con.unregister(view)
