"""Values mean what the author wrote (issue 10, part 7).

YAML 1.1 (PyYAML's safe loading) turned 'minutes: 1:20' into 80, '010' into 8, '0x1F' into 31 and
'title: 12:30' into 750, and pydantic's lax mode then took true as 1, 1 as true and '2' (text) as
the level 2, so 'set: {asked: yes}' stored the word "yes" and a condition wanting true never held.
Now scalars are read the YAML 1.2 core-schema way (essw/load.py), the models are strict
(essw/model/common.py), and every message quotes the author's own text at its own line. A YAML
syntax error in one file gives one message, not one for every reference to the id it declares.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest

from essw.load import load_text, plain_value

CASE = "scenarios/first-day.yml"
POL = "policies/consent-protocol.yml"
WORKSHOP = "workshops/parents-evening.yml"
PROBLEM = re.compile(r"^[^:\s]+:\d+:\d+: ")


def problem_lines(cli, project) -> list[str]:
    result = cli(project, "validate")
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if PROBLEM.match(line)]
    assert result.returncode == (1 if any(": warning: " not in line for line in lines) else 0), result.output
    return lines


def one_problem(cli, project) -> str:
    lines = problem_lines(cli, project)
    assert len(lines) == 1, "\n".join(lines)
    return lines[0]


# -- how the loader reads an unquoted value -----------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("10", 10), ("-3", -3), ("+1", 1), ("0", 0), ("-0", 0),
    ("010", "010"), ("0755", "0755"), ("07700900123", "07700900123"),  # leading zeros stay text
    ("0x1F", "0x1F"), ("0o17", "0o17"), ("0b101", "0b101"), ("1_000", "1_000"),
    ("1:20", "1:20"), ("12:30", "12:30"), ("190:20:30", "190:20:30"),  # no base 60
    ("1e3", 1000.0), (".5", 0.5), ("1.5", 1.5), ("-2.5e-3", -0.0025), ("1.", 1.0),
    (".inf", math.inf), ("-.Inf", -math.inf), ("+.INF", math.inf),
    ("true", True), ("False", False), ("TRUE", True), ("tRuE", True),
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("Y", "Y"),
    ("~", None), ("null", None), ("Null", None), ("NULL", None), ("", None), ("nULL", "nULL"),
    ("2026-09-01", dt.date(2026, 9, 1)), ("2026-13-45", "2026-13-45"), ("2026-9-1", "2026-9-1"),
    ("2026-09-01 10:00", "2026-09-01 10:00"), ("2026-09-01T10:00:00Z", "2026-09-01T10:00:00Z"),
    ("9" * 5000, "9" * 5000),  # more digits than Python converts: text, not a crash
])
def test_plain_values_follow_the_yaml_1_2_core_schema(text, value):
    got = plain_value(text)
    assert type(got) is type(value) and got == value, (text, got)


def test_nan_is_a_number():
    assert math.isnan(plain_value(".nan")) and math.isnan(plain_value(".NaN"))


def test_quoted_values_are_always_text_and_raw_keeps_what_was_written():
    doc = load_text("a: '2'\nb: \"true\"\nc: 12:30\nd: 0755\ne: |\n  block\nf: [1e3, 'x']\ng: ! 10\n", "f.yml")
    assert doc.data == {"a": "2", "b": "true", "c": "12:30", "d": "0755", "e": "block\n", "f": [1000.0, "x"],
                        "g": "10"}
    assert doc.raw[("a",)] == "'2'"
    assert doc.raw[("b",)] == '"true"'
    assert doc.raw[("c",)] == "12:30"
    assert doc.raw[("d",)] == "0755"
    assert ("e",) not in doc.raw  # block text is not kept
    assert doc.raw[("f", 0)] == "1e3" and doc.raw[("f", 1)] == "'x'"


# -- numbers ------------------------------------------------------------------------------------------

def _minutes(project, text):
    project.replace(CASE, "minutes: 10", f"minutes: {text}")
    return project.line_of(CASE, f"minutes: {text}")


@pytest.mark.parametrize("text, hint", [
    ("0x1F", ""),
    ("1:20", " - write one whole number, without ':'"),
    ("12:30", " - write one whole number, without ':'"),
    ("010", " - write it without the leading zero: 10"),
    ("0755", " - write it without the leading zero: 755"),
    ("1e3", ""),
    (".5", ""),
    ("1_000", ""),
    ("true", ""),
])
def test_a_whole_number_field_quotes_what_the_author_wrote(project, cli, text, hint):
    line = _minutes(project, text)
    assert one_problem(cli, project) == f"{CASE}:{line}:10: expected a whole number, found '{text}' (minutes){hint}"


def test_a_plus_sign_is_an_ordinary_whole_number(project, cli):
    _minutes(project, "+1")
    assert problem_lines(cli, project) == []
    library, _ = project.library()
    assert library.entries["first-day"].item.minutes == 1


def test_out_of_range_quotes_what_the_author_wrote(project, cli):
    project.replace(WORKSHOP, "duration_minutes: 60", "duration_minutes: +1")
    line = project.line_of(WORKSHOP, "duration_minutes")
    assert one_problem(cli, project) == (f"{WORKSHOP}:{line}:19: '+1' is out of range (duration_minutes) - "
                                         "a number at least 5")


def test_a_number_in_quotes_is_text(project, cli):
    line = _minutes(project, "'10'")
    assert one_problem(cli, project) == (f"{CASE}:{line}:10: '10' is written in quotes, so it is text (minutes) - "
                                         "write 10 without quotes")


# -- true, and levels -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("1", "'1' is not one of the allowed values (composite) - expected true"),
    ("1.0", "'1.0' is not one of the allowed values (composite) - expected true"),
    ("yes", "'yes' is not one of the allowed values (composite) - expected true"),
    ('"true"', '"true" is written in quotes, so it is text (composite) - write true without quotes'),
])
def test_composite_must_be_true_itself(project, cli, text, message):
    project.replace(CASE, "composite: true", f"composite: {text}")
    line = project.line_of(CASE, "composite:")
    assert one_problem(cli, project) == f"{CASE}:{line}:12: {message}"


@pytest.mark.parametrize("text, message", [
    ("'2'", "'2' is written in quotes, so it is text (level_of_need) - write 2 without quotes"),
    ('"2"', '"2" is written in quotes, so it is text (level_of_need) - write 2 without quotes'),
    ("true", "'true' is not one of the allowed values (level_of_need) - expected 1, 2, 3 or 4"),
    ("2.0", "'2.0' is not one of the allowed values (level_of_need) - expected 1, 2, 3 or 4"),
    ("5", "'5' is not one of the allowed values (level_of_need) - expected 1, 2, 3 or 4"),
])
def test_level_of_need_is_a_whole_number_from_1_to_4(project, cli, text, message):
    project.replace(CASE, "level_of_need: 2", f"level_of_need: {text}")
    line = project.line_of(CASE, "level_of_need:")
    problem = one_problem(cli, project)
    assert problem == f"{CASE}:{line}:16: {message}"
    assert "did you mean" not in problem


def test_a_yes_no_field_refuses_the_word_yes(project, cli):
    project.replace(CASE, "        rating: strong\n", "        rating: strong\n        once: yes\n")
    line = project.line_of(CASE, "once: yes")
    assert one_problem(cli, project) == (f"{CASE}:{line}:15: expected true or false, found 'yes' "
                                         "(nodes.start.choices[1].once)")


# -- text -----------------------------------------------------------------------------------------------

def test_a_time_in_a_title_is_the_text_written(project, cli):
    project.replace(CASE, "title: First day back", "title: 12:30")
    assert problem_lines(cli, project) == []
    library, _ = project.library()
    assert library.entries["first-day"].item.title == "12:30"


def test_a_number_where_text_is_needed_says_to_quote_it(project, cli):
    project.replace(CASE, "title: First day back", "title: 2023")
    assert one_problem(cli, project) == (f"{CASE}:2:8: expected text, found '2023' (title) - "
                                         "put it in quotes if it is meant as text: \"2023\"")


def test_a_date_in_quotes_is_text(project, cli):
    project.replace(CASE, "reviewed: 2025-01-15", "reviewed: '2025-01-15'")
    line = project.line_of(CASE, "reviewed:")
    assert one_problem(cli, project) == (f"{CASE}:{line}:11: '2025-01-15' is written in quotes, so it is text "
                                         "(reviewed) - write 2025-01-15 without quotes")


# -- yes/no flags ---------------------------------------------------------------------------------------

FLAGGED = ("        rating: strong\n", "        rating: strong\n        set: {asked: %s}\n")


def _with_flag(project, set_value: str, condition_value: str = "true") -> None:
    project.replace(CASE, "start: start\n", "flags:\n  asked: Sam was asked at break\nstart: start\n")
    project.replace(CASE, FLAGGED[0], FLAGGED[1] % set_value)
    project.replace(CASE, "        feedback: The right next step.\n",
                    "        feedback: The right next step.\n"
                    f"        when: {{flag: asked, value: {condition_value}}}\n")


def test_a_flag_set_to_true_is_fine(project, cli):
    _with_flag(project, "true")
    assert problem_lines(cli, project) == []


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", '"true"', "'false'"])
def test_a_flag_set_to_a_yes_no_word_is_an_error_at_its_line(project, cli, word):
    _with_flag(project, word)
    line = project.line_of(CASE, "set: {asked:")
    shown = word if word[0] in "'\"" else f"'{word}'"
    column = project.read(CASE).splitlines()[line - 1].index(word) + 1
    assert one_problem(cli, project) == (f"{CASE}:{line}:{column}: {shown} is text, not true or false "
                                         "(nodes.start.choices[1].set.asked) - write true or false "
                                         "(without quotes) for a yes/no flag")


def test_a_condition_value_false_in_quotes_is_an_error_at_its_line(project, cli):
    _with_flag(project, "true", '"false"')
    line = project.line_of(CASE, "when: {flag: asked")
    column = project.read(CASE).splitlines()[line - 1].index('"false"') + 1
    assert one_problem(cli, project) == (f"{CASE}:{line}:{column}: \"false\" is text, not true or false "
                                         "(nodes.talk.choices[1].when.value) - write true or false "
                                         "(without quotes) for a yes/no flag")


def test_a_flag_may_hold_an_ordinary_word_or_a_number(project, cli):
    _with_flag(project, "asked-twice", "asked-twice")
    assert problem_lines(cli, project) == []
    project.replace(CASE, "set: {asked: asked-twice}", "set: {asked: 2}")
    project.replace(CASE, "value: asked-twice}", "op: '>=', value: 1}")
    assert problem_lines(cli, project) == []


# -- one syntax error, one message ----------------------------------------------------------------------

def test_a_syntax_error_in_a_protocol_gives_exactly_one_error(project, cli):
    """Five other places in the fixture refer to 'consent-protocol' (the case twice, the role, the
    workshop and the path); none of them may be reported as a reference to a missing id."""
    project.replace(POL, "title: Consent protocol", "title: Consent: protocol")
    assert problem_lines(cli, project) == [
        f"{POL}:2:15: this is not valid YAML: a colon ':' appears where YAML does not expect one - "
        "put text that contains ': ' inside quotes, or check the indentation"]


def test_a_syntax_error_before_the_id_line_still_finds_the_id(project, cli):
    project.write_raw(POL, "summary: [unclosed\n" + project.read(POL))
    [line] = problem_lines(cli, project)
    assert line.startswith(f"{POL}:")
    library, _ = project.library()
    assert library.unchecked_ids.get("consent-protocol") == "policy"


def test_a_bracket_left_open_at_the_end_of_a_file_is_placed_on_its_last_line(project, cli):
    """libyaml reports an unclosed '[' on a line after the end of the file; the author's editor has no such line."""
    text = project.read(POL).rstrip("\n") + "\nextra: [\n  more: [x]"
    project.write_raw(POL, text)
    [line] = problem_lines(cli, project)
    last = text.count("\n") + 1
    assert line.startswith(f"{POL}:{last}:{len('  more: [x]') + 1}: this is not valid YAML"), line


