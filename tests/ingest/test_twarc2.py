"""The twarc2 reader: API v2 response pages, filtered-stream lines and flattened tweets."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from lockstep.ingest import READERS, Record, Rejection, Sample

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest" / "twarc2"
RETRIEVED = datetime(2022, 3, 1, 12, 30, tzinfo=UTC)  # __twarc.retrieved_at of the page


def read(path):
    with open(path, "rb") as f:
        return list(READERS["twarc2"]().read(f, str(path)))


def post(**fields):
    base = {
        "platform": "twitter", "lang": "en", "repost_of": None, "repost_of_account": None, "reply_to": None,
        "reply_to_account": None, "quote_of": None, "urls": [], "domains": [], "hashtags": [], "mentions": [],
        "media": [], "venue": None, "title": None,
    }
    return base | fields


def account(**fields):
    base = {"platform": "twitter", "lang": None, "location": None, "url": None, "bio": None, "verified": False}
    return base | fields


HARBOR_NEWS = account(
    account_id="900000000000000001", handle="harbor_news", display_name="Harbor News Desk",
    bio="Local news from the docks. Tips: tips@example.org",
    created_at=datetime(2015, 6, 2, 8, 0, tzinfo=UTC), location="Portsmouth",
    url="https://harbor-news.example.org",  # the expansion of the t.co profile link
    followers=5120, following=310, posts_count=8800,
    profile_image="https://pbs.twimg.com/profile_images/1/harbor_normal.jpg", observed_at=RETRIEVED,
)
DOCKWORKERS = account(  # only mentioned: rides with the page's first tweet
    account_id="900000000000000009", handle="dockworkers", display_name="Dockworkers Union", bio="Official account.",
    created_at=datetime(2010, 1, 5, 9, 0, tzinfo=UTC), followers=20400, following=150, posts_count=4200,
    profile_image="https://pbs.twimg.com/profile_images/9/union_normal.jpg", verified=True, observed_at=RETRIEVED,
)
RELAY = account(
    account_id="900000000000000002", handle="relay_bot_2", display_name="Relay 2",  # bio "" and url "" → None
    created_at=datetime(2022, 2, 20, 10, 0, tzinfo=UTC), followers=3, following=998, posts_count=12000,
    profile_image="https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png",
    observed_at=RETRIEVED,
)
DOCK_WATCHER = account(
    account_id="900000000000000003", handle="dock_watcher", display_name="Dock Watcher 🚢", bio="Watching ships.",
    created_at=datetime(2019, 11, 11, 11, 11, 11, tzinfo=UTC), followers=77, following=80, posts_count=1500,
    profile_image="https://pbs.twimg.com/profile_images/3/dock_normal.jpg", observed_at=RETRIEVED,
)

ORIGINAL = post(
    post_id="1500000000000000001", account_id="900000000000000001",
    created_at=datetime(2022, 3, 1, 12, 0, tzinfo=UTC), kind="post",
    text="Port strike enters day 3 #PortStrike @dockworkers https://t.co/AbCdEf123 https://t.co/Pic123",
    text_norm="port strike enters day 3 #portstrike",
    # unwound_url preferred to the bit.ly expanded_url; the photo's own link is media, not a URL
    urls=["https://www.example-news.org/2022/03/01/strike?id=7"], domains=["example-news.org"],
    hashtags=["portstrike"], mentions=["dockworkers"],
    media=["https://pbs.twimg.com/media/FMxAbCdXoAAbcde.jpg"],  # includes.media url, as v1.1 gives it
    client="Twitter Web App", post_url="https://twitter.com/harbor_news/status/1500000000000000001",
)
RETWEET = post(
    post_id="1500000000000000002", account_id="900000000000000002",
    created_at=datetime(2022, 3, 1, 12, 0, 41, tzinfo=UTC), kind="repost",
    text="RT @harbor_news: Port strike enters day 3 #PortStrike @dockworkers https://t.co/AbCdEf123 https://t.co/Pic123",
    text_norm="port strike enters day 3 #portstrike",
    repost_of="1500000000000000001", repost_of_account="900000000000000001",  # author from includes.tweets
    urls=["https://www.example-news.org/2022/03/01/strike?id=7"], domains=["example-news.org"],
    hashtags=["portstrike"], mentions=["harbor_news", "dockworkers"],
    client="Twitter for Android", post_url="https://twitter.com/relay_bot_2/status/1500000000000000002",
)
QUOTING_REPLY = post(
    post_id="1500000000000000003", account_id="900000000000000003",
    created_at=datetime(2022, 3, 1, 12, 5, tzinfo=UTC),
    kind="quote",  # quotes and replies: quote wins, both ids are kept
    text="@harbor_news Same thing happened last year https://t.co/Qq1Qq1",
    text_norm="same thing happened last year",
    reply_to="1500000000000000001", reply_to_account="900000000000000001",
    quote_of="1499999999999999999",  # missing from includes (listed in errors): the id is kept
    urls=["https://twitter.com/old_account/status/1499999999999999999"], domains=["twitter.com"],
    mentions=["harbor_news"], client="Twitter for iPhone",
    post_url="https://twitter.com/dock_watcher/status/1500000000000000003",
)


def test_a_page_line_gives_one_record_per_tweet_all_numbered_with_the_page_line():
    assert read(DATA / "page.jsonl") == [
        Record(1, ORIGINAL, [HARBOR_NEWS, DOCKWORKERS]),
        Record(1, RETWEET, [RELAY]),
        Record(1, QUOTING_REPLY, [DOCK_WATCHER]),
    ]


def test_flattened_tweets_give_the_same_posts_as_the_raw_page():
    flat = read(DATA / "flat.jsonl")
    assert [r.line for r in flat] == [1, 2, 3]
    assert [r.post for r in flat] == [ORIGINAL, RETWEET, QUOTING_REPLY]
    # Every user object inlined by `twarc2 flatten` is observed, with the retrieval time.
    assert {a["account_id"] for r in flat for a in r.accounts} == {
        "900000000000000001", "900000000000000002", "900000000000000003", "900000000000000009"}
    assert flat[0].accounts[0] == HARBOR_NEWS


def test_a_truncated_stream_line_is_rejected_and_the_other_lines_read():
    items = read(DATA / "stream.jsonl")
    assert [type(i).__name__ for i in items] == ["Record", "Record", "Rejection"]
    assert items[0].post == QUOTING_REPLY  # `data` is one object; the stream line has its own includes
    assert items[1].post == post(
        post_id="1500000000000000004", account_id="900000000000000002",
        created_at=datetime(2022, 3, 1, 12, 6, tzinfo=UTC), kind="post",
        text="Strike news → #PortStrike #portstrike", text_norm="strike news → #portstrike #portstrike",
        hashtags=["portstrike"],  # one tag after case folding
        client="Twitter for Android", post_url="https://twitter.com/relay_bot_2/status/1500000000000000004",
    )
    rejection = items[2]
    assert isinstance(rejection, Rejection)
    assert (rejection.line, rejection.field) == (3, None)
    assert rejection.reason.startswith("line 3: truncated JSON")
    assert rejection.raw == '{"data": {"author_id": "900000000000000003", "conversation_id": "15000'


def test_sniffing_claims_twarc2_files_and_nothing_else():
    for name in ("page.jsonl", "flat.jsonl", "stream.jsonl"):
        sample = Sample(name, (DATA / name).read_bytes())
        assert READERS["twarc2"].sniff(sample) >= 0.9, name
    v1 = DATA.parent / "twitter_v1" / "stream.jsonl"
    assert READERS["twarc2"].sniff(Sample(v1.name, v1.read_bytes())) == 0.0
    assert READERS["twarc2"].sniff(Sample("a.jsonl", b'{"id": "1", "text": "hi", "user": "x"}\n')) == 0.0


def test_a_page_longer_than_the_sniffing_sample_is_still_recognised():
    line = (DATA / "page.jsonl").read_bytes()
    assert READERS["twarc2"].sniff(Sample("page.jsonl", line[:2000])) >= 0.9


def test_an_error_only_response_is_rejected_with_its_message(tmp_path):
    path = tmp_path / "errors.jsonl"
    path.write_text(
        '{"errors": [{"title": "Not Found Error", "detail": "Could not find user with username: [nobody]."}]}\n'
        '{"meta": {"result_count": 0}, "__twarc": {"retrieved_at": "2022-03-01T12:30:00+00:00"}}\n'
    )
    assert read(path) == [
        Rejection(1, "line 1: an API error response with no tweets: Could not find user with username: [nobody].",
                  raw='{"errors": [{"title": "Not Found Error", "detail": "Could not find user with username: [nobody]."}]}')
    ]


# -- the real twarc-csv test files (../shared/data/formats/twarc2) ----------------------------

def test_real_flat_and_raw_files_give_the_same_100_tweets(shared_data):
    raw = read(shared_data / "formats" / "twarc2" / "noflat.jsonl")
    flat = read(shared_data / "formats" / "twarc2" / "flat.jsonl")
    assert len(raw) == len(flat) == 100
    assert [r.post["post_id"] for r in raw] == [r.post["post_id"] for r in flat]
    assert [r.post for r in raw] == [r.post for r in flat]
    assert Counter(r.post["kind"] for r in raw) == {"repost": 47, "reply": 31, "quote": 8, "post": 14}
    assert len({r.post["account_id"] for r in raw}) == 96
    # every user of includes.users is observed once in the page
    assert len({a["account_id"] for r in raw for a in r.accounts}) == 178


def test_real_stream_file_gives_seven_posts_and_rejects_the_cut_off_line(shared_data):
    items = read(shared_data / "formats" / "twarc2" / "streaming_output_with_error.jsonl")
    assert [i.line for i in items if isinstance(i, Record)] == [1, 2, 3, 4, 5, 6, 7]
    assert [(i.line, i.reason[:22]) for i in items if isinstance(i, Rejection)] == [(8, "line 8: truncated JSON")]


def test_ingesting_the_real_files_detects_twarc2_and_counts_every_record(shared_data, workspace):
    results = workspace.ingest(sorted((shared_data / "formats" / "twarc2").glob("*.jsonl")))
    assert [(Path(r.path).name, r.format, r.n_read, r.n_accepted, r.n_duplicates, r.n_rejected) for r in results] == [
        ("flat.jsonl", "twarc2", 100, 100, 0, 0),
        ("noflat.jsonl", "twarc2", 100, 0, 100, 0),  # the same tweets again
        ("streaming_output_with_error.jsonl", "twarc2", 8, 7, 0, 1),
    ]
    assert workspace.con.execute("SELECT count(*) FROM posts").fetchone()[0] == 107
