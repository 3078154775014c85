"""Printable training packs: PDFs made from the same sources as the web pages.

Every workshop gets a facilitator guide, the participants' handouts, an evaluation form on its own
and, when it has cards, a sheet of cards to cut out; every case study gets a facilitator copy
(every branch, ratings, feedback and debriefs, with the page each choice leads to) and
participants' cards (the situations and choices only). They are HTML from Jinja2 templates, laid
out for A4 by print CSS and turned into tagged PDF (PDF/UA-1: headings, lists and tables a screen
reader can follow, the title shown) by WeasyPrint, offline. A PDF is only re-rendered when its
HTML changes, so rebuilding stays fast.
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

from .case_view import describe_when
from .citing import cited, long_date
from .kinds import KINDS, PackSpec
from .markdown_text import EXTENSION_CONFIGS, EXTENSIONS, safe_markdown
from .model.case import RATING_NAMES, node_title
from .model.common import AUDIENCE_NAMES
from .model.workshop import MATERIAL_NAMES

TEMPLATES = Path(__file__).parent / "templates" / "print"

MAX_WORKERS = 4
"""At most this many PDFs are made at once (WeasyPrint needs about 100-200 MB each)."""


PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF for accessibility: a structure tree (headings, lists, tables), the language and the
document title shown in the reader's title bar."""


@dataclass(frozen=True)
class Pack:
    """One PDF: where it goes (under docs/library/packs/) and the HTML it is made from."""

    filename: str
    title: str
    html: str


@dataclass(frozen=True)
class PackFile:
    """A pack as a page links it: one of its kind's packs (essw/kinds.py) made for one item."""

    filename: str
    spec: PackSpec

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def purpose(self) -> str:
        return self.spec.purpose


def pack_files(kind: str, item: Any) -> list[PackFile]:
    """The packs an item has, in the order a trainer needs them; the web pages link them."""
    return [PackFile(f"{item.id}-{spec.suffix}.pdf", spec)
            for spec in KINDS[kind].packs if spec.only_if is None or spec.only_if(item)]


def _md() -> tuple[Callable[[Any], Markup], Callable[[Any], Markup]]:
    # The site's extensions: safe_markdown keeps characters as written only in what they make code.
    converter = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)

    def block(text: Any) -> Markup:
        converter.reset()
        return Markup(converter.convert(safe_markdown(text)))

    def inline(text: Any) -> Markup:
        html = block(text)
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = Markup(html[3:-4])
        return html

    return block, inline


class PackMaker:
    def __init__(self, library: Any, *, site_name: str, extra: dict | None = None):
        self.library = library
        extra = extra or {}
        block, inline = _md()
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                                      undefined=jinja2.StrictUndefined)
        self.env.filters.update(md_block=block, md_inline=inline, published=library.published)
        self.env.globals.update(cited=lambda sources: cited(library.publications, sources),
                                RATING_NAMES=RATING_NAMES, node_title=node_title, describe_when=describe_when,
                                title_of=library.title_of,
                                local={k: str(v) for k, v in (extra.get("local") or {}).items()},
                                area=str(extra.get("area") or ""), example_contacts=extra.get("example_contacts") is True,
                                MATERIAL_NAMES=MATERIAL_NAMES)
        self.css = (TEMPLATES / "pack.css").read_text(encoding="utf-8")
        self.site_name = site_name
        self.block = block

    def _render(self, template: str, item: Any, kind_label: str, meta: list[tuple[str, str]], **more: Any) -> str:
        return self.env.get_template(template).render(
            item=item, title=item.title, summary=self.block(item.summary), kind_label=kind_label, meta=meta,
            css=self.css, site_name=self.site_name, reviewed=long_date(item.reviewed), **more)

    def packs(self) -> list[Pack]:
        """Every pack of every item, as essw/kinds.py lists them for its kind."""
        out: list[Pack] = []
        for name, kind in KINDS.items():
            for entry in self.library.of_kind(name) if kind.packs else []:
                item = entry.item
                files = {f.spec.suffix: f for f in pack_files(name, item)}
                meta, more = _CONTEXT[name](item, files)
                for f in files.values():
                    out.append(Pack(f.filename, item.title,
                                    self._render(f.spec.template, item, f.label, meta, files=files, **more)))
        return out


