"""Helpers that keep outputs byte-identical from run to run."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["FLOAT_DECIMALS", "round_floats"]

# DuckDB sums doubles in parallel, in an order that varies from run to run, so the last bits of a
# weight can differ between identical runs. Rounding what is stored and exported to 9 decimals
# keeps results byte-identical; no score needs more precision.
FLOAT_DECIMALS = 9


def round_floats(table: pa.Table) -> pa.Table:
    """``table`` with every floating-point column rounded to :data:`FLOAT_DECIMALS` decimals."""
    for i, field in enumerate(table.schema):
        if pa.types.is_floating(field.type):
            table = table.set_column(i, field, pc.round(table.column(i), FLOAT_DECIMALS))
    return table
