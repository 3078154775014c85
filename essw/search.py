"""The site's search, added to a built site after the site engine (MkDocs or Zensical) has run.

Two indexes, one search box (``docs/assets/javascripts/search.js``):

- **Pagefind** (``pagefind/``) for a served site: the browser fetches only the few small chunks a
  query needs, so the cost of a search stays about the same at 13 or 1,000 case studies.
- **A folder-copy index** (``search/essw-offline-index.js``) for ``site/index.html`` opened from a
  folder, where browsers block the requests Pagefind makes (Pagefind issue 202). It is a plain
  script, so it loads from ``file://``; MiniSearch (vendored) searches it in the page.

Both read the same parts of each page: the element marked ``data-pagefind-body`` (the article, not
the menus or the safety block), its ``data-pagefind-weight`` (how much the page's kind counts) and
its ``data-pagefind-meta`` (who the page is for), so the two paths rank alike.
A small list of the site's headings and glossary words (``search/essw-words.js``) lets the search box
correct a near miss ("smaking") when a query finds nothing.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from .forking import can_fork

PAGEFIND_DIR = "pagefind"
OFFLINE_INDEX = "search/essw-offline-index.js"
WORDS_FILE = "search/essw-words.js"
EXCLUDED = ".headerlink, .tabbed-labels, .md-source-file, .essw-review"
"""Page parts neither index reads: permalink signs, tab labels (their panels are read), review dates."""

PAGEFIND = [sys.executable, "-m", "pagefind"]
"""Pagefind's own command (PyPI pagefind + pagefind-bin, pinned in requirements/site.txt)."""
UNUSED_BUNDLE_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                       "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
QUESTIONS_HEADING = "questions-this-page-answers"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]\d+|\d+[a-z]+", re.I)


class SearchIndexError(Exception):
    """Pagefind failed or is missing; carries its output for the user."""


def index_site(site: Path, *, replace: bool = False, reader: PageReader | None = None) -> dict[str, int]:
    """Write both indexes into a freshly built site. Returns counts for the build's summary.

    ``replace`` (``mkdocs serve --dirty``) first removes a Pagefind bundle an earlier run left there.
    ``reader`` has read the pages while the engine built them: only its index is still to write.
    """
    if replace and (site / PAGEFIND_DIR / "pagefind-entry.json").is_file():
        shutil.rmtree(site / PAGEFIND_DIR)
    try:
        pagefind = start_pagefind(site)  # a process of its own: it indexes while this one reads the pages
    except SearchIndexError:
        if reader is not None:
            reader.abandon()
        raise
    try:
        if reader is not None:
            count = reader.finish()
        else:
            pages = read_pages(site)
            write_offline_index(site, pages)
            count = len(pages)
    finally:
        finish_pagefind(site, pagefind)
    return {"search pages": count}


def run_pagefind(site: Path) -> None:
    finish_pagefind(site, start_pagefind(site))


def start_pagefind(site: Path) -> subprocess.Popen:
    target = site / PAGEFIND_DIR
    if target.exists():  # Pagefind adds to an old bundle; a built site never has one of its own
        raise SearchIndexError(f"{target} already exists: the site engine put a folder where the search index goes")
    command = [*PAGEFIND, "--site", str(site), "--output-subdir", PAGEFIND_DIR,
               "--keep-index-url", "--exclude-selectors", EXCLUDED, "--force-language", "en", "--quiet"]
    try:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except OSError as error:
        raise SearchIndexError(f"could not run Pagefind: {error}") from None


def finish_pagefind(site: Path, process: subprocess.Popen) -> None:
    target = site / PAGEFIND_DIR
    try:
        output, _ = process.communicate(timeout=1800)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise SearchIndexError("Pagefind took more than 30 minutes to index the site") from None
    if process.returncode != 0 or not (target / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind could not index the site (exit {process.returncode}): "
                               f"{(output or '').strip()[-2000:]}")
    for name in UNUSED_BUNDLE_FILES:  # Pagefind's own result interfaces: the site has its own
        (target / name).unlink(missing_ok=True)


