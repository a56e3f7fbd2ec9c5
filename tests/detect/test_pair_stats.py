"""The in-process grouping of co-actions gives the engine-neutral SQL's candidate edges, bit for bit."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from lockstep.detect._pairs import _edge_stats
from lockstep.engines import DuckDBEngine


class SqlOnlyDuckDB(DuckDBEngine):
    """DuckDB without the in-process shortcut: the SQL every engine runs."""

    capabilities = DuckDBEngine.capabilities - {"in_process"}


def co_actions(seed: int, n: int, n_accounts: int, n_objects: int) -> tuple[pa.Table, pa.Table]:
    """Random co-actions (accounts ordered within a pair, repeated posts and delays, ties) and object weights."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, n_accounts, n)
    y = (x + rng.integers(1, n_accounts, n)) % n_accounts
    t_a = rng.integers(0, 10**9, n)
    pairs = pa.table({
        "acc_a": np.minimum(x, y), "acc_b": np.maximum(x, y),
        # few posts and objects per pair, so that pairs co-act several times on one object and post
        "pid_a": rng.integers(0, 40, n), "pid_b": rng.integers(0, 40, n),
        "t_a": t_a, "t_b": t_a + rng.choice([-7, 0, 3, 3, 1_000_001, 59_999_999], n),
        "obj": rng.integers(0, n_objects, n),
    })
    n_acc = rng.integers(2, 5000, n_objects)
    obj = pa.table({"obj": np.arange(n_objects), "weight": np.log(3) / np.log1p(n_acc)})
    return pairs, obj


@pytest.mark.parametrize("count_column", ["n_objects", "n_pairs"])
@pytest.mark.parametrize("min_count", [1, 2, 3])
@pytest.mark.parametrize("n_accounts", [30, 3_000_000_000])  # the second too wide to pack into one integer
def test_local_grouping_equals_the_sql_grouping(count_column, min_count, n_accounts):
    pairs, obj = co_actions(seed=min_count, n=20_000, n_accounts=min(n_accounts, 60), n_objects=25)
    if n_accounts > 60:  # account ids spread over the whole range
        pairs = pairs.set_column(0, "acc_a", pa.array(pairs["acc_a"].to_numpy() * 50_000_000))
        pairs = pairs.set_column(1, "acc_b", pa.array(pairs["acc_b"].to_numpy() * 50_000_000))
    con = duckdb.connect()
    con.register("pairs_in", pairs)
    con.register("obj_in", obj)
    con.execute("CREATE TEMP TABLE t_pairs AS SELECT * FROM pairs_in")
    con.execute("CREATE TEMP TABLE t_obj AS SELECT * FROM obj_in")
    sql = _edge_stats(SqlOnlyDuckDB(con), "t", count_column, min_count, n_accounts)
    local = _edge_stats(DuckDBEngine(con), "t", count_column, min_count, n_accounts, n_pairs=pairs.num_rows)
    assert sql.num_rows > 100
    assert int(np.max(sql["n_pairs"].to_numpy())) >= 3  # pairs that co-act often are in the test
    assert local.equals(sql)


def test_local_grouping_of_no_co_actions_is_empty():
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE t_pairs (acc_a BIGINT, acc_b BIGINT, pid_a BIGINT, pid_b BIGINT, "
                "t_a BIGINT, t_b BIGINT, obj BIGINT)")
    con.execute("CREATE TEMP TABLE t_obj (obj BIGINT, weight DOUBLE)")
    local = _edge_stats(DuckDBEngine(con), "t", "n_objects", 1, 10, n_pairs=0)
    assert local.num_rows == 0
    assert local.schema == _edge_stats(SqlOnlyDuckDB(con), "t", "n_objects", 1, 10).schema


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory):
    from lockstep.simulate import simulate
    from lockstep.workspace import Workspace

    d = tmp_path_factory.mktemp("pair_stats")
    paths = simulate("demo", seed=2).write(d / "posts.parquet")
    ws = Workspace(d / "ws")
    ws.ingest(paths["posts"])
    yield ws
    ws.close()


