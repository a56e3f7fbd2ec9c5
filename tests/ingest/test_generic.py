"""Generic CSV/JSONL/Parquet tables: canonical columns, --map, and what is refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lockstep.errors import MappingError, UnknownFormatError
from lockstep.ingest import READERS, content_id

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest" / "generic"
MAP = {"id": "post_id", "user": "account_id", "when": "created_at", "message": "text", "fans": "followers"}


def read(fmt, path, **kwargs):
    with open(path, "rb") as f:
        return list(READERS[fmt](**kwargs).read(f, str(path)))


def post(**fields):
    base = {
        "platform": "twitter", "kind": "post", "text": None, "text_norm": None, "lang": None, "repost_of": None,
        "repost_of_account": None, "reply_to": None, "reply_to_account": None, "quote_of": None, "urls": [],
        "domains": [], "hashtags": [], "mentions": [], "media": [], "client": None, "venue": None, "title": None,
        "post_url": None,
    }
    return base | fields


def test_a_canonical_csv_is_read_with_lists_accounts_and_inferred_kinds():
    first, second, third, missing = read("csv", DATA / "posts.csv")
    assert first.post == post(
        post_id="1", account_id="alice", created_at=datetime(2024, 3, 1, 10, 0, tzinfo=UTC),
        text="Vote now https://ex.com/?utm_source=x #Vote", text_norm="vote now #vote",
        urls=["https://ex.com/", "https://t.co/abc"], domains=["ex.com", "t.co"],  # whitespace-separated list
        hashtags=["vote"],
    )
    assert first.accounts == [{
        "platform": "twitter", "account_id": "alice", "handle": "alice_h", "display_name": None, "bio": None,
        "created_at": None, "location": None, "url": None, "followers": 100, "following": None,
        "posts_count": None, "profile_image": None, "verified": None, "lang": None, "observed_at": None,
    }]
    assert second.post == post(
        post_id="2", account_id="bob", created_at=datetime(2024, 3, 1, 10, 0, 5, tzinfo=UTC), kind="repost",
        text="Vote now", text_norm="vote now", repost_of="1", hashtags=["vote"],  # a JSON list
    )
    assert second.accounts == []
    # no post_id: a content hash; no kind: repost, because repost_of is set; platform lower-cased
    assert third.post == post(
        post_id=content_id("twitter", "carol", "2024-03-01T10:00:07+00:00", "RT Vote now"), account_id="carol",
        created_at=datetime(2024, 3, 1, 10, 0, 7, tzinfo=UTC), kind="repost", text="RT Vote now",
        text_norm="rt vote now", repost_of="1",
    )
    assert (missing.line, missing.field, missing.reason) == (5, "account_id", "account_id is missing")


def test_a_mapped_csv_reads_renamed_columns_with_a_sniffed_delimiter():
    first, second = read("csv", DATA / "mapped.csv", platform="web", mapping=MAP)
    assert first.post == post(
        platform="web", post_id="a1", account_id="u1", created_at=datetime(2024, 3, 1, 10, 0, tzinfo=UTC),
        text="hello #world", text_norm="hello #world", hashtags=["world"],  # extracted: no hashtags column
    )
    assert [a["followers"] for a in first.accounts] == [12]
    assert second.accounts == []  # an empty "fans" cell makes no observation


def test_a_mapping_naming_a_missing_column_is_refused_naming_the_column(workspace):
    with pytest.raises(MappingError, match="--map nope=account_id: the file has no column 'nope'"):
        workspace.ingest(DATA / "mapped.csv", format="csv", platform="web", mapping={"nope": "account_id"})
    with pytest.raises(MappingError, match="no column for the required field 'account_id'"):
        workspace.ingest(DATA / "mapped.csv", format="csv", platform="web", mapping={"when": "created_at"})
    with pytest.raises(MappingError, match="no 'platform' column"):
        workspace.ingest(DATA / "mapped.csv", format="csv", mapping=MAP)


def test_a_csv_that_is_not_canonical_is_not_detected(workspace):
    with pytest.raises(UnknownFormatError, match="format not recognised"):
        workspace.ingest(DATA / "mapped.csv")
    [r] = workspace.ingest(DATA / "mapped.csv", format="csv", platform="web", mapping=MAP)
    assert (r.format, r.n_read, r.n_accepted, r.n_duplicates, r.n_rejected) == ("csv", 2, 2, 0, 0)


def test_ingest_detects_a_canonical_csv_and_counts_every_row(workspace):
    [r] = workspace.ingest(DATA / "posts.csv")
    assert (r.format, r.n_read, r.n_accepted, r.n_duplicates, r.n_rejected) == ("csv", 4, 3, 0, 1)


def test_parquet_and_jsonl_give_the_same_rows_as_csv(tmp_path, workspace):
    rows = [{
        "platform": "twitter", "post_id": None, "account_id": "carol",
        "created_at": datetime(2024, 3, 1, 10, 0, 7, tzinfo=UTC), "kind": None, "text": "RT Vote now",
        "repost_of": "1", "urls": [], "hashtags": [],
    }]
    table = pa.Table.from_pylist(rows, schema=pa.schema([
        ("platform", pa.string()), ("post_id", pa.string()), ("account_id", pa.string()),
        ("created_at", pa.timestamp("us", tz="UTC")), ("kind", pa.string()), ("text", pa.string()),
        ("repost_of", pa.string()), ("urls", pa.list_(pa.string())), ("hashtags", pa.list_(pa.string())),
    ]))
    pq.write_table(table, tmp_path / "posts.parquet")
    (tmp_path / "posts.jsonl").write_text(json.dumps(rows[0] | {"created_at": "2024-03-01T10:00:07Z"}) + "\n")
    csv_third = read("csv", DATA / "posts.csv")[2].post
    [from_parquet] = read("parquet", tmp_path / "posts.parquet")
    [from_jsonl] = read("jsonl", tmp_path / "posts.jsonl")
    assert from_parquet.line == 1
    assert from_parquet.post == csv_third
    assert from_jsonl.post == csv_third
    results = workspace.ingest([tmp_path / "posts.parquet", tmp_path / "posts.jsonl"])
    assert [(r.format, r.n_read, r.n_accepted, r.n_duplicates) for r in results] == [
        ("parquet", 1, 1, 0), ("jsonl", 1, 0, 1)]  # the same post, read twice


def test_the_simulators_csv_and_parquet_read_without_a_mapping_into_identical_rows(tmp_path, workspace):
    from lockstep.simulate import simulate

    scenario = simulate("demo", seed=3, n_posts=400)
    scenario.write(tmp_path / "s.csv")
    scenario.write(tmp_path / "s.parquet")
    csv_result, parquet_result = workspace.ingest([tmp_path / "s.csv", tmp_path / "s.parquet"])
    assert (csv_result.format, parquet_result.format) == ("csv", "parquet")
    assert csv_result.n_read == csv_result.n_accepted > 0 and csv_result.n_rejected == 0
    # every Parquet row is the same post as its CSV row: same key, author, time and text
    assert parquet_result.n_duplicates == parquet_result.n_read == csv_result.n_read
    assert workspace.query("SELECT bool_and(same_content) AS same FROM duplicates").to_pylist() == [{"same": True}]
    assert parquet_result.n_account_observations == 0  # identical observations too


def test_jsonl_records_missing_a_mapped_key_are_rejected_after_the_first(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_text('{"u": "a", "t": "2024-01-01T00:00:00Z"}\n{"t": "2024-01-01T00:00:01Z"}\n')
    first, second = read("jsonl", path, platform="web", mapping={"u": "account_id", "t": "created_at"})
    assert first.post["account_id"] == "a"
    assert (second.line, second.field) == (2, "account_id")
    with pytest.raises(MappingError, match="no column 'user'"):
        read("jsonl", path, platform="web", mapping={"user": "account_id"})
