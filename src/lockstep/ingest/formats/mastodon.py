"""Mastodon REST API statuses: a JSON array (a timeline page), JSONL of statuses or of pages.

How statuses become posts:

- ``post_id`` is the status ``uri``, its ActivityPub id: the same remote post has a different
  ``id`` on every server, but one ``uri`` everywhere, so files collected on several instances
  deduplicate.
- ``account_id`` is the account's ``acct`` qualified with its instance (``user@host``): remote
  accounts already carry it; local ones (bare ``user``) get the host of their profile ``url``.
  Mentions are qualified the same way, so they compare with account ids.
- ``text`` is ``content`` turned from HTML into plain text: paragraphs become blank lines,
  ``<br>`` a newline, entities unescaped. Mastodon splits a typed link into an ``invisible``
  prefix (``https://www.``), a visible part and an ``invisible`` tail; the reader keeps all three,
  which gives back exactly the URL the author typed (dropping them would leave a truncated URL
  fragment that no longer looks like a URL). ``spoiler_text`` (the content warning) is the title.
- A reblog is a ``repost`` whose ``post_id`` is the wrapper's ``uri`` (ending ``/activity``),
  ``repost_of`` the original's ``uri`` and ``repost_of_account`` its author; the text, links and
  tags are the original's (the wrapper has none), as for retweets.
- A reply keeps ``in_reply_to_id`` as ``reply_to`` *as given*: it is the instance-local id of the
  parent, not its ``uri``, so it only matches posts read from the same instance by local id
  (the API gives no parent ``uri``). ``reply_to_account`` is resolved through ``mentions`` (or
  the author, for a self-reply) when possible.
- A Mastodon 4.4 quote (``quote.quoted_status``) is a ``quote`` with ``quote_of`` its ``uri``.
- URLs: links in the content (not hashtag or mention links) and the preview ``card.url``;
  media: attachment URLs (the origin server's ``remote_url`` when there is one);
  ``client``: ``application.name`` (only present for statuses posted on the queried instance).
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import IO, Any
from urllib.parse import urlsplit

from lockstep.ingest._base import (
    Reader,
    Record,
    Rejection,
    Sample,
    build_account,
    build_post,
    register_reader,
)
from lockstep.ingest.formats._common import build_safely, dumps, iter_json

__all__ = ["MastodonReader", "html_to_text"]


class _HTMLText(HTMLParser):
    """Plain text and outbound links of a Mastodon ``content`` HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._paragraphs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p":
            if self._paragraphs:
                self.parts.append("\n\n")
            self._paragraphs += 1
        elif tag == "a":
            a = dict(attrs)
            classes = (a.get("class") or "").split()
            if a.get("href") and "mention" not in classes and "hashtag" not in classes and a.get("rel") != "tag":
                self.links.append(a["href"] or "")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str | None) -> tuple[str, list[str]]:
    """``(text, links)`` of a Mastodon HTML fragment: plain text and the hrefs of outbound links."""
    parser = _HTMLText()
    parser.feed(html or "")
    parser.close()
    return "".join(parser.parts).strip(), parser.links


def _host(url: Any) -> str | None:
    if not isinstance(url, str) or "://" not in url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _qualified(acct: Any, url: Any, fallback_host: str | None) -> str | None:
    if not isinstance(acct, str) or not acct.strip():
        return None
    acct = acct.strip().lstrip("@")
    if "@" in acct:
        return acct
    host = _host(url) or fallback_host
    return f"{acct}@{host}" if host else acct


def _unwrap(value: Any) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and "uri" not in value:
        if "ancestors" in value or "descendants" in value:  # GET /statuses/:id/context
            return [*(value.get("ancestors") or []), *(value.get("descendants") or [])]
        if isinstance(value.get("statuses"), list):  # GET /api/v2/search
            return value["statuses"]
    return None


