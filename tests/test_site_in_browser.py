"""The real site, every page, in headless Chromium: no WCAG 2.2 AA violations (axe-core), no
request to any other host, no cookies; print view without navigation; checklists that remember."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree

import pytest


CHROMIUM = Path("/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (make chromium)")]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(repo_site) -> Path:
    return repo_site


@pytest.fixture(scope="module")
def base_url(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def all_pages(site: Path) -> list[str]:
    """Every page in sitemap.xml, as a path under the site (the crawl's list, not a hand-picked one)."""
    root = ElementTree.parse(site / "sitemap.xml").getroot()
    locs = [loc.text.strip() for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    prefix = _site_url(site)
    assert locs and all(loc.startswith(prefix) for loc in locs), (prefix, locs[:3])
    return sorted(loc[len(prefix):] or "index.html" for loc in locs)


def _site_url(site: Path) -> str:
    import yaml

    config = yaml.safe_load((Path(__file__).parents[1] / "mkdocs.yml").read_text(encoding="utf-8"))
    return config["site_url"].rstrip("/") + "/"


def test_the_sitemap_lists_every_page_the_build_wrote(site):
    """So crawling the sitemap really is crawling the whole site."""
    built = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    assert all_pages(site) == built


# Every page in the light palette; in the dark palette, one page of every kind (the same templates).
ONE_PAGE_OF_EACH_KIND = ["index.html", "parents-and-carers/index.html", "library/case-studies/abdi.html",
                         "library/protocols/consent.html", "library/roles/essw.html",
                         "library/workshops/parenting-workshop.html", "library/paths/essw-induction.html",
                         "library/glossary/index.html", "library/parents/will-you-take-my-children-away.html",
                         "new-to-the-role/levels-of-need.html"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe_and_stays_on_this_host(browser, site, base_url, scheme):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    axe = Axe()
    violations, foreign = {}, []
    pages = all_pages(site) if scheme == "light" else ONE_PAGE_OF_EACH_KIND
    assert len(pages) > 30 or scheme == "dark"
    for rel in pages:
        page.goto(f"{base_url}/{rel}", wait_until="load")
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if result.violations_count:
            violations[rel] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]]
    for url in requested:
        parts = urlparse(url)
        if parts.scheme not in ("data", "blob") and parts.hostname != "127.0.0.1":
            foreign.append(url)
    cookies = context.cookies()
    context.close()
    assert not violations, violations
    assert not foreign, foreign
    assert not cookies


def test_a_browser_without_resize_observer_still_asks_no_other_host(browser, base_url):
    """Old phones (iOS 12 and earlier) have no ResizeObserver; Material would then fetch a polyfill
    from a CDN. The site loads its own copy instead (overrides/main.html), and the pages still work."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    context.add_init_script("delete window.ResizeObserver;")
    page = context.new_page()
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for rel in ("index.html", "library/case-studies/abdi.html", "library/paths/essw-induction.html"):
            page.goto(f"{base_url}/{rel}", wait_until="networkidle")
            assert page.evaluate("typeof window.ResizeObserver") == "function", rel
            if "/paths/" in rel:
                page.locator(".essw-check").first.check()  # the page's own scripts still work
            page.locator(".md-header label[for=__drawer]").click()  # and so does the menu drawer
            page.locator(".md-sidebar--primary .md-nav__link").first.wait_for(state="visible")
    finally:
        context.close()
    foreign = [u for u in requested if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname != "127.0.0.1"]
    assert not foreign, foreign
    assert any(u.endswith("/resize-observer-polyfill/ResizeObserver.js") for u in requested)
    assert not errors, errors


@pytest.mark.parametrize("rel", ONE_PAGE_OF_EACH_KIND)
def test_keyboard_reaches_every_control_with_a_visible_unobscured_focus(browser, base_url, rel):
    """The real site's pages, one of each template: Tab reaches every visible control, focus always
    shows, and it never sits under the sticky header (test_site_gates checks the same on the fixture)."""
    from test_site_gates import _check_keyboard

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{base_url}/{rel}", wait_until="load")
        if "/case-studies/" in rel:
            page.locator(".essw-player").wait_for(state="visible")
        _check_keyboard(page)
    finally:
        context.close()


CONTROLS = ("button, input, select, textarea, summary, label, [role=button], "
            "nav a[href], header a[href], footer a[href], .essw-player a[href]")


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone-menu-open"])
def test_every_control_is_at_least_24_px_or_spaced_apart(browser, base_url, width):
    """WCAG 2.2 target size (2.5.8) for every control of one page of each kind, not only axe's view of
    the desktop layout: on a phone the menu opens as a drawer with its own section arrows."""
    from test_site_gates import TARGETS, _too_small

    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    small: dict[str, list[str]] = {}
    try:
        for rel in ONE_PAGE_OF_EACH_KIND:
            page.goto(f"{base_url}/{rel}", wait_until="load")
            if width < 600:
                page.locator(".md-header label[for=__drawer]").click()
                page.locator(".md-sidebar--primary .md-nav__link").first.wait_for(state="visible")
                # The drawer slides in (0.25 s): measure where it comes to rest, not on the way.
                page.wait_for_function("document.querySelector('.md-sidebar--primary')"
                                       ".getBoundingClientRect().left >= 0")
            targets = page.evaluate(TARGETS, CONTROLS)
            assert len(targets) > 10, (rel, len(targets))
            found = [f"{t['name'][:50]!r} {t['rect']['width']:.0f}x{t['rect']['height']:.0f}"
                     for t in targets if _too_small(t)]
            if found:
                small[rel] = found[:5]
    finally:
        context.close()
    assert not small, small


def test_print_view_hides_navigation(browser, base_url):
    page = browser.new_page()
    page.goto(f"{base_url}/library/workshops/demystifying-social-work.html")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("article h1").is_visible()
    page.close()


def test_learning_path_checklist_ticks_persist_across_reloads(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base_url}/library/paths/essw-induction.html")
    boxes = page.locator(".essw-check")
    assert boxes.count() >= 5
    boxes.nth(0).check()
    boxes.nth(2).press("Space")  # keyboard works too
    page.reload()
    boxes = page.locator(".essw-check")
    assert boxes.nth(0).is_checked() and boxes.nth(2).is_checked()
    assert not boxes.nth(1).is_checked()
    label = page.locator(f"label[for='{boxes.nth(0).get_attribute('id')}']")
    assert label.inner_text().strip()
    context.close()
