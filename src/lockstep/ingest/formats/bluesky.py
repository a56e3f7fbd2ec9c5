"""Bluesky: AppView PostViews and feed items, and Jetstream firehose events (JSON array or JSONL).

Accepted records:

- a ``PostView`` (``uri``, ``author``, ``record``, ``indexedAt``), as returned by ``getPosts``,
  ``searchPosts``, … and pages of them (``{"posts": [...]}``, ``{"feed": [...]}``);
- a feed item ``{"post": PostView, "reason": …, "reply": …}``. With a ``reasonRepost`` it is a
  ``repost`` by ``reason.by`` at ``reason.indexedAt`` of the post (``repost_of`` = the post's
  ``uri``); its ``post_id`` is the repost record's ``uri`` when the API gives it, else a hash of
  (reposter, post uri), which is the same for the same repost seen twice;
- a Jetstream event ``{"did", "time_us", "kind": "commit", "commit": {...}}``: a created
  ``app.bsky.feed.post`` record is a post (``uri`` rebuilt as ``at://{did}/{collection}/{rkey}``);
  a created ``app.bsky.feed.repost`` record is a ``repost`` of ``subject.uri``. Other events (likes,
  follows, deletes, identity and account events) are not posts and are rejected with the reason
  saying which they are, so they stay counted.

``post_id`` is the ``at://`` uri; ``account_id`` the author's DID (handles change; DIDs do not).
Time is the server-side ``indexedAt`` (or Jetstream's ``time_us``), because the record's
``createdAt`` is set by the client and is seen with any precision, any offset and even year 0;
``createdAt`` is the fallback. Facets give links, tags and mentions; their offsets are UTF-8
*byte* offsets into the text. Mentions are the handles as written in the text (``@alice.bsky.social``
→ ``alice.bsky.social``), or the DID when the text there is not a handle. An embedded record
(``app.bsky.embed.record`` / ``recordWithMedia``) pointing at a post is a quote; ``record.reply``
makes a reply to ``reply.parent.uri`` (its author is the DID inside that uri). Media are the
image/video blob CIDs, which are content hashes.
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
from lockstep.ingest._normalize import content_id, parse_timestamp
from lockstep.ingest.formats._common import build_safely, dumps, iter_json

__all__ = ["BlueskyReader"]

_POST = "app.bsky.feed.post"
_REPOST = "app.bsky.feed.repost"


def _unwrap(value: Any) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and "uri" not in value and "did" not in value and "post" not in value:
        for key in ("posts", "feed"):
            if isinstance(value.get(key), list):
                return value[key]
    return None


@register_reader
class BlueskyReader(Reader):
    """Bluesky AppView post views, feed items and Jetstream events."""

    name = "bluesky"
    platform = "bluesky"
    description = "Bluesky API post views / feed items and Jetstream events (JSON array or JSONL)"

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        head = sample.text.lstrip()[:50000]
        if not head.startswith(("[", "{")):
            return 0.0
        if '"at://did:' in head and ('"app.bsky.' in head or '"indexedAt"' in head):
            return 0.95
        if '"time_us"' in head and '"did:' in head and '"commit"' in head:
            return 0.95
        return 0.0

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        platform = self.row_platform
        for item in iter_json(stream, _unwrap):
            if item.error:
                yield item.rejection()
                continue
            value = item.value
            yield build_safely(item.line, lambda v=value: dumps(v), lambda v=value, n=item.line: _record(v, n, platform))


def _record(value: Any, line: int, platform: str) -> Record | Rejection:
    if not isinstance(value, dict):
        return Rejection(line, "not a Bluesky object", None, dumps(value))
    if "time_us" in value and "did" in value:
        return _jetstream(value, line, platform)
    if isinstance(value.get("post"), dict):
        return _feed_item(value, line, platform)
    if "uri" in value and "record" in value:
        return Record(line, _post_view(value, platform), _authors(value, platform))
    return Rejection(line, "not a Bluesky post view, feed item or Jetstream event", None, dumps(value))


def _did_of(uri: Any) -> str | None:
    """The DID inside an ``at://did:…/collection/rkey`` uri."""
    if isinstance(uri, str) and uri.startswith("at://"):
        did = uri[5:].split("/", 1)[0]
        return did or None
    return None


