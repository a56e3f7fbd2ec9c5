"""The Spark engine: the same detector SQL, transpiled to Spark SQL, for data beyond one machine.

Detectors write every query once (lockstep's DuckDB dialect); this engine transpiles each
statement with sqlglot and runs it on a :class:`pyspark.sql.SparkSession`. Result tables are temp
views over locally checkpointed DataFrames, so each stage is computed once and the lineage of a
long run stays short. Only small results (candidate edges, evidence, the graph) come back to the
driver, as Arrow.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import pyarrow as pa

from lockstep.engines._base import Engine, UnknownEngineError

__all__ = ["SparkEngine", "spark_available"]

# The columns a detection run reads from `posts` (the rest stays where it is).
_POST_COLUMNS = (
    "platform", "post_id", "account_id", "created_at", "kind", "repost_of", "reply_to", "quote_of",
    "text_norm", "urls", "domains", "hashtags", "mentions", "media",
)

_CREATE = re.compile(r"^\s*CREATE\s+OR\s+REPLACE\s+TEMP\s+TABLE\s+(\w+)\s+AS\s+(.*)$", re.S | re.I)
_DROP = re.compile(r"^\s*DROP\s+TABLE\s+IF\s+EXISTS\s+(\w+)\s*$", re.I)


def spark_available() -> str | None:
    """None when the Spark engine can run here, else what is missing (pyspark or Java)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'lockstep[spark]')"
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        return "Java is not installed (e.g. apt-get install default-jre-headless)"
    return None


