"""Lists that can be scanned (issue 14, point 6): the case studies and workshops indexes are tables
(title, level of need, where the work sits, time, who it is for, topics) that are complete with
JavaScript off and can be filtered with it on; the audience pages show a short, chosen list and link
to the table instead of repeating every summary.

The tables are checked against the sources and against what each item's own page says, in the real
site (repo_site); the filter in headless Chromium, served over http, opened from a folder (file://)
and after Material's instant navigation; axe-core on the new pages in both palettes and on a phone."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from conftest import (CHROMIUM_PATH, REPO, Project, SiteServer, add_home_visit, make_project, serve,
                      use_instant_navigation)
from essw.model.case import LEVEL_NAMES
from essw.model.common import AUDIENCE_NAMES
from essw.sources import load_library

CASES = "library/case-studies/index.html"
WORKSHOPS = "library/workshops/index.html"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def in_chromium(test):
    """A test that runs in headless Chromium (the system's /usr/bin/chromium)."""
    test = pytest.mark.skipif(not CHROMIUM_PATH.exists(), reason="/usr/bin/chromium is not installed")(test)
    return pytest.mark.browser(test)


# -- reading the built pages ------------------------------------------------------------------------------

class Tables(HTMLParser):
    """Every table of a page: each row's element attributes and its cells (tag, attributes, text, links)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._stack: list[dict] = []   # tables being read (a table may sit inside another element)
        self._cell: dict | None = None
        self._section = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._stack.append({"rows": [], "head": [], "caption": ""})
        elif not self._stack:
            return
        elif tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "tr":
            self._stack[-1]["head" if self._section == "thead" else "rows"].append({"attrs": attrs, "cells": []})
        elif tag in ("td", "th"):
            self._cell = {"tag": tag, "attrs": attrs, "text": "", "links": []}
        elif tag == "a" and self._cell is not None:
            self._cell["links"].append(attrs.get("href"))
        elif tag == "caption":
            self._cell = {"tag": "caption", "text": ""}

    def handle_endtag(self, tag):
        if not self._stack:
            return
        if tag in ("td", "th") and self._cell is not None:
            self._cell["text"] = " ".join(self._cell["text"].split())
            table = self._stack[-1]
            (table["head"] if self._section == "thead" else table["rows"])[-1]["cells"].append(self._cell)
            self._cell = None
        elif tag == "caption" and self._cell is not None:
            self._stack[-1]["caption"] = " ".join(self._cell["text"].split())
            self._cell = None
        elif tag == "table":
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data


def tables_of(path) -> list[dict]:
    return Tables(path.read_text(encoding="utf-8")).tables


def list_table(site, rel: str) -> dict:
    """The one table inside the page's .essw-list block."""
    text = (site / rel).read_text(encoding="utf-8")
    start = text.index('<div class="essw-list"')
    found = Tables(text[start:]).tables
    assert found, rel
    return found[0]


def by_label(row: dict) -> dict[str, str]:
    return {cell["attrs"].get("data-label"): cell["text"] for cell in row["cells"]}


def row_id(row: dict) -> str:
    href = row["cells"][0]["links"][0]
    return href.rsplit("/", 1)[-1].removesuffix(".html")


def facts_on_page(site, rel: str, first_header: str) -> dict[str, str]:
    """The facts table at the top of an item's page (Level of need | ... | For), as header -> value."""
    for table in tables_of(site / rel):
        header = [c["text"] for c in table["head"][0]["cells"]] if table["head"] else []
        if header and header[0] == first_header and table["rows"]:
            return dict(zip(header, (c["text"] for c in table["rows"][0]["cells"])))
    raise AssertionError(f"{rel} has no table starting with {first_header!r}")


class TopicTags(HTMLParser):
    """The 'Topics:' group of the tags after a page (overrides/partials/tags.html)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.topics: list[str] = []
        self._group = ""
        self._in_tag = False
        self._text = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if "essw-tags__group" in classes:
            self._group, self._text = "?", ""
        elif "essw-tags__label" in classes:
            self._text = ""
        elif "md-tag" in classes and self._group == "Topics:":
            self._in_tag, self._text = True, ""

    def handle_endtag(self, tag):
        if self._group == "?" and tag == "span":
            self._group = self._text.strip()
        elif self._in_tag and tag in ("a", "span"):
            self.topics.append(" ".join(self._text.split()))
            self._in_tag = False

    def handle_data(self, data):
        self._text += data


def page_topics(site, rel: str) -> list[str]:
    return TopicTags((site / rel).read_text(encoding="utf-8")).topics


# -- fixtures -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def library():
    library, report = load_library(REPO)
    assert not report.errors, "\n".join(p.format() for p in report.errors)
    return library


@pytest.fixture(scope="module")
def served(repo_site):
    yield from serve(repo_site)


def cases_where(library, test) -> list[str]:
    return [e.item.id for e in library.of_kind("case") if test(e.item)]


# -- the tables, as built -------------------------------------------------------------------------------------

def test_the_case_index_has_one_row_per_case_with_the_facts_its_page_shows(repo_site, library):
    table = list_table(repo_site, CASES)
    cases = library.of_kind("case")
    assert [c["text"] for c in table["head"][0]["cells"]] == \
        ["Case study", "Level of need", "Where the work sits", "Time", "For", "Topics"]
    assert all(c["tag"] == "th" and c["attrs"].get("scope") == "col" for c in table["head"][0]["cells"])
    assert [row_id(r) for r in table["rows"]] == [e.item.id for e in cases]      # the reading order
    assert table["caption"] == f"{len(cases)} case studies"
    for row, entry in zip(table["rows"], cases):
        case, cells = entry.item, by_label(row)
        assert row["cells"][0]["tag"] == "th" and row["cells"][0]["attrs"].get("scope") == "row"
        assert cells["Case study"] == " ".join(case.title.split())
        # the source's values ...
        assert cells["Level of need"] == LEVEL_NAMES[case.level_of_need]
        assert cells["Where the work sits"] == case.spectrum.replace("-", " ").capitalize()
        assert cells["Time"] == f"about {case.minutes} minutes"
        assert cells["For"] == ", ".join(AUDIENCE_NAMES[a] for a in case.audiences)
        # ... in the same words as the top of the case's own page, and the same topics as its tags
        rel = f"library/case-studies/{case.id}.html"
        on_page = facts_on_page(repo_site, rel, "Level of need")
        assert {k: cells[k] for k in on_page} == on_page, case.id
        topics = cells["Topics"].split(", ") if cells["Topics"] else []
        shown = page_topics(repo_site, rel)
        assert sorted(topics) == sorted(shown), case.id                           # the page sorts them,
        assert topics == [t for t in (" ".join(x.split()) for x in case.tags) if t in shown]  # we keep the author's order
        assert not [t for t in topics if re.match(r"(?i)table \d", t)], "an author's note shown as a topic"
        # what the filter reads
        assert row["attrs"]["data-level"] == str(case.level_of_need)
        assert row["attrs"]["data-spectrum"] == case.spectrum
        assert row["attrs"]["data-time"] == str(case.minutes)
        assert row["attrs"]["data-audience"].split() == list(case.audiences)


def test_the_workshop_index_has_one_row_per_workshop_with_who_it_is_for_and_its_length(repo_site, library):
    table = list_table(repo_site, WORKSHOPS)
    workshops = library.of_kind("workshop")
    assert [c["text"] for c in table["head"][0]["cells"]] == ["Workshop", "For", "Length", "Topics"]
    assert [row_id(r) for r in table["rows"]] == [e.item.id for e in workshops]
    for row, entry in zip(table["rows"], workshops):
        workshop, cells = entry.item, by_label(row)
        rel = f"library/workshops/{workshop.id}.html"
        assert cells["For"] == ", ".join(AUDIENCE_NAMES[a] for a in workshop.audiences)
        assert cells["Length"] == f"{workshop.duration_minutes} minutes"
        on_page = facts_on_page(repo_site, rel, "For")
        assert {k: cells[k] for k in on_page} == on_page, workshop.id
        # the same topics as the page's tags, less 'workshop', which every row would say
        topics = cells["Topics"].split(", ") if cells["Topics"] else []
        assert sorted(topics) == sorted(t for t in page_topics(repo_site, rel) if t.lower() != "workshop"), workshop.id
        assert row["attrs"]["data-time"] == str(workshop.duration_minutes)
        assert row["attrs"]["data-audience"].split() == list(workshop.audiences)


def test_every_row_links_to_a_page_that_exists(repo_site):
    for rel in (CASES, WORKSHOPS):
        for row in list_table(repo_site, rel)["rows"]:
            href = row["cells"][0]["links"][0]
            assert (repo_site / rel).parent.joinpath(href).resolve().is_file(), (rel, href)


def test_the_audience_pages_show_a_short_chosen_list_and_link_to_the_table(repo_site, library):
    """No page repeats every case's summary: home, school staff and new to the role each choose 3 to 5
    cases, with a reason, and link to the table of all of them."""
    summaries = [" ".join(e.item.summary.split())[:80] for e in library.of_kind("case")]
    for rel in ("index.html", "school-staff/index.html", "new-to-the-role/index.html"):
        text = (repo_site / rel).read_text(encoding="utf-8")
        article = text[text.index("<article"):text.index("</article>")]
        flat = " ".join(re.sub(r"<[^>]+>", " ", article).split())
        repeated = [s for s in summaries if s in flat]
        assert not repeated, (rel, repeated[:2])
        # the chosen list: each case in bold with its reason (featured()); a topic may also link the case
        # that practises it ("Practise: ..." on the induction page), which is not a list of cases
        chosen = set(re.findall(r'<strong><a href="(?:\.\./)?library/case-studies/([a-z0-9-]+)\.html"', article))
        assert 3 <= len(chosen) <= 5, (rel, sorted(chosen))
        assert re.search(r'href="(?:\.\./)?library/case-studies/index\.html[^"]*">All \d+ case studies', article), rel


def test_a_chosen_list_names_its_reasons_and_fails_the_build_on_an_unknown_id(project):
    """featured() on a hand-written page: each chosen case with its reason and level of need, then the
    link to the table of all of them; an id that does not exist stops the build and is named."""
    project.write_raw("docs/index.md", '---\nrender_macros: true\n---\n\n# Home\n\n'
                      '{{ featured({"first-day": "the first conversation."}) }}\n')
    result = project.run("build", "--no-packs")
    assert result.returncode == 0, result.output
    text = project.read("site/index.html")
    assert re.search(r'<a href="library/case-studies/first-day.html">First day back</a></strong>: the first '
                     r'conversation. <em>\(Level 2: early help\)</em>', text), text[text.index("<article"):][:2000]
    assert '<a href="library/case-studies/index.html">All 1 case study</a>, in one table' in text

    project.write_raw("docs/index.md", '---\nrender_macros: true\n---\n\n# Home\n\n'
                      '{{ featured({"first-dya": "a typing mistake."}) }}\n')
    result = project.run("build", "--no-packs")
    assert result.returncode != 0 and "first-dya" in result.output


# -- in the browser ----------------------------------------------------------------------------------------------

def visible_rows(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('.essw-list tbody tr')]
        .filter(tr => tr.checkVisibility()).map(tr => tr.querySelector('a').getAttribute('href')
        .replace(/\\/$/, '').split('/').pop().replace(/\\.html$/, ''))""")


