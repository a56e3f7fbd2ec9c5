"""Does the operator's clock recover the time zone of simulated campaigns, and is its confidence honest?

For `lockstep simulate` scenarios, each planted campaign's members are one group; the simulator's
labels give the campaign's operator_utc_offset. For campaigns of ≥ 10 accounts this counts how
often the inferred offset is within ±1 h (on the 24-hour clock) of the truth, the mean error, and
a reliability table: campaigns binned by stated confidence (the model's probability of being
within ±1 h), stated against observed hit rate.

Seeds 0–59 are the ones the model was developed on; seeds 60–99 were held out and run once the
model was fixed. Report both, separately (--seeds 0:60 and --seeds 60:100).

Run: flock /tmp/lockstep-bench.lock .venv/bin/python bench/personas_simulate.py --seeds 60:100
     (about 6–8 s per seed; the per-account clocks are skipped, only group clocks are measured)
"""

from __future__ import annotations

import argparse
import tempfile
import time

import numpy as np
import pandas as pd
import pyarrow as pa

import lockstep
from lockstep.personas import PersonaSignals
from lockstep.schema import POSTS
from lockstep.simulate import simulate

BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)


def build(path: str, sc) -> lockstep.Workspace:  # type: ignore[no-untyped-def]
    ws = lockstep.Workspace(path)
    posts = sc.posts
    cols = {f.name: (posts[f.name] if f.name in posts.column_names else pa.nulls(posts.num_rows, f.type))
            for f in POSTS}
    cols["source_file"] = pa.array(["simulated"] * posts.num_rows)
    ws.con.register("_p", pa.table(cols).cast(POSTS))
    ws.con.execute("INSERT INTO posts BY NAME SELECT * FROM _p")
    ws.con.unregister("_p")
    ws.con.register("_a", posts.select(["platform", "account_id", "handle", "display_name", "bio",
                                        "account_created_at", "location", "created_at"]))
    ws.con.execute("""
INSERT INTO account_observations (platform, account_id, handle, display_name, bio, created_at, location,
                                  observed_at, source_file, obs_hash)
SELECT platform, account_id, any_value(handle), any_value(display_name), any_value(bio),
       any_value(account_created_at), any_value(location), max(created_at), 'simulated', md5(account_id)
FROM _a GROUP BY platform, account_id""")
    ws.con.unregister("_a")
    return ws


def circular_error(a: float, b: float) -> float:
    d = abs(a - b) % 24
    return min(d, 24 - d)


def reliability(df: pd.DataFrame) -> pd.DataFrame:
    """Campaigns binned by stated confidence: count, mean stated confidence, observed hit rate."""
    hit = df["error_h"] <= 1
    b = pd.cut(df["confidence"], BINS, right=False)
    return (df.assign(hit=hit, bin=b).groupby("bin", observed=True)
            .agg(n=("hit", "size"), stated=("confidence", "mean"), observed=("hit", "mean")).round(3))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="0:60", help="range start:stop")
    ap.add_argument("--scenario", default="default")
    ap.add_argument("--n-bootstrap", type=int, default=100)
    ap.add_argument("--out", default=None, help="write the per-campaign table to this CSV")
    args = ap.parse_args()
    lo, hi = (int(x) for x in args.seeds.split(":"))
    rows = []
    t0 = time.time()
    for seed in range(lo, hi):
        sc = simulate(args.scenario, seed=seed)
        labels = sc._labels().to_pandas()
        camp = labels[labels["role"] == "campaign"].dropna(subset=["campaign"])
        groups = pd.DataFrame({"platform": camp["platform"], "account_id": camp["account_id"],
                               "cluster": camp["campaign"]})
        truth = camp.groupby("campaign")["operator_utc_offset"].first()
        with build(tempfile.mkdtemp(prefix="sim_ws_"), sc) as ws:
            s = PersonaSignals(groups=groups, n_bootstrap=args.n_bootstrap, min_posts_clock=10**9,
                               random_state=seed).fit(ws)
        sched = s.schedule_.to_pandas()
        for r in sched[sched["group_kind"] == "cluster"].itertuples():
            true = float(truth[r.group])
            rows.append({"seed": seed, "campaign": r.group, "n_accounts": r.n_accounts, "n_posts": r.n_posts,
                         "true": true, "inferred": float(r.utc_offset),
                         "error_h": circular_error(float(r.utc_offset), true),
                         "confidence": r.confidence, "low": float(r.offset_low), "high": float(r.offset_high),
                         "workday": r.workday, "pattern": r.pattern, "elsewhere": r.offset_elsewhere})
    df = pd.DataFrame(rows)
    if args.out:
        df.to_csv(args.out, index=False)
    pd.set_option("display.width", 250)
    pd.set_option("display.max_colwidth", 90)
    big = df[df["n_accounts"] >= 10]
    miss = big[big["error_h"] > 1]
    print(f"misses (of {len(big)} campaigns with ≥ 10 accounts):")
    print(miss.drop(columns=["pattern"]).to_string(index=False) if len(miss) else "none")
    print("\nreliability of the stated confidence (P(within ±1 h)):")
    print(reliability(big).to_string())
    ok = (big["error_h"] <= 1).mean() if len(big) else np.nan
    # The interval is centred on the estimate; bring the truth onto the same stretch of the clock.
    true_c = big["inferred"] + ((big["true"] - big["inferred"] + 12) % 24) - 12
    inside = float(np.mean((big["low"] <= true_c) & (true_c <= big["high"])))
    print(f"\nseeds {lo}..{hi - 1}: campaigns with ≥ 10 accounts: {len(big)}; offset within ±1 h: {ok:.1%} "
          f"({int((big['error_h'] <= 1).sum())}/{len(big)}); mean |error| {big['error_h'].mean():.2f} h; "
          f"mean stated confidence {big['confidence'].mean():.3f}; truth inside the 90 % interval "
          f"{inside:.1%}; {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
