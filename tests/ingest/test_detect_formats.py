"""Detection picks the right reader for every real sample of the non-Twitter formats."""

from __future__ import annotations

import pytest

from lockstep.ingest import Sample, detect_format

REAL = {
    "telegram_desktop/result.messages_2200-2499.json": "telegram",
    "telegram_desktop/result.messages_0765-0784.json": "telegram",
    "mastodon/mastodon_social_tag_ichbinhanna_page1.json": "mastodon",
    "mastodon/fosstodon_account_statuses_page3.json": "mastodon",
    "bluesky/bluesky-posts.json": "bluesky",
    "bluesky/bluesky-firehose-posts.json": "bluesky",
    "bluesky/bluesky-hydrated-firehose-posts.json": "bluesky",
    "crowdtangle/2021-07-05-22-49-20-BRT-search-csv-export.csv": "crowdtangle",
    "crowdtangle/history_post_3758007754304128.csv": "crowdtangle",
    "reddit_pushshift/RC_2005-12.ndjson": "reddit",
    "reddit_pushshift/RS_2019-10_AskWomen.first300.ndjson": "reddit",
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_each_real_sample_is_detected_as_its_format(shared_data, name):
    path = shared_data / "formats" / name
    sample = Sample(path.name, path.read_bytes()[: 256 * 1024])
    assert detect_format(sample, str(path)).name == REAL[name]


def test_every_real_sample_ingests_with_every_record_accounted_for(shared_data, workspace):
    paths = [shared_data / "formats" / name for name in sorted(REAL)]
    results = workspace.ingest(paths)
    assert [r.format for r in results] == [REAL[name] for name in sorted(REAL)]
    for r in results:
        assert r.n_read == r.n_accepted + r.n_duplicates + r.n_rejected
    totals = {r.path.split("formats/")[1]: (r.n_read, r.n_rejected) for r in results}
    assert totals["telegram_desktop/result.messages_2200-2499.json"] == (300, 0)
    assert totals["reddit_pushshift/RC_2005-12.ndjson"] == (1_075, 185)
    assert totals["crowdtangle/history_post_3758007754304128.csv"] == (7, 7)
    rows = workspace.query(
        "SELECT kind, count(*) AS n FROM posts WHERE platform = 'telegram' GROUP BY kind").to_pylist()
    kinds = {r["kind"]: r["n"] for r in rows}
    assert kinds == {"repost": 267, "post": 48, "reply": 5}


@pytest.mark.parametrize("name,fmt", [
    ("coortweet/russian_coord_tweets.csv.gz", "coortweet"),
    ("coortweet/german_elections.csv.gz", "coortweet"),
])
def test_the_coortweet_tables_are_detected(shared_data, name, fmt):
    import gzip

    with gzip.open(shared_data / name, "rb") as f:
        sample = Sample(name.removesuffix(".gz"), f.read(256 * 1024))
    assert detect_format(sample, name).name == fmt
