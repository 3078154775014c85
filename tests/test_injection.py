"""Hostile author text in every text field of every kind: no script runs, no template is evaluated.

A corpus of injection strings (HTML, event handlers, javascript: links, Markdown attribute lists,
Jinja, CDATA ends, a textarea breakout, Markdown edge cases, a 10,000-character word, right-to-left
override characters) is written into every free-text field of every content kind of the fixture
project, plus a hand-written page that pulls titles, summaries and terms in through the macros.
The build must either refuse clearly or succeed; when it succeeds, every built page is opened in
headless Chromium with JavaScript on, the case is played to an ending, the search is used, and
nothing hostile may happen: no dialog, no planted marker in the console, in a <script> or in an
on* attribute, no javascript: link, and '{{ 7*7 }}' never turns into 49.
"""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from conftest import CASE, SOURCES, Project, SiteServer, make_project, site_search
from essw.load import load_text
from essw.kinds import KINDS

MARKER = "XSS-MARKER"
TEMPLATE_MARK = "TPL"  # '{{ 7*7 }}' is written as 'TPL{{ 7*7 }}TPL': evaluated, it would read 'TPL49TPL'
LONG_WORD = "W" * 10_000

# The corpus from the brief, with the literal alert(1) forms kept as they are, and variants that
# carry the marker so anything that runs (or lands in a script or handler) can be recognised.
CORPUS = [
    "<script>alert(1)</script>",
    f"<script>console.log('{MARKER}-script');alert('{MARKER}')</script>",
    "<img src=x onerror=alert(1)>",
    f"<img src=x onerror=\"console.log('{MARKER}-img')\">",
    f"<svg onload=console.log('{MARKER}-svg')>",
    "[click](javascript:alert(1))",
    f"[click me](javascript:console.log('{MARKER}-mdlink'))",
    f"[ref link][evil] and <javascript:console.log('{MARKER}-autolink')>",
    '<a href="javascript:alert(1)">x</a>',
    f"<a href=\"javascript:console.log('{MARKER}-a')\">y</a>",
    "<!-- comment -->",
    "--> <!-- unbalanced",
    f"{TEMPLATE_MARK}{{{{ 7*7 }}}}{TEMPLATE_MARK}",
    "{% include 'x' %}",
    "{# c #}",
    "{{ config }} {{ page.title }} {% raw %}x{% endraw %}",
    '{: onclick="alert(1)" }',
    f"Attribute list {{: onmouseover=\"console.log('{MARKER}-attr')\" }}",
    f"# Heading {{: onclick=\"console.log('{MARKER}-h')\" }}",
    "]]>",
    "<![CDATA[ x ]]>",
    "</textarea><script>alert(1)</script>",
    f"</textarea><img src=x onerror=console.log('{MARKER}-ta')>",
    "</script><script>alert(1)</script>",
    "\" onmouseover=\"alert(1)\" x=\"",
    "' onfocus='alert(1)' autofocus '",
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x3C;b&#x3E;",
    "***",
    "***bold and italic*** and ``unclosed backticks and `one more",
    "[x]: javascript:alert(1)",
    f"[evil]: javascript:console.log('{MARKER}-ref')",
    "![img](javascript:alert(1))",
    f"![pic](#x \"title\" onerror=console.log('{MARKER}-imgmd'))",
    f"![pic](#x \"title\"){{: onerror=\"console.log('{MARKER}-imgattr')\" }}",
    "<style>body{display:none}</style>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<details open ontoggle=alert(1)>",
    "*[HTML]: <script>alert(1)</script>",
    "--8<-- \"mkdocs.yml\"",
    "!!! danger \"<script>alert(1)</script>\"",
    "\u202eRTL override\u202c \u2066isolate\u2069 \u200fmark\u200e",
    "Zero\u200bwidth\u00a0space and \u2028 line separator",
    "\\<script\\>alert(1)\\</script\\>",
    f"Back\\slash <img src=x onerror=\"console.log('{MARKER}-bs')\">",
    "data:text/html,<script>alert(1)</script>",
    "| a | b |\n| --- | --- |\n| <script>alert(1)</script> | x |",
]

