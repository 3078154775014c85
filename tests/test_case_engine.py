"""The case engine (essw/assets/case-engine.js) in headless Chromium, on a built fixture site.

The fixture project gets a second case, 'A home visit' (conftest.HOME_VISIT), with a flag, a
variant, a once-only choice, a choice shown only when the flag is set, all three ratings and two
endings. The site is built once for this module and served on 127.0.0.1; every test gets a fresh
browser context, so saved progress never leaks from one test into the next.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html as htmllib
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from conftest import (CHROMIUM_PATH, HOME_VISIT, HOME_VISIT_FILE, HOME_VISIT_PAGE, REPO, Project,
                      SiteServer, add_home_visit, make_project, serve, use_instant_navigation, watch)
from essw.model.play import holds as python_holds
from essw.model.case import Condition

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ENGINE = REPO / "essw" / "assets" / "case-engine.js"
KEY = "essw-case:home-visit"
SOURCE = yaml.safe_load(HOME_VISIT)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM_PATH.exists(), reason="/usr/bin/chromium is not installed (run 'make chromium')"),
]


# -- fixtures -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def engine_site(tmp_path_factory) -> Project:
    """The fixture project plus the home-visit case, built once for this module."""
    project = add_home_visit(Project(make_project(tmp_path_factory.mktemp("engine") / "project")))
    result = project.run("build", "--no-packs")
    assert result.returncode == 0, result.output
    assert project.path(f"site/{HOME_VISIT_PAGE}.html").is_file()
    return project


@pytest.fixture(scope="module")
def server(engine_site):
    yield from serve(engine_site.path("site"))


@pytest.fixture(scope="module")
def case_url(server) -> str:
    return f"{server.url}/{HOME_VISIT_PAGE}.html"


@pytest.fixture
def page(context):
    return watch(context.new_page())


# -- helpers ------------------------------------------------------------------------------------------

def open_case(page, url):
    page.goto(url, wait_until="load")
    page.locator(".essw-player").wait_for(state="visible", timeout=10_000)
    return page


def heading(page) -> str:
    """What the player shows now: a step's or an ending's heading, or on feedback what was chosen."""
    chose = page.locator(".essw-stage .essw-you-chose")
    if chose.count():
        return chose.first.inner_text().strip()
    return page.locator(".essw-stage h3").first.inner_text().strip()


def choice_labels(page) -> list[str]:
    return [t.strip() for t in page.locator(".essw-stage .essw-choice-btn").all_inner_texts()]


def choose(page, label):
    page.locator(".essw-stage .essw-choice-btn", has_text=label).click()
    page.locator(".essw-feedback-box").wait_for(state="visible")


def proceed(page):
    page.locator(".essw-continue").click()
    page.locator(".essw-feedback-box").wait_for(state="detached")


def restart(page, *, delete_notes=False):
    """Restart asks first; answer yes (and, if asked, whether to delete what the learner wrote)."""
    page.locator(".essw-restart").click()
    page.locator(".essw-confirm").wait_for(state="visible")
    if delete_notes:
        page.locator(".essw-drop-notes").check()
    page.locator(".essw-restart-yes").click()
    page.locator(".essw-confirm").wait_for(state="hidden")


def left_by_the_checker(project) -> dict[str, int]:
    """Decisions still to make from each node, by the checker's rule (casegraph.decisions_left)."""
    from essw.model.play import decisions_left
    library, _ = project.library()
    return decisions_left(library.entries["home-visit"].item)


def saved(page):
    return page.evaluate(f"JSON.parse(window.localStorage.getItem({json.dumps(KEY)}))")


VARIANT_TEXT = "Mum says she is glad you explained yourself first."


def variant_shown(page) -> bool:
    return page.locator(".essw-stage", has_text=VARIANT_TEXT).count() == 1 and \
        page.locator(".essw-stage").get_by_text(VARIANT_TEXT).is_visible()


# -- without JavaScript -------------------------------------------------------------------------------

