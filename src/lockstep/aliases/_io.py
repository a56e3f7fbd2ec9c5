"""Where the names and their texts come from: a workspace's accounts, or bylined documents."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lockstep.errors import LockstepError, UnreadableFileError

#: Post kinds whose text the account wrote itself (a repost carries someone else's words).
STYLE_KINDS = ("post", "reply", "quote", "article")

_AUTHOR_COLUMNS = ("author", "byline", "account", "account_id", "name")
_TEXT_COLUMNS = ("text", "content", "body")


@dataclass
class NamedTexts:
    """Names, each with its documents, and what was skipped on the way (never silently).

    Attributes
    ----------
    names : list of str
    texts : list of list of str
    labels : dict
        Display label for a name where it differs (e.g. the handle of ``platform:account_id``).
    skipped : dict
        Reason → number of rows or files not used.
    """

    names: list[str] = field(default_factory=list)
    texts: list[list[str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def _skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n


def texts_from_workspace(ws) -> NamedTexts:
    """Each account's own texts (posts, replies, quotes, articles; not reposts), oldest first.

    Names are ``platform:account_id``; the label is the latest handle when known.
    """
    out = NamedTexts()
    con = ws.con
    kinds = ", ".join(f"'{k}'" for k in STYLE_KINDS)
    n_reposts, n_empty = con.execute(
        f"SELECT count(*) FILTER (WHERE kind NOT IN ({kinds})), "
        f"count(*) FILTER (WHERE kind IN ({kinds}) AND (text IS NULL OR trim(text) = '')) FROM posts"
    ).fetchone()
    if n_reposts:
        out._skip("reposts (not the account's own words)", n_reposts)
    if n_empty:
        out._skip("posts without text", n_empty)
    rows = con.execute(
        f"""
        SELECT p.platform || ':' || p.account_id AS name, any_value(a.handle) AS handle,
               list(p.text ORDER BY p.created_at, p.post_id) AS texts
        FROM posts p LEFT JOIN accounts a USING (platform, account_id)
        WHERE p.kind IN ({kinds}) AND p.text IS NOT NULL AND trim(p.text) <> ''
        GROUP BY p.platform, p.account_id
        ORDER BY name
        """
    ).fetchall()
    for name, handle, texts in rows:
        out.names.append(name)
        out.texts.append(list(texts))
        if handle:
            out.labels[name] = handle
    return out


def texts_from_documents(path: str | os.PathLike[str]) -> NamedTexts:
    """Bylined documents: a folder of author folders of ``.txt`` files, or a CSV/TSV/JSONL table.

    A table needs an author column (``author``, ``byline``, ``account``, ``account_id`` or
    ``name``) and a text column (``text``, ``content`` or ``body``); other columns (outlet, date)
    are ignored. Rows without author or text are counted in ``skipped``.
    """
    p = Path(path)
    if not p.exists():
        raise UnreadableFileError(f"{p}: no such file or directory")
    by_name: dict[str, list[str]] = {}
    out = NamedTexts()
    if p.is_dir():
        for author, text in _walk_folders(p, out):
            by_name.setdefault(author, []).append(text)
    else:
        for author, text in _read_table(p, out):
            by_name.setdefault(author, []).append(text)
    for name in sorted(by_name):
        out.names.append(name)
        out.texts.append(by_name[name])
    return out


def _read_text_file(f: Path) -> str:
    raw = f.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Older corpora (Reuters C50) are Latin-1; it decodes any byte string.
        return raw.decode("latin-1")


def _walk_folders(root: Path, out: NamedTexts) -> Iterator[tuple[str, str]]:
    subdirs = sorted(d for d in root.iterdir() if d.is_dir())
    if not subdirs:
        raise LockstepError(f"{root}: expected one folder per author holding .txt files")
    for d in subdirs:
        for f in sorted(d.rglob("*")):
            if not f.is_file():
                continue
            if f.suffix.lower() != ".txt":
                out._skip("files that are not .txt")
                continue
            text = _read_text_file(f)
            if not text.strip():
                out._skip("empty documents")
                continue
            yield d.name, text
    loose = [f for f in root.iterdir() if f.is_file()]
    if loose:
        out._skip("files outside an author folder", len(loose))


def _pick(columns: list[str], wanted: tuple[str, ...], what: str, path: Path) -> str:
    lower = {c.lower().strip(): c for c in columns}
    for w in wanted:
        if w in lower:
            return lower[w]
    raise LockstepError(f"{path}: no {what} column (looked for {', '.join(wanted)}; found {', '.join(columns)})")


def _read_table(path: Path, out: NamedTexts) -> Iterator[tuple[str, str]]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        rows = _jsonl_rows(path, out)
        first = next(rows, None)
        if first is None:
            return
        a_col = _pick(list(first), _AUTHOR_COLUMNS, "author", path)
        t_col = _pick(list(first), _TEXT_COLUMNS, "text", path)
        for row in [first, *rows]:
            yield from _row(row.get(a_col), row.get(t_col), out)
        return
    if suffix not in (".csv", ".tsv"):
        raise LockstepError(f"{path}: documents must be a folder of author folders, or a .csv, .tsv or .jsonl file")
    csv.field_size_limit(1 << 30)
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        reader = csv.DictReader(fh, delimiter="\t" if suffix == ".tsv" else ",")
        cols = reader.fieldnames or []
        a_col = _pick(cols, _AUTHOR_COLUMNS, "author", path)
        t_col = _pick(cols, _TEXT_COLUMNS, "text", path)
        for row in reader:
            yield from _row(row.get(a_col), row.get(t_col), out)


def _jsonl_rows(path: Path, out: NamedTexts) -> Iterator[dict]:
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                out._skip("lines that are not JSON")
                continue
            if isinstance(row, dict):
                yield row
            else:
                out._skip("JSON lines that are not objects")


def _row(author, text, out: NamedTexts) -> Iterator[tuple[str, str]]:
    author = str(author).strip() if author is not None else ""
    text = str(text) if text is not None else ""
    if not author:
        out._skip("rows without author")
    elif not text.strip():
        out._skip("rows without text")
    else:
        yield author, text
