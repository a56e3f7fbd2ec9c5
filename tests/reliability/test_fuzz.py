"""Fuzzing the opener, the detector and every reader (fuzz/fuzz_ingest.py): briefly with atheris
when it is installed, and always with hypothesis driving the same check."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
FUZZ = REPO / "fuzz" / "fuzz_ingest.py"
RUNS = int(os.environ.get("LOCKSTEP_FUZZ_RUNS", "1500"))
MAX_SECONDS = int(os.environ.get("LOCKSTEP_FUZZ_SECONDS", "45"))

spec = importlib.util.spec_from_file_location("fuzz_ingest", FUZZ)
fuzz_ingest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fuzz_ingest)

# Inputs that look like the formats (so hypothesis reaches past detection), then arbitrary bytes.
HEADS = [b"\x00platform,post_id,account_id,created_at,text\n", b"\x01{\"platform\": \"x\", \"post_id\": 1, ",
         b"\x02[{\"id\": \"1\", \"created_at\": ", b"\x02{\"name\": \"chat\", \"type\": \"personal_chat\", \"messages\": [",
         b"\x03PAR1", b"\x01{\"data\": [{\"id\": \"1\", \"author_id\": ", b"\x00\x1f\x8b\x08", b"\x00PK\x03\x04", b""]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(head=st.sampled_from(HEADS), body=st.binary(max_size=2000))
def test_arbitrary_bytes_give_records_rejections_or_a_lockstep_error(head, body, tmp_path_factory):
    fuzz_ingest.check(head + body, str(tmp_path_factory.mktemp("fuzz")))


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=600), head=st.sampled_from(HEADS[:6]))
def test_arbitrary_text_after_a_format_like_start_never_breaks_a_reader(text, head):
    fuzz_ingest.check(head + text.encode("utf-8"))


def test_atheris_finds_no_crash_in_a_short_run(tmp_path):
    pytest.importorskip("atheris", reason="atheris is not installed (pip install atheris); hypothesis covers the target")
    corpus = tmp_path / "corpus"  # libFuzzer adds what it finds to the corpus: keep the seeds clean
    shutil.copytree(REPO / "fuzz" / "corpus", corpus)
    # Bounded by runs and by time (a loaded CI machine runs fewer): any crash fails the test.
    proc = subprocess.run([sys.executable, str(FUZZ), f"-atheris_runs={RUNS}", f"-max_total_time={MAX_SECONDS}",
                           str(corpus)], capture_output=True, text=True, timeout=MAX_SECONDS + 120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    done = re.search(r"Done (\d+) ", proc.stderr)
    assert done and int(done.group(1)) > 0, proc.stderr[-3000:]
    print(f"atheris: {done.group(1)} executions, no crash")
