"""Checks across the whole library. Each returns problems; none raises."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..problems import Problem
from . import casegraph, citations, ids, links, plain_words, privacy, references, reviews, settings, workshops

if TYPE_CHECKING:
    from ..library import Library


def run_all(library: "Library") -> list[Problem]:
    problems: list[Problem] = []
    for check in (references.check, citations.check, ids.check, casegraph.check, workshops.check, plain_words.check, reviews.check, privacy.check, links.check, settings.check):
        problems.extend(check(library))
    return problems
