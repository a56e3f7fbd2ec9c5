"""CooRTweet-style share tables (CSV): who shared which object when, with opaque ids.

Two layouts are read:

1. **Share table** ``object_id, account_id, content_id, timestamp_share`` (CooRTweet's input, e.g.
   its ``russian_coord_tweets``): each row is a ``repost`` whose ``post_id`` is ``content_id``,
   ``repost_of`` is ``object_id`` (the shared object) and time is ``timestamp_share`` (epoch
   seconds). The platform is ``twitter`` unless ``--platform`` says otherwise.
2. **Multi-object table** ``account_id, post_id, url_id, hashtag_id, domain_id, phash_id,
   timestamp`` (CooRTweet's ``german_elections``): each row is a ``post``; account ids prefixed
   ``fb_``/``tw_`` give the platform (``facebook``/``twitter``; ``--platform`` covers rows without a
   prefix) and are kept as written. A row with an empty ``post_id`` gets a content hash of the
   row as its id.

**Opaque object ids.** The URL, domain, hashtag and image-hash columns hold ids, not values.
They are stored in the ordinary list columns as URNs so that every co-action signal pairs two
posts with the same id exactly as it would pair the same URL or hashtag, and no one mistakes
them for real values: ``urls = ["urn:lockstep:url:<url_id>"]``,
``domains = ["urn:lockstep:domain:<domain_id>"]``, ``hashtags = ["urn:lockstep:hashtag:<hashtag_id>"]``,
``media = ["urn:lockstep:phash:<phash_id>"]``. (They bypass URL normalisation, which would drop
anything that is not a web URL.) The ids are only comparable within one data set.

The multi-object table repeats a post on consecutive rows when it carries several objects (one
row per image hash, say). Consecutive rows with the same account, post id and time are merged:
every such row yields the same post holding the union of their objects, so the first is stored
and the others are counted as duplicates of it, and no object is lost. Non-consecutive repeats
are duplicates as usual (their extra objects are in the duplicates table's source lines).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

from lockstep.errors import MappingError
from lockstep.ingest._base import FieldError, Reader, Record, Rejection, Sample, build_post, register_reader
from lockstep.ingest._normalize import content_id
from lockstep.ingest.formats._common import build_safely, csv_raw, iter_csv

__all__ = ["CooRTweetReader"]

SHARE_COLUMNS = ("object_id", "account_id", "content_id", "timestamp_share")
MULTI_COLUMNS = ("account_id", "post_id", "url_id", "hashtag_id", "domain_id", "phash_id", "timestamp")
_PREFIXES = {"fb_": "facebook", "tw_": "twitter", "ig_": "instagram", "yt_": "youtube", "tt_": "tiktok"}
_OBJECTS = (("url_id", "urls", "url"), ("domain_id", "domains", "domain"),
            ("hashtag_id", "hashtags", "hashtag"), ("phash_id", "media", "phash"))


def _layout(header: list[str]) -> str | None:
    cols = set(header)
    if set(SHARE_COLUMNS) <= cols:
        return "share"
    if {"account_id", "post_id", "timestamp"} <= cols and len(cols & set(MULTI_COLUMNS[2:6])) >= 2:
        return "multi"
    return None


def _id(value: str | None) -> str:
    """An id cell as text; ``123.0`` (a float written by R or pandas) → ``123``."""
    s = (value or "").strip()
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]
    return s


@register_reader
class CooRTweetReader(Reader):
    """CooRTweet share tables and multi-object (url/hashtag/domain/phash id) tables."""

    name = "coortweet"
    platform = "twitter"
    description = "CooRTweet-style share tables (object_id/account_id/content_id/timestamp_share, or id tables)"

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        header = sample.csv_header()
        if not header:
            return 0.0
        return 0.95 if _layout(header) else 0.0

    def read_columnar(self, path: str, sample: Sample, on_bytes: Callable[[int], None] | None = None) -> Iterator | None:
        """The columnar fast path for share tables (see :mod:`lockstep.ingest._columnar`); None for
        multi-object tables (their runs of rows are merged) and files that are not plain CSV."""
        from lockstep.ingest import _columnar

        layout = _columnar.plain_csv(path, sample)
        if layout is None or _layout(layout.header) != "share":
            return None
        return _columnar.Prefetched(self._share_batches(layout, on_bytes))

    def _share_batches(self, layout: Any, on_bytes: Callable[[int], None] | None) -> Iterator[Any]:
        import numpy as np
        import polars as pl
        import pyarrow as pa
        import pyarrow.compute as pc

        from lockstep.ingest import _columnar as col
        from lockstep.ingest._driver import BatchTables

        header = layout.header
        index = {name: i for i, name in enumerate(header)}  # the last of a repeated name, as in read()
        fast = col.ColumnarCsv(layout.path, self.name)
        obj, acc, cid = (pl.col(f"c{index[n]}") for n in SHARE_COLUMNS[:3])
        # Ids that _id leaves alone (no spaces around, no float-style ".0"): others go to _share.
        def plain_id(e: Any) -> Any:
            return col.clean_id(e) & ~e.str.contains(r"^[0-9]+\.0$")

        plain = (plain_id(cid) & plain_id(acc) & ((obj == "") | plain_id(obj))).fill_null(False)

        def build(line: int, cells: list[str]) -> Record | Rejection:
            row = {name: cells[i] for name, i in index.items()}
            return build_safely(line, lambda: csv_raw(header, cells, layout.delimiter), lambda: self._share(row, line))

        for first_line, block in col.iter_blocks(layout, on_bytes):
            n = block.num_rows
            lines = np.arange(first_line, first_line + n, dtype=np.int64)
            frame = pl.from_arrow(block)
            created = col.fast_timestamps(frame[f"c{index['timestamp_share']}"], fast.latest_us)
            mask = (frame.select(plain).to_series() & created.is_not_null()).to_arrow()
            slow_rows, _ = fast.python_rows(block, lines, pc.invert(mask), build)
            f = block.filter(mask)
            o = f.column(index["object_id"])
            posts = col.posts_table({
                "post_id": f.column(index["content_id"]), "account_id": f.column(index["account_id"]),
                "created_at": col.timestamps(created.to_arrow().filter(mask)),
                "kind": pa.array(["repost"] * f.num_rows, pa.string()),
                "repost_of": pc.if_else(pc.equal(o, ""), pa.scalar(None, pa.string()), o),
                "source_line": pa.array(lines).filter(mask),
            }, f.num_rows, self.row_platform, layout.path)
            slow = slow_rows.tables()
            yield BatchTables(n, col.merge_posts(posts, slow.posts), None, slow.rejected)

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        table = iter_csv(stream)
        if table is None:
            return
        layout = _layout(table.header)
        if layout is None:
            # Only reached with --format coortweet: a file-level problem, reported as such.
            raise MappingError(
                f"{path}: not a CooRTweet table (columns: {', '.join(table.header[:30])}); "
                "expected object_id/account_id/content_id/timestamp_share or an id table"
            )
        index = {name: i for i, name in enumerate(table.header)}
        run: list[tuple[int, Record]] = []
        run_key: tuple[str, str, Any] | None = None
        for line, cells, error in table.rows():
            if cells is None:
                yield Rejection(line, error or "unreadable row")
                continue
            row = {name: (cells[i] if i < len(cells) else "") for name, i in index.items()}
            def raw(c: list[str] = cells) -> str:
                return csv_raw(table.header, c, table.delimiter)

            if layout == "share":
                yield build_safely(line, raw, lambda r=row, n=line: self._share(r, n))
                continue
            item = build_safely(line, raw, lambda r=row, n=line: self._multi(r, n))
            if isinstance(item, Rejection):
                yield from _flush(run)  # keep the output in file order
                run = []
                yield item
                continue
            post = item.post
            assert post is not None
            key = (post["account_id"], post["post_id"], post["created_at"])
            if run and (key != run_key or not _id(row.get("post_id"))):
                yield from _flush(run)
                run = []
            run_key = key
            run.append((line, item))
        yield from _flush(run)

    def _share(self, row: dict[str, str], line: int) -> Record:
        post = build_post(
            platform=self.row_platform,
            post_id=_id(row.get("content_id")),
            account_id=_id(row.get("account_id")),
            created_at=row.get("timestamp_share"),
            kind="repost",
            repost_of=_id(row.get("object_id")),
            urls=[], hashtags=[], mentions=[],
        )
        return Record(line, post)

    def _multi(self, row: dict[str, str], line: int) -> Record:
        account = _id(row.get("account_id"))
        platform = next((p for prefix, p in _PREFIXES.items() if account.startswith(prefix)), None)
        if platform is None:
            if not self.platform_override:
                raise FieldError("account_id", f"account id {account[:40]!r} has no platform prefix "
                                 f"({', '.join(_PREFIXES)}); name the platform with --platform")
            platform = self.row_platform
        ids = {col: _id(row.get(col)) for col, _, _ in _OBJECTS}
        post_id = _id(row.get("post_id")) or content_id(
            "coortweet", account, row.get("timestamp"), *ids.values()
        )
        post = build_post(
            platform=platform, post_id=post_id, account_id=account, created_at=row.get("timestamp"),
            kind="post", urls=[], hashtags=[], mentions=[],
        )
        for col, field, kind in _OBJECTS:
            post[field] = [f"urn:lockstep:{kind}:{ids[col]}"] if ids[col] else []
        return Record(line, post)


def _flush(run: list[tuple[int, Record]]) -> Iterator[Record]:
    """Yield a run of rows of one post, each carrying the union of the run's objects."""
    if len(run) == 1:
        yield run[0][1]
        return
    if not run:
        return
    merged = dict(run[0][1].post or {})
    for field in ("urls", "domains", "hashtags", "media"):
        merged[field] = list(dict.fromkeys(v for _, rec in run for v in (rec.post or {})[field]))
    for line, _ in run:
        yield Record(line, dict(merged))
