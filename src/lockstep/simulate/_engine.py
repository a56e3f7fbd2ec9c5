"""The generator: accounts, organic background, hard negatives and planted campaigns, as numbers.

Everything here works on numpy arrays of integers and floats: an event is a row of
(account, time, kind, reference, content key, style, url, tags, media). Strings are made only
when a chunk is rendered (:mod:`._render`), so 10M posts fit in memory comfortably.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar

import numpy as np

from lockstep.simulate import _vocab as V

POST, REPOST, REPLY = 0, 1, 2
KIND_NAMES = ("post", "repost", "reply")
# Text styles (see _render): what the words are drawn from.
S_ORGANIC, S_REPLY, S_HEADLINE, S_SLOGAN, S_PROMO, S_BRIGADE = range(6)
TWITTER, TELEGRAM = 0, 1
PLATFORMS = ("twitter", "telegram")

TACTICS = ("co_repost", "copypasta", "near_duplicate", "link_push", "hashtag", "reply_brigade",
           "synchronous", "cross_platform")
HARD_NEGATIVES = ("viral_burst", "fan_community", "news_bot", "breaking_news")
# When an account is in several groups, its role is the first that applies.
ROLE_PRIORITY = ("campaign", "news_bot", "fan_community", "breaking_news", "viral_burst", "organic")

# Relative activity by local hour for people: a night trough, a morning rise, an evening peak.
DIURNAL = np.array([0.60, 0.35, 0.20, 0.12, 0.10, 0.15, 0.40, 0.90, 1.30, 1.40, 1.40, 1.50,
                    1.60, 1.50, 1.40, 1.40, 1.50, 1.60, 1.80, 2.00, 2.10, 2.00, 1.70, 1.10])
DIURNAL = DIURNAL / DIURNAL.sum()
# News is published around the clock with a daytime bulge.
NEWS_CYCLE = np.array([0.5, 0.4, 0.3, 0.3, 0.4, 0.6, 0.9, 1.2, 1.4, 1.5, 1.5, 1.5, 1.5, 1.5,
                       1.4, 1.4, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6])
NEWS_CYCLE = NEWS_CYCLE / NEWS_CYCLE.sum()

N_TOPIC, N_CAMP_TAGS = len(V.TOPIC_TAGS), len(V.CAMPAIGN_TAGS)
TAG_TOPIC0, TAG_CAMP0, TAG_EVENT0 = 0, N_TOPIC, N_TOPIC + N_CAMP_TAGS
ALL_TAGS = V.TOPIC_TAGS + V.CAMPAIGN_TAGS + V.EVENT_TAGS

EVENT_COLS: dict[str, type] = {
    "acc": np.int32, "t": np.float64, "kind": np.int8, "ref": np.int64, "key": np.uint64,
    "variant": np.int32, "style": np.int8, "url": np.int32, "tag0": np.int16, "tag1": np.int16,
    "tag2": np.int16, "media": np.int64,
}
_DEFAULTS = {"ref": -1, "variant": 0, "url": -1, "tag0": -1, "tag1": -1, "tag2": -1, "media": -1,
             "kind": POST, "style": S_ORGANIC}
# Columns a repost copies from the post it reposts (a retweet carries the original's entities).
_COPIED = ("key", "variant", "style", "url", "tag0", "tag1", "tag2", "media")


def zipf_weights(n: int, s: float = 1.1, q: float = 2.0) -> np.ndarray:
    w = 1.0 / (np.arange(n) + q) ** s
    return w / w.sum()


class Events:
    """An append-only column store of events; ``add`` returns the new rows' global indices.

    Columns live in arrays that double in capacity, so appending many small bursts costs
    amortised O(rows), not a re-concatenation per burst.
    """

    def __init__(self) -> None:
        self.n = 0
        self._cap = 1024
        self._arrays = {c: np.empty(self._cap, dtype) for c, dtype in EVENT_COLS.items()}

    def add(self, **cols: object) -> np.ndarray:
        n = len(np.asarray(cols["acc"]))
        if self.n + n > self._cap:
            while self.n + n > self._cap:
                self._cap *= 2
            for c, a in self._arrays.items():
                grown = np.empty(self._cap, a.dtype)
                grown[: self.n] = a[: self.n]
                self._arrays[c] = grown
        for name, dtype in EVENT_COLS.items():
            v = cols.get(name, _DEFAULTS.get(name))
            if v is None:
                raise ValueError(f"event column {name} missing")
            self._arrays[name][self.n : self.n + n] = np.asarray(v).astype(dtype)
        idx = np.arange(self.n, self.n + n, dtype=np.int64)
        self.n += n
        return idx

    def col(self, name: str) -> np.ndarray:
        """A read-only view of a column (valid until the next ``add``)."""
        v = self._arrays[name][: self.n]
        v.flags.writeable = False
        return v

    def add_reposts(self, acc: np.ndarray, t: np.ndarray, targets: np.ndarray) -> np.ndarray:
        copied = {c: self.col(c)[targets] for c in _COPIED}
        return self.add(acc=acc, t=t, kind=REPOST, ref=targets, **copied)

    def add_replies(self, acc: np.ndarray, t: np.ndarray, targets: np.ndarray, key: np.ndarray,
                    style: int = S_REPLY) -> np.ndarray:
        return self.add(acc=acc, t=t, kind=REPLY, ref=targets, key=key, style=style)

    def all(self) -> dict[str, np.ndarray]:
        return {c: self.col(c) for c in EVENT_COLS}


class Accounts:
    """Per-account numeric attributes as named columns; ``add`` returns the new accounts' indices.

    Columns: platform, tz (utc offset, hours), chrono (hours of shift of the daily rhythm),
    weekend (weekend activity relative to weekdays), activity, p_repost, p_reply, p_link, p_tag,
    followers, kind (see ``ACCOUNT_KINDS``), zone (index into ``ZONES``, -1 none), camp (campaign
    number, -1 none).
    """

    COLUMNS = ("platform", "tz", "chrono", "weekend", "activity", "p_repost", "p_reply", "p_link",
               "p_tag", "followers", "kind", "zone", "camp")
    _DEFAULTS: ClassVar[dict[str, float]] = {"zone": -1, "camp": -1, "weekend": 1.0}

    def __init__(self) -> None:
        self._cols: dict[str, list[np.ndarray]] = {c: [] for c in self.COLUMNS}
        self.n = 0
        self._cache: dict[str, np.ndarray] = {}

    def add(self, n: int, **cols: object) -> np.ndarray:
        for name in self.COLUMNS:
            v = cols.get(name, self._DEFAULTS.get(name, 0))
            self._cols[name].append(np.broadcast_to(np.asarray(v, dtype=float), (n,)).copy())
        idx = np.arange(self.n, self.n + n)
        self.n += n
        self._cache.clear()
        return idx

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = np.concatenate(self._cols[name]) if self.n else np.empty(0)
        return self._cache[name]


ACCOUNT_KINDS = ("person", "persona", "bot", "outlet", "celebrity")
K_PERSON, K_PERSONA, K_BOT, K_OUTLET, K_CELEBRITY = range(5)


@dataclass
class Group:
    """Ground truth for one campaign or hard-negative event."""

    group_id: str
    kind: str  # "campaign" or a hard-negative kind
    members: np.ndarray
    tactics: tuple[str, ...] = ()
    operator_utc_offset: float | None = None
    objects: list[str] = field(default_factory=list)  # urls, hashtags, target post rows ("row:N")
    first_t: float = np.inf
    last_t: float = -np.inf

    def saw(self, t: np.ndarray) -> None:
        if len(t):
            self.first_t = min(self.first_t, float(t.min()))
            self.last_t = max(self.last_t, float(t.max()))


@dataclass
class Schedule:
    """An operator's working pattern in local time (hours [start, end), lunch dip, weekend crew)."""

    offset: float
    start: int
    end: int
    lunch: int
    weekend_share: float

    def hour_weights(self) -> np.ndarray:
        w = np.full(24, 0.01)
        hours = np.arange(self.start, self.end) % 24
        w[hours] = 1.0
        w[self.lunch % 24] = 0.35
        return w / w.sum()


