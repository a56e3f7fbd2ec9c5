"""``lockstep detect`` and ``lockstep scan``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from lockstep._cli_common import console, err_console, handle_errors


def _print_result(det: Any, top: int, as_json: bool) -> None:
    scores = det.cluster_scores_
    if as_json:
        typer.echo(json.dumps({
            "notes": det.notes_,
            "n_coaction_edges": det.coaction_edges_.num_rows,
            "n_edges": det.edges_.num_rows,
            "clusters": scores.slice(0, top).to_pylist(),
        }, indent=2, default=str))
        return
    for note in det.notes_:
        err_console.print(f"note: {note}", markup=False, style="yellow")
    kept = det.edges_.num_rows
    console.print(f"{det.coaction_edges_.num_rows:,} co-action edges tested, {kept:,} account pairs kept, "
                  f"{scores.num_rows:,} clusters")
    if scores.num_rows == 0:
        return
    table = Table(title="Clusters, best first")
    for col in ("rank", "accounts", "density", "coordinated", "score", "reason"):
        table.add_column(col, justify="left" if col == "reason" else "right")
    for row in scores.slice(0, top).to_pylist():
        table.add_row(
            str(row["rank"]), str(row["n_accounts"]), f"{row['density']:.2f}",
            f"{row['coordinated_share']:.0%}", f"{row['score']:.1f}", row["reason"],
        )
    console.print(table)


def _options(
    signals: str | None, window: str, min_count: int | None, fdr: float | None, raw: bool, engine: Any, seed: int
) -> dict[str, Any]:
    return {"window": window, "min_count": min_count, "fdr": fdr, "raw": raw, "engine": engine, "seed": seed,
            "signals": signals}


_SIGNALS = typer.Option(None, "--signals", "-s", help="Comma-separated signals (default: all); see docs/detect.md.")
_WINDOW = typer.Option("auto", "--window", help="Co-action window: 30s, 5m, 1h, seconds, or auto (estimated per signal).")
_MIN_COUNT = typer.Option(None, "--min-count", help="Fewest co-actions for a pair to be tested (default: per signal).")
_FDR = typer.Option(None, "--fdr", help="False-discovery rate for keeping edges (default 0.01).")
_RAW = typer.Option(False, "--raw", help="Plain windowed pair counts: no null model, min count 1, no clustering.")
_ENGINE = typer.Option("duckdb", "--engine", help="Query engine: duckdb or spark (see docs/spark.md).")
_SPARK_MASTER = typer.Option(
    None, "--spark-master", help="Spark master with --engine spark: local[*], spark://..., yarn (default: spark-submit's, else local[*])."
)
_SPARK_CONF = typer.Option(None, "--spark-conf", help="Spark setting key=value with --engine spark (repeatable).")


def _spark_settings(conf: list[str] | None) -> dict[str, str]:
    settings = {}
    for kv in conf or []:
        key, sep, value = kv.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"--spark-conf takes key=value, not {kv!r}")
        settings[key.strip()] = value.strip()
    return settings


def _engine(engine: str, ws: Any, master: str | None, conf: list[str] | None) -> Any:
    """The engine name, or a Spark engine built from --spark-master / --spark-conf."""
    if engine != "spark":
        return engine
    from lockstep.engines import get_engine

    return get_engine("spark", ws, master=master, conf=_spark_settings(conf))


_SEED = typer.Option(0, "--seed", help="Seed for MinHash and Leiden.")
_TOP = typer.Option(20, "--top", help="Clusters to print.")
_JSON = typer.Option(False, "--json", help="Print notes and the top clusters as JSON.")


def detect(
    workspace: Path = typer.Option(..., "--workspace", "-w", help="Workspace directory."),
    signals: str | None = _SIGNALS,
    window: str = _WINDOW,
    min_count: int | None = _MIN_COUNT,
    fdr: float | None = _FDR,
    raw: bool = _RAW,
    engine: str = _ENGINE,
    spark_master: str | None = _SPARK_MASTER,
    spark_conf: list[str] | None = _SPARK_CONF,
    seed: int = _SEED,
    top: int = _TOP,
    as_json: bool = _JSON,
) -> None:
    """Find accounts acting in concert and rank the clusters they form.

    Pairs accounts that act on the same object (post, link, text, hashtags, ...) within the window,
    keeps the pairs a null model cannot explain, clusters them and writes the tables
    coaction_edges, edges, clusters, cluster_scores, evidence and detect_runs into the workspace.

    Example:

        lockstep detect --workspace ws --signals co-repost,co-link --window 60s
        lockstep detect --workspace ws --engine spark --spark-master local[2]
    """
    import lockstep.detect as d
    from lockstep.workspace import Workspace

    if not workspace.joinpath("lockstep.duckdb").exists():
        raise d.DetectorError(f"{workspace}: not a lockstep workspace; run `lockstep ingest` first")
    with Workspace(workspace) as ws:
        eng = _engine(engine, ws, spark_master, spark_conf)
        det = d.detect(ws, **_options(signals, window, min_count, fdr, raw, eng, seed))
    _print_result(det, top, as_json)


def scan(
    paths: list[str] = typer.Argument(..., help="Files or directories to ingest; with --engine spark, Parquet "
                                      "paths, globs or URIs (s3a://...) read in place."),
    out: Path = typer.Option(..., "--out", "-o", help="Output directory (the workspace goes in OUT/workspace)."),
    signals: str | None = _SIGNALS,
    window: str = _WINDOW,
    min_count: int | None = _MIN_COUNT,
    fdr: float | None = _FDR,
    engine: str = _ENGINE,
    spark_master: str | None = _SPARK_MASTER,
    spark_conf: list[str] | None = _SPARK_CONF,
    seed: int = _SEED,
    top: int = _TOP,
    as_json: bool = _JSON,
) -> None:
    """Ingest files, detect coordination and write the report, in one go.

    OUT receives the workspace (OUT/workspace), report.html and the exports (CSV, Parquet, GEXF,
    GraphML, summary.json) that `lockstep report` writes. With --engine spark and Parquet input
    in the canonical posts schema, the posts are not ingested: Spark reads them in place and only
    the results and the flagged accounts' posts go into OUT/workspace (see docs/spark.md).

    Example:

        lockstep scan tweets.jsonl.gz shares.csv --out results
        lockstep scan 's3a://bucket/posts/*.parquet' --engine spark --spark-master yarn --out results
    """
    import lockstep.detect as d
    from lockstep.report import write_report
    from lockstep.workspace import Workspace

    if engine == "spark":
        from lockstep.engines import is_parquet_input, scan_parquet

        if is_parquet_input(paths):
            params = _options(signals, window, min_count, fdr, False, None, seed)
            del params["engine"]  # scan_parquet builds the Spark engine
            res = scan_parquet(paths, out, master=spark_master, conf=_spark_settings(spark_conf), **params)
            err_console.print(f"scanned {res.summary['posts']:,} posts on Spark; {res.summary['flagged_posts']:,} "
                              f"posts of {res.summary['flagged_accounts']:,} flagged accounts kept in {res.workspace}",
                              markup=False)
            _print_result(res.detection, top, as_json)
            if not as_json:
                err_console.print(f"report: {out / 'report.html'}", markup=False, soft_wrap=True)
            return
    with Workspace(out / "workspace") as ws:
        results = ws.ingest([Path(p) for p in paths])
        n = sum(getattr(r, "n_accepted", 0) or 0 for r in results)
        err_console.print(f"ingested {len(results)} file(s), {n:,} new posts into {out / 'workspace'}", markup=False)
        eng = _engine(engine, ws, spark_master, spark_conf)
        det = d.detect(ws, **_options(signals, window, min_count, fdr, False, eng, seed))
        write_report(ws, out)
    _print_result(det, top, as_json)
    if not as_json:
        err_console.print(f"report: {out / 'report.html'}", markup=False, soft_wrap=True)


def spark_entrypoint() -> None:
    """Print the path of the script to hand to spark-submit (it runs the lockstep command line).

    Example:

        spark-submit --master yarn --deploy-mode client "$(lockstep spark-entrypoint)" \\
            scan 's3a://bucket/posts/' --engine spark --out results
    """
    import lockstep.engines.spark_submit as entry

    typer.echo(entry.__file__)


def register(app: typer.Typer) -> None:
    app.command()(handle_errors(detect))
    app.command()(handle_errors(scan))
    app.command("spark-entrypoint")(handle_errors(spark_entrypoint))
