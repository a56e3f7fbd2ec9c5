"""The columnar fast path stores exactly what the per-row path stores, or steps aside.

Each parity test ingests the same file twice, once with the fast path and once with
``LOCKSTEP_INGEST_COLUMNAR=0`` (the per-row reader), and compares every stored table.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pyarrow as pa
import pytest

from lockstep.ingest import _columnar, extract_hashtags, extract_mentions, normalize_text
from lockstep.ingest._base import Sample, _normalize_urls
from lockstep.ingest._driver import ColumnarFallback
from lockstep.ingest.formats._common import iter_csv
from lockstep.workspace import Workspace

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
HEADER = "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls"

# Cells that the per-row path treats specially: whitespace around ids, unicode, HTML entities,
# RT prefixes, mentions and hashtags in every shape, URLs with tracking parameters, timestamps
# that are relative, fractional, in the future, negative or not numbers.
TEXTS = [
    "Vote now! https://example.org/a?utm_source=tw #Election", "RT @alice: Vote now!", "@alice agreed",
    "  RT @bob_1:   spaced   out  ", "   RT @far: three spaces before", "rt @lower: x", "RT@nospace: y",
    "Ça va? Très bien 😀 #Ünïcode @Zoë", "fish &amp; chips &lt;3", "AT&T", "a\tb\x0bc\x1cd", "", " ",
    "ends with ellipsis...", "ends with . . ...", "….", "#123 #a1 ##double a#b &#x #_", "x@y.com @a.b-c. @@z",
    "@user@mastodon.social hi", "HTTP://EXAMPLE.COM/X and Http://mixed.case", "www.example.com/path, (see)",
    "trailing https://t.co/abc).", "zero\u200bwidth", "ＲＴ full width", 'quote "inside" text', "it's 'single'",
    "/@slash #/ &#tag", "@" + "a" * 300, "many    spaces\t\ttabs", "\u3000ideographic space", "ß straße",
]
URLS = [
    "", "https://example.org/a?utm_source=tw", "https://news.example.com/b https://news.example.com/b",
    "HTTP://Example.COM:80/x?gclid=1&id=2#frag", "www.example.com", "mailto:x@y.z", "https://bbc.co.uk/news ftp://f.example",
    "http://[::1]/x", "https://例え.jp/パス", "  https://spaces.example/  ", "not a url", "https://a.b/c%20d?q=1&utm_medium=x",
]
TIMESTAMPS = ["1700000000", "1700000009.5", "12", "-1700000000", "9999999999", "abc", "", " 1700000001 ",
              "1.7e9", "0631152000", "631151999", "1700000000000", "2023-11-14T22:13:20Z", "+1700000002"]
IDS = ["1", " 2", "3 ", "", " ", "id-4", "é5", "6\u00a0", "x"]


def cnt_row(rng: random.Random, i: int) -> list[str]:
    plain = rng.random() < 0.5
    return [
        str(1000 + i) if plain else rng.choice(IDS) + str(i),
        str(rng.randrange(40)) if plain else rng.choice(IDS),
        rng.choice(["alice", "bob", " carol ", "", "@dave", "@", "Zoë"]),
        rng.choice(["", "", "", "1001", " 1002 ", " "]),
        rng.choice(["", "", "1003", "x "]),
        rng.choice(TEXTS),
        str(1_700_000_000 + i) if plain else rng.choice(TIMESTAMPS),
        rng.choice(URLS),
    ]


def write_csv(path: Path, rows: list[list[str]], *, newline: str = "\n", bom: bool = False,
              header: str = HEADER) -> Path:
    out = io.StringIO()
    w = csv.writer(out, lineterminator=newline)
    for r in rows:
        w.writerow(r)
    path.write_bytes(((("\ufeff" if bom else "") + header + newline) + out.getvalue()).encode("utf-8"))
    return path


def ingest_both(tmp_path: Path, monkeypatch, *paths: Path, fmt: str = "cnt", **kwargs):
    """The results and every stored table, through the fast path and through the per-row path."""
    out = []
    for columnar in ("1", "0"):
        monkeypatch.setenv("LOCKSTEP_INGEST_COLUMNAR", columnar)
        with Workspace(tmp_path / f"ws{columnar}") as ws:
            results = ws.ingest(list(paths), format=fmt, **kwargs)
            tables = {
                "posts": "SELECT * FROM posts ORDER BY platform, post_id",
                "account_observations": "SELECT * FROM account_observations ORDER BY platform, account_id, source_file, source_line, obs_hash",
                "rejected": "SELECT * FROM rejected ORDER BY source_file, source_line",
                "duplicates": "SELECT * FROM duplicates ORDER BY source_file, source_line",
                "sources": "SELECT * EXCLUDE (ingested_at) FROM sources ORDER BY path",
            }
            out.append(([r.as_dict() for r in results], {k: ws.con.execute(q).fetchall() for k, q in tables.items()}))
    monkeypatch.delenv("LOCKSTEP_INGEST_COLUMNAR")
    return out


def assert_same(fast, rows, columnar: bool):
    (fast_results, fast_tables), (row_results, row_tables) = fast, rows
    assert [r["columnar"] for r in fast_results] == [columnar] * len(fast_results)
    strip = ("seconds", "columnar")
    assert [{k: v for k, v in r.items() if k not in strip} for r in fast_results] == \
        [{k: v for k, v in r.items() if k not in strip} for r in row_results]
    for name in row_tables:
        assert fast_tables[name] == row_tables[name], name


# Many small blocks: repeated ids and recurring accounts then span blocks (ids are settled once per
# file, account keys remembered across blocks); a tiny key memory makes it start again; several
# parser blocks are gathered into each block.
SMALL_BLOCKS = [pytest.param({}, id="one-block"),
                pytest.param({"BLOCK_BYTES": 16384}, id="many-blocks"),
                pytest.param({"BLOCK_BYTES": 16384, "MAX_CACHE": 5}, id="many-blocks-small-memory"),
                pytest.param({"BLOCK_BYTES": 16384, "PARSE_BYTES": 4096}, id="many-parser-blocks-per-block")]


def use_blocks(monkeypatch, blocks: dict) -> None:
    if "BLOCK_BYTES" in blocks:
        monkeypatch.setattr(_columnar, "BLOCK_BYTES", blocks["BLOCK_BYTES"])
    if "PARSE_BYTES" in blocks:
        monkeypatch.setattr(_columnar, "PARSE_BYTES", blocks["PARSE_BYTES"])
    if "MAX_CACHE" in blocks:
        monkeypatch.setattr(_columnar.ColumnarCsv, "MAX_CACHE", blocks["MAX_CACHE"])


@pytest.mark.parametrize("blocks", SMALL_BLOCKS)
def test_a_file_of_nasty_values_is_read_by_the_fast_path_into_the_same_rows(tmp_path, monkeypatch, blocks):
    use_blocks(monkeypatch, blocks)
    rng = random.Random(3)
    rows = [cnt_row(rng, i) for i in range(3000)]
    rows += [rows[5], rows[17]]  # repeated post ids: duplicates
    path = write_csv(tmp_path / "nasty.csv", rows, newline="\r\n", bom=True)
    fast, per_row = ingest_both(tmp_path, monkeypatch, path)
    assert_same(fast, per_row, columnar=True)
    [result] = fast[0]
    # Every kind of outcome occurred, so the comparison covered each.
    assert result["n_accepted"] > 1000 and result["n_rejected"] > 100 and result["n_duplicates"] > 0


def test_the_cnt_fixture_falls_back_to_the_per_row_path_because_a_field_spans_lines(tmp_path, monkeypatch):
    fast, per_row = ingest_both(tmp_path, monkeypatch, DATA / "cnt" / "messages.csv")
    assert_same(fast, per_row, columnar=False)


@pytest.mark.parametrize("damage", [
    pytest.param(lambda rows: rows.insert(700, ["1", "2", "short row"]), id="a-short-row"),
    pytest.param(lambda rows: rows.insert(700, ["9", "9", "u", "", "", "two\nlines", "1700000000", ""]), id="a-multi-line-field"),
    pytest.param(lambda rows: rows.insert(700, [""] * 8), id="a-row-of-empty-cells"),
])
def test_a_file_damaged_after_its_first_block_is_undone_and_read_row_by_row(tmp_path, monkeypatch, damage):
    monkeypatch.setattr(_columnar, "BLOCK_BYTES", 4096)  # several blocks: the first is written before the damage
    rng = random.Random(5)
    rows = [cnt_row(rng, i) for i in range(1000)]
    damage(rows)
    path = write_csv(tmp_path / "damaged.csv", rows)
    fast, per_row = ingest_both(tmp_path, monkeypatch, path)
    assert_same(fast, per_row, columnar=False)


def test_blank_lines_and_undecodable_bytes_send_the_file_to_the_per_row_path(tmp_path, monkeypatch):
    rng = random.Random(6)
    lines = [",".join(f'"{c}"' if "," in c or '"' in c else c for c in cnt_row(rng, i)).replace('""', '""""') for i in range(50)]
    blank = tmp_path / "blank.csv"
    blank.write_bytes(("\n".join([HEADER, *lines[:20], "", *lines[20:]]) + "\n").encode())
    latin = tmp_path / "latin1.csv"
    latin.write_bytes((HEADER + "\n1,2,u,,,caf\xe9 cr\xe8me,1700000000,\n").encode("latin-1"))
    fast, per_row = ingest_both(tmp_path, monkeypatch, blank, latin)
    assert_same(fast, per_row, columnar=False)


