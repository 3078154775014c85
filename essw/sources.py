"""Find every source file, load it, validate it, and gather the results into one library.

Nothing here raises for bad content: every problem is collected so that one run of
``essw validate`` shows an author everything that needs fixing.

Which files are sources (:func:`source_files`): in each kind's folder and the folders inside it,
every ordinary file whose name ends in ``.yml`` or ``.yaml`` in any mix of capitals (``x.YML``,
``x.Yaml``), except hidden ones whose name starts with '.'. The glossary is the one file
``glossary.yml``. Only the project's own ordinary files are read: an entry with a source's name
that is a link (to anywhere, even inside the project: see :func:`essw.load.link_refusal`), a
folder, a named pipe, a device or a socket, a linked folder, a folder that cannot be opened, and a
kind's folder of the wrong type (``scenarios`` a file, ``glossary.yml`` a folder) are each one
problem with the path and the reason, and are never opened. Folders are listed and entered through
open folder handles that do not follow links, and each file is checked when read to be the very
file that was listed, so nothing outside the project can be swapped in while essw runs.

A file that cannot be loaded still tells the other checks the id it most likely declares (its
``id:`` line, else its file name), so references to it are not reported as missing as well: one
mistake gives one message.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel

from .checks.schema import validate_document
from .load import (Document, LoadError, link_refusal, load_text, os_error_words, read_source,
                   type_refusal)
from .library import REFERENCE_FIELDS, Entry, Library, references
from .kinds import KINDS, Kind
from .model import Glossary, Register, Term
from .problems import Problem, Report

SOURCE_SUFFIXES = (".yml", ".yaml")
"""Compared without regard to capitals: 'x.YML' and 'x.Yaml' are sources too."""

PARSED: dict[tuple[str, str, str], tuple[Document | None, Any, list[Problem]]] = {}
"""(kind, file, hash of its text) -> what loading and validating that text gave (no document when it
could not be loaded). The live preview loads every source again on every save; only a changed source
is parsed and validated again. Kept for the files of the latest run only, so it never grows."""

MAX_FOLDER_DEPTH = 20
"""Folders inside a kind's folder are read this many levels deep; real projects use one or two."""


def is_source_name(name: str) -> bool:
    return name.lower().endswith(SOURCE_SUFFIXES) and not name.startswith(".")


@dataclass(frozen=True)
class SourceFile:
    """One entry of a kind's folder: a file to read, or (with ``problem``) one that is refused unread."""

    kind: Kind
    path: Path
    display: str  # the path relative to the project, as messages show it
    identity: tuple[int, int] | None = None  # (device, inode) when the folder was listed
    problem: Problem | None = None


def _refused(kind: Kind, root: Path, display: str, message: str, expected: str = "") -> SourceFile:
    return SourceFile(kind, root / display, display, None, Problem(display, 1, 1, message, "", expected))


_DIR_FLAGS = (os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
              | getattr(os, "O_CLOEXEC", 0))
_BY_HANDLE = (hasattr(os, "O_DIRECTORY") and hasattr(os, "O_NOFOLLOW") and os.scandir in os.supports_fd
              and os.open in os.supports_dir_fd)


def source_files(root: Path) -> Iterator[SourceFile]:
    """Every source under the project root, with the kind its folder says it is, in path order;
    refused entries come with their problem (see the module docstring)."""
    root = Path(root)
    for kind in KINDS.values():
        name = kind.folder
        try:
            info = os.lstat(root / name)
        except FileNotFoundError:
            continue
        except OSError as exc:
            yield _refused(kind, root, name, *os_error_words(exc, name, folder=not is_source_name(name)))
            continue
        if stat.S_ISLNK(info.st_mode):
            yield _refused(kind, root, name, *link_refusal(root / name, root, folder=not is_source_name(name)))
        elif is_source_name(name):  # a kind kept in one file: the glossary
            if stat.S_ISDIR(info.st_mode):
                yield _refused(kind, root, name, f"this is a folder, but '{name}' must be a file holding "
                                                 f"{kind.title.lower()}", f"remove the folder and save {kind.noun} "
                                                                          f"as the file '{name}'")
            elif stat.S_ISREG(info.st_mode):
                yield SourceFile(kind, root / name, name, (info.st_dev, info.st_ino))
            else:
                yield _refused(kind, root, name, *(type_refusal(info.st_mode) or ("this is not an ordinary file", "")))
        elif stat.S_ISREG(info.st_mode):
            yield _refused(kind, root, name, f"this is a file, but '{name}' must be a folder holding "
                                             f"{kind.title.lower()}, one .yml file each",
                           f"rename this file and make a folder called '{name}' for the sources")
        elif not stat.S_ISDIR(info.st_mode):
            yield _refused(kind, root, name, *(type_refusal(info.st_mode, want_folder=True)
                                               or ("this is not an ordinary folder", "")))
        else:
            yield from _folder(kind, root, name)


