"""The FiveThirtyEight / Clemson IRA troll-tweets reader (both layouts)."""

from __future__ import annotations

import csv
import gzip
import io
import itertools
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from lockstep.ingest import READERS, Record, Rejection, Sample, build_post, content_id

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest" / "ira538"


def read(path):
    with open(path, "rb") as f:
        return list(READERS["ira538"]().read(f, str(path)))


def post(**fields):
    base = {
        "platform": "twitter", "lang": "English", "repost_of": None, "repost_of_account": None, "reply_to": None,
        "reply_to_account": None, "quote_of": None, "urls": [], "domains": [], "hashtags": [], "mentions": [],
        "media": [], "client": None, "venue": None, "title": None, "post_url": None,
    }
    return base | fields


def observation(**fields):
    base = {"platform": "twitter", "display_name": None, "bio": None, "created_at": None, "url": None,
            "profile_image": None, "verified": None, "lang": None}
    return base | fields


RALLY = "Tonight's rally was huge! #MAGA https://t.co/RaLLy01"
BREAKING = 'BREAKING: "Crowds" gather downtown &amp; police respond @CityPD https://t.co/Brk0001'


def test_the_per_author_layout_hashes_ids_and_reads_kinds_from_post_type():
    items = read(DATA / "ira_by_author.csv")
    first = post(
        post_id=content_id("ten_gop_demo", "2016-10-05 01:12:00", RALLY),  # no tweet ids in this layout
        account_id="ten_gop_demo", created_at=datetime(2016, 10, 5, 1, 12, tzinfo=UTC), kind="post",
        text=RALLY, text_norm="tonight's rally was huge! #maga",
        urls=["https://t.co/RaLLy01"], domains=["t.co"], hashtags=["maga"],
    )
    assert items[0] == Record(2, first, [observation(
        account_id="ten_gop_demo", handle="ten_gop_demo", location="United States",
        followers=1520, following=310, posts_count=880,  # posts_count = updates
        observed_at=datetime(2016, 10, 5, 1, 13, tzinfo=UTC),  # harvested_date: when the counts were seen
    )])
    assert items[1].post == post(
        post_id=content_id("ten_gop_demo", "2016-10-05 01:40:00", BREAKING), account_id="ten_gop_demo",
        created_at=datetime(2016, 10, 5, 1, 40, tzinfo=UTC), kind="repost",  # post_type R
        text=BREAKING,  # as given, &amp; included
        text_norm='breaking: "crowds" gather downtown & police respond', urls=["https://t.co/Brk0001"],
        domains=["t.co"], mentions=["citypd"],
    )
    assert items[2].post["kind"] == "quote"  # post_type Q
    # The same row twice gives the same id: the driver counts the second as a duplicate.
    assert items[3].post == first and items[3].accounts[0]["posts_count"] == 880
    assert items[4] == Rejection(
        6, "line 6: impossible timestamp '2016-13-45 99:00:00': month must be in 1..12", field="created_at",
        raw="ten_gop_demo,this row has a broken date,United States,English,2016-13-45 99:00:00,"
            "2016-10-05 02:03:00,311,1521,882,,0")
    # Another account's copy of the same retweet: same text, so co-retweets match on text_norm.
    assert items[5].post["text_norm"] == items[1].post["text_norm"]
    assert items[6] == Rejection(8, "line 8: the record has 3 fields, the header 11", raw="pamela_demo,short,row")


