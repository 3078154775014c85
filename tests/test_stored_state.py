"""Stored state is untrusted (issue 10, parts 4 and 10), in headless Chromium on a built fixture site.

Progress (essw-case:<id>) and checklist ticks (essw-checklist:<key>) live in localStorage, where
anything can be written: an old engine, another tab, a browser extension or a curious learner. Whatever
is stored, the player must start (fresh, with its 'starts again from the beginning' notice) and the
bad entry must go; every checklist must still get its checkboxes. A choice records one decision however
often its button is clicked, and the downloaded CPD record can carry no Markdown structure or HTML from
the case's text or the learner's reflection.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import markdown
import pytest

from conftest import (CHROMIUM_PATH, HOME_VISIT, HOME_VISIT_PAGE, Project, add_home_visit,
                      make_project, serve)

KEY = "essw-case:home-visit"
HOSTILE_ID = "hostile-visit"
HOSTILE_PAGE = f"library/case-studies/{HOSTILE_ID}"
PATH_PAGE = "library/paths/induction"
STARTS_AGAIN = "starts again from the beginning"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM_PATH.exists(), reason="/usr/bin/chromium is not installed (run 'make chromium')"),
]


# -- the fixture site ---------------------------------------------------------------------------------

def _hostile_case() -> str:
    """The home visit with Markdown and HTML in its title, outcomes, node titles and a label."""
    text = HOME_VISIT
    for old, new in [
        ("id: home-visit", f"id: {HOSTILE_ID}"),
        ("title: A home visit", 'title: "Home <b>visit</b> # one"'),
        ("  - Explain why you have come before asking anything.\n",
         '  - "# Forged outcome <script>alert(1)</script> [a link](https://example.org) *loud*"\n'
         '  - "- not a list\\nDate: 1999-01-01\\n## forged h2\\n1. forged item"\n'),
        ("title: At the door", 'title: "At the <i>door</i> [link](https://example.org/x)"'),
        ("      - label: Explain why you have come\n",
         # (the site decodes one level of entities in case data, so the engine gets the text '&amp;')
         '      - label: "Explain <img src=x onerror=alert(1)> | [why](https://example.org) _you_ came &amp;amp; \\\\"\n'),
        ("    title: A plan\n", '    title: "A plan\\n# forged ending heading\\n<b>bold</b>"\n'),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


# Three checklists on the learning path page (the fixture path has one), so a test can show that one
# bad list never stops the others.
PATH_STEPS = """\
    why: Practise the first conversation.
    checklist:
      - Speak to the DSL the same day.
      - Write down what was said.
  - title: Play the home visit
    item: home-visit
    why: Practise a visit.
    checklist:
      - Explain why you have come.
      - Agree a plan.
      - Record the plan.
