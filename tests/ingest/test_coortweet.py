"""The CooRTweet reader: share tables and multi-object id tables."""

from __future__ import annotations

import gzip
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lockstep.ingest import READERS, Record, content_id

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest" / "coortweet"


def read(path, **kwargs):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        return list(READERS["coortweet"](**kwargs).read(f, str(path)))


def post(**fields):
    base = {
        "kind": "post", "text": None, "text_norm": None, "lang": None, "repost_of": None, "repost_of_account": None,
        "reply_to": None, "reply_to_account": None, "quote_of": None, "urls": [], "domains": [], "hashtags": [],
        "mentions": [], "media": [], "client": None, "venue": None, "title": None, "post_url": None,
    }
    return base | fields


def test_each_share_is_a_repost_of_its_object_with_the_content_id_as_post_id():
    items = read(DATA / "shares.csv")
    assert items[0].post == post(
        platform="twitter", post_id="c1", account_id="acc1", kind="repost", repost_of="obj1",
        created_at=datetime(2021, 6, 16, 22, 4, 51, tzinfo=UTC),
    )
    assert [(i.line, type(i).__name__) for i in items] == [(2, "Record"), (3, "Record"), (4, "Rejection"), (5, "Record")]
    assert (items[2].field, items[2].reason) == ("created_at", "unrecognised timestamp 'not-a-time'")


def test_opaque_ids_become_urns_that_pair_posts_sharing_the_same_object():
    items = read(DATA / "multi.csv")
    fb, tw = items[0].post, items[1].post
    assert fb == post(
        platform="facebook", post_id="100", account_id="fb_1", created_at=datetime(2021, 8, 21, 23, 50, 36, tzinfo=UTC),
        urls=["urn:lockstep:url:7"], domains=["urn:lockstep:domain:3"],
    )
    assert tw == post(
        platform="twitter", post_id="200", account_id="tw_2", created_at=datetime(2021, 8, 21, 23, 50, 40, tzinfo=UTC),
        urls=["urn:lockstep:url:7"], domains=["urn:lockstep:domain:3"], hashtags=["urn:lockstep:hashtag:55"],
    )
    assert set(fb["urls"]) & set(tw["urls"]) == {"urn:lockstep:url:7"}  # a co-link across platforms


def test_consecutive_rows_of_one_post_carry_the_union_of_their_objects():
    items = read(DATA / "multi.csv")
    assert [i.post["media"] for i in items[2:4]] == [["urn:lockstep:phash:9", "urn:lockstep:phash:10"]] * 2
    assert [(i.line, i.post["post_id"]) for i in items[2:5]] == [
        (4, "201"), (5, "201"),
        (6, content_id("coortweet", "fb_3", "1629590000.0", "", "", "", "12")),  # no post_id: a row hash
    ]
    assert (items[5].line, items[5].field) == (7, "account_id")  # xx_ is no platform prefix
    with_platform = read(DATA / "multi.csv", platform="telegram")
    assert (with_platform[5].post["platform"], with_platform[0].post["platform"]) == ("telegram", "facebook")


def test_the_real_tables_read_every_row(shared_data):
    folder = shared_data / "coortweet"
    shares = read(folder / "russian_coord_tweets.csv.gz")
    assert len(shares) == 35_125 and all(isinstance(i, Record) for i in shares)
    assert len({i.post["repost_of"] for i in shares}) == 7_285
    assert len({i.post["account_id"] for i in shares}) == 9_509


def test_ingest_detects_coortweet_and_counts_repeated_rows_as_duplicates(workspace):
    [shares, multi] = workspace.ingest([DATA / "shares.csv", DATA / "multi.csv"])
    assert [(r.format, r.n_read, r.n_accepted, r.n_duplicates, r.n_rejected) for r in (shares, multi)] == [
        ("coortweet", 4, 2, 1, 1), ("coortweet", 6, 4, 1, 1)]
    stored = workspace.query("SELECT media FROM posts WHERE post_id = '201'").to_pylist()
    assert stored == [{"media": ["urn:lockstep:phash:9", "urn:lockstep:phash:10"]}]


@pytest.mark.slow
def test_the_german_elections_table_reads_every_row_with_platforms_from_prefixes(shared_data):
    items = read(shared_data / "coortweet" / "german_elections.csv.gz")
    assert len(items) == 218_971 and all(isinstance(i, Record) for i in items)
    assert Counter(i.post["platform"] for i in items) == {"twitter": 137_402, "facebook": 81_569}
