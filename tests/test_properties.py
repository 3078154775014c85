"""Property tests: no input, however broken, makes the loader, the library or the schema check raise.

(a) any text given to essw.load.load_text either loads or raises LoadError, never anything else;
(b) random edits of the fixture's valid sources never make essw.sources.load_library raise, and
    every problem it returns points at a real file, line and column;
(c) any Python data (the shapes YAML can produce) checked against any kind's model never raises.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SOURCES, make_project
from essw.checks.schema import validate_document
from essw.load import Document, LoadError, load_text
from essw.kinds import KINDS
from essw.problems import Problem
from essw.sources import load_library

FAST = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)

# Text with plenty of what YAML treats specially: indicators, quotes, indentation, line ends, control
# characters, a BOM, the Unicode line separators and characters outside the Basic Multilingual Plane.
YAML_PUNCTUATION = list(":-?[]{},#&*!|>'\"%@`~\\ \t\n\r") + ["\x00", "\x07", "\x0b", "\x1b", "\x7f", "\x85",
                                                              "\ufeff", "\u2028", "\u2029", "\u00e9", "\U0001f600",
                                                              "---", "...", "<<", "!!", "- ", ": ", "\n  ", "0x",
                                                              "1e9", "~", "null", "yes", "2026-02-30", "12:30"]
any_text = st.one_of(
    st.text(max_size=120),  # any code point except surrogates, control characters included
    st.text(alphabet=st.characters(codec="utf-8", categories=("Cc", "Cf", "Zl", "Zp", "Zs", "Po", "Ps", "Pe")),
            max_size=60),
    st.lists(st.sampled_from(YAML_PUNCTUATION + ["a", "b", "id", "title"]), max_size=40).map("".join),
)


# -- (a) the loader -----------------------------------------------------------------------------------

def _check_loaded(text: str) -> None:
    try:
        doc = load_text(text, "f.yml")
    except LoadError as exc:
        problem = exc.problem
        assert isinstance(problem, Problem)
        assert problem.path == "f.yml"
        assert problem.line >= 1 and problem.column >= 1
        # YAML also breaks lines at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR, as libyaml counts them.
        breaks = sum(text.count(ch) for ch in ("\n", "\r", "\x85", "\u2028", "\u2029"))
        assert problem.line <= breaks + 2, (problem, text)
        return
    assert doc.path == "f.yml"
    for line, column in list(doc.positions.values()) + list(doc.key_positions.values()):
        assert line >= 1 and column >= 1


@FAST
@given(any_text)
def test_any_text_loads_or_raises_load_error_only(text):
    _check_loaded(text)


@FAST
@given(st.sampled_from(sorted(SOURCES)), st.data())
def test_valid_source_with_random_text_spliced_in_loads_or_raises_load_error_only(rel, data):
    source = SOURCES[rel]
    at = data.draw(st.integers(0, len(source)))
    _check_loaded(source[:at] + data.draw(any_text) + source[at:])


CONTROL = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)] + ["\ufffe", "\uffff"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(SOURCES)), st.sampled_from(CONTROL), st.data())
def test_control_character_is_reported_at_its_own_line(rel, char, data):
    """A control character YAML does not allow is refused at the line and column where it is.

    Failed before commit 40a4eb7: PyYAML's ReaderError has no problem_mark, so essw/load.py reported
    every such file at 1:1 (and called the character 'a tab', because 'unacceptable' contains 'tab').
    """
    lines = SOURCES[rel].splitlines(keepends=True)
    index = data.draw(st.integers(0, len(lines) - 1))
    column = data.draw(st.integers(0, len(lines[index].rstrip("\n"))))
    lines[index] = lines[index][:column] + char + lines[index][column:]
    with pytest.raises(LoadError) as info:
        load_text("".join(lines), rel)
    problem = info.value.problem
    assert (problem.line, problem.column) == (index + 1, column + 1), problem.format()
    assert "control character" in problem.message, problem.format()


def test_text_with_a_lone_surrogate_raises_load_error():
    """load_text promises LoadError for unreadable input; before commit 40a4eb7 a str holding a lone
    surrogate raised UnicodeEncodeError from PyYAML instead (essw/load.py, load_text). Files cannot
    contain one (read_source decodes strictly), so only callers of the function itself met this."""
    with pytest.raises(LoadError):
        load_text("title: \ud800\n", "f.yml")


# -- (b) random edits of whole projects ---------------------------------------------------------------

@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("properties") / "project")


scalar_value = st.one_of(
    any_text.filter(lambda t: "\n" not in t and "\r" not in t),
    st.integers(-10 ** 20, 10 ** 20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["[]", "{}", "[a, b]", "{a: 1}", "~", "null", "true", "no", "2026-13-45", "2026-01-01",
                     "|", ">", "'", '"', "&a x", "*a", "!!str x", "- x", "[", "{", "'unterminated", "12:30:00"]),
)


@st.composite
def mutated_source(draw) -> tuple[str, str]:
    rel = draw(st.sampled_from(sorted(SOURCES)))
    lines = SOURCES[rel].splitlines()
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            lines = [""]
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "value", "insert", "swap", "list"]))
        line = lines[i]
        if how == "delete":
            del lines[i]
        elif how == "duplicate":
            lines.insert(i, line)
        elif how == "indent":
            lines[i] = " " * draw(st.integers(1, 6)) + line
        elif how == "dedent":
            lines[i] = line[draw(st.integers(1, 6)):]
        elif how == "value":
            head = line.split(": ", 1)[0] if ": " in line else line.rstrip(":")
            lines[i] = f"{head}: {draw(scalar_value)}"
        elif how == "insert":
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(any_text) + line[at:]
        elif how == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:  # replace a value with a nested list or mapping
            head = line.split(": ", 1)[0] if ": " in line else line.rstrip(":")
            indent = " " * (len(head) - len(head.lstrip()) + 2)
            lines[i:i + 1] = [f"{head}:", f"{indent}- {draw(scalar_value)}", f"{indent}- k: {draw(scalar_value)}"]
    return rel, "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n", "\r\n"]))


def _file_lines(root: Path, rel: str) -> int:
    raw = (root / rel).read_bytes()
    return raw.count(b"\n") + raw.count(b"\r") + 1


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_source())
def test_mutated_project_loads_without_raising_and_every_problem_is_placed(scratch, mutation):
    rel, text = mutation
    path = scratch / rel
    try:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        library, report = load_library(scratch)
    finally:
        path.write_text(SOURCES[rel], encoding="utf-8")
    for problem in report.problems:
        assert isinstance(problem, Problem)
        assert problem.path, problem
        assert (scratch / problem.path).is_file(), problem.format()
        assert problem.line >= 1 and problem.column >= 1, problem.format()
        assert problem.line <= _file_lines(scratch, problem.path) if problem.path != rel \
            else problem.line <= text.count("\n") + text.count("\r") + 1, problem.format()
        assert problem.severity in ("error", "warning")
        assert problem.message and problem.format().startswith(f"{problem.path}:{problem.line}:{problem.column}: ")
    if not report.errors:
        assert library.entries or library.terms


def test_the_unmutated_scratch_project_is_valid(scratch):
    library, report = load_library(scratch)
    assert report.problems == []
    assert len(library.entries) == 5


# -- (c) any data against any model -------------------------------------------------------------------

def _all_field_names() -> list[str]:
    """Every field name of every model reachable from the kinds, so random data often has real keys."""
    from essw.checks.schema import _unwrap
    import typing

    from pydantic import BaseModel

    seen: set[type] = set()
    names: set[str] = set()
    todo: list = [k.model for k in KINDS.values()]
    while todo:
        annotation = todo.pop()
        for typ in _unwrap(annotation):
            if isinstance(typ, type) and issubclass(typ, BaseModel):
                if typ in seen:
                    continue
                seen.add(typ)
                for name, info in typ.model_fields.items():
                    names.add(name)
                    todo.append(info.annotation)
            else:
                todo.extend(a for a in typing.get_args(typ) if a is not Ellipsis)
    return sorted(names)


KEYS = st.one_of(st.sampled_from(_all_field_names()), st.text(max_size=12))
leaves = st.one_of(
    st.none(), st.booleans(), st.integers(-(2 ** 70), 2 ** 70), st.floats(allow_nan=True),
    st.text(max_size=30), st.sampled_from(["essw", "strong", "end", "must", "start", "consent-protocol", "2026-01-01"]),
    st.dates(), st.datetimes(timezones=st.just(dt.timezone.utc)) | st.datetimes(),
)
yaml_data = st.recursive(
    leaves,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=6),
    max_leaves=40,
)


def _check_validation(data, model) -> None:
    doc = Document("x.yml", data)
    result, problems = validate_document(doc, model)
    if result is None:
        assert problems, "a refusal must say why"
    else:
        assert problems == []
    for problem in problems:
        assert problem.path == "x.yml"
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message


@FAST
@given(st.sampled_from(sorted(KINDS)), yaml_data)
def test_any_data_against_any_model_never_raises(kind, data):
    _check_validation(data, KINDS[kind].model)


@FAST
@given(st.sampled_from(sorted(KINDS)), st.dictionaries(KEYS, yaml_data, max_size=12))
def test_any_mapping_against_any_model_never_raises(kind, data):
    _check_validation(data, KINDS[kind].model)


def _replace_somewhere(draw, value, new=yaml_data):
    """The value with one random sub-tree replaced by random data."""
    if isinstance(value, dict) and value and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(value, key=str)))
        return {**value, key: _replace_somewhere(draw, value[key], new)}
    if isinstance(value, list) and value and draw(st.booleans()):
        i = draw(st.integers(0, len(value) - 1))
        return value[:i] + [_replace_somewhere(draw, value[i], new)] + value[i + 1:]
    return draw(new)


SOURCE_KIND = {"glossary.yml": "glossary", "publications.yml": "publication", "scenarios/first-day.yml": "case", "policies/consent-protocol.yml": "policy",
               "roles/dsl-role.yml": "role", "workshops/parents-evening.yml": "workshop", "paths/induction.yml": "path"}


@FAST
@given(st.sampled_from(sorted(SOURCES)), st.data())
def test_valid_source_data_with_a_random_subtree_never_raises(rel, data):
    """Real documents with one part replaced: the errors come from deep inside the models."""
    doc = load_text(SOURCES[rel], rel)
    mutated = _replace_somewhere(data.draw, doc.data)
    mutated_doc = Document(rel, mutated, doc.positions, doc.key_positions)
    result, problems = validate_document(mutated_doc, KINDS[SOURCE_KIND[rel]].model)
    assert (result is None) == bool(problems)
    lines = SOURCES[rel].count("\n") + 1
    for problem in problems:
        assert 1 <= problem.line <= lines and problem.column >= 1, problem.format()


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(sorted(SOURCES)), st.data())
def test_every_problem_fits_on_one_line(rel, data):
    """'essw validate' prints one 'path:line:column: message' line per problem, which editors parse.

    A value that holds a line break (a block scalar such as 'spectrum: >' followed by the text on the
    next line, or a quoted "a\\nb") must not break that line. Failed before commit 40a4eb7:
    essw/checks/schema.py (_describe_value) quoted the value as it is, so "'early\\nintervention' is not
    one of the allowed values" printed over two lines and the second one had no file or line number.
    """
    doc = load_text(SOURCES[rel], rel)
    text_with_break = st.tuples(st.text(max_size=10), st.text(max_size=10)).map(lambda t: f"{t[0]}\n{t[1]}")
    key = data.draw(st.sampled_from(sorted(doc.data)))  # a field, not the whole file
    mutated = {**doc.data, key: _replace_somewhere(data.draw, doc.data[key], text_with_break)}
    _, problems = validate_document(Document(rel, mutated, doc.positions, doc.key_positions),
                                    KINDS[SOURCE_KIND[rel]].model)
    for problem in problems:
        assert "\n" not in problem.format() and "\r" not in problem.format(), problem.format()
