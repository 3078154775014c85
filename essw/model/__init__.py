"""The content model: one module per kind of source, and the table that ties kinds to folders."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from .case import Case
from .common import Item
from .explainer import Explainer
from .path import LearningPath
from .policy import Policy
from .publication import Publication, Register
from .role import Role
from .term import Glossary, Term
from .workshop import Workshop


@dataclass(frozen=True)
class Kind:
    """A kind of content source: where authors put it and how the site presents it."""

    name: str  # used in 'essw new KIND' and in messages
    model: type[BaseModel]
    folder: str  # where sources of this kind live (a folder, or a single file)
    section: str  # output folder under docs/library/
    title: str  # section heading on the site
    noun: str  # one item, in words ("a case study")


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("case", Case, "scenarios", "case-studies", "Case studies", "a case study"),
        Kind("policy", Policy, "policies", "protocols", "Protocols", "a protocol"),
        Kind("role", Role, "roles", "roles", "Role guides", "a role guide"),
        Kind("workshop", Workshop, "workshops", "workshops", "Workshops", "a workshop pack"),
        Kind("path", LearningPath, "paths", "paths", "Learning paths", "a learning path"),
        Kind("explainer", Explainer, "explainers", "parents", "For parents and carers", "a parents' explainer"),
        Kind("glossary", Glossary, "glossary.yml", "glossary", "Glossary", "the glossary"),
        Kind("publication", Register, "publications.yml", "law-and-guidance", "Law and guidance we follow",
             "the register of publications"),
    )
}

__all__ = ["KINDS", "Kind", "Case", "Policy", "Role", "Workshop", "LearningPath", "Glossary", "Term", "Item", "Explainer", "Publication", "Register"]
