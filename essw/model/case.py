"""Case studies: branching scenarios a learner plays through, one YAML file each."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Id, Item, Line, Strict, Text

Rating = Literal["strong", "acceptable", "risky"]
RATING_NAMES = {"strong": "Strong practice", "acceptable": "Acceptable", "risky": "Risky"}
Spectrum = Literal["prevention", "early-intervention", "statutory", "post-statutory"]
LEVEL_NAMES = {1: "Level 1: universal", 2: "Level 2: early help", 3: "Level 3: child in need", 4: "Level 4: child protection"}


class Choice(Strict):
    label: Line = Field(description="What the learner chooses to do or say.")
    goto: Id = Field(description="Name of the node this choice leads to.")
    feedback: Text = Field(description="Feedback shown after choosing: why this was or was not good practice.")
    rating: Rating | None = Field(None, description="Practice rating used in the debrief: strong, acceptable or risky.")
    tags: list[Line] = Field(default_factory=list, description="Themes, e.g. consent, recording, threshold.")


class Debrief(Strict):
    good_practice: Text = Field(description="What good practice looked like in this case.")
    protocols: list[Id] = Field(default_factory=list, description="Ids of the protocols that applied.")
    questions: list[Text] = Field(min_length=1, description="Questions for supervision or group discussion.")


class Node(Strict):
    """One moment in the case: narrative, then either choices or an ending with a debrief."""

    kind: Literal["step", "end"] = Field("step", description="'end' marks an ending; every other node needs choices.")
    speaker: Line | None = Field(None, description="Who is speaking, if anyone.")
    text: Text = Field(description="What happens, in Markdown.")
    choices: list[Choice] = Field(default_factory=list, description="What the learner can do next.")
    debrief: Debrief | None = Field(None, description="For an ending: the debrief.")


class Case(Item):
    """An interactive case study, composite and never about a real person."""

    composite: Literal[True] = Field(description="Write 'true' to confirm the case is a composite that identifies no real person.")
    level_of_need: Literal[1, 2, 3, 4] = Field(description="1 universal, 2 early help, 3 child in need, 4 child protection.")
    spectrum: Spectrum = Field(description="Where the work sits: prevention, early-intervention, statutory or post-statutory.")
    minutes: int = Field(ge=1, le=240, description="About how long the case takes to play.")
    learning_outcomes: list[Text] = Field(min_length=1, description="What the learner should take away.")
    related_policies: list[Id] = Field(default_factory=list, description="Ids of related protocols.")
    related_roles: list[Id] = Field(default_factory=list, description="Ids of related role guides.")
    related_terms: list[Id] = Field(default_factory=list, description="Ids of related glossary terms.")
    start: Id = Field(description="Name of the first node.")
    nodes: dict[Id, Node] = Field(min_length=2, description="The named nodes of the case.")
