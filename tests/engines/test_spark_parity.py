"""The Spark engine gives the DuckDB engine's results: same edges, counts, p-values and clusters.

Runs PySpark in local mode on a small simulated platform. Skips with a message when pyspark or
Java is missing (CI installs Debian's default-jre-headless and the ``spark`` extra).
"""

from __future__ import annotations

import math

import pytest

import lockstep
from lockstep.engines import EngineCapabilityError, spark_available

missing = spark_available()
pytestmark = pytest.mark.skipif(missing is not None, reason=f"Spark engine unavailable: {missing}")

# Every signal the Spark engine runs (near-text's MinHash needs local Python: see docs/spark.md).
SIGNALS = ["co-repost", "co-link", "co-reply", "co-hashtag", "co-mention", "identical-text", "synchronous", "co-media"]
KEY = ["signal", "platform_a", "account_a", "platform_b", "account_b"]
FLOATS = {"strength", "median_dt_s", "window_s", "expected", "p_value", "q_value"}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    from lockstep.engines import SparkEngine
    from lockstep.simulate import Simulator

    root = tmp_path_factory.mktemp("spark")
    Simulator(n_accounts=200, n_posts=3000, days=2, n_campaigns=2, seed=3).generate().scenario_.write(
        root / "posts.parquet")
    with lockstep.Workspace(root / "ws") as ws:
        ws.ingest([root / "posts.parquet"])
        duck = lockstep.detect(ws, SIGNALS, write=False, seed=0)
        engine = SparkEngine(ws, master="local[2]", conf={"spark.sql.shuffle.partitions": "2"})
        spark = lockstep.detect(ws, write=False, seed=0, engine=engine)
        yield duck, spark, engine
        engine.close()


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


def test_spark_finds_the_same_coaction_edges_with_the_same_counts_and_p_values(runs):
    duck, spark, _ = runs
    assert duck.coaction_edges_.num_rows > 100
    a, b = _rows(duck.coaction_edges_, KEY), _rows(spark.coaction_edges_, KEY)
    assert [tuple(r[k] for k in KEY) for r in a] == [tuple(r[k] for k in KEY) for r in b]
    different = [(x, y) for x, y in zip(a, b, strict=True) if not _same(x, y)]
    assert different == []


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


def test_spark_leaves_out_near_text_by_default_and_says_so(runs):
    _, spark, _ = runs
    assert "near-text: skipped, it needs 'python_udf', which the spark engine does not support" in spark.notes_
    assert "near-text" not in spark.detectors_


def test_naming_a_signal_the_engine_cannot_run_fails_before_any_work(tmp_path):
    with lockstep.Workspace(tmp_path) as ws, pytest.raises(
        EngineCapabilityError, match="near-text needs 'python_udf', which the spark engine does not support"
    ):
        lockstep.detect(ws, "co-repost,near-text", engine="spark", write=False)
