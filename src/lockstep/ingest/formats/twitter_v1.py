"""Twitter API v1.1 status JSON: JSON Lines (streaming API, twarc 1, Gnip "original format") or
one JSON document (a single status, an array of statuses, or a search response
``{"statuses": [...]}``).

Stream control messages (``{"delete": ...}``, ``{"limit": ...}``, ...) are not statuses: each is
counted as a rejected record with the kind of notice as its reason, so nothing disappears.
"""

from __future__ import annotations

import json
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
from lockstep.ingest.formats._twitter_common import client_name, iter_json, json_error_reason, safe_str

__all__ = ["TwitterV1Reader"]

# Streaming API messages that are not statuses, and what to call them.
_CONTROL_MESSAGES = {
    "delete": "delete notice",
    "scrub_geo": "location-deletion notice",
    "limit": "limit notice",
    "status_withheld": "withheld-status notice",
    "user_withheld": "withheld-user notice",
    "disconnect": "disconnect message",
    "warning": "stall warning",
    "event": "user-stream event",
    "friends": "friends list",
    "friends_str": "friends list",
    "direct_message": "direct message",
    "control": "control message",
}
_STATUS_KEYS = ('"id_str"', '"screen_name"', '"in_reply_to_status_id_str"')


def _is_status(obj: Any) -> bool:
    return isinstance(obj, dict) and ("id_str" in obj or "id" in obj) and isinstance(obj.get("user"), dict) and (
        "text" in obj or "full_text" in obj or "extended_tweet" in obj
    )


