"""The reader contract: what every input format implements, and the helpers they share.

A reader turns one decompressed file into a stream of :class:`Record` (one source record: a post
and/or the account observations it carried) and :class:`Rejection` (a record that could not be
used, with the line and field at fault). The ingest driver counts them, so that for every file
``read = accepted + duplicates + rejected``.

Readers register themselves with :func:`register_reader`; a module per format lives in
``lockstep/ingest/formats/`` and is imported automatically.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any, ClassVar

from lockstep.errors import MappingError
from lockstep.ingest._normalize import (
    extract_hashtags,
    extract_mentions,
    extract_urls,
    normalize_tag,
    normalize_text,
    normalize_url,
    parse_bool,
    parse_int,
    parse_timestamp,
    registered_domain,
)
from lockstep.schema import KINDS, POST_FIELDS

__all__ = [
    "READERS",
    "FieldError",
    "Reader",
    "Record",
    "Rejection",
    "Sample",
    "build_account",
    "build_post",
    "iter_lines",
    "open_text",
    "register_reader",
]

# Large enough for a twarc2 page's first tweet and a CSV header; small enough to sniff fast.
SAMPLE_BYTES = 256 * 1024


class FieldError(ValueError):
    """A value that cannot be used; names the field so the rejected row can say which."""

    def __init__(self, field: str | None, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(slots=True)
class Record:
    """One record of a source: at most one post, plus any account observations it carried.

    A record with no post and at least one account is an account record (a users file).
    """

    line: int | None
    post: dict[str, Any] | None = None
    accounts: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Rejection:
    """A record that could not be used: where it was, which field, why, and its raw text."""

    line: int | None
    reason: str
    field: str | None = None
    raw: str | None = None


@dataclass
class Sample:
    """The start of a file, for format detection.

    ``name`` is the file name without compression suffixes (``tweets.jsonl`` for
    ``tweets.jsonl.gz``); ``text`` is the first :data:`SAMPLE_BYTES` decoded as UTF-8 (BOM removed,
    undecodable bytes replaced), or as UTF-16 when it starts with a UTF-16 byte-order mark (as
    :func:`open_text` reads the file).
    """

    name: str
    head: bytes

    @property
    def text(self) -> str:
        if self.head.startswith((b"\xff\xfe", b"\xfe\xff")):
            # Cut to whole code units: the sample may end mid-character.
            return self.head[: len(self.head) // 2 * 2].decode("utf-16", errors="replace").lstrip("\ufeff")
        return self.head.decode("utf-8", errors="replace").lstrip("\ufeff")

    @property
    def suffix(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""

    def first_json_line(self) -> Any:
        """The first non-empty line parsed as JSON, or None (not JSONL, or longer than the sample)."""
        for line in self.text.splitlines():
            if line.strip():
                try:
                    return json.loads(line)
                except ValueError:
                    return None
        return None

    def leading_json_pairs(self) -> dict[str, Any] | None:
        """For a first JSON object longer than the sample (a record with a 50 MB text): its leading
        key/value pairs that the sample holds whole, or None."""
        rest = self.text.lstrip()
        if len(self.head) < SAMPLE_BYTES or "\n" in rest or not rest.startswith("{"):
            return None
        return _leading_pairs(rest)

    def csv_header(self) -> list[str] | None:
        """The first CSV row (delimiter sniffed among , ; tab |), or None if it does not look like CSV."""
        text = self.text
        if not text or text.lstrip()[:1] in ("{", "["):
            return None
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t|", key=first.count)
        if first.count(delimiter) == 0:
            return None
        try:
            row = next(csv.reader(io.StringIO(text), delimiter=delimiter))
        except (csv.Error, StopIteration):
            return None
        return [c.strip().lstrip("\ufeff") for c in row]


def _leading_pairs(prefix: str) -> dict[str, Any] | None:
    """The complete top-level key/value pairs at the start of a JSON object cut short, or None."""
    import ijson

    pairs: dict[str, Any] = {}
    try:
        for key, value in ijson.kvitems(prefix.encode("utf-8", errors="replace"), "", use_float=True):
            pairs[key] = value
    except ijson.JSONError:
        pass
    return pairs or None


class Reader:
    """Base class of an input format.

    Subclasses set ``name`` (the ``--format`` key), ``platform`` (the default platform of the rows)
    and ``description``, and implement :meth:`sniff` and :meth:`read`. The constructor only stores
    its parameters.

    Parameters
    ----------
    platform : str, optional
        Platform to assign to the rows instead of the reader's default (``--platform``).
    mapping : dict, optional
        Source column → canonical field (``--map``); only readers of generic tables use it.
    """

    name: ClassVar[str] = ""
    platform: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def __init__(self, platform: str | None = None, mapping: dict[str, str] | None = None):
        self.platform_override = platform
        self.mapping = mapping

    @property
    def row_platform(self) -> str:
        return (self.platform_override or self.platform).lower()

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        """How sure we are (0..1) that the sample is this format."""
        raise NotImplementedError

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        """Yield one Record or Rejection per source record of the decompressed binary ``stream``.

        Readers that implement :meth:`read_chunks` and :meth:`parse_chunk` get this for free.
        """
        chunks = self.read_chunks(stream, path)
        if chunks is None:
            raise NotImplementedError(f"{type(self).__name__} implements neither read nor read_chunks")
        for chunk in chunks:
            yield from self.parse_chunk(chunk)

    def read_chunks(self, stream: IO[bytes], path: str) -> Iterator[Any] | None:
        """Optional: split the file into independent, picklable chunks of raw records.

        A reader that implements this and :meth:`parse_chunk` is read in parallel: the ingest
        driver splits in the main process (cheap: e.g. CSV rows) and parses the chunks in worker
        processes (the costly part: normalisation), keeping their order. Return None (the
        default) to be read by :meth:`read` alone.
        """
        return None

    def parse_chunk(self, chunk: Any) -> Iterator[Record | Rejection]:
        """Turn one chunk from :meth:`read_chunks` into Records and Rejections, in order."""
        raise NotImplementedError

    def check_mapping(self, columns: Iterable[str], path: str) -> None:
        """Raise MappingError unless every mapped source column is present and every target is a field."""
        if not self.mapping:
            return
        cols = set(columns)
        known = {f.name for f in POST_FIELDS} | _ACCOUNT_MAP_TARGETS
        for src, dst in self.mapping.items():
            if src not in cols:
                raise MappingError(
                    f"{path}: --map {src}={dst}: the file has no column {src!r} "
                    f"(columns: {', '.join(sorted(cols)[:30])})"
                )
            if dst not in known:
                raise MappingError(
                    f"--map {src}={dst}: {dst!r} is not a canonical field "
                    f"(fields: {', '.join(sorted(known))})"
                )

    def __repr__(self) -> str:
        args = []
        if self.platform_override:
            args.append(f"platform={self.platform_override!r}")
        if self.mapping:
            args.append(f"mapping={self.mapping!r}")
        return f"{type(self).__name__}({', '.join(args)})"


# Account fields a generic table may map to, prefixed to keep them apart from post fields.
_ACCOUNT_MAP_TARGETS = {
    "handle", "display_name", "bio", "account_created_at", "location", "followers", "following",
    "posts_count", "profile_image", "verified",
}

#: Every registered reader, by format name.
READERS: dict[str, type[Reader]] = {}


def register_reader(cls: type[Reader]) -> type[Reader]:
    """Class decorator: make a reader available to detection and ``--format``."""
    if not cls.name:
        raise TypeError(f"{cls.__name__} has no name")
    if cls.name in READERS and READERS[cls.name] is not cls:
        raise TypeError(f"two readers named {cls.name!r}: {READERS[cls.name].__name__}, {cls.__name__}")
    READERS[cls.name] = cls
    return cls


# --- building canonical rows ----------------------------------------------------------------

def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value)
    return s if s.strip() else None


def _id(value: Any, field_name: str, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise FieldError(field_name, f"{field_name} is missing")
        return None
    if isinstance(value, dict | list | tuple | set | bool):
        # str() of these is a Python repr, never an id the source meant: a damaged record.
        raise FieldError(field_name, f"{field_name} is a {type(value).__name__}, not a string or number: {str(value)[:80]!r}")
    if isinstance(value, float):
        if value != value:
            if required:
                raise FieldError(field_name, f"{field_name} is missing")
            return None
        if value.is_integer():
            value = int(value)
    return str(value).strip()


def _normalize_urls(urls: Iterable[str]) -> tuple[list[str], list[str]]:
    out: dict[str, None] = {}
    for u in urls:
        if not u:
            continue
        try:
            out.setdefault(normalize_url(u), None)
        except ValueError:
            # Not a web URL (mailto:, a bare word): the text still holds it; it is no co-link object.
            continue
    norm = list(out)
    domains = [d for d in (registered_domain(u) for u in norm) if d]
    return norm, domains


def build_post(
    *,
    platform: str,
    post_id: Any,
    account_id: Any,
    created_at: Any,
    kind: str = "post",
    text: str | None = None,
    lang: str | None = None,
    repost_of: Any = None,
    repost_of_account: Any = None,
    reply_to: Any = None,
    reply_to_account: Any = None,
    quote_of: Any = None,
    urls: Iterable[str] | None = None,
    hashtags: Iterable[str] | None = None,
    mentions: Iterable[str] | None = None,
    media: Iterable[str] | None = None,
    client: str | None = None,
    venue: str | None = None,
    title: str | None = None,
    post_url: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """A canonical post row, validated and normalised.

    ``urls``, ``hashtags`` and ``mentions`` given as None are extracted from ``text``; given as a
    list (the source's entities) they are normalised as they are. Raises FieldError naming the
    field at fault.
    """
    if kind not in KINDS:
        raise FieldError("kind", f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if created_at is None or (isinstance(created_at, str) and not created_at.strip()):
        raise FieldError("created_at", "created_at is missing")
    try:
        ts = parse_timestamp(created_at, now=now)
    except ValueError as e:
        raise FieldError("created_at", str(e)) from None
    text = None if text is None else str(text)
    raw_urls = extract_urls(text) if urls is None else list(urls)
    norm_urls, domains = _normalize_urls(raw_urls)
    tags = extract_hashtags(text) if hashtags is None else [t for t in (normalize_tag(str(h)) for h in hashtags) if t]
    ments = extract_mentions(text) if mentions is None else [m for m in (normalize_tag(str(x)) for x in mentions) if m]
    return {
        "platform": platform,
        "post_id": _id(post_id, "post_id", True),
        "account_id": _id(account_id, "account_id", True),
        "created_at": ts,
        "kind": kind,
        "text": text,
        "text_norm": normalize_text(text),
        "lang": _text_or_none(lang),
        "repost_of": _id(repost_of, "repost_of", False),
        "repost_of_account": _id(repost_of_account, "repost_of_account", False),
        "reply_to": _id(reply_to, "reply_to", False),
        "reply_to_account": _id(reply_to_account, "reply_to_account", False),
        "quote_of": _id(quote_of, "quote_of", False),
        "urls": norm_urls,
        "domains": domains,
        "hashtags": list(dict.fromkeys(tags)),
        "mentions": list(dict.fromkeys(ments)),
        "media": [str(m) for m in (media or ()) if m],
        "client": _text_or_none(client),
        "venue": _text_or_none(venue),
        "title": _text_or_none(title),
        "post_url": _text_or_none(post_url),
    }


def build_account(
    *,
    platform: str,
    account_id: Any,
    handle: str | None = None,
    display_name: str | None = None,
    bio: str | None = None,
    created_at: Any = None,
    location: str | None = None,
    url: str | None = None,
    followers: Any = None,
    following: Any = None,
    posts_count: Any = None,
    profile_image: str | None = None,
    verified: Any = None,
    lang: str | None = None,
    observed_at: Any = None,
) -> dict[str, Any]:
    """A canonical account observation, validated. Raises FieldError naming the field at fault.

    Optional fields that do not parse (a count of ``"N/A"``) become None rather than rejecting the
    post they came with: an account observation is side information.
    """

    def soft(fn: Any, value: Any) -> Any:
        if value is None or value == "":
            return None
        try:
            return fn(value)
        except ValueError:
            return None

    return {
        "platform": platform,
        "account_id": _id(account_id, "account_id", True),
        "handle": _text_or_none(handle.lstrip("@") if isinstance(handle, str) else handle),
        "display_name": _text_or_none(display_name),
        "bio": _text_or_none(bio),
        "created_at": soft(parse_timestamp, created_at),
        "location": _text_or_none(location),
        "url": _text_or_none(url),
        "followers": soft(parse_int, followers),
        "following": soft(parse_int, following),
        "posts_count": soft(parse_int, posts_count),
        "profile_image": _text_or_none(profile_image),
        "verified": soft(parse_bool, verified),
        "lang": _text_or_none(lang),
        "observed_at": soft(parse_timestamp, observed_at),
    }


# --- reading text ---------------------------------------------------------------------------

def open_text(stream: IO[bytes]) -> IO[str]:
    """A text view of a binary stream: UTF-8 (BOM dropped), or UTF-16 when it starts with a UTF-16 BOM.

    Undecodable bytes become U+FFFD rather than stopping the read: the row survives with its
    damage visible, and the rest of the file is still read.
    """
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    head = buffered.peek(4)[:4]  # type: ignore[attr-defined]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return io.TextIOWrapper(buffered, encoding="utf-16", errors="replace", newline="")
    return io.TextIOWrapper(buffered, encoding="utf-8-sig", errors="replace", newline="")


def iter_lines(stream: IO[bytes]) -> Iterator[tuple[int, str]]:
    """``(line_number, line)`` for each line of a text stream, 1-based, line ends stripped."""
    text = open_text(stream)
    for n, line in enumerate(text, 1):
        yield n, line.rstrip("\r\n")
