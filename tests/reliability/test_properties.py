"""Property-based tests (hypothesis) of every normaliser and of the readers' counting contract."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from lockstep.errors import LockstepError
from lockstep.ingest import (
    READERS,
    Record,
    Rejection,
    content_id,
    extract_hashtags,
    extract_mentions,
    extract_urls,
    normalize_tag,
    normalize_text,
    normalize_url,
    parse_bool,
    parse_int,
    parse_list_field,
    parse_timestamp,
    registered_domain,
)

NOW = datetime(2025, 1, 1, tzinfo=UTC)
moments = st.datetimes(min_value=datetime(1990, 1, 2), max_value=datetime(2024, 12, 30), timezones=st.just(UTC))
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
anything = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=200),
                     st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@given(moment=moments, zone=offsets)
def test_a_timestamp_in_any_zone_and_form_parses_to_the_same_utc_instant(moment, zone):
    moment = moment.replace(microsecond=0)
    local = moment.astimezone(zone)
    for form in (local.isoformat(), local.strftime("%Y-%m-%dT%H:%M:%S%z"), moment.strftime("%Y-%m-%d %H:%M:%S"),
                 int(moment.timestamp()), int(moment.timestamp()) * 1000, str(int(moment.timestamp())), local):
        assert parse_timestamp(form, now=NOW) == moment, form


@given(value=anything)
def test_parse_timestamp_returns_an_aware_utc_time_in_range_or_raises_value_error(value):
    try:
        got = parse_timestamp(value, now=NOW)
    except ValueError:
        return
    assert got.utcoffset() == timedelta(0)
    assert datetime(1990, 1, 1, tzinfo=UTC) <= got <= NOW + timedelta(days=2)


@given(url=st.one_of(st.text(max_size=120), st.from_regex(r"https?://[a-zA-Z0-9.-]{1,30}(:\d{1,5})?(/[^\s#]{0,30})?(\?[^\s#]{0,30})?(#\S{0,5})?", fullmatch=True)))
def test_normalize_url_is_idempotent_or_raises_value_error(url):
    try:
        once = normalize_url(url)
    except ValueError:
        return
    assert normalize_url(once) == once
    assert once.startswith(("http://", "https://", "ftp://"))
    assert isinstance(registered_domain(once), str | type(None))


@given(text=st.one_of(st.none(), st.text(max_size=400)))
def test_text_normalisers_and_extractors_never_raise_and_return_their_types(text):
    norm = normalize_text(text)
    assert norm is None or isinstance(norm, str)
    for found in (extract_hashtags(text), extract_mentions(text), extract_urls(text)):
        assert isinstance(found, list) and all(isinstance(x, str) and x for x in found)
    assert normalize_tag(text or "") is None or isinstance(normalize_tag(text or ""), str)


@given(items=st.lists(st.text(min_size=1, max_size=20).filter(lambda s: s.strip() == s and s), max_size=6))
def test_a_json_list_round_trips_through_parse_list_field(items):
    assert parse_list_field(json.dumps(items)) == items
    assert parse_list_field(items) == items


@given(value=anything)
def test_value_parsers_return_their_type_or_raise_value_error(value):
    for fn, kind in ((parse_list_field, list), (parse_int, int), (parse_bool, bool)):
        try:
            got = fn(value)
        except ValueError:
            continue
        assert got is None or isinstance(got, kind), (fn.__name__, value, got)


@given(a=st.text(max_size=30), b=st.text(max_size=30))
def test_content_id_is_a_pure_function_of_its_parts(a, b):
    assert content_id("x", a, "2024-01-01T00:00:00+00:00", b) == content_id("x", a, "2024-01-01T00:00:00+00:00", b)
    if a != b:
        assert content_id("x", a, "t", b) != content_id("x", b, "t", a) or a == b


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
rows = st.lists(st.tuples(st.integers(0, 10**6), cells, st.one_of(moments.map(lambda d: d.isoformat()), cells), cells),
                max_size=25)


@settings(max_examples=150, deadline=None)
@given(rows=rows)
def test_the_csv_reader_yields_exactly_one_item_per_data_row(rows):
    out = io.StringIO()
    w = csv.writer(out)  # \r\n line ends: a cell holding \r or \n is quoted
    w.writerow(["platform", "post_id", "account_id", "created_at", "text"])
    n = 0
    for pid, acc, when, text in rows:
        w.writerow(["twitter", pid, acc, when, text])
        n += 1
    items = list(READERS["csv"]().read(io.BytesIO(out.getvalue().encode()), "p.csv"))
    assert all(isinstance(i, Record | Rejection) for i in items)
    # Every written row is a Record or a Rejection; none vanishes, none is invented.
    assert len(items) == n
    for item, (pid, _acc, _when, text) in zip(items, rows):
        if isinstance(item, Record):
            assert item.post["post_id"] == str(pid)
            assert item.post["text"] == (text if text.strip() else None)


@settings(max_examples=100, deadline=None)
@given(objs=st.lists(st.dictionaries(st.sampled_from(["platform", "post_id", "account_id", "created_at", "text", "kind"]),
                                     anything, max_size=6), max_size=20))
def test_every_json_reader_counts_every_line_of_arbitrary_objects(objs):
    data = "".join(json.dumps(o, default=str) + "\n" for o in objs).encode()
    for name in ("jsonl", "twitter_v1", "twarc2", "bluesky", "mastodon", "reddit", "documents"):
        try:
            items = list(READERS[name](platform="x").read(io.BytesIO(data), "p.jsonl"))
        except LockstepError:
            continue
        assert all(isinstance(i, Record | Rejection) for i in items)
        if name == "jsonl":
            assert len(items) == len(objs)
