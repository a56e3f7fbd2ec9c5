"""Bylined documents (articles, op-eds, statements) for alias linking: CSV or JSONL.

Columns (or keys), first match wins: author ``author`` | ``byline``; text ``text`` | ``body`` |
``content``; optional ``outlet`` | ``publication`` | ``source``; date ``published_at`` | ``date`` |
``published``; ``title``; ``url``; ``lang`` | ``language``.

Each document is a post of kind ``article`` on platform ``web`` (``--platform`` overrides), with
``account_id`` the author name *as written* (alias linking is about telling whether two bylines are
one writer, so the byline is not normalised), ``venue`` the outlet, ``post_id`` the URL, or a
content hash of (author, title, text) when there is none; ``post_url`` the URL. A document with no
author or no text is rejected, naming the field.

**Undated documents.** The schema requires a time, and many corpora (Reuters C50, leaked op-eds)
have none. Rejecting them would make the alias linker unusable on exactly those corpora; the file's
mtime or the ingest time would invent a date that looks real. A document without a date gets
:data:`UNDATED`, 1990-01-01T00:00:00Z: the earliest time lockstep accepts (before any platform it
reads), identical for every undated document, so it is easy to recognise and filter
(``created_at = TIMESTAMP '1990-01-01'``), and obviously not a real publication time. Stages that use
time (co-action windows, the operator-schedule model) must ignore ``article`` rows at
:data:`UNDATED`. A date that is present but unreadable is damage, not absence: that row is rejected.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any

from lockstep.ingest._base import (
    FieldError,
    Reader,
    Record,
    Rejection,
    Sample,
    build_post,
    register_reader,
)
from lockstep.ingest._normalize import content_id
from lockstep.ingest.formats._common import (
    buffered,
    build_safely,
    csv_raw,
    dumps,
    first_byte,
    iter_csv,
    iter_json,
)

__all__ = ["UNDATED", "DocumentsReader"]

#: The created_at of a document without a date (see the module docstring).
UNDATED = datetime(1990, 1, 1, tzinfo=UTC)

_AUTHOR = ("author", "byline", "authors")
_TEXT = ("text", "body", "content")
_OUTLET = ("outlet", "publication", "source", "publisher")
_DATE = ("published_at", "date", "published", "publish_date", "created_at")
_LANG = ("lang", "language")


def _pick(keys: set[str], names: tuple[str, ...]) -> str | None:
    lowered = {k.lower().strip(): k for k in keys}
    return next((lowered[n] for n in names if n in lowered), None)


# Keys of social-media records that also have an author and a text (Reddit, flattened tweets).
_NOT_DOCUMENTS = {"subreddit", "created_utc", "id_str", "author_id", "conversation_id", "__twarc"}


def _looks_like_documents(keys: set[str]) -> bool:
    """Author and text, one document attribute (title, outlet, date, url), nothing social."""
    if keys & _NOT_DOCUMENTS:
        return False
    has_meta = any(_pick(keys, names) for names in (("title", "headline"), _OUTLET, _DATE, ("url",)))
    return _pick(keys, _AUTHOR) is not None and _pick(keys, _TEXT) is not None and has_meta


@register_reader
class DocumentsReader(Reader):
    """Bylined documents (author, text, outlet, date, title, url) as CSV or JSONL."""

    name = "documents"
    platform = "web"
    description = "bylined documents for alias linking (CSV/JSONL: author, text, outlet, date, title, url)"

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        header = sample.csv_header()
        if header and _looks_like_documents(set(header)):
            return 0.9
        first = sample.first_json_line()
        if isinstance(first, dict) and _looks_like_documents(set(first)):
            author = first.get(_pick(set(first), _AUTHOR) or "")
            # A byline is text; an author *object* (flattened tweets) is not a document.
            if isinstance(author, str) or (isinstance(author, list) and all(isinstance(a, str) for a in author)):
                return 0.9
        return 0.0

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        buf = buffered(stream)
        if first_byte(buf) in (b"{", b"["):
            for item in iter_json(buf):
                if item.error:
                    yield item.rejection()
                elif not isinstance(item.value, dict):
                    yield Rejection(item.line, "not a JSON object", None, dumps(item.value))
                else:
                    yield build_safely(item.line, lambda v=item.value: dumps(v),
                                       lambda v=item.value, n=item.line: self._record(v, n))
            return
        table = iter_csv(buf)
        if table is None:
            return
        header = table.header
        for line, cells, error in table.rows():
            if cells is None:
                yield Rejection(line, error or "unreadable row")
                continue
            values = dict(zip(header, cells))
            yield build_safely(line, lambda c=cells: csv_raw(header, c, table.delimiter),
                               lambda v=values, n=line: self._record(v, n))

    def _record(self, doc: dict[str, Any], line: int) -> Record:
        keys = set(doc)

        def get(names: tuple[str, ...]) -> Any:
            key = _pick(keys, names)
            value = doc.get(key) if key else None
            if isinstance(value, list):  # a JSON list of authors: the byline as printed
                value = ", ".join(str(v) for v in value if v)
            if isinstance(value, str) and not value.strip():
                return None
            return value

        author = get(_AUTHOR)
        text = get(_TEXT)
        if author is None:
            raise FieldError("account_id", "author is missing")
        if text is None:
            raise FieldError("text", "text is missing")
        author = str(author).strip()
        url = get(("url", "link"))
        title = get(("title", "headline"))
        date = get(_DATE)
        post = build_post(
            platform=self.row_platform,
            post_id=url or content_id(author, title, text),
            account_id=author,
            created_at=UNDATED if date is None else date,
            kind="article",
            text=str(text),
            lang=get(_LANG),
            venue=get(_OUTLET),
            title=title,
            post_url=url,
        )
        return Record(line, post)
