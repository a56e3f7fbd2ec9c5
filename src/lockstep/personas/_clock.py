"""The operator's clock: from UTC timestamps to the time zone and working week of the people posting.

Method (docs/personas.md explains it for users):

1. Count a group's posts in the 168 hours of the UTC week (Monday 00:00 = bin 0).
2. Place every working pattern of a grid (office days and two-shift days with a start hour, a
   length, a weekend level and a floor; personal days; a flat week), written in local time, at
   every candidate offset (whole hours −12 … +14 and the half-hour zones), and score it with the
   multinomial log-likelihood of the histogram, divided by the dispersion of the best fit.
3. Prior × tempered likelihood gives a posterior over (offset, pattern). The start hour of a
   working day and the offset trade off one for one, so the prior over start hours decides
   between them, and the readings that remain are reported as alternatives.
4. Average the offset posterior over bootstrap replicates (accounts resampled with replacement,
   or weeks for a single account or a small group). The estimate is the offset most likely to be
   within ±1 h of the truth, and that probability is its confidence.
5. Read the working pattern off the histogram re-aligned to local time: share of activity in
   weekday office hours, weekend/weekday ratio, night share, separate activity blocks (shifts) and
   holiday gaps against built-in Russian and US calendars.

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

#: Candidate UTC offsets in hours: every whole hour from −12 to +14 and the half-hour zones in use
#: (Newfoundland −3:30, Iran +3:30, Afghanistan +4:30, India and Sri Lanka +5:30, Myanmar +6:30,
#: central Australia +9:30 and +10:30 in summer, Marquesas −9:30).
OFFSETS = np.array(sorted([*range(-12, 15), -9.5, -3.5, 3.5, 4.5, 5.5, 6.5, 9.5, 10.5]), dtype=float)
HOURS_PER_WEEK = 168
# A half-hour offset is also what a whole-hour zone looks like over a year of summer and winter
# time (its histogram is the even mixture of the two); half-hour zones get half the prior weight
# of a whole-hour one, so the data have to ask for them.
_HALF_HOUR_PRIOR = 0.1

# Awake-hours shape of a personal day, local hour 0..23: trough at 04–05, evening peak. Shaped after
# the diurnal curves reported for Twitter users (e.g. Golder & Macy 2011); only its shape matters.
_PERSONAL_DAY = np.array(
    [0.45, 0.30, 0.20, 0.12, 0.08, 0.08, 0.15, 0.35, 0.60, 0.75, 0.85, 0.90,
     0.95, 0.95, 0.95, 0.95, 0.95, 1.00, 1.00, 1.00, 1.00, 0.95, 0.85, 0.65]
)

# -- the prior over working patterns ---------------------------------------------------------------
# A working day that starts at 08:00 in UTC+3 and one that starts at 09:00 in UTC+4 give the same
# UTC histogram: start hour and offset trade off one for one, and no amount of data separates them.
# What does is what is plausible, so the model states it as a prior over local start hours and
# reports the offsets it cannot tell apart. The numbers are round shares from common labour
# practice, not fitted to any data: office days start at 08–10 (86 %, 09:00 most often), rarely at
# 06–07 or 11–12; days of 13 h or more are run in two shifts, whose early shift starts at 06–08
# (06–14/14–22 and 07–15/15–23 are the usual rotas).
_OFFICE_START = {6: 0.02, 7: 0.06, 8: 0.25, 9: 0.36, 10: 0.25, 11: 0.04, 12: 0.02}
_LONG_START = {5: 0.10, 6: 0.25, 7: 0.30, 8: 0.20, 9: 0.10, 10: 0.05}
_LENGTHS = (7, 8, 9, 10, 11, 12, 14, 16)
_LONG_DAY = 13  # hours; from here on the start prior is the two-shift one
_WEEKENDS = (0.05, 0.3, 1.0)  # activity per weekend day relative to a weekday
_FLOORS = (0.01, 0.05, 0.2)  # share of activity spread evenly over the week (automation, stragglers)
_CHRONO = {-2: 0.1, -1: 0.2, 0: 0.4, 1: 0.2, 2: 0.1}  # personal day shifted by this many hours
_FAMILY_PRIOR = {"work": 0.6, "personal": 0.2, "mixed": 0.15, "flat": 0.05}


@dataclass(frozen=True)
class Pattern:
    """One working pattern of the model, in local time."""

    family: str  # "work", "personal", "mixed" (half work, half personal) or "flat"
    start: int | None = None  # first working hour (work, mixed)
    end: int | None = None  # hour the working day ends (exclusive), 0..23
    weekend: float = 1.0  # activity per weekend day relative to a weekday
    floor: float = 0.0  # share spread evenly over the week
    chrono: int | None = None  # personal: waking hours shifted by this many hours

    def describe(self) -> str:
        """A short phrase: ``workday 09:00–18:00, weekends at 5%``."""
        if self.family == "flat":
            return "flat, around the clock"
        if self.family == "personal":
            c = self.chrono or 0
            return "personal day" + (f" (waking hours shifted {c:+d} h)" if c else "")
        day = f"{self.start:02d}:00–{self.end:02d}:00"
        if self.family == "mixed":
            return f"half workday {day}, half personal day"
        return f"workday {day}, weekends at {self.weekend:.0%}"


def _work_day(start: int, length: int) -> np.ndarray:
    d = np.zeros(24)
    d[(start + np.arange(length)) % 24] = 1.0
    return d


def _weekly(day: np.ndarray, weekend: float, floor: float) -> np.ndarray:
    w = np.tile(day, 7).astype(float)
    w[5 * 24:] *= weekend
    w /= w.sum()
    return (1 - floor) * w + floor / HOURS_PER_WEEK


def model_patterns() -> tuple[list[Pattern], np.ndarray, np.ndarray]:
    """The model's patterns, their local hour-of-week templates (rows sum to 1) and prior weights."""
    pats: list[Pattern] = []
    rows: list[np.ndarray] = []
    prior: list[float] = []

    def add(p: Pattern, row: np.ndarray, w: float) -> None:
        pats.append(p)
        rows.append(row)
        prior.append(w)

    work = [(s, length, ps) for length in _LENGTHS
            for s, ps in (_LONG_START if length >= _LONG_DAY else _OFFICE_START).items()]
    norm = sum(w for *_, w in work) * len(_WEEKENDS) * len(_FLOORS)
    for s, length, w in work:
        day = _work_day(s, length)
        for we in _WEEKENDS:
            for fl in _FLOORS:
                add(Pattern("work", s, (s + length) % 24, we, fl), _weekly(day, we, fl),
                    _FAMILY_PRIOR["work"] * w / norm)
    for c, pc in _CHRONO.items():
        for fl in _FLOORS:
            add(Pattern("personal", weekend=1.0, floor=fl, chrono=c),
                _weekly(np.roll(_PERSONAL_DAY, c), 1.0, fl), _FAMILY_PRIOR["personal"] * pc / len(_FLOORS))
    personal = _weekly(_PERSONAL_DAY, 1.0, 0.0)
    mixed = [(s, length) for s in range(7, 12) for length in (8, 9, 10)]
    zm = sum(_OFFICE_START[s] for s, _ in mixed)
    for s, length in mixed:
        row = 0.5 * _weekly(_work_day(s, length), 0.3, 0.0) + 0.5 * personal
        add(Pattern("mixed", s, (s + length) % 24, 0.3, 0.05), 0.95 * row + 0.05 / HOURS_PER_WEEK,
            _FAMILY_PRIOR["mixed"] * _OFFICE_START[s] / zm)
    add(Pattern("flat"), np.full(HOURS_PER_WEEK, 1.0 / HOURS_PER_WEEK), _FAMILY_PRIOR["flat"])
    p = np.array(prior)
    return pats, np.array(rows), p / p.sum()


