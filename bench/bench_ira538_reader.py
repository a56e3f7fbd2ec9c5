"""Rows per second of the ira538 reader alone on the first N rows of the IRA tweets file.

Usage: python bench/bench_ira538_reader.py [N]   (default 200,000; needs ../shared/data)
Prints wall and CPU rows/s; the target for the whole 1.67M-row ingest is under 60 s on 2 cores.
"""

from __future__ import annotations

import gzip
import io
import itertools
import sys
import time
from pathlib import Path

from lockstep.ingest import READERS

SRC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ira_tweets" / "tweets_english_categories.csv.gz"


def main(n: int = 200_000) -> None:
    if not SRC.exists():
        sys.exit(f"{SRC} not found")
    with gzip.open(SRC, "rb") as f:
        head = b"".join(itertools.islice(f, n + 1))
    reader = READERS["ira538"]()
    wall, cpu = time.perf_counter(), time.process_time()
    count = sum(1 for _ in reader.read(io.BytesIO(head), str(SRC)))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"ira538 reader: {count:,} rows, {count / wall:,.0f} rows/s wall, {count / cpu:,.0f} rows/s CPU; "
          f"1.67M rows would take {1_672_227 / (count / cpu):.0f} s CPU")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