def test_without_javascript_the_whole_case_is_on_the_page(browser, case_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(case_url, wait_until="load")
        assert page.locator(".essw-player").count() == 0
        assert page.locator(".essw-static").is_visible()
        for name, node in SOURCE["nodes"].items():
            section = page.locator(f"section.essw-node#node-{name}[data-node='{name}']")
            assert section.is_visible(), name
            assert section.get_by_text(node["text"]).is_visible(), name
            items = section.locator("ol.essw-choices > li[data-choice]")
            assert items.count() == len(node.get("choices", [])), name
            for i, choice in enumerate(node.get("choices", [])):
                item = section.locator(f"ol.essw-choices > li[data-choice='{i}']")
                link = item.locator("a").first
                assert link.inner_text().strip() == choice["label"]
                assert link.get_attribute("href") == f"#node-{choice['goto']}"
                assert link.is_visible()
                feedback = item.locator(".essw-feedback")
                assert feedback.is_visible() and choice["feedback"] in feedback.inner_text()
            if node.get("kind") == "end":
                debrief = section.locator(".essw-debrief")
                assert debrief.is_visible(), name
                assert node["debrief"]["good_practice"] in debrief.inner_text()
                assert node["debrief"]["questions"][0] in debrief.inner_text()
            else:
                assert section.locator(".essw-debrief").count() == 0
        kitchen = page.locator("#node-kitchen")
        label = kitchen.locator(".essw-variant[data-when] .essw-variant-label")
        assert label.is_visible() and label.inner_text().strip() == "If Mum agreed to talk with you:"
        assert kitchen.locator(".essw-variant").get_by_text(VARIANT_TEXT).is_visible()
        # conditions, once-only choices and ratings are written out in words
        text = kitchen.inner_text()
        assert "(If Mum agreed to talk with you)" in text and "(once only)" in text and "(Acceptable)" in text
        assert "(Strong practice)" in page.locator("#node-door").inner_text()
        assert "(Risky)" in page.locator("#node-door").inner_text()
        # and the links work
        page.locator("#node-kitchen").get_by_role("link", name="Agree a plan together").click()
        assert page.url.endswith("#node-plan")
    finally:
        context.close()


# -- playing with the mouse ---------------------------------------------------------------------------

def test_play_by_clicking_to_an_ending(page, case_url, engine_site):
    open_case(page, case_url)
    assert page.locator(".essw-case > section.essw-node").first.is_hidden()  # the player replaces them
    assert heading(page) == "At the door"
    left = left_by_the_checker(engine_site)["door"]
    assert page.locator(".essw-progress-text").inner_text().strip() == f"Decision 1 of about {left}"
    assert page.locator(".essw-progress").get_attribute("value") == "0"
    assert choice_labels(page) == ["Explain why you have come", "Ask to come in straight away"]

    choose(page, "Explain why you have come")
    box = page.locator(".essw-feedback-box")
    assert box.locator("h3").inner_text().strip() == "Feedback on your choice"
    assert box.locator(".essw-you-chose").inner_text().strip() == "You chose: Explain why you have come"
    assert box.locator(".essw-rating-label").inner_text().strip() == "Practice rating: Strong practice"
    assert "Being open from the start builds trust." in box.inner_text()
    assert choice_labels(page) == []  # no choosing again while the feedback shows

    proceed(page)
    assert heading(page) == "In the kitchen"
    assert variant_shown(page)  # consent_given is set
    assert page.locator(".essw-stage .essw-variant-label").count() == 0  # the no-JS label is not shown
    assert choice_labels(page) == ["Admire the family photos", "Agree a plan together", "Leave and write it up later"]

    choose(page, "Admire the family photos")
    assert box.locator(".essw-rating-label").inner_text().strip() == "Practice rating: Acceptable"
    assert "A small kindness puts Mum at ease." in box.inner_text()
    proceed(page)
    assert heading(page) == "In the kitchen"
    # the once-only choice has gone; the others stay
    assert choice_labels(page) == ["Agree a plan together", "Leave and write it up later"]

    choose(page, "Leave and write it up later")
    assert box.locator(".essw-rating-label").inner_text().strip() == "Practice rating: Risky"
    assert "Leaving without a plan means the worry stays." in box.inner_text()
    proceed(page)

    assert heading(page) == "Ending: No plan"
    assert page.locator(".essw-progress-text").inner_text().strip() == "Case complete: 3 decisions made."
    assert page.locator(".essw-progress").get_attribute("value") == "100"
    stage = page.locator(".essw-stage")
    debrief = stage.locator(".essw-debrief")
    assert debrief.is_visible()
    assert "Agree something, however small, before you leave." in debrief.inner_text()
    assert "What would you do differently next time?" in debrief.inner_text()
    summary = stage.locator(".essw-summary")
    assert summary.is_visible()
    steps = [" ".join(t.split()) for t in summary.locator(".essw-path > li").all_inner_texts()]
    assert steps == ["At the door: Explain why you have come Strong practice",
                     "In the kitchen: Admire the family photos Acceptable",
                     "In the kitchen: Leave and write it up later Risky"]
    assert summary.locator(".essw-counts").inner_text().strip() == \
        "Practice ratings: 1 strong, 1 acceptable, 1 risky."
    assert choice_labels(page) == []
    assert page.errors == []


def test_variant_and_conditional_choice_follow_the_flag(page, case_url):
    open_case(page, case_url)
    choose(page, "Ask to come in straight away")
    assert page.locator(".essw-feedback-box .essw-rating-label").inner_text().strip() == "Practice rating: Risky"
    proceed(page)
    assert heading(page) == "In the kitchen"
    assert page.locator(".essw-stage").get_by_text(VARIANT_TEXT).count() == 0
    assert "Agree a plan together" not in choice_labels(page)
    assert saved(page)["flags"] == {}

    restart(page)
    choose(page, "Explain why you have come")
    proceed(page)
    assert variant_shown(page)
    assert "Agree a plan together" in choice_labels(page)
    assert saved(page)["flags"] == {"consent_given": True}
    choose(page, "Agree a plan together")
    proceed(page)
    assert heading(page) == "Ending: A plan"
    assert page.locator(".essw-counts").inner_text().strip() == "Practice ratings: 2 strong, 0 acceptable, 0 risky."


# -- keyboard only ------------------------------------------------------------------------------------

ACTIVE = "(() => { const a = document.activeElement; return a ? a.textContent.trim() : ''; })()"


def tab_to(page, text=None, *, selector=None, limit=250):
    """Press Tab until the focused element has the text ``text`` (or matches ``selector``), never
    touching the mouse."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(ACTIVE)
        if selector is not None:
            if page.evaluate("(sel) => !!document.activeElement && document.activeElement.matches(sel)", selector):
                return
        elif now == text:
            return
        seen.append(now[:40])
    raise AssertionError(f"Tab never reached {text or selector!r}; focus went through {seen[-30:]}")


def focus_in_player(page, selector):
    return page.evaluate(
        """(sel) => { const a = document.activeElement;
                      return !!a && !!a.closest('.essw-player') && a.matches(sel); }""", selector)


def test_keyboard_only_play_moves_focus_and_announces_feedback(page, case_url):
    page.goto(case_url, wait_until="load")
    page.locator(".essw-player").wait_for(state="visible")
    live = page.locator(".essw-live")
    assert live.get_attribute("aria-live") == "polite"

    tab_to(page, "Explain why you have come")
    page.keyboard.press("Enter")
    page.locator(".essw-feedback-box").wait_for(state="visible")
    assert focus_in_player(page, ".essw-feedback-box h3"), page.evaluate(ACTIVE)
    assert page.evaluate(ACTIVE) == "Feedback on your choice"
    # the live region says what was chosen and its rating, once; the focused heading does not repeat it
    assert live.text_content() == "You chose: Explain why you have come. Practice rating: Strong practice."

    tab_to(page, "Continue")
    page.keyboard.press(" ")
    page.locator(".essw-feedback-box").wait_for(state="detached")
    assert focus_in_player(page, ".essw-step h3"), page.evaluate(ACTIVE)
    assert page.evaluate(ACTIVE) == "In the kitchen"

    tab_to(page, "Leave and write it up later")
    page.keyboard.press(" ")
    page.locator(".essw-feedback-box").wait_for(state="visible")
    assert focus_in_player(page, ".essw-feedback-box h3")
    assert live.text_content() == "You chose: Leave and write it up later. Practice rating: Risky."

    tab_to(page, "Continue")
    page.keyboard.press("Enter")
    page.locator(".essw-summary").wait_for(state="visible")
    assert focus_in_player(page, ".essw-step h3"), page.evaluate(ACTIVE)
    assert page.evaluate(ACTIVE) == "Ending: No plan"
    # the reflection box and the download can be reached from the keyboard too
    tab_to(page, selector=".essw-summary textarea.essw-reflection")
    page.keyboard.type("Typed with the keyboard.")
    assert page.locator(".essw-reflection").input_value() == "Typed with the keyboard."
    tab_to(page, "Download CPD record (Markdown)")
    assert page.errors == []


# -- saved progress -----------------------------------------------------------------------------------

def test_reload_resumes_where_the_learner_left_off(page, case_url):
    open_case(page, case_url)
    assert page.locator(".essw-notice").inner_text().strip() == ""
    choose(page, "Explain why you have come")
    proceed(page)
    choose(page, "Admire the family photos")
    proceed(page)
    state = saved(page)
    assert state["node"] == "kitchen" and state["hash"]

    page.reload(wait_until="load")
    page.locator(".essw-player").wait_for(state="visible")
    assert heading(page) == "In the kitchen"
    assert variant_shown(page)  # the flag came back too
    assert choice_labels(page) == ["Agree a plan together", "Leave and write it up later"]  # and the used choice
    notice = page.locator(".essw-notice")
    assert notice.is_visible() and "Welcome back" in notice.inner_text()
    # screen readers hear it too, once the page has settled (a region filled while loading is not read)
    page.wait_for_function("document.querySelector('.essw-live').textContent.includes('Welcome back')", timeout=3000)
    assert page.locator(".essw-progress-text").inner_text().startswith("Decision 3")

    # in the middle of feedback, a reload shows the same feedback
    choose(page, "Agree a plan together")
    page.reload(wait_until="load")
    page.locator(".essw-player").wait_for(state="visible")
    assert heading(page) == "You chose: Agree a plan together"


def test_restart_returns_to_the_start_and_clears_storage(page, case_url, engine_site):
    open_case(page, case_url)
    choose(page, "Explain why you have come")
    proceed(page)
    assert saved(page) is not None
    restart(page)
    assert heading(page) == "At the door"
    assert saved(page) is None
    assert page.evaluate(f"window.localStorage.getItem({json.dumps(KEY)})") is None
    left = left_by_the_checker(engine_site)["door"]
    assert page.locator(".essw-progress-text").inner_text().strip() == f"Decision 1 of about {left}"
    assert page.locator(".essw-back").is_disabled()
    page.reload(wait_until="load")
    page.locator(".essw-player").wait_for(state="visible")
    assert heading(page) == "At the door"
    assert page.locator(".essw-notice").inner_text().strip() == ""


def _comparable(state):
    return {k: (sorted(v) if isinstance(v, list) else v) for k, v in state.items()
            if k in ("node", "flags", "visited", "used", "pending")}


def test_back_undoes_one_step_and_restores_the_flags(page, case_url):
    open_case(page, case_url)
    assert page.locator(".essw-back").is_disabled()
    choose(page, "Explain why you have come")
    # back from the feedback: the choice is undone, flag and all
    page.locator(".essw-back").click()
    assert heading(page) == "At the door"
    assert saved(page) is None  # back at the start with nothing written: the device keeps nothing

    choose(page, "Explain why you have come")
    assert saved(page)["flags"] == {"consent_given": True}
    proceed(page)
    assert variant_shown(page)
    page.locator(".essw-back").click()
    assert heading(page) == "At the door"
    assert saved(page) is None
    # the flag really is gone: the other way in shows no variant and no plan
    choose(page, "Ask to come in straight away")
    proceed(page)
    assert page.locator(".essw-stage").get_by_text(VARIANT_TEXT).count() == 0
    assert "Agree a plan together" not in choice_labels(page)


def test_back_after_a_once_only_choice_that_loops_restores_the_state(page, case_url):
    open_case(page, case_url)
    choose(page, "Explain why you have come")
    proceed(page)
    before = saved(page)
    choose(page, "Admire the family photos")
    proceed(page)
    assert "Admire the family photos" not in choice_labels(page)
    page.locator(".essw-back").click()
    assert heading(page) == "In the kitchen"
    assert "Admire the family photos" in choice_labels(page)  # the once-only choice is back
    assert saved(page)["flags"] == {"consent_given": True}
    # Back must restore exactly the state before the choice, including the nodes visited (which
    # 'visited'/'not_visited' conditions read): the learner is standing in the kitchen.
    assert "kitchen" in saved(page)["visited"], saved(page)
    assert _comparable(saved(page)) == _comparable(before)


def test_editing_the_case_discards_old_progress(browser, engine_site, server, case_url, tmp_path):
    # a copy of the built project, edited and rebuilt, then served from the same origin
    copy = Project(tmp_path / "edited")
    shutil.copytree(engine_site.root, copy.root)
    context = browser.new_context()
    try:
        page = watch(context.new_page())
        open_case(page, case_url)
        choose(page, "Explain why you have come")
        proceed(page)
        old_hash = saved(page)["hash"]
        assert heading(page) == "In the kitchen"

        copy.replace(HOME_VISIT_FILE, "text: You sit at the kitchen table with Mum.",
                     "text: You sit at the kitchen table with Mum and her sister.")
        result = copy.run("build", "--no-packs")
        assert result.returncode == 0, result.output
        server.directory = copy.path("site")
        try:
            page.reload(wait_until="load")
            page.locator(".essw-player").wait_for(state="visible")
            new_hash = json.loads(page.locator(".essw-case").get_attribute("data-case"))["hash"]
            assert new_hash != old_hash
            assert heading(page) == "At the door"
            notice = page.locator(".essw-notice")
            assert notice.is_visible()
            assert "This case has changed since you last played it" in notice.inner_text()
            page.wait_for_function("document.querySelector('.essw-live').textContent.includes('This case has changed')",
                                   timeout=3000)
            assert saved(page) is None  # the old progress was thrown away
            choose(page, "Ask to come in straight away")
            proceed(page)
            assert "and her sister" in page.locator(".essw-stage").inner_text()
            assert saved(page)["hash"] == new_hash
        finally:
            server.directory = engine_site.path("site")
    finally:
        context.close()


def test_the_page_carries_the_hash_of_its_source(engine_site):
    """The hash saved with progress is the one case_data() makes from the case's source."""
    html = engine_site.read(f"site/{HOME_VISIT_PAGE}.html")
    found = re.search(r'<div class="essw-case" data-case="([^"]*)"', html) or \
        re.search(r'<div[^>]*class="essw-case"[^>]*data-case="([^"]*)"', html)
    assert found, "the case data is not in the page"
    from essw.case_view import case_data
    library, _ = engine_site.library()
    assert json.loads(htmllib.unescape(found.group(1)))["hash"] == case_data(library.entries["home-visit"].item)["hash"]


# -- CPD record ---------------------------------------------------------------------------------------

REFLECTION = "Next time I will explain who I am before anything else, and agree one small step."


def play_to_the_end(page):
    choose(page, "Explain why you have come")
    proceed(page)
    choose(page, "Admire the family photos")
    proceed(page)
    choose(page, "Agree a plan together")
    proceed(page)
    page.locator(".essw-summary").wait_for(state="visible")


def test_cpd_record_download(page, case_url):
    open_case(page, case_url)
    play_to_the_end(page)
    page.locator(".essw-reflection").fill(REFLECTION)
    assert saved(page)["reflection"] == REFLECTION  # kept on this device as it is typed
    with page.expect_download() as info:
        page.locator(".essw-cpd").click()
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8")
    today = {(dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=d)).date().isoformat() for d in (-1, 0, 1)}
    dates = re.findall(r"^Date: (\d{4}-\d{2}-\d{2})$", text, re.M)
    assert len(dates) == 1 and dates[0] in today, text
    assert download.suggested_filename == f"cpd-record-home-visit-{dates[0]}.md"
    assert "# CPD record: A home visit" in text
    assert "Activity: Played through the case study 'A home visit'" in text
    assert "Ending reached: A plan" in text
    assert "1. At the door: Explain why you have come [Strong practice]" in text
    assert "2. In the kitchen: Admire the family photos [Acceptable]" in text
    assert "3. In the kitchen: Agree a plan together [Strong practice]" in text
    for outcome in SOURCE["learning_outcomes"]:
        assert f"- {outcome}" in text
    assert REFLECTION in text.split("## What I learnt", 1)[1].split("## What I will do differently", 1)[0]
    assert "Your CPD record has been downloaded." in page.locator(".essw-live").text_content()