LINE_MAX = 300  # essw.model.common.Line


def long_payload(corpus: list[str]) -> str:
    """Everything in the corpus, each on a paragraph of its own, then once more inline, then the long word."""
    return "\n\n".join(corpus) + "\n\n" + " ".join(c.replace("\n", " ") for c in corpus) + "\n\n" + LONG_WORD


def short_payload(corpus: list[str], index: int, braces: bool = True) -> str:
    """Corpus entries for a one-line field, starting at a different entry for each field."""
    parts: list[str] = []
    for k in range(len(corpus)):
        entry = corpus[(index + k) % len(corpus)].replace("\n", " ")
        if not braces and ("{" in entry or "}" in entry):
            continue
        if len(" ".join(parts + [entry])) > LINE_MAX:
            break
        parts.append(entry)
    return " ".join(parts) or corpus[index % len(corpus)][:LINE_MAX]


# Fields that hold ids, dates, numbers or fixed words: they cannot carry free text.
NOT_TEXT = {"id", "goto", "start", "item", "kind", "rating", "strength", "spectrum", "audiences", "visibility",
            "process", "reviewed", "review_by", "composite", "level_of_need", "minutes", "duration_minutes",
            "policies", "roles", "cases", "terms", "protocols", "see_also", "related_policies", "related_roles",
            "related_terms", "when", "set", "once", "flag", "op", "value", "visited", "not_visited",
            # the register of publications: ids, dates, fixed words and a checked web address
            "publication", "type", "status", "replaced_by", "url", "checked", "in_force",
            # a workshop step names its materials by id
            "uses", "answers_for"}

EXPLAINER_FILE = "explainers/hostile-explainer.yml"
KIND_OF = {"glossary.yml": "glossary", "publications.yml": "publication", "scenarios/first-day.yml": "case", "policies/consent-protocol.yml": "policy",
           "roles/dsl-role.yml": "role", "workshops/parents-evening.yml": "workshop", "paths/induction.yml": "path",
           EXPLAINER_FILE: "explainer"}
EXPLAINER = """\
id: hostile-explainer
title: What a school social worker does
summary: For parents and carers.
audiences: [parents]
owner: ESSW team manager
reviewed: 2025-01-15
review_by: 2035-01-15
sections:
  - heading: Who we are
    text: We work in your child's school.
  - heading: What we do
    text: We help families.
what_to_do_next:
  - Ask the school office.
"""

MACRO_PAGE = """\
---
render_macros: true
---

# Everything, through the macros

{{ items() }}

{{ items(kind="case", summaries=true) }}

{{ term("dsl") }} and {{ term("essw") }}

See {{ link("first-day") }} and {{ link("dsl") }}.
"""