def _time(primary: Any, fallback: Any) -> Any:
    """The server-side time when it parses, else the client's ``createdAt``."""
    if primary not in (None, ""):
        try:
            return parse_timestamp(primary)
        except ValueError:
            pass
    if fallback in (None, ""):
        raise FieldError("created_at", "no indexedAt, time_us or createdAt")
    return fallback


def _slice(text_bytes: bytes, index: Any) -> str:
    if not isinstance(index, dict):
        return ""
    try:
        start, end = int(index.get("byteStart")), int(index.get("byteEnd"))
    except (TypeError, ValueError):
        return ""
    return text_bytes[start:end].decode("utf-8", errors="replace")


def _facets(record: dict[str, Any], text: str) -> tuple[list[str], list[str], list[str]]:
    urls: list[str] = []
    tags: list[str] = [t for t in record.get("tags") or [] if isinstance(t, str)]
    mentions: list[str] = []
    text_bytes = text.encode("utf-8")
    for facet in record.get("facets") or []:
        if not isinstance(facet, dict):
            continue
        for feature in facet.get("features") or []:
            if not isinstance(feature, dict):
                continue
            kind = str(feature.get("$type", "")).rsplit("#", 1)[-1]
            if kind == "link" and feature.get("uri"):
                urls.append(feature["uri"])
            elif kind == "tag" and feature.get("tag"):
                tags.append(feature["tag"])
            elif kind == "mention":
                written = _slice(text_bytes, facet.get("index"))
                if written.startswith("@") and len(written) > 1:
                    mentions.append(written[1:])
                elif feature.get("did"):
                    mentions.append(feature["did"])
    return urls, tags, mentions


def _embed(record: dict[str, Any]) -> tuple[str | None, list[str], list[str]]:
    """(quoted post uri, external URLs, media CIDs) of a record's embed."""
    embed = record.get("embed")
    quote, urls, media = None, [], []
    if not isinstance(embed, dict):
        return quote, urls, media
    parts = [embed]
    kind = str(embed.get("$type", ""))
    if kind.startswith("app.bsky.embed.recordWithMedia"):
        parts = [embed.get("record") or {}, embed.get("media") or {}]
        inner = (embed.get("record") or {}).get("record") or {}
        quote = inner.get("uri") if isinstance(inner, dict) else None
    elif kind.startswith("app.bsky.embed.record"):
        inner = embed.get("record") or {}
        quote = inner.get("uri") if isinstance(inner, dict) else None
    for part in parts:
        if not isinstance(part, dict):
            continue
        external = part.get("external")
        if isinstance(external, dict) and external.get("uri"):
            urls.append(external["uri"])
        for image in part.get("images") or []:
            if isinstance(image, dict):
                media.append(_cid(image.get("image")))
        if part.get("video") is not None:
            media.append(_cid(part.get("video")))
    # Only a post is a quote: an embedded feed generator or list is not.
    if quote is not None and f"/{_POST}/" not in str(quote):
        quote = None
    return quote, urls, [m for m in media if m]


def _cid(blob: Any) -> str | None:
    if not isinstance(blob, dict):
        return None
    ref = blob.get("ref")
    if isinstance(ref, dict):
        return ref.get("$link")
    if isinstance(ref, str):
        return ref
    return blob.get("cid")


def _post_from_record(
    record: dict[str, Any], *, platform: str, uri: Any, did: Any, time: Any, post_url: str | None = None
) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise FieldError("record", "record is not an object")
    text = record.get("text")
    text = text if isinstance(text, str) else ""
    urls, tags, mentions = _facets(record, text)
    quote, embed_urls, media = _embed(record)
    reply = record.get("reply")
    parent = reply.get("parent") if isinstance(reply, dict) else None
    reply_to = parent.get("uri") if isinstance(parent, dict) else None
    kind = "reply" if reply_to else "quote" if quote else "post"
    langs = record.get("langs")
    lang = ",".join(str(x) for x in langs) if isinstance(langs, list) and langs else None
    return build_post(
        platform=platform,
        post_id=uri,
        account_id=did,
        created_at=_time(time, record.get("createdAt")),
        kind=kind,
        text=text,
        lang=lang,
        reply_to=reply_to,
        reply_to_account=_did_of(reply_to),
        quote_of=quote,
        urls=urls + embed_urls,
        hashtags=tags,
        mentions=mentions,
        media=media,
        post_url=post_url,
    )


