"""Checks every registered detector must pass (the scikit-learn `parametrize_with_checks` idea)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from lockstep.detect import DETECTORS, EDGE_SCHEMA, EVIDENCE_SCHEMA, Detector, get_detector

from .conftest import post

URL = "https://example.org/a"
TEXT = "the same campaign message again and again for everyone"


def _rows():
    """Eight rounds, one a day at the same clock time, in which a, b and c act together within
    seconds on every kind of object, plus background accounts acting alone; enough for every
    signal to find a, b, c (scheduled posting needs the days)."""
    rows = []
    for k in range(8):
        t = 86400 * k
        for i, acc in enumerate("abc"):
            common = dict(
                urls=[f"{URL}/{k}"], domains=["example.org"], hashtags=["x", f"tag{k}"],
                mentions=[f"target{k}"], media=[f"sha:{k}"], text=f"{TEXT} round {k}",
            )
            rows.append(post(acc, t + i, f"{acc}-p{k}", **common))
            rows.append(post(acc, t + 60 + i, f"{acc}-r{k}", repost_of=f"orig{k}"))
            rows.append(post(acc, t + 120 + i, f"{acc}-y{k}", reply_to=f"orig{k}", text=f"reply {k} {acc}"))
        rows.append(post(f"bg{k}", t + 1800, f"bg{k}-p", urls=[f"{URL}/bg{k}"], text=f"background {k}"))
        rows.append(post("orig", t - 30, f"orig{k}", text=f"original post {k}"))
    return rows


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    from lockstep import Workspace

    from .conftest import insert

    w = Workspace(tmp_path_factory.mktemp("conformance"))
    insert(w, _rows())
    yield w
    w.close()


SIGNALS = list(DETECTORS)


@pytest.mark.parametrize("signal", SIGNALS)
def test_detector_is_registered_under_its_signal_name_with_docs(signal):
    cls = DETECTORS[signal]
    assert issubclass(cls, Detector)
    assert cls.signal == signal
    assert cls.__doc__ and "Examples" in cls.__doc__ and cls.description and cls.reason


@pytest.mark.parametrize("signal", SIGNALS)
def test_constructor_only_stores_parameters(signal):
    det = get_detector(signal, window="7s")
    params = det.get_params()
    assert params["window"] == "7s"
    assert get_detector(signal, **params).get_params() == params
    assert not hasattr(det, "edges_")


@pytest.mark.parametrize("signal", SIGNALS)
def test_detector_finds_the_planted_trio_and_emits_the_edge_schema(ws, signal):
    det = get_detector(signal, window="10s", min_count=1, null=None).fit(ws)
    assert det.edges_.schema == EDGE_SCHEMA
    assert det.evidence_.schema == EVIDENCE_SCHEMA
    pairs = {(r["account_a"], r["account_b"]) for r in det.edges_.to_pylist() if r["kept"]}
    assert {("a", "b"), ("a", "c"), ("b", "c")} <= pairs


@pytest.mark.parametrize("signal", SIGNALS)
def test_every_kept_edge_has_evidence_and_every_evidence_row_a_kept_edge(ws, signal):
    det = get_detector(signal, window="10s", min_count=2).fit(ws)
    key = ("platform_a", "account_a", "platform_b", "account_b")
    kept = {tuple(r[k] for k in key) for r in det.edges_.to_pylist() if r["kept"]}
    with_evidence = {tuple(r[k] for k in key) for r in det.evidence_.to_pylist()}
    assert kept == with_evidence
    for r in det.evidence_.to_pylist():
        assert abs((r["t_b"] - r["t_a"]).total_seconds() - r["dt_s"]) < 1e-6
        assert abs(r["dt_s"]) <= det.window_s_


@pytest.mark.parametrize("signal", SIGNALS)
def test_detector_is_deterministic_for_a_seed(ws, signal):
    one = get_detector(signal, window="10s", min_count=1).fit(ws, seed=3)
    two = get_detector(signal, window="10s", min_count=1).fit(ws, seed=3)
    assert one.edges_.equals(two.edges_)
    assert one.evidence_.equals(two.evidence_)


@pytest.mark.parametrize("signal", SIGNALS)
def test_null_model_columns_are_filled_when_a_null_is_used(ws, signal):
    det = get_detector(signal, window="10s", min_count=1).fit(ws)
    t = det.edges_
    assert t.num_rows > 0
    assert t["p_value"].null_count == 0 and t["expected"].null_count == 0
    p = t["p_value"].to_pylist()
    assert all(0.0 <= x <= 1.0 for x in p)
    assert pa.compute.all(pa.compute.greater_equal(t["q_value"], t["p_value"])).as_py()