# -- reading the built pages ------------------------------------------------------------------------
@dataclass
class Section:
    anchor: str
    heading: str
    level: int
    text: list[str] = field(default_factory=list)


@dataclass
class PageText:
    url: str
    weight: float = 1.0
    meta: dict[str, str] = field(default_factory=dict)
    title: str = ""
    sections: list[Section] = field(default_factory=list)


class _BodyReader(HTMLParser):
    """Collects the text of the ``data-pagefind-body`` element, split at headings that have an id."""

    def __init__(self, page: PageText):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.depth = 0          # open elements inside the body element (0: outside it)
        self.skip_depth = 0     # depth at which an excluded element opened (0: not skipping)
        self.heading: Section | None = None
        self.in_heading = 0
        self.found = False
        page.sections.append(Section("", "", 1))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.depth == 0:
            if "data-pagefind-body" in a and not self.found:
                self.depth, self.found = 1, True
                self.page.weight = float(a.get("data-essw-weight") or 1)
            return
        key, colon, value = (a.get("data-pagefind-meta") or "").partition(":")
        if colon and key.strip() and value.strip():
            self.page.meta[key.strip()] = value.strip()
        if tag in VOID:
            return
        self.depth += 1
        if self.skip_depth:
            return
        classes = set((a.get("class") or "").split())
        if tag in ("script", "style", "template") or "data-pagefind-ignore" in a or classes & {
                "headerlink", "tabbed-labels", "md-source-file", "essw-review"}:
            self.skip_depth = self.depth
            return
        if re.fullmatch(r"h[1-6]", tag):
            self.in_heading = self.depth
            level = int(tag[1])
            if level == 1 and not self.page.title:
                self.heading = None
            else:
                self.heading = Section(a.get("id") or "", "", level)
                self.page.sections.append(self.heading)

    def handle_endtag(self, tag):
        if self.depth == 0 or tag in VOID:
            return
        if self.skip_depth == self.depth:
            self.skip_depth = 0
        if self.in_heading == self.depth:
            self.in_heading = 0
        self.depth -= 1

    def handle_data(self, data):
        if self.depth == 0 or self.skip_depth:
            return
        if self.in_heading:
            if self.heading is None:
                self.page.title += data
            else:
                self.heading.heading += data
        else:
            self.page.sections[-1].text.append(data)


def read_page(site: Path, rel: str) -> PageText | None:
    """One built page's searchable text, or None for a file that is not a page to search."""
    if rel.startswith(f"{PAGEFIND_DIR}/") or not rel.endswith(".html"):
        return None
    text = (site / rel).read_text(encoding="utf-8", errors="replace")
    start = text.find("<div data-pagefind-body")
    if start < 0:
        return None
    page = PageText(rel)
    reader = _BodyReader(page)
    reader.feed(text[start:])  # the menus before the article are never read
    reader.close()
    return page if reader.found else None


def in_site_order(rels) -> list[str]:
    """The order read_pages gives: by folder and name, as the file system's paths sort."""
    return sorted(rels, key=lambda rel: PurePosixPath(rel).parts)


