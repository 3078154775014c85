"""The registry of kinds: everything the project knows about a kind of source, written once.

Each kind says where authors put it, which model validates it, which template writes its page,
what 'essw new' calls it, where it sits in the site menu, how its index page lists items, how
search presents it and which printable packs it has. The loader, the checks, the generator, the
packs, the CLI help, the scaffolds, the macros and the benchmark all read this table.

Adding a kind: a model module in essw/model/, a page template in essw/templates/pages/ (and a
scaffold in essw/templates/new/), and one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal

from pydantic import BaseModel

from .model import Case, Explainer, Glossary, LearningPath, Policy, Register, Role, Workshop


@dataclass(frozen=True)
class PackSpec:
    """One printable pack an item of a kind has: '<id>-<suffix>.pdf', made from a print template."""

    suffix: str
    label: str  # what the pack is, as its page links it
    purpose: str  # who it is for, in a few words
    template: str  # under essw/templates/print/
    only_if: Callable[[Any], bool] | None = None  # some items do not need it (a workshop without cards)


@dataclass(frozen=True)
class Search:
    """How the site search presents a kind's pages: its weight, and who the page is for and what it is."""

    boost: float
    audience: str
    label: str


@dataclass(frozen=True)
class Kind:
    """A kind of content source: where authors put it and how the site presents it."""

    name: str  # used in messages and in the generator's tables
    model: type[BaseModel]
    folder: str  # where sources of this kind live (a folder, or a single file)
    section: str  # output folder under docs/library/
    title: str  # section heading on the site
    noun: str  # one item, in words ("a case study")
    words: tuple[str, str]  # one and many, in running text ("case study", "case studies")
    search: Search
    template: str  # the page template, under essw/templates/pages/
    scaffold: str | None = None  # the name 'essw new' knows it by (a template under essw/templates/new/)
    single_page: bool = False  # one page for the whole source (the glossary, the register)
    in_audience_section: str | None = None  # listed inside this hand-written section, not a menu section of its own
    index: Literal["list", "grouped", "table"] = "list"  # how the kind's index page lists its items
    packs: tuple[PackSpec, ...] = field(default=())

    @property
    def has_items(self) -> bool:
        """Whether each item has a page of its own (not the glossary or the register)."""
        return not self.single_page


def has_cards(workshop: Any) -> bool:
    return any(m.kind in ("quiz-cards", "scenario-cards") for m in workshop.materials)


PROFESSIONALS = "Professionals"

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("case", Case, "scenarios", "case-studies", "Case studies", "a case study", ("case study", "case studies"),
             Search(1, PROFESSIONALS, "Case study"), "case.md.j2", scaffold="case", index="table",
             packs=(PackSpec("facilitator-copy", "Facilitator copy",
                             "every branch with ratings, feedback, debriefs and page numbers", "case-pack.html.j2"),
                    PackSpec("participant-cards", "Participants' cards", "the situations and choices, with no ratings",
                             "case-cards.html.j2"))),
        Kind("policy", Policy, "policies", "protocols", "Protocols", "a protocol", ("protocol", "protocols"),
             Search(2, PROFESSIONALS, "Protocol"), "policy.md.j2", scaffold="policy", index="grouped"),
        Kind("role", Role, "roles", "roles", "Role guides", "a role guide", ("role guide", "role guides"),
             Search(2, PROFESSIONALS, "Role guide"), "role.md.j2", scaffold="role"),
        Kind("workshop", Workshop, "workshops", "workshops", "Workshops", "a workshop pack", ("workshop", "workshops"),
             Search(1.5, PROFESSIONALS, "Workshop"), "workshop.md.j2", scaffold="workshop", index="table",
             packs=(PackSpec("facilitator-guide", "Facilitator guide", "the plan, notes, answers and everything to prepare",
                             "workshop-guide.html.j2"),
                    PackSpec("handouts", "Handouts", "to copy for everyone who comes", "workshop-handouts.html.j2"),
                    PackSpec("cards", "Cards to print and cut out", "several to a page, with cut lines",
                             "workshop-cards.html.j2", only_if=has_cards),
                    PackSpec("evaluation-form", "Evaluation form", "one each, at the end", "workshop-evaluation.html.j2"))),
        Kind("path", LearningPath, "paths", "paths", "Learning paths", "a learning path", ("learning path", "learning paths"),
             Search(1.5, PROFESSIONALS, "Induction path"), "path.md.j2", scaffold="path"),
        Kind("explainer", Explainer, "explainers", "parents", "For parents and carers", "a parents' explainer",
             ("parents' guide", "parents' guides"), Search(3, "Parents and carers", "Plain-language guide"),
             "explainer.md.j2", scaffold="explainer", in_audience_section="parents-and-carers"),
        Kind("glossary", Glossary, "glossary.yml", "glossary", "Glossary", "the glossary", ("term", "terms"),
             Search(1.5, "Everyone", "Glossary"), "glossary.md.j2", scaffold="term", single_page=True),
        Kind("publication", Register, "publications.yml", "law-and-guidance", "Law and guidance we follow",
             "the register of publications", ("publication", "publications"),
             Search(1, PROFESSIONALS, "Law and guidance"), "publications.md.j2", single_page=True),
    )
}
"""In the order the site menu lists the kinds' sections (a kind shown inside an audience section
takes its place there instead)."""

ITEM_KINDS = tuple(name for name, kind in KINDS.items() if kind.has_items)
"""Kinds whose items each have a page: what links, lists and cards on hand-written pages can name."""

SCAFFOLDS = {kind.scaffold: kind for kind in KINDS.values() if kind.scaffold}
"""'essw new NAME' -> the kind it writes."""
