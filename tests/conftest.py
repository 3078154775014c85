"""Shared fixtures: a small, complete, valid project in a temporary folder, and ways to run essw on it.

The tests never read the real content under scenarios/, policies/ and so on (it changes as
authors work); they copy only the site settings (mkdocs.yml, overrides/, macros/, docs/assets/)
from the repository and write their own sources, so every line number below is known.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

import essw.cli  # noqa: F401  (imported early; it must look up sys.stderr at call time, see test_cli.py)

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# The installed console script, as authors run it (falls back to 'python -m essw').
ESSW = [str(VENV_BIN / "essw")] if (VENV_BIN / "essw").exists() else [sys.executable, "-m", "essw"]

# Reviewed in the past, due for review far in the future: no warnings today or for years to come.
REVIEWED = "2025-01-15"
REVIEW_BY = "2035-01-15"

# A sentence that appears in exactly one YAML source, so the search index test can look for it.
DISTINCTIVE = "Marmalade kites circle the consent office every second Tuesday."

GOVERNANCE = f"""\
owner: ESSW team manager
reviewed: {REVIEWED}
review_by: {REVIEW_BY}
sources:
  - publication: working-together
"""

# Checked yesterday: a statutory entry of the register is flagged six months after its check.
CHECKED = (dt.date.today() - dt.timedelta(days=1)).isoformat()

REGISTER = f"""\
owner: ESSW team manager
reviewed: {REVIEWED}
review_by: {REVIEW_BY}
publications:
  - id: working-together
    title: Working Together to Safeguard Children
    publisher: Department for Education
    type: statutory-guidance
    edition: "2026"
    status: in-force
    url: https://www.gov.uk/government/publications/working-together-to-safeguard-children--2
    checked: {CHECKED}
    checked_how: Read on gov.uk
"""

GLOSSARY = f"""\
{GOVERNANCE}terms:
  - id: dsl
    term: Designated safeguarding lead
    abbreviation: DSL
    definition: The member of school staff who leads on safeguarding.
    see_also: [essw]
  - id: essw
    term: Extended schools social worker
    abbreviation: ESSW
    definition: A social worker based in a school.
    now: Today usually called a social worker in schools.
  - id: early-help
    term: Early help
    definition: Support for a family as soon as a problem emerges.
"""

CASE = f"""\
id: first-day
title: First day back
summary: A child tells the class teacher something worrying on the first day of term.
audiences: [essw, school-staff]
composite: true
level_of_need: 2
spectrum: early-intervention
minutes: 10
learning_outcomes:
  - Know when to speak to the DSL.
related_policies: [consent-protocol]
related_roles: [dsl-role]
related_terms: [dsl]
{GOVERNANCE}start: start
nodes:
  start:
    speaker: Class teacher
    text: Sam arrives late and quiet.
    choices:
      - label: Talk to Sam at break
        goto: talk
        feedback: A calm, private conversation helps.
        rating: strong
      - label: Wait and see
        goto: wait
        feedback: Waiting can leave a child at risk.
        rating: risky
  talk:
    text: Sam says home has been difficult.
    choices:
      - label: Tell the DSL the same day
        goto: the-end
        feedback: The right next step.
  wait:
    kind: end
    text: Nothing changes, and the worry is lost.
    debrief:
      good_practice: Act on a worry the same day.
      questions:
        - What stopped the teacher acting?
  the-end:
    kind: end
    text: The DSL and the ESSW agree a plan with the family.
    debrief:
      good_practice: Share the worry and record it.
      protocols: [consent-protocol]
      questions:
        - What did consent mean here?
"""

POLICY = f"""\
id: consent-protocol
title: Consent protocol
summary: When and how to ask a family for consent before sharing information.
plain_summary: |
  Ask first, explain why, and write down what was agreed. {DISTINCTIVE}
audiences: [essw, school-staff]
tags: [consent]
{GOVERNANCE}legal_basis:
  - strength: must
    text: Share information when a child is at risk of significant harm.
    basis: Children Act 1989, section 47
  - strength: should
    text: Explain to the family what will be shared.
    basis: Information sharing advice 2024
steps:
  - title: Ask
    text: Ask the parent or carer for consent.
  - title: Record
    text: Write down what was agreed.
decisions:
  - question: Is the child at risk of significant harm?
    yes: Share without consent and tell the DSL.
    no: Seek consent first.
related:
  roles: [dsl-role]
  cases: [first-day]
  terms: [essw, early-help]
