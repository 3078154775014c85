"""Links in author text may only go to web pages, email, phone numbers or other pages of the site.

A 'javascript:' or 'data:' link would run code or load content when a reader clicks it, so it is
an error at its file and line, however it is disguised (spaces, tabs, capitals).

A link to another page of the site ('[drop-ins](drop-in-sessions.md)') is relative to the page
the item becomes, so it is checked here against the pages the build will have. Otherwise the site
engine would stop the build naming a generated file the author never sees.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from ..problems import Problem
from .walk import leaves

if TYPE_CHECKING:
    from ..sources import Library

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_SCRIPT = re.compile(r"(java|vb)script:", re.I)
_DESTINATION = re.compile(r"\]\(\s*<?([^)\s>]*)|^\s*\[[^\]]+\]:\s*<?(\S+)", re.M)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")


def _site_pages(library: "Library") -> tuple[dict[str, Any], set[str]]:
    """Pages the build writes from the sources (path -> entry) and hand-written files, under docs/."""
    from ..generate import OUTPUT, page_path  # where each item's page goes
    from ..model import KINDS

    generated: dict[str, Any] = {page_path(kind): None for kind in KINDS.values()}
    generated.update({page_path(e.kind, item_id): e for item_id, e in library.entries.items()})
    docs = Path(library.root) / "docs"
    written = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()} if docs.is_dir() else set()
    return generated, {p for p in written if not p.startswith(OUTPUT + "/")}


def _pages_by_document(library: "Library") -> dict[int, tuple[str, Any]]:
    """The page each valid source document becomes, and its entry (None for the glossary)."""
    from ..generate import page_path
    from ..model import KINDS

    pages = {id(entry.doc): (page_path(entry.kind, item_id), entry) for item_id, entry in library.entries.items()}
    if library.glossary_doc is not None:
        pages[id(library.glossary_doc)] = (page_path(KINDS["glossary"]), None)
    return pages


def _relative_problem(target: str, page: str, source: Any, generated: dict[str, Any], written: set[str]) -> str | None:
    """Why a relative link target from ``page`` would not resolve in the build, or None if it does."""
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None  # '#anchor' on the same page
    if path.startswith("/"):
        return "it starts with '/', which breaks when the site is opened from a folder"
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if path.endswith("/"):
        resolved = posixpath.join(resolved, "index.md")
    if resolved in generated:
        linked = generated[resolved]
        if linked is not None and linked.item.visibility != "public" and source is not None \
                and source.item.visibility == "public":
            return f"it goes to the internal item '{linked.item.id}', which public builds leave out"
        return None
    if resolved in written:
        return None
    return f"no page or file '{path}' is next to this page"


def check(library: "Library") -> list[Problem]:
    problems: list[Problem] = []
    site: tuple[dict[str, Any], set[str]] | None = None
    pages: dict[int, tuple[str, Any]] | None = None
    for doc in library.documents:
        for loc, text in leaves(doc.data):
            if not isinstance(text, str) or (":" not in text and "](" not in text):
                continue  # no scheme and no link: most text, skipped cheaply
            squashed = _INVISIBLE.sub("", text)
            if _SCRIPT.search(squashed):
                problems.append(doc.problem(loc, "this text contains a 'javascript:' link, which would run code "
                                                 "when clicked", expected="link to a web page (https://...) or "
                                                                          "another page of this site"))
                continue
            for match in _DESTINATION.finditer(text):
                target = _INVISIBLE.sub("", match.group(1) or match.group(2) or "")
                scheme = _SCHEME.match(target)
                if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
                    problems.append(doc.problem(loc, f"a link here starts with '{scheme.group(1)}:', which is not "
                                                     "allowed", expected="links may start with https://, http://, "
                                                                         "mailto: or tel:, or point at a page of this site"))
                    break
                if scheme or target.startswith("//"):
                    continue
                pages = pages if pages is not None else _pages_by_document(library)
                page = pages.get(id(doc))
                if page is None:
                    break  # the file has errors of its own; its links are checked once it is valid
                site = site or _site_pages(library)
                why = _relative_problem(target, page[0], page[1], *site)
                if why:
                    problems.append(doc.problem(loc, f"the link '{target}' does not lead anywhere: {why}",
                                                expected="a web address (https://...), or the file name of a page "
                                                         "in the same section, e.g. 'drop-in-sessions.md'"))
    return problems
