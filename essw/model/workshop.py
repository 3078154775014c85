"""Workshop packs: a session a trainer or ESSW can run, with timings that add up and every material
the plan names in the pack (complete by construction)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .common import Id, Item, Line, Strict, Text
from .policy import Related

MaterialKind = Literal["bring", "quiz-cards", "scenario-cards", "answer-sheet", "slides"]
MATERIAL_NAMES = {"bring": "To bring", "quiz-cards": "Quiz cards", "scenario-cards": "Scenario cards",
                  "answer-sheet": "Answer sheet", "slides": "Slide outline", "handout": "Handout"}


class PlanStep(Strict):
    minutes: int = Field(ge=1, le=600, description="How long this part takes, in minutes.")
    activity: Line = Field(description="What happens.")
    notes: Text | None = Field(None, description="How to run it.")
    uses: list[Id] = Field(default_factory=list, description="Ids of the materials and handouts this part uses.")


class Handout(Strict):
    id: Id = Field(description="A short name for the handout, e.g. 'the-law-in-brief', so the plan can name it.")
    title: Line = Field(description="Title printed on the handout.")
    text: Text = Field(description="The handout's content, in Markdown.")
    contacts: bool = Field(
        False, description="true prints the area's contacts from mkdocs.yml (extra.local) at the foot of the "
                            "handout, so a family who takes it home has the real numbers.")


class QuizCard(Strict):
    """A true-or-false statement; the card folds so the answer and the law behind it are on the back."""

    statement: Line = Field(description="The statement people decide is true or false.")
    answer: bool = Field(description="true or false (without quotes).")
    explanation: Text = Field(description="Why, in plain words: read out or shown on the back of the card.")
    law: Line | None = Field(None, description="The law or guidance behind the answer, e.g. 'Children Act 2004, section 58'.")


class ScenarioCard(Strict):
    title: Line = Field(description="A short title for the scenario.")
    text: Text = Field(description="The situation, as the group reads it.")
    questions: list[Line] = Field(min_length=1, description="Questions for the group.")
    notes: Text | None = Field(None, description="For the facilitator only: points to draw out (printed in the guide, not on the card).")


class Slide(Strict):
    title: Line = Field(description="The slide's heading.")
    points: list[Line] = Field(default_factory=list, description="What the slide says, one point per line.")


class Material(Strict):
    """Something the session uses, with an id the plan names. Cards, answer sheets and slides are
    printed from what is written here."""

    id: Id = Field(description="A short name the plan's 'uses:' can refer to, e.g. 'quiz-cards'.")
    kind: MaterialKind = Field("bring", description="bring (something to bring), quiz-cards, scenario-cards, "
                                                    "answer-sheet or slides.")
    title: Line = Field(description="What it is called in the plan and on the printed page.")
    quiz: list[QuizCard] = Field(default_factory=list, description="For quiz-cards: the true-or-false cards.")
    scenarios: list[ScenarioCard] = Field(default_factory=list, description="For scenario-cards: the scenarios.")
    answers_for: Id | None = Field(None, description="For an answer-sheet: the id of the quiz-cards it is for.")
    slides: list[Slide] = Field(default_factory=list, description="For slides: the outline, one entry per slide.")

    @model_validator(mode="after")
    def _has_what_its_kind_needs(self) -> "Material":
        needs = {"quiz-cards": "quiz", "scenario-cards": "scenarios", "answer-sheet": "answers_for", "slides": "slides"}
        field = needs.get(self.kind)
        if field and not getattr(self, field):
            raise PydanticCustomError("material_kind", "a material of kind '{kind}' needs '{field}:'",
                                      {"kind": self.kind, "field": field})
        extra = [f for f in needs.values() if f != field and getattr(self, f)]
        if extra:
            raise PydanticCustomError("material_kind", "'{field}:' belongs to a material of another kind, not '{kind}'",
                                      {"kind": self.kind, "field": extra[0]})
        return self


class Workshop(Item):
    """A workshop pack, e.g. 'Demystifying social work' for parents."""

    duration_minutes: int = Field(ge=5, le=600, description="Total length; the plan's minutes must add up to this.")
    outcomes: list[Text] = Field(min_length=1, description="What people will know or be able to do afterwards.")
    plan: list[PlanStep] = Field(min_length=1, description="The timed session plan.")
    facilitator_notes: Text = Field(description="Notes for whoever runs the session.")
    if_someone_discloses: Text = Field(description="What to do if someone discloses harm during the session.")
    materials: list[Material] = Field(default_factory=list, description="Everything the session uses besides the handouts, each with an id.")
    handouts: list[Handout] = Field(default_factory=list, description="Handouts to print for the people who come.")
    evaluation: list[Line] = Field(min_length=1, description="Questions for the evaluation form.")
    follow_up: Text = Field(description="What happens after the session.")
    related: Related = Field(default_factory=Related, description="Links to other items by id.")

    def material(self, material_id: str) -> Material | Handout | None:
        """A material or handout by its id."""
        return next((m for m in [*self.materials, *self.handouts] if m.id == material_id), None)
