"""The library of loaded items, apart from the code that builds it (sources.py): items and glossary
terms by id, the register, and which items refer to which.

Checks, the generator, the packs and the macros all read the library; only sources.py fills it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .load import Document
from .kinds import KINDS, Kind
from .model import Glossary, Item, Register, Term, reference_fields

REFERENCE_FIELDS = reference_fields(kind.model for kind in KINDS.values())
"""Field name -> the kind its ids must name (None: any kind of item or a glossary term), read from the
typed references in the model (PolicyRef, TermRef, ... in essw/model/common.py)."""


def references(value: object, loc: tuple) -> Iterator[tuple[tuple, str, str]]:
    """Yield (loc, field, id) for every reference found in a source's data."""
    if isinstance(value, dict):
        for key, child in value.items():
            is_ref_list = isinstance(child, list) and all(not isinstance(c, (dict, list)) for c in child)
            if key in REFERENCE_FIELDS and (isinstance(child, str) or is_ref_list):
                refs = child if isinstance(child, list) else [child]
                for i, ref in enumerate(refs):
                    if isinstance(ref, str):
                        yield (loc + (key, i) if isinstance(child, list) else loc + (key,)), key, ref
            else:
                yield from references(child, loc + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from references(child, loc + (i,))



@dataclass
class Entry:
    """One validated item and where it came from (for messages and for links)."""

    kind: Kind
    item: Item
    doc: Document
    loc: tuple = ()  # path of the item inside the document (for glossary terms)


@dataclass
class Library:
    """Everything the sources say, validated, indexed by id."""

    root: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    glossary: Glossary | None = None
    glossary_doc: Document | None = None
    terms: dict[str, Term] = field(default_factory=dict)
    register: Register | None = None  # publications.yml: what pages cite
    register_doc: Document | None = None
    documents: list[Document] = field(default_factory=list)  # every file that loaded, valid or not
    unchecked_ids: dict[str, str] = field(default_factory=dict)
    for_pages: bool = False  # pages will be made from it (see sources.load_library)  # ids in files that failed to load or validate -> kind

    def of_kind(self, name: str) -> list[Entry]:
        """A kind's entries in reading order: by their ``order`` where the kind has one, then by title."""
        return sorted((e for e in self.entries.values() if e.kind.name == name),
                      key=lambda e: (getattr(e.item, "order", None) or 100, e.item.title.lower()))

    def governed(self) -> list[tuple[str, str, Any, Document, tuple]]:
        """(kind, id, model, document, loc) of everything with an owner and review dates: every item,
        and the glossary as a whole."""
        out = [(e.kind.name, item_id, e.item, e.doc, e.loc) for item_id, e in self.entries.items()]
        if self.glossary is not None and self.glossary_doc is not None:
            out.append(("glossary", "glossary", self.glossary, self.glossary_doc, ()))
        if self.register is not None and self.register_doc is not None:
            out.append(("publication", "publications", self.register, self.register_doc, ()))
        return out

    @property
    def publications(self) -> dict[str, Any]:
        """The register's entries by id (empty when there is no register)."""
        return {p.id: p for p in self.register.publications} if self.register else {}

    def public(self, include_internal: bool) -> "Library":
        """The library as a given build sees it: internal items dropped unless asked for."""
        if include_internal:
            return self
        kept = {k: e for k, e in self.entries.items() if e.item.visibility == "public"}
        glossary_public = self.glossary is None or self.glossary.visibility == "public"
        return Library(self.root, kept, self.glossary if glossary_public else None, self.glossary_doc,
                       self.terms if glossary_public else {}, self.register, self.register_doc)

    # -- one lookup for items and terms ---------------------------------------------------------------
    def lookup(self, item_id: str) -> Entry | Term | None:
        """The item or glossary term with this id (items and terms share one set of ids)."""
        return self.entries.get(item_id) or self.terms.get(item_id)

    def title_of(self, item_id: str) -> str:
        """An item's title or a term's name, as links to it read."""
        if item_id in self.entries:
            return self.entries[item_id].item.title
        return self.terms[item_id].term

    def published(self, ids: list[str]) -> list[str]:
        """The ids this library holds: once internal items are dropped (:meth:`public`), links to them vanish."""
        return [i for i in ids if i in self.entries or i in self.terms]

    def backlinks(self) -> dict[str, dict[str, list[str]]]:
        """id -> kind -> ids of the items of that kind that refer to it, by title: every page shows where it is used."""
        index: dict[str, dict[str, list[str]]] = {}
        for entry in sorted(self.entries.values(), key=lambda e: e.item.title.lower()):
            for ref in dict.fromkeys(ref for _, _, ref in references(entry.doc.data, ())):
                if ref != entry.item.id:
                    index.setdefault(ref, {}).setdefault(entry.kind.name, []).append(entry.item.id)
        return index
