"""Assemble a scenario: organic background, hard negatives, planted campaigns (numbers only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from lockstep.simulate import _vocab as V
from lockstep.simulate._engine import (
    K_BOT,
    K_CELEBRITY,
    K_OUTLET,
    K_PERSON,
    K_PERSONA,
    NEWS_CYCLE,
    S_BRIGADE,
    S_HEADLINE,
    S_ORGANIC,
    S_PROMO,
    S_SLOGAN,
    TAG_CAMP0,
    TAG_EVENT0,
    TAG_TOPIC0,
    TELEGRAM,
    TWITTER,
    Accounts,
    Events,
    Group,
    Schedule,
    World,
    zipf_weights,
)
from lockstep.simulate._urls import Urls


@dataclass
class Params:
    """Validated generation parameters (see :class:`lockstep.simulate.Simulator`)."""

    n_accounts: int
    n_posts: int
    days: int
    start: datetime
    n_campaigns: int
    campaign_size: tuple[int, int]
    tactics: tuple[str, ...]
    n_viral_bursts: int
    n_fan_communities: int
    n_news_bots: int
    n_breaking_news: int
    telegram_share: float
    stealth: float
    seed: int


@dataclass
class Raw:
    """Everything generated, before rendering to strings."""

    world: World
    accounts: Accounts
    events: Events
    groups: list[Group]
    urls: Urls
    creation: np.ndarray  # account creation time, seconds relative to the start (negative)
    persona_bios: dict[int, list[str]]


def _keys(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.integers(0, np.iinfo(np.uint64).max, n, dtype=np.uint64, endpoint=True)


def _tags(rng: np.random.Generator, n: int, mask: np.ndarray, pool0: int, pool_n: int,
          s: float = 1.05) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Up to three distinct tags from a Zipf-weighted pool for the rows in ``mask``."""
    w = zipf_weights(pool_n, s)
    t = rng.choice(pool_n, (n, 3), p=w) + pool0
    k = 1 + (rng.random(n) < 0.35) + (rng.random(n) < 0.12)
    t[:, 1] = np.where((k >= 2) & (t[:, 1] != t[:, 0]), t[:, 1], -1)
    t[:, 2] = np.where((k >= 3) & (t[:, 2] != t[:, 0]) & (t[:, 2] != t[:, 1]), t[:, 2], -1)
    t[~mask] = -1
    return t[:, 0], t[:, 1], t[:, 2]


