"""Gates on the built fixture site: every link and anchor resolves; the site works opened from the
file system; the keyboard reaches everything, always with a visible focus ring that the sticky
header never covers; and the case player's and checklist's controls are big enough to hit.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import CHROMIUM_PATH, DISTINCTIVE, PAGES, site_search

CASE_PAGE = f"{PAGES['first-day']}.html"
PATH_PAGE = f"{PAGES['induction']}.html"
EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")


class LinksAndIds(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for name in ("href", "src"):
            value = attrs.get(name)
            if value is not None and tag in ("a", "link", "script", "img", "iframe", "source", "area"):
                self.links.append((tag, name, value))


def _parse(path: Path, cache: dict) -> LinksAndIds:
    if path not in cache:
        cache[path] = LinksAndIds(path.read_text(encoding="utf-8"))
    return cache[path]


def test_every_internal_link_and_anchor_resolves(built_site):
    site = built_site.path("site").resolve()
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 10
    cache: dict[Path, LinksAndIds] = {}
    broken: list[str] = []
    checked = anchors = 0
    for page in pages:
        rel = page.relative_to(site).as_posix()
        for tag, attr, value in _parse(page, cache).links:
            parts = urlsplit(value)
            if parts.scheme in EXTERNAL_SCHEMES or parts.scheme in ("data", "blob"):
                continue
            if parts.scheme or parts.netloc:
                broken.append(f"{rel}: <{tag} {attr}={value!r}> has a scheme this site does not use")
                continue
            if parts.path.startswith("/"):  # 404.html is served for any missing URL, so its links start at /
                target = (site / unquote(parts.path).lstrip("/")).resolve()
            elif parts.path:
                target = (page.parent / unquote(parts.path)).resolve()
                if parts.path.endswith("/") or target.is_dir():
                    target = target / "index.html"
            else:
                target = page
            checked += 1
            try:
                target.relative_to(site)
            except ValueError:
                broken.append(f"{rel}: {value!r} points outside the site")
                continue
            if not target.is_file():
                broken.append(f"{rel}: {value!r} -> {posixpath.normpath(target.relative_to(site).as_posix())} is missing")
                continue
            fragment = unquote(parts.fragment)
            if fragment and tag == "a" and target.suffix == ".html":
                anchors += 1
                if fragment not in _parse(target, cache).ids:
                    broken.append(f"{rel}: {value!r} -> no element with id {fragment!r} in "
                                  f"{target.relative_to(site).as_posix()}")
    assert checked > 200 and anchors > 20, (checked, anchors)
    assert not broken, "\n".join(broken[:60])


def test_folder_copy_search_index_script_is_written(built_site):
    script = built_site.path("site/search/essw-offline-index.js")
    assert DISTINCTIVE in script.read_text(encoding="utf-8")
    assert 'src="assets/javascripts/search.js"' in built_site.read("site/index.html")


# -- in the browser -------------------------------------------------------------------------------------


@pytest.fixture
def page(watched_page):
    return watched_page


@pytest.fixture(scope="module")
def site_uri(built_site) -> str:
    return built_site.path("site").resolve().as_uri()


def _web_requests(urls: list[str]) -> list[str]:
    return [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM_PATH.exists(), reason="/usr/bin/chromium is not installed")
def test_the_site_works_opened_from_the_file_system(page, site_uri):
    page.goto(f"{site_uri}/index.html", wait_until="load")
    assert page.locator("article h1").first.inner_text().strip().startswith("School social work")
    assert page.locator("article").first.is_visible()
    # a generated page, reached by clicking a link as a reader would
    page.locator(f'a[href="{CASE_PAGE}"]').locator("visible=true").first.click()
    page.wait_for_load_state("load")
    assert page.url == f"{site_uri}/{CASE_PAGE}"
    assert page.locator("article h1").first.inner_text().strip().startswith("First day back")
    page.locator(".essw-player").wait_for(state="visible", timeout=10_000)  # the case engine runs from file:// too
    # the folder-copy search: its index script is loaded, and a search finds a sentence from a YAML source
    found = site_search(page, "Marmalade kites")
    assert found and found[0].endswith("library/protocols/consent-protocol.html"), found
    assert page.locator("[data-essw-search]").get_attribute("data-essw-search-engine") == "offline"
    scripts = page.evaluate("() => [...document.scripts].map(s => s.src)")
    assert any(u.endswith("search/essw-offline-index.js") for u in page.requested + scripts), scripts
    assert not _web_requests(page.requested), _web_requests(page.requested)


# -- keyboard -------------------------------------------------------------------------------------------

FOCUSABLE = """() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"]), label[tabindex]';
  const all = [...document.querySelectorAll(selector)].filter(el => {
    if (el.disabled || el.getAttribute('tabindex') === '-1' || el.closest('[inert]')) return false;
    if (el.type === 'hidden') return false;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    // inside a collapsed navigation section or other clipped box: not visible to a reader
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if ((s.overflow !== 'visible' || s.overflowY !== 'visible') && p.clientHeight === 0) return false;
    }
    return true;
  });
  all.forEach((el, i) => el.setAttribute('data-gate', String(i)));
  return all.map(el => ({i: el.getAttribute('data-gate'), tag: el.tagName, text: (el.textContent || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40), href: el.getAttribute('href')}));
}"""

STYLE = """(el) => { const s = getComputedStyle(el); return {
  outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, outlineColor: s.outlineColor, boxShadow: s.boxShadow,
  background: s.backgroundColor, border: s.borderColor, decoration: s.textDecorationLine, color: s.color}; }"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // controls that only appear on focus (permalinks, 'Back to top') get a name now, to be checked too
  if (!el.hasAttribute('data-gate')) el.setAttribute('data-gate', 'late-' + document.querySelectorAll('[data-gate^="late-"]').length);
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const header = document.querySelector('.md-header');
  const h = header ? header.getBoundingClientRect() : {bottom: 0};
  const inHeader = header && header.contains(el);
  let fixed = false;
  for (let p = el; p; p = p.parentElement) if (getComputedStyle(p).position === 'fixed') fixed = true;
  return {i: el.getAttribute('data-gate'), tag: el.tagName,
    text: ((el.textContent || el.value || '').trim() || el.getAttribute('aria-label') || el.className || '').slice(0, 40),
    top: r.top, bottom: r.bottom, height: r.height, headerBottom: h.bottom, inHeader, fixed,
    outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, outlineColor: s.outlineColor, boxShadow: s.boxShadow,
    background: s.backgroundColor, border: s.borderColor, decoration: s.textDecorationLine, color: s.color};
}"""


def _styled_indicator(focused: dict, unfocused: dict) -> bool:
    """An outline, or a box shadow that focus adds (the brief's rule)."""
    if focused["outlineStyle"] != "none" and float(focused["outlineWidth"].removesuffix("px") or 0) > 0:
        return True
    return focused["boxShadow"] != unfocused["boxShadow"] and focused["boxShadow"] != "none"


CSS_PATH = """(el) => { const parts = [];
  for (; el && el.nodeType === 1 && el !== document.documentElement; el = el.parentElement) {
    let i = 1; for (let s = el.previousElementSibling; s; s = s.previousElementSibling) if (s.tagName === el.tagName) i++;
    parts.unshift(el.tagName.toLowerCase() + ':nth-of-type(' + i + ')');
  } return 'html > ' + parts.join(' > '); }"""


BOXES = """(el) => [el, ...(el.labels || []), ...(el.nextElementSibling && el.nextElementSibling.tagName === 'LABEL' ? [el.nextElementSibling] : [])].map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0)
  .map(r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom}))"""


def _shot(page, element) -> bytes | None:
    """A screenshot of the element and its labels (the theme draws a radio button's focus ring on the
    label next to it: '.md-option:focus-visible + label')."""
    element.scroll_into_view_if_needed()
    boxes = element.evaluate(BOXES)
    if not boxes:
        return None
    left = max(min(b["left"] for b in boxes) - 4, 0)
    top = max(min(b["top"] for b in boxes) - 4, 0)
    clip = {"x": left, "y": top, "width": max(b["right"] for b in boxes) + 4 - left,
            "height": max(b["bottom"] for b in boxes) + 4 - top}
    return page.screenshot(clip=clip, animations="disabled")  # the text caret is hidden too


def _pixels_change_on_focus(page, gate: str) -> bool:
    """Fallback for controls whose focus style sits on a container (the theme's search box opens and
    turns white when its input has focus): does the area around the element look different from
    the same element, unfocused, on a fresh copy of the page? A caret alone does not count."""
    element = page.locator(f'[data-gate="{gate}"]')
    path = element.evaluate(CSS_PATH)
    page.wait_for_timeout(300)  # let focus transitions finish
    focused = _shot(page, element)
    if focused is None:
        return False
    fresh = page.context.new_page()
    try:
        fresh.set_viewport_size(page.viewport_size)
        fresh.goto(page.url, wait_until="load")
        fresh.wait_for_timeout(300)
        unfocused = _shot(fresh, fresh.locator(path))
    finally:
        fresh.close()
    return focused != unfocused


def tab_through(page, from_bottom: bool = False) -> tuple[list[dict], list[dict], list[str]]:
    """Every visible focusable element, what Tab focused (in order), and the focused ones with no visible indicator.

    Tabbing starts from the top of the page, or from its bottom: then, after the last control, focus
    wraps round to controls far above, which the browser scrolls to the top of the window - where
    the sticky header is, unless the site reserves room for it (scroll-padding-top).
    """
    elements = page.evaluate(FOCUSABLE)
    # every control's unfocused style in one call (one round trip per control made this test slow)
    unfocused = page.evaluate("(ids) => { const style = " + STYLE + ";"
                              " return Object.fromEntries(ids.map(i => [i, style(document.querySelector("
                              "'[data-gate=\"' + i + '\"]'))])); }", [e["i"] for e in elements])
    page.evaluate("(bottom) => { document.activeElement && document.activeElement.blur();"
                  " window.scrollTo(0, bottom ? document.body.scrollHeight : 0); }", from_bottom)
    page.mouse.click(1, page.viewport_size["height"] - 5 if from_bottom else 400)  # focus starts from the page
    focused: list[dict] = []
    no_ring: list[str] = []
    seen_first = None
    for _ in range(len(elements) * 2 + 30):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if info is None:
            continue
        key = info["i"]
        if seen_first is None:
            seen_first = key
        elif key == seen_first:
            break
        focused.append(info)
        before = unfocused.get(info["i"], {"boxShadow": "none"})
        if not _styled_indicator(info, before) and not _pixels_change_on_focus(page, info["i"]):
            no_ring.append(f"{info['tag']} {info['text']!r} (outline {info['outlineStyle']} {info['outlineWidth']}, "
                           f"shadow {info['boxShadow']})")
    return elements, focused, no_ring


def _check_keyboard(page, from_bottom: bool = False) -> None:
    elements, focused, no_ring = tab_through(page, from_bottom)
    assert len(elements) > 5, elements
    reached = {f["i"] for f in focused}
    missing = [e for e in elements if e["i"] not in reached]
    assert not missing, f"Tab never reaches {len(missing)} visible controls: {missing[:10]}"
    assert not no_ring, f"no visible focus indicator on: {no_ring[:10]}"
    hidden = [f"{f['tag']} {f['text']!r}: top {f['top']:.0f} < header bottom {f['headerBottom']:.0f}"
              for f in focused if not f["inHeader"] and not f["fixed"] and f["height"] > 0
              and f["top"] < f["headerBottom"] - 0.5]
    assert not hidden, f"focused but hidden under the sticky header: {hidden[:10]}"


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM_PATH.exists(), reason="/usr/bin/chromium is not installed")
@pytest.mark.parametrize("rel", ["index.html", CASE_PAGE, PATH_PAGE], ids=["home", "case", "path"])
def test_keyboard_reaches_everything_with_a_visible_unobscured_focus(page, site_uri, rel):
    page.goto(f"{site_uri}/{rel}", wait_until="load")
    if rel == CASE_PAGE:
        page.locator(".essw-player").wait_for(state="visible")
    _check_keyboard(page)


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM_PATH.exists(), reason="/usr/bin/chromium is not installed")
def test_keyboard_on_a_long_page_scrolled_to_an_ending(page, site_uri):
    """At the end of a case, in a short window, tabbing from the bottom of the page: every control the
    browser scrolls back up to must still clear the sticky header."""
    page.set_viewport_size({"width": 1280, "height": 480})
    page.goto(f"{site_uri}/{CASE_PAGE}", wait_until="load")
    page.locator(".essw-player").wait_for(state="visible")
    for label in ("Talk to Sam at break", "Tell the DSL the same day"):
        page.locator(".essw-stage .essw-choice-btn", has_text=label).click()
        page.locator(".essw-continue").click()
    page.locator(".essw-summary").wait_for(state="visible")
    _check_keyboard(page, from_bottom=True)


