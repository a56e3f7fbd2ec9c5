"""The workspace: a directory holding a DuckDB database with the canonical tables.

Ingesting appends idempotently: a file whose bytes were ingested before is skipped, and a post
whose key ``(platform, post_id)`` is already stored is counted as a duplicate (and listed in the
``duplicates`` table), never stored twice. Each file is ingested in one transaction, so a crash
leaves the workspace as it was before that file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa

from lockstep.errors import WorkspaceError, WorkspaceInUseError
from lockstep.schema import ACCOUNT_FIELDS, POST_FIELDS, REJECTED_FIELDS, SOURCE_FIELDS, Field

__all__ = ["FORMAT_VERSION", "Workspace", "ingest"]

#: Version of the on-disk layout; a workspace of another version is refused with a clear message.
FORMAT_VERSION = 1
DB_NAME = "lockstep.duckdb"

Frame = Literal["arrow", "polars", "pandas"]


def _duck_type(f: Field) -> str:
    t = f.type
    if pa.types.is_list(t):
        return "VARCHAR[]"
    if pa.types.is_timestamp(t):
        return "TIMESTAMPTZ"
    return {"string": "VARCHAR", "int64": "BIGINT", "bool": "BOOLEAN"}[str(t)]


def _create_sql(table: str, fields: Sequence[Field], extra: str = "") -> str:
    cols = ",\n  ".join(
        f"{f.name} {_duck_type(f)}{' NOT NULL' if f.required else ''}" for f in fields
    )
    return f"CREATE TABLE IF NOT EXISTS {table} (\n  {cols}{extra}\n)"


_ACCOUNT_VALUE_FIELDS = [f.name for f in ACCOUNT_FIELDS if f.name not in ("platform", "account_id")]

_SCHEMA_SQL = [
    "CREATE TABLE IF NOT EXISTS metadata (key VARCHAR PRIMARY KEY, value VARCHAR)",
    _create_sql("posts", POST_FIELDS),
    _create_sql("account_observations", ACCOUNT_FIELDS, ",\n  obs_hash VARCHAR NOT NULL"),
    _create_sql("rejected", REJECTED_FIELDS),
    _create_sql("sources", SOURCE_FIELDS),
    # An ingest in progress: where each table ended before it started (see ingest/_driver.py).
    """CREATE TABLE IF NOT EXISTS ingest_journal (
  journal_id BIGINT, source_id VARCHAR, path VARCHAR, started_at TIMESTAMPTZ,
  posts_end BIGINT, account_observations_end BIGINT, rejected_end BIGINT, duplicates_end BIGINT
)""",
    """CREATE TABLE IF NOT EXISTS duplicates (
  source_file VARCHAR NOT NULL, source_line BIGINT, platform VARCHAR NOT NULL, post_id VARCHAR NOT NULL,
  same_content BOOLEAN
)""",
    # One row per account: the latest non-null value of each field (profiles change over time;
    # the observations table keeps every version for persona signals such as renames).
    "CREATE OR REPLACE VIEW accounts AS SELECT platform, account_id, "
    + ", ".join(
        f"arg_max({c}, coalesce(observed_at, TIMESTAMPTZ '1970-01-01')) FILTER (WHERE {c} IS NOT NULL) AS {c}"
        for c in _ACCOUNT_VALUE_FIELDS
        if c not in ("source_file", "source_line")
    )
    + ", min(source_file) AS source_file, min(source_line) AS source_line"
    + " FROM account_observations GROUP BY platform, account_id",
]


class Workspace:
    """A lockstep workspace on disk.

    Parameters
    ----------
    path : str or Path
        The workspace directory; created with an empty database when missing.
    read_only : bool
        Open without the write lock (several readers may share a workspace).
    memory_limit : str, optional
        DuckDB memory limit, e.g. ``"4GB"``; DuckDB spills to ``path/tmp`` beyond it.
    threads : int, optional
        DuckDB worker threads (default: all cores).

    Examples
    --------
    >>> import tempfile, lockstep
    >>> ws = lockstep.Workspace(tempfile.mkdtemp())
    >>> ws.table("posts").num_rows
    0
    >>> ws.close()
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        read_only: bool = False,
        memory_limit: str | None = None,
        threads: int | None = None,
    ):
        self.path = Path(path)
        self.read_only = read_only
        if self.path.exists() and not self.path.is_dir():
            raise WorkspaceError(f"{self.path}: exists and is not a directory")
        db = self.path / DB_NAME
        if read_only and not db.exists():
            raise WorkspaceError(f"{self.path}: not a lockstep workspace (no {DB_NAME}); run `lockstep ingest` first")
        self.path.mkdir(parents=True, exist_ok=True)
        config: dict[str, Any] = {"temp_directory": str(self.path / "tmp")}
        if memory_limit:
            config["memory_limit"] = memory_limit
        if threads:
            config["threads"] = threads
        try:
            self.con = duckdb.connect(str(db), read_only=read_only, config=config)
        except duckdb.IOException as e:
            if "lock" in str(e).lower():
                raise WorkspaceInUseError(
                    f"{self.path}: workspace in use by another lockstep process; wait for it to finish"
                ) from None
            raise WorkspaceError(f"{self.path}: cannot open the workspace database: {e}") from None
        except duckdb.Error as e:
            raise WorkspaceError(f"{self.path}: cannot open the workspace database: {e}") from None
        # Checkpoint after 256 MB of WAL, not 16 MB: ingest commits every batch (bounded memory),
        # and checkpointing that often cost more than the inserts.
        self.con.execute("SET checkpoint_threshold = '256MB'")
        # Timestamps come back in UTC whatever the machine's zone: same input, same output.
        self.con.execute("SET TimeZone = 'UTC'")
        # No progress bar: DuckDB would draw it on stdout, into `--json` output.
        self.con.execute("SET enable_progress_bar = false")
        self._init_schema()
        self.recovered_ = self._recover()
        #: Bumped by every ingest: what was built from the posts before (the detectors' indexes)
        #: is stale after it.
        self.generation = 0

    def _recover(self) -> list[str]:
        """Remove the partial rows of ingests that were interrupted (killed, crashed)."""
        has_journal = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'ingest_journal'"
        ).fetchall()[0][0]
        if not has_journal:
            return []
        if self.read_only:
            pending = [r[0] for r in self.con.execute("SELECT path FROM ingest_journal").fetchall()]
            if pending:
                raise WorkspaceError(
                    f"{self.path}: the ingest of {', '.join(pending)} was interrupted and left partial rows; "
                    "open the workspace for writing (run `lockstep ingest` again) to remove them"
                )
            return []
        from lockstep.ingest._driver import undo_journal

        return undo_journal(self.con)

    def _init_schema(self) -> None:
        has_meta = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'metadata'"
        ).fetchall()[0][0]
        if has_meta:
            rows = self.con.execute("SELECT value FROM metadata WHERE key = 'format_version'").fetchall()
            row = rows[0] if rows else None
            if row and int(row[0]) != FORMAT_VERSION:
                raise WorkspaceError(
                    f"{self.path}: workspace format version {row[0]}, this lockstep reads version "
                    f"{FORMAT_VERSION}; re-ingest into a new workspace"
                )
        if self.read_only:
            if not has_meta:
                raise WorkspaceError(f"{self.path}: not a lockstep workspace")
            return
        for sql in _SCHEMA_SQL:
            self.con.execute(sql)
        self.con.execute(
            "INSERT OR IGNORE INTO metadata VALUES ('format_version', ?)", [str(FORMAT_VERSION)]
        )

    # -- reading -----------------------------------------------------------------------------

    def table(self, name: str, as_: Frame = "arrow") -> Any:
        """A whole table (or view) as Arrow, Polars or pandas."""
        return self.query(f'SELECT * FROM "{_ident(name)}"', as_=as_)

    def query(self, sql: str, params: Sequence[Any] | None = None, as_: Frame = "arrow") -> Any:
        """The result of a SQL query on the workspace as Arrow, Polars or pandas."""
        rel = self.con.sql(sql, params=list(params) if params else None)
        if as_ == "arrow":
            return _fetch_arrow(rel)
        if as_ == "polars":
            return rel.pl()
        if as_ == "pandas":
            return rel.df()
        raise ValueError(f"as_ must be 'arrow', 'polars' or 'pandas', not {as_!r}")

    def tables(self) -> list[str]:
        """Names of the tables and views in the workspace."""
        return [r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
        ).fetchall()]

    def write_table(self, name: str, data: Any) -> None:
        """Create or replace a result table from an Arrow table (or anything DuckDB can scan)."""
        self.con.register("_lockstep_write", data)
        try:
            self.con.execute(f'CREATE OR REPLACE TABLE "{_ident(name)}" AS SELECT * FROM _lockstep_write')
        finally:
            self.con.unregister("_lockstep_write")

    def info(self) -> dict[str, Any]:
        """Counts per platform/kind/source, the time span, and rejected rows by reason."""
        q = self.con.execute
        n_posts, n_accounts_posting, first, last = q(
            "SELECT count(*), count(DISTINCT (platform, account_id)), min(created_at), max(created_at) FROM posts"
        ).fetchall()[0]
        return {
            "workspace": str(self.path),
            "posts": n_posts,
            "accounts_posting": n_accounts_posting,
            "accounts_profiled": q("SELECT count(*) FROM accounts").fetchall()[0][0],
            "first_post": first.isoformat() if first else None,
            "last_post": last.isoformat() if last else None,
            "by_platform_kind": [
                {"platform": p, "kind": k, "posts": n, "accounts": a}
                for p, k, n, a in q(
                    "SELECT platform, kind, count(*), count(DISTINCT account_id) FROM posts "
                    "GROUP BY ALL ORDER BY 1, 2"
                ).fetchall()
            ],
            "sources": [
                {"path": p, "format": f, "platform": pl, "read": r, "accepted": a, "duplicates": d, "rejected": j}
                for p, f, pl, r, a, d, j in q(
                    "SELECT path, format, platform, n_read, n_accepted, n_duplicates, n_rejected "
                    "FROM sources ORDER BY ingested_at, path"
                ).fetchall()
            ],
            "rejected_by_reason": [
                {"field": f, "reason": r, "rows": n}
                for f, r, n in q(
                    # Reasons quote the bad value; group on the text before the first quote so that
                    # one kind of fault is one line.
                    "SELECT field, split_part(reason, '''', 1) AS r, count(*) FROM rejected "
                    "GROUP BY ALL ORDER BY 3 DESC, 1, 2"
                ).fetchall()
            ],
            "duplicates": q("SELECT count(*) FROM duplicates").fetchall()[0][0],
        }

    # -- writing -----------------------------------------------------------------------------

    def ingest(
        self,
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        *,
        format: str | None = None,
        mapping: dict[str, str] | None = None,
        platform: str | None = None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> list[Any]:
        """Ingest files (directories are walked, sorted) into the workspace.

        Parameters
        ----------
        paths : path or list of paths
        format : str, optional
            Reader name; detected per file when omitted.
        mapping : dict, optional
            Source column → canonical field, for generic tables.
        platform : str, optional
            Platform to assign instead of the reader's default.
        progress : callable, optional
            Called as ``progress(path, bytes_done, bytes_total)`` while reading.

        Returns
        -------
        list of IngestResult
            One per file, with ``n_read = n_accepted + n_duplicates + n_rejected``.
        """
        from lockstep._hugepages import no_hugepages
        from lockstep.ingest import ingest_file, open_source

        if self.read_only:
            raise WorkspaceError(f"{self.path}: opened read-only")
        results = []
        self.generation += 1
        with no_hugepages():
            for file in _expand(paths):
                for source in open_source(str(file)):
                    results.append(
                        ingest_file(self, source, format=format, mapping=mapping, platform=platform, progress=progress)
                    )
        return results

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a table name: {name!r}")
    return name


def _fetch_arrow(rel: Any) -> pa.Table:
    # DuckDB ≥1.4 names it to_arrow_table(); older releases arrow().
    fetch = getattr(rel, "to_arrow_table", None) or rel.arrow
    return fetch()


def _expand(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")))
        else:
            out.append(p)
    return out


def ingest(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    workspace: str | os.PathLike[str] | Workspace,
    **kwargs: Any,
) -> list[Any]:
    """Ingest files into a workspace (a path or an open :class:`Workspace`); see :meth:`Workspace.ingest`."""
    if isinstance(workspace, Workspace):
        return workspace.ingest(paths, **kwargs)
    with Workspace(workspace) as ws:
        return ws.ingest(paths, **kwargs)
