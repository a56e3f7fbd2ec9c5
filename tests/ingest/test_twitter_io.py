"""The Twitter information-operations release readers: tweets and users CSV files."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lockstep.errors import LockstepError
from lockstep.ingest import READERS, Record, Rejection, Sample

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest" / "twitter_io"
HASH = "Qm9ndXNIYXNoMDAxYWJjZGVmZ2hpamtsbW5vcHFyc3Q+/="  # a hashed account: id = name = screen name


def read(path, fmt="twitter_io"):
    with open(path, "rb") as f:
        return list(READERS[fmt]().read(f, str(path)))


def post(**fields):
    base = {
        "platform": "twitter", "lang": "en", "repost_of": None, "repost_of_account": None, "reply_to": None,
        "reply_to_account": None, "quote_of": None, "urls": [], "domains": [], "hashtags": [], "mentions": [],
        "media": [], "venue": None, "title": None, "post_url": None,
    }
    return base | fields


VALLEY = {
    "platform": "twitter", "account_id": "2876420003", "handle": "ValleyVoiceNews",  # unhashed: > 5,000 followers
    "display_name": "Voice of the Valley", "bio": "All the news from the valley. #news",
    "created_at": datetime(2014, 11, 20, tzinfo=UTC), "location": "Valley City", "url": "https://t.co/VvUrl01",
    "followers": 18250, "following": 1204, "posts_count": None, "profile_image": None, "verified": None,
    "lang": "en", "observed_at": None,
}
HASHED = {
    "platform": "twitter", "account_id": HASH, "handle": HASH, "display_name": HASH, "bio": None,
    "created_at": datetime(2016, 4, 12, tzinfo=UTC), "location": None, "url": None, "followers": 41,
    "following": 388, "posts_count": None, "profile_image": None, "verified": None, "lang": "en",
    "observed_at": None,
}
FLOOD_TEXT = "Breaking: flooding closes Route 9.\nDetours posted. #ValleyFlood https://t.co/Fl00d1"
FLOOD_URL = ["https://valley-voice.example.com/news/route-9-closed"]  # from the urls column, utm_* dropped


def test_each_tweet_row_gives_a_post_and_an_account_observation_numbered_by_its_first_line():
    assert read(DATA / "russia_io_tweets_csv_hashed.csv") == [
        Record(2, post(  # the text spans lines 2-3
            post_id="1002000000000000001", account_id="2876420003",
            created_at=datetime(2018, 6, 1, 14, 5, tzinfo=UTC), kind="post", text=FLOOD_TEXT,
            text_norm="breaking: flooding closes route 9. detours posted. #valleyflood",
            urls=FLOOD_URL, domains=["example.com"], hashtags=["valleyflood"], client="Twitter Web Client",
        ), [VALLEY]),
        Record(4, post(
            post_id="1002000000000000002", account_id=HASH,
            created_at=datetime(2018, 6, 1, 14, 7, tzinfo=UTC), kind="repost", text="RT @ValleyVoiceNews: " + FLOOD_TEXT,
            text_norm="breaking: flooding closes route 9. detours posted. #valleyflood",
            repost_of="1002000000000000001",  # retweet_userid is empty, as in the real releases
            urls=FLOOD_URL, domains=["example.com"], hashtags=["valleyflood"],
            mentions=["valleyvoicenews"],  # handles from the text; user_mentions holds ids
            client="Twitter for Android",
        ), [HASHED]),
        Record(6, post(
            post_id="1002000000000000003", account_id=HASH,
            created_at=datetime(2018, 6, 1, 15, 0, tzinfo=UTC), kind="reply",
            text="@ValleyVoiceNews =Who pays for the repairs?",  # a formula prefix stays text
            text_norm="=who pays for the repairs?",
            reply_to="1002000000000000001", reply_to_account="2876420003",
            hashtags=[],  # the hashtags column is "" here: falls back to the text, which has none
            mentions=["valleyvoicenews"], client="Twitter for Android",
        ), [HASHED]),
        Record(7, post(
            post_id="1002000000000000004", account_id="2876420003",
            created_at=datetime(2018, 6, 2, 9, 30, tzinfo=UTC), kind="quote", text="Смотрите: https://t.co/Qu0te1",
            text_norm="смотрите:", lang="ru", quote_of="1001999999999999999", client="TweetDeck",
        ), [VALLEY]),
        Rejection(8, "line 8: the record has 3 fields, the header 31",
                  raw=f"1002000000000000005,{HASH},short row"),
    ]


def test_the_users_file_gives_account_records():
    assert read(DATA / "russia_io_users_csv_hashed.csv", "twitter_io_users") == [
        Record(2, None, [VALLEY]),
        Record(3, None, [HASHED]),
    ]


def test_a_tweets_file_missing_required_columns_is_refused_naming_them():
    with pytest.raises(LockstepError, match=r"not_a_release\.csv: .*missing column\(s\) tweet_time, tweet_text"):
        read(DATA / "not_a_release.csv")


def test_sniffing_tells_the_tweets_file_from_the_users_file():
    tweets = Sample("t.csv", (DATA / "russia_io_tweets_csv_hashed.csv").read_bytes())
    users = Sample("u.csv", (DATA / "russia_io_users_csv_hashed.csv").read_bytes())
    assert (READERS["twitter_io"].sniff(tweets), READERS["twitter_io_users"].sniff(tweets)) == (0.97, 0.0)
    assert (READERS["twitter_io"].sniff(users), READERS["twitter_io_users"].sniff(users)) == (0.0, 0.95)


# -- real release prefixes (../shared/data/formats/twitter_io_csv) ----------------------------

def test_real_thailand_release_prefix(shared_data):
    items = read(shared_data / "formats" / "twitter_io_csv" / "thailand_092020_tweets_csv_hashed.first1800.csv")
    posts = [i.post for i in items]
    assert len(posts) == 1800
    # 1,000 rows carry quoted_tweet_tweetid; one of them is a retweet (the quote is the original's)
    assert Counter(p["kind"] for p in posts) == {"quote": 999, "repost": 278, "reply": 21, "post": 502}
    assert len({p["account_id"] for p in posts}) == 262
    assert all(p["repost_of_account"] is None for p in posts)  # retweet_userid is empty in this release
    assert sum(1 for p in posts if "\n" in p["text"]) == 356  # embedded newlines kept
    assert items[-1].line == 2525  # the physical line where the last record starts


def test_real_russia_release_prefix_mixes_hashed_and_numeric_ids(shared_data):
    items = read(shared_data / "formats" / "twitter_io_csv" / "russia_ira_2019_release_sample.first407.csv")
    posts = [i.post for i in items]
    assert Counter(p["kind"] for p in posts) == {"post": 355, "quote": 49, "repost": 3}
    assert sum(p["account_id"].isdigit() for p in posts) == 94
    assert len({p["account_id"] for p in posts}) == 86


def test_ingesting_the_real_files_detects_both_readers(shared_data, workspace):
    results = workspace.ingest(sorted((shared_data / "formats" / "twitter_io_csv").glob("*.csv")))
    assert [(Path(r.path).name, r.format, r.n_read, r.n_accepted, r.n_duplicates, r.n_rejected) for r in results] == [
        ("russia_ira_2019_release_sample.first407.csv", "twitter_io", 407, 407, 0, 0),
        ("thailand_092020_tweets_csv_hashed.first1800.csv", "twitter_io", 1800, 1800, 0, 0),
        # The 262 accounts of the tweets slice were already observed, with the same profile.
        ("thailand_092020_users_csv_hashed.csv", "twitter_io_users", 926, 664, 262, 0),
    ]
