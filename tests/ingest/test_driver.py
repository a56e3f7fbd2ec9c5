"""The ingest driver: counting, idempotency, rejected rows, compression, transactions."""

from __future__ import annotations

import gzip
import zipfile
from datetime import UTC, datetime

import pytest
import zstandard

from lockstep import Workspace
from lockstep.errors import UnknownFormatError, UnreadableFileError

LINES = (
    "1\talice\t2024-03-01T10:00:00Z\tVote #NOW https://ex.com/?utm_source=x\n"
    "2\tbob\tnot a date\tbroken\n"
    "3\tbob\t2024-03-01T10:00:05Z\tVote #now\n"
    "1\talice\t2024-03-01T10:00:00Z\tVote #NOW https://ex.com/?utm_source=x\n"
    "just one field\n"
)


def write(path, text=LINES):
    path.write_text(text, encoding="utf-8")
    return path


def counts(r):
    return (r.n_read, r.n_accepted, r.n_duplicates, r.n_rejected)


def test_every_record_is_accepted_duplicate_or_rejected(workspace, tmp_path):
    [r] = workspace.ingest(write(tmp_path / "a.tsv-test"))
    assert r.format == "tsv-test"
    assert counts(r) == (5, 2, 1, 2)
    rejected = workspace.query("SELECT source_line, field, reason, raw FROM rejected ORDER BY 1").to_pylist()
    assert rejected == [
        {"source_line": 2, "field": "created_at", "reason": "unrecognised timestamp 'not a date'",
         "raw": "2\tbob\tnot a date\tbroken"},
        {"source_line": 5, "field": None, "reason": "expected 4 fields, found 1", "raw": "just one field"},
    ]
    assert workspace.query("SELECT source_line, post_id, same_content FROM duplicates").to_pylist() == [
        # Line 4 repeats line 1 exactly (compared within the file, not only with stored posts).
        {"source_line": 4, "post_id": "1", "same_content": True}
    ]


def test_posts_are_stored_in_canonical_form(workspace, tmp_path):
    workspace.ingest(write(tmp_path / "a.tsv-test"))
    row = workspace.query("SELECT * FROM posts WHERE post_id = '1'").to_pylist()[0]
    assert row == {
        "platform": "test", "post_id": "1", "account_id": "alice",
        "created_at": datetime(2024, 3, 1, 10, 0, tzinfo=UTC), "kind": "post",
        "text": "Vote #NOW https://ex.com/?utm_source=x", "text_norm": "vote #now", "lang": None,
        "repost_of": None, "repost_of_account": None, "reply_to": None, "reply_to_account": None,
        "quote_of": None, "urls": ["https://ex.com/"], "domains": ["ex.com"], "hashtags": ["now"],
        "mentions": [], "media": [], "client": None, "venue": None, "title": None, "post_url": None,
        "source_file": str(tmp_path / "a.tsv-test"), "source_line": 1,
    }


def test_ingesting_the_same_file_twice_adds_nothing(workspace, tmp_path):
    f = write(tmp_path / "a.tsv-test")
    workspace.ingest(f)
    [again] = workspace.ingest(f)
    assert again.skipped and counts(again) == (0, 0, 0, 0)
    assert workspace.query("SELECT count(*) AS n FROM posts").to_pylist() == [{"n": 2}]
    # The same posts in another file are duplicates, counted and listed.
    [copy] = workspace.ingest(write(tmp_path / "b.tsv-test", LINES + "9\tcarol\t2024-03-01T11:00:00Z\tnew\n"))
    assert counts(copy) == (6, 1, 3, 2)
    assert workspace.query("SELECT count(*) AS n FROM posts").to_pylist() == [{"n": 3}]


@pytest.mark.parametrize("compression", ["gzip", "zstd", "zip"])
def test_compressed_files_are_read_transparently(workspace, tmp_path, compression):
    if compression == "gzip":
        path = tmp_path / "a.tsv-test.gz"
        path.write_bytes(gzip.compress(LINES.encode()))
    elif compression == "zstd":
        path = tmp_path / "a.tsv-test.zst"
        path.write_bytes(zstandard.ZstdCompressor().compress(LINES.encode()))
    else:
        path = tmp_path / "a.zip"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("inner/a.tsv-test", LINES)
            z.writestr("inner/b.tsv-test", "7\tdan\t2024-03-02T00:00:00Z\thi\n")
    results = workspace.ingest(path)
    assert sum(r.n_accepted for r in results) == (3 if compression == "zip" else 2)
    assert all(r.format == "tsv-test" for r in results)


