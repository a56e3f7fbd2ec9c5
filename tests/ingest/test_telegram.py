"""The Telegram Desktop export reader: channels, full exports, forwards, replies, service messages."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from lockstep.ingest import READERS, Record, Rejection, content_id

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest" / "telegram"


def read(path, **kwargs):
    with open(path, "rb") as f:
        return list(READERS["telegram"](**kwargs).read(f, str(path)))


def post(**fields):
    base = {
        "platform": "telegram", "lang": None, "repost_of": None, "repost_of_account": None, "reply_to": None,
        "reply_to_account": None, "quote_of": None, "urls": [], "domains": [], "hashtags": [], "mentions": [],
        "media": [], "client": None, "title": None, "post_url": None,
    }
    return base | fields


def test_channel_messages_become_posts_forwards_reposts_and_replies_replies():
    items = read(DATA / "result.json")
    assert [(type(i).__name__, i.line) for i in items] == [
        ("Rejection", 1), ("Record", 2), ("Record", 3), ("Record", 4), ("Record", 5)]
    assert (items[0].reason, items[0].field) == ("service message", "type")
    posts = [i.post for i in items[1:]]
    assert posts[0] == post(
        post_id="1001/2", account_id="channel1001", created_at=datetime(2024, 3, 1, 14, 0, 5, tzinfo=UTC),
        kind="post", text="Read this report #Elections via @SourceChannel and https://t.me/x",
        text_norm="read this report #elections via and",
        # the text_link's href (tracking parameter dropped) and the bare link, from the entities
        urls=["https://example.org/report", "https://t.me/x"], domains=["example.org", "t.me"],
        hashtags=["elections"], mentions=["sourcechannel"], venue="Example News",
    )
    photo_signature = ("telegram-media", None, None, None, 51234, 800, 600, None)
    assert posts[1] == post(
        post_id="1001/3", account_id="channel1001", created_at=datetime(2024, 3, 1, 14, 1, tzinfo=UTC),
        kind="repost", text="Same story everywhere", text_norm="same story everywhere",
        # no original id in exports: the origin, the text and the media fingerprint identify it
        repost_of=content_id("telegram-forward", "Origin Channel", "Same story everywhere", *photo_signature[1:]),
        repost_of_account="channel2002", media=[content_id(*photo_signature)], venue="Example News",
    )
    assert posts[2] == post(
        post_id="1001/4", account_id="channel1001", created_at=datetime(2024, 3, 1, 14, 2, tzinfo=UTC),
        kind="repost", text="Forwarded from a hidden profile", text_norm="forwarded from a hidden profile",
        repost_of=content_id("telegram-forward", "Hidden Person", "Forwarded from a hidden profile"),
        # a hidden profile has no forwarded_from_id: a stable id from its name
        repost_of_account=content_id("telegram-forwarded-from", "Hidden Person"), venue="Example News",
    )
    assert posts[3] == post(
        post_id="1001/5", account_id="channel1001", created_at=datetime(2024, 3, 1, 14, 3, tzinfo=UTC),
        kind="reply", text="Update", text_norm="update", reply_to="1001/2", venue="Example News",
    )
    assert items[1].accounts == [{
        "platform": "telegram", "account_id": "channel1001", "handle": None, "display_name": "Example News",
        "bio": None, "created_at": None, "location": None, "url": None, "followers": None, "following": None,
        "posts_count": None, "profile_image": None, "verified": None, "lang": None, "observed_at": None,
    }]


def test_a_full_export_reads_every_chat_and_attributes_old_channel_posts_to_the_channel():
    items = read(DATA / "full_export.json")
    assert [(type(i).__name__, i.line) for i in items] == [("Record", 1), ("Rejection", 2), ("Record", 3)]
    assert [(i.post["post_id"], i.post["account_id"], i.post["venue"], i.post["created_at"])
            for i in items if isinstance(i, Record)] == [
        ("3003/10", "user7", "Neighbourhood group", datetime(2024, 3, 2, 9, 0, tzinfo=UTC)),
        # 2020-format export: no from_id, no date_unixtime (local `date` read as UTC)
        ("4004/1", "channel4004", "Old channel", datetime(2020, 5, 1, 10, 0, tzinfo=UTC)),
    ]


def test_a_truncated_export_keeps_the_messages_before_the_break_and_says_where(tmp_path):
    data = (DATA / "result.json").read_bytes()
    cut = tmp_path / "result.json"
    cut.write_bytes(data[: data.index(b'"id": 4')])
    items = read(cut)
    assert [type(i).__name__ for i in items] == ["Rejection", "Record", "Record", "Rejection"]
    assert items[-1].line == 4
    assert items[-1].reason.startswith("invalid JSON after message 3 (export truncated or damaged)")


def test_the_real_channel_export_has_300_messages_and_267_forwards(shared_data):
    folder = shared_data / "formats" / "telegram_desktop"
    items = read(folder / "result.messages_2200-2499.json")
    assert len(items) == 300 and all(isinstance(i, Record) for i in items)
    kinds = Counter(i.post["kind"] for i in items)
    assert kinds == {"repost": 267, "post": 33}
    origins = Counter(i.post["repost_of_account"].startswith("h:") for i in items if i.post["kind"] == "repost")
    assert origins == {False: 260, True: 7}  # 7 forwards from hidden profiles carry no id
    assert Counter(i.post["repost_of_account"] for i in items).most_common(1) == [("channel1374438247", 247)]
    first = items[0].post
    # date_unixtime 1727616969, not the exporter's local `date` 17:36:09
    assert (first["post_id"], first["created_at"]) == ("2447843635/2329", datetime(2024, 9, 29, 13, 36, 9, tzinfo=UTC))

    small = read(folder / "result.messages_0765-0784.json")
    replies = [i.post["reply_to"] for i in small if i.post["kind"] == "reply"]
    assert (len(small), replies) == (20, ["2447843635/867"] * 5)


def test_ingest_detects_telegram_and_counts_every_message(workspace):
    [r] = workspace.ingest(DATA / "result.json")
    assert (r.format, r.platform, r.n_read, r.n_accepted, r.n_duplicates, r.n_rejected) == (
        "telegram", "telegram", 5, 4, 0, 1)
    assert workspace.query("SELECT reason FROM rejected").to_pylist() == [{"reason": "service message"}]


def test_service_messages_are_rejections_not_records():
    assert isinstance(read(DATA / "result.json")[0], Rejection)