class _Grid:
    """Every (offset, pattern) pair as a column of UTC log-probabilities, built once on first use.

    Column ``k * n_patterns + p`` is pattern ``p`` at offset ``OFFSETS[k]``: a group at offset ``o``
    posts in UTC bin ``u`` when its local bin is ``u + o``; at a half-hour offset a UTC hour holds
    the second half of one local hour and the first half of the next.
    """

    _instance: _Grid | None = None

    def __init__(self) -> None:
        self.patterns, local, prior = model_patterns()
        self.n_patterns = len(self.patterns)
        w_off = np.where(OFFSETS % 1 == 0, 1.0, _HALF_HOUR_PRIOR)
        # −12/+12, −11/+13 and −10/+14 are the same clock hour a day apart: each pair shares one
        # hour's weight, so that every hour of the day starts equal (otherwise a flat histogram
        # would be put at −11).
        w_off[np.isin(OFFSETS, (-12, -11, -10, 12, 13, 14))] *= 0.5
        log_w_off = np.log(w_off / w_off.sum())
        self.log_prior = (log_w_off[:, None] + np.log(prior)[None, :]).ravel()
        self.col_offset = np.repeat(np.arange(len(OFFSETS)), self.n_patterns)
        self.col_pattern = np.tile(np.arange(self.n_patterns), len(OFFSETS))
        # The full scan is a circular cross-correlation of the histogram with each local
        # log-template (whole-hour offsets) and with the half-hour-shifted one, done by FFT.
        half = 0.5 * (local + np.roll(local, -1, axis=1))
        self._log_local = np.log(np.concatenate([local, half]))  # (2 * n_patterns, 168)
        self._fft = np.fft.rfft(self._log_local, axis=1)
        self._scan_row = np.where(OFFSETS % 1 == 0, 0, self.n_patterns).astype(int)
        self._scan_shift = (np.floor(OFFSETS).astype(int)) % HOURS_PER_WEEK

    def scan(self, hist: np.ndarray) -> np.ndarray:
        """Log-likelihood of every column for one histogram (``hist @ self.logp(all columns)``)."""
        c = np.fft.irfft(np.conj(np.fft.rfft(hist))[None, :] * self._fft, n=HOURS_PER_WEEK, axis=1)
        rows = self._scan_row[:, None] + np.arange(self.n_patterns)[None, :]
        return c[rows, self._scan_shift[:, None]].ravel()

    def logp(self, cols: np.ndarray) -> np.ndarray:
        """UTC log-probabilities of some columns: shape (168, len(cols))."""
        k = self.col_offset[cols]
        row = self._scan_row[k] + self.col_pattern[cols]
        idx = (np.arange(HOURS_PER_WEEK)[:, None] + self._scan_shift[k][None, :]) % HOURS_PER_WEEK
        return self._log_local[row[None, :], idx]

    @classmethod
    def get(cls) -> _Grid:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance


