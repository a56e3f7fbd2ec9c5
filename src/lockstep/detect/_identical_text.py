"""identical-text: accounts posting the same normalised text within the window (CNT's co_tweet)."""

from __future__ import annotations

from typing import Any, ClassVar

from lockstep.detect._base import Detector, Interval, Options

__all__ = ["IdenticalText"]


class IdenticalText(Detector):
    """Pair accounts that post the same text (after normalisation) within ``window``.

    Texts are compared as ``text_norm`` (NFKC, case-folded, RT prefix, URLs and mentions removed),
    which means the same on every platform. Reposts are left out by default: in sources without
    repost ids (IRA) a retweet *is* identical text, and co-repost covers it.

    Parameters
    ----------
    min_chars : int, default 10
        Shorter normalised texts ("thanks!", an emoji) are ignored.
    include_reposts : bool, default False
        Compare reposts' text too.
    window, min_count, null, fdr, max_pairs_per_object, evidence
        As :class:`CoRepost`.

    Examples
    --------
    >>> IdenticalText(min_chars=1)
    IdenticalText(min_chars=1)
    """

    signal: ClassVar[str] = "identical-text"
    description: ClassVar[str] = "posted the same text"
    fields: ClassVar[tuple[str, ...]] = ("text_norm",)
    # The object often starts with the accounts themselves (their own text, link, hashtags), so
    # delays from its first appearance explain nothing: compare with each account's activity.
    default_null: ClassVar[str] = "activity"
    reason: ClassVar[str] = "{n} accounts posted the same {k} texts within {dt}"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "min_chars": [Interval(0, None, integer=True)],
        "include_reposts": [Options(True, False)],
    }

    def __init__(self, *, min_chars: int = 10, include_reposts: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.min_chars = min_chars
        self.include_reposts = include_reposts

    def actions_sql(self, ctx: Any) -> str:
        where = f"text_norm IS NOT NULL AND length(text_norm) >= {int(self.min_chars)}"
        if not self.include_reposts:
            where += " AND kind <> 'repost'"
        return f"SELECT pid, acc, t, text_norm AS object, CAST(NULL AS BIGINT) AS t_origin FROM {ctx.posts} WHERE {where}"

    def object_label_sql(self, obj_col: str) -> str:
        return obj_col