def _web_url(uri: Any, handle: Any) -> str | None:
    if not isinstance(uri, str) or f"/{_POST}/" not in uri:
        return None
    rkey = uri.rsplit("/", 1)[-1]
    who = handle if isinstance(handle, str) and handle and handle != "handle.invalid" else _did_of(uri)
    return f"https://bsky.app/profile/{who}/post/{rkey}"


def _post_view(view: dict[str, Any], platform: str) -> dict[str, Any]:
    author = view.get("author") or {}
    return _post_from_record(
        view.get("record") or {},
        platform=platform,
        uri=view.get("uri"),
        did=author.get("did") or _did_of(view.get("uri")),
        time=view.get("indexedAt"),
        post_url=_web_url(view.get("uri"), author.get("handle")),
    )


def _account(profile: Any, platform: str) -> dict[str, Any] | None:
    if not isinstance(profile, dict) or not profile.get("did"):
        return None
    return build_account(
        platform=platform,
        account_id=profile["did"],
        handle=profile.get("handle"),
        display_name=profile.get("displayName"),
        bio=profile.get("description"),
        created_at=profile.get("createdAt"),
        followers=profile.get("followersCount"),
        following=profile.get("followsCount"),
        posts_count=profile.get("postsCount"),
        profile_image=profile.get("avatar"),
    )


def _authors(view: dict[str, Any], platform: str, *extra: Any) -> list[dict[str, Any]]:
    out = [_account(p, platform) for p in (*extra, view.get("author"))]
    return [a for a in out if a]


def _feed_item(item: dict[str, Any], line: int, platform: str) -> Record:
    view = item["post"]
    reason = item.get("reason")
    if isinstance(reason, dict) and str(reason.get("$type", "")).endswith("reasonRepost"):
        by = reason.get("by") or {}
        post = build_post(
            platform=platform,
            post_id=reason.get("uri") or content_id("bluesky-repost", by.get("did"), view.get("uri")),
            account_id=by.get("did"),
            created_at=reason.get("indexedAt"),
            kind="repost",
            text=(view.get("record") or {}).get("text"),
            repost_of=view.get("uri"),
            repost_of_account=(view.get("author") or {}).get("did") or _did_of(view.get("uri")),
            urls=[], hashtags=[], mentions=[],
        )
        return Record(line, post, _authors(view, platform, by))
    return Record(line, _post_view(view, platform), _authors(view, platform))


def _jetstream(event: dict[str, Any], line: int, platform: str) -> Record | Rejection:
    raw = dumps(event)
    if event.get("kind") != "commit":
        return Rejection(line, f"Jetstream {event.get('kind')} event (not a post)", "kind", raw)
    commit = event.get("commit") or {}
    collection = commit.get("collection")
    operation = commit.get("operation")
    if operation != "create":
        return Rejection(line, f"Jetstream {operation} of {collection} (not a new post)", "commit.operation", raw)
    did = event.get("did")
    uri = f"at://{did}/{collection}/{commit.get('rkey')}"
    record = commit.get("record") or {}
    if collection == _POST:
        return Record(line, _post_from_record(record, platform=platform, uri=uri, did=did, time=event.get("time_us"),
                                              post_url=_web_url(uri, None)))
    if collection == _REPOST:
        subject = record.get("subject") or {}
        post = build_post(
            platform=platform, post_id=uri, account_id=did,
            created_at=_time(event.get("time_us"), record.get("createdAt")), kind="repost",
            repost_of=subject.get("uri"), repost_of_account=_did_of(subject.get("uri")),
            urls=[], hashtags=[], mentions=[],
        )
        return Record(line, post)
    return Rejection(line, f"Jetstream {collection} record (not a post or repost)", "commit.collection", raw)
