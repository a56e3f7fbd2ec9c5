"""co-hashtag: accounts using the same set (or sequence) of hashtags in a post within the window."""

from __future__ import annotations

from typing import Any, ClassVar

from lockstep.detect._base import Detector, Interval, Options

__all__ = ["CoHashtag"]


class CoHashtag(Detector):
    """Pair accounts whose posts carry the same hashtags within ``window``.

    Parameters
    ----------
    mode : {"set", "sequence"}, default "set"
        Compare the post's hashtags as a sorted set, or in the order written.
    min_hashtags : int, default 2
        Posts with fewer distinct hashtags are ignored: one shared hashtag is a topic, not a
        fingerprint.
    include_reposts : bool, default False
        Reposts carry the original's hashtags; co-repost already covers them.
    window, min_count, null, fdr, max_pairs_per_object, evidence
        As :class:`CoRepost`.

    Examples
    --------
    >>> CoHashtag(mode="sequence")
    CoHashtag(mode='sequence')
    """

    signal: ClassVar[str] = "co-hashtag"
    description: ClassVar[str] = "used the same hashtags"
    fields: ClassVar[tuple[str, ...]] = ("hashtags",)
    # The object often starts with the accounts themselves (their own text, link, hashtags), so
    # delays from its first appearance explain nothing: compare with each account's activity.
    default_null: ClassVar[str] = "activity"
    reason: ClassVar[str] = "{n} accounts used the same {k} hashtag combinations within {dt}"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "mode": [Options("set", "sequence")],
        "min_hashtags": [Interval(1, None, integer=True)],
        "include_reposts": [Options(True, False)],
    }

    def __init__(self, *, mode: str = "set", min_hashtags: int = 2, include_reposts: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.mode = mode
        self.min_hashtags = min_hashtags
        self.include_reposts = include_reposts

    def actions_sql(self, ctx: Any) -> str:
        obj = (
            "array_to_string(list_sort(list_distinct(hashtags)), ' ')"
            if self.mode == "set"
            else "array_to_string(hashtags, ' ')"
        )
        where = f"array_length(list_distinct(hashtags)) >= {int(self.min_hashtags)}"
        if not self.include_reposts:
            where += " AND kind <> 'repost'"
        return f"SELECT pid, acc, t, {obj} AS object, CAST(NULL AS BIGINT) AS t_origin FROM {ctx.posts} WHERE {where}"