def _hostile_strings(value, corpus: list[str], key: str | None = None):
    """The data with every free-text string replaced by hostile text (long text for now)."""
    if isinstance(value, dict):
        # a node may be called 'start' and the glossary's entries sit under 'terms': only leave a word
        # alone when it holds a plain value or a list of ids, not nodes or entries
        def plain(v):
            return not isinstance(v, (dict, list)) or (isinstance(v, list) and all(isinstance(x, str) for x in v))

        return {k: (v if k in NOT_TEXT and (plain(v) or k in ("when", "set"))
                    else _hostile_strings(v, corpus, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_hostile_strings(v, corpus, key) for v in value]
    if isinstance(value, str):
        return long_payload(corpus)
    return value


def _fit_to_model(data, model, corpus: list[str], counter: list[int]):
    """A field that takes one line (at most 300 characters) gets a short payload instead; a field that
    refuses the payload's characters altogether (an abbreviation) gets plain letters. The build would
    only stop at those fields with a clear message, and the rest of the page must still be checked."""
    from essw.checks.schema import _clean_loc

    for _ in range(4):
        try:
            model.model_validate(data)
            return data
        except ValidationError as exc:
            for err in exc.errors():
                *parents, last = _clean_loc(tuple(err["loc"]))
                target = data
                for part in parents:
                    target = target[part]
                counter[0] += 1
                target[last] = short_payload(corpus, counter[0]) if err["type"] == "string_too_long" else "PLAIN"
    model.model_validate(data)
    return data


def _with_optional_fields(rel: str, data: dict) -> dict:
    """The fixture leaves some optional text fields out; fill them so they are made hostile too."""
    if rel not in ("glossary.yml", "publications.yml"):
        data.setdefault("tags", ["a tag"])
    for source in data.get("sources", []):
        source.update(part="a part", note="a note")
    if rel.startswith("scenarios/"):
        for name, node in data["nodes"].items():
            node.setdefault("title", "a node title")
            for choice in node.get("choices", []):
                choice.setdefault("tags", ["a choice tag"])
    if rel.startswith("policies/"):
        data.setdefault("for_parents", "for parents")
    if rel.startswith("workshops/"):
        for step in data["plan"]:
            step.setdefault("notes", "notes")
    if rel == "glossary.yml":
        for term in data["terms"]:
            term.setdefault("now", "now")
            term.setdefault("sources", [{"publication": "working-together", "part": "p", "note": "n"}])
    if rel == "publications.yml":
        for entry in data["publications"]:
            entry.setdefault("note", "a note about the edition")
    return data


# A second, ordinary case whose summary and first node each hold an unclosed code fence. Each
# field's Markdown must stay inside its field; at commit d37b3f6 the first fence runs on until the
# second one, and everything in between (the page's own <div class="essw-case"> and nodes) becomes code.
FENCED_CASE_FILE = "scenarios/fenced.yml"
FENCED_CASE = CASE.replace("id: first-day", "id: fenced").replace(
    "summary: A child tells the class teacher something worrying on the first day of term.",
    'summary: "An author pasted an unclosed code fence:\\n\\n```\\n\\nand went on writing."').replace(
    "    text: Sam arrives late and quiet.", '    text: "Another one:\\n\\n```\\n\\nSam arrives late and quiet."')


def hostile_sources(corpus: list[str]) -> dict[str, str]:
    """Every fixture source, and an explainer, with hostile text in every free-text field."""
    sources = {**SOURCES, EXPLAINER_FILE: EXPLAINER}
    out = {}
    counter = [0]
    for rel, text in sources.items():
        # not yaml.safe_load: it reads the keys 'yes' and 'no' as booleans
        data = _with_optional_fields(rel, load_text(text, rel).data)
        hostile = _hostile_strings(copy.deepcopy(data), corpus)
        # the glossary's abbreviations appear as tooltips on every page: give them short hostile text,
        # and one of them the backslash that once kept an abbreviation line from being one
        if rel == "glossary.yml":
            for term in hostile["terms"]:
                if "abbreviation" in term:
                    counter[0] += 1
                    term["abbreviation"] = short_payload(corpus, counter[0])
            backslash = [entry for entry in corpus if entry.startswith("Back\\slash")]
            hostile["terms"][0]["abbreviation"] = backslash[0] if backslash else hostile["terms"][0]["abbreviation"]
        # a case's flags are Line fields too; give the case a flag and a variant so both are covered
        if rel == "scenarios/first-day.yml":
            hostile["flags"] = {"talked": short_payload(corpus, 3)}
            hostile["nodes"]["start"]["choices"][0]["set"] = {"talked": True}
            hostile["nodes"]["talk"]["variants"] = [{"when": {"flag": "talked"}, "text": long_payload(corpus)}]
            hostile["nodes"]["talk"]["choices"].append({"label": short_payload(corpus, 7), "goto": "wait",
                                                        "feedback": long_payload(corpus), "when": {"flag": "talked"}})
        if rel == EXPLAINER_FILE:
            # An explainer's title was run as a template (see the focused test below); with template
            # text in it the whole build stops, and no page could be checked.
            hostile["title"] = short_payload(corpus, 0, braces=False)
        hostile = _fit_to_model(hostile, KINDS[KIND_OF[rel]].model, corpus, counter)
        out[rel] = yaml.safe_dump(hostile, allow_unicode=True, sort_keys=False, width=10 ** 6)
    return out


def write_hostile_project(root: Path, corpus: list[str]) -> Project:
    project = Project(make_project(root))
    for rel, text in hostile_sources(corpus).items():
        project.write_raw(rel, text)
    project.write_raw("docs/school-staff/index.md", MACRO_PAGE)
    return project


# -- which hostile text the validator lets through ---------------------------------------------------

def _problems_for(root: Path, entry: str) -> list:
    """The errors load_library reports for a project whose policy holds 'entry' in a Text and a Line field."""
    from essw.sources import load_library

    rel = "policies/consent-protocol.yml"
    data = load_text(SOURCES[rel], rel).data
    data["summary"] = entry
    data["steps"][0]["text"] = entry
    if len(entry) <= LINE_MAX:
        data["steps"][0]["title"] = entry.replace("\n", " ")
    (root / rel).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10 ** 6), encoding="utf-8")
    try:
        return load_library(root)[1].errors
    finally:
        (root / rel).write_text(SOURCES[rel], encoding="utf-8")


