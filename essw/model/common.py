"""Building blocks shared by every content kind.

The pydantic models are the single source of truth: validation, the published JSON Schemas and
the authors' reference page all come from them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
"""A stable identifier: lower-case words joined by hyphens, e.g. ``consent-protocol``."""

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
    """Unknown keys are errors, so a misspelt field never silently disappears."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


class Source(Strict):
    """A document a page relies on, with the edition used, so readers can check it."""

    title: Line = Field(description="Title of the document, e.g. 'Working Together to Safeguard Children'.")
    publisher: Line | None = Field(None, description="Who published it, e.g. 'HM Government'.")
    edition: Line = Field(description="Which edition or year was used, e.g. '2023' or 'September 2025'.")
    url: Line | None = Field(None, description="Where to read it (shown as text; the site never loads it).")
    note: Line | None = Field(None, description="What this page takes from it.")


class Governed(Strict):
    """Fields every published item carries: who owns it and when it must be looked at again."""

    owner: Line = Field(description="The role or team responsible for keeping this item right, e.g. 'ESSW team manager'.")
    reviewed: dt.date = Field(description="When the content was last checked, written YYYY-MM-DD.")
    review_by: dt.date = Field(description="When it must be checked again, written YYYY-MM-DD.")
    visibility: Visibility = Field("public", description="'public' for everyone, 'internal' for staff-only builds.")
    sources: list[Source] = Field(default_factory=list, description="Documents this item relies on, with editions.")


class Item(Governed):
    """An item with an id, a title and a short summary, listed and linked across the site."""

    id: Id = Field(description="Stable identifier used in links, lower-case-with-hyphens. Never change it once published.")
    title: Line = Field(description="Heading shown on the page and in navigation.")
    summary: Text = Field(description="One or two sentences saying what this is and who it is for.")
    audiences: list[Audience] = Field(min_length=1, description="Who this is written for.")
    tags: list[Line] = Field(default_factory=list, description="Extra topic tags, e.g. 'consent', 'recording'.")
