"""Handles: generated patterns, series, mismatch with the display name, renames.

This runs per account (not per post) in Python: string shape is easier to read here than in SQL.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from difflib import SequenceMatcher
from itertools import pairwise

import pandas as pd

_NAME_DIGITS = re.compile(r"^([A-Za-z_]+?)_?(\d+)$")
_TRAILING_DIGITS = re.compile(r"(\d+)$")
_VOWELS = set("aeiouy")
_PLAUSIBLE_YEAR = re.compile(r"^(19[4-9]\d|20[0-3]\d)$")

#: Minimum trailing digits for "name + digit string" (Twitter's suggested handles add 8;
#: four-digit years and short numbers are what people choose themselves).
MIN_GENERATED_DIGITS = 5
#: Minimum accounts sharing a stem with different numbers for a "sequential series".
MIN_SERIES = 3
#: Largest difference between neighbouring numbers of one series.
SERIES_STEP = 10


def _letters(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s.casefold() if "a" <= c <= "z")


def randomness(handle: str) -> float:
    """How random a handle's characters look, 0–1: letter/digit and case switches and long
    consonant runs, which pronounceable names and words rarely have."""
    h = handle.strip("_")
    if len(h) < 6:
        return 0.0
    switches = 0
    for a, b in pairwise(h):
        if a.isdigit() != b.isdigit() or (a.isalpha() and b.isalpha() and a.isupper() != b.isupper()):
            switches += 1
    # camelCase names switch once per word; count only switches beyond that.
    words = len(re.findall(r"[A-Z][a-z]+", h))
    switches = max(0, switches - 2 * words)
    run = longest = 0
    for c in h.lower():
        run = run + 1 if c.isalpha() and c not in _VOWELS else 0
        longest = max(longest, run)
    letters = [c for c in h.lower() if c.isalpha()]
    vowel_share = sum(c in _VOWELS for c in letters) / len(letters) if letters else 0.0
    score = min(1.0, switches / (0.3 * len(h)))
    if longest >= 5:
        score = max(score, 0.8)
    if letters and vowel_share < 0.1 and len(letters) >= 8:
        score = max(score, 0.7)
    return round(score, 3)


def handle_signals(accounts: pd.DataFrame) -> pd.DataFrame:
    """Per account: handle pattern, trailing digits, randomness, series size and name mismatch.

    Parameters
    ----------
    accounts : DataFrame
        Columns platform, account_id, handle, display_name.

    Returns
    -------
    DataFrame
        platform, account_id, handle_pattern (``name+digits``, ``random``, ``series`` or
        ``plain``; null without a handle), handle_digits, handle_randomness, handle_series
        (other accounts whose handle has the same stem and a number at most 10 away), handle_name_mismatch (0–1,
        null when either is missing or the display name has no Latin letters).
    """
    handles = accounts["handle"].fillna("").astype(str)
    stems: list[str | None] = []
    numbers: list[int | None] = []
    for h in handles:
        m = _TRAILING_DIGITS.search(h)
        ok = m is not None and len(h) > len(m.group(1)) and len(m.group(1)) <= 18
        stems.append(h[: m.start()].casefold().rstrip("_") if ok else None)
        numbers.append(int(m.group(1)) if ok else None)
    by_stem: dict[tuple[str, str], list[int]] = {}
    for p, s, n in zip(accounts["platform"], stems, numbers):
        if s:
            by_stem.setdefault((p, s), []).append(n)
    for v in by_stem.values():
        v.sort()

    def series_size(platform: str, stem: str | None, number: int | None) -> int:
        # Other accounts with the same stem and a number at most SERIES_STEP away: a numbered
        # series (patriot01, patriot02, ...), not a shared word with random digits.
        if not stem:
            return 0
        nums = by_stem[(platform, stem)]
        lo = bisect_left(nums, number - SERIES_STEP)
        hi = bisect_right(nums, number + SERIES_STEP)
        return hi - lo - 1

    rows = []
    for platform, h, stem, number, name in zip(accounts["platform"], handles, stems, numbers,
                                               accounts["display_name"]):
        if not h:
            rows.append((None, None, None, None, _mismatch(None, name)))
            continue
        m = _TRAILING_DIGITS.search(h)
        digits = m.group(1) if m else ""
        series = series_size(platform, stem, number)
        rnd = randomness(h)
        named = _NAME_DIGITS.match(h)
        if series + 1 >= MIN_SERIES:
            pattern = "series"
        elif named and len(digits) >= MIN_GENERATED_DIGITS and not _PLAUSIBLE_YEAR.match(digits):
            pattern = "name+digits"
        elif rnd >= 0.7:
            pattern = "random"
        else:
            pattern = "plain"
        rows.append((pattern, len(digits), rnd, series, _mismatch(h, name)))
    out = pd.DataFrame(rows, columns=["handle_pattern", "handle_digits", "handle_randomness",
                                      "handle_series", "handle_name_mismatch"])
    out.insert(0, "account_id", accounts["account_id"].to_numpy())
    out.insert(0, "platform", accounts["platform"].to_numpy())
    return out


def _mismatch(handle: str | None, name: object) -> float | None:
    if not handle or not isinstance(name, str) or not name.strip():
        return None
    h, n = _letters(handle), _letters(name)
    if len(h) < 2 or len(n) < 2:
        return None
    tokens = [_letters(t) for t in re.split(r"\W+", name) if len(_letters(t)) >= 3]
    if any(t in h for t in tokens) or h in n:
        return 0.0
    sim = SequenceMatcher(None, h, n, autojunk=False).ratio()
    return round(1.0 - sim, 3)


RENAMES_SQL = """
SELECT platform, account_id,
       greatest(count(DISTINCT lower(handle)) - 1, 0) AS n_handle_changes,
       greatest(count(DISTINCT display_name) - 1, 0) AS n_name_changes
FROM account_observations GROUP BY ALL
"""
