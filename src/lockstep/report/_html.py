"""The HTML report: one self-contained file, safe to open whatever the data say.

Safety, in layers (post text, handles and bios are written by adversaries):

1. The page is rendered by Jinja2 with autoescaping on; the only data in the markup are numbers
   and escaped summary strings.
2. Everything else travels as JSON inside ``<script type="application/json">``, a data block the
   browser never executes. ``<``, ``>``, ``&`` and U+2028/U+2029 are written as ``\\uXXXX``, so
   no ``</script>`` or ``<!--`` in the data can end or bend that element.
3. The hand-written script (``static/report.js``) puts data-derived strings into the page only
   with ``textContent`` / ``createTextNode``; it never uses ``innerHTML``. Links are made only
   for http(s) URLs, with ``rel="noopener noreferrer nofollow"``.
4. A Content-Security-Policy meta tag allows only the page's own script and style (by SHA-256),
   no network, no plugins, no forms and no base URL, so even a slip elsewhere could neither run
   injected script nor load anything.

Strings are cut at a length limit in the page (the exports keep them whole) and lone surrogates
are replaced, so the file is always valid UTF-8.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from importlib import resources
from typing import Any

from lockstep.report._data import ReportData
from lockstep.report._layout import PALETTE, cluster_layout

__all__ = ["build_payload", "embed_json", "render_html"]

#: Longest string kept in the page, per kind; longer ones end with an ellipsis (exports keep all).
MAX_CHARS = {"text": 2000, "bio": 600, "name": 160, "object": 400, "flag": 300, "reason": 1000}
#: Evidence kept in the page per cluster: its strongest links and a few co-actions each.
MAX_LINKS_PER_CLUSTER = 12
MAX_COACTIONS_PER_LINK = 3
#: Evidence rows that say why an account joined a cluster without an edge of its own (see
#: ``lockstep.detect``'s evidence): the signal and the side that joined. ``source``: account a
#: first posted the object member b shared; ``forward``: account b reposted a's first post;
#: ``ring``: account b, a member of an amplification ring, reposted a post the ring pushed.
JOINED_BY = {"source": "a", "forward": "b", "ring": "b"}

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def embed_json(obj: Any) -> str:
    """``obj`` as JSON that is safe inside a ``<script type="application/json">`` element.

    Examples
    --------
    >>> embed_json({"t": "</script><script>alert(1)</script>"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    s = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for ch, esc in _JSON_ESCAPES.items():
        s = s.replace(ch, esc)
    return s


def _clip(value: Any, kind: str) -> str | None:
    if value is None:
        return None
    s = str(value)
    # Lone surrogates cannot be encoded as UTF-8; U+FFFD shows that something was there.
    s = s.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= ch <= "\udfff" for ch in s) else s
    limit = MAX_CHARS[kind]
    if len(s) > limit:
        s = s[:limit] + f"… [{len(s) - limit:,} more characters in the exports]"
    return s


def _epoch(v: Any) -> float | None:
    if v is None:
        return None
    return round(v.timestamp(), 3)


def _f(v: Any, nd: int = 4) -> float | None:
    if v is None:
        return None
    v = float(v)
    return round(v, nd) if math.isfinite(v) else None


def format_number(x: Any) -> str:
    """A table number for people: thousands separated, three significant digits, no e-notation.

    ``12345.6`` → ``"12,346"``, ``3.14159`` → ``"3.14"``, ``0.000123`` → ``"0.000123"``.
    """
    if x is None or isinstance(x, bool) or not isinstance(x, int | float) or x != x:
        return "–"
    if float(x).is_integer() or abs(x) >= 100:
        return f"{round(x):,}"
    if x == 0:
        return "0"
    import math

    digits = max(0, 2 - math.floor(math.log10(abs(x))))
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:,.0f}"


def _asset(name: str) -> str:
    return resources.files("lockstep.report").joinpath("static", name).read_text(encoding="utf-8")


def _csp_hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


