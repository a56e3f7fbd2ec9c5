"""The Spark engine spreads the work: dense ids by many tasks, heavy objects split into cells.

Both rewrites must leave results unchanged: the ids are those ``row_number()`` gives, and a band
join whose heavy object is split into cells forms the same pairs, each once.
"""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

import lockstep
from lockstep.engines import spark_available

from ..detect.conftest import insert, post

missing = spark_available()
pytestmark = pytest.mark.skipif(missing is not None, reason=f"Spark engine unavailable: {missing}")

CONF = {"spark.sql.shuffle.partitions": "4"}


@pytest.fixture(scope="module")
def spark():
    from lockstep.engines import SparkEngine

    return SparkEngine(posts=[], master="local[2]", conf=CONF).spark


@pytest.fixture
def empty_ws(tmp_path):
    with lockstep.Workspace(tmp_path / "ws") as ws:
        yield ws


def _keys_table(n=3000, seed=1):
    keys = [f"k{i:05d}" for i in range(n)]
    random.Random(seed).shuffle(keys)
    return pa.table({"k": keys, "v": list(range(n))})


def _numbered(spark, ws, distributed, sql):
    from lockstep.engines import SparkEngine

    e = SparkEngine(ws, spark=spark, distributed_ids=distributed)
    # Many input partitions, as a large table read from Parquet would have; and no coalescing of
    # small partitions (on this little data AQE would merge them all into one).
    e._set("ls_test_in", e._from_arrow(_keys_table()).repartition(6).localCheckpoint(eager=True))
    spark.conf.set("spark.sql.adaptive.coalescePartitions.enabled", "false")
    try:
        e.create_table("ls_test_ids", sql)
    finally:
        spark.conf.unset("spark.sql.adaptive.coalescePartitions.enabled")
    rows = e.fetch_arrow("SELECT * FROM ls_test_ids ORDER BY id").to_pylist()
    partitions = e._frames["ls_test_ids"].rdd.getNumPartitions()
    e.close()
    return rows, partitions


def test_dense_ids_are_the_row_numbers_of_the_sorted_keys_computed_by_several_tasks(spark, empty_ws):
    sql = "SELECT k, v, CAST(row_number() OVER (ORDER BY k) - 1 AS BIGINT) AS id FROM ls_test_in"
    rows, partitions = _numbered(spark, empty_ws, True, sql)
    by_key = sorted(_keys_table().to_pylist(), key=lambda r: r["k"])
    assert rows == [{"k": r["k"], "v": r["v"], "id": i} for i, r in enumerate(by_key)]
    assert partitions > 1
    # As written, Spark numbers the rows in one partition (one task): what the rewrite avoids.
    assert _numbered(spark, empty_ws, False, sql) == (rows, 1)


def test_dense_ids_follow_a_descending_order_over_grouped_rows(spark, empty_ws):
    sql = ("SELECT substr(k, 1, 4) AS g, count(*) AS n, "
           "CAST(row_number() OVER (ORDER BY substr(k, 1, 4) DESC) AS BIGINT) AS id FROM ls_test_in GROUP BY 1")
    rows, _ = _numbered(spark, empty_ws, True, sql)
    groups = sorted({r["k"][:4] for r in _keys_table().to_pylist()}, reverse=True)
    assert rows == [{"g": g, "n": 100, "id": i + 1} for i, g in enumerate(groups)]


def _viral(ws):
    """One post reposted by 300 accounts within 30 s, and three pairs co-reposting other posts."""
    rows = [post(f"fan{i:03d}", i * 0.1, repost_of="viral") for i in range(300)]
    for k in range(3):
        rows += [post(f"duo{k}a", 5000 + 1000 * k, repost_of=f"x{k}"), post(f"duo{k}b", 5005 + 1000 * k, repost_of=f"x{k}")]
    insert(ws, rows)


def _co_repost_pairs(ws, spark, split_rows):
    from lockstep.engines import SparkEngine

    e = SparkEngine(ws, spark=spark, skew_split_rows=split_rows)
    det = lockstep.detect(ws, "co-repost", window="60s", raw=True, write=False, engine=e)
    pairs = e.fetch_arrow("SELECT * FROM ls_co_repost_pairs ORDER BY acc_a, acc_b, pid_a, pid_b").to_pylist()
    splits = dict(e.skew_splits_)
    e.close()
    return det, pairs, splits


def test_a_heavy_object_split_into_cells_gives_the_same_pairs_each_once(spark, empty_ws):
    _viral(empty_ws)
    # A key of exactly skew_split_rows rows is not split; one more than 40 rows is.
    whole, pairs_whole, none = _co_repost_pairs(empty_ws, spark, 300)
    split, pairs_split, splits = _co_repost_pairs(empty_ws, spark, 40)
    # 300 reposts of one post in 30 s: one (object, window) key of 300 rows, split 8 × 8.
    assert none == {}
    assert splits == {"ls_co_repost_pairs": {"table": "ls_co_repost_act", "keys": 1, "max_rows": 300, "max_k": 8}}
    assert len(pairs_whole) == 300 * 299 // 2 + 3
    assert pairs_split == pairs_whole
    assert split.coaction_edges_.to_pylist() == whole.coaction_edges_.to_pylist()
    # And DuckDB's pairs (strength and median Δt are floats summed in another order: not compared).
    duck = lockstep.detect(empty_ws, "co-repost", window="60s", raw=True, write=False)
    ints = ["account_a", "account_b", "n_pairs", "n_objects", "n_posts_a", "n_posts_b"]
    order = [("account_a", "ascending"), ("account_b", "ascending")]
    assert split.coaction_edges_.select(ints).sort_by(order).to_pylist() == \
        duck.coaction_edges_.select(ints).sort_by(order).to_pylist()
