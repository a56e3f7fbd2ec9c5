"""rare-share: accounts that keep sharing the same *rare* links, texts, media or hashtag sets, even hours apart.

The windowed signals (co-link, identical-text, ...) ask whether two accounts act on the same
object within seconds or minutes. A stealthy campaign spreads each push over hours, so its
members rarely meet inside a short window; what gives it away is *what* they share: links and
texts that almost nobody else ever posts, shared by the same accounts again and again. This
signal pairs accounts on rare objects within a long window (a day by default) and judges each
pair against the ``rarity`` null (:mod:`lockstep.detect._null`): how many rare objects would two
accounts with their numbers of shares have in common if each picked its objects at random,
popular ones more often? Evidence is counted in independent *sources* (the first poster of each
shared object), so accounts that all copy one outlet's headlines, or one celebrity's posts,
count once, not once per headline.
"""

from __future__ import annotations

from typing import Any, ClassVar

from lockstep.detect._base import WINDOW, Detector, Interval, Options

__all__ = ["RareShare"]

_KINDS = ("url", "text", "media", "hashtags")


class _Kinds:
    def accepts(self, v: Any) -> bool:
        return isinstance(v, tuple | list) and len(v) > 0 and all(k in _KINDS for k in v)

    def __str__(self) -> str:
        return f"a non-empty list of {', '.join(map(repr, _KINDS))}"


