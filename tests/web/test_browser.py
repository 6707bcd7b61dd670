"""The UI in a real browser: Chromium (headless) driven by Playwright against a live uvicorn server.

The scenario of the issue: home, search "Huawei", its dossier with a sourced fact, the network
explorer filtered to sanctions with a click on a node, an article with highlights; and a hostile
article that must run nothing. Every dialog, console error and page error fails the test.
Screenshots go to $NEWSINTEL_SCREENSHOTS (else the test's tmp_path).

Skipped without Chromium unless NEWSINTEL_REQUIRE_BROWSER=1, in which case they fail.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, sync_playwright

from newsintel.web.app import create_app

CHROMIUM = os.environ.get("NEWSINTEL_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking switches Chromium tries to reach Google services, and on a
# machine without network that shows up as errors.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _require_browser() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("NEWSINTEL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"NEWSINTEL_REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}", pytrace=False)
        pytest.skip(f"browser tests skipped: no Chromium at {CHROMIUM}")


@pytest.fixture(scope="module")
def base_url(web_db: Path) -> Iterator[str]:
    """A uvicorn server on a free loopback port, in a background thread, over the session store."""
    _require_browser()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(str(web_db)), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("NEWSINTEL_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def problems() -> list[str]:
    return []


@pytest.fixture
def page(browser: Browser, problems: list[str]) -> Iterator[Page]:
    """A page whose dialogs, console errors and uncaught errors are collected in `problems`."""
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    tab = context.new_page()

    def on_dialog(dialog: Dialog) -> None:
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    tab.on("dialog", on_dialog)
    tab.on("console", on_console)
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield tab
    context.close()


def _click_first_node(page: Page) -> None:
    """Click the drawn node nearest the middle of the canvas (nodes are drawn, not DOM elements)."""
    page.wait_for_selector("#network-graph[data-ready]")
    x, y = page.evaluate("""() => {
        const cy = window.newsintelGraphs[0];
        const box = cy.container().getBoundingClientRect();
        const node = cy.nodes().sort((a, b) => b.degree() - a.degree())[0];
        const p = node.renderedPosition();
        return [box.left + p.x, box.top + p.y];
    }""")
    page.mouse.click(x, y)


def test_analyst_journey(page: Page, problems: list[str], base_url: str, shots: Path) -> None:
    p = page
    p.goto(base_url + "/")
    p.screenshot(path=str(shots / "home.png"), full_page=True)
    p.fill(".bigsearch input[name=q]", "Huawei")
    p.press(".bigsearch input[name=q]", "Enter")
    p.wait_for_url("**/search?q=Huawei")
    assert p.locator(".hit").count() >= 3
    p.screenshot(path=str(shots / "search.png"), full_page=True)

    p.click("ul.entities a.entity:text-is('Huawei')")
    p.wait_for_url("**/entity/company%3Ahuawei")
    assert p.locator("h1").inner_text() == "Huawei"
    sanction = p.locator("tr.fact", has=p.locator("a.entity:text-is('Huawei')")).filter(
        has_text="Entity List").first
    sentence = sanction.locator("a.sentence").first
    assert "Entity List" in sentence.inner_text()
    p.wait_for_selector(".graph[data-ready]")
    p.screenshot(path=str(shots / "dossier.png"), full_page=True)

    sentence.click()  # the fact's source sentence, in its article
    p.wait_for_url("**/article/*#s-*")
    target = p.locator("mark.evidence:target")
    assert "Entity List" in target.inner_text()
    assert p.locator("mark.evidence").count() >= 2
    assert p.locator("#article-text a.entity").count() >= 5
    p.screenshot(path=str(shots / "article.png"), full_page=True)

    p.click("header nav a:text-is('Network')")
    p.wait_for_selector("#network-graph[data-ready]")
    p.check("input[name=type][value=sanction]")
    p.click("#network-filters button[type=submit]")
    p.wait_for_url("**/network?type=sanction*")
    p.wait_for_selector("#network-graph[data-ready]")
    edge_types = p.evaluate("() => [...new Set(window.newsintelGraphs[0].edges().map(e => e.data('type')))]")
    assert edge_types == ["sanction"]
    p.screenshot(path=str(shots / "network.png"))
    _click_first_node(p)
    p.wait_for_url("**/entity/**")
    assert p.locator("h1").inner_text()

    p.goto(base_url + "/timeline?type=sanction")
    assert p.locator("svg.chart circle").count() >= 1
    p.screenshot(path=str(shots / "timeline.png"), full_page=True)
    assert problems == []


def test_hostile_article_runs_nothing(page: Page, problems: list[str], base_url: str, shots: Path) -> None:
    p = page
    p.goto(base_url + "/search?q=ZetaVolt")
    p.click(".hit a.title")
    p.wait_for_url("**/article/*")
    body = p.locator("#article-text").inner_text()
    assert "<script>alert(1)</script>" in body and "<img src=x onerror=alert(2)>" in body
    assert "&amp; &lt;b&gt;not bold" in body  # HTML entities in the text are shown as written
    assert "<script>alert(1)</script>" in p.locator("h1").inner_text()
    assert p.locator("#article-text script, #article-text img, #article-text svg").count() == 0
    p.click("#article-text a.entity:text-is('ZetaVolt Systems')")
    p.wait_for_url("**/entity/**")
    p.wait_for_selector(".graph[data-ready]")
    p.goto(base_url + "/search?q=%3Cimg+src%3Dx+onerror%3Dalert(7)%3E")
    p.go_back()
    p.go_back()
    p.wait_for_timeout(300)
    p.screenshot(path=str(shots / "hostile.png"), full_page=True)
    assert problems == []
