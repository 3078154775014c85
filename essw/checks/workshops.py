"""A workshop's timed plan must add up to the length it promises."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..problems import Problem

if TYPE_CHECKING:
    from ..sources import Library


def check(library: "Library") -> list[Problem]:
    problems = []
    for entry in library.of_kind("workshop"):
        workshop = entry.item
        total = sum(step.minutes for step in workshop.plan)  # type: ignore[attr-defined]
        if total != workshop.duration_minutes:  # type: ignore[attr-defined]
            problems.append(entry.doc.problem(
                ("duration_minutes",),
                f"the session plan adds up to {total} minutes but the workshop says "
                f"{workshop.duration_minutes} minutes",  # type: ignore[attr-defined]
                expected="change the plan's minutes or the duration so that they match"))
    return problems
