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
    wanted += ["library/protocols/responding-to-a-disclosure.html", "library/protocols/levels-of-need.html",
               "library/protocols/domestic-abuse.html", "library/protocols/child-on-child-abuse.html",
               "library/protocols/fgm-forced-marriage-honour-based-abuse.html",
               "library/case-studies/a-trip-abroad-this-summer.html", "library/case-studies/a-worry-about-a-colleague.html"]
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
    for rel in ("index.html", EXPLAINER, "parents-and-carers/index.html", "parents-and-carers/staying-safe-online.html",
                "library/case-studies/abdi.html", "library/protocols/consent.html"):
        page.goto(f"{served.url}/{rel}", wait_until="load")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == \
            ("slate" if scheme == "dark" else "default")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            found[rel] = [v["id"] for v in results.response["violations"]]
    context.close()
    assert not found, found


# -- the parents' journey ----------------------------------------------------------------------

def _parents_pages(site) -> list[str]:
    pages = sorted(p.relative_to(site).as_posix() for p in (site / "parents-and-carers").glob("*.html"))
    return pages + sorted(p.relative_to(site).as_posix() for p in (site / "library" / "parents").glob("*.html"))


def _written_for(site, rel: str) -> str:
    """Who a built page says it is for (the audience the site search shows on every result)."""
    import re

    found = re.search(r'data-pagefind-meta="audience:([^"]+)"', (site / rel).read_text(encoding="utf-8"))
    return found.group(1) if found else "Everyone"


def test_the_parents_landing_page_shows_the_guides_as_cards_in_the_order_a_worried_parent_asks(phone, served):
    phone.goto(f"{served.url}/parents-and-carers/index.html", wait_until="load")
    cards = phone.locator(".essw-cards a")
    titles = [c.locator("strong").inner_text() for c in cards.all()]
    assert titles[:4] == ["Will you take my children away?", "Why the school suggested talking to a social worker",
                          "What a school social worker does", "What happens to what I tell you"], titles
    assert titles[-1] == "Staying safe online" and len(titles) >= 9
    first = cards.first.bounding_box()
    assert first["y"] + first["height"] <= SCREEN["height"] and first["width"] >= 300 and first["height"] >= 44
    with phone.expect_navigation():
        cards.first.tap()
    assert phone.url.endswith("/library/parents/will-you-take-my-children-away.html")


def test_the_parents_section_links_no_professional_page_without_its_label(phone, served, repo_site):
    """Every link in a parents' page (the article and its 'Previous' and 'Next') that leads to a page
    written for professionals is followed by the words 'for professionals'; 'Previous' and 'Next'
    never leave the parents' pages."""
    unlabelled, steps = [], []
    for rel in _parents_pages(repo_site):
        phone.goto(f"{served.url}/{rel}", wait_until="load")
        links = phone.evaluate("""() => [...document.querySelectorAll('article a[href], .md-footer__link')]
            .filter(a => !a.closest('.md-tags, .headerlink, .essw-danger') && !a.classList.contains('headerlink'))
            .map(a => {
                const host = a.parentElement.matches('strong, em') && a.parentElement.children.length === 1 ? a.parentElement : a;
                const after = host.nextElementSibling;
                return {href: a.href, text: a.textContent.trim(), footer: a.classList.contains('md-footer__link'),
                        label: after && after.classList.contains('essw-for-pros')
                               ? after.textContent : ''};
            })""")
        for link in links:
            if not link["href"].startswith(served.url) or ".html" not in link["href"]:
                continue
            target = link["href"][len(served.url) + 1:].split("#")[0]
            if target.endswith(".pdf"):
                continue
            if link["footer"]:
                steps.append(target)
                if not target.startswith(("parents-and-carers/", "library/parents/")):
                    unlabelled.append(f"{rel}: 'Previous'/'Next' leads to {target}")
            elif _written_for(repo_site, target) == "Professionals" and "for professionals" not in link["label"]:
                unlabelled.append(f"{rel}: '{link['text']}' leads to {target} with no label")
    assert steps, "no 'Previous' or 'Next' links found"
    assert not unlabelled, unlabelled
    # the one professional page a parent is offered is labelled where it is offered
    phone.goto(f"{served.url}/parents-and-carers/index.html", wait_until="load")
    assert phone.locator("article .essw-for-pros").count() >= 1
    assert phone.locator("article .essw-for-pros").first.is_visible()


