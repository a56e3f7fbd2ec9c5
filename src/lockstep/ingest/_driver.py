"""The ingest driver: one file through its reader into the workspace, counted and idempotent."""

from __future__ import annotations

import contextlib
import hashlib
import io
import multiprocessing
import operator
import os
import queue
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

import pyarrow as pa

from lockstep.errors import LockstepError, UnreadableFileError
from lockstep.ingest._base import Reader, Record, Rejection, Sample
from lockstep.ingest._detect import SourceFile, detect_format
from lockstep.schema import ACCOUNT_FIELDS, ACCOUNTS, POST_FIELDS, POSTS, REJECTED

if TYPE_CHECKING:
    from lockstep.workspace import Workspace

__all__ = ["ColumnarFallback", "IngestResult", "ingest_file", "undo_journal"]

# Records per batch written to DuckDB: large enough to amortise a join, small enough that memory
# stays bounded whatever the file size.
BATCH_RECORDS = 50_000
# Files at least this large are parsed in worker processes when their reader can split them
# (Reader.read_chunks); below it, starting the workers costs more than it saves.
PARALLEL_MIN_BYTES = 16 * 1024 * 1024
# ... or this many characters of post text, whichever comes first: 50,000 long articles would
# otherwise hold gigabytes (text and its normalised copy) until the flush.
BATCH_CHARS = 16_000_000
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
    columnar: bool = False  # read by the columnar fast path (the reader's read_columnar)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class ColumnarFallback(Exception):
    """Raised by a reader's ``read_columnar`` when it cannot read this file exactly: the driver
    removes what the fast path wrote and reads the file again with the reader's ``read``."""


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
    """Read one source into the workspace, whole or not at all; see :meth:`Workspace.ingest`."""
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
    # Each batch is committed on its own (the columnar path: one streamed INSERT of the posts),
    # so memory stays bounded however large the file (one transaction per file of separate
    # inserts kept every uncommitted row in memory: ~2.7 MB per MB of input). The
    # journal row, committed first, records where each table ended; if the process dies, the
    # next open of the workspace deletes what this file had added (Workspace.recover), so the
    # workspace still holds whole files only.
    journal_id = _begin_journal(con, source_id, source.path)
    try:
        if _read_columnar(con, reader, source, sample, journal_id, result, progress):
            result.columnar = True
        else:
            _read_rows(con, reader, source, batch, result, progress)
        con.execute("BEGIN TRANSACTION")
        batch.flush(con, result)
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [source_id, source.path, reader_cls.name, result.platform, result.n_read, result.n_accepted,
             result.n_duplicates, result.n_rejected, datetime.now(UTC)],
        )
        con.execute("DELETE FROM ingest_journal WHERE journal_id = ?", [journal_id])
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(Exception):
            con.execute("ROLLBACK")
        undo_journal(con)
        raise
    assert result.n_read == result.n_accepted + result.n_duplicates + result.n_rejected
    result.seconds = time.perf_counter() - t0
    return result


def _columnar_enabled() -> bool:
    """``LOCKSTEP_INGEST_COLUMNAR=0`` turns the fast path off (every file read row by row)."""
    return os.environ.get("LOCKSTEP_INGEST_COLUMNAR", "1").strip().lower() not in ("0", "false", "no", "off")


def _read_columnar(con: Any, reader: Reader, source: SourceFile, sample: Sample, journal_id: int,
                   result: IngestResult, progress: Callable[[str, int, int], None] | None) -> bool:
    """Read the file with the reader's ``read_columnar`` when it has one and takes this file.

    ``read_columnar(path, sample, on_bytes)`` returns None when it cannot read this file (nothing
    is written), else an iterator of :class:`BatchTables`, which are committed one by one like
    the per-row batches (so the journal covers them). It raises ColumnarFallback mid-file when
    it finds it cannot read the file exactly; what it wrote is then removed and False returned,
    so that the file is read row by row instead. A bug in the fast path does the same, with a
    warning: the per-row path is the reference.
    """
    read_columnar = getattr(reader, "read_columnar", None)
    if read_columnar is None or not _columnar_enabled():
        return False
    on_bytes = (lambda n: progress(source.path, n, source.size)) if progress else None
    batches = read_columnar(source.path, sample, on_bytes)
    if batches is None:
        return False
    ends = con.execute(
        f"SELECT {', '.join(t + '_end' for t in JOURNALED_TABLES)} FROM ingest_journal WHERE journal_id = ?",
        [journal_id],
    ).fetchall()[0]
    try:
        _stream_columnar(con, batches, result, posts_end=ends[0])
        return True
    except ColumnarFallback:
        pass
    except LockstepError:
        raise
    except Exception as e:
        warnings.warn(f"{source.path}: the columnar fast path failed ({type(e).__name__}: {e}); "
                      "reading it row by row", RuntimeWarning, stacklevel=2)
    finally:
        close = getattr(batches, "close", None)
        if close is not None:
            close()
    # Back to where this file started; the per-row read counts from zero again.
    con.execute("BEGIN TRANSACTION")
    for table, end in zip(JOURNALED_TABLES, ends, strict=True):
        con.execute(f"DELETE FROM {table} WHERE rowid > ?", [end])
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    result.n_read = result.n_accepted = result.n_duplicates = result.n_rejected = 0
    result.n_account_observations = 0
    return False


