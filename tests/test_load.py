"""The position-aware YAML loader: every refusal has the right line and column and plain words."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from essw.checks.schema import validate_document
from essw.load import MAX_BYTES, MAX_DEPTH, LoadError, load_file, load_text
from essw.model import Policy
from essw.model.common import Governed

# Words from Python or PyYAML internals that an author should never see.
JARGON = ("Traceback", "ScannerError", "ParserError", "ConstructorError", "yaml.", "<unicode string>",
          "tag:yaml.org", "Exception", "None")


def refusal(text: str, path: str = "src.yml"):
    """The problem the loader reports for ``text`` (the test fails if it loads)."""
    with pytest.raises(LoadError) as info:
        load_text(text, path)
    return info.value.problem


def assert_plain(problem) -> None:
    text = problem.format()
    assert "\n" not in text, f"a problem must fit on one line: {text!r}"
    for word in JARGON:
        assert word not in problem.message, f"{word!r} in {problem.message!r}"
    assert problem.message[0].islower() or problem.message.startswith("YAML"), problem.message


def test_a_valid_file_remembers_where_each_value_and_field_name_is():
    doc = load_text("id: consent\ntitle: Consent\nsteps:\n  - title: Ask\n    text: Ask first.\n", "p.yml")
    assert doc.data == {"id": "consent", "title": "Consent", "steps": [{"title": "Ask", "text": "Ask first."}]}
    assert doc.positions[("title",)] == (2, 8)
    assert doc.key_positions[("title",)] == (2, 1)
    assert doc.positions[("steps", 0, "text")] == (5, 11)
    assert doc.key_positions[("steps", 0, "text")] == (5, 5)
    # an unknown path falls back to its nearest known parent
    assert doc.position(("steps", 0, "missing")) == (4, 5)


def test_duplicate_key_names_both_lines():
    problem = refusal("id: a\ntitle: One\nsummary: s\ntitle: Two\n")
    assert (problem.path, problem.line, problem.column) == ("src.yml", 4, 1)
    assert "'title' appears twice" in problem.message
    assert "first on line 2" in problem.message
    assert_plain(problem)


def test_duplicate_key_inside_a_nested_mapping():
    problem = refusal("nodes:\n  start:\n    text: a\n    text: b\n")
    assert (problem.line, problem.column) == (4, 5)
    assert "first on line 3" in problem.message


def test_duplicate_key_in_a_flow_mapping():
    problem = refusal("related: {roles: [a], roles: [b]}\n")
    assert (problem.line, problem.column) == (1, 23)
    assert "'roles' appears twice" in problem.message


def test_same_key_in_different_mappings_is_fine():
    doc = load_text("a:\n  x: 1\nb:\n  x: 2\n", "f.yml")
    assert doc.data == {"a": {"x": 1}, "b": {"x": 2}}


def test_anchor_is_refused_where_it_is_written():
    problem = refusal("title: x\nsummary: &s Some text\n")
    assert (problem.line, problem.column) == (2, 10)
    assert "anchors and aliases" in problem.message
    assert_plain(problem)


def test_alias_is_refused_where_it_is_written():
    problem = refusal("title: x\nsummary: text\nplain_summary: *s\n")
    assert (problem.line, problem.column) == (3, 16)
    assert "anchors and aliases" in problem.message


def test_billion_laughs_fails_fast():
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = "\n".join(levels) + "\n"
    start = time.perf_counter()
    problem = refusal(bomb)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"the bomb took {elapsed:.2f}s to refuse"
    assert (problem.line, problem.column) == (1, 4)
    assert "anchors and aliases" in problem.message


def test_billion_laughs_file_fails_fast(tmp_path):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yml"
    path.write_text("\n".join(levels) + "\n", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(LoadError) as info:
        load_file(path, "policies/bomb.yml")
    assert time.perf_counter() - start < 1.0
    assert info.value.problem.path == "policies/bomb.yml"


@pytest.mark.parametrize("text, line", [
    ("id: a\nsteps:\n\t- title: x\n", 3),
    ("id: a\nrelated:\n  roles: []\n\tcases: []\n", 4),
])
def test_tab_indentation(text, line):
    problem = refusal(text)
    assert (problem.line, problem.column) == (line, 1)
    assert "tab" in problem.message
    assert "spaces" in problem.expected
    assert_plain(problem)


@pytest.mark.parametrize("text", ["", "   \n\n  \n"])
def test_empty_file(text):
    problem = refusal(text)
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message == "the file is empty"
    assert "essw new" in problem.expected


def test_binary_file(tmp_path):
    path = tmp_path / "image.yml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    with pytest.raises(LoadError) as info:
        load_file(path, "roles/image.yml")
    problem = info.value.problem
    assert (problem.path, problem.line, problem.column) == ("roles/image.yml", 1, 1)
    assert "binary file" in problem.message
    assert_plain(problem)


def test_invalid_utf8_names_the_line_and_column_of_the_bad_byte(tmp_path):
    path = tmp_path / "latin1.yml"
    path.write_bytes("id: cafe\ntitle: Caf\n".encode() + "summary: Un caf\u00e9\n".encode("latin-1"))
    with pytest.raises(LoadError) as info:
        load_file(path, "roles/latin1.yml")
    problem = info.value.problem
    assert (problem.line, problem.column) == (3, 16)
    assert "not valid UTF-8" in problem.message
    assert "UTF-8" in problem.expected
    assert_plain(problem)


def test_utf8_with_byte_order_mark_is_fine(tmp_path):
    path = tmp_path / "bom.yml"
    path.write_bytes("\ufeffid: cafe\ntitle: Caf\u00e9\n".encode())
    assert load_file(path, "bom.yml").data == {"id": "cafe", "title": "Caf\u00e9"}


def test_file_over_two_megabytes(tmp_path):
    path = tmp_path / "huge.yml"
    path.write_bytes(b"summary: " + b"x" * MAX_BYTES + b"\n")
    with pytest.raises(LoadError) as info:
        load_file(path, "policies/huge.yml")
    problem = info.value.problem
    assert (problem.line, problem.column) == (1, 1)
    assert "MB" in problem.message and "larger than" in problem.message
    assert_plain(problem)


@pytest.mark.parametrize("text, found", [("- id: a\n- id: b\n", "a list"), ("just some words\n", "'just some words'")])
def test_top_level_list_or_string_is_refused_by_the_schema(text, found):
    doc = load_text(text, "policies/x.yml")  # the loader reads it; the schema says what is wrong
    model, problems = validate_document(doc, Policy)
    assert model is None
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message == f"the file holds {found} at its top level"
    assert "named fields" in problem.expected


@pytest.mark.parametrize("text, line", [("id: a\n---\nid: b\n", 2), ("---\nid: a\n---\nid: b\n", 3)])
def test_multiple_documents(text, line):
    problem = refusal(text)
    assert (problem.line, problem.column) == (line, 1)
    assert "more than one YAML document" in problem.message
    assert "---" in problem.expected


def test_impossible_date_is_kept_as_text_so_the_schema_says_not_a_date():
    text = "owner: me\nreviewed: 2026-13-45\nreview_by: 2027-01-01\n"
    doc = load_text(text, "roles/r.yml")
    assert doc.data["reviewed"] == "2026-13-45"
    assert doc.data["review_by"] == dt.date(2027, 1, 1)
    model, problems = validate_document(doc, Governed)
    assert model is None
    assert [(p.line, p.column, p.message, p.field_path) for p in problems] == [
        (2, 11, "'2026-13-45' is not a date", "reviewed")]
    assert "YYYY-MM-DD" in problems[0].expected


def test_norway_problem_yes_no_on_off_stay_words():
    doc = load_text("a: no\nb: yes\nc: on\nd: off\ne: No\nf: true\ng: false\n", "f.yml")
    assert doc.data == {"a": "no", "b": "yes", "c": "on", "d": "off", "e": "No", "f": True, "g": False}


def test_field_names_are_always_text():
    doc = load_text("1: a\nno: b\n2026-01-01: c\nnull: d\ntrue: e\n3.5: f\n", "f.yml")
    assert list(doc.data) == ["1", "no", "2026-01-01", "null", "true", "3.5"]
    assert all(isinstance(k, str) for k in doc.data)


def test_a_list_or_mapping_as_field_name_is_refused():
    problem = refusal("title: x\n? [a, b]\n: value\n")
    assert problem.line == 2
    assert "used as a field name" in problem.message


def test_deep_nesting_is_refused_at_the_level_that_is_too_deep():
    text = "a: " + "[" * (MAX_DEPTH + 10) + "]" * (MAX_DEPTH + 10) + "\n"
    problem = refusal(text)
    # the root mapping is level 1, so the (MAX_DEPTH)th '[' is one level too many
    assert (problem.line, problem.column) == (1, len("a: ") + MAX_DEPTH)
    assert f"more than {MAX_DEPTH} levels deep" in problem.message
    assert_plain(problem)


def test_deep_block_nesting_reports_the_line():
    lines = [" " * (2 * i) + f"k{i}:" for i in range(MAX_DEPTH + 5)]
    problem = refusal("\n".join(lines) + " end\n")
    # line n opens the mapping at level n; level MAX_DEPTH + 1 is refused where it starts
    assert (problem.line, problem.column) == (MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)
    assert "levels deep" in problem.message


def test_nesting_just_inside_the_limit_loads():
    depth = MAX_DEPTH - 1  # plus the root mapping
    doc = load_text("a: " + "[" * depth + "]" * depth + "\n", "f.yml")
    assert isinstance(doc.data["a"], list)


def test_absurdly_deep_nesting_fails_fast_without_recursion_error():
    start = time.perf_counter()
    problem = refusal("a: " + "[" * 200_000 + "\n")
    assert time.perf_counter() - start < 1.0
    assert "levels deep" in problem.message


def test_tag_on_a_value_is_refused():
    problem = refusal("title: x\nsummary: !!python/object:os.system echo\n")
    assert (problem.line, problem.column) == (2, 10)
    assert "tag" in problem.message and "not allowed" in problem.message


@pytest.mark.parametrize("text, line, column", [
    pytest.param("title: x\nrelated: !!python/object:os.system {roles: []}\n", 2, 10, id="on-a-mapping"),
    pytest.param("title: x\naudiences: !!set {essw, dsl}\n", 2, 12, id="set"),
    pytest.param("title: x\ntags: !custom [a, b]\n", 2, 7, id="on-a-list"),
    pytest.param("--- !custom\ntitle: x\n", 1, 5, id="on-the-document"),
    pytest.param("title: x\n!custom summary: y\n", 2, 1, id="on-a-field-name"),
])
def test_tag_anywhere_is_refused(text, line, column):
    """The loader promises to refuse tags; a tag on a list, mapping or field name must not vanish silently."""
    problem = refusal(text)
    assert (problem.line, problem.column) == (line, column)
    assert "tag" in problem.message and "not allowed" in problem.message


def test_unquoted_colon_in_text_is_explained():
    problem = refusal("id: a\ntitle: Consent: a guide\n")
    assert (problem.line, problem.column) == (2, 15)
    assert "colon" in problem.message
    assert "quotes" in problem.expected
    assert_plain(problem)


def test_missing_colon_is_explained():
    problem = refusal("id: a\ntitle Consent\nsummary: x\n")
    assert problem.line in (2, 3)
    assert_plain(problem)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
    st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n\t ,?0129.%@`~\\\u00e9\x00\x07")), max_size=60),
))
def test_any_text_either_loads_or_gives_one_positioned_problem(text):
    try:
        load_text(text, "f.yml")
    except LoadError as exc:
        problem = exc.problem
        assert problem.path == "f.yml"
        assert problem.line >= 1 and problem.column >= 1
        assert "\n" not in problem.format()
