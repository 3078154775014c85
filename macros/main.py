"""mkdocs-macros helpers for hand-written pages (opt in with 'render_macros: true').

They read the index that 'essw generate' writes (docs/library/.index.json) from the validated
sources, so a hand-written page can link to an item by id, list items for an audience, quote a
glossary term, or show the local contacts from mkdocs.yml ``extra:`` - without the site engine
reading the sources a second time. Text from sources is returned as Markdown and never rendered
as a template, so a source containing '{{' is shown as text. Works under MkDocs and Zensical.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path

from essw.kinds import ITEM_KINDS as KINDS
from essw.kinds import KINDS as ESSW_KINDS
from essw.layout import INDEX_FILE, OUTPUT, in_parents_section, relative_link
from essw.markdown_text import inline
from essw.model.case import LEVEL_NAMES
from essw.model.common import AUDIENCE_NAMES

KIND_TITLES = {name: ESSW_KINDS[name].title for name in KINDS}
"""Each kind's section title ("Protocols"), for lists grouped by kind."""

FEATURED_MAX = 6
"""A chosen list (the featured macro) is short: three to five items suit a page, six at most."""

TABLE_OFFERS = {"case": ", in one table you can filter by level of need, where the work sits, time and who each is for",
                "workshop": ", in one table you can filter by who each is for and its length"}
"""What each kind's filterable table offers, as the link under a chosen list says it: one entry for
every kind whose index page is a table (index="table" in essw/kinds.py; a test checks they agree)."""

FOR_WHOM = {"essw": "school social workers", "school-staff": "school staff", "dsl": "designated safeguarding leads",
            "school-leaders": "school leaders", "parents": "parents and carers", "trainers": "trainers",
            "social-care": "social care colleagues"}
"""Each audience in running text: 'All 3 case studies for parents and carers'."""


def _index(docs_dir: Path) -> dict:
    path = docs_dir / OUTPUT / INDEX_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run 'essw generate' (or 'make site') first")
    return json.loads(path.read_text(encoding="utf-8"))


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]()#+\-.!|~])")


def reading_order(item: dict) -> tuple:
    """The order readers meet items of one kind, as Library.of_kind gives it: 'order', then title."""
    return (item.get("order") or 100, item["title"].lower())


def setting_text(value: object) -> str:
    """A value from mkdocs.yml as plain text on one line: never HTML, Markdown or template syntax.

    Settings are written by whoever runs the site, not checked like sources, and a macro's result
    is read as Markdown: '<script>' in 'area', or '# Heading' in a multi-line value, must show as
    the characters written.
    """
    text = " ".join(str(value).split())
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    text = html.escape(text, quote=False).replace('"', "&quot;")  # an apostrophe stays as written
    return text.replace("{", "&#123;").replace("}", "&#125;")


