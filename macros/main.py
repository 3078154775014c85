"""mkdocs-macros helpers for hand-written pages (opt in with 'render_macros: true').

They reach the same validated library the generator uses, so a hand-written page can link to an
item by id, list items for an audience, quote a glossary term, or show the local contacts from
mkdocs.yml ``extra:``. Text from YAML sources is returned as Markdown and never re-rendered as a
template, so a source containing '{{' is shown as text.
"""

from __future__ import annotations

import os
from pathlib import Path

from essw.generate import page_path, relative_link, inline
from essw.model import KINDS
from essw.sources import load_library

_cache: dict[str, object] = {}


def _library(root: Path):
    """Load the library once per build; the plugin has already validated it."""
    key = str(root)
    if key not in _cache:
        library, report = load_library(root)
        if report.errors:
            raise ValueError("the content sources have errors; run 'essw validate'")
        _cache.clear()
        _cache[key] = library
    return _cache[key]


def define_env(env):
    root = Path(env.project_dir)

    def here() -> str:
        """The current page's path under docs/ (MkDocs has page.file, Zensical page.path)."""
        page = getattr(env, "page", None)
        if page is None:
            return "index.md"
        file = getattr(page, "file", None)
        return file.src_uri if file is not None else str(page.path)

    def lib():
        library = _library(root)
        return library.public(bool(os.environ.get("ESSW_INTERNAL")))

    @env.macro
    def link(item_id: str, text: str | None = None) -> str:
        """A Markdown link to any item or glossary term by id; fails the build if the id is unknown."""
        library = lib()
        if item_id in library.entries:
            entry = library.entries[item_id]
            target = relative_link(here(), page_path(entry.kind, item_id))
            return f"[{inline(text or entry.item.title)}]({target})"
        if item_id in library.terms:
            target = relative_link(here(), page_path(KINDS["glossary"]), item_id)
            return f"[{inline(text or library.terms[item_id].term)}]({target})"
        raise KeyError(f"link('{item_id}'): no item or glossary term has this id")

    @env.macro
    def items(kind: str | None = None, audience: str | None = None, tag: str | None = None,
              level: int | None = None, spectrum: str | None = None, summaries: bool = True) -> str:
        """A bulleted list of items, filtered by kind, audience, tag, or a case's level of need / spectrum."""
        if kind is not None and kind not in KINDS:
            raise KeyError(f"items(kind='{kind}'): kind must be one of {', '.join(KINDS)}")
        library = lib()
        chosen = [e for e in library.entries.values()
                  if (kind is None or e.kind.name == kind)
                  and (audience is None or audience in e.item.audiences)
                  and (tag is None or tag in e.item.tags)
                  and (level is None or getattr(e.item, "level_of_need", None) == level)
                  and (spectrum is None or getattr(e.item, "spectrum", None) == spectrum)]
        chosen.sort(key=lambda e: (e.kind.name, e.item.title.lower()))
        if not chosen:
            return "*Nothing published here yet.*"
        lines = []
        for e in chosen:
            target = relative_link(here(), page_path(e.kind, e.item.id))
            summary = f": {inline(e.item.summary)}" if summaries else ""
            lines.append(f"- **[{inline(e.item.title)}]({target})**{summary}")
        return "\n".join(lines)

    @env.macro
    def term(item_id: str) -> str:
        """A glossary term's plain definition, for quoting on a page."""
        library = lib()
        if item_id not in library.terms:
            raise KeyError(f"term('{item_id}'): no glossary term has this id")
        t = library.terms[item_id]
        name = f"{t.term} ({t.abbreviation})" if t.abbreviation else t.term
        return f"**{inline(name)}**: {inline(t.definition)}"

    @env.macro
    def contact(name: str) -> str:
        """One local contact from mkdocs.yml extra.local, e.g. contact('front_door_phone')."""
        local = env.conf["extra"].get("local", {})
        if name not in local:
            raise KeyError(f"contact('{name}'): add '{name}' under extra.local in mkdocs.yml")
        return str(local[name])

    @env.macro
    def count(kind: str) -> int:
        """How many published items of a kind there are."""
        return len([e for e in lib().entries.values() if e.kind.name == kind])

    env.variables["area"] = env.conf["extra"].get("area", "your area")
