"""A workshop's timed plan must add up to the length it promises, and every material a step uses
must be in the pack: a trainer can run the session from what is printed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..problems import WARNING, Problem, did_you_mean, join_hint

if TYPE_CHECKING:
    from ..model import Workshop
    from ..library import Library


def check(library: "Library") -> list[Problem]:
    problems = []
    for entry in library.of_kind("workshop"):
        workshop: Workshop = entry.item  # type: ignore[assignment]
        doc = entry.doc
        total = sum(step.minutes for step in workshop.plan)
        if total != workshop.duration_minutes:
            problems.append(doc.problem(
                ("duration_minutes",),
                f"the session plan adds up to {total} minutes but the workshop says "
                f"{workshop.duration_minutes} minutes",
                expected="change the plan's minutes or the duration so that they match"))
        things = [("materials", i, m) for i, m in enumerate(workshop.materials)] + \
                 [("handouts", i, h) for i, h in enumerate(workshop.handouts)]
        ids = [m.id for _, _, m in things]
        seen: set[str] = set()
        for field, i, thing in things:
            if thing.id in seen:
                problems.append(doc.problem((field, i, "id"), f"two materials or handouts are called '{thing.id}'",
                                            expected="give each its own id"))
            seen.add(thing.id)
        for i, material in enumerate(workshop.materials):
            if material.kind == "answer-sheet" and material.answers_for:
                quiz = workshop.material(material.answers_for)
                if quiz is None or getattr(quiz, "kind", "") != "quiz-cards":
                    quizzes = [m.id for m in workshop.materials if m.kind == "quiz-cards"]
                    problems.append(doc.problem(
                        ("materials", i, "answers_for"),
                        f"this answer sheet is for '{material.answers_for}', which is not quiz cards in this workshop",
                        expected=join_hint(did_you_mean(material.answers_for, quizzes),
                                           "name the id of a material with 'kind: quiz-cards'")))
        used: set[str] = set()
        for s, step in enumerate(workshop.plan):
            for u, name in enumerate(step.uses):
                used.add(name)
                if name not in ids:
                    problems.append(doc.problem(
                        ("plan", s, "uses", u),
                        f"this step uses '{name}', but the workshop has no material or handout with that id",
                        expected=join_hint(did_you_mean(name, ids),
                                           "add it under 'materials:' or 'handouts:', or correct the id")))
        for field, i, thing in things:
            answer_sheet_for = [m.id for m in workshop.materials if m.kind == "answer-sheet" and m.answers_for == thing.id]
            if thing.id not in used and not any(a in used for a in answer_sheet_for):
                problems.append(doc.problem(
                    (field, i, "id"), f"no step of the plan uses '{thing.id}'", severity=WARNING,
                    expected="name it in the 'uses:' of the step where it is needed, or remove it"))
    return problems
