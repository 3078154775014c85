"""Turn the validated library into Markdown pages, the navigation and the glossary snippet.

The output is plain Markdown in ``docs/library/`` (git-ignored), so any engine that reads
``mkdocs.yml`` can build it: MkDocs today, Zensical tomorrow. Files are only rewritten when
their content changes (so ``mkdocs serve`` does not loop) and files from deleted sources are
removed on every run.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .case_view import case_data, describe_when
from .changes import all_changes, atom_feed, usable_site_url
from .checks.settings import site_config, site_extra
from .citing import cited, long_date, standing
from .kinds import KINDS, Kind
from .layout import (ABBREVIATIONS_FILE, ASSETS, FEED, INDEX_FILE, MARKER, NAV_FILE, OUTPUT, PACKS, WHATS_NEW,
                     in_parents_section, page_path, relative_link)
from .library import Library
from .markdown_text import attr, inline, plain, safe_markdown
from .model.case import LEVEL_NAMES, RATING_NAMES, node_title
from .model.common import AUDIENCE_NAMES
from .model.play import conditions
from .model.policy import PROCESS_NAMES
from .model.publication import STATUS_NAMES, TYPE_NAMES
from .model.workshop import MATERIAL_NAMES

TEMPLATES = Path(__file__).parent / "templates" / "pages"
ASSET_FILES = Path(__file__).parent / "assets"

# Hand-written sections, in the order readers meet them, before the generated sections.
AUDIENCE_SECTIONS = [
    ("New to the role", "new-to-the-role"),
    ("School staff", "school-staff"),
    ("Parents and carers", "parents-and-carers"),
]


ABUSE_TAGS = frozenset({"child protection", "domestic abuse", "physical abuse", "sexual abuse", "emotional abuse",
                        "neglect", "disclosure", "section 47", "police protection", "reasonable punishment",
                        "child-on-child abuse", "harmful sexual behaviour", "sexual violence", "sextortion", "grooming",
                        "female genital mutilation", "forced marriage", "honour-based abuse"})
"""Topics that make a page one a reader may need to leave in a hurry: it gets the 'Exit this page'
button, as every parents' guide does (overrides/main.html, assets/javascripts/quick-exit.js)."""


def needs_quick_exit(kind: str, item: Any) -> bool:
    return kind == "explainer" or bool(ABUSE_TAGS & {plain(t).lower() for t in getattr(item, "tags", [])})


def search_front(kind: str) -> dict[str, Any]:
    """What the search index is told about a kind's page (read by essw/search.py from its front matter)."""
    search = KINDS[kind].search
    return {"boost": search.boost, "audience": search.audience, "kind": search.label}

ABBREVIATION_LIKE = re.compile(r"^[A-Z][A-Z0-9&-]{1,11}$")
"""An 'also called' name that is a short form in capitals, so it gets a tooltip like an abbreviation."""

MENU_ITEMS_MAX = 40
"""A section lists its items in the site menu only up to this many; above it, only its index page.

Material renders the whole menu into every page, so listing every item makes each page grow with
the number of items and the site with its square (a case page at 1,000 cases was 506 KB, 425 KB of
it menu). A list this long is no longer scanned anyway: the section's index page lists every item
by title and summary, and search finds them (tests/test_knowledge_base.py checks that every page
is reachable from the home page).
"""


@dataclass
class Page:
    """A generated page: its path under docs/ and its Markdown."""

    path: str
    text: str


def front_matter(**fields: Any) -> str:
    """YAML front matter written as JSON values, which YAML reads exactly and safely."""
    lines = ["---"]
    for key, value in fields.items():
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, (dt.date,)):
            value = value.isoformat()
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


CPD_GUIDANCE = "swe-cpd"
"""The register entry for Social Work England's CPD guidance, which the CPD record follows."""


def script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element: no '<' can close it early."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def size_words(size: Any) -> str:
    """'12 pages, 180 kB': what a trainer needs to know before printing or downloading. Always kB, one
    unit to compare; lower-case, as the abbreviation check would ask for 'KB' to be explained."""
    kb = max(1, round(size.bytes / 1024))
    return f"{size.pages} page{'s' if size.pages != 1 else ''}, {kb:,} kB"


