"""scheduled: accounts that post at the same moments, day after day.

``synchronous`` pairs posts seconds apart. An operator who runs accounts off a schedule (every
weekday at 08:30 and 12:30, say) with a few tens of seconds of jitter, each account skipping half
the slots, rarely puts two of them within five seconds: a pair may meet once in two weeks. What
gives the schedule away is repetition *across days*: the same two accounts post within a minute
of each other at the same clock time on day after day.

Two steps, both linear in the posts:

1. **Recurrent posts.** A post counts when its account posts at the same time of day (within
   about ``window``) on at least ``min_days`` distinct days. Most posts of ordinary accounts,
   spread over their waking hours, do not recur; a scheduled account's slot posts all do. The
   time of day is cut into buckets of ``window``; a post recurs when its bucket and the two next
   to it hold posts of its account on ``min_days`` days or more (midnight wraps around).
2. **Co-bursts.** Recurrent posts are paired within ``window``, one object per UTC day, so the
   count of a pair (``n_objects``) is the number of *days* on which the two posted within
   ``window`` of each other: repeated co-bursts, not one burst of many posts. It is judged
   against the ``activity`` null over the recurrent posts (an upper bound on chance, since it
   counts post pairs where the observation counts days).
"""

from __future__ import annotations

from typing import Any, ClassVar

from lockstep.detect._base import Interval, parse_window
from lockstep.detect._synchronous import Synchronous

__all__ = ["Scheduled"]

_DAY_US = 86_400_000_000


class Scheduled(Synchronous):
    """Pair accounts that post within ``window`` of each other at the same clock time on many days.

    Parameters
    ----------
    window : str or float, default "60s"
        Largest Δt of a co-burst, and the width of the time-of-day buckets that decide whether
        a post recurs; ``"auto"`` means 60 s. A window given to
        :func:`~lockstep.detect.detect` for every signal does not apply here (name this signal
        in a dict to change it).
    min_days : int, default 3
        A post takes part when its account posts at the same time of day on at least this many
        distinct days.
    min_count : int, default 3
        Fewest days with a co-burst for an edge to be tested.
    min_posts, include_reposts, max_pairs_per_object, null, fdr, evidence
        As :class:`~lockstep.detect.Synchronous`.

    Examples
    --------
    >>> Scheduled(min_days=4)
    Scheduled(min_days=4)
    """

    signal: ClassVar[str] = "scheduled"
    description: ClassVar[str] = "posted at the same moments day after day"
    reason: ClassVar[str] = "{n} accounts posted on the same {k} days within {dt} of each other"
    auto_window_s: ClassVar[float | None] = 60.0
    #: A run-wide window (``detect(window="10s")``) is not this signal's window.
    own_window: ClassVar[bool] = True
    #: Data kept to the minute: a co-burst within a minute cannot be told from one two minutes long.
    coarse_below_s: ClassVar[float] = 120.0
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "min_days": [Interval(2, None, integer=True)],
    }

    def __init__(self, *, window: str | float = "60s", min_count: int = 3, min_days: int = 3, **kwargs: Any):
        super().__init__(window=window, min_count=min_count, **kwargs)
        self.min_days = min_days

    @property
    def count_column(self) -> str:
        """Days with a co-burst (``n_objects``: one object per day) under every null."""
        return "n_objects"

    def actions_sql(self, ctx: Any) -> str:
        if getattr(self, "_coarse", False):
            return super().actions_sql(ctx)
        w_us = max(1, round((parse_window(self.window) or self.auto_window_s or 60.0) * 1_000_000))
        n_buckets = -(-_DAY_US // w_us)  # ceil: the last bucket of the day may be shorter
        where = "" if self.include_reposts else "WHERE kind <> 'repost'"
        # Nested queries rather than WITH: the statement is wrapped in a subquery by the pairing
        # step, and every engine takes nested SELECTs there.
        posts = (
            f"SELECT pid, acc, t, CAST(floor(t / {_DAY_US}) AS BIGINT) AS day, "
            f"CAST(floor((t - floor(t / {_DAY_US}) * {_DAY_US}) / {w_us}) AS BIGINT) AS tb, "
            f"count(*) OVER (PARTITION BY acc) AS n_acc_posts FROM {ctx.posts} {where}"
        )
        days = f"SELECT DISTINCT acc, tb, day FROM ({posts}) AS p0 WHERE n_acc_posts >= {int(self.min_posts)}"
        # Each (account, bucket, day) also counts for the two neighbouring buckets: a post recurs
        # when posts of its account within about one window of its time of day fall on min_days days.
        near = (
            f"SELECT acc, tb, day FROM ({days}) AS d0 "
            f"UNION ALL SELECT acc, (tb + 1) % {n_buckets} AS tb, day FROM ({days}) AS d1 "
            f"UNION ALL SELECT acc, (tb + {n_buckets - 1}) % {n_buckets} AS tb, day FROM ({days}) AS d2"
        )
        rec = f"SELECT acc, tb FROM ({near}) AS n GROUP BY acc, tb HAVING count(DISTINCT day) >= {int(self.min_days)}"
        return (
            "SELECT p.pid, p.acc, p.t, CAST(p.day AS VARCHAR) AS object, CAST(NULL AS BIGINT) AS t_origin "
            f"FROM ({posts}) AS p JOIN ({rec}) AS r ON r.acc = p.acc AND r.tb = p.tb "
            f"WHERE p.n_acc_posts >= {int(self.min_posts)}"
        )

    def object_label_sql(self, obj_col: str) -> str:
        return "'(time)'"