def circular_hours(a: np.ndarray | int, b: np.ndarray | int) -> np.ndarray:
    """Distance in hours between offsets on the 24-hour clock (+12 and −12 are the same hour)."""
    d = np.abs(np.asarray(a) - np.asarray(b)) % 24
    return np.minimum(d, 24 - d)


_WITHIN = (circular_hours(OFFSETS[:, None], OFFSETS[None, :]) <= 1).astype(float)  # ±1 h windows


@dataclass
class ClockFit:
    """The inferred clock of one group.

    ``posterior`` is the probability of each offset in ``OFFSETS`` (averaged over bootstrap
    replicates when there are any); ``confidence`` is its mass within ±1 h of ``utc_offset``.
    ``alternatives`` lists every offset with ≥ 5 % probability, most probable first, with the
    most probable working pattern at that offset: where start hour and offset trade off, they
    are the readings the data cannot tell apart.
    """

    utc_offset: float | None
    confidence: float
    offset_low: float | None
    offset_high: float | None
    posterior: np.ndarray
    pattern: Pattern | None
    alternatives: list[tuple[float, float, Pattern]]
    dispersion: float
    n_posts: float

    def alternatives_text(self) -> str:
        """``UTC+3 48 % (workday 09:00–18:00, …); UTC+4 27 % (…)``."""
        return "; ".join(f"{format_offset(o)} {p:.0%} ({pat.describe()})" for o, p, pat in self.alternatives)


