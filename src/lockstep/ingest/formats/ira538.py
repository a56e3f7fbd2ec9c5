"""The FiveThirtyEight / Clemson (Linvill & Warren) IRA troll-tweet CSVs.

Two layouts:

- FiveThirtyEight's release (``IRAhandle_tweets_N.csv``): ``external_author_id, author,
  content, region, language, publish_date (M/D/YYYY H:MM), harvested_date, following,
  followers, updates, post_type (RETWEET, QUOTE_TWEET or empty), account_type, retweet,
  account_category, new_june_2018, alt_external_id, tweet_id, article_url, tco1_step1...``;
- the per-author re-split (``author_id, content, region, language, publish_date
  (YYYY-MM-DD HH:MM:SS), harvested_date, following, followers, updates, post_type (R, Q or
  empty), retweet``), which has no tweet ids: a post's id is then the content hash of
  (account, publish_date, content).

The files are large (1.7 million rows), so this reader builds the canonical rows itself instead of
calling :func:`build_post` per row; a test checks that both give the same rows.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import IO, Any

from lockstep.errors import UnknownFormatError
from lockstep.ingest._base import Reader, Record, Rejection, Sample, open_text, register_reader
from lockstep.ingest._normalize import (
    content_id,
    extract_hashtags,
    extract_mentions,
    extract_urls,
    normalize_text,
    normalize_url,
    parse_int,
    parse_timestamp,
    registered_domain,
)

__all__ = ["IRA538Reader"]

_SPLIT_COLUMNS = ("author_id", "content", "publish_date")
_538_COLUMNS = ("author", "content", "publish_date")
_DISTINCT = {"content", "region", "language", "publish_date", "harvested_date", "following", "followers",
             "updates", "post_type", "retweet", "account_category", "external_author_id", "new_june_2018"}
_KIND_OF_POST_TYPE = {"R": "repost", "RETWEET": "repost", "Q": "quote", "QUOTE_TWEET": "quote"}
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_STATUS_URL = re.compile(r"/status(?:es)?/(\d+)")
_TCO = re.compile(r"^https?://t\.co/[A-Za-z0-9]+$")
_EARLIEST_YEAR = 2006  # Twitter's first tweets
_LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _timestamp(value: str) -> datetime:
    """``YYYY-MM-DD HH:MM:SS`` fast; FiveThirtyEight's ``M/D/YYYY H:MM``; else parse_timestamp."""
    try:
        dt = datetime.fromisoformat(value).replace(tzinfo=UTC)
        if dt.year >= _EARLIEST_YEAR and dt < _LATEST:
            return dt
    except ValueError:
        pass
    m = _US_DATE.match(value.strip())
    if m:
        mo, d, y, hh, mi, ss = m.groups()
        year = int(y) + (2000 if len(y) == 2 else 0)  # spreadsheet round trips write 10/1/17
        try:
            return datetime(year, int(mo), int(d), int(hh), int(mi), int(ss or 0), tzinfo=UTC)
        except ValueError as e:
            raise ValueError(f"impossible timestamp {value!r}: {e}") from None
    return parse_timestamp(value)


@lru_cache(maxsize=1 << 16)
def _norm_url(url: str) -> tuple[str, str | None] | None:
    try:
        norm = normalize_url(url)
    except ValueError:
        return None
    return norm, registered_domain(norm)


def _urls(raw: list[str]) -> tuple[list[str], list[str]]:
    out: dict[str, str | None] = {}
    for u in raw:
        if _TCO.match(u):
            # Most links here are unique t.co links, already canonical: skip parsing them.
            out.setdefault(u, "t.co")
        elif u:
            pair = _norm_url(u)
            if pair is not None:
                out.setdefault(*pair)
    return list(out), [d for d in out.values() if d]


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        try:
            return parse_int(value)
        except ValueError:
            return None


def _exact_id(value: str) -> str | None:
    # Spreadsheet round trips turned ids into 9.06E+17: only digit strings are real ids.
    v = value.strip()
    return v if v.isdigit() else None


# Rows per chunk handed to a worker process.
CHUNK_ROWS = 20_000


@dataclass
class _Chunk:
    header: list[str]
    original: bool  # the original 538 layout (else the by-author re-split)
    width: int
    rows: list[tuple[int, list[str] | str]]  # (line, fields) or (line, why it is unreadable)


