"""Small synthetic workspaces for the persona tests: organic accounts, one planted campaign, one bot.

Everything is generated here from a seed; nothing is read from outside the repository.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

import lockstep
from lockstep.schema import ACCOUNTS, POSTS

UTC = dt.UTC
START = dt.datetime(2017, 1, 2, tzinfo=UTC)  # a Monday
# Awake-hours weights of a person's day (local hours 0..23).
PERSONAL = np.array([3, 2, 1, 1, 1, 1, 2, 4, 6, 7, 8, 8, 9, 9, 9, 9, 9, 10, 10, 10, 10, 9, 8, 6], float)


@dataclass
class Scenario:
    posts: list[dict] = field(default_factory=list)
    accounts: list[dict] = field(default_factory=list)


def _times_personal(rng: np.random.Generator, n: int, offset: int, weeks: int) -> list[dt.datetime]:
    days = rng.integers(0, 7 * weeks, n)
    hours = rng.choice(24, n, p=PERSONAL / PERSONAL.sum())
    secs = rng.integers(0, 3600, n)
    return [START + dt.timedelta(days=int(d), hours=int(h) - offset, seconds=int(s))
            for d, h, s in zip(days, hours, secs)]


def _times_office(rng: np.random.Generator, n: int, offset: int, weeks: int) -> list[dt.datetime]:
    out = []
    while len(out) < n:
        d = int(rng.integers(0, 7 * weeks))
        if (START + dt.timedelta(days=d)).weekday() >= 5:  # local weekday equals UTC date's here
            continue
        h = int(rng.integers(9, 18))
        s = int(rng.integers(0, 3600))
        out.append(START + dt.timedelta(days=d, hours=h - offset, seconds=s))
    return out


def scenario(seed: int = 0, *, campaign_offset: int = 3, n_campaign: int = 20, n_organic: int = 60,
             weeks: int = 12) -> Scenario:
    """Organic people on personal clocks in the Americas and Europe, a campaign of ``n_campaign``
    accounts run in office hours at ``campaign_offset`` that claims Texas, and one clockwork bot."""
    rng = np.random.default_rng(seed)
    sc = Scenario()
    first_names = ["anna", "boris", "carla", "dmitri", "emma", "frank", "gina", "hugo", "ines", "jack"]
    for i in range(n_organic):
        offset = int(rng.choice([-8, -6, -5, 0, 1]))
        acc = f"org{i}"
        name = f"{first_names[i % 10].title()} {chr(65 + i % 26)}."
        sc.accounts.append(dict(
            account_id=acc, handle=f"{first_names[i % 10]}_{chr(97 + i % 26)}{chr(97 + (i * 7) % 26)}",
            display_name=name, bio=" ".join(rng.choice(["cats", "hiking", "jazz", "chess", "tea", "rain", "maps", "owls"], 4)),
            created_at=dt.datetime(2010, 1, 1, tzinfo=UTC) + dt.timedelta(days=int(rng.integers(0, 2500))),
            location=["Seattle, WA", "Chicago", "New York", "London", "Berlin"][[-8, -6, -5, 0, 1].index(offset)],
            profile_image=f"https://img.example/{acc}.jpg"))
        for j, t in enumerate(_times_personal(rng, int(rng.integers(60, 140)), offset, weeks)):
            kind = ["post", "post", "reply", "repost"][int(rng.integers(0, 4))]
            sc.posts.append(dict(post_id=f"{acc}-{j}", account_id=acc, created_at=t, kind=kind,
                                 text=f"organic {j}", client=["Twitter for iPhone", "Twitter Web App"][j % 2]))
    burst = dt.datetime(2016, 11, 20, tzinfo=UTC)
    for i in range(n_campaign):
        acc = f"camp{i}"
        sc.accounts.append(dict(
            account_id=acc, handle=f"Patriot{rng.integers(10**7, 10**8)}", display_name=f"Mary {chr(65 + i)}",
            bio=f"Proud American 🇺🇸 #MAGA {i}",
            created_at=burst + dt.timedelta(hours=int(rng.integers(0, 48))),
            location="Texas, USA", profile_image="https://img.example/flag.jpg"))
        for j, t in enumerate(_times_office(rng, int(rng.integers(80, 160)), campaign_offset, weeks)):
            sc.posts.append(dict(post_id=f"{acc}-{j}", account_id=acc, created_at=t,
                                 kind="repost" if j % 3 else "post", text=f"campaign {j}",
                                 client="TweetDeck"))
    # A clockwork bot: every 15 minutes on the dot, through an RSS relay.
    sc.accounts.append(dict(account_id="bot0", handle="newsbot", display_name="News Bot", bio="Automated feed",
                            created_at=dt.datetime(2015, 5, 5, tzinfo=UTC), location=None, profile_image=None))
    for j in range(96 * 14):
        sc.posts.append(dict(post_id=f"bot0-{j}", account_id="bot0", created_at=START + dt.timedelta(minutes=15 * j),
                             kind="post", text=f"headline {j}", client="dlvr.it"))
    return sc


def build_workspace(path: Path, sc: Scenario, platform: str = "twitter") -> lockstep.Workspace:
    """Insert a scenario's rows into a new workspace (straight into the canonical tables)."""
    ws = lockstep.Workspace(path)
    n = len(sc.posts)
    cols = {f.name: [None] * n for f in POSTS}
    for i, p in enumerate(sc.posts):
        for k, v in p.items():
            cols[k][i] = v
    cols["platform"] = [platform] * n
    cols["source_file"] = ["synthetic"] * n
    ws.con.register("_p", pa.table(cols, schema=POSTS))
    ws.con.execute("INSERT INTO posts BY NAME SELECT * FROM _p")
    ws.con.unregister("_p")
    m = len(sc.accounts)
    acols = {f.name: [None] * m for f in ACCOUNTS}
    for i, a in enumerate(sc.accounts):
        for k, v in a.items():
            acols[k][i] = v
    acols["platform"] = [platform] * m
    acols["source_file"] = ["synthetic"] * m
    acols["observed_at"] = [dt.datetime(2018, 1, 1, tzinfo=UTC)] * m
    ws.con.register("_a", pa.table(acols, schema=ACCOUNTS))
    ws.con.execute("INSERT INTO account_observations BY NAME SELECT *, md5(account_id) AS obs_hash FROM _a")
    ws.con.unregister("_a")
    return ws
