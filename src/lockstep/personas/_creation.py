"""Account-creation bursts: many accounts created in one short span, against the background rate."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import poisson


def creation_sql(window_days: float, background_days: float) -> str:
    """Per account: accounts created within ±window and within ±background of it (self excluded).

    The background window gives the local creation rate, so a burst is judged against the
    accounts created around it, not against the whole span of the data.
    """
    w = f"INTERVAL '{float(window_days) * 86400:.0f} seconds'"
    b = f"INTERVAL '{float(background_days) * 86400:.0f} seconds'"
    return f"""
SELECT platform, account_id, created_at AS account_created_at,
       count(*) OVER (ORDER BY created_at RANGE BETWEEN {w} PRECEDING AND {w} FOLLOWING) - 1
         AS created_near,
       count(*) OVER (ORDER BY created_at RANGE BETWEEN {b} PRECEDING AND {b} FOLLOWING) - 1
         AS created_background
FROM accounts WHERE created_at IS NOT NULL
"""


def burst_ratio(near: np.ndarray, background: np.ndarray, window_days: float,
                background_days: float) -> tuple[np.ndarray, np.ndarray]:
    """Observed / expected accounts created nearby, and the Poisson tail probability.

    Expected = accounts in the background window × (window / background window).
    """
    near = np.asarray(near, dtype=float)
    expected = np.asarray(background, dtype=float) * (window_days / background_days)
    # A lone account still expects a little company: keeps the ratio finite.
    expected = np.maximum(expected, 0.5)
    p = poisson.sf(near - 1, expected)
    return near / expected, p


def cluster_bursts(members: pd.DataFrame, n_all: int, window_days: float) -> pd.DataFrame:
    """Per cluster: the largest number of fellow members created within ±window of one member.

    Parameters
    ----------
    members : DataFrame
        Columns cluster, account_created_at (one row per member with a known creation time) and
        created_near (accounts of the whole data created within ±window of it).
    n_all : int
        Accounts with a known creation time in the whole data.

    Returns
    -------
    DataFrame
        cluster, creation_burst_members, creation_burst_expected, creation_burst_p,
        creation_burst_at.
    """
    rows = []
    win = np.timedelta64(int(window_days * 86400), "s")
    for cluster, g in members.groupby("cluster", sort=True):
        t = g["account_created_at"].to_numpy(dtype="datetime64[s]")
        order = np.argsort(t)
        t = t[order]
        near_all = g["created_near"].to_numpy()[order]
        lo = np.searchsorted(t, t - win, side="left")
        hi = np.searchsorted(t, t + win, side="right")
        within = hi - lo - 1
        i = int(np.argmax(within)) if len(t) else 0
        if len(t) < 2:
            rows.append((cluster, 0, np.nan, np.nan, pd.NaT))
            continue
        # Under the background, each other member falls in this window with the probability
        # that an account outside the cluster does.
        outside = max(near_all[i] - within[i], 0)
        share = outside / max(n_all - len(t), 1)
        expected = max((len(t) - 1) * share, 0.05)
        p = float(poisson.sf(within[i] - 1, expected))
        rows.append((cluster, int(within[i]), float(expected), p, pd.Timestamp(t[i], tz="UTC")))
    return pd.DataFrame(rows, columns=["cluster", "creation_burst_members", "creation_burst_expected",
                                       "creation_burst_p", "creation_burst_at"])
