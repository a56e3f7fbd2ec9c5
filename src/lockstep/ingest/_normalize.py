"""Normalisers shared by every reader: timestamps, URLs, hashtags, mentions, text.

Each function takes what a source gives and returns the canonical form, or raises
:class:`ValueError` with a message fit to show a user (the reader turns it into a rejected row).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

__all__ = [
    "content_id",
    "extract_hashtags",
    "extract_mentions",
    "extract_urls",
    "normalize_tag",
    "normalize_text",
    "normalize_url",
    "parse_bool",
    "parse_int",
    "parse_list_field",
    "parse_timestamp",
    "registered_domain",
]

# --- timestamps ----------------------------------------------------------------------------

# Posts before this are impossible on any platform lockstep reads (the web's first posts were
# 1991; e-mail lists are not posts); after _LATEST they are clock errors.
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_LATEST_SLACK = timedelta(days=2)

# Zone abbreviations seen in exports (CrowdTangle writes local time with one). Ambiguous ones
# (IST, CST as China) are deliberately absent: a wrong guess would shift a whole data set.
_ZONE_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "MSK": 3, "EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "BRT": -3, "BRST": -2, "ART": -3, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "HKT": 8,
    "SGT": 8, "WIB": 7, "ICT": 7, "PKT": 5, "UZT": 5, "TRT": 3, "AST": -4, "HST": -10,
}

_TWITTER_V1 = re.compile(
    r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\w{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}) (\d{4})$"
)
_MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?|[A-Z]{2,5})?$"
)
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def _from_epoch(value: float) -> datetime:
    # Magnitude tells the unit: seconds until ~2286, then ms, then µs, then ns.
    a = abs(value)
    if a >= 1e17:
        value /= 1e9
    elif a >= 1e14:
        value /= 1e6
    elif a >= 1e11:
        value /= 1e3
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=round(value * 1e6))


def _check_range(dt: datetime, now: datetime | None) -> datetime:
    latest = (now or datetime.now(UTC)) + _LATEST_SLACK
    if dt < _EARLIEST or dt > latest:
        raise ValueError(f"timestamp {dt.isoformat()} is outside {_EARLIEST.year}..now")
    return dt


def parse_timestamp(value: object, *, now: datetime | None = None) -> datetime:
    """Parse any common timestamp form into an aware UTC datetime.

    Accepts datetimes (naive ones are taken as UTC), epoch seconds/milliseconds/microseconds as
    numbers or digit strings, ISO 8601 with ``Z``, an offset or a known zone abbreviation
    (``2021-07-05 18:02:45 BRT``), any fraction length, Twitter v1.1's
    ``Wed Oct 10 20:19:24 +0000 2018``, the information-operations ``YYYY-MM-DD HH:MM`` and a bare
    date. Naive times are UTC. Raises ValueError on anything else or on impossible dates.

    >>> parse_timestamp("Wed Oct 10 20:19:24 +0000 2018").isoformat()
    '2018-10-10T20:19:24+00:00'
    >>> parse_timestamp("2021-07-05 18:02:45 BRT").isoformat()
    '2021-07-05T21:02:45+00:00'
    >>> parse_timestamp(1539202764000).isoformat()
    '2018-10-10T20:19:24+00:00'
    """
    if isinstance(value, datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=UTC)
        return _check_range(dt.astimezone(UTC), now)
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a timestamp: {value!r}")
    if isinstance(value, int | float):
        if value != value:  # NaN
            raise ValueError("timestamp is NaN")
        try:
            return _check_range(_from_epoch(float(value)), now)
        except OverflowError as e:
            raise ValueError(f"timestamp out of range: {value!r}") from e
    if not isinstance(value, str):
        raise ValueError(f"not a timestamp: {type(value).__name__}")
    s = value.strip()
    if not s:
        raise ValueError("timestamp is empty")
    if _NUMBER.match(s):
        try:
            return _check_range(_from_epoch(float(s)), now)
        except OverflowError as e:
            raise ValueError(f"timestamp out of range: {s!r}") from e
    m = _ISO.match(s)
    if m:
        y, mo, d, hh, mi, ss, frac, zone = m.groups()
        micro = int((frac or "0")[:6].ljust(6, "0"))
        try:
            dt = datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0), micro)
        except ValueError as e:
            raise ValueError(f"impossible timestamp {s!r}: {e}") from e
        return _check_range(_to_utc(dt, _zone(zone, s), s), now)
    m = _TWITTER_V1.match(s)
    if m:
        mon, d, hh, mi, ss, off, y = m.groups()
        if mon not in _MONTHS:
            raise ValueError(f"unknown month in {s!r}")
        try:
            dt = datetime(int(y), _MONTHS[mon], int(d), int(hh), int(mi), int(ss))
        except ValueError as e:
            raise ValueError(f"impossible timestamp {s!r}: {e}") from e
        return _check_range(_to_utc(dt, _zone(off, s), s), now)
    raise ValueError(f"unrecognised timestamp {s[:80]!r}")


def _to_utc(dt: datetime, zone: timezone, s: str) -> datetime:
    """``dt`` in ``zone``, in UTC; a date at the edge of the calendar (year 1 or 9999) whose offset
    carries it past that edge is out of range, not a crash."""
    try:
        return dt.replace(tzinfo=zone).astimezone(UTC)
    except OverflowError as e:
        raise ValueError(f"timestamp out of range: {s[:80]!r}") from e


def _zone(zone: str | None, original: str) -> timezone:
    if zone is None or zone == "Z":
        return UTC
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        if hours > 14 or minutes > 59:
            raise ValueError(f"impossible UTC offset in {original!r}")
        sign = -1 if zone[0] == "-" else 1
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    if zone in _ZONE_ABBREVIATIONS:
        return timezone(timedelta(hours=_ZONE_ABBREVIATIONS[zone]))
    raise ValueError(f"unknown time zone {zone!r} in {original!r}")


# --- URLs ----------------------------------------------------------------------------------

# Parameters that identify a click, not a page: dropping them lets the same page match.
_TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
    "mc_cid", "mc_eid", "igshid", "igsh", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
    "oly_enc_id", "vero_id", "wickedid", "ref_src", "ref_url", "s_cid", "cmpid", "ncid", "sr_share",
    "spm", "at_medium", "at_campaign", "wt_mc", "rb_clickid", "ocid", "xtor",
})
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def normalize_url(url: str) -> str:
    """Canonical form of a URL, so that the same page shared twice compares equal.

    Lower-cases scheme and host, drops default ports, fragments and tracking parameters
    (``utm_*``, ``fbclid``, ``gclid``, ...); keeps ``www.`` (it can be a different site) and the
    order of the remaining parameters. Raises ValueError when it is
    not an absolute http(s)/ftp URL.

    >>> normalize_url("HTTPS://Example.COM:443/a/b?utm_source=x&id=7#top")
    'https://example.com/a/b?id=7'
    """
    s = url.strip()
    if "://" not in s and s.startswith("www."):
        s = "http://" + s
    try:
        parts = urlsplit(s)
        port = parts.port
    except ValueError as e:
        raise ValueError(f"malformed URL {url[:120]!r}: {e}") from e
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https", "ftp") or not parts.hostname:
        raise ValueError(f"not an absolute web URL: {url[:120]!r}")
    host = parts.hostname.lower().rstrip(".")
    if not host:  # "http://." has a hostname of dots only
        raise ValueError(f"not an absolute web URL: {url[:120]!r}")
    # An undecodable Unicode host stays as it is: still comparable.
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    netloc = host
    if port is not None and str(port) != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING_PARAMS
    ]
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~") or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query, safe="/:@!$'()*,;"), ""))


@lru_cache(maxsize=65536)
def registered_domain(url_or_host: str) -> str | None:
    """The registered domain (eTLD+1) of a URL or host: ``news.bbc.co.uk`` → ``bbc.co.uk``."""
    host = url_or_host
    if "://" in host:
        try:
            host = urlsplit(host).hostname or ""
        except ValueError:
            return None
    host = host.lower().rstrip(".")
    if not host:
        return None
    if re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return host  # an IP address is its own "domain"
    return _psl().privatesuffix(host) or host


@lru_cache(maxsize=1)
def _psl():  # type: ignore[no-untyped-def]
    # publicsuffixlist ships the list inside the wheel: no download at run time.
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList(only_icann=True)


_URL_IN_TEXT = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'\u201c\u201d\u2018\u2019]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"…"


def extract_urls(text: str | None) -> list[str]:
    """URLs found in free text, as written (not yet normalised), trailing punctuation trimmed."""
    if not text or ("http" not in text and "www." not in text and "HTTP" not in text):
        return []
    out = []
    for m in _URL_IN_TEXT.finditer(text):
        u = m.group(0)
        # Balanced parentheses are part of URLs (Wikipedia); unbalanced trailing ones are prose.
        while u and u[-1] in _TRAILING and not (u[-1] == ")" and u.count("(") >= u.count(")")):
            u = u[:-1]
        if u:
            out.append(u)
    return out


# --- hashtags, mentions, text ---------------------------------------------------------------

def normalize_tag(tag: str) -> str:
    """A hashtag or handle in comparable form: NFKC, case-folded, without leading ``#``/``@``."""
    return unicodedata.normalize("NFKC", tag).lstrip("#＃@＠").casefold().strip()


