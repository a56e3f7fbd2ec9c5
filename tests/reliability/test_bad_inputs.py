"""The bad-input corpus through the CLI: no traceback, a message naming file (and line and field for
rejected rows), the documented exit code, and read = accepted + duplicates + rejected.

Small cases are files under tests/data/bad/ (README.md there lists each with its outcome); large
or binary ones (50 MB lines, bombs, archives) are generated into tmp_path by ``_corpus``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lockstep import Workspace
from lockstep.cli import app

from ._corpus import BAD, GENERATED

runner = CliRunner()

# name → (read, accepted, duplicates, rejected), then the rejected rows as (line, field, reason start).
ROWS = {
    "truncated.jsonl": ((5, 4, 0, 1), [(5, None, "invalid JSON: Unterminated string")]),
    "truncated_array.json": ((2, 1, 0, 1), [(2, None, "invalid JSON after record 1 (file truncated or damaged)")]),
    "truncated_document.json": ((3, 1, 0, 2), [(1, "type", "service message"),
                                               (3, None, "invalid JSON after message 2 (export truncated")]),
    "latin1.csv": ((2, 2, 0, 0), []),
    "utf16_bom.csv": ((2, 2, 0, 0), []),
    "invalid_utf8.jsonl": ((2, 2, 0, 0), []),
    "nul_bytes.csv": ((3, 3, 0, 0), []),
    "nul_bytes.jsonl": ((4, 2, 0, 2), [(2, None, "invalid JSON"), (3, None, "invalid JSON")]),
    "ragged.csv": ((4, 2, 0, 2), [(3, "created_at", "created_at is missing (row has 3 fields, the header 5)"),
                                  (4, None, "row has 7 fields, the header 5")]),
    "embedded_newlines.csv": ((4, 3, 0, 1), [(6, "created_at", "unrecognised timestamp 'not a time'")]),
    "unclosed_quote.csv": ((2, 1, 0, 1), [(3, None, "CSV parse error: a quote opened on line 3 is never closed")]),
    "wrong_types.jsonl": ((9, 3, 0, 6), [
        (1, "post_id", "post_id is a dict, not a string or number"),
        (2, "created_at", "not a timestamp: list"),
        (5, "account_id", "account_id is missing"),
        (6, "created_at", "not a timestamp: True"),
        (7, "kind", "kind 'tweet' is not one of"),
        (8, None, "not a JSON object"),
    ]),
    "timestamps.csv": ((17, 7, 0, 10), [
        (9, "created_at", "impossible timestamp '2024-02-30T10:00:00Z'"),
        (10, "created_at", "impossible timestamp '2024-13-01T00:00:00Z'"),
        (11, "created_at", "impossible timestamp '2024-03-01T25:00:00Z'"),
        (12, "created_at", "impossible UTC offset in '2024-03-01T10:00:00+25:00'"),
        (13, "created_at", "timestamp 1970-01-01T00:00:00+00:00 is outside 1990..now"),
        (14, "created_at", "timestamp 9999-12-31T23:59:59+00:00 is outside 1990..now"),
        (15, "created_at", "timestamp 1969-12-31T23:59:59+00:00 is outside 1990..now"),
        (16, "created_at", "unrecognised timestamp 'yesterday'"),
        (17, "created_at", "unknown time zone 'XYZ'"),
        (18, "created_at", "created_at is missing"),
    ]),
    "duplicates.csv": ((5, 2, 3, 0), []),
    "header_only.csv": ((0, 0, 0, 0), []),
    # Generated at run time.
    "big_line.jsonl": ((2, 2, 0, 0), []),
    "big_line_not_json.jsonl": ((3, 2, 0, 1), [(2, None, "invalid JSON")]),
    "big_cell.csv": ((2, 2, 0, 0), []),
    "good.tar.gz": ((3, 3, 0, 0), []),
    "good.tar.zst": ((2, 2, 0, 0), []),
}

# name → (extra CLI arguments, the start of the message after "Error: <file>"); exit code 2.
FAILS = {
    "empty.csv": ([], ": the file is empty"),
    "blank_lines.jsonl": ([], ": the file is empty"),
    "bom_only.csv": ([], ": the file is empty"),
    "garbage.bin": ([], ": format not recognised; name one with --format"),
    "missing_column.csv": ([], ": format not recognised; name one with --format"),
    "missing_column.csv --format csv": (["--format", "csv"], ": no column for the required field 'created_at'"),
    "trailing_garbage.csv.gz": ([], ": the gzip data is followed by bytes that are not gzip (trailing garbage"),
    "truncated.csv.gz": ([], ": the compressed file is truncated"),
    "bomb.csv.gz": ([], ": expands past 100,"),
    "traversal.zip": ([], ": zip member '../../evil.csv' has an unsafe path"),
    "absolute.zip": ([], ": zip member '/tmp/evil.csv' has an unsafe path"),
    "bomb.zip": ([], ": zip member 'zeros.csv' expands"),
    "traversal.tar": ([], ": tar member '../../evil.csv' has an unsafe path"),
    "symlink.tar.gz": ([], ": tar member 'passwd.csv' is a symbolic link"),
    "device.tar": ([], ": tar member 'console.csv' is a device or fifo"),
    "bomb.tar.gz": ([], ": tar member 'zeros.csv' brings the archive to 157,286,400 bytes"),
}


def materialise(name: str, tmp_path: Path) -> Path:
    """The case as a file in tmp_path (copied from tests/data/bad/, or generated)."""
    target = tmp_path / name
    if name in GENERATED:
        GENERATED[name](target)
    else:
        shutil.copy(BAD / name, target)
    return target


def test_every_committed_case_is_in_the_table_and_the_readme():
    committed = {p.name for p in BAD.iterdir() if p.name != "README.md"}
    tested = {n.split()[0] for n in [*ROWS, *FAILS]}
    assert committed <= tested
    readme = (BAD / "README.md").read_text()
    for name in committed | set(GENERATED):
        assert f"`{name}`" in readme, f"{name} is not described in tests/data/bad/README.md"


@pytest.mark.parametrize("name", sorted(ROWS))
def test_a_bad_file_is_read_row_by_row_with_every_row_counted_and_explained(name, tmp_path):
    path = materialise(name, tmp_path)
    ws = tmp_path / "ws"
    result = runner.invoke(app, ["ingest", str(path), "--workspace", str(ws), "--json"])
    assert result.exception is None, result.output
    assert result.exit_code == 0
    counts, rejected = ROWS[name]
    per_file = json.loads(result.stdout)
    totals = tuple(sum(r[k] for r in per_file) for k in ("n_read", "n_accepted", "n_duplicates", "n_rejected"))
    assert totals == counts
    assert totals[0] == sum(totals[1:])
    info = runner.invoke(app, ["info", "--workspace", str(ws), "--json", "--rejected", "100"])
    assert info.exit_code == 0
    rows = json.loads(info.stdout)["rejected_rows"]
    assert [(r["source_line"], r["field"]) for r in rows] == [(line, field) for line, field, _ in rejected]
    for row, (_, _, reason) in zip(rows, rejected):
        assert row["source_file"].startswith(str(path))
        assert row["reason"].startswith(reason), row["reason"]
    # The human listing names file, line and field on one line each.
    listing = runner.invoke(app, ["info", "--workspace", str(ws), "--rejected", "100"]).stdout
    for line, field, _ in rejected:
        assert f"{path}:{line}: {field or '(record)'}: " in listing.replace("\n", "")


@pytest.mark.parametrize("case", sorted(FAILS))
def test_an_unreadable_file_stops_with_one_message_naming_it_and_exit_code_2(case, tmp_path):
    args, message = FAILS[case]
    path = materialise(case.split()[0], tmp_path)
    result = runner.invoke(app, ["ingest", str(path), "--workspace", str(tmp_path / "ws"), *args])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    out = " ".join(result.output.split())
    assert out.startswith(f"Error: {path}{message}"), out
    with Workspace(tmp_path / "ws", read_only=True) as ws:
        assert ws.table("posts").num_rows == 0


@pytest.mark.parametrize("name, texts", [
    ("latin1.csv", ["caf\ufffd cr\ufffdme", "na\ufffdve"]),
    ("utf16_bom.csv", ["Привет мир", "ok"]),
    ("invalid_utf8.jsonl", ["bad \ufffd\ufffd bytes \ufffd", "fine"]),
    ("nul_bytes.csv", ["nul\x00inside", "ok", "fine"]),
    ("embedded_newlines.csv", ["line one\nline two, with comma", 'she said "hi"\r\nthen left', "last"]),
])
def test_damaged_text_is_kept_visible_and_utf16_is_decoded(name, texts, tmp_path):
    with Workspace(tmp_path / "ws") as ws:
        ws.ingest(materialise(name, tmp_path))
        assert ws.query("SELECT text FROM posts ORDER BY source_line").column("text").to_pylist() == texts


def test_duplicates_say_whether_their_content_differs(tmp_path):
    with Workspace(tmp_path / "ws") as ws:
        ws.ingest(materialise("duplicates.csv", tmp_path))
        again = tmp_path / "again.csv"
        again.write_text("platform,post_id,account_id,created_at,text\ntwitter,2,a2,2024-03-01T10:01:00Z,changed\n")
        ws.ingest(again)
        assert ws.query("SELECT source_line, post_id, same_content FROM duplicates ORDER BY source_file, source_line").to_pylist() == [
            {"source_line": 2, "post_id": "2", "same_content": False},
            {"source_line": 3, "post_id": "1", "same_content": True},
            {"source_line": 4, "post_id": "1", "same_content": False},
            {"source_line": 5, "post_id": "1", "same_content": False},
        ]
        assert ws.query("SELECT post_id, text FROM posts ORDER BY post_id").to_pylist() == [
            {"post_id": "1", "text": "original"}, {"post_id": "2", "text": "unique"},
        ]


def test_a_50_mb_rejected_line_keeps_a_bounded_raw_excerpt(tmp_path):
    with Workspace(tmp_path / "ws") as ws:
        ws.ingest(materialise("big_line_not_json.jsonl", tmp_path))
        (raw,) = ws.query("SELECT raw FROM rejected").column("raw").to_pylist()
    assert raw.startswith("{xxx") and raw.endswith(f"… [{50 * 1024 * 1024 + 1 - 100_000:,} more characters]")


@pytest.mark.parametrize("name, code", [("ragged.csv", 0), ("traversal.zip", 2), ("empty.csv", 2)])
def test_the_installed_command_gives_the_documented_exit_code(name, code, tmp_path):
    path = materialise(name, tmp_path)
    lockstep = Path(sys.executable).parent / "lockstep"
    proc = subprocess.run([str(lockstep), "ingest", str(path), "--workspace", str(tmp_path / "ws")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    if code:
        assert proc.stderr.startswith(f"Error: {path}")
