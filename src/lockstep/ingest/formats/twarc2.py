"""twarc2 output: Twitter API v2 tweets as JSON Lines.

Three shapes, all recognised per line:

- a raw response page (``twarc2 search``/``timeline``/...): ``data`` is a list of tweets, the
  referenced tweets, users and media are in ``includes``; one Record per tweet of ``data``, all
  numbered with the page's line;
- a filtered-stream line (``twarc2 stream``): ``data`` is one tweet, plus ``matching_rules``;
- ``twarc2 flatten`` output: one tweet per line with ``author``, ``in_reply_to_user`` and each
  ``referenced_tweets`` item expanded in place.

A user-lookup page (``data`` holds users, not tweets) gives account records.
"""

from __future__ import annotations

import json
import re
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
    open_text,
    register_reader,
)
from lockstep.ingest.formats._twitter_common import JsonItem, json_error_reason, reparse_lines, safe_str

__all__ = ["Twarc2Reader"]

# A page line is often longer than the sniffing sample: recognise its opening instead.
_PAGE_START = re.compile(r'^\s*\{\s*"data"\s*:\s*[\[{]')
_REF_KIND = {"retweeted": "repost", "quoted": "quote", "replied_to": "reply"}
# When a tweet references several (a reply that quotes), its kind is the first of these.
_KIND_ORDER = ("repost", "quote", "reply")


def _is_v2_tweet(obj: Any) -> bool:
    return isinstance(obj, dict) and "text" in obj and "id" in obj and "id_str" not in obj and (
        "author_id" in obj or "conversation_id" in obj or "edit_history_tweet_ids" in obj
    )


def _is_v2_user(obj: Any) -> bool:
    return isinstance(obj, dict) and "username" in obj and "id" in obj and "text" not in obj


