"""Case studies: branching scenarios a learner plays through, one YAML file each."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import AfterValidator, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from .common import Explained, Id, Item, Line, PolicyRef, RoleRef, Strict, TermRef, Text, exactly

Rating = Literal["strong", "acceptable", "risky"]
RATING_NAMES = {"strong": "Strong practice", "acceptable": "Acceptable", "risky": "Risky"}
Spectrum = Literal["prevention", "early-intervention", "statutory", "post-statutory"]
LEVEL_NAMES = {1: "Level 1: universal", 2: "Level 2: early help", 3: "Level 3: child in need", 4: "Level 4: child protection"}


FlagName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60),
                     Explained("a valid flag name", "flag names use lower-case letters, digits and underscores and "
                                                    "start with a letter, e.g. 'consent_given'")]
"""A flag remembers something the learner did, e.g. ``consent_given``."""
YES_NO_WORDS = frozenset({"yes", "no", "on", "off", "true", "false"})


def _not_a_yes_no_word(value: str) -> str:
    """A flag's text value may not be a yes/no word: the engine compares 'yes' (text) with true
    (a yes/no value) as different, so a condition wanting true would never hold."""
    if value.strip().lower() in YES_NO_WORDS:
        raise PydanticCustomError("yes_no_word", "write true or false (without quotes) for a yes/no flag")
    return value


FlagValue = Union[bool, int, Annotated[str, AfterValidator(_not_a_yes_no_word)]]
"""A flag holds true/false, a whole number or a word (never a yes/no word written as text)."""


class Condition(Strict):
    """Data, not code: a flag compared with a value, or whether a node has been visited."""

    flag: FlagName | None = Field(None, description="The flag to test, e.g. consent_given.")
    op: Literal["==", "!=", ">", ">=", "<", "<="] = Field("==", description="How to compare (default '==').")
    value: FlagValue = Field(True, description="The value to compare with (default true).")
    visited: Id | None = Field(None, description="True once the learner has been to this node.")
    not_visited: Id | None = Field(None, description="True while the learner has not been to this node.")

    @model_validator(mode="after")
    def _one_test(self) -> "Condition":
        given = [name for name in ("flag", "visited", "not_visited") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("a condition needs exactly one of 'flag', 'visited' or 'not_visited'")
        return self


When = Union[Condition, list[Condition]]


class Choice(Strict):
    label: Line = Field(description="What the learner chooses to do or say.")
    goto: Id = Field(description="Name of the node this choice leads to.")
    feedback: Text = Field(description="Feedback shown after choosing: why this was or was not good practice.")
    rating: Rating | None = Field(None, description="Practice rating used in the debrief: strong, acceptable or risky.")
    tags: list[Line] = Field(default_factory=list, description="Themes, e.g. consent, recording, threshold.")
    set: dict[FlagName, FlagValue] = Field(default_factory=dict, description="Flags this choice sets, e.g. {consent_given: true}.")
    when: When | None = Field(None, description="Show this choice only when the condition (or all conditions in a list) holds.")
    once: bool = Field(False, description="If true, the choice disappears after it has been chosen once.")


class Variant(Strict):
    """Extra text shown only when a condition holds, so the case remembers earlier choices."""

    when: When = Field(description="When to show this text.")
    text: Text = Field(description="The text, in Markdown.")


class Debrief(Strict):
    good_practice: Text = Field(description="What good practice looked like in this case.")
    protocols: list[PolicyRef] = Field(default_factory=list, description="Ids of the protocols that applied.")
    questions: list[Text] = Field(min_length=1, description="Questions for supervision or group discussion.")


class Node(Strict):
    """One moment in the case: narrative, then either choices or an ending with a debrief."""

    kind: Literal["step", "end"] = Field("step", description="'end' marks an ending; every other node needs choices.")
    title: Line | None = Field(None, description="A short heading for this moment (default: made from the node's name).")
    speaker: Line | None = Field(None, description="Who is speaking, if anyone.")
    text: Text = Field(description="What happens, in Markdown.")
    variants: list[Variant] = Field(default_factory=list, description="Text shown only when its condition holds.")
    choices: list[Choice] = Field(default_factory=list, description="What the learner can do next.")
    debrief: Debrief | None = Field(None, description="For an ending: the debrief.")
    discuss: list[Line] = Field(default_factory=list, description="Questions for a group at this point, shown when a "
                                                                  "trainer runs the case with a room (optional).")


def node_title(name: str, node: "Node") -> str:
    return node.title or name.replace("-", " ").capitalize()


MAX_NODES = 100
"""More nodes than a reader can play in one sitting (Abdi, the longest case, has 25).

The cap keeps a case page light and its printable pack to a few dozen pages: a 10,000-node case
built its web page in about a minute, but WeasyPrint never finished its pack. Split a longer story
into several cases.
"""


class Case(Item):
    """An interactive case study, composite and never about a real person."""

    composite: Annotated[Literal[True], exactly(True)] = Field(description="Write 'true' to confirm the case is a composite that identifies no real person.")
    level_of_need: Annotated[Literal[1, 2, 3, 4], exactly(1, 2, 3, 4)] = Field(description="1 universal, 2 early help, 3 child in need, 4 child protection.")
    spectrum: Spectrum = Field(description="Where the work sits: prevention, early-intervention, statutory or post-statutory.")
    minutes: int = Field(ge=1, le=240, description="About how long the case takes to play.")
    learning_outcomes: list[Text] = Field(min_length=1, description="What the learner should take away.")
    related_policies: list[PolicyRef] = Field(default_factory=list, description="Ids of related protocols.")
    related_roles: list[RoleRef] = Field(default_factory=list, description="Ids of related role guides.")
    related_terms: list[TermRef] = Field(default_factory=list, description="Ids of related glossary terms.")
    flags: dict[FlagName, Line] = Field(default_factory=dict, description="Every flag the case uses, with what it means in words, e.g. consent_given: Mum agreed to work with you.")
    start: Id = Field(description="Name of the first node.")
    nodes: dict[Id, Node] = Field(min_length=2, max_length=MAX_NODES, description=f"The named nodes of the case (2 to {MAX_NODES}).")
