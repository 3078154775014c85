"""The content model: one module per kind of source (essw/kinds.py ties each to its folder and pages)."""

from __future__ import annotations

import typing
from typing import Any, Iterable

from pydantic import BaseModel

from .case import Case
from .common import Item, RefersTo
from .explainer import Explainer
from .path import LearningPath
from .policy import Policy
from .publication import Publication, Register
from .role import Role
from .term import Glossary, Term
from .workshop import Workshop


def reference_fields(models: Iterable[type[BaseModel]]) -> dict[str, str | None]:
    """Field name -> the kind of item its ids must name (None: any), for every field of these models
    (and the models inside them) whose type is a typed reference (RefersTo in common.py).

    The reference check walks a source's data by field name, so that a file with other errors still
    has its links checked; the names come from here, never from a list kept by hand."""
    found: dict[str, str | None] = {}
    seen: set[type] = set()

    def markers(annotation: Any) -> list[Any]:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            base, *extras = typing.get_args(annotation)
            return extras + markers(base)
        return [m for arg in typing.get_args(annotation) for m in markers(arg)]

    def models_in(annotation: Any) -> list[type[BaseModel]]:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return [annotation]
        return [m for arg in typing.get_args(annotation) for m in models_in(arg)]

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            refers = [m for m in markers(info.annotation) + list(info.metadata) if isinstance(m, RefersTo)]
            if refers:
                if name in found and found[name] != refers[0].kind:
                    raise TypeError(f"the field name '{name}' refers to two kinds ({found[name]}, {refers[0].kind})")
                found[name] = refers[0].kind
            for inner in models_in(info.annotation):
                visit(inner)

    for model in models:
        visit(model)
    return found


__all__ = ["reference_fields", "Case", "Policy", "Role", "Workshop", "LearningPath", "Glossary", "Term", "Item", "Explainer", "Publication", "Register"]