def build_payload(data: ReportData, *, seed: int = 0) -> dict[str, Any]:
    """The JSON the page's script reads: column-wise tables with indices instead of repeated keys."""
    acc = data.accounts.to_pydict()
    n = data.accounts.num_rows
    cl = data.clusters.to_pydict()
    cluster_ids: list[str] = cl["cluster"]
    cidx = {c: i for i, c in enumerate(cluster_ids)}
    key = {(p, a): i for i, (p, a) in enumerate(zip(acc["platform"], acc["account_id"]))}
    platforms = sorted(set(acc["platform"]))
    pidx = {p: i for i, p in enumerate(platforms)}

    ed = data.edges.to_pydict()
    sig_cols = [f"weight_{s}" for s in data.signals]
    edges_out: list[list[Any]] = []
    edge_index: dict[tuple[int, int], int] = {}
    for k in range(data.edges.num_rows):
        a = key[(ed["platform_a"][k], ed["account_a"][k])]
        b = key[(ed["platform_b"][k], ed["account_b"][k])]
        c = ed["cluster"][k]
        edges_out.append([a, b, _f(ed["weight"][k]), -1 if c is None else cidx[c],
                          [_f(ed[s][k]) or 0 for s in sig_cols]])
        edge_index[(a, b)] = edge_index[(b, a)] = k

    node_cluster = [cidx[c] for c in acc["cluster"]]
    pos = cluster_layout(node_cluster, [(e[0], e[1], e[2] or 0.0) for e in edges_out], seed=seed)

    # Per-cluster signal weight on internal edges, and the evidence shown in the page.
    cl_sig = [[0.0] * len(data.signals) for _ in cluster_ids]
    for e in edges_out:
        if e[3] >= 0:
            for j, w in enumerate(e[4]):
                cl_sig[e[3]][j] += w

    ev = data.evidence.to_pydict()
    by_edge: dict[int, list[int]] = {}
    for r in range(data.evidence.num_rows):
        if ev["signal"][r] in JOINED_BY:
            continue  # shown per joined account below, not as a link's co-actions
        ka = key.get((ev["platform_a"][r], ev["account_a"][r]))
        kb = key.get((ev["platform_b"][r], ev["account_b"][r]))
        e = edge_index.get((ka, kb)) if ka is not None and kb is not None else None
        if e is not None:
            by_edge.setdefault(e, []).append(r)
    posts: dict[tuple[str, str], int] = {}
    post_rows: list[list[Any]] = []
    texts: dict[str, int] = {}
    text_list: list[str | None] = []
    sigidx = {s: i for i, s in enumerate(data.signals)}

    def post(side: str, r: int) -> int:
        pk = (ev[f"platform_{side}"][r], ev[f"post_{side}"][r])
        if pk not in posts:
            t = _clip(ev[f"text_{side}"][r], "text")
            if t not in texts:
                texts[t] = len(text_list)
                text_list.append(t)
            posts[pk] = len(post_rows)
            post_rows.append([pk[1], key[(ev[f"platform_{side}"][r], ev[f"account_{side}"][r])],
                              _epoch(ev[f"t_{side}"][r]), texts[t], ev[f"kind_{side}"][r],
                              _clip(ev[f"url_{side}"][r], "object")])
        return posts[pk]

    links: list[list[Any]] = [[] for _ in cluster_ids]
    internal: list[list[int]] = [[] for _ in cluster_ids]
    for k, e in enumerate(edges_out):
        if e[3] >= 0 and k in by_edge:
            internal[e[3]].append(k)
    for ci in range(len(cluster_ids)):
        strongest = sorted(internal[ci], key=lambda k: (-(edges_out[k][2] or 0), k))
        for k in strongest[:MAX_LINKS_PER_CLUSTER]:
            rows = by_edge[k]
            shown = []
            for r in rows[:MAX_COACTIONS_PER_LINK]:
                shown.append([sigidx.get(ev["signal"][r], -1), _clip(ev["object"][r], "object"),
                              post("a", r), post("b", r), _f(ev["dt_seconds"][r], 3)])
            links[ci].append([k, len(rows), shown])

    # Accounts that joined as a cluster's source, forwarder or ring member: per account, its rows (one per
    # seeded object first, so the page shows different objects before more shares of one).
    joined: dict[tuple[int, str, int], list[int]] = {}
    for r in range(data.evidence.num_rows):
        side, c = JOINED_BY.get(ev["signal"][r]), ev["cluster"][r]
        if side is None or c not in cidx:
            continue
        k = key.get((ev[f"platform_{side}"][r], ev[f"account_{side}"][r]))
        if k is not None:
            joined.setdefault((cidx[c], ev["signal"][r], k), []).append(r)
    sources: list[list[Any]] = [[] for _ in cluster_ids]
    for (ci, sig, k), rows in sorted(joined.items(), key=lambda kv: (kv[0][0], -len(kv[1]), kv[0][2], kv[0][1])):
        if len(sources[ci]) >= MAX_LINKS_PER_CLUSTER:
            continue
        seen: dict[Any, int] = {}
        nth = []
        for r in rows:
            nth.append(seen.get(ev["object"][r], 0))
            seen[ev["object"][r]] = nth[-1] + 1
        first = [r for _, r in sorted(zip(nth, rows))]
        shown = [[-1, _clip(ev["object"][r], "object"), post("a", r), post("b", r), _f(ev["dt_seconds"][r], 3)]
                 for r in first[:MAX_COACTIONS_PER_LINK]]
        sources[ci].append([k, sig, len(rows), len(seen), shown])

    score_cols = [c for c in data.clusters.column_names if c not in ("rank", "cluster", "n_accounts", "reason")]
    return {
        "signals": data.signals,
        "palette": ["#{:02x}{:02x}{:02x}".format(*c) for c in PALETTE],
        "platforms": platforms,
        "accounts": {
            "platform": [pidx[p] for p in acc["platform"]],
            "id": acc["account_id"],
            "handle": [_clip(v, "name") for v in acc["handle"]],
            "name": [_clip(v, "name") for v in acc["display_name"]],
            "created": [_epoch(v) for v in acc["created_at"]],
            "posts": acc["n_posts"],
            "cluster": node_cluster,
            "degree": acc["degree"],
            "strength": [_f(v) for v in acc["strength"]],
            "flags": [[_clip(f, "flag") for f in (v or [])] for v in acc["persona_flags"]],
            "bio": [_clip(v, "bio") for v in acc["bio"]],
            "location": [_clip(v, "name") for v in acc["location"]],
            "url": [_clip(v, "object") for v in acc["url"]],
            "x": pos[:, 0].tolist() if n else [],
            "y": pos[:, 1].tolist() if n else [],
        },
        "clusters": {
            "id": [_clip(c, "name") for c in cluster_ids],
            "rank": cl["rank"],
            "size": cl["n_accounts"],
            "reason": [_clip(v, "reason") for v in cl["reason"]],
            "score_names": score_cols,
            "scores": [[_f(cl[s][i]) for s in score_cols] for i in range(len(cluster_ids))],
            "signal_weight": [[_f(w) for w in ws] for ws in cl_sig],
            "persona_flags": [[_clip(f, "flag") for f in data.cluster_flags.get(c, [])] for c in cluster_ids],
        },
        "edges": edges_out,
        "evidence": {"links": links, "sources": sources, "posts": post_rows, "texts": text_list,
                     "max_links": MAX_LINKS_PER_CLUSTER, "max_coactions": MAX_COACTIONS_PER_LINK},
        "timelines": {
            "bin_seconds": data.timelines.get("bin_seconds"),
            "start": data.timelines.get("start"),
            "background": data.timelines.get("background", []),
            "clusters": [data.timelines.get("clusters", {}).get(c, []) for c in cluster_ids],
        },
        "heatmaps": [data.heatmaps.get(c, [0] * 168) for c in cluster_ids],
        "top_objects": [
            {kind: [[_clip(o, "object"), na, np_] for o, na, np_ in rows]
             for kind, rows in sorted(data.top_objects.get(c, {}).items())}
            for c in cluster_ids
        ],
    }