class Generator:
    def __init__(self, library: Library, *, today: dt.date | None = None, internal: bool = False,
                 packs: bool = True, site_url: str | None = None):
        self.library = library
        self.site_url = usable_site_url(site_url)
        self.today = today or dt.date.today()
        self.internal = internal
        self._backlinks = library.backlinks()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # we write Markdown; author text goes through |md or |inline
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(md=safe_markdown, inline=inline, attr=attr, tojson=json.dumps,
                                published=library.published, upper_first=lambda s: s[:1].upper() + s[1:],
                                long_date=long_date)
        self.env.globals.update(
            AUDIENCE_NAMES=AUDIENCE_NAMES, LEVEL_NAMES=LEVEL_NAMES, RATING_NAMES=RATING_NAMES, KINDS=KINDS,
            MATERIAL_NAMES=MATERIAL_NAMES,
            case_data=case_data, case_data_when=lambda w: [c.model_dump(exclude_none=True) for c in conditions(w)],
            cited=self.cited, long_date=long_date, STATUS_NAMES=STATUS_NAMES, TYPE_NAMES=TYPE_NAMES,
            script_json=script_json, pack_files=self.pack_links if packs else (lambda kind, item: []),
            describe_when=describe_when, node_title=node_title,
        )
        self.pack_sizes: dict[str, Any] = {}  # filled in by generate() once the packs are made

    def pack_links(self, kind: str, item: Any) -> list[dict[str, str]]:
        """The packs an item has, linked from its page with their page count and size when known."""
        from .packs import pack_files

        return [{"href": f"../{PACKS}/{f.filename}", "label": f.label, "purpose": f.purpose,
                 "size": size_words(self.pack_sizes[f.filename]) if f.filename in self.pack_sizes else ""}
                for f in pack_files(kind, item)]

    # -- links -------------------------------------------------------------------------------------
    def link_to(self, from_page: str, item_id: str) -> str:
        """A relative Markdown link target for an item or glossary term id."""
        if item_id in self.library.entries:
            entry = self.library.entries[item_id]
            return relative_link(from_page, page_path(entry.kind, item_id))
        if item_id in self.library.terms:
            return relative_link(from_page, page_path(KINDS["glossary"]), item_id)
        raise KeyError(item_id)  # references were checked; reaching here is a bug

    def mentioned_by(self, item_id: str, kind: str) -> list[str]:
        """Ids of items of a kind that link to this item, so every page shows where it is used."""
        return self._backlinks.get(item_id, {}).get(kind, [])

    def cited(self, sources: list[Any]) -> list[dict[str, Any]]:
        return cited(self.library.publications, sources)

    def citations_of(self) -> dict[str, list[tuple[str, str | None]]]:
        """Publication id -> (item or term id, part) of everything that cites it, by title."""
        index: dict[str, list[tuple[str, str | None]]] = {}
        cites: list[tuple[str, Any]] = [(e.item.id, e.item) for e in self.library.entries.values()]
        cites += [(t.id, t) for t in self.library.terms.values()]
        for ref_id, model in sorted(cites, key=lambda c: self.library.title_of(c[0]).lower()):
            for cite in model.sources:
                uses = index.setdefault(cite.publication, [])
                if (ref_id, cite.part) not in uses:
                    uses.append((ref_id, cite.part))
        return index

    def cpd_guidance(self) -> dict[str, str] | None:
        """The regulator's CPD guidance, as the register names it: the case player's CPD record follows it."""
        pub = self.library.publications.get(CPD_GUIDANCE)
        return {"title": pub.title, "publisher": pub.publisher, "url": pub.url or ""} if pub else None

    def audience_tags_for(self, item: Any, kind: Kind) -> list[str]:
        """The tags that say who a page is for (and a case's level of need), shown apart from topics."""
        tags = [AUDIENCE_NAMES[a] for a in getattr(item, "audiences", [])]
        if kind.name == "case":
            tags.append(LEVEL_NAMES[item.level_of_need])
        return tags

    def tags_for(self, item: Any, kind: Kind) -> list[str]:
        tags = self.audience_tags_for(item, kind)
        tags.extend(plain(tag) for tag in getattr(item, "tags", []))
        seen: list[str] = []
        for tag in tags:
            if tag not in seen:
                seen.append(tag)
        return seen

    def review_state(self, item: Any) -> dict[str, Any]:
        return {"overdue": item.review_by < self.today, "reviewed": item.reviewed, "review_by": item.review_by}

    def render(self, template: str, path: str, **context: Any) -> Page:
        def link(item_id: str) -> str:
            return self.link_to(path, item_id)

        text = self.env.get_template(template).render(
            link=link, register_link=relative_link(path, page_path(KINDS["publication"])),
            on_parents_page=in_parents_section(path),
            title_of=self.library.title_of, internal=self.internal, mentioned_by=self.mentioned_by,
            is_published=lambda i: bool(self.library.published([i])),
            cpd_guidance=self.cpd_guidance(), site_url=self.site_url or "", page_path=path, **context)
        return Page(path, text)

    # -- pages -------------------------------------------------------------------------------------
    def pages(self) -> list[Page]:
        out: list[Page] = self.explainer_pages() + [self.whats_new_page()]
        for name, kind in KINDS.items():
            if kind.in_audience_section:
                continue  # its pages are made with their audience section's (explainer_pages)
            if name == "glossary":
                out.append(self.glossary_page())
                continue
            if name == "publication":
                if self.library.register is not None:
                    out.append(self.register_page())
                continue
            entries = self.library.of_kind(name)
            index_path = page_path(kind)

            def listed(group: list[Any]) -> list[tuple[Any, str]]:
                return [(e.item, relative_link(index_path, page_path(kind, e.item.id))) for e in group]

            audience = kind.search.audience
            # In search a list comes below the pages it lists. Case studies and workshops are a table to
            # scan and filter, as wide as the page (no contents column beside it).
            table = kind.index == "table"
            index_front = front_matter(title=kind.title, hide=["toc"] if table else None,
                                       search={"boost": 0.5, "audience": audience, "kind": "List of pages"})
            if table:
                out.append(self.render(f"{name}-index.md.j2", index_path, kind=kind, front=index_front,
                                       table=list_table(self, kind, entries, index_path)))
            else:
                groups = ([(stage, listed(group)) for stage, group in self.policies_by_process()]
                          if kind.index == "grouped" else [("", listed(entries))])
                out.append(self.render("index.md.j2", index_path, kind=kind, groups=groups, front=index_front))
            for entry in entries:
                item = entry.item
                path = page_path(kind, item.id)
                out.append(self.render(kind.template, path, item=item, kind=kind,
                                       review=self.review_state(item),
                                       front=front_matter(title=plain(item.title), description=plain(item.summary),
                                                          tags=self.tags_for(item, kind),
                                                          audience_tags=self.audience_tags_for(item, kind),
                                                          quick_exit=needs_quick_exit(name, item) or None,
                                                          search=search_front(name))))
        return out

    def policies_by_process(self) -> list[tuple[str, list[Any]]]:
        groups: list[tuple[str, list[Any]]] = []
        policies = self.library.of_kind("policy")
        for key, name in [*PROCESS_NAMES.items(), (None, "Other protocols")]:
            entries = [e for e in policies if e.item.process == key]
            if entries:
                groups.append((name, entries))
        return groups

    def explainer_pages(self) -> list[Page]:
        kind = KINDS["explainer"]
        return [self.render(kind.template, page_path(kind, e.item.id), item=e.item, kind=kind,
                            review=self.review_state(e.item),
                            front=front_matter(title=plain(e.item.title), description=plain(e.item.summary),
                                               tags=self.tags_for(e.item, kind),
                                               audience_tags=self.audience_tags_for(e.item, kind),
                                               quick_exit=True,
                                               search=search_front("explainer")))
                for e in self.library.of_kind("explainer")]

    def glossary_page(self) -> Page:
        kind = KINDS["glossary"]
        glossary = self.library.glossary
        terms = sorted(self.library.terms.values(), key=lambda t: t.term.lower())
        letters: dict[str, str] = {}  # first letter -> the first term's id: A to Z links to jump on a phone
        for t in terms:
            letters.setdefault(t.term[:1].upper() if t.term[:1].isalpha() else "#", t.id)
        return self.render("glossary.md.j2", page_path(kind), kind=kind, glossary=glossary, terms=terms,
                           letters=letters, review=self.review_state(glossary) if glossary else None,
                           front=front_matter(title=kind.title, search=search_front("glossary")))

    def changes(self) -> list[Any]:
        return all_changes([(e.item.id, e.item.title, page_path(e.kind, e.item.id), e.item.changes)
                            for e in self.library.entries.values()])

    def whats_new_page(self) -> Page:
        months: list[tuple[str, list[Any]]] = []
        for change in self.changes():
            month = f"{change.date.strftime('%B')} {change.date.year}"
            if not months or months[-1][0] != month:
                months.append((month, []))
            months[-1][1].append(change)
        return self.render("whats-new.md.j2", WHATS_NEW, months=months,
                           feed="feed.xml" if self.site_url else None,
                           front=front_matter(title="What's new", search=search_front("publication") | {"kind": "What's new"}))

    def feed(self, site_name: str) -> str | None:
        if not self.site_url:
            return None
        return atom_feed(self.changes(), site_url=self.site_url, site_name=site_name, page_path=WHATS_NEW,
                         feed_path=FEED)

    def register_page(self) -> Page:
        kind = KINDS["publication"]
        register = self.library.register
        groups = [(TYPE_NAMES[t], [p for p in register.publications if p.type == t]) for t in TYPE_NAMES]
        titles = {p.id: p.title for p in register.publications}
        return self.render("publications.md.j2", page_path(kind), kind=kind, register=register,
                           groups=[g for g in groups if g[1]], uses=self.citations_of(), titles=titles,
                           published_ids=self.library.published(list(self.library.entries) + list(self.library.terms)),
                           standing=lambda p: standing(p, self.library.publications.get(p.replaced_by or "")),
                           review=self.review_state(register),
                           front=front_matter(title=kind.title, search=search_front("publication")))

    def index(self) -> str:
        items = {}
        for item_id, entry in sorted(self.library.entries.items()):
            item = entry.item
            items[item_id] = {"kind": entry.kind.name, "path": page_path(entry.kind, item_id), "title": item.title,
                              "summary": item.summary, "audiences": list(item.audiences), "tags": list(item.tags),
                              "level": getattr(item, "level_of_need", None), "spectrum": getattr(item, "spectrum", None),
                              "order": getattr(item, "order", None)}
        terms = {t.id: {"term": t.term, "abbreviation": t.abbreviation, "definition": t.definition,
                        "path": page_path(KINDS["glossary"])} for t in self.library.terms.values()}
        register = self.library.publications
        publications = {p.id: {"title": p.title, "edition": p.edition, "url": p.url,
                               "standing": standing(p, register.get(p.replaced_by or "")),
                               "path": page_path(KINDS["publication"])} for p in register.values()}
        return json.dumps({"items": items, "terms": terms, "publications": publications},
                          ensure_ascii=False, sort_keys=True, indent=1) + "\n"

    def abbreviations(self) -> str:
        """The snippet appended to every page, so each abbreviation gets a tooltip."""
        shorts: dict[str, str] = {}
        for term in sorted(self.library.terms.values(), key=lambda t: t.abbreviation or ""):
            if term.abbreviation:
                shorts[term.abbreviation] = inline(term.term)
        for term in sorted(self.library.terms.values(), key=lambda t: t.id):
            for other in term.also_called:  # an older or other short form, e.g. 'DVA' for domestic abuse
                if ABBREVIATION_LIKE.match(other) and other not in shorts:
                    shorts[other] = inline(term.term)
        lines = []
        for short, words in sorted(shorts.items()):
            lines.append(f"*[{short}]: {words}")
            if not short.endswith("s"):  # 'ESSWs' and 'CAFs' get a tooltip too
                lines.append(f"*[{short}s]: {words} (more than one)")
        return "\n".join(lines) + "\n"

    def nav(self, docs_dir: Path) -> str:
        """The site navigation: hand-written audience sections, then the generated sections.

        Each kind's items are listed only while there are at most MENU_ITEMS_MAX of them.
        """
        def listed(name: str) -> bool:
            return len(self.library.of_kind(name)) <= MENU_ITEMS_MAX

        def entries(name: str, chosen: list[Any] | None = None) -> list[Any]:
            kind = KINDS[name]
            chosen = self.library.of_kind(name) if chosen is None else chosen
            return [{plain(e.item.title): page_path(kind, e.item.id)} for e in chosen]

        nav: list[Any] = [{"Home": "index.md"}]
        for title, folder in AUDIENCE_SECTIONS:
            pages: list[Any] = list(_hand_written(docs_dir, folder))
            for name, kind in KINDS.items():  # after the section's index, before the rest
                if kind.in_audience_section == folder and listed(name):
                    at = 1 if pages and pages[0].endswith("/index.md") else 0
                    pages[at:at] = entries(name)
            if pages:
                nav.append({title: pages})
        for name, kind in KINDS.items():
            if kind.in_audience_section:
                continue
            if kind.single_page:
                if name == "glossary" or self.library.register is not None:
                    nav.append({kind.title: page_path(kind)})
                continue
            section: list[Any] = [page_path(kind)]
            if not listed(name):
                pass  # the index page alone; it lists every item
            elif kind.index == "grouped":  # protocols are found by stage of the work (roles give the other route)
                section += [{stage: entries(name, group)} for stage, group in self.policies_by_process()]
            else:
                section += entries(name)
            nav.append({kind.title: section})
        nav.append({"What's new": WHATS_NEW})
        for extra in ("about.md", "tags.md"):
            if (docs_dir / extra).exists():
                nav.append(extra)
        header = "# Written by 'essw generate' from the YAML sources. Do not edit: changes are lost.\n"
        return header + yaml.safe_dump({"nav": nav}, sort_keys=False, allow_unicode=True, width=120)


