"""Facilitator mode (essw/assets/group-mode.js): a case run with a group, on a projector, in Chromium.

The fixture project gets the engine tests' home-visit case (conftest.HOME_VISIT) with discussion
questions written for one scene, and a second case whose every text is made of Markdown and HTML,
so the downloaded session notes can be shown to carry none of it as structure.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import markdown
import pytest

from conftest import CHROMIUM_PATH, GOVERNANCE, HOME_VISIT_PAGE, REPO, Project, add_home_visit, make_project, serve, watch
from essw.model.play import holds as python_holds
from essw.model.case import Condition
from test_case_engine import _axe  # the engine tests' axe run (WCAG 2.2 A and AA)

HOME_VISIT_DISCUSS = """\
    discuss:
      - Why might Mum agree to talk now?
      - What would you write down after this visit?
"""

TRICKY_FILE = "scenarios/tricky-notes.yml"
TRICKY_PAGE = "library/case-studies/tricky-notes"
TRICKY_TITLE = "Notes *with* <b>marks</b> & [a link](https://example.org)"
TRICKY_STEP = "# Heading <img src=x onerror=alert(1)>"
TRICKY_LABEL = "1. Do `this` <script>alert(1)</script> **now**"
TRICKY_OTHER = "- Listen | and | wait _quietly_"
TRICKY_END = "> The end <u>here</u>"
TRICKY_GOOD = "Use *care* &amp; <em>thought</em>"
TRICKY_QUESTION = "Was it __right__? <a href='x'>link</a>"


def tricky_case() -> str:
    q = json.dumps
    return f"""\
id: tricky-notes
title: {q(TRICKY_TITLE)}
summary: A case whose text is all marks, to test the session notes.
audiences: [trainers]
composite: true
level_of_need: 1
spectrum: prevention
minutes: 5
learning_outcomes:
  - {q("Outcome with ## hashes and <i>tags</i>")}
{GOVERNANCE}start: first
nodes:
  first:
    title: {q(TRICKY_STEP)}
    text: Something happens in class.
    choices:
      - label: {q(TRICKY_LABEL)}
        goto: done
        feedback: That was fine.
        rating: strong
      - label: {q(TRICKY_OTHER)}
        goto: done
        feedback: That was risky.
        rating: risky
  done:
    kind: end
    title: {q(TRICKY_END)}
    text: {q("=== underline <b>bold</b>")}
    debrief:
      good_practice: {q(TRICKY_GOOD)}
      questions:
        - {q(TRICKY_QUESTION)}
