"""A corpus of hostile strings and a small scenario that puts them where adversaries would.

Each payload, if it ever ran, would leave a trace: set ``window.__pwned`` or open a dialog.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

SCRIPT_PAYLOADS = [
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "</script><script>window.__pwned = 'breakout'</script>",
    "<svg onload=\"window.__pwned = 'svg'\"><script>alert('svg')</script></svg>",
    "\"><iframe src=\"javascript:alert('iframe')\"></iframe>",
    "<!--<script>window.__pwned = 'comment'</script>-->",
    "{{ 7*7 }} ${alert('template')} <style>body{display:none}</style>",
    "<a href=\"javascript:alert('link')\">click</a>",
]
URL_PAYLOADS = [
    "javascript:window.__pwned='url'",
    "data:text/html,<script>alert('data')</script>",
    "vbscript:msgbox('x')",
    "https://example.org/?q=<script>alert('q')</script>",
]
RTL = "user\u202egpj.exe\u202c"
LONG = "A" * 50_000 + "<script>window.__pwned='long'</script>"
CONTROL = "ctl\x01\x02\x08\x0b\x0c\x0e\x1b\x1f\x7f\ufffe end"
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]

COLUMNS = ["platform", "post_id", "account_id", "created_at", "kind", "text", "repost_of", "repost_of_account",
           "urls", "hashtags", "post_url", "handle", "display_name", "bio", "account_created_at", "location"]


def hostile_accounts() -> list[dict[str, str]]:
    """Eight coordinated accounts whose handles, names, bios and locations are payloads."""
    names = [*SCRIPT_PAYLOADS, RTL]
    out = []
    for i in range(8):
        out.append({
            "account_id": f"evil{i}",
            "handle": [f"<img src=x onerror=window.__pwned={i}>", "</script>", RTL, FORMULAS[0],
                       f"h{i}\u2028x", "@mention", f"a{i}" * 60, "-minus"][i],
            "display_name": names[i % len(names)],
            "bio": [LONG, CONTROL, FORMULAS[1], SCRIPT_PAYLOADS[2], FORMULAS[4], FORMULAS[5], RTL,
                    SCRIPT_PAYLOADS[3]][i],
            "location": FORMULAS[2] if i % 2 else SCRIPT_PAYLOADS[1],
        })
    return out


def write_corpus(path: Path) -> Path:
    """Write the hostile scenario as a CSV lockstep ingests: coordinated payload accounts plus background."""
    t0 = dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.UTC)
    rows = []
    accounts = hostile_accounts()
    n = 0

    def row(acc: dict[str, str], when: dt.datetime, **kw: str) -> None:
        nonlocal n
        n += 1
        r = {c: "" for c in COLUMNS}
        r.update(platform="twitter", post_id=str(1000 + n), account_id=acc["account_id"],
                 created_at=when.isoformat(), kind="post", handle=acc["handle"],
                 display_name=acc["display_name"], bio=acc["bio"], location=acc["location"],
                 account_created_at="2024-01-01T00:00:00+00:00", urls="[]", hashtags="[]")
        r.update(kw)
        rows.append(r)

    # Background: 24 ordinary accounts posting ordinary things at spread-out times.
    plain = [{"account_id": f"p{k}", "handle": f"person{k}", "display_name": f"Person {k}",
              "bio": "likes walks", "location": "Leeds"} for k in range(24)]
    for k, acc in enumerate(plain):
        for j in range(4):
            row(acc, t0 + dt.timedelta(hours=3 * j + k, minutes=7 * k), text=f"ordinary post {k} {j}")
    sources = [r["post_id"] for r in rows[:6]]
    texts = [*SCRIPT_PAYLOADS, RTL + " " + URL_PAYLOADS[3], LONG, CONTROL, *FORMULAS]
    # The operation: every member reposts six posts within seconds, and posts the same payload text.
    for j in range(6):
        for i, acc in enumerate(accounts):
            when = t0 + dt.timedelta(days=1, hours=2 * j, seconds=3 * i)
            row(acc, when, kind="repost", repost_of=sources[j], repost_of_account="p0",
                text=texts[j % len(texts)], post_url=URL_PAYLOADS[j % len(URL_PAYLOADS)])
    for j, text in enumerate(texts):
        for i, acc in enumerate(accounts):
            when = t0 + dt.timedelta(days=2, hours=j, seconds=5 * i)
            row(acc, when, text=text, urls=json.dumps([URL_PAYLOADS[(i + j) % len(URL_PAYLOADS)]]),
                hashtags=json.dumps(["<b>tag</b>", FORMULAS[3]]), post_url=URL_PAYLOADS[i % len(URL_PAYLOADS)])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return path