class RareShare(Detector):
    """Pair accounts that share the same rare links, texts or media within a long window.

    Objects are normalised URLs, normalised texts (at least ``min_chars`` characters), media
    hashes and sets of two or more hashtags *on one UTC day* of original posts (reposts of a known post are co-repost's business; a repost whose
    original is not named, as in the IRA data, counts by its content), each kind its own key space.
    Only objects shared by at most ``max_accounts`` accounts take part: an object thousands
    share (breaking news, a viral video) says nothing about any two of them, and leaving it
    out keeps the pairing linear in the data.

    Parameters
    ----------
    window : str or float, default "24h"
        Largest Δt between the two shares; ``"auto"`` means 24 h. A window given to
        :func:`~lockstep.detect.detect` for every signal does not apply here (name this signal
        in a dict to change it).
    objects : list of str, default ("url", "text", "media", "hashtags")
        Which kinds of object count. A hashtag set is reused push after push, so its object is
        the set on one UTC day: each day is one occasion, and a set used by more than
        ``max_accounts`` accounts over the whole data (a trending pair of tags) is not rare.
    max_accounts : int, default 100
        Objects shared by more accounts are not rare.
    min_chars : int, default 20
        Shorter normalised texts are ignored.
    min_count : int, default 3
        Fewest shared rare objects for a pair to be tested.
    null : {"rarity", "activity", None}, default "rarity"
    fdr, screen_p, max_pairs_per_object, evidence
        As :class:`~lockstep.detect.CoRepost`.

    Examples
    --------
    >>> RareShare(objects=["url"])
    RareShare(objects=['url'])
    """

    signal: ClassVar[str] = "rare-share"
    description: ClassVar[str] = "shared the same rare links, texts or hashtag sets"
    fields: ClassVar[tuple[str, ...]] = ("urls", "text_norm", "media")
    default_null: ClassVar[str] = "rarity"
    auto_window_s: ClassVar[float | None] = 86_400.0
    #: A run-wide window (``detect(window="60s")``) is not this signal's window.
    own_window: ClassVar[bool] = True
    reason: ClassVar[str] = "{n} accounts shared the same {k} rare links, texts or hashtag sets within {dt}"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "window": [WINDOW],
        "null": [Options("rarity", "activity", None)],
        "objects": [_Kinds()],
        "max_accounts": [Interval(2, None, integer=True)],
        "min_chars": [Interval(1, None, integer=True)],
    }

    def __init__(
        self,
        *,
        window: str | float = "24h",
        objects: tuple[str, ...] | list[str] = _KINDS,
        max_accounts: int = 100,
        min_chars: int = 20,
        **kwargs: Any,
    ):
        super().__init__(window=window, **kwargs)
        self.objects = objects
        self.max_accounts = max_accounts
        self.min_chars = min_chars

    def prepare(self, ctx: Any) -> None:
        e = ctx.engine
        p = "ls_rare_share"
        parts = []
        # Reposts of a known post are co-repost's business; a repost whose original the data
        # does not name (IRA's retweets carry only the text) is known by its content alone.
        own = "(kind <> 'repost' OR repost_of IS NULL)"

        def each_value(column: str, tag: str) -> str:
            # unnest in a subquery: Spark allows a generator only as a whole select item.
            return (f"SELECT pid, acc, t, '{tag} ' || v AS object, CAST(NULL AS VARCHAR) AS rk FROM ("
                    f"SELECT pid, acc, t, unnest({column}) AS v FROM {ctx.posts} "
                    f"WHERE array_length({column}) > 0 AND {own}) AS x")

        if "url" in self.objects and ctx.has_values("urls"):
            parts.append(each_value("urls", "u"))
        if "text" in self.objects and ctx.has_values("text_norm"):
            parts.append(
                f"SELECT pid, acc, t, 't ' || text_norm AS object, CAST(NULL AS VARCHAR) AS rk FROM {ctx.posts} "
                f"WHERE text_norm IS NOT NULL AND length(text_norm) >= {int(self.min_chars)} AND {own}"
            )
        if "media" in self.objects and ctx.has_values("media"):
            parts.append(each_value("media", "m"))
        if "hashtags" in self.objects and ctx.has_values("hashtags"):
            # A set of hashtags is reused push after push, so the object is the set on one UTC
            # day: each day's use is one occasion. Whether the set is rare is judged on the set
            # over the whole data (``rk``): a set more than max_accounts accounts use (a trending
            # pair of tags) is not rare, however its use spreads over days. Two or more
            # hashtags, as co-hashtag: one is a topic.
            tags = "array_to_string(list_sort(list_distinct(hashtags)), ' ')"
            parts.append(
                f"SELECT pid, acc, t, 'h ' || {tags} || "
                "' (UTC day ' || CAST(CAST(floor(t / 86400000000) AS BIGINT) AS VARCHAR) || ')' AS object, "
                f"'h ' || {tags} AS rk FROM {ctx.posts} "
                f"WHERE array_length(list_distinct(hashtags)) >= 2 AND {own}"
            )
        if not parts:
            parts.append(f"SELECT pid, acc, t, CAST(NULL AS VARCHAR) AS object, CAST(NULL AS VARCHAR) AS rk "
                         f"FROM {ctx.posts} WHERE false")
        e.create_table(f"{p}_all", " UNION ALL ".join(parts))
        # Popularity over every share, before the rarity cut; the key is the object itself, or
        # for a hashtag set the set on every day.
        e.create_table(
            f"{p}_pop",
            f"SELECT coalesce(rk, object) AS rk, count(DISTINCT acc) AS n_acc FROM {p}_all "
            "WHERE object IS NOT NULL GROUP BY coalesce(rk, object)",
        )

    def actions_sql(self, ctx: Any) -> str:
        p = "ls_rare_share"
        return (
            f"SELECT a.pid, a.acc, a.t, a.object, CAST(NULL AS BIGINT) AS t_origin FROM {p}_all AS a "
            f"JOIN {p}_pop AS c ON c.rk = coalesce(a.rk, a.object) WHERE c.n_acc <= {int(self.max_accounts)}"
        )

    def object_label_sql(self, obj_col: str) -> str:
        # Drop the kind prefix ("u ", "t ", "m ", "h "): the evidence shows the link, text or
        # hashtag set itself (a set with its day).
        return f"substr({obj_col}, 3)"