@register_reader
class TwitterV1Reader(Reader):
    """Twitter API v1.1 statuses (JSON Lines or one JSON document)."""

    name = "twitter_v1"
    platform = "twitter"
    description = (
        "Twitter API v1.1 status JSON: JSONL (streaming, twarc 1, Gnip original format) or one "
        "document (a status, an array, a search response)"
    )

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        obj = sample.first_json_line()
        if isinstance(obj, list) and obj:
            obj = obj[0]
        if isinstance(obj, dict):
            if _is_status(obj):
                return 0.95
            statuses = obj.get("statuses")
            if isinstance(statuses, list) and (not statuses or _is_status(statuses[0])):
                return 0.95
            if len(obj) == 1 and next(iter(obj)) in _CONTROL_MESSAGES and next(iter(obj)) != "control":
                return 0.7  # a stream that starts with a delete/limit notice
            return 0.0
        text = sample.text.lstrip()
        # Pretty-printed, or a first line longer than the sample.
        if text[:1] in "{[" and all(k in text for k in _STATUS_KEYS) and '"__twarc"' not in text:
            return 0.85
        return 0.0

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        is_document, items = iter_json(stream)
        for line, value, raw in items:
            if isinstance(value, ValueError):
                yield Rejection(line, json_error_reason(line, value, raw), raw=raw)
                continue
            if isinstance(value, dict) and isinstance(value.get("statuses"), list):
                value = value["statuses"]  # a search response
            if isinstance(value, list):
                for i, status in enumerate(value, 1):
                    # In a multi-line document lines mean nothing: number statuses by index.
                    n = i if is_document else line
                    yield self._record(status, n, raw if not is_document else None)
            else:
                yield self._record(value, line, raw)

    def _record(self, s: Any, line: int, raw: str | None) -> Record | Rejection:
        if not isinstance(s, dict):
            return Rejection(line, f"record {line}: not a status: a JSON {type(s).__name__}", raw=raw or _dump(s))
        if not _is_status(s):
            key = next((k for k in s if k in _CONTROL_MESSAGES), None)
            if key is not None:
                reason = f"not a status: {_CONTROL_MESSAGES[key]}"
            elif "verb" in s and "actor" in s:
                reason = "not a status: Gnip Activity Streams format is not supported (use the original format)"
            else:
                reason = f"not a status (keys: {', '.join(list(s)[:8])})"
            return Rejection(line, reason, raw=raw or _dump(s))
        try:
            post = self._post(s)
        except FieldError as e:
            sid = safe_str(s.get("id_str") or s.get("id"))
            return Rejection(line, f"status {sid}: {e.reason}" if sid else e.reason, field=e.field, raw=raw or _dump(s))
        accounts = []
        for embedded in (s, s.get("retweeted_status"), s.get("quoted_status")):
            if isinstance(embedded, dict) and isinstance(embedded.get("user"), dict):
                acc = self._account(embedded["user"])
                if acc is not None:
                    accounts.append(acc)
        return Record(line, post, accounts)

    def _post(self, s: dict[str, Any]) -> dict[str, Any]:
        user = s["user"]
        ext = s.get("extended_tweet") if isinstance(s.get("extended_tweet"), dict) else None
        if ext and ext.get("full_text") is not None:
            text = ext["full_text"]
        elif s.get("full_text") is not None:
            text = s["full_text"]
        else:
            text = s.get("text")
        src = ext or s
        entities = src.get("entities") if isinstance(src.get("entities"), dict) else None
        ext_entities = src.get("extended_entities") if isinstance(src.get("extended_entities"), dict) else None

        urls = hashtags = mentions = None
        if entities is not None:
            urls = []
            for u in entities.get("urls") or ():
                if isinstance(u, dict):
                    unwound = u.get("unwound") if isinstance(u.get("unwound"), dict) else {}
                    link = unwound.get("url") or u.get("expanded_url") or u.get("url")
                    if isinstance(link, str):
                        urls.append(link)
            hashtags = [h.get("text") for h in entities.get("hashtags") or () if isinstance(h, dict) and h.get("text")]
            mentions = [
                m.get("screen_name") for m in entities.get("user_mentions") or ()
                if isinstance(m, dict) and m.get("screen_name")
            ]
        media_list = (ext_entities or {}).get("media") or (entities or {}).get("media") or ()
        media = [
            m.get("media_url_https") or m.get("media_url") or safe_str(m.get("id_str") or m.get("id"))
            for m in media_list if isinstance(m, dict)
        ]

        kind = "post"
        repost_of = repost_of_account = reply_to = reply_to_account = quote_of = None
        rt = s.get("retweeted_status")
        if isinstance(rt, dict):
            kind = "repost"
            repost_of = safe_str(rt.get("id_str") or rt.get("id"))
            rt_user = rt.get("user") if isinstance(rt.get("user"), dict) else {}
            repost_of_account = safe_str(rt_user.get("id_str") or rt_user.get("id"))
            # A retweet's reply and quote fields describe the original, not the retweet.
        else:
            qs = s.get("quoted_status") if isinstance(s.get("quoted_status"), dict) else {}
            quote_of = safe_str(s.get("quoted_status_id_str") or qs.get("id_str") or s.get("quoted_status_id"))
            reply_to = safe_str(s.get("in_reply_to_status_id_str") or s.get("in_reply_to_status_id"))
            reply_to_account = safe_str(s.get("in_reply_to_user_id_str") or s.get("in_reply_to_user_id"))
            if quote_of:
                kind = "quote"
            elif reply_to:
                kind = "reply"

        sid = safe_str(s.get("id_str") or s.get("id"))
        handle = user.get("screen_name")
        created = s.get("created_at") or s.get("timestamp_ms")
        return build_post(
            platform=self.row_platform,
            post_id=sid,
            account_id=safe_str(user.get("id_str") or user.get("id")),
            created_at=created,
            kind=kind,
            text=text,
            lang=s.get("lang"),
            repost_of=repost_of,
            repost_of_account=repost_of_account,
            reply_to=reply_to,
            reply_to_account=reply_to_account,
            quote_of=quote_of,
            urls=urls,
            hashtags=hashtags,
            mentions=mentions,
            media=[m for m in media if m],
            client=client_name(s.get("source")),
            post_url=f"https://twitter.com/{handle if isinstance(handle, str) and handle else 'i/web'}/status/{sid}"
            if sid else None,
        )

    def _account(self, u: dict[str, Any]) -> dict[str, Any] | None:
        uid = safe_str(u.get("id_str") or u.get("id"))
        if uid is None:
            return None
        url = u.get("url")
        ent = u.get("entities") if isinstance(u.get("entities"), dict) else {}
        expanded = (ent.get("url") or {}).get("urls") if isinstance(ent.get("url"), dict) else None
        if expanded and isinstance(expanded[0], dict):
            url = expanded[0].get("expanded_url") or url
        return build_account(
            platform=self.row_platform,
            account_id=uid,
            handle=u.get("screen_name"),
            display_name=u.get("name"),
            bio=u.get("description"),
            created_at=u.get("created_at"),
            location=u.get("location"),
            url=url,
            followers=u.get("followers_count"),
            following=u.get("friends_count"),
            posts_count=u.get("statuses_count"),
            profile_image=u.get("profile_image_url_https") or u.get("profile_image_url"),
            verified=u.get("verified"),
            lang=u.get("lang"),
        )


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)[:100_000]

