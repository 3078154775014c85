"""The site on a 375 x 740 phone (issue 13): the title of every page kind in the first screen, tags
after the page (who it is for apart from topics, no internal tags), the home page's four ways in
within the first screen, and abbreviations explained on tap and on keyboard focus."""

from __future__ import annotations

import pytest

from conftest import CHROMIUM_PATH, serve

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM_PATH.exists(), reason="/usr/bin/chromium is not installed")]

SCREEN = {"width": 375, "height": 740}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ONE_OF_EACH_KIND = {
    "home": "index.html",
    "parents' guide": "library/parents/will-you-take-my-children-away.html",
    "parents' section": "parents-and-carers/index.html",
    "case study": "library/case-studies/abdi.html",
    "protocol": "library/protocols/consent.html",
    "role guide": "library/roles/dsl.html",
    "workshop": "library/workshops/reasonable-chastisement.html",
    "learning path": "library/paths/essw-induction.html",
    "glossary": "library/glossary/index.html",
    "list of case studies": "library/case-studies/index.html",
}


@pytest.fixture(scope="module")
def served(repo_site):
    yield from serve(repo_site)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=SCREEN, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("kind", ONE_OF_EACH_KIND)
def test_the_title_is_in_the_first_screen_and_no_tag_comes_before_it(phone, served, kind):
    phone.goto(f"{served.url}/{ONE_OF_EACH_KIND[kind]}", wait_until="load")
    title = phone.locator("article h1").first
    box = title.bounding_box()
    assert box and box["y"] + box["height"] <= SCREEN["height"], (kind, box)
    # nothing that is a tag sits above the title in the page
    before = phone.evaluate("""() => {
        const h1 = document.querySelector('article h1');
        return [...document.querySelectorAll('.md-tag')].filter(t =>
            t.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING).map(t => t.textContent.trim());
    }""")
    assert before == [], (kind, before)


def test_tags_come_after_the_page_with_audience_apart_from_topics(phone, served):
    phone.goto(f"{served.url}/library/case-studies/t1-attendance-mediation.html", wait_until="load")
    groups = phone.locator(".essw-tags__group")
    assert groups.count() == 2
    audience, topics = groups.nth(0).inner_text(), groups.nth(1).inner_text()
    assert audience.startswith("Written for:") and "School staff" in audience and "Level 2: early help" in audience
    assert topics.startswith("Topics:") and "attendance" in topics and "School staff" not in topics
    # the report's table number was a note for authors, never a tag readers see
    phone.goto(f"{served.url}/tags.html", wait_until="load")
    assert "Table 1" not in phone.locator("article").inner_text()


def test_the_home_page_shows_four_ways_in_within_the_first_screen(phone, served):
    phone.goto(f"{served.url}/index.html", wait_until="load")
    doors = phone.locator(".essw-doors a")
    names = [d.locator("strong").inner_text() for d in doors.all()]
    assert names == ["Parents and carers", "School staff", "New school social workers", "Trainers"]
    for door in doors.all():
        box = door.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 300, box          # a large target
        assert box["y"] + box["height"] <= SCREEN["height"], box         # in the first screen
    with phone.expect_navigation():
        doors.first.tap()
    assert phone.url.endswith("/parents-and-carers/index.html")


def test_an_abbreviation_explains_itself_on_tap_and_on_keyboard_focus(phone, served, browser):
    phone.goto(f"{served.url}/library/roles/dsl.html", wait_until="load")
    abbr = phone.locator("article abbr").first
    meaning = abbr.get_attribute("title")
    assert meaning
    abbr.tap()
    tip = phone.locator(".essw-abbr-tip")
    tip.wait_for(state="visible", timeout=5_000)
    assert tip.inner_text() == meaning
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SCREEN["width"], box    # all of it on the screen
    phone.locator("article h1").first.tap()                                       # a tap elsewhere closes it
    assert phone.locator(".essw-abbr-tip").count() == 0

    desktop = browser.new_page(viewport={"width": 1280, "height": 800})
    desktop.goto(f"{served.url}/library/roles/dsl.html", wait_until="load")
    for _ in range(200):                       # Tab through the page until an abbreviation has focus
        desktop.keyboard.press("Tab")
        if desktop.evaluate("document.activeElement.tagName") == "ABBR":
            break
    else:
        pytest.fail("no abbreviation could be reached with the Tab key")
    described = desktop.evaluate("document.getElementById(document.activeElement.getAttribute('aria-describedby'))"
                                 "?.textContent.trim()")
    assert described and described == desktop.evaluate("document.activeElement.title"), described
    assert desktop.locator(".essw-abbr-tip").is_visible()
    desktop.keyboard.press("Escape")
    assert desktop.locator(".essw-abbr-tip").count() == 0
    desktop.close()


