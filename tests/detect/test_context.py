"""A workspace's detection indexes are built once per connection and rebuilt when the posts change."""

from __future__ import annotations

from lockstep.detect import pair_counts
from lockstep.detect._context import Context

from .conftest import T0, post


def test_the_indexes_are_reused_until_an_ingest_changes_the_posts(workspace, tmp_path):
    ws = workspace([
        post("a", 0, "a1", repost_of="x"),
        post("b", 2, "b1", repost_of="x"),
    ])
    assert pair_counts(ws, "co-repost", 60).num_rows == 1
    ws.con.execute("INSERT INTO ls_posts SELECT * FROM ls_posts")  # a marker: reuse keeps it
    with Context.open(ws) as ctx:
        assert ctx.engine.scalar("SELECT count(*) FROM ls_posts") == 4
        assert ctx.n_posts == 2
    # New posts: rebuilt, and the new pair found.
    csv = tmp_path / "more.csv"
    csv.write_text("message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"
                   f"c1,c,c,x,,hi,{int(T0.timestamp()) + 1},\n")
    ws.ingest(csv, format="cnt", platform="twitter")
    with Context.open(ws) as ctx:
        assert ctx.engine.scalar("SELECT count(*) FROM ls_posts") == 3
    assert pair_counts(ws, "co-repost", 60).num_rows == 3


def test_the_indexes_are_rebuilt_when_posts_are_deleted_behind_lockstep(workspace):
    ws = workspace([
        post("a", 0, "a1", repost_of="x"),
        post("b", 2, "b1", repost_of="x"),
        post("c", 3, "c1", repost_of="x"),
    ])
    assert pair_counts(ws, "co-repost", 60).num_rows == 3
    ws.con.execute("DELETE FROM posts WHERE account_id = 'c'")
    assert pair_counts(ws, "co-repost", 60).num_rows == 1


def test_the_indexes_are_rebuilt_when_their_tables_were_dropped(workspace):
    ws = workspace([
        post("a", 0, "a1", repost_of="x"),
        post("b", 2, "b1", repost_of="x"),
    ])
    assert pair_counts(ws, "co-repost", 60).num_rows == 1
    ws.con.execute("DROP TABLE ls_posts")
    assert pair_counts(ws, "co-repost", 60).num_rows == 1
