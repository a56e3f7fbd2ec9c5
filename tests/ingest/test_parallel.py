"""Parallel parsing (Reader.read_chunks in worker processes) stores exactly what serial reading does."""

from __future__ import annotations

import pytest

from lockstep import Workspace
from lockstep.ingest import _driver

HEADER = "author_id,content,region,language,publish_date,harvested_date,following,followers,updates,post_type,retweet\n"


def ira_csv(path, n):
    rows = [HEADER]
    for i in range(n):
        acc = f"acct{i % 37}"
        text = f"Post {i % 500} about #Topic{i % 7} https://ex.com/{i % 11}?utm_source=x @user{i % 5}"
        if i % 97 == 0:
            rows.append(f'{acc},too,few,fields\n')  # ragged: rejected
            continue
        ts = f"2016-0{1 + i % 9}-1{i % 10} 1{i % 10}:{i % 60:02d}:00"
        rows.append(f'{acc},"{text}",United States,English,{ts},{ts},{i % 300},{i % 200},{i},{"R" if i % 3 == 0 else ""},{int(i % 3 == 0)}\n')
    rows.append(rows[5])  # a duplicate post
    path.write_text("".join(rows))
    return path


TABLES = {
    "posts": "SELECT * EXCLUDE (source_file) FROM posts ORDER BY platform, post_id",
    "account_observations": "SELECT * EXCLUDE (source_file) FROM account_observations ORDER BY obs_hash",
    "rejected": "SELECT * EXCLUDE (source_file) FROM rejected ORDER BY source_line",
    "duplicates": "SELECT * EXCLUDE (source_file) FROM duplicates ORDER BY source_line",
}


def test_parallel_parsing_gives_the_same_tables_and_counts_as_serial(tmp_path, monkeypatch):
    monkeypatch.setattr(_driver, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr("lockstep.ingest.formats.ira538.CHUNK_ROWS", 500)
    path = ira_csv(tmp_path / "ira.csv", 5_000)
    results, tables = [], []
    for workers in ("1", "2"):
        monkeypatch.setenv("LOCKSTEP_INGEST_WORKERS", workers)
        with Workspace(tmp_path / f"ws{workers}") as ws:
            [r] = ws.ingest(path, format="ira538")
            results.append((r.n_read, r.n_accepted, r.n_duplicates, r.n_rejected))
            tables.append({name: ws.query(sql).to_pylist() for name, sql in TABLES.items()})
    assert results[0] == results[1]
    assert results[0][0] == results[0][1] + results[0][2] + results[0][3] == 5_001
    assert results[0][3] == len(range(0, 5_000, 97))
    for name in TABLES:
        assert tables[0][name] == tables[1][name], name


def test_a_reader_failing_in_a_worker_undoes_the_file(tmp_path, monkeypatch):
    from lockstep.errors import UnreadableFileError
    from lockstep.ingest.formats.ira538 import IRA538Reader

    monkeypatch.setattr(_driver, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr("lockstep.ingest.formats.ira538.CHUNK_ROWS", 500)
    monkeypatch.setenv("LOCKSTEP_INGEST_WORKERS", "2")
    original = IRA538Reader.parse_chunk

    def failing(self, chunk):
        if chunk.rows[0][0] > 2_000:
            raise RuntimeError("reader bug")
        yield from original(self, chunk)

    monkeypatch.setattr(IRA538Reader, "parse_chunk", failing)
    with Workspace(tmp_path / "ws") as ws:
        with pytest.raises(UnreadableFileError, match="RuntimeError: reader bug"):
            ws.ingest(ira_csv(tmp_path / "ira.csv", 5_000), format="ira538")
        assert ws.query("SELECT count(*) AS n FROM posts").to_pylist() == [{"n": 0}]


def test_parallel_twarc2_pages_give_the_same_tables_as_serial(tmp_path, monkeypatch):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from ingest import make_twarc2

    monkeypatch.setattr(_driver, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr("lockstep.ingest.formats.twarc2.CHUNK_CHARS", 100_000)
    path = tmp_path / "pages.jsonl"
    make_twarc2(path, 3_000)
    with path.open("a") as f:
        f.write('{"data": [{"id": "1", "text": "cut off')  # a truncated last line: rejected
    results, tables = [], []
    for workers in ("1", "2"):
        monkeypatch.setenv("LOCKSTEP_INGEST_WORKERS", workers)
        with Workspace(tmp_path / f"ws{workers}") as ws:
            [r] = ws.ingest(path)
            assert r.format == "twarc2"
            results.append((r.n_read, r.n_accepted, r.n_duplicates, r.n_rejected))
            tables.append({name: ws.query(sql).to_pylist() for name, sql in TABLES.items()})
    assert results[0] == results[1] == (3_001, 3_000, 0, 1)
    for name in TABLES:
        assert tables[0][name] == tables[1][name], name