# -- Exit this page ----------------------------------------------------------------------------------
NEUTRAL = "https://www.bbc.co.uk/weather"
EXPLAINER = "library/parents/will-you-take-my-children-away.html"


def _neutral_site(context) -> list[str]:
    """Answer for the neutral site (no request leaves the machine), recording each request to it."""
    asked: list[str] = []

    def answer(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>Weather</title><h1>Weather</h1>")

    context.route("https://www.bbc.co.uk/**", answer)
    return asked


@pytest.fixture
def exit_phone(browser):
    context = browser.new_context(viewport=SCREEN, is_mobile=True, has_touch=True)
    asked = _neutral_site(context)
    page = context.new_page()
    page.asked = asked
    yield page
    context.close()


def test_exit_this_page_is_on_every_parents_page_and_every_page_about_abuse(repo_site):
    from conftest import parse_page

    wanted = sorted(p.relative_to(repo_site).as_posix() for p in [*(repo_site / "parents-and-carers").glob("*.html"),
                                                                  *(repo_site / "library" / "parents").glob("*.html")])
    wanted += ["library/protocols/responding-to-a-disclosure.html", "library/protocols/levels-of-need.html"]
    for rel in wanted:
        links = [a for a in parse_page(repo_site / rel).find("a") if "essw-exit__button" in (a.get("class") or "")]
        assert [a.get("href") for a in links] == [NEUTRAL], rel
    assert not [a for a in parse_page(repo_site / "library/glossary/index.html").find("a")
                if "essw-exit__button" in (a.get("class") or "")], "the glossary is not a page to flee"


def test_exit_this_page_by_tap_covers_the_page_and_back_does_not_return(exit_phone, served):
    page = exit_phone
    page.goto(f"{served.url}/index.html", wait_until="load")
    page.goto(f"{served.url}/{EXPLAINER}", wait_until="load")
    assert page.asked == [], "the neutral site was asked for before the reader pressed the button"
    button = page.locator(".essw-exit__button")
    page.evaluate("window.scrollTo(0, 2000)")            # it stays in reach while the reader scrolls
    box = button.bounding_box()
    assert box and 0 <= box["y"] < SCREEN["height"] and box["height"] >= 44, box
    with page.expect_navigation(url=NEUTRAL):
        button.tap()
    assert page.asked == [NEUTRAL]
    page.go_back(wait_until="load")
    assert page.url.endswith("/index.html"), "Back brought the page the reader left"


def test_exit_this_page_by_keyboard_and_by_shift_three_times(exit_phone, served):
    page = exit_phone
    page.goto(f"{served.url}/{EXPLAINER}", wait_until="load")
    for _ in range(30):                                   # the button is early in the tab order
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('essw-exit__button')"):
            break
    else:
        pytest.fail("Exit this page could not be reached with the Tab key")
    with page.expect_navigation(url=NEUTRAL):
        page.keyboard.press("Enter")

    page.goto(f"{served.url}/{EXPLAINER}", wait_until="load")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    assert page.url.endswith(EXPLAINER), "two presses are not enough"
    with page.expect_navigation(url=NEUTRAL):
        page.keyboard.press("Shift")
    # Shift used for typing (Shift, a letter, ...) never leaves the page
    page.goto(f"{served.url}/{EXPLAINER}", wait_until="load")
    for key in ("Shift", "KeyA", "Shift", "KeyB", "Shift"):
        page.keyboard.press(key)
    page.wait_for_timeout(300)
    assert page.url.endswith(EXPLAINER)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_pages_have_no_accessibility_violations_in_either_palette(browser, served, scheme):
    """axe-core at 375 px in both palettes, on the pages a parent and a learner meet first."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=SCREEN, is_mobile=True, has_touch=True, color_scheme=scheme)
    page = context.new_page()
    found = {}
    for rel in ("index.html", EXPLAINER, "parents-and-carers/staying-safe-online.html",
                "library/case-studies/abdi.html", "library/protocols/consent.html"):
        page.goto(f"{served.url}/{rel}", wait_until="load")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == \
            ("slate" if scheme == "dark" else "default")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            found[rel] = [v["id"] for v in results.response["violations"]]
    context.close()
    assert not found, found
