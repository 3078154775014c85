"""Policies and protocols: what to do, what the law requires and where it comes from."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import CaseRef, Item, Line, PolicyRef, RoleRef, Strict, TermRef, Text


class LegalPoint(Strict):
    """One requirement, marked 'must' (law or statutory guidance) or 'should' (good practice)."""

    strength: Literal["must", "should"] = Field(description="'must' when the law requires it, 'should' for guidance.")
    text: Text = Field(description="The requirement in your own words.")
    basis: Line = Field(description="Where it comes from, e.g. 'Children Act 1989, section 47'.")


class Step(Strict):
    title: Line = Field(description="A short name for the step.")
    text: Text = Field(description="What to do, in Markdown.")


class Decision(Strict):
    """A decision point: a question and what follows from each answer."""

    question: Line = Field(description="The question to ask yourself.")
    yes: Text = Field(description="What to do if the answer is yes.")
    no: Text = Field(description="What to do if the answer is no.")


class Related(Strict):
    policies: list[PolicyRef] = Field(default_factory=list, description="Ids of related protocols.")
    roles: list[RoleRef] = Field(default_factory=list, description="Ids of role guides.")
    cases: list[CaseRef] = Field(default_factory=list, description="Ids of case studies.")
    terms: list[TermRef] = Field(default_factory=list, description="Ids of glossary terms.")


Process = Literal["respond", "consent", "record", "decide", "work-together", "school-policy", "escalate"]
PROCESS_NAMES = {
    "respond": "Responding to a worry or a disclosure",
    "consent": "Consent and information sharing",
    "record": "Recording",
    "decide": "Levels of need and referral",
    "work-together": "Early help and working together",
    "school-policy": "Behaviour, exclusion and attendance",
    "escalate": "Disagreement and escalation",
}


class Policy(Item):
    """A policy or protocol page, e.g. consent, recording, information sharing, thresholds."""

    process: Process | None = Field(None, description="Where it sits in the work, for navigation by process: "
                                    + ", ".join(PROCESS_NAMES) + ".")
    plain_summary: Text = Field(description="The whole protocol in a few plain sentences anyone can follow.")
    for_parents: Text | None = Field(None, description="What this means for parents and carers, in plain words (short sentences, everyday words).")
    legal_basis: list[LegalPoint] = Field(default_factory=list, description="What the law and guidance require.")
    steps: list[Step] = Field(min_length=1, description="The steps to follow, in order.")
    decisions: list[Decision] = Field(default_factory=list, description="Decision points along the way.")
    related: Related = Field(default_factory=Related, description="Links to other items by id.")
