"""The Reddit Pushshift reader: fullnames, string times, deleted authors and bodies."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from lockstep.ingest import READERS, Record

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest" / "reddit"


def read(path):
    with open(path, "rb") as f:
        return list(READERS["reddit"]().read(f, str(path)))


def post(**fields):
    base = {
        "platform": "reddit", "kind": "post", "text": None, "text_norm": None, "lang": None, "repost_of": None,
        "repost_of_account": None, "reply_to": None, "reply_to_account": None, "quote_of": None, "urls": [],
        "domains": [], "hashtags": [], "mentions": [], "media": [], "client": None, "venue": None, "title": None,
        "post_url": None,
    }
    return base | fields


def test_comments_are_replies_with_prefixed_ids_and_removed_bodies_have_no_text():
    comment, removed, deleted, submission, broken = read(DATA / "dump.ndjson")
    assert comment.post == post(
        post_id="t1_c13", account_id="frjo", created_at=datetime(2005, 12, 12, 5, 26, 28, tzinfo=UTC),
        kind="reply", text="See http://example.com/a", text_norm="see", reply_to="t3_17863",
        urls=["http://example.com/a"], domains=["example.com"], venue="reddit.com",
    )
    # created_utc as a string; "[removed]" is a placeholder, not the author's words
    assert removed.post == post(
        post_id="t1_c14", account_id="zse", created_at=datetime(2005, 12, 12, 5, 35, 25, tzinfo=UTC),
        kind="reply", reply_to="t1_c13", venue="reddit.com",
    )
    assert (deleted.line, deleted.field, deleted.reason) == (3, "author", "author deleted")
    assert submission.post == post(
        post_id="t3_dbkyl8", account_id="ashly", created_at=datetime(2019, 10, 1, 0, 19, 21, tzinfo=UTC),
        urls=["https://example.org/news"], domains=["example.org"], venue="AskWomen", title="A question",
        post_url="https://www.reddit.com/r/AskWomen/comments/dbkyl8/a_question/",
    )
    assert submission.accounts[0]["created_at"] == datetime(2017, 7, 14, 2, 40, tzinfo=UTC)
    assert (broken.line, broken.reason[:13]) == (5, "invalid JSON:")


def test_the_real_dumps_keep_every_known_author_and_reject_the_deleted(shared_data):
    folder = shared_data / "formats" / "reddit_pushshift"
    comments = read(folder / "RC_2005-12.ndjson")
    assert len(comments) == 1_075
    assert Counter(type(i).__name__ for i in comments) == {"Record": 890, "Rejection": 185}  # 185 [deleted]
    replies = Counter(i.post["reply_to"][:3] for i in comments if isinstance(i, Record))
    assert sum(replies.values()) == 890 and set(replies) == {"t1_", "t3_"}
    submissions = read(folder / "RS_2019-10_AskWomen.first300.ndjson")
    assert Counter(type(i).__name__ for i in submissions) == {"Record": 147, "Rejection": 153}


def test_ingest_detects_reddit(workspace):
    [r] = workspace.ingest(DATA / "dump.ndjson")
    assert (r.format, r.n_read, r.n_accepted, r.n_duplicates, r.n_rejected) == ("reddit", 5, 3, 0, 2)