def _hand_written(docs_dir: Path, folder: str) -> list[str]:
    """Hand-written pages in an audience folder: index first, then by file name."""
    base = docs_dir / folder
    if not base.is_dir():
        return []
    files = sorted(p.relative_to(docs_dir).as_posix() for p in base.glob("*.md"))
    files.sort(key=lambda p: (not p.endswith("/index.md"), p))
    return files


def write_if_changed(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


def _site_name(docs_dir: Path) -> str:
    config = docs_dir.parent / "mkdocs.yml"
    found = re.search(r"^site_name:\s*(.+)$", config.read_text(encoding="utf-8"), re.M) if config.exists() else None
    return found.group(1).strip().strip("'\"") if found else "School Social Work Knowledge Base"


def generate(library: Library, docs_dir: Path, *, internal: bool = False,
             today: dt.date | None = None, packs: bool = True, keep_packs: bool = False) -> dict[str, int]:
    """Write the generated part of the docs tree; return counts of written, unchanged, removed.

    Without ``packs`` the pages link no packs; ``keep_packs`` then leaves PDFs made earlier where they
    are (a live preview skips the packs, and the next full build reuses them)."""
    from .output import check_generated_dir
    from .packs import PackMaker, write_packs

    config = site_config(docs_dir.parent)
    gen = Generator(library.public(internal), today=today, internal=internal, packs=packs,
                    site_url=config.get("site_url"))
    out_dir = docs_dir / OUTPUT
    check_generated_dir(out_dir, MARKER)
    wanted: dict[Path, str] = {out_dir / MARKER: "This folder is generated by 'essw generate'. Do not edit.\n"}
    counts = {"written": 0, "unchanged": 0, "removed": 0, "packs": 0}
    keep: set[Path] = set()
    if packs:  # first, so each page can give its packs' page counts and sizes
        write_if_changed(out_dir / MARKER, wanted[out_dir / MARKER])
        maker = PackMaker(gen.library, site_name=_site_name(docs_dir), extra=site_extra(docs_dir.parent))
        keep, counts["packs"], gen.pack_sizes = write_packs(maker.packs(), out_dir / PACKS)
        counts["written"] += 2 * counts["packs"]  # each pack is a PDF and its content stamp
        counts["unchanged"] += len(keep) - 2 * counts["packs"]
    elif keep_packs and (out_dir / PACKS).is_dir():
        keep = {p for p in (out_dir / PACKS).iterdir() if p.is_file()}
    for page in gen.pages():
        wanted[docs_dir / page.path] = page.text
    for asset in sorted(ASSET_FILES.iterdir()):  # the case engine's script and styles
        if asset.is_file():
            wanted[out_dir / ASSETS / asset.name] = asset.read_text(encoding="utf-8")
    wanted[out_dir / NAV_FILE] = gen.nav(docs_dir)
    wanted[out_dir / INDEX_FILE] = gen.index()
    wanted[out_dir / ABBREVIATIONS_FILE] = gen.abbreviations()
    feed = gen.feed(_site_name(docs_dir))
    if feed is not None:
        wanted[docs_dir / FEED] = feed

    for path, text in wanted.items():
        counts["written" if write_if_changed(path, text) else "unchanged"] += 1
    for path in sorted(out_dir.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted and path not in keep:
            path.unlink()
            counts["removed"] += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return counts


# -- the case studies and workshops indexes: a table to scan, filtered in the browser (issue 14) ------
# Kinds whose registry entry says index="table" get templates/pages/<kind>-index.md.j2 rather than a list
# of titles and summaries. The table is complete without JavaScript; assets/filter-table.js adds a filter.

SPECTRUM_ORDER = ("prevention", "early-intervention", "statutory", "post-statutory")
"""The spectrum of work from prevention to post-statutory work, in the order readers meet it."""

TIME_STEPS = (10, 15, 20, 30, 45, 60, 90, 120, 180, 240)
"""'Up to N minutes' choices a table's filter may offer; only those that split the rows are offered."""


def spectrum_words(value: str) -> str:
    """Where the work sits, in the words the case page uses ('early-intervention' -> 'Early intervention')."""
    return value.replace("-", " ").capitalize()


def topics_of(gen: Generator, item: Any, kind: Kind) -> list[str]:
    """An item's topics as its page shows them under 'Topics:' (overrides/partials/tags.html): its tags
    without those that say who it is for or its level of need, and without the name of the kind itself
    ('workshop' on every workshop says nothing in a table of workshops). Author text: pass it |inline."""
    shown = set(gen.audience_tags_for(item, kind))
    own = {kind.name, kind.noun.split(" ", 1)[-1], *kind.words}
    topics: list[str] = []
    for tag in getattr(item, "tags", []):
        if plain(tag) in shown or tag.strip().lower() in own or tag in topics:
            continue
        topics.append(tag)
    return topics


def time_choices(minutes: list[int]) -> list[list[str]]:
    """'Up to N minutes' filter choices that each keep some rows and hide others, no two alike."""
    choices: list[list[str]] = []
    seen: set[frozenset[int]] = set()
    for step in TIME_STEPS:
        kept = frozenset(i for i, m in enumerate(minutes) if m <= step)
        if kept and len(kept) < len(minutes) and kept not in seen:
            seen.add(kept)
            choices.append([str(step), f"Up to {step} minutes"])
    return choices


def list_table(gen: Generator, kind: Kind, entries: list[Any], index_path: str) -> dict[str, Any]:
    """The rows of a kind's index table, with each row's values for the filter (data-* attributes),
    and the filter's controls (read by assets/filter-table.js from the table's data-essw-filters).

    Every control's words come from the model's own names (LEVEL_NAMES, AUDIENCE_NAMES), never from
    author text, and a control is offered only for values some row has."""
    name = kind.name
    rows: list[dict[str, Any]] = []
    for entry in entries:
        item = entry.item
        minutes = item.minutes if name == "case" else item.duration_minutes
        row: dict[str, Any] = {"item": item, "href": relative_link(index_path, page_path(kind, item.id)),
                               "minutes": minutes, "audiences": [AUDIENCE_NAMES[a] for a in item.audiences],
                               "topics": topics_of(gen, item, kind)}
        data = {"time": str(minutes), "audience": " ".join(item.audiences)}
        if name == "case":
            row |= {"level": LEVEL_NAMES[item.level_of_need], "spectrum": spectrum_words(item.spectrum)}
            data |= {"level": str(item.level_of_need), "spectrum": item.spectrum}
        row["data"] = data
        rows.append(row)

    items = [e.item for e in entries]
    filters: list[dict[str, Any]] = []
    if name == "case":
        levels = sorted({i.level_of_need for i in items})
        filters.append({"name": "level", "label": "Level of need", "any": "Any level", "match": "equal",
                        "options": [[str(level), LEVEL_NAMES[level]] for level in levels]})
        spectra = [s for s in SPECTRUM_ORDER if any(i.spectrum == s for i in items)]
        filters.append({"name": "spectrum", "label": "Where the work sits", "any": "Anywhere", "match": "equal",
                        "options": [[s, spectrum_words(s)] for s in spectra]})
    filters.append({"name": "time", "label": "Time" if name == "case" else "Length", "any": "Any length",
                    "match": "max", "options": time_choices([row["minutes"] for row in rows])})
    audiences = [a for a in AUDIENCE_NAMES if any(a in i.audiences for i in items)]
    filters.append({"name": "audience", "label": "Written for", "any": "Anyone", "match": "word",
                    "options": [[a, AUDIENCE_NAMES[a]] for a in audiences]})
    filters.append({"name": "words", "label": "Words in the title or topics", "match": "text"})
    one, many = kind.words
    return {"rows": rows, "filters": [f for f in filters if f["match"] == "text" or f["options"]],
            "one": one, "many": many}
