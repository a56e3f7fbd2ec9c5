"""Twitter's information-operations (transparency) releases: the tweets and users CSV files.

The tweets file has 30 columns (31 with ``poll_choices`` in the 2019 releases); accounts with
few followers have hashed ids, display names and screen names, larger ones keep the real ones.
Texts hold embedded newlines, so records are read with the ``csv`` module and numbered by the
physical line where each record starts. List columns (``hashtags``, ``urls``,
``user_mentions``) are Python-repr lists, parsed by a small grammar, never evaluated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Any

from lockstep.errors import UnknownFormatError
from lockstep.ingest._base import (
    FieldError,
    Reader,
    Record,
    Rejection,
    Sample,
    build_account,
    build_post,
    open_text,
    register_reader,
)
from lockstep.ingest._normalize import parse_bool, parse_list_field

__all__ = ["TwitterIOReader", "TwitterIOUsersReader"]

_TWEET_REQUIRED = ("tweetid", "userid", "tweet_time", "tweet_text")
_TWEET_DISTINCT = {"tweetid", "userid", "tweet_time", "is_retweet", "retweet_tweetid", "quoted_tweet_tweetid",
                   "tweet_client_name", "user_screen_name"}
_USER_REQUIRED = ("userid",)
_USER_DISTINCT = {"userid", "user_display_name", "user_screen_name", "user_reported_location",
                  "user_profile_description", "follower_count", "following_count", "account_creation_date"}


def _present(value: str | None) -> str | None:
    # "absent" is the releases' own marker for a missing value.
    if value is None:
        return None
    v = value.strip()
    return None if v in ("", "absent") else v


def _csv_rows(stream: IO[bytes], path: str, required: tuple[str, ...], fmt: str) -> Iterator[
    Rejection | tuple[int, list[str], Any]
]:
    """``(line, row, get)`` per well-formed record, a Rejection per unreadable or ragged one.

    ``get(column)`` is the cell with the releases' missing-value markers turned into None
    (``raw=True``: the cell as written, for text).
    """
    text = open_text(stream)
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise UnknownFormatError(
            f"{path}: not a Twitter information-operations {fmt} file: missing column(s) "
            f"{', '.join(missing)} (columns: {', '.join(header[:40])})"
        )
    idx = {h: i for i, h in enumerate(header)}
    width = len(header)
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield Rejection(start, f"line {start}: unreadable CSV record: {e}")
            start = reader.line_num + 1
            continue
        line = start
        start = reader.line_num + 1
        if not row:
            continue
        if len(row) != width:
            yield Rejection(line, f"line {line}: the record has {len(row)} fields, the header {width}", raw=_raw(row))
            continue

        def get(col: str, raw: bool = False, row: list[str] = row) -> str | None:
            i = idx.get(col)
            if i is None:
                return None
            return row[i] if raw else _present(row[i])

        yield line, row, get


def _records(rows: Iterator[Rejection | tuple[int, list[str], Any]], build: Any) -> Iterator[Record | Rejection]:
    """``build(line, get)`` per row; a FieldError rejects that row, naming the field."""
    for item in rows:
        if isinstance(item, Rejection):
            yield item
            continue
        line, row, get = item
        try:
            yield build(line, get)
        except FieldError as e:
            yield Rejection(line, f"line {line}: {e.reason}", field=e.field, raw=_raw(row))


def _raw(row: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(row)
    return buf.getvalue()


@register_reader
class TwitterIOReader(Reader):
    """Twitter information-operations release: the tweets CSV (``*_tweets_csv_hashed.csv``)."""

    name = "twitter_io"
    platform = "twitter"
    description = "Twitter information-operations release CSV, tweets file (30/31 columns, hashed or not)"

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        header = sample.csv_header()
        if not header:
            return 0.0
        cols = set(header)
        if all(c in cols for c in _TWEET_REQUIRED):
            return 0.97 if len(cols & _TWEET_DISTINCT) >= 6 else 0.8
        return 0.0

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        yield from _records(_csv_rows(stream, path, _TWEET_REQUIRED, "tweets"), self._record)

    def _record(self, line: int, get: Any) -> Record:
        kind = "post"
        repost_of = repost_of_account = None
        try:
            is_rt = parse_bool(get("is_retweet") or "false")
        except ValueError as e:
            raise FieldError("is_retweet", str(e)) from None
        reply_to, reply_to_account, quote_of = get("in_reply_to_tweetid"), get("in_reply_to_userid"), get(
            "quoted_tweet_tweetid")
        if is_rt or get("retweet_tweetid"):
            kind = "repost"
            repost_of, repost_of_account = get("retweet_tweetid"), get("retweet_userid")
            # A retweet row's reply and quote columns describe the original, not the retweet.
            reply_to = reply_to_account = quote_of = None
        elif quote_of:
            kind = "quote"
        elif reply_to:
            kind = "reply"

        post = build_post(
            platform=self.row_platform,
            post_id=get("tweetid"),
            account_id=get("userid"),
            created_at=get("tweet_time"),
            kind=kind,
            text=get("tweet_text", raw=True),
            lang=get("tweet_language"),
            repost_of=repost_of,
            repost_of_account=repost_of_account,
            reply_to=reply_to,
            reply_to_account=reply_to_account,
            quote_of=quote_of,
            urls=_list(get("urls")),
            hashtags=_list(get("hashtags")),
            # user_mentions holds user ids, not handles: the handles come from the text, as
            # with every other source, so that mentions compare across sources.
            mentions=None,
            client=get("tweet_client_name"),
        )
        return Record(line, post, [_account(self.row_platform, get)])


def _list(value: str | None) -> list[str] | None:
    """A list column, or None (fall back to the text) when it is absent or malformed."""
    if value is None:
        return None
    try:
        return parse_list_field(value)
    except ValueError:
        return None


def _account(platform: str, get: Any) -> dict[str, Any]:
    return build_account(
        platform=platform,
        account_id=get("userid"),
        handle=get("user_screen_name"),
        display_name=get("user_display_name"),
        bio=get("user_profile_description"),
        created_at=get("account_creation_date"),
        location=get("user_reported_location"),
        url=get("user_profile_url"),
        followers=get("follower_count"),
        following=get("following_count"),
        lang=get("account_language"),
    )


@register_reader
class TwitterIOUsersReader(Reader):
    """Twitter information-operations release: the users CSV (``*_users_csv_hashed.csv``)."""

    name = "twitter_io_users"
    platform = "twitter"
    description = "Twitter information-operations release CSV, users file (one account per row)"

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        header = sample.csv_header()
        if not header:
            return 0.0
        cols = set(header)
        if "userid" in cols and "tweetid" not in cols and "tweet_text" not in cols:
            return 0.95 if len(cols & _USER_DISTINCT) >= 6 else 0.0
        return 0.0

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        yield from _records(_csv_rows(stream, path, _USER_REQUIRED, "users"),
                            lambda line, get: Record(line, None, [_account(self.row_platform, get)]))
