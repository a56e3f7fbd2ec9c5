"""The CSV input format of the Coordination Network Toolkit (CNT, QUT Digital Observatory).

CNT's ``preprocess --format csv`` reads a comma-separated file with a header row and eight
columns taken by position (its README: "the names of the columns don't matter but the order
does"):

``message_id, user_id, username, repost_id, reply_id, message, timestamp, urls``

- ``repost_id`` / ``reply_id``: empty means none. A row with a ``repost_id`` is a repost.
- ``timestamp``: seconds. CNT only needs them consistent across rows ("the absolute offset does
  not matter"); lockstep needs real epoch seconds (or any form :func:`parse_timestamp` reads),
  because time-of-day and time-zone signals depend on them. A relative offset such as ``12`` is
  rejected with that reason rather than read as 1970.
- ``urls``: space-delimited. CNT splits the cell on ``" "``, so an empty cell becomes the URL
  ``""`` and every post without a link co-links with every other one; here an empty cell is no
  URL, and URLs are normalised (tracking parameters dropped).
- ``username`` becomes the account's handle.

Reading is by position, as CNT does, so a file with renamed columns is still read when the
format is named (``--format cnt``); detection only claims files whose header uses CNT's names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

from lockstep.ingest._base import (
    FieldError,
    Reader,
    Record,
    Rejection,
    Sample,
    build_account,
    build_post,
    register_reader,
)
from lockstep.ingest.formats._common import build_safely, csv_raw, iter_csv

# The fast path (lockstep.ingest._columnar, polars, pyarrow.compute) is imported when used: it
# imports the driver, and a plain import of the readers stays light.

__all__ = ["CntCsvReader"]

COLUMNS = ("message_id", "user_id", "username", "repost_id", "reply_id", "message", "timestamp", "urls")


@register_reader
class CntCsvReader(Reader):
    """Coordination Network Toolkit CSV (``message_id,user_id,username,repost_id,reply_id,message,timestamp,urls``)."""

    name = "cnt"
    platform = "unknown"
    description = "Coordination Network Toolkit (QUT) CSV: 8 columns by position, timestamps in epoch seconds"

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        header = sample.csv_header()
        if header is None or len(header) != len(COLUMNS):
            return 0.0
        names = tuple(h.strip().lower() for h in header)
        if names == COLUMNS:
            return 0.95
        # CNT ignores the names; a header with most of them in place is still very likely CNT.
        same = sum(a == b for a, b in zip(names, COLUMNS, strict=True))
        return 0.6 if same >= 6 else 0.0

    def read_columnar(self, path: str, sample: Sample, on_bytes: Callable[[int], None] | None = None) -> Iterator | None:
        """The columnar fast path (see :mod:`lockstep.ingest._columnar`): the same rows as
        :meth:`read`, a block of the file at a time; None when the file is not a plain CSV."""
        from lockstep.ingest import _columnar

        layout = _columnar.plain_csv(path, sample, delimiter=",")
        if layout is None or len(layout.header) != len(COLUMNS):
            return None
        return _columnar.Prefetched(self._columnar_batches(layout, on_bytes))

    def _columnar_batches(self, layout: Any, on_bytes: Callable[[int], None] | None) -> Iterator[Any]:
        import numpy as np
        import polars as pl
        import pyarrow as pa
        import pyarrow.compute as pc

        from lockstep.ingest import _columnar as col
        from lockstep.ingest._driver import BatchTables

        platform = self.row_platform
        path = layout.path
        fast = col.ColumnarCsv(path, self.name)
        latest_s = fast.latest_us // 1_000_000
        c = [pl.col(f"c{i}") for i in range(len(COLUMNS))]
        # Rows the expressions take: ids that strip() leaves alone, plain epoch seconds in range.
        # Any other row is built by _record, so its values and rejection are the per-row path's.
        plain = (col.clean_id(c[0]) & col.clean_id(c[1])
                 & ((c[3] == "") | col.clean_id(c[3])) & ((c[4] == "") | col.clean_id(c[4]))
                 & c[6].str.contains(r"^[0-9]{9,10}$")
                 & c[6].cast(pl.Int64, strict=False).is_between(col.EARLIEST_S, latest_s)).fill_null(False)

        def build(line: int, cells: list[str]) -> Record | Rejection:
            item = build_safely(line, lambda: csv_raw(layout.header, cells),
                                lambda: self._record(line, cells, platform, set()))
            if isinstance(item, Record):
                item.accounts = []  # made below with the fast rows', once per (account, handle)
            return item

        account = col.build_account_or_none(platform)
        for first_line, block in col.iter_blocks(layout, on_bytes):
            n = block.num_rows
            lines = np.arange(first_line, first_line + n, dtype=np.int64)
            mask = pl.from_arrow(block).select(plain).to_series().to_arrow()
            slow_rows, records = fast.python_rows(block, lines, pc.invert(mask), build)
            f = block.filter(mask)
            cells = [f.column(i) for i in range(len(COLUMNS))]
            line_col = pa.array(lines).filter(mask)
            created_us = pc.multiply(cells[6].cast(pa.int64()), 1_000_000)
            norm, tags, ments = fast.text_columns(cells[5])
            urls, domains = fast.url_columns(cells[7])
            no_repost, no_reply = pc.equal(cells[3], ""), pc.equal(cells[4], "")
            posts = col.posts_table({
                "post_id": cells[0], "account_id": cells[1], "created_at": col.timestamps(created_us),
                "kind": pc.if_else(no_repost, pc.if_else(no_reply, "post", "reply"), "repost"),
                "text": cells[5], "text_norm": norm,
                "repost_of": pc.if_else(no_repost, pa.scalar(None, pa.string()), cells[3]),
                "reply_to": pc.if_else(no_reply, pa.scalar(None, pa.string()), cells[4]),
                "urls": urls, "domains": domains, "hashtags": tags, "mentions": ments, "source_line": line_col,
            }, f.num_rows, platform, path)
            slow = slow_rows.tables()
            acc_rows = pa.table({
                "account": pa.concat_arrays([cells[1], pa.array([c[1] for _, c in records], pa.string())]),
                "handle": pa.concat_arrays([cells[2], pa.array([c[2] for _, c in records], pa.string())]),
                "line": pa.concat_arrays([line_col, pa.array([r.line for r, _ in records], pa.int64())]),
                "created_us": pa.concat_arrays([created_us, pa.array(
                    [(r.post["created_at"] - col.EPOCH) // col.MICROSECOND for r, _ in records], pa.int64())]),
            })
            yield BatchTables(n, col.merge_posts(posts, slow.posts), fast.accounts(acc_rows, platform, account), slow.rejected)

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        # CNT reads with csv.reader's defaults: always a comma, never sniffed.
        table = iter_csv(stream, delimiter=",")
        if table is None:
            return
        platform = self.row_platform
        # (user_id, username) pairs already emitted: the workspace keeps one observation per
        # distinct profile anyway, and building a million identical ones costs a third of the read.
        seen: set[tuple[str, str]] = set()
        for line, cells, error in table.rows():
            if cells is None:
                yield Rejection(line, error or "CSV parse error")
                continue
            yield build_safely(
                line,
                lambda c=cells: csv_raw(table.header, c),
                lambda c=cells, n=line: self._record(n, c, platform, seen),
            )

    @staticmethod
    def _record(line: int, cells: list[str], platform: str, seen: set[tuple[str, str]]) -> Record:
        if len(cells) != len(COLUMNS):
            raise FieldError(None, f"expected {len(COLUMNS)} columns ({', '.join(COLUMNS)}), found {len(cells)}")
        message_id, user_id, username, repost_id, reply_id, message, timestamp, urls = cells
        ts = timestamp.strip()
        try:
            seconds = float(ts)
        except ValueError:
            seconds = None
        if seconds is not None and abs(seconds) < 631_152_000:  # 1990-01-01 in epoch seconds
            raise FieldError(
                "timestamp",
                f"timestamp {ts!r} is not epoch seconds (CNT accepts relative offsets; lockstep needs real times)",
            )
        repost = repost_id.strip() or None
        reply = reply_id.strip() or None
        post = build_post(
            platform=platform,
            post_id=message_id,
            account_id=user_id,
            created_at=seconds if seconds is not None else ts,
            kind="repost" if repost else ("reply" if reply else "post"),
            text=message,
            repost_of=repost,
            reply_to=reply,
            urls=urls.split(),
        )
        accounts = []
        handle = username.strip()
        if handle and (user_id, handle) not in seen:
            accounts.append(build_account(platform=platform, account_id=user_id, handle=handle))
            seen.add((user_id, handle))
        return Record(line, post, accounts)
