"""Parity with CooRTweet 2.1.3 on its own russian_coord_tweets sample (co-share, 10 s window).

The reference is CooRTweet's output in ``../shared/data/coortweet/reference``:
``detect_groups(x, time_window = 10, min_participation = 2)`` (447 co-shares) and
``generate_coordinated_network(result, edge_weight = 0.5)`` (442 edges, 525 accounts; 4 edges
above the weight median). ``bench/coortweet_rule.py`` works CooRTweet's rule out of these files;
it is the only candidate rule that reproduces all 447 co-shares and nothing more:

1. pairs: two shares of the same object by two different accounts with ``|Δt| <= 10`` s
   (inclusive);
2. ``min_participation = 2``, applied twice: before pairing, only accounts with at least 2 shares
   in the input take part; after pairing, a co-share is kept when *either* of its two accounts
   has at least 2 of its shares among the co-shares;
3. an edge per account pair, weight = number of co-shares, ``avg_time_delta`` = their mean
   ``|Δt|``; the thresholded graph keeps edges with weight above the median of all weights.

lockstep's co-repost, raw (``null=None, min_count=1``), reproduces step 1 exactly. Step 2 has no
lockstep equivalent: ``min_count`` is a per-edge threshold (distinct objects of a pair), not a
per-account participation count, so the tests apply CooRTweet's participation rule to lockstep's
evidence themselves (``coortweet_min_participation``) to check everything else.

The one difference, explained: CooRTweet's sample repeats some ``content_id`` values (40 rows: one
tweet id listed under two objects). lockstep keys a post by ``(platform, post_id)``, so it stores
the first row and lists the second in the ``duplicates`` table; CooRTweet's participation count
counts input rows, so such a tweet counts twice. One reference co-share (weight-1 edge, two
accounts) is kept by CooRTweet only because of that double count.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from lockstep import Workspace
from lockstep.detect import CoRepost

COORTWEET = Path(__file__).resolve().parents[2] / "../shared/data/coortweet"
REFERENCE = COORTWEET / "reference"

pytestmark = pytest.mark.skipif(
    not (REFERENCE / "russian_detect_groups.csv").is_file(),
    reason=f"CooRTweet reference outputs not available at {REFERENCE.resolve()}",
)


@pytest.fixture(scope="module")
def parity(tmp_path_factory):
    """lockstep's raw co-repost evidence and CooRTweet's reference, side by side in DuckDB."""
    with Workspace(tmp_path_factory.mktemp("coortweet") / "ws") as ws:
        [ingested] = ws.ingest(COORTWEET / "russian_coord_tweets.csv.gz", format="coortweet")
        detector = CoRepost(window=10, min_count=1, null=None, max_pairs_per_object=None, evidence=True).fit(ws)
        posts = ws.query("SELECT post_id, account_id FROM posts")
        duplicates = ws.query("SELECT post_id, source_line FROM duplicates")
    con = duckdb.connect()
    for name, table in (("ev", detector.evidence_), ("edges", detector.edges_), ("posts", posts),
                        ("duplicates", duplicates)):
        con.register(f"{name}_arrow", table)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow").fetchall()
    for name in ("russian_detect_groups", "russian_network_edges", "russian_network_nodes",
                 "russian_network_edges_subgraph1"):
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{REFERENCE / name}.csv')").fetchall()
    con.execute("""CREATE TABLE ref_coshares AS
        SELECT object_id, least(content_id, content_id_y) AS post_1, greatest(content_id, content_id_y) AS post_2,
               time_delta FROM russian_detect_groups""").fetchall()
    con.execute("""CREATE TABLE lockstep_coshares AS
        SELECT split_part(object, ':', 2) AS object_id, least(post_a, post_b) AS post_1,
               greatest(post_a, post_b) AS post_2, abs(dt_s) AS time_delta, account_a, post_a, account_b, post_b
        FROM ev""").fetchall()
    coortweet_min_participation(con, 2)
    return ingested, con


def coortweet_min_participation(con: duckdb.DuckDBPyConnection, k: int) -> None:
    """CooRTweet's min_participation (missing from lockstep) applied to lockstep's co-shares → ``kept``."""
    con.execute(f"""CREATE TABLE kept AS
        WITH eligible AS (SELECT account_id FROM posts GROUP BY account_id HAVING count(*) >= {k}),
        pairs AS (
            SELECT * FROM lockstep_coshares
            WHERE account_a IN (SELECT account_id FROM eligible) AND account_b IN (SELECT account_id FROM eligible)
        ),
        taking_part AS (SELECT account_a AS account, post_a AS post FROM pairs
                        UNION SELECT account_b, post_b FROM pairs),
        active AS (SELECT account FROM taking_part GROUP BY account HAVING count(*) >= {k})
        SELECT * FROM pairs
        WHERE account_a IN (SELECT account FROM active) OR account_b IN (SELECT account FROM active)""").fetchall()


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_the_sample_ingests_with_forty_repeated_content_ids_counted_as_duplicates(parity):
    ingested, con = parity
    assert (ingested.n_read, ingested.n_accepted, ingested.n_duplicates, ingested.n_rejected) == (35_125, 35_085, 40, 0)
    assert rows(con, "SELECT count(*), count(DISTINCT post_id) FROM duplicates") == [(40, 40)]


def test_raw_co_repost_pairs_every_share_pair_within_ten_seconds_inclusive(parity):
    _, con = parity
    # 1,098 pairs before min_participation (bench/coortweet_rule.py counts the same from the CSV);
    # 44 of CooRTweet's co-shares are exactly 10 s apart, so the bound must be inclusive.
    assert rows(con, "SELECT count(*), max(time_delta), count(*) FILTER (WHERE time_delta = 10) FROM lockstep_coshares") \
        == [(1_098, 10.0, 114)]
    # Every one of CooRTweet's 447 co-shares is among them.
    assert rows(con, "SELECT count(*) FROM ref_coshares ANTI JOIN lockstep_coshares USING (object_id, post_1, post_2)") \
        == [(0,)]


def test_with_coortweets_participation_rule_the_co_shares_are_the_reference_but_one_explained(parity):
    _, con = parity
    both = rows(con, "SELECT count(*) FROM kept SEMI JOIN ref_coshares USING (object_id, post_1, post_2)")
    only_lockstep = rows(con, "SELECT * FROM kept ANTI JOIN ref_coshares USING (object_id, post_1, post_2)")
    only_coortweet = rows(con, """
        SELECT r.object_id, r.post_1, r.post_2, d.post_id IS NOT NULL AS involves_a_repeated_content_id
        FROM ref_coshares r LEFT JOIN duplicates d ON d.post_id IN (r.post_1, r.post_2)
        ANTI JOIN kept k ON k.object_id = r.object_id AND k.post_1 = r.post_1 AND k.post_2 = r.post_2""")
    assert both == [(446,)]
    assert only_lockstep == []
    assert only_coortweet == [(
        "562f9c38950628ffd9dd643e20638be7", "6c25a114a7bd6d967761ac184e1716e0", "ae23532e68237f501d402f829afe8d8d", True,
    )]
    # Why: account 8637162… takes part in co-shares with one tweet only, ae23532e…, which the input
    # lists twice (under two objects). CooRTweet counts input rows, so two (min_participation met);
    # lockstep stores the tweet once, so one. The other account, 8423976…, has one either way.
    csv = COORTWEET / "russian_coord_tweets.csv.gz"
    assert rows(con, f"""SELECT account_id, object_id FROM read_csv('{csv}')
                         WHERE content_id = 'ae23532e68237f501d402f829afe8d8d' ORDER BY object_id""") == [
        ("8637162562f6b9c0ac0ac40d1cc6b296", "562f9c38950628ffd9dd643e20638be7"),
        ("8637162562f6b9c0ac0ac40d1cc6b296", "ee52c100820c7354a83c460a38b598ae"),
    ]
    assert rows(con, """SELECT account, count(DISTINCT post) FROM (
                            SELECT account_a AS account, post_a AS post FROM lockstep_coshares
                            UNION ALL SELECT account_b, post_b FROM lockstep_coshares)
                        WHERE account IN ('8637162562f6b9c0ac0ac40d1cc6b296', '8423976569bd6209491969b598db2668')
                        GROUP BY account ORDER BY account""") == [
        ("8423976569bd6209491969b598db2668", 1), ("8637162562f6b9c0ac0ac40d1cc6b296", 1)]


def test_edges_have_coortweets_weights_and_mean_delays(parity):
    _, con = parity
    con.execute("""CREATE OR REPLACE TEMP TABLE lockstep_edges AS
        SELECT least(account_a, account_b) AS a, greatest(account_a, account_b) AS b,
               count(*) AS weight, avg(time_delta) AS avg_time_delta FROM kept GROUP BY ALL""").fetchall()
    con.execute("""CREATE OR REPLACE TEMP TABLE ref_edges AS
        SELECT least(account_id, account_id_y) AS a, greatest(account_id, account_id_y) AS b, weight, avg_time_delta
        FROM russian_network_edges""").fetchall()
    assert rows(con, "SELECT count(*) FROM ref_edges") == [(442,)]
    assert rows(con, "SELECT count(*) FROM ref_edges JOIN lockstep_edges USING (a, b, weight, avg_time_delta)") == [(441,)]
    assert rows(con, "SELECT count(*) FROM lockstep_edges ANTI JOIN ref_edges USING (a, b)") == [(0,)]
    # The missing edge is the pair of the explained co-share, weight 1.
    assert rows(con, "SELECT a, b, weight FROM ref_edges ANTI JOIN lockstep_edges USING (a, b)") == [
        ("8423976569bd6209491969b598db2668", "8637162562f6b9c0ac0ac40d1cc6b296", 1)]
    # lockstep's own edge counts (n_pairs, before any participation filter) are CooRTweet's weights.
    assert rows(con, """SELECT count(*) FROM ref_edges r JOIN edges e
                        ON e.account_a = r.a AND e.account_b = r.b AND e.n_pairs = r.weight""") == [(442,)]


def test_the_thresholded_graph_keeps_the_same_four_edges(parity):
    _, con = parity
    # CooRTweet: weight_threshold = weight > quantile(weights, 0.5); subgraph = those edges.
    lockstep_heavy = rows(con, """
        WITH w AS (SELECT least(account_a, account_b) AS a, greatest(account_a, account_b) AS b, count(*) AS weight
                   FROM kept GROUP BY ALL)
        SELECT a, b, weight FROM w WHERE weight > (SELECT quantile_cont(weight, 0.5) FROM w) ORDER BY a, b""")
    reference = rows(con, """SELECT least(account_id, account_id_y), greatest(account_id, account_id_y), weight
                            FROM russian_network_edges_subgraph1 ORDER BY 1, 2""")
    assert len(reference) == 4
    assert lockstep_heavy == reference


def test_accounts_degrees_and_strengths_match_but_for_the_explained_pair(parity):
    _, con = parity
    nodes = rows(con, """
        WITH w AS (SELECT least(account_a, account_b) AS a, greatest(account_a, account_b) AS b, count(*) AS weight
                   FROM kept GROUP BY ALL),
        d AS (SELECT account, count(*) AS degree, sum(weight) AS strength
              FROM (SELECT a AS account, weight FROM w UNION ALL SELECT b, weight FROM w) GROUP BY account)
        SELECT count(*) AS n_reference,
               count(d.account) FILTER (WHERE d.degree = n.degree AND d.strength = n.strength) AS n_same,
               list(n.account_id ORDER BY n.account_id) FILTER (WHERE d.account IS NULL) AS missing
        FROM russian_network_nodes n LEFT JOIN d ON d.account = n.account_id""")
    assert nodes == [(525, 523, ["8423976569bd6209491969b598db2668", "8637162562f6b9c0ac0ac40d1cc6b296"])]