"""
CHECKLIST_KEYS = ["essw-checklist:induction:1", "essw-checklist:induction:2", "essw-checklist:induction:3"]
CHECKLIST_SIZES = [1, 2, 3]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Project:
    """The fixture project plus the home-visit case and its hostile variant, built once for this module."""
    project = add_home_visit(Project(make_project(tmp_path_factory.mktemp("stored") / "project")))
    project.write_raw(f"scenarios/{HOSTILE_ID}.yml", _hostile_case())
    project.replace("paths/induction.yml", "    why: Practise the first conversation.\n", PATH_STEPS)
    result = project.run("build", "--no-packs")
    assert result.returncode == 0, result.output
    for page in (HOME_VISIT_PAGE, HOSTILE_PAGE, PATH_PAGE):
        assert project.path(f"site/{page}.html").is_file(), page
    return project


@pytest.fixture(scope="module")
def server(site):
    yield from serve(site.path("site"))


@pytest.fixture(scope="module")
def case_data(site) -> dict:
    text = site.read(f"site/{HOME_VISIT_PAGE}.html")
    found = re.search(r'data-case="([^"]*)"', text)
    assert found, "the case data is not in the page"
    return json.loads(htmllib.unescape(found.group(1)))


def _watch(page):
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.fixture
def page(context):
    return _watch(context.new_page())


# -- helpers ------------------------------------------------------------------------------------------

def put(page, server, items: dict[str, str]):
    """Write raw localStorage values for the site's origin before any of the case's scripts run: from
    the home page (which has no case and no checklist), so the next page load reads them first."""
    page.goto(f"{server.url}/", wait_until="load")
    page.evaluate("(items) => { for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v); }", items)
    assert page.evaluate("(k) => localStorage.getItem(k)", next(iter(items))) == next(iter(items.values()))


def stored(page, key=KEY):
    return page.evaluate("(k) => localStorage.getItem(k)", key)


def open_case(page, url):
    page.goto(url, wait_until="load")
    page.locator(".essw-player").wait_for(state="visible", timeout=10_000)


def heading(page) -> str:
    """What the player shows now: a step's or an ending's heading, or on feedback what was chosen."""
    chose = page.locator(".essw-stage .essw-you-chose")
    if chose.count():
        return chose.first.inner_text().strip()
    return page.locator(".essw-stage h3").first.inner_text().strip()


def choose(page, label):
    page.locator(".essw-stage .essw-choice-btn", has_text=label).click()
    page.locator(".essw-feedback-box").wait_for(state="visible")


def proceed(page):
    page.locator(".essw-continue").click()
    page.locator(".essw-feedback-box").wait_for(state="detached")


def history(page) -> list:
    """The decisions stored; none when nothing is stored (a fresh start with nothing written is not kept)."""
    raw = stored(page)
    return [] if raw is None else json.loads(raw)["history"]


# -- hostile saved progress ---------------------------------------------------------------------------

def _state(hash_, **changes) -> str:
    state = {"hash": hash_, "node": "door", "flags": {}, "visited": ["door"], "used": [], "history": [],
             "pending": None}
    state.update(changes)
    return json.dumps(state)


# One real decision (at the door, the first choice), with its feedback showing: the shape the engine writes.
STEP = {"node": "door", "choice": 0, "flags": {}, "visited": ["door"], "used": []}
PENDING = {"node": "door", "flags": {"consent_given": True}, "history": [STEP], "pending": {"from": "door", "index": 0}}
DEEP = 100_000

HOSTILE = {
    # nodes that are names of Object.prototype's properties, or no node at all
    "node-__proto__": lambda h: _state(h, node="__proto__", visited=["door", "__proto__"]),
    "node-constructor": lambda h: _state(h, node="constructor", visited=["door", "constructor"]),
    "node-toString": lambda h: _state(h, node="toString"),
    "node-hasOwnProperty": lambda h: _state(h, node="hasOwnProperty"),
    "node-missing": lambda h: _state(h, node="cellar", visited=["door", "cellar"]),
    "node-number": lambda h: _state(h, node=5),
    "node-not-reached": lambda h: _state(h, node="kitchen", visited=["door", "kitchen"]),  # no decision led there
    # pending feedback for a choice that is not there
    "pending-bad-node": lambda h: _state(h, **{**PENDING, "pending": {"from": "cellar", "index": 0}}),
    "pending-__proto__": lambda h: _state(h, **{**PENDING, "pending": {"from": "__proto__", "index": 0}}),
    "pending-bad-index": lambda h: _state(h, **{**PENDING, "pending": {"from": "door", "index": 7}}),
    "pending-string-index": lambda h: _state(h, **{**PENDING, "pending": {"from": "door", "index": "0"}}),
    "pending-not-an-object": lambda h: _state(h, **{**PENDING, "pending": "door/0"}),
    "pending-without-history": lambda h: _state(h, pending={"from": "door", "index": 0}),
    "pending-at-an-ending": lambda h: _state(h, node="plan", visited=["door", "plan"], pending={"from": "plan", "index": 0}),
    # history entries that no longer exist
    "history-bad-node": lambda h: _state(h, node="kitchen", visited=["door", "kitchen"],
                                         history=[{**STEP, "node": "toString"}]),
    "history-bad-choice": lambda h: _state(h, node="kitchen", visited=["door", "kitchen"],
                                           history=[{**STEP, "choice": 9}]),
    "history-fractional-choice": lambda h: _state(h, node="kitchen", visited=["door", "kitchen"],
                                                  history=[{**STEP, "choice": 0.5}]),
    "history-null-entry": lambda h: _state(h, history=[None]),
    "history-not-an-array": lambda h: _state(h, history={"length": 1, "0": STEP}),
    "history-bad-flags": lambda h: _state(h, node="kitchen", visited=["door", "kitchen"],
                                          flags={"consent_given": True}, history=[{**STEP, "flags": "x"}]),
    "history-not-a-walk": lambda h: _state(h, node="kitchen", visited=["door", "kitchen"],
                                           history=[STEP, STEP, STEP]),
    # visited, used and flags of the wrong kind
    "visited-not-an-array": lambda h: _state(h, visited="door"),
    "visited-unknown-node": lambda h: _state(h, visited=["door", "toString"]),
    "used-not-an-array": lambda h: _state(h, used={"door/0": True}),
    "used-unknown-choice": lambda h: _state(h, used=["kitchen/99"]),
    "used-__proto__": lambda h: _state(h, used=["__proto__/0"]),
    "used-not-once-only": lambda h: _state(h, used=["door/0"]),
    "flags-null": lambda h: _state(h, flags=None),
    "flags-array": lambda h: _state(h, flags=["consent_given"]),
    "flags-string": lambda h: _state(h, flags="consent_given"),
    "flags-__proto__": lambda h: _state(h, flags={"__proto__": {"polluted": True}}),
    "flags-constructor": lambda h: _state(h, flags={"constructor": True}),
    "flags-unknown": lambda h: _state(h, flags={"made_up": True}),
    "flags-object-value": lambda h: _state(h, flags={"consent_given": {"valueOf": 1}}),
    # the whole value of the wrong kind
    "top-level-__proto__": lambda h: _state(h, **{"__proto__": {"polluted": True}}),
    "unknown-key": lambda h: _state(h, extra=1),
    "reflection-not-a-string": lambda h: _state(h, reflection={"toString": 1}),
    "hash-not-a-string": lambda h: _state({"0": h}),
    "no-history": lambda h: json.dumps({"hash": h, "node": "door", "flags": {}, "visited": ["door"], "used": []}),
    "huge-visited": lambda h: _state(h, visited=["door"] * 50_000),
    "huge-reflection": lambda h: _state(h, reflection="x" * 1_100_000),
    "deeply-nested-pending": lambda h: _state(h).replace('"pending": null', '"pending": ' + "[" * DEEP + "]" * DEEP),
    "deeply-nested-flag": lambda h: _state(h).replace('"flags": {}', '"flags": {"consent_given": ' + "[" * DEEP + "]" * DEEP + "}"),
    "not-json": lambda h: "{not json",
    "truncated-json": lambda h: _state(h)[:-7],
    "json-null": lambda h: "null",
    "json-number": lambda h: "5",
    "json-string": lambda h: '"door"',
    "json-array": lambda h: "[]",
    "json-true": lambda h: "true",
    "empty-string": lambda h: "",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_any_stored_progress_gives_a_working_player(page, server, case_data, name):
    raw = HOSTILE[name](case_data["hash"])
    put(page, server, {KEY: raw})
    open_case(page, f"{server.url}/{HOME_VISIT_PAGE}.html")
    assert page.errors == []
    assert page.locator(".essw-case").get_attribute("class").split().count("essw-js") == 1
    assert heading(page) == "At the door"
    assert page.locator(".essw-stage .essw-choice-btn").count() == 2
    notice = page.locator(".essw-notice")
    assert notice.is_visible() and STARTS_AGAIN in notice.inner_text(), notice.inner_text()
    # screen readers hear it once the page has settled (a region filled while loading is not read)
    page.wait_for_function("(words) => document.querySelector('.essw-live').textContent.includes(words)",
                           arg=STARTS_AGAIN, timeout=3000)
    # the bad entry is gone (or replaced by a fresh start), and nothing leaked onto Object.prototype
    now = stored(page)
    assert now is None or json.loads(now)["history"] == [], now[:200]
    assert page.evaluate("({}).polluted === undefined && Object.getPrototypeOf({}) === Object.prototype")
    # and it plays again, and a reload resumes
    choose(page, "Explain why you have come")
    proceed(page)
    assert heading(page) == "In the kitchen"
    page.reload(wait_until="load")
    page.locator(".essw-player").wait_for(state="visible")
    assert heading(page) == "In the kitchen"
    assert "Welcome back" in page.locator(".essw-notice").inner_text()
    assert page.errors == []


def test_progress_the_engine_wrote_is_still_used(page, server, case_data):
    """Valid saved states, including the older shape whose steps lack 'visited' and 'used', still resume."""
    older = {"node": "door", "choice": 0, "flags": {}}
    cases = [
        (_state(case_data["hash"], **PENDING), "You chose: Explain why you have come"),
        (_state(case_data["hash"], node="kitchen", visited=["door", "kitchen"], flags={"consent_given": True},
                history=[older], reflection="Half written"), "In the kitchen"),
        (_state(case_data["hash"], node="kitchen", visited=["door", "kitchen"], flags={"consent_given": True},
                used=["kitchen/0"], history=[STEP, {"node": "kitchen", "choice": 0, "flags": {"consent_given": True},
                                                    "visited": ["door", "kitchen"], "used": []}]), "In the kitchen"),
    ]
    for raw, expected in cases:
        put(page, server, {KEY: raw})
        open_case(page, f"{server.url}/{HOME_VISIT_PAGE}.html")
        assert heading(page) == expected
        assert "Welcome back" in page.locator(".essw-notice").inner_text()
        assert stored(page) == raw  # untouched
    assert "Admire the family photos" not in page.locator(".essw-stage").inner_text()  # the used choice
    page.locator(".essw-back").click()
    assert heading(page) == "In the kitchen"
    assert page.errors == []


def test_a_changed_case_keeps_its_own_notice(page, server, case_data):
    put(page, server, {KEY: _state("0" * 16)})
    open_case(page, f"{server.url}/{HOME_VISIT_PAGE}.html")
    assert "This case has changed since you last played it" in page.locator(".essw-notice").inner_text()
    assert stored(page) is None
    assert page.errors == []


# -- one decision per choice --------------------------------------------------------------------------

def test_three_clicks_from_a_script_record_one_decision(page, server):
    open_case(page, f"{server.url}/{HOME_VISIT_PAGE}.html")
    page.evaluate("""() => { const b = window.__door = document.querySelector('.essw-stage .essw-choice-btn');
                             b.click(); b.click(); b.click(); }""")
    assert len(history(page)) == 1
    assert heading(page) == "You chose: Explain why you have come"
    assert page.evaluate("window.__door.disabled && !window.__door.isConnected")  # disabled and removed
    # even enabled again, the old button belongs to a step that is no longer showing
    page.evaluate("() => { window.__door.disabled = false; window.__door.click(); }")
    assert len(history(page)) == 1
    # every choice button of the step, clicked at once: still one
    page.locator(".essw-back").click()
    page.evaluate("() => document.querySelectorAll('.essw-stage .essw-choice-btn').forEach(b => { b.click(); b.click(); })")
    assert len(history(page)) == 1
    assert heading(page) == "You chose: Explain why you have come"
    # choose() itself ignores a call while feedback is pending
    page.evaluate("() => document.querySelector('.essw-case').esswPlayer.choose(1)")
    assert len(history(page)) == 1
    # Continue clicked three times moves on once, and a stale button from the last step does nothing
    page.evaluate("""() => { window.__stale = document.querySelector('.essw-stage .essw-continue');
                             window.__stale.click(); window.__stale.click(); window.__stale.click(); }""")
    assert heading(page) == "In the kitchen"
    state = json.loads(stored(page))
    assert state["node"] == "kitchen" and state["pending"] is None and len(state["history"]) == 1
    page.evaluate("() => { window.__kitchen = [...document.querySelectorAll('.essw-stage .essw-choice-btn')]; }")
    page.locator(".essw-back").click()
    assert heading(page) == "At the door"
    page.evaluate("() => { window.__kitchen.forEach(b => b.click()); window.__stale.click(); }")
    assert heading(page) == "At the door"
    assert history(page) == []
    # a choice that is not on offer is ignored too
    page.evaluate("() => document.querySelector('.essw-case').esswPlayer.choose(9)")
    assert history(page) == [] and heading(page) == "At the door"
    assert page.errors == []


def test_a_fast_double_click_records_one_decision(page, server):
    open_case(page, f"{server.url}/{HOME_VISIT_PAGE}.html")
    # (the second click lands on whatever is under the pointer once the feedback shows: at most Continue)
    page.locator(".essw-stage .essw-choice-btn", has_text="Explain why you have come").dblclick()
    page.wait_for_function(f"localStorage.getItem({json.dumps(KEY)}) !== null")
    page.wait_for_timeout(300)
    assert len(history(page)) == 1
    assert history(page)[0]["choice"] == 0
    assert page.errors == []


# -- the CPD record -----------------------------------------------------------------------------------

FORGED_REFLECTION = "# Forged heading\nDate: 1999-01-01\n- forged item\n<img src=x onerror=alert(1)>"
ENGINE_HEADINGS = ["Learning outcomes", "Path taken and practice ratings", "Debrief", "What I learnt",
                   "What I will do differently in my practice", "Peer reflection"]
TAGS = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")


def _download(page) -> str:
    with page.expect_download() as info:
        page.locator(".essw-cpd").click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def _headings(html: str) -> list[tuple[str, str]]:
    return [(level, htmllib.unescape(re.sub(r"<[^>]+>", "", text)))
            for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html, re.S)]


def _text(html: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", html))


def _check_record(text: str, title: str, path_steps: int, outcomes: int, questions: int = 1) -> str:
    """The record parses to the engine's own structure only; returns the rendered HTML."""
    html = markdown.markdown(text)
    assert _headings(html) == [("1", f"CPD record: {title}")] + [("2", h) for h in ENGINE_HEADINGS], html
    tags = {name.lower() for _, name in TAGS.findall(html)}
    assert tags <= {"h1", "h2", "p", "ul", "ol", "li", "blockquote"}, (tags, html)
    for bad in ("<img", "<b>", "<i>", "<script", "<a ", "<em>", "<strong>", "<code>", "<hr"):
        assert bad not in html, (bad, html)
    assert html.count("<li>") == outcomes + path_steps + questions, html
    # outcomes and supervision questions; the path; the reflection (the other two boxes were left empty)
    assert html.count("<ul>") == 2 and html.count("<ol>") == 1 and html.count("<blockquote>") == 1, html
    dates = [line for line in text.splitlines() if line.lstrip().startswith("Date:")]
    assert len(dates) == 1 and re.fullmatch(r"Date: \d{4}-\d{2}-\d{2}", dates[0]), dates
    # the reflection is one quote block, every line of it marked
    reflection = text.split("\n## What I learnt\n\n", 1)[1].split("\n\n## What I will do", 1)[0]
    assert all(line == ">" or line.startswith("> ") for line in reflection.splitlines()), reflection
    return html