def _folder(kind: Kind, root: Path, top: str) -> Iterator[SourceFile]:
    """The sources in one kind's folder and the folders inside it, entered without following links."""

    def listing(handle: Any, display: str, depth: int) -> Iterator[SourceFile]:
        try:
            with os.scandir(handle) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            yield _refused(kind, root, display, *os_error_words(exc, display, folder=True))
            return
        for entry in entries:
            name, rel = entry.name, f"{display}/{entry.name}"
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue  # gone since the folder was listed
            except OSError as exc:
                if is_source_name(name):
                    yield _refused(kind, root, rel, *os_error_words(exc, rel))
                continue
            mode = info.st_mode
            if stat.S_ISLNK(mode):
                if is_source_name(name):
                    yield _refused(kind, root, rel, *link_refusal(root / rel, root))
                elif os.path.isdir(root / rel):  # a linked folder is not entered, and not silently skipped
                    yield _refused(kind, root, rel, *link_refusal(root / rel, root, folder=True))
                continue
            if stat.S_ISDIR(mode):
                if is_source_name(name):
                    yield _refused(kind, root, rel, *(type_refusal(mode) or ("", "")))
                if depth >= MAX_FOLDER_DEPTH:
                    yield _refused(kind, root, rel, f"this folder is more than {MAX_FOLDER_DEPTH} levels deep, "
                                                    "so essw does not look inside it",
                                   "keep sources at most a few folders deep")
                    continue
                yield from inside(handle, name, rel, depth + 1)
            elif is_source_name(name):
                if stat.S_ISREG(mode):
                    yield SourceFile(kind, root / rel, rel, (info.st_dev, info.st_ino))
                else:
                    yield _refused(kind, root, rel, *(type_refusal(mode) or ("this is not an ordinary file", "")))

    def inside(parent: Any, name: str, display: str, depth: int) -> Iterator[SourceFile]:
        if not _BY_HANDLE:  # pragma: no cover - Windows: no folder handles, list by path
            yield from listing(str(root / display), display, depth)
            return
        try:
            handle = os.open(name, _DIR_FLAGS, dir_fd=parent) if parent is not None else \
                os.open(root / name, _DIR_FLAGS)
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # it became a link after it was listed
                yield _refused(kind, root, display, *link_refusal(root / display, root, folder=True))
            else:
                yield _refused(kind, root, display, *os_error_words(exc, display, folder=True))
            return
        try:
            yield from listing(handle, display, depth)
        finally:
            os.close(handle)

    yield from inside(None, top, top, 1)