def define_env(env):
    root = Path(env.project_dir)
    docs_dir = root / env.conf.get("docs_dir", "docs") if not Path(env.conf.get("docs_dir", "docs")).is_absolute() \
        else Path(env.conf["docs_dir"])

    def here() -> str:
        """The current page's path under docs/ (MkDocs has page.file, Zensical page.path)."""
        page = getattr(env, "page", None)
        if page is None:
            return "index.md"
        file = getattr(page, "file", None)
        return file.src_uri if file is not None else str(page.path)

    def index() -> dict:
        return _index(docs_dir)

    def label(item: dict) -> str:
        """On a parents' page, a link to a page written for professionals says so, so nobody lands
        on one by surprise (issue 13)."""
        if in_parents_section(here()) and ESSW_KINDS[item["kind"]].search.audience == "Professionals":
            return ' <span class="essw-for-pros">(for professionals)</span>'
        return ""

    @env.macro
    def link(item_id: str, text: str | None = None) -> str:
        """A Markdown link to any item or glossary term by id; fails the build if the id is unknown."""
        data = index()
        if item_id in data["items"]:
            item = data["items"][item_id]
            return f"[{inline(text or item['title'])}]({relative_link(here(), item['path'])}){label(item)}"
        if item_id in data["terms"]:
            term = data["terms"][item_id]
            return f"[{inline(text or term['term'])}]({relative_link(here(), term['path'], item_id)})"
        raise KeyError(f"link('{item_id}'): no item or glossary term has this id")

    @env.macro
    def items(kind: str | None = None, audience: str | None = None, tag: str | None = None,
              level: int | None = None, spectrum: str | None = None, summaries: bool = True,
              limit: int | None = None, more: str | None = None, without: list[str] | None = None,
              grouped: bool = False) -> str:
        """A bulleted list of items, filtered by kind, audience, tag, or a case's level of need / spectrum.

        ``limit`` keeps a long list short (the home page must stay light with a thousand case studies);
        ``more`` is the page, relative to docs/, that lists them all. ``without`` leaves kinds out (case
        studies and workshops have their own tables: link to them, or use ``featured``); ``grouped``
        puts each kind under its own heading (### Protocols), so a long list can be scanned."""
        for name in [kind, *(without or [])]:
            if name is not None and name not in KINDS:
                raise KeyError(f"items(kind='{name}'): kind must be one of {', '.join(KINDS)}")
        chosen = [item for item in index()["items"].values()
                  if (kind is None or item["kind"] == kind) and item["kind"] not in (without or [])
                  and (audience is None or audience in item["audiences"])
                  and (tag is None or tag in item["tags"])
                  and (level is None or item["level"] == level)
                  and (spectrum is None or item["spectrum"] == spectrum)]
        chosen.sort(key=lambda item: (KINDS.index(item["kind"]) if grouped else item["kind"], *reading_order(item)))
        if not chosen:
            return "*Nothing published here yet.*"
        lines: list[str] = []
        last_kind = None
        for item in chosen[:limit]:
            if grouped and item["kind"] != last_kind:
                lines += [*([""] if lines else []), f"### {KIND_TITLES[item['kind']]}", ""]
                last_kind = item["kind"]
            summary = f": {inline(item['summary'])}" if summaries else ""
            lines.append(f"- **[{inline(item['title'])}]({relative_link(here(), item['path'])})**{label(item)}{summary}")
        if limit is not None and len(chosen) > limit:
            left = len(chosen) - limit
            where = f": [see them all]({relative_link(here(), more)})" if more else ""
            lines.append(f"- *and {left} more*{where}")
        return "\n".join(lines)

    @env.macro
    def featured(chosen, audience: str | None = None, more: str | None = None) -> str:
        """A short list chosen for a page's readers, and a link to the table of them all.

        ``chosen`` maps item ids to a one-line reason, in the order to show them:
        ``featured({"abdi": "Start here: a worry that is early help, not a referral."}, audience="school-staff")``
        (a list of ids works too, without reasons). At most FEATURED_MAX items, all of one kind, so the
        list stays short; the rest are one link away: the kind's index page (or ``more``, relative to
        docs/), filtered to ``audience`` when that leaves some out. A case shows its level of need."""
        pairs = list(chosen.items()) if isinstance(chosen, dict) else \
            [(c, None) if isinstance(c, str) else (c[0], c[1]) for c in chosen]
        if not 1 <= len(pairs) <= FEATURED_MAX:
            raise ValueError(f"featured(): choose 1 to {FEATURED_MAX} items, not {len(pairs)}; "
                             "link to the full list for the rest")
        data = index()["items"]
        unknown = [item_id for item_id, _ in pairs if item_id not in data]
        if unknown:
            raise KeyError(f"featured(): no item has the id '{unknown[0]}'")
        kinds = {data[item_id]["kind"] for item_id, _ in pairs}
        if len(kinds) != 1:
            raise ValueError(f"featured(): choose items of one kind, not {', '.join(sorted(kinds))}")
        kind = kinds.pop()
        if audience is not None and audience not in AUDIENCE_NAMES:
            raise KeyError(f"featured(audience='{audience}'): audience must be one of {', '.join(AUDIENCE_NAMES)}")
        lines = []
        for item_id, reason in pairs:
            item = data[item_id]
            facts = f" *({LEVEL_NAMES[item['level']]})*" if item.get("level") in LEVEL_NAMES else ""
            why = f": {inline(reason)}" if reason else ""
            lines.append(f"- **[{inline(item['title'])}]({relative_link(here(), item['path'])})**{label(item)}{why}{facts}")
        every = [i for i in data.values() if i["kind"] == kind]
        mine = [i for i in every if audience is None or audience in i["audiences"]]
        if ESSW_KINDS[kind].index == "table" and more is None:  # the kind's own table, filtered to these readers
            (one, many), offers = ESSW_KINDS[kind].words, TABLE_OFFERS[kind]
            target = posixpath.join(posixpath.dirname(every[0]["path"]), "index.md")
            query = f"?audience={audience}" if audience and len(mine) < len(every) else ""
        elif more is not None:
            one, many, offers = ESSW_KINDS[kind].noun.split(" ", 1)[-1], ESSW_KINDS[kind].title.lower(), ""
            target, query = more, ""
        else:
            raise ValueError(f"featured(): say where the full list of {ESSW_KINDS[kind].title.lower()} is (more=...)")
        whose = f" for {FOR_WHOM[audience]}" if query else ""
        lines += ["", f"[All {len(mine)} {one if len(mine) == 1 else many}{whose}]"
                      f"({relative_link(here(), target)}{query}){offers}."]
        return "\n".join(lines)

    @env.macro
    def cards(kind: str = "explainer") -> str:
        """Large tappable cards, one per item of a kind in reading order (explainers: the order a
        worried parent asks), each with the first sentence of its summary. Put the call inside a
        ``<div class="essw-doors" markdown>`` block; more hand-written cards may follow it."""
        if kind not in KINDS:
            raise KeyError(f"cards(kind='{kind}'): kind must be one of {', '.join(KINDS)}")
        chosen = sorted((item for item in index()["items"].values() if item["kind"] == kind),
                        key=reading_order)
        lines = []
        for item in chosen:
            first = re.split(r"(?<=[.!?])\s", " ".join(item["summary"].split()), maxsplit=1)[0]
            lines.append(f"- [**{inline(item['title'])}**\n  {inline(first)}]({relative_link(here(), item['path'])})")
        return "\n".join(lines) or "*Nothing published here yet.*"

    @env.macro
    def term(item_id: str) -> str:
        """A glossary term's plain definition, for quoting on a page."""
        terms = index()["terms"]
        if item_id not in terms:
            raise KeyError(f"term('{item_id}'): no glossary term has this id")
        t = terms[item_id]
        name = f"{t['term']} ({t['abbreviation']})" if t["abbreviation"] else t["term"]
        return f"**{inline(name)}**: {inline(t['definition'])}"

    @env.macro
    def edition(publication_id: str) -> str:
        """The edition the site follows of a publication in the register, with where it stands and a
        link to its entry, e.g. '2025 edition (in force from 1 September 2025)': one edit of
        publications.yml changes every hand-written page that says which edition applies."""
        pubs = index().get("publications", {})
        if publication_id not in pubs:
            raise KeyError(f"edition('{publication_id}'): no publication in publications.yml has this id")
        p = pubs[publication_id]
        standing = f" ({inline(p['standing'])})" if p["standing"] else ""
        return f"[{inline(p['edition'])}]({relative_link(here(), p['path'], publication_id)}){standing}"

    @env.macro
    def contact(name: str) -> str:
        """One local contact from mkdocs.yml extra.local, e.g. contact('front_door_phone')."""
        local = env.conf["extra"].get("local", {})
        if name not in local:
            raise KeyError(f"contact('{name}'): add '{name}' under extra.local in mkdocs.yml")
        return setting_text(local[name])

    @env.macro
    def count(kind: str) -> int:
        """How many published items of a kind there are."""
        return sum(1 for item in index()["items"].values() if item["kind"] == kind)

    env.variables["area"] = setting_text(env.conf["extra"].get("area", "your area"))
