"""The columnar fast path: a plain CSV file read in Arrow blocks and normalised column-wise.

The per-row path (a reader's ``read``) builds one Python dict per record; on a million-row CSV
that costs about 100 s. This path reads the same file with ``pyarrow.csv`` in blocks of
:data:`BLOCK_BYTES`, computes the canonical columns with vectorised DuckDB SQL, and gives the
driver one :class:`~lockstep.ingest._driver.BatchTables` per block, so memory stays bounded.

It must store exactly what the per-row path stores, rejections included. It gets there by doing
only what it can do exactly and handing the rest to the reader's own Python code:

- **Rows** whose fields are not in a plain shape (an id with surrounding spaces, a timestamp
  that is not plain epoch seconds, ...) are built by the reader's per-row function, so their
  values and rejection reasons are the per-row path's own.
- **Text** (``text_norm``, hashtags, mentions): ASCII text without ``&`` is normalised by RE2
  equivalents of the regular expressions of :mod:`lockstep.ingest._normalize` (written for ASCII,
  where Python's ``\\w``, ``\\s``, ``\\b`` and ``casefold`` have exact RE2/SQL equivalents); any
  other text goes through the Python functions, once per distinct value.
- **URLs** and **account observations**: the Python functions, once per distinct cell or
  (account, handle) pair.
- **The file**: when its line numbers cannot be known exactly (a quoted field spanning lines, a
  blank line, a malformed row, undecodable bytes) or it is not a plain file, the whole file goes
  through the per-row path instead (:class:`ColumnarFallback`; the driver undoes what was written).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lockstep.ingest._base import Record, Rejection, Sample, build_account
from lockstep.ingest._driver import (
    ColumnarFallback,
    _Batch,
    _rows_to_table,
)
from lockstep.ingest._normalize import (
    extract_hashtags,
    extract_mentions,
    normalize_text,
    normalize_url,
    registered_domain,
)
from lockstep.ingest.formats._common import iter_csv
from lockstep.schema import ACCOUNT_FIELDS, ACCOUNTS, POSTS

__all__ = ["BLOCK_BYTES", "ColumnarCsv", "CsvLayout", "clean_id", "iter_blocks", "plain_csv", "text_frame"]

#: Bytes of CSV per block (one batch written to the workspace): bounds memory whatever the file size.
BLOCK_BYTES = 4 << 20
#: Bytes of CSV per block of the parser (pyarrow.csv), gathered into blocks of BLOCK_BYTES. The
#: parser reads about 38 of its blocks ahead of the consumer whatever their size (measured with
#: pyarrow 26, threads or not): 4 MB parser blocks held ~150 MB of read-ahead, 1 MB ones ~38 MB.
PARSE_BYTES = 1 << 20
#: Growth of the process (bytes) after which Arrow's unused memory goes back to the system.
RELEASE_SLACK = 48 << 20

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
# Same bounds as parse_timestamp (_normalize._EARLIEST, _LATEST_SLACK).
EARLIEST_S = 631_152_000
_LATEST_SLACK = timedelta(days=2)

# --- regular expressions of _normalize, for ASCII text, in Rust's regex syntax (polars) -------
# Python's \s on str patterns is Unicode whitespace; on ASCII it is these characters (other
# engines' \s lack \x1c-\x1f). \w and \b agree on ASCII text.
_WS_CHARS = r"\t\n\x0b\x0c\r \x1c-\x1f"
_WS = f"[{_WS_CHARS}]"
# Runs of whitespace other than a single space (a single space is already what the collapse gives).
_WS_RUN = rf" {_WS}+|[\t\n\x0b\x0c\r\x1c-\x1f]{_WS}*"
_WS_CONTROL = r"[\t\n\x0b\x0c\r\x1c-\x1f]"
# normalize_text strips "RT @x:" only when s[:4].lstrip()[:2] is "rt": at most two spaces before.
_RT_TEST = rf"^{_WS}{{0,2}}[rR][tT]"
_RT = rf"^{_WS}*[rR][tT]{_WS}+@\w+:?{_WS}*"
_URL = rf"(?i)\b(?:https?://|www\.)[^{_WS_CHARS}<>\"']+"
_HANDLE = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,250}[A-Za-z0-9_])?(?:@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?"
# No look-behind: (?<![\w@/]) becomes "start, or one such character", which the replacement keeps
# and the extraction cuts off. A match ends with a word character, so the next match never needs
# the character the previous one consumed.
_MENTION = rf"(^|[^\w@/])@({_HANDLE})"
_HASHTAG = r"(?:^|[^\w&/])#\w+"
# `while s.endswith("..."): s = s[:-3].rstrip()`: the leftmost match is the whole removable tail.
_ELLIPSIS = rf"(?:{_WS}*\.\.\.)+$"


# A URL that normalize_url returns as it is (plus "/" for an empty path): lower-case http(s) scheme
# and host (no trailing dot, no port, no user), a path of characters quote() keeps, no query, no
# fragment. urlsplit(url).hostname of it is the host.
_PLAIN_URL = re.compile(r"(https?)://([a-z0-9-]+(?:\.[a-z0-9-]+)*)((?:/[A-Za-z0-9/._~-]*)?)")


def normalize_urls(tokens: list[str]) -> tuple[list[str], list[str]]:
    """``_normalize_urls(tokens)`` (normalised URLs without repeats, then their registered
    domains), with the parsing skipped for URLs already in normal form."""
    out: dict[str, str | None] = {}
    for u in tokens:
        m = _PLAIN_URL.fullmatch(u)
        if m is None:
            try:
                n = normalize_url(u)
            except ValueError:
                continue
            out.setdefault(n, None)
            continue
        n = u if m.group(3) else u + "/"
        if n not in out:
            out[n] = m.group(2)
    domains = []
    for n, host in out.items():
        d = registered_domain(n) if host is None else registered_domain(host)
        if d:
            domains.append(d)
    return list(out), domains


def _has_url(e: Any) -> Any:
    # The cheap test of _normalize, case-sensitive as there ("Http://" alone is not stripped).
    return (e.str.contains("http", literal=True) | e.str.contains("www.", literal=True)
            | e.str.contains("HTTP", literal=True) | e.str.contains("WWW.", literal=True))


def _where(s: Any, mask: Any, fn: Callable[[Any], Any], default: Any = None) -> Any:
    """``fn`` applied to the masked values of ``s`` only; elsewhere ``default`` (or ``s`` itself
    when ``default`` is None). Most texts have no URL, mention or hashtag: the costly regular
    expressions then run on the few that do."""
    import polars as pl

    sub = fn(s.filter(mask))
    first = pl.Series([default], dtype=sub.dtype) if default is not None else pl.Series([None], dtype=sub.dtype)
    m = mask.cast(pl.UInt32)
    out = pl.concat([first, sub]).gather(m.cum_sum() * m)
    return out.fill_null(s) if default is None else out


def text_frame(texts: pa.Array) -> Any:
    """``_ft`` (fast text), ``_norm``, ``_tags``, ``_ments`` of each text, as a polars frame.

    ``_ft`` is true for ASCII text without ``&`` (no HTML entity, no NFKC, no Unicode classes,
    casefold is lower): only there do these expressions equal normalize_text, extract_hashtags
    and extract_mentions; elsewhere the three are null.
    """
    import polars as pl

    lst = pl.List(pl.String)
    t = pl.Series("t", texts)
    ft = ((t.str.len_bytes() == t.str.len_chars()) & ~t.str.contains("&", literal=True)).fill_null(False)
    t = t.set(~ft, None) if not ft.all() else t  # the rest goes to Python: no work here
    # "^\s{0,2}rt" is normalize_text's s[:4].lstrip()[:2] test folded into its RT pattern.
    n1 = t.str.replace(_RT.replace(f"^{_WS}*", f"^{_WS}{{0,2}}", 1), "")
    n2 = _where(n1, _has_url(n1).fill_null(False), lambda x: x.str.replace_all(_URL, " "))
    n3 = _where(n2, n2.str.contains("@", literal=True).fill_null(False), lambda x: x.str.replace_all(_MENTION, "${1} "))
    n4 = n3.str.to_lowercase()
    # _WS_RUN matches exactly where there are two spaces or a whitespace control character:
    # those two tests (a literal search and a byte class) are several times cheaper than it.
    runs = n4.str.contains("  ", literal=True) | n4.str.contains(_WS_CONTROL)
    n4 = _where(n4, runs.fill_null(False), lambda x: x.str.replace_all(_WS_RUN, " "))
    n4 = n4.str.strip_chars(" ")
    n4 = _where(n4, n4.str.ends_with("...").fill_null(False), lambda x: x.str.replace(_ELLIPSIS, ""))
    norm = pl.when(n4 != "").then(n4).otherwise(None) if len(n4) else n4
    at = t.str.contains("@", literal=True).fill_null(False)
    hash_ = t.str.contains("#", literal=True).fill_null(False)

    def stripped(x: Any) -> Any:
        return _where(x, _has_url(x).fill_null(False), lambda y: y.str.replace_all(_URL, " "))

    def ments(x: Any) -> Any:
        return (stripped(x).str.extract_all(_MENTION)
                .list.eval(pl.element().str.replace(r"(?s)^.?@", "").str.to_lowercase())
                .list.unique(maintain_order=True))

    def tags(x: Any) -> Any:
        return (stripped(x).str.extract_all(_HASHTAG)
                .list.eval(pl.element().str.replace(r"(?s)^.?#", ""))
                .list.eval(pl.element().filter(~pl.element().str.contains(r"^[0-9]+$")).str.to_lowercase())
                .list.unique(maintain_order=True))

    empty = pl.Series([[]], dtype=lst)[0]
    out = pl.DataFrame({
        "_ft": ft,
        "_norm": pl.select(norm).to_series() if isinstance(norm, pl.Expr) else norm,
        "_ments": _where(t, at, ments, empty).cast(lst),
        "_tags": _where(t, hash_, tags, empty).cast(lst),
    })
    return out.with_columns(
        pl.when(pl.col("_ft")).then(pl.col("_ments")), pl.when(pl.col("_ft")).then(pl.col("_tags")))


# parse_timestamp's ISO form, restricted to what it reads as UTC with ASCII digits and no spaces.
_ISO_UTC = r"^(\d{4}-\d{2}-\d{2})(?:[T ]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:[.,](\d+))?)?)?(?:Z|\+00(?::?00)?)?$"


def fast_timestamps(cells: Any, latest_us: int) -> Any:
    """Microseconds since the epoch of the cells parse_timestamp reads exactly as these
    expressions do (whole epoch seconds of 9-10 digits, ISO 8601 in UTC), inside its range; else
    null (the row is then built by the per-row code)."""
    import polars as pl

    s = cells if isinstance(cells, pl.Series) else pl.Series(cells)
    # "1623881091.0" (a float written by R or pandas) is the same second; other fractions are
    # left to parse_timestamp's float arithmetic.
    seconds = s.str.replace(r"\.0+$", "")
    epoch = pl.when(s.str.contains(r"^[0-9]{9,10}(?:\.0+)?$")).then(seconds.cast(pl.Int64, strict=False) * 1_000_000)
    g = s.str.extract_groups(_ISO_UTC)
    date, hh, mi, ss, frac = (g.struct.field(str(i)) for i in range(1, 6))
    text = pl.concat_str([date, pl.lit(" "), hh.fill_null("00"), pl.lit(":"), mi.fill_null("00"), pl.lit(":"),
                          ss.fill_null("00")])
    df = pl.DataFrame({"text": pl.select(text).to_series(), "frac": frac})
    parsed = df.select(
        t=pl.col("text").str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False),
        text=pl.col("text"),
        micro=pl.col("frac").fill_null("0").str.slice(0, 6).str.pad_end(6, "0").cast(pl.Int64, strict=False))
    # Only dates that format back to what was read: no lenient parse gets through.
    iso = parsed.select(
        pl.when(pl.col("t").dt.strftime("%Y-%m-%d %H:%M:%S") == pl.col("text"))
        .then(pl.col("t").dt.epoch("us") + pl.col("micro"))).to_series()
    us = pl.select(pl.coalesce(epoch, pl.lit(iso))).to_series()
    return pl.select(pl.when(us.is_between(EARLIEST_S * 1_000_000, latest_us)).then(us)).to_series()


def clean_id(e: Any) -> Any:
    """True when the string starts and ends with printable ASCII (non-empty; ``strip()`` keeps it)."""
    first, last = e.str.slice(0, 1), e.str.slice(-1, 1)
    return (first >= "!") & (first <= "~") & (last >= "!") & (last <= "~")


# --- reading the file ------------------------------------------------------------------------

@dataclass
class CsvLayout:
    """A plain CSV file the fast path can read: its header and delimiter as the per-row path sees them."""

    path: str
    header: list[str]
    delimiter: str
    size: int


def plain_csv(path: str, sample: Sample, delimiter: str | None = None) -> CsvLayout | None:
    """The file's layout, or None when the fast path cannot read it exactly.

    Only an uncompressed regular file (its bytes are the sample's), UTF-8, with a one-line header
    on the first line and at least two columns.
    """
    try:
        if not os.path.isfile(path):
            return None
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            raw = f.read(len(sample.head))
            if raw != sample.head or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                return None  # compressed, an archive member, or UTF-16
            f.seek(0)
            first = f.readline().lstrip(b"\xef\xbb\xbf")
            if not first.strip():
                return None  # leading blank lines: the per-row path numbers lines after them
            f.seek(0)
            table = iter_csv(f, delimiter)
            if table is None or table._reader.line_num != 1:
                return None  # the header spans lines
            header, delim = table.header, table.delimiter
    except (OSError, UnicodeError, ValueError):
        return None
    if len(header) < 2:
        return None  # a blank line would read as a one-column row: not told apart
    return CsvLayout(path, header, delim, size)


def iter_blocks(layout: CsvLayout, on_bytes: Callable[[int], None] | None = None) -> Iterator[tuple[int, pa.RecordBatch]]:
    """``(line of the first row, block)`` of every row, all columns strings (``c0``, ``c1``, ...).

    Raises ColumnarFallback when a row's line number cannot be known exactly from its position:
    a value holding a line break (a quoted field spanning lines), a blank line, a row with the
    wrong number of cells, bytes that are not UTF-8.
    """
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(len(layout.header))]
    src = pa.OSFile(layout.path)
    try:
        try:
            reader = _open_csv(pacsv, src, names, layout.delimiter)
        except (pa.ArrowInvalid, pa.ArrowException) as e:
            raise ColumnarFallback(f"CSV not read exactly by the fast path: {e}") from None
        line = 2
        per_block = max(1, BLOCK_BYTES // _parse_bytes())
        parts: list[pa.RecordBatch] = []
        rss_after_release = _rss_bytes() or 0
        done = False
        while not done:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                done = True
            except (pa.ArrowInvalid, pa.ArrowException) as e:
                raise ColumnarFallback(f"CSV not read exactly by the fast path: {e}") from None
            else:
                if batch.num_rows == 0:
                    continue
                empty = None
                for col in batch.columns:
                    if _has_line_break(col):
                        raise ColumnarFallback("a value spans lines")
                    e = pc.equal(pc.binary_length(col), 0)
                    empty = e if empty is None else pc.and_(empty, e)
                if pc.any(empty).as_py():
                    raise ColumnarFallback("a blank line or a row of empty cells")
                parts.append(batch)
                if len(parts) < per_block:
                    continue
            if not parts:
                break
            block = parts[0] if len(parts) == 1 else pa.concat_batches(parts)
            parts = []
            yield line, block
            line += block.num_rows
            del block
            # mimalloc (Arrow's default pool) keeps freed blocks: hand them back once the process
            # has grown by RELEASE_SLACK since the last time, so that memory stays bounded however
            # long the file. Not after every block: the next one would fault all its memory in
            # again (1M CNT rows: 0.35 s of system time, ~0.4 s of the ingest's wall time).
            rss = _rss_bytes()
            if rss is None or rss - rss_after_release > RELEASE_SLACK:
                pa.default_memory_pool().release_unused()
                rss_after_release = _rss_bytes() or 0
            if on_bytes is not None:
                on_bytes(src.tell())
    finally:
        src.close()


def _rss_bytes() -> int | None:
    """This process's resident memory, where the system says cheaply (Linux); else None."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return None


_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _parse_bytes() -> int:
    return min(PARSE_BYTES, BLOCK_BYTES)


def _has_line_break(col: pa.Array) -> bool:
    """Whether a string column's characters include CR or LF (its whole data buffer is searched:
    bytes outside the column's slice can only make the answer a cautious yes)."""
    data = col.buffers()[2]
    if data is None:
        return False
    raw = data.to_pybytes()
    return b"\n" in raw or b"\r" in raw


def _open_csv(pacsv: Any, src: Any, names: list[str], delimiter: str) -> Any:
    return pacsv.open_csv(
        src,
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=_parse_bytes()),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False,
            newlines_in_values=False, ignore_empty_lines=False,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names}, strings_can_be_null=False,
            quoted_strings_can_be_null=False, null_values=[],
        ),
    )