@register_reader
class IRA538Reader(Reader):
    """FiveThirtyEight / Clemson IRA troll tweets CSV (both the original and per-author layouts)."""

    name = "ira538"
    platform = "twitter"
    description = (
        "FiveThirtyEight/Clemson IRA troll tweets CSV (IRAhandle_tweets_*.csv, or the per-author "
        "re-split with author_id and no tweet ids)"
    )

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        header = sample.csv_header()
        if not header:
            return 0.0
        cols = set(header)
        if not (all(c in cols for c in _SPLIT_COLUMNS) or all(c in cols for c in _538_COLUMNS)):
            return 0.0
        n = len(cols & _DISTINCT)
        return 0.95 if n >= 9 else 0.7 if n >= 6 else 0.0

    def read_chunks(self, stream: IO[bytes], path: str) -> Iterator[_Chunk]:
        # Splitting (the csv module) runs in the ingest process; parse_chunk, the costly
        # normalisation, runs in worker processes.
        reader = csv.reader(open_text(stream))
        try:
            header = [h.strip().lstrip("\ufeff") for h in next(reader)]
        except StopIteration:
            return
        idx = {h: i for i, h in enumerate(header)}
        original = "author" in idx and "external_author_id" in idx
        required = _538_COLUMNS if original else _SPLIT_COLUMNS
        missing = [c for c in required if c not in idx]
        if missing:
            raise UnknownFormatError(
                f"{path}: not an IRA troll-tweets CSV: missing column(s) {', '.join(missing)} "
                f"(columns: {', '.join(header[:30])})"
            )
        width = len(header)

        rows: list[tuple[int, list[str] | str]] = []
        start = reader.line_num + 1
        while True:
            try:
                row: list[str] | str = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                row = f"line {start}: unreadable CSV record: {e}"  # a string: parse_chunk rejects it
            line, start = start, reader.line_num + 1
            rows.append((line, row))
            if len(rows) >= CHUNK_ROWS:
                yield _Chunk(header, original, width, rows)
                rows = []
        if rows:
            yield _Chunk(header, original, width, rows)

    def parse_chunk(self, chunk: _Chunk) -> Iterator[Record | Rejection]:
        header, original, width = chunk.header, chunk.original, chunk.width
        idx = {h: i for i, h in enumerate(header)}
        platform = self.row_platform

        def col(name: str) -> int:
            return idx.get(name, -1)

        i_author = idx["author"] if original else idx["author_id"]
        i_content, i_pub = idx["content"], idx["publish_date"]
        i_harv, i_region, i_lang = col("harvested_date"), col("region"), col("language")
        i_following, i_followers, i_updates = col("following"), col("followers"), col("updates")
        i_ptype, i_rt = col("post_type"), col("retweet")
        i_alt, i_ext, i_tid, i_url = col("alt_external_id"), col("external_author_id"), col("tweet_id"), col("article_url")
        i_tco = [idx[c] for c in header if re.fullmatch(r"tco\d+_step1", c)]

        last_obs: dict[str, tuple[Any, ...]] = {}
        for line, row in chunk.rows:
            if isinstance(row, str):
                yield Rejection(line, row)
                continue
            if len(row) != width:
                if not row:
                    continue
                yield Rejection(line, f"line {line}: the record has {len(row)} fields, the header {width}",
                                raw=",".join(row))
                continue
            handle = row[i_author].strip()
            content = row[i_content]
            published = row[i_pub]
            if not handle:
                yield Rejection(line, f"line {line}: account_id is missing", field="account_id", raw=",".join(row))
                continue
            try:
                created_at = _timestamp(published)
            except ValueError as e:
                yield Rejection(line, f"line {line}: {e}", field="created_at", raw=",".join(row))
                continue

            if original:
                # The numeric id survives renames; the handle is the fallback when it was mangled.
                account_id = (_exact_id(row[i_alt]) if i_alt >= 0 else None) or _exact_id(row[i_ext]) or handle.lower()
                post_id = _exact_id(row[i_tid]) if i_tid >= 0 else None
                if post_id is None and i_url >= 0:
                    m = _STATUS_URL.search(row[i_url])
                    post_id = m.group(1) if m else None
                post_url = row[i_url].strip() or None if i_url >= 0 else None
            else:
                account_id = handle
                post_id = None
                post_url = None
            if post_id is None:
                post_id = content_id(account_id, published, content)

            ptype = row[i_ptype].strip() if i_ptype >= 0 else ""
            kind = _KIND_OF_POST_TYPE.get(ptype.upper(), "post")
            if kind == "post" and i_rt >= 0 and row[i_rt].strip() == "1":
                kind = "repost"

            expanded = [row[i] for i in i_tco if row[i]]
            urls, domains = _urls(expanded or extract_urls(content))
            post = {
                "platform": platform,
                "post_id": post_id,
                "account_id": account_id,
                "created_at": created_at,
                "kind": kind,
                "text": content,
                "text_norm": normalize_text(content),
                "lang": (row[i_lang] if row[i_lang].strip() else None) if i_lang >= 0 else None,
                "repost_of": None,
                "repost_of_account": None,
                "reply_to": None,
                "reply_to_account": None,
                "quote_of": None,
                "urls": urls,
                "domains": domains,
                "hashtags": extract_hashtags(content),
                "mentions": extract_mentions(content),
                "media": [],
                "client": None,
                "venue": None,
                "title": None,
                "post_url": post_url,
            }

            followers = _int(row[i_followers]) if i_followers >= 0 else None
            following = _int(row[i_following]) if i_following >= 0 else None
            updates = _int(row[i_updates]) if i_updates >= 0 else None
            region = row[i_region].strip() if i_region >= 0 else ""
            obs = (handle, followers, following, updates, region)
            accounts = []
            # An observation equal to the account's previous one adds nothing (the workspace
            # would store it once anyway): skip building it.
            if last_obs.get(account_id) != obs:
                last_obs[account_id] = obs
                # The counts are as harvested, which is when this observation was made.
                harvested = row[i_harv] if i_harv >= 0 else ""
                if harvested == published:
                    observed_at = created_at
                else:
                    try:
                        observed_at = _timestamp(harvested) if harvested else None
                    except ValueError:
                        observed_at = None
                accounts.append({
                    "platform": platform,
                    "account_id": account_id,
                    "handle": handle,
                    "display_name": None,
                    "bio": None,
                    "created_at": None,
                    "location": region or None,
                    "url": None,
                    "followers": followers,
                    "following": following,
                    "posts_count": updates,
                    "profile_image": None,
                    "verified": None,
                    "lang": None,
                    "observed_at": observed_at,
                })
            yield Record(line, post, accounts)
