"""Ids that cannot collide: with the pages the site makes itself, with names Windows forbids, or
with each other on a disk that ignores capitals.

An item's id becomes its page's file name (``library/protocols/<id>.md``), so an item called
``index`` would silently replace the section's own index page, and one called ``con`` or ``aux``
cannot even be checked out on Windows. Two source files whose names differ only in capitals are
one file on Windows and macOS, so one of them would vanish there.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..kinds import KINDS
from ..problems import Problem

if TYPE_CHECKING:
    from ..library import Library

GENERATED_NAMES = frozenset({"index", "tags", "search", "assets", "404", "packs", "sitemap", "library",
                             "about", "new-to-the-role", "school-staff", "parents-and-carers",
                             *(kind.section for kind in KINDS.values())})
"""Names of pages and folders the site makes or keeps for itself."""

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")


def id_problem(item_id: str, kind_name: str) -> tuple[str, str] | None:
    """Why an item id cannot be used (message, suggestion), or None when it is fine."""
    suggestion = f"choose another id, for example '{item_id}-{kind_name}'"
    if item_id in GENERATED_NAMES:
        return (f"the id '{item_id}' is the name of a page or folder the site makes itself, so this item's page "
                "would replace it", suggestion)
    if _WINDOWS_RESERVED.match(item_id):
        return (f"the id '{item_id}' is a name Windows does not allow for a file, so the project could not be "
                "checked out there", suggestion)
    return None


def check(library: "Library") -> list[Problem]:
    problems: list[Problem] = []
    for item_id, entry in library.entries.items():
        found = id_problem(item_id, entry.kind.name)
        if found:
            problems.append(entry.doc.problem(entry.loc + ("id",), found[0], expected=found[1]))
    first_by_folded: dict[str, str] = {}
    for doc in sorted(library.documents, key=lambda d: d.path):
        folded = doc.path.casefold()
        if folded in first_by_folded:
            problems.append(Problem(doc.path, 1, 1, f"this file's name differs from {first_by_folded[folded]} only "
                                                    "in capitals; on Windows and macOS they are the same file, so "
                                                    "one would be lost", "", "rename one of them"))
        else:
            first_by_folded[folded] = doc.path
    return problems
