"""Printable training packs: PDFs made from the same sources as the web pages.

Every workshop gets a facilitator guide and a handout pack; every case study gets a discussion
pack with every branch and the debriefs. They are HTML from Jinja2 templates, laid out for A4 by
print CSS (title page, page numbers, rows that never split) and turned into PDF by WeasyPrint,
offline. A PDF is only re-rendered when its HTML changes, so rebuilding stays fast.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import jinja2
import markdown
from markupsafe import Markup

from .citing import cited
from .markdown_text import EXTENSION_CONFIGS, EXTENSIONS
from .model.case import RATING_NAMES, node_title
from .model.common import AUDIENCE_NAMES

TEMPLATES = Path(__file__).parent / "templates" / "print"
PACKS = "packs"
"""Folder under docs/library/ for the PDFs."""

MAX_WORKERS = 4
"""At most this many PDFs are made at once (WeasyPrint needs about 100-200 MB each)."""


@dataclass(frozen=True)
class Pack:
    """One PDF: where it goes (under docs/library/packs/) and the HTML it is made from."""

    filename: str
    title: str
    html: str


def pack_files(kind: str, item_id: str) -> list[tuple[str, str]]:
    """(filename, link text) of the packs an item has; used by the web pages to link them."""
    if kind == "workshop":
        return [(f"{item_id}-facilitator-guide.pdf", "Facilitator guide (PDF)"),
                (f"{item_id}-handouts.pdf", "Handouts and evaluation form (PDF)")]
    if kind == "case":
        return [(f"{item_id}-discussion-pack.pdf", "Discussion pack with every branch (PDF)")]
    return []


def _md(safe: Callable[[Any], str]) -> tuple[Callable[[Any], Markup], Callable[[Any], Markup]]:
    # The site's extensions: safe_markdown keeps characters as written only in what they make code.
    converter = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)

    def block(text: Any) -> Markup:
        converter.reset()
        return Markup(converter.convert(safe(text)))

    def inline(text: Any) -> Markup:
        html = block(text)
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = Markup(html[3:-4])
        return html

    return block, inline


class PackMaker:
    def __init__(self, library: Any, *, site_name: str, safe_markdown: Callable[[Any], str],
                 describe_when: Callable[[Any, Any], str], extra: dict | None = None):
        self.library = library
        extra = extra or {}
        block, inline = _md(safe_markdown)
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                                      undefined=jinja2.StrictUndefined)
        published = [i for i in list(library.entries) + list(library.terms)]
        self.env.filters.update(md_block=block, md_inline=inline,
                                published=lambda ids: [i for i in ids if i in published])
        self.env.globals.update(cited=lambda sources: cited(library.publications, sources),
                                RATING_NAMES=RATING_NAMES, node_title=node_title, describe_when=describe_when,
                                title_of=lambda i: library.entries[i].item.title if i in library.entries
                                else library.terms[i].term,
                                local={k: str(v) for k, v in (extra.get("local") or {}).items()},
                                area=str(extra.get("area") or ""), example_contacts=extra.get("example_contacts") is True)
        self.css = (TEMPLATES / "pack.css").read_text(encoding="utf-8")
        self.site_name = site_name
        self.block = block

    def _render(self, template: str, item: Any, kind_label: str, meta: list[tuple[str, str]]) -> str:
        return self.env.get_template(template).render(
            item=item, title=item.title, summary=self.block(item.summary), kind_label=kind_label, meta=meta,
            css=self.css, site_name=self.site_name, reviewed=item.reviewed.strftime("%-d %B %Y"))

    def packs(self) -> list[Pack]:
        out: list[Pack] = []
        for entry in self.library.of_kind("workshop"):
            w = entry.item
            meta = [("For", ", ".join(AUDIENCE_NAMES[a] for a in w.audiences)),
                    ("Length", f"{w.duration_minutes} minutes"), ("Owner", w.owner),
                    ("Next review due", w.review_by.strftime("%-d %B %Y"))]
            guide, handouts = pack_files("workshop", w.id)
            out.append(Pack(guide[0], w.title, self._render("workshop-guide.html.j2", w, "Facilitator guide", meta)))
            out.append(Pack(handouts[0], w.title, self._render("workshop-handouts.html.j2", w, "Handouts", meta)))
        for entry in self.library.of_kind("case"):
            c = entry.item
            meta = [("For", ", ".join(AUDIENCE_NAMES[a] for a in c.audiences)),
                    ("Time", f"about {c.minutes} minutes to play; allow longer for discussion"),
                    ("Owner", c.owner), ("Next review due", c.review_by.strftime("%-d %B %Y"))]
            (name, _), = pack_files("case", c.id)
            out.append(Pack(name, c.title, self._render("case-pack.html.j2", c, "Case discussion pack", meta)))
        return out


def write_packs(packs: list[Pack], folder: Path) -> tuple[set[Path], int]:
    """Render each pack to PDF unless its HTML is unchanged; return the files kept and how many were made.

    WeasyPrint uses one core, so several PDFs to make are shared among worker processes: a fresh
    clone's first build (every PDF new) takes about 1/cores of the time.
    """
    folder.mkdir(parents=True, exist_ok=True)
    keep: set[Path] = set()
    todo: list[tuple[Pack, Path, Path, str]] = []
    for pack in packs:
        pdf = folder / pack.filename
        stamp = folder / f".{pack.filename}.sha256"
        digest = hashlib.sha256(pack.html.encode("utf-8")).hexdigest()
        keep.update({pdf, stamp})
        if not (pdf.exists() and stamp.exists() and stamp.read_text(encoding="utf-8").strip() == digest):
            todo.append((pack, pdf, stamp, digest))
    workers = min(len(todo), len(os.sched_getaffinity(0)), MAX_WORKERS)
    # Files WeasyPrint may read: the print templates and the generator's own folder (docs/library).
    roots = (str(TEMPLATES), str(folder.parent))
    if workers > 1:
        # 'spawn', not fork: the build may run inside 'mkdocs serve', whose threads fork would copy.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for _ in pool.map(_render_pdf, [(pack.html, str(pdf), roots) for pack, pdf, _, _ in todo]):
                pass
    else:
        for pack, pdf, _, _ in todo:
            _render_pdf((pack.html, str(pdf), roots))
    for _, _, stamp, digest in todo:  # stamps last: an interrupted build re-renders what it did not finish
        stamp.write_text(digest + "\n", encoding="utf-8")
    return keep, len(todo)


def local_file(url: str, roots: tuple[str, ...]) -> bool:
    """Whether a URL is a file:// URL of a file inside one of the folders ``roots``.

    Nothing else may be fetched while a PDF is made: no http(s), ftp or data: URL, no file of the
    machine outside these folders. The site promises that nothing leaves the reader's device, and
    a pack's HTML holds author text.
    """
    from urllib.parse import unquote, urlsplit
    from urllib.request import url2pathname

    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(url2pathname(unquote(parts.path))).resolve()
    return any(path.is_relative_to(Path(root).resolve()) for root in roots)


def _local_fetcher(roots: tuple[str, ...]) -> Any:
    """A WeasyPrint URL fetcher that refuses everything but local_file URLs.

    WeasyPrint reports a refused URL as a resource it could not load (a warning) and makes the PDF
    without it.
    """
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not local_file(url, roots):
                raise ValueError(f"a pack loads nothing but files of the print templates and the build: {url[:200]}")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols=("file",), allow_redirects=False)


def _render_pdf(job: tuple[str, ...]) -> None:
    """One PDF from its HTML, written beside the target and renamed, so no half-written PDF is left.

    ``job`` is (html, target) or (html, target, folders WeasyPrint may read files from); the print
    templates folder may always be read.
    """
    import weasyprint  # imported here: only builds that make packs need Pango

    html, target, *more = job
    roots = tuple(dict.fromkeys((str(TEMPLATES), *(more[0] if more else ()))))
    pdf = Path(target)
    tmp = pdf.with_name(f".{pdf.name}.tmp")
    weasyprint.HTML(string=html, base_url=str(TEMPLATES), url_fetcher=_local_fetcher(roots)).write_pdf(str(tmp))
    tmp.replace(pdf)
