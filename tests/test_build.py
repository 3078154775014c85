"""Building the site: the pages, atomic replacement of site/, search, tooltips, no third-party hosts,
and the same tree from plain MkDocs and from Zensical."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import DISTINCTIVE, HOST_URL, PAGES, indexed_text, offline_index, parse_page, tree_hashes

pytestmark = pytest.mark.slow


# Material's own JavaScript bundle (and its source map) contains two third-party URLs, each in a code
# path that never runs on this site:
#  - the ResizeObserver polyfill, fetched only by browsers that lack ResizeObserver (such as iOS 12);
#    overrides/main.html loads the site's own copy first in those browsers, so it never runs either
#    (tests/test_site_in_browser.py plays such a browser);
#  - mermaid.js, fetched only when a page contains a mermaid diagram (the site enables no mermaid
#    fence, and the browser test checks that pages make no request to another host).
# These files are excluded from the blanket check, but only these exact URLs are allowed in them.
BUNDLE = re.compile(r"^assets/javascripts/bundle\.[0-9a-f]+\.min\.js(\.map)?$")
DORMANT_URLS = {"https://unpkg.com/resize-observer-polyfill", "https://unpkg.com/mermaid@11/dist/mermaid.min.js"}


def test_build_writes_every_page(built_site):
    site = built_site.path("site")
    for item, page in PAGES.items():
        assert (site / f"{page}.html").is_file(), item
    for section in ("case-studies", "protocols", "roles", "workshops", "paths"):
        assert (site / "library" / section / "index.html").is_file()
    assert (site / "404.html").is_file()
    assert not list(built_site.root.glob(".essw-building-*")), "the work folder was left behind"


def test_built_pages_show_their_content(built_site):
    case = parse_page(built_site.path(f"site/{PAGES['first-day']}.html"))
    assert "First day back" in case.text
    assert "Sam arrives late and quiet." in case.text
    hrefs = {a.get("href") for a in case.find("a")}
    assert "../protocols/consent-protocol.html" in hrefs
    assert "#node-the-end" in hrefs
    assert "../glossary/index.html#dsl" in hrefs
    # the generated navigation lists every item
    nav_titles = parse_page(built_site.path("site/index.html")).text
    for title in ("First day back", "Consent protocol", "Demystifying social work", "ESSW induction"):
        assert title in nav_titles


def test_search_index_contains_text_from_a_yaml_source(built_site):
    hits = [doc["url"] for doc in offline_index(built_site.path("site")) if DISTINCTIVE in indexed_text(doc)]
    assert hits == ["library/protocols/consent-protocol.html"], hits
    # Pagefind's bundle is there, without the result interfaces the site does not use
    bundle = built_site.path("site/pagefind")
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    assert not list(bundle.glob("pagefind-*ui*")), "Pagefind's own interfaces were left in the site"


def test_abbreviations_have_tooltips_on_generated_and_hand_written_pages(built_site):
    def abbr_titles(rel):
        return {(a.get("title")) for a in parse_page(built_site.path(rel)).find("abbr")}

    assert abbr_titles(f"site/{PAGES['dsl-role']}.html") >= {"Designated safeguarding lead",
                                                              "Extended schools social worker"}
    assert "Designated safeguarding lead" in abbr_titles("site/index.html")  # hand-written docs/index.md
    html = built_site.read("site/index.html")
    assert '<abbr title="Designated safeguarding lead">DSL</abbr>' in html


def test_no_page_script_or_stylesheet_refers_to_a_third_party_host(built_site):
    site = built_site.path("site")
    offenders, bundle_urls = [], set()
    checked = 0
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if not path.is_file() or path.suffix not in (".html", ".js", ".css", ".map", ".json"):
            continue
        urls = set(HOST_URL.findall(path.read_text(encoding="utf-8", errors="replace")))
        if BUNDLE.match(rel):
            bundle_urls |= urls
            continue
        checked += 1
        offenders += [f"{rel}: {url}" for url in sorted(urls)]
    assert checked > 20
    assert offenders == []
    assert bundle_urls <= DORMANT_URLS, f"Material's bundle gained new third-party URLs: {bundle_urls - DORMANT_URLS}"


def test_pages_have_no_mermaid_so_the_dormant_loader_never_runs(built_site):
    for path in built_site.path("site").rglob("*.html"):
        page = parse_page(path)
        assert not any("mermaid" in (attrs.get("class") or "") for _, attrs in page.elements), path


def test_failed_build_leaves_site_untouched(project):
    first = project.run("build")
    assert first.returncode == 0, first.output
    site = project.path("site")
    (site / "marker.txt").write_text("from the previous build\n", encoding="utf-8")
    before = tree_hashes(site)

    # 1. a broken source: nothing is generated or built
    project.replace("roles/dsl-role.yml", "what_they_do:", "what_they_do:\n\t- tab")
    result = project.run("build")
    assert result.returncode == 1
    assert "roles/dsl-role.yml:" in result.stderr
    assert "Nothing was built" in result.stderr
    assert "Traceback" not in result.output
    assert tree_hashes(site) == before

    # 2. valid sources, but the site engine fails (a broken link in a hand-written page under --strict)
    project.replace("roles/dsl-role.yml", "what_they_do:\n\t- tab", "what_they_do:")
    project.write("docs/index.md", "# Home\n\nSee [the missing page](missing.md).\n")
    result = project.run("build")
    assert result.returncode == 1
    assert "previous site/ is unchanged" in result.stderr
    assert "missing.md" in result.stderr
    assert "Traceback (most recent call last)" not in result.stderr.split("site engine reported")[0]
    assert tree_hashes(site) == before
    assert not list(project.root.glob(".essw-building-*"))
    assert not list(project.root.glob(".site-*"))


def test_strict_build_fails_on_an_overdue_review_and_keeps_the_site(project):
    project.replace("roles/dsl-role.yml", "review_by: 2035-01-15", "review_by: 2025-06-01")
    out = project.root / "elsewhere" / "site"
    result = project.run("build", "--site-dir", str(out))
    assert result.returncode == 0, result.output
    assert "warning: this content was due for review" in result.stderr
    assert (out / "index.html").is_file()
    assert not project.path("site").exists()
    before = tree_hashes(out)
    strict = project.run("build", "--strict", "--site-dir", str(out))
    assert strict.returncode == 1
    assert tree_hashes(out) == before


def test_plain_mkdocs_build_strict_passes_after_generate(project, tmp_path):
    assert project.run("generate").returncode == 0
    out = tmp_path / "mkdocs-site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                            cwd=project.root, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "index.html").is_file()
    assert (out / f"{PAGES['consent-protocol']}.html").is_file()


def test_zensical_builds_the_same_tree(project):
    pytest.importorskip("zensical")
    out = project.root / "zensical-site"
    result = project.run("build", "--engine", "zensical", "--site-dir", str(out))
    assert result.returncode == 0, result.output
    assert (out / "index.html").is_file()
    for item, page in PAGES.items():
        assert (out / f"{page}.html").is_file(), item
    role = parse_page(out / f"{PAGES['dsl-role']}.html")
    assert "Designated safeguarding lead" in role.text
    assert "Designated safeguarding lead" in {a.get("title") for a in role.find("abbr")}
    assert "Designated safeguarding lead" in {a.get("title") for a in parse_page(out / "index.html").find("abbr")}
    assert not list(project.root.glob(".essw-zensical-*.yml")), "the temporary Zensical config was left behind"
    assert not list(project.root.glob(".essw-building-*"))


def test_a_failed_search_index_keeps_the_previous_site(project, cli, monkeypatch):
    """Pagefind runs as the site engine finishes; if it fails, the build fails like the engine would."""
    first = project.run("build", "--no-packs")
    assert first.returncode == 0, first.output
    site = project.path("site")
    before = tree_hashes(site)
    broken = project.root.parent / "broken-pagefind"  # what Pagefind's own launcher runs (PAGEFIND_BINARY_PATH)
    broken.write_text("#!/bin/sh\necho 'index chunk broken'\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    result = cli(project, "build", "--no-packs")
    assert result.returncode == 1
    assert "previous site/ is unchanged" in result.stderr
    assert "Pagefind could not index the site (exit 3): index chunk broken" in result.stderr
    assert "Traceback" not in result.output
    assert tree_hashes(site) == before
    assert not list(project.root.glob(".essw-building-*"))


def test_text_files_have_ready_compressed_copies(built_site):
    """For hosts that serve 'page.html.gz' as it is (nginx gzip_static, Caddy precompressed)."""
    import gzip

    site = built_site.path("site")
    for rel in ("index.html", f"{PAGES['consent-protocol']}.html", "assets/stylesheets/essw.css",
                "assets/javascripts/search.js", "search/essw-offline-index.js", "pagefind/pagefind.js"):
        original, copy = site / rel, site / f"{rel}.gz"
        assert copy.is_file(), rel
        assert gzip.decompress(copy.read_bytes()) == original.read_bytes(), rel
        assert copy.stat().st_size < original.stat().st_size, rel
    assert not list(site.rglob("*.gz.gz"))
    # Material's search plugin stays listed for the header but builds no index: no page would fetch it
    assert not (site / "search" / "search_index.json").exists() and not (site / "search" / "search_index.js").exists()
    assert not list(site.rglob("*.pf_fragment.gz")) and not list(site.rglob("*.png.gz")), "compressed files twice"


def test_the_index_read_while_building_is_the_one_read_after(built_site):
    """The plugin reads each page for the folder-copy index as MkDocs writes it (another process);
    reading the finished site afterwards gives exactly the same documents, in the same order."""
    from essw.search import offline_documents, read_pages

    site = built_site.path("site")
    after = offline_documents(read_pages(site))
    assert len(after) >= 10
    assert offline_index(site) == after


def test_a_script_without_a_main_guard_can_build_the_site(project, tmp_path):
    """The plugin reads pages in a second process while MkDocs builds. A spawned process would run
    the caller's script again (and fail where it has no 'if __name__ == "__main__"'); a forked one
    does not, so a team's own build script works and gets the same search."""
    assert project.run("generate").returncode == 0
    script = tmp_path / "build_site.py"
    script.write_text("import sys\nfrom mkdocs.__main__ import cli\n"
                      f"sys.argv = ['mkdocs', 'build', '--strict', '--site-dir', {str(tmp_path / 'out')!r}]\n"
                      "cli()\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=project.root, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    out = tmp_path / "out"
    assert (out / "pagefind" / "pagefind.js").is_file()
    assert [doc["url"] for doc in offline_index(out) if DISTINCTIVE in indexed_text(doc)] == [
        "library/protocols/consent-protocol.html"]


def test_the_page_reader_reports_what_went_wrong_in_its_process(tmp_path):
    """A page the reader cannot read fails the build with a message naming it, not a hang or a
    traceback; the pages it could read are never half-written into an index."""
    from essw.search import OFFLINE_INDEX, PageReader, SearchIndexError

    site = tmp_path / "site"
    site.mkdir()
    words = " ".join(["Words that repeat, so the compressed copy is smaller."] * 20)
    (site / "ok.html").write_text(f'<div data-pagefind-body><h1>Fine</h1><p>{words}</p></div>', encoding="utf-8")
    reader = PageReader(site)
    reader.written(site / "ok.html")
    reader.written(site / "gone.html")
    with pytest.raises(SearchIndexError, match="could not be written: FileNotFoundError.*gone.html"):
        reader.finish()
    assert not (site / OFFLINE_INDEX).exists()

    reader = PageReader(site, compress=True)
    reader.written(site / "ok.html")
    assert reader.finish() == 1
    assert [doc["title"] for doc in offline_index(site)] == ["Fine"]
    assert (site / "ok.html.gz").is_file()
