"""Workshop packs: a session a trainer or ESSW can run, with timings that add up."""

from __future__ import annotations

from pydantic import Field

from .common import Item, Line, Strict, Text
from .policy import Related


class PlanStep(Strict):
    minutes: int = Field(ge=1, le=600, description="How long this part takes, in minutes.")
    activity: Line = Field(description="What happens.")
    notes: Text | None = Field(None, description="How to run it.")


class Handout(Strict):
    title: Line = Field(description="Title printed on the handout.")
    text: Text = Field(description="The handout's content, in Markdown.")
    contacts: bool = Field(
        False, description="true prints the area's contacts from mkdocs.yml (extra.local) at the foot of the "
                            "handout, so a family who takes it home has the real numbers.")


class Workshop(Item):
    """A workshop pack, e.g. 'Demystifying social work' for parents."""

    duration_minutes: int = Field(ge=5, le=600, description="Total length; the plan's minutes must add up to this.")
    outcomes: list[Text] = Field(min_length=1, description="What people will know or be able to do afterwards.")
    plan: list[PlanStep] = Field(min_length=1, description="The timed session plan.")
    facilitator_notes: Text = Field(description="Notes for whoever runs the session.")
    if_someone_discloses: Text = Field(description="What to do if someone discloses harm during the session.")
    materials: list[Line] = Field(default_factory=list, description="What to bring.")
    handouts: list[Handout] = Field(default_factory=list, description="Handouts to print.")
    evaluation: list[Line] = Field(min_length=1, description="Questions for the evaluation form.")
    follow_up: Text = Field(description="What happens after the session.")
    related: Related = Field(default_factory=Related, description="Links to other items by id.")