def _for_whom(item: Any) -> tuple[str, str]:
    return ("For", ", ".join(AUDIENCE_NAMES[a] for a in item.audiences))


def _workshop_context(w: Any, files: dict[str, PackFile]) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    return [_for_whom(w), ("Length", f"{w.duration_minutes} minutes"), ("Owner", w.owner),
            ("Next review due", long_date(w.review_by))], {}


def _case_context(c: Any, files: dict[str, PackFile]) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """A case's packs number its nodes as cards, so the facilitator copy can say which card a choice leads to."""
    return ([_for_whom(c), ("Time", f"about {c.minutes} minutes to play; allow longer for discussion"),
             ("Owner", c.owner), ("Next review due", long_date(c.review_by))],
            {"card_numbers": {name: i for i, name in enumerate(c.nodes, 1)},
             "cards_file": files["participant-cards"].filename})


_CONTEXT = {"workshop": _workshop_context, "case": _case_context}
"""What each kind's pack templates are told besides the item: the cover's details and kind-specific parts."""


@dataclass(frozen=True)
class PackSize:
    pages: int
    bytes: int


def _stamp(stamp: Path) -> tuple[str, int]:
    """(digest, pages) from a pack's stamp file; ('', 0) when it is missing or unreadable."""
    try:
        digest, pages = stamp.read_text(encoding="utf-8").split()
        return digest, int(pages)
    except (OSError, ValueError):
        return "", 0


def write_packs(packs: list[Pack], folder: Path) -> tuple[set[Path], int, dict[str, PackSize]]:
    """Render each pack to PDF unless its HTML is unchanged; return the files kept, how many were
    made, and each PDF's page count and size (the pages that link a pack show them).

    WeasyPrint uses one core, so several PDFs to make are shared among worker processes: a fresh
    clone's first build (every PDF new) takes about 1/cores of the time.
    """
    folder.mkdir(parents=True, exist_ok=True)
    keep: set[Path] = set()
    todo: list[tuple[Pack, Path, Path, str]] = []
    pages: dict[str, int] = {}
    for pack in packs:
        pdf = folder / pack.filename
        stamp = folder / f".{pack.filename}.sha256"
        digest = hashlib.sha256(pack.html.encode("utf-8")).hexdigest()
        keep.update({pdf, stamp})
        known, count = _stamp(stamp)
        if pdf.exists() and known == digest and count:
            pages[pack.filename] = count
        else:
            todo.append((pack, pdf, stamp, digest))
    workers = min(len(todo), len(os.sched_getaffinity(0)), MAX_WORKERS)
    # Files WeasyPrint may read: the print templates and the generator's own folder (docs/library).
    roots = (str(TEMPLATES), str(folder.parent))
    if workers > 1:
        # 'spawn', not fork: the build may run inside 'mkdocs serve', whose threads fork would copy.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            made = list(pool.map(_render_pdf, [(pack.html, str(pdf), roots) for pack, pdf, _, _ in todo]))
    else:
        made = [_render_pdf((pack.html, str(pdf), roots)) for pack, pdf, _, _ in todo]
    for (pack, _, stamp, digest), count in zip(todo, made):  # stamps last: an interrupted build re-renders
        stamp.write_text(f"{digest} {count}\n", encoding="utf-8")
        pages[pack.filename] = count
    sizes = {name: PackSize(count, (folder / name).stat().st_size) for name, count in pages.items()}
    return keep, len(todo), sizes


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


def _render_pdf(job: tuple[str, ...]) -> int:
    """One PDF from its HTML, written beside the target and renamed, so no half-written PDF is left;
    returns its number of pages.

    ``job`` is (html, target) or (html, target, folders WeasyPrint may read files from); the print
    templates folder may always be read.
    """
    import weasyprint  # imported here: only builds that make packs need Pango

    html, target, *more = job
    roots = tuple(dict.fromkeys((str(TEMPLATES), *(more[0] if more else ()))))
    pdf = Path(target)
    tmp = pdf.with_name(f".{pdf.name}.tmp")
    document = weasyprint.HTML(string=html, base_url=str(TEMPLATES), url_fetcher=_local_fetcher(roots)).render()
    document.write_pdf(str(tmp), pdf_variant=PDF_VARIANT)
    tmp.replace(pdf)
    return len(document.pages)
