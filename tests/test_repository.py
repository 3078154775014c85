"""The repository's own content: every source valid (one warning: the example contacts), and the real site builds
strictly with MkDocs and with Zensical, with the pages and navigation readers expect."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ESSW, HOST_URL, REPO, indexed_text, offline_index, parse_page

pytestmark = pytest.mark.slow

KIND_FOLDERS = {"case": "scenarios", "policy": "policies", "role": "roles", "workshop": "workshops", "path": "paths"}


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*ESSW, "--root", str(REPO), *args], capture_output=True, text=True, timeout=timeout)


def test_every_source_is_valid_with_one_warning_the_example_contacts():
    """The repository ships example contacts, and says so: that is its only warning."""
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "All sources are valid" in result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 1 and warnings[0].startswith("mkdocs.yml:") and "(extra.example_contacts)" in warnings[0], \
        warnings
    strict = run("validate", "--strict")
    assert strict.returncode == 1 and "(extra.example_contacts)" in strict.stderr, strict.stderr


def test_every_kind_has_real_starter_content():
    for kind, folder in KIND_FOLDERS.items():
        sources = [p for p in (REPO / folder).glob("*.yml")]
        assert sources, f"no {kind} source in {folder}/"
    assert (REPO / "glossary.yml").is_file()


def test_mkdocs_strict_build_has_every_generated_page(repo_site):
    for kind, folder in KIND_FOLDERS.items():
        section = {"case": "case-studies", "policy": "protocols", "role": "roles", "workshop": "workshops",
                   "path": "paths"}[kind]
        for source in (REPO / folder).glob("*.yml"):
            page = repo_site / "library" / section / f"{source.stem}.html"
            assert page.is_file(), f"{source.relative_to(REPO)} has no page {page.relative_to(repo_site)}"
    for hand_written in ("index.html", "about.html", "new-to-the-role/index.html", "school-staff/index.html",
                         "parents-and-carers/index.html", "library/glossary/index.html"):
        assert (repo_site / hand_written).is_file(), hand_written


def test_navigation_has_the_three_audiences_and_every_section(repo_site):
    nav = parse_page(repo_site / "index.html").text
    for label in ("New to the role", "School staff", "Parents and carers", "Case studies", "Protocols",
                  "Role guides", "Workshops", "Learning paths", "Glossary"):
        assert label in nav, label


def test_search_index_holds_text_written_only_in_yaml(repo_site):
    text = " ".join(indexed_text(doc) for doc in offline_index(repo_site))
    assert "holding zone" in text.lower()
    assert "Abdi" in text


def test_plain_mkdocs_build_strict_passes_on_the_repository(tmp_path):
    assert run("generate").returncode == 0
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "s")],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    # MkDocs log warnings start with "WARNING -"; Material's end-of-life banner is not one.
    assert not [line for line in result.stderr.splitlines() if line.startswith("WARNING")], result.stderr
    # the essw plugin adds the same search to a plain MkDocs build (and so to 'mkdocs serve')
    assert (tmp_path / "s" / "pagefind" / "pagefind.js").is_file()
    assert any("holding zone" in indexed_text(d).lower() for d in offline_index(tmp_path / "s"))


def test_zensical_builds_the_repository(zensical_repo_site):
    out = zensical_repo_site
    page = out / "library" / "case-studies" / "abdi.html"
    assert page.is_file()
    html = page.read_text(encoding="utf-8")
    assert "<abbr title=" in html
    assert not HOST_URL.findall((out / "index.html").read_text(encoding="utf-8"))
    # our footer keeps 'Next' among parents' pages under Zensical's template language too
    last = (out / "parents-and-carers" / "staying-safe-online.html").read_text(encoding="utf-8")
    assert 'aria-label="Back to: All questions parents ask"' in last and "Case studies" not in last.split("md-footer")[1]
