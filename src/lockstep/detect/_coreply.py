"""co-reply: accounts replying to the same post within the window (CNT's co_reply)."""

from __future__ import annotations

from typing import Any, ClassVar

from lockstep.detect._base import Detector

__all__ = ["CoReply"]


class CoReply(Detector):
    """Pair accounts that reply to the same post within ``window``.

    The object is ``(platform, reply_to)``; delays count from the replied-to post's time when it is
    in the data. Parameters as :class:`CoRepost`.

    Examples
    --------
    >>> CoReply(window="1m", min_count=2)
    CoReply(window='1m', min_count=2)
    """

    signal: ClassVar[str] = "co-reply"
    description: ClassVar[str] = "replied to the same post"
    fields: ClassVar[tuple[str, ...]] = ("reply_to",)
    reason: ClassVar[str] = "{n} accounts replied to the same {k} posts within {dt}"

    def actions_sql(self, ctx: Any) -> str:
        if not getattr(ctx, "need_origin", True):
            return (
                "SELECT pid, acc, t, platform || ':' || reply_to AS object, CAST(NULL AS BIGINT) AS t_origin "
                f"FROM {ctx.posts} WHERE reply_to IS NOT NULL"
            )
        return (
            "SELECT p.pid, p.acc, p.t, p.platform || ':' || p.reply_to AS object, o.t AS t_origin "
            f"FROM {ctx.posts} AS p LEFT JOIN {ctx.posts} AS o "
            "ON o.platform = p.platform AND o.post_id = p.reply_to "
            "WHERE p.reply_to IS NOT NULL"
        )
