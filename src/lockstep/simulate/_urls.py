"""The links posts carry: a Zipf-popular pool of ordinary URLs, and fresh article URLs on demand.

URLs are generated already in lockstep's normal form (lower-case host, no fragment or tracking
parameters), so that what the simulator writes is what an ingest would store.
"""

from __future__ import annotations

import numpy as np

from lockstep.simulate import _vocab as V
from lockstep.simulate._engine import zipf_weights

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


class Urls:
    """A growing list of URL strings; posts refer to them by index."""

    def __init__(self, seed: int) -> None:
        # A stream of its own, so that how many URLs are drawn elsewhere does not shift slugs.
        self.rng = np.random.default_rng([seed, 7])
        self.strings: list[str] = []
        self.pool = np.empty(0, np.int32)
        self._pool_w = np.empty(0)
        self._serial = 0

    def _slug(self, k: int) -> str:
        words = np.searchsorted(_WORD_CUM, self.rng.random(k), side="right")
        return "-".join(V.WORDS[i] for i in words)

    def _article(self, domain: str) -> str:
        self._serial += 1
        n = self._serial
        if domain == "youtube.com":
            vid = "".join(_B64[i] for i in self.rng.integers(0, 64, 11))
            return f"https://www.youtube.com/watch?v={vid}"
        if domain == "en.wikipedia.org":
            return "https://en.wikipedia.org/wiki/" + self._slug(2).replace("-", "_").capitalize()
        if domain == "reddit.com":
            sub = V.TOPIC_TAGS[int(self.rng.integers(0, len(V.TOPIC_TAGS)))].lower()
            return f"https://www.reddit.com/r/{sub}/comments/{n:x}/{self._slug(4).replace('-', '_')}/"
        if domain in V.NEWS_DOMAINS or domain in V.FRINGE_DOMAINS:
            section = V.SECTIONS[int(self.rng.integers(0, len(V.SECTIONS)))]
            host = domain if domain.count(".") > 1 or domain in V.FRINGE_DOMAINS else "www." + domain
            return f"https://{host}/{section}/2024/{self._slug(int(self.rng.integers(3, 7)))}-{n}"
        return f"https://{domain}/{self._slug(int(self.rng.integers(2, 5)))}-{n}"

    def articles(self, domain: str, n: int) -> np.ndarray:
        """``n`` new URLs on ``domain``; returns their indices."""
        first = len(self.strings)
        self.strings.extend(self._article(domain) for _ in range(n))
        return np.arange(first, first + n, dtype=np.int32)

    def build_pool(self, n: int) -> None:
        """The ordinary links people share: news and other sites, Zipf-popular domains and URLs."""
        news = self.rng.random(n) < 0.45
        dn = self.rng.choice(len(V.NEWS_DOMAINS), n, p=zipf_weights(len(V.NEWS_DOMAINS), 1.0))
        do = self.rng.choice(len(V.OTHER_DOMAINS), n, p=zipf_weights(len(V.OTHER_DOMAINS), 1.2, 1.0))
        first = len(self.strings)
        for i in range(n):
            self.strings.append(self._article(V.NEWS_DOMAINS[dn[i]] if news[i] else V.OTHER_DOMAINS[do[i]]))
        self.pool = np.arange(first, first + n, dtype=np.int32)
        self._pool_w = zipf_weights(n, 1.0, 3.0)

    def organic(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws from the pool, popular URLs most often."""
        return self.pool[rng.choice(len(self.pool), n, p=self._pool_w)]


_WORD_CUM = np.cumsum(zipf_weights(len(V.WORDS), 0.8, 5.0))
_WORD_CUM[-1] = 1.0