@pytest.fixture(scope="module")
def accepted_corpus(tmp_path_factory) -> list[str]:
    """The corpus entries the validator accepts (the rest are refused with a clear message, which the
    brief allows, and which test_the_whole_corpus_is_refused_clearly_or_builds checks)."""
    root = make_project(tmp_path_factory.mktemp("corpus") / "project")
    accepted = [entry for entry in CORPUS if not _problems_for(root, entry)]
    assert len(accepted) >= len(CORPUS) // 2, f"only {accepted} of the corpus is accepted"
    return accepted


CLEAR_PROBLEM = re.compile(r"^(?P<path>[\w./-]+\.ya?ml):(?P<line>\d+):(?P<column>\d+): \S")


def assert_refused_clearly(project: Project, result) -> list[str]:
    """A refused build: exit 1, no traceback, nothing built, and each problem on a 'path:line:column:' line."""
    assert "Traceback" not in result.output, result.output[-3000:]
    assert result.returncode == 1, result.output[-3000:]
    assert "Nothing was built" in result.stderr, result.output[-3000:]
    assert not project.path("site").exists()
    lines = [line for line in result.stderr.splitlines() if CLEAR_PROBLEM.match(line)]
    assert lines, result.stderr[-3000:]
    for line in lines:
        match = CLEAR_PROBLEM.match(line)
        path = project.path(match["path"])
        assert path.is_file(), line
        assert 1 <= int(match["line"]) <= path.read_text(encoding="utf-8").count("\n") + 1, line
    return lines


def test_the_whole_corpus_is_refused_clearly_or_builds(tmp_path):
    project = write_hostile_project(tmp_path / "project", CORPUS)
    result = project.run("build", "--no-packs", timeout=300)
    if result.returncode != 0:
        assert_refused_clearly(project, result)
    else:
        assert project.path("site/index.html").is_file()


# -- the build of everything the validator accepts --------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, accepted_corpus) -> Project:
    project = write_hostile_project(tmp_path_factory.mktemp("injection") / "project", accepted_corpus)
    library, report = project.library()
    assert [p.format()[:300] for p in report.errors] == [], "the hostile project must be valid"
    # the packs are checked from their HTML (test_search_index_and_pack_html_hold_no_live_script)
    result = project.run("build", "--no-packs", timeout=300)
    assert "Traceback" not in result.output, result.output[-3000:]
    assert result.returncode == 0, f"valid sources did not build:\n{result.output[-3000:]}"
    return project


def test_the_hostile_project_really_is_hostile(hostile_site, accepted_corpus):
    library, _ = hostile_site.library()
    case = library.entries["first-day"].item
    assert "<script>alert(1)</script>" in accepted_corpus and "<script>alert(1)</script>" in case.summary
    assert LONG_WORD in case.nodes["start"].text
    for line in (case.title, case.nodes["start"].choices[0].label, case.owner, library.terms["dsl"].term):
        assert any(entry.replace("\n", " ") in line for entry in accepted_corpus), line
    assert "hostile-explainer" in library.entries


class Elements(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {k: v or "" for k, v in attrs}))
        self._script = tag == "script"
        if self._script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script:
            self.scripts[-1] += data


URL_ATTRS = ("href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcdoc")


