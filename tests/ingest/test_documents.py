"""The bylined-documents reader: articles keyed by their byline, undated ones at UNDATED."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from lockstep.ingest import READERS, content_id
from lockstep.ingest.formats.documents import UNDATED

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest" / "documents"


def read(path):
    with open(path, "rb") as f:
        return list(READERS["documents"]().read(f, str(path)))


def article(**fields):
    base = {
        "platform": "web", "kind": "article", "lang": None, "repost_of": None, "repost_of_account": None,
        "reply_to": None, "reply_to_account": None, "quote_of": None, "urls": [], "domains": [], "hashtags": [],
        "mentions": [], "media": [], "client": None, "post_url": None,
    }
    return base | fields


def test_documents_are_articles_by_the_byline_as_written():
    dated, undated, no_byline, bad_date = read(DATA / "docs.csv")
    assert dated.post == article(
        post_id="https://times.example/markets", account_id="Jane Roe",
        created_at=datetime(2021, 5, 1, tzinfo=UTC), text="Markets fell sharply on Monday.",
        text_norm="markets fell sharply on monday.", venue="The Example Times", title="Markets fall",
        post_url="https://times.example/markets",
    )
    assert undated.post == article(
        post_id=content_id("J. Roe", "An undated piece", "Nothing to see here."), account_id="J. Roe",
        created_at=UNDATED, text="Nothing to see here.", text_norm="nothing to see here.",
        venue="Example Weekly", title="An undated piece",
    )
    assert datetime(1990, 1, 1, tzinfo=UTC) == UNDATED
    assert (no_byline.line, no_byline.field, no_byline.reason) == (4, "account_id", "author is missing")
    # a date that is there but unreadable is damage, not absence
    assert (bad_date.line, bad_date.field, bad_date.reason) == (5, "created_at", "unrecognised timestamp 'next Tuesday'")


def test_jsonl_documents_accept_the_alternative_column_names():
    [doc] = read(DATA / "docs.jsonl")
    assert doc.post == article(
        post_id=content_id("Max Mustermann", "Titel", "Ein Text."), account_id="Max Mustermann",
        created_at=datetime(2020, 2, 2, 7, 0, tzinfo=UTC), text="Ein Text.", text_norm="ein text.", lang="de",
        venue="Beispielzeitung", title="Titel",
    )


def test_ingest_detects_documents_in_csv_and_jsonl(workspace):
    results = workspace.ingest([DATA / "docs.csv", DATA / "docs.jsonl"])
    assert [(r.format, r.platform, r.n_read, r.n_accepted, r.n_duplicates, r.n_rejected) for r in results] == [
        ("documents", "web", 4, 2, 0, 2), ("documents", "web", 1, 1, 0, 0)]