def _softmax_rows(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def fit_clock(
    units: np.ndarray,
    *,
    n_bootstrap: int,
    rng: np.random.Generator,
    temper: bool = True,
    bag: bool = True,
    max_columns: int = 1000,
) -> ClockFit:
    """Infer one group's offset and working pattern from its resampling units.

    Parameters
    ----------
    units : ndarray, shape (n_units, 168)
        UTC hour-of-week counts of the group's resampling units: its accounts, or its
        account-weeks for a single account or a small group.
    n_bootstrap : int
        Replicates of the units resampled with replacement; 0 uses the posterior of the data
        as they are.
    rng : numpy.random.Generator
    temper : bool
        Divide the log-likelihood by the dispersion (deviance per degree of freedom of the best
        fit, at least 1): posts are not independent draws and the patterns are idealised, so the
        raw likelihood would be far too sure of itself.
    bag : bool
        Average the posterior over the bootstrap replicates (between-unit variability).
    max_columns : int
        The (offset, pattern) pairs kept after the first scan of the full grid.

    Returns
    -------
    ClockFit
    """
    units = np.asarray(units, dtype=float)
    hist = units.sum(axis=0) if len(units) else np.zeros(HOURS_PER_WEEK)
    n = float(hist.sum())
    if n <= 0:
        return ClockFit(None, 0.0, None, None, np.zeros(len(OFFSETS)), None, [], float("nan"), 0.0)
    g = _Grid.get()
    ll = g.scan(hist)
    best = int(np.argmax(ll + g.log_prior))
    dispersion = 1.0
    if temper:
        e = n * np.exp(g.logp(np.array([best]))[:, 0])
        nz = hist > 0
        deviance = 2.0 * float(np.sum(hist[nz] * np.log(hist[nz] / e[nz])) - (n - e.sum()))
        # Degrees of freedom: the bins the pattern expects activity in (most of the deviance
        # of a burst-driven histogram sits there), less the pattern's parameters.
        df = max(8.0, float(np.sum(e >= 1.0)) - 8.0)
        dispersion = max(1.0, deviance / df)
    lp = ll / dispersion + g.log_prior
    keep = np.flatnonzero(lp >= lp.max() - 40.0)
    if len(keep) > max_columns:
        keep = keep[np.argsort(lp[keep])[::-1][:max_columns]]
    logp = g.logp(keep)
    prior = g.log_prior[keep]
    off_idx = g.col_offset[keep]
    post_cols = _softmax_rows(hist @ logp / dispersion + prior)
    marginal = np.bincount(off_idx, weights=post_cols, minlength=len(OFFSETS))
    if bag and n_bootstrap > 0 and len(units) >= 2:
        w = rng.multinomial(len(units), np.full(len(units), 1.0 / len(units)), size=n_bootstrap)
        post_b = _softmax_rows((w @ units) @ logp / dispersion + prior)
        onehot = np.zeros((len(keep), len(OFFSETS)))
        onehot[np.arange(len(keep)), off_idx] = 1.0
        marginal = (post_b @ onehot).mean(axis=0)
    window = _WITHIN @ marginal
    # The estimate maximises the probability of being within ±1 h; ties go to the more probable
    # offset, then to the offset nearest UTC.
    order = np.lexsort((np.abs(OFFSETS), -marginal, -np.round(window, 12)))
    k = int(order[0])
    off = float(OFFSETS[k])
    centred = off + ((OFFSETS - off + 12) % 24) - 12
    srt = np.argsort(centred, kind="stable")
    cdf = np.cumsum(marginal[srt])
    lo = float(centred[srt][min(np.searchsorted(cdf, 0.05), len(srt) - 1)])
    hi = float(centred[srt][min(np.searchsorted(cdf, 0.95), len(srt) - 1)])

    def best_pattern(kk: int) -> Pattern:
        at = off_idx == kk
        if not at.any():
            cols = np.flatnonzero(g.col_offset == kk)
            return g.patterns[int(g.col_pattern[cols[np.argmax(lp[cols])]])]
        c = keep[at][np.argmax(post_cols[at])]
        return g.patterns[int(g.col_pattern[c])]

    alts = [(float(OFFSETS[j]), float(marginal[j]), best_pattern(j))
            for j in np.argsort(-marginal, kind="stable") if marginal[j] >= 0.05]
    return ClockFit(off, float(window[k]), lo, hi, marginal, best_pattern(k), alts, dispersion, n)


def best_offset(hist: np.ndarray) -> float | None:
    """The estimated offset of one UTC hour-of-week histogram, without resampling."""
    return fit_clock(np.asarray(hist, dtype=float)[None, :], n_bootstrap=0,
                     rng=np.random.default_rng(0)).utc_offset


def to_local(hist: np.ndarray, offset: float) -> np.ndarray:
    """Re-align a UTC hour-of-week histogram to local time (local bin = UTC bin + offset).

    A half-hour offset is rounded up: UTC 03:00–04:00 at +5:30 is counted in local 09:00.
    """
    return np.roll(hist, int(np.floor(offset + 0.5)))


def working_pattern(hist_utc: np.ndarray, offset: float | None) -> dict[str, object]:
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


def offset_mismatch(inferred: float | None, claimed: tuple[int, int] | None) -> float:
    """Hours between an inferred offset and a claimed range on the 24-hour clock (0 inside it)."""
    if inferred is None or claimed is None:
        return float("nan")
    lo, hi = claimed
    if lo <= inferred <= hi:
        return 0.0
    return float(min(circular_hours(inferred, lo), circular_hours(inferred, hi)))


def format_offset(offset: float | int | None) -> str:
    """``UTC+3``, ``UTC−5``, ``UTC±0``, ``UTC+5:30``."""
    if offset is None or offset != offset:
        return "unknown"
    minutes = round(float(offset) * 60)
    if minutes == 0:
        return "UTC±0"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes > 0 else '−'}{h}" + (f":{m:02d}" if m else "")


def modal_claim(claims: Sequence[tuple[int, int] | None]) -> tuple[tuple[int, int] | None, float]:
    """The most common claimed range among accounts and the share of accounts that claim it."""
    known = [c for c in claims if c is not None]
    if not known:
        return None, 0.0
    values, counts = np.unique(np.array(known), axis=0, return_counts=True)
    i = int(np.argmax(counts))
    return (int(values[i][0]), int(values[i][1])), float(counts[i] / len(claims))