# --- the shared machinery ---------------------------------------------------------------------

class ColumnarCsv:
    """One file through the fast path, and what it keeps across blocks: the URL cells already
    normalised and the account observations already made."""

    # Caches are cleared past this many entries: memory stays bounded on a huge file.
    MAX_CACHE = 100_000

    def __init__(self, path: str, fmt: str):
        self.path = path
        self.fmt = fmt
        self._urls: dict[str, tuple[list[str], list[str]]] = {}
        self._seen: dict[tuple[str, ...], Any] = {}  # account keys already observed, polars frames
        now = datetime.now(UTC)
        self.latest_us = (now + _LATEST_SLACK - EPOCH) // timedelta(microseconds=1)

    def text_columns(self, texts: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
        """``text_norm``, ``hashtags``, ``mentions`` of each text (as build_post makes them).

        Computed once per distinct text of the block (reposts repeat the reposted text: on
        CNT-style data about half the texts of a block are repeats), then spread to the rows.
        """
        if isinstance(texts, pa.ChunkedArray):
            texts = texts.combine_chunks()
        if len(texts) < 2:
            return self._distinct_text_columns(texts)
        enc = pc.dictionary_encode(texts)
        distinct = enc.dictionary
        if len(distinct) > 0.9 * len(texts):
            return self._distinct_text_columns(texts)  # nothing to gain: spare the take
        idx = enc.indices
        return tuple(a.take(idx) for a in self._distinct_text_columns(distinct))  # type: ignore[return-value]

    def _distinct_text_columns(self, texts: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
        lst = pa.list_(pa.string())
        df = text_frame(texts)
        fast = df["_ft"].to_arrow()
        norm = df["_norm"].to_arrow().cast(pa.string())
        tags = df["_tags"].to_arrow().cast(lst)
        ments = df["_ments"].to_arrow().cast(lst)
        slow = pc.invert(fast)
        if not pc.any(slow).as_py():
            return norm, tags, ments
        # Once per distinct text of the block (a retweet's text repeats; across blocks, rarely:
        # not cached, so memory does not grow with the file).
        distinct = pc.unique(pc.filter(texts, slow)).to_pylist()
        out_n, out_t, out_m = [], [], []
        for t in distinct:
            out_n.append(normalize_text(t))
            out_t.append(extract_hashtags(t))
            out_m.append(extract_mentions(t))
        idx = pc.index_in(texts, value_set=pa.array(distinct, pa.string()))
        return (
            pc.if_else(slow, pa.array(out_n, pa.string()).take(idx), norm),
            pc.if_else(slow, pa.array(out_t, lst).take(idx), tags),
            pc.if_else(slow, pa.array(out_m, lst).take(idx), ments),
        )

    def url_columns(self, cells: pa.Array) -> tuple[pa.Array, pa.Array]:
        """``urls`` and ``domains`` of space-separated URL cells (``_normalize_urls(cell.split())``)."""
        lst = pa.list_(pa.string())
        nonempty = pc.not_equal(pc.binary_length(cells), 0)
        distinct = pc.unique(pc.filter(cells, nonempty)).to_pylist()
        cache = self._urls
        if len(cache) > self.MAX_CACHE:
            cache.clear()
        urls: list[list[str]] = [[]]
        domains: list[list[str]] = [[]]
        for c in distinct:
            r = cache.get(c)
            if r is None:
                r = cache[c] = normalize_urls(c.split())
            urls.append(r[0])
            domains.append(r[1])
        # Index 0 is the empty cell.
        idx = pc.fill_null(pc.add(pc.index_in(cells, value_set=pa.array(distinct, pa.string())), 1), 0)
        return pa.array(urls, lst).take(idx), pa.array(domains, lst).take(idx)

    def per_distinct(self, cells: pa.Array, fn: Callable[[str], Any], name: str) -> tuple[pa.Array, pa.Array]:
        """``fn`` of each cell, computed once per distinct cell; and whether it succeeded (a cell
        ``fn`` raises on is false: its row goes to the per-row code, which rejects it)."""
        distinct = pc.unique(cells).to_pylist()
        values, ok = [], []
        for v in distinct:
            try:
                r = fn(v)
                ok.append(True)
            except Exception:
                r = None
                ok.append(False)
            values.append({"urls": r[0], "domains": r[1]} if isinstance(r, tuple) else r)
        lst = pa.list_(pa.string())
        if name in ("urls", "text urls"):
            type_: pa.DataType = pa.struct([("urls", lst), ("domains", lst)])
            values = [v if v is not None else {"urls": [], "domains": []} for v in values]
        else:
            type_ = lst
            values = [v if v is not None else [] for v in values]
        idx = pc.index_in(cells, value_set=pa.array(distinct, pa.string()))
        return pa.array(values, type_).take(idx), pa.array(ok, pa.bool_()).take(idx)

    def accounts_by_key(self, rows: pa.Table, build: Callable[[str], dict[str, Any] | None]) -> pa.Table | None:
        """Account observations of the fast rows: one per ``key`` (the raw account cells) of the
        block, at its first row; ``build(key)`` makes it (or None). The workspace keeps the first of equal
        observations, as it does for the per-row path's one per row."""
        import polars as pl

        if rows.num_rows == 0:
            return None
        firsts = (pl.from_arrow(rows).sort("line").group_by("key", maintain_order=True)
                  .agg(pl.col("line").first(), pl.col("created_us").first()))
        # (Building the observations of recurring keys cost 3 of the 5 s of a 210k-row file.)
        firsts = self._not_seen_before(firsts, ["key"])
        out = []
        for key, line, us in firsts.iter_rows():
            self._observation(out, build(key), line, us)
        if not out:
            return None
        table = _rows_to_table(out, ACCOUNTS)
        return table.append_column("_primary", pa.array([False] * table.num_rows, pa.bool_()))

    def _not_seen_before(self, firsts: Any, on: list[str]) -> Any:
        """The rows of ``firsts`` (a polars frame) whose ``on`` columns no earlier block had.

        A key seen in an earlier block makes the same observation, which the workspace would
        drop as one it already holds: skipping it saves building it. The memory of keys is
        bounded: past MAX_CACHE keys it starts again (the workspace still drops the repeats).
        """
        import polars as pl

        name = tuple(on)
        seen = self._seen.get(name)
        if seen is not None and seen.height > self.MAX_CACHE:
            seen = None
        if seen is not None:
            firsts = firsts.join(seen, on=on, how="anti", maintain_order="left")
        new = firsts.select(on)
        self._seen[name] = new if seen is None else pl.concat([seen, new])
        return firsts

    def _observation(self, out: list[tuple[Any, ...]], acc: dict[str, Any] | None, line: int, us: int) -> None:
        """Append an observation built by the reader, stamped with this file, its line and time."""
        if acc is None:
            return
        acc["source_file"] = self.path
        acc["source_line"] = line
        if acc.get("observed_at") is None:
            acc["observed_at"] = EPOCH + timedelta(microseconds=us)
        out.append(tuple(acc[f.name] for f in ACCOUNT_FIELDS))

    def accounts(self, rows: pa.Table, platform: str,
                 build: Callable[[str, str], dict[str, Any] | None]) -> pa.Table | None:
        """Handle observations (CNT): one per new (account cell, handle cell) pair, at its first row.

        ``rows`` has ``account``, ``handle`` (the raw cells), ``line`` and ``created_us`` of the
        accepted rows. A pair of plain cells (nothing to strip, no leading ``@``) is the
        observation ``{account_id: account, handle: handle}`` as it is; any other pair is made
        by ``build(account, handle)`` (or None). The workspace keeps one observation per
        distinct profile, the first seen, as with the per-row path.
        """
        import polars as pl

        if rows.num_rows == 0:
            return None
        pairs = ["account", "handle"]
        firsts = pl.from_arrow(rows).sort("line").unique(subset=pairs, keep="first", maintain_order=True)
        firsts = self._not_seen_before(firsts, pairs)
        if firsts.height == 0:
            return None
        plain_mask = firsts.select(
            clean_id(pl.col("account")) & clean_id(pl.col("handle")) & ~pl.col("handle").str.starts_with("@")
        ).to_series().fill_null(False)
        parts = []
        plain = firsts.filter(plain_mask)
        if plain.height:
            n = plain.height
            columns = {
                "platform": pa.array([platform] * n, pa.string()), "account_id": plain["account"].to_arrow(),
                "handle": plain["handle"].to_arrow(), "observed_at": timestamps(plain["created_us"].to_arrow()),
                "source_file": pa.array([self.path] * n, pa.string()), "source_line": plain["line"].to_arrow(),
            }
            parts.append(pa.Table.from_arrays(
                [columns[f.name].cast(f.type) if f.name in columns else pa.nulls(n, f.type) for f in ACCOUNTS],
                schema=ACCOUNTS))
        out = []
        for account, handle, line, us in firsts.filter(~plain_mask).iter_rows():
            self._observation(out, build(account, handle), line, us)
        if out:
            parts.append(_rows_to_table(out, ACCOUNTS))
        if not parts:
            return None
        table = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
        return table.append_column("_primary", pa.array([False] * table.num_rows, pa.bool_()))

    def python_rows(self, batch: pa.RecordBatch, lines: np.ndarray, mask: pa.Array,
                    build: Callable[[int, list[str]], Record | Rejection]) -> tuple[_Batch, list[tuple[Record, list[str]]]]:
        """The rows the expressions did not take, built by the reader's own per-row code.

        Returns them as a batch of the driver (posts and rejections) and the accepted records
        with their cells.
        """
        rows = _Batch(self.path)
        records: list[tuple[Record, list[str]]] = []
        if not pc.any(mask).as_py():
            return rows, records
        sub = batch.filter(mask)
        sub_lines = lines[mask.to_numpy(zero_copy_only=False)]
        cols = [c.to_pylist() for c in sub.columns]
        for i, line in enumerate(sub_lines.tolist()):
            cells = [c[i] for c in cols]
            item = build(line, cells)
            if isinstance(item, Record):
                records.append((item, cells))
            rows.add(item, self.fmt)
        return rows, records


class Prefetched:
    """An iterator run one item ahead in a background thread.

    Parsing (pyarrow), the expressions (polars) and the writing (DuckDB) release the GIL: while
    the driver writes block k, block k+1 is read and normalised. The producer starts an item
    only once the consumer has taken the previous one, so at most two items exist at a time
    (memory stays bounded). Exceptions reach the consumer in order; :meth:`close` stops the
    producer.
    """

    _END = object()

    def __init__(self, items: Iterator[Any]):
        import queue
        import threading

        self._items = items
        self._queue: queue.Queue[tuple[Any, BaseException | None]] = queue.Queue()
        self._turn = threading.Semaphore(1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lockstep-columnar", daemon=True)
        self._thread.start()

    def _wait_turn(self) -> bool:
        while not self._stop.is_set():
            if self._turn.acquire(timeout=0.1):
                return True
        return False

    def _run(self) -> None:
        try:
            while self._wait_turn():
                try:
                    item = next(self._items)
                except StopIteration:
                    self._queue.put((self._END, None))
                    return
                self._queue.put((item, None))
        except BaseException as e:  # handed to the consumer, raised there
            self._queue.put((None, e))
        finally:
            close = getattr(self._items, "close", None)
            if close is not None and self._stop.is_set():
                close()

    def __iter__(self) -> Prefetched:
        return self

    def __next__(self) -> Any:
        item, error = self._queue.get()
        self._turn.release()  # the producer may start the next item
        if error is not None:
            raise error
        if item is self._END:
            self._thread.join()
            raise StopIteration
        return item

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def posts_table(columns: dict[str, pa.Array], n: int, platform: str, path: str) -> pa.Table:
    """A POSTS table from the given columns; absent strings are null, absent lists empty."""
    arrays = []
    for f in POSTS:
        if f.name in columns:
            a = columns[f.name]
            arrays.append(a if a.type == f.type else a.cast(f.type))
        elif f.name == "platform":
            arrays.append(pa.array([platform] * n, pa.string()) if n else pa.array([], pa.string()))
        elif f.name == "source_file":
            arrays.append(pa.array([path] * n, pa.string()))
        elif pa.types.is_list(f.type):
            arrays.append(pa.array([[]] * n, f.type))
        else:
            arrays.append(pa.nulls(n, f.type))
    return pa.Table.from_arrays(arrays, schema=POSTS)


def merge_posts(fast: pa.Table | None, slow: pa.Table | None) -> pa.Table | None:
    """Fast and per-row posts in file order (the driver stores the first of repeated keys)."""
    parts = [t for t in (fast, slow) if t is not None and t.num_rows]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return pa.concat_tables(parts).sort_by("source_line")


def timestamps(us: pa.Array) -> pa.Array:
    return us.cast(pa.int64()).cast(pa.timestamp("us", tz="UTC"))


def build_account_or_none(platform: str) -> Callable[[str, str], dict[str, Any] | None]:
    """CNT-style account cells: the handle stripped; no handle, no observation."""

    def build(account: str, handle: str) -> dict[str, Any] | None:
        h = handle.strip()
        return build_account(platform=platform, account_id=account, handle=h) if h else None

    return build
