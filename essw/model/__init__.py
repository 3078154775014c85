"""The content model: one module per kind of source (essw/kinds.py ties each to its folder and pages)."""

from __future__ import annotations

from .case import Case
from .common import Item
from .explainer import Explainer
from .path import LearningPath
from .policy import Policy
from .publication import Publication, Register
from .role import Role
from .term import Glossary, Term
from .workshop import Workshop


__all__ = ["Case", "Policy", "Role", "Workshop", "LearningPath", "Glossary", "Term", "Item", "Explainer", "Publication", "Register"]
