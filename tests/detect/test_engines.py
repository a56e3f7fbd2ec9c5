"""The engine seam: detectors only talk to an Engine, and their SQL is portable to Spark SQL."""

from __future__ import annotations

import pytest
import sqlglot

import lockstep
from lockstep.engines import DuckDBEngine, EngineCapabilityError, UnknownEngineError, get_engine

from .test_conformance import _rows


class RecordingEngine(DuckDBEngine):
    """DuckDB, remembering every statement it runs."""

    def __init__(self, con):
        super().__init__(con)
        self.statements: list[str] = []

    def execute(self, sql, params=None):
        self.statements.append(sql)
        super().execute(sql, params)

    def fetch_arrow(self, sql, params=None):
        self.statements.append(sql)
        return super().fetch_arrow(sql, params)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    from .conftest import insert

    with lockstep.Workspace(tmp_path_factory.mktemp("engines")) as ws:
        insert(ws, _rows())
        engine = RecordingEngine(ws.con)
        det = lockstep.detect(ws, window="10s", min_count=2, engine=engine, write=False)
        yield engine, det


def test_a_run_goes_through_the_engine_it_is_given(recorded):
    engine, det = recorded
    assert len(engine.statements) > 100
    assert det.coaction_edges_.num_rows > 0


def test_every_statement_transpiles_to_spark_sql(recorded):
    engine, _ = recorded
    for sql in engine.statements:
        out = sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)
        assert out and out[0]


def test_unknown_engines_and_missing_capabilities_fail_before_any_work(tmp_path):
    with lockstep.Workspace(tmp_path) as ws:
        with pytest.raises(UnknownEngineError, match="unknown engine 'oracle'; available: duckdb"):
            get_engine("oracle", ws)
        engine = get_engine("duckdb", ws)
        assert engine.name == "duckdb" and "range_window" in engine.capabilities
        with pytest.raises(EngineCapabilityError, match="near-text needs 'gpu', which the duckdb engine does not support"):
            engine.require("gpu", "near-text")
