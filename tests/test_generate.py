"""The generator: pages for every kind, stale pages removed, unchanged pages left alone, author text
shown as text (never run as a template or as HTML), and a docs/library it did not make left alone."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from conftest import PAGES, Project, make_project, parse_page
from essw.generate import generate
from essw.layout import MARKER

LIB = "docs/library"


def md(project: Project, item: str) -> str:
    return project.read(f"docs/{PAGES[item]}.md")


def test_generate_writes_a_page_for_every_kind(project, cli):
    result = cli(project, "generate")
    assert result.returncode == 0, result.output
    for item in PAGES:
        assert project.path(f"docs/{PAGES[item]}.md").is_file(), item
    for section in ("case-studies", "protocols", "roles", "workshops", "paths"):
        assert project.path(f"{LIB}/{section}/index.md").is_file(), section
    assert project.path(f"{LIB}/{MARKER}").is_file()

    case = md(project, "first-day")
    assert '\ntitle: "First day back"\n' in case
    assert "\n# First day back\n" in case
    assert '<section class="essw-node essw-node-end" id="node-the-end" data-node="the-end"' in case
    assert "### Ending: The end\n" in case
    assert "[Tell the DSL the same day](#node-the-end)" in case
    assert "[Consent protocol](../protocols/consent-protocol.md)" in case
    assert "[Designated safeguarding lead](../glossary/index.md#dsl)" in case

    policy = md(project, "consent-protocol")
    assert "### Must (required by law or statutory guidance)" in policy
    assert '??? question "Is the child at risk of significant harm?"' in policy
    assert "[First day back](../case-studies/first-day.md)" in policy

    assert "## Working with the school social worker" in md(project, "dsl-role")
    workshop = md(project, "parents-evening")
    assert "| 15 | Welcome and ground rules | Keep it informal. |" in workshop
    assert "| **60** | **Total** | |" in workshop
    path = md(project, "induction")
    assert "## Step 1: Learn the consent protocol" in path
    assert "Read: [First day back](../case-studies/first-day.md)" in path
    glossary = md(project, "glossary")
    assert "## Designated safeguarding lead (DSL) {#dsl}" in glossary
    assert '!!! info "What it is now"' in glossary
    assert "## Early help {#early-help}" in glossary

    index = project.read(f"{LIB}/protocols/index.md")
    assert "- **[Consent protocol](consent-protocol.md)**: When and how to ask" in index


def test_generate_writes_navigation_and_abbreviations(project, cli):
    assert cli(project, "generate").returncode == 0
    nav = yaml.safe_load(project.read(f"{LIB}/.nav.yml"))["nav"]
    assert nav[0] == {"Home": "index.md"}
    sections = {title: pages for entry in nav[1:] if isinstance(entry, dict) for title, pages in entry.items()}
    assert sections["Case studies"] == ["library/case-studies/index.md",
                                        {"First day back": "library/case-studies/first-day.md"}]
    # Protocols are grouped by stage of the work; one without a 'process' goes under "Other protocols".
    assert sections["Protocols"] == ["library/protocols/index.md",
                                     {"Other protocols": [{"Consent protocol": "library/protocols/consent-protocol.md"}]}]
    assert sections["Glossary"] == "library/glossary/index.md"
    abbreviations = project.read(f"{LIB}/.abbreviations.md").splitlines()
    assert abbreviations == ["*[DSL]: Designated safeguarding lead", "*[DSLs]: Designated safeguarding lead (more than one)",
                             "*[ESSW]: Extended schools social worker",
                             "*[ESSWs]: Extended schools social worker (more than one)"]


def test_a_long_section_is_reached_through_its_index_page_not_the_menu(project, cli, monkeypatch):
    """Above MENU_ITEMS_MAX items the menu lists only the section's index, which links every item,
    so no page carries a menu that grows with the library (see the benchmark)."""
    monkeypatch.setattr("essw.generate.MENU_ITEMS_MAX", 0)
    assert cli(project, "generate").returncode == 0
    nav = yaml.safe_load(project.read(f"{LIB}/.nav.yml"))["nav"]
    sections = {title: pages for entry in nav[1:] if isinstance(entry, dict) for title, pages in entry.items()}
    assert sections["Case studies"] == ["library/case-studies/index.md"]
    assert sections["Protocols"] == ["library/protocols/index.md"]
    assert "(first-day.md)" in project.read(f"{LIB}/case-studies/index.md")
    assert "(consent-protocol.md)" in project.read(f"{LIB}/protocols/index.md")


def test_mkdocs_yml_inherits_the_generated_navigation(project):
    config = project.read("mkdocs.yml")
    assert "INHERIT: docs/library/.nav.yml" in config
    assert "docs/library/.abbreviations.md" in config


def test_deleting_a_source_removes_its_page(project, cli):
    assert cli(project, "generate").returncode == 0
    page = project.path(f"docs/{PAGES['induction']}.md")
    assert page.is_file()
    project.path("paths/induction.yml").unlink()
    result = cli(project, "generate")
    assert result.returncode == 0, result.output
    assert not page.exists()
    assert "1 removed" in result.stderr
    assert "induction" not in project.read(f"{LIB}/.nav.yml")
    assert "induction" not in project.read(f"{LIB}/paths/index.md")


def test_renaming_an_id_replaces_the_page(project, cli):
    assert cli(project, "generate").returncode == 0
    project.replace("workshops/parents-evening.yml", "id: parents-evening", "id: parents-session")
    assert cli(project, "generate").returncode == 0
    assert not project.path(f"{LIB}/workshops/parents-evening.md").exists()
    assert project.path(f"{LIB}/workshops/parents-session.md").is_file()


def test_unchanged_content_is_not_rewritten(project, cli):
    assert cli(project, "generate").returncode == 0
    files = sorted(p for p in project.path(LIB).rglob("*") if p.is_file())
    before = {p: p.stat().st_mtime_ns for p in files}
    result = cli(project, "generate")
    assert result.returncode == 0
    assert f"0 written, {len(files)} unchanged, 0 removed" in result.stderr
    assert {p: p.stat().st_mtime_ns for p in files} == before

    # one changed source rewrites its own page (and nothing unrelated)
    project.replace("roles/dsl-role.yml", "The DSL and the ESSW meet every week.", "They meet every fortnight.")
    result = cli(project, "generate")
    assert "1 written" in result.stderr
    changed = {p for p in files if p.stat().st_mtime_ns != before[p]}
    assert changed == {project.path(f"docs/{PAGES['dsl-role']}.md")}


def test_generate_refuses_a_docs_library_it_did_not_create(project, cli):
    mine = project.write(f"{LIB}/my-notes.md", "# My own notes\n")
    result = cli(project, "generate")
    assert result.returncode == 2  # the command was asked to overwrite what it did not make
    assert "essw did not make" in result.stderr and "will not overwrite" in result.stderr
    assert "Traceback" not in result.output
    assert mine.read_text(encoding="utf-8") == "# My own notes\n"
    assert sorted(p.name for p in project.path(LIB).rglob("*")) == ["my-notes.md"]


def test_generate_into_an_empty_docs_library_is_fine(project, cli):
    project.path(LIB).mkdir(parents=True)
    assert cli(project, "generate").returncode == 0


def test_generate_does_not_write_when_sources_have_errors(project, cli):
    project.replace("roles/dsl-role.yml", "id: dsl-role", "id: Bad_Id")
    result = cli(project, "generate")
    assert result.returncode == 1
    assert not project.path(LIB).exists()


def test_overdue_page_tells_the_reader(project):
    library, _ = project.library()
    out = project.path("docs")
    generate(library, out, today=dt.date(2036, 1, 1))
    assert '!!! warning "This page is due for review"' in md(project, "dsl-role")
    assert "was due for review on 15 January 2035" in md(project, "dsl-role")
    generate(library, out, today=dt.date(2030, 1, 1))
    assert "due for review" not in md(project, "dsl-role")


def test_internal_items_only_in_the_internal_build(project, cli):
    project.replace("workshops/parents-evening.yml", "owner: ESSW team manager", "owner: ESSW team manager\nvisibility: internal")
    assert cli(project, "generate").returncode == 0
    assert not project.path(f"docs/{PAGES['parents-evening']}.md").exists()
    assert "parents-evening" not in project.read(f"{LIB}/.nav.yml")
    assert cli(project, "generate", "--internal").returncode == 0
    assert '!!! warning "Internal: staff only"' in md(project, "parents-evening")


def test_public_item_linking_to_an_internal_item(project, cli):
    """Validation passes, so the public build must not crash: today the generator raises KeyError
    ('unexpected internal error', exit 3) because the linked role was dropped from the public library.
    Either validate should report the link at its file:line, or generate should leave the link out."""
    project.replace("roles/dsl-role.yml", "owner: ESSW team manager", "owner: ESSW team manager\nvisibility: internal")
    result = project.run("generate")
    assert "unexpected internal error" not in result.output
    assert result.returncode in (0, 1), result.output
    if result.returncode == 1:
        line = project.line_of("policies/consent-protocol.yml", "roles: [dsl-role]")
        assert f"policies/consent-protocol.yml:{line}:" in result.stderr
    else:
        assert not project.path(f"docs/{PAGES['dsl-role']}.md").exists()
        assert "dsl-role" not in md(project, "consent-protocol")


# -- author text is text ------------------------------------------------------------------------------

HOSTILE_TEXT = "Total {{ 7*7 }} and {% if true %}IFTAG{% endif %} and <script>alert(1)</script> end."


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Project:
    """A project whose sources contain template syntax, HTML and Markdown attribute syntax, built once."""
    project = Project(make_project(tmp_path_factory.mktemp("hostile") / "project"))
    pol = "policies/consent-protocol.yml"
    project.replace(pol, "    text: Ask the parent or carer for consent.", f"    text: \"{HOSTILE_TEXT}\"")
    project.replace(pol, "  - title: Record\n", "  - title: 'Record {: onclick=\"alert(3)\" }'\n")
    project.replace(pol, "question: Is the child at risk of significant harm?", 'question: "Is A < B & C at risk?"')
    project.replace(pol, "summary: When and how to ask a family for consent before sharing information.",
                    "summary: 'Consent, \"in quotes\" data-injected=\"yes\"'")
    project.replace("roles/dsl-role.yml", "title: Designated safeguarding lead",
                    'title: "Lead <script>alert(2)</script> {{ 7*7 }}"')
    project.replace("roles/dsl-role.yml", "  - Leads on safeguarding in the school.",
                    f"  - \"{HOSTILE_TEXT}\"")
    project.write("docs/index.md", """\
        ---
        render_macros: true
        ---
        # Home

        The DSL and the ESSW.

        {{ items(kind="role") }}
        """)
    result = project.run("build")
    assert result.returncode == 0, result.output
    return project


def site_page(project: Project, item: str):
    return parse_page(project.path(f"site/{PAGES[item]}.html"))


def test_template_syntax_and_html_in_a_text_field_are_shown_as_text(hostile_site):
    page = site_page(hostile_site, "consent-protocol")
    assert HOSTILE_TEXT in page.text
    assert "Total 49" not in page.text
    assert not any("alert(1)" in body for body in page.scripts)
    role = site_page(hostile_site, "dsl-role")
    assert HOSTILE_TEXT in role.text
    assert not any("alert(1)" in body for body in role.scripts)


def test_hand_written_page_listing_items_keeps_their_text_as_text(hostile_site):
    home = parse_page(hostile_site.path("site/index.html"))
    assert "{{ 7*7 }}" in home.text
    assert "Lead 49" not in home.text


def test_html_in_a_title_is_shown_as_text_on_every_page(hostile_site):
    """A title goes into the page's <title>, header, navigation and every other page's menu.

    generate.py writes item titles unescaped into the front matter and .nav.yml, and MkDocs puts
    them into the HTML as they are, so '<script>' in a title becomes a live script on every page.
    """
    role = site_page(hostile_site, "dsl-role")
    assert "Lead <script>alert(2)</script> {{ 7*7 }}" in role.text  # the heading shows it as text
    offenders = []
    for html_file in sorted(hostile_site.path("site").rglob("*.html")):
        if any("alert(2)" in body for body in parse_page(html_file).scripts):
            offenders.append(html_file.relative_to(hostile_site.root).as_posix())
    assert offenders == [], f"a title's <script> runs on: {offenders}"


def test_markdown_attribute_syntax_cannot_add_event_handlers(hostile_site):
    """'{: onclick=... }' in author text must not become an attribute (attr_list is enabled)."""
    page = site_page(hostile_site, "consent-protocol")
    handlers = [(tag, name) for tag, attrs in page.elements for name in attrs if name.startswith("on")]
    assert handlers == []


def test_special_characters_in_a_decision_question_are_shown_once_escaped(hostile_site):
    """policy.md.j2 pipes the question through |inline and then |attr, escaping it twice, so
    readers see 'Is A &lt; B &amp; C at risk?'."""
    page = site_page(hostile_site, "consent-protocol")
    assert "Is A < B & C at risk?" in page.text
    assert "&lt;" not in page.text and "&amp;" not in page.text


def test_quotes_in_a_summary_stay_inside_the_meta_description(hostile_site):
    """The summary becomes <meta name="description" content="...">; a '"' must not end the attribute."""
    page = site_page(hostile_site, "consent-protocol")
    metas = [attrs for attrs in page.find("meta") if attrs.get("name") == "description"]
    assert len(metas) == 1
    assert "data-injected" not in metas[0]
    assert metas[0]["content"] == 'Consent, "in quotes" data-injected="yes"'


@pytest.mark.parametrize("text, closed", [
    ("Before\n```\ncode", "Before\n```\ncode\n```"),
    ("~~~~\nx\n~~~\ny", "~~~~\nx\n~~~\ny\n~~~~"),          # a shorter fence does not close a longer one
    ("```py\nx\n```\nafter", "```py\nx\n```\nafter"),      # a closed fence is left alone
    ("a ``` in a sentence", "a ``` in a sentence"),
])
def test_an_unclosed_code_fence_is_closed_within_its_own_field(text, closed):
    from essw.markdown_text import safe_markdown

    assert safe_markdown(text) == closed