def test_reingesting_and_overlapping_files_give_the_same_duplicates_and_skips(tmp_path, monkeypatch):
    rng = random.Random(8)
    rows = [cnt_row(rng, i) for i in range(500)]
    a = write_csv(tmp_path / "a.csv", rows[:300])
    b = write_csv(tmp_path / "b.csv", rows[200:])  # 100 posts in common with a.csv
    fast, per_row = ingest_both(tmp_path, monkeypatch, a, b, a)
    results = fast[0]
    assert [r["skipped"] for r in results] == [False, False, True]
    assert results[1]["n_duplicates"] >= 50  # the overlap, less the rows rejected in both
    # The skipped file was not read at all, by either path.
    fast = ([r | {"columnar": True} if r["skipped"] else r for r in fast[0]], fast[1])
    assert_same(fast, per_row, columnar=True)


def test_a_compressed_file_is_read_row_by_row(tmp_path, monkeypatch):
    import gzip

    rng = random.Random(9)
    plain = write_csv(tmp_path / "x.csv", [cnt_row(rng, i) for i in range(100)])
    gz = tmp_path / "x.csv.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    fast, per_row = ingest_both(tmp_path, monkeypatch, gz)
    assert_same(fast, per_row, columnar=False)


# --- the pieces, against the Python functions they replace ---------------------------------

