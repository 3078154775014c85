"""The case player as a learner meets it (issue 14), on the repository's real case studies in Chromium.

A long scripted path through Abdi (every strong choice, the once-only ones first, so it takes many
decisions) checks what a learner sees at every screen: the contents gives nothing away, the
progress figures are the checker's own and never move back, the focused heading is whole below
the sticky header (at 1280 px and at 400% zoom), and the live region speaks once per choice.
Then Restart, the CPD record and axe.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CHROMIUM_PATH, REPO, serve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM_PATH.exists(), reason="/usr/bin/chromium is not installed (run 'make chromium')"),
]

ABDI = "library/case-studies/abdi.html"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def server(repo_site):
    yield from serve(repo_site)


@pytest.fixture(scope="module")
def abdi():
    from essw.sources import load_library

    library, _ = load_library(REPO)
    return library.entries["abdi"].item


def open_case(page, url):
    page.goto(url, wait_until="load")
    page.locator(".essw-player").wait_for(state="visible", timeout=10_000)


def player_state(page) -> dict:
    return page.evaluate("() => JSON.parse(JSON.stringify(document.querySelector('.essw-case').esswPlayer.state))")


def pick_strong(page, case) -> tuple[str, int]:
    """The choice a careful learner makes: strong practice, once-only steps (hearing more people) first."""
    node = player_state(page)["node"]
    offered = [b.strip() for b in page.locator(".essw-stage .essw-choice-btn").all_inner_texts()]
    choices = [(i, c) for i, c in enumerate(case.nodes[node].choices) if c.label in offered and c.rating in (None, "strong")]
    assert choices, f"no strong choice on offer at {node}: {offered}"
    i, choice = sorted(choices, key=lambda ic: (not ic[1].once, ic[0]))[0]
    return choice.label, i


def screen(page) -> tuple[str, int]:
    return page.locator(".essw-progress-text").inner_text().strip(), int(page.locator(".essw-progress").get_attribute("value"))


def expected_screens(case, path: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """What the progress line must say at each screen, by the checker's rule (casegraph.progress_shown)."""
    from essw.model.play import decisions_left, progress_shown

    left = decisions_left(case)

    def at(name):
        return 0 if case.nodes[name].kind == "end" else max(1, left.get(name, 0))

    out, best = [], 0
    for made, (node, index) in enumerate(path):
        best, total = progress_shown(made, at(node), best)
        out.append((f"Decision {made + 1} of about {total}", best))
        goto = case.nodes[node].choices[index].goto
        best, total = progress_shown(made + 1, at(goto), best)
        words = f"Decision {made + 1}, the last one: feedback" if total == made + 1 else \
            f"Decision {made + 1} of about {total}: feedback"
        out.append((words, best))
    out.append((f"Case complete: {len(path)} decisions made.", 100))
    return out


# The sticky header, and the quick exit bar that sticks below it on pages about abuse.
HEADER_GAP = """(sel) => {
  const target = document.activeElement;
  if (!target || !target.matches(sel)) return {focused: target ? target.outerHTML.slice(0, 80) : null};
  const box = target.getBoundingClientRect();
  const bars = [...document.querySelectorAll('.md-header, [data-essw-exit]')].map(b => b.getBoundingClientRect());
  const headerBottom = Math.max(...bars.filter(b => b.height && b.top < 200).map(b => b.bottom));
  return {top: box.top, bottom: box.bottom, headerBottom, height: window.innerHeight};
}"""


def assert_heading_clear_of_header(page, selector, where):
    gap = page.evaluate(HEADER_GAP, selector)
    assert "top" in gap, (where, gap)
    assert gap["top"] >= gap["headerBottom"], (where, gap)  # not under the sticky header
    assert gap["bottom"] <= gap["height"], (where, gap)  # and not below the screen


WATCH_LIVE = """() => {
  window.__said = [];
  const live = document.querySelector('.essw-live');
  new MutationObserver(() => { const t = live.textContent.trim(); if (t) window.__said.push(t); })
    .observe(live, {childList: true, characterData: true, subtree: true});
}"""


