"""Fusion: one strength per account pair from the edges every signal kept."""

from __future__ import annotations

import pyarrow as pa

__all__ = ["FUSED_SCHEMA", "fuse"]

#: The fused account graph (``edges``).
FUSED_SCHEMA = pa.schema([
    ("platform_a", pa.string()), ("account_a", pa.string()),
    ("platform_b", pa.string()), ("account_b", pa.string()),
    ("weight", pa.float64()),        # Σ over signals of the kept edge's inverse-popularity strength
    ("n_signals", pa.int64()),       # how many signals kept this pair
    ("signals", pa.string()),        # which, comma-separated, in registry order
    ("n_objects", pa.int64()),       # Σ over signals of distinct objects (post pairs for synchronous)
    ("min_q_value", pa.float64()),   # smallest BH q-value over the signals (null in raw mode)
])


def fuse(coaction_edges: pa.Table, signal_order: list[str] | None = None) -> pa.Table:
    """Sum the kept per-signal edges into one weighted, undirected account graph.

    Signals are independent views of the same behaviour, so strengths add: a pair that reposts,
    links and writes the same texts together outweighs a pair that only reposts together.
    """
    import polars as pl

    if coaction_edges.num_rows == 0:
        return FUSED_SCHEMA.empty_table()
    order = {s: i for i, s in enumerate(signal_order or [])}
    df = pl.from_arrow(coaction_edges).filter(pl.col("kept"))
    if df.height == 0:
        return FUSED_SCHEMA.empty_table()
    df = df.with_columns(
        pl.col("signal").replace_strict(order, default=len(order), return_dtype=pl.Int64).alias("_o"),
        pl.when(pl.col("signal") == "synchronous").then(pl.col("n_pairs")).otherwise(pl.col("n_objects")).alias("_n"),
    ).sort("_o", "signal")
    keys = ["platform_a", "account_a", "platform_b", "account_b"]
    out = (
        df.group_by(keys, maintain_order=True)
        .agg(
            pl.col("strength").sum().alias("weight"),
            pl.len().cast(pl.Int64).alias("n_signals"),
            pl.col("signal").str.join(",").alias("signals"),
            pl.col("_n").sum().cast(pl.Int64).alias("n_objects"),
            pl.col("q_value").min().alias("min_q_value"),
        )
        .sort(keys)
    )
    return out.to_arrow().cast(FUSED_SCHEMA)
