"""The glossary: one file of terms, each becoming an entry and, if abbreviated, a tooltip."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from .common import Citation, Explained, Governed, Id, Line, Strict, TermRef, Text

Abbreviation = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9&.' -]{0,19}$"),
                         Explained("a usable abbreviation",
                                   "up to 20 letters, digits, spaces, '&', '.', apostrophes or hyphens, e.g. 'DSL'")]
"""A short form such as 'DSL': every page gets a tooltip for it."""


class Term(Strict):
    id: Id = Field(description="Stable identifier, e.g. 'early-help'.")
    term: Line = Field(description="The word or phrase, written out in full.")
    abbreviation: Abbreviation | None = Field(
        None, description="Short form, e.g. 'DSL' (letters, digits, spaces, '&', '.', apostrophes or hyphens); "
                          "every page gets a tooltip for it.")
    also_called: list[Line] = Field(
        default_factory=list, max_length=12,
        description="Other names people use for it: everyday words, old names, plurals, common misspellings, "
                    "e.g. 'social services' (up to 12). Shown as 'Also called' so site search finds the term.")
    definition: Text = Field(description="A plain-words definition.")
    now: Text | None = Field(None, description="If the meaning or practice has changed since older documents, what it is now.")
    see_also: list[TermRef] = Field(default_factory=list, description="Ids of related terms.")
    sources: list[Citation] = Field(default_factory=list, description="Where the definition comes from.")


class Glossary(Governed):
    """The whole glossary file."""

    terms: list[Term] = Field(min_length=1, description="The glossary entries.")
