"""Find every source file, load it, validate it, and gather the results into one library.

Nothing here raises for bad content: every problem is collected so that one run of
``essw validate`` shows an author everything that needs fixing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel

from .checks.schema import validate_document
from .load import Document, LoadError, load_file
from .model import KINDS, Glossary, Item, Kind, Term
from .problems import Problem, Report

SOURCE_SUFFIXES = (".yml", ".yaml")


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
    documents: list[Document] = field(default_factory=list)  # every file that loaded, valid or not
    unchecked_ids: dict[str, str] = field(default_factory=dict)  # ids in files that failed validation -> kind

    def of_kind(self, name: str) -> list[Entry]:
        return sorted((e for e in self.entries.values() if e.kind.name == name), key=lambda e: e.item.title.lower())

    def governed(self) -> list[tuple[str, str, Any, Document, tuple]]:
        """(kind, id, model, document, loc) of everything with an owner and review dates: every item,
        and the glossary as a whole."""
        out = [(e.kind.name, item_id, e.item, e.doc, e.loc) for item_id, e in self.entries.items()]
        if self.glossary is not None and self.glossary_doc is not None:
            out.append(("glossary", "glossary", self.glossary, self.glossary_doc, ()))
        return out

    def public(self, include_internal: bool) -> "Library":
        """The library as a given build sees it: internal items dropped unless asked for."""
        if include_internal:
            return self
        kept = {k: e for k, e in self.entries.items() if e.item.visibility == "public"}
        glossary_public = self.glossary is None or self.glossary.visibility == "public"
        return Library(self.root, kept, self.glossary if glossary_public else None, self.glossary_doc,
                       self.terms if glossary_public else {})


def source_files(root: Path) -> Iterator[tuple[Kind, Path]]:
    """Every source file under the project root, with the kind its folder says it is."""
    for kind in KINDS.values():
        place = root / kind.folder
        if place.suffix in SOURCE_SUFFIXES:
            if place.is_file():
                yield kind, place
            continue
        if place.is_dir():
            for path in sorted(place.rglob("*")):
                if path.is_file() and path.suffix in SOURCE_SUFFIXES and not path.name.startswith("."):
                    yield kind, path


def display_path(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def load_library(root: Path) -> tuple[Library, Report]:
    """Load and validate every source under ``root``; never raises for bad content."""
    from .checks import run_all  # the cross-file checks need the whole library

    library = Library(root)
    report = Report()
    seen: dict[str, tuple[Document, tuple]] = {}

    def register(kind: Kind, item: BaseModel, doc: Document, loc: tuple) -> None:
        item_id = item.id  # type: ignore[attr-defined]
        if item_id in seen:
            first_doc, first_loc = seen[item_id]
            line, _ = first_doc.position(first_loc + ("id",))
            report.add([doc.problem(loc + ("id",), f"the id '{item_id}' is already used by "
                                                     f"{first_doc.path}:{line}",
                                    expected="every item needs its own id; choose another one")])
            return
        seen[item_id] = (doc, loc)
        if isinstance(item, Term):
            library.terms[item_id] = item
        else:
            library.entries[item_id] = Entry(kind, item, doc, loc)  # type: ignore[arg-type]

    for kind, path in source_files(root):
        display = display_path(root, path)
        try:
            doc = load_file(path, display)
        except LoadError as exc:
            report.add([exc.problem])
            continue
        except OSError as exc:
            report.add([Problem(display, 1, 1, f"the file cannot be read ({exc.strerror})")])
            continue
        library.documents.append(doc)
        model, problems = validate_document(doc, kind.model)
        if problems and isinstance(doc.data, dict):
            problems = _explain_wrong_kind(doc, kind, problems)
        report.add(problems)
        if model is None:
            _remember_ids(library, kind, doc)
            continue
        if isinstance(model, Glossary):
            library.glossary, library.glossary_doc = model, doc
            for index, term in enumerate(model.terms):
                register(kind, term, doc, ("terms", index))
        else:
            register(kind, model, doc, ())

    report.add(run_all(library))
    return library, report


def _remember_ids(library: Library, kind: Kind, doc: Document) -> None:
    """Ids in a file that failed validation: references to them are not reported as missing too."""
    data = doc.data if isinstance(doc.data, dict) else {}
    if kind.name == "glossary":
        for term in data.get("terms") or []:
            if isinstance(term, dict) and isinstance(term.get("id"), str):
                library.unchecked_ids.setdefault(term["id"], kind.name)
    elif isinstance(data.get("id"), str):
        library.unchecked_ids.setdefault(data["id"], kind.name)


def _explain_wrong_kind(doc: Document, kind: Kind, problems: list[Problem]) -> list[Problem]:
    """A valid source of another kind put in the wrong folder gets one clear message."""
    for other in KINDS.values():
        if other is kind:
            continue
        _, other_problems = validate_document(doc, other.model)
        if not other_problems:
            return [doc.problem((), f"this file looks like {other.noun}, but it is in the "
                                    f"'{kind.folder}' folder, which holds {kind.title.lower()}",
                                field_path="", expected=f"move it to '{other.folder}/'")]
    return problems
