"""Where everything the generator writes lives, and how one page links another.

Checks (which links resolve), the generator, the packs, the plugin and the macros all ask here,
so a page, a pack or a generated file has one address.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .kinds import Kind

OUTPUT = "library"
"""Folder under docs/ that belongs to the generator; hand-written pages never go here."""

MARKER = ".generated-by-essw"
"""The file that marks OUTPUT as the generator's own, so it may be cleared and rewritten."""

NAV_FILE = ".nav.yml"
ABBREVIATIONS_FILE = ".abbreviations.md"
INDEX_FILE = ".index.json"
"""Under OUTPUT: the site menu, the abbreviations snippet and what the macros for hand-written pages
need (so the site engine never re-reads the sources)."""

ASSETS = "assets"
"""Under OUTPUT: the case engine's scripts and styles."""

PACKS = "packs"
"""Under OUTPUT: the PDF packs."""

WHATS_NEW = f"{OUTPUT}/whats-new/index.md"
FEED = f"{OUTPUT}/whats-new/feed.xml"
"""The 'What's new' page and its Atom feed, under docs/."""

PARENTS_SECTION = ("parents-and-carers/", f"{OUTPUT}/parents/")
"""Where parents' pages live under docs/: the hand-written section and the generated explainers.
overrides/partials/footer.html keeps its 'Previous' and 'Next' inside these folders."""


def page_path(kind: "Kind", item_id: str | None = None) -> str:
    """Where an item's page lives, relative to docs/ (a kind with one page for all its source: that page)."""
    if item_id is None or kind.single_page:
        return f"{OUTPUT}/{kind.section}/index.md"
    return f"{OUTPUT}/{kind.section}/{item_id}.md"


def pack_path(filename: str) -> str:
    """Where a PDF pack lives, relative to docs/."""
    return f"{OUTPUT}/{PACKS}/{filename}"


def relative_link(from_page: str, to_page: str, anchor: str = "") -> str:
    link = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return link + (f"#{anchor}" if anchor else "")


def in_parents_section(path: str) -> bool:
    return path.lstrip("/").startswith(PARENTS_SECTION)
