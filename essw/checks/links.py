"""Links in author text may only go to web pages, email, phone numbers or other pages of the site,
and images only to files of the site.

What is checked is what Markdown makes of the text: each field is rendered as the page gets it
(``safe_markdown``, then Python-Markdown with the site's extensions) and every ``href`` and
``src`` of the HTML is looked at, so a link is found however it is written: inline, by reference
(the definition may sit in a list item, a quote, or another field of the same page), as an image.

- A link may start with https:, http:, mailto: or tel:, or lead to a page of the site. Any other
  scheme (file:, data:, javascript:, vbscript:, blob:, ftp: ...) is an error at its file and line,
  however it is disguised (spaces, tabs, entities, capitals), and so is '//host', which would go
  to another site.
- An image must be a file of the site: one with a scheme or a host (http, https, '//', data:)
  would be fetched from elsewhere by every reader's browser, and the site promises that nothing
  leaves the reader's device.
- A link or image to a file of the site ('[drop-ins](drop-in-sessions.md)') is relative to the
  page the item becomes, so it is checked here against the pages the build will have. Otherwise
  the site engine would stop the build naming a generated file the author never sees.

The page around a field can finish what the field starts ('[{{ label }}](#node-x)' with a label
'a](javascript:...) [b'), so text that Markdown leaves as text but that ends a link ('](...') or
defines one at its start ('...]: url'), or that looks like an autolink ('<file:...>'), is checked
as a link too.
"""

from __future__ import annotations

import html
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from ..kinds import KINDS
from ..layout import OUTPUT, page_path
from ..problems import Problem
from .walk import leaves

if TYPE_CHECKING:
    from ..library import Library

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")
_LINKISH = ("](", "]:", "<", "//")
"""Text without any of these makes no link (a reference '[x][r]' needs a definition, '[r]: url')."""
_TEXT_DESTINATION = re.compile(r"\]\(\s*<?([^)\s>]+)")
_TEXT_DEFINITION = re.compile(r"^\s*[^\[\]\n]*\]:\s*<?(\S+)")
_TEXT_AUTOLINK = re.compile(r"<\s*((?:[a-z][a-z0-9+.\-]*\s*:|//)[^<>]*)>", re.I)
_LINK_ATTRS = {"href", "action", "formaction", "xlink:href"}
_EMBED_ATTRS = {"src", "srcset", "poster", "data"}
_CODE = ("code", "pre")

LINK_EXPECTED = "links may start with https://, http://, mailto: or tel:, or point at a page of this site"
IMAGE_EXPECTED = ("add the image file to the project, under docs/assets/, and give its path from this page, "
                  "e.g. '![A short description](../../assets/picture.png)'")


def _site_pages(library: "Library") -> tuple[dict[str, Any], set[str]]:
    """Pages the build writes from the sources (path -> entry) and hand-written files, under docs/."""

    generated: dict[str, Any] = {page_path(kind): None for kind in KINDS.values()}
    generated.update({page_path(e.kind, item_id): e for item_id, e in library.entries.items()})
    docs = Path(library.root) / "docs"
    written = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()} if docs.is_dir() else set()
    return generated, {p for p in written if not p.startswith(OUTPUT + "/")}


def _pages_by_document(library: "Library") -> dict[int, tuple[str, Any]]:
    """The page each valid source document becomes, and its entry (None for the glossary)."""

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


class _Targets(HTMLParser):
    """Every link and embedded resource of rendered HTML, and its visible text outside code."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # ('link' | 'image', url)
        self.text: list[str] = []
        self.in_code = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in _LINK_ATTRS:
                self.found.append(("link", value))
            elif name in _EMBED_ATTRS:
                self.found.append(("image", value))
        if tag in _CODE:
            self.in_code += 1

    def handle_endtag(self, tag):
        if tag in _CODE and self.in_code:
            self.in_code -= 1

    def handle_data(self, data):
        if not self.in_code:
            self.text.append(data)


def _targets(text: str, references: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, url) of everything the field can link or embed, as rendered and as left in its text."""
    from ..markdown_text import inline, render, safe_markdown

    found: list[tuple[str, str]] = []
    # a field may be shown as a block or on one line, where code and lines can pair differently
    forms = [safe_markdown(text)] + ([inline(text)] if "\n" in text or "`" in text else [])
    for form in forms:
        page = _Targets(render(form, references=references))
        found += page.found
        visible = "".join(page.text)
        found += [("link", m.group(1)) for m in _TEXT_DESTINATION.finditer(visible)]
        found += [("link", m.group(1)) for m in _TEXT_AUTOLINK.finditer(visible)]
        start = _TEXT_DEFINITION.match(visible)
        if start:
            found.append(("link", start.group(1)))
    return list(dict.fromkeys(found))


