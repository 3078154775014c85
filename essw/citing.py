"""How a citation reads: the register's entry for it, in the words web pages and printed packs share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .model.publication import STATUS_NAMES


def long_date(day: dt.date) -> str:
    """'1 September 2025', on every platform (strftime's '%-d' is glibc only)."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def standing(pub: Any, replaced_by: Any = None) -> str:
    """Where a publication stands, in words: 'in force from 1 September 2025', 'replaced by ...';
    nothing for research and local documents, which are simply published."""
    if pub.status == "replaced" and replaced_by is not None:
        return f"replaced by the {replaced_by.edition} edition"
    if pub.status in ("published", "local"):
        return ""
    words = STATUS_NAMES[pub.status]
    if pub.in_force and pub.status in ("in-force", "partly-in-force"):
        words += f" from {long_date(pub.in_force)}"
    elif pub.in_force and pub.status == "not-yet-in-force":
        words += f"; expected from {long_date(pub.in_force)}"
    return words


def cited(publications: dict[str, Any], sources: list[Any]) -> list[dict[str, Any]]:
    """A page's citations with what the register says of each, so every page shows the same edition."""
    out = []
    for cite in sources:
        pub = publications[cite.publication]  # checked: every citation names an entry
        replaced_by = publications.get(pub.replaced_by) if pub.replaced_by else None
        out.append({"id": pub.id, "title": pub.title, "publisher": pub.publisher, "edition": pub.edition,
                    "url": pub.url, "part": cite.part, "note": cite.note, "standing": standing(pub, replaced_by)})
    return out