def _squash(value: str) -> str:
    return re.sub(r"[\s\x00-\x1f]", "", value).lower()


def dangerous_in_html(text: str) -> list[str]:
    """What the raw HTML of a page would do if a browser ran it."""
    page = Elements(text)
    found = []
    for tag, attrs in page.found:
        for name, value in attrs.items():
            if name in URL_ATTRS and _squash(value).startswith(("javascript:", "vbscript:", "data:text/html")):
                found.append(f"<{tag} {name}={value[:60]!r}>")
            if name.startswith("on") and (MARKER in value or "alert(" in value):
                found.append(f"<{tag} {name}={value[:60]!r}>")
        if tag in ("iframe", "object", "embed", "form", "svg", "details", "textarea", "style") and \
                any("alert" in v or MARKER in v for v in attrs.values()):
            found.append(f"<{tag} {attrs}>")
    for script in page.scripts:
        if MARKER in script or "alert(1)" in script:
            found.append(f"<script>{script[:80]!r}")
    return found


def test_no_built_page_holds_a_script_handler_or_javascript_link(hostile_site):
    site = hostile_site.path("site")
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 10
    problems = {}
    for path in pages:
        text = path.read_text(encoding="utf-8")
        found = dangerous_in_html(text)
        if f"{TEMPLATE_MARK}49{TEMPLATE_MARK}" in text:
            found.append("'{{ 7*7 }}' was evaluated to 49")
        if found:
            problems[path.relative_to(site).as_posix()] = found
    assert not problems, json.dumps(problems, indent=1)[:6000]


def test_the_template_text_is_shown_as_written(hostile_site):
    """Not evaluated, and not silently dropped either: readers see '{{ 7*7 }}' where the author wrote it."""
    for rel in ("site/library/case-studies/first-day.html", "site/library/parents/hostile-explainer.html",
                "site/school-staff/index.html"):
        text = hostile_site.read(rel)
        assert f"{TEMPLATE_MARK}49{TEMPLATE_MARK}" not in text, rel
        assert re.search(rf"{TEMPLATE_MARK}(\{{|&#123;|&#x7b;){{2}} 7\*7 (\}}|&#125;|&#x7d;){{2}}{TEMPLATE_MARK}", text,
                         re.I), f"the literal '{{{{ 7*7 }}}}' is missing from {rel}"


def test_search_index_and_pack_html_hold_no_live_script(hostile_site):
    """The search box turns the folder-copy index into result HTML (it escapes all but its own <mark>,
    tested in the browser above), so the index file itself must not end its script early; the theme's
    own index is not built at all; the packs are HTML turned into PDF."""
    assert "</" not in hostile_site.read("site/search/essw-offline-index.js")
    assert not (hostile_site.path("site") / "search" / "search_index.json").exists()
    from conftest import indexed_text, offline_index

    texts = [indexed_text(doc) for doc in offline_index(hostile_site.path("site"))]
    assert any("onerror" in t for t in texts), "the hostile text is not in the index, so this test proves nothing"
    from essw.packs import PackMaker

    library, _ = hostile_site.library()
    packs = PackMaker(library, site_name="Test").packs()
    assert packs
    for pack in packs:
        assert f"{TEMPLATE_MARK}49{TEMPLATE_MARK}" not in pack.html
        assert not dangerous_in_html(pack.html), (pack.filename, dangerous_in_html(pack.html)[:10])


# -- focused tests: one hostile thing each ----------------------------------------------------------------

def _built_or_refused(project: Project, rel: str, needle: str):
    """Build; return the site folder, or None after checking that rel's line with needle was refused clearly."""
    result = project.run("build", "--no-packs")
    if result.returncode == 0:
        return project.path("site")
    lines = assert_refused_clearly(project, result)
    line = project.line_of(rel, needle)
    assert any(text.startswith(f"{rel}:{line}:") for text in lines), (rel, line, lines)
    return None