"""


def prepare(project):
    """The home-visit case with questions for the kitchen, and the case made of marks."""
    project.replace("scenarios/home-visit.yml", "    text: You sit at the kitchen table with Mum.\n",
                    "    text: You sit at the kitchen table with Mum.\n" + HOME_VISIT_DISCUSS)
    project.write_raw(TRICKY_FILE, tricky_case())
    return project


pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM_PATH.exists(), reason="/usr/bin/chromium is not installed (run 'make chromium')"),
]

GROUP_JS = REPO / "essw" / "assets" / "group-mode.js"
KEY = "essw-case:home-visit"
GROUP_KEY = "essw-group:home-visit"
RATINGS = {"strong": "Strong practice", "acceptable": "Acceptable", "risky": "Risky"}
GENERAL_PROMPTS = ["What else would you want to know?", "Who else should be involved?",
                   "What might the child and the family be feeling?"]
KITCHEN_PROMPTS = ["Why might Mum agree to talk now?", "What would you write down after this visit?"]
VARIANT_TEXT = "Mum says she is glad you explained yourself first."
FEEDBACK = {  # every feedback of the home-visit case, which must not show before it is revealed
    "Explain why you have come": "Being open from the start builds trust.",
    "Ask to come in straight away": "Mum feels rushed and says very little.",
    "Admire the family photos": "A small kindness puts Mum at ease.",
    "Agree a plan together": "Planning with the family works best.",
    "Leave and write it up later": "Leaving without a plan means the worry stays.",
}
KEYS_LINE = "1 \u2013 9 choose, R reveal, \u2192 next, \u2190 back, T timer, F full screen, Esc close"


# -- fixtures -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def group_site(tmp_path_factory) -> Project:
    """The fixture project, the home-visit case with questions for the kitchen, and the case of marks."""
    project = prepare(add_home_visit(Project(make_project(tmp_path_factory.mktemp("group") / "project"))))
    result = project.run("build", "--no-packs")
    assert result.returncode == 0, result.output
    return project


@pytest.fixture(scope="module")
def server(group_site):
    yield from serve(group_site.path("site"))


@pytest.fixture(scope="module")
def case_url(server) -> str:
    return f"{server.url}/{HOME_VISIT_PAGE}.html"


@pytest.fixture
def projector(browser):
    """A 1280 x 720 window (a projector's), which may download files."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    yield watch(context.new_page())
    context.close()


# -- helpers: everything by the keyboard ------------------------------------------------------------------

ACTIVE = "(() => { const a = document.activeElement; return a ? a.textContent.trim() : ''; })()"
IN_DIALOG = "(() => !!document.activeElement && !!document.activeElement.closest('dialog.essw-group'))()"


def tab_to(page, text, *, limit=400):
    """Press Tab until the focused element's text is ``text``; never the mouse."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(ACTIVE)
        if now == text:
            return
        seen.append(now[:40])
    raise AssertionError(f"Tab never reached {text!r}; focus went through {seen[-30:]}")


def open_group(page, url):
    """Load the case page and open the projector view with Tab and Enter."""
    page.goto(url, wait_until="load")
    page.locator(".essw-group-open-btn").wait_for(state="visible", timeout=10_000)
    tab_to(page, "Run this case with a group")
    page.keyboard.press("Enter")
    page.locator("dialog.essw-group[open]").wait_for()
    assert page.evaluate("document.querySelector('dialog.essw-group').matches(':modal')")
    assert page.evaluate(IN_DIALOG)
    return page.locator("dialog.essw-group")


def view(page) -> dict:
    """What the projector view shows now."""
    return page.evaluate("""() => {
      const d = document.querySelector('dialog.essw-group'), q = s => d.querySelector(s);
      const texts = s => Array.from(d.querySelectorAll(s)).map(e => e.textContent.replace(/\\s+/g, ' ').trim());
      return {
        stage: d.getAttribute('data-stage'),
        scene: q('.essw-group-scene') ? q('.essw-group-scene').textContent.trim() : null,
        choices: texts('.essw-group-choice > span:last-child'),
        numbers: texts('.essw-group-num'),
        chose: q('.essw-group-room-chose') ? q('.essw-group-room-chose').textContent.trim() : null,
        rating: q('.essw-group-rating') ? q('.essw-group-rating').textContent.trim() : null,
        feedback: texts('.essw-group-chosen .essw-feedback').join(' '),
        prompts: texts('.essw-group-prompts li'),
        situation: texts('.essw-group-situation').join(' '),
        text: Array.from(d.querySelectorAll('.essw-group-frame > :not(.essw-group-live)')).map(e => e.innerText).join(' '),
        focused: document.activeElement ? document.activeElement.className : '',
      };
    }""")


def press(page, key):
    page.keyboard.press(key)
    return view(page)


def nothing_given_away(v, feedback_texts):
    """Before the reveal: no rating and no feedback anywhere in the view."""
    for word in ["Practice rating", *RATINGS.values()]:
        assert word not in v["text"], (word, v["text"])
    for fb in feedback_texts:
        assert fb[:60] not in v["text"], fb
    assert v["rating"] is None and v["feedback"] == ""


def download_notes(page):
    """Tab to 'Download session notes' and press Enter; the file's name and text."""
    with page.expect_download() as info:
        tab_to(page, "Download session notes")
        page.keyboard.press("Enter")
    download = info.value
    return download.suggested_filename, Path(download.path()).read_text(encoding="utf-8")


class Tags(HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


NOTES_TAGS = {"h1", "h2", "p", "ol", "ul", "li"}  # the structure the notes make themselves


def rendered(notes: str) -> Tags:
    """The notes as Markdown renders them: only the notes' own structure, no attributes."""
    parsed = Tags(markdown.markdown(notes))
    assert {t for t, _ in parsed.tags} <= NOTES_TAGS, sorted({t for t, _ in parsed.tags})
    assert all(attrs == [] for _, attrs in parsed.tags)
    return parsed


def today_dates():
    return {(dt.datetime.now() + dt.timedelta(days=d)).date().isoformat() for d in (-1, 0, 1)}


def foreign(page):
    return [u for u in page.requested
            if urlparse(u).scheme not in ("data", "blob", "file") and urlparse(u).hostname != "127.0.0.1"]


def storage(page, which="localStorage"):
    return page.evaluate(f"Object.fromEntries(Object.keys(window.{which}).map(k => [k, window.{which}.getItem(k)]))")


# -- without JavaScript ---------------------------------------------------------------------------------

def test_without_javascript_nothing_changes(browser, case_url, group_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(case_url, wait_until="load")
        assert page.locator(".essw-group-launch, .essw-group-open-btn, dialog.essw-group").count() == 0
        assert page.get_by_text("Run this case with a group").count() == 0
        assert page.locator("section.essw-node#node-door").is_visible()
        # the author's questions are on the page for a reader without JavaScript, with the scene
        kitchen = page.locator("#node-kitchen .essw-discuss")
        assert kitchen.is_visible() and all(q in kitchen.inner_text() for q in KITCHEN_PROMPTS)
    finally:
        context.close()
    # and the button is made by the script, not written into the page
    assert "Run this case with a group" not in group_site.read(f"site/{HOME_VISIT_PAGE}.html")


# -- the whole session by the keyboard -----------------------------------------------------------------------

def test_keyboard_only_session_to_an_ending_with_notes(projector, case_url):
    page = projector
    # the learner's own progress on this device, which the group session must leave exactly as it is
    page.goto(case_url, wait_until="load")
    page.locator(".essw-stage .essw-choice-btn", has_text="Ask to come in straight away").click()
    page.locator(".essw-feedback-box").wait_for()
    learner = storage(page)
    assert KEY in learner

    dialog = open_group(page, case_url)
    assert page.locator(".essw-group-keys").is_visible()
    assert " ".join(page.locator(".essw-group-keys").inner_text().split()) == "Keys: " + KEYS_LINE
    v = view(page)
    assert (v["stage"], v["scene"]) == ("choose", "At the door")
    assert "Mum opens the door and looks worried." in v["situation"]
    assert v["choices"] == ["Explain why you have come", "Ask to come in straight away"]
    assert v["numbers"] == ["1", "2"]
    nothing_given_away(v, FEEDBACK.values())
    # keys that have nothing to do yet do nothing
    for key in ("r", "R", "ArrowRight", "3", "9", "0"):
        assert press(page, key)["stage"] == "choose", key
    assert page.locator(".essw-group-back").is_disabled()

    v = press(page, "2")  # the room chooses the second
    assert v["stage"] == "chosen" and v["chose"] == "The room chose: Ask to come in straight away"
    nothing_given_away(v, FEEDBACK.values())
    assert "essw-group-reveal" in v["focused"]
    # numbers only work while a choice can be made
    assert press(page, "1")["chose"] == "The room chose: Ask to come in straight away"
    assert press(page, "ArrowRight")["stage"] == "chosen"  # no going on before the reveal
    assert page.locator(".essw-group-next").is_disabled()

    v = press(page, "r")
    assert v["stage"] == "revealed"
    assert v["rating"] == "Practice rating: Risky"
    assert FEEDBACK["Ask to come in straight away"] in v["feedback"]
    assert v["prompts"] == GENERAL_PROMPTS  # the author wrote none for this scene
    assert "essw-group-rating" in v["focused"]
    page.wait_for_function("document.querySelector('.essw-group-live').textContent === 'Practice rating: Risky.'")

    v = press(page, "ArrowRight")
    assert (v["stage"], v["scene"]) == ("choose", "In the kitchen")
    # the player's rules: no consent, so no variant and no "Agree a plan together"
    assert v["choices"] == ["Admire the family photos", "Leave and write it up later"]
    assert VARIANT_TEXT not in v["text"]
    nothing_given_away(v, FEEDBACK.values())

    # Back undoes one step at a time: the move on, then the choice itself (and the flag with it)
    v = press(page, "ArrowLeft")
    assert (v["stage"], v["scene"], v["rating"]) == ("revealed", "At the door", "Practice rating: Risky")
    v = press(page, "ArrowLeft")
    assert (v["stage"], v["scene"], v["chose"]) == ("choose", "At the door", None)
    assert v["choices"] == ["Explain why you have come", "Ask to come in straight away"]
    nothing_given_away(v, FEEDBACK.values())
    assert page.locator(".essw-group-back").is_disabled()

    press(page, "1")
    page.keyboard.press("Enter")  # Enter reveals too (here on the focused Reveal button)
    v = view(page)
    assert v["rating"] == "Practice rating: Strong practice" and FEEDBACK["Explain why you have come"] in v["feedback"]
    v = press(page, "ArrowRight")
    assert v["scene"] == "In the kitchen" and VARIANT_TEXT in v["situation"]
    assert v["choices"] == ["Admire the family photos", "Agree a plan together", "Leave and write it up later"]
    assert v["numbers"] == ["1", "2", "3"]
    nothing_given_away(v, FEEDBACK.values())

    v = press(page, "1")  # the once-only choice
    assert v["chose"] == "The room chose: Admire the family photos"
    page.evaluate("document.activeElement.blur()")  # Enter away from any button reveals as well
    page.locator(".essw-group-main").focus()
    v = press(page, "Enter")
    assert v["rating"] == "Practice rating: Acceptable" and FEEDBACK["Admire the family photos"] in v["feedback"]
    assert v["prompts"] == KITCHEN_PROMPTS  # the author's own questions for this scene
    v = press(page, "ArrowRight")
    assert v["scene"] == "In the kitchen"
    assert v["choices"] == ["Agree a plan together", "Leave and write it up later"]  # used once: gone
    assert v["numbers"] == ["1", "2"]

    v = press(page, "1")
    assert v["chose"] == "The room chose: Agree a plan together"
    nothing_given_away(v, FEEDBACK.values())
    v = press(page, "R")
    assert v["rating"] == "Practice rating: Strong practice"
    v = press(page, "ArrowRight")
    assert (v["stage"], v["scene"]) == ("end", "Ending: A plan")
    assert "You and Mum agree a plan and write it down together." in v["situation"]
    debrief = dialog.locator(".essw-group-debrief")
    assert debrief.is_visible()
    assert "Explain, listen, then plan together." in debrief.inner_text()
    assert "What made the plan possible?" in debrief.inner_text()
    path = [" ".join(t.split()) for t in dialog.locator(".essw-group-path > li").all_inner_texts()]
    assert path == ["At the door: Explain why you have come (Strong practice)",
                    "In the kitchen: Admire the family photos (Acceptable)",
                    "In the kitchen: Agree a plan together (Strong practice)"]
    for key in ("1", "2", "r", "ArrowRight"):
        assert press(page, key)["stage"] == "end", key

    name, notes = download_notes(page)
    date = re.findall(r"^Date: (\d{4}-\d{2}-\d{2})$", notes, re.M)
    assert len(date) == 1 and date[0] in today_dates(), notes
    assert name == f"session-notes-home-visit-{date[0]}.md"
    lines = notes.splitlines()
    assert lines[0] == "# Session notes: A home visit"
    assert "Case study: A home visit" in lines
    assert "- Explain why you have come before asking anything." in lines
    assert "- Agree and record a plan with the family." in lines
    steps = [line for line in lines if re.match(r"^\d+\. ", line)]
    assert [re.sub(r"^(\d+)\. \d{2}:\d{2}, ", r"\1. ", s) for s in steps] == [
        "1. At the door: the room chose 'Explain why you have come' [Strong practice]",
        "2. In the kitchen: the room chose 'Admire the family photos' [Acceptable]",
        "3. In the kitchen: the room chose 'Agree a plan together' [Strong practice]",
    ]  # and not the choice that was undone
    assert "Ask to come in straight away" not in notes
    assert "Practice ratings: 2 strong, 1 acceptable, 0 risky." in lines
    ending = notes.split("## Ending reached: A plan\n", 1)[1].split("## Notes", 1)[0]
    assert "You and Mum agree a plan and write it down together." in ending
    assert "What good practice looked like: Explain, listen, then plan together." in ending
    assert "- What made the plan possible?" in ending
    assert "\n\n\n\n\n" in notes.split("## Notes", 1)[1]  # room to write
    parsed = rendered(notes)
    assert [t for t, _ in parsed.tags].count("h1") == 1
    page.wait_for_function("document.querySelector('.essw-group-live').textContent.includes('downloaded')")

    # Esc closes the view and gives the focus back to the button that opened it
    page.keyboard.press("Escape")
    page.locator("dialog.essw-group").wait_for(state="hidden")
    page.evaluate("new Promise(done => setTimeout(done, 200))")  # and it stays there
    assert page.evaluate("document.activeElement.textContent.trim()") == "Run this case with a group"
    # the learner's own player and progress are as they were
    assert storage(page) == learner
    assert page.locator(".essw-feedback-box .essw-you-chose").inner_text() == "You chose: Ask to come in straight away"
    # the session stays in this tab only, under its own key
    session = storage(page, "sessionStorage")
    assert list(session) == [GROUP_KEY]
    assert foreign(page) == [] and page.requested
    assert page.context.cookies() == []
    assert page.errors == []


def test_focus_stays_in_the_view_and_every_control_is_reachable(projector, case_url):
    page = projector
    open_group(page, case_url)
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        inside = page.evaluate(IN_DIALOG)
        outside = page.evaluate("(() => { const a = document.activeElement;"
                                " return !!a && a !== document.body && !a.closest('dialog.essw-group'); })()")
        assert not outside, page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
        if inside:
            seen.add(page.evaluate(ACTIVE))
    for label in ("Full screen (F)", "Download session notes", "Start again", "Close (Esc)",
                  "Start timer (T)", "Reset", "\u2212 1 min", "+ 1 min",
                  "1Explain why you have come", "2Ask to come in straight away"):
        assert label in seen, (label, seen)
    # a focused control shows it
    tab_to(page, "Reset")
    outline = page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
    assert outline[0] != "none" and outline[1] >= 2, outline


# -- large text, large controls ---------------------------------------------------------------------------

def test_text_is_large_and_controls_are_big_enough(projector, case_url):
    page = projector
    open_group(page, case_url)

    def sizes():
        return page.evaluate("""() => {
          const d = document.querySelector('dialog.essw-group'), px = e => parseFloat(getComputedStyle(e).fontSize);
          const boxes = Array.from(d.querySelectorAll('button, a[href], [tabindex="0"]'))
            .filter(e => e.getClientRects().length).map(e => { const r = e.getBoundingClientRect();
              return [e.textContent.trim().slice(0, 30), r.width, r.height]; });
          const body = Array.from(d.querySelectorAll('.essw-group-situation p, .essw-group-choice, .essw-group-room-chose,'
            + ' .essw-group-chosen .essw-feedback p, .essw-group-prompts li, .essw-group-debrief p')).map(px);
          const frame = d.getBoundingClientRect();
          return {boxes, body, frame: [frame.width, frame.height]};
        }""")

    def check(label):
        s = sizes()
        assert s["frame"] == [1280, 720], (label, s["frame"])  # the whole window
        assert s["body"] and min(s["body"]) >= 28, (label, s["body"])
        small = [b for b in s["boxes"] if b[1] < 24 or b[2] < 24]
        assert small == [], (label, small)

    check("choose")
    page.keyboard.press("1")
    check("chosen")
    page.keyboard.press("r")
    check("revealed")
    for key in ("ArrowRight", "3", "r", "ArrowRight"):
        page.keyboard.press(key)
    assert view(page)["stage"] == "end"
    check("end")


# -- the timer -----------------------------------------------------------------------------------------------

def test_discussion_timer_by_keyboard_without_sound(projector, case_url):
    page = projector
    page.add_init_script("""
      window.__sounds = 0;
      const play = HTMLMediaElement.prototype.play;
      HTMLMediaElement.prototype.play = function () { window.__sounds++; return play.apply(this, arguments); };
      for (const name of ['AudioContext', 'webkitAudioContext']) {
        if (window[name]) { const Real = window[name];
          window[name] = function () { window.__sounds++; return new Real(); }; }
      }
      if (window.speechSynthesis) { const speak = speechSynthesis.speak.bind(speechSynthesis);
        speechSynthesis.speak = u => { window.__sounds++; return speak(u); }; }
    """)
    page.clock.install()
    open_group(page, case_url)
    clock = page.locator(".essw-group-clock")
    said = page.locator(".essw-group-timer-live")
    assert said.get_attribute("aria-live") == "polite" and said.get_attribute("role") == "status"
    assert clock.inner_text() == "3:00"
    assert float(clock.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 28

    page.keyboard.press("t")
    assert said.text_content() == "Timer started: 3 minutes."
    assert page.locator(".essw-group-timer-start").inner_text() == "Pause timer (T)"
    page.clock.run_for(61_000)
    assert clock.inner_text() == "1:59"
    assert said.text_content() == "Timer started: 3 minutes."  # said once, not every second
    page.keyboard.press("T")
    assert said.text_content() == "Timer paused: 1 minute 59 seconds left."
    page.clock.run_for(30_000)
    assert clock.inner_text() == "1:59"
    page.keyboard.press("t")
    page.clock.run_for(120_000)
    assert clock.inner_text() == "0:00 \u2013 time is up"
    assert said.text_content() == "Time is up."
    # the timer keeps working alongside the case: a choice while it runs changes nothing on it
    tab_to(page, "Reset")
    page.keyboard.press("Enter")
    assert clock.inner_text() == "3:00" and said.text_content() == "Timer reset to 3 minutes."
    tab_to(page, "+ 1 min")
    page.keyboard.press("Enter")
    assert clock.inner_text() == "4:00" and said.text_content() == "The timer is set to 4 minutes."
    page.keyboard.press("t")
    page.keyboard.press("1")
    page.clock.run_for(5_000)
    assert clock.inner_text() == "3:55" and view(page)["stage"] == "chosen"
    page.keyboard.press("Escape")  # closing the view stops the timer
    page.clock.run_for(10_000)
    assert clock.inner_text() == "3:55"
    assert page.evaluate("window.__sounds") == 0
    assert page.locator("audio, video").count() == 0
    assert page.errors == []


# -- the session kept in the tab -------------------------------------------------------------------------

def test_a_reload_carries_on_and_a_bad_stored_session_is_thrown_away(projector, case_url):
    page = projector
    open_group(page, case_url)
    for key in ("1", "r", "ArrowRight", "1", "r"):
        page.keyboard.press(key)
    page.reload(wait_until="load")
    page.locator(".essw-group-open-btn").click()
    v = view(page)
    assert (v["stage"], v["scene"], v["rating"]) == ("revealed", "In the kitchen", "Practice rating: Acceptable")
    notice = page.locator(".essw-group-notice")
    assert re.fullmatch(r"Carrying on with the session started at \d{2}:\d{2}\.", notice.inner_text().strip())
    # once-only and flags came back with it
    page.keyboard.press("ArrowRight")
    assert view(page)["choices"] == ["Agree a plan together", "Leave and write it up later"]
    good = json.loads(page.evaluate(f"sessionStorage.getItem({json.dumps(GROUP_KEY)})"))
    assert set(good) == {"hash", "steps", "stage", "started"}

    def tampered(**change):
        return json.dumps({**good, **change})

    bad = [
        "not json",
        "[]",
        tampered(hash="0000000000000000"),  # the case has changed since
        tampered(extra=1),
        tampered(stage="finished"),
        tampered(steps=[{"node": "door", "choice": 7, "at": 1}]),  # no such choice
        tampered(steps=[{"node": "kitchen", "choice": 0, "at": 1}]),  # not where the case starts
        # "Agree a plan" without consent: a walk the room could not have taken
        tampered(steps=[{"node": "door", "choice": 1, "at": 1}, {"node": "kitchen", "choice": 1, "at": 2}], stage="chosen"),
        # the once-only choice twice
        tampered(steps=[{"node": "door", "choice": 0, "at": 1}, {"node": "kitchen", "choice": 0, "at": 2},
                        {"node": "kitchen", "choice": 0, "at": 3}], stage="chosen"),
        tampered(steps=[{"node": "door", "choice": 0, "at": "<img src=x onerror=alert(1)>"}]),
        tampered(stage="chosen", steps=[]),
        "x" * 300_000,
    ]
    for raw in bad:
        page.evaluate("([k, v]) => sessionStorage.setItem(k, v)", [GROUP_KEY, raw])
        page.reload(wait_until="load")
        page.locator(".essw-group-open-btn").click()
        v = view(page)
        assert (v["stage"], v["scene"]) == ("choose", "At the door"), raw[:80]
        assert "could not be used" in page.locator(".essw-group-notice").inner_text(), raw[:80]
        assert page.evaluate(f"sessionStorage.getItem({json.dumps(GROUP_KEY)})") is None, raw[:80]
    assert page.errors == []
    assert KEY not in storage(page)  # the learner's key was never written


def test_start_again_asks_first(projector, case_url):
    page = projector
    open_group(page, case_url)
    for key in ("1", "r", "ArrowRight"):
        page.keyboard.press(key)
    tab_to(page, "Start again")
    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE).startswith("Start the group session again?")
    tab_to(page, "No, carry on")
    page.keyboard.press("Enter")
    assert view(page)["scene"] == "In the kitchen"
    tab_to(page, "Start again")
    page.keyboard.press("Enter")
    tab_to(page, "Yes, start again")
    page.keyboard.press("Enter")
    v = view(page)
    assert (v["stage"], v["scene"]) == ("choose", "At the door")
    assert page.evaluate(f"sessionStorage.getItem({json.dumps(GROUP_KEY)})") is None


# -- the notes carry no Markdown or HTML from the case ---------------------------------------------------------

def test_notes_and_view_show_case_text_as_text(projector, server):
    page = projector
    open_group(page, f"{server.url}/{TRICKY_PAGE}.html")
    dialog = page.locator("dialog.essw-group")
    assert page.locator(".essw-group-title").inner_text() == "Group session: " + TRICKY_TITLE
    v = view(page)
    assert v["scene"] == TRICKY_STEP
    assert v["choices"] == [TRICKY_LABEL, TRICKY_OTHER]
    assert dialog.locator("img, script, b, u, em").count() == 0
    for key in ("1", "r"):
        page.keyboard.press(key)
    # undo and choose again: the notes hold the path as the room left it
    for key in ("ArrowLeft", "2", "ArrowLeft", "1", "r", "ArrowRight"):
        page.keyboard.press(key)
    v = view(page)
    assert (v["stage"], v["scene"]) == ("end", "Ending: " + TRICKY_END)
    assert dialog.locator("img, script").count() == 0
    _, notes = download_notes(page)
    parsed = rendered(notes)
    html_text = markdown.markdown(notes)
    for tag in ("<img", "<script", "<b>", "<u>", "<em>", "<i>", "<strong>", "<code>", "<a ", "<h3", "<blockquote", "<hr"):
        assert tag not in html_text, (tag, html_text)
    assert [t for t, _ in parsed.tags].count("h1") == 1
    headings = re.findall(r"<h2>(.*?)</h2>", html_text)
    assert len(headings) == 4, headings  # outcomes, path, ending, notes: nothing from the case made one
    # every text reads as written (Python-Markdown keeps the backslash before | and =, which it does not escape)
    shown = re.sub(r"\\(?=[|=~])", "", "".join(parsed.text))
    # the titles, labels and outcomes as the author wrote them; the ending and debrief as the page shows
    # them (their Markdown rendered, so '__right__' reads 'right', and '&amp;' as written)
    for text in (TRICKY_TITLE, TRICKY_STEP, TRICKY_LABEL, TRICKY_END, "Outcome with ## hashes and <i>tags</i>",
                 "=== underline <b>bold</b>", "Use care &amp; <em>thought</em>", "Was it right? <a href='x'>link</a>"):
        assert text in shown, (text, shown)
    path = [line for line in notes.splitlines() if re.match(r"^\d+\. ", line)]
    assert len(path) == 1 and path[0].endswith("[Strong practice]"), path
    assert page.errors == []


# -- from a folder, with no connection ------------------------------------------------------------------------

def test_works_from_a_folder(browser, group_site):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True, offline=True)
    try:
        page = watch(context.new_page())
        url = group_site.path(f"site/{HOME_VISIT_PAGE}.html").as_uri()
        open_group(page, url)
        for key in ("1", "r", "ArrowRight", "3", "r", "ArrowRight"):
            page.keyboard.press(key)
        assert view(page)["scene"] == "Ending: No plan"
        _, notes = download_notes(page)
        assert "## Ending reached: No plan" in notes
        assert [u for u in page.requested if urlparse(u).scheme not in ("file", "data", "blob")] == []
        assert page.errors == []
    finally:
        context.close()


# -- accessibility ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_the_view(browser, case_url, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, color_scheme=scheme)
    try:
        page = watch(context.new_page())
        page.goto(case_url, wait_until="load")
        page.locator(".essw-group-open-btn").wait_for()
        problems = _axe(page, "the page with its button")
        open_group(page, case_url)
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        problems += _axe(page, "choose")
        page.keyboard.press("1")
        problems += _axe(page, "chosen")
        page.keyboard.press("r")
        problems += _axe(page, "revealed")
        page.keyboard.press("t")
        for key in ("ArrowRight", "1", "r", "ArrowRight", "1", "r", "ArrowRight"):
            page.keyboard.press(key)
        assert view(page)["stage"] == "end"
        problems += _axe(page, "end")
        tab_to(page, "Start again")
        page.keyboard.press("Enter")
        problems += _axe(page, "start again?")
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


def test_phone_sized_window_still_works(browser, case_url):
    context = browser.new_context(viewport={"width": 375, "height": 740}, accept_downloads=True)
    try:
        page = watch(context.new_page())
        open_group(page, case_url)
        for key in ("1", "r"):
            page.keyboard.press(key)
        assert view(page)["rating"] == "Practice rating: Strong practice"
        overflow = page.evaluate("(() => { const d = document.querySelector('dialog.essw-group');"
                                 " return d.scrollWidth - d.clientWidth; })()")
        assert overflow <= 0
        assert _axe(page, "phone revealed") == []
    finally:
        context.close()


# -- the real Abdi case, played by the room's strongest choices -----------------------------------------------

def offered(data, name, flags, visited, used):
    out = []
    for i, c in enumerate(data["nodes"][name]["choices"]):
        if c["once"] and f"{name}/{i}" in used:
            continue
        if c["when"] and not python_holds([Condition(**w) for w in c["when"]], flags, frozenset(visited)):
            continue
        out.append(i)
    return out


@pytest.fixture(scope="module")
def repo_server(repo_site):
    yield from serve(repo_site)


def test_abdi_played_through_with_the_checkers_rules(repo_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    try:
        page = watch(context.new_page())
        url = f"{repo_server.url}/library/case-studies/abdi.html"
        open_group(page, url)
        # a long scene is read by scrolling the view with the keyboard
        page.keyboard.press("PageDown")
        page.wait_for_function("document.querySelector('.essw-group-main').scrollTop > 0", timeout=3000)
        page.keyboard.press("Home")
        page.wait_for_function("document.querySelector('.essw-group-main').scrollTop === 0", timeout=3000)
        data = json.loads(page.locator(".essw-case").get_attribute("data-case"))
        node, flags, visited, used, taken = data["start"], {}, [data["start"]], [], []
        for _ in range(60):
            v = view(page)
            if data["nodes"][node]["kind"] == "end":
                break
            own = page.evaluate("""(name) => {
              const root = document.querySelector('.essw-case');
              const s = window.esswCaseEngine.scenes(root).find(x => x.getAttribute('data-node') === name);
              return {prompts: Array.from(s.querySelectorAll('.essw-discuss li')).map(li => li.textContent.replace(/\\s+/g, ' ').trim()),
                      feedback: Array.from(s.querySelectorAll('.essw-feedback')).map(f => f.textContent.replace(/\\s+/g, ' ').replace(/^Feedback: /, '').trim())};
            }""", node)
            choices = data["nodes"][node]["choices"]
            on_offer = offered(data, node, flags, visited, used)
            assert v["scene"] == data["nodes"][node]["title"]
            assert v["choices"] == [choices[i]["label"] for i in on_offer], node
            assert v["numbers"] == [str(n + 1) for n in range(len(on_offer))]
            nothing_given_away(v, own["feedback"])
            pick = next((n for n, i in enumerate(on_offer) if choices[i]["rating"] == "strong"), 0)
            index = on_offer[pick]
            v = press(page, str(pick + 1))
            assert v["chose"] == "The room chose: " + choices[index]["label"]
            nothing_given_away(v, own["feedback"])
            v = press(page, "r")
            rating = choices[index]["rating"]
            assert v["rating"] == ("Practice rating: " + RATINGS[rating] if rating else "Feedback")
            assert own["feedback"][index][:60] in v["feedback"]
            assert v["prompts"] == (own["prompts"] or GENERAL_PROMPTS)
            if not taken:
                problems = _axe(page, "abdi revealed")
                assert problems == [], "\n".join(problems)
            taken.append((data["nodes"][node]["title"], choices[index]["label"], rating))
            if choices[index]["once"]:
                used.append(f"{node}/{index}")
            flags.update(choices[index]["set"] or {})
            node = choices[index]["goto"]
            if node not in visited:
                visited.append(node)
            press(page, "ArrowRight")
        v = view(page)
        assert v["stage"] == "end" and v["scene"] == "Ending: " + data["nodes"][node]["title"]
        assert page.locator(".essw-group-debrief").is_visible()
        assert len(taken) >= 5
        assert _axe(page, "abdi end") == []
        _, notes = download_notes(page)
        rendered(notes)
        steps = [re.sub(r"^\d+\. \d{2}:\d{2}, ", "", line) for line in notes.splitlines() if re.match(r"^\d+\. ", line)]
        assert len(steps) == len(taken)
        for line, (title, label, rating) in zip(steps, taken):
            shown = htmllib.unescape(re.sub(r"\\(.)", r"\1", line))
            assert shown == f"{title}: the room chose '{label}'" + (f" [{RATINGS[rating]}]" if rating else ""), line
        assert "## Ending reached: " in notes
        assert foreign(page) == [] and page.errors == []
        assert [k for k in storage(page) if k.startswith("essw-case:")] == []
    finally:
        context.close()


# -- cost to every page ---------------------------------------------------------------------------------

def test_other_pages_get_no_button_and_the_script_stays_small(projector, server):
    import gzip

    page = projector
    page.goto(f"{server.url}/library/protocols/consent-protocol.html", wait_until="load")
    assert page.locator(".essw-group-launch, dialog.essw-group").count() == 0
    assert page.errors == []
    assert len(gzip.compress(GROUP_JS.read_bytes(), 6)) <= 12_000
