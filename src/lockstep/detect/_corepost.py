"""co-repost: accounts reposting the same post within the window (CNT's co_retweet)."""

from __future__ import annotations

from typing import Any, ClassVar

from lockstep.detect._base import Detector

__all__ = ["CoRepost"]


class CoRepost(Detector):
    """Pair accounts that repost (retweet, forward, boost) the same post within ``window``.

    The object is ``(platform, repost_of)``: post ids only mean something on their own platform.
    Delays for the null model count from the reposted post's own time when it is in the data.

    Parameters
    ----------
    window : str or float, default "auto"
        Largest Δt between the two reposts: ``"30s"``, ``"5m"``, seconds, or ``"auto"``.
    min_count : int, default 3
        Fewest distinct reposted posts for an edge to be tested.
    null : {"delay", "activity", None}, default "delay"
        Null model (None: raw windowed counts, every edge kept).
    fdr : float, default 0.01
        Benjamini–Hochberg false-discovery rate for keeping edges.
    max_pairs_per_object : int or None, default 5_000_000
        Posts with more in-window repost pairs are set aside with a note (None: no guard).
    evidence : bool, default True
        Keep the post pairs behind every kept edge in ``evidence_``.

    Examples
    --------
    >>> CoRepost(window="30s")
    CoRepost(window='30s')
    """

    signal: ClassVar[str] = "co-repost"
    description: ClassVar[str] = "reposted the same post"
    fields: ClassVar[tuple[str, ...]] = ("repost_of",)
    reason: ClassVar[str] = "{n} accounts reposted the same {k} posts within {dt}"

    def actions_sql(self, ctx: Any) -> str:
        if not getattr(ctx, "need_origin", True):
            return (
                "SELECT pid, acc, t, platform || ':' || repost_of AS object, CAST(NULL AS BIGINT) AS t_origin "
                f"FROM {ctx.posts} WHERE repost_of IS NOT NULL"
            )
        return (
            "SELECT p.pid, p.acc, p.t, p.platform || ':' || p.repost_of AS object, o.t AS t_origin "
            f"FROM {ctx.posts} AS p LEFT JOIN {ctx.posts} AS o "
            "ON o.platform = p.platform AND o.post_id = p.repost_of "
            "WHERE p.repost_of IS NOT NULL"
        )

    def object_label_sql(self, obj_col: str) -> str:
        return obj_col
