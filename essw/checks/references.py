"""Items refer to each other by id: every reference must name an item of the right kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..library import REFERENCE_FIELDS, references
from ..load import excerpt
from ..kinds import KINDS
from ..problems import WARNING, Problem, did_you_mean, join_hint

if TYPE_CHECKING:
    from ..library import Library

def check(library: "Library") -> list[Problem]:
    problems: list[Problem] = []
    for doc in library.documents:  # invalid files too, so one run reports everything
        for loc, field, ref in references(doc.data, ()):
            wanted = REFERENCE_FIELDS[field]
            if ref in library.unchecked_ids:
                continue  # that file has its own errors; do not report every link to it as well
            if wanted == "glossary":
                if ref in library.terms:
                    continue
                hint = did_you_mean(ref, library.terms)
                problems.append(doc.problem(loc, f"there is no glossary term with the id '{excerpt(ref)}'",
                                            expected=join_hint(hint, "add it to glossary.yml or fix the id")))
                continue
            entry = library.entries.get(ref)
            if entry is None and wanted is None and ref in library.terms:
                continue  # a path step may point at a glossary term
            if entry is None:
                pool = [k for k, e in library.entries.items() if wanted is None or e.kind.name == wanted]
                pool += [k for k, kind in library.unchecked_ids.items() if wanted is None or kind == wanted]
                if wanted is None:
                    pool += list(library.terms)
                noun = KINDS[wanted].noun if wanted else "an item"
                problems.append(doc.problem(loc, f"'{excerpt(ref)}' does not match the id of {noun}",
                                            expected=join_hint(did_you_mean(ref, pool), "check the spelling of the id")))
            elif (entry.item.visibility == "internal" and isinstance(doc.data, dict)
                  and doc.data.get("visibility", "public") == "public"):
                problems.append(doc.problem(loc, f"'{excerpt(ref)}' is an internal item, so the public site leaves this "
                                                 "link out", severity=WARNING,
                                            expected="link to a public item, or make this item internal too"))
            if entry is not None and wanted is not None and entry.kind.name != wanted:
                problems.append(doc.problem(loc, f"'{excerpt(ref)}' is {entry.kind.noun}, not {KINDS[wanted].noun}",
                                            expected=f"list it under the field for {entry.kind.title.lower()}"))
    return problems
