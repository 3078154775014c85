"""Check a loaded document against its kind's model, in words a content author understands.

The models are strict (:class:`essw.model.common.Strict`): a number, true/false, text and a date are
never turned into one another, so '2' in quotes is text, not the level 2. A message that shows a
value quotes what the author wrote (``Document.raw``: '12:30', '0755', "2" with its quotes), at most
:data:`essw.load.EXCERPT` characters of it, and never a converted value.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from ..load import EXCERPT, Document, excerpt, plain_value
from ..model.common import Explained
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


_TYPE_ERRORS = set(_TYPE_WORDS) | {"none_required", "float_type", "is_instance_of"}
"""Error types that only say "this is the wrong kind of value" (as opposed to a wrong value)."""


def _describe_value(value: Any, raw: str | None = None) -> str:
    """A value as a message shows it: what the author wrote if known, in quotes, shortened."""
    if isinstance(value, dict):
        return "a set of named fields"
    if isinstance(value, list):
        return "a list"
    if raw is not None:
        if not _is_quoted(raw):
            return f"'{excerpt(raw)}'"
        if len(raw) <= EXCERPT:
            return raw  # written in quotes: shown with them, as the author wrote it
        return f"'{excerpt(raw[1:-1])}'"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    return f"'{excerpt(str(value))}'"


def _is_quoted(raw: str | None) -> bool:
    return raw is not None and raw[:1] in ("'", '"')


def _quoted_other_type(raw: str | None, value: Any) -> Any:
    """The number, true/false, date or nothing a quoted value would be without its quotes, else None."""
    if not _is_quoted(raw) or not isinstance(value, str):
        return None
    unquoted = plain_value(value)
    return None if isinstance(unquoted, str) else unquoted


def _quoted_problem(doc: Document, loc: tuple[Any, ...], raw: str) -> Problem:
    inner = excerpt(raw[1:-1])
    return doc.problem(loc, f"{_describe_value(None, raw)} is written in quotes, so it is text",
                       expected=f"write {inner} without quotes")


_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")


def _number_hint(value: Any, raw: str | None) -> str:
    """How to write a whole number, for text or a fraction found where one is needed."""
    if isinstance(value, str) and raw is not None and not _is_quoted(raw) and _LEADING_ZERO.fullmatch(value):
        return f"write it without the leading zero: {int(value)}"
    if isinstance(value, str) and ":" in value and raw is not None:
        return "write one whole number, without ':'"
    return ""


def _option_words(expected: str) -> tuple[list[str], str]:
    """pydantic's "'a', 'b' or 'c'" / "True" / "1, 2 or 3" as the options and the words for them."""
    options = [o.strip().strip("'") for o in str(expected).replace(" or ", ",").split(",") if o.strip()]
    words = str(expected).replace("True", "true").replace("False", "false")
    return [{"True": "true", "False": "false"}.get(o, o) for o in options], words


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


def explained_at(model: type[BaseModel], loc: tuple[Any, ...], is_key: bool = False) -> Explained | None:
    """The author-facing words of the type at a field path (of a mapping's keys, with ``is_key``)."""
    current: list[Any] = [model]
    for n, part in enumerate(loc):
        last = n == len(loc) - 1
        nxt: list[Any] = []
        for candidate in current:
            for typ in _unwrap(candidate):
                origin = typing.get_origin(typ)
                if isinstance(typ, type) and issubclass(typ, BaseModel) and isinstance(part, str):
                    info = typ.model_fields.get(part)
                    if info is not None:  # pydantic keeps a field's own Annotated extras in its metadata
                        nxt.append(typing.Annotated[(info.annotation, *info.metadata)] if info.metadata
                                   else info.annotation)
                elif origin is list and isinstance(part, int):
                    nxt.append(typing.get_args(typ)[0])
                elif origin is dict and isinstance(part, str):
                    nxt.append(typing.get_args(typ)[0 if last and is_key else 1])
        current = nxt
    for candidate in current:
        for found in _explanations(candidate):
            return found
    return None