class SparkEngine(Engine):
    """Run lockstep's queries on Apache Spark.

    Parameters
    ----------
    workspace : Workspace, optional
        Where the posts come from when ``posts`` is not given: the workspace's ``posts`` table,
        passed to Spark as Arrow (fine for data that fits on the driver).
    spark : pyspark.sql.SparkSession, optional
        A session to use (on Databricks or EMR: the one the platform gives you). Default: a
        session built from ``master`` and ``conf``.
    master : str, optional
        Spark master for a session built here (``local[2]``, ``spark://host:7077``, ``yarn``).
        Default: the master ``spark-submit`` was given, else ``local[*]``.
    conf : mapping of str → str, optional
        Extra Spark settings for a session built here (``spark.executor.memory=8g``, ...).
    posts : str or sequence of str or pyspark DataFrame, optional
        The posts themselves, for data that does not fit on one machine: Parquet paths or globs
        (``s3a://bucket/posts/*.parquet``) in the canonical ``posts`` schema, or a DataFrame.

    Notes
    -----
    Temporary tables are cached with ``localCheckpoint``: on executor loss Spark cannot recompute
    them and the run fails (rerun it); this keeps plans short and each stage computed once.
    """

    name: ClassVar[str] = "spark"
    dialect: ClassVar[str] = "spark"
    # No cheap local Python between queries on a cluster; RANGE frames on numbers are supported.
    capabilities: ClassVar[frozenset[str]] = frozenset({"range_window", "temp_tables"})

    def __init__(
        self,
        workspace: Any = None,
        *,
        spark: Any = None,
        master: str | None = None,
        conf: Mapping[str, str] | None = None,
        posts: Any = None,
    ):
        missing = spark_available() if spark is None else None
        if missing:
            raise UnknownEngineError(f"the spark engine is unavailable: {missing}")
        self.workspace = workspace
        self.master = master
        self.conf = dict(conf or {})
        self.posts = posts
        self._spark = spark
        self._frames: dict[str, Any] = {}
        self._posts_loaded = False

    # -- the session and the input ------------------------------------------------------------
    @property
    def spark(self) -> Any:
        if self._spark is None:
            from pyspark.sql import SparkSession

            master = self.master
            if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
                master = "local[*]"  # not under spark-submit, which sets the master itself
            b = SparkSession.builder.appName("lockstep")
            if master is not None:
                b = b.master(master)
            settings = {
                # Timestamps are UTC throughout lockstep; epoch microseconds must not shift.
                "spark.sql.session.timeZone": "UTC",
                "spark.sql.execution.arrow.pyspark.enabled": "true",
                "spark.ui.enabled": "false",
                # Small local runs: a few shuffle partitions, not 200.
                "spark.sql.shuffle.partitions": "4" if (master or "").startswith("local") else "200",
            }
            settings.update(self.conf)
            for k, v in settings.items():
                b = b.config(k, v)
            self._spark = b.getOrCreate()
        return self._spark

    def _ensure_posts(self) -> None:
        if self._posts_loaded:
            # Temp views belong to the session: another engine on it may have named its own posts.
            self._frames["posts"].createOrReplaceTempView("posts")
            return
        self._posts_loaded = True
        spark = self.spark
        src = self.posts
        if src is None:
            if self.workspace is None:
                raise UnknownEngineError("the spark engine needs a workspace or posts (Parquet paths or a DataFrame)")
            cols = ", ".join(_POST_COLUMNS)
            table = self.workspace.con.sql(f"SELECT {cols} FROM posts").to_arrow_table()
            df = self._from_arrow(table)
        elif isinstance(src, str | os.PathLike) or (isinstance(src, Sequence) and not isinstance(src, str)):
            paths = [str(src)] if isinstance(src, str | os.PathLike) else [str(s) for s in src]
            df = spark.read.parquet(*paths).select(*_POST_COLUMNS)
        else:
            df = src.select(*_POST_COLUMNS)
        df.createOrReplaceTempView("posts")
        self._frames["posts"] = df

    def _from_arrow(self, table: pa.Table) -> Any:
        # Spark has no unsigned or large-string types; lockstep's tables use neither.
        return self.spark.createDataFrame(table)

    # -- the Engine contract --------------------------------------------------------------------
    def transpile(self, sql: str) -> str:
        import sqlglot

        out = sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)
        if len(out) != 1:
            raise ValueError("the spark engine runs one statement at a time")
        return out[0]

    def _df(self, sql: str) -> Any:
        self._ensure_posts()
        return self.spark.sql(self.transpile(sql))

    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        if params:
            raise ValueError("the spark engine takes no query parameters; inline literals")
        m = _CREATE.match(sql)
        if m:
            self.create_table(m.group(1), m.group(2))
            return
        m = _DROP.match(sql)
        if m:
            self.drop(m.group(1))
            return
        self._df(sql).collect()

    def fetch_arrow(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        if params:
            raise ValueError("the spark engine takes no query parameters; inline literals")
        return self._df(sql).toArrow()

    def register_arrow(self, name: str, table: pa.Table) -> None:
        self._ensure_posts()
        self._set(name, self._from_arrow(table).localCheckpoint(eager=True))

    def create_table(self, name: str, sql: str) -> None:
        # Computed once, here, and kept (checkpointed), as a DuckDB temp table would be. Measured:
        # lazy persist() instead recomputes more and ran slower; and ids from row_id() must never
        # be recomputed (a recomputation may number rows differently).
        self._set(name, self._df(sql).localCheckpoint(eager=True))

    def drop(self, *names: str) -> None:
        for name in names:
            df = self._frames.pop(name, None)
            if df is not None:
                df.unpersist()
            self.spark.catalog.dropTempView(name)

    def _set(self, name: str, df: Any) -> None:
        old = self._frames.get(name)
        df.createOrReplaceTempView(name)
        self._frames[name] = df
        if old is not None and old is not df:
            old.unpersist()

    def epoch_us(self, expr: str) -> str:
        # sqlglot passes unknown functions through unchanged: this reaches Spark as written.
        return f"unix_micros({expr})"

    def quantile(self, expr: str, q: float) -> str:
        # Spark's percentile() is exact and interpolates like DuckDB's quantile_cont.
        return f"percentile({expr}, {float(q)})"

    def hash64(self, expr: str) -> str:
        return f"xxhash64({expr})"

    def row_id(self) -> str:
        # Unique without a global sort (row_number() needs an ordered, single-partition window);
        # the table is checkpointed right away, so the ids never change within a run.
        return "monotonically_increasing_id()"

    def close(self) -> None:
        """Drop this run's tables (the session stays; stop it with ``engine.spark.stop()``)."""
        for name in list(self._frames):
            self.drop(name)

    def __repr__(self) -> str:
        return f"SparkEngine(master={self.master!r})"