PIECES = [" ", "  ", "\t", "\x0b", "\x1c", "\n", "\r\n", "@", "@", "#", "#", "/", "&", ".", "...", "…", "RT",
          "rt ", "Rt", "RT @bob:", " RT @x ", "http://", "https://a.b/c", "www.", "WWW.x", "HTTP://Q", "Http://z",
          "_", "a", "b", "Z", "1", "23", "<", "'", '"', ",", ":", "-", "x.y", "user@inst.social", "@a.b-c", "é",
          "ß", "\u200b", "&amp;", "！", "＠", "#1", "#a1", "a#b", "/@", "@@", "##"]


def test_text_columns_equal_normalize_text_and_the_extractors_on_random_text():
    rng = random.Random(11)
    texts = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12))) for _ in range(20_000)]
    norm, tags, ments = _columnar.ColumnarCsv("x.csv", "cnt").text_columns(pa.array(texts, pa.string()))
    got = list(zip(norm.to_pylist(), tags.to_pylist(), ments.to_pylist(), strict=True))
    expected = [(normalize_text(t), extract_hashtags(t), extract_mentions(t)) for t in texts]
    assert got == expected
    # Most of these went through the expressions, not the Python fallback.
    fast = _columnar.text_frame(pa.array(texts, pa.string()))["_ft"].sum()
    assert fast > 5_000


def test_url_cells_normalise_like_the_per_row_function():
    rng = random.Random(12)
    alphabet = [*"aZ09-./:?#=&_~%@ ", "http://", "https://", "HTTP://", "www.", "utm_source=x", "ftp://", "..",
                ":80", ":443", "é", "[", "]", "\t"]
    for _ in range(20_000):
        tokens = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(0, 3))]
        tokens = [rng.choice(["https://", "http://", ""]) + t for t in tokens]
        assert _columnar.normalize_urls(tokens) == _normalize_urls(tokens), tokens


