"""The operator's clock: from UTC timestamps to the time zone and working week of the people posting.

Method (docs/personas.md explains it for users):

1. Count a group's posts in the 168 hours of the UTC week (Monday 00:00 = bin 0).
2. Compare that histogram with a *template of a human week* written in local time, shifted by every
   whole-hour offset from −12 to +14. The template is a mixture of three shapes: an office week
   (Monday–Friday 09–18), a personal day (awake 07–24 with a sleep trough around 04:00, every day)
   and a flat floor (automation, shift work around the clock). The mixing weights are profiled
   over a small grid, so each offset gets the likelihood of its best-fitting mixture.
3. The offset with the highest multinomial likelihood is the estimate. Its confidence is the share
   of bootstrap replicates (accounts resampled with replacement, or weeks for a single account or a
   small group) whose estimate falls within ±1 h of it.
4. The working pattern is read off the histogram re-aligned to the inferred local time: share of
   activity in weekday office hours, weekend/weekday ratio, night share, the number of separate
   activity blocks (shifts) and holiday gaps against built-in Russian and US calendars.

All of this is DST-naive: offsets are the standard-time offsets a group would show if it never
changed its clocks; a group on summer time for half the data lands between the two.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

OFFSETS = np.arange(-12, 15)  # whole-hour UTC offsets, −12 … +14
HOURS_PER_WEEK = 168

# Awake-hours shape of a personal day, local hour 0..23: trough at 04–05, evening peak. Shaped after
# the diurnal curves reported for Twitter users (e.g. Golder & Macy 2011); only its shape matters.
_PERSONAL_DAY = np.array(
    [0.45, 0.30, 0.20, 0.12, 0.08, 0.08, 0.15, 0.35, 0.60, 0.75, 0.85, 0.90,
     0.95, 0.95, 0.95, 0.95, 0.95, 1.00, 1.00, 1.00, 1.00, 0.95, 0.85, 0.65]
)
_OFFICE_DAY = np.zeros(24)
_OFFICE_DAY[9:18] = 1.0
_OFFICE_DAY[8] = _OFFICE_DAY[18] = 0.4

_OFFICE_WEIGHTS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
_FLOORS = (0.02, 0.1, 0.25, 0.5)


def _week(day: np.ndarray, weekend: float) -> np.ndarray:
    w = np.tile(day, 7).astype(float)
    w[5 * 24:] *= weekend
    return w / w.sum()


def local_templates() -> np.ndarray:
    """The template grid in local hour-of-week: shape (n_templates, 168), rows sum to 1."""
    office = _week(_OFFICE_DAY, 0.0)
    personal = _week(_PERSONAL_DAY, 1.0)
    flat = np.full(HOURS_PER_WEEK, 1.0 / HOURS_PER_WEEK)
    rows = []
    for a in _OFFICE_WEIGHTS:
        for floor in _FLOORS:
            rows.append((1 - floor) * (a * office + (1 - a) * personal) + floor * flat)
    return np.array(rows)


def shifted_log_templates() -> np.ndarray:
    """log P[utc_bin] for every (offset, template): shape (168, n_offsets * n_templates).

    A group at offset ``o`` posts at UTC bin ``u`` when its local bin is ``u + o``.
    """
    t = local_templates()
    cols = []
    for o in OFFSETS:
        idx = (np.arange(HOURS_PER_WEEK) + o) % HOURS_PER_WEEK
        cols.append(t[:, idx])  # (n_templates, 168) in UTC bins
    stacked = np.concatenate(cols, axis=0)  # (n_offsets * n_templates, 168)
    return np.log(stacked).T


_LOGP = shifted_log_templates()
_N_TEMPLATES = len(_OFFICE_WEIGHTS) * len(_FLOORS)


def profile_loglik(hist: np.ndarray) -> np.ndarray:
    """Profile log-likelihood of each offset for one or many UTC histograms.

    Parameters
    ----------
    hist : ndarray, shape (168,) or (n, 168)

    Returns
    -------
    ndarray, shape (n_offsets,) or (n, n_offsets)
    """
    ll = np.asarray(hist, dtype=float) @ _LOGP
    ll = ll.reshape(*ll.shape[:-1], len(OFFSETS), _N_TEMPLATES)
    return ll.max(axis=-1)


def best_offset(hist: np.ndarray) -> np.ndarray:
    """The best-fitting offset of each histogram (ties go to the offset nearest to 0)."""
    ll = profile_loglik(hist)
    # Break exact ties (e.g. an empty histogram) towards UTC rather than towards −12.
    order = np.argsort(np.abs(OFFSETS), kind="stable")
    pick = np.argmax(ll[..., order], axis=-1)
    return OFFSETS[order][pick]


def circular_hours(a: np.ndarray | int, b: np.ndarray | int) -> np.ndarray:
    """Distance in hours between offsets on the 24-hour clock (+12 and −12 are the same hour)."""
    d = np.abs(np.asarray(a) - np.asarray(b)) % 24
    return np.minimum(d, 24 - d)


@dataclass
class ClockFit:
    """The inferred clock of one group."""

    utc_offset: int | None
    confidence: float
    offset_low: int | None
    offset_high: int | None
    loglik_gap: float
    n_posts: int
    n_accounts: int
    office_share: float
    weekend_ratio: float
    night_share: float
    n_blocks: int
    active_hours: int
    pattern: str
    local_profile: list[float]


def fit_clock(
    units: np.ndarray,
    unit_group: np.ndarray,
    *,
    n_bootstrap: int,
    rng: np.random.Generator,
) -> tuple[int | None, float, int | None, int | None, float]:
    """Estimate one group's offset from its resampling units (rows of UTC hour-of-week counts).

    Units are accounts when the group has enough of them, else account-weeks (``unit_group`` is
    ignored then). Returns offset, confidence, 5 % and 95 % bootstrap offsets and the per-post
    log-likelihood gap between the best offset and the best one more than 1 h away.
    """
    hist = units.sum(axis=0)
    n = hist.sum()
    if n == 0:
        return None, 0.0, None, None, 0.0
    ll = profile_loglik(hist)
    off = int(best_offset(hist))
    far = circular_hours(OFFSETS, off) > 1
    gap = float((ll.max() - ll[far].max()) / n) if far.any() else 0.0
    if n_bootstrap <= 0 or len(units) < 2:
        return off, float("nan"), off, off, gap
    w = rng.multinomial(len(units), np.full(len(units), 1.0 / len(units)), size=n_bootstrap)
    boot = best_offset(w @ units)
    conf = float(np.mean(circular_hours(boot, off) <= 1))
    # Report the interval on the offset line centred on the estimate (wrap so that e.g. an
    # estimate of +13 with replicates at −11 reads as +13 … +13, not −11 … +13).
    centred = off + ((boot - off + 12) % 24) - 12
    lo, hi = np.percentile(centred, [5, 95])
    return off, conf, int(np.round(lo)), int(np.round(hi)), gap


def to_local(hist: np.ndarray, offset: int) -> np.ndarray:
    """Re-align a UTC hour-of-week histogram to local time (local bin = UTC bin + offset)."""
    return np.roll(hist, offset)


def working_pattern(hist_utc: np.ndarray, offset: int | None) -> dict[str, object]:
    """Office share, weekend ratio, night share, blocks of activity and a label, in local time."""
    n = float(hist_utc.sum())
    if n == 0 or offset is None:
        return {"office_share": float("nan"), "weekend_ratio": float("nan"), "night_share": float("nan"),
                "n_blocks": 0, "active_hours": 0, "pattern": "no activity", "local_profile": [0.0] * 24}
    loc = to_local(hist_utc, offset).reshape(7, 24)
    office = loc[:5, 9:18].sum() / n
    weekday_rate = loc[:5].sum() / 5
    weekend_rate = loc[5:].sum() / 2
    weekend_ratio = weekend_rate / weekday_rate if weekday_rate > 0 else float("inf")
    night = loc[:, 0:6].sum() / n
    day = loc.sum(axis=0) / n
    peak = day.max()
    active = day >= 0.4 * peak
    active_hours = int(active.sum())
    # Blocks: circular runs of hours at ≥ 40 % of the peak, after closing one-hour dips.
    closed = active.copy()
    for h in range(24):
        if not active[h] and active[h - 1] and active[(h + 1) % 24]:
            closed[h] = True
    starts = sum(1 for h in range(24) if closed[h] and not closed[h - 1])
    n_blocks = starts if starts else (1 if closed.all() else 0)
    if active_hours >= 20:
        pattern = "around the clock (shifts or automation)"
    elif office >= 0.5 and weekend_ratio < 0.6:
        pattern = "office hours, weekdays"
    elif loc[:, 9:18].sum() / n >= 0.55:
        pattern = "office hours, seven days a week" if weekend_ratio >= 0.6 else "office hours"
    else:
        pattern = "daytime and evening (personal pattern)"
    if n_blocks >= 2 and active_hours < 20:
        pattern += f"; {n_blocks} separate blocks (shifts?)"
    return {
        "office_share": float(office),
        "weekend_ratio": float(weekend_ratio),
        "night_share": float(night),
        "n_blocks": int(n_blocks),
        "active_hours": active_hours,
        "pattern": pattern,
        "local_profile": [float(x) for x in day],
    }


# -- holidays ------------------------------------------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    d = dt.date(year, month, 1)
    d += dt.timedelta(days=(weekday - d.weekday()) % 7)
    return d + dt.timedelta(weeks=n - 1)


def _last_weekday(year: int, month: int, weekday: int) -> dt.date:
    d = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return d - dt.timedelta(days=(d.weekday() - weekday) % 7)


def holidays(calendar: str, year: int) -> set[dt.date]:
    """Public holidays of a built-in calendar: ``"ru"`` (Russia) or ``"us"`` (United States)."""
    if calendar == "ru":
        days = {dt.date(year, 1, d) for d in range(1, 9)}  # New Year holidays and Orthodox Christmas
        days |= {dt.date(year, 2, 23), dt.date(year, 3, 8), dt.date(year, 5, 1), dt.date(year, 5, 9),
                 dt.date(year, 6, 12), dt.date(year, 11, 4)}
        return days
    if calendar == "us":
        return {
            dt.date(year, 1, 1), dt.date(year, 7, 4), dt.date(year, 12, 25),
            _nth_weekday(year, 11, 3, 4),  # Thanksgiving
            _last_weekday(year, 5, 0),  # Memorial Day
            _nth_weekday(year, 9, 0, 1),  # Labor Day
        }
    raise ValueError(f"unknown holiday calendar {calendar!r}")


HOLIDAY_CALENDARS = ("ru", "us")


def holiday_ratio(daily: dict[dt.date, float], calendar: str, min_holidays: int = 3) -> float:
    """Activity on a calendar's holidays relative to the same weekdays 1 and 2 weeks either side.

    1 means holidays look like ordinary days; well below 1 is a holiday gap. NaN when fewer than
    ``min_holidays`` holidays fall inside the active span.
    """
    if not daily:
        return float("nan")
    first, last = min(daily), max(daily)
    hol: set[dt.date] = set()
    for y in range(first.year, last.year + 1):
        hol |= holidays(calendar, y)
    on = ref = 0.0
    used = 0
    for d in sorted(hol):
        if not first + dt.timedelta(days=14) <= d <= last - dt.timedelta(days=14):
            continue
        refs = [d + dt.timedelta(weeks=k) for k in (-2, -1, 1, 2)]
        refs = [r for r in refs if r not in hol]
        if not refs:
            continue
        r = sum(daily.get(x, 0.0) for x in refs) / len(refs)
        if r <= 0:
            continue
        on += daily.get(d, 0.0)
        ref += r
        used += 1
    if used < min_holidays or ref == 0:
        return float("nan")
    return on / ref


# -- claimed locations ---------------------------------------------------------------------------

_ET, _CT, _MT, _PT = (-5, -5), (-6, -6), (-7, -7), (-8, -8)
_US_STATES = {
    "alabama": ("al", _CT), "alaska": ("ak", (-9, -9)), "arizona": ("az", _MT), "arkansas": ("ar", _CT),
    "california": ("ca", _PT), "colorado": ("co", _MT), "connecticut": ("ct", _ET),
    "delaware": ("de", _ET), "florida": ("fl", _ET), "georgia": ("ga", _ET), "hawaii": ("hi", (-10, -10)),
    "idaho": ("id", _MT), "illinois": ("il", _CT), "indiana": ("in", _ET), "iowa": ("ia", _CT),
    "kansas": ("ks", _CT), "kentucky": ("ky", _ET), "louisiana": ("la", _CT), "maine": ("me", _ET),
    "maryland": ("md", _ET), "massachusetts": ("ma", _ET), "michigan": ("mi", _ET),
    "minnesota": ("mn", _CT), "mississippi": ("ms", _CT), "missouri": ("mo", _CT), "montana": ("mt", _MT),
    "nebraska": ("ne", _CT), "nevada": ("nv", _PT), "new hampshire": ("nh", _ET),
    "new jersey": ("nj", _ET), "new mexico": ("nm", _MT), "new york": ("ny", _ET),
    "north carolina": ("nc", _ET), "north dakota": ("nd", _CT), "ohio": ("oh", _ET),
    "oklahoma": ("ok", _CT), "oregon": ("or", _PT), "pennsylvania": ("pa", _ET),
    "rhode island": ("ri", _ET), "south carolina": ("sc", _ET), "south dakota": ("sd", _CT),
    "tennessee": ("tn", _CT), "texas": ("tx", _CT), "utah": ("ut", _MT), "vermont": ("vt", _ET),
    "virginia": ("va", _ET), "washington": ("wa", _PT), "west virginia": ("wv", _ET),
    "wisconsin": ("wi", _CT), "wyoming": ("wy", _MT), "district of columbia": ("dc", _ET),
}
_PLACES: dict[str, tuple[int, int]] = {
    # United States as a whole and its big cities
    "usa": (-8, -5), "us": (-8, -5), "u.s.": (-8, -5), "u.s.a.": (-8, -5), "united states": (-8, -5),
    "america": (-8, -5), "new york city": _ET, "nyc": _ET, "brooklyn": _ET, "manhattan": _ET,
    "boston": _ET, "philadelphia": _ET, "atlanta": _ET, "miami": _ET, "detroit": _ET, "baltimore": _ET,
    "pittsburgh": _ET, "cleveland": _ET, "washington dc": _ET, "washington, dc": _ET, "washington d.c.": _ET,
    "chicago": _CT, "houston": _CT, "dallas": _CT, "san antonio": _CT, "austin": _CT, "new orleans": _CT,
    "nashville": _CT, "memphis": _CT, "st. louis": _CT, "st louis": _CT, "kansas city": _CT,
    "minneapolis": _CT, "milwaukee": _CT, "denver": _MT, "phoenix": _MT, "salt lake city": _MT,
    "los angeles": _PT, "la": _PT, "san francisco": _PT, "seattle": _PT, "portland": _PT,
    "san diego": _PT, "las vegas": _PT, "sacramento": _PT, "oakland": _PT,
    # Elsewhere (standard time; ranges for countries that span several zones)
    "canada": (-8, -4), "toronto": _ET, "montreal": _ET, "vancouver": _PT, "mexico": (-7, -6),
    "brazil": (-5, -3), "argentina": (-3, -3), "uk": (0, 0), "united kingdom": (0, 0), "england": (0, 0),
    "london": (0, 0), "scotland": (0, 0), "ireland": (0, 0), "dublin": (0, 0), "portugal": (0, 0),
    "france": (1, 1), "paris": (1, 1), "germany": (1, 1), "deutschland": (1, 1), "berlin": (1, 1),
    "spain": (1, 1), "madrid": (1, 1), "italy": (1, 1), "rome": (1, 1), "netherlands": (1, 1),
    "amsterdam": (1, 1), "belgium": (1, 1), "brussels": (1, 1), "poland": (1, 1), "warsaw": (1, 1),
    "sweden": (1, 1), "norway": (1, 1), "austria": (1, 1), "switzerland": (1, 1), "nigeria": (1, 1),
    "serbia": (1, 1), "ukraine": (2, 2), "kyiv": (2, 2), "kiev": (2, 2), "finland": (2, 2),
    "greece": (2, 2), "israel": (2, 2), "egypt": (2, 2), "romania": (2, 2), "south africa": (2, 2),
    "russia": (2, 12), "россия": (2, 12), "moscow": (3, 3), "москва": (3, 3),
    "saint petersburg": (3, 3), "st. petersburg": (3, 3), "санкт-петербург": (3, 3), "turkey": (3, 3),
    "istanbul": (3, 3), "belarus": (3, 3), "minsk": (3, 3), "saudi arabia": (3, 3), "iran": (3, 4),
    "tehran": (3, 4), "uae": (4, 4), "dubai": (4, 4), "pakistan": (5, 5), "india": (5, 6),
    "china": (8, 8), "beijing": (8, 8), "hong kong": (8, 8), "singapore": (8, 8), "japan": (9, 9),
    "tokyo": (9, 9), "korea": (9, 9), "seoul": (9, 9), "australia": (8, 10), "sydney": (10, 10),
    "new zealand": (12, 12), "venezuela": (-4, -4), "philippines": (8, 8), "indonesia": (7, 9),
}
for _name, (_abbr, _off) in _US_STATES.items():
    _PLACES.setdefault(_name, _off)
_STATE_ABBR = {abbr: off for abbr, off in _US_STATES.values()}
_SPLIT = re.compile(r"[,/|;·•\-–—]+")


def claimed_offset(location: str | None) -> tuple[int, int] | None:
    """The standard-time UTC offset range a self-reported location claims, or None if unknown.

    Matches the whole string, then its comma-separated parts, against a small built-in map of US
    states, big cities and countries; two-letter US state codes count only after a comma
    ("Austin, TX"), so that words like "in" or "me" are not read as states.
    """
    if not location:
        return None
    s = unicodedata.normalize("NFKC", location).casefold().strip()
    s = re.sub(r"\s+", " ", s)
    if s in _PLACES:
        return _PLACES[s]
    parts = [p.strip(" .!#@") for p in _SPLIT.split(s)]
    parts = [p for p in parts if p]
    for i, p in enumerate(parts):
        if p in _PLACES and len(p) > 2:
            return _PLACES[p]
        if i > 0 and p in _STATE_ABBR:
            return _STATE_ABBR[p]
    for p in parts:
        if p in _PLACES:
            return _PLACES[p]
    return None


def offset_mismatch(inferred: int | None, claimed: tuple[int, int] | None) -> float:
    """Hours between an inferred offset and a claimed range on the 24-hour clock (0 inside it)."""
    if inferred is None or claimed is None:
        return float("nan")
    lo, hi = claimed
    if lo <= inferred <= hi:
        return 0.0
    return float(min(circular_hours(inferred, lo), circular_hours(inferred, hi)))


def format_offset(offset: float | int | None) -> str:
    """``UTC+3``, ``UTC−5``, ``UTC±0``."""
    if offset is None or (isinstance(offset, float) and np.isnan(offset)):
        return "unknown"
    o = int(offset)
    return "UTC±0" if o == 0 else f"UTC{'+' if o > 0 else '−'}{abs(o)}"


def modal_claim(claims: Sequence[tuple[int, int] | None]) -> tuple[tuple[int, int] | None, float]:
    """The most common claimed range among accounts and the share of accounts that claim it."""
    known = [c for c in claims if c is not None]
    if not known:
        return None, 0.0
    values, counts = np.unique(np.array(known), axis=0, return_counts=True)
    i = int(np.argmax(counts))
    return (int(values[i][0]), int(values[i][1])), float(counts[i] / len(claims))