"""

ROLE = f"""\
id: dsl-role
title: Designated safeguarding lead
summary: How the DSL and the ESSW work together in a school.
audiences: [school-staff, dsl]
{GOVERNANCE}also_known_as: [Safeguarding lead]
what_they_do:
  - Leads on safeguarding in the school.
working_with_essw: The DSL and the ESSW meet every week.
expect:
  - Advice on thresholds.
do_not_expect:
  - An immediate assessment.
situations:
  - A child discloses harm.
related:
  policies: [consent-protocol]
  cases: [first-day]
"""

WORKSHOP = f"""\
id: parents-evening
title: Demystifying social work
summary: A session for parents and carers about what a school social worker does.
audiences: [parents, trainers]
{GOVERNANCE}duration_minutes: 60
outcomes:
  - Parents know what a social worker in school does.
plan:
  - minutes: 15
    activity: Welcome and ground rules
    notes: Keep it informal.
  - minutes: 45
    activity: Questions and answers
    uses: [flip-chart, who-is-who]
facilitator_notes: Bring name badges.
if_someone_discloses: Listen, and tell the DSL the same day.
materials:
  - id: flip-chart
    title: Flip chart
handouts:
  - id: who-is-who
    title: Who is who
    text: The DSL, the ESSW and the class teacher.
evaluation:
  - What did you find most useful?
follow_up: Send the handout by email.
related:
  policies: [consent-protocol]
"""

PATH = f"""\
id: induction
title: ESSW induction
summary: The first weeks for a new social worker in school.
audiences: [essw]
{GOVERNANCE}steps:
  - title: Learn the consent protocol
    item: consent-protocol
    why: Consent comes up every day.
    checklist:
      - Explain consent to a parent.
  - title: Play the first case
    item: first-day
    why: Practise the first conversation.
"""

INDEX_MD = """\
# School social work

This hand-written page mentions the DSL, so its abbreviation gets a tooltip too.
"""

SOURCES = {
    "glossary.yml": GLOSSARY,
    "publications.yml": REGISTER,
    "scenarios/first-day.yml": CASE,
    "policies/consent-protocol.yml": POLICY,
    "roles/dsl-role.yml": ROLE,
    "workshops/parents-evening.yml": WORKSHOP,
    "paths/induction.yml": PATH,
}

# Where each fixture item's page ends up, relative to docs/ (Markdown) and site/ (HTML).
PAGES = {
    "first-day": "library/case-studies/first-day",
    "consent-protocol": "library/protocols/consent-protocol",
    "dsl-role": "library/roles/dsl-role",
    "parents-evening": "library/workshops/parents-evening",
    "induction": "library/paths/induction",
    "glossary": "library/glossary/index",
}


def make_project(root: Path) -> Path:
    """Write the fixture project into ``root`` (which must not exist yet, or be empty)."""
    root.mkdir(parents=True, exist_ok=True)
    # the fixture is an area that has set its own contacts (test_validate checks the example notice)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(re.sub(r"(?m)^  example_contacts: true\n", "", config), encoding="utf-8")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(REPO / "macros", root / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "docs" / "assets", root / "docs" / "assets")
    (root / "docs" / "index.md").write_text(INDEX_MD, encoding="utf-8")
    for rel, text in SOURCES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class Project:
    """A fixture project on disk, with helpers to change its sources and run essw on it."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, rel: str) -> Path:
        return self.root / rel

    def write(self, rel: str, text: str | bytes) -> Path:
        """Write a file (YAML text is dedented, so tests can indent it in place)."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def replace(self, rel: str, old: str, new: str) -> Path:
        """Change one exact piece of a source (it must be there exactly once)."""
        text = self.read(rel)
        assert text.count(old) == 1, f"{old!r} is not in {rel} exactly once"
        return self.write_raw(rel, text.replace(old, new))

    def write_raw(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def line_of(self, rel: str, needle: str) -> int:
        """1-based number of the only line of a file that contains ``needle``."""
        lines = [i for i, line in enumerate(self.read(rel).splitlines(), 1) if needle in line]
        assert len(lines) == 1, f"{needle!r} is on lines {lines} of {rel}, expected exactly one"
        return lines[0]

    def run(self, *args: str, timeout: float = 120, env: dict | None = None) -> Result:
        """Run the installed 'essw' command in a subprocess, as an author would."""
        proc = subprocess.run([*ESSW, "--root", str(self.root), *args], cwd=self.root,
                              capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **(env or {})})
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def library(self):
        from essw.sources import load_library

        return load_library(self.root)


@pytest.fixture(scope="session")
def project_template(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("template") / "project")


@pytest.fixture
def project(project_template, tmp_path) -> Project:
    """A fresh copy of the valid fixture project for one test to change as it likes."""
    root = tmp_path / "project"
    shutil.copytree(project_template, root)
    return Project(root)


@pytest.fixture
def cli(capsys):
    """Run essw in-process: cli(root, 'validate') -> Result (return code and captured output)."""
    from essw.cli import main

    def run(root: Path | Project, *args: str) -> Result:
        root = root.root if isinstance(root, Project) else root
        capsys.readouterr()
        code = main(["--root", str(root), *args])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Project:
    """The fixture project built once with 'essw build' (mkdocs). Tests must only read it."""
    root = make_project(tmp_path_factory.mktemp("built") / "project")
    project = Project(root)
    result = project.run("build")
    assert result.returncode == 0, result.output
    assert (root / "site" / "index.html").is_file()
    return project


def tree_hashes(folder: Path) -> dict[str, str]:
    """Every file under a folder with the SHA-256 of its bytes (to prove nothing changed)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class ParsedPage(HTMLParser):
    """A built HTML page as a browser sees it: its elements, script bodies and visible text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in: list[str] = []
        self._text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style", "title"):
            self._in.append(tag)
            if tag == "script":
                self.scripts.append("")

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] == "script":
            self.scripts[-1] += data
        elif not self._in:
            self._text.append(data)

    @property
    def text(self) -> str:
        """Visible text with runs of white space made single spaces."""
        return " ".join(" ".join(self._text).split())

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.elements if t == tag]


def parse_page(path: Path) -> ParsedPage:
    return ParsedPage(path.read_text(encoding="utf-8"))


# -- a second, richer case for the case engine's browser tests (tests/test_case_engine.py) ------------
# It is not part of SOURCES, so tests that count the fixture project's items are unaffected; the
# engine tests add it with add_home_visit(). It has a flag, a variant shown only when the flag is
# set, a once-only choice, a choice shown only when the flag is set, all three ratings and two endings.

HOME_VISIT = f"""\
id: home-visit
title: A home visit
summary: A first visit to a family at home after the school raised a worry.
audiences: [essw]
composite: true
level_of_need: 3
spectrum: statutory
minutes: 15
learning_outcomes:
  - Explain why you have come before asking anything.
  - Agree and record a plan with the family.
{GOVERNANCE}flags:
  consent_given: Mum agreed to talk with you