def read_pages(site: Path) -> list[PageText]:
    """Every page with a ``data-pagefind-body`` element, in a stable order."""
    rels = in_site_order(path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    return [page for page in (read_page(site, rel) for rel in rels) if page is not None]


class PageReader:
    """Reads the built pages for the folder-copy index while the site engine is still writing the
    others, in a process of its own, so the reading runs on a second core instead of after the build.

    The plugin hands it each page once MkDocs has written it (:meth:`written`); :meth:`finish` reads
    any HTML file it was not handed, writes the folder-copy index and returns the page count. With
    ``compress`` it also writes each page's ready-compressed copy (essw/publish.py)."""

    @classmethod
    def start(cls, site: Path, *, compress: bool = False) -> "PageReader | None":
        """A reader in a forked process, or None where forking is not safe (essw/forking.py):
        then the pages are read after the build, as before."""
        if not can_fork():
            return None
        return cls(site, compress=compress)

    def __init__(self, site: Path, *, compress: bool = False):
        context = multiprocessing.get_context("fork")
        self.site = Path(site)
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_read_while_building, args=(str(self.site), child, compress),
                                        name="essw-page-reader", daemon=True)
        self._process.start()
        child.close()

    def written(self, path: Path) -> None:
        self._conn.send(Path(path).relative_to(self.site).as_posix())

    def finish(self) -> int:
        try:
            self._conn.send(None)
            status, value = self._conn.recv()
        except (EOFError, OSError):  # the process ended without an answer
            status, value = "error", f"the page reader stopped (exit {self._process.exitcode})"
        finally:
            self._process.join(timeout=60)
            self._conn.close()
        if status != "ok":
            raise SearchIndexError(f"the folder-copy search index could not be written: {value}")
        return value

    def abandon(self) -> None:
        """A failed build: stop reading, write nothing more."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=10)
        self._conn.close()


def _read_while_building(site_name: str, conn, compress: bool) -> None:
    from .publish import compress_copy

    site = Path(site_name)
    pages: dict[str, PageText] = {}
    seen: set[str] = set()

    def take(rel: str) -> None:
        seen.add(rel)
        page = read_page(site, rel)
        if page is not None:
            pages[rel] = page
        if compress:
            compress_copy(site / rel)

    try:
        while (rel := conn.recv()) is not None:
            take(rel)
        for path in site.rglob("*.html"):  # a page no event named (the theme's 404 page, say)
            rel = path.relative_to(site).as_posix()
            if rel not in seen and not rel.startswith(f"{PAGEFIND_DIR}/"):
                take(rel)
        write_offline_index(site, [pages[rel] for rel in in_site_order(pages)])
        conn.send(("ok", len(pages)))
    except EOFError:  # the build stopped (killed, or failed elsewhere): nothing to report to
        pass
    except Exception as error:  # reported by the build, which then fails and keeps the old site
        try:
            conn.send(("error", f"{type(error).__name__}: {error}"))
        except OSError:
            pass
    finally:
        conn.close()


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def offline_documents(pages: list[PageText]) -> list[dict]:
    """What the folder copy searches: one document per page, with its sections (anchor, heading,
    text) for the excerpt. The page's whole text and headings are joined in the browser."""
    docs = []
    for number, page in enumerate(pages):
        sections, questions = [], []
        for section in page.sections:
            text = _clean(" ".join(section.text))
            heading = _clean(section.heading)
            if section.anchor == QUESTIONS_HEADING or section.anchor.startswith(QUESTIONS_HEADING + "_"):
                questions.append(text)
            if text or heading:
                sections.append([section.anchor, heading, text])
        docs.append({"id": number, "url": page.url, "title": _clean(page.title), "weight": page.weight,
                     "audience": page.meta.get("audience", ""), "kind": page.meta.get("kind", ""),
                     "questions": " ".join(questions), "sections": sections})
    return docs


def known_words(docs: list[dict]) -> list[str]:
    """Every word the site uses, the most used first: a query word not among them is a near miss,
    corrected to the most used word within one or two letters of it."""
    counts: Counter[str] = Counter()
    for doc in docs:
        for text in (doc["title"], *(part for section in doc["sections"] for part in section[1:])):
            counts.update(w.lower().replace("’", "'") for w in WORD.findall(text) if len(w) >= 3)
    return [word for word, _ in sorted(counts.items(), key=lambda wc: (-wc[1], wc[0]))]


def write_offline_index(site: Path, pages: list[PageText]) -> None:
    docs = offline_documents(pages)
    out = site / OFFLINE_INDEX
    out.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(docs, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    out.write_text(f"window.esswOfflineIndex={data};\n", encoding="utf-8")
    words = json.dumps(known_words(docs), ensure_ascii=False, separators=(",", ":"))
    (site / WORDS_FILE).write_text(f"window.esswSearchWords={words};\n", encoding="utf-8")
