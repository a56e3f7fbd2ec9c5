"""The Bluesky reader: post views, feed-item reposts, Jetstream events, byte-offset facets."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from lockstep.ingest import READERS, Record, Rejection

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest" / "bluesky"
ALICE = "did:plc:alice111111111111111111"
BOB = "did:plc:bob2222222222222222222"
CAROL = "did:plc:carol333333333333333333"
ALICE_POST = f"at://{ALICE}/app.bsky.feed.post/3kabc1"
TEXT = "Ça, déjà vu? Lisez example.com/art… #Wahl2025 @bob.test"


def read(path):
    with open(path, "rb") as f:
        return list(READERS["bluesky"]().read(f, str(path)))


def post(**fields):
    base = {
        "platform": "bluesky", "text": None, "text_norm": None, "lang": None, "repost_of": None,
        "repost_of_account": None, "reply_to": None, "reply_to_account": None, "quote_of": None, "urls": [],
        "domains": [], "hashtags": [], "mentions": [], "media": [], "client": None, "venue": None, "title": None,
        "post_url": None,
    }
    return base | fields


def test_a_post_view_reads_facets_by_byte_offset_and_its_quote_embed():
    view, _ = read(DATA / "feed.json")
    assert view.post == post(
        post_id=ALICE_POST,
        account_id=ALICE,
        created_at=datetime(2025, 1, 10, 10, 0, 1, 500000, tzinfo=UTC),  # indexedAt, not the client's createdAt
        kind="quote",
        text=TEXT,
        text_norm="ça, déjà vu? lisez example.com/art... #wahl2025",
        lang="fr",
        quote_of=f"at://{CAROL}/app.bsky.feed.post/3kquoted",
        urls=["https://example.com/article"],  # the facet's full link, not the shortened text
        domains=["example.com"],
        hashtags=["wahl2025"],
        mentions=["bob.test"],  # the handle as written, sliced at UTF-8 byte offsets after "Ça, déjà"
        media=["bafkreiimagecid"],  # the image blob's CID: a content hash
        post_url="https://bsky.app/profile/alice.test/post/3kabc1",
    )
    assert [a["handle"] for a in view.accounts] == ["alice.test"]


def test_a_feed_item_with_a_repost_reason_is_a_repost_by_the_reposter():
    _, repost = read(DATA / "feed.json")
    assert repost.post == post(
        post_id=f"at://{BOB}/app.bsky.feed.repost/3krepost",
        account_id=BOB,
        created_at=datetime(2025, 1, 10, 10, 5, tzinfo=UTC),  # reason.indexedAt
        kind="repost",
        text=TEXT,
        text_norm="ça, déjà vu? lisez example.com/art... #wahl2025",
        repost_of=ALICE_POST,
        repost_of_account=ALICE,
    )
    assert [a["account_id"] for a in repost.accounts] == [BOB, ALICE]


def test_jetstream_posts_and_reposts_are_read_and_other_events_rejected_with_reasons():
    items = read(DATA / "jetstream.jsonl")
    reply, repost = items[0].post, items[1].post
    assert reply == post(
        post_id=f"at://{CAROL}/app.bsky.feed.post/3kreply",
        account_id=CAROL,
        created_at=datetime(2025, 1, 10, 10, 0, tzinfo=UTC),  # time_us, microseconds
        kind="reply",
        text="Nope",
        text_norm="nope",
        reply_to=ALICE_POST,
        reply_to_account=ALICE,  # the DID inside the parent's at:// uri
        post_url=f"https://bsky.app/profile/{CAROL}/post/3kreply",
    )
    assert repost == post(
        post_id=f"at://{CAROL}/app.bsky.feed.repost/3krp", account_id=CAROL,
        created_at=datetime(2025, 1, 10, 10, 1, tzinfo=UTC), kind="repost",
        repost_of=ALICE_POST, repost_of_account=ALICE,
    )
    assert [(i.line, i.field, i.reason) for i in items[2:]] == [
        (3, "commit.collection", "Jetstream app.bsky.feed.like record (not a post or repost)"),
        (4, "commit.operation", "Jetstream delete of app.bsky.feed.post (not a new post)"),
        (5, "kind", "Jetstream identity event (not a post)"),
    ]


def test_the_real_files_read_and_jetstream_matches_the_api_view_of_the_same_posts(shared_data):
    folder = shared_data / "formats" / "bluesky"
    items = read(folder / "bluesky-posts.json")
    assert len(items) == 123
    [year_zero] = [i for i in items if isinstance(i, Rejection)]
    assert (year_zero.field, year_zero.reason) == (
        "created_at", "impossible timestamp '0000-10-14T15:06:10.730Z': year 0 is out of range")
    posts = [i.post for i in items if isinstance(i, Record)]
    assert Counter(p["kind"] for p in posts) == {"post": 82, "quote": 20, "reply": 18, "repost": 2}
    assert sum(1 for p in posts if p["reply_to"]) == 18

    jet = {i.post["post_id"]: i.post for i in read(folder / "bluesky-firehose-posts.json")}
    api = {i.post["post_id"]: i.post for i in read(folder / "bluesky-hydrated-firehose-posts.json")}
    assert jet.keys() == api.keys() and len(jet) == 9
    for uri, p in jet.items():
        q = api[uri]
        same = ("account_id", "kind", "text", "urls", "hashtags", "mentions", "media", "reply_to", "quote_of")
        assert {k: p[k] for k in same} == {k: q[k] for k in same}
        assert abs((p["created_at"] - q["created_at"]).total_seconds()) < 1  # relay time vs indexedAt


def test_ingest_detects_bluesky_and_counts_rejected_events(workspace):
    [a, b] = workspace.ingest([DATA / "feed.json", DATA / "jetstream.jsonl"])
    assert [(r.format, r.n_read, r.n_accepted, r.n_duplicates, r.n_rejected) for r in (a, b)] == [
        ("bluesky", 2, 2, 0, 0), ("bluesky", 5, 2, 0, 3)]
