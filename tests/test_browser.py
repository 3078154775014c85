"""The built site in headless Chromium: it loads nothing from other hosts, shows its content, has
abbreviation tooltips, and axe-core finds no WCAG 2.2 AA violations."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import PAGES

CHROMIUM = Path("/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (run 'make chromium')"),
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def site_url(built_site):
    handler = functools.partial(_QuietHandler, directory=str(built_site.path("site")))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.requested = []  # every URL the page asks for, including ones that fail
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    context.close()


PAGES_TO_CHECK = {"home": "index.html", "generated": f"{PAGES['dsl-role']}.html"}


def foreign_requests(urls):
    foreign = []
    for url in urls:
        parts = urlparse(url)
        if parts.scheme in ("data", "blob"):
            continue
        if parts.hostname != "127.0.0.1":
            foreign.append(url)
    return foreign


@pytest.mark.parametrize("name", PAGES_TO_CHECK)
def test_pages_request_nothing_from_other_hosts(page, site_url, name):
    page.goto(f"{site_url}/{PAGES_TO_CHECK[name]}", wait_until="networkidle")
    # open the search too: it loads the index and a worker
    page.keyboard.press("s")
    page.wait_for_load_state("networkidle")
    assert page.requested, "no requests were recorded"
    assert foreign_requests(page.requested) == []


def test_generated_page_shows_its_title_and_content(page, site_url):
    response = page.goto(f"{site_url}/{PAGES['dsl-role']}.html", wait_until="networkidle")
    assert response is not None and response.ok
    assert page.title().startswith("Designated safeguarding lead")
    heading = page.locator("article h1")
    assert heading.inner_text().strip().startswith("Designated safeguarding lead")
    assert page.get_by_text("The DSL and the ESSW meet every week.").is_visible()


def test_abbreviation_has_a_tooltip(page, site_url):
    for rel in ("index.html", f"{PAGES['dsl-role']}.html"):
        page.goto(f"{site_url}/{rel}", wait_until="networkidle")
        abbr = page.locator("article abbr", has_text="DSL").first
        abbr.scroll_into_view_if_needed()
        abbr.hover()
        assert abbr.get_attribute("title") == "Designated safeguarding lead", rel


def test_case_choice_jumps_to_its_node_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/{PAGES['first-day']}.html", wait_until="networkidle")
    page.get_by_role("link", name="Talk to Sam at break").click()
    assert page.url.endswith("#node-talk")
    assert page.locator("#node-talk").is_visible()
    context.close()


def _readable(results) -> str:
    report = results.generate_report()
    return report if report.strip() else repr(results.response.get("violations"))


@pytest.mark.parametrize("name", PAGES_TO_CHECK)
def test_axe_finds_no_wcag_violations(page, site_url, name):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{site_url}/{PAGES_TO_CHECK[name]}", wait_until="networkidle")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"axe found violations on {PAGES_TO_CHECK[name]}:\n{_readable(results)}"