def status(page) -> str:
    return page.locator(".essw-filter__status").inner_text().strip()


@in_chromium
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_with_javascript_off_the_tables_are_complete_and_their_links_work(browser, served, library, viewport):
    context = browser.new_context(viewport=viewport, java_script_enabled=False,
                                  is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    page = context.new_page()
    try:
        for rel, kind in ((CASES, "case"), (WORKSHOPS, "workshop")):
            page.goto(f"{served.url}/{rel}", wait_until="load")
            assert page.locator(".essw-filter").count() == 0          # nothing that could not work
            assert visible_rows(page) == [e.item.id for e in library.of_kind(kind)]
            # a phone never scrolls sideways: the rows reflow into blocks, each cell named
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            if viewport is PHONE:
                label = page.evaluate("""() => getComputedStyle(document.querySelector(
                    '.essw-list tbody td'), '::before').content""")
                assert label.strip('"').endswith(": "), label
            last = page.locator(".essw-list tbody tr").last.locator("a").first
            title = last.inner_text()
            with page.expect_navigation():
                last.click()
            assert page.locator("article h1").first.inner_text().removesuffix("¶").strip() == title
    finally:
        context.close()


@in_chromium
def test_at_no_width_does_a_table_make_the_page_scroll_sideways(browser, served):
    """From a small phone (or 400% zoom) to a wide screen, with JavaScript on and off: below 60em the
    rows are blocks, above it the six columns fit."""
    wide = []
    for javascript in (False, True):
        context = browser.new_context(java_script_enabled=javascript)
        page = context.new_page()
        try:
            for width in (320, 600, 720, 800, 959, 960, 1100, 1220, 1600):
                page.set_viewport_size({"width": width, "height": 800})
                for rel in (CASES, WORKSHOPS):
                    page.goto(f"{served.url}/{rel}", wait_until="load")
                    scrolled = page.evaluate("document.documentElement.scrollWidth")
                    if scrolled > width:
                        wide.append(f"{rel} at {width} px (JavaScript {'on' if javascript else 'off'}): {scrolled} px")
        finally:
            context.close()
    assert not wide, wide


def choose(page, name: str, value: str) -> None:
    page.locator(f".essw-filter select[name={name}]").select_option(value)


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    assert page.errors == []
    context.close()


def count_status_changes(page) -> None:
    page.evaluate("""() => { window.__said = [];
        const box = document.querySelector('.essw-filter__status');
        new MutationObserver(() => window.__said.push(box.textContent)).observe(box,
            {childList: true, characterData: true, subtree: true}); }""")


def said(page) -> list[str]:
    page.wait_for_timeout(50)  # MutationObserver callbacks run after the change
    return page.evaluate("window.__said.splice(0)")


@in_chromium
def test_choosing_a_filter_hides_exactly_the_rows_that_do_not_match_and_says_how_many(desktop, served, library):
    page = desktop
    page.goto(f"{served.url}/{CASES}", wait_until="load")
    total = len(library.of_kind("case"))
    box = page.locator(".essw-filter__status")
    assert box.get_attribute("role") == "status" and box.get_attribute("aria-live") == "polite"
    assert status(page) == f"Showing all {total} case studies."
    # every control is labelled, and offers only values some case has
    for select in page.locator(".essw-filter select").all():
        assert page.locator(f"label[for='{select.get_attribute('id')}']").count() == 1
    levels = page.locator(".essw-filter select[name=level] option").all_inner_texts()
    assert levels == ["Any level"] + [LEVEL_NAMES[n] for n in sorted({e.item.level_of_need for e in library.of_kind('case')})]
    count_status_changes(page)

    choose(page, "level", "2")
    want = cases_where(library, lambda c: c.level_of_need == 2)
    assert 0 < len(want) < total
    assert visible_rows(page) == want
    assert said(page) == [f"Showing {len(want)} of {total} case studies."]     # announced once

    choose(page, "audience", "parents")                                         # and both hold
    want = cases_where(library, lambda c: c.level_of_need == 2 and "parents" in c.audiences)
    assert visible_rows(page) == want and want
    assert said(page) == [f"Showing {len(want)} of {total} case studies."]

    choose(page, "level", "")
    choose(page, "audience", "school-staff")
    want = cases_where(library, lambda c: "school-staff" in c.audiences)
    assert visible_rows(page) == want
    said(page)

    choose(page, "audience", "")
    choose(page, "time", "15")
    want = cases_where(library, lambda c: c.minutes <= 15)
    assert visible_rows(page) == want and 0 < len(want) < total
    choose(page, "time", "")
    choose(page, "spectrum", "statutory")
    assert visible_rows(page) == cases_where(library, lambda c: c.spectrum == "statutory")
    said(page)

    # words: typed, then the list follows once the reader pauses (one announcement, not one per key)
    choose(page, "spectrum", "")
    said(page)
    page.locator(".essw-filter input[name=words]").press_sequentially("housing", delay=20)
    page.wait_for_function("document.querySelector('.essw-filter__status').textContent.includes(' of ')")
    want = cases_where(library, lambda c: "housing" in (c.title + " " + " ".join(c.tags)).lower())
    assert visible_rows(page) == want and want
    assert said(page) == [f"Showing {len(want)} of {total} case studies."]

    # nothing matches: the table goes, and one button brings every row back
    page.locator(".essw-filter input[name=words]").fill("zzzz-no-such-topic")
    page.wait_for_function("document.querySelector('.essw-filter__status').textContent.includes('none')")
    assert visible_rows(page) == [] and page.locator(".essw-filter__empty").is_visible()
    page.locator(".essw-filter__empty button").click()
    page.wait_for_function(f"document.querySelector('.essw-filter__status').textContent === 'Showing all {total} case studies.'")
    assert len(visible_rows(page)) == total
    assert page.locator(".essw-filter input[name=words]").input_value() == ""

    choose(page, "level", "4")
    page.locator(".essw-filter__clear").click()
    page.wait_for_function(f"document.querySelector('.essw-filter__status').textContent === 'Showing all {total} case studies.'")
    assert page.locator(".essw-filter select[name=level]").input_value() == ""


@in_chromium
def test_a_link_can_choose_the_filter(desktop, served, library):
    page = desktop
    page.goto(f"{served.url}/{CASES}?audience=parents&level=2&time=nonsense", wait_until="load")
    assert page.locator(".essw-filter select[name=audience]").input_value() == "parents"
    assert page.locator(".essw-filter select[name=time]").input_value() == ""     # unknown values ignored
    assert visible_rows(page) == cases_where(library, lambda c: c.level_of_need == 2 and "parents" in c.audiences)


@in_chromium
def test_the_workshop_filter_by_audience_and_length(desktop, served, library):
    page = desktop
    page.goto(f"{served.url}/{WORKSHOPS}", wait_until="load")
    workshops = library.of_kind("workshop")
    assert page.locator(".essw-filter select[name=level]").count() == 0
    choose(page, "audience", "school-staff")
    assert visible_rows(page) == [e.item.id for e in workshops if "school-staff" in e.item.audiences]
    lengths = [o for o in page.locator(".essw-filter select[name=time] option").evaluate_all(
        "options => options.map(o => o.value)") if o]
    assert lengths, "no length to choose"
    choose(page, "time", lengths[0])
    assert visible_rows(page) == [e.item.id for e in workshops if "school-staff" in e.item.audiences
                                  and e.item.duration_minutes <= int(lengths[0])]
    assert status(page) == f"Showing {len(visible_rows(page))} of {len(workshops)} workshops."


@in_chromium
def test_the_filter_works_from_a_folder(browser, repo_site, library):
    """Opened from a folder (file://), as the site is used offline."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto((repo_site / CASES).as_uri() + "?level=4", wait_until="load")
        assert visible_rows(page) == cases_where(library, lambda c: c.level_of_need == 4)
        choose(page, "level", "3")
        assert visible_rows(page) == cases_where(library, lambda c: c.level_of_need == 3)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


@in_chromium
def test_the_form_keeps_the_page_usable_by_keyboard_and_touch(browser, served):
    from test_site_gates import TARGETS, _check_keyboard, _too_small

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{served.url}/{CASES}", wait_until="load")
        _check_keyboard(page)
    finally:
        context.close()
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{served.url}/{CASES}", wait_until="load")
        small = [t["name"] for t in page.evaluate(TARGETS, ".essw-filter button, .essw-filter select, "
                                                  ".essw-filter input, .essw-list a") if _too_small(t)]
        assert not small, small
    finally:
        context.close()


@in_chromium
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_new_pages_have_no_accessibility_violations(browser, served, scheme, viewport):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=viewport, color_scheme=scheme,
                                  is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    page = context.new_page()
    found = {}
    try:
        for rel in (CASES, WORKSHOPS, f"{CASES}?level=2&audience=parents", f"{CASES}?words=zzzz",
                    "index.html", "school-staff/index.html", "new-to-the-role/index.html"):
            page.goto(f"{served.url}/{rel}", wait_until="load")
            if rel.startswith(CASES) and "=" in rel:
                page.wait_for_function("document.querySelector('.essw-filter__status')")
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            if results.violations_count:
                found[rel] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    finally:
        context.close()
    assert not found, found


@in_chromium
def test_the_school_staff_and_home_pages_are_short_on_a_phone(browser, served):
    """The school staff page was 30,000 px tall at 375 px, the home page 14,500 (every case's summary,
    repeated); now each is a chosen few and a link."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        heights = {}
        for rel in ("index.html", "school-staff/index.html", "new-to-the-role/index.html"):
            page.goto(f"{served.url}/{rel}", wait_until="load")
            heights[rel] = page.evaluate("document.documentElement.scrollHeight")
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], rel
    finally:
        context.close()
    assert heights["school-staff/index.html"] < 12_000 and heights["index.html"] < 10_000, heights


