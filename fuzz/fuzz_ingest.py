"""Fuzz target: the opener, the format detector and every reader over arbitrary bytes.

The contract under test: whatever the bytes, opening, detecting and reading raise nothing but
``LockstepError`` (a clear message for the user), and readers yield only Records and Rejections.

    python fuzz/fuzz_ingest.py -atheris_runs=200000      # libFuzzer flags; corpus dirs optional
    python fuzz/fuzz_ingest.py fuzz/corpus -max_total_time=600

Without atheris, ``check`` is driven by hypothesis in tests/reliability/test_fuzz.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile

from lockstep.errors import LockstepError
from lockstep.ingest import READERS, Record, Rejection, Sample, detect_format, open_source

# A name per first byte, so the fuzzer also reaches suffix-based sniffing.
NAMES = ["posts.csv", "tweets.jsonl", "result.json", "data.parquet", "RC_2019-01.ndjson", "x.tsv", "posts", "a.txt"]
MAX_ITEMS = 10_000


def _drain(reader_name: str, data: bytes) -> None:
    reader = READERS[reader_name](platform=None, mapping=None)
    for n, item in enumerate(reader.read(io.BytesIO(data), "fuzz")):
        if not isinstance(item, Record | Rejection):
            raise AssertionError(f"{reader_name} yielded {type(item).__name__}")
        if n > MAX_ITEMS:
            break


def check(data: bytes, tmpdir: str | None = None) -> None:
    """Open, detect and read ``data``; raise AssertionError or the unexpected exception on a bug."""
    if not data:
        return
    name = NAMES[data[0] % len(NAMES)]
    payload = data[1:]
    sample = Sample(name=name, head=payload[: 256 * 1024])
    try:
        cls = detect_format(sample, name)
    except LockstepError:
        cls = None
    # The detected reader, and one more chosen by the input (every reader sees hostile bytes).
    readers = {cls.name} if cls else set()
    readers.add(sorted(READERS)[data[-1] % len(READERS)])
    for r in sorted(readers):
        with contextlib.suppress(LockstepError):
            _drain(r, payload)
    if tmpdir is not None:
        path = os.path.join(tmpdir, name)
        with open(path, "wb") as f:
            f.write(payload)
        try:
            for source in open_source(path):
                with source.open() as stream:
                    while stream.read(1 << 16):
                        pass
        except LockstepError:
            pass


def main() -> None:
    import atheris

    tmp = tempfile.mkdtemp(prefix="lockstep-fuzz-")

    def one(data: bytes) -> None:
        check(data, tmp)

    # Coverage feedback over everything already imported (lockstep.ingest and its readers).
    atheris.instrument_all()
    atheris.Setup(sys.argv, one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
