"""The knowledge base as a whole: enough content of each kind, links that work both ways, every
abbreviation explained, nothing orphaned, and checklists that remember their ticks."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO
from essw.sources import load_library

pytestmark = pytest.mark.slow

ROLE_IDS = {"essw", "dsl", "teacher-pastoral", "school-leader", "senco-link", "educational-psychologist",
            "front-door-manager", "parent-carer"}
PROTOCOL_IDS = {"consent", "holding-zone", "recording", "information-sharing", "levels-of-need", "making-a-referral",
                "responding-to-a-disclosure", "early-help-and-tac", "exclusions-and-behaviour", "escalation"}
# Capitals that are not abbreviations a reader needs explained.
NOT_ABBREVIATIONS = {"UK", "OK", "TV", "II", "III", "IV", "A4",
                     "GOV", "HM", "ACT"}  # names, not abbreviations: GOV.UK, HM Government, ACT Early


@pytest.fixture(scope="module")
def library():
    library, report = load_library(REPO)
    assert not report.errors, "\n".join(p.format() for p in report.errors)
    return library


def refs(entry) -> set[str]:
    from essw.library import references

    return {ref for _, _, ref in references(entry.doc.data, ())}


def test_the_eight_role_guides_and_ten_protocols_exist(library):
    roles = {e.item.id for e in library.of_kind("role")}
    protocols = {e.item.id for e in library.of_kind("policy")}
    assert ROLE_IDS <= roles, ROLE_IDS - roles
    assert PROTOCOL_IDS <= protocols, PROTOCOL_IDS - protocols


def test_every_protocol_has_steps_decisions_legal_basis_sources_and_a_parents_summary(library):
    for entry in library.of_kind("policy"):
        p = entry.item
        assert len(p.steps) >= 3, p.id
        assert p.decisions, p.id
        assert any(l.strength == "must" for l in p.legal_basis), p.id
        assert p.sources and all(library.publications[s.publication].edition for s in p.sources), p.id
        assert p.for_parents, f"{p.id} has no 'what this means for parents' summary"
        assert p.process, f"{p.id} has no process stage for navigation by process"


def test_every_role_links_to_a_protocol_and_a_case(library):
    for entry in library.of_kind("role"):
        linked = refs(entry)
        kinds = {library.entries[r].kind.name for r in linked if r in library.entries}
        assert "policy" in kinds, f"role {entry.item.id} links to no protocol"
        assert "case" in kinds, f"role {entry.item.id} links to no case study"


def test_every_protocol_is_linked_from_a_role(library):
    from_roles = set().union(*(refs(e) for e in library.of_kind("role")))
    for entry in library.of_kind("policy"):
        assert entry.item.id in from_roles, f"no role guide links to the protocol {entry.item.id}"


def test_at_least_twelve_cases_and_forty_glossary_terms(library):
    assert len(library.of_kind("case")) >= 12
    assert len(library.terms) >= 40


class _Text(HTMLParser):
    """Text of the article, with abbreviations that carry a tooltip left out."""

    SKIP = {"abbr", "code", "pre", "script", "style"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        if self.depth and tag in self.SKIP:
            self.skip += 1
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if self.depth and tag in self.SKIP and self.skip:
            self.skip -= 1
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def parse(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(repo_site):
    return repo_site


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def test_every_abbreviation_on_every_page_is_explained(site, library):
    """Capitals with no tooltip fail, unless written out right before them: 'Term (ABBR)'."""
    spelled_out = {t.abbreviation: t.term.lower() for t in library.terms.values() if t.abbreviation}
    unexplained: dict[str, set[str]] = {}
    for page in html_pages(site):
        text = " ".join(parse(page).parts)
        for match in re.finditer(r"\b[A-Z][A-Z0-9]{1,}s?\b", text):
            word = match.group(0)
            before = text[max(0, match.start() - 120):match.start()].lower()
            if word in spelled_out and before.rstrip().endswith(spelled_out[word] + " ("):
                continue
            if word.rstrip("s") not in NOT_ABBREVIATIONS:
                unexplained.setdefault(word, set()).add(str(page.relative_to(site)))
    assert not unexplained, "abbreviations with no glossary entry (no tooltip): " + "; ".join(
        f"{w} on {sorted(p)[:3]}" for w, p in sorted(unexplained.items()))


def test_every_case_is_linked_from_the_levels_of_need_page(site, library):
    page = site / "new-to-the-role" / "levels-of-need.html"
    links = parse(page).links
    for entry in library.of_kind("case"):
        assert any(link.endswith(f"case-studies/{entry.item.id}.html") for link in links), entry.item.id


def reachable_from_home(site: Path) -> set[Path]:
    """Every page a reader can reach from the home page by following links (menu and text)."""
    home = (site / "index.html").resolve()
    seen, todo = {home}, [home]
    while todo:
        page = todo.pop()
        for href in parse(page).links:
            target = href.split("#")[0]
            if not target or "://" in target or target.startswith(("mailto:", "tel:", "data:", "javascript:")):
                continue
            path = (page.parent / target).resolve()
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file() and path not in seen:
                seen.add(path)
                todo.append(path)
    return seen


def test_no_page_is_orphaned(site):
    """Every built page is reachable from the home page, whether through the menu or an index page."""
    reached = reachable_from_home(site)
    orphans = [str(p.relative_to(site)) for p in html_pages(site) if p.resolve() not in reached]
    assert not orphans, f"pages no link leads to: {orphans}"


def test_the_menu_lists_each_small_section_in_full(site, library):
    """Below MENU_ITEMS_MAX items a section's items are in the menu; the site is far below it today."""
    from essw.generate import MENU_ITEMS_MAX

    html = (site / "index.html").read_text(encoding="utf-8")
    menu = html[html.index('<nav class="md-nav md-nav--primary"'):]
    for entry in library.of_kind("case"):
        assert len(library.of_kind("case")) <= MENU_ITEMS_MAX
        assert f'href="library/case-studies/{entry.item.id}.html"' in menu, entry.item.id


def test_every_protocol_has_a_case_study_that_uses_it(library):
    from_cases = set().union(*(refs(e) for e in library.of_kind("case")))
    for entry in library.of_kind("policy"):
        assert entry.item.id in from_cases, f"no case study links to the protocol {entry.item.id}"


def test_the_glossary_a_to_z_links_jump_to_the_first_term_of_each_letter(site, library):
    page = (site / "library" / "glossary" / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav[^>]*class="essw-az"[^>]*>(.*?)</nav>', page, re.S)
    assert nav, "no A to Z links"
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav.group(1))
    terms = sorted(library.terms.values(), key=lambda t: t.term.lower())
    expected = {}
    for t in terms:
        expected.setdefault(t.term[:1].upper(), t.id)
    assert [(letter, target) for target, letter in links] == list(expected.items())
    for target, _ in links:
        assert f'id="{target}"' in page, target