def test_cpd_record_keeps_a_forged_reflection_as_text(page, server):
    open_case(page, f"{server.url}/{HOME_VISIT_PAGE}.html")
    for label in ("Explain why you have come", "Admire the family photos", "Agree a plan together"):
        choose(page, label)
        proceed(page)
    page.locator(".essw-reflection").fill(FORGED_REFLECTION)
    text = _download(page)
    html = _check_record(text, "A home visit", path_steps=3, outcomes=2)
    # readable: the learner's words are all there, as text
    shown = _text(html)
    for line in FORGED_REFLECTION.splitlines():
        assert line in shown, (line, shown)
    assert "1. At the door: Explain why you have come [Strong practice]" in text
    assert "Activity: Played through the case study 'A home visit'" in text
    assert page.errors == []


def test_cpd_record_of_a_case_with_markup_in_its_text(page, server):
    open_case(page, f"{server.url}/{HOSTILE_PAGE}.html")
    page.locator(".essw-stage .essw-choice-btn").first.click()
    page.locator(".essw-feedback-box").wait_for(state="visible")
    proceed(page)
    choose(page, "Admire the family photos")
    proceed(page)
    choose(page, "Agree a plan together")
    proceed(page)
    page.locator(".essw-summary").wait_for(state="visible")
    page.locator(".essw-reflection").fill(FORGED_REFLECTION + "\n\n  ## indented\n===\n---\n1) one\n[x]: https://example.org\n| a | b |\n|---|---|")
    text = _download(page)
    html = _check_record(text, "Home <b>visit</b> # one", path_steps=3, outcomes=3)
    shown = _text(html)
    for words in ("Home <b>visit</b> # one", "At the <i>door</i>", "Explain <img src=x onerror=alert(1)>",
                  "_you_ came &amp;", "# Forged outcome <script>alert(1)</script> [a link](https://example.org) *loud*",
                  "- not a list Date: 1999-01-01 ## forged h2 1. forged item", "A plan # forged ending heading <b>bold</b>"):
        assert words in shown, (words, shown)
    assert page.errors == []


