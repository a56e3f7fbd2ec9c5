"""The report in a real browser (headless Chromium): it works, and nothing from the data runs.

Needs the Debian packages chromium and chromium-driver and the Python package playwright (driven
with executable_path; `playwright install` is never run). Skips with a message when they are absent.
"""

from __future__ import annotations

import shutil
import time

import pandas as pd
import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not shutil.which("chromium"):
        pytest.skip("chromium is not installed (apt-get install -y chromium chromium-driver)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def opened(browser, hostile):
    """The hostile report opened in a page, with every console message, page error and dialog recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    events: dict[str, list[str]] = {"console": [], "pageerror": [], "dialog": [], "request": []}
    page.on("console", lambda m: events["console"].append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: events["pageerror"].append(str(e)))

    def on_dialog(d):
        events["dialog"].append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: events["request"].append(r.url))
    t0 = time.perf_counter()
    page.goto((hostile[1] / "report.html").as_uri())
    page.wait_for_load_state("load")
    events["open_seconds"] = [str(time.perf_counter() - t0)]
    yield page, events
    page.close()


def _pwned(page):
    return page.evaluate("typeof window.__pwned === 'undefined' ? null : String(window.__pwned)")


def test_the_page_opens_without_console_errors_or_page_errors(opened):
    page, events = opened
    assert [m for m in events["console"] if m.startswith(("error", "warning"))] == []
    assert events["pageerror"] == []
    assert page.locator("#cluster-table tbody tr").count() >= 1
    assert float(events["open_seconds"][0]) < 10


def test_clicking_a_cluster_shows_its_members_and_its_evidence(opened, hostile):
    page, _events = opened
    page.locator("#cluster-table tbody tr[data-rank='1'] td").nth(1).click()
    page.wait_for_selector("#detail-body table.members")
    accounts = pd.read_parquet(hostile[1] / "accounts.parquet")
    members = accounts[accounts["cluster_rank"] == 1]
    assert page.locator("#detail-body table.members tbody tr").count() == len(members)
    assert page.locator("#detail-body .evidence-link").count() >= 1
    assert page.locator("#detail-body .coaction").count() >= 1
    # Handles are shown as the text they are, markup and all.
    shown = page.locator("#detail-body table.members").inner_text()
    assert "@<img src=x onerror=window.__pwned=0>" in shown
    assert "@</script>" in shown
    assert page.evaluate("location.hash") == "#cluster-1"


def test_the_evidence_link_of_a_cluster_leads_to_its_co_actions(opened):
    page, _ = opened
    page.evaluate("location.hash = '#evidence-1'")
    page.wait_for_selector("#evidence-1")
    text = page.locator("#detail-body").inner_text()
    assert "<script>window.__pwned = 'script'</script>" in text


def test_search_filters_the_account_table(opened):
    page, _ = opened
    page.fill("#search", "evil3")
    assert page.locator("#account-table tbody tr").count() == 1
    assert page.locator("#account-count").inner_text() == "1 of 8 accounts"
    page.fill("#search", "")
    assert page.locator("#account-table tbody tr").count() == 8


def test_clicking_an_account_in_the_network_shows_it(opened):
    page, _ = opened
    page.evaluate("location.hash = '#cluster-1'")
    page.wait_for_timeout(100)
    page.locator("#network").scroll_into_view_if_needed()
    box = page.locator("#graph").bounding_box()
    # The view is fitted to the cluster: try points around the centre until an account is hit.
    for dx, dy in [(0, 0)] + [(x, y) for x in range(-300, 301, 20) for y in range(-200, 201, 20)]:
        page.mouse.click(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)
        if page.locator("#account-panel").is_visible():
            break
    assert page.locator("#account-panel h4").count() == 1


def test_no_payload_ran_opened_a_dialog_loaded_anything_or_became_markup(opened):
    page, events = opened
    # Visit every cluster so that every piece of rendered evidence has been in the page.
    n = page.locator("#cluster-table tbody tr").count()
    for rank in range(1, n + 1):
        page.evaluate(f"location.hash = '#cluster-{rank}'")
    page.fill("#search", "")
    assert _pwned(page) is None
    assert events["dialog"] == []
    assert [u for u in events["request"] if not u.startswith("file://")] == []
    assert page.locator("img, svg, iframe, object, embed, style:not(head style)").count() == 0
    assert page.locator("script").count() == 2
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
    assert all(h.startswith(("#", "http://", "https://")) for h in hrefs), [h for h in hrefs if not h.startswith("#")]
    for a in page.eval_on_selector_all("a[href^='http']", "as => as.map(a => a.rel)"):
        assert a == "noopener noreferrer nofollow"


def _detected_report(root, rows, signals):
    """Detect ``signals`` in a workspace of ``rows`` under ``root``, write its report; the report's folder."""
    from tests.detect.conftest import insert

    import lockstep
    from lockstep import Workspace
    from lockstep.report import write_report

    with Workspace(root / "ws") as ws:
        insert(ws, rows)
        lockstep.detect(ws, signals, seed=0)
        write_report(ws, root / "report")
    return root / "report"


def _open_top_cluster(browser, report):
    """The report open on its top-ranked cluster's details, and the page errors collected."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((report / "report.html").as_uri())
    page.wait_for_load_state("load")
    page.locator("#cluster-table tbody tr[data-rank='1'] td").nth(1).click()
    page.wait_for_selector("#detail-body table.members")
    return page, errors


@pytest.fixture(scope="module")
def seeded_report(tmp_path_factory):
    """A campaign seeded by Telegram channels (tests/detect/test_quality.py): detect, report."""
    import numpy as np
    from tests.detect.test_quality import _background, _seeded_push

    rng = np.random.default_rng(15)
    return _detected_report(tmp_path_factory.mktemp("seeded"), _background(rng) + _seeded_push(rng), ["rare-share"])


def test_a_cluster_lists_the_accounts_that_joined_it_as_its_source_with_their_posts(browser, seeded_report):
    page, errors = _open_top_cluster(browser, seeded_report)
    joined = page.locator("#detail-body .evidence-joined")
    # Four channels posted the links first, a fifth forwarded them: one block each, with post pairs.
    assert joined.count() == 5
    text = page.locator("#detail-body").inner_text()
    assert "Evidence: accounts that joined as the cluster's source, forwarder or ring member" in text
    assert text.count("source: first posted 2 objects that members went on to share") == 4
    assert "forwarder: reposted the first posts of 8 objects" in text
    assert joined.nth(0).locator(".coaction").count() >= 1
    assert errors == []
    page.close()


@pytest.fixture(scope="module")
def ring_report(tmp_path_factory):
    """An amplification ring beside fans of an idol (tests/detect/test_quality.py): detect, report."""
    import numpy as np
    from tests.detect.test_quality import _repost_background, _ring_and_fans

    rng = np.random.default_rng(21)
    ring, fans = _ring_and_fans(rng)
    return _detected_report(tmp_path_factory.mktemp("ring"), _repost_background(rng) + ring + fans, ["co-repost"])


def test_a_cluster_made_by_a_ring_lists_each_members_reposts_of_the_posts_it_pushed(browser, ring_report):
    page, errors = _open_top_cluster(browser, ring_report)
    text = page.locator("#detail-body").inner_text()
    # The ring has no co-repost edge inside the window: its evidence is the eight members' reposts.
    assert "No co-action evidence inside this cluster." in text
    joined = page.locator("#detail-body .evidence-joined")
    assert joined.count() == 8
    assert text.count("ring member: reposted ") == 8
    assert "pushed post → ring's repost" in text
    assert joined.nth(0).locator(".coaction").count() >= 1
    assert errors == []
    page.close()