@register_reader
class Twarc2Reader(Reader):
    """twarc2 / Twitter API v2 JSON Lines: response pages, stream lines, flattened tweets."""

    name = "twarc2"
    platform = "twitter"
    description = (
        "twarc2 output (Twitter API v2 JSONL): raw response pages, filtered-stream lines and "
        "`twarc2 flatten` output"
    )

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        obj = sample.first_json_line()
        if isinstance(obj, dict):
            if "__twarc" in obj and ("data" in obj or _is_v2_tweet(obj)):
                return 0.97
            data = obj.get("data")
            first = data[0] if isinstance(data, list) and data else data
            if (_is_v2_tweet(first) or _is_v2_user(first)) and (
                "includes" in obj or "meta" in obj or "matching_rules" in obj
            ):
                return 0.9
            if _is_v2_tweet(obj):
                return 0.85
            return 0.0
        if obj is None:
            text = sample.text
            # The first line did not fit in the sample (a 100-tweet page is ~400 KB).
            if _PAGE_START.match(text) and '"author_id"' in text and '"id_str"' not in text:
                distinctive = ('"__twarc"', '"includes"', '"conversation_id"', '"edit_history_tweet_ids"')
                return 0.9 if any(k in text for k in distinctive) else 0.8
        return 0.0

    def read_chunks(self, stream: IO[bytes], path: str) -> Iterator[tuple[Any, ...]]:
        # JSON Lines split into runs of raw lines (parsed in worker processes); a file whose first
        # line is not JSON on its own (a pretty-printed document) is one chunk, as iter_json reads it.
        text = open_text(stream)
        lines: list[tuple[int, str]] = []
        size = 0
        first = True
        for n, line in enumerate(text, 1):
            if not line.strip():
                continue
            if first:
                first = False
                try:
                    json.loads(line)
                except ValueError:
                    yield ("document", n, line + text.read())
                    return
            lines.append((n, line.rstrip("\r\n")))
            size += len(line)
            if size >= CHUNK_CHARS:
                yield ("lines", lines)
                lines, size = [], 0
        if lines:
            yield ("lines", lines)

    def parse_chunk(self, chunk: tuple[Any, ...]) -> Iterator[Record | Rejection]:
        is_document = False
        if chunk[0] == "document":
            _, start, text = chunk
            try:
                items: Iterator[JsonItem] = iter([(1, json.loads(text), None)])
                is_document = True
            except ValueError:
                first_line = text.split("\n", 1)[0]
                try:
                    json.loads(first_line)
                    first_error = ValueError("invalid JSON")
                except ValueError as e:
                    first_error = e
                items = reparse_lines(start, first_error, text)
        else:
            items = _parse_lines(chunk[1])
        for line, value, raw in items:
            if isinstance(value, ValueError):
                yield Rejection(line, json_error_reason(line, value, raw), raw=raw)
                continue
            objs = value if isinstance(value, list) else [value]
            for i, obj in enumerate(objs, 1):
                n = i if is_document and isinstance(value, list) else line
                yield from self._read_object(obj, n, raw)

    # -- one JSON value ------------------------------------------------------------------------

    def _read_object(self, obj: Any, line: int, raw: str | None) -> Iterator[Record | Rejection]:
        if not isinstance(obj, dict):
            yield Rejection(line, f"line {line}: expected a JSON object, got {type(obj).__name__}", raw=raw)
            return
        retrieved_at = (obj.get("__twarc") or {}).get("retrieved_at") if isinstance(obj.get("__twarc"), dict) else None
        if "data" in obj:
            yield from self._read_page(obj, line, raw, retrieved_at)
        elif _is_v2_tweet(obj):
            yield self._tweet_record(obj, line, raw, {}, {}, {}, retrieved_at, flat=True)
        elif "errors" in obj:
            details = "; ".join(
                str(e.get("detail") or e.get("title") or e.get("message") or "")
                for e in obj["errors"][:3] if isinstance(e, dict)
            ) if isinstance(obj["errors"], list) else str(obj["errors"])[:200]
            yield Rejection(line, f"line {line}: an API error response with no tweets: {details}", raw=raw)
        elif isinstance(obj.get("meta"), dict) and not obj["meta"].get("result_count"):
            return  # an empty result page: nothing was there to read
        else:
            keys = ", ".join(list(obj)[:8])
            yield Rejection(line, f"line {line}: not a twarc2 tweet or response page (keys: {keys})", raw=raw)

    def _read_page(
        self, page: dict[str, Any], line: int, raw: str | None, retrieved_at: Any
    ) -> Iterator[Record | Rejection]:
        data = page["data"]
        tweets_in = data if isinstance(data, list) else [data]
        includes = page.get("includes") if isinstance(page.get("includes"), dict) else {}
        users = _index(includes.get("users"), "id")
        tweets = _index(includes.get("tweets"), "id")
        media = _index(includes.get("media"), "media_key")
        attached: set[str] = set()
        # Collected before yielding: the driver stores a Record as soon as it is yielded, and
        # the users seen only as mentioned or referenced accounts must join the first one.
        items: list[Record | Rejection] = []
        for t in tweets_in:
            if _is_v2_user(t):
                acc = self._account(t, retrieved_at)
                if acc is None:
                    items.append(Rejection(line, f"line {line}: a user without an id", field="account_id", raw=raw))
                else:
                    items.append(Record(line, None, [acc]))
                continue
            items.append(
                self._tweet_record(t, line, raw, users, tweets, media, retrieved_at, flat=False, attached=attached)
            )
        first_record = next((i for i in items if isinstance(i, Record)), None)
        rest = [u for uid, u in users.items() if uid not in attached]
        extra = [a for a in (self._account(u, retrieved_at) for u in rest) if a is not None]
        if extra and first_record is not None:
            first_record.accounts.extend(extra)
        yield from items

    # -- one tweet -----------------------------------------------------------------------------

    def _tweet_record(
        self,
        t: Any,
        line: int,
        raw: str | None,
        users: dict[str, dict[str, Any]],
        tweets: dict[str, dict[str, Any]],
        media: dict[str, dict[str, Any]],
        retrieved_at: Any,
        *,
        flat: bool,
        attached: set[str] | None = None,
    ) -> Record | Rejection:
        if not isinstance(t, dict):
            return Rejection(line, f"line {line}: a tweet that is not an object", raw=raw)
        if flat and isinstance(t.get("__twarc"), dict):
            retrieved_at = t["__twarc"].get("retrieved_at", retrieved_at)
        try:
            post, people = self._post(t, users, tweets, media)
        except FieldError as e:
            tid = safe_str(t.get("id"))
            where = f"line {line}" + (f", tweet {tid}" if tid else "")
            return Rejection(line, f"{where}: {e.reason}", field=e.field, raw=raw)
        accounts = []
        for u in people:
            uid = safe_str(u.get("id"))
            if uid is None or (attached is not None and uid in attached):
                continue
            acc = self._account(u, retrieved_at)
            if acc is not None:
                accounts.append(acc)
                if attached is not None:
                    attached.add(uid)
        return Record(line, post, accounts)

    def _post(
        self,
        t: dict[str, Any],
        users: dict[str, dict[str, Any]],
        tweets: dict[str, dict[str, Any]],
        media: dict[str, dict[str, Any]],
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        author_id = safe_str(t.get("author_id"))
        author = t.get("author") if isinstance(t.get("author"), dict) else users.get(author_id or "")
        if author_id is None and author is not None:
            author_id = safe_str(author.get("id"))
        people: list[dict[str, Any]] = [author] if author else []

        refs: dict[str, tuple[str | None, str | None]] = {}
        for ref in t.get("referenced_tweets") or ():
            if not isinstance(ref, dict) or ref.get("type") not in _REF_KIND:
                continue
            rid = safe_str(ref.get("id"))
            # Flattened output expands the referenced tweet in place; a raw page has it in
            # includes.tweets, unless it could not be expanded (deleted, suspended): keep the id.
            full = ref if "text" in ref or "author_id" in ref else tweets.get(rid or "", {})
            ref_author_id = safe_str(full.get("author_id"))
            ref_author = full.get("author") if isinstance(full.get("author"), dict) else users.get(ref_author_id or "")
            if ref_author:
                people.append(ref_author)
                ref_author_id = ref_author_id or safe_str(ref_author.get("id"))
            refs.setdefault(_REF_KIND[ref["type"]], (rid, ref_author_id))
        kind = next((k for k in _KIND_ORDER if k in refs), "post")
        repost_of, repost_of_account = refs.get("repost", (None, None))
        reply_to, replied_author = refs.get("reply", (None, None))
        quote_of = refs.get("quote", (None, None))[0]
        reply_to_account = safe_str(t.get("in_reply_to_user_id")) or replied_author
        if isinstance(t.get("in_reply_to_user"), dict):
            people.append(t["in_reply_to_user"])
        elif reply_to_account in users:
            people.append(users[reply_to_account])

        entities = t.get("entities")
        urls = hashtags = mentions = None
        if isinstance(entities, dict):
            urls = [
                u.get("unwound_url") or u.get("expanded_url") or u.get("url")
                for u in entities.get("urls") or () if isinstance(u, dict) and not u.get("media_key")
            ]
            hashtags = [h.get("tag") for h in entities.get("hashtags") or () if isinstance(h, dict) and h.get("tag")]
            mentions = []
            for m in entities.get("mentions") or ():
                if isinstance(m, dict) and m.get("username"):
                    mentions.append(m["username"])
                    if _is_v2_user(m) and len(m) > 4:  # flatten expands the mentioned user
                        people.append(m)
            urls = [u for u in urls if isinstance(u, str)]

        attachments = t.get("attachments") if isinstance(t.get("attachments"), dict) else {}
        media_ids = []
        expanded = {m.get("media_key"): m for m in attachments.get("media") or () if isinstance(m, dict)}
        for key in attachments.get("media_keys") or expanded.keys():
            m = expanded.get(key) or media.get(key) or {}
            # The image URL is what v1.1 gives too, so the same photo matches across APIs.
            media_ids.append(m.get("url") or m.get("preview_image_url") or key)

        handle = author.get("username") if author else None
        tid = safe_str(t.get("id"))
        post = build_post(
            platform=self.row_platform,
            post_id=tid,
            account_id=author_id,
            created_at=t.get("created_at"),
            kind=kind,
            text=t.get("text"),
            lang=t.get("lang"),
            repost_of=repost_of,
            repost_of_account=repost_of_account,
            reply_to=reply_to,
            reply_to_account=reply_to_account,
            quote_of=quote_of,
            urls=urls,
            hashtags=hashtags,
            mentions=mentions,
            media=media_ids,
            client=t.get("source") if isinstance(t.get("source"), str) else None,
            post_url=f"https://twitter.com/{handle or 'i/web'}/status/{tid}" if tid else None,
        )
        return post, people

    def _account(self, u: dict[str, Any], observed_at: Any) -> dict[str, Any] | None:
        if not isinstance(u, dict) or safe_str(u.get("id")) is None:
            return None
        pm = u.get("public_metrics") if isinstance(u.get("public_metrics"), dict) else {}
        url = u.get("url")
        # The profile URL is a t.co link; its expansion is in entities.url.
        expanded = ((u.get("entities") or {}).get("url") or {}).get("urls") if isinstance(u.get("entities"), dict) else None
        if expanded and isinstance(expanded[0], dict):
            url = expanded[0].get("expanded_url") or url
        try:
            return build_account(
                platform=self.row_platform,
                account_id=safe_str(u.get("id")),
                handle=u.get("username"),
                display_name=u.get("name"),
                bio=u.get("description"),
                created_at=u.get("created_at"),
                location=u.get("location"),
                url=url,
                followers=pm.get("followers_count"),
                following=pm.get("following_count"),
                posts_count=pm.get("tweet_count"),
                profile_image=u.get("profile_image_url"),
                verified=u.get("verified"),
                observed_at=observed_at,
            )
        except FieldError:
            return None


def _index(items: Any, key: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for it in items or ():
        if isinstance(it, dict) and safe_str(it.get(key)) is not None:
            out.setdefault(safe_str(it[key]), it)  # type: ignore[index]
    return out


# Characters of raw JSON Lines per chunk handed to a worker (a 100-tweet page is ~400 KB).
CHUNK_CHARS = 8 * 1024 * 1024


def _parse_lines(lines: list[tuple[int, str]]) -> Iterator[JsonItem]:
    for n, raw in lines:
        try:
            yield n, json.loads(raw), raw
        except ValueError as e:
            yield n, e, raw
