"""The Twitter API v1.1 reader: streaming JSONL, Gnip original format, search responses."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from lockstep.ingest import READERS, Record, Rejection, Sample
from lockstep.ingest.formats._twitter_common import client_name

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest" / "twitter_v1"


def read(path):
    with open(path, "rb") as f:
        return list(READERS["twitter_v1"]().read(f, str(path)))


def post(**fields):
    base = {
        "platform": "twitter", "lang": "en", "repost_of": None, "repost_of_account": None, "reply_to": None,
        "reply_to_account": None, "quote_of": None, "urls": [], "domains": [], "hashtags": [], "mentions": [],
        "media": [], "venue": None, "title": None,
    }
    return base | fields


def account(**fields):
    base = {"platform": "twitter", "lang": "en", "location": None, "url": None, "bio": None, "verified": False,
            "observed_at": None}  # None: the driver stamps the post's time
    return base | fields


METRO_DESK = account(
    account_id="800000000000000001", handle="metro_desk", display_name="Metro Desk",
    bio="News & weather for Springfield", created_at=datetime(2009, 3, 3, 12, 0, tzinfo=UTC),
    location="Springfield", url="https://metro-desk.example.org", followers=15000, following=220,
    posts_count=45000, profile_image="https://pbs.twimg.com/profile_images/800000000000000001/p_normal.jpg",
    verified=True,
)
NODE_7 = account(
    account_id="800000000000000002", handle="amp_node_7", display_name="Node 7",
    created_at=datetime(2019, 2, 1, 10, 0, tzinfo=UTC), followers=12, following=1500, posts_count=30000,
    profile_image="https://pbs.twimg.com/profile_images/800000000000000002/p_normal.jpg",
)
LOCAL_READER = account(
    account_id="800000000000000003", handle="local_reader", display_name="A Reader", lang="es",
    created_at=datetime(2015, 1, 5, 9, 0, tzinfo=UTC), followers=230, following=180, posts_count=2100,
    profile_image="https://pbs.twimg.com/profile_images/800000000000000003/p_normal.jpg",
)
EXTENDED = post(
    post_id="971800000000000001", account_id="800000000000000001",
    created_at=datetime(2018, 3, 8, 18, 30, 5, tzinfo=UTC), kind="post",
    # truncated: true → extended_tweet.full_text and its entities, HTML escapes as Twitter sent them
    text="Council approves the new bus lanes on Main St after a 6-hour meeting. Full vote breakdown &amp; "
         "reactions from residents in our live blog #SpringfieldCouncil https://t.co/Blog777 https://t.co/Img888",
    text_norm="council approves the new bus lanes on main st after a 6-hour meeting. full vote breakdown & "
              "reactions from residents in our live blog #springfieldcouncil",
    urls=["https://metro-desk.example.org/live/council-2018-03-08"],  # expanded_url, utm_* dropped
    domains=["example.org"], hashtags=["springfieldcouncil"],
    media=["https://pbs.twimg.com/media/DXxYzAbCdEf.jpg"],
    client="Twitter Web App",  # the <a> tag of `source` stripped
    post_url="https://twitter.com/metro_desk/status/971800000000000001",
)


def test_a_stream_file_gives_posts_and_rejects_control_messages_and_a_cut_off_line():
    assert read(DATA / "stream.jsonl") == [
        Record(1, EXTENDED, [METRO_DESK]),
        Record(2, post(
            post_id="971800000000000002", account_id="800000000000000002",
            created_at=datetime(2018, 3, 8, 18, 30, 47, tzinfo=UTC), kind="repost",
            text="RT @metro_desk: Council approves the new bus lanes on Main St after a 6-hour meeting. Full vote "
                 "breakdown &amp; reactions from…",  # as given: the full text is the original's
            text_norm="council approves the new bus lanes on main st after a 6-hour meeting. full vote breakdown "
                      "& reactions from",
            repost_of="971800000000000001", repost_of_account="800000000000000001",
            mentions=["metro_desk"], client="Twitter for Android",
            post_url="https://twitter.com/amp_node_7/status/971800000000000002",
        ), [NODE_7, METRO_DESK]),  # the retweeted status's user is observed too
        Rejection(3, "not a status: delete notice", raw=(
            '{"delete": {"status": {"id": 971800000000000009, "id_str": "971800000000000009", "user_id": '
            '800000000000000004, "user_id_str": "800000000000000004"}, "timestamp_ms": "1520533950000"}}')),
        Record(4, post(
            post_id="971800000000000003", account_id="800000000000000003",
            created_at=datetime(2018, 3, 8, 18, 32, tzinfo=UTC), kind="reply",
            text="@metro_desk ¿Y los carriles para bicis? #SpringfieldCouncil",
            text_norm="¿y los carriles para bicis? #springfieldcouncil", lang="es",
            reply_to="971800000000000001", reply_to_account="800000000000000001",
            hashtags=["springfieldcouncil"], mentions=["metro_desk"], client="Twitter for iPhone",
            post_url="https://twitter.com/local_reader/status/971800000000000003",
        ), [LOCAL_READER]),
        Rejection(5, "not a status: limit notice", raw='{"limit": {"track": 42, "timestamp_ms": "1520533960000"}}'),
        Rejection(6, "line 6: truncated JSON (the line ends mid-object: an interrupted capture?): "
                     "Expecting ',' delimiter: line 1 column 69 (char 68)",
                  raw='{"created_at": "Thu Mar 08 18:33:00 +0000 2018", "id": 9718000000000'),
    ]


def test_a_pretty_printed_search_response_numbers_statuses_by_index():
    quote, retweet = read(DATA / "search.json")
    assert (quote.line, retweet.line) == (1, 2)
    assert quote.post == post(
        post_id="971810000000000001", account_id="800000000000000003",
        created_at=datetime(2018, 3, 8, 19, 0, tzinfo=UTC), kind="quote", text="Finally! https://t.co/QtQt01",
        text_norm="finally!", quote_of="971800000000000001",
        urls=["https://twitter.com/metro_desk/status/971800000000000001"], domains=["twitter.com"],
        client="Twitter Web App", post_url="https://twitter.com/local_reader/status/971810000000000001",
    )
    assert [a["account_id"] for a in quote.accounts] == ["800000000000000003", "800000000000000001"]
    # A retweet of a quote is a repost; the quoted id belongs to the original, not to the retweet.
    assert (retweet.post["kind"], retweet.post["repost_of"], retweet.post["repost_of_account"],
            retweet.post["quote_of"]) == ("repost", "971810000000000001", "800000000000000003", None)


def test_a_single_status_and_an_array_are_read_as_documents(tmp_path):
    line = (DATA / "stream.jsonl").read_text().splitlines()[3]
    (tmp_path / "one.json").write_text(line)
    (tmp_path / "many.json").write_text(f"[\n{line},\n{line}\n]\n")
    assert [r.post["post_id"] for r in read(tmp_path / "one.json")] == ["971800000000000003"]
    assert [(r.line, r.post["post_id"]) for r in read(tmp_path / "many.json")] == [
        (1, "971800000000000003"), (2, "971800000000000003")]


def test_the_client_name_is_the_text_of_the_source_link():
    cases = [
        ('<a href="http://twitter.com/download/android" rel="nofollow">Twitter for Android</a>', "Twitter for Android"),
        ('<a href="https://ifttt.com" rel="nofollow">IFTTT &amp; co</a>', "IFTTT & co"),  # HTML unescaped
        ("Twitter Web App", "Twitter Web App"),  # v2 and CSV releases give the bare name
        ("", None),
        (None, None),
    ]
    assert [client_name(src) for src, _ in cases] == [want for _, want in cases]


def test_sniffing_claims_v1_files_and_not_v2_ones():
    for name in ("stream.jsonl", "search.json"):
        assert READERS["twitter_v1"].sniff(Sample(name, (DATA / name).read_bytes())) >= 0.85, name
    v2 = DATA.parent / "twarc2" / "flat.jsonl"
    assert READERS["twitter_v1"].sniff(Sample(v2.name, v2.read_bytes())) == 0.0


# -- real v1.1 payloads (../shared/data/formats/twitter_v1) -----------------------------------

def test_real_streaming_lines_are_72_extended_tweets(shared_data):
    items = read(shared_data / "formats" / "twitter_v1" / "python-twitter_streaming_lines.jsonl")
    assert len(items) == 72 and all(isinstance(i, Record) for i in items)
    assert Counter(i.post["kind"] for i in items) == {"reply": 33, "quote": 8, "post": 31}
    # every one is truncated: the text is extended_tweet.full_text, never the cut "…" form
    assert not any(i.post["text"].endswith("…") for i in items if i.post["kind"] == "post")
    assert len({i.post["lang"] for i in items}) == 15


def test_real_gnip_original_format_examples(shared_data):
    items = read(shared_data / "formats" / "twitter_v1" / "tweet_parser_original_format_examples.jsonl")
    assert len(items) == 25
    assert Counter(i.post["kind"] for i in items) == {"post": 11, "quote": 8, "repost": 3, "reply": 3}


def test_real_search_response_has_74_retweets_of_61_originals(shared_data):
    items = read(shared_data / "formats" / "twitter_v1" / "python-twitter_search_tweets_response.json")
    posts = [i.post for i in items]
    assert len(posts) == 100
    assert Counter(p["kind"] for p in posts)["repost"] == 74
    assert len({p["repost_of"] for p in posts if p["kind"] == "repost"}) == 61
    assert sum(p["quote_of"] is not None for p in posts) == 9
    assert len({p["account_id"] for p in posts}) == 99


def test_ingesting_the_real_files_detects_twitter_v1(shared_data, workspace):
    results = workspace.ingest(sorted((shared_data / "formats" / "twitter_v1").glob("*.json*")))
    assert [(Path(r.path).name, r.format, r.n_read, r.n_accepted + r.n_duplicates, r.n_rejected) for r in results] == [
        ("python-twitter_search_tweets_response.json", "twitter_v1", 100, 100, 0),
        ("python-twitter_streaming_lines.jsonl", "twitter_v1", 72, 72, 0),
        ("tweet_parser_original_format_examples.jsonl", "twitter_v1", 25, 25, 0),
    ]
    assert all(r.n_read == r.n_accepted + r.n_duplicates + r.n_rejected for r in results)
    assert results[1].n_duplicates == 1  # the stream delivered one tweet twice
