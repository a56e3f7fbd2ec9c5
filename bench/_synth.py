"""Synthetic loads for the benchmarks: deterministic (seeded), heavy-tailed, with planted groups.

- :func:`write_cnt_csv`: a file in the Coordination Network Toolkit's 8-column CSV format
  (``message_id,user_id,username,repost_id,reply_id,message,timestamp,urls``): organic
  retweets, posts, replies and link shares with Zipf popularity, plus planted groups that
  co-retweet, co-post identical text, co-share a link and post near-identical text.
- :func:`shares_table`: a CooRTweet-style share table (object_id, account_id, content_id,
  timestamp_share) with Zipf object popularity, for the co-share benchmark.

Everything is drawn from ``numpy.random.default_rng(seed)``: same arguments, same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

# 2023-11-14 22:13:20 UTC: any fixed epoch-seconds origin does.
T0 = 1_700_000_000
# Rows per second of the organic stream (1M rows ≈ 7 days, a busy hashtag collection). The
# time span grows with the row count so that density, and so pairs per row, stay comparable
# across sizes: a smaller run is a faithful sample for extrapolation.
ROWS_PER_SECOND = 1.65


def _zipf_weights(n: int, s: float) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** s
    return w / w.sum()


def _pseudo_words(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct lower-case pseudo-words of 2-4 syllables."""
    cons = list("bcdfghjklmnprstvz")
    vows = list("aeiou")
    syll = np.array([c + v for c in cons for v in vows])
    out: dict[str, None] = {}
    while len(out) < n:
        k = rng.integers(2, 5)
        out.setdefault("".join(rng.choice(syll, size=k)), None)
    return np.array(list(out))


@dataclass
class Texts:
    """Random texts from a Zipf vocabulary (common words common, most posts unique)."""

    rng: np.random.Generator
    vocab: np.ndarray
    p: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.p = _zipf_weights(len(self.vocab), 1.05)

    def many(self, n: int, lo: int = 8, hi: int = 20) -> list[str]:
        lengths = self.rng.integers(lo, hi + 1, size=n)
        words = self.vocab[self.rng.choice(len(self.vocab), size=int(lengths.sum()), p=self.p)]
        out, i = [], 0
        for k in lengths:
            out.append(" ".join(words[i:i + k]))
            i += k
        return out

    def one_words(self, k: int) -> list[str]:
        # Distinct words, so that a near-identical variant changes exactly one token.
        idx = self.rng.choice(len(self.vocab), size=k, replace=False)
        return list(self.vocab[idx])


@dataclass
class CntTruth:
    """What was planted, for the report."""

    n_rows: int
    n_accounts: int
    span_seconds: int
    groups: list[list[str]]
    n_planted_rows: int
    kinds: dict[str, int]


