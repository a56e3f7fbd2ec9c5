"""co-media: accounts posting the same media (by hash or id) within the window."""

from __future__ import annotations

from typing import Any, ClassVar

from lockstep.detect._base import Detector, Options

__all__ = ["CoMedia"]


class CoMedia(Detector):
    """Pair accounts that post the same image or video (same media hash or id) within ``window``.

    Parameters
    ----------
    include_reposts : bool, default False
        Reposts carry the original's media; co-repost already covers them.
    window, min_count, null, fdr, max_pairs_per_object, evidence
        As :class:`CoRepost`.

    Examples
    --------
    >>> CoMedia(window="10m")
    CoMedia(window='10m')
    """

    signal: ClassVar[str] = "co-media"
    description: ClassVar[str] = "posted the same media"
    fields: ClassVar[tuple[str, ...]] = ("media",)
    # The object often starts with the accounts themselves (their own text, link, hashtags), so
    # delays from its first appearance explain nothing: compare with each account's activity.
    default_null: ClassVar[str] = "activity"
    reason: ClassVar[str] = "{n} accounts posted the same {k} images or videos within {dt}"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {"include_reposts": [Options(True, False)]}

    def __init__(self, *, include_reposts: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.include_reposts = include_reposts

    def actions_sql(self, ctx: Any) -> str:
        where = "array_length(media) > 0" + ("" if self.include_reposts else " AND kind <> 'repost'")
        return (
            f"SELECT pid, acc, t, unnest(media) AS object, CAST(NULL AS BIGINT) AS t_origin "
            f"FROM {ctx.posts} WHERE {where}"
        )