@pytest.mark.parametrize("signal", ["co-repost", "co-link", "co-hashtag", "identical-text", "co-reply"])
@pytest.mark.parametrize("local_max_pairs", [10_000_000, 10])  # at 10 every signal goes to the engine
def test_raw_counts_formed_in_process_equal_the_engine_band_join(demo_workspace, signal, local_max_pairs, monkeypatch):
    from lockstep.detect import _pairs, get_detector

    monkeypatch.setattr(_pairs, "LOCAL_MAX_PAIRS", local_max_pairs)

    def raw(engine):
        det = get_detector(signal, window=900, min_count=1, null=None, max_pairs_per_object=None, evidence=False)
        return det.fit(demo_workspace, engine=engine)

    local, sql = raw("duckdb"), raw(SqlOnlyDuckDB(demo_workspace.con))
    assert local.edges_.num_rows > 20
    assert local.n_pairs_ == sql.n_pairs_
    assert local.edges_.equals(sql.edges_)


def test_pair_counts_run_from_several_threads_at_once_give_the_same_edges(demo_workspace, tmp_path):
    """Detectors run in threads (one workspace each) give what one run gives. (numba's fallback
    threading layer, workqueue, aborts the process on concurrent parallel kernels: they are
    serialised by a lock; with OpenMP, the layer found here, they would not need to be.)"""
    from concurrent.futures import ThreadPoolExecutor

    from lockstep.detect import pair_counts
    from lockstep.workspace import Workspace

    expected = pair_counts(demo_workspace, "co-repost", 900)
    posts = demo_workspace.con.sql("SELECT * FROM posts ORDER BY rowid").to_arrow_table()
    # A workspace per thread (a DuckDB connection is not shared between threads).
    paths = []
    for i in range(3):
        p = tmp_path / f"ws{i}"
        with Workspace(p) as ws:
            ws.con.register("_posts", posts)
            ws.con.execute("INSERT INTO posts SELECT * FROM _posts")
        paths.append(p)

    def run(p):
        with Workspace(p) as ws:
            return pair_counts(ws, "co-repost", 900)

    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(run, paths))
    assert all(r.equals(expected) for r in results)


def pair_rows(cols: dict) -> list[tuple]:
    return sorted(zip(*(cols[c].tolist() for c in ("acc_a", "acc_b", "obj", "pid_a", "pid_b", "t_a", "t_b")),
                      strict=True))


@pytest.mark.parametrize("min_count", [2, 5])
@pytest.mark.parametrize("max_slots", [1 << 28, 1 << 10])  # 1,024 slots: thousands of pairs share them
def test_frequent_band_pairs_are_the_band_pairs_of_account_pairs_reaching_min_count(min_count, max_slots, monkeypatch):
    from lockstep.detect import _pair_stats
    from lockstep.detect._pair_stats import band_pairs, frequent_band_pairs

    monkeypatch.setattr(_pair_stats, "MAX_SLOTS", max_slots)
    rng = np.random.default_rng(7)
    n = 6_000
    # One busy object (the clock) and a few small ones; ties in time; a few very active accounts.
    obj = np.sort(rng.choice([0, 0, 0, 1, 2], n))
    acc = np.where(rng.random(n) < 0.3, rng.integers(0, 8, n), rng.integers(0, 400, n))
    t = rng.integers(0, 200_000, n)
    order = np.lexsort((t, obj))
    obj, t, acc = obj[order], t[order], acc[order]
    pid = np.arange(n, dtype=np.int64)
    w = 500
    every = band_pairs(obj, t, acc, pid, w)
    every["t_a"] = t[every["pid_a"]]  # pid is the row
    every["t_b"] = t[every["pid_b"]]
    keys, counts = np.unique(np.stack([every["acc_a"], every["acc_b"]], axis=1), axis=0, return_counts=True)
    frequent = {tuple(k) for k, c in zip(keys.tolist(), counts, strict=True) if c >= min_count}
    expected = [r for r in pair_rows(every) if (r[0], r[1]) in frequent]

    got, n_all = frequent_band_pairs(obj, t, acc, pid, w, min_count)
    assert n_all == every["obj"].size
    assert 0 < len(expected) < n_all
    assert len(frequent) < len(keys) - 1_000  # many pairs under min_count: the slots must not let them in
    assert pair_rows(got) == expected
    # Past max_pairs nothing is written: only the counts.
    assert frequent_band_pairs(obj, t, acc, pid, w, min_count, max_pairs=len(expected) - 1) == (None, n_all)
    got, _ = frequent_band_pairs(obj, t, acc, pid, w, min_count, max_pairs=n_all)
    assert pair_rows(got) == expected