def render_html(data: ReportData, *, title: str = "lockstep report", generated_at: str | None = None,
                seed: int = 0, payload: dict[str, Any] | None = None) -> str:
    """The report as one HTML document (a string), identical for identical data.

    Parameters
    ----------
    data : ReportData
        What :func:`lockstep.report.gather` read from a workspace.
    title : str
        Page title.
    generated_at : str, optional
        Shown in the header when given; never taken from the clock, so reports stay reproducible.
    seed : int
        Seed of the network layout.
    payload : dict, optional
        :func:`build_payload`'s result, when the caller has it already.
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("lockstep.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["num"] = format_number
    script = _asset("report.js")
    style = _asset("report.css")
    if payload is None:
        payload = build_payload(data, seed=seed)
    csp = "; ".join([
        "default-src 'none'",
        f"script-src '{_csp_hash(script)}'",
        f"style-src '{_csp_hash(style)}'",
        "img-src 'none'", "connect-src 'none'", "font-src 'none'", "media-src 'none'",
        "object-src 'none'", "frame-src 'none'", "worker-src 'none'", "manifest-src 'none'",
        "base-uri 'none'", "form-action 'none'",
    ])
    cl = data.clusters.to_pylist()
    for row in cl:
        row["reason"] = _clip(row["reason"], "reason")
        row["cluster"] = _clip(row["cluster"], "name")
    return env.get_template("report.html.j2").render(
        title=title, generated_at=generated_at, csp=csp, script=script, style=style,
        data_json=embed_json(payload), summary=data.summary, clusters=cl,
        signals=data.signals, score_names=payload["clusters"]["score_names"],
        max_chars=MAX_CHARS,
    )
