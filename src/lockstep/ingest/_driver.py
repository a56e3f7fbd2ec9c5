"""The ingest driver: one file through its reader into the workspace, counted and idempotent."""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

import pyarrow as pa

from lockstep.errors import LockstepError, UnreadableFileError
from lockstep.ingest._base import Record, Rejection
from lockstep.ingest._detect import SourceFile, detect_format
from lockstep.schema import ACCOUNT_FIELDS, ACCOUNTS, POST_FIELDS, POSTS, REJECTED

if TYPE_CHECKING:
    from lockstep.workspace import Workspace

__all__ = ["IngestResult", "ingest_file"]

# Records per batch written to DuckDB: large enough to amortise a join, small enough that memory
# stays bounded whatever the file size.
BATCH_RECORDS = 50_000
# A rejected row keeps its raw text up to this many characters (a 50 MB line is still explained).
MAX_RAW_CHARS = 100_000

_POST_NAMES = [f.name for f in POST_FIELDS]
_ACCOUNT_NAMES = [f.name for f in ACCOUNT_FIELDS]
_OBS_HASH_FIELDS = [n for n in _ACCOUNT_NAMES if n not in ("observed_at", "source_file", "source_line")]


@dataclass
class IngestResult:
    """What one file contributed. ``n_read == n_accepted + n_duplicates + n_rejected`` always."""

    path: str
    format: str
    platform: str
    n_read: int = 0
    n_accepted: int = 0
    n_duplicates: int = 0
    n_rejected: int = 0
    n_account_observations: int = 0
    skipped: bool = False  # the same bytes were ingested before
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class _CountingStream(io.RawIOBase):
    """Counts bytes read from a stream, for progress reporting."""

    def __init__(self, inner: IO[bytes], on_read: Callable[[int], None]):
        self._inner, self._on_read, self.n = inner, on_read, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._inner.read(len(b))
        n = len(data)
        b[:n] = data
        self.n += n
        self._on_read(self.n)
        return n


