"""Check a loaded document against its kind's model, in words a content author understands."""

from __future__ import annotations

import types
import typing
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from ..load import Document
from ..problems import Problem, did_you_mean, format_field_path, join_hint

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (each entry on its own line starting with '- ')",
    "dict_type": "a set of named fields (a mapping)",
    "model_type": "a set of named fields (a mapping)",
    "model_attributes_type": "a set of named fields (a mapping)",
    "date_type": "a date written YYYY-MM-DD, e.g. 2026-09-01",
    "date_parsing": "a date written YYYY-MM-DD, e.g. 2026-09-01",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD, e.g. 2026-09-01",
    "date_from_datetime_inexact": "a date written YYYY-MM-DD, without a time",
}


def _describe_value(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a set of named fields"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types inside Optional/Union/Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def model_at(model: type[BaseModel], loc: Iterable[Any]) -> type[BaseModel] | None:
    """The model class that describes the mapping at a field path, if there is one."""
    current: list[Any] = [model]
    for part in loc:
        nxt: list[Any] = []
        for candidate in current:
            for typ in _unwrap(candidate):
                origin = typing.get_origin(typ)
                if isinstance(typ, type) and issubclass(typ, BaseModel) and isinstance(part, str):
                    if part in typ.model_fields:
                        nxt.append(typ.model_fields[part].annotation)
                elif origin is list and isinstance(part, int):
                    nxt.append(typing.get_args(typ)[0])
                elif origin is dict and isinstance(part, str):
                    nxt.append(typing.get_args(typ)[1])
        current = nxt
    for candidate in current:
        for typ in _unwrap(candidate):
            if isinstance(typ, type) and issubclass(typ, BaseModel):
                return typ
    return None


_UNION_ARMS = {"int", "bool", "str", "float", "date", "none", "constrained-str", "Condition"}


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's union markers ('int', 'constrained-str', 'function-after[...]') from a field path."""
    return tuple(p for p in loc if not (isinstance(p, str) and (p in _UNION_ARMS or ("[" in p and p.endswith("]")))))


def error_to_problem(doc: Document, model: type[BaseModel], err: dict[str, Any]) -> Problem:
    loc = _clean_loc(tuple(err["loc"]))
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    field = str(loc[-1]) if loc else ""

    if kind == "missing":
        owner = model_at(model, loc[:-1])
        description = owner.model_fields[field].description if owner and field in owner.model_fields else ""
        return doc.problem(loc[:-1], f"the required field '{field}' is missing",
                           field_path=format_field_path(loc),
                           expected=f"add a line '{field}: ...'" + (f" ({description.rstrip('.')})" if description else ""))
    if kind == "extra_forbidden":
        owner = model_at(model, loc[:-1])
        allowed = list(owner.model_fields) if owner else []
        hint = did_you_mean(field, allowed)
        listing = "the fields allowed here are: " + ", ".join(allowed) if allowed else ""
        return doc.problem(loc, f"'{field}' is not a field this kind of source knows", key=True,
                           expected=hint or listing)
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip().strip("'") for o in str(expected).replace(" or ", ",").split(",") if o.strip()]
        return doc.problem(loc, f"{_describe_value(value)} is not one of the allowed values",
                           expected=join_hint(did_you_mean(str(value), options), f"expected {expected}"))
    if kind == "string_pattern_mismatch" and field == "abbreviation":
        return doc.problem(loc, f"{_describe_value(value)} is not a usable abbreviation",
                           expected="up to 20 letters, digits, spaces, '&', '.', apostrophes or hyphens, e.g. 'DSL'")
    if kind == "string_pattern_mismatch":
        return doc.problem(loc, f"{_describe_value(value)} is not a valid id",
                           expected="ids use lower-case letters, digits and single hyphens, e.g. 'consent-protocol'")
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        if kind == "string_too_short":
            return doc.problem(loc, "this text is empty", expected="write some text, or remove the field")
        if kind == "string_too_long":
            return doc.problem(loc, "this text is too long",
                               expected=f"at most {ctx.get('max_length')} characters; split it up")
        if kind == "too_long" and field == "nodes":
            found = len(value) if isinstance(value, dict) else ctx.get("actual_length")
            return doc.problem(loc, f"this case has {found:,} nodes, more than the "
                                    f"{ctx.get('max_length')} a case may have",
                               expected="split it into shorter case studies that link to each other")
        limit = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        words = "at least" if kind == "too_short" else "at most"
        return doc.problem(loc, f"this needs {words} {limit} entr{'y' if limit == 1 else 'ies'}",
                           expected=f"found {ctx.get('actual_length', 0)}")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        words = {"greater_than_equal": "at least", "less_than_equal": "at most",
                 "greater_than": "more than", "less_than": "less than"}[kind]
        return doc.problem(loc, f"{_describe_value(value)} is out of range", expected=f"a number {words} {bound}")
    if kind == "_any_of":
        return doc.problem(loc, f"expected {ctx['words']}, found {_describe_value(value)}")
    if kind in _TYPE_WORDS:
        what = _TYPE_WORDS[kind]
        if kind.startswith("date") and isinstance(value, str):
            return doc.problem(loc, f"{_describe_value(value)} is not a date", expected=f"expected {what}")
        return doc.problem(loc, f"expected {what}, found {_describe_value(value)}",
                           expected="" if kind.startswith("date") else "")
    message = err.get("msg", "this value is not valid").removeprefix("Value error, ").rstrip(".")
    return doc.problem(loc, message)


def validate_document(doc: Document, model: type[BaseModel]) -> tuple[BaseModel | None, list[Problem]]:
    """Validate one document; return the model (or None) and every problem found."""
    if not isinstance(doc.data, dict):
        found = "a list" if isinstance(doc.data, list) else _describe_value(doc.data)
        return None, [doc.problem((), f"the file holds {found} at its top level",
                                  field_path="",
                                  expected="a source starts with named fields such as 'id:' and 'title:'")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems = [error_to_problem(doc, model, e) for e in _merge_union_errors(exc.errors(include_url=False))]
        return None, sorted(set(problems))


def _merge_union_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A field that accepts several shapes fails once per shape; report it once, in the reader's terms."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for err in errors:
        groups.setdefault(_clean_loc(tuple(err["loc"])), []).append(err)
    shapes = {"list_type", "model_type", "dict_type", "model_attributes_type"}
    deeper = {loc[:n] for loc in groups for n in range(len(loc))}
    for loc in list(groups):  # another shape of the field got further: its errors are the useful ones
        if loc in deeper:
            groups[loc] = [e for e in groups[loc] if e["type"] not in shapes]
    merged: list[dict[str, Any]] = []
    for loc, errs in groups.items():
        if len(errs) > 1:
            value = errs[0].get("input")
            if isinstance(value, dict):  # a mapping was written: complaints that it is not a list are noise
                errs = [e for e in errs if e["type"] != "list_type"] or errs
            elif isinstance(value, list):
                errs = [e for e in errs if e["type"] not in ("model_type", "dict_type", "model_attributes_type")] or errs
            kinds = {e["type"] for e in errs}
            if len(errs) > 1 and kinds <= set(_TYPE_WORDS) | {"string_type", "bool_parsing", "int_parsing"}:
                words = sorted({_TYPE_WORDS.get(e["type"], "text") for e in errs})
                joined = ", ".join(words[:-1]) + " or " + words[-1]
                errs = [dict(errs[0], type="_any_of", ctx={"words": joined})]
        merged.extend(errs)
    return merged