def play_long_path(page, case, *, zoomed=False):
    """Play every strong choice to an ending; return the path and what the learner saw at each screen."""
    page.evaluate(WATCH_LIVE)
    path, seen, said_before = [], [screen(page)], 0
    for _ in range(60):
        if page.locator(".essw-summary").count():
            break
        label, index = pick_strong(page, case)
        node = player_state(page)["node"]
        button = page.locator(".essw-stage .essw-choice-btn", has_text=label)
        if zoomed:  # at 400% zoom a long choice is taller than the space below the sticky bars: use the keyboard
            button.focus()
            page.keyboard.press("Enter")
        else:
            button.click()
        page.locator(".essw-feedback-box").wait_for(state="visible")
        path.append((node, index))
        assert_heading_clear_of_header(page, ".essw-feedback-box h3", f"feedback after {label!r} (zoomed={zoomed})")
        said = page.evaluate("window.__said")
        assert len(said) == said_before + 1, ("one announcement per choice", label, said[said_before:])
        assert said[-1].startswith("You chose: " + label.rstrip(".!?") + "."), said[-1]
        assert label.rstrip(".!?") not in page.evaluate("document.activeElement.textContent"), "heard twice"
        said_before = len(said)
        seen.append(screen(page))
        if zoomed:
            page.locator(".essw-continue").focus()
            page.keyboard.press("Enter")
        else:
            page.locator(".essw-continue").click()
        page.locator(".essw-feedback-box").wait_for(state="detached")
        assert_heading_clear_of_header(page, ".essw-step h3", f"the step after {label!r} (zoomed={zoomed})")
        assert len(page.evaluate("window.__said")) == said_before, "Continue announces nothing more: focus reads the step"
        seen.append(screen(page))
    assert page.locator(".essw-summary").count() == 1, "the long path never reached an ending"
    return path, seen


def test_a_long_strong_path_through_abdi_shows_honest_progress_and_clear_focus(browser, server, abdi):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        open_case(page, f"{server.url}/{ABDI}")
        path, seen = play_long_path(page, abdi)
        assert len(path) >= 12, path  # the careful learner's path is long; the estimate must know it
        # the figures are the checker's own, screen by screen (the same rule in Python and in the player)
        assert seen == expected_screens(abdi, path)
        percents = [p for _, p in seen]
        assert percents == sorted(percents), percents  # never backwards
        assert percents[-1] == 100 and max(percents[:-2]) < 100
        first = re.fullmatch(r"Decision 1 of about (\d+)", seen[0][0])
        assert first and int(first.group(1)) >= len(path) - 5, (seen[0], len(path))  # not "about 2 more"
        # the ending's path holds only strong practice: the CPD record can show it
        ratings = page.locator(".essw-summary .essw-counts").inner_text()
        assert ratings == f"Practice ratings: {len(path)} strong, 0 acceptable, 0 risky."
        assert errors == []
    finally:
        context.close()


def test_at_400_percent_zoom_the_focused_heading_is_still_clear_of_the_header(browser, server, abdi):
    """400% zoom of a 1280 x 1024 window is a 320 x 256 CSS-pixel viewport (WCAG 1.4.10)."""
    context = browser.new_context(viewport={"width": 320, "height": 256})
    try:
        page = context.new_page()
        open_case(page, f"{server.url}/{ABDI}")
        play_long_path(page, abdi, zoomed=True)
    finally:
        context.close()


