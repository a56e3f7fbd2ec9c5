"""co-mention: accounts mentioning the same account within the window."""

from __future__ import annotations

from typing import Any, ClassVar

from lockstep.detect._base import Detector, Options

__all__ = ["CoMention"]


class CoMention(Detector):
    """Pair accounts that mention the same handle within ``window``.

    Handles are platform-scoped, so the object is ``(platform, handle)``.

    Parameters
    ----------
    include_reposts : bool, default False
        A repost mentions the reposted author (``RT @x:``); co-repost already covers it.
    window, min_count, null, fdr, max_pairs_per_object, evidence
        As :class:`CoRepost`.

    Examples
    --------
    >>> CoMention()
    CoMention()
    """

    signal: ClassVar[str] = "co-mention"
    description: ClassVar[str] = "mentioned the same account"
    fields: ClassVar[tuple[str, ...]] = ("mentions",)
    # The object often starts with the accounts themselves (their own text, link, hashtags), so
    # delays from its first appearance explain nothing: compare with each account's activity.
    default_null: ClassVar[str] = "activity"
    reason: ClassVar[str] = "{n} accounts mentioned the same {k} accounts within {dt}"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {"include_reposts": [Options(True, False)]}

    def __init__(self, *, include_reposts: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.include_reposts = include_reposts

    def actions_sql(self, ctx: Any) -> str:
        where = "array_length(mentions) > 0" + ("" if self.include_reposts else " AND kind <> 'repost'")
        return (
            # unnest in a subquery: Spark allows a generator only as a whole select item.
            "SELECT pid, acc, t, platform || ':@' || m AS object, CAST(NULL AS BIGINT) AS t_origin FROM ("
            f"SELECT pid, acc, t, platform, unnest(mentions) AS m FROM {ctx.posts} WHERE {where}) AS x"
        )
