"""The dashboard in a real browser: Debian's Chromium driven by Playwright.

Never downloads a browser: it uses /usr/bin/chromium and skips, saying why,
when Chromium or the playwright package is missing.  Screenshots go to
test-artifacts/ (gitignored).
"""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from analytics_factory import XSS_ID, build_scenario

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--headless", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = pytest.mark.browser


def _playwright():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright python package is missing (pip install playwright; never `playwright install`)")
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    sync_playwright = _playwright()
    import uvicorn

    from faultline.store import Store
    from faultline.web import create_app

    store = Store(":memory:")
    build_scenario(store)
    app = create_app(store)
    app.state.analytics.refresh()
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield f"http://127.0.0.1:{port}", browser
        browser.close()
    srv.should_exit = True
    thread.join(timeout=10)
    store.close()


def _open(server, path: str, shot: str):
    base, browser = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(base) else None)
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_selector('#chart[data-drawn="1"] svg', timeout=10000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"))
    return page, problems, dialogs, external


@pytest.mark.parametrize("path,shot,selector", [
    ("/", "overview", "#chart svg rect"),
    ("/dyads/SRB/XKX", "dyad", "#chart svg .alert-marker"),
    ("/articles/esc-0", "article", "#chart svg rect.span"),
    ("/actors/SRB", "actor", "#chart svg circle.node"),
])
def test_every_page_renders_with_its_chart(server, path, shot, selector):
    page, problems, dialogs, external = _open(server, path, shot)
    try:
        assert page.locator(selector).count() > 0, f"{path}: no {selector}"
        assert not problems, f"{path}: console errors {problems}"
        assert not external, f"{path}: requests left the server: {external}"
        assert (ARTIFACTS / f"{shot}.png").stat().st_size > 1000
    finally:
        page.close()


def test_dyad_page_quotes_link_to_highlighted_evidence(server):
    page, problems, _, _ = _open(server, "/dyads/SRB/XKX", "dyad-quote")
    try:
        page.locator("a.quote").first.click()
        page.wait_for_selector("mark.ev.flash", timeout=10000)
        assert "/articles/" in page.url and "#e-" in page.url
        assert not problems
    finally:
        page.close()


def test_planted_payloads_are_inert(server):
    page, problems, dialogs, external = _open(server, f"/articles/{XSS_ID}", "article-xss")
    try:
        page.hover("#body")
        page.locator("details#boilerplate summary").click()
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert dialogs == []
        assert page.locator("main img").count() == 0
        assert page.locator("main script").count() == 0
        assert page.locator("main b").count() == 0
        shown = page.inner_text("#body")
        assert "<script>window.__pwned = 1</script>" in shown  # displayed as text, not run
        assert page.locator('a[href^="javascript:"]').count() == 0
        assert not [u for u in external if "x" == u.rsplit("/", 1)[-1]]
        for path in ("/", "/dyads/SRB/XKX", "/actors/SRB"):
            other, _, more_dialogs, _ = _open(server, path, "xss-" + (path.strip("/").replace("/", "-") or "overview"))
            assert other.evaluate("typeof window.__pwned") == "undefined" and not more_dialogs
            other.close()
    finally:
        page.close()