def _file_digest(source: SourceFile) -> str:
    h = hashlib.sha256()
    with source.open() as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def ingest_file(
    ws: Workspace,
    source: SourceFile,
    *,
    format: str | None = None,
    mapping: dict[str, str] | None = None,
    platform: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> IngestResult:
    """Read one source into the workspace in a single transaction; see :meth:`Workspace.ingest`."""
    t0 = time.perf_counter()
    sample = source.sample()
    reader_cls = detect_format(sample, source.path, format)
    reader = reader_cls(platform=platform, mapping=mapping)
    result = IngestResult(source.path, reader_cls.name, reader.row_platform)
    try:
        digest = _file_digest(source)
    except (OSError, EOFError) as e:
        raise UnreadableFileError(f"{source.path}: cannot read: {e}") from None
    # The digest covers the reading options too: the same file read another way is another source.
    source_id = hashlib.sha256(f"{digest}|{reader_cls.name}|{platform}|{sorted((mapping or {}).items())}".encode()).hexdigest()
    if ws.con.execute("SELECT 1 FROM sources WHERE source_id = ?", [source_id]).fetchall():
        result.skipped = True
        result.seconds = time.perf_counter() - t0
        return result

    batch = _Batch(source.path)
    con = ws.con
    con.execute("BEGIN TRANSACTION")
    try:
        total = source.size
        with source.open() as raw:
            stream: IO[bytes] = raw
            if progress:
                stream = io.BufferedReader(_CountingStream(raw, lambda n: progress(source.path, n, total)))
            last_line: int | None = None
            try:
                for item in reader.read(stream, source.path):
                    last_line = item.line
                    batch.add(item, reader_cls.name)
                    if batch.n_records >= BATCH_RECORDS:
                        batch.flush(con, result)
            except LockstepError:
                raise
            except Exception as e:
                # A reader that fails mid-file is a bug or a file damaged beyond what the reader
                # handles: stop this file whole (rolled back) and say where, rather than keep half.
                raise UnreadableFileError(
                    f"{source.path}: reading as {reader_cls.name} stopped after record {last_line}: "
                    f"{type(e).__name__}: {e}"
                ) from e
        batch.flush(con, result)
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [source_id, source.path, reader_cls.name, result.platform, result.n_read, result.n_accepted,
             result.n_duplicates, result.n_rejected, datetime.now(UTC)],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    assert result.n_read == result.n_accepted + result.n_duplicates + result.n_rejected
    result.seconds = time.perf_counter() - t0
    return result


class _Batch:
    """Records accumulated column-wise until the next flush."""

    def __init__(self, path: str):
        self.path = path
        self._reset()

    def _reset(self) -> None:
        self.posts: dict[str, list[Any]] = {n: [] for n in _POST_NAMES}
        self.accounts: dict[str, list[Any]] = {n: [] for n in [*_ACCOUNT_NAMES, "obs_hash", "_primary"]}
        self.rejected: dict[str, list[Any]] = {f.name: [] for f in REJECTED}
        self.n_records = 0
        self.n_rejected = 0

    def add(self, item: Record | Rejection, fmt: str) -> None:
        self.n_records += 1
        if isinstance(item, Rejection):
            self.n_rejected += 1
            r = self.rejected
            r["source_file"].append(self.path)
            r["source_line"].append(item.line)
            r["format"].append(fmt)
            r["field"].append(item.field)
            r["reason"].append(item.reason)
            raw = item.raw
            if raw is not None and len(raw) > MAX_RAW_CHARS:
                raw = raw[:MAX_RAW_CHARS] + f"… [{len(raw) - MAX_RAW_CHARS:,} more characters]"
            r["raw"].append(raw)
            return
        post = item.post
        if post is not None:
            post["source_file"] = self.path
            post["source_line"] = item.line
            for n in _POST_NAMES:
                self.posts[n].append(post.get(n))
        for i, acc in enumerate(item.accounts):
            acc["source_file"] = self.path
            acc["source_line"] = item.line
            if acc.get("observed_at") is None and post is not None:
                acc["observed_at"] = post["created_at"]
            for n in _ACCOUNT_NAMES:
                self.accounts[n].append(acc.get(n))
            self.accounts["obs_hash"].append(_obs_hash(acc))
            # An account record (a users file) is counted by its first account.
            self.accounts["_primary"].append(post is None and i == 0)
        if post is None and not item.accounts:
            raise ValueError(f"{self.path}: line {item.line}: a Record with neither post nor account")

    def flush(self, con: Any, result: IngestResult) -> None:
        if self.n_records == 0:
            return
        result.n_read += self.n_records
        result.n_rejected += self.n_rejected
        if self.rejected["reason"]:
            con.register("_rej", pa.table(self.rejected, schema=REJECTED))
            con.execute("INSERT INTO rejected SELECT * FROM _rej")
            con.unregister("_rej")
        if self.posts["post_id"]:
            n_batch = len(self.posts["post_id"])
            con.register("_batch", pa.table(self.posts, schema=POSTS))
            con.execute(
                """CREATE OR REPLACE TEMP TABLE _b AS
                SELECT b.*,
                       row_number() OVER (PARTITION BY b.platform, b.post_id ORDER BY b.source_line) AS _rn,
                       p.post_id IS NOT NULL AS _exists,
                       (p.account_id = b.account_id AND p.created_at = b.created_at
                        AND p.text IS NOT DISTINCT FROM b.text) AS _same
                FROM _batch b LEFT JOIN posts p ON p.platform = b.platform AND p.post_id = b.post_id"""
            )
            con.unregister("_batch")
            con.execute(
                "INSERT INTO duplicates SELECT source_file, source_line, platform, post_id, "
                "CASE WHEN _exists THEN _same END FROM _b WHERE _exists OR _rn > 1"
            )
            cols = ", ".join(_POST_NAMES)
            inserted = con.execute(f"INSERT INTO posts SELECT {cols} FROM _b WHERE NOT _exists AND _rn = 1").fetchall()[0][0]
            con.execute("DROP TABLE _b")
            result.n_accepted += inserted
            result.n_duplicates += n_batch - inserted
        if self.accounts["obs_hash"]:
            schema = ACCOUNTS.append(pa.field("obs_hash", pa.string())).append(pa.field("_primary", pa.bool_()))
            con.register("_acc", pa.table(self.accounts, schema=schema))
            con.execute(
                """CREATE OR REPLACE TEMP TABLE _a AS
                SELECT a.*, row_number() OVER (PARTITION BY a.obs_hash ORDER BY a.source_line, a._primary DESC) AS _rn,
                       EXISTS (SELECT 1 FROM account_observations o WHERE o.obs_hash = a.obs_hash) AS _exists
                FROM _acc a"""
            )
            con.unregister("_acc")
            n_primary, n_primary_new = con.execute(
                "SELECT count(*) FILTER (WHERE _primary), count(*) FILTER (WHERE _primary AND _rn = 1 AND NOT _exists) FROM _a"
            ).fetchall()[0]
            cols = ", ".join([*_ACCOUNT_NAMES, "obs_hash"])
            result.n_account_observations += con.execute(
                f"INSERT INTO account_observations SELECT {cols} FROM _a WHERE _rn = 1 AND NOT _exists"
            ).fetchall()[0][0]
            con.execute("DROP TABLE _a")
            result.n_accepted += n_primary_new
            result.n_duplicates += n_primary - n_primary_new
        self._reset()


def _obs_hash(acc: dict[str, Any]) -> str:
    h = hashlib.blake2b(digest_size=12)
    for n in _OBS_HASH_FIELDS:
        v = acc.get(n)
        h.update(b"\x1e" if v is None else repr(v).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()