def test_reflection_survives_a_reload(page, case_url):
    open_case(page, case_url)
    play_to_the_end(page)
    page.locator(".essw-reflection").fill(REFLECTION)
    page.reload(wait_until="load")
    page.locator(".essw-summary").wait_for(state="visible")
    assert page.locator(".essw-reflection").input_value() == REFLECTION


# -- privacy --------------------------------------------------------------------------------------------

def test_nothing_leaves_the_device(context, page, case_url):
    open_case(page, case_url)
    play_to_the_end(page)
    page.locator(".essw-reflection").fill(REFLECTION)
    with page.expect_download():
        page.locator(".essw-cpd").click()
    page.locator(".essw-back").click()
    restart(page, delete_notes=True)
    page.reload(wait_until="networkidle")
    assert page.requested, "no requests were recorded"
    foreign = [u for u in page.requested
               if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname != "127.0.0.1"]
    assert foreign == []
    assert context.cookies() == []
    assert page.evaluate("document.cookie") == ""
    # the progress stays in this browser's localStorage under the case's own key, and nowhere else
    keys = page.evaluate("Object.keys(window.localStorage)")
    assert [k for k in keys if k.startswith("essw-case:")] == []  # restarted: nothing kept
    assert page.evaluate("Object.keys(window.sessionStorage).filter(k => k.startsWith('essw'))") == []


