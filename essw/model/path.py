"""Learning paths: an ordered route through the site for one audience, with checklists."""

from __future__ import annotations

from pydantic import Field

from .common import AnyRef, Item, Line, Strict, Text


class PathStep(Strict):
    title: Line = Field(description="What this step is, e.g. 'Learn the consent protocol'.")
    item: AnyRef | None = Field(None, description="Id of the item to read or play for this step.")
    why: Text = Field(description="Why this step matters.")
    checklist: list[Line] = Field(default_factory=list, description="Things to be able to do or say afterwards.")


class LearningPath(Item):
    """A learning path, e.g. the ESSW induction or preparing to shadow Early Help work."""

    steps: list[PathStep] = Field(min_length=1, description="The steps, in order.")
