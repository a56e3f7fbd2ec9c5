"""Automation signals: how regular, how fast and through what the account posts.

Everything is aggregated in DuckDB; Python only combines the per-account numbers into a score.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from lockstep.personas._stats import robust_z

#: Above this many posts per active day an account is beyond what people sustain by hand
#: (Howard & Kollanyi 2016 call ≥ 50 tweets a day "heavy automation").
HUMAN_POSTS_PER_DAY = 50.0

#: Posting clients that schedule or relay posts (matched case-insensitively in ``client``).
AUTOMATION_CLIENTS = (
    r"ifttt|dlvr\.it|twitterfeed|buffer|hootsuite|zapier|socialoomph|tweetadder|roundteam|"
    r"twittbot|botize|cheap bots|\bbot\b|bots\b|autopost|auto post|rss|feed|socialflow|sprinklr|"
    r"sprout|crowdfire|publer|later\.com|postplanner|recurpost|missinglettr|tweetdeck api"
)

# The features of the automation score and the direction in which each points to automation:
# +1 high values, −1 low values, 0 either extreme (the robust z-score's absolute value). Fixed
# from what automation does, not fitted to labelled data. The repost ratio is two-sided because
# automation specialises where people mix: amplifiers repost nearly everything, while feeds and
# schedulers repost nearly nothing (it was +1, "amplifiers repost", until Gilani et al.'s feed
# bots showed the other extreme; see docs/personas.md for what that does and does not prove).
SCORE_DIRECTIONS: Mapping[str, float] = {
    "log_posts_per_day": +1.0,  # volume beyond human bounds
    "repost_ratio": 0.0,  # amplifiers repost everything, feeds nothing; people mix
    "reply_ratio": -1.0,  # conversation is the most human thing an account does
    "interpost_cv": -1.0,  # clockwork posting has regular gaps
    "interpost_entropy": -1.0,  # ... and few distinct gap lengths
    "on_minute_share": +1.0,  # schedulers post at :00 seconds
    "automation_client_share": +1.0,  # posts through scheduling or relay tools
    "n_clients": -1.0,  # one API client for everything
}


def automation_sql(min_gaps: int) -> str:
    """Per-account automation features from ``posts`` (one row per platform, account_id)."""
    return f"""
WITH p AS (
  SELECT platform, account_id, created_at, kind, client,
         epoch(created_at) - lag(epoch(created_at)) OVER w AS gap
  FROM posts
  WINDOW w AS (PARTITION BY platform, account_id ORDER BY created_at, post_id)
),
binned AS (  -- log2-binned gaps, for the entropy of the gap distribution
  SELECT platform, account_id, floor(log2(gap + 1))::INT AS b, count(*) AS n
  FROM p WHERE gap IS NOT NULL GROUP BY ALL
),
ent AS (
  SELECT platform, account_id,
         -- summed in bin order: a parallel sum's order, and so its last bit, varies between runs
         abs(sum(n / tot * log2(n / tot) ORDER BY b)) AS interpost_entropy
  FROM (SELECT *, sum(n) OVER (PARTITION BY platform, account_id) AS tot FROM binned)
  GROUP BY ALL HAVING any_value(tot) >= {int(min_gaps)}
),
daily AS (
  SELECT platform, account_id, count(*) AS n FROM p
  GROUP BY platform, account_id, date_trunc('day', created_at)
),
dmax AS (
  SELECT platform, account_id, max(n) AS max_posts_per_day, count(*) AS active_days
  FROM daily GROUP BY ALL
),
cl AS (
  SELECT platform, account_id,
         count(DISTINCT client) AS n_clients,
         avg(CASE WHEN client IS NULL THEN NULL
                  WHEN regexp_matches(lower(client), '{AUTOMATION_CLIENTS}') THEN 1.0 ELSE 0.0 END)
           AS automation_client_share
  FROM p GROUP BY ALL
),
agg AS (
  SELECT platform, account_id,
         count(*) AS n_posts,
         min(created_at) AS first_post,
         max(created_at) AS last_post,
         avg(CASE WHEN kind = 'repost' THEN 1.0 ELSE 0.0 END) AS repost_ratio,
         avg(CASE WHEN kind = 'reply' THEN 1.0 ELSE 0.0 END) AS reply_ratio,
         avg(CASE WHEN microsecond(created_at) = 0 THEN 1.0 ELSE 0.0 END) AS on_minute_share,
         CASE WHEN count(gap) >= {int(min_gaps)} AND avg(gap) > 0
              THEN stddev_pop(gap) / avg(gap) END AS interpost_cv
  FROM p GROUP BY ALL
)
SELECT agg.platform, agg.account_id, n_posts, first_post, last_post, active_days,
       n_posts / active_days AS posts_per_day, max_posts_per_day,
       repost_ratio, reply_ratio, on_minute_share, interpost_cv, interpost_entropy,
       CASE WHEN n_clients = 0 THEN NULL ELSE n_clients END AS n_clients, automation_client_share
FROM agg
JOIN dmax USING (platform, account_id)
JOIN cl USING (platform, account_id)
LEFT JOIN ent USING (platform, account_id)
"""


def minute_resolution(con: object) -> bool:
    """True when the data itself has minute resolution (most posts at :00), so that posting at
    exact minute marks says nothing about an account."""
    share = con.sql(  # type: ignore[attr-defined]
        "SELECT avg(CASE WHEN microsecond(created_at) = 0 THEN 1.0 ELSE 0.0 END) FROM posts"
    ).fetchall()[0][0]
    return share is not None and share > 0.5


def automation_score(
    features: pd.DataFrame,
    reference: pd.DataFrame | None = None,
    directions: Mapping[str, float] = SCORE_DIRECTIONS,
) -> np.ndarray:
    """Combine automation features into one score: the mean of direction-signed robust z-scores.

    Parameters
    ----------
    features : DataFrame
        Any of the columns named in ``directions`` (``posts_per_day`` is logged into
        ``log_posts_per_day``); missing columns and missing values are skipped per account.
    reference : DataFrame, optional
        Rows that define "usual" (medians and spreads); default: ``features`` itself.
    directions : mapping
        Feature → +1 if high values point to automation, −1 if low values do, 0 if either
        extreme does (the absolute z-score counts).

    Returns
    -------
    ndarray
        One score per row; higher is more automated, 0 is a typical account. NaN when no
        feature is known.
    """
    feats = _with_log(features)
    ref = _with_log(reference) if reference is not None else feats
    cols = [c for c in directions if c in feats.columns]
    if not cols:
        return np.full(len(feats), np.nan)
    zs = np.column_stack([
        _signed(robust_z(feats[c].to_numpy(dtype=float), ref[c].to_numpy(dtype=float)), directions[c])
        for c in cols
    ])
    # Clip so that one extreme feature cannot carry the whole score.
    zs = np.clip(zs, -5, 5)
    with np.errstate(invalid="ignore"):
        known = ~np.isnan(zs)
        total = np.where(known, zs, 0.0).sum(axis=1)
        n = known.sum(axis=1)
        return np.where(n > 0, total / np.maximum(n, 1), np.nan)


def _signed(z: np.ndarray, direction: float) -> np.ndarray:
    return np.abs(z) if direction == 0 else direction * z


def _with_log(df: pd.DataFrame) -> pd.DataFrame:
    if "posts_per_day" in df.columns and "log_posts_per_day" not in df.columns:
        df = df.assign(log_posts_per_day=np.log1p(df["posts_per_day"].astype(float)))
    return df
