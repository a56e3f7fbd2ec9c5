"""Evidence: the post pairs behind every kept edge, so each claim can be checked by hand."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["EVIDENCE_SCHEMA", "RING_SIGNAL", "SOURCE_SIGNALS", "empty_evidence", "evidence_for_kept", "evidence_rows",
           "restrict_evidence"]

_TS = pa.timestamp("us", tz="UTC")

#: One row per co-action (post pair) behind a kept edge (``evidence``).
EVIDENCE_SCHEMA = pa.schema([
    ("signal", pa.string()),
    ("platform_a", pa.string()), ("account_a", pa.string()), ("post_a", pa.string()),
    ("platform_b", pa.string()), ("account_b", pa.string()), ("post_b", pa.string()),
    ("object", pa.string()),      # what they both acted on: post, URL, text, hashtags, ...
    ("t_a", _TS), ("t_b", _TS),
    ("dt_s", pa.float64()),       # t_b - t_a in seconds (signed)
])


#: Evidence rows of the accounts an amplification ring brought in (``lockstep.detect._ring``):
#: ``b`` a ring member's repost, ``a`` the post it pushed (its author need not be a member).
RING_SIGNAL = "ring"

#: Evidence rows that are not co-actions of a signal's edge: why an account joined a cluster as
#: its source (``source``: ``a`` first posted the rare object that member ``b`` shared within the
#: window), as a forwarder (``forward``: ``b`` reposted ``a``'s first post of a rare object the
#: members went on to share) or as a member of an amplification ring (``ring``, above). ``a`` is
#: always the earlier post.
SOURCE_SIGNALS = ("source", "forward", RING_SIGNAL)


def empty_evidence() -> pa.Table:
    return EVIDENCE_SCHEMA.empty_table()


def evidence_for_kept(det: Any, ctx: Any, p: str) -> pa.Table:
    """The evidence rows of the screened edges of one detector run (tables prefixed ``p``).

    Screened edges are a superset of kept ones; a Detection run trims the evidence to the edges
    it finally keeps.
    """
    e = ctx.engine
    t = e.fetch_arrow(
        f"""SELECT aa.platform AS platform_a, aa.account_id AS account_a, pa.post_id AS post_a,
       bb.platform AS platform_b, bb.account_id AS account_b, pb.post_id AS post_b,
       {det.object_label_sql('o.object')} AS object, x.t_a, x.t_b
FROM {p}_pairs AS x
JOIN {p}_kept AS k ON k.acc_a = x.acc_a AND k.acc_b = x.acc_b AND k.screened
JOIN {ctx.accounts} AS aa ON aa.acc = x.acc_a
JOIN {ctx.accounts} AS bb ON bb.acc = x.acc_b
JOIN {ctx.posts} AS pa ON pa.pid = x.pid_a
JOIN {ctx.posts} AS pb ON pb.pid = x.pid_b
JOIN {p}_obj AS o ON o.obj = x.obj
ORDER BY aa.platform, aa.account_id, bb.platform, bb.account_id, x.t_a, x.t_b, pa.post_id, pb.post_id"""
    )
    return evidence_rows(t, det.signal)


def evidence_rows(t: pa.Table, signal: str) -> pa.Table:
    """Evidence rows (``EVIDENCE_SCHEMA``) from a query result.

    ``t`` has platform_a, account_a, post_a, platform_b, account_b, post_b, object and the
    times t_a, t_b in microseconds since the epoch; every row gets ``signal``.
    """
    n = t.num_rows
    t_a = t["t_a"].cast(pa.int64())
    t_b = t["t_b"].cast(pa.int64())
    dt = pc.divide(pc.subtract(t_b, t_a).cast(pa.float64()), 1e6)
    return pa.table(
        {
            "signal": pa.array([signal] * n, pa.string()),
            "platform_a": t["platform_a"].cast(pa.string()), "account_a": t["account_a"].cast(pa.string()),
            "post_a": t["post_a"].cast(pa.string()),
            "platform_b": t["platform_b"].cast(pa.string()), "account_b": t["account_b"].cast(pa.string()),
            "post_b": t["post_b"].cast(pa.string()),
            "object": t["object"].cast(pa.string()),
            "t_a": t_a.cast(_TS), "t_b": t_b.cast(_TS), "dt_s": dt,
        },
        schema=EVIDENCE_SCHEMA,
    )


def restrict_evidence(evidence: pa.Table, edges: pa.Table) -> pa.Table:
    """The evidence rows whose (signal, account pair) is a kept edge of ``edges``."""
    import polars as pl

    if evidence.num_rows == 0:
        return evidence
    keys = ["signal", "platform_a", "account_a", "platform_b", "account_b"]
    kept = pl.from_arrow(edges.select([*keys, "kept"])).filter(pl.col("kept")).select(keys)
    out = pl.from_arrow(evidence).join(kept, on=keys, how="semi", maintain_order="left")
    return out.to_arrow().cast(EVIDENCE_SCHEMA)