start: door
nodes:
  door:
    title: At the door
    speaker: Mum
    text: Mum opens the door and looks worried.
    choices:
      - label: Explain why you have come
        goto: kitchen
        feedback: Being open from the start builds trust.
        rating: strong
        set: {{consent_given: true}}
      - label: Ask to come in straight away
        goto: kitchen
        feedback: Mum feels rushed and says very little.
        rating: risky
  kitchen:
    title: In the kitchen
    text: You sit at the kitchen table with Mum.
    variants:
      - when: {{flag: consent_given}}
        text: Mum says she is glad you explained yourself first.
    choices:
      - label: Admire the family photos
        goto: kitchen
        feedback: A small kindness puts Mum at ease.
        rating: acceptable
        once: true
      - label: Agree a plan together
        goto: plan
        feedback: Planning with the family works best.
        rating: strong
        when: {{flag: consent_given}}
      - label: Leave and write it up later
        goto: leave
        feedback: Leaving without a plan means the worry stays.
        rating: risky
  plan:
    kind: end
    title: A plan
    text: You and Mum agree a plan and write it down together.
    debrief:
      good_practice: Explain, listen, then plan together.
      questions:
        - What made the plan possible?
  leave:
    kind: end
    title: No plan
    text: You leave with nothing agreed.
    debrief:
      good_practice: Agree something, however small, before you leave.
      questions:
        - What would you do differently next time?
