"""Helpers shared by the format readers: streaming JSON records, sniffed CSV rows, safe record building.

Private (the leading underscore keeps it out of the reader auto-import).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from lockstep.ingest._base import FieldError, Record, Rejection, open_text

__all__ = [
    "CsvTable",
    "JsonItem",
    "buffered",
    "build_safely",
    "csv_raw",
    "dumps",
    "first_byte",
    "iter_csv",
    "iter_json",
    "sniff_delimiter",
]

# A CSV cell may hold a whole article or a 50 MB JSON blob; the csv module's 128 KB default
# would reject such rows outright.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def dumps(value: Any) -> str:
    """The raw text kept with a rejected record."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


# Shape errors that a hostile or damaged record can cause in a reader (a string where an object
# was expected, a list where a string was): they reject that record, never the file.
_SHAPE_ERRORS = (KeyError, TypeError, AttributeError, IndexError, ValueError)


def build_safely(line: int | None, raw: Callable[[], str], build: Callable[[], Record | Rejection]) -> Record | Rejection:
    """Run ``build``; a FieldError or a shape error becomes a Rejection carrying the raw record."""
    try:
        return build()
    except FieldError as e:
        return Rejection(line, e.reason, e.field, raw())
    except _SHAPE_ERRORS as e:
        return Rejection(line, f"unexpected record structure: {type(e).__name__}: {e}", None, raw())


# --- JSON -----------------------------------------------------------------------------------

@dataclass(slots=True)
class JsonItem:
    """One JSON record: its line (JSONL) or 1-based index (JSON array), its value or why it failed."""

    line: int
    value: Any = None
    error: str | None = None
    raw: str | None = None

    def rejection(self) -> Rejection:
        return Rejection(self.line, self.error or "invalid JSON", None, self.raw)


def buffered(stream: IO[bytes]) -> io.BufferedReader:
    return stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[return-value,arg-type]


def first_byte(buf: io.BufferedReader) -> bytes:
    """Skip a UTF-8 BOM and leading whitespace; return the first significant byte (b"" at EOF)."""
    while True:
        head = buf.peek(64)
        if not head:
            return b""
        if head.startswith(b"\xef\xbb\xbf"):
            buf.read(3)
            continue
        stripped = head.lstrip()
        if stripped:
            buf.read(len(head) - len(stripped))
            return stripped[:1]
        buf.read(len(head))


def iter_json(stream: IO[bytes], unwrap: Callable[[Any], list[Any] | None] | None = None) -> Iterator[JsonItem]:
    """The records of a JSON array (streamed), a JSONL file, or a single JSON document.

    A JSON array is streamed with ijson (a multi-GB array does not load into memory); its items
    are numbered from 1. JSONL lines keep their line numbers; a line that is not JSON is an
    error item, and the rest of the file is still read. A single pretty-printed document is
    one record. ``unwrap(value)`` may return the list of records a value holds (an API page
    such as ``{"posts": [...]}``); they then share the value's line number.
    """
    import ijson

    buf = buffered(stream)
    first = first_byte(buf)
    if not first:
        return
    if first == b"[":
        n = 0
        try:
            for value in ijson.items(buf, "item", use_float=True):
                n += 1
                yield from _unwrapped(JsonItem(n, value), unwrap)
        except ijson.JSONError as e:
            # A truncated or damaged array: keep what was read, and say where it broke.
            yield JsonItem(n + 1, None, f"invalid JSON after record {n} (file truncated or damaged): {e}", None)
        return
    text = open_text(buf)
    first_line = text.readline()
    try:
        value = json.loads(first_line)
        jsonl = True
    except ValueError:
        # ``{`` alone on the first line is a pretty-printed document, not a broken JSONL line.
        jsonl = not first_line.rstrip().endswith(("{", "[", ",", ":"))
    if not jsonl:
        body = first_line + text.read()
        try:
            value = json.loads(body)
        except ValueError as e:
            yield JsonItem(1, None, f"invalid JSON: {e}", body[:100_000])
            return
        yield from _unwrapped(JsonItem(1, value), unwrap)
        return
    for n, line in enumerate(itertools.chain([first_line], text), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as e:
            yield JsonItem(n, None, f"invalid JSON: {e}", line.rstrip("\r\n"))
            continue
        yield from _unwrapped(JsonItem(n, value, None, None), unwrap)


def _unwrapped(item: JsonItem, unwrap: Callable[[Any], list[Any] | None] | None) -> Iterator[JsonItem]:
    inner = unwrap(item.value) if unwrap else None
    if inner is None:
        yield item
    else:
        for value in inner:
            yield JsonItem(item.line, value)


# --- CSV ------------------------------------------------------------------------------------

def sniff_delimiter(first_line: str) -> str:
    """The most frequent of ``, ; tab |`` in the header line (comma when none appears)."""
    counts = {d: first_line.count(d) for d in ",;\t|"}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class CsvTable:
    """A CSV file opened for reading: its header, then ``rows()`` as ``(line, cells)``."""

    header: list[str]
    delimiter: str
    _reader: Any
    _start: int = 1
    _tap: _LineTap | None = None

    def rows(self) -> Iterator[tuple[int, list[str] | None, str | None]]:
        """``(line, cells, error)``: line where the record starts (1-based), cells or a parse error.

        The last record is held back one step: a quote opened in it and never closed makes the
        csv module swallow the rest of the file into one cell, which must be an error, not a row.
        """
        last_end = self._reader.line_num
        pending: tuple[int, list[str] | None, str | None] | None = None
        unclosed = False
        while True:
            if self._tap is not None:
                self._tap.lines.clear()
            try:
                row = next(self._reader)
            except StopIteration:
                break
            except csv.Error as e:
                line = last_end + 1
                if pending is not None:
                    yield pending
                    pending = None
                if self._reader.line_num == last_end:
                    yield line, None, f"CSV parse error, reading stopped: {e}"
                    return
                last_end = self._reader.line_num
                yield line, None, f"CSV parse error: {e}"
                continue
            line = last_end + 1
            n_lines = self._reader.line_num - last_end
            last_end = self._reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if pending is not None:
                yield pending
            pending = (line, row, None)
            unclosed = n_lines > 1 and self._tap is not None and sum(x.count('"') for x in self._tap.lines) % 2
        if pending is not None:
            if unclosed:
                line = pending[0]
                pending = (line, None, f"CSV parse error: a quote opened on line {line} is never closed; "
                           f"the record runs to the end of the file (line {last_end})")
            yield pending
def iter_csv(stream: IO[bytes], delimiter: str | None = None) -> CsvTable | None:
    """Open a CSV stream: sniff the delimiter from the header, strip BOM and spaces from names.

    Returns None for an empty file.
    """
    text = open_text(stream)
    first = text.readline()
    if not first.strip():
        # Skip leading blank lines; a file of only blank lines is empty.
        for line in text:
            if line.strip():
                first = line
                break
        else:
            return None
    delim = delimiter or sniff_delimiter(first)
    tap = _LineTap(itertools.chain([first], text))
    reader = csv.reader(tap, delimiter=delim)
    header = [c.strip().lstrip("\ufeff") for c in next(reader)]
    return CsvTable(header, delim, reader, _tap=tap)


class _LineTap:
    """The lines the csv module consumed for the current record (cleared per record)."""

    def __init__(self, lines: Iterator[str]):
        self._lines = lines
        self.lines: list[str] = []

    def __iter__(self) -> _LineTap:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.lines.append(line)
        return line


def csv_raw(header: list[str], cells: list[str], delimiter: str = ",") -> str:
    """A row as CSV text, for the rejected table."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(cells)
    return out.getvalue()
