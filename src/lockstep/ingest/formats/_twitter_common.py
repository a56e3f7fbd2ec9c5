"""Helpers shared by the Twitter-family readers (twarc2, twitter_v1, twitter_io, ira538)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import IO, Any

from lockstep.ingest._base import open_text

__all__ = ["JsonItem", "client_name", "iter_json", "json_error_reason", "safe_str"]

_A_TAG = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_ANY_TAG = re.compile(r"<[^>]*>")


def client_name(source: Any) -> str | None:
    """The posting client's name from Twitter's ``source``.

    v1.1 gives an HTML anchor (``<a href="http://twitter.com" rel="nofollow">Twitter Web
    Client</a>``); v2 and the information-operations releases give the bare name.
    """
    if not isinstance(source, str) or not source.strip():
        return None
    s = source
    if "<" in s:
        m = _A_TAG.search(s)
        s = m.group(1) if m else _ANY_TAG.sub("", s)
    s = html.unescape(s).strip()
    return s or None


def safe_str(value: Any) -> str | None:
    """An id or code as a string (JSON integers included); None for null, empty or a non-scalar."""
    if value is None or isinstance(value, bool | dict | list):
        return None
    s = str(value).strip()
    return s or None


#: ``(line, value, raw)``: ``value`` is the parsed JSON or the ``ValueError`` that stopped it;
#: ``raw`` is the line's text (None for a whole-file document).
JsonItem = tuple[int, Any, str | None]


def json_error_reason(line: int, err: ValueError, raw: str | None) -> str:
    """Why a line is not JSON, in words (a cut-off last line is the usual case)."""
    msg = str(err)
    if raw is not None and ("Unterminated" in msg or "Expecting" in msg) and not raw.rstrip().endswith(("}", "]")):
        return f"line {line}: truncated JSON (the line ends mid-object: an interrupted capture?): {msg}"
    return f"line {line}: invalid JSON: {msg}"


def iter_json(stream: IO[bytes]) -> tuple[bool, Iterator[JsonItem]]:
    """Parse a JSON Lines file, or a single (possibly pretty-printed) JSON document.

    Returns ``(is_document, items)``. For JSON Lines, one item per non-empty line, numbered by
    line. When the first non-empty line does not parse on its own but the whole file does, the
    file is one document: a single item with line 1 (readers then number the records inside it
    by index). When neither parses, the lines are yielded one by one so that every bad line is
    reported rather than the whole file refused.
    """
    text = open_text(stream)
    lines = enumerate(text, 1)
    for n, line in lines:
        if line.strip():
            try:
                first = json.loads(line)
            except ValueError as e:
                first_error: ValueError = e
                break
            return False, _chain_lines((n, first, line.rstrip("\r\n")), lines)
    else:
        return False, iter(())
    # The first line alone is not JSON: a pretty-printed document, or JSONL with a bad first line.
    rest = line + text.read()
    try:
        doc = json.loads(rest)
        return True, iter([(1, doc, None)])
    except ValueError:
        pass
    return False, reparse_lines(n, first_error, rest)


def _chain_lines(first: JsonItem, lines: Iterator[tuple[int, str]]) -> Iterator[JsonItem]:
    yield first
    for n, line in lines:
        if not line.strip():
            continue
        raw = line.rstrip("\r\n")
        try:
            yield n, json.loads(raw), raw
        except ValueError as e:
            yield n, e, raw


def reparse_lines(start: int, first_error: ValueError, text: str) -> Iterator[JsonItem]:
    # split("\n"), not splitlines(): U+2028 may appear raw inside a JSON string.
    for i, line in enumerate(text.split("\n"), start):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        if i == start:
            yield i, first_error, line
            continue
        try:
            yield i, json.loads(line), line
        except ValueError as e:
            yield i, e, line
