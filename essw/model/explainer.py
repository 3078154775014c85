"""Plain-language explainers for parents and carers: short sections, then what to do next."""

from __future__ import annotations

from pydantic import Field

from .common import Item, Line, Strict, Text


class Section(Strict):
    heading: Line = Field(description="A question or short heading, e.g. 'Will you take my children away?'.")
    text: Text = Field(description="Plain English: short sentences, everyday words, no unexplained abbreviations.")


class Explainer(Item):
    """A page for parents and carers, written GOV.UK style for a reading age of about 9 to 11."""

    order: int | None = Field(
        None, ge=1, le=99,
        description="Where this guide comes in the parents' section, in the order a worried parent asks: 1 first. "
                    "Guides without a number follow, by title.")
    sections: list[Section] = Field(min_length=2, description="The page, a short section at a time.")
    what_to_do_next: list[Line] = Field(min_length=1, description="Short steps the reader can take next.")
