"""The register of publications and the record of changes (issue 16).

Every citation names an entry of publications.yml, so an edition is written once; statutory entries
left unchecked for six months are flagged; 'What's new' and its Atom feed list recorded changes with
absolute links. The repository's own content keeps names and editions in one place.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import REPO
from essw.checks.citations import months_later
from essw.model.case import LEVEL_NAMES
from essw.problems import WARNING
from test_validate import only, problems

REGISTER = "publications.yml"
POL = "policies/consent-protocol.yml"
ATOM = "{http://www.w3.org/2005/Atom}"


# -- citations and the register -------------------------------------------------------------------------

def test_a_citation_of_an_unknown_publication_names_file_line_field_and_a_near_id(project):
    project.replace(POL, "  - publication: working-together\n", "  - publication: working-togther\n")
    problem = only(project)
    assert (problem.path, problem.line) == (POL, project.line_of(POL, "working-togther"))
    assert problem.field_path == "sources[1].publication"
    assert "no publication with the id 'working-togther' in publications.yml" in problem.message
    assert "working-together" in problem.expected  # did you mean


def test_a_source_written_the_old_way_is_told_to_cite_the_register(project):
    project.replace(POL, "  - publication: working-together\n",
                    "  - title: Working Together to Safeguard Children\n    edition: '2023'\n")
    problem = only(project)
    assert problem.path == POL
    assert "cited by its id in the register" in problem.message and "publications.yml" in problem.message


def test_citations_without_a_register_are_errors_but_an_unreadable_register_reports_only_itself(project):
    project.path(REGISTER).unlink()
    found = problems(project)
    assert found and all("there is no publications.yml" in p.message for p in found), [p.format() for p in found]
    project.write_raw(REGISTER, "publications: [\n")  # broken YAML
    found = problems(project)
    assert [p.path for p in found] == [REGISTER], [p.format() for p in found]


def test_a_statutory_entry_unchecked_for_six_months_warns_and_fails_under_strict(project):
    stale = months_later(dt.date.today(), -7).isoformat()
    text = project.read(REGISTER)
    project.write_raw(REGISTER, re.sub(r"checked: \S+", f"checked: {stale}", text))
    problem = only(project, WARNING)
    assert (problem.path, problem.field_path) == (REGISTER, "publications[1].checked")
    assert "more than 6 months ago" in problem.message
    assert project.run("validate").returncode == 0
    strict = project.run("validate", "--strict")
    assert strict.returncode != 0 and "publications.yml" in strict.stderr


def test_research_is_not_flagged_however_old_its_check(project):
    text = project.read(REGISTER).replace("type: statutory-guidance", "type: research")
    project.write_raw(REGISTER, re.sub(r"checked: \S+", "checked: 2020-01-01", text))
    assert problems(project) == []


@pytest.mark.parametrize("old, new, message", [
    ("status: in-force", "status: replaced", "needs 'replaced_by'"),
    ("status: in-force", "status: in-force\n    replaced_by: working-together", "only for an entry whose status is 'replaced'"),
    ("url: https://www.gov.uk/", "url: www.gov.uk/", "must be one full web address starting https://"),
], ids=["replaced-without-successor", "successor-but-not-replaced", "address-without-https"])
def test_register_entries_that_contradict_themselves_are_errors(project, old, new, message):
    text = project.read(REGISTER)
    assert old in text
    project.write_raw(REGISTER, text.replace(old, new, 1))
    problem = only(project)
    assert problem.path == REGISTER and message in problem.message, problem.format()


def test_one_edit_of_the_register_changes_every_page_that_cites_it(project):
    assert project.run("generate").returncode == 0
    pages = [project.read(f"docs/library/{p}.md") for p in ("protocols/consent-protocol", "roles/dsl-role",
                                                           "case-studies/first-day")]
    assert all("Working Together to Safeguard Children" in p and ", 2026, in force." in p for p in pages)
    project.replace(REGISTER, 'edition: "2026"', 'edition: "2027"')
    assert project.run("generate").returncode == 0
    pages = [project.read(f"docs/library/{p}.md") for p in ("protocols/consent-protocol", "roles/dsl-role",
                                                           "case-studies/first-day")]
    assert all(", 2027, in force." in p and ", 2026," not in p for p in pages)
    register = project.read("docs/library/law-and-guidance/index.md")
    assert "**Edition we use:** 2027" in register
    assert "[Consent protocol](../protocols/consent-protocol.md)" in register  # the pages that rely on it


def _site_url(config: str) -> str:
    return re.search(r"(?m)^site_url:\s*(\S+)", config).group(1).rstrip("/") + "/"


# -- changes ------------------------------------------------------------------------------------------

def test_a_change_dated_in_the_future_is_an_error(project):
    later = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    project.replace(POL, "sources:\n", f"changes:\n  - date: {later}\n    note: Tomorrow's news.\nsources:\n")
    problem = only(project)
    assert (problem.path, problem.field_path) == (POL, "changes[1].date") and "in the future" in problem.message


def test_whats_new_and_the_feed_list_changes_newest_first_with_absolute_links(project):
    project.replace(POL, "sources:\n", "changes:\n  - date: 2025-02-01\n    note: Added the consent steps.\n"
                                        "  - date: 2025-03-04\n    note: Corrected the lawful basis <& more>.\nsources:\n")
    assert project.run("generate").returncode == 0
    page = project.read("docs/library/whats-new/index.md")
    assert page.index("4 March 2025") < page.index("1 February 2025")
    assert "[Consent protocol](../protocols/consent-protocol.md)" in page
    feed = ET.fromstring(project.read("docs/library/whats-new/feed.xml"))
    site_url = _site_url(project.read("mkdocs.yml"))
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}summary").text for e in entries] == ["Corrected the lawful basis <& more>.",
                                                                  "Added the consent steps."]
    assert {e.find(f"{ATOM}link").get("href") for e in entries} == {site_url + "library/protocols/consent-protocol.html"}
    assert feed.find(f"{ATOM}updated").text == "2025-03-04T00:00:00Z"
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == 2 and all(i.startswith("tag:") for i in ids)
    assert project.run("generate").returncode == 0  # ids stay the same from one build to the next
    again = ET.fromstring(project.read("docs/library/whats-new/feed.xml"))
    assert [e.find(f"{ATOM}id").text for e in again.findall(f"{ATOM}entry")] == ids


def test_without_a_site_url_there_is_no_feed_and_the_page_says_nothing_of_one(project):
    project.write_raw("mkdocs.yml", re.sub(r"(?m)^site_url:.*\n", "", project.read("mkdocs.yml")))
    assert project.run("generate").returncode == 0
    assert not project.path("docs/library/whats-new/feed.xml").exists()
    assert "Atom" not in project.read("docs/library/whats-new/index.md")


# -- the repository's own content -----------------------------------------------------------------------

def _texts() -> dict[str, str]:
    """Every source and hand-written page, by path, except the register itself."""
    out = {}
    for folder in ("policies", "roles", "explainers", "scenarios", "workshops", "paths"):
        for path in sorted((REPO / folder).rglob("*.yml")):
            out[path.relative_to(REPO).as_posix()] = path.read_text(encoding="utf-8")
    out["glossary.yml"] = (REPO / "glossary.yml").read_text(encoding="utf-8")
    for path in sorted((REPO / "docs").rglob("*.md")):
        rel = path.relative_to(REPO).as_posix()
        if not rel.startswith("docs/library/"):
            out[rel] = path.read_text(encoding="utf-8")
    return out


def test_no_page_states_an_edition_of_kcsie_the_register_keeps_it():
    # the current edition and later ones; history ("low-level concerns since KCSIE 2021") may stay
    edition = re.compile(r"(Keeping Children Safe in Education|KCSIE)[ ,(]*20(2[5-9]|[3-9]\d)|20(2[5-9]|[3-9]\d) edition of (KCSIE|Keeping)", re.I)
    found = [f"{rel}:{text[:m.start()].count(chr(10)) + 1}: {m.group(0)}"
             for rel, text in _texts().items() for m in edition.finditer(text)]
    assert not found, "say which edition applies in publications.yml (or with {{ edition('kcsie') }}):\n" + "\n".join(found)


def test_levels_of_need_are_named_as_the_model_names_them_everywhere():
    """'Level 2: early help' on one page and 'Level 2: additional needs' on another confuse a new worker."""
    short = {n: name.split(": ", 1)[1].lower() for n, name in LEVEL_NAMES.items()}
    naming = re.compile(r"\blevel ([1-4])(?::|,) ([a-z][a-z ]+)|\|\s*\**([1-4])\. ([A-Za-z][A-Za-z ]+?)\**\s*(?:\(|\|)", re.I)
    wrong = []
    for rel, text in _texts().items():
        for m in naming.finditer(text):
            number, words = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            if not words.lower().strip().startswith(short[int(number)]):
                wrong.append(f"{rel}: '{m.group(0).strip()}' (the site calls level {number} '{short[int(number)]}')")
    assert not wrong, "\n".join(wrong)


def test_every_citation_in_the_repository_names_a_register_entry_and_every_entry_is_complete():
    from essw.checks.citations import citations
    from essw.sources import load_library

    library, report = load_library(REPO)
    assert not report.errors, [p.format() for p in report.errors]
    register = library.publications
    cited = {ref for doc in library.documents for _, ref in citations(doc.data)}
    assert cited and cited <= set(register)
    assert len(register) >= 90
    statutory = [p for p in register.values() if p.type in ("act", "regulations", "statutory-guidance")]
    assert all(p.checked_how for p in statutory)
    kcsie = register["kcsie"]
    assert kcsie.type == "statutory-guidance" and kcsie.in_force == dt.date(2025, 9, 1)


def test_the_register_page_lists_every_entry_with_its_edition_and_the_pages_that_use_it(repo_site):
    html = (repo_site / "library" / "law-and-guidance" / "index.html").read_text(encoding="utf-8")
    register = yaml.safe_load((REPO / REGISTER).read_text(encoding="utf-8"))["publications"]
    for entry in register:
        assert f'id="{entry["id"]}"' in html, entry["id"]
    consent = (repo_site / "library" / "protocols" / "consent.html").read_text(encoding="utf-8")
    assert "law-and-guidance/index.html" in consent
    assert 'href="https://www.gov.uk/government/publications/keeping-children-safe-in-education--2"' in consent
    assert "Pages that rely on it" in html and "../protocols/consent.html" in html


def test_the_feed_of_the_built_site_parses_and_links_only_to_pages_that_exist(repo_site):
    feed = ET.parse(repo_site / "library" / "whats-new" / "feed.xml").getroot()
    site_url = _site_url((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) >= 20
    for entry in entries:
        href = entry.find(f"{ATOM}link").get("href")
        assert href.startswith(site_url), href
        assert (repo_site / href[len(site_url):]).is_file(), href
    home = (repo_site / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' in home and "library/whats-new/feed.xml" in home


def test_source_lists_link_addresses_and_never_double_their_brackets(repo_site):
    """Before the register, addresses were code that wrapped mid-address on a phone, and editions
    such as '(published 2010))' doubled their brackets."""
    checked = 0
    for page in sorted((repo_site / "library").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if 'id="sources"' not in html:
            continue
        sources = html[html.index('id="sources"'):]
        sources = sources[:sources.find("</ul>")]
        checked += 1
        # "(section 31(9))" is fine; an edition such as "(published 2010))" is not
        assert not re.search(r"(19|20)\d\d\)\)", re.sub(r"<[^>]+>", "", sources)), page.name
        assert not re.search(r"<code>[^<]*(www\.|https?:)", sources), page.name
    assert checked >= 50


def test_what_the_law_requires_never_doubles_its_brackets_and_keeps_month_names(repo_site):
    """A protocol's must/should lines once ended '(Children Act 1989 (section 47))', and the register
    page wrote 'In force since 1 september 2025' (Jinja's capitalize lowers the rest of the line)."""
    protocols = sorted((repo_site / "library" / "protocols").glob("*.html"))
    assert len(protocols) >= 15
    lines = 0
    for page in protocols:
        html = page.read_text(encoding="utf-8")
        article = html[html.index("<article"):html.index("</article>")]
        for item in re.findall(r"<li>(.*?)</li>", article, re.S):
            for small in re.findall(r"<small>(.*?)</small>", item, re.S):
                words = " ".join(re.sub(r"<[^>]+>", "", small).split())
                if words.startswith(("(", "Source:")):  # a must/should line's source
                    lines += 1
                    assert words.startswith("Source: "), (page.name, words)
                    assert not words.endswith("))"), (page.name, words)
    assert lines >= 50
    register = re.sub(r"<[^>]+>", "", (repo_site / "library" / "law-and-guidance" / "index.html").read_text(encoding="utf-8"))
    relied = [line for line in register.splitlines() if line.startswith("Pages that rely on it:")]
    assert len(relied) >= 50 and not [line for line in relied if "))" in line], "a part in brackets was bracketed again"
    months = "january february march april may june july august september october november december".split()
    assert not re.search(r"\b\d{1,2} (" + "|".join(months) + r") \d{4}", register)