# -- accessibility --------------------------------------------------------------------------------------

SCROLL_SETTLED = """() => new Promise(done => {
    let last = -1, still = 0;
    const look = () => {
        still = window.scrollY === last ? still + 1 : 0;
        last = window.scrollY;
        if (still >= 10) done(); else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
})"""


def _axe(page, label):
    from axe_playwright_python.sync_playwright import Axe

    # Material's header swaps the site name for the page title as the player scrolls a step into view;
    # colours measured halfway through that fade are not what anyone reads. The swap can start after a
    # smooth scroll ends, so the scroll must settle first, and fades are switched off so that what axe
    # measures is the state a reader sees once the page is still.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    page.evaluate(SCROLL_SETTLED)
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')", timeout=5000)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    if results.violations_count:
        details = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in results.response["violations"]]
        return [f"{label}: {d}" for d in details]
    return []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_while_playing(browser, case_url, scheme):
    context = browser.new_context(color_scheme=scheme)
    try:
        page = watch(context.new_page())
        open_case(page, case_url)
        # Material follows the colour scheme: the page is really in the scheme under test
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        problems = _axe(page, "start")
        choose(page, "Explain why you have come")
        problems += _axe(page, "feedback")
        proceed(page)
        choose(page, "Admire the family photos")
        proceed(page)
        choose(page, "Leave and write it up later")
        proceed(page)
        page.locator(".essw-summary").wait_for(state="visible")
        problems += _axe(page, "end")
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


