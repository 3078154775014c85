"""Citations: every source a page gives is an entry of the register, and the register is kept current.

A statutory entry (an Act, regulations, statutory guidance) decides what pages say the law requires,
so one not checked against its publisher for six months is flagged (an error under --strict).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Iterator

from ..load import excerpt
from ..model.publication import STATUTORY, TYPE_NAMES
from ..problems import WARNING, Problem, did_you_mean, join_hint
from . import reviews

if TYPE_CHECKING:
    from ..load import Document
    from ..library import Library

CHECK_EVERY_MONTHS = 6
REGISTER_FILE = "publications.yml"


def citations(data: object, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(loc of the 'publication' field, id) for every citation in a source's data, valid or not."""
    if isinstance(data, dict):
        for key, child in data.items():
            if key == "sources" and isinstance(child, list):
                for i, cite in enumerate(child):
                    if isinstance(cite, dict) and isinstance(cite.get("publication"), str):
                        yield loc + (key, i, "publication"), cite["publication"]
            else:
                yield from citations(child, loc + (key,))
    elif isinstance(data, list):
        for i, child in enumerate(data):
            yield from citations(child, loc + (i,))


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def check(library: "Library") -> list[Problem]:
    problems: list[Problem] = []
    known = library.publications
    register_unreadable = library.register is None and (library.root / REGISTER_FILE).exists()
    for doc in library.documents:
        if library.register_doc is doc:
            continue
        for loc, ref in citations(doc.data):
            if ref in known or register_unreadable:
                continue  # an unreadable register reports its own problem; every citation is checked once it loads
            if library.register is None:
                problems.append(doc.problem(loc, f"'{excerpt(ref)}' cannot be found: there is no {REGISTER_FILE}",
                                            expected=f"create {REGISTER_FILE} with an entry for each publication the pages cite"))
                continue
            problems.append(doc.problem(loc, f"there is no publication with the id '{excerpt(ref)}' in {REGISTER_FILE}",
                                        expected=join_hint(did_you_mean(ref, known), f"add it to {REGISTER_FILE} or fix the id")))
    if library.register is not None and library.register_doc is not None:
        problems += _check_register(library, library.register_doc)
    return problems


def _check_register(library: "Library", doc: "Document") -> list[Problem]:
    problems: list[Problem] = []
    now = reviews.today()
    seen: dict[str, int] = {}
    entries = library.register.publications  # type: ignore[union-attr]
    ids = {p.id for p in entries}
    for index, pub in enumerate(entries):
        loc = ("publications", index)
        if pub.id in seen:
            line, _ = doc.position(("publications", seen[pub.id], "id"))
            problems.append(doc.problem(loc + ("id",), f"the id '{pub.id}' is already used on line {line}",
                                        expected="every publication needs its own id"))
        seen.setdefault(pub.id, index)
        if pub.replaced_by and pub.replaced_by not in ids:
            problems.append(doc.problem(loc + ("replaced_by",), f"there is no publication with the id '{excerpt(pub.replaced_by)}'",
                                        expected=join_hint(did_you_mean(pub.replaced_by, ids), "name the entry that replaces this one")))
        if pub.replaced_by == pub.id:
            problems.append(doc.problem(loc + ("replaced_by",), "a publication cannot replace itself",
                                        expected="name the newer entry"))
        if pub.checked > now:
            problems.append(doc.problem(loc + ("checked",), f"the date {pub.checked} is in the future",
                                        expected="give the date the entry was actually checked"))
        elif pub.type in STATUTORY and months_later(pub.checked, CHECK_EVERY_MONTHS) < now:
            problems.append(doc.problem(
                loc + ("checked",),
                f"'{pub.title}' ({TYPE_NAMES[pub.type].lower()}) was last checked on {pub.checked}, more than "
                f"{CHECK_EVERY_MONTHS} months ago", severity=WARNING,
                expected="check the edition and status with the publisher, then update 'checked'"))
    return problems
