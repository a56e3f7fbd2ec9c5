"""Work out CooRTweet 2.1.3's co-share rule from its reference outputs on russian_coord_tweets.

Reads ``../shared/data/coortweet`` (the 35,125 shares and CooRTweet's own outputs for
``detect_groups(time_window = 10, min_participation = 2)`` and
``generate_coordinated_network(edge_weight = 0.5)``) and tests candidate rules against them:
which pairs of shares count, how ``min_participation`` filters, how edges are weighted. Each
candidate prints how many reference co-shares it reproduces, misses and adds; the rule that
tests/detect/test_coortweet_parity.py encodes is the only one with 0 missing and 0 extra.

Run: ``.venv/bin/python bench/coortweet_rule.py`` (about a second).
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

DATA = Path(__file__).resolve().parents[1] / "../shared/data/coortweet"

# One candidate co-share rule: the three choices the reference files have to settle.
#   prefilter: keep only accounts with >= 2 shares in the input before pairing
#   window:    the time condition on a pair
#   keep:      which pairs min_participation keeps after pairing
PAIR_SQL = """
    WITH x AS (
        SELECT *, row_number() OVER () AS id FROM s
        {prefilter}
    ),
    r AS (  -- every pair of shares of one object by two accounts, each pair once
        SELECT a.object_id, a.content_id AS c1, b.content_id AS c2, a.account_id AS a1, b.account_id AS a2,
               abs(a.timestamp_share - b.timestamp_share) AS dt
        FROM x a JOIN x b ON a.object_id = b.object_id AND a.id < b.id AND {window}
        WHERE a.content_id <> b.content_id AND a.account_id <> b.account_id
    ),
    part AS (  -- the input rows (after the pre-filter) whose content takes part in some pair
        SELECT account_id, content_id, object_id FROM x
        WHERE content_id IN (SELECT c1 FROM r UNION SELECT c2 FROM r)
    ),
    active AS (  -- the contents of accounts with >= 2 such rows
        SELECT content_id FROM part
        WHERE account_id IN (SELECT account_id FROM part GROUP BY account_id HAVING {count} >= 2)
    )
    SELECT object_id, least(c1, c2) AS c1, greatest(c1, c2) AS c2 FROM r
    WHERE {keep}
