"""Does the operator's clock recover the time zone of simulated campaigns?

For `lockstep simulate` scenarios (seeds 0..N-1), each planted campaign's members are one group;
the simulator's labels give the campaign's operator_utc_offset. Counts campaigns of ≥ 10 accounts
whose inferred offset is within ±1 h (on the 24-hour clock) of the truth.

Run: .venv/bin/python bench/personas_simulate.py [--seeds 5] [--scenario default]
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--scenario", default="default")
    args = ap.parse_args()
    rows = []
    t0 = time.time()
    for seed in range(args.seeds):
        sc = simulate(args.scenario, seed=seed)
        labels = sc._labels().to_pandas()
        camp = labels[labels["role"] == "campaign"].dropna(subset=["campaign"])
        groups = pd.DataFrame({"platform": camp["platform"], "account_id": camp["account_id"],
                               "cluster": camp["campaign"]})
        truth = camp.groupby("campaign")["operator_utc_offset"].first()
        with build(tempfile.mkdtemp(prefix="sim_ws_"), sc) as ws:
            s = PersonaSignals(groups=groups, n_bootstrap=100, random_state=seed).fit(ws)
        sched = s.schedule_.to_pandas()
        for r in sched[sched["group_kind"] == "cluster"].itertuples():
            true = float(truth[r.group])
            d = abs(r.utc_offset - true) % 24
            rows.append({"seed": seed, "campaign": r.group, "n_accounts": r.n_accounts, "n_posts": r.n_posts,
                         "true": true, "inferred": r.utc_offset, "error_h": min(d, 24 - d),
                         "confidence": r.confidence, "pattern": r.pattern})
    df = pd.DataFrame(rows)
    pd.set_option("display.width", 200)
    print(df.to_string(index=False))
    big = df[df["n_accounts"] >= 10]
    ok = (big["error_h"] <= 1).mean() if len(big) else np.nan
    print(f"\ncampaigns with ≥ 10 accounts: {len(big)}; offset within ±1 h: {ok:.1%} "
          f"({int((big['error_h'] <= 1).sum())}/{len(big)}); mean |error| {big['error_h'].mean():.2f} h; "
          f"{time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
