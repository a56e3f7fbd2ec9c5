"""No network at run time: every stage works with connections refused.

Two layers: here, ``socket.socket.connect`` (and DNS) fail for the test process while ingest,
simulate, detect (when available) and report run; and in CI the whole suite runs in a network
namespace with no interfaces (``unshare -rn``), where ``LOCKSTEP_EXPECT_OFFLINE=1`` makes the last
test below prove that the namespace really is offline.
"""

from __future__ import annotations

import os
import socket

import pytest

from lockstep import Workspace
from lockstep.report import write_report
from lockstep.simulate import simulate

from ._pipeline import detect_function


@pytest.fixture
def no_network(monkeypatch):
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args[1:] or kwargs)
        raise OSError("network access attempted during a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_the_guard_itself_refuses_connections(no_network):
    with pytest.raises(OSError, match="network access attempted"):
        socket.create_connection(("example.org", 80))
    assert len(no_network) == 1


def test_simulate_ingest_detect_and_report_attempt_no_connection(no_network, tmp_path):
    posts = simulate("demo", seed=1).write(tmp_path / "sim" / "posts.csv")["posts"]
    with Workspace(tmp_path / "ws") as ws:
        (result,) = ws.ingest(posts)
        assert result.n_accepted > 0
        detect = detect_function()
        if detect is not None:
            detect(ws)
            write_report(ws, tmp_path / "report")
            assert (tmp_path / "report" / "report.html").exists()
    assert no_network == []


@pytest.mark.skipif(os.environ.get("LOCKSTEP_EXPECT_OFFLINE") != "1",
                    reason="set LOCKSTEP_EXPECT_OFFLINE=1 when running the suite under `unshare -rn`")
def test_the_suite_really_runs_without_a_network():
    with pytest.raises(OSError):
        socket.create_connection(("1.1.1.1", 53), timeout=2)