# -- target size ----------------------------------------------------------------------------------------

TARGETS = """(selector) => {
  const all = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, label')]
    .filter(el => el.checkVisibility() && el.getBoundingClientRect().width > 0);
  const rect = el => { const r = el.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height}; };
  const rects = new Map(all.map(el => [el, rect(el)]));  // measured once, not once per target
  const small = r => r.width < 24 - 0.01 || r.height < 24 - 0.01;  // only a small target needs its neighbours (_too_small)
  const label = el => el.id ? document.querySelector('label[for="' + CSS.escape(el.id) + '"]') : el.closest('label');
  const shown = el => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
    && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0
    && el.getBoundingClientRect().right > 0 && el.getBoundingClientRect().left < window.innerWidth;
  return [...document.querySelectorAll(selector)].filter(shown).map(el => {
    const lab = el.tagName === 'INPUT' ? label(el) : null;
    const box = rect(el);
    return {name: el.tagName + '.' + el.className + ' ' + (el.textContent || el.value || '').trim().slice(0, 30),
            rect: box, label: lab ? rect(lab) : null,
            others: small(box) ? all.filter(o => o !== el && o !== lab && !o.contains(el) && !el.contains(o)).map(o => rects.get(o)) : []};
  });
}"""


def _too_small(target: dict) -> bool:
    """WCAG 2.2 2.5.8: at least 24 by 24 CSS px, or a 24 px circle on its centre touches no other target;
    a checkbox whose label (which ticks it too) is big enough counts as big enough."""
    r = target["rect"]
    if r["width"] >= 24 - 0.01 and r["height"] >= 24 - 0.01:
        return False
    lab = target["label"]
    if lab and lab["width"] >= 24 - 0.01 and lab["height"] >= 24 - 0.01:
        return False
    cx, cy = (r["left"] + r["right"]) / 2, (r["top"] + r["bottom"]) / 2
    for o in target["others"]:
        dx = max(o["left"] - cx, 0, cx - o["right"])
        dy = max(o["top"] - cy, 0, cy - o["bottom"])
        if (dx * dx + dy * dy) ** 0.5 < 12:
            return True
    return False