# -- print ----------------------------------------------------------------------------------------------

def test_print_shows_every_node_and_hides_the_player_and_navigation(page, case_url):
    open_case(page, case_url)
    choose(page, "Explain why you have come")
    page.emulate_media(media="print")
    # the scenes come back on the print media change, which the page hears a moment later (a reader's
    # print dialog fires 'beforeprint' first, synchronously)
    page.locator("#node-door").wait_for(state="visible", timeout=5000)
    assert page.locator(".essw-case").get_attribute("class").split().count("essw-js") == 1  # JS did run
    assert page.locator(".essw-player").is_hidden()
    for name in SOURCE["nodes"]:
        assert page.locator(f"#node-{name}").is_visible(), name
    assert page.locator("#node-kitchen .essw-feedback").first.is_visible()
    assert page.locator("#node-leave .essw-debrief").is_visible()
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        for i in range(page.locator(chrome).count()):
            assert page.locator(chrome).nth(i).is_hidden(), chrome
    # and back on screen, the player is back
    page.emulate_media(media="screen")
    assert page.locator(".essw-player").is_visible()
    assert page.locator("#node-door").is_hidden()


# -- Material's instant navigation ------------------------------------------------------------------

@pytest.fixture(scope="module")
def instant_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("instant") / "project"
    srv = SiteServer(root / "site")
    try:
        project = use_instant_navigation(add_home_visit(Project(make_project(root))), srv.url)
        result = project.run("build", "--no-packs")
        assert result.returncode == 0, result.output
        yield srv
    finally:
        srv.close()


