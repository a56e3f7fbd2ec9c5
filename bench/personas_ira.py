"""The operator's clock of the Internet Research Agency (IRA) troll tweets.

The accounts pose as Americans. What UTC offset and working pattern does lockstep infer, overall
and per account_category (Linvill & Warren's coding), with what confidence, and on what evidence?

Loads ../shared/data/ira_tweets straight into a workspace with DuckDB (publish_date is UTC,
minute resolution; the most common tweet `region` of an account stands in for its claimed
location), runs PersonaSignals with the categories as groups, then checks the daylight-saving
behaviour: a clock that follows US time moves by one UTC hour between winter and summer; Moscow
time (UTC+3 all year since October 2014) does not.

Run: .venv/bin/python bench/personas_ira.py [--workspace DIR]   (about 2–4 minutes)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import lockstep
from lockstep.personas import PersonaSignals, format_offset
from lockstep.personas._clock import best_offset, fit_clock, working_pattern

DATA = Path(__file__).resolve().parents[1] / "../shared/data/ira_tweets"


def load(ws: lockstep.Workspace) -> None:
    tweets = (DATA / "tweets_english_categories.csv.gz").as_posix()
    ws.con.execute(f"""
INSERT INTO posts (platform, post_id, account_id, created_at, kind, text, source_file, source_line)
SELECT 'twitter', 'ira:' || n, author_id,
       strptime(publish_date, '%Y-%m-%d %H:%M:%S')::TIMESTAMP AT TIME ZONE 'UTC',
       CASE WHEN post_type = 'R' OR retweet = 1 THEN 'repost' WHEN post_type = 'Q' THEN 'quote' ELSE 'post' END,
       content, 'tweets_english_categories.csv.gz', n
FROM (SELECT *, row_number() OVER () AS n FROM read_csv('{tweets}', all_varchar = true, header = true))
WHERE publish_date IS NOT NULL AND author_id IS NOT NULL
""")
    ws.con.execute("""
INSERT INTO account_observations (platform, account_id, handle, location, source_file, obs_hash)
SELECT 'twitter', account_id, account_id, mode(NULLIF(region, 'Unknown')), 'region', md5(account_id)
FROM (SELECT author_id AS account_id, region FROM read_csv('""" + tweets + """', all_varchar = true))
GROUP BY account_id
""")


def categories() -> pd.DataFrame:
    a = pd.read_csv(DATA / "authors.csv", dtype=str)
    return pd.DataFrame({"platform": "twitter", "account_id": a["author_id"], "cluster": a["account_category"]})


def seasonal(ws: lockstep.Workspace, groups: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Offset per group in US winter (Dec–Feb) and US summer (Jun–Aug), 2015–2017."""
    ws.con.register("_g", groups)
    rows = []
    for season, months in (("winter", (12, 1, 2)), ("summer", (6, 7, 8))):
        t = ws.con.sql(f"""
SELECT g.cluster, p.account_id, ((isodow(created_at) - 1) * 24 + hour(created_at))::INT AS how, count(*) AS n
FROM posts p JOIN _g g USING (platform, account_id)
WHERE month(created_at) IN {months} AND year(created_at) BETWEEN 2015 AND 2017
GROUP BY ALL""").df()
        for name, sub in [("all", t), *t.groupby("cluster")]:
            h = sub.pivot_table(index="account_id", columns="how", values="n", aggfunc="sum", fill_value=0)
            h = h.reindex(columns=range(168), fill_value=0).to_numpy(dtype=float)
            h = h[h.sum(axis=1) >= 20]
            if len(h) < 3:
                continue
            units = h * (h.sum(axis=1).mean() / h.sum(axis=1))[:, None]
            fit = fit_clock(units, n_bootstrap=200, rng=rng)
            off = fit.utc_offset
            rows.append({"season": season, "group": name, "n_accounts": len(h), "utc_offset": format_offset(off),
                         "confidence": round(fit.confidence, 3), "interval": f"{fit.offset_low:g}..{fit.offset_high:g}",
                         "workday": fit.pattern.describe(), "dispersion": round(fit.dispersion, 1),
                         "pattern": working_pattern(units.sum(axis=0), off)["pattern"]})
    ws.con.unregister("_g")
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workspace", type=Path, default=None)
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"skipped: {DATA} not found (the shared data folder beside the repository)")
    path = args.workspace or Path(tempfile.mkdtemp(prefix="ira_ws_"))
    t0 = time.time()
    with lockstep.Workspace(path, threads=2) as ws:
        if ws.query("SELECT count(*) AS n FROM posts").column("n")[0].as_py() == 0:
            load(ws)
        n = ws.query("SELECT count(*) AS n, count(DISTINCT account_id) AS a FROM posts").to_pylist()[0]
        print(f"loaded {n['n']:,} tweets by {n['a']:,} accounts in {time.time() - t0:.0f} s")
        t1 = time.time()
        groups = categories()
        s = PersonaSignals(groups=groups, n_bootstrap=200, random_state=0).fit(ws)
        print(f"PersonaSignals.fit: {time.time() - t1:.0f} s; notes: {s.notes_}")
        sched = s.schedule_.to_pandas()
        cols = ["group", "n_accounts", "n_posts", "utc_offset_label", "confidence", "offset_low", "offset_high",
                "workday", "dispersion", "office_share", "weekend_ratio", "night_share", "active_hours", "n_blocks",
                "pattern", "holiday_ratio_ru", "holiday_ratio_us", "claimed_offset_low", "claimed_offset_high",
                "claimed_share"]
        pd.set_option("display.width", 250)
        pd.set_option("display.max_columns", 30)
        pd.set_option("display.max_colwidth", 60)
        print("\nInferred operator clock (accounts weighted equally; DST-naive):")
        print(sched[cols].to_string(index=False))
        print("\nOffsets the data cannot rule out (probability, most probable working day at each):")
        for r in sched.itertuples():
            print(f"  {r.group}: {r.offset_alternatives}")
        print("\nLocal-time hourly profile of 'all' at the inferred offset (share of activity per local hour):")
        prof = sched.loc[sched["group"] == "all", "local_profile"].iloc[0]
        print(" ".join(f"{h:02d}:{100 * v:4.1f}%" for h, v in enumerate(prof)))
        acc = s.accounts_.to_pandas()
        a = acc.dropna(subset=["utc_offset"])
        print(f"\nPer-account clocks ({len(a)} accounts with ≥ 50 tweets): offset distribution")
        print(a["utc_offset"].astype(float).value_counts().sort_index().to_string())
        print("\nSeasonal check (US DST moves a US clock by 1 h in UTC; Moscow time does not move):")
        print(seasonal(ws, groups, np.random.default_rng(0)).to_string(index=False))
        # The same histogram read on Moscow time, for the record.
        h = ws.con.sql("""SELECT ((isodow(created_at) - 1) * 24 + hour(created_at))::INT AS how, count(*) AS n
                          FROM posts GROUP BY 1""").df()
        hist = np.zeros(168)
        hist[h["how"].to_numpy()] = h["n"].to_numpy()
        wp = working_pattern(hist, 3)
        print(f"\nAll tweets (posts-weighted) best offset {format_offset(best_offset(hist))}; read at UTC+3: "
              f"{wp['pattern']}, office share {wp['office_share']:.2f}, weekend/weekday {wp['weekend_ratio']:.2f}")


if __name__ == "__main__":
    main()
