"""Ingest throughput and memory: rows/s and peak RSS of `lockstep ingest`.

Cases
-----
ira      the 1.67M-row IRA CSV in ../shared/data/ira_tweets (target: under 60 s and under 2 GB RSS on 2 cores)
twarc2   a generated 1M-tweet twarc2 JSONL file (raw API v2 response pages of 100 tweets with `includes`)

Each case runs in a fresh subprocess (so peak RSS is its own) and prints seconds, rows/s, peak RSS, the ratio
to the target, and the ratio to a reference run in the same session on the same file: DuckDB's own
`read_csv`/`read_json` loading the raw file into a table with no normalisation (the floor of what
loading can cost).

Usage: python bench/ingest.py [--case ira|twarc2|all] [--rows N]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
CACHE = ROOT / "bench" / ".cache"

TARGET_SECONDS = 60.0
TARGET_RSS_MB = 2048.0

_CHILD = """
import json, resource, sys, time
import lockstep
t = time.perf_counter()
res = lockstep.ingest([sys.argv[1]], workspace=sys.argv[2])
sec = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": sec, "rss_mb": rss, "results": [r.as_dict() for r in res]}))
"""

_REFERENCE = """
import duckdb, json, resource, sys, time
t = time.perf_counter()
con = duckdb.connect(sys.argv[2] + "/ref.duckdb")
if sys.argv[3] == "csv":
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar=true)", [sys.argv[1]])
else:
    con.execute("CREATE TABLE t AS SELECT * FROM read_json(?, format='newline_delimited', maximum_object_size=100000000)", [sys.argv[1]])
n = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
print(json.dumps({"seconds": time.perf_counter() - t, "rows": n,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_child(code: str, *args: str) -> dict:
    p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def make_twarc2(path: Path, n_tweets: int, seed: int = 1) -> None:
    """Raw twarc2 search pages: 100 tweets per line, users in includes, ~half retweets."""
    rng = random.Random(seed)
    words = ["vote", "election", "news", "today", "people", "must", "read", "share", "truth", "media", "breaking", "report", "city"]
    n_users = max(1000, n_tweets // 50)
    with path.open("w") as f:
        for page_start in range(0, n_tweets, 100):
            data, users = [], {}
            for i in range(page_start, min(page_start + 100, n_tweets)):
                uid = str(10_000 + int(rng.paretovariate(1.2)) % n_users)
                ts = 1_600_000_000 + i * 3 + rng.randrange(3)
                tweet = {
                    "id": str(10**18 + i), "author_id": uid, "lang": "en", "conversation_id": str(10**18 + i),
                    "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(ts)),
                    "source": "Twitter Web App",
                    "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0},
                }
                text = " ".join(rng.choice(words) for _ in range(12))
                tag = rng.choice(words)
                if rng.random() < 0.5:
                    orig = str(10**17 + int(rng.paretovariate(1.1)) % 50_000)
                    tweet["text"] = f"RT @user{orig[-4:]}: {text}"
                    tweet["referenced_tweets"] = [{"type": "retweeted", "id": orig}]
                else:
                    url = f"https://t.co/{i:x}"
                    tweet["text"] = f"{text} #{tag} {url}"
                    tweet["entities"] = {
                        "hashtags": [{"start": 0, "end": 1, "tag": tag}],
                        "urls": [{"start": 0, "end": 1, "url": url,
                                  "expanded_url": f"https://news{rng.randrange(500)}.example.com/a/{rng.randrange(10**6)}?utm_source=tw"}],
                    }
                data.append(tweet)
                users[uid] = {"id": uid, "username": f"user{uid}", "name": f"User {uid}", "description": "bio",
                              "created_at": "2015-01-01T00:00:00.000Z",
                              "public_metrics": {"followers_count": 10, "following_count": 20, "tweet_count": 30}}
            page = {"data": data, "includes": {"users": list(users.values())},
                    "meta": {"result_count": len(data)}, "__twarc": {"url": "https://api.twitter.com/2/tweets/search/all",
                                                                      "version": "2.0.0", "retrieved_at": "2021-01-01T00:00:00+00:00"}}
            f.write(json.dumps(page) + "\n")


def bench_case(name: str, path: Path, n_expected: int | None, ref_kind: str) -> None:
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        ref = run_child(_REFERENCE, str(path), tmp, ref_kind)
        out = run_child(_CHILD, str(path), tmp + "/ws")
    rows = sum(r["n_read"] for r in out["results"])
    accepted = sum(r["n_accepted"] for r in out["results"])
    rejected = sum(r["n_rejected"] for r in out["results"])
    duplicates = sum(r["n_duplicates"] for r in out["results"])
    sec, rss = out["seconds"], out["rss_mb"]
    print(f"\n== {name}: {path.name}")
    print(f"records read {rows:,} = accepted {accepted:,} + duplicates {duplicates:,} + rejected {rejected:,}"
          + (f" (expected {n_expected:,})" if n_expected else ""))
    print(f"lockstep ingest: {sec:.1f} s, {rows / sec:,.0f} rows/s, peak RSS {rss:,.0f} MB")
    print(f"  vs target {TARGET_SECONDS:.0f} s: {sec / TARGET_SECONDS:.2f}x of budget;"
          f" vs {TARGET_RSS_MB:.0f} MB: {rss / TARGET_RSS_MB:.2f}x of budget")
    print(f"reference (DuckDB read_{ref_kind} of the raw file, no normalisation): {ref['seconds']:.1f} s,"
          f" {ref['rows']:,} rows, peak RSS {ref['rss_mb']:,.0f} MB")
    print(f"  lockstep / reference time: {sec / ref['seconds']:.1f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", choices=["ira", "twarc2", "all"], default="all")
    ap.add_argument("--rows", type=int, default=1_000_000, help="tweets in the generated twarc2 file")
    args = ap.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, cores {len(__import__('os').sched_getaffinity(0))}")
    if args.case in ("ira", "all"):
        ira = SHARED / "ira_tweets" / "tweets_english_categories.csv.gz"
        if ira.exists():
            bench_case("IRA tweets (ira538 reader)", ira, 1_672_227, "csv")
        else:
            print(f"skipped ira: {ira} not found")
    if args.case in ("twarc2", "all"):
        path = CACHE / f"twarc2_{args.rows}.jsonl"
        if not path.exists():
            t = time.perf_counter()
            make_twarc2(path, args.rows)
            print(f"generated {path} ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t:.0f} s")
        bench_case("twarc2 raw pages (twarc2 reader)", path, args.rows, "json")


if __name__ == "__main__":
    main()