@pytest.mark.parametrize("link", [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1) 'a title')",
    "![image](javascript:alert(1))",
    "[click][evil]\\n\\n[evil]: javascript:alert(1)",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
], ids=["link", "capitals", "spaces-and-title", "image", "reference", "data-url", "vbscript"])
def test_a_markdown_link_never_becomes_a_script_url(project, link):
    """Author Markdown may make links, but never javascript:, vbscript: or data: ones.

    Failed at commit 98e6ae3: essw/generate.py safe_markdown() escapes '&', '<', '{' and '}' but leaves
    Markdown link syntax alone, so these became <a href="javascript:alert(1)"> and
    <img src="javascript:alert(1)"> on the built page (and in the PDF packs, through the same
    function); clicking the link ran the script. Either refusal at the source line or a built page
    with no such URL passes.
    """
    rel = "scenarios/first-day.yml"
    project.replace(rel, "    text: Sam arrives late and quiet.", f'    text: "Sam arrives late. {link}"')
    site = _built_or_refused(project, rel, "Sam arrives late. ")
    if site is not None:
        page = (site / "library/case-studies/first-day.html").read_text(encoding="utf-8")
        bad = [f"<{tag} {name}={value[:50]!r}>" for tag, attrs in Elements(page).found for name, value in attrs.items()
               if name in URL_ATTRS and _squash(value).startswith(("javascript:", "vbscript:", "data:"))]
        assert not bad, bad


def test_tags_are_shown_as_text_not_as_html(project):
    """A tag is a plain word or phrase; '<img ...>' in a tag must be shown as text.

    Failed at commit 98e6ae3: essw/generate.py (Generator.tags_for, used for the front matter of
    every page) passed tags through unescaped, while titles and descriptions went through plain();
    Material writes tag names into the page (<nav class="md-tags">), tags.json and the search index
    (whose results are inserted as HTML) without escaping, so a tag '<img src=x onerror=alert(1)>'
    ran on the item's page and in search results.
    """
    rel = "policies/consent-protocol.yml"
    tag = "<img src=x onerror=alert(1)>"
    project.replace(rel, "tags: [consent]", f'tags: [consent, "{tag}", "</span><script>alert(1)</script>"]')
    site = _built_or_refused(project, rel, "tags: [consent")
    if site is None:
        return
    page = (site / "library/protocols/consent-protocol.html").read_text(encoding="utf-8")
    tags = re.findall(r'<span class="md-tag[^"]*">(.*?)</span>', page, re.S)
    assert any("img src=x" in t for t in tags), "the hostile tag is not shown"
    live = [t.strip()[:80] for t in tags if re.search(r"<(script|img|svg|a|iframe)\b", t)]
    assert not live, live
    assert not dangerous_in_html(page), dangerous_in_html(page)
    for extra in ("search/search_index.json", "tags.json"):
        if (site / extra).exists():
            assert "<img src=x onerror" not in (site / extra).read_text(encoding="utf-8"), extra


def test_an_unclosed_code_fence_stays_inside_its_own_field(project):
    """One field's Markdown must not swallow the page around it.

    Failed at commit d37b3f6 (fixed by closing fences per field in safe_markdown): a case whose summary holds an unclosed '```' and whose first node holds
    another one: safe_markdown leaves fences alone, so the first fence opens a code block that runs
    until the second, and everything between - the page's own <div class="essw-case">, the node's
    heading - is shown as code; the player never starts. (One unclosed fence alone is harmless: with no
    closing fence later on the page, it is not a fence at all.)
    """
    project.write_raw(FENCED_CASE_FILE, FENCED_CASE)
    site = _built_or_refused(project, FENCED_CASE_FILE, "Another one:")
    if site is None:
        return
    page = (site / "library/case-studies/fenced.html").read_text(encoding="utf-8")
    elements = Elements(page).found
    assert any(tag == "div" and "essw-case" in attrs.get("class", "").split() for tag, attrs in elements), \
        "the case's <div class='essw-case'> is not an element of the page"
    assert any(attrs.get("id") == "node-start" for _, attrs in elements), "the case's first node is not on the page"