def test_blocks_hold_exactly_the_rows_and_lines_of_the_csv_module_or_step_aside(tmp_path):
    rng = random.Random(13)
    pieces = ["a", "b", "", " ", '"', '""', "é", "\x00", "\r", "\n", ","]

    def cell() -> str:
        raw = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3)))
        r = rng.random()
        if r < 0.4:  # quoted as csv.writer would
            return '"' + raw.replace('"', '""') + '"'
        if r < 0.45:  # a space before the quote: not a quoted field for the csv module
            return ' "' + raw + '"'
        return raw.replace(",", "").replace("\n", "").replace("\r", "") if r < 0.97 else raw

    taken = 0
    for i in range(300):
        rows = [",".join(cell() for _ in range(3 if rng.random() < 0.97 else 2)) for _ in range(rng.randint(1, 4))]
        body = "".join(r + rng.choice(["\n", "\r\n", "\n", "\r", "\n", "\n\n"]) for r in rows)
        path = tmp_path / f"{i}.csv"
        path.write_bytes(("h1,h2,h3\n" + body).encode())
        sample = Sample(path.name, path.read_bytes())
        layout = _columnar.plain_csv(str(path), sample, ",")
        with open(path, "rb") as f:
            table = iter_csv(f, ",")
            expected = [(line, cells) for line, cells, _ in table.rows()] if table else []
        if layout is None:
            continue
        try:
            got = [(first + k, row) for first, block in _columnar.iter_blocks(layout)
                   for k, row in enumerate(zip(*(c.to_pylist() for c in block.columns), strict=True))]
        except ColumnarFallback:
            continue
        assert [(line, list(cells)) for line, cells in got] == expected, body
        taken += 1
    assert taken > 30


# --- generic CSV ------------------------------------------------------------------------------

GENERIC_HEADER = ["platform", "post_id", "account_id", "created_at", "kind", "text", "repost_of", "reply_to",
                  "urls", "hashtags", "mentions", "media", "lang", "handle", "followers", "title"]
CREATED = ["2024-03-01T10:00:00Z", "1709287200.0", "1709287200.50", "1709287200.", ".0", "2024-03-01 10:00", "2024-03-01T10:00:00.1234567+00:00", "2024-03-01",
           "2024-02-30T00:00:00Z", "2024-03-01T24:00:00Z", "2024-03-01T10:00:60Z", "2024-03-01T10:00:00+02:00",
           "Wed Oct 10 20:19:24 +0000 2018", "1709287200", "1709287200000", "", " ", "1969-12-31",
           "2024-03-01T10:00:00 BRT", "２０２４-03-01", "2999-01-01T00:00:00Z", "2024-03-01T10:00:00+0000"]
LISTS = ["", "[]", '["a", "b", "a"]', "['x', 'y']", "a b|c;d", "[unclosed", "#Tag @Tag", " ", "None",
         "https://ex.com/?utm_source=x https://t.co/abc", '["https://ex.com/a#f"]']


def generic_row(rng: random.Random, i: int) -> list[str]:
    plain = rng.random() < 0.5
    return [
        "twitter" if plain else rng.choice(["twitter", "Twitter", " twitter", "", "x"]),
        str(i) if plain else rng.choice(IDS) + str(i),
        str(rng.randrange(30)) if plain else rng.choice(IDS),
        f"2024-03-01T10:{i // 60 % 60:02d}:{i % 60:02d}Z" if plain else rng.choice(CREATED),
        rng.choice(["", "post", "repost", "Reply", "article", "bogus", " post"]),
        rng.choice(TEXTS),
        rng.choice(["", "", "1", " 2", " "]),
        rng.choice(["", "", "3"]),
        rng.choice(LISTS), rng.choice(LISTS), rng.choice(LISTS), rng.choice(LISTS),
        rng.choice(["", "en", " ", "fr "]),
        rng.choice(["", "alice", "@bob", " "]),
        rng.choice(["", "12", "N/A", " 7 ", "1.5"]),
        rng.choice(["", "A title", " "]),
    ]