class World:
    """The time frame and helpers to draw times in it."""

    def __init__(self, start: datetime, days: int, rng: np.random.Generator) -> None:
        self.start = start
        self.days = days
        self.span = days * 86400.0
        self.rng = rng
        self.weekday0 = start.weekday()
        local_days = np.arange(days)
        is_we = ((self.weekday0 + local_days) % 7) >= 5
        self.we_days = local_days[is_we]
        self.wd_days = local_days[~is_we]

    def _days(self, n: int, p_weekend: np.ndarray | float) -> np.ndarray:
        rng = self.rng
        if len(self.we_days) == 0:
            return self.wd_days[rng.integers(0, len(self.wd_days), n)]
        if len(self.wd_days) == 0:
            return self.we_days[rng.integers(0, len(self.we_days), n)]
        pick_we = rng.random(n) < p_weekend
        return np.where(pick_we, self.we_days[rng.integers(0, len(self.we_days), n)],
                        self.wd_days[rng.integers(0, len(self.wd_days), n)])

    def organic_times(self, tz: np.ndarray, chrono: np.ndarray, weekend: np.ndarray) -> np.ndarray:
        """Times for people: local waking hours, each with a chronotype shift and weekend taste."""
        n = len(tz)
        rng = self.rng
        nwe, nwd = len(self.we_days), len(self.wd_days)
        p_we = nwe * weekend / (nwd + nwe * weekend)
        day = self._days(n, p_we)
        hour = rng.choice(24, n, p=DIURNAL).astype(float)
        # Weekend mornings start later for many people.
        is_we = ((self.weekday0 + day) % 7) >= 5
        hour += np.where(is_we & (rng.random(n) < 0.5), 1.0, 0.0)
        local = day * 86400.0 + ((hour + chrono) % 24) * 3600.0 + rng.random(n) * 3600.0
        return (local - tz * 3600.0) % self.span

    def operator_times(self, n: int, sched: Schedule) -> np.ndarray:
        rng = self.rng
        day = self._days(n, sched.weekend_share)
        hour = rng.choice(24, n, p=sched.hour_weights())
        local = day * 86400.0 + hour * 3600.0 + rng.random(n) * 3600.0
        return (local - sched.offset * 3600.0) % self.span

    def cycle_times(self, n: int, weights: np.ndarray, offset: float) -> np.ndarray:
        day = self.rng.integers(0, self.days, n)
        hour = self.rng.choice(24, n, p=weights)
        local = day * 86400.0 + hour * 3600.0 + self.rng.random(n) * 3600.0
        return (local - offset * 3600.0) % self.span

    @staticmethod
    def awake(t: np.ndarray, tz: np.ndarray, chrono: np.ndarray) -> np.ndarray:
        """How likely a person is at the screen at ``t`` (0..1, 1 at their daily peak)."""
        hour = np.floor((t / 3600.0 + tz - chrono) % 24).astype(int)
        return DIURNAL[hour] / DIURNAL.max()

    @staticmethod
    def on_shift(t: np.ndarray, sched: Schedule) -> np.ndarray:
        hour = np.floor((t / 3600.0 + sched.offset) % 24).astype(int)
        w = sched.hour_weights()
        return w[hour] / w.max()

    def to_datetime_us(self, t: np.ndarray) -> np.ndarray:
        start_us = int(self.start.replace(tzinfo=UTC).timestamp() * 1_000_000)
        return start_us + np.round(t * 1e6).astype(np.int64)