def test_reading_on_through_the_parents_guides_visits_each_once_and_ends_back_at_the_questions(phone, served):
    """'Next' from the landing page walks every parents' page in the cards' order and comes home."""
    phone.goto(f"{served.url}/parents-and-carers/index.html", wait_until="load")
    cards = [c.get_attribute("href") for c in phone.locator(".essw-cards a").all()]
    visited = []
    for _ in range(len(cards) + 2):
        nxt = phone.locator(".md-footer__link--next")
        if not nxt.count():
            break
        with phone.expect_navigation():
            nxt.click()
        visited.append(phone.url[len(served.url) + 1:])
        if visited[-1] == "parents-and-carers/index.html":
            break
    assert visited[-1] == "parents-and-carers/index.html", visited
    assert phone.locator(".md-footer__link--prev").count() == 0  # nothing for professionals before it
    walked = visited[:-1]
    assert len(walked) == len(set(walked)) == len(cards), walked
    assert [w.rsplit("/", 1)[-1] for w in walked] == [c.rsplit("/", 1)[-1] for c in cards]


def test_the_closed_menu_drawer_is_skipped_by_tab_and_opens_with_its_links(phone, served):
    phone.goto(f"{served.url}/library/protocols/consent.html", wait_until="load")
    in_drawer = []
    for _ in range(30):
        phone.keyboard.press("Tab")
        in_drawer.append(phone.evaluate("!!document.activeElement.closest('.md-sidebar--primary')"))
    assert not any(in_drawer), "Tab reached the links of the closed menu drawer"
    phone.locator("label.md-header__button[for=__drawer]").first.tap()
    link = phone.locator(".md-sidebar--primary .md-nav__link--active").first
    phone.wait_for_timeout(400)  # the drawer slides in
    box = link.bounding_box()
    assert box and 0 <= box["x"] < SCREEN["width"] and box["width"] > 100, box


def test_a_case_shows_every_scene_if_its_player_cannot_start(browser, served):
    """The scenes are hidden before the first paint only while the player is expected to run."""
    context = browser.new_context(viewport=SCREEN, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.route("**/case-engine.js", lambda route: route.abort())
    page.goto(f"{served.url}/library/case-studies/abdi.html", wait_until="load")
    scenes = page.locator(".essw-case > section.essw-node")
    assert scenes.count() > 10 and scenes.first.is_visible() and scenes.last.is_visible()
    scenes_without_js = scenes.count()
    context.close()
    context = browser.new_context(viewport=SCREEN, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{served.url}/library/case-studies/abdi.html", wait_until="load")
    assert page.locator(".essw-player").is_visible()
    # while the player runs the scenes are out of the page (nothing for the theme to lay out or
    # watch: Lighthouse's blocking time on this page fell from about 540 ms to about 60 ms) ...
    assert page.locator(".essw-case > section.essw-node").count() == 0
    # ... and every one comes back to be printed
    page.emulate_media(media="print")  # the page hears the change of media as it does on printing
    page.wait_for_function("document.querySelectorAll('.essw-case > section.essw-node').length > 0", timeout=3000)
    assert page.locator(".essw-case > section.essw-node").count() == scenes_without_js
    assert page.locator(".essw-case > section.essw-node").last.is_visible()
    page.emulate_media(media="screen")
    page.wait_for_function("document.querySelectorAll('.essw-case > section.essw-node').length === 0", timeout=3000)
    context.close()