# -- checklists ---------------------------------------------------------------------------------------

def _checklists_ready(page):
    lists = page.locator(".essw-checklist")
    assert lists.count() == len(CHECKLIST_KEYS)
    for i, size in enumerate(CHECKLIST_SIZES):
        one = lists.nth(i)
        assert "essw-checklist-ready" in one.get_attribute("class").split(), i
        assert one.locator("input[type=checkbox].essw-check").count() == size, i
        assert one.locator("li label").count() == size, i


BAD_TICKS = ["null", "5", '"x"', "[]", '{"0": "yes"}', "{not json", "", "true", '{"__proto__": {"0": true}}',
             '{"0": {"valueOf": true}}', "[" * DEEP + "]" * DEEP]


@pytest.mark.parametrize("value", BAD_TICKS, ids=lambda v: v[:12] or "empty")
def test_any_stored_ticks_leave_every_checklist_working(page, server, value):
    put(page, server, {key: value for key in CHECKLIST_KEYS})
    page.goto(f"{server.url}/{PATH_PAGE}.html", wait_until="load")
    _checklists_ready(page)
    assert page.errors == []
    assert page.locator("input.essw-check:checked").count() == 0  # nothing bad counts as a tick
    for key in CHECKLIST_KEYS:  # the bad value has been replaced
        assert json.loads(stored(page, key)) == {}, key
    # ticking still saves, and a reload keeps it
    page.locator(".essw-checklist").nth(2).locator("input.essw-check").nth(1).check()
    assert json.loads(stored(page, CHECKLIST_KEYS[2])) == {"1": True}
    page.reload(wait_until="load")
    _checklists_ready(page)
    assert page.locator(".essw-checklist").nth(2).locator("input.essw-check").nth(1).is_checked()
    assert page.locator("input.essw-check:checked").count() == 1
    assert page.evaluate("({})[0] === undefined")
    assert page.errors == []


