"""Work out CooRTweet 2.1.3's co-share rule from its reference outputs on russian_coord_tweets.

Reads ``../shared/data/coortweet`` (the shares and CooRTweet's own ``detect_groups`` output) and
tests candidate rules against the reference: which pairs of shares count, how ``min_participation``
filters, and how edge weights are built. Prints, for each candidate, how many reference co-shares
it reproduces and how many it adds. Run: ``.venv/bin/python bench/coortweet_rule.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

DATA = Path(__file__).resolve().parents[1] / "../shared/data/coortweet"
WINDOW = 10
MIN_PARTICIPATION = 2


def main() -> int:
    if not (DATA / "reference").is_dir():
        print(f"skipped: {DATA} is absent")
        return 0
    con = duckdb.connect()
    con.execute(f"CREATE TABLE s AS SELECT * FROM read_csv('{DATA}/russian_coord_tweets.csv.gz')")
    con.execute(f"CREATE TABLE g AS SELECT * FROM read_csv('{DATA}/reference/russian_detect_groups.csv')")
    con.execute(f"CREATE TABLE e AS SELECT * FROM read_csv('{DATA}/reference/russian_network_edges.csv')")
    con.execute(f"CREATE TABLE n AS SELECT * FROM read_csv('{DATA}/reference/russian_network_nodes.csv')")
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731

    print("reference co-shares:", q("SELECT count(*) FROM g")[0][0])
    print("  content_id earlier or same time as content_id_y, time_delta = t_y - t_x:",
          q("""SELECT count(*) FILTER (WHERE b.timestamp_share - a.timestamp_share = g.time_delta), count(*)
               FROM g JOIN s a ON a.content_id = g.content_id AND a.account_id = g.account_id
                      JOIN s b ON b.content_id = g.content_id_y AND b.account_id = g.account_id_y""")[0])
    print("  self-pairs (same account):", q("SELECT count(*) FROM g WHERE account_id = account_id_y")[0][0])
    print("  time_delta range:", q("SELECT min(time_delta), max(time_delta) FROM g")[0])

    # Every pair of shares of one object by two different accounts within the window, once
    # (unordered: CooRTweet orders by time, and ties are in no order we rely on).
    con.execute(f"""
        CREATE TABLE pairs AS
        SELECT a.object_id, a.content_id AS c1, b.content_id AS c2, a.account_id AS a1, b.account_id AS a2,
               abs(b.timestamp_share - a.timestamp_share) AS dt
        FROM s a JOIN s b ON a.object_id = b.object_id
         AND abs(b.timestamp_share - a.timestamp_share) <= {WINDOW}
         AND a.account_id <> b.account_id
         AND (a.timestamp_share, a.content_id, a.account_id) < (b.timestamp_share, b.content_id, b.account_id)
    """)
    con.execute("""CREATE TABLE ref AS SELECT object_id,
                   least(content_id, content_id_y) AS c1, greatest(content_id, content_id_y) AS c2,
                   least(account_id, account_id_y) AS a1, greatest(account_id, account_id_y) AS a2 FROM g""")
    con.execute("""CREATE TABLE cand AS SELECT object_id, least(c1, c2) AS c1, greatest(c1, c2) AS c2,
                   least(a1, a2) AS a1, greatest(a1, a2) AS a2, dt FROM pairs""")
    print("\ncandidate pairs (same object, different accounts, |dt| <= 10):", q("SELECT count(*) FROM cand")[0][0])
    print("  with |dt| <= 9 only:", q("SELECT count(*) FROM cand WHERE dt <= 9")[0][0],
          " reference rows with dt = 10:", q("SELECT count(*) FROM g WHERE time_delta = 10")[0][0])

    # min_participation candidates: which accounts are kept.
    rules = {
        "none": "SELECT DISTINCT a1 AS account FROM cand UNION SELECT a2 FROM cand",
        "account has >= 2 shares in the input (pre-filter)":
            f"SELECT account_id AS account FROM s GROUP BY 1 HAVING count(*) >= {MIN_PARTICIPATION}",
        "account has > 2 shares in the input (pre-filter)":
            f"SELECT account_id AS account FROM s GROUP BY 1 HAVING count(*) > {MIN_PARTICIPATION}",
        "account in >= 2 co-share rows":
            f"SELECT account FROM (SELECT a1 AS account FROM cand UNION ALL SELECT a2 FROM cand) GROUP BY 1 HAVING count(*) >= {MIN_PARTICIPATION}",
        "account with >= 2 distinct objects among its co-shares":
            f"SELECT account FROM (SELECT a1 AS account, object_id FROM cand UNION ALL SELECT a2, object_id FROM cand) GROUP BY 1 HAVING count(DISTINCT object_id) >= {MIN_PARTICIPATION}",
        "account with >= 2 distinct own shares (content_id) among its co-shares":
            f"SELECT account FROM (SELECT a1 AS account, c1 AS c FROM cand UNION ALL SELECT a2, c2 FROM cand) GROUP BY 1 HAVING count(DISTINCT c) >= {MIN_PARTICIPATION}",
    }
    print(f"\n{'min_participation rule':<75} {'kept':>6} {'match':>6} {'missing':>8} {'extra':>6}")
    for name, accounts in rules.items():
        for both in (True, False):
            cond = "a1 IN (SELECT account FROM k) AND a2 IN (SELECT account FROM k)" if both else \
                   "(a1 IN (SELECT account FROM k) OR a2 IN (SELECT account FROM k))"
            con.execute(f"CREATE OR REPLACE TEMP TABLE k AS {accounts}")
            con.execute(f"CREATE OR REPLACE TEMP TABLE kept AS SELECT * FROM cand WHERE {cond}")
            kept, match = q("SELECT (SELECT count(*) FROM kept), (SELECT count(*) FROM kept SEMI JOIN ref USING (object_id, c1, c2))")[0]
            missing = q("SELECT count(*) FROM ref ANTI JOIN kept USING (object_id, c1, c2)")[0][0]
            label = f"{name} [{'both' if both else 'either'} accounts]"
            print(f"{label:<75} {kept:>6} {match:>6} {missing:>8} {kept - match:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
