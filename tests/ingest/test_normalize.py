"""The normalisers: timestamps, URLs, hashtags, mentions, text, list fields."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lockstep.ingest import (
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

T = datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Wed Oct 10 20:19:24 +0000 2018", T),  # Twitter v1.1
        ("Wed Oct 10 22:19:24 +0200 2018", T),  # v1.1 with an offset
        ("2018-10-10T20:19:24.000Z", T),  # twarc2 / API v2
        ("2018-10-10T20:19:24Z", T),
        ("2018-10-10T23:19:24+03:00", T),  # ISO with offset
        ("2018-10-10T15:19:24-0500", T),  # offset without colon
        ("2018-10-10 20:19:24", T),  # naive = UTC
        ("2018-10-10 17:19:24 BRT", T),  # CrowdTangle local time with zone abbreviation
        ("2018-10-10T20:19:24.000000+00:00", T),
        (1539202764, T),  # epoch seconds
        (1539202764000, T),  # epoch milliseconds
        (1539202764000000, T),  # epoch microseconds
        ("1539202764", T),  # Telegram date_unixtime is a string
        (1539202764.0, T),  # CooRTweet POSIX float
        ("2018-10-10 20:19", T.replace(second=0)),  # information-operations release
        ("2018-10-10", datetime(2018, 10, 10, tzinfo=UTC)),  # account_creation_date
        ("2025-12-05T10:16:59.78349200Z", datetime(2025, 12, 5, 10, 16, 59, 783492, tzinfo=UTC)),  # 8-digit fraction (Bluesky)
        (datetime(2018, 10, 10, 20, 19, 24), T),  # naive datetime = UTC
    ],
)
def test_parse_timestamp_reads_every_common_form_as_utc(value, expected):
    assert parse_timestamp(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "empty"),
        ("yesterday", "unrecognised timestamp"),
        ("0000-10-14T15:06:10.730Z", "impossible"),  # a real Bluesky createdAt
        ("2018-02-30 10:00", "impossible"),
        ("2018-10-10T20:19:24+25:00", "offset"),
        ("2018-10-10 10:00 XYZ", "unknown time zone"),
        ("1970-01-01", "outside"),
        ("2999-01-01", "outside"),
        (None, "not a timestamp"),
        (float("nan"), "NaN"),
    ],
)
def test_parse_timestamp_rejects_impossible_values_with_a_reason(value, message):
    with pytest.raises(ValueError, match=message):
        parse_timestamp(value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM:443/a/b?utm_source=x&id=7#top", "https://example.com/a/b?id=7"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://news.example.org/story?fbclid=abc&gclid=def", "https://news.example.org/story"),
        ("https://example.com/p?b=2&a=1", "https://example.com/p?b=2&a=1"),  # order kept
        ("www.example.com/page", "http://www.example.com/page"),
        ("https://example.com/path with space", "https://example.com/path%20with%20space"),
    ],
)
def test_normalize_url_makes_the_same_page_compare_equal(url, expected):
    assert normalize_url(url) == expected


@pytest.mark.parametrize("url", ["javascript:alert(1)", "mailto:a@b.c", "not a url", "http://", "http://[::1"])
def test_normalize_url_refuses_what_is_not_a_web_url(url):
    with pytest.raises(ValueError):
        normalize_url(url)


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://news.bbc.co.uk/x", "bbc.co.uk"),
        ("https://www.example.com/", "example.com"),
        ("https://t.co/abc", "t.co"),
        ("http://192.168.0.1/x", "192.168.0.1"),
        ("example.org", "example.org"),
    ],
)
def test_registered_domain_is_public_suffix_aware(url, domain):
    assert registered_domain(url) == domain


def test_extracting_entities_from_free_text():
    text = "RT @Alice: Vote #NOW and #ＶＯＴＥ! see https://ex.com/a?b=1). cc @bob@mastodon.social #now"
    assert extract_hashtags(text) == ["now", "vote"]
    assert extract_mentions(text) == ["alice", "bob@mastodon.social"]
    assert extract_urls(text) == ["https://ex.com/a?b=1"]
    assert extract_urls("(see https://en.wikipedia.org/wiki/Foo_(bar))") == ["https://en.wikipedia.org/wiki/Foo_(bar)"]
    # A fragment in a URL and a HTML entity are not hashtags; neither are numbers.
    assert extract_hashtags("https://ex.com/#section &#39; #2020 #ok") == ["ok"]
    assert extract_mentions("mail me at someone@example.com") == []


def test_normalize_text_keeps_what_identifies_a_copy():
    assert normalize_text("RT @bob: Vote  NOW!! https://t.co/x @alice") == "vote now!!"
    assert normalize_text("Vote NOW!!\n\u200b") == "vote now!!"
    assert normalize_text("Tom &amp; Jerry …") == "tom & jerry"
    assert normalize_text("  ") is None
    assert normalize_text(None) is None
    assert normalize_tag("#ＦｒｅｅＳｐｅｅｃｈ") == "freespeech"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("['tag1', 'tag2']", ["tag1", "tag2"]),  # IO release, Python repr
        ("[2876420003]", ["2876420003"]),  # IO release, unquoted ids
        ('["a", "b"]', ["a", "b"]),
        ("[]", []),
        ("", []),
        ("a b  c", ["a", "b", "c"]),
        ("a|b;c", ["a", "b", "c"]),
        (["x", None, ""], ["x"]),
        ("['it\\'s', \"__import__('os')\"]", ["it's", "__import__('os')"]),  # parsed, never evaluated
    ],
)
def test_parse_list_field_reads_lists_without_evaluating_them(value, expected):
    assert parse_list_field(value) == expected


def test_small_field_parsers():
    assert [parse_bool(v) for v in ("true", "FALSE", "1", "0", "", None)] == [True, False, True, False, False, None]
    assert [parse_int(v) for v in ("12", "12.0", "", "absent", 7.0, None)] == [12, 12, None, None, 7, None]
    with pytest.raises(ValueError):
        parse_int("1.5")
    with pytest.raises(ValueError):
        parse_bool("maybe")
    assert content_id("a", 1, None) == content_id("a", 1, None) != content_id("a", 1, "")
    assert content_id("a").startswith("h:") and len(content_id("a")) == 22


@given(st.text())
def test_normalize_text_never_fails_and_is_idempotent(s):
    once = normalize_text(s)
    assert once is None or normalize_text(once) == once


@given(st.text(max_size=200))
def test_extractors_never_fail_on_any_text(s):
    for fn in (extract_hashtags, extract_mentions, extract_urls):
        assert isinstance(fn(s), list)


@given(st.one_of(st.text(max_size=60), st.integers(), st.floats()))
def test_parse_timestamp_either_parses_or_raises_value_error(v):
    try:
        dt = parse_timestamp(v)
    except ValueError:
        return
    assert dt.tzinfo is not None


@given(st.text(max_size=80))
def test_normalize_url_either_normalises_idempotently_or_raises_value_error(s):
    try:
        u = normalize_url("https://example.com/" + s)
    except ValueError:
        return
    assert normalize_url(u) == u


@pytest.mark.parametrize("value", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00",
                                   "Fri Dec 31 23:00:00 -0500 9999"])
def test_a_date_that_its_offset_carries_past_the_calendar_is_out_of_range_not_a_crash(value):
    # Found by the fuzzer: astimezone raised OverflowError.
    with pytest.raises(ValueError, match="out of range"):
        parse_timestamp(value)