def load_library(root: Path, *, for_pages: bool = False) -> tuple[Library, Report]:
    """Load and validate every source under ``root``; never raises for bad content.

    ``for_pages``: pages will be generated from it, so the checks keep what the pages also need
    (each case's decisions left, worked out while the case is played through anyway)."""
    from .checks import run_all  # the cross-file checks need the whole library

    root = Path(root)
    library = Library(root, for_pages=for_pages)
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

    unknown: set[str] = set()  # kinds whose ids could not all be named: references to them are not checked
    parsed_now: dict[tuple[str, str, str], tuple[Document | None, Any, list[Problem]]] = {}
    for source in source_files(root):
        kind, display = source.kind, source.display
        if source.problem is not None:
            report.add([source.problem])
            if not _remember_unread(library, kind, display, ""):
                unknown.add(kind.name)
            continue
        try:
            text = read_source(source.path, display, root=root, identity=source.identity)
        except LoadError as exc:
            report.add([exc.problem])
            if not _remember_unread(library, kind, display, ""):
                unknown.add(kind.name)
            continue
        key = (kind.name, display, hashlib.sha256(text.encode("utf-8")).hexdigest())
        doc, model, problems = parsed_now[key] = PARSED.get(key) or _parse(kind, display, text, key[2])
        report.add(problems)
        if doc is None:
            if not _remember_unread(library, kind, display, text):
                unknown.add(kind.name)
            continue
        library.documents.append(doc)
        if model is None:
            _remember_ids(library, kind, doc)
            continue
        if isinstance(model, Register):
            library.register, library.register_doc = model, doc
        elif isinstance(model, Glossary):
            library.glossary, library.glossary_doc = model, doc
            for index, term in enumerate(model.terms):
                register(kind, term, doc, ("terms", index))
        else:
            register(kind, model, doc, ())

    PARSED.clear()
    PARSED.update(parsed_now)
    if unknown:
        _forgive_references(library, unknown)
    report.add(run_all(library))
    return library, report


def _parse(kind: Kind, display: str, text: str, digest: str) -> tuple[Document | None, Any, list[Problem]]:
    """Load one source's text and validate it against its kind's model."""
    try:
        doc = load_text(text, display)
    except LoadError as exc:
        return None, None, [exc.problem]
    doc.digest = digest
    model, problems = validate_document(doc, kind.model)
    if problems and isinstance(doc.data, dict):
        problems = _explain_wrong_kind(doc, kind, problems)
    return doc, model, problems


def _remember_ids(library: Library, kind: Kind, doc: Document) -> None:
    """Ids in a file that failed validation: references to them are not reported as missing too."""
    data = doc.data if isinstance(doc.data, dict) else {}
    if kind.name == "glossary":
        for term in data.get("terms") or []:
            if isinstance(term, dict) and isinstance(term.get("id"), str):
                library.unchecked_ids.setdefault(term["id"], kind.name)
    elif isinstance(data.get("id"), str):
        library.unchecked_ids.setdefault(data["id"], kind.name)


_ID_TEXT = r"(['\"]?)([a-z0-9]+(?:-[a-z0-9]+)*)\1[ \t\r]*(?:#.*)?$"
_TOP_LEVEL_ID = re.compile(r"^id:[ \t]*" + _ID_TEXT, re.M)
_TERM_ID = re.compile(r"^[ \t]*(?:-[ \t]+)?id:[ \t]*" + _ID_TEXT, re.M)
_STEM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _remember_unread(library: Library, kind: Kind, display: str, text: str) -> bool:
    """A file that could not be loaded: remember the ids it most likely declares, from its own text
    (only ever a file of the project that was read) or else its file name. False when no id can be
    named: a glossary with no term ids found, a file whose name is no id, or a folder that could
    not be listed (then no reference to that kind is reported as missing, see _forgive_references)."""
    if kind.name == "glossary":
        ids = [m.group(2) for m in _TERM_ID.finditer(text)]
        for term_id in ids:
            library.unchecked_ids.setdefault(term_id, kind.name)
        return bool(ids)
    name = display.rsplit("/", 1)[-1]
    if not is_source_name(name):
        return False
    found = _TOP_LEVEL_ID.search(text)
    stem = name[: name.rfind(".")].lower()
    item_id = found.group(2) if found else stem if _STEM_ID.match(stem) else None
    if item_id:
        library.unchecked_ids.setdefault(item_id, kind.name)
    return item_id is not None


def _forgive_references(library: Library, kinds: set[str]) -> None:
    """Some sources of these kinds could not be read at all, so their ids are unknown: references
    to ids of those kinds that match nothing are not reported as missing too (the unreadable
    source's own problem says what to fix). A path step's 'item' may name any kind, so it is
    spared too; once the source is fixed, every reference is checked again."""
    for doc in library.documents:
        for _, name, ref in references(doc.data, ()):
            wanted = REFERENCE_FIELDS[name]
            if (wanted is None or wanted in kinds) and ref not in library.entries and ref not in library.terms:
                library.unchecked_ids.setdefault(ref, wanted or sorted(kinds)[0])


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
