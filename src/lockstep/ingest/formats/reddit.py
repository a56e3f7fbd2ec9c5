"""Reddit Pushshift dumps: NDJSON comments (``RC_*``) and submissions (``RS_*``), any mix.

How objects become posts:

- ``post_id`` is the *fullname*: ``t1_<id>`` for a comment, ``t3_<id>`` for a submission, whether
  or not the dump's ``id`` carries the prefix (``id`` has none, ``parent_id``/``link_id`` have one),
  so that replies point at post ids. An object is a submission when it has a ``title`` (or
  ``selftext``/``is_self``), else a comment.
- ``account_id`` is ``author``. **A deleted author (``[deleted]``, or missing) is rejected** with
  the reason "author deleted": ``[deleted]`` is not an account, and keeping it as one would fuse
  every deleted user into a single super-account that co-acts with everyone. The row is kept in
  the rejected table. A ``[deleted]``/``[removed]`` *body* by a known author is kept (its timing is
  still behaviour), but the placeholder is not the author's text: ``text`` is then null, so that
  thousands of ``[removed]`` bodies do not match each other as copied text.
- ``created_utc`` may be an int or a string (older dumps).
- A comment is a ``reply`` to ``parent_id`` (a submission or a comment); a submission is a
  ``post`` (a crosspost — ``crosspost_parent`` — is a ``repost`` of the crossposted submission).
- ``text`` is ``body`` (comments) or ``selftext`` (submissions; ``title`` in ``title``);
  ``venue`` is the subreddit; ``urls`` are the submission's ``url`` when it is a link post, plus
  links in the text; ``post_url`` is ``https://www.reddit.com`` + ``permalink``.
"""

from __future__ import annotations

from collections.abc import Iterator
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
from lockstep.ingest._normalize import extract_urls
from lockstep.ingest.formats._common import build_safely, dumps, iter_json

__all__ = ["RedditReader"]

_DELETED = {"[deleted]", "[removed]", ""}


def _text(value: Any) -> str | None:
    if not isinstance(value, str) or value.strip() in _DELETED:
        return None
    return value


def _fullname(value: Any, prefix: str) -> str | None:
    if value is None or value == "":
        return None
    s = str(value).strip()
    if len(s) > 3 and s[0] == "t" and s[1].isdigit() and s[2] == "_":
        return s
    return f"{prefix}_{s}"


@register_reader
class RedditReader(Reader):
    """Pushshift Reddit comment and submission dumps (NDJSON)."""

    name = "reddit"
    platform = "reddit"
    description = "Reddit Pushshift NDJSON dumps (comments RC_*, submissions RS_*)"

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        first = sample.first_json_line()
        if not isinstance(first, dict):
            head = sample.text[:20000]
            # A first line longer than the sample: fall back on distinctive keys.
            if head.lstrip().startswith("{") and '"subreddit"' in head and '"created_utc"' in head:
                return 0.9
            return 0.0
        keys = set(first)
        if {"subreddit", "created_utc", "author"} <= keys and ({"body", "parent_id"} <= keys or "title" in keys):
            return 0.95
        if "subreddit" in keys and "created_utc" in keys:
            return 0.8
        return 0.0

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        platform = self.row_platform
        for item in iter_json(stream):
            if item.error:
                yield item.rejection()
                continue
            obj = item.value
            if not isinstance(obj, dict):
                yield Rejection(item.line, "not a Reddit object", None, dumps(obj))
                continue
            yield build_safely(item.line, lambda o=obj: dumps(o), lambda o=obj, n=item.line: _record(o, n, platform))


def _record(obj: dict[str, Any], line: int, platform: str) -> Record | Rejection:
    author = obj.get("author")
    if not isinstance(author, str) or author.strip() in _DELETED:
        return Rejection(line, "author deleted", "author", dumps(obj))
    submission = "title" in obj or "selftext" in obj or "is_self" in obj
    post_id = _fullname(obj.get("name") or obj.get("id"), "t3" if submission else "t1")
    if post_id is None:
        raise FieldError("post_id", "id is missing")
    permalink = obj.get("permalink")
    post_url = f"https://www.reddit.com{permalink}" if isinstance(permalink, str) and permalink.startswith("/") else None
    if submission:
        text = _text(obj.get("selftext"))
        urls = extract_urls(text)
        link = obj.get("url")
        if isinstance(link, str) and link and not obj.get("is_self") and (not post_url or link not in post_url):
            urls.insert(0, link)
        crosspost = obj.get("crosspost_parent")
        post = build_post(
            platform=platform, post_id=post_id, account_id=author, created_at=obj.get("created_utc"),
            kind="repost" if crosspost else "post", text=text, repost_of=_fullname(crosspost, "t3"),
            urls=urls, venue=obj.get("subreddit"), title=obj.get("title"), post_url=post_url,
        )
    else:
        parent = _fullname(obj.get("parent_id"), "t3")
        post = build_post(
            platform=platform, post_id=post_id, account_id=author, created_at=obj.get("created_utc"),
            kind="reply" if parent else "post", text=_text(obj.get("body")), reply_to=parent,
            venue=obj.get("subreddit"), post_url=post_url,
        )
    account = build_account(
        platform=platform,
        account_id=author,
        handle=author,
        created_at=obj.get("author_created_utc"),
    )
    return Record(line, post, [account])