# -- instant navigation ---------------------------------------------------------------------------------------

SECOND_WORKSHOP = """\
id: staff-briefing
title: A staff briefing
summary: A short briefing for school staff on what the school social worker does.
audiences: [school-staff]
owner: ESSW team manager
reviewed: 2025-01-15
review_by: 2035-01-15
sources:
  - publication: working-together
duration_minutes: 30
outcomes:
  - Staff know how to ask the school social worker for help.
plan:
  - minutes: 30
    activity: Briefing and questions
facilitator_notes: Keep it short.
if_someone_discloses: Listen, and tell the DSL the same day.
evaluation:
  - What will you do differently?
follow_up: Send the slides.
"""


@pytest.fixture(scope="module")
def instant_site(tmp_path_factory):
    """The fixture project with two cases (levels 2 and 3) and two workshops, built with Material's
    instant navigation on, and served where its site_url says."""
    root = tmp_path_factory.mktemp("tables-instant") / "project"
    srv = SiteServer(root / "site")
    try:
        project = use_instant_navigation(add_home_visit(Project(make_project(root))), srv.url)
        project.write_raw("workshops/staff-briefing.yml", SECOND_WORKSHOP)
        project.write_raw("docs/index.md", project.read("docs/index.md")
                          + "\n[All case studies](library/case-studies/index.md)\n\n[All workshops](library/workshops/index.md)\n")
        result = project.run("build", "--no-packs")
        assert result.returncode == 0, result.output
        yield srv
    finally:
        srv.close()