def test_the_contents_lists_the_outline_only_while_the_player_runs(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        open_case(page, f"{server.url}/{ABDI}")
        toc = page.locator(".md-sidebar--secondary .md-nav--secondary")
        shown = [t.strip() for t in toc.locator("a.md-nav__link:visible").all_inner_texts()]
        assert "Your path" in shown and "What you will learn" in shown and "The case" in shown, shown
        assert not [t for t in shown if t.startswith("Ending")], shown
        hrefs = toc.locator("a.md-nav__link:visible").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert not [h for h in hrefs if h.startswith("#node-")], hrefs
        # every link left goes somewhere on the page
        for href in hrefs:
            assert page.locator(href).count() == 1, href
        page.locator(".md-sidebar--secondary a.md-nav__link", has_text="Your path").click()
        assert page.evaluate("location.hash") == "#your-path"
    finally:
        context.close()
    # without JavaScript every scene and ending is listed, as every branch is on the page
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/{ABDI}", wait_until="load")
        texts = page.locator(".md-sidebar--secondary .md-nav--secondary a.md-nav__link").all_inner_texts()
        assert len([t for t in texts if t.strip().startswith("Ending")]) >= 5, texts
    finally:
        context.close()


def test_restart_asks_first_and_keeps_the_reflection(browser, server, abdi):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        open_case(page, f"{server.url}/{ABDI}")
        play_long_path(page, abdi)
        page.locator(".essw-reflection").fill("I will ask the child first.")
        page.locator(".essw-change").fill("Hear the child before any review.")
        page.locator(".essw-restart").click()
        confirm = page.locator(".essw-confirm")
        assert confirm.is_visible()
        assert page.evaluate("document.activeElement.classList.contains('essw-confirm-q')")
        assert page.locator(".essw-summary").is_visible()  # nothing has happened yet
        page.locator(".essw-restart-no").click()
        assert confirm.is_hidden() and page.locator(".essw-summary").is_visible()
        assert page.evaluate("document.activeElement.classList.contains('essw-restart')")  # back where they were
        # yes, keeping what was written (the box to delete it is not ticked unless the learner ticks it)
        page.locator(".essw-restart").click()
        assert not page.locator(".essw-drop-notes").is_checked()
        page.locator(".essw-restart-yes").click()
        assert page.locator(".essw-stage h3").first.inner_text().strip() == abdi.nodes[abdi.start].title
        state = player_state(page)
        assert state["history"] == [] and state["reflection"] == "I will ask the child first."
        assert state["change"] == "Hear the child before any review."
        page.reload(wait_until="load")
        page.locator(".essw-player").wait_for(state="visible")
        assert player_state(page)["reflection"] == "I will ask the child first."
        # and deleting it is a choice the learner makes
        page.locator(".essw-restart").click()
        page.locator(".essw-drop-notes").check()
        page.locator(".essw-restart-yes").click()
        assert page.evaluate("localStorage.getItem('essw-case:abdi')") is None
    finally:
        context.close()


RECORD_PARTS = ["Name", "Role", "Type of CPD", "Activity", "Date", "Time spent", "Ending reached"]
RECORD_HEADINGS = ["Learning outcomes", "Path taken and practice ratings", "Debrief", "What I learnt",
                   "What I will do differently in my practice", "Peer reflection"]


def test_the_cpd_record_made_by_playing_abdi_holds_every_part(browser, server, abdi, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    try:
        page = context.new_page()
        open_case(page, f"{server.url}/{ABDI}")
        path, _ = play_long_path(page, abdi)
        page.locator(".essw-learner-name").fill("Sam <b>Example</b>")
        page.locator(".essw-learner-role").fill("Social worker in schools")
        page.locator(".essw-reflection").fill("Hearing Abdi <i>himself</i> changed the plan.\n# not a heading")
        page.locator(".essw-change").fill("I will ask the child before every review.")
        page.locator(".essw-peer").fill("My supervisor asked what Abdi would say about the plan.")
        page.locator(".essw-show-record").click()
        record = page.locator(".essw-record")
        record.wait_for(state="visible")
        assert page.evaluate("document.activeElement.tagName") == "H2"
        text = record.inner_text()
        for part in RECORD_PARTS:
            assert re.search(rf"^{part}: \S", text, re.M), (part, text)
        headings = [h.strip() for h in record.locator("h3").all_inner_texts()]
        assert headings == RECORD_HEADINGS
        for outcome in abdi.learning_outcomes:
            assert " ".join(outcome.split()) in " ".join(text.split())
        assert record.locator("ol > li").count() == len(path)
        assert "Name: Sam <b>Example</b>" in text  # the learner's words, as text
        assert record.locator("b, i, script").count() == 0  # no raw HTML became markup
        assert re.search(r"^Time spent: about \d+ minutes?, measured on this device", text, re.M)
        assert re.search(r"What good practice looked like: \S", text)
        assert record.locator("h4", has_text="Questions for supervision").count() == 1
        ending = abdi.nodes[player_state(page)["node"]]
        assert record.locator("h4 + ul > li").count() == len(ending.debrief.questions)
        assert "Social Work England" in text
        # print shows the record alone
        page.emulate_media(media="print")
        page.wait_for_function("document.documentElement.classList.contains('essw-print-record')", timeout=3000)
        assert record.is_visible()
        assert page.locator(".md-content__inner > h1").is_hidden()
        assert page.locator(".essw-case > section.essw-node").count() == 0
        page.emulate_media(media="screen")
        # the Markdown copy holds the same parts, and no HTML
        with page.expect_download() as info:
            record.locator(".essw-cpd").click()
        markdown_text = Path(info.value.path()).read_text(encoding="utf-8")
        for part in RECORD_PARTS:
            assert re.search(rf"^{part}: \S", markdown_text, re.M), part
        for heading in RECORD_HEADINGS:
            assert f"\n## {heading}\n" in markdown_text
        import markdown

        html = markdown.markdown(markdown_text)
        assert not re.search(r"<(b|i|script)\b", html), html
    finally:
        context.close()


def test_axe_finds_nothing_on_the_restart_question_and_the_cpd_record(browser, server, abdi):
    from axe_playwright_python.sync_playwright import Axe

    problems = []
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 375, "height": 740}, color_scheme=scheme)
        try:
            page = context.new_page()
            open_case(page, f"{server.url}/{ABDI}")
            play_long_path(page, abdi)
            page.locator(".essw-reflection").fill("A reflection.")
            for state, action in (("restart question", lambda: page.locator(".essw-restart").click()),
                                  ("cpd record", lambda: (page.locator(".essw-restart-no").click(),
                                                          page.locator(".essw-show-record").click()))):
                action()
                page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')", timeout=5000)
                results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
                problems += [f"{scheme} {state}: {v['id']} {[n['target'] for n in v['nodes']][:3]}"
                             for v in results.response["violations"]]
        finally:
            context.close()
    assert problems == [], "\n".join(problems)