def test_player_starts_after_instant_navigation(browser, instant_site):
    context = browser.new_context()
    try:
        page = watch(context.new_page())
        page.goto(f"{instant_site.url}/", wait_until="networkidle")
        assert page.evaluate("typeof window.document$") == "object"
        page.evaluate("window.__noReload = 'still here'")
        page.get_by_role("link", name="Play the home visit").first.click()
        page.wait_for_url(re.compile(r"/library/case-studies/home-visit/"))
        page.locator("article h1", has_text="A home visit").wait_for(state="visible")
        # it was an instant navigation: the window (and its globals) survived
        assert page.evaluate("window.__noReload") == "still here"
        player = page.locator(".essw-player")
        try:
            player.wait_for(state="visible", timeout=5_000)
        except Exception:
            pass
        assert player.count() == 1 and player.is_visible(), (
            f"the case player did not start after instant navigation; page errors: {page.errors}")
        assert heading(page) == "At the door"
        choose(page, "Explain why you have come")
        proceed(page)
        assert heading(page) == "In the kitchen"
        assert page.errors == []
    finally:
        context.close()


# -- size -------------------------------------------------------------------------------------------------

def test_engine_script_is_small():
    size = len(gzip.compress(ENGINE.read_bytes()))
    assert size < 15 * 1024, f"case-engine.js is {size} bytes gzipped"