@pytest.mark.parametrize("blocks", SMALL_BLOCKS)
def test_a_generic_csv_of_nasty_values_is_read_by_the_fast_path_into_the_same_rows(tmp_path, monkeypatch, blocks):
    use_blocks(monkeypatch, blocks)
    rng = random.Random(21)
    rows = [generic_row(rng, i) for i in range(3000)]
    rows += [rows[3], rows[9]]
    path = write_csv(tmp_path / "generic.csv", rows, newline="\r\n", bom=True, header=",".join(GENERIC_HEADER))
    fast, per_row = ingest_both(tmp_path, monkeypatch, path, fmt="csv")
    assert_same(fast, per_row, columnar=True)
    [result] = fast[0]
    assert result["n_accepted"] > 1000 and result["n_rejected"] > 100 and result["n_duplicates"] > 0


def test_a_mapped_csv_with_a_sniffed_delimiter_and_a_platform_option_reads_the_same(tmp_path, monkeypatch):
    rng = random.Random(22)
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    w.writerow(["id", "user", "when", "message", "fans", "link"])
    for i in range(2000):
        r = generic_row(rng, i)
        w.writerow([r[1], r[2], r[3], r[5], r[14], rng.choice(URLS)])
    path = tmp_path / "mapped.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    mapping = {"id": "post_id", "user": "account_id", "when": "created_at", "message": "text",
               "fans": "followers", "link": "urls"}
    fast, per_row = ingest_both(tmp_path, monkeypatch, path, fmt="csv", platform="web", mapping=mapping)
    assert_same(fast, per_row, columnar=True)


def test_the_generic_fixtures_read_the_same_by_both_paths(tmp_path, monkeypatch):
    fast, per_row = ingest_both(tmp_path, monkeypatch, DATA / "generic" / "posts.csv", fmt="csv")
    assert_same(fast, per_row, columnar=True)
    mapping = {"id": "post_id", "user": "account_id", "when": "created_at", "message": "text", "fans": "followers"}
    fast, per_row = ingest_both(tmp_path / "m", monkeypatch, DATA / "generic" / "mapped.csv", fmt="csv",
                                platform="web", mapping=mapping)
    assert_same(fast, per_row, columnar=True)


def test_a_generic_csv_without_post_ids_is_read_row_by_row_for_its_content_hashes(tmp_path, monkeypatch):
    rng = random.Random(23)
    rows = [[r[0], r[2], r[3], r[5]] for r in (generic_row(rng, i) for i in range(200))]
    path = write_csv(tmp_path / "noids.csv", rows, header="platform,account_id,created_at,text")
    fast, per_row = ingest_both(tmp_path, monkeypatch, path, fmt="csv")
    assert_same(fast, per_row, columnar=False)


# --- CooRTweet share tables ---------------------------------------------------------------------

def test_a_coortweet_share_table_of_nasty_values_is_read_by_the_fast_path_into_the_same_rows(tmp_path, monkeypatch):
    rng = random.Random(31)
    ids = ["a1", " a2", "3.0", "44", "", "x ", "obj"]
    times = ["1623881091.0", "1623881095", " 1623881099", "1623881091.5", "", "2021-06-16T22:04:51Z", "12"]
    rows = [[rng.choice(ids) + str(i % 50), rng.choice(ids), rng.choice(ids) + str(i), rng.choice(times)]
            for i in range(2000)]
    path = write_csv(tmp_path / "shares.csv", rows, header="object_id,account_id,content_id,timestamp_share")
    fast, per_row = ingest_both(tmp_path, monkeypatch, path, DATA / "coortweet" / "shares.csv",
                                DATA / "coortweet" / "multi.csv", fmt="coortweet", platform="twitter")
    (fast_results, _), _ = fast, per_row
    assert [r["columnar"] for r in fast_results] == [True, True, False]  # multi-object tables: per row
    fast = ([r | {"columnar": True} for r in fast_results], fast[1])
    per_row = ([r | {"columnar": True} for r in per_row[0]], per_row[1])
    assert_same(fast, per_row, columnar=True)
    assert fast_results[0]["n_accepted"] > 500 and fast_results[0]["n_rejected"] > 100