def test_one_bad_list_among_good_ones(page, server):
    put(page, server, {CHECKLIST_KEYS[0]: '{"0":true}', CHECKLIST_KEYS[1]: "null",
                       CHECKLIST_KEYS[2]: '{"0": false, "2": true, "7": true, "x": 1}'})
    page.goto(f"{server.url}/{PATH_PAGE}.html", wait_until="load")
    _checklists_ready(page)
    lists = page.locator(".essw-checklist")
    assert lists.nth(0).locator("input.essw-check").nth(0).is_checked()
    assert stored(page, CHECKLIST_KEYS[0]) == '{"0":true}'  # a good value is left as it was
    assert [lists.nth(2).locator("input.essw-check").nth(i).is_checked() for i in range(3)] == [False, False, True]
    assert json.loads(stored(page, CHECKLIST_KEYS[2])) == {"0": False, "2": True}
    lists.nth(1).locator("input.essw-check").nth(0).check()
    assert json.loads(stored(page, CHECKLIST_KEYS[1])) == {"0": True}
    assert page.errors == []


def test_a_list_that_cannot_be_enhanced_does_not_stop_the_others(page, server):
    """Each list is enhanced in its own try: the first list has lost its data-key (so enhancing it
    fails), and the two after it still get their checkboxes."""
    def without_key(route):
        response = route.fetch()
        body = response.text()
        assert body.count('data-key="induction:1"') == 1
        route.fulfill(response=response, body=body.replace(' data-key="induction:1"', ""))

    page.route(f"{server.url}/{PATH_PAGE}.html", without_key)
    page.goto(f"{server.url}/{PATH_PAGE}.html", wait_until="load")
    lists = page.locator(".essw-checklist")
    assert lists.count() == 3
    assert lists.nth(0).locator("input.essw-check").count() == 0
    for i in (1, 2):
        assert "essw-checklist-ready" in lists.nth(i).get_attribute("class").split()
        assert lists.nth(i).locator("input.essw-check").count() == CHECKLIST_SIZES[i]
    lists.nth(2).locator("input.essw-check").nth(0).check()
    assert json.loads(stored(page, CHECKLIST_KEYS[2])) == {"0": True}
    assert page.errors == []