# -- the checker and the player agree ---------------------------------------------------------------

def _js_holds_source() -> str:
    text = ENGINE.read_text(encoding="utf-8")
    found = re.search(r"\n  function holds\(cond, state\) \{\n.*?\n  \}\n", text, re.S)
    assert found, "holds() not found in case-engine.js"
    return found.group(0)


def test_python_holds_is_the_engines_rule(browser):
    """essw/checks/casegraph.py plays every way through a case 'with exactly the rules the browser
    engine uses'; any difference makes validation wrong. Compare the two on every flag value a
    'set:' can store and every comparison the checks accept."""
    flag_values = [None, True, False, 0, 1, 2, -1, "1", "agreed"]
    conds = [{"flag": "f", "op": op, "value": v} for op in ("==", "!=") for v in (True, False, 0, 1, "1", "agreed")]
    conds += [{"flag": "f", "op": op, "value": v} for op in (">", ">=", "<", "<=") for v in (0, 1, 2)]
    cases = []
    for have in flag_values:
        for cond in conds:
            cases.append({"cond": [cond], "state": {"flags": {} if have is None else {"f": have},
                                                    "visited": ["door"]}})
    for key in ("visited", "not_visited"):
        for node in ("door", "kitchen"):
            cases.append({"cond": [{key: node, "op": "==", "value": True}], "state": {"flags": {}, "visited": ["door"]}})
    context = browser.new_context()
    try:
        page = context.new_page()
        js = page.evaluate("([src, cases]) => { const holds = new Function(src + '; return holds;')();"
                           " return cases.map(c => holds(c.cond, c.state)); }", [_js_holds_source(), cases])
    finally:
        context.close()
    differ = []
    for case, in_browser in zip(cases, js):
        conds_ = [Condition(**c) for c in case["cond"]]
        in_python = python_holds(conds_, case["state"]["flags"], frozenset(case["state"]["visited"]))
        if in_python != in_browser:
            differ.append(f"flag={case['state']['flags'].get('f', 'unset')!r} cond={case['cond'][0]}: "
                          f"checker {in_python}, browser {in_browser}")
    assert len(js) == len(cases)
    assert differ == [], f"{len(differ)} of {len(cases)} differ:\n" + "\n".join(differ)