class Generator:
    """One run of the generator; ``run()`` returns a :class:`Raw`."""

    def __init__(self, p: Params) -> None:
        self.p = p
        self.rng = np.random.default_rng(p.seed)
        self.world = World(p.start, p.days, self.rng)
        self.A = Accounts()
        self.E = Events()
        self.urls = Urls(p.seed)
        self.groups: list[Group] = []
        self.n_group = {"campaign": 0, "hard_negative": 0}
        self.persona_bios: dict[int, list[str]] = {}
        self.creation_bursts: dict[int, np.ndarray] = {}

    # --- helpers -----------------------------------------------------------------------------

    def _group(self, kind: str, members: np.ndarray, **kw: object) -> Group:
        family = "campaign" if kind == "campaign" else "hard_negative"
        self.n_group[family] += 1
        gid = f"c{self.n_group[family]:02d}" if family == "campaign" else f"h{self.n_group[family]:02d}"
        g = Group(gid, kind, np.asarray(members, dtype=np.int64), **kw)  # type: ignore[arg-type]
        self.groups.append(g)
        return g

    def _person_accounts(self, n: int, platform: np.ndarray | int) -> np.ndarray:
        rng = self.rng
        zone = rng.choice(len(V.ZONES), n, p=np.array(V.ZONE_WEIGHTS) / sum(V.ZONE_WEIGHTS))
        tz = np.array([z[0] for z in V.ZONES])[zone]
        tg = np.broadcast_to(np.asarray(platform) == TELEGRAM, (n,))
        return self.A.add(
            n, platform=platform, tz=tz, zone=zone,
            chrono=rng.choice([-3, -2, -1, 0, 1, 2], n, p=[0.04, 0.1, 0.2, 0.4, 0.18, 0.08]),
            weekend=rng.lognormal(0.0, 0.35, n),
            activity=rng.lognormal(0.0, 1.25, n),
            p_repost=np.where(tg, rng.beta(2, 5, n), rng.beta(2, 2.5, n)),
            p_reply=np.where(tg, 0.0, rng.beta(1, 6, n)),
            p_link=np.where(tg, rng.beta(3, 3, n), rng.beta(1.2, 5, n)),
            p_tag=rng.beta(1, 3, n),
            followers=np.round(rng.lognormal(5.0, 1.8, n)),
            kind=K_PERSON,
        )

    def _originals(self, acc: np.ndarray, t: np.ndarray, style: int = S_ORGANIC,
                   url_pool: str = "organic") -> np.ndarray:
        """Plain posts by ``acc`` at ``t``, with links, hashtags and media by each account's habits."""
        rng, A = self.rng, self.A
        n = len(acc)
        link = rng.random(n) < A["p_link"][acc]
        url = np.where(link, self.urls.organic(rng, n), -1)
        tag0, tag1, tag2 = _tags(rng, n, rng.random(n) < A["p_tag"][acc], TAG_TOPIC0, len(V.TOPIC_TAGS))
        media = np.where(rng.random(n) < 0.12, rng.integers(1, 2**62, n), -1)
        return self.E.add(acc=acc, t=t, key=_keys(rng, n), style=style, url=url, tag0=tag0,
                          tag1=tag1, tag2=tag2, media=media)

    def _cascade(self, reposters: np.ndarray, pool: np.ndarray, weights: np.ndarray, *,
                 reply: bool, fast_median: float, slow_median: float) -> np.ndarray:
        """Reposts (or replies) by ``reposters`` of posts in ``pool`` chosen by popularity.

        Each slot gets two tries; a try is kept when the reposter is plausibly awake at the
        time the delay lands on, is not the author, and falls inside the window.
        """
        rng, A, E, W = self.rng, self.A, self.E, self.world
        n = len(reposters)
        if n == 0 or len(pool) == 0:
            return np.empty(0, np.int64)
        acc = np.repeat(reposters, 2)
        target = pool[rng.choice(len(pool), 2 * n, p=weights / weights.sum())]
        fast = rng.random(2 * n) < 0.6
        delay = np.where(fast, rng.lognormal(np.log(fast_median), 1.4, 2 * n),
                         rng.lognormal(np.log(slow_median), 1.2, 2 * n)) + 5.0
        t = E.col("t")[target] + delay
        ok = (t < W.span) & (E.col("acc")[target] != acc)
        ok &= rng.random(2 * n) < W.awake(t, A["tz"][acc], A["chrono"][acc])
        ok = ok.reshape(n, 2)
        first = np.where(ok[:, 0], 0, np.where(ok[:, 1], 1, -1))
        keep = np.flatnonzero(first >= 0)
        rows = keep * 2 + first[keep]
        acc, target, t = acc[rows], target[rows], t[rows]
        # One account reposts a given post at most once.
        _, uniq = np.unique(acc.astype(np.int64) * (E.n + 1) + target, return_index=True)
        uniq.sort()
        acc, target, t = acc[uniq], target[uniq], t[uniq]
        if reply:
            return E.add_replies(acc, t, target, _keys(rng, len(acc)))
        return E.add_reposts(acc, t, target)

    def _popularity(self, rows: np.ndarray) -> np.ndarray:
        acc = self.E.col("acc")[rows]
        return self.A["followers"][acc] ** 0.6 * self.rng.lognormal(0.0, 1.3, len(rows)) + 1.0

    # --- the scenario ------------------------------------------------------------------------

    def run(self) -> Raw:
        p, rng = self.p, self.rng
        sizes = np.exp(rng.uniform(np.log(p.campaign_size[0]), np.log(p.campaign_size[1] + 1),
                                   p.n_campaigns)).astype(int)
        sizes = np.clip(sizes, p.campaign_size[0], p.campaign_size[1])
        n_outlets = min(len(V.NEWS_DOMAINS), 4 + p.n_news_bots // 3)
        n_people = max(100, p.n_accounts - int(sizes.sum()) - p.n_news_bots - n_outlets
                       - p.n_fan_communities)
        platform = np.where(rng.random(n_people) < p.telegram_share, TELEGRAM, TWITTER)
        self.people = self._person_accounts(n_people, platform)
        self.urls.build_pool(max(500, p.n_posts // 15))
        self.celebs = self._celebrities(p.n_fan_communities)
        self.outlets, self.headlines = self._news(n_outlets, p.n_news_bots)

        # Roughly 82% of posts are the organic background; the rest come from the groups.
        self._organic(int(p.n_posts * 0.80))
        for _ in range(p.n_viral_bursts):
            self._viral_burst()
        for c in self.celebs:
            self._fan_community(int(c))
        for _ in range(p.n_breaking_news):
            self._breaking_news()
        all_tactics = list(p.tactics)
        order = list(rng.permutation(len(all_tactics)))
        for c, size in enumerate(sizes):
            k = int(rng.integers(1, min(3, len(all_tactics)) + 1))
            # Round-robin the first tactic so that every tactic is planted when there are
            # enough campaigns; the rest are drawn at random.
            first = all_tactics[order[c % len(order)]]
            rest = [all_tactics[i] for i in rng.permutation(len(all_tactics)) if all_tactics[i] != first]
            self._campaign(c, int(size), (first, *rest[: k - 1]))
        creation = self._creation_times()
        return Raw(self.world, self.A, self.E, self.groups, self.urls, creation, self.persona_bios)

    def _organic(self, n_target: int) -> None:
        rng, A, W = self.rng, self.A, self.world
        people = self.people
        act = A["activity"][people]
        act = act / act.sum() * n_target
        p_rep, p_rpl = A["p_repost"][people], A["p_reply"][people]
        # Everyone writes some posts of their own.
        over = np.maximum((p_rep + p_rpl) / 0.9, 1.0)
        p_rep, p_rpl = p_rep / over, p_rpl / over
        n_orig = rng.poisson(act * (1 - p_rep - p_rpl))
        # Reposts and replies lose about a quarter of their tries to sleep (see _cascade).
        n_rep = rng.poisson(act * p_rep * 1.3)
        n_rpl = rng.poisson(act * p_rpl * 1.3)
        acc = np.repeat(people, n_orig)
        t = W.organic_times(A["tz"][acc], A["chrono"][acc], A["weekend"][acc])
        self._originals(acc, t)
        E = self.E
        originals = np.flatnonzero(E.col("kind") == 0)
        plat = A["platform"][E.col("acc")[originals]]
        pop = self._popularity(originals)
        for pf in (TWITTER, TELEGRAM):
            in_pf = plat == pf
            reposters = np.repeat(people, n_rep)
            reposters = reposters[A["platform"][reposters] == pf]
            self._cascade(reposters, originals[in_pf], pop[in_pf], reply=False,
                          fast_median=20 * 60, slow_median=6 * 3600)
            if pf == TWITTER:
                repliers = np.repeat(people, n_rpl)
                repliers = repliers[A["platform"][repliers] == pf]
                self._cascade(repliers, originals[in_pf], pop[in_pf], reply=True,
                              fast_median=12 * 60, slow_median=3 * 3600)
        self.organic_originals = originals[plat == TWITTER]
        self.organic_pop = pop[plat == TWITTER]
        self.organic_t = E.col("t")[self.organic_originals].copy()

    # --- hard negatives ----------------------------------------------------------------------

    def _celebrities(self, n: int) -> np.ndarray:
        rng = self.rng
        zone = rng.choice([3, 0, 6], n)
        return self.A.add(n, platform=TWITTER, tz=np.array([V.ZONES[z][0] for z in zone]), zone=zone,
                          chrono=0, weekend=1.0, activity=0, p_repost=0.1, p_reply=0.05,
                          p_link=0.1, p_tag=0.3, followers=np.round(rng.lognormal(14, 0.6, n)),
                          kind=K_CELEBRITY)

    def _news(self, n_outlets: int, n_bots: int) -> tuple[np.ndarray, list[np.ndarray]]:
        """Outlets post every headline; news bots repost each one automatically, verbatim."""
        rng, A, W, E = self.rng, self.A, self.world, self.E
        zone = rng.choice([3, 5, 6], n_outlets)
        outlets = A.add(n_outlets, platform=TWITTER, tz=np.array([V.ZONES[z][0] for z in zone]),
                        zone=zone, followers=np.round(rng.lognormal(13, 1.0, n_outlets)), kind=K_OUTLET)
        self.outlet_domain = {int(o): V.NEWS_DOMAINS[i] for i, o in enumerate(outlets)}
        headlines = []
        for o in outlets:
            n = rng.poisson(14 * W.days)
            t = np.sort(W.cycle_times(n, NEWS_CYCLE, A["tz"][o]))
            url = self.urls.articles(self.outlet_domain[int(o)], n)
            headlines.append(E.add(acc=np.full(n, o), t=t, key=url.astype(np.uint64), style=S_HEADLINE, url=url))
        if n_bots == 0:
            return outlets, headlines
        n_tg = n_bots // 4
        bots = A.add(n_bots, platform=np.r_[np.full(n_bots - n_tg, TWITTER), np.full(n_tg, TELEGRAM)],
                     tz=0.0, followers=np.round(rng.lognormal(6, 1.2, n_bots)), kind=K_BOT)
        g = self._group("news_bot", bots)
        for b in bots:
            follows = rng.choice(n_outlets, int(rng.integers(1, min(3, n_outlets) + 1)), replace=False)
            lag, poll = rng.uniform(30, 600), rng.uniform(60, 900)
            for f in follows:
                src = headlines[f]
                take = src[rng.random(len(src)) < 0.95]
                t = E.col("t")[take] + lag + rng.uniform(0, poll, len(take))
                take, t = take[t < W.span], t[t < W.span]
                # The bot posts the headline as its own post (same words, same link), not a repost.
                rows = E.add(acc=np.full(len(take), b), t=t, key=E.col("key")[take], style=S_HEADLINE,
                             url=E.col("url")[take])
                g.saw(t)
                del rows
        g.objects = [V.NEWS_DOMAINS[i] for i in range(n_outlets)]
        return outlets, headlines

    def _viral_burst(self) -> None:
        rng, A, W, E = self.rng, self.A, self.world, self.E
        tw = self.people[A["platform"][self.people] == TWITTER]
        author = int(rng.choice(tw, p=A["followers"][tw] / A["followers"][tw].sum()))
        t0 = float(W.organic_times(A["tz"][[author]], A["chrono"][[author]], A["weekend"][[author]])[0])
        t0 = min(t0, W.span - 6 * 3600)
        post = self._originals(np.array([author]), np.array([t0]))
        k = int(len(tw) * rng.uniform(0.2, 0.5))
        k = min(k, 20000)
        fans = rng.choice(tw[tw != author], min(k, len(tw) - 1), replace=False)
        delay = 3.0 + rng.exponential(rng.uniform(90, 480), len(fans))
        t = t0 + delay
        keep = (rng.random(len(fans)) < W.awake(t, A["tz"][fans], A["chrono"][fans]) ** 0.5) & (t < W.span)
        E.add_reposts(fans[keep], t[keep], np.full(keep.sum(), post[0]))
        g = self._group("viral_burst", np.r_[author, fans[keep]], objects=[f"row:{post[0]}"])
        g.saw(np.r_[t0, t[keep]])

    def _fan_community(self, celeb: int) -> None:
        rng, A, W, E = self.rng, self.A, self.world, self.E
        n = rng.poisson(rng.uniform(3, 7) * W.days)
        t = W.organic_times(np.full(n, A["tz"][celeb]), np.zeros(n), np.ones(n))
        posts = self._originals(np.full(n, celeb), t)
        tw = self.people[A["platform"][self.people] == TWITTER]
        fans = rng.choice(tw, min(int(rng.integers(30, 151)), len(tw)), replace=False)
        speed = rng.uniform(15, 240, len(fans))  # each fan's typical delay, seconds
        pf, pp = np.meshgrid(np.arange(len(fans)), np.arange(n), indexing="ij")
        pf, pp = pf.ravel(), pp.ravel()
        acc = fans[pf]
        ts = t[pp] + 2.0 + rng.exponential(speed[pf])
        aw = W.awake(ts, A["tz"][acc], A["chrono"][acc])
        keep = (rng.random(len(acc)) < 0.85 * aw ** 0.4) & (ts < W.span)
        E.add_reposts(acc[keep], ts[keep], posts[pp[keep]])
        g = self._group("fan_community", np.r_[celeb, fans], objects=[f"row:{r}" for r in posts[:3]])
        g.saw(np.r_[t, ts[keep]])

    def _breaking_news(self) -> None:
        rng, A, W, E = self.rng, self.A, self.world, self.E
        o = int(rng.choice(self.outlets[:3]))
        # Breaking news lands in US/European daytime.
        t0 = float(rng.integers(0, max(1, W.days - 1))) * 86400 + rng.uniform(12, 20) * 3600
        url = self.urls.articles(self.outlet_domain[o], 1)
        post = E.add(acc=np.array([o]), t=np.array([t0]), key=url.astype(np.uint64), style=S_HEADLINE, url=url)
        people = self.people
        k = min(int(len(people) * rng.uniform(0.08, 0.25)), 15000)
        who = rng.choice(people, k, replace=False)
        t = t0 + 20.0 + rng.lognormal(np.log(8 * 60), 1.0, k)
        keep = (rng.random(k) < W.awake(t, A["tz"][who], A["chrono"][who]) ** 0.5) & (t < W.span)
        who, t = who[keep], t[keep]
        share = rng.random(len(who)) < 0.6
        tag = TAG_EVENT0 + int(rng.integers(0, len(V.EVENT_TAGS)))
        with_tag = rng.random(share.sum()) < 0.6
        E.add(acc=who[share], t=t[share], key=_keys(rng, share.sum()), url=url[0],
              tag0=np.where(with_tag, tag, -1))
        tw = ~share & (A["platform"][who] == TWITTER)
        E.add_reposts(who[tw], t[tw], np.full(tw.sum(), post[0]))
        g = self._group("breaking_news", np.r_[o, who[share | tw]],
                        objects=[self.urls.strings[int(url[0])], V.EVENT_TAGS[tag - TAG_EVENT0].lower()])
        g.saw(np.r_[t0, t])

    # --- campaigns ---------------------------------------------------------------------------

    def _campaign(self, c: int, size: int, tactics: tuple[str, ...]) -> None:
        rng, A = self.rng, self.A
        offset = float(rng.choice(V.OPERATOR_OFFSETS))
        if rng.random() < 0.2:  # two shifts, morning to late evening
            sched = Schedule(offset, 7, 23, 15, float(rng.uniform(0.15, 0.3)))
        else:
            s0 = int(rng.integers(8, 11))
            sched = Schedule(offset, s0, s0 + int(rng.integers(8, 11)), s0 + 4, float(rng.uniform(0.03, 0.12)))
        n_tg = max(2, size // 6) if "cross_platform" in tactics else 0
        members = A.add(size + n_tg, platform=np.r_[np.full(size, TWITTER), np.full(n_tg, TELEGRAM)],
                        tz=offset, chrono=0, weekend=sched.weekend_share,
                        activity=rng.lognormal(0, 0.5, size + n_tg), p_repost=0.5, p_reply=0.1,
                        p_link=0.15, p_tag=0.3, followers=np.round(rng.lognormal(3.8, 1.3, size + n_tg)),
                        kind=K_PERSONA, camp=c)
        self.persona_bios[c] = list(rng.choice(V.CAMPAIGN_BIOS, int(rng.integers(2, 5)), replace=False))
        g = self._group("campaign", members, tactics=tactics, operator_utc_offset=offset)
        ctx = _Campaign(self, g, sched, members[:size], members[size:])
        self._filler(ctx)
        for tactic in tactics:
            getattr(ctx, tactic)()

    def _filler(self, ctx: _Campaign) -> None:
        """Organic-looking posts and reposts of popular posts, on the operator's clock."""
        rng, A, W = self.rng, self.A, self.world
        m = ctx.members
        per_day = rng.uniform(1.0, 5.0) * (1 + 2 * self.p.stealth)
        n = rng.poisson(per_day * W.days * A["activity"][m] / A["activity"][m].mean())
        acc = np.repeat(m, n)
        half = rng.random(len(acc)) < 0.5
        t = W.operator_times(int(half.sum()), ctx.sched)
        self._originals(acc[half], t)
        rep = acc[~half]
        rep = rep[A["platform"][rep] == TWITTER]
        if len(rep) == 0:
            return
        target = self.organic_originals[rng.choice(len(self.organic_originals), len(rep),
                                                   p=self.organic_pop / self.organic_pop.sum())]
        t = self.E.col("t")[target] + rng.lognormal(np.log(1800), 1.3, len(rep))
        ok = (t < W.span) & (rng.random(len(rep)) < W.on_shift(t, ctx.sched))
        self.E.add_reposts(rep[ok], t[ok], target[ok])

    def _creation_times(self) -> np.ndarray:
        """Account creation, seconds before the window: spread for people, bursts for personas."""
        rng, A = self.rng, self.A
        start_ts = self.p.start.timestamp()
        lo = datetime(2008, 1, 1).timestamp() - start_ts
        kind = A["kind"]
        n = A.n
        # People: spread over the years, more of them recent (platform growth).
        created = lo + rng.power(1.5, n) * (-60 * 86400 - lo)
        bots = kind == K_BOT
        created[bots] = rng.uniform(-8 * 365 * 86400, -90 * 86400, bots.sum())
        old = (kind == K_OUTLET) | (kind == K_CELEBRITY)
        created[old] = rng.uniform(lo, lo + 4 * 365 * 86400, old.sum())
        camp = A["camp"].astype(int)
        for c in np.unique(camp[camp >= 0]):
            idx = np.flatnonzero(camp == c)
            n_bursts = int(rng.integers(1, 4))
            centres = -rng.uniform(20, 400, n_bursts) * 86400
            which = rng.integers(0, n_bursts, len(idx))
            created[idx] = centres[which] + rng.normal(0, 6 * 3600, len(idx))
            # A few personas are older, bought or recycled accounts.
            aged = rng.random(len(idx)) < 0.1
            created[idx[aged]] = rng.uniform(lo, -400 * 86400, aged.sum())
        return created


class _Campaign:
    """The tactics of one campaign; each method plants its events and notes its objects."""

    def __init__(self, gen: Generator, group: Group, sched: Schedule, tw: np.ndarray, tg: np.ndarray) -> None:
        self.gen, self.g, self.sched = gen, group, sched
        self.tw, self.tg = tw, tg
        self.members = np.r_[tw, tg]
        rng = gen.rng
        s = gen.p.stealth
        self.stealth = s
        self.participation = rng.uniform(0.5, 0.9) * (1 - 0.4 * s)
        self.n_bursts = max(2, round(gen.world.days * rng.uniform(0.5, 2.0) * (1 - 0.4 * s)))
        self.domains = list(rng.choice(V.FRINGE_DOMAINS, 2, replace=False))
        k = int(rng.integers(2, 4))
        self.tags = TAG_CAMP0 + rng.choice(len(V.CAMPAIGN_TAGS), k, replace=False)
        self.anchors = tw[: max(1, len(tw) // 20)]

    def _part(self, pool: np.ndarray, exclude: int | None = None) -> np.ndarray:
        rng = self.gen.rng
        pick = pool[rng.random(len(pool)) < self.participation]
        if exclude is not None:
            pick = pick[pick != exclude]
        return pick

    def _times(self, n: int) -> np.ndarray:
        W = self.gen.world
        # Bursts start inside the shift and leave room to finish inside the window.
        return np.minimum(W.operator_times(n, self.sched), W.span - 3 * 3600)

    def _emit(self, t: np.ndarray) -> np.ndarray:
        keep = t < self.gen.world.span
        self.g.saw(t[keep])
        return keep

    def co_repost(self) -> None:
        gen, rng, E = self.gen, self.gen.rng, self.gen.E
        mean = rng.uniform(15, 120) * (1 + 3 * self.stealth)
        for T in self._times(self.n_bursts):
            if rng.random() < 0.7:
                author = int(rng.choice(self.anchors))
                tags = np.where(rng.random() < 0.5, self.tags[0], -1)
                target = int(E.add(acc=[author], t=[T], key=_keys(rng, 1), style=S_SLOGAN, tag0=tags)[0])
            else:  # amplify someone else's post (a politician's, a sympathetic account's)
                tt = gen.organic_t
                recent = gen.organic_originals[(tt < T) & (tt > T - 12 * 3600)]
                if len(recent) == 0:
                    continue
                target, author = int(rng.choice(recent)), -1
            who = self._part(self.tw, author)
            t = T + 2.0 + rng.exponential(mean, len(who))
            keep = self._emit(t)
            E.add_reposts(who[keep], t[keep], np.full(keep.sum(), target))
            self.g.objects.append(f"row:{target}")

    def _texts(self, variants: bool) -> None:
        gen, rng, E = self.gen, self.gen.rng, self.gen.E
        mean = rng.uniform(60, 600) * (1 + 2 * self.stealth)
        for T in self._times(self.n_bursts):
            who = self._part(self.tw)
            t = T + rng.exponential(mean, len(who))
            keep = self._emit(t)
            who, t = who[keep], t[keep]
            key = _keys(rng, 1)[0]
            variant = rng.permutation(len(who)) + 1 if variants else 0
            tag0 = self.tags[0] if rng.random() < 0.5 else -1
            url = gen.urls.articles(str(rng.choice(self.domains)), 1)[0] if rng.random() < 0.3 else -1
            rows = E.add(acc=who, t=t, key=key, variant=variant, style=S_SLOGAN, tag0=tag0, url=url)
            if len(rows):
                self.g.objects.append(f"row:{rows[np.argmin(t)]}")

    def copypasta(self) -> None:
        self._texts(variants=False)

    def near_duplicate(self) -> None:
        self._texts(variants=True)

    def link_push(self) -> None:
        gen, rng, E = self.gen, self.gen.rng, self.gen.E
        mean = rng.uniform(120, 900) * (1 + 2 * self.stealth)
        for T in self._times(self.n_bursts):
            url = gen.urls.articles(str(rng.choice(self.domains)), 1)[0]
            who = self._part(self.tw)
            t = T + rng.exponential(mean, len(who))
            keep = self._emit(t)
            who, t = who[keep], t[keep]
            # A handful of message templates per push, lightly edited by each account.
            templates = _keys(rng, 3)
            E.add(acc=who, t=t, key=templates[rng.integers(0, 3, len(who))], variant=rng.integers(0, 4, len(who)),
                  style=S_PROMO, url=url)
            self.g.objects.append(gen.urls.strings[int(url)])

    def hashtag(self) -> None:
        rng, E = self.gen.rng, self.gen.E
        tags = np.r_[self.tags, -1, -1][:3]
        for T in self._times(self.n_bursts):
            window = rng.uniform(20, 90) * 60 * (1 + self.stealth)
            who = self._part(self.tw)
            t = T + rng.uniform(0, window, len(who))
            keep = self._emit(t)
            who, t = who[keep], t[keep]
            style = np.where(rng.random(len(who)) < 0.5, S_SLOGAN, S_ORGANIC)
            E.add(acc=who, t=t, key=_keys(rng, len(who)), style=style, tag0=tags[0], tag1=tags[1], tag2=tags[2])
        self.g.objects += [V.CAMPAIGN_TAGS[i - TAG_CAMP0].lower() for i in self.tags]

    def reply_brigade(self) -> None:
        gen, rng, E, A = self.gen, self.gen.rng, self.gen.E, self.gen.A
        mean = rng.uniform(120, 600) * (1 + 2 * self.stealth)
        # Targets are prominent people: the most followed authors of the organic background.
        auth = E.col("acc")[gen.organic_originals]
        fol = A["followers"][auth]
        prominent = gen.organic_originals[fol >= np.quantile(fol, 0.95)]
        tt = E.col("t")[prominent]
        for T in self._times(max(1, self.n_bursts // 2)):
            recent = prominent[(tt < T) & (tt > T - 24 * 3600)]
            if len(recent) == 0:
                continue
            target = int(rng.choice(recent))
            who = self._part(self.tw)
            t = T + 30.0 + rng.exponential(mean, len(who))
            keep = self._emit(t)
            E.add_replies(who[keep], t[keep], np.full(keep.sum(), target), _keys(rng, keep.sum()), style=S_BRIGADE)
            self.g.objects.append(f"row:{target}")

    def synchronous(self) -> None:
        rng, E, W = self.gen.rng, self.gen.E, self.gen.world
        s = self.sched
        hours = rng.choice(np.arange(s.start, s.end), int(rng.integers(2, 5)), replace=False)
        minute = float(rng.choice([0, 15, 30]))
        jitter = rng.uniform(1, 10) * (1 + 3 * self.stealth)
        days = W.wd_days
        for d in days:
            for h in hours:
                T = d * 86400.0 + h * 3600.0 + minute * 60 - s.offset * 3600.0
                if not 0 <= T < W.span:
                    continue
                who = self._part(self.tw)
                t = T + np.abs(rng.normal(0, jitter, len(who)))
                keep = self._emit(t)
                who, t = who[keep], t[keep]
                style = np.where(rng.random(len(who)) < 0.6, S_SLOGAN, S_ORGANIC)
                E.add(acc=who, t=t, key=_keys(rng, len(who)), style=style)
        self.g.objects.append(f"schedule:{','.join(f'{int(h):02d}:{int(minute):02d}' for h in sorted(hours))} "
                              f"UTC{s.offset:+g}")

    def cross_platform(self) -> None:
        gen, rng, E = self.gen, self.gen.rng, self.gen.E
        mean = rng.uniform(60, 600) * (1 + 2 * self.stealth)
        for T in self._times(self.n_bursts):
            url = gen.urls.articles(str(rng.choice(self.domains)), 1)[0]
            seed = int(rng.choice(self.tg))
            first = E.add(acc=[seed], t=[T], key=_keys(rng, 1), style=S_PROMO, url=url)
            fwd = self._part(self.tg, seed)
            tf = T + 5.0 + rng.exponential(mean / 2, len(fwd))
            keep = self._emit(tf)
            E.add_reposts(fwd[keep], tf[keep], np.full(keep.sum(), first[0]))
            who = self._part(self.tw)
            t = T + 30.0 + rng.exponential(mean, len(who))
            keep = self._emit(t)
            E.add(acc=who[keep], t=t[keep], key=_keys(rng, keep.sum()), style=S_PROMO, url=url)
            self.g.objects.append(gen.urls.strings[int(url)])
            self.g.saw(np.array([T]))

