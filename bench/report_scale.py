"""How the report scales: 10,000 flagged accounts (synthetic result tables).

Builds a workspace with 10,000 flagged accounts in clusters of 5-200, 20 posts each (200,000
posts), ~50,000 fused edges from two signals and three co-actions of evidence per edge, then
measures report generation (gather + render + exports), the size of report.html, and how long
headless Chromium takes to open it and to show the largest cluster.

Targets (from the issue): opens in under 3 s, report.html under 20 MB.

    .venv/bin/python bench/report_scale.py [--accounts 10000] [--max-size 200] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from lockstep import Workspace
from lockstep.report import write_report

T0 = 1_709_510_400  # 2024-03-04 00:00 UTC
WORDS = ["the", "vote", "was", "rigged", "and", "everyone", "knows", "it", "share", "before", "they", "delete", "this", "truth", "news", "now", "people", "deserve", "answers", "wake", "up", "read", "the", "report"]


def build(ws: Workspace, n_accounts: int, seed: int = 0, max_size: int = 200) -> None:
    rng = np.random.default_rng(seed)
    sizes = []
    while sum(sizes) < n_accounts:
        sizes.append(int(min(rng.integers(5, max_size), n_accounts - sum(sizes))))
    cluster = np.repeat(np.arange(len(sizes)), sizes)
    acc = [f"{i:07d}" for i in range(n_accounts)]
    n_posts = 20
    a_idx = np.repeat(np.arange(n_accounts), n_posts)
    t = T0 + rng.integers(0, 30 * 86400, size=a_idx.size)
    texts = [" ".join(rng.choice(WORDS, size=rng.integers(8, 30))) for _ in range(5000)]
    text = [texts[k] for k in rng.integers(0, len(texts), size=a_idx.size)]
    post_ids = [f"p{k}" for k in range(a_idx.size)]
    ts = pa.array((t * 1_000_000).astype("int64"), pa.int64()).cast(pa.timestamp("us", tz="UTC"))
    posts = pa.table({
        "platform": ["twitter"] * a_idx.size, "post_id": post_ids, "account_id": [acc[i] for i in a_idx],
        "created_at": ts, "kind": ["post"] * a_idx.size, "text": text,
        "urls": [[f"https://fringe{c % 50}.example/{k % 97}"] for c, k in zip(cluster[a_idx], range(a_idx.size))],
        "hashtags": [[f"tag{c % 30}"] for c in cluster[a_idx]],
        "source_file": ["synthetic"] * a_idx.size,
    })
    ws.con.register("_p", posts)
    ws.con.execute("INSERT INTO posts BY NAME SELECT * FROM _p")
    ws.con.unregister("_p")
    obs = pa.table({
        "platform": ["twitter"] * n_accounts, "account_id": acc,
        "handle": [f"user_{i}_{int(rng.integers(1e8))}" for i in range(n_accounts)],
        "display_name": [f"Name {i}" for i in range(n_accounts)],
        "bio": [" ".join(rng.choice(WORDS, size=12)) for _ in range(n_accounts)],
        "source_file": ["synthetic"] * n_accounts, "obs_hash": [str(i) for i in range(n_accounts)],
    })
    ws.con.register("_o", obs)
    ws.con.execute("INSERT INTO account_observations BY NAME SELECT * FROM _o")
    ws.con.unregister("_o")
    ws.write_table("clusters", pa.table({"platform": ["twitter"] * n_accounts, "account_id": acc,
                                         "cluster": [f"c{c}" for c in cluster]}))
    # ~5 edges per account inside its cluster, two signals.
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    a = np.repeat(np.arange(n_accounts), 5)
    b = starts[cluster[a]] + rng.integers(0, np.array(sizes)[cluster[a]])
    keep = a < b
    a, b = a[keep], b[keep]
    pairs = sorted(set(zip(a.tolist(), b.tolist())))
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    w1 = rng.gamma(2, 2, size=len(a)).round(3)
    w2 = rng.gamma(1, 1, size=len(a)).round(3)
    sig_rows = {"signal": ["co_repost"] * len(a) + ["copypasta"] * len(a),
                "platform": ["twitter"] * (2 * len(a)),
                "account_a": [acc[i] for i in a] * 2, "account_b": [acc[i] for i in b] * 2,
                "weight": np.concatenate([w1, w2])}
    ws.write_table("coaction_edges", pa.table(sig_rows))
    ws.write_table("edges", pa.table({"platform": ["twitter"] * len(a), "account_a": [acc[i] for i in a],
                                      "account_b": [acc[i] for i in b], "weight": w1 + w2}))
    ev_a = np.repeat(a, 3)
    ev_b = np.repeat(b, 3)
    k = rng.integers(0, n_posts, size=ev_a.size)
    ws.write_table("evidence", pa.table({
        "signal": ["copypasta"] * ev_a.size, "platform": ["twitter"] * ev_a.size,
        "account_a": [acc[i] for i in ev_a], "account_b": [acc[i] for i in ev_b],
        "post_a": [f"p{i * n_posts + j}" for i, j in zip(ev_a, k)],
        "post_b": [f"p{i * n_posts + j}" for i, j in zip(ev_b, k)],
        "object": [f"text:{j}" for j in k],
    }))
    ws.write_table("cluster_scores", pa.table({
        "cluster": [f"c{c}" for c in range(len(sizes))], "score": rng.random(len(sizes)).round(4),
        "reason": [f"{s} accounts posted the same texts within minutes." for s in sizes],
    }))
    ws.write_table("detect_runs", pa.table({"run_id": [1], "parameters": [json.dumps({"synthetic": True})]}))


def open_in_browser(html: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = b.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        t = time.perf_counter()
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        # The viewer has run when the account table is filled.
        page.wait_for_selector("#account-table tbody tr")
        opened = time.perf_counter() - t
        t = time.perf_counter()
        page.evaluate("location.hash = '#cluster-1'")
        page.wait_for_selector("#detail-body table.members")
        clicked = time.perf_counter() - t
        b.close()
    if errors:
        raise SystemExit(f"page errors: {errors}")
    return {"open_seconds": opened, "cluster_seconds": clicked}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=10_000)
    ap.add_argument("--max-size", type=int, default=200, help="Largest cluster (smaller: more clusters).")
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp())
    try:
        with Workspace(root / "ws") as ws:
            t = time.perf_counter()
            build(ws, args.accounts, max_size=args.max_size)
            print(f"built synthetic workspace in {time.perf_counter() - t:.1f} s")
            n_edges = ws.con.execute("SELECT count(*) FROM edges").fetchall()[0][0]
            n_ev = ws.con.execute("SELECT count(*) FROM evidence").fetchall()[0][0]
            n_cl = ws.con.execute("SELECT count(DISTINCT cluster) FROM clusters").fetchall()[0][0]
            t = time.perf_counter()
            paths = write_report(ws, root / "report")
            gen = time.perf_counter() - t
        size = paths["report.html"].stat().st_size
        b = open_in_browser(paths["report.html"])
        print(f"{args.accounts:,} flagged accounts, {n_cl:,} clusters, {n_edges:,} edges, {n_ev:,} evidence rows")
        print(f"report generation: {gen:.1f} s")
        print(f"report.html: {size / 1e6:.1f} MB ({size / 20e6:.2f} of the 20 MB budget)")
        print(f"browser open: {b['open_seconds']:.2f} s ({b['open_seconds'] / 3:.2f} of the 3 s budget); "
              f"show cluster 1: {b['cluster_seconds']:.2f} s")
        for name, p in paths.items():
            print(f"  {name:18} {p.stat().st_size / 1e6:8.2f} MB")
        if args.keep:
            shutil.copytree(root / "report", args.keep, dirs_exist_ok=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
