"""Detection results for report tests: the real engine when it is installed, else a small stand-in.

The stand-in writes the engine's result tables (same names, same columns as lockstep.detect
declares) from two plain signals, so that the report can be tested end to end before and
independently of the engine's tuning: co-repost (same post reposted within 60 s) and copypasta
(same normalised text within 10 min). Pairs with at least ``min_coactions`` co-actions become
edges; connected components of two or more accounts become clusters.
"""

from __future__ import annotations

import json

import pyarrow as pa

from lockstep import Workspace

SIGNALS = {
    "co_repost": ("repost_of", 60),
    "copypasta": ("text_norm", 600),
}


def run_detection(ws: Workspace, *, min_coactions: int = 2) -> str:
    """Fill the result tables of ``ws``; returns "engine" or "stand-in" (which one ran)."""
    try:
        import lockstep.detect as detect
    except ModuleNotFoundError:
        detect = None
    if detect is not None and hasattr(detect, "run_detection"):
        detect.run_detection(ws)
        return "engine"
    return _stand_in(ws, min_coactions=min_coactions)


def _stand_in(ws: Workspace, *, min_coactions: int) -> str:
    import igraph as ig

    con = ws.con
    parts = []
    for signal, (col, window) in SIGNALS.items():
        parts.append(f"""
            SELECT '{signal}' AS signal, a.platform, a.account_id AS account_a, b.account_id AS account_b,
                   a.post_id AS post_a, b.post_id AS post_b, CAST(a.{col} AS VARCHAR) AS object
            FROM posts a JOIN posts b ON a.platform = b.platform AND a.{col} = b.{col}
             AND a.account_id < b.account_id
             AND abs(epoch(b.created_at) - epoch(a.created_at)) <= {window}
            WHERE a.{col} IS NOT NULL AND a.{col} <> ''""")
    con.execute("CREATE OR REPLACE TABLE evidence AS " + " UNION ALL ".join(parts)
                + " ORDER BY signal, platform, account_a, account_b, post_a, post_b")
    con.execute(f"""
        CREATE OR REPLACE TABLE coaction_edges AS
        SELECT signal, platform, account_a, account_b, count(*) AS n_coactions, CAST(count(*) AS DOUBLE) AS weight
        FROM evidence GROUP BY ALL HAVING count(*) >= {min_coactions} ORDER BY ALL""")
    con.execute("""
        CREATE OR REPLACE TABLE edges AS
        SELECT platform, account_a, account_b, sum(weight) AS weight, count(*) AS n_signals
        FROM coaction_edges GROUP BY ALL ORDER BY ALL""")
    rows = con.execute("SELECT platform, account_a, account_b FROM edges ORDER BY ALL").fetchall()
    names = sorted({(p, a) for p, a, _ in rows} | {(p, b) for p, _, b in rows})
    idx = {k: i for i, k in enumerate(names)}
    g = ig.Graph(n=len(names), edges=[(idx[(p, a)], idx[(p, b)]) for p, a, b in rows])
    comps = sorted((sorted(c) for c in g.connected_components() if len(c) >= 2), key=lambda c: (-len(c), c))
    members = [(names[i][0], names[i][1], f"c{k}") for k, comp in enumerate(comps) for i in comp]
    ws.write_table("clusters", pa.table({
        "platform": [m[0] for m in members], "account_id": [m[1] for m in members],
        "cluster": [m[2] for m in members],
    }))
    con.execute("""
        CREATE OR REPLACE TABLE cluster_scores AS
        SELECT c.cluster, count(DISTINCT c.account_id) AS n_accounts, coalesce(sum(e.weight), 0) AS score,
               'The ' || count(DISTINCT c.account_id) || ' accounts acted together '
                 || CAST(coalesce(sum(e.weight), 0) AS BIGINT) || ' times.' AS reason
        FROM clusters c LEFT JOIN edges e ON e.platform = c.platform AND e.account_a = c.account_id
        GROUP BY 1 ORDER BY 1""")
    ws.write_table("detect_runs", pa.table({
        "run_id": [1], "parameters": [json.dumps({"min_coactions": min_coactions,
                                                  "windows": {s: w for s, (_, w) in SIGNALS.items()}})],
    }))
    return "stand-in"
