"""``lockstep scan --engine spark``: detection over Parquet on Spark, only the small parts kept.

The posts stay where they are (``s3a://``, ``hdfs://``, ``file://`` or a local path; files, globs
or dataset directories in the canonical ``posts`` schema). Spark runs every detector over them;
what comes back to the driver and into ``OUT/workspace`` is small: the result tables (edges,
clusters, scores, evidence), the posts of the flagged accounts (members of a coordinated cluster
and accounts of a kept edge) and a one-row summary of everything scanned. ``lockstep report``
then works on ``OUT/workspace`` as on any workspace.
"""

from __future__ import annotations

import glob
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from lockstep.errors import LockstepError

__all__ = ["ScanError", "SparkScan", "is_parquet_input", "scan_parquet"]

# What detection reads; a Parquet source without these columns cannot be scanned.
_NEEDED = ("platform", "post_id", "account_id", "created_at", "kind", "repost_of", "reply_to", "quote_of",
           "text_norm", "urls", "domains", "hashtags", "mentions", "media")
# A row without these cannot be placed (ingest rejects it); counted, said, and left out.
_KEYS = ("platform", "post_id", "account_id", "created_at")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_METADATA_KEY = "spark_scan"


class ScanError(LockstepError):
    """A Parquet scan that cannot run: no such files, or not the canonical posts schema."""


@dataclass
class SparkScan:
    """What :func:`scan_parquet` did.

    Attributes
    ----------
    detection : Detection
        The fitted detection (its tables are also written into ``workspace``).
    workspace : Path
        ``OUT/workspace``: results plus the flagged accounts' posts.
    summary : dict
        The posts scanned: ``posts``, ``accounts``, ``first_post``, ``last_post``, ``platforms``,
        ``rows_left_out`` (rows without platform, post_id, account_id or created_at), ``flagged_accounts``,
        ``flagged_posts`` (copied into the workspace).
    report : dict of str → Path
        Files the report wrote (empty with ``report=False``).
    """

    detection: Any
    workspace: Path
    summary: dict[str, Any]
    report: dict[str, Path]


def is_parquet_input(paths: Sequence[str | os.PathLike[str]]) -> bool:
    """Whether ``paths`` name Parquet data for Spark: URIs, ``*.parquet`` files or globs, or
    directories holding only Parquet files (a dataset, possibly partitioned)."""
    if not paths:
        return False
    for raw in paths:
        p = str(raw)
        if _URI.match(p) and not re.match(r"^[A-Za-z]:[\\/]", p):  # a URI, not a Windows drive
            if p.startswith("file:"):
                p = re.sub(r"^file:(//)?", "", p)
            else:
                continue
        if p.lower().endswith((".parquet", ".parq")):
            continue
        if os.path.isdir(p):
            files = [f for f in glob.glob(os.path.join(p, "**", "*"), recursive=True)
                     if os.path.isfile(f) and not os.path.basename(f).startswith(("_", "."))]
            if files and all(f.lower().endswith((".parquet", ".parq")) for f in files):
                continue
        return False
    return True


def _check_local(paths: Sequence[str]) -> None:
    for p in paths:
        local = re.sub(r"^file:(//)?", "", p) if p.startswith("file:") else None if _URI.match(p) else p
        if local is not None and not glob.glob(local):
            raise ScanError(f"{p}: no such file or directory")