def _squash(url: str) -> str:
    """The URL as a browser would read its start: entities decoded, white space and controls gone."""
    for _ in range(3):  # '&amp;#x09;' is still a tab to someone
        decoded = html.unescape(url)
        if decoded == url:
            break
        url = decoded
    return _INVISIBLE.sub("", url).replace("\\", "/")


def _shown(url: str) -> str:
    url = url.replace("\n", " ")
    return url if len(url) <= 80 else url[:77] + "..."


def check(library: "Library") -> list[Problem]:
    from ..markdown_text import references_of, safe_markdown

    problems: list[Problem] = []
    site: tuple[dict[str, Any], set[str]] | None = None
    pages: dict[int, tuple[str, Any]] | None = None
    for doc in library.documents:
        fields = [(loc, text) for loc, text in leaves(doc.data) if isinstance(text, str)]
        # A reference definition in any field of a page serves '[text][id]' in every other field.
        references: dict[str, Any] = {}
        defined: dict[int, list[str]] = {}
        for n, (loc, text) in enumerate(fields):
            if "]:" in text:
                found = references_of(safe_markdown(text))
                references.update(found)
                defined[n] = [url for url, _ in found.values()]
        for n, (loc, text) in enumerate(fields):
            if not (any(mark in text for mark in _LINKISH) or (references and "[" in text)):
                continue  # no link, image or definition can come of it: most text, skipped cheaply
            targets = _targets(text, references) + [("link", url) for url in defined.get(n, [])]
            reported: set[str] = set()

            def report(message: str, expected: str, url: str = "") -> None:
                """One problem per message, at the line of the link itself where the text shows it."""
                if message not in reported:
                    reported.add(message)
                    needle = html.unescape(url)[:12]
                    offset = text.find(needle) if needle else -1
                    problems.append(doc.problem(loc, message, expected=expected, at=offset if offset >= 0 else None))

            for kind, url in dict.fromkeys(targets):
                squashed = _squash(url)
                scheme = _SCHEME.match(squashed)
                name = scheme.group(1).lower() if scheme else ""
                if kind == "image" and (scheme or squashed.startswith("//")):
                    why = (f"is a '{name}:' address, not a file of this site" if name and name not in ("http", "https")
                           else "would be fetched from another site by every reader's browser, and nothing "
                                "on this site may leave the reader's device")
                    report(f"the image '{_shown(url)}' {why}", IMAGE_EXPECTED, url)
                    continue
                if scheme and name not in SAFE_SCHEMES:
                    report(f"a link here starts with '{name}:', which is not allowed", LINK_EXPECTED, url)
                    continue
                if scheme:
                    continue
                if squashed.startswith("//"):
                    report(f"the link '{_shown(url)}' starts with '//', so it would go to another site "
                           "without saying how", "write the whole address, starting https://, or give the "
                                                 "file name of a page of this site", url)
                    continue
                pages = pages if pages is not None else _pages_by_document(library)
                page = pages.get(id(doc))
                if page is None:
                    continue  # the file has errors of its own; its links are checked once it is valid
                site = site or _site_pages(library)
                target = _INVISIBLE.sub("", url)
                why = _relative_problem(target, page[0], page[1], *site)
                if why and kind == "image":
                    report(f"the image '{_shown(target)}' is not there: {why}", IMAGE_EXPECTED, url)
                elif why:
                    report(f"the link '{_shown(target)}' does not lead anywhere: {why}",
                           "a web address (https://...), or the file name of a page in the same section, "
                           "e.g. 'drop-in-sessions.md'", url)
    return problems
