"""synchronous: accounts that repeatedly post within seconds of each other, whatever they post."""

from __future__ import annotations

from typing import Any, ClassVar

from lockstep.detect._base import Detector, Interval, Options, parse_window

__all__ = ["Synchronous"]


class Synchronous(Detector):
    """Pair accounts whose posts, of any kind and on any object, fall within ``window`` of each other.

    Every post is an action on one shared object (the clock), so the count tested is post pairs,
    judged against the ``activity`` null: given how many posts each account makes in each clock
    hour, how many pairs within ``window`` would chance give?

    Parameters
    ----------
    window : str or float, default "5s"
        Largest Δt; ``"auto"`` means 5 s (there is no object to estimate it from).
    min_count : int, default 5
        Fewest post pairs for an edge to be tested.
    min_posts : int, default 5
        Accounts with fewer posts are left out: "repeatedly" needs repetitions.
    max_pairs_per_object : int or None, default 50_000_000
        The whole signal is set aside, with a note, when the data holds more in-window pairs;
        where the engine runs in this process (DuckDB), when more than this many pairs belong
        to account pairs with ``min_count`` or more (only those are formed there).
    include_reposts : bool, default False
        Reposts follow the reposted post, not the clock: fans reposting a celebrity within
        seconds would look synchronous.
    null, fdr, evidence
        As :class:`CoRepost` (default null: ``"activity"``).

    Examples
    --------
    >>> Synchronous(window="2s")
    Synchronous(window='2s')
    """

    signal: ClassVar[str] = "synchronous"
    description: ClassVar[str] = "posted within seconds of each other"
    fields: ClassVar[tuple[str, ...]] = ()
    reason: ClassVar[str] = "{n} accounts posted {k} times within {dt} of each other"
    default_null: ClassVar[str] = "activity"
    auto_window_s: ClassVar[float | None] = 5.0
    keeps_heavy_objects: ClassVar[bool] = True
    #: Data kept to the minute is skipped unless the window is at least this long.
    coarse_below_s: ClassVar[float] = 60.0
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "min_posts": [Interval(1, None, integer=True)],
        "include_reposts": [Options(True, False)],
    }

    def __init__(
        self,
        *,
        window: str | float = "5s",
        min_count: int = 5,
        min_posts: int = 5,
        include_reposts: bool = False,
        max_pairs_per_object: int | None = 50_000_000,
        **kwargs: Any,
    ):
        super().__init__(window=window, min_count=min_count, max_pairs_per_object=max_pairs_per_object, **kwargs)
        self.min_posts = min_posts
        self.include_reposts = include_reposts

    def prepare(self, ctx: Any) -> None:
        # Timestamps kept to the minute (the IRA release, many CSV exports) put every post of a
        # minute at :00: a seconds window then pairs everything posted in the same minute, which
        # says nothing about synchrony. Such data is left out, with a note, unless the window
        # is at least as coarse as the clock.
        self._coarse = False
        window_s = parse_window(self.window) or self.auto_window_s or 0.0
        if window_s >= self.coarse_below_s:
            return
        at_minute = ctx.engine.scalar(
            f"SELECT avg(CASE WHEN t % 60000000 = 0 THEN 1.0 ELSE 0.0 END) FROM {ctx.posts}"
        )
        if at_minute is not None and float(at_minute) >= 0.99:
            self._coarse = True
            self.notes_.append(
                f"{self.signal}: skipped, {float(at_minute):.1%} of timestamps fall on a whole minute: the data "
                f"is kept to the minute, so posts within {window_s:g} s cannot be told apart from posts in the "
                f"same minute (a window of {self.coarse_below_s:g}s or more runs it at minute resolution)"
            )

    def actions_sql(self, ctx: Any) -> str:
        if getattr(self, "_coarse", False):
            return "SELECT pid, acc, t, '*' AS object, CAST(NULL AS BIGINT) AS t_origin FROM " + ctx.posts + " WHERE false"
        where = "" if self.include_reposts else "WHERE kind <> 'repost'"
        return (
            "SELECT pid, acc, t, '*' AS object, CAST(NULL AS BIGINT) AS t_origin FROM ("
            "SELECT pid, acc, t, kind, count(*) OVER (PARTITION BY acc) AS n_acc_posts "
            f"FROM {ctx.posts} {where}) AS x WHERE n_acc_posts >= {int(self.min_posts)}"
        )

    def object_label_sql(self, obj_col: str) -> str:
        return "'(time)'"