def scan_parquet(
    paths: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    master: str | None = None,
    conf: Mapping[str, str] | None = None,
    spark: Any = None,
    report: bool = True,
    **detect_params: Any,
) -> SparkScan:
    """Detect coordination in Parquet posts on Spark; results and flagged posts into ``OUT/workspace``.

    Parameters
    ----------
    paths : sequence of str or path
        Parquet files, globs or dataset directories in the canonical ``posts`` schema
        (``docs/schema.md``): ``s3a://bucket/posts/*.parquet``, ``file:///data/posts``, ``posts/``.
    out : str or path
        Output directory: ``OUT/workspace`` and, with ``report=True``, the report and exports.
    master, conf, spark
        As for :class:`~lockstep.engines.SparkEngine`.
    report : bool, default True
        Write the report (``lockstep report``'s files) into ``out``.
    **detect_params
        Passed to :func:`lockstep.detect` (``signals``, ``window``, ``min_count``, ``fdr``, ``seed``, ...).

    Returns
    -------
    SparkScan

    Raises
    ------
    ScanError
        No file matches a local path; the Parquet lacks columns detection needs; or
        ``OUT/workspace`` holds posts that an earlier scan did not write (ingested data).
    """
    import lockstep
    from lockstep.engines import SparkEngine
    from lockstep.schema import POSTS
    from lockstep.workspace import Workspace

    paths = [str(p) for p in paths]
    _check_local(paths)
    out = Path(out)
    ws_path = out / "workspace"
    with Workspace(ws_path) as ws:
        marked = ws.con.execute("SELECT count(*) FROM metadata WHERE key = ?", [_METADATA_KEY]).fetchall()[0][0]
        n_held = ws.con.execute("SELECT count(*) FROM posts").fetchall()[0][0]
        if n_held and not marked:
            raise ScanError(f"{ws_path}: already holds {n_held:,} ingested posts; scan into a new --out directory")

        engine = SparkEngine(ws, spark=spark, master=master, conf=conf)
        from pyspark.sql import functions as F

        try:
            # The file each row comes from: a workspace row needs source_file (required column).
            df = engine.spark.read.parquet(*paths).withColumn("__ls_file", F.input_file_name())
        except Exception as e:  # AnalysisException: path missing, not Parquet, unreadable
            raise ScanError(f"cannot read {', '.join(paths)} as Parquet: {str(e).splitlines()[0]}") from None
        missing = [c for c in _NEEDED if c not in df.columns]
        if missing:
            raise ScanError(
                f"{', '.join(paths)}: not the canonical posts schema (docs/schema.md); missing column(s) "
                f"{', '.join(missing)}. Ingest the files with `lockstep scan` on DuckDB, or export canonical posts."
            )
        ok = F.lit(True)
        for c in _KEYS:
            ok = ok & F.col(c).isNotNull()
        df = df.withColumn("__ls_ok", ok)
        # One pass for the overview of everything scanned (the workspace keeps only flagged posts).
        stats = df.groupBy("platform", "__ls_ok").agg(
            F.count(F.lit(1)).alias("n"), F.min("created_at").alias("t0"), F.max("created_at").alias("t1"),
            F.countDistinct("account_id").alias("n_accounts"),
        ).collect()
        good = df.where("__ls_ok").drop("__ls_ok")
        engine.posts = good
        det = lockstep.detect(ws, write=False, engine=engine, **detect_params)

        # The flagged accounts: members of coordinated clusters and both ends of kept edges.
        flagged = {(r["platform"], r["account_id"]) for r in det.clusters_.select(["platform", "account_id"]).to_pylist()}
        for r in det.coaction_edges_.filter(det.coaction_edges_["kept"]).to_pylist():
            flagged.update({(r["platform_a"], r["account_a"]), (r["platform_b"], r["account_b"])})
        posts = _flagged_posts(engine, good, sorted(flagged), POSTS)

        if marked:  # a rerun of a scan: replace what the last one wrote
            ws.con.execute("DELETE FROM posts")
        ws.con.register("_ls_scan_posts", posts)
        try:
            ws.con.execute("INSERT INTO posts BY NAME SELECT * FROM _ls_scan_posts")
        finally:
            ws.con.unregister("_ls_scan_posts")
        det.write(ws)

        kept_rows = [r for r in stats if r["__ls_ok"]]
        t0 = [r["t0"] for r in kept_rows if r["t0"] is not None]
        t1 = [r["t1"] for r in kept_rows if r["t1"] is not None]
        platforms: dict[str, int] = {}
        platform_accounts: dict[str, int] = {}
        for r in kept_rows:
            platforms[r["platform"]] = platforms.get(r["platform"], 0) + r["n"]
            platform_accounts[r["platform"]] = r["n_accounts"]
        summary = {
            "source": paths, "posts": det.n_posts_, "accounts": det.n_accounts_,
            "first_post": min(t0).isoformat() if t0 else None, "last_post": max(t1).isoformat() if t1 else None,
            "platforms": dict(sorted(platforms.items())),
            "platform_accounts": dict(sorted(platform_accounts.items())),
            "rows_left_out": sum(r["n"] for r in stats if not r["__ls_ok"]),
            "flagged_accounts": len(flagged), "flagged_posts": posts.num_rows,
        }
        if summary["rows_left_out"]:
            det.notes_.append(f"{summary['rows_left_out']:,} Parquet row(s) without {', '.join(_KEYS)} left out")
        ws.con.execute("INSERT OR REPLACE INTO metadata VALUES (?, ?)", [_METADATA_KEY, json.dumps(summary)])
        engine.close()
        files = {}
        if report:
            from lockstep.report import write_report

            files = write_report(ws, out)
    (out / "scan.json").write_text(json.dumps(summary, indent=2) + "\n")
    return SparkScan(detection=det, workspace=ws_path, summary=summary, report=files)


def _flagged_posts(engine: Any, posts: Any, accounts: list[tuple[str, str]], schema: pa.Schema) -> pa.Table:
    """Every column of the flagged accounts' posts, as Arrow in ``schema`` (missing columns null)."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_type

    from lockstep.engines._spark import to_arrow

    spark = engine.spark
    if not accounts:
        return schema.empty_table()
    keys = spark.createDataFrame(accounts, "platform string, account_id string")
    cols = []
    for f in schema:
        if f.name == "source_file":
            # Required in a workspace: the Parquet file the row came from when the column is absent.
            src = F.col("source_file") if "source_file" in posts.columns else F.lit(None).cast("string")
            cols.append(F.coalesce(src, F.col("__ls_file")).alias("source_file"))
        elif f.name in posts.columns:
            cols.append(F.col(f.name).cast(from_arrow_type(f.type)).alias(f.name))
        else:
            cols.append(F.lit(None).cast(from_arrow_type(f.type)).alias(f.name))
    # kind is required in a workspace; the detectors read a missing kind as a plain post.
    t = to_arrow(posts.join(F.broadcast(keys), ["platform", "account_id"], "left_semi").select(*cols)
                 .withColumn("kind", F.coalesce(F.col("kind"), F.lit("post"))))
    return t.select(schema.names).cast(schema)
