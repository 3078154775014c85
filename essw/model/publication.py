"""The register of publications: every Act, guidance document and report the site cites, once.

Pages cite an entry by its id (see ``Citation`` in common.py), so a new edition is one edit here
and every page that relies on the publication shows it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field, model_validator

from .common import Governed, Id, Line, Strict, Text

PublicationType = Literal["act", "regulations", "statutory-guidance", "guidance", "standards", "research", "service", "local"]
TYPE_NAMES: dict[str, str] = {
    "act": "Acts of Parliament",
    "regulations": "Regulations",
    "statutory-guidance": "Statutory guidance",
    "guidance": "Advice and guidance",
    "standards": "Professional standards",
    "research": "Research and reports",
    "service": "Services and helplines",
    "local": "Your area's own documents",
}
STATUTORY = ("act", "regulations", "statutory-guidance")
"""Types whose edition decides what the law requires: they must be checked at least every six months."""

Status = Literal["in-force", "partly-in-force", "not-yet-in-force", "draft", "replaced", "published", "local"]
STATUS_NAMES: dict[str, str] = {
    "in-force": "in force",
    "partly-in-force": "partly in force",
    "not-yet-in-force": "not yet in force",
    "draft": "draft, not in force",
    "replaced": "replaced",
    "published": "published",
    "local": "kept by your area",
}


class Publication(Strict):
    """One publication, in the edition the site relies on."""

    id: Id = Field(description="Short stable id that pages cite, e.g. 'kcsie' or 'children-act-1989'.")
    title: Line = Field(description="The publication's title as its publisher gives it.")
    publisher: Line = Field(description="Who publishes it, e.g. 'Department for Education' or 'legislation.gov.uk'.")
    type: PublicationType = Field(description="What kind of publication it is: " + ", ".join(TYPE_NAMES) + ".")
    edition: Line = Field(description="The edition or version the site relies on, e.g. '2025' or 'as amended to November 2026'.")
    status: Status = Field(description="Where it stands today: " + ", ".join(STATUS_NAMES) + ".")
    in_force: dt.date | None = Field(None, description="The date this edition came (or comes) into force, YYYY-MM-DD.")
    replaced_by: Id | None = Field(None, description="For a replaced edition: the id of the entry that replaces it.")
    url: Line | None = Field(None, description="The publisher's web address for it, starting https:// (a link readers may follow).")
    checked: dt.date = Field(description="When someone last checked this entry against the publisher, YYYY-MM-DD.")
    checked_how: Line = Field(description="How it was checked, e.g. 'Read on legislation.gov.uk' or what could not be reached.")
    note: Text | None = Field(None, description="What readers should know about this edition, shown on the register page.")

    @model_validator(mode="after")
    def _replacement_named(self) -> "Publication":
        if self.status == "replaced" and not self.replaced_by:
            raise ValueError("a replaced publication needs 'replaced_by': the id of the entry that replaces it")
        if self.replaced_by and self.status != "replaced":
            raise ValueError("'replaced_by' is only for an entry whose status is 'replaced'")
        if self.url and not re.fullmatch(r"https://[^\s<>\"'()\[\]]+", self.url):
            raise ValueError("'url' must be one full web address starting https://, without spaces or brackets")
        return self


class Register(Governed):
    """The whole register file, publications.yml."""

    publications: list[Publication] = Field(min_length=1, description="Every publication the site cites.")
