"""The essw command as an author meets it: scaffolds, one-line messages, exit codes, schemas."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO
from essw.scaffold import SCAFFOLD_KINDS
from essw.schemas import schema_text

PROBLEM_LINE = re.compile(r"^(?P<path>[\w./-]+\.ya?ml):(?P<line>\d+):(?P<column>\d+): \S")


def test_new_then_validate_succeeds_for_every_kind(project, cli):
    for kind in SCAFFOLD_KINDS:
        result = cli(project, "new", kind, f"brand-new-{kind}")
        assert result.returncode == 0, result.output
        assert "Wrote " in result.stderr
    for kind, folder in [("case", "scenarios"), ("policy", "policies"), ("role", "roles"),
                         ("workshop", "workshops"), ("path", "paths"), ("explainer", "explainers")]:
        text = project.read(f"{folder}/brand-new-{kind}.yml")
        assert f"id: brand-new-{kind}\n" in text
        assert f"$schema=../schemas/{kind}.schema.json" in text.splitlines()[0]
    assert "  - id: brand-new-term\n" in project.read("glossary.yml")

    result = project.run("validate")
    assert result.returncode == 0, result.output
    # The fixture's 8 items, plus one new item of each of the 7 kinds 'essw new' makes.
    assert "All sources are valid: 15 items checked." in result.stderr


def test_new_uses_the_given_title(project, cli):
    assert cli(project, "new", "role", "school-nurse", "--title", "School nurse: health in school").returncode == 0
    library, report = project.library()
    assert report.problems == []
    assert library.entries["school-nurse"].item.title == "School nurse: health in school"


def test_new_refuses_an_existing_file(project, cli):
    before = project.read("policies/consent-protocol.yml")
    result = cli(project, "new", "policy", "consent-protocol")
    assert result.returncode == 1
    assert "policies/consent-protocol.yml already exists" in result.stderr
    assert project.read("policies/consent-protocol.yml") == before


def test_new_term_refuses_an_existing_term(project, cli):
    before = project.read("glossary.yml")
    result = cli(project, "new", "term", "dsl")
    assert result.returncode == 1
    assert "already has a term with the id 'dsl'" in result.stderr
    assert project.read("glossary.yml") == before


@pytest.mark.parametrize("bad_id", ["Consent", "consent_protocol", "consent--protocol", "-consent", "consent-",
                                    "con sent", "../escape"])
def test_new_refuses_a_bad_id(project, cli, bad_id):
    before = sorted(p.relative_to(project.root) for p in project.root.rglob("*"))
    result = cli(project, "new", "policy", "--", bad_id)
    assert result.returncode == 1
    assert "is not a valid id" in result.stderr
    assert sorted(p.relative_to(project.root) for p in project.root.rglob("*")) == before


def test_new_refuses_an_unknown_kind(project, cli):
    result = cli(project, "new", "poem", "ode")
    assert result.returncode == 1
    assert "unknown kind 'poem'" in result.stderr


@pytest.mark.parametrize("args", [
    pytest.param(["policy", "2026"], id="id-that-yaml-reads-as-a-number"),
    pytest.param(["role", "true"], id="id-that-yaml-reads-as-true"),
    pytest.param(["role", "null"], id="id-that-yaml-reads-as-nothing"),
    pytest.param(["term", "2027"], id="term-id-that-yaml-reads-as-a-number"),
    pytest.param(["policy", "x" * 81], id="id-longer-than-80-characters"),
    pytest.param(["policy", "draft", "--title", "[Draft] Consent"], id="title-starting-with-a-bracket"),
    pytest.param(["policy", "important", "--title", "*Important* rules"], id="title-starting-with-an-asterisk"),
    pytest.param(["policy", "at-home", "--title", "@home visits"], id="title-starting-with-an-at-sign"),
])
def test_whatever_new_accepts_validates(project, cli, args):
    """'essw new' must either refuse an id or title, or write a file that validates."""
    result = cli(project, "new", *args)
    if result.returncode != 0:
        assert "essw:" in result.stderr  # refused plainly: acceptable
        return
    _, report = project.library()
    assert [p.format() for p in report.problems] == []


def test_broken_source_gives_one_line_messages_and_no_traceback(project):
    project.write("roles/broken.yml", "id: broken\ntitle: Broken\nsummary: x\n\taudiences: [essw]\n")
    for command in (["validate"], ["generate"], ["build"]):
        result = project.run(*command)
        assert result.returncode == 1, (command, result.output)
        assert "Traceback" not in result.output
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert PROBLEM_LINE.match(lines[0]), lines[0]
        assert lines[0].startswith("roles/broken.yml:4:1: this is not valid YAML: a tab character")
        assert [line for line in lines if PROBLEM_LINE.match(line)] == [lines[0]]
        assert "1 error(s) and 0 warning(s) in 1 file(s)." in lines
    assert not project.path("site").exists()


def test_problem_format_is_path_line_column_message_field_expected(project):
    project.replace("scenarios/first-day.yml", "minutes: 10", "minutes: ten")
    result = project.run("validate")
    line = project.line_of("scenarios/first-day.yml", "minutes: ten")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"scenarios/first-day.yml:{line}:10: expected a whole number, found 'ten' (minutes)")
    project.replace("scenarios/first-day.yml", "minutes: ten", "minutes: 10")
    project.replace("scenarios/first-day.yml", "spectrum: early-intervention", "spectrum: statutry")
    result = project.run("validate")
    assert result.stderr.splitlines()[0] == (
        f"scenarios/first-day.yml:{project.line_of('scenarios/first-day.yml', 'spectrum:')}:11: "
        "'statutry' is not one of the allowed values (spectrum) - did you mean 'statutory'?; "
        "expected 'prevention', 'early-intervention', 'statutory' or 'post-statutory'")


def test_in_process_problem_list_goes_to_the_current_stderr(project, cli):
    """main() called in-process (as the tests and any tool embedding essw do) must print to the
    sys.stderr of the moment, so capsys or contextlib.redirect_stderr capture the problem list.

    cli._print_report has ``stream=sys.stderr`` as a default argument, which is fixed when the
    module is first imported, so the problem list goes to whatever stderr was then.
    """
    project.replace("scenarios/first-day.yml", "minutes: 10", "minutes: ten")
    result = cli(project, "validate")
    assert result.returncode == 1
    assert "scenarios/first-day.yml:" in result.stderr, result.output
    assert "1 error(s)" in result.stderr


def test_validate_exit_codes(project, cli):
    assert cli(project, "validate").returncode == 0
    project.write("roles/empty.yml", "")
    assert cli(project, "validate").returncode == 1


def test_schemas_match_the_committed_files(project):
    """The committed schemas/*.json must be exactly what 'essw schemas' writes from the model."""
    result = project.run("schemas")
    assert result.returncode == 0, result.output
    written = {p.name: p.read_text(encoding="utf-8") for p in project.path("schemas").glob("*.json")}
    committed = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "schemas").glob("*.json")}
    assert sorted(written) == sorted(committed)
    for name, text in written.items():
        assert text == committed[name], f"schemas/{name} is out of date: run 'essw schemas' and commit it"


def test_schemas_describe_the_model(project):
    case = json.loads(schema_text("case"))
    assert case["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {"id", "title", "nodes", "start", "composite"} <= set(case["required"])
    assert case["additionalProperties"] is False
    glossary = json.loads(schema_text("glossary"))
    assert "terms" in glossary["properties"]