@in_chromium
def test_the_filter_starts_after_instant_navigation_and_only_once(browser, instant_site):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{instant_site.url}/", wait_until="networkidle")
        page.evaluate("window.__noReload = 'still here'")
        for _ in range(2):   # there, away and back again: one form each time, and it works
            page.get_by_role("link", name="All case studies").first.click()
            page.wait_for_url(re.compile(r"/library/case-studies/(index\.html)?$"))
            page.locator(".essw-filter").wait_for(state="visible", timeout=10_000)
            assert page.evaluate("window.__noReload") == "still here"     # an instant navigation
            assert page.locator(".essw-filter").count() == 1
            assert visible_rows(page) == ["home-visit", "first-day"]
            choose(page, "level", "3")
            assert visible_rows(page) == ["home-visit"]
            assert status(page) == "Showing 1 of 2 case studies."
            page.locator(".md-header__button.md-logo").click()
            page.get_by_role("link", name="All workshops").first.click()
            page.wait_for_url(re.compile(r"/library/workshops/(index\.html)?$"))
            page.locator(".essw-filter").wait_for(state="visible")
            assert page.locator(".essw-filter").count() == 1
            assert status(page) == "Showing all 2 workshops."
            choose(page, "time", "30")
            assert visible_rows(page) == ["staff-briefing"]
            page.locator(".md-header__button.md-logo").click()
            page.wait_for_url(re.compile(r"/(index\.html)?$"))
        assert page.evaluate("window.__noReload") == "still here"
        assert errors == []
    finally:
        context.close()
