"""Profiles: handles, display names, bios, locations, clients and ids for every account.

People get natural handles (some with digits: that is honest, many real people have them), spread
creation dates and their own bios. Campaign personas get generated handles (name + 8 digits, the
platform's default suggestion, or name + a few digits), bios reused across the campaign, and
audience locations that do not match the clock they post on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from lockstep.simulate import _vocab as V
from lockstep.simulate._engine import K_BOT, K_CELEBRITY, K_OUTLET, K_PERSONA, TELEGRAM

_TWITTER_EPOCH_MS = 1288834974657
_SNOWFLAKE_START = datetime(2013, 11, 4).timestamp()
_TWITTER_START = datetime(2006, 3, 21).timestamp()

_FLAGS = ("\U0001F1FA\U0001F1F8", "\U0001F1EC\U0001F1E7", "\U0001F1E9\U0001F1EA", "\u271D\ufe0f",
          "\U0001F985")
_EMOJI = ("\u2728", "\U0001F33B", "\u26BD", "\U0001F3B8", "\U0001F4DA", "\u2615", "\U0001F308",
          "\U0001F43E")


@dataclass
class Profiles:
    account_id: list[str]
    handle: list[str]
    display_name: list[str | None]
    bio: list[str | None]
    location: list[str | None]
    client: list[str | None]
    created_us: np.ndarray
    followers: np.ndarray


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def make_profiles(raw, seed: int, outlet_domain: dict[int, str]) -> Profiles:  # type: ignore[no-untyped-def]
    """One profile per account of ``raw`` (a :class:`._generate.Raw`)."""
    rng = np.random.default_rng([seed, 11])
    A = raw.accounts
    n = A.n
    kind = A["kind"].astype(int)
    platform = A["platform"].astype(int)
    zone = A["zone"].astype(int)
    camp = A["camp"].astype(int)
    start_ts = raw.world.start.timestamp()
    created = start_ts + raw.creation
    first = rng.integers(0, len(V.FIRST_NAMES), n)
    last = rng.integers(0, len(V.LAST_NAMES), n)
    word = rng.integers(0, len(V.HANDLE_WORDS), (n, 2))
    pattern = rng.choice(9, n, p=[0.18, 0.14, 0.12, 0.12, 0.1, 0.1, 0.1, 0.08, 0.06])
    u = rng.random((n, 4))
    bio_parts = rng.integers(0, len(V.BIO_FRAGMENTS), (n, 3))
    city = rng.integers(0, 1000, n)
    digits = rng.integers(0, 10**8, n)
    seen: set[str] = set()
    seen_ids: set[int] = set()
    handles, names, bios, locs, clients, ids = [], [], [], [], [], []
    client_p = np.array(V.TWITTER_CLIENT_WEIGHTS) / sum(V.TWITTER_CLIENT_WEIGHTS)
    client_pick = rng.choice(len(V.TWITTER_CLIENTS), n, p=client_p)
    for a in range(n):
        f, lname = V.FIRST_NAMES[first[a]], V.LAST_NAMES[last[a]]
        w0, w1 = V.HANDLE_WORDS[word[a, 0]], V.HANDLE_WORDS[word[a, 1]]
        k = kind[a]
        if k == K_PERSONA:
            if u[a, 0] < 0.7:  # the platform's suggestion: name cut short + 8 digits
                h = (_cap(f) + _cap(lname))[:7] + f"{digits[a]:08d}"
            else:
                h = f + _cap(lname) + str(digits[a] % 10 ** int(rng.integers(2, 5)))
            name = f"{_cap(f)} {_cap(lname)}" + (f" {_FLAGS[digits[a] % len(_FLAGS)]}" if u[a, 1] < 0.3 else "")
            pool = raw.persona_bios[camp[a]]
            bio = None if u[a, 2] < 0.15 else pool[digits[a] % len(pool)]
            if bio and u[a, 2] > 0.85:
                bio = bio.replace(".", "!", 1)
            loc = V.PERSONA_LOCATIONS[digits[a] % len(V.PERSONA_LOCATIONS)] or None
            client = ("Twitter Web App", "Twitter for Android", "Twitter for iPhone")[
                0 if u[a, 3] < 0.5 else 1 if u[a, 3] < 0.8 else 2]
        elif k == K_BOT:
            h = rng.choice([f"{_cap(w0)}News{digits[a] % 1000}", f"{w0}_{w1}_feed", f"Breaking{_cap(w0)}Bot",
                            f"news{_cap(w1)}{digits[a] % 100}"])
            name = f"{_cap(w0)} News Feed"
            bio = rng.choice(["Automated headlines, 24/7.", "Latest news as it happens. Bot.",
                              "News feed. Not monitored.", "All the headlines, all the time"])
            loc, client = None, V.BOT_CLIENTS[digits[a] % len(V.BOT_CLIENTS)]
        elif k == K_OUTLET:
            stem = outlet_domain[a].split(".")[0]
            h, name = stem, _cap(stem)
            bio = f"News and analysis from {_cap(stem)}. Follow for breaking news."
            loc = V.ZONES[zone[a]][1][0] if zone[a] >= 0 else None
            client = "SocialFlow"
        elif k == K_CELEBRITY:
            h = ("Real" if u[a, 0] < 0.5 else "") + _cap(f) + _cap(lname)
            name = f"{_cap(f)} {_cap(lname)}"
            bio = "Official account. " + rng.choice(["Singer.", "Actor.", "Footballer.", "Author.", "Comedian."])
            loc, client = V.ZONES[zone[a]][1][0], "Twitter for iPhone"
        else:
            p = pattern[a]
            h = (f + lname, _cap(f) + _cap(lname), f"{f}_{lname}", f"{f}{lname[0]}{(70 + digits[a] % 36) % 100:02d}",
                 f"{w0}_{f}", f"{w0}{w1}", f"{f}{lname}{digits[a] % 10000}", f"{f[0]}{lname}", f"{_cap(w0)}{_cap(w1)}")[p]
            r = u[a, 1]
            name = (f"{_cap(f)} {_cap(lname)}" if r < 0.5 else _cap(f) if r < 0.7 else f"{f} {lname}" if r < 0.8
                    else f"{_cap(f)} {lname[0].upper()}." if r < 0.9 else f"{w0} {w1} {_EMOJI[digits[a] % len(_EMOJI)]}")
            if u[a, 2] < 0.2:
                bio = None
            else:
                parts = list(dict.fromkeys(V.BIO_FRAGMENTS[i] for i in bio_parts[a, : 1 + digits[a] % 3]))
                bio = (" | ", ". ", " \u2022 ", ", ")[digits[a] % 4].join(parts)
                bio = _cap(bio) if u[a, 3] < 0.5 else bio
            cities = V.ZONES[zone[a]][1] if zone[a] >= 0 else ()
            loc = cities[city[a] % len(cities)] if cities and u[a, 3] < 0.6 else None
            client = V.TWITTER_CLIENTS[client_pick[a]]
        h = str(h)[:15]
        if platform[a] == TELEGRAM:
            h = h.lower() if len(h) >= 5 else h.lower() + "_tg"
            client = None
        base, i = h, 1
        while h.lower() in seen:  # handles are unique per platform, case-insensitively
            i += 1
            h = f"{base[:13]}{i}"
        seen.add(h.lower())
        handles.append(h)
        names.append(name)
        bios.append(None if bio is None else str(bio))
        locs.append(None if loc is None else str(loc))
        clients.append(client)
        if platform[a] == TELEGRAM:
            num = 1_001_000_000_000 + int(digits[a]) * 10
        elif created[a] >= _SNOWFLAKE_START:
            num = ((int(created[a] * 1000) - _TWITTER_EPOCH_MS) << 22) | (int(digits[a]) & 0x3FFFFF)
        else:  # before snowflake ids: sequential with creation time
            frac = (created[a] - _TWITTER_START) / (_SNOWFLAKE_START - _TWITTER_START)
            num = int(max(frac, 0.0) * 2_000_000_000) + 1000
        while num in seen_ids:
            num += 1
        seen_ids.add(num)
        ids.append(f"-{num}" if platform[a] == TELEGRAM else str(num))
    created_us = np.round(created * 1e6).astype(np.int64)
    return Profiles(ids, handles, names, bios, locs, clients, created_us, A["followers"].astype(np.int64))
