"""Fixtures for the detection tests: workspaces built from hand-written posts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import pyarrow as pa
import pytest

from lockstep import Workspace
from lockstep.schema import POSTS

T0 = dt.datetime(2024, 3, 1, 12, 0, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    """A time ``seconds`` after T0 (2024-03-01 12:00:00 UTC)."""
    return T0 + dt.timedelta(seconds=seconds)


def post(
    account: str,
    seconds: float,
    post_id: str | None = None,
    *,
    platform: str = "twitter",
    kind: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """One post row; kind defaults to repost/reply when repost_of/reply_to is given."""
    if kind is None:
        kind = "repost" if fields.get("repost_of") else "reply" if fields.get("reply_to") else "post"
    row = {f.name: None for f in POSTS}
    row.update(
        platform=platform, post_id=post_id or f"{account}-{seconds}", account_id=account,
        created_at=at(seconds), kind=kind, source_file="test",
    )
    for name in ("urls", "domains", "hashtags", "mentions", "media"):
        row[name] = []
    row.update(fields)
    if row.get("text") and row.get("text_norm") is None:
        row["text_norm"] = " ".join(row["text"].lower().split())
    return row


def insert(ws: Workspace, rows: Iterable[dict[str, Any]]) -> None:
    table = pa.Table.from_pylist(list(rows), schema=POSTS)
    ws.con.register("_rows", table)
    ws.con.execute("INSERT INTO posts SELECT * FROM _rows")
    ws.con.unregister("_rows")


@pytest.fixture
def workspace(tmp_path) -> Callable[..., Workspace]:
    """Make a fresh workspace holding the given post rows."""
    opened: list[Workspace] = []

    def make(rows: Iterable[dict[str, Any]] = ()) -> Workspace:
        ws = Workspace(tmp_path / f"ws{len(opened)}")
        insert(ws, rows)
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.close()