def test_zip_members_with_unsafe_paths_are_refused(workspace, tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("../../etc/passwd.tsv-test", LINES)
    with pytest.raises(UnreadableFileError, match="unsafe path"):
        workspace.ingest(path)


def test_a_reader_failing_mid_file_leaves_the_workspace_as_it_was(workspace, tmp_path):
    f = write(tmp_path / "bad.tsv-test", LINES + "BOOM\n")
    with pytest.raises(UnreadableFileError, match=r"bad.tsv-test: reading as tsv-test stopped after record 5: RuntimeError"):
        workspace.ingest(f)
    assert workspace.query("SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM rejected) "
                           "+ (SELECT count(*) FROM sources) AS n").to_pylist() == [{"n": 0}]


def test_unknown_empty_and_missing_files_stop_with_one_clear_message(workspace, tmp_path):
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01\x02 nothing anyone reads")
    with pytest.raises(UnknownFormatError, match=r"notes\.bin: format not recognised"):
        workspace.ingest(tmp_path / "notes.bin")
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(UnknownFormatError, match=r"empty\.txt: the file is empty"):
        workspace.ingest(tmp_path / "empty.txt")
    with pytest.raises(UnreadableFileError, match="no such file"):
        workspace.ingest(tmp_path / "missing.jsonl")
    with pytest.raises(UnknownFormatError, match="unknown format 'nope'"):
        workspace.ingest(write(tmp_path / "a.tsv-test"), format="nope")


def test_account_records_are_counted_as_accepted_or_duplicate(workspace, tmp_path):
    f = write(tmp_path / "users.tsv-test", "ACCOUNT\tu1\tone\nACCOUNT\tu2\ttwo\nACCOUNT\tu1\tone\n")
    [r] = workspace.ingest(f)
    assert counts(r) == (3, 2, 1, 0)
    assert workspace.query("SELECT account_id, handle FROM accounts ORDER BY 1").to_pylist() == [
        {"account_id": "u1", "handle": "one"}, {"account_id": "u2", "handle": "two"}]


def test_the_accounts_view_keeps_the_latest_value_and_observations_keep_history(workspace, tmp_path):
    workspace.ingest(write(tmp_path / "a.tsv-test", "ACCOUNT\tu1\told_name\n"))
    workspace.ingest(write(tmp_path / "b.tsv-test", "1\tu1\t2024-01-01T00:00:00Z\thello\n"))
    assert workspace.query("SELECT handle FROM accounts").to_pylist() == [{"handle": "h_u1"}]
    assert workspace.query("SELECT handle FROM account_observations ORDER BY observed_at NULLS FIRST").to_pylist() == [
        {"handle": "old_name"}, {"handle": "h_u1"}]


def test_tables_come_back_as_arrow_polars_or_pandas(workspace, tmp_path):
    workspace.ingest(write(tmp_path / "a.tsv-test"))
    assert workspace.table("posts").num_rows == 2
    assert workspace.table("posts", as_="polars").height == 2
    assert len(workspace.table("posts", as_="pandas")) == 2
    assert {"posts", "accounts", "rejected", "sources", "duplicates"} <= set(workspace.tables())


def test_a_second_writer_gets_a_clear_workspace_in_use_error(tmp_path):
    import subprocess
    import sys

    from lockstep.errors import WorkspaceInUseError

    ws = Workspace(tmp_path / "ws")
    try:
        code = (
            "import sys\nfrom lockstep import Workspace\nfrom lockstep.errors import WorkspaceInUseError\n"
            f"try:\n    Workspace({str(tmp_path / 'ws')!r})\nexcept WorkspaceInUseError as e:\n    print(e); sys.exit(3)\n"
        )
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert p.returncode == 3, p.stderr
        assert "workspace in use" in p.stdout
    finally:
        ws.close()
    assert WorkspaceInUseError.exit_code == 2


def test_a_workspace_of_another_version_is_refused(tmp_path):
    from lockstep.errors import WorkspaceError

    with Workspace(tmp_path / "ws") as ws:
        ws.con.execute("UPDATE metadata SET value = '999' WHERE key = 'format_version'")
    with pytest.raises(WorkspaceError, match="format version 999"):
        Workspace(tmp_path / "ws")