def _stream_columnar(con: Any, batches: Iterator[BatchTables], result: IngestResult, posts_end: int) -> None:
    """Store the fast path's blocks: their posts streamed into ``posts`` by one INSERT.

    One statement over a stream of blocks, rather than a transaction per block, lets DuckDB
    write (and compress) its row groups as they fill, in parallel, with memory bounded by the
    stream: on a 1M-row CNT file it halves the writing time (per-block inserts and commits were
    ~4.5 s of a 7 s ingest). Repeated post keys are therefore settled once, after the file
    (:func:`_settle_duplicates`), not per block. Each block's account observations and
    rejections are written as before, a transaction each, by a second connection in a thread
    while the INSERT runs (the first connection is busy reading the stream).
    """
    side: queue.Queue[BatchTables | None] = queue.Queue(maxsize=2)
    side_con = con.cursor()
    side_errors: list[BaseException] = []

    def write_side() -> None:
        item = side.get()
        while item is not None:
            if not side_errors:
                try:
                    _commit_tables(side_con, item, result)
                except BaseException as e:  # raised by the caller; keep draining the queue
                    side_errors.append(e)
            item = side.get()

    writer = threading.Thread(target=write_side, name="lockstep-side-tables", daemon=True)
    writer.start()
    stream_errors: list[BaseException] = []

    def stream() -> Iterator[pa.RecordBatch]:
        try:
            for t in batches:
                side.put(BatchTables(t.n_records, None, t.accounts, t.rejected))
                if t.posts is not None and t.posts.num_rows:
                    yield from t.posts.select(_POST_NAMES).to_batches()
                if side_errors:
                    return
        except BaseException as e:  # raised below, once DuckDB has finished the statement
            stream_errors.append(e)

    n_inserted = 0
    try:
        con.register("_stream", pa.RecordBatchReader.from_batches(POSTS, stream()))
        try:
            n_inserted = con.execute(f"INSERT INTO posts SELECT {', '.join(_POST_NAMES)} FROM _stream").fetchall()[0][0]
        finally:
            con.unregister("_stream")
    finally:
        side.put(None)
        writer.join()
        side_con.close()
    for errors in (stream_errors, side_errors):
        if errors:
            raise errors[0]
    result.n_accepted += n_inserted
    _settle_duplicates(con, posts_end, result)


def _settle_duplicates(con: Any, posts_end: int, result: IngestResult) -> None:
    """Keep one post per key among the rows past ``posts_end`` (this file's): a key already
    stored keeps the stored post, else the file's first; the others are listed in
    ``duplicates`` (with whether they equal the kept post) and removed, as :func:`write_tables`
    does per batch."""
    new = f"(SELECT platform, post_id FROM posts WHERE rowid > {int(posts_end)})"
    keys = f"""SELECT platform, post_id FROM {new} GROUP BY platform, post_id HAVING count(*) > 1
        UNION
        SELECT n.platform, n.post_id FROM {new} n
        SEMI JOIN (SELECT platform, post_id FROM posts WHERE rowid <= {int(posts_end)}) o
        ON o.platform = n.platform AND o.post_id = n.post_id"""
    if con.execute(f"SELECT count(*) FROM ({keys})").fetchall()[0][0] == 0:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE _k AS {keys}")
        # Rowid order is read order, and stored rows come before the file's.
        con.execute(
            """CREATE OR REPLACE TEMP TABLE _d AS
            SELECT rid, source_file, source_line, platform, post_id, _same FROM (
                SELECT p.rowid AS rid, p.source_file, p.source_line, p.platform, p.post_id,
                       row_number() OVER w AS _rn,
                       (first_value(p.account_id) OVER w = p.account_id
                        AND first_value(p.created_at) OVER w = p.created_at
                        AND first_value(p.text) OVER w IS NOT DISTINCT FROM p.text) AS _same
                FROM posts p SEMI JOIN _k USING (platform, post_id)
                WINDOW w AS (PARTITION BY p.platform, p.post_id ORDER BY p.rowid))
            WHERE _rn > 1"""
        )
        con.execute("INSERT INTO duplicates SELECT source_file, source_line, platform, post_id, _same FROM _d ORDER BY rid")
        n = con.execute("DELETE FROM posts WHERE rowid IN (SELECT rid FROM _d)").fetchall()[0][0]
        con.execute("DROP TABLE _d")
        con.execute("DROP TABLE _k")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    result.n_accepted -= n
    result.n_duplicates += n