def _sizes(page, selector: str) -> list[str]:
    targets = page.evaluate(TARGETS, selector)
    assert targets, f"nothing matches {selector}"
    return [f"{t['name']!r}: {t['rect']['width']:.0f}x{t['rect']['height']:.0f}" for t in targets if _too_small(t)]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM_PATH.exists(), reason="/usr/bin/chromium is not installed")
def test_case_player_controls_are_big_enough_to_hit(page, site_uri):
    page.goto(f"{site_uri}/{CASE_PAGE}", wait_until="load")
    page.locator(".essw-player").wait_for(state="visible")
    small = _sizes(page, ".essw-player button, .essw-player input, .essw-player textarea, .essw-player a[href]")
    page.locator(".essw-stage .essw-choice-btn", has_text="Talk to Sam at break").click()
    small += _sizes(page, ".essw-player button, .essw-player a[href]")  # the feedback box and Continue
    page.locator(".essw-continue").click()
    page.locator(".essw-stage .essw-choice-btn", has_text="Tell the DSL the same day").click()
    page.locator(".essw-continue").click()
    page.locator(".essw-summary").wait_for(state="visible")
    small += _sizes(page, ".essw-player button, .essw-player textarea, .essw-player a[href]")  # the ending
    assert not small, small


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM_PATH.exists(), reason="/usr/bin/chromium is not installed")
def test_checklist_controls_are_big_enough_to_hit(page, site_uri):
    page.goto(f"{site_uri}/{PATH_PAGE}", wait_until="load")
    page.locator(".essw-check").first.wait_for(state="visible")
    small = _sizes(page, ".essw-checklist input, .essw-checklist label")
    assert not small, small
