"""Turn generated events into canonical rows: ids, text, lists, account columns (chunk by chunk)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lockstep.schema import TIMESTAMP
from lockstep.simulate import _vocab as V
from lockstep.simulate._engine import (
    ALL_TAGS,
    KIND_NAMES,
    PLATFORMS,
    REPLY,
    REPOST,
    S_BRIGADE,
    S_HEADLINE,
    S_ORGANIC,
    S_PROMO,
    S_REPLY,
    S_SLOGAN,
    TELEGRAM,
    TWITTER,
    zipf_weights,
)
from lockstep.simulate._hash import mix, uniform

#: The post columns the simulator writes: the canonical ones an ingest would not derive itself.
POST_COLUMNS = ("platform", "post_id", "account_id", "created_at", "kind", "text", "lang", "repost_of",
                "repost_of_account", "reply_to", "reply_to_account", "quote_of", "urls", "hashtags",
                "mentions", "media", "client", "venue", "title", "post_url")
#: Account columns carried on every post row (what a platform export gives with each post).
ACCOUNT_COLUMNS = ("handle", "display_name", "bio", "account_created_at", "location", "followers")

_LIST = pa.list_(pa.string())
POSTS_SCHEMA = pa.schema(
    [pa.field(c, TIMESTAMP if c == "created_at" else _LIST if c in ("urls", "hashtags", "mentions", "media")
              else pa.string(), nullable=c not in ("platform", "post_id", "account_id", "created_at", "kind"))
     for c in POST_COLUMNS]
    + [pa.field("handle", pa.string()), pa.field("display_name", pa.string()), pa.field("bio", pa.string()),
       pa.field("account_created_at", TIMESTAMP), pa.field("location", pa.string()),
       pa.field("followers", pa.int64())]
)


class _Style:
    """How one text style draws its words."""

    def __init__(self, vocab: tuple[str, ...], p: np.ndarray, lengths: tuple[int, int],
                 openers: tuple[str, ...] = (), opener_sep: str = " ", suffixes: tuple[str, ...] = V.SUFFIXES,
                 title: bool = False, capitalize: float = 0.6) -> None:
        self.vocab = pa.array(vocab, pa.string())
        self.cum = np.cumsum(p) / np.sum(p)
        self.lengths = lengths
        self.openers = pa.array([o + opener_sep for o in openers], pa.string()) if openers else None
        self.suffixes = pa.array(suffixes, pa.string())
        self.title = title
        self.capitalize = capitalize


def _slogan_vocab() -> tuple[tuple[str, ...], np.ndarray]:
    vocab = V.CAMPAIGN_WORDS + V.WORDS
    p = np.r_[0.6 * zipf_weights(len(V.CAMPAIGN_WORDS), 0.7, 2.0), 0.4 * zipf_weights(len(V.WORDS), 1.0, 2.7)]
    return vocab, p


_SV, _SP = _slogan_vocab()
_WP = zipf_weights(len(V.WORDS), 1.0, 2.7)
STYLES = {
    S_ORGANIC: _Style(V.WORDS, _WP, (4, 16)),
    S_REPLY: _Style(V.WORDS, _WP, (1, 9), openers=V.REPLY_OPENERS, capitalize=0.0),
    S_HEADLINE: _Style(V.WORDS, zipf_weights(len(V.WORDS), 0.6, 10.0), (5, 11), suffixes=("",), title=True),
    S_SLOGAN: _Style(_SV, _SP, (6, 15), suffixes=V.CAMPAIGN_SUFFIXES, capitalize=0.8),
    S_PROMO: _Style(_SV, _SP, (3, 8), openers=V.PROMO_OPENERS, opener_sep=": ", suffixes=V.CAMPAIGN_SUFFIXES,
                    capitalize=0.0),
    S_BRIGADE: _Style(_SV, _SP, (2, 8), openers=V.BRIGADE_OPENERS, suffixes=V.CAMPAIGN_SUFFIXES, capitalize=0.0),
}


def render_bodies(key: np.ndarray, variant: np.ndarray, style: np.ndarray) -> pa.Array:
    """The words of each post: a pure function of (key, variant, style).

    A non-zero variant rewrites about one word in six and may change the ending: the small
    edits of near-identical campaign texts.
    """
    n = len(key)
    out = np.empty(0, dtype=object)
    pieces, positions = [], []
    for s, st in STYLES.items():
        rows = np.flatnonzero(style == s)
        if len(rows) == 0:
            continue
        k, v = key[rows], variant[rows].astype(np.uint64)
        lo, hi = st.lengths
        length = lo + (mix(k, 1) % np.uint64(hi - lo + 1)).astype(np.int64)
        edited = v > 0
        cols = []
        for j in range(hi):
            w = np.searchsorted(st.cum, uniform(mix(k, 100 + j)), side="right")
            swap = edited & (uniform(mix(k, v, 200 + j)) < 0.18)
            if swap.any():
                w = np.where(swap, np.searchsorted(st.cum, uniform(mix(k, v, 300 + j)), side="right"), w)
            w = np.minimum(w, len(st.vocab) - 1)
            col = st.vocab.take(pa.array(w))
            cols.append(pc.if_else(pa.array(j < length), col, ""))
        body = pc.utf8_rtrim_whitespace(pc.binary_join_element_wise(*cols, " "))
        if st.title:
            body = pc.utf8_title(body)
        elif st.capitalize:
            cap = uniform(mix(k, 2)) < st.capitalize
            body = pc.if_else(pa.array(cap), pc.utf8_capitalize(body), body)
        if st.openers is not None:
            op = st.openers.take(pa.array((mix(k, 3) % np.uint64(len(st.openers))).astype(np.int64)))
            body = pc.binary_join_element_wise(op, body, "")
        suf = st.suffixes.take(pa.array((mix(k, v, 4) % np.uint64(len(st.suffixes))).astype(np.int64)))
        body = pc.binary_join_element_wise(body, suf, "")
        pieces.append(body)
        positions.append(rows)
    del out
    if not pieces:
        return pa.array([], pa.string())
    allrows = np.concatenate(positions)
    inverse = np.empty(n, dtype=np.int64)
    inverse[allrows] = np.arange(n)
    return pa.concat_arrays([p.cast(pa.string()) for p in pieces]).take(pa.array(inverse))


def _list_array(values: pa.Array, counts: np.ndarray) -> pa.Array:
    offsets = np.r_[0, np.cumsum(counts)].astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), values)


class Renderer:
    """Sorted, numbered events ready to render in chunks."""

    def __init__(self, raw, profiles, start_us: int) -> None:  # type: ignore[no-untyped-def]
        ev = raw.events.all()
        n = len(ev["t"])
        order = np.argsort(ev["t"], kind="stable")
        inverse = np.empty(n, dtype=np.int64)
        inverse[order] = np.arange(n)
        self.ev = {c: a[order] for c, a in ev.items()}
        ref = self.ev["ref"]
        self.ev["ref"] = np.where(ref >= 0, inverse[np.maximum(ref, 0)], -1)
        self.inverse = inverse
        self.n = n
        acc = self.ev["acc"]
        self.platform = raw.accounts["platform"].astype(np.int8)[acc]
        self.t_us = start_us + np.round(self.ev["t"] * 1e6).astype(np.int64)
        # Twitter ids are snowflakes (time + sequence); Telegram ids count each channel's messages.
        seq = np.arange(n, dtype=np.int64) & 0x3FFFFF
        self.snowflake = (((self.t_us // 1000) - 1288834974657) << 22) | seq
        by_acc = np.argsort(acc, kind="stable")
        starts = np.r_[0, np.flatnonzero(np.diff(acc[by_acc])) + 1]
        run = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
        msgno = np.empty(n, dtype=np.int64)
        msgno[by_acc] = run + 1 + (acc[by_acc].astype(np.int64) * 7919) % 4000
        self.msgno = msgno
        p = profiles
        self.account_id = pa.array(p.account_id, pa.string())
        self.handle = pa.array(p.handle, pa.string())
        self.handle_lower = pc.utf8_lower(self.handle)
        self.display_name = pa.array(p.display_name, pa.string())
        self.bio = pa.array(p.bio, pa.string())
        self.location = pa.array(p.location, pa.string())
        self.client = pa.array(p.client, pa.string())
        self.account_created = pa.array(p.created_us, TIMESTAMP)
        self.followers = pa.array(p.followers, pa.int64())
        self.urls = pa.array(raw.urls.strings, pa.string())
        self.tags_text = pa.array(["#" + t for t in ALL_TAGS], pa.string())
        self.tags_norm = pa.array([t.casefold() for t in ALL_TAGS], pa.string())

    def post_ids(self, rows: np.ndarray) -> pa.Array:
        """post_id of sorted rows (null where row is -1)."""
        valid = rows >= 0
        r = np.maximum(rows, 0)
        tw = pa.array(self.snowflake[r]).cast(pa.string())
        acc = self.ev["acc"][r]
        tg = pc.binary_join_element_wise(self.handle.take(pa.array(acc)), pa.array(self.msgno[r]).cast(pa.string()), "/")
        ids = pc.if_else(pa.array(self.platform[r] == TELEGRAM), tg, tw)
        return pc.if_else(pa.array(valid), ids, pa.scalar(None, pa.string()))

    def _full_text(self, rows: np.ndarray) -> pa.Array:
        """Text of original content at rows (words, hashtags, link), without repost/reply prefix."""
        ev = self.ev
        body = render_bodies(ev["key"][rows], ev["variant"][rows], ev["style"][rows])
        pieces = [body]
        for slot in ("tag0", "tag1", "tag2"):
            tag = ev[slot][rows]
            txt = pc.binary_join_element_wise(" ", self.tags_text.take(pa.array(np.maximum(tag, 0))), "")
            pieces.append(pc.if_else(pa.array(tag >= 0), txt, ""))
        url = ev["url"][rows]
        utxt = pc.binary_join_element_wise(" ", self.urls.take(pa.array(np.maximum(url, 0))), "")
        pieces.append(pc.if_else(pa.array(url >= 0), utxt, ""))
        return pc.binary_join_element_wise(*pieces, "")

    def chunk(self, lo: int, hi: int) -> pa.Table:
        ev = self.ev
        rows = np.arange(lo, hi)
        n = len(rows)
        acc = ev["acc"][lo:hi]
        acc_pa = pa.array(acc)
        kind = ev["kind"][lo:hi]
        ref = ev["ref"][lo:hi]
        pf = self.platform[lo:hi]
        is_tg = pa.array(pf == TELEGRAM)
        null_s = pa.scalar(None, pa.string())
        post_id = self.post_ids(rows)
        ref_acc = np.where(ref >= 0, ev["acc"][np.maximum(ref, 0)], 0)
        ref_ids = self.post_ids(ref)
        ref_account = pc.if_else(pa.array(ref >= 0), self.account_id.take(pa.array(ref_acc)), null_s)
        ref_handle = self.handle.take(pa.array(ref_acc))
        is_rt = kind == REPOST
        is_reply = kind == REPLY
        # A retweet's text is "RT @author: " + the original; a Telegram forward is the original.
        prefix = pc.if_else(pa.array(is_rt & (pf == TWITTER)), pc.binary_join_element_wise("RT @", ref_handle, ": ", ""),
                            pc.if_else(pa.array(is_reply), pc.binary_join_element_wise("@", ref_handle, " ", ""), ""))
        text = pc.binary_join_element_wise(prefix, self._full_text(rows), "")
        url = ev["url"][lo:hi]
        has_url = url >= 0
        urls = _list_array(self.urls.take(pa.array(url[has_url])), has_url.astype(np.int64))
        tags = np.stack([ev["tag0"][lo:hi], ev["tag1"][lo:hi], ev["tag2"][lo:hi]], axis=1)
        flat = tags[tags >= 0]
        hashtags = _list_array(self.tags_norm.take(pa.array(flat)), (tags >= 0).sum(axis=1))
        mentioned = (is_rt & (pf == TWITTER)) | is_reply
        mentions = _list_array(self.handle_lower.take(pa.array(ref_acc[mentioned])), mentioned.astype(np.int64))
        media = ev["media"][lo:hi]
        has_media = media >= 0
        media_vals = pc.binary_join_element_wise("img:", pa.array(media[has_media]).cast(pa.string()), "")
        handle = self.handle.take(acc_pa)
        post_url = pc.if_else(
            is_tg, pc.binary_join_element_wise("https://t.me/", post_id, ""),
            pc.binary_join_element_wise("https://twitter.com/", handle, "/status/", post_id, ""))
        cols = {
            "platform": pa.array(np.array(PLATFORMS, dtype=object)[pf], pa.string()),
            "post_id": post_id,
            "account_id": self.account_id.take(acc_pa),
            "created_at": pa.array(self.t_us[lo:hi], TIMESTAMP),
            "kind": pa.array(np.array(KIND_NAMES, dtype=object)[kind], pa.string()),
            "text": text,
            "lang": pa.array(["en"] * n, pa.string()),
            "repost_of": pc.if_else(pa.array(is_rt), ref_ids, null_s),
            "repost_of_account": pc.if_else(pa.array(is_rt), ref_account, null_s),
            "reply_to": pc.if_else(pa.array(is_reply), ref_ids, null_s),
            "reply_to_account": pc.if_else(pa.array(is_reply), ref_account, null_s),
            "quote_of": pa.nulls(n, pa.string()),
            "urls": urls,
            "hashtags": hashtags,
            "mentions": mentions,
            "media": _list_array(media_vals, has_media.astype(np.int64)),
            "client": self.client.take(acc_pa),
            "venue": pc.if_else(is_tg, handle, null_s),
            "title": pa.nulls(n, pa.string()),
            "post_url": post_url,
            "handle": handle,
            "display_name": self.display_name.take(acc_pa),
            "bio": self.bio.take(acc_pa),
            "account_created_at": self.account_created.take(acc_pa),
            "location": self.location.take(acc_pa),
            "followers": self.followers.take(acc_pa),
        }
        return pa.Table.from_arrays([cols[f.name].cast(f.type) for f in POSTS_SCHEMA], schema=POSTS_SCHEMA)
