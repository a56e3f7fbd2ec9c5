"""CrowdTangle dashboard CSV exports (Search → Download CSV), Facebook pages/groups or Instagram.

How rows become posts:

- ``account_id`` is ``Facebook Id`` (the page's numeric id; ``User Name`` when it is missing, as
  in Instagram exports); ``platform`` is ``facebook``, or ``instagram`` when the export has no
  ``Facebook Id`` column and its permalinks are on instagram.com.
- ``post_id`` is the Graph API form ``<page id>_<post number>`` when the permalink (``URL``) is
  ``facebook.com/<page id>/posts/<number>`` (what CrowdTangle's API calls ``platformId``), else
  the permalink itself, else a content hash of the row.
- ``created_at`` is ``Post Created``, local time with a zone abbreviation
  (``2021-07-05 18:02:45 BRT``). An abbreviation lockstep does not know (or an ambiguous one such as
  IST) rejects the row rather than guess a whole data set's time zone.
- ``text`` is ``Message`` (Instagram: ``Description``). URLs are ``Final Link`` (the expanded
  link) or ``Link``, plus links in the text; when the post is a photo or video and ``Link`` points
  at the platform's own media page, it is a ``media`` identifier instead.
- Counts use the exporter's locale (``407.137`` is 407,137 in a pt-BR export): account counts are
  read with ``.``/``,`` thousands separators. ``Page Created`` has no zone and is taken as UTC.

A CrowdTangle **post history** download (one post's interaction time series: ``Score Date (GMT)``,
``Timestep``, …) holds no posts. The reader recognises it and rejects each of its rows with the
reason "CrowdTangle post history (interaction time series), not posts", so the file is counted and
its rows kept in the rejected table, and a directory with such files still ingests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from lockstep.ingest._base import (
    Reader,
    Record,
    Rejection,
    Sample,
    build_account,
    build_post,
    register_reader,
)
from lockstep.ingest._normalize import content_id, extract_urls
from lockstep.ingest.formats._common import build_safely, csv_raw, iter_csv

__all__ = ["CrowdTangleReader"]

HISTORY_REASON = "CrowdTangle post history (interaction time series), not posts"
_FB_POST = re.compile(r"facebook\.com/(\d+)/posts/(\d+)")
_GROUPED_INT = re.compile(r"^\d{1,3}(?:[.,\u00a0 ]\d{3})+$")


def _count(value: str | None) -> int | None:
    """A count written with the exporter's locale: ``407.137`` / ``407,137`` → 407137."""
    if value is None:
        return None
    s = value.strip()
    if _GROUPED_INT.match(s):
        return int(re.sub(r"\D", "", s))
    try:
        return int(s)
    except ValueError:
        return None


def _is_history(header: list[str]) -> bool:
    return "Timestep" in header and any(h.startswith("Score Date") for h in header)


@register_reader
class CrowdTangleReader(Reader):
    """CrowdTangle search CSV export (Facebook or Instagram)."""

    name = "crowdtangle"
    platform = "facebook"
    description = "CrowdTangle dashboard search CSV export (Facebook/Instagram)"

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        header = sample.csv_header()
        if not header:
            return 0.0
        cols = set(header)
        if "Post Created" in cols and ("Facebook Id" in cols or "Total Interactions" in cols):
            return 0.95
        if _is_history(header):
            return 0.9
        return 0.0

    def read(self, stream: IO[bytes], path: str) -> Iterator[Record | Rejection]:
        table = iter_csv(stream)
        if table is None:
            return
        header = table.header
        if _is_history(header):
            for line, cells, error in table.rows():
                raw = csv_raw(header, cells, table.delimiter) if cells is not None else None
                yield Rejection(line, error or HISTORY_REASON, None, raw)
            return
        index = {name: i for i, name in enumerate(header)}
        platform = self.row_platform
        instagram_guess = "Facebook Id" not in index and not self.platform_override
        for line, cells, error in table.rows():
            if cells is None:
                yield Rejection(line, error or "unreadable row")
                continue
            row = {name: (cells[i] if i < len(cells) else "") for name, i in index.items()}
            yield build_safely(line, lambda c=cells: csv_raw(header, c, table.delimiter), lambda r=row, n=line: _record(r, n, platform, instagram_guess))


def _record(row: dict[str, str], line: int, platform: str, instagram_guess: bool) -> Record:
    url = (row.get("URL") or "").strip()
    if instagram_guess and "instagram.com" in url:
        platform = "instagram"
    account = (row.get("Facebook Id") or "").strip() or (row.get("User Name") or "").strip()
    m = _FB_POST.search(url)
    if m:
        post_id = f"{m.group(1)}_{m.group(2)}"
    elif url:
        post_id = url
    else:
        post_id = content_id(account, row.get("Post Created"), row.get("Message"))
    text = row.get("Message") if platform != "instagram" else (row.get("Description") or row.get("Message"))
    text = text or None
    link = (row.get("Final Link") or "").strip() or (row.get("Link") or "").strip()
    post_type = (row.get("Type") or "").lower()
    urls, media = [], []
    own_media = ("photo" in post_type or "video" in post_type or "album" in post_type) and "youtube" not in post_type
    if link and own_media and re.search(r"//([\w-]+\.)*(facebook|instagram)\.com/", link):
        media.append(link)
    elif link:
        urls.append(link)
    urls += extract_urls(text)
    post = build_post(
        platform=platform,
        post_id=post_id,
        account_id=account,
        created_at=row.get("Post Created"),
        kind="post",
        text=text,
        urls=urls,
        media=media,
        venue=row.get("Page Name") or row.get("Group Name") or row.get("Account") or None,
        post_url=url or None,
    )
    acc = build_account(
        platform=platform,
        account_id=account,
        handle=row.get("User Name") or None,
        display_name=row.get("Page Name") or row.get("Account") or None,
        bio=row.get("Page Description") or None,
        created_at=row.get("Page Created") or None,
        followers=_count(row.get("Followers at Posting")),
    )
    return Record(line, post, [acc])