_HASHTAG = re.compile(r"(?<![\w&/])[#＃](\w[\w\u200c\u200d]*)")
# Handles: Twitter's word characters, Bluesky's domain handles (a.b-c.bsky.social) and Mastodon's
# user@instance; a trailing dot or hyphen is punctuation, not part of the handle.
_MENTION = re.compile(
    r"(?<![\w@/])[@＠]([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,250}[A-Za-z0-9_])?(?:@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?)"
)


def extract_hashtags(text: str | None) -> list[str]:
    """Hashtags in free text, normalised, in order of appearance, without repeats."""
    if not text or ("#" not in text and "＃" not in text):
        return []
    return _unique(normalize_tag(t) for t in _HASHTAG.findall(_strip_urls(text)) if not t.isdigit())


def extract_mentions(text: str | None) -> list[str]:
    """@-mentions in free text, normalised (``user`` or ``user@instance``), without repeats."""
    if not text or ("@" not in text and "＠" not in text):
        return []
    return _unique(normalize_tag(m) for m in _MENTION.findall(_strip_urls(text)))


def _strip_urls(text: str) -> str:
    if "http" not in text and "www." not in text and "HTTP" not in text and "WWW." not in text:
        return text
    return _URL_IN_TEXT.sub(" ", text)


def _unique(items) -> list[str]:  # type: ignore[no-untyped-def]
    seen: dict[str, None] = {}
    for i in items:
        if i:
            seen.setdefault(i, None)
    return list(seen)