def _read_rows(con: Any, reader: Reader, source: SourceFile, batch: _Batch, result: IngestResult,
               progress: Callable[[str, int, int], None] | None) -> None:
    """Read the file with the reader's ``read`` (or its chunks, in worker processes)."""
    reader_name = type(reader).name
    total = source.size
    with source.open() as raw:
        stream: IO[bytes] = raw
        if progress:
            stream = io.BufferedReader(_CountingStream(raw, lambda n: progress(source.path, n, total)))
        last_line: int | None = None
        try:
            workers = parallel_workers()
            chunks = reader.read_chunks(stream, source.path) if workers > 1 and source.size >= PARALLEL_MIN_BYTES else None
            if chunks is not None:
                _read_in_parallel(con, reader, source.path, chunks, workers, result)
            else:
                for item in reader.read(stream, source.path):
                    last_line = item.line
                    batch.add(item, reader_name)
                    if batch.n_records >= BATCH_RECORDS or batch.n_chars >= BATCH_CHARS:
                        _commit_tables(con, batch.take(), result)
        except LockstepError:
            raise
        except Exception as e:
            # A reader that fails mid-file is a bug or a file damaged beyond what the reader
            # handles: stop this file whole (rolled back) and say where, rather than keep half.
            raise UnreadableFileError(
                f"{source.path}: reading as {reader_name} stopped after record {last_line}: "
                f"{type(e).__name__}: {e}"
            ) from e


#: Tables an ingest appends to, in the order the journal records them.
JOURNALED_TABLES = ("posts", "account_observations", "rejected", "duplicates")


def _begin_journal(con: Any, source_id: str, path: str) -> int:
    # Settle pending deletes first: rowids of existing rows must not move while we append.
    con.execute("CHECKPOINT")
    ends = [con.execute(f"SELECT coalesce(max(rowid), -1) FROM {t}").fetchall()[0][0] for t in JOURNALED_TABLES]
    journal_id = con.execute("SELECT coalesce(max(journal_id), 0) + 1 FROM ingest_journal").fetchall()[0][0]
    con.execute(
        "INSERT INTO ingest_journal VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [journal_id, source_id, path, datetime.now(UTC), *ends],
    )
    return journal_id


def parallel_workers() -> int:
    """Worker processes for parsing: ``LOCKSTEP_INGEST_WORKERS``, else the usable cores (at most 4)."""
    env = os.environ.get("LOCKSTEP_INGEST_WORKERS")
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            return 1
    return min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def _parse_chunk(reader: Reader, path: str, chunk: Any) -> BatchTables:
    # Runs in a worker process: parse, validate, normalise and convert to Arrow; only the
    # writing stays in the main process (DuckDB has one writer).
    batch = _Batch(path)
    for item in reader.parse_chunk(chunk):
        batch.add(item, reader.name)
    return batch.tables()


def _read_in_parallel(con: Any, reader: Reader, path: str, chunks: Iterator[Any], workers: int,
                      result: IngestResult) -> None:
    # "fork" on Linux: "spawn" and "forkserver" re-import the caller's __main__, which breaks a
    # user's script that lacks the `if __name__ == "__main__"` guard. The forked workers only
    # parse text and never touch DuckDB, whose threads (idle while we wait) they inherit.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        pending: deque[Future[BatchTables]] = deque()
        # At most two chunks per worker in flight: memory stays bounded, workers stay busy.
        for chunk in chunks:
            pending.append(pool.submit(_parse_chunk, reader, path, chunk))
            if len(pending) >= 2 * workers:
                _commit_tables(con, pending.popleft().result(), result)
        while pending:
            _commit_tables(con, pending.popleft().result(), result)


