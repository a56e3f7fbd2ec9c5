"""Shared inputs for the alias tests: small synthetic authors with distinct habits, and C50."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

C50 = Path(__file__).resolve().parents[2] / "../shared/data/reuter_c50"

WORDS_SHIPS = "harbour vessel cargo tanker crew anchor freight dock captain voyage port container"
WORDS_FARMS = "harvest wheat tractor barn cattle field rainfall orchard farmer soil crop barley"
WORDS_BANKS = "lender deposit mortgage interest branch loan credit savings account teller bond rate"
TOPICS = {
    "ships": WORDS_SHIPS.split(),
    "farms": WORDS_FARMS.split(),
    "banks": WORDS_BANKS.split(),
}

# Each author: a way of starting, joining and ending sentences (the "hand").
STYLES = {
    "ann": dict(start="well, ", join=" ... ", end=" !!", caps=False, fw="i think that the"),
    "bob": dict(start="Honestly ", join="; ", end=".", caps=True, fw="however it is clear that"),
    "cat": dict(start="", join=" -- ", end=" :)", caps=False, fw="so yeah we got the"),
    "dan": dict(start="In fact, ", join=", and ", end="?", caps=True, fw="which was not what"),
}


def make_posts(author: str, topic: str, n: int, seed: int) -> list[str]:
    """``n`` posts by a synthetic author on a topic, or on every topic in turn with ``"mixed"`` (seeded)."""
    rng = random.Random(f"{author}/{topic}/{seed}")
    s = STYLES[author]
    posts = []
    for k in range(n):
        words = TOPICS[topic] if topic != "mixed" else TOPICS[sorted(TOPICS)[k % len(TOPICS)]]
        a = " ".join(rng.sample(words, 4))
        b = " ".join(rng.sample(words, 3))
        text = f"{s['start']}{s['fw']} {a}{s['join']}{b}{s['end']}"
        posts.append(text[:1].upper() + text[1:] if s["caps"] else text)
    return posts


@pytest.fixture
def c50() -> Path:
    if not C50.is_dir():
        pytest.skip(f"Reuters C50 not available at {C50.resolve()}")
    return C50