"""

HOME_VISIT_FILE = "scenarios/home-visit.yml"
HOME_VISIT_PAGE = "library/case-studies/home-visit"


def add_home_visit(project: Project) -> Project:
    project.write_raw(HOME_VISIT_FILE, HOME_VISIT)
    return project


def use_instant_navigation(project: Project, site_url: str) -> Project:
    """Material's instant navigation on, the offline plugin (which needs it off) removed, and a home
    page that links to the case, for the engine's document$ test. Material navigates instantly only
    to pages listed in sitemap.xml, at the same host and port, so site_url must be where the site
    is served (e.g. a SiteServer's url)."""
    text = project.read("mkdocs.yml")
    assert "    - navigation.sections\n" in text and "\n  - offline" in text
    text = text.replace("    - navigation.sections\n", "    - navigation.instant\n    - navigation.sections\n", 1)
    text = "\n".join(line for line in text.splitlines()
                     if not line.startswith(("  - offline", "site_url:"))) + "\n"
    text += f"site_url: {site_url.rstrip('/')}/\n"
    project.write_raw("mkdocs.yml", text)
    project.write_raw("docs/index.md", INDEX_MD + f"\n[Play the home visit]({HOME_VISIT_PAGE}.md)\n")
    return project


# The CDNs a MkDocs site typically loads fonts and scripts from. The tests look for these names in
# the built files because the site must never ask any of them for anything.
FORBIDDEN_HOSTS = ("fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com", "cdn.jsdelivr.net")
HOST_URL = re.compile(r"(?:https?:)?//(?:" + "|".join(re.escape(h) for h in FORBIDDEN_HOSTS) + r")[^\s\"'`)\\]*")

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (the system's /usr/bin/chromium) for every browser test of the run."""
    if not CHROMIUM_PATH.exists():
        pytest.skip("/usr/bin/chromium is not installed (make test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class SiteServer:
    """A local http.server on 127.0.0.1 whose folder can be swapped while it runs, so a rebuilt
    site can be served from the same origin (and so the same localStorage)."""

    def __init__(self, directory: Path):
        import http.server
        import threading

        self.directory = Path(directory)

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002 - the base class's name
                pass

        def handler(*args, **kwargs):
            return Quiet(*args, directory=str(self.directory), **kwargs)

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def serve(folder: Path):
    """For a module's server fixture: ``yield from serve(site)`` serves the folder, then stops."""
    server = SiteServer(folder)
    try:
        yield server
    finally:
        server.close()


def watch(page):
    """Record what a page asks for (page.requested) and every script error (page.errors)."""
    page.requested = []
    page.errors = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.fixture
def watched_page(browser):
    """A desktop-sized page in a fresh context that lists every address it requests (page.requested)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    context.close()


@pytest.fixture
def context(browser):
    """A fresh browser context per test (its own localStorage), which may download files."""
    ctx = browser.new_context(accept_downloads=True)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory) -> Path:
    """The repository's own content built once with 'essw build' (with packs). Tests only read it."""
    out = tmp_path_factory.mktemp("repo-site") / "site"
    result = subprocess.run([*ESSW, "--root", str(REPO), "build", "--site-dir", str(out)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def zensical_repo_site(tmp_path_factory) -> Path:
    """The repository's content built once with 'essw build --engine zensical' (no packs)."""
    pytest.importorskip("zensical")
    out = tmp_path_factory.mktemp("zensical-site") / "site"
    result = subprocess.run([*ESSW, "--root", str(REPO), "build", "--engine", "zensical", "--no-packs",
                             "--site-dir", str(out)], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def offline_index(site: Path) -> list[dict]:
    """The folder-copy search index (essw/search.py) as data: one document per page."""
    from essw.search import OFFLINE_INDEX

    text = (site / OFFLINE_INDEX).read_text(encoding="utf-8")
    prefix = "window.esswOfflineIndex="
    assert text.startswith(prefix) and text.rstrip().endswith(";"), text[:80]
    return json.loads(text[len(prefix):].rstrip().rstrip(";"))


def indexed_text(doc: dict) -> str:
    return " ".join([doc["title"], doc["questions"], *(part for s in doc["sections"] for part in s[1:])])


SEARCH_DONE = ("() => ['done', 'failed'].includes("
               "document.querySelector('[data-essw-search]').getAttribute('data-essw-search-state'))")


def site_search(page, query: str, *, timeout: float = 30_000) -> list[str]:
    """Type a query into the site's own search box as a reader would; the result addresses, best first.

    Opens the dialog with its button if it is closed, types the words, and waits until the box says
    it has finished (its status line is then the announcement a screen reader hears)."""
    box = page.locator("[data-essw-search]")
    if not page.locator(".essw-search__dialog").evaluate("d => d.open"):
        page.locator(".essw-search__open").click()
    field = page.locator("#essw-search-input")
    field.fill("")
    page.evaluate("document.querySelector('[data-essw-search]').removeAttribute('data-essw-search-state')")
    field.press_sequentially(query, delay=5)
    field.press("Enter")
    page.wait_for_function(SEARCH_DONE, timeout=timeout)
    assert box.get_attribute("data-essw-search-state") == "done", page.locator("[data-essw-search-status]").inner_text()
    return page.locator(".essw-search__link").evaluate_all("links => links.map(a => a.href)")