def write_cnt_csv(path: str | Path, n_rows: int, *, seed: int = 0, window: int = 60) -> CntTruth:
    """Write ``n_rows`` rows of CNT CSV to ``path``; return what was planted.

    Organic stream (the bulk): 55% retweets of Zipf-popular posts (s = 1.0 over n/10 posts;
    each post's retweets follow it with an exponential delay, mean 3 h), 10% replies (0.5% of
    them a bare @mention, whose normalised text is empty), 35% original posts; 35% of posts and
    replies carry a link (Zipf, s = 1.0 over n/20 URLs; 5% of link shares add a
    ``utm_source`` parameter). Account activity is log-normal over n/20 accounts.

    Planted: n/20,000 groups (at least 2) of 5-20 accounts; each group acts 30 times, each member
    taking part with probability 0.8, all members within ``window / 2`` seconds of each other.
    Actions cycle through: retweet one post, post one identical text, share one link (own
    words), post a 20-word template with one word replaced (Jaccard of two variants ≈ 0.82).
    """
    rng = np.random.default_rng(seed)
    span = int(n_rows / ROWS_PER_SECOND)
    n_accounts = max(100, n_rows // 20)
    texts = Texts(rng, _pseudo_words(rng, 20_000))
    half = max(1, window // 2)

    user_ids = np.array([str(10_000_000 + i) for i in range(n_accounts)])
    activity = rng.lognormal(0.0, 1.2, size=n_accounts)
    activity /= activity.sum()

    # -- planted groups (drawn first so that their size is known) --------------------------
    n_groups = max(2, n_rows // 20_000)
    order = rng.permutation(n_accounts)
    groups: list[np.ndarray] = []
    pos = 0
    for _ in range(n_groups):
        size = int(rng.integers(5, 21))
        groups.append(order[pos:pos + size])
        pos += size
    rows: dict[str, list] = {k: [] for k in ("user", "repost", "reply", "message", "ts", "urls", "kind")}

    def add(user: int, ts: int, kind: str, message: str, repost: str = "", reply: str = "", urls: str = "") -> None:
        rows["user"].append(user)
        rows["ts"].append(ts)
        rows["kind"].append(kind)
        rows["message"].append(message)
        rows["repost"].append(repost)
        rows["reply"].append(reply)
        rows["urls"].append(urls)

    n_objects = max(100, n_rows // 10)
    object_p = _zipf_weights(n_objects, 1.0)
    object_author = rng.integers(0, n_accounts, size=n_objects)
    object_time = T0 - 86_400 + rng.integers(0, span + 86_400, size=n_objects)
    object_text_cache: dict[int, str] = {}

    def object_text(k: int) -> str:
        if k not in object_text_cache:
            object_text_cache[k] = texts.many(1)[0]
        return object_text_cache[k]

    for g, members in enumerate(groups):
        for a in range(30):
            t = T0 + int(rng.integers(0, span))
            act = ("retweet", "tweet", "link", "similar")[a % 4]
            who = members[rng.random(len(members)) < 0.8]
            offsets = rng.integers(0, half + 1, size=len(who))
            if act == "retweet":
                obj = f"c{g}_{a}" if a % 8 == 0 else f"p{int(rng.integers(0, 100))}"
                body = object_text(int(obj[1:])) if obj.startswith("p") else " ".join(texts.one_words(12))
                for m, dt in zip(who, offsets, strict=True):
                    add(m, t + int(dt), "retweet", f"RT @user{g}: {body}", repost=obj)
            elif act == "tweet":
                body = " ".join(texts.one_words(14)) + f" #campaign{g}"
                for m, dt in zip(who, offsets, strict=True):
                    add(m, t + int(dt), "planted_tweet", body)
            elif act == "link":
                url = f"https://campaign{g}.example.org/story/{a}"
                for m, dt, words in zip(who, offsets, texts.many(len(who)), strict=True):
                    add(m, t + int(dt), "planted_link", f"{words} {url}", urls=url)
            else:
                template = texts.one_words(20)
                for m, dt in zip(who, offsets, strict=True):
                    variant = list(template)
                    variant[int(rng.integers(0, 20))] = str(rng.choice(texts.vocab))
                    add(m, t + int(dt), "planted_similar", " ".join(variant))
    n_planted = len(rows["user"])

    # -- organic stream ----------------------------------------------------------------------
    n_org = max(0, n_rows - n_planted)
    kind = rng.choice(3, size=n_org, p=[0.55, 0.10, 0.35])  # 0 retweet, 1 reply, 2 post
    users = rng.choice(n_accounts, size=n_org, p=activity)
    n_rt = int((kind == 0).sum())
    objs = rng.choice(n_objects, size=n_rt, p=object_p)
    rt_time = object_time[objs] + rng.exponential(3 * 3600, size=n_rt).astype(np.int64)
    own_time = T0 + rng.integers(0, span, size=n_org)
    n_own = n_org - n_rt
    own_text = iter(texts.many(n_own))
    has_link = rng.random(n_org) < 0.35
    n_links = max(50, n_rows // 20)
    link_p = _zipf_weights(n_links, 1.0)
    link_ids = rng.choice(n_links, size=n_org, p=link_p)
    utm = rng.random(n_org) < 0.05
    bare_mention = rng.random(n_org) < 0.005
    reply_to = rng.integers(0, n_objects, size=n_org)
    mention_of = rng.integers(0, n_accounts, size=n_org)
    rt_i = 0
    for i in range(n_org):
        u = int(users[i])
        if kind[i] == 0:
            k = int(objs[rt_i])
            add(u, int(rt_time[rt_i]), "retweet", f"RT @user{object_author[k]}: {object_text(k)}", repost=f"p{k}")
            rt_i += 1
            continue
        body = next(own_text)
        reply = ""
        if kind[i] == 1:
            reply = f"p{int(reply_to[i])}"
            body = f"@user{mention_of[i]} " + ("" if bare_mention[i] else body)
        urls = ""
        if has_link[i] and not (kind[i] == 1 and bare_mention[i]):
            lid = int(link_ids[i])
            urls = f"https://site{lid % 500}.example.com/{lid}/news"
            if utm[i]:
                urls += "?utm_source=twitter"
            body = f"{body} {urls}"
        add(u, int(own_time[i]), "reply" if reply else "post", body.strip(), reply=reply, urls=urls)

    # -- write, in time order, with message ids in that order --------------------------------
    ts = np.array(rows["ts"], dtype=np.int64)
    order = np.argsort(ts, kind="stable")
    user_arr = np.array(rows["user"])[order]
    table = pa.table({
        "message_id": [str(100_000_000_000 + i) for i in range(len(order))],
        "user_id": user_ids[user_arr].tolist(),
        "username": [f"user{u}" for u in user_arr],
        "repost_id": np.array(rows["repost"], dtype=object)[order].tolist(),
        "reply_id": np.array(rows["reply"], dtype=object)[order].tolist(),
        "message": np.array(rows["message"], dtype=object)[order].tolist(),
        "timestamp": ts[order],
        "urls": np.array(rows["urls"], dtype=object)[order].tolist(),
    })
    pacsv.write_csv(table, str(path), write_options=pacsv.WriteOptions(quoting_style="needed"))
    kinds: dict[str, int] = {}
    for k in rows["kind"]:
        kinds[k] = kinds.get(k, 0) + 1
    return CntTruth(
        n_rows=len(order),
        n_accounts=n_accounts,
        span_seconds=span,
        groups=[[str(user_ids[m]) for m in grp] for grp in groups],
        n_planted_rows=n_planted,
        kinds=kinds,
    )


def shares_table(n_shares: int, *, seed: int = 0, zipf_s: float = 0.8) -> pa.Table:
    """A CooRTweet-style share table with Zipf object popularity.

    Shaped like CooRTweet's ``russian_coord_tweets`` scaled up: about 3.7 shares per account and
    4.8 per object (its ratios: 35,125 shares, 9,509 accounts, 7,285 objects). Objects get a
    Zipf(``zipf_s``) share of the load; each object's shares follow its creation with an
    exponential delay (mean 1 h); objects are created uniformly over 30 days. Account activity
    is log-normal. Columns: object_id, account_id, content_id (unique), timestamp_share (int
    epoch seconds).
    """
    rng = np.random.default_rng(seed)
    n_accounts = max(10, round(n_shares / 3.7))
    n_objects = max(10, round(n_shares / 4.8))
    obj = rng.choice(n_objects, size=n_shares, p=_zipf_weights(n_objects, zipf_s))
    created = T0 + rng.integers(0, 30 * 86_400, size=n_objects)
    ts = created[obj] + rng.exponential(3600, size=n_shares).astype(np.int64)
    activity = rng.lognormal(0.0, 1.2, size=n_accounts)
    acc = rng.choice(n_accounts, size=n_shares, p=activity / activity.sum())
    return pa.table({
        "object_id": pa.array([f"o{o}" for o in obj]),
        "account_id": pa.array([f"a{a}" for a in acc]),
        "content_id": pa.array([f"s{i}" for i in range(n_shares)]),
        "timestamp_share": pa.array(ts, pa.int64()),
    })