_RT_PREFIX = re.compile(r"^\s*rt\s+@[\w]+:?\s*", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def normalize_text(text: str | None) -> str | None:
    """Text in the form used for exact-duplicate matching.

    Unescapes HTML entities, NFKC, case-folds, removes an ``RT @user:`` prefix, URLs,
    @-mentions, zero-width and bidi control characters, and collapses whitespace. Hashtags stay
    (as words). Returns None when nothing is left.

    >>> normalize_text("RT @bob: Vote  NOW!! https://t.co/x @alice")
    'vote now!!'
    """
    if text is None:
        return None
    # Each step is skipped when a cheap test shows it cannot change anything: this runs once per
    # post, millions of times per ingest.
    s = html.unescape(text) if "&" in text else text
    if not s.isascii():
        # Folded before the prefix, URLs and mentions are cut: folding can make one ("@ß" → "@ss"),
        # and a second normalisation must change nothing.
        s = _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", s).casefold()))
    if s[:4].lstrip()[:2] in ("RT", "rt", "Rt", "rT"):
        s = _RT_PREFIX.sub("", s)
    if "http" in s or "www." in s or "HTTP" in s or "WWW." in s:
        s = _URL_IN_TEXT.sub(" ", s)
    if "@" in s or "＠" in s:
        s = _MENTION.sub(" ", s)
    s = _SPACE.sub(" ", s.casefold()).strip()
    # A trailing ellipsis marks a truncated copy (retweets, previews): drop it so that a
    # truncation is a prefix of the full text.
    # (NFKC has already turned "…" into "...".)
    while s.endswith("..."):
        s = s[:-3].rstrip()
    return s or None


# --- small field parsers --------------------------------------------------------------------

_TRUE = {"true", "t", "1", "yes", "y"}
_FALSE = {"false", "f", "0", "no", "n", ""}


def parse_bool(value: object) -> bool | None:
    """``true``/``false``/``1``/``0``/``yes``/``no`` (any case) → bool; None stays None."""
    if value is None or isinstance(value, bool):
        return value  # type: ignore[return-value]
    if isinstance(value, int | float):
        return bool(value)
    s = str(value).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(f"not a boolean: {str(value)[:40]!r}")


def parse_int(value: object) -> int | None:
    """An integer from an int, a float with no fraction or a digit string; empty → None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"not an integer: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value:
            return None
        if not value.is_integer():
            raise ValueError(f"not an integer: {value!r}")
        return int(value)
    s = str(value).strip()
    if s in ("", "absent", "N/A", "NA", "null", "None", "-"):
        return None
    try:
        f = float(s)
    except ValueError as e:
        raise ValueError(f"not an integer: {s[:40]!r}") from e
    if not f.is_integer():
        raise ValueError(f"not an integer: {s[:40]!r}")
    return int(f)


_PY_LIST_ITEM = re.compile(r"""\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([^,\[\]'"]+?))\s*(?:,|$)""")


def parse_list_field(value: object) -> list[str]:
    """A list of strings from a list, a JSON array, a Python-repr list (``"['a', 'b']"``, as in
    Twitter's information-operations releases) or a whitespace/``|``/``;``-separated string.

    Nothing is evaluated: Python-repr lists are parsed by a small grammar, never ``eval``.
    """
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v is not None and str(v) != ""]
    s = str(value).strip()
    if not s or s in ("[]", "absent", "None", "null"):
        return []
    if s.startswith("[") and s.endswith("]"):
        try:
            parsed = json.loads(s)
            if isinstance(parsed, list):
                return [str(v) for v in parsed if v is not None and str(v) != ""]
        except ValueError:
            pass
        inner = s[1:-1]
        items = []
        pos = 0
        while pos < len(inner):
            m = _PY_LIST_ITEM.match(inner, pos)
            if not m or m.end() == pos:
                raise ValueError(f"malformed list {s[:80]!r}")
            item = m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(3)
            if item is not None and item.strip():
                items.append(re.sub(r"\\(.)", r"\1", item.strip()))
            pos = m.end()
        return items
    return [t for t in re.split(r"[\s|;,]+", s) if t]


def content_id(*parts: object) -> str:
    """A stable id for a record that has none: ``h:`` + 20 hex digits of SHA-256 of its parts."""
    h = hashlib.sha256("\x1f".join("\x00" if p is None else str(p) for p in parts).encode("utf-8", "surrogatepass"))
    return "h:" + h.hexdigest()[:20]
