"""The Spark engine gives the DuckDB engine's results: same edges, counts, p-values and clusters.

Runs PySpark in local mode on a small simulated platform. Skips with a message when pyspark or
Java is missing (CI installs Debian's default-jre-headless and the ``spark`` extra).
"""

from __future__ import annotations

import json
import math

import pytest

import lockstep
from lockstep.engines import EngineCapabilityError, spark_available

from .conftest import simulated_workspace

missing = spark_available()
pytestmark = pytest.mark.skipif(missing is not None, reason=f"Spark engine unavailable: {missing}")

# Both null models, list columns, text and time objects; the other signals the Spark engine runs
# are checked by the slow test below (near-text's MinHash needs local Python: see docs/spark.md).
SIGNALS = ["co-repost", "co-hashtag", "identical-text", "synchronous"]
OTHER_SIGNALS = ["co-link", "co-reply", "co-mention", "co-media"]
KEY = ["signal", "platform_a", "account_a", "platform_b", "account_b"]
FLOATS = {"strength", "median_dt_s", "window_s", "expected", "p_value", "q_value"}


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """A small simulated platform (200 accounts, 3,000 posts, two campaigns) in a workspace."""
    from lockstep.engines import SparkEngine

    with simulated_workspace(tmp_path_factory.mktemp("spark")) as ws:
        engine = SparkEngine(ws, master="local[2]", conf={"spark.sql.shuffle.partitions": "2"})
        yield ws, engine
        engine.close()


@pytest.fixture(scope="module")
def runs(platform):
    ws, engine = platform
    duck = lockstep.detect(ws, SIGNALS, write=False, seed=0)
    spark = lockstep.detect(ws, SIGNALS, write=False, seed=0, engine=engine)
    return duck, spark, engine


def _rows(table, keys):
    return sorted(table.to_pylist(), key=lambda r: tuple(str(r[k]) for k in keys))


def _same(a, b, floats=FLOATS):
    if a.keys() != b.keys():
        return False
    for k in a:
        x, y = a[k], b[k]
        if k in floats and x is not None and y is not None:
            if not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12):
                return False
        elif x != y:
            return False
    return True


def _assert_same_edges(duck, spark):
    a, b = _rows(duck.coaction_edges_, KEY), _rows(spark.coaction_edges_, KEY)
    assert [tuple(r[k] for k in KEY) for r in a] == [tuple(r[k] for k in KEY) for r in b]
    different = [(x, y) for x, y in zip(a, b, strict=True) if not _same(x, y)]
    assert different == []


def test_spark_finds_the_same_coaction_edges_with_the_same_counts_and_p_values(runs):
    duck, spark, _ = runs
    assert duck.coaction_edges_.num_rows > 100
    assert len(set(duck.coaction_edges_["signal"].to_pylist())) >= 3  # several signals found edges
    _assert_same_edges(duck, spark)


@pytest.mark.slow
def test_spark_finds_the_same_edges_for_every_other_signal_it_runs(platform):
    ws, engine = platform
    duck = lockstep.detect(ws, OTHER_SIGNALS, write=False, seed=0, cluster=False)
    spark = lockstep.detect(ws, OTHER_SIGNALS, write=False, seed=0, cluster=False, engine=engine)
    assert duck.coaction_edges_.num_rows > 20
    _assert_same_edges(duck, spark)
    assert duck.evidence_.to_pylist() == spark.evidence_.to_pylist()


def test_spark_forms_the_same_clusters_and_scores(runs):
    duck, spark, _ = runs
    assert duck.clusters_.num_rows > 0
    assert duck.clusters_.to_pylist() == spark.clusters_.to_pylist()
    floats = {"density", "coordinated_share", "score", "strength", "median_dt_s"}
    ka = _rows(duck.cluster_scores_, ["rank"])
    kb = _rows(spark.cluster_scores_, ["rank"])
    assert len(ka) == len(kb) and all(_same(x, y, floats | FLOATS) for x, y in zip(ka, kb, strict=True))


def test_spark_keeps_the_same_evidence(runs):
    duck, spark, _ = runs
    assert duck.evidence_.to_pylist() == spark.evidence_.to_pylist()


def test_spark_leaves_out_near_text_by_default_and_says_so(platform, tmp_path):
    from lockstep.engines import SparkEngine

    from ..detect.conftest import insert, post

    _, engine = platform
    with lockstep.Workspace(tmp_path) as ws:
        insert(ws, [post("a", 0, text="one two three four"), post("b", 1, text="one two three four")])
        det = lockstep.detect(ws, write=False, engine=SparkEngine(ws, spark=engine.spark))
    assert "near-text: skipped, it needs 'python_udf', which the spark engine does not support" in det.notes_
    assert list(det.detectors_) == [s for s in lockstep.detect.DETECTORS if s != "near-text"]


def test_naming_a_signal_the_engine_cannot_run_fails_before_any_work(tmp_path):
    with lockstep.Workspace(tmp_path) as ws, pytest.raises(
        EngineCapabilityError, match="near-text needs 'python_udf', which the spark engine does not support"
    ):
        lockstep.detect(ws, "co-repost,near-text", engine="spark", write=False)


def _cli_workspace(tmp_path):
    from ..detect.conftest import insert, post

    with lockstep.Workspace(tmp_path / "ws") as ws:
        insert(ws, [post(a, s + k * 600, repost_of=f"x{k}") for k in range(4) for a, s in (("a", 0), ("b", 2))])
    return str(tmp_path / "ws")


def test_the_detect_command_rejects_spark_settings_that_are_not_key_value(tmp_path):
    from typer.testing import CliRunner

    from lockstep.cli import app

    bad = CliRunner().invoke(app, ["detect", "-w", _cli_workspace(tmp_path), "--engine", "spark", "--spark-conf", "nokey"])
    assert bad.exit_code == 2 and "--spark-conf takes key=value, not 'nokey'" in bad.output


@pytest.mark.slow
def test_the_detect_command_runs_on_spark_with_the_master_and_settings_given(tmp_path):
    from typer.testing import CliRunner

    from lockstep.cli import app

    runner = CliRunner()
    ok = runner.invoke(app, ["detect", "-w", _cli_workspace(tmp_path), "--engine", "spark", "--signals", "co-repost",
                             "--window", "10s", "--raw", "--json", "--spark-master", "local[1]",
                             "--spark-conf", "spark.sql.shuffle.partitions=1"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output[ok.output.index("{"):])["n_coaction_edges"] == 1
