"""co-link: accounts sharing the same normalised URL (or registered domain) within the window."""

from __future__ import annotations

from typing import Any, ClassVar

from lockstep.detect._base import Detector, Options

__all__ = ["CoLink"]


class CoLink(Detector):
    """Pair accounts that post the same link within ``window``.

    URLs are compared as normalised at ingest (lower-case host, no tracking parameters); they mean
    the same on every platform, so co-link pairs accounts across platforms.

    Parameters
    ----------
    level : {"url", "domain"}, default "url"
        Compare whole URLs or registered domains.
    include_reposts : bool, default False
        Count links inside reposts too. CNT's co_link ignores them, and co-repost already
        covers reposts.
    window, min_count, null, fdr, max_pairs_per_object, evidence
        As :class:`CoRepost`.

    Examples
    --------
    >>> CoLink(level="domain")
    CoLink(level='domain')
    """

    signal: ClassVar[str] = "co-link"
    description: ClassVar[str] = "shared the same link"
    fields: ClassVar[tuple[str, ...]] = ("urls",)
    # The object often starts with the accounts themselves (their own text, link, hashtags), so
    # delays from its first appearance explain nothing: compare with each account's activity.
    default_null: ClassVar[str] = "activity"
    reason: ClassVar[str] = "{n} accounts shared the same {k} links within {dt}"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "level": [Options("url", "domain")],
        "include_reposts": [Options(True, False)],
    }

    def __init__(self, *, level: str = "url", include_reposts: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.level = level
        self.include_reposts = include_reposts

    def actions_sql(self, ctx: Any) -> str:
        col = "urls" if self.level == "url" else "domains"
        where = f"array_length({col}) > 0" + ("" if self.include_reposts else " AND kind <> 'repost'")
        return (
            f"SELECT pid, acc, t, unnest({col}) AS object, CAST(NULL AS BIGINT) AS t_origin "
            f"FROM {ctx.posts} WHERE {where}"
        )