def _commit_tables(con: Any, tables: BatchTables, result: IngestResult) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        write_tables(con, tables, result)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def undo_journal(con: Any) -> list[str]:
    """Remove what unfinished ingests added (rows past the ends their journal rows recorded).

    Returns the paths whose partial rows were removed. Ingests run one at a time (the workspace
    lock), so an unfinished ingest's rows are the tail of each table.
    """
    rows = con.execute(
        f"SELECT journal_id, path, {', '.join(t + '_end' for t in JOURNALED_TABLES)} FROM ingest_journal ORDER BY journal_id"
    ).fetchall()
    if not rows:
        return []
    con.execute("BEGIN TRANSACTION")
    for _, _, *ends in rows:
        for table, end in zip(JOURNALED_TABLES, ends):
            con.execute(f"DELETE FROM {table} WHERE rowid > ?", [end])
    con.execute("DELETE FROM ingest_journal")
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    return [r[1] for r in rows]


class _Batch:
    """Records accumulated as row tuples until the next flush (cheaper than dicts or columns)."""

    _post_row = operator.itemgetter(*_POST_NAMES)
    _account_row = operator.itemgetter(*_ACCOUNT_NAMES)

    def __init__(self, path: str):
        self.path = path
        self._reset()

    def _reset(self) -> None:
        self.posts: list[tuple[Any, ...]] = []
        self.accounts: list[tuple[Any, ...]] = []
        self.primary: list[bool] = []
        self.rejected: list[tuple[Any, ...]] = []
        self.n_records = 0
        self.n_chars = 0

    def add(self, item: Record | Rejection, fmt: str) -> None:
        self.n_records += 1
        if isinstance(item, Rejection):
            raw = item.raw
            if raw is not None and len(raw) > MAX_RAW_CHARS:
                raw = raw[:MAX_RAW_CHARS] + f"… [{len(raw) - MAX_RAW_CHARS:,} more characters]"
            self.rejected.append((self.path, item.line, fmt, item.field, item.reason, raw))
            self.n_chars += len(raw or "")
            return
        post = item.post
        if post is not None:
            self.n_chars += len(post["text"] or "")
            post["source_file"] = self.path
            post["source_line"] = item.line
            self.posts.append(self._post_row(post))
        elif not item.accounts:
            raise ValueError(f"{self.path}: line {item.line}: a Record with neither post nor account")
        for i, acc in enumerate(item.accounts):
            acc["source_file"] = self.path
            acc["source_line"] = item.line
            if acc.get("observed_at") is None and post is not None:
                acc["observed_at"] = post["created_at"]
            self.accounts.append(self._account_row(acc))
            # An account record (a users file) is counted by its first account.
            self.primary.append(post is None and i == 0)

    def tables(self) -> BatchTables:
        """The batch as Arrow tables (the costly conversion; done in a worker when reading in parallel)."""
        posts = accounts = rejected = None
        if self.rejected:
            rejected = _rows_to_table(self.rejected, REJECTED)
        if self.posts:
            posts = _rows_to_table(self.posts, POSTS)
        if self.accounts:
            accounts = _rows_to_table(self.accounts, ACCOUNTS).append_column(
                "_primary", pa.array(self.primary, pa.bool_()))
        return BatchTables(self.n_records, posts, accounts, rejected)

    def take(self) -> BatchTables:
        """The batch's tables; the batch starts empty again."""
        tables = self.tables()
        self._reset()
        return tables

    def flush(self, con: Any, result: IngestResult) -> None:
        write_tables(con, self.take(), result)


@dataclass
class BatchTables:
    """One batch of records, converted: what a worker sends back to the process that writes."""

    n_records: int
    posts: pa.Table | None
    accounts: pa.Table | None  # ACCOUNTS + _primary
    rejected: pa.Table | None


