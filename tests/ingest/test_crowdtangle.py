"""The CrowdTangle reader: search exports with locale quirks; post histories are not posts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from lockstep.ingest import READERS, Record, Rejection
from lockstep.ingest.formats.crowdtangle import HISTORY_REASON

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest" / "crowdtangle"


def read(path):
    with open(path, "rb") as f:
        return list(READERS["crowdtangle"]().read(f, str(path)))


def test_a_search_export_row_is_a_facebook_post_with_the_page_as_account():
    link_post, photo_post, bad_zone = read(DATA / "search.csv")
    assert link_post.line == 2
    assert link_post.post == {
        "platform": "facebook",
        "post_id": "111222333_444555666",  # <page id>_<post number>, from the permalink
        "account_id": "111222333",
        "created_at": datetime(2021, 7, 5, 21, 2, 45, tzinfo=UTC),  # 18:02:45 BRT (UTC-3)
        "kind": "post",
        "text": 'Leia: "urgente" #Eleições',
        "text_norm": 'leia: "urgente" #eleições',
        "lang": None, "repost_of": None, "repost_of_account": None, "reply_to": None, "reply_to_account": None,
        "quote_of": None,
        "urls": ["https://news.example.com/a"],  # Final Link (expanded), fbclid dropped
        "domains": ["example.com"],
        "hashtags": ["eleições"],
        "mentions": [], "media": [], "client": None,
        "venue": "Daily Example",
        "title": None,
        "post_url": "https://www.facebook.com/111222333/posts/444555666",
    }
    assert link_post.accounts == [{
        "platform": "facebook", "account_id": "111222333", "handle": "dailyexample", "display_name": "Daily Example",
        "bio": "Notícias\ndo dia", "created_at": datetime(2012, 3, 4, 5, 6, 7, tzinfo=UTC), "location": None,
        "url": None, "followers": 2345678,  # "2.345.678" in a pt-BR export
        "following": None, "posts_count": None, "profile_image": None, "verified": None, "lang": None,
        "observed_at": None,
    }]
    # A photo's Link is the platform's own media page: a media id, not a shared URL.
    assert (photo_post.post["urls"], photo_post.post["media"], photo_post.post["text"]) == (
        [], ["https://www.facebook.com/photo.php?fbid=999&set=a.1&type=3"], None)
    assert isinstance(bad_zone, Rejection)
    assert (bad_zone.line, bad_zone.field, bad_zone.reason) == (
        5, "created_at", "unknown time zone 'XYZ' in '2021-07-05 19:00:00 XYZ'")


def test_a_post_history_is_recognised_and_every_row_rejected_as_not_posts():
    items = read(DATA / "history.csv")
    assert [(i.line, i.reason) for i in items] == [(2, HISTORY_REASON), (3, HISTORY_REASON)]
    assert items[0].raw == "1\t,2021-07-05 19:55:29,36,61973,2950,584,,,"


def test_the_real_export_reads_ten_posts_and_the_history_none(shared_data):
    folder = shared_data / "formats" / "crowdtangle"
    posts = read(folder / "2021-07-05-22-49-20-BRT-search-csv-export.csv")
    assert len(posts) == 10 and all(isinstance(i, Record) for i in posts)
    neymar = posts[0]
    assert (neymar.post["post_id"], neymar.post["account_id"], neymar.post["created_at"]) == (
        "100050295107499_345428873810280", "100050295107499", datetime(2021, 7, 5, 21, 2, 45, tzinfo=UTC))
    history = read(folder / "history_post_3758007754304128.csv")
    assert len(history) == 7 and {i.reason for i in history} == {HISTORY_REASON}


def test_ingest_detects_both_crowdtangle_files(workspace):
    results = workspace.ingest([DATA / "search.csv", DATA / "history.csv"])
    assert [(r.format, r.platform, r.n_read, r.n_accepted, r.n_duplicates, r.n_rejected) for r in results] == [
        ("crowdtangle", "facebook", 3, 2, 0, 1), ("crowdtangle", "facebook", 2, 0, 0, 2)]


def test_an_instagram_export_is_read_as_instagram_keyed_by_user_name():
    [row] = read(DATA / "instagram.csv")
    p = row.post
    assert (p["platform"], p["post_id"], p["account_id"], p["created_at"], p["text"], p["hashtags"], p["media"]) == (
        "instagram", "https://www.instagram.com/p/CQ1abcdEFgh/", "examplebrand",
        datetime(2021, 7, 5, 14, 0, tzinfo=UTC), "Summer is here #sun", ["sun"],
        ["https://www.instagram.com/p/CQ1abcdEFgh/"])
    assert (row.accounts[0]["display_name"], row.accounts[0]["followers"]) == ("Example Brand", 12345)
