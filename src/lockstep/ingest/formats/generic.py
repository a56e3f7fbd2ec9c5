"""Generic tables: CSV, JSONL and Parquet whose columns are canonical post fields, or mapped onto them.

A column named like a field of :data:`lockstep.schema.POST_FIELDS` is read as that field; ``--map
SRC=FIELD`` (the reader's ``mapping``) reads any other column as a field, and may also name the
account fields ``handle, display_name, bio, account_created_at, location, followers, following,
posts_count, profile_image, verified``, which make an account observation with each post. Derived
columns (``text_norm``, ``domains``, ``source_file``, ``source_line``) are recomputed, not read.

- ``platform``: the column, else ``--platform``; a file with neither is refused (MappingError).
- ``post_id``: when missing, a content hash of (platform, account, parsed time, text).
- ``account_id`` and ``created_at`` are required: a file without a column for them is refused
  with a MappingError naming the field; a row with an empty or unreadable value is rejected
  with the field named.
- ``kind``: the column, else ``repost``/``reply``/``quote`` when ``repost_of``/``reply_to``/
  ``quote_of`` is set, else ``post``.
- List fields (``urls, hashtags, mentions, media``) are JSON arrays, Python-style lists or
  whitespace-separated; an absent ``urls``/``hashtags``/``mentions`` column means "extract them
  from the text", an empty cell means none.
- CSV: delimiter sniffed among ``, ; tab |``; the record's line is where it starts. JSONL: one
  object per line. Parquet: read in record batches with pyarrow; the line is the 1-based record
  index. A Parquet file that arrives as a stream that cannot seek (inside a zip, or compressed) is
  first copied to a temporary file.

Detection claims a CSV (or JSONL) with high confidence only when its header has ``account_id``
and ``created_at`` plus ``post_id`` or ``platform`` (what lockstep's own exports and the simulator
write); any other CSV scores 0.3, below the detection threshold, so that ``--format csv --map ...``
must be given.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from lockstep.errors import MappingError, UnreadableFileError
from lockstep.ingest._base import (
    _ACCOUNT_MAP_TARGETS,
    FieldError,
    Reader,
    Record,
    Rejection,
    Sample,
    build_account,
    build_post,
    register_reader,
)
from lockstep.ingest._normalize import (
    content_id,
    extract_urls,
    normalize_tag,
    parse_list_field,
    parse_timestamp,
)
from lockstep.ingest.formats._common import build_safely, csv_raw, dumps, iter_csv, iter_json
from lockstep.schema import KINDS, LIST_FIELDS, POST_FIELDS

__all__ = ["CsvReader", "JsonlReader", "ParquetReader"]

_POST_NAMES = {f.name for f in POST_FIELDS}
_DERIVED = {"text_norm", "domains", "source_file", "source_line"}
_READ_POST = _POST_NAMES - _DERIVED
_ACCOUNT_TARGETS = set(_ACCOUNT_MAP_TARGETS)
_EXTRACTED = {"urls", "hashtags", "mentions"}


def _canonical_score(columns: Iterable[str]) -> float:
    cols = set(columns)
    if {"account_id", "created_at"} <= cols and ({"post_id", "platform"} & cols):
        return 0.92
    return 0.3


class _TableReader(Reader):
    """Shared logic: which column feeds which field, and one row → one Record."""

    platform = ""

    def _fields(self, columns: Iterable[str], path: str, strict: bool = True) -> dict[str, str]:
        """Field → source column; ``strict`` checks the mapping and the required fields first."""
        columns = list(columns)
        if strict:
            self.check_mapping(columns, path)
        fields = {c: c for c in columns if c in _READ_POST or c in _ACCOUNT_TARGETS}
        for src, dst in (self.mapping or {}).items():
            fields[dst] = src
        if not strict:
            return fields
        for required in ("account_id", "created_at"):
            if required not in fields:
                raise MappingError(
                    f"{path}: no column for the required field {required!r}; "
                    f"map one with --map COLUMN={required} (columns: {', '.join(columns[:30])})"
                )
        if "platform" not in fields and not self.platform_override:
            raise MappingError(
                f"{path}: no 'platform' column; name the platform with --platform "
                f"or map a column with --map COLUMN=platform"
            )
        return fields

    def _record(self, values: dict[str, Any], fields: dict[str, str], line: int) -> Record:
        def get(field: str) -> Any:
            src = fields.get(field)
            if src is None:
                return None
            v = values.get(src)
            if isinstance(v, str) and not v.strip():
                return None
            return v

        platform = get("platform") or self.platform_override
        if not platform:
            raise FieldError("platform", "platform is missing")
        platform = str(platform).strip().lower()
        post: dict[str, Any] = {}
        for name in _READ_POST - {"platform"}:
            post[name] = get(name)
        for name in LIST_FIELDS:
            if name in _DERIVED:
                continue
            if name not in fields:
                post[name] = None if name in _EXTRACTED else []
            else:
                v = get(name)
                try:
                    post[name] = parse_list_field(v) if v is not None else []
                except ValueError as e:
                    raise FieldError(name, str(e)) from None
        if post["kind"] is None:
            post["kind"] = ("repost" if post["repost_of"] else "reply" if post["reply_to"]
                            else "quote" if post["quote_of"] else "post")
        else:
            post["kind"] = str(post["kind"]).strip().lower()
        if post["post_id"] is None:
            # Hash the parsed time, so that one row read from CSV or Parquet gets one id.
            if post["created_at"] is None:
                raise FieldError("created_at", "created_at is missing")
            try:
                when = parse_timestamp(post["created_at"]).isoformat()
            except ValueError as e:
                raise FieldError("created_at", str(e)) from None
            post["post_id"] = content_id(platform, post["account_id"], when, post["text"])
        for name in ("text", "title"):
            if post[name] is not None and not isinstance(post[name], str):
                post[name] = str(post[name])
        row = build_post(platform=platform, **post)
        accounts = []
        acc = {k: get(k) for k in _ACCOUNT_TARGETS if k in fields}
        if any(v is not None for v in acc.values()):
            acc["created_at"] = acc.pop("account_created_at", None)
            accounts.append(build_account(platform=platform, account_id=row["account_id"], **acc))
        return Record(line, row, accounts)


@register_reader
class CsvReader(_TableReader):
    """A CSV table of canonical post fields, or mapped with ``--map``."""

    name = "csv"
    description = "CSV with canonical column names (or mapped with --map SRC=FIELD)"

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        header = sample.csv_header()
        return _canonical_score(header) if header else 0.0

    def read_columnar(self, path: str, sample: Sample, on_bytes: Callable[[int], None] | None = None) -> Iterator | None:
        """The columnar fast path (see :mod:`lockstep.ingest._columnar`): the same rows as
        :meth:`read`, a block at a time; None when the file is not a plain CSV or has no
        ``post_id`` column (a content hash per row is left to the per-row path)."""
        from lockstep.ingest import _columnar

        layout = _columnar.plain_csv(path, sample)
        if layout is None:
            return None
        fields = self._fields(layout.header, path)  # a bad mapping stops here, as in read()
        if "post_id" not in fields:
            return None
        return _columnar.Prefetched(self._columnar_batches(layout, fields, on_bytes))

    def _columnar_batches(self, layout: Any, fields: dict[str, str], on_bytes: Callable[[int], None] | None) -> Iterator[Any]:
        import numpy as np
        import polars as pl
        import pyarrow as pa
        import pyarrow.compute as pc

        from lockstep.ingest import _columnar as col
        from lockstep.ingest._driver import BatchTables

        header = layout.header
        path = layout.path
        fast = col.ColumnarCsv(path, self.name)
        # values = dict(zip(header, cells)): a repeated column name reads its last column.
        index = {name: i for i, name in enumerate(header)}
        src = {f: index[c] for f, c in fields.items()}
        override = str(self.platform_override).strip().lower() if self.platform_override else None

        def c(field: str) -> Any:
            return pl.col(f"c{src[field]}")

        def has_text(e: Any) -> Any:
            # Not whitespace only (strip() would leave something): a printable ASCII character.
            return e.str.contains("[!-~]")

        # Rows the expressions take; any other row is built by _record (the per-row code).
        conds = [col.clean_id(c("account_id")), col.clean_id(c("post_id"))]
        if "platform" in src:
            conds.append(col.clean_id(c("platform")) & (c("platform") == c("platform").str.to_lowercase()))
        elif not override:
            return  # every row is rejected for its missing platform: the per-row path says so
        if "kind" in src:
            conds.append(c("kind").is_in(list(KINDS)))
        for f in ("repost_of", "repost_of_account", "reply_to", "reply_to_account", "quote_of"):
            if f in src:
                conds.append((c(f) == "") | col.clean_id(c(f)))
        for f in ("text", "title", "lang", "client", "venue", "post_url", *sorted(_ACCOUNT_TARGETS)):
            if f in src:
                conds.append((c(f) == "") | has_text(c(f)))
        for f in ("urls", "hashtags", "mentions", "media"):
            if f in src:
                conds.append((c(f) == "") | has_text(c(f)))
        plain = pl.all_horizontal(conds).fill_null(False)
        account_fields = sorted(f for f in _ACCOUNT_TARGETS if f in src)

        def build(line: int, cells: list[str]) -> Record | Rejection:
            return build_safely(line, lambda: csv_raw(header, cells, layout.delimiter),
                                lambda: self._record(dict(zip(header, cells)), fields, line))

        def none_if_empty(a: pa.Array) -> pa.Array:
            return pc.if_else(pc.equal(a, ""), pa.scalar(None, pa.string()), a)

        for first_line, block in col.iter_blocks(layout, on_bytes):
            n = block.num_rows
            lines = np.arange(first_line, first_line + n, dtype=np.int64)
            frame = pl.from_arrow(block)
            mask = frame.select(plain).to_series()
            created = col.fast_timestamps(frame[f"c{src['created_at']}"], fast.latest_us)
            mask = (mask & created.is_not_null()).to_arrow()
            # List cells, per distinct value; a cell the parser refuses sends its row to _record.
            lists: dict[str, pa.Array] = {}
            for f, fn in (("urls", _url_cell), ("hashtags", _tag_cell), ("mentions", _tag_cell), ("media", _media_cell)):
                if f in src:
                    values, ok = fast.per_distinct(block.column(src[f]).filter(mask), fn, f)
                    lists[f] = values
                    if not pc.all(ok).as_py():
                        mask = _narrow(mask, ok)
                        lists = {k: v.filter(ok) for k, v in lists.items()}
            slow_rows, _ = fast.python_rows(block, lines, pc.invert(mask), build)
            f_ = block.filter(mask)
            line_col = pa.array(lines).filter(mask)
            cell = {field: f_.column(i) for field, i in src.items()}
            created_us = created.to_arrow().filter(mask).cast(pa.int64())
            text = none_if_empty(cell["text"]) if "text" in cell else pa.nulls(f_.num_rows, pa.string())
            norm, tags, ments = fast.text_columns(pc.fill_null(text, ""))
            norm = pc.if_else(pc.is_null(text), pa.scalar(None, pa.string()), norm)
            if "urls" in lists:
                urls, domains = lists["urls"].field(0), lists["urls"].field(1)
            else:
                # extract_urls's own cheap test, vectorised: most texts hold no URL and need no call.
                t = pc.fill_null(text, "")
                maybe = pc.or_(pc.or_(pc.match_substring(t, "http"), pc.match_substring(t, "www.")),
                               pc.match_substring(t, "HTTP"))
                url_pairs, _ = fast.per_distinct(pc.if_else(maybe, t, ""), _text_urls, "text urls")
                urls, domains = url_pairs.field(0), url_pairs.field(1)
            columns = {
                "post_id": cell["post_id"], "account_id": cell["account_id"],
                "created_at": col.timestamps(created_us), "text": text, "text_norm": norm,
                "urls": urls, "domains": domains,
                "hashtags": lists.get("hashtags", tags), "mentions": lists.get("mentions", ments),
                "source_line": line_col,
            }
            if "media" in lists:
                columns["media"] = lists["media"]
            if "platform" in cell:
                columns["platform"] = cell["platform"]
            for f in ("lang", "repost_of", "repost_of_account", "reply_to", "reply_to_account", "quote_of",
                      "client", "venue", "title", "post_url"):
                if f in cell:
                    columns[f] = none_if_empty(cell[f])
            if "kind" in cell:
                columns["kind"] = cell["kind"]
            else:
                kind = pa.array(["post"] * f_.num_rows, pa.string())
                for f, k in (("quote_of", "quote"), ("reply_to", "reply"), ("repost_of", "repost")):
                    if f in columns:
                        kind = pc.if_else(pc.is_valid(columns[f]), k, kind)
                columns["kind"] = kind
            posts = col.posts_table(columns, f_.num_rows, override or "", path)
            slow = slow_rows.tables()
            accounts = slow.accounts
            if account_fields:
                acc_rows = pa.table({
                    "key": _keys(cell, ["platform", "account_id", *account_fields]),
                    "line": line_col, "created_us": created_us,
                })
                fast_acc = fast.accounts_by_key(acc_rows, lambda key: self._account(key, account_fields, override))
                accounts = _concat_accounts(accounts, fast_acc)
            yield BatchTables(n, col.merge_posts(posts, slow.posts), accounts, slow.rejected)

    @staticmethod
    def _account(key: str, account_fields: list[str], override: str | None) -> dict[str, Any] | None:
        import json

        platform, account_id, *values = json.loads(key).values()
        acc = {f: (v if v is not None and v.strip() else None) for f, v in zip(account_fields, values, strict=True)}
        if all(v is None for v in acc.values()):
            return None
        acc["created_at"] = acc.pop("account_created_at", None)
        return build_account(platform=platform if platform is not None else override, account_id=account_id, **acc)

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        table = iter_csv(stream)
        if table is None:
            return
        header = table.header
        fields = self._fields(header, path)
        for line, cells, error in table.rows():
            if cells is None:
                yield Rejection(line, error or "unreadable row")
                continue
            if len(cells) > len(header):
                yield Rejection(line, f"row has {len(cells)} fields, the header {len(header)}", None,
                                csv_raw(header, cells, table.delimiter))
                continue
            values = dict(zip(header, cells))
            item = build_safely(line, lambda c=cells: csv_raw(header, c, table.delimiter),
                                lambda v=values, n=line: self._record(v, fields, n))
            if isinstance(item, Rejection) and len(cells) < len(header):
                # A short row's missing cells read as empty: say why the field is missing.
                item.reason += f" (row has {len(cells)} fields, the header {len(header)})"
            yield item


def _url_cell(cell: str) -> tuple[list[str], list[str]]:
    from lockstep.ingest._columnar import normalize_urls

    return normalize_urls(parse_list_field(cell) if cell.strip() else [])


def _text_urls(text: str) -> tuple[list[str], list[str]]:
    from lockstep.ingest._columnar import normalize_urls

    return normalize_urls(extract_urls(text or None))


def _tag_cell(cell: str) -> list[str]:
    items = parse_list_field(cell) if cell.strip() else []
    return list(dict.fromkeys(t for t in (normalize_tag(str(h)) for h in items) if t))


def _media_cell(cell: str) -> list[str]:
    return [str(m) for m in (parse_list_field(cell) if cell.strip() else []) if m]


def _narrow(mask: Any, ok: Any) -> Any:
    """``mask`` with its true entries narrowed by ``ok`` (one entry per true entry of ``mask``)."""
    import numpy as np
    import pyarrow as pa

    m = mask.to_numpy(zero_copy_only=False).copy()
    m[np.flatnonzero(m)] = ok.to_numpy(zero_copy_only=False)
    return pa.array(m)


def _keys(cells: dict[str, Any], fields: list[str]) -> Any:
    """One JSON object per row of the given cells, in the order of ``fields`` (an absent field
    is null): a key that tells every combination apart, and that ``_account`` reads back."""
    import polars as pl
    import pyarrow as pa

    n = len(cells["account_id"])
    columns = {f"f{i}": pl.Series(cells[f]) if f in cells else pl.Series([None] * n, dtype=pl.String)
               for i, f in enumerate(fields)}
    keys = pl.DataFrame(columns).select(pl.struct(list(columns)).struct.json_encode()).to_series()
    return keys.to_arrow().cast(pa.string())


def _concat_accounts(a: Any, b: Any) -> Any:
    import pyarrow as pa

    parts = [t for t in (a, b) if t is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else pa.concat_tables(parts)


@register_reader
class JsonlReader(_TableReader):
    """JSON Lines of objects whose keys are canonical post fields, or mapped with ``--map``."""

    name = "jsonl"
    description = "JSON Lines with canonical keys (or mapped with --map SRC=FIELD)"

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        first = sample.first_json_line()
        if first is None:
            first = sample.leading_json_pairs()
        if not isinstance(first, dict):
            return 0.0
        return _canonical_score(first)

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        checked = False
        for item in iter_json(stream):
            if item.error:
                yield item.rejection()
                continue
            obj = item.value
            if not isinstance(obj, dict):
                yield Rejection(item.line, "not a JSON object", None, dumps(obj))
                continue
            if not checked and self.mapping:
                # Keys vary per line: a mapped key must at least exist on the first record.
                self.check_mapping(obj.keys(), path)
                checked = True
            fields = self._fields(obj.keys(), path, strict=False)
            yield build_safely(item.line, lambda o=obj: dumps(o), lambda o=obj, f=fields, n=item.line: self._record(o, f, n))


@register_reader
class ParquetReader(_TableReader):
    """A Parquet table of canonical post fields, or mapped with ``--map``."""

    name = "parquet"
    description = "Parquet with canonical column names (or mapped with --map SRC=FIELD)"

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        return 0.95 if sample.head[:4] == b"PAR1" else 0.0

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        seekable = False
        try:
            seekable = bool(stream.seekable()) and stream.tell() == 0
        except (AttributeError, OSError, ValueError):
            seekable = False
        spool = None
        if not seekable:
            # pyarrow needs random access (the footer is at the end).
            spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed in finally
            shutil.copyfileobj(stream, spool, 1 << 20)
            spool.seek(0)
        try:
            try:
                pf = pq.ParquetFile(spool or stream)
                names = pf.schema_arrow.names
            except (pa.ArrowException, OSError) as e:
                raise UnreadableFileError(f"{path}: not a readable Parquet file: {e}") from None
            fields = self._fields(names, path)
            wanted = sorted(set(fields.values()))
            n = 0
            batches = pf.iter_batches(batch_size=10_000, columns=wanted)
            while True:
                try:
                    batch = next(batches)
                except StopIteration:
                    break
                except (pa.ArrowException, OSError) as e:
                    # A damaged row group: the rows before it are kept, the file is reported.
                    raise UnreadableFileError(f"{path}: Parquet data damaged after record {n}: {e}") from None
                for values in batch.to_pylist():
                    n += 1
                    yield build_safely(n, lambda v=values: dumps(v), lambda v=values, i=n: self._record(v, fields, i))
        finally:
            if spool is not None:
                spool.close()