def test_an_explainer_title_is_never_run_as_a_template(project):
    """Author text is never a template, not even a page title.

    Failed at commit 98e6ae3: explainer pages are generated with 'render_macros: true' (essw/templates/
    pages/explainer.md.j2) so they can show local contacts, and the title went into their front
    matter through plain() (essw/generate.py), which escaped HTML but not '{' and '}'. mkdocs-macros
    then rendered the title as Jinja: 'Sum {{ 7*7 }}' appeared as 'Sum 49' in the navigation of every
    page, and '{{ cycler.__init__.__globals__.os.getcwd() }}' ran Python at build time (os.system
    too), so whoever could edit an explainer could run commands on the machine that builds the site.
    """
    title = "Sum {{ 7*7 }} in {{ cycler.__init__.__globals__.os.getcwd() }}"
    project.write_raw(EXPLAINER_FILE,
                      EXPLAINER.replace("title: What a school social worker does", f"title: {json.dumps(title)}"))
    site = _built_or_refused(project, EXPLAINER_FILE, "title:")
    if site is None:
        return
    evaluated = [p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html"))
                 if "Sum 49" in (text := p.read_text(encoding="utf-8")) or f"in {project.root}" in text]
    assert not evaluated, f"the title was run as a template on {len(evaluated)} pages, e.g. {evaluated[:3]}"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Sum {{ 7*7 }}" in home or "Sum &#123;&#123; 7*7 &#125;&#125;" in home


def test_a_glossary_abbreviation_cannot_put_html_on_every_page(project):
    """Abbreviations become '*[ABBR]: term' lines of a snippet appended to every page.

    Failed before commit 3f654c1 (which restricts abbreviations to letters, digits and a few marks):
    essw/generate.py Generator.abbreviations() writes the abbreviation into that line as it is.
    Python-Markdown's abbr pattern does not accept a backslash inside '*[...]', so an abbreviation such as
    'DSL\\ <img src=x onerror=alert(1)>' left the line an ordinary paragraph, and its raw HTML - here a
    script that ran - was on every page of the site (a harmless abbreviation with a backslash, such as
    'CIN\\CP', put a stray '*[CIN\\CP]: ...' line at the foot of every page).
    """
    abbreviation = "DSL\\ <img src=x onerror=alert(1)>"
    project.replace("glossary.yml", "    abbreviation: DSL\n", f"    abbreviation: {json.dumps(abbreviation)}\n")
    site = _built_or_refused(project, "glossary.yml", "abbreviation: \"DSL")
    if site is None:
        return
    for rel in ("index.html", "library/roles/dsl-role.html"):
        page = (site / rel).read_text(encoding="utf-8")
        assert not dangerous_in_html(page), (rel, dangerous_in_html(page))
        assert "*[DSL" not in page, f"the abbreviation line is shown as text on {rel}"


def test_a_broken_relative_link_in_author_text_is_reported_at_its_source_line(project):
    """A link to a page that does not exist cannot build; the message must name the source and line.

    Failed at commit d37b3f6 (fixed in essw/checks/links.py): nothing in essw checks where a relative link in author Markdown goes,
    so 'essw validate' passes and 'essw build' stops in the site engine with "WARNING - Doc file
    'library/case-studies/first-day.md' contains a link 'form.pdf', but the target ... is not found",
    which names a generated file the author never edits, and no YAML file or line.
    """
    rel = "scenarios/first-day.yml"
    project.replace(rel, "    text: Sam arrives late and quiet.", "    text: Sam arrives late. See [the form](form.pdf).")
    result = project.run("build", "--no-packs")
    assert "Traceback" not in result.output
    assert result.returncode == 1, result.output[-2000:]
    assert not project.path("site").exists()
    line = project.line_of(rel, "[the form](form.pdf)")
    assert re.search(rf"^{re.escape(rel)}:{line}:\d+: ", result.stderr, re.M), result.stderr[-2000:]


# -- in the browser -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(hostile_site):
    srv = SiteServer(hostile_site.path("site"))
    yield srv
    srv.close()


