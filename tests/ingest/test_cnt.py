"""The Coordination Network Toolkit (CNT) CSV reader: eight columns by position, epoch seconds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from lockstep.ingest import READERS, Record, Rejection, Sample, detect_format
from lockstep.workspace import Workspace

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest" / "cnt"


def read(path, **kwargs):
    with open(path, "rb") as f:
        return list(READERS["cnt"](**kwargs).read(f, str(path)))


def post(**fields):
    base = {
        "platform": "unknown", "lang": None, "repost_of": None, "repost_of_account": None, "reply_to": None,
        "reply_to_account": None, "quote_of": None, "urls": [], "domains": [], "hashtags": [], "mentions": [],
        "media": [], "client": None, "venue": None, "title": None, "post_url": None,
    }
    return base | fields


def test_rows_become_posts_reposts_and_replies_with_urls_from_the_urls_column():
    items = read(DATA / "messages.csv")
    assert [(type(i).__name__, i.line) for i in items] == [
        ("Record", 2), ("Record", 3), ("Record", 4), ("Record", 5),
        ("Rejection", 7), ("Rejection", 8), ("Record", 9), ("Record", 10),
    ]
    assert items[0].post == post(
        post_id="1", account_id="100", created_at=datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC), kind="post",
        text="Vote now! https://example.org/a?utm_source=tw #Election", text_norm="vote now! #election",
        # the urls cell, space-delimited, normalised (utm_source dropped)
        urls=["https://example.org/a", "https://news.example.com/b"], domains=["example.org", "example.com"],
        hashtags=["election"],
    )
    assert items[1].post == post(
        post_id="2", account_id="101", created_at=datetime(2023, 11, 14, 22, 13, 25, tzinfo=UTC), kind="repost",
        text="RT @alice: Vote now!", text_norm="vote now!", repost_of="1", mentions=["alice"],
        # an empty urls cell is no URL (CNT would record the URL "")
        urls=[],
    )
    assert items[2].post == post(
        post_id="3", account_id="102", created_at=datetime(2023, 11, 14, 22, 13, 29, 500_000, tzinfo=UTC),
        kind="reply", text="@alice agreed", text_norm="agreed", reply_to="1", mentions=["alice"],
    )
    assert items[3].post["text"] == 'A message with a comma, a "quote" and\r\na new line'


def test_the_username_is_the_handle_observed_once_per_account():
    items = [i for i in read(DATA / "messages.csv") if isinstance(i, Record)]
    assert [(a["account_id"], a["handle"]) for i in items for a in i.accounts] == [
        ("100", "alice"), ("101", "bob"), ("102", "carol"), ("103", "dave"),
    ]


def test_relative_timestamps_and_short_rows_are_rejected_with_the_reason_and_raw_row():
    rejections = [i for i in read(DATA / "messages.csv") if isinstance(i, Rejection)]
    assert [(r.line, r.field, r.reason, r.raw) for r in rejections] == [
        (7, "timestamp",
         "timestamp '12' is not epoch seconds (CNT accepts relative offsets; lockstep needs real times)",
         "5,104,eve,,,Relative times are fine in CNT,12,"),
        (8, None,
         "expected 8 columns (message_id, user_id, username, repost_id, reply_id, message, timestamp, urls), found 7",
         "6,105,frank,,,too few columns,1700000020"),
    ]


def test_a_cnt_header_is_detected_and_a_renamed_one_is_not_claimed():
    header = "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"
    assert detect_format(Sample("x.csv", header.encode()), "x.csv").name == "cnt"
    assert READERS["cnt"].sniff(Sample("x.csv", b"id,author,name,rt,re,body,time,links\n")) == 0.0


def test_ingesting_keeps_every_row_accounted_for(tmp_path):
    with Workspace(tmp_path / "ws") as ws:
        [result] = ws.ingest(DATA / "messages.csv", format="cnt")
        assert (result.n_read, result.n_accepted, result.n_duplicates, result.n_rejected) == (8, 5, 1, 2)
        assert ws.con.execute("SELECT post_id, source_line FROM duplicates").fetchall() == [("1", 9)]
