"""Helpers for tests that run lockstep in real processes: generated inputs and the command."""

from __future__ import annotations

import random
import sys
from pathlib import Path

LOCKSTEP = str(Path(sys.executable).parent / "lockstep")
HEADER = "platform,post_id,account_id,created_at,kind,text,handle,followers\n"


def write_posts(path: Path, n: int, *, seed: int, start: int = 0, text_len: int = 60) -> Path:
    """A canonical CSV of ``n`` posts with a few duplicates and bad rows mixed in (seeded)."""
    rng = random.Random(seed)
    words = ["vote", "news", "#tag", "https://ex.com/a?utm_source=x", "@someone", "hello", "world", "the"]
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        for i in range(start, start + n):
            pid = i if rng.random() > 0.01 else rng.randrange(start, i + 1)  # ~1% duplicates
            when = "not a time" if rng.random() < 0.005 else f"2024-03-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z"
            text = " ".join(rng.choice(words) for _ in range(text_len // 6))
            f.write(f"twitter,{pid},acc{i % 997},{when},post,\"{text} {i}\",handle{i % 997},{i % 5000}\n")
    return path
