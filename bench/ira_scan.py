"""Coordination scan of the real IRA tweets: runtime, and how clusters line up with the hand coding.

Issue #3 ("Coordination engine"): "The real IRA tweets in ../shared/data/ira_tweets (no post ids:
co-repost shows as identical text): scan runs end to end; report runtime and how clusters line up
with the hand-coded account_category (NMI, purity)".

Ingests ``tweets_english_categories.csv.gz`` once into a cached workspace
(``--workdir``, default ``/tmp/lockstep-bench/ira``), then times ``lockstep.detect`` (every
signal by default) and compares the clusters with Linvill & Warren's ``account_category``
(``authors.csv``) over the clustered accounts:

- NMI: ``sklearn.metrics.normalized_mutual_info_score(category, cluster)``;
- purity: Σ over clusters of its most common category's count / clustered accounts;
- how many accounts are clustered, of how many, and per category.

Every account in the data is an IRA account, so there is no precision to measure: the question
is whether the clusters are the operation's own divisions (right trolls, left trolls, news
feeds, hashtag gamers, ...). Run it under the shared lock (ingest about a minute, detect a few
minutes on 1.6M tweets)::

    flock /tmp/lockstep-bench.lock .venv/bin/python bench/ira_scan.py [--signals co-link,rare-share]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "../shared/data/ira_tweets"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workdir", type=Path,
                    default=Path(os.environ.get("TMPDIR", "/tmp")) / "lockstep-bench" / "ira")
    ap.add_argument("--signals", default=None, help="comma-separated signals (default: every signal)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--options", default=None,
                    help='per-signal parameters as JSON, e.g. \'{"rare-share": {"objects": ["url", "text"]}}\'')
    ap.add_argument("--write", action="store_true", help="write the result tables into the workspace")
    args = ap.parse_args()

    tweets = DATA / "tweets_english_categories.csv.gz"
    if not tweets.exists():
        sys.exit(f"{tweets} not found: this benchmark needs ../shared/data/ira_tweets")
    import polars as pl
    from sklearn.metrics import normalized_mutual_info_score

    import lockstep

    ws_path = args.workdir / "ws"
    args.workdir.mkdir(parents=True, exist_ok=True)
    if not (ws_path / "ready").exists():
        t = time.perf_counter()
        with lockstep.Workspace(ws_path) as ws:
            ws.ingest([tweets])
        (ws_path / "ready").write_text("ok\n")
        print(f"ingested {tweets.name} in {time.perf_counter() - t:.1f} s")

    with lockstep.Workspace(ws_path) as ws:
        ws.con.execute(f"SET threads = {args.threads}")
        t = time.perf_counter()
        options = json.loads(args.options) if args.options else None
        det = lockstep.detect(ws, args.signals, write=args.write, seed=0, options=options)
        seconds = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"detect ({args.signals or 'every signal'}) on {det.n_posts_:,} posts, {det.n_accounts_:,} accounts: "
          f"{seconds:.1f} s, peak RSS {rss:,.0f} MB")
    for name, d in det.detectors_.items():
        kept = int(sum(det.coaction_edges_.filter(
            [s == name for s in det.coaction_edges_["signal"].to_pylist()])["kept"].to_pylist()))
        print(f"  {name:15s} {d.seconds_:7.1f} s  window {d.window_s_ or 0:>8g} s  "
              f"{getattr(d, 'n_pairs_', 0):>12,} co-action pairs, {kept:,} edges kept")
    for note in det.notes_:
        print("  note:", note)

    authors = pl.read_csv(DATA / "authors.csv", infer_schema=False).select(
        pl.col("author_id").str.to_lowercase().alias("_key"), "account_category")
    cl = pl.from_arrow(det.clusters_).with_columns(pl.col("account_id").str.to_lowercase().alias("_key"))
    joined = cl.join(authors, on="_key", how="left").with_columns(pl.col("account_category").fill_null("(not coded)"))
    n_clustered = joined.height
    all_accounts = det.n_accounts_
    print(f"\nclusters {det.cluster_scores_.num_rows}; accounts clustered {n_clustered:,} of {all_accounts:,} "
          f"({n_clustered / max(all_accounts, 1):.1%})")
    if n_clustered == 0:
        return
    cats = joined["account_category"].to_list()
    clus = joined["cluster"].to_list()
    nmi = normalized_mutual_info_score(cats, clus)
    by_cluster: dict[int, Counter] = {}
    for c, k in zip(clus, cats):
        by_cluster.setdefault(c, Counter())[k] += 1
    purity = sum(cnt.most_common(1)[0][1] for cnt in by_cluster.values()) / n_clustered
    # Reference: purity of putting every clustered account in one cluster (the majority share).
    base = Counter(cats).most_common(1)[0][1] / n_clustered
    print(f"NMI {nmi:.3f}, purity {purity:.3f} (one-cluster baseline purity {base:.3f})")
    all_cat = Counter(authors["account_category"].to_list())
    print("\nper category: clustered / accounts coded")
    for k, n in sorted(all_cat.items(), key=lambda kv: -kv[1]):
        print(f"  {k:12s} {Counter(cats).get(k, 0):5d} / {n:5d}")
    scores = pl.from_arrow(det.cluster_scores_).select("cluster", "n_accounts", "top_signal", "reason")
    print("\ntop clusters: size, majority category (share), reason")
    for r in scores.head(15).iter_rows(named=True):
        cnt = by_cluster[r["cluster"]]
        k, v = cnt.most_common(1)[0]
        print(f"  #{r['cluster']:<3d} {r['n_accounts']:4d}  {k:12s} {v / sum(cnt.values()):.2f}  {r['reason']}")


if __name__ == "__main__":
    main()