def test_a_broken_file_without_an_id_line_is_known_by_its_file_name(project, cli):
    text = project.read(POL).replace("id: consent-protocol\n", "")
    project.write_raw(POL, text.replace("title: Consent protocol", "title: Consent: protocol"))
    assert len(problem_lines(cli, project)) == 1


def test_a_file_that_is_not_text_is_known_by_its_file_name(project, cli):
    project.write(POL, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    [line] = problem_lines(cli, project)
    assert line.startswith(f"{POL}:1:1: this looks like a binary file")


def test_a_syntax_error_in_the_glossary_gives_exactly_one_error(project, cli):
    project.replace("glossary.yml", "    definition: A social worker based in a school.\n",
                    "    definition: A social worker: based in a school.\n")
    [line] = problem_lines(cli, project)
    assert line.startswith("glossary.yml:")
    assert "not valid YAML" in line


def test_a_reference_to_a_misspelt_id_is_still_reported_beside_a_broken_file(project, cli):
    """Only ids the broken file declares are spared; a misspelling elsewhere is still an error."""
    project.replace(POL, "title: Consent protocol", "title: Consent: protocol")
    project.replace("paths/induction.yml", "item: first-day", "item: first-dya")
    lines = problem_lines(cli, project)
    assert len(lines) == 2, lines
    assert any("'first-dya' does not match the id of an item" in line for line in lines)
