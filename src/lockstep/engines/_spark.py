"""The Spark engine: the same detector SQL, transpiled to Spark SQL, for data beyond one machine.

Detectors write every query once (lockstep's DuckDB dialect); this engine transpiles each
statement with sqlglot and runs it on a :class:`pyspark.sql.SparkSession`. Result tables are temp
views over locally checkpointed DataFrames, so each stage is computed once and the lineage of a
long run stays short. Only small results (candidate edges, evidence, the graph) come back to the
driver, as Arrow.

Two statement shapes are not run as written, because Spark would run them in one task:

- a dense id, ``row_number() OVER (ORDER BY ...)`` without ``PARTITION BY`` (Spark moves every row
  into one partition to number them): the engine sorts in parallel (range partitioning), tags rows
  with ``monotonically_increasing_id`` (partition index in the high bits), counts rows per
  partition and adds each partition's offset. Same ids as ``row_number`` when the ORDER BY keys are
  unique (they are, in every lockstep query that numbers rows), computed by many tasks.
- a self-join of one table on equal keys (the band join of :mod:`lockstep.detect._pairs`): keys
  holding more than ``skew_split_rows`` rows (an object many accounts acted on inside one window)
  are split into a k×k grid of cells (k ≥ rows / skew_split_rows, and k² ≥ 2× the shuffle
  partitions; k ≤ 32). Each row of the left side gets a chunk ``i`` (a hash of the row, mod k)
  and is copied to cells (i, 0..k-1); each row of the right side gets its chunk ``j`` and is
  copied to cells (0..k-1, j). Every (left, right) pair of rows meets in exactly one cell,
  (chunk(left), chunk(right)), so no pair is lost or counted twice, and each cell holds ~1/k² of
  the key's pairs.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

import pyarrow as pa

from lockstep.engines._base import Engine, UnknownEngineError

__all__ = ["SparkEngine", "spark_available"]

# The columns a detection run reads from `posts` (the rest stays where it is).
_POST_COLUMNS = (
    "platform", "post_id", "account_id", "created_at", "kind", "repost_of", "reply_to", "quote_of",
    "text_norm", "urls", "domains", "hashtags", "mentions", "media",
)

# monotonically_increasing_id() puts the partition index above bit 33, the row's index below.
_MID_SHIFT = 33
_MID_MASK = (1 << _MID_SHIFT) - 1
# Most chunks a heavy key is split into (k×k cells; each row is copied k times).
_MAX_SPLIT = 32

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


def to_arrow(df: Any) -> pa.Table:
    """A DataFrame's rows as Arrow (``toArrow`` is PySpark 4; Spark 3.5, on EMR 7 and Databricks 15, lacks it)."""
    if hasattr(df, "toArrow"):
        return df.toArrow()
    batches = df._collect_as_arrow()
    if batches:
        return pa.Table.from_batches(batches)
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(df.schema).empty_table()


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
    skew_split_rows : int or None, default 2000
        Split the keys of a self-join (the band join: one object inside one window) that hold
        more than this many rows into k×k cells of about this many rows a side, so that a viral
        object does not stall one executor. None: never split.
    distributed_ids : bool, default True
        Compute dense ids (``row_number() OVER (ORDER BY ...)``) with a parallel sort and
        per-partition offsets instead of one task.

    Attributes
    ----------
    skew_splits_ : dict
        Per table built with a split: the split table, how many keys were split, their largest
        row count and the largest k.

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
        skew_split_rows: int | None = 2000,
        distributed_ids: bool = True,
    ):
        missing = spark_available() if spark is None else None
        if missing:
            raise UnknownEngineError(f"the spark engine is unavailable: {missing}")
        self.workspace = workspace
        self.master = master
        self.conf = dict(conf or {})
        self.posts = posts
        self.skew_split_rows = skew_split_rows
        self.distributed_ids = distributed_ids
        self.skew_splits_: dict[str, dict[str, Any]] = {}
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
        if table.num_rows == 0:
            # createDataFrame cannot infer anything from an empty Arrow table: give the schema.
            from pyspark.sql.pandas.types import from_arrow_schema

            return self.spark.createDataFrame([], from_arrow_schema(table.schema))
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
        return to_arrow(self._df(sql))

    def register_arrow(self, name: str, table: pa.Table) -> None:
        self._ensure_posts()
        self._set(name, self._from_arrow(table).localCheckpoint(eager=True))

    def create_table(self, name: str, sql: str) -> None:
        # Computed once, here, and kept (checkpointed), as a DuckDB temp table would be. Measured:
        # lazy persist() instead recomputes more and ran slower; and ids from row_id() must never
        # be recomputed (a recomputation may number rows differently).
        self._ensure_posts()
        self._describe(f"lockstep: {name}")
        scratch: list[Any] = []
        try:
            df = self._dense_id_frame(sql, scratch) if self.distributed_ids else None
            if df is not None:
                self._set(name, df.localCheckpoint(eager=True))
                return
            split = self._split_self_join(name, sql, scratch) if self.skew_split_rows else None
            if split is not None:
                # The heavy keys' work is quadratic in rows that weigh little in bytes: AQE would
                # coalesce the cells back into a few partitions, or broadcast one side and leave a
                # heavy key in the one input partition that holds it. Shuffle, and keep every cell.
                with self._settings({"spark.sql.autoBroadcastJoinThreshold": "-1",
                                     "spark.sql.adaptive.coalescePartitions.enabled": "false"}):
                    self._set(name, self.spark.sql(self.transpile(split)).localCheckpoint(eager=True))
                return
            self._set(name, self._df(sql).localCheckpoint(eager=True))
        finally:
            for view, frame in scratch:
                self.spark.catalog.dropTempView(view)
                if frame is not None:
                    frame.unpersist()
            self._describe(None)

    def _describe(self, text: str | None) -> None:
        """Name the Spark jobs of a step (UI, event log); Spark Connect sessions have no SparkContext."""
        with contextlib.suppress(Exception):
            self.spark.sparkContext.setJobDescription(text)

    @contextlib.contextmanager
    def _settings(self, settings: Mapping[str, str]) -> Iterator[None]:
        conf = self.spark.conf
        old = {k: conf.get(k, None) for k in settings}
        try:
            for k, v in settings.items():
                conf.set(k, v)
            yield
        finally:
            for k, v in old.items():
                if v is None:
                    conf.unset(k)
                else:
                    conf.set(k, v)

    # -- dense ids without a single task ------------------------------------------------------
    def _dense_id_frame(self, sql: str, scratch: list[Any]) -> Any:
        """The query's result with its one global ``row_number()`` computed in parallel, or None.

        None when the query has no such window, or a shape this rewrite does not handle (then it
        runs as written, correct but in one task).
        """
        from pyspark.sql import functions as F
        from sqlglot import exp, parse_one
        from sqlglot.errors import ParseError

        try:
            tree = parse_one(sql, read="duckdb")
        except ParseError:
            return None
        if not isinstance(tree, exp.Select) or any(tree.args.get(k) for k in ("order", "limit", "offset", "distinct", "qualify")):
            return None
        projs = tree.expressions
        hits = [(i, w) for i, p in enumerate(projs) for w in p.find_all(exp.Window)]
        if len(hits) != 1:
            return None
        i, win = hits[0]
        order = win.args.get("order")
        if (not isinstance(win.this, exp.RowNumber) or win.args.get("partition_by") or win.args.get("spec")
                or order is None or not order.expressions or win is projs[i]):
            return None
        names = [p.alias_or_name for p in projs]
        if any(isinstance(p, exp.Star) or not n for p, n in zip(projs, names, strict=True)) or len(set(names)) != len(names):
            return None
        keys = order.expressions
        inner = tree.copy()
        inner.set("expressions", [p.copy() for j, p in enumerate(projs) if j != i]
                  + [exp.alias_(k.this.copy(), f"__ls_k{j}") for j, k in enumerate(keys)])
        sort = []
        for j, k in enumerate(keys):
            c = F.col(f"__ls_k{j}")
            # DuckDB sorts NULLs last unless told otherwise; sqlglot records the dialect's choice.
            nulls_first = bool(k.args.get("nulls_first"))
            if k.args.get("desc"):
                sort.append(c.desc_nulls_first() if nulls_first else c.desc_nulls_last())
            else:
                sort.append(c.asc_nulls_first() if nulls_first else c.asc_nulls_last())
        # A parallel sort (range partitions), then each row's index within its partition.
        ranked = self._df(inner.sql(dialect="duckdb")).orderBy(*sort).withColumn(
            "__ls_mid", F.monotonically_increasing_id()).localCheckpoint(eager=True)
        counts = dict(ranked.groupBy(F.shiftright("__ls_mid", _MID_SHIFT).alias("part")).count().collect())
        offsets, total = [], 0
        for part in range(max(counts, default=-1) + 1):
            offsets.append(total)
            total += counts.get(part, 0)
        part = F.shiftright("__ls_mid", _MID_SHIFT)
        ranked_view = f"__ls_ranked_{id(ranked)}"
        numbered = ranked.withColumn(
            "__ls_rn",
            (F.element_at(F.array(*[F.lit(o) for o in offsets] or [F.lit(0)]), (part + 1).cast("int"))
             + F.col("__ls_mid").bitwiseAND(F.lit(_MID_MASK)) + F.lit(1)).cast("bigint"),
        )
        numbered.createOrReplaceTempView(ranked_view)
        scratch.append((ranked_view, ranked))
        outer = []
        for j, p in enumerate(projs):
            if j == i:
                q = p.copy()
                q.find(exp.Window).replace(exp.column("__ls_rn"))
                outer.append(q)
            else:
                outer.append(exp.column(names[j], quoted=True))
        return self.spark.sql(self.transpile(exp.select(*outer).from_(ranked_view).sql(dialect="duckdb")))

    # -- heavy keys of a self-join ---------------------------------------------------------------
    def _split_self_join(self, name: str, sql: str, scratch: list[Any]) -> str | None:
        """``sql`` with its self-joins' heavy keys split into cells (Spark SQL), or None."""
        from pyspark.sql import functions as F
        from sqlglot import exp, parse_one
        from sqlglot.errors import ParseError

        try:
            tree = parse_one(sql, read="duckdb")
        except ParseError:
            return None
        arms = []
        for join in tree.find_all(exp.Join):
            sel = join.parent
            src = sel.args.get("from_") or sel.args.get("from") if isinstance(sel, exp.Select) else None
            left, right = getattr(src, "this", None), join.this
            if join.side or (join.kind or "INNER").upper() != "INNER":
                continue  # copying rows into cells preserves inner joins only
            if not (isinstance(left, exp.Table) and isinstance(right, exp.Table) and left.name == right.name
                    and left.name in self._frames and join.args.get("on") is not None):
                continue
            la, ra = left.alias_or_name, right.alias_or_name
            same, plain = set(), True
            for cond in join.args["on"].flatten() if isinstance(join.args["on"], exp.And) else [join.args["on"]]:
                if not isinstance(cond, exp.EQ):
                    continue
                a, b = cond.this, cond.expression
                if (isinstance(a, exp.Column) and isinstance(b, exp.Column) and a.name == b.name
                        and {a.table, b.table} == {la, ra}):
                    same.add(a.name)
                else:
                    plain = False
            if any(isinstance(p, exp.Star) or (isinstance(p, exp.Column) and isinstance(p.this, exp.Star))
                   for p in sel.expressions):
                return None  # the cell columns would leak into the result
            arms.append((join, left, right, la, ra, same, plain))
        if not arms or len({a[1].name for a in arms}) != 1:
            return None
        table = arms[0][1].name
        salt = sorted(set.intersection(*(a[5] for a in arms)))
        if not salt:
            return None
        # Rows per join key (the most specific key an arm joins on with plain equalities only),
        # and per salt key the largest of those: how many rows one task would hold.
        count_keys = max((sorted(a[5]) for a in arms if a[6]), key=len, default=salt)
        src = self._frames[table]
        rows = self.skew_split_rows
        heavy = (src.groupBy(*count_keys).count().groupBy(*salt).agg(F.max("count").alias("n"))
                 .where(F.col("n") > rows).collect())
        if not heavy:
            return None
        # k×k cells per heavy key: at least rows/skew_split_rows a side, and enough cells (2× the
        # shuffle partitions) for the key to spread over every partition.
        try:
            parts = int(self.spark.conf.get("spark.sql.shuffle.partitions", "200"))
        except ValueError:
            parts = 200
        spread = math.ceil(math.sqrt(2 * parts))
        cells = [(*(r[c] for c in salt), min(_MAX_SPLIT, max(spread, math.ceil(r["n"] / rows)))) for r in heavy]
        types = {f.name: f.dataType.simpleString() for f in src.schema.fields}
        skew = self.spark.createDataFrame(cells, ", ".join([f"`{c}` {types[c]}" for c in salt] + ["`__ls_k` int"]))
        self.skew_splits_[name] = {
            "table": table, "keys": len(heavy), "max_rows": max(r["n"] for r in heavy),
            "max_k": max(c[-1] for c in cells),
        }
        k = F.coalesce(F.col("__ls_k"), F.lit(1))
        # A row's chunk: a hash of the whole row (deterministic), mod k; 0 for keys not split.
        base = (src.join(F.broadcast(skew), on=salt, how="left")
                .withColumn("__ls_c", F.when(k > 1, F.pmod(F.xxhash64(*src.columns), k)).otherwise(F.lit(0))))
        every = F.explode(F.sequence(F.lit(0), k - 1))
        views = {}
        for side, mine, copies in (("l", "__ls_ci", "__ls_cj"), ("r", "__ls_cj", "__ls_ci")):
            view = f"__ls_split_{side}_{table}"
            base.withColumn(mine, F.col("__ls_c")).withColumn(copies, every).drop("__ls_k", "__ls_c") \
                .createOrReplaceTempView(view)
            scratch.append((view, None))
            views[side] = view
        for join, left, right, la, ra, _same, _plain in arms:
            left.set("this", exp.to_identifier(views["l"]))
            right.set("this", exp.to_identifier(views["r"]))
            on = join.args["on"]
            for c in ("__ls_ci", "__ls_cj"):
                on = exp.and_(on, exp.EQ(this=exp.column(c, table=ra), expression=exp.column(c, table=la)))
            join.set("on", on)
        return tree.sql(dialect="duckdb")

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