@register_reader
class MastodonReader(Reader):
    """Mastodon API Status objects (arrays or JSONL)."""

    name = "mastodon"
    platform = "mastodon"
    description = "Mastodon REST API statuses (JSON array or JSONL)"

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        head = sample.text.lstrip()[:50000]
        if not head.startswith(("[", "{")):
            return 0.0
        keys = ('"uri"', '"acct"', '"visibility"', '"content"', '"reblog"', '"favourites_count"')
        hits = sum(k in head for k in keys)
        if hits >= 5:
            return 0.95
        if hits >= 4:
            return 0.7
        return 0.0

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        platform = self.row_platform
        for item in iter_json(stream, _unwrap):
            if item.error:
                yield item.rejection()
                continue
            status = item.value
            if not isinstance(status, dict):
                yield Rejection(item.line, "not a Mastodon status object", None, dumps(status))
                continue
            yield build_safely(item.line, lambda s=status: dumps(s), lambda s=status, n=item.line: _record(s, n, platform))


def _account_id(account: Any, status_uri: Any) -> str | None:
    if not isinstance(account, dict):
        return None
    return _qualified(account.get("acct") or account.get("username"), account.get("url"), _host(status_uri))


def _account_row(account: dict[str, Any], platform: str) -> dict[str, Any]:
    bio, _ = html_to_text(account.get("note"))
    return build_account(
        platform=platform,
        account_id=_account_id(account, None),
        handle=_account_id(account, None),
        display_name=account.get("display_name"),
        bio=bio or None,
        created_at=account.get("created_at"),
        followers=account.get("followers_count"),
        following=account.get("following_count"),
        posts_count=account.get("statuses_count"),
        profile_image=account.get("avatar_static") or account.get("avatar"),
    )


def _content(status: dict[str, Any]) -> dict[str, Any]:
    """Text, links, tags, mentions and media of a status (the original's, for a reblog)."""
    text, links = html_to_text(status.get("content"))
    card = status.get("card")
    if isinstance(card, dict) and card.get("url"):
        links.append(card["url"])
    tags = status.get("tags")
    mentions = status.get("mentions")
    media = [m.get("remote_url") or m.get("url") for m in status.get("media_attachments") or [] if isinstance(m, dict)]
    return {
        "text": text,
        "urls": links,
        "hashtags": None if tags is None else [t.get("name", "") for t in tags if isinstance(t, dict)],
        "mentions": None if mentions is None else [
            _qualified(m.get("acct"), m.get("url"), None) or "" for m in mentions if isinstance(m, dict)
        ],
        "media": [m for m in media if m],
        "lang": status.get("language"),
        "title": status.get("spoiler_text") or None,
    }


def _record(status: dict[str, Any], line: int, platform: str) -> Record:
    account = status.get("account") or {}
    author = _account_id(account, status.get("uri"))
    reblog = status.get("reblog")
    accounts = [_account_row(account, platform)] if isinstance(account, dict) and author else []
    application = status.get("application")
    client = application.get("name") if isinstance(application, dict) else None
    if isinstance(reblog, dict):
        original_author = _account_id(reblog.get("account"), reblog.get("uri"))
        if original_author:
            accounts.append(_account_row(reblog["account"], platform))
        post = build_post(
            platform=platform, post_id=status.get("uri"), account_id=author, created_at=status.get("created_at"),
            kind="repost", repost_of=reblog.get("uri"), repost_of_account=original_author,
            client=client, post_url=status.get("url"), **_content(reblog),
        )
        return Record(line, post, accounts)

    kind = "post"
    reply_to_account = None
    if status.get("in_reply_to_id") is not None:
        kind = "reply"
        parent_author = status.get("in_reply_to_account_id")
        if parent_author is not None and parent_author == account.get("id"):
            reply_to_account = author
        else:
            for m in status.get("mentions") or []:
                if isinstance(m, dict) and m.get("id") == parent_author:
                    reply_to_account = _qualified(m.get("acct"), m.get("url"), None)
    quote = status.get("quote")
    quote_of = None
    if isinstance(quote, dict):
        quoted = quote.get("quoted_status") if "quoted_status" in quote else quote
        if isinstance(quoted, dict) and quoted.get("uri"):
            quote_of = quoted["uri"]
            if kind == "post":
                kind = "quote"
    post = build_post(
        platform=platform, post_id=status.get("uri"), account_id=author, created_at=status.get("created_at"),
        kind=kind, reply_to=status.get("in_reply_to_id"), reply_to_account=reply_to_account, quote_of=quote_of,
        client=client, post_url=status.get("url"), **_content(status),
    )
    return Record(line, post, accounts)