DOM_CHECK = """(marker) => {
  const found = [];
  for (const s of document.querySelectorAll('script')) {
    if (s.type && s.type !== 'text/javascript' && s.type !== 'module') continue;
    if (s.text.includes(marker) || s.text.includes('alert(1)')) found.push('script: ' + s.text.slice(0, 80));
  }
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const v = a.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (a.name.startsWith('on') && (a.value.includes(marker) || a.value.includes('alert(')))
        found.push(el.tagName + ' ' + a.name + '=' + a.value.slice(0, 60));
      if (['href', 'src', 'action', 'formaction', 'data', 'srcdoc'].includes(a.name)
          && (v.startsWith('javascript:') || v.startsWith('vbscript:') || v.startsWith('data:text/html')))
        found.push(el.tagName + ' ' + a.name + '=' + a.value.slice(0, 60));
    }
  }
  for (const t of document.querySelectorAll('iframe, object, embed')) found.push('embedded ' + t.outerHTML.slice(0, 80));
  return found;
}"""


class Watch:
    """Everything a page does that it must not: dialogs, and console messages or errors with the marker."""

    def __init__(self, page):
        self.events: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda msg: MARKER in msg.text and self.events.append(f"console: {msg.text}"))
        page.on("pageerror", lambda err: MARKER in str(err) and self.events.append(f"error: {err}"))

    def _dialog(self, dialog):
        self.events.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()


@pytest.mark.browser
def test_every_page_in_chromium_runs_nothing_hostile(hostile_site, server, browser):
    site = hostile_site.path("site")
    context = browser.new_context()
    page = context.new_page()
    watch = Watch(page)
    found = {}
    for rel in sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")):
        page.goto(f"{server.url}/{rel}", wait_until="load")
        # hover and focus everything that could carry a handler, so onmouseover/onfocus would fire
        page.evaluate("""() => { for (const el of document.querySelectorAll('a, img, svg, details, h1, h2, h3, p, li, span, abbr'))
            { el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); if (el.focus) el.focus(); } }""")
        bad = page.evaluate(DOM_CHECK, MARKER)
        if f"{TEMPLATE_MARK}49{TEMPLATE_MARK}" in page.locator("body").inner_text():
            bad.append("'{{ 7*7 }}' shown as 49")
        if bad or watch.events:
            found[rel] = bad + watch.events
            watch.events = []
    context.close()
    assert not found, json.dumps(found, indent=1)[:6000]


@pytest.mark.browser
def test_playing_the_hostile_case_runs_nothing_hostile(hostile_site, server, browser):
    context = browser.new_context()
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{server.url}/library/case-studies/first-day.html", wait_until="load")
    player = page.locator(".essw-player")
    player.wait_for(state="visible", timeout=10_000)
    steps = 0
    for _ in range(6):
        buttons = page.locator(".essw-stage .essw-choice-btn")
        if buttons.count() == 0:
            break
        buttons.first.click()
        page.locator(".essw-feedback-box").wait_for(state="visible")
        assert not page.evaluate(DOM_CHECK, MARKER)
        page.locator(".essw-continue").click()
        page.locator(".essw-feedback-box").wait_for(state="detached")
        steps += 1
        assert not page.evaluate(DOM_CHECK, MARKER)
    assert steps >= 2
    assert page.locator(".essw-summary").is_visible(), "the case did not reach an ending"
    # the reflection box, the CPD record and going back work with hostile text around them
    page.locator(".essw-reflection").fill("</textarea><script>alert(1)</script>")
    with page.expect_download() as download:
        page.locator(".essw-cpd").click()
    record = Path(download.value.path()).read_text(encoding="utf-8")
    assert "&lt;script" in record and "<script>" not in record  # the learner's words, never markup
    page.locator(".essw-back").click()
    page.reload(wait_until="load")
    player.wait_for(state="visible")
    bad = page.evaluate(DOM_CHECK, MARKER)
    context.close()
    assert not bad and not watch.events, bad + watch.events


@pytest.mark.browser
def test_searching_for_the_hostile_text_runs_nothing_hostile(hostile_site, server, browser):
    context = browser.new_context()
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{server.url}/index.html", wait_until="load")
    shown = 0
    for query in ("script", "alert", "onerror", "img", MARKER, "textarea", "tag"):
        shown += len(site_search(page, query))
        bad = page.evaluate(DOM_CHECK, MARKER)
        assert not bad, (query, bad)
    context.close()
    assert shown, "the search found nothing at all, so it was not tested"
    assert not watch.events, watch.events