def write_tables(con: Any, t: BatchTables, result: IngestResult) -> None:
    """Store one batch: rejected rows, new posts (duplicates listed), new account observations."""
    if t.n_records == 0:
        return
    result.n_read += t.n_records
    if t.rejected is not None:
        result.n_rejected += t.rejected.num_rows
        con.register("_rej", t.rejected)
        con.execute("INSERT INTO rejected SELECT * FROM _rej")
        con.unregister("_rej")
    if t.posts is not None:
        n_batch = t.posts.num_rows
        # _ord (read order) breaks ties between records sharing a line (an API page): which
        # copy is stored must not depend on DuckDB's threads.
        con.register("_batch", t.posts.append_column("_ord", pa.array(range(n_batch), pa.int64())))
        cols = ", ".join(_POST_NAMES)
        # Keys repeated within the batch or already stored: only their rows need the window
        # below (usually none: a hash aggregate and a semi-join are much cheaper than windows
        # over every row).
        keys = """SELECT platform, post_id FROM _batch GROUP BY platform, post_id HAVING count(*) > 1
            UNION
            SELECT b.platform, b.post_id FROM _batch b
            SEMI JOIN posts p ON p.platform = b.platform AND p.post_id = b.post_id"""
        # (A temporary table only when needed: catalog changes make the commit costlier.)
        n_keys = con.execute(f"SELECT count(*) FROM ({keys})").fetchall()[0][0]
        if n_keys == 0:
            inserted = con.execute(f"INSERT INTO posts SELECT {cols} FROM _batch").fetchall()[0][0]
        else:
            con.execute(f"CREATE OR REPLACE TEMP TABLE _k AS {keys}")
            con.execute(
                """CREATE OR REPLACE TEMP TABLE _b AS
                SELECT b.*,
                       row_number() OVER w AS _rn,
                       p.post_id IS NOT NULL AS _exists,
                       -- Compared with the stored post, else with the batch's first row of that key.
                       CASE WHEN p.post_id IS NOT NULL
                            THEN (p.account_id = b.account_id AND p.created_at = b.created_at
                                  AND p.text IS NOT DISTINCT FROM b.text)
                            ELSE (first_value(b.account_id) OVER w = b.account_id
                                  AND first_value(b.created_at) OVER w = b.created_at
                                  AND first_value(b.text) OVER w IS NOT DISTINCT FROM b.text) END AS _same
                FROM (SELECT * FROM _batch SEMI JOIN _k USING (platform, post_id)) b
                LEFT JOIN posts p ON p.platform = b.platform AND p.post_id = b.post_id
                WINDOW w AS (PARTITION BY b.platform, b.post_id ORDER BY b._ord)"""
            )
            con.execute(
                "INSERT INTO duplicates SELECT source_file, source_line, platform, post_id, "
                "_same FROM _b WHERE _exists OR _rn > 1"
            )
            inserted = con.execute(
                f"INSERT INTO posts SELECT {cols} FROM _batch ANTI JOIN _k USING (platform, post_id)"
            ).fetchall()[0][0]
            inserted += con.execute(f"INSERT INTO posts SELECT {cols} FROM _b WHERE NOT _exists AND _rn = 1").fetchall()[0][0]
            con.execute("DROP TABLE _b")
            con.execute("DROP TABLE _k")
        con.unregister("_batch")
        result.n_accepted += inserted
        result.n_duplicates += n_batch - inserted
    if t.accounts is not None:
        con.register("_acc", t.accounts.append_column("_ord", pa.array(range(t.accounts.num_rows), pa.int64())))
        # An observation is identified by everything but where and when it was seen: the same
        # profile seen a thousand times is stored once (JSON keeps null apart from "null").
        fields = ", ".join(_OBS_HASH_FIELDS)
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _a AS
            WITH h AS (SELECT *, CAST(hash({fields}) AS VARCHAR) AS obs_hash FROM _acc)
            -- Only this batch's accounts' observations can match: look those up, rather than
            -- building a hash table of every observation ever stored for each batch.
            , seen AS (SELECT o.obs_hash FROM account_observations o
                       SEMI JOIN (SELECT DISTINCT platform, account_id FROM h) k
                       ON o.platform = k.platform AND o.account_id = k.account_id)
            SELECT h.*, row_number() OVER (PARTITION BY h.obs_hash ORDER BY h.source_line, h._primary DESC, h._ord) AS _rn,
                   h.obs_hash IN (SELECT obs_hash FROM seen) AS _exists
            FROM h"""
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


def _rows_to_table(rows: list[tuple[Any, ...]], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*rows))
    return pa.Table.from_arrays([_array(c, f.type) for c, f in zip(columns, schema)], schema=schema)


def _array(values: tuple[Any, ...], type: pa.DataType) -> pa.Array:
    if pa.types.is_timestamp(type):
        # Arrow converts aware datetimes ten times faster when it infers the type than when it is
        # given timestamp[us, UTC]; the cast then only relabels (or converts another zone).
        arr = pa.array(values)
        return arr if arr.type == type else arr.cast(type)
    return pa.array(values, type=type)
