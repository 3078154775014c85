"""Building blocks shared by every content kind.

The pydantic models are the single source of truth: validation, the published JSON Schemas and
the authors' reference page all come from them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

@dataclass(frozen=True)
class Explained:
    """What an author is told when a value does not have the shape its type asks for. The type
    carries its own words, so a flag name and an id that break their patterns are each explained
    in their own terms (essw/checks/schema.py reads this from the field's type)."""

    what: str  # "a valid id": the message says the value is not this
    expected: str  # how to write one


Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80),
               Explained("a valid id", "ids use lower-case letters, digits and single hyphens, e.g. 'consent-protocol'")]
"""A stable identifier: lower-case words joined by hyphens, e.g. ``consent-protocol``."""


@dataclass(frozen=True)
class RefersTo:
    """Marks an id that names another item: of this kind ('policy', 'glossary' for a term), or of
    any kind (None). The reference check reads these from the model (essw/library.py)."""

    kind: str | None


PolicyRef = Annotated[Id, RefersTo("policy")]
RoleRef = Annotated[Id, RefersTo("role")]
CaseRef = Annotated[Id, RefersTo("case")]
TermRef = Annotated[Id, RefersTo("glossary")]
AnyRef = Annotated[Id, RefersTo(None)]
"""Typed references: what a field names decides which ids it may hold."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
"""Markdown text written by an author."""

Line = Annotated[str, StringConstraints(min_length=1, max_length=300)]
"""A short single piece of text: a title, a label, a list entry."""

Audience = Literal["essw", "school-staff", "dsl", "school-leaders", "parents", "trainers", "social-care"]
AUDIENCE_NAMES: dict[str, str] = {
    "essw": "New to the role (school social workers)",
    "school-staff": "School staff",
    "dsl": "Designated safeguarding leads",
    "school-leaders": "School leaders",
    "parents": "Parents and carers",
    "trainers": "Trainers",
    "social-care": "Social care colleagues",
}

Visibility = Literal["public", "internal"]


class Strict(BaseModel):
    """Unknown keys are errors, so a misspelt field never silently disappears; and values are taken
    as they are (pydantic's strict mode), so a number, true/false, text and a date are never turned
    into one another: '2' in quotes is text, not the number 2, and 'yes' is not true. Dates come
    from the loader already as dates (essw/load.py)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False, strict=True)


def exactly(*options: Any) -> BeforeValidator:
    """For ``Literal[...]`` of numbers or true/false: refuse a value that is only equal to an option.

    Python counts True equal to 1 (and 1.0 equal to 1), so even in strict mode ``Literal[True]``
    takes 1 and ``Literal[1, 2, 3, 4]`` takes true. This refuses any value of another type as
    pydantic's own "not one of the allowed values" would.
    """
    types = {type(option) for option in options}
    shown = [repr(option) for option in options]
    expected = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]

    def check(value: Any) -> Any:
        if type(value) not in types:
            raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})
        return value

    return BeforeValidator(check)


class Citation(Strict):
    """A publication a page relies on, cited by its id in the register (publications.yml), where its
    title, edition and status are kept once for the whole site."""

    publication: Id = Field(description="The id of the publication in publications.yml, e.g. 'kcsie'.")
    part: Line | None = Field(None, description="Which part, e.g. 'section 47' or 'Part one, paragraph 70'.")
    note: Line | None = Field(None, description="What this page takes from it.")

    @model_validator(mode="before")
    @classmethod
    def _cites_the_register(cls, data: Any) -> Any:
        if isinstance(data, dict) and "publication" not in data and "title" in data:
            raise PydanticCustomError(
                "cite_register", "a source is now cited by its id in the register: write 'publication:' with the id "
                "of its entry in publications.yml (add the entry there if it is new) instead of its title and edition")
        return data


class Change(Strict):
    """One substantive change to an item, listed on 'What's new' and in the Atom feed, as procedure
    manuals keep an amendment list."""

    date: dt.date = Field(description="When the change was published, YYYY-MM-DD.")
    note: Line = Field(description="What changed, in one line, e.g. 'Added what to do when the DSL has not acted'.")


class Governed(Strict):
    """Fields every published item carries: who owns it and when it must be looked at again."""

    owner: Line = Field(description="The role or team responsible for keeping this item right, e.g. 'ESSW team manager'.")
    reviewed: dt.date = Field(description="When the content was last checked, written YYYY-MM-DD.")
    review_by: dt.date = Field(description="When it must be checked again, written YYYY-MM-DD.")
    visibility: Visibility = Field("public", description="'public' for everyone, 'internal' for staff-only builds.")
    sources: list[Citation] = Field(default_factory=list, description="Publications this item relies on, cited by their id in publications.yml.")


class Item(Governed):
    """An item with an id, a title and a short summary, listed and linked across the site."""

    id: Id = Field(description="Stable identifier used in links, lower-case-with-hyphens. Never change it once published.")
    title: Line = Field(description="Heading shown on the page and in navigation.")
    summary: Text = Field(description="One or two sentences saying what this is and who it is for.")
    audiences: list[Audience] = Field(min_length=1, description="Who this is written for.")
    tags: list[Line] = Field(default_factory=list, description="Extra topic tags, e.g. 'consent', 'recording'.")
    questions: list[Line] = Field(
        default_factory=list, max_length=12,
        description="Questions this page answers, in readers' own words, e.g. 'Will social services take my child?' "
                    "(up to 12). They are listed on the page under 'Questions this page answers', so site search "
                    "finds the page when readers type them.")
    changes: list[Change] = Field(
        default_factory=list,
        description="Substantive changes, newest or oldest first, each a date and one line (not typo fixes). "
                    "They appear on the 'What's new' page and in its Atom feed, so services can follow updates.")