def test_the_fivethirtyeight_layout_uses_tweet_ids_expanded_links_and_numeric_account_ids():
    items = read(DATA / "IRAhandle_tweets_demo.csv")
    assert items[0] == Record(2, post(
        post_id="783482849273384960", account_id="4224729994",
        created_at=datetime(2016, 10, 5, 1, 12, tzinfo=UTC), kind="post", text=RALLY,
        text_norm="tonight's rally was huge! #maga",
        urls=["https://www.example-rally.com/live"],  # tco1_step1, the expanded link, utm_* dropped
        domains=["example-rally.com"], hashtags=["maga"],
        post_url="http://twitter.com/4224729994/statuses/783482849273384960",
    ), [observation(
        account_id="4224729994", handle="TEN_GOP_DEMO", location="United States", followers=1520,
        following=310, posts_count=880, observed_at=datetime(2016, 10, 5, 1, 13, tzinfo=UTC),
    )])
    assert items[1].post["kind"] == "repost"  # post_type RETWEET
    # A spreadsheet round trip mangled the ids (9.06E+17) and dates (10/5/16): the ids come from
    # article_url, the account falls back to its handle.
    third = items[2].post
    assert (third["post_id"], third["account_id"], third["kind"], third["created_at"]) == (
        "914580356430536707", "pamela_demo", "quote", datetime(2016, 10, 5, 2, 2, tzinfo=UTC))


def test_the_fast_rows_equal_what_build_post_makes_of_the_same_fields():
    for item in read(DATA / "ira_by_author.csv") + read(DATA / "IRAhandle_tweets_demo.csv"):
        if isinstance(item, Record):
            p = item.post
            expanded = p["urls"] if p["post_url"] else None  # the 538 layout passes its expanded links
            assert p == build_post(
                platform=p["platform"], post_id=p["post_id"], account_id=p["account_id"],
                created_at=p["created_at"], kind=p["kind"], text=p["text"], lang=p["lang"], urls=expanded,
                post_url=p["post_url"],
            )


def test_sniffing_claims_both_layouts():
    for name in ("ira_by_author.csv", "IRAhandle_tweets_demo.csv"):
        sample = Sample(name, (DATA / name).read_bytes())
        assert READERS["ira538"].sniff(sample) == 0.95, name
        assert READERS["twitter_io"].sniff(sample) == 0.0


# -- the real data set (../shared/data/ira_tweets) ---------------------------------------------

def test_real_rows_match_build_post_and_the_documented_shape(shared_data):
    path = shared_data / "ira_tweets" / "tweets_english_categories.csv.gz"
    with gzip.open(path, "rb") as f:
        head = b"".join(itertools.islice(f, 5001))
    items = list(READERS["ira538"]().read(io.BytesIO(head), str(path)))
    assert len(items) == 5000 and all(isinstance(i, Record) for i in items)
    rows = list(csv.reader(io.StringIO(head.decode("utf-8"))))[1:]
    for item, row in zip(items[:2000], rows):
        assert item.post == build_post(
            platform="twitter", post_id=content_id(row[0], row[4], row[1]), account_id=row[0],
            created_at=row[4], kind={"R": "repost", "Q": "quote"}.get(row[9], "post"), text=row[1], lang=row[3],
        )
    # retweet=1 marks every R and Q row: post_type decides between repost and quote
    assert {(r[9], r[10]) for r in rows} == {("", "0"), ("R", "1"), ("Q", "1")}
    assert Counter(i.post["kind"] for i in items) == Counter(
        "repost" if r[9] == "R" else "quote" if r[9] == "Q" else "post" for r in rows)


def test_ingesting_a_slice_of_the_real_file_detects_ira538(shared_data, workspace, tmp_path):
    src = shared_data / "ira_tweets" / "tweets_english_categories.csv.gz"
    with gzip.open(src, "rb") as f:
        head = b"".join(itertools.islice(f, 3001))
    sliced = tmp_path / "ira_slice.csv.gz"
    sliced.write_bytes(gzip.compress(head))
    (result,) = workspace.ingest(sliced)
    assert (result.format, result.n_read, result.n_rejected) == ("ira538", 3000, 0)
    assert result.n_read == result.n_accepted + result.n_duplicates + result.n_rejected
    assert result.n_duplicates == workspace.con.execute("SELECT count(*) FROM duplicates").fetchone()[0]