"""

EITHER = "c1 IN (SELECT content_id FROM active) OR c2 IN (SELECT content_id FROM active)"
BOTH = "c1 IN (SELECT content_id FROM active) AND c2 IN (SELECT content_id FROM active)"
PREFILTER = "WHERE account_id IN (SELECT account_id FROM s GROUP BY 1 HAVING count(*) >= 2)"
RULES = {
    # name: (prefilter, window, count, keep)
    "CooRTweet 2.1.3: pre-filter >= 2 shares; |dt| <= 10; keep a pair if EITHER account has >= 2 input rows in pairs":
        (PREFILTER, "abs(a.timestamp_share - b.timestamp_share) <= 10", "count(*)",
         EITHER),
    "same, but BOTH accounts must have >= 2 shares in pairs":
        (PREFILTER, "abs(a.timestamp_share - b.timestamp_share) <= 10", "count(*)",
         BOTH),
    "same, without the pre-filter on input shares":
        ("", "abs(a.timestamp_share - b.timestamp_share) <= 10", "count(*)",
         EITHER),
    "same, with |dt| < 10 (exclusive)":
        (PREFILTER, "abs(a.timestamp_share - b.timestamp_share) < 10", "count(*)",
         EITHER),
    "same, participation counted in distinct content ids (not input rows)":
        (PREFILTER, "abs(a.timestamp_share - b.timestamp_share) <= 10", "count(DISTINCT content_id)", EITHER),
    "same, participation counted in distinct objects":
        (PREFILTER, "abs(a.timestamp_share - b.timestamp_share) <= 10", "count(DISTINCT object_id)",
         EITHER),
    "no min_participation at all":
        ("", "abs(a.timestamp_share - b.timestamp_share) <= 10", "count(*)", "true"),
}


def main() -> int:
    if not (DATA / "reference").is_dir():
        print(f"skipped: {DATA.resolve()} is absent")
        return 0
    con = duckdb.connect()
    con.execute(f"CREATE TABLE s AS SELECT * FROM read_csv('{DATA}/russian_coord_tweets.csv.gz')")
    con.execute(f"CREATE TABLE g AS SELECT * FROM read_csv('{DATA}/reference/russian_detect_groups.csv')")
    con.execute(f"CREATE TABLE e AS SELECT * FROM read_csv('{DATA}/reference/russian_network_edges.csv')")
    con.execute(f"CREATE TABLE n AS SELECT * FROM read_csv('{DATA}/reference/russian_network_nodes.csv')")
    con.execute(f"CREATE TABLE sub AS SELECT * FROM read_csv('{DATA}/reference/russian_network_edges_subgraph1.csv')")

    def one(sql: str) -> tuple:
        return con.execute(sql).fetchone()

    print("input:", one("SELECT count(*), count(DISTINCT account_id), count(DISTINCT object_id), "
                        "count(DISTINCT content_id) FROM s"), "(shares, accounts, objects, distinct content ids)")
    print("reference co-shares:", one("SELECT count(*) FROM g")[0])
    print("  rows whose content_id is at or before content_id_y and time_delta = t_y - t_x:",
          one("""SELECT count(*) FILTER (WHERE b.timestamp_share - a.timestamp_share = g.time_delta), count(*)
                 FROM g JOIN s a ON a.content_id = g.content_id AND a.account_id = g.account_id
                        JOIN s b ON b.content_id = g.content_id_y AND b.account_id = g.account_id_y"""))
    print("  self-pairs (same account):", one("SELECT count(*) FROM g WHERE account_id = account_id_y")[0],
          "| time_delta min, max:", one("SELECT min(time_delta), max(time_delta) FROM g"),
          "| rows at exactly 10 s:", one("SELECT count(*) FROM g WHERE time_delta = 10")[0])

    con.execute("CREATE TABLE ref AS SELECT object_id, least(content_id, content_id_y) AS c1, "
                "greatest(content_id, content_id_y) AS c2 FROM g")
    print(f"\n{'candidate rule':<104} {'pairs':>6} {'match':>6} {'missing':>8} {'extra':>6}")
    for name, (prefilter, window, count, keep) in RULES.items():
        con.execute("CREATE OR REPLACE TEMP TABLE kept AS " + PAIR_SQL.format(
            prefilter=prefilter, window=window, count=count, keep=keep))
        kept, match = one("SELECT count(*), count(*) FILTER (WHERE (object_id, c1, c2) IN (SELECT (object_id, c1, c2) FROM ref)) FROM kept")
        missing = one("SELECT count(*) FROM ref ANTI JOIN kept USING (object_id, c1, c2)")[0]
        print(f"{name:<104} {kept:>6} {match:>6} {missing:>8} {kept - match:>6}")

    # Edges: one per unordered account pair; weight = number of co-shares.
    con.execute("""CREATE TABLE w AS SELECT least(account_id, account_id_y) AS a, greatest(account_id, account_id_y) AS b,
                   count(*) AS weight, avg(time_delta) AS avg_dt FROM g GROUP BY ALL""")
    print("\nedges: reference", one("SELECT count(*) FROM e")[0], "| from co-shares grouped by unordered pair",
          one("SELECT count(*) FROM w")[0])
    print("  weight = number of co-shares, avg_time_delta = their mean |dt| (edges agreeing, of all):",
          one("""SELECT count(*) FILTER (WHERE w.weight = e.weight AND abs(w.avg_dt - e.avg_time_delta) < 1e-9), count(*)
                 FROM e JOIN w ON w.a = least(e.account_id, e.account_id_y) AND w.b = greatest(e.account_id, e.account_id_y)"""))
    print("  weight_threshold = weight > quantile(weight, 0.5) (type 7, here",
          one("SELECT quantile_cont(weight, 0.5) FROM e")[0], "):",
          one("SELECT count(*) FILTER (WHERE weight_threshold = (weight > (SELECT quantile_cont(weight, 0.5) FROM e))::int), count(*) FROM e"))
    print("  subgraph = edges with weight_threshold 1:", one("SELECT count(*) FROM sub")[0], "edges,",
          one("SELECT count(*) FROM e WHERE weight_threshold = 1")[0], "in the full edge list")
    print("  nodes: degree and strength (sum of weights) agree for",
          one("""WITH d AS (SELECT acc, count(*) AS degree, sum(weight) AS strength FROM
                   (SELECT a AS acc, weight FROM w UNION ALL SELECT b, weight FROM w) GROUP BY acc)
                 SELECT count(*) FILTER (WHERE d.degree = n.degree AND d.strength = n.strength), count(*)
                 FROM n JOIN d ON d.acc = n.account_id"""), "of", one("SELECT count(*) FROM n")[0], "accounts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
