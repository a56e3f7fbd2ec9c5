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

from collections.abc import Iterator
from typing import IO

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
