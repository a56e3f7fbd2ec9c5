"""The Mastodon reader: HTML content, instance-qualified accounts, reblogs, replies."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from lockstep.ingest import READERS, Record
from lockstep.ingest.formats.mastodon import html_to_text

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest" / "mastodon"


def read(path):
    with open(path, "rb") as f:
        return list(READERS["mastodon"]().read(f, str(path)))


def post(**fields):
    base = {
        "platform": "mastodon", "lang": None, "repost_of": None, "repost_of_account": None, "reply_to": None,
        "reply_to_account": None, "quote_of": None, "urls": [], "domains": [], "hashtags": [], "mentions": [],
        "media": [], "client": None, "venue": None, "title": None,
    }
    return base | fields


def test_a_status_keeps_the_typed_link_whole_and_qualifies_local_accounts():
    first = read(DATA / "statuses.json")[0]
    assert first.post == post(
        post_id="https://mastodon.example/users/alice/statuses/103270115826048975",  # the uri, not the local id
        account_id="alice@mastodon.example",  # local acct "alice" + the instance host
        created_at=datetime(2019, 12, 8, 3, 48, 33, 901000, tzinfo=UTC),
        kind="post",
        # invisible spans kept: the URL as typed; paragraphs → blank line, <br> → newline
        text="Big news & more: https://news.example.com/story?utm_medium=social #Vote\n\ncc @bob\nthanks",
        text_norm="big news & more: #vote cc thanks",
        lang="en",
        urls=["https://news.example.com/story"],  # the content link and card.url, normalised to one
        domains=["example.com"],
        hashtags=["vote"],
        mentions=["bob@mastodon.example"],
        media=["https://files.mastodon.example/media/original/abc.png"],
        client="Web",
        post_url="https://mastodon.example/@alice/103270115826048975",
    )
    assert first.accounts == [{
        "platform": "mastodon", "account_id": "alice@mastodon.example", "handle": "alice@mastodon.example",
        "display_name": "Alice", "bio": "Writes about #civics", "created_at": datetime(2016, 3, 16, tzinfo=UTC),
        "location": None, "url": None, "followers": 10, "following": 5, "posts_count": 100,
        "profile_image": "https://files.mastodon.example/a.png", "verified": None, "lang": None, "observed_at": None,
    }]


def test_a_reblog_is_a_repost_of_the_original_uri_carrying_its_content():
    reblog = read(DATA / "statuses.json")[1]
    assert reblog.post == post(
        post_id="https://mastodon.example/users/bob/statuses/103270200000000000/activity",
        account_id="bob@mastodon.example",
        created_at=datetime(2019, 12, 8, 4, 0, tzinfo=UTC),
        kind="repost",
        text="Hallo #Wahl",
        text_norm="hallo #wahl",
        lang="de",
        repost_of="https://other.example/users/carol/statuses/555",
        repost_of_account="carol@other.example",
        hashtags=["wahl"],
        post_url="https://mastodon.example/users/bob/statuses/103270200000000000/activity",
    )
    assert [a["account_id"] for a in reblog.accounts] == ["bob@mastodon.example", "carol@other.example"]


def test_a_reply_keeps_the_instance_local_parent_id_and_resolves_its_author_through_mentions():
    reply = read(DATA / "statuses.json")[2].post
    assert (reply["kind"], reply["reply_to"], reply["reply_to_account"], reply["title"], reply["text"]) == (
        "reply", "103270115826048975", "alice@mastodon.example", "politics", "@alice agreed")


def test_html_to_text_returns_text_and_outbound_links_only():
    html = ('<p>a <a href="https://x.example/t" class="mention hashtag" rel="tag">#<span>t</span></a> '
            '<a href="https://y.example/p"><span class="invisible">https://</span><span>y.example/p</span></a></p>'
            '<p>&lt;script&gt;</p>')
    assert html_to_text(html) == ("a #t https://y.example/p\n\n<script>", ["https://y.example/p"])


def test_the_real_pages_read_whole_with_their_reblog_and_replies(shared_data):
    folder = shared_data / "formats" / "mastodon"
    account_page = read(folder / "fosstodon_account_statuses_page3.json")
    assert Counter(i.post["kind"] for i in account_page) == {"post": 12, "reply": 7, "repost": 1}
    [reblog] = [i.post for i in account_page if i.post["kind"] == "repost"]
    assert (reblog["repost_of"], reblog["repost_of_account"]) == (
        "https://fosstodon.org/users/termehs/statuses/112525606646148711", "termehs@fosstodon.org")
    tag_page = read(folder / "mastodon_social_tag_ichbinhanna_page1.json")
    assert all(isinstance(i, Record) for i in tag_page)
    assert Counter(i.post["kind"] for i in tag_page) == {"post": 27, "reply": 13}
    assert len({i.post["account_id"] for i in tag_page}) == 30
    assert sum(1 for i in tag_page if i.post["client"]) == 4  # application only for local statuses


def test_ingest_detects_mastodon(workspace):
    [r] = workspace.ingest(DATA / "statuses.json")
    assert (r.format, r.n_read, r.n_accepted, r.n_duplicates, r.n_rejected) == ("mastodon", 3, 3, 0, 0)