def _explanations(annotation: Any) -> list[Explained]:
    """Explained markers anywhere in an annotation's Optional/Union/Annotated layers."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extras = typing.get_args(annotation)
        return [e for e in extras if isinstance(e, Explained)] + _explanations(base)
    if origin in (typing.Union, types.UnionType):
        return [e for arg in typing.get_args(annotation) for e in _explanations(arg)]
    return []


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
    is_key = bool(err["loc"]) and err["loc"][-1] == "[key]"
    raw = None if is_key else doc.raw_text(loc, value)
    shown = _describe_value(value, raw)

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
        return doc.problem(loc, f"'{excerpt(field)}' is not a field this kind of source knows", key=True,
                           expected=hint or listing)
    if kind == "yes_no_word":
        return doc.problem(loc, f"{shown} is text, not true or false",
                           expected="write true or false (without quotes) for a yes/no flag")
    if raw is not None and _quoted_other_type(raw, value) is not None and (kind in _TYPE_ERRORS or kind == "_any_of"
                                                                            or kind == "literal_error"):
        return _quoted_problem(doc, loc, raw)
    if kind == "literal_error":
        options, words = _option_words(ctx.get("expected", ""))
        written = raw if raw is not None and not _is_quoted(raw) else str(value)
        hint = did_you_mean(written, options)
        if hint == f"did you mean '{written}'?":  # the same text: the mistake is its type, not its spelling
            hint = ""
        return doc.problem(loc, f"{shown} is not one of the allowed values",
                           expected=join_hint(hint, f"expected {words}"))
    if kind == "string_pattern_mismatch":
        words = explained_at(model, loc, is_key)
        if words is not None:  # the type says what it is and how to write one
            return doc.problem(loc, f"{shown} is not {words.what}", key=is_key, expected=words.expected)
        return doc.problem(loc, f"{shown} does not have the form this field needs", key=is_key)
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
        return doc.problem(loc, f"{shown} is out of range", expected=f"a number {words} {bound}")
    if kind == "_any_of":
        return doc.problem(loc, f"expected {ctx['words']}, found {shown}")
    if kind == "string_type" and raw is not None and value is not None and not isinstance(value, (dict, list)):
        return doc.problem(loc, f"expected text, found {shown}",
                           expected=f"put it in quotes if it is meant as text: \"{excerpt(raw)}\"")
    if kind in _TYPE_WORDS:
        what = _TYPE_WORDS[kind]
        if kind.startswith("date") and isinstance(value, str):
            return doc.problem(loc, f"{shown} is not a date", expected=f"expected {what}")
        hint = _number_hint(value, raw) if kind.startswith("int") else ""
        return doc.problem(loc, f"expected {what}, found {shown}", expected=hint)
    message = err.get("msg", "this value is not valid").removeprefix("Value error, ").rstrip(".")
    return doc.problem(loc, message)


def validate_document(doc: Document, model: type[BaseModel]) -> tuple[BaseModel | None, list[Problem]]:
    """Validate one document; return the model (or None) and every problem found."""
    if not isinstance(doc.data, dict):
        found = "a list" if isinstance(doc.data, list) else _describe_value(doc.data, doc.raw_text((), doc.data))
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
            specific = [e for e in errs if e["type"] not in _TYPE_ERRORS]
            if specific:  # one shape had the right kind of value, only not a right value: that is the news
                errs = specific
            kinds = {e["type"] for e in errs}
            if len(errs) > 1 and kinds <= set(_TYPE_WORDS) | {"string_type", "bool_parsing", "int_parsing"}:
                words = sorted({_TYPE_WORDS.get(e["type"], "text") for e in errs})
                joined = ", ".join(words[:-1]) + " or " + words[-1]
                errs = [dict(errs[0], type="_any_of", ctx={"words": joined})]
        merged.extend(errs)
    return merged