@pytest.mark.parametrize("signal,params", [
    ("co-repost", {}), ("co-link", {}), ("co-hashtag", {}), ("identical-text", {}), ("co-reply", {}),
    ("near-text", {}), ("synchronous", {"window": 30, "min_count": 3}), ("scheduled", {}),
])
def test_detection_from_frequent_pairs_formed_in_process_equals_the_engine_band_join(demo_workspace, signal, params,
                                                                                     monkeypatch):
    """Edges, p-values and evidence are the same when only the co-actions of account pairs that
    reach min_count are formed (in process) as when the engine forms them all."""
    from lockstep.detect import _pairs, get_detector

    def run():
        return get_detector(signal, evidence=True, **params).fit(demo_workspace)

    frequent = run()
    monkeypatch.setattr(_pairs, "_frequent_pairs_local",
                        lambda det, ctx, p, w_us, cols: _pairs._band_join(ctx.engine, p, w_us))
    everything = run()
    assert frequent.edges_.num_rows > 0
    assert frequent.edges_.equals(everything.edges_)
    assert frequent.evidence_.equals(everything.evidence_)
    assert frequent.n_pairs_ <= everything.n_pairs_


def test_synchronous_in_process_is_set_aside_when_its_frequent_pairs_exceed_the_cap(demo_workspace):
    from lockstep.detect import get_detector

    det = get_detector("synchronous", window=30, min_count=3, max_pairs_per_object=10).fit(demo_workspace)
    assert det.edges_.num_rows == 0
    assert any("set aside" in n and "max_pairs_per_object (10)" in n for n in det.notes_)


def test_object_window_pairs_count_every_pair_of_an_objects_actions_within_the_window():
    from lockstep.detect._pair_stats import object_window_pairs

    rng = np.random.default_rng(3)
    obj = np.sort(rng.integers(0, 30, 2_000))
    t = rng.integers(0, 50, obj.size)  # many ties
    order = np.lexsort((t, obj))
    obj, t = obj[order], t[order]
    objects, counts = object_window_pairs(obj, t, 4)
    assert objects.tolist() == sorted(set(obj.tolist()))
    for o, c in zip(objects.tolist(), counts.tolist(), strict=True):
        ts = t[obj == o]
        assert c == int((np.abs(ts[:, None] - ts[None, :]) <= 4).sum() - ts.size) // 2


@pytest.mark.parametrize("signal", ["co-repost", "co-link", "co-hashtag", "co-mention", "identical-text", "co-reply",
                                    "near-text"])
def test_detection_in_process_equals_the_engine_neutral_sql_auto_window_included(demo_workspace, signal):
    """In process: the auto window, the heavy objects and the pairs come from the fetched actions;
    the engine-neutral SQL computes them in the engine. Same window, edges and evidence."""
    from lockstep.detect import get_detector

    def run(engine):
        return get_detector(signal, window="auto", evidence=True).fit(demo_workspace, engine=engine)

    local, sql = run("duckdb"), run(SqlOnlyDuckDB(demo_workspace.con))
    assert any("window estimated from the data" in n for n in local.notes_)
    assert local.window_s_ == sql.window_s_
    assert local.notes_ == sql.notes_
    assert local.edges_.num_rows > 0
    assert local.edges_.equals(sql.edges_)
    assert local.evidence_.equals(sql.evidence_)


@pytest.mark.parametrize("n", [1, 2, 3, 10, 11, 997])
def test_quantile_cont_is_duckdbs_bit_for_bit(n):
    from lockstep.detect._pair_stats import quantile_cont

    rng = np.random.default_rng(n)
    x = rng.integers(0, 5, n) * 1_000_000 + rng.choice([0, 0, 1, 999_999], n)  # whole seconds, ties
    con = duckdb.connect()
    con.register("x", pa.table({"x": x}))
    for q in (0.1, 0.5, 0.9, 1 / 3):
        assert quantile_cont(x, q) == con.execute(f"SELECT quantile_cont(x, {q}) FROM x").fetchone()[0]
