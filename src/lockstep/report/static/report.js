/* lockstep report: a small hand-written viewer, no dependencies.
 * Every string that comes from the data is put into the page with textContent or
 * createTextNode, never as markup; links are made only for http(s) URLs. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var A = D.accounts, C = D.clusters, E = D.edges, EV = D.evidence;
  var nAcc = A.id.length, nCl = C.id.length;
  var DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

  // -- small DOM helpers (text only) ----------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      parent.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return parent;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }
  function safeUrl(s) {
    if (typeof s !== "string") return null;
    try {
      var u = new URL(s);
      return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null;
    } catch (err) { return null; }
  }
  // A link for an http(s) URL, else the string as plain text.
  function maybeLink(s, cls) {
    var href = safeUrl(s);
    if (!href) return el("span", (cls || "") + " d", s);
    var a = el("a", (cls || "") + " d", s);
    a.setAttribute("href", href);
    a.setAttribute("rel", "noopener noreferrer nofollow");
    a.setAttribute("target", "_blank");
    a.setAttribute("referrerpolicy", "no-referrer");
    return a;
  }
  function fmtTime(t) {
    if (t === null || t === undefined) return "–";
    return new Date(t * 1000).toISOString().replace("T", " ").replace(".000Z", "Z");
  }
  function fmtDate(t) { return t === null || t === undefined ? "–" : new Date(t * 1000).toISOString().slice(0, 10); }
  function fmtDt(s) {
    if (s === null || s === undefined) return "Δt –";
    var a = Math.abs(s), sign = s < 0 ? "−" : "+";
    if (a < 120) return "Δt " + sign + a.toFixed(a < 10 ? 1 : 0) + " s";
    if (a < 7200) return "Δt " + sign + (a / 60).toFixed(1) + " min";
    return "Δt " + sign + (a / 3600).toFixed(1) + " h";
  }
  function fmtNum(x) { return x === null || x === undefined ? "–" : (Math.round(x * 1000) / 1000).toLocaleString("en"); }
  function handleOf(i) { return A.handle[i] !== null ? "@" + A.handle[i] : A.id[i]; }
  function colourOfCluster(c) { return c < 0 ? "#999" : D.palette[c % D.palette.length]; }

  // -- per-node derived values --------------------------------------------------------------------
  var members = [];
  for (var c = 0; c < nCl; c++) members.push([]);
  for (var i = 0; i < nAcc; i++) members[A.cluster[i]].push(i);
  var nodeSignal = new Array(nAcc);
  (function () {
    var nS = D.signals.length, acc = new Float64Array(nAcc * Math.max(nS, 1));
    E.forEach(function (e) {
      for (var s = 0; s < nS; s++) { acc[e[0] * nS + s] += e[4][s]; acc[e[1] * nS + s] += e[4][s]; }
    });
    for (var i = 0; i < nAcc; i++) {
      var best = -1, bw = 0;
      for (var s = 0; s < nS; s++) if (acc[i * nS + s] > bw) { bw = acc[i * nS + s]; best = s; }
      nodeSignal[i] = best;
    }
  })();

  // -- network view (canvas) -----------------------------------------------------------------
  var canvas = document.getElementById("graph"), ctx = canvas.getContext("2d");
  var tooltip = document.getElementById("tooltip");
  var view = { x: 0, y: 0, k: 1 }, colourBy = "cluster", selCluster = -1, selNode = -1, hover = -1;
  var dpr = window.devicePixelRatio || 1;
  var W = 0, H = 0, pending = false;

  function resize() {
    var r = canvas.getBoundingClientRect();
    W = Math.max(100, r.width); H = Math.max(100, r.height);
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
    redraw();
  }
  function bounds(nodes) {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    nodes.forEach(function (i) {
      x0 = Math.min(x0, A.x[i]); x1 = Math.max(x1, A.x[i]); y0 = Math.min(y0, A.y[i]); y1 = Math.max(y1, A.y[i]);
    });
    return [x0, y0, x1, y1];
  }
  function fit(nodes) {
    if (!nodes.length) return;
    var b = bounds(nodes), pad = 2;
    var w = Math.max(b[2] - b[0] + 2 * pad, 4), h = Math.max(b[3] - b[1] + 2 * pad, 4);
    view.k = Math.min(W / w, H / h);
    view.x = W / 2 - view.k * (b[0] + b[2]) / 2; view.y = H / 2 - view.k * (b[1] + b[3]) / 2;
    redraw();
  }
  function nodeColour(i) {
    if (colourBy === "signal") return nodeSignal[i] < 0 ? "#999" : D.palette[nodeSignal[i] % D.palette.length];
    return colourOfCluster(A.cluster[i]);
  }
  function radius() { return Math.max(2, Math.min(8, view.k * 0.35)); }
  function redraw() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(draw);
  }
  function draw() {
    pending = false;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    ctx.lineWidth = 0.6;
    var faded = selCluster >= 0;
    // One path per style: stroking 100,000 edges one by one is what makes canvases slow.
    [false, true].forEach(function (wantOn) {
      ctx.beginPath();
      for (var k = 0; k < E.length; k++) {
        var e = E[k], on = !faded || A.cluster[e[0]] === selCluster || A.cluster[e[1]] === selCluster;
        if (on !== wantOn) continue;
        ctx.moveTo(view.x + view.k * A.x[e[0]], view.y + view.k * A.y[e[0]]);
        ctx.lineTo(view.x + view.k * A.x[e[1]], view.y + view.k * A.y[e[1]]);
      }
      ctx.strokeStyle = wantOn ? "rgba(90,100,120,0.3)" : "rgba(200,200,200,0.08)";
      ctx.stroke();
    });
    var r = radius();
    for (var i = 0; i < nAcc; i++) {
      var x = view.x + view.k * A.x[i], y = view.y + view.k * A.y[i];
      if (x < -r || y < -r || x > W + r || y > H + r) continue;
      ctx.globalAlpha = faded && A.cluster[i] !== selCluster ? 0.15 : 1;
      ctx.fillStyle = nodeColour(i);
      ctx.beginPath(); ctx.arc(x, y, i === hover || i === selNode ? r * 1.8 : r, 0, 6.2832); ctx.fill();
      if (i === selNode) { ctx.strokeStyle = "#111"; ctx.lineWidth = 2; ctx.stroke(); ctx.lineWidth = 0.6; }
    }
    ctx.globalAlpha = 1;
  }
  function nodeAt(px, py) {
    var best = -1, bd = Math.pow(Math.max(radius() * 2, 6), 2);
    for (var i = 0; i < nAcc; i++) {
      var dx = view.x + view.k * A.x[i] - px, dy = view.y + view.k * A.y[i] - py, d = dx * dx + dy * dy;
      if (d < bd) { bd = d; best = i; }
    }
    return best;
  }
  function legend() {
    var L = clear(document.getElementById("legend"));
    var items = colourBy === "signal" ? D.signals.map(function (s, k) { return [s, D.palette[k % D.palette.length]]; })
      : C.id.slice(0, 12).map(function (id, k) { return ["#" + C.rank[k] + " " + id, colourOfCluster(k)]; });
    items.forEach(function (it) {
      var sw = el("span", "swatch"); sw.style.background = it[1];
      add(L, add(el("span", "d"), sw, it[0]));
    });
    if (colourBy === "cluster" && nCl > 12) add(L, el("span", "muted", "colours repeat after 12 clusters"));
  }
  var drag = null;
  canvas.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, moved: false }; });
  window.addEventListener("mouseup", function () { setTimeout(function () { drag = null; }, 0); });
  canvas.addEventListener("mousemove", function (ev) {
    var r = canvas.getBoundingClientRect(), px = ev.clientX - r.left, py = ev.clientY - r.top;
    if (drag && (ev.buttons & 1)) {
      var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      view.x = drag.vx + dx; view.y = drag.vy + dy; redraw(); return;
    }
    var h = nodeAt(px, py);
    if (h !== hover) { hover = h; redraw(); }
    if (h >= 0) {
      tooltip.hidden = false;
      tooltip.textContent = handleOf(h) + (A.name[h] ? " · " + A.name[h] : "") + " · cluster #" + C.rank[A.cluster[h]];
      tooltip.style.left = Math.min(px + 12, W - 200) + "px"; tooltip.style.top = (py + 12) + "px";
    } else tooltip.hidden = true;
  });
  canvas.addEventListener("mouseleave", function () { tooltip.hidden = true; hover = -1; redraw(); });
  canvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var r = canvas.getBoundingClientRect(), px = ev.clientX - r.left, py = ev.clientY - r.top;
    var f = Math.exp(-ev.deltaY * 0.0015);
    view.x = px - (px - view.x) * f; view.y = py - (py - view.y) * f; view.k *= f; redraw();
  }, { passive: false });
  canvas.addEventListener("click", function (ev) {
    if (drag && drag.moved) return;
    var r = canvas.getBoundingClientRect(), i = nodeAt(ev.clientX - r.left, ev.clientY - r.top);
    if (i >= 0) showAccount(i, true);
  });
  document.getElementById("colour-by").addEventListener("change", function (ev) {
    colourBy = ev.target.value === "signal" ? "signal" : "cluster"; legend(); redraw();
  });
  document.getElementById("fit").addEventListener("click", function () {
    selCluster = -1; selNode = -1; fit(range(nAcc));
  });
  function range(n) { var r = []; for (var i = 0; i < n; i++) r.push(i); return r; }

  // -- account panel --------------------------------------------------------------------------
  function accountCard(i, target) {
    add(target, add(el("h4", "d"), handleOf(i) + (A.name[i] ? " · " + A.name[i] : "")));
    var meta = [D.platforms[A.platform[i]], "id " + A.id[i], "created " + fmtDate(A.created[i]),
      A.posts[i] + " posts", A.degree[i] + " links", "cluster #" + C.rank[A.cluster[i]]];
    add(target, el("div", "muted d", meta.join(" · ")));
    if (A.bio[i]) add(target, el("p", "text", A.bio[i]));
    if (A.location[i]) add(target, el("div", "d", "Location: " + A.location[i]));
    if (A.url[i]) add(target, add(el("div"), "Profile URL: ", maybeLink(A.url[i])));
    if (A.flags[i].length) {
      var ul = el("ul", "flags");
      A.flags[i].forEach(function (f) { add(ul, el("li", "d", f)); });
      add(target, el("div", null, "Persona flags:"), ul);
    }
  }
  function showAccount(i, fromGraph) {
    var p = clear(document.getElementById("account-panel"));
    p.hidden = false;
    accountCard(i, p);
    var b = el("button", null, "Open cluster #" + C.rank[A.cluster[i]]);
    b.type = "button";
    b.addEventListener("click", function () { location.hash = "#cluster-" + C.rank[A.cluster[i]]; });
    add(p, b);
    selNode = i;
    if (fromGraph) selectCluster(A.cluster[i], false);
    redraw();
  }

  // -- cluster detail ---------------------------------------------------------------------------
  function selectCluster(c, zoom) {
    selCluster = c;
    var rows = document.querySelectorAll("#cluster-table tbody tr");
    for (var k = 0; k < rows.length; k++) rows[k].classList.toggle("selected", Number(rows[k].getAttribute("data-rank")) === C.rank[c]);
    renderDetail(c);
    if (zoom) fit(members[c]);
    redraw();
  }
  function renderDetail(c) {
    document.getElementById("detail-empty").hidden = true;
    var body = clear(document.getElementById("detail-body"));
    body.setAttribute("data-cluster-rank", String(C.rank[c]));
    add(body, el("h3", "d", "Cluster #" + C.rank[c] + " · " + C.id[c] + " · " + C.size[c] + " accounts"));
    if (C.reason[c]) add(body, el("p", "d", C.reason[c]));
    var sc = [];
    C.score_names.forEach(function (s, k) { sc.push(s + " " + fmtNum(C.scores[c][k])); });
    D.signals.forEach(function (s, k) { if (C.signal_weight[c][k]) sc.push(s + " weight " + fmtNum(C.signal_weight[c][k])); });
    if (sc.length) add(body, el("p", "muted", sc.join(" · ")));
    if (C.persona_flags[c].length) {
      var ul = el("ul", "flags");
      C.persona_flags[c].forEach(function (f) { add(ul, el("li", "d", f)); });
      add(body, el("div", null, "Persona signals of the cluster:"), ul);
    }
    // Members
    add(body, el("h4", null, "Members"));
    var t = el("table", "small members"), th = el("thead"), tr = el("tr");
    ["handle", "display name", "created", "posts", "links", "persona flags"].forEach(function (h) { add(tr, el("th", null, h)); });
    add(t, add(th, tr));
    var tb = el("tbody");
    members[c].forEach(function (i) {
      var r = el("tr");
      var h = el("a", "d", handleOf(i)); h.setAttribute("href", "#account-" + i);
      h.addEventListener("click", function (ev) { ev.preventDefault(); showAccount(i, false); document.getElementById("network").scrollIntoView(); });
      add(r, add(el("td"), h), el("td", "d", A.name[i]), el("td", "nowrap", fmtDate(A.created[i])),
        el("td", "num", A.posts[i]), el("td", "num", A.degree[i]), el("td", "d", A.flags[i].join("; ")));
      add(tb, r);
    });
    add(body, add(t, tb));
    // Timeline and heatmap
    add(body, el("h4", null, "Activity over time (posts per " + binName() + ", UTC) against all posts"));
    var charts = el("div", "charts");
    var tl = el("canvas"); tl.width = 720; tl.height = 160; add(charts, tl);
    var hm = el("canvas"); hm.width = 420; hm.height = 160; add(charts, hm);
    add(body, charts);
    drawTimeline(tl, c); drawHeatmap(hm, c);
    // Top shared objects
    add(body, el("h4", null, "Most shared objects (by members sharing them)"));
    var objs = el("div", "objects"), any = false;
    ["post", "url", "domain", "hashtag"].forEach(function (kind) {
      var rows = D.top_objects[c][kind];
      if (!rows || !rows.length) return;
      any = true;
      var box = el("div"), ol = el("ol");
      add(box, el("b", null, {post: "Posts reposted or quoted", url: "URLs", domain: "Domains", hashtag: "Hashtags"}[kind]));
      rows.forEach(function (r) {
        add(ol, add(el("li"), kind === "url" ? maybeLink(r[0]) : el("span", "d", kind === "hashtag" ? "#" + r[0] : r[0]),
          el("span", "muted", " · " + r[1] + " accounts, " + r[2] + " posts")));
      });
      add(objs, add(box, ol));
    });
    add(body, any ? objs : el("p", "muted", "No object shared by two or more members."));
    // Evidence
    var evh = el("h4", null, "Evidence: the strongest links and their co-actions");
    evh.id = "evidence-" + C.rank[c];
    add(body, evh);
    var links = EV.links[c];
    if (!links.length) add(body, el("p", "muted", "No co-action evidence inside this cluster."));
    links.forEach(function (L) { add(body, renderLink(L)); });
    if (links.length === EV.max_links) add(body, el("p", "muted", "The " + EV.max_links + " strongest links are shown; evidence.csv has every co-action."));
    // Accounts that joined as the cluster's source, forwarder or ring member have no link of their own.
    var joined = EV.sources[c];
    if (joined.length) {
      add(body, el("h4", null, "Evidence: accounts that joined as the cluster's source, forwarder or ring member"));
      joined.forEach(function (S) { add(body, renderJoined(S)); });
      if (joined.length === EV.max_links) add(body, el("p", "muted", "The first " + EV.max_links + " are shown; evidence.csv has every row."));
    }
  }
  function renderJoined(S) {
    var box = el("div", "link evidence-link evidence-joined"), src = S[1] === "source", ring = S[1] === "ring";
    var what = src
      ? " · source: first posted " + S[3] + " object" + (S[3] === 1 ? "" : "s") + " that members went on to share · " +
        S[2] + " share" + (S[2] === 1 ? "" : "s")
      : ring
      ? " · ring member: reposted " + S[3] + " post" + (S[3] === 1 ? "" : "s") +
        " its ring pushed, posts almost nobody outside the ring reposted · " + S[2] + " repost" + (S[2] === 1 ? "" : "s")
      : " · forwarder: reposted the first posts of " + S[3] + " object" + (S[3] === 1 ? "" : "s") +
        " that members went on to share · " + S[2] + " repost" + (S[2] === 1 ? "" : "s");
    add(box, add(el("div", "d"), el("b", "d", handleOf(S[0])),
      el("span", "muted", what + (S[2] > S[4].length ? ", " + S[4].length + " shown" : ""))));
    S[4].forEach(function (x) {
      var row = el("div", "coaction");
      var mid = el("div", "mid");
      add(mid, el("div", null, src ? "first post → share" : ring ? "pushed post → ring's repost" : "first post → forward"),
        el("div", null, fmtDt(x[4])));
      if (x[1] !== null) add(mid, add(el("div"), maybeLink(x[1])));
      add(row, renderPost(x[2]), mid, renderPost(x[3]));
      add(box, row);
    });
    return box;
  }
  function renderLink(L) {
    var e = E[L[0]], box = el("div", "link evidence-link");
    var sig = [];
    D.signals.forEach(function (s, k) { if (e[4][k]) sig.push(s + " " + fmtNum(e[4][k])); });
    add(box, add(el("div", "d"), el("b", "d", handleOf(e[0])), " ↔ ", el("b", "d", handleOf(e[1])),
      el("span", "muted", " · weight " + fmtNum(e[2]) + (sig.length ? " (" + sig.join(", ") + ")" : "") +
        " · " + L[1] + " co-action" + (L[1] === 1 ? "" : "s") + (L[1] > L[2].length ? ", " + L[2].length + " shown" : ""))));
    L[2].forEach(function (x) {
      var row = el("div", "coaction");
      var mid = el("div", "mid");
      add(mid, el("div", null, x[0] >= 0 ? D.signals[x[0]] : ""), el("div", null, fmtDt(x[4])));
      if (x[1] !== null) add(mid, add(el("div"), maybeLink(x[1])));
      add(row, renderPost(x[2]), mid, renderPost(x[3]));
      add(box, row);
    });
    return box;
  }
  function renderPost(p) {
    var P = EV.posts[p], box = el("div", "post");
    var meta = el("div", "meta d");
    add(meta, handleOf(P[1]) + " · " + fmtTime(P[2]) + (P[4] ? " · " + P[4] : "") + " · post ");
    add(meta, P[5] ? maybeLink(P[5]) : el("span", "d", P[0]));
    add(box, meta);
    var text = EV.texts[P[3]];
    add(box, text === null ? el("div", "muted", "(no text)") : el("div", "text", text));
    return box;
  }
  function binName() {
    var b = D.timelines.bin_seconds;
    return b === 3600 ? "hour" : b === 21600 ? "6 hours" : b === 86400 ? "day" : b === 604800 ? "week" : "30 days";
  }
  function drawTimeline(cv, c) {
    var g = cv.getContext("2d"), w = cv.width, h = cv.height, bg = D.timelines.background, n = bg.length;
    var mine = new Array(n).fill(0);
    D.timelines.clusters[c].forEach(function (r) { mine[r[0]] = r[1]; });
    var mb = Math.max.apply(null, bg.concat([1])), mm = Math.max.apply(null, mine.concat([1]));
    var left = 30, bottom = 20, pw = w - left - 6, ph = h - bottom - 8, bw = pw / Math.max(n, 1);
    g.fillStyle = "#fff"; g.fillRect(0, 0, w, h);
    g.fillStyle = "#d9dde5";
    for (var i = 0; i < n; i++) { var bh = ph * bg[i] / mb; g.fillRect(left + i * bw, 8 + ph - bh, Math.max(bw - 0.5, 0.5), bh); }
    g.strokeStyle = colourOfCluster(c); g.lineWidth = 2; g.beginPath();
    for (i = 0; i < n; i++) { var y = 8 + ph - ph * mine[i] / mm; if (i) g.lineTo(left + (i + 0.5) * bw, y); else g.moveTo(left + 0.5 * bw, y); }
    g.stroke();
    g.fillStyle = "#667085"; g.font = "11px sans-serif";
    g.fillText(String(mm), 2, 16); g.fillText("0", 2, 8 + ph);
    g.fillText(fmtDate(D.timelines.start), left, h - 4);
    var end = fmtDate(D.timelines.start + n * D.timelines.bin_seconds);
    g.fillText(end, w - 6 - g.measureText(end).width, h - 4);
    g.fillText("grey: all posts (scaled), line: this cluster", left + 90, h - 4);
  }
  function drawHeatmap(cv, c) {
    var g = cv.getContext("2d"), hm = D.heatmaps[c], m = Math.max.apply(null, hm.concat([1]));
    var left = 32, top = 14, cw = (cv.width - left - 4) / 24, ch = (cv.height - top - 4) / 7;
    g.fillStyle = "#fff"; g.fillRect(0, 0, cv.width, cv.height);
    g.font = "10px sans-serif"; g.fillStyle = "#667085";
    for (var d = 0; d < 7; d++) g.fillText(DAYS[d], 2, top + d * ch + ch * 0.7);
    for (var hr = 0; hr < 24; hr += 3) g.fillText(String(hr), left + hr * cw, 10);
    for (d = 0; d < 7; d++) for (hr = 0; hr < 24; hr++) {
      var v = hm[d * 24 + hr] / m;
      g.fillStyle = "rgba(47,95,179," + (v === 0 ? 0.04 : 0.12 + 0.88 * v).toFixed(3) + ")";
      g.fillRect(left + hr * cw + 0.5, top + d * ch + 0.5, cw - 1, ch - 1);
    }
  }

  // -- account table with search --------------------------------------------------------------
  var search = document.getElementById("search"), cf = document.getElementById("cluster-filter");
  var flaggedOnly = document.getElementById("flagged-only"), shown = 200;
  for (c = 0; c < nCl; c++) {
    var o = el("option", null, "#" + C.rank[c] + " " + C.id[c]); o.value = String(c); add(cf, o);
  }
  var haystack = [];
  for (i = 0; i < nAcc; i++) {
    haystack.push([A.handle[i], A.name[i], A.id[i], A.bio[i]].filter(function (s) { return s !== null; }).join("\n").toLowerCase());
  }
  function renderAccounts() {
    var q = search.value.trim().toLowerCase(), cc = Number(cf.value), fo = flaggedOnly.checked;
    var tb = clear(document.querySelector("#account-table tbody")), n = 0, total = 0;
    for (var i = 0; i < nAcc; i++) {
      if (cc >= 0 && A.cluster[i] !== cc) continue;
      if (fo && !A.flags[i].length) continue;
      if (q && haystack[i].indexOf(q) < 0) continue;
      total++;
      if (n >= shown) continue;
      n++;
      var r = el("tr"), h = el("a", "d", handleOf(i));
      h.setAttribute("href", "#account-" + i);
      (function (k) { h.addEventListener("click", function (ev) { ev.preventDefault(); showAccount(k, true); document.getElementById("network").scrollIntoView(); }); })(i);
      var cl = el("a", null, "#" + C.rank[A.cluster[i]]); cl.setAttribute("href", "#cluster-" + C.rank[A.cluster[i]]);
      add(r, add(el("td"), h), el("td", "d", A.name[i]), el("td", "d", D.platforms[A.platform[i]]), el("td", "d", A.id[i]),
        el("td", "nowrap", fmtDate(A.created[i])), el("td", "num", A.posts[i]), add(el("td", "num"), cl),
        el("td", "d", A.flags[i].join("; ")));
      add(tb, r);
    }
    document.getElementById("account-count").textContent = total + " of " + nAcc + " accounts" + (total > n ? ", first " + n + " shown" : "");
    document.getElementById("more").hidden = total <= n;
  }
  search.addEventListener("input", function () { shown = 200; renderAccounts(); });
  cf.addEventListener("change", function () { shown = 200; renderAccounts(); });
  flaggedOnly.addEventListener("change", function () { shown = 200; renderAccounts(); });
  document.getElementById("more").addEventListener("click", function () { shown += 500; renderAccounts(); });

  // -- routing: #cluster-N and #evidence-N ------------------------------------------------------
  var byRank = {};
  for (c = 0; c < nCl; c++) byRank[C.rank[c]] = c;
  function route() {
    var m = /^#(cluster|evidence)-(\d+)$/.exec(location.hash);
    if (!m || byRank[Number(m[2])] === undefined) return;
    selNode = -1;
    selectCluster(byRank[Number(m[2])], true);
    var target = document.getElementById(m[1] === "evidence" ? "evidence-" + m[2] : "detail");
    if (target) target.scrollIntoView();
  }
  var rows = document.querySelectorAll("#cluster-table tbody tr");
  for (var k = 0; k < rows.length; k++) {
    rows[k].addEventListener("click", function (ev) {
      if (ev.target && ev.target.tagName === "A") return;
      location.hash = "#cluster-" + this.getAttribute("data-rank");
    });
  }
  window.addEventListener("hashchange", route);
  window.addEventListener("resize", resize);

  resize();
  legend();
  fit(range(nAcc));
  renderAccounts();
  route();
})();
