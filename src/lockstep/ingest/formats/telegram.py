"""Telegram Desktop JSON exports (``result.json``): one chat, or the full export with ``chats.list``.

The file is streamed with ijson, so a multi-GB export never loads into memory; a record is one
message and its line is the message's 1-based index in the file.

How messages become posts:

- ``post_id`` is ``<chat id>/<message id>`` (message ids are only unique inside a chat);
  ``venue`` is the chat's name; ``account_id`` is ``from_id`` (``channel123``/``user456``). Channel
  posts without ``from_id`` (exports from 2020 and earlier) are attributed to the channel,
  ``channel<chat id>``; an integer ``from_id`` (same era) is read as ``user<id>``.
- Time is ``date_unixtime`` (UTC). Exports from before it existed only have ``date``, the
  exporting computer's local time without an offset: it is read as UTC, so those posts are off
  by the exporter's UTC offset (there is no way to know it from the file).
- ``text`` is either a string or a list of strings and entity objects; the text is the join of
  ``text_entities`` (or of the list). Hashtags, links (``text_link`` hrefs included) and mentions
  come from the entities.
- A forward is a ``repost``: ``repost_of_account`` is ``forwarded_from_id``, or, for senders with
  hidden profiles (no id), a stable hash of the ``forwarded_from`` name. Exports carry no id of the
  original message, so ``repost_of`` is a content hash of the origin's name, the text and the
  media's fingerprint (type, byte size, dimensions, duration): two channels forwarding the same
  message get the same ``repost_of``, while two different text-less videos from one origin do not.
- ``media`` holds that fingerprint (``h:…``) for photos and files: exports usually omit the files
  themselves, and a re-upload of the same file has the same size and dimensions.
- Replies get ``reply_to`` = ``<chat>/<reply_to_message_id>`` (``reply_to_peer_id`` when the
  reply points into another chat).
- Service messages (joins, pins, title changes) are not posts: they are rejected with the reason
  ``service message`` so they stay counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from lockstep.ingest._base import (
    Reader,
    Record,
    Rejection,
    Sample,
    build_account,
    build_post,
    register_reader,
)
from lockstep.ingest._normalize import content_id
from lockstep.ingest.formats._common import build_safely, dumps

__all__ = ["TelegramReader"]

_CHANNEL_TYPES = {"public_channel", "private_channel", "channel"}
_MEDIA_KEYS = ("media_type", "mime_type", "file_size", "photo_file_size", "width", "height", "duration_seconds")
# ijson prefixes under which message objects sit: a single-chat export, or the full export.
_MESSAGES = re.compile(r"^(?:(?:chats|left_chats)\.list\.item\.)?messages\.item$")
_CHAT_FIELD = re.compile(r"^(?:(?:chats|left_chats)\.list\.item\.)?(name|id|type)$")


@register_reader
class TelegramReader(Reader):
    """Telegram Desktop "Export chat history" JSON (``result.json``)."""

    name = "telegram"
    platform = "telegram"
    description = "Telegram Desktop export result.json (one chat or the full export)"

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        text = sample.text.lstrip()
        if not text.startswith("{"):
            return 0.0
        head = text[:20000]
        if '"messages"' in head and ('"date_unixtime"' in head or '"text_entities"' in head):
            return 0.95
        if '"chats"' in head and ('"personal_information"' in head or '"list"' in head) and '"messages"' in head:
            return 0.95
        if '"messages"' in head and re.search(r'"type"\s*:\s*"(?:public_channel|private_channel|private_group|'
                                              r'public_supergroup|private_supergroup|personal_chat|bot_chat|'
                                              r'saved_messages)"', head):
            return 0.9
        return 0.0

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        import ijson

        platform = self.row_platform
        buf = _skip_bom(stream)
        chat = _single_chat_header(buf.peek(1 << 20))  # type: ignore[attr-defined]
        n = 0
        try:
            if chat is not None:
                # One chat (the usual export): ijson builds each message in C, ~10x faster.
                for message in ijson.items(buf, "messages.item", use_float=True):
                    n += 1
                    yield _message(message, n, chat, platform)
                return
            chat = {}
            events = ijson.parse(buf, use_float=True)
            for prefix, event, value in events:
                m = _CHAT_FIELD.match(prefix)
                if m and event in ("string", "number"):
                    chat[m.group(1)] = value
                    continue
                if event == "start_map" and _MESSAGES.match(prefix):
                    message = _build_object(events, prefix)
                    n += 1
                    yield _message(message, n, chat, platform)
                elif event == "start_map" and prefix in ("chats.list.item", "left_chats.list.item"):
                    chat = {}
        except ijson.JSONError as e:
            yield Rejection(n + 1, f"invalid JSON after message {n} (export truncated or damaged): {e}")


def _single_chat_header(head: bytes) -> dict[str, Any] | None:
    """The chat's name/id/type when the file is a single-chat export whose header precedes
    ``messages`` (Telegram writes it so); None for a full export or an unusual key order."""
    import io

    import ijson

    chat: dict[str, Any] = {}
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(head), use_float=True):
            if prefix == "" and event == "map_key":
                if value == "messages":
                    return chat if "id" in chat else None
                if value in ("chats", "left_chats"):
                    return None
            elif prefix in ("name", "id", "type") and event in ("string", "number"):
                chat[prefix] = value
            elif (event == "start_map" and prefix != "") or event == "start_array":
                return None  # some other nested structure before messages: take the general path
    except ijson.JSONError:
        return None
    return None


def _skip_bom(stream: IO[bytes]) -> IO[bytes]:
    import io

    buf = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    if buf.peek(3)[:3] == b"\xef\xbb\xbf":  # type: ignore[attr-defined]
        buf.read(3)
    return buf  # type: ignore[return-value]


def _build_object(events: Iterator[tuple[str, str, Any]], prefix: str) -> dict[str, Any]:
    """The object whose ``start_map`` was just read, built from the following events."""
    import ijson

    builder = ijson.ObjectBuilder()
    builder.event("start_map", None)
    for p, event, value in events:
        builder.event(event, value)
        if p == prefix and event == "end_map":
            break
    return builder.value  # type: ignore[no-any-return]


def _entities(msg: dict[str, Any]) -> list[dict[str, Any]]:
    ents = msg.get("text_entities")
    if isinstance(ents, list):
        return [e if isinstance(e, dict) else {"type": "plain", "text": str(e)} for e in ents]
    text = msg.get("text")
    if isinstance(text, list):
        return [e if isinstance(e, dict) else {"type": "plain", "text": str(e)} for e in text]
    return [{"type": "plain", "text": "" if text is None else str(text)}]


def _account(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return f"user{int(value)}"
    return str(value)


def _message(msg: Any, n: int, chat: dict[str, Any], platform: str) -> Record | Rejection:
    if not isinstance(msg, dict):
        return Rejection(n, "message is not a JSON object", None, dumps(msg))
    if msg.get("type", "message") != "message":
        return Rejection(n, "service message", "type", dumps(msg))
    return build_safely(n, lambda: dumps(msg), lambda: _post(msg, n, chat, platform))


def _post(msg: dict[str, Any], n: int, chat: dict[str, Any], platform: str) -> Record:
    chat_id = chat.get("id")
    chat_key = str(int(chat_id)) if isinstance(chat_id, int | float) else str(chat_id or chat.get("name") or "chat")
    chat_name = chat.get("name")
    ents = _entities(msg)
    text = "".join(str(e.get("text", "")) for e in ents)
    hashtags = [e.get("text", "") for e in ents if e.get("type") == "hashtag"]
    urls = [e.get("href") if e.get("type") == "text_link" else e.get("text") for e in ents
            if e.get("type") in ("link", "text_link")]
    mentions = [e.get("text", "") for e in ents if e.get("type") == "mention"]
    mentions += [f"user{e['user_id']}" for e in ents if e.get("type") == "mention_name" and e.get("user_id")]

    account = _account(msg.get("from_id"))
    if account is None and chat.get("type") in _CHANNEL_TYPES and chat_id is not None:
        account = f"channel{chat_key}"
    media_sig = [msg.get(k) for k in _MEDIA_KEYS]
    has_media = any(msg.get(k) for k in ("photo", "file", "media_type", "photo_file_size", "file_size"))
    media = [content_id("telegram-media", *media_sig)] if has_media else []

    kind = "post"
    repost_of = repost_of_account = reply_to = None
    if msg.get("forwarded_from") is not None or msg.get("forwarded_from_id") is not None:
        kind = "repost"
        origin = msg.get("forwarded_from")
        repost_of_account = _account(msg.get("forwarded_from_id")) or content_id("telegram-forwarded-from", origin)
        repost_of = content_id("telegram-forward", origin, text, *(media_sig if has_media else ()))
    if msg.get("reply_to_message_id") is not None:
        peer = msg.get("reply_to_peer_id")
        peer_key = str(int(peer)) if isinstance(peer, int | float) else (str(peer) if peer else chat_key)
        reply_to = f"{peer_key}/{_int_str(msg['reply_to_message_id'])}"
        if kind == "post":
            kind = "reply"

    created = msg.get("date_unixtime") or msg.get("date")
    post = build_post(
        platform=platform,
        post_id=f"{chat_key}/{_int_str(msg.get('id'))}",
        account_id=account,
        created_at=created,
        kind=kind,
        text=text,
        repost_of=repost_of,
        repost_of_account=repost_of_account,
        reply_to=reply_to,
        urls=urls,
        hashtags=hashtags,
        mentions=mentions,
        media=media,
        client=msg.get("via_bot"),
        venue=chat_name,
    )
    accounts = []
    if msg.get("from") and account:
        accounts.append(build_account(platform=platform, account_id=account, display_name=msg.get("from")))
    return Record(n, post, accounts)


def _int_str(value: Any) -> str:
    if value is None or value == "":
        from lockstep.ingest._base import FieldError

        raise FieldError("post_id", "message id is missing")
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
