"""Validation: every class of content error is reported with the right file, line and words."""

from __future__ import annotations


from conftest import CASE as CASE_TEXT
from conftest import PAGES, POLICY, REVIEWED
from essw.kinds import KINDS
from essw.problems import ERROR, WARNING
from essw.scaffold import SCAFFOLD_KINDS, new_source
from essw.project import Project as EsswProject
from essw.sources import load_library

CASE = "scenarios/first-day.yml"
POL = "policies/consent-protocol.yml"
ROLE_FILE = "roles/dsl-role.yml"
WORKSHOP = "workshops/parents-evening.yml"
PATH = "paths/induction.yml"


def problems(project):
    _, report = project.library()
    return report.sorted()


def only(project, severity=ERROR):
    """The one problem the project has (fails, listing them all, if there is not exactly one)."""
    found = problems(project)
    assert len(found) == 1, "\n".join(p.format() for p in found)
    assert found[0].severity == severity, found[0].format()
    return found[0]


def column_of(project, rel, needle, within=None):
    """1-based column where ``needle`` starts on the line containing ``within`` (or needle)."""
    line = project.read(rel).splitlines()[project.line_of(rel, within or needle) - 1]
    return line.index(needle) + 1


# -- the fixture and the scaffolds are valid ----------------------------------------------------------

def test_fixture_project_is_valid(project):
    library, report = project.library()
    assert report.problems == []
    assert set(library.entries) == {"first-day", "consent-protocol", "dsl-role", "parents-evening", "induction"}
    assert set(library.terms) == {"dsl", "essw", "early-help"}


def test_every_kind_loads_from_its_scaffold(tmp_path):
    root = tmp_path / "fresh"
    root.mkdir()
    (root / "glossary.yml").write_text(
        f"owner: Team\nreviewed: {REVIEWED}\nreview_by: 2035-01-01\nterms:\n"
        "  - id: first-term\n    term: First term\n    definition: A word.\n", encoding="utf-8")
    project = EsswProject(root)
    for kind in SCAFFOLD_KINDS:
        new_source(project, kind, f"new-{kind}")
    library, report = load_library(root)
    assert [p.format() for p in report.problems] == []
    for kind in SCAFFOLD_KINDS:
        if kind == "term":
            assert "new-term" in library.terms
        else:
            assert library.entries[f"new-{kind}"].kind.name == kind
    # every kind that has its own folder has a scaffold
    assert {k for k in KINDS if k not in ("glossary", "publication")} | {"term"} == set(SCAFFOLD_KINDS)


# -- schema errors ------------------------------------------------------------------------------------

def test_missing_required_field(project):
    project.replace(POL, "title: Consent protocol\n", "")
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (POL, 1, 1)
    assert problem.message == "the required field 'title' is missing"
    assert problem.field_path == "title"
    assert "add a line 'title: ...'" in problem.expected


def test_missing_required_field_in_a_nested_mapping_points_at_that_mapping(project):
    project.replace(CASE, "        feedback: Waiting can leave a child at risk.\n", "")
    problem = only(project)
    assert (problem.path, problem.line) == (CASE, project.line_of(CASE, "- label: Wait and see"))
    assert problem.column == column_of(project, CASE, "label: Wait")
    assert problem.message == "the required field 'feedback' is missing"
    assert problem.field_path == "nodes.start.choices[2].feedback"


def test_unknown_key_with_did_you_mean(project):
    project.replace(CASE, "        rating: risky", "        ratting: risky")
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (CASE, project.line_of(CASE, "ratting:"), 9)
    assert problem.message == "'ratting' is not a field this kind of source knows"
    assert problem.field_path == "nodes.start.choices[2].ratting"
    assert problem.expected == "did you mean 'rating'?"


def test_unknown_key_without_a_close_match_lists_the_allowed_fields(project):
    project.replace(ROLE_FILE, "also_known_as:", "zzqqxx: 1\nalso_known_as:")
    problem = only(project)
    assert problem.line == project.line_of(ROLE_FILE, "zzqqxx")
    assert "the fields allowed here are:" in problem.expected
    assert "working_with_essw" in problem.expected


def test_wrong_type(project):
    project.replace(CASE, "minutes: 10", "minutes: ten")
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (CASE, project.line_of(CASE, "minutes: ten"), 10)
    assert problem.message == "expected a whole number, found 'ten'"
    assert problem.field_path == "minutes"


def test_text_where_a_list_is_expected(project):
    project.replace(CASE, "audiences: [essw, school-staff]", "audiences: essw")
    problem = only(project)
    assert (problem.line, problem.column) == (project.line_of(CASE, "audiences: essw"), 12)
    assert problem.message.startswith("expected a list")


def test_bad_enum_value_with_did_you_mean(project):
    project.replace(CASE, "spectrum: early-intervention", "spectrum: early-intervension")
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (CASE, project.line_of(CASE, "spectrum:"), 11)
    assert problem.message == "'early-intervension' is not one of the allowed values"
    assert problem.expected.startswith("did you mean 'early-intervention'?")
    assert "'post-statutory'" in problem.expected


def test_bad_enum_value_in_a_list_names_the_entry(project):
    project.replace(ROLE_FILE, "audiences: [school-staff, dsl]", "audiences: [school-staf, dsl]")
    problem = only(project)
    assert (problem.line, problem.column) == (project.line_of(ROLE_FILE, "audiences:"), 13)
    assert problem.field_path == "audiences[1]"
    assert problem.expected.startswith("did you mean 'school-staff'?")


def test_bad_id_pattern(project):
    project.replace(PATH, "id: induction", "id: ESSW_Induction")
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (PATH, 1, 5)
    assert problem.message == "'ESSW_Induction' is not a valid id"
    assert "lower-case" in problem.expected


def test_a_bad_flag_name_is_explained_as_a_flag_name_at_the_key(project):
    """The type carries its own words: a flag name is not 'an id with single hyphens', and the
    mistake is in the key, so the message points at the key, not at the flag's meaning."""
    project.replace(CASE, "minutes: 10\n", "minutes: 10\nflags:\n  Mum-Agreed: Mum agreed to work with you\n")
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (CASE, project.line_of(CASE, "Mum-Agreed"), 3)
    assert problem.message == "'Mum-Agreed' is not a valid flag name"
    assert "underscores" in problem.expected and "hyphens" not in problem.expected


def test_a_bad_abbreviation_is_explained_as_an_abbreviation(project):
    project.replace("glossary.yml", "abbreviation: DSL", "abbreviation: 'DSL!'")
    problem = only(project)
    assert problem.message == "'DSL!' is not a usable abbreviation"
    assert "up to 20 letters" in problem.expected


def test_reference_fields_are_read_from_the_typed_model():
    """The reference check once read a list kept by hand; now each field's type says what it names."""
    from essw.library import REFERENCE_FIELDS
    from essw.model import reference_fields
    from essw.model.common import PolicyRef, Strict

    assert REFERENCE_FIELDS == {"policies": "policy", "related_policies": "policy", "protocols": "policy",
                                "roles": "role", "related_roles": "role", "cases": "case", "terms": "glossary",
                                "related_terms": "glossary", "see_also": "glossary", "item": None}

    class Inner(Strict):
        safeguarding_protocols: list[PolicyRef] = []

    class Outer(Strict):
        parts: list[Inner] = []

    assert reference_fields([Outer]) == {"safeguarding_protocols": "policy"}


def test_not_a_date(project):
    project.replace(WORKSHOP, f"reviewed: {REVIEWED}", "reviewed: 2026-13-45")
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (WORKSHOP, project.line_of(WORKSHOP, "reviewed:"), 11)
    assert problem.message == "'2026-13-45' is not a date"
    assert "YYYY-MM-DD" in problem.expected


# -- ids and references -------------------------------------------------------------------------------

def test_duplicate_id_across_two_files_names_the_first_file_and_line(project):
    # policies/ is read before paths/, so this file is "first" and paths/induction.yml is the duplicate
    project.write("policies/another.yml", "# A second file\n# that reuses an id\n"
                  + POLICY.replace("id: consent-protocol", "id: induction"))
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (PATH, 1, 5)
    assert problem.message == "the id 'induction' is already used by policies/another.yml:3"


def test_duplicate_term_id_in_the_glossary(project):
    project.replace("glossary.yml", "  - id: early-help\n", "  - id: essw\n")
    project.replace(POL, "terms: [essw, early-help]", "terms: [essw]")
    problem = only(project)
    assert (problem.path, problem.line) == ("glossary.yml", project.line_of("glossary.yml", "term: Early help") - 1)
    assert problem.message == (f"the id 'essw' is already used by glossary.yml:"
                               f"{project.line_of('glossary.yml', 'term: Extended') - 1}")


def test_reference_to_a_missing_id_with_did_you_mean(project):
    project.replace(PATH, "item: first-day", "item: first-dya")
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (PATH, project.line_of(PATH, "first-dya"), 11)
    assert problem.message == "'first-dya' does not match the id of an item"
    assert problem.field_path == "steps[2].item"
    assert problem.expected.startswith("did you mean 'first-day'?")


def test_reference_to_a_missing_glossary_term_with_did_you_mean(project):
    project.replace(POL, "terms: [essw, early-help]", "terms: [essw, early-halp]")
    problem = only(project)
    assert (problem.path, problem.line) == (POL, project.line_of(POL, "early-halp"))
    assert problem.column == column_of(project, POL, "early-halp")
    assert problem.message == "there is no glossary term with the id 'early-halp'"
    assert problem.field_path == "related.terms[2]"
    assert problem.expected.startswith("did you mean 'early-help'?")


def test_reference_to_an_id_of_the_wrong_kind(project):
    project.replace(CASE, "related_policies: [consent-protocol]", "related_policies: [dsl-role]")
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (CASE, project.line_of(CASE, "related_policies"), 20)
    assert problem.message == "'dsl-role' is a role guide, not a protocol"


def test_wrong_kind_inside_a_case_debrief(project):
    project.replace(CASE, "      protocols: [consent-protocol]", "      protocols: [first-day]")
    problem = only(project)
    assert (problem.line, problem.field_path) == (project.line_of(CASE, "protocols: [first-day]"),
                                                  "nodes.the-end.debrief.protocols[1]")
    assert problem.message == "'first-day' is a case study, not a protocol"


def test_path_step_may_point_at_a_glossary_term(project):
    """A path step's 'item' accepts any id (the generator links terms to the glossary), so a term is fine.

    Today the check looks the id up among items only and reports "'dsl' does not match the id of
    an item - did you mean 'dsl'?", suggesting the very id that was written.
    """
    project.replace(PATH, "item: consent-protocol", "item: dsl")
    assert [p.format() for p in problems(project)] == []


# -- workshops ----------------------------------------------------------------------------------------

def test_workshop_minutes_must_add_up(project):
    project.replace(WORKSHOP, "  - minutes: 45", "  - minutes: 40")
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (WORKSHOP, project.line_of(WORKSHOP, "duration_minutes"), 19)
    assert problem.message == "the session plan adds up to 55 minutes but the workshop says 60 minutes"


def test_a_step_that_uses_a_material_the_pack_lacks_fails_at_that_line(project):
    project.replace(WORKSHOP, "uses: [flip-chart, who-is-who]", "uses: [flip-chart, quiz-crads]")
    found = problems(project)
    missing = [p for p in found if "quiz-crads" in p.message]
    assert len(missing) == 1, [p.format() for p in found]
    problem = missing[0]
    line = project.line_of(WORKSHOP, "uses: [flip-chart, quiz-crads]")
    assert (problem.path, problem.line, problem.column) == (WORKSHOP, line, 24)
    assert problem.field_path == "plan[2].uses[2]"
    assert problem.message == "this step uses 'quiz-crads', but the workshop has no material or handout with that id"
    # and the handout nobody uses any more is named, as a warning
    [unused] = [p for p in found if p is not problem]
    assert unused.severity == "warning" and unused.message == "no step of the plan uses 'who-is-who'"


def test_a_material_must_have_what_its_kind_needs(project):
    project.replace(WORKSHOP, "  - id: flip-chart\n    title: Flip chart\n",
                    "  - id: flip-chart\n    kind: quiz-cards\n    title: Flip chart\n")
    problem = only(project)
    assert problem.line == project.line_of(WORKSHOP, "  - id: flip-chart")
    assert "a material of kind 'quiz-cards' needs 'quiz:'" in problem.message


def test_an_answer_sheet_must_be_for_quiz_cards_in_the_same_workshop(project):
    project.replace(WORKSHOP, "  - id: flip-chart\n    title: Flip chart\n",
                    "  - id: flip-chart\n    title: Flip chart\n"
                    "  - id: sheet\n    kind: answer-sheet\n    title: Answers\n    answers_for: flip-chart\n")
    found = [p for p in problems(project) if "answer sheet" in p.message]
    assert len(found) == 1
    assert found[0].line == project.line_of(WORKSHOP, "answers_for: flip-chart")
    assert found[0].message == "this answer sheet is for 'flip-chart', which is not quiz cards in this workshop"


# -- case graphs --------------------------------------------------------------------------------------

def test_case_start_must_exist(project):
    project.replace(CASE, "start: start\n", "start: begin\n")
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (CASE, project.line_of(CASE, "start: begin"), 8)
    assert problem.message == "the start node 'begin' does not exist"


def test_case_goto_target_must_exist(project):
    project.replace(CASE, "        goto: wait\n", "        goto: wiat\n")
    found = problems(project)
    goto = [p for p in found if "leads to 'wiat'" in p.message]
    assert len(goto) == 1, [p.format() for p in found]
    assert (goto[0].line, goto[0].column) == (project.line_of(CASE, "goto: wiat"), 15)
    assert goto[0].field_path == "nodes.start.choices[2].goto"
    assert goto[0].expected.startswith("did you mean 'wait'?")
    # the node nobody reaches any more is reported too, at its name
    unreached = [p for p in found if p.message == "no choice ever leads to the node 'wait'"]
    assert [(p.line, p.column) for p in unreached] == [(project.line_of(CASE, "  wait:"), 3)]


def test_case_ending_needs_a_debrief(project):
    project.replace(CASE, "    debrief:\n      good_practice: Act on a worry the same day.\n      questions:\n"
                          "        - What stopped the teacher acting?\n", "")
    problem = only(project)
    assert (problem.path, problem.line) == (CASE, project.line_of(CASE, "  wait:"))
    assert problem.message == "the ending 'wait' has no debrief"


def test_case_ending_cannot_have_choices(project):
    project.replace(CASE, "    text: Nothing changes, and the worry is lost.\n",
                    "    text: Nothing changes, and the worry is lost.\n    choices:\n      - label: Again\n"
                    "        goto: start\n        feedback: Try again.\n")
    problem = only(project)
    assert (problem.line, problem.message) == (project.line_of(CASE, "label: Again"), "an ending cannot have choices")


def test_case_node_without_choices_must_be_an_ending(project):
    project.replace(CASE, "    choices:\n      - label: Tell the DSL the same day\n        goto: the-end\n"
                          "        feedback: The right next step.\n", "")
    found = problems(project)
    messages = {(p.line, p.message) for p in found}
    assert (project.line_of(CASE, "  talk:"), "the node 'talk' has no choices and is not an ending") in messages
    assert (project.line_of(CASE, "  the-end:"), "no choice ever leads to the node 'the-end'") in messages
    assert len(found) == 2


def test_case_unreachable_node(project):
    project.replace(CASE, "  wait:\n", "  lost:\n    text: Nobody comes here.\n    choices:\n      - label: Go on\n"
                                       "        goto: the-end\n        feedback: Fine.\n  wait:\n")
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (CASE, project.line_of(CASE, "  lost:"), 3)
    assert problem.message == "no choice ever leads to the node 'lost'"


def test_case_node_that_cannot_reach_an_ending(project):
    # 'talk' now only leads back to 'start', and 'talk2' only back to 'talk': a trap
    project.replace(CASE, "        goto: the-end\n        feedback: The right next step.\n",
                    "        goto: talk2\n        feedback: The right next step.\n")
    project.replace(CASE, "  wait:\n", "  talk2:\n    text: Round again.\n    choices:\n      - label: Back\n"
                                       "        goto: talk\n        feedback: Loops.\n  wait:\n")
    found = problems(project)
    trapped = sorted((p.line, p.message) for p in found if "no way to reach an ending" in p.message)
    assert trapped == [(project.line_of(CASE, "  talk:"), "from the node 'talk' there is no way to reach an ending"),
                       (project.line_of(CASE, "  talk2:"), "from the node 'talk2' there is no way to reach an ending")]
    assert "start" not in " ".join(m for _, m in trapped)  # start can still reach 'wait'


def test_only_an_ending_can_have_a_debrief(project):
    project.replace(CASE, "    text: Sam says home has been difficult.\n",
                    "    text: Sam says home has been difficult.\n    debrief:\n      good_practice: x\n"
                    "      questions: [y]\n")
    problem = only(project)
    assert problem.message == "only an ending can have a debrief"
    assert problem.line in (project.line_of(CASE, "good_practice: x") - 1, project.line_of(CASE, "good_practice: x"))


# -- review dates -------------------------------------------------------------------------------------

def test_review_by_in_the_past_is_a_warning(project):
    project.replace(ROLE_FILE, "review_by: 2035-01-15", "review_by: 2025-06-01")
    problem = only(project, severity=WARNING)
    assert (problem.path, problem.line, problem.column) == (ROLE_FILE, project.line_of(ROLE_FILE, "review_by"), 12)
    assert problem.message == "this content was due for review on 2025-06-01"
    assert problem.format().startswith(f"{ROLE_FILE}:{problem.line}:12: warning: ")


def test_overdue_review_passes_validate_but_fails_under_strict(project):
    project.replace(ROLE_FILE, "review_by: 2035-01-15", "review_by: 2025-06-01")
    line = project.line_of(ROLE_FILE, "review_by")
    normal = project.run("validate")
    assert normal.returncode == 0, normal.output
    assert f"{ROLE_FILE}:{line}:12: warning: this content was due for review" in normal.stderr
    assert "All sources are valid" in normal.stderr
    strict = project.run("validate", "--strict")
    assert strict.returncode == 1, strict.output
    assert f"{ROLE_FILE}:{line}:12:" in strict.stderr
    assert "1 error(s)" in strict.stderr


def test_overdue_glossary_is_a_warning_too(project):
    project.replace("glossary.yml", "review_by: 2035-01-15", "review_by: 2025-06-01")
    problem = only(project, severity=WARNING)
    assert (problem.path, problem.line) == ("glossary.yml", 3)


def test_reviewed_in_the_future_is_an_error(project):
    project.replace(ROLE_FILE, f"reviewed: {REVIEWED}", "reviewed: 2099-01-01")
    project.replace(ROLE_FILE, "review_by: 2035-01-15", "review_by: 2100-01-01")
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (ROLE_FILE, project.line_of(ROLE_FILE, "reviewed:"), 11)
    assert problem.message == "the review date 2099-01-01 is in the future"


def test_review_by_before_reviewed_is_an_error(project):
    project.replace(ROLE_FILE, "review_by: 2035-01-15", "review_by: 2024-01-01")
    problem = only(project)
    assert problem.line == project.line_of(ROLE_FILE, "review_by")
    assert "is before 'reviewed'" in problem.message


# -- files in the wrong place -------------------------------------------------------------------------

def test_valid_source_in_another_kinds_folder(project):
    project.path(ROLE_FILE).rename(project.path("policies/dsl-role.yml"))
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == ("policies/dsl-role.yml", 1, 1)
    assert problem.message == ("this file looks like a role guide, but it is in the 'policies' folder, "
                               "which holds protocols")
    assert problem.expected == "move it to 'roles/'"


def test_unreadable_file_is_reported_and_the_rest_still_checked(project):
    project.write("roles/broken.yml", b"id: x\x00\x01binary")
    project.replace(PATH, "item: first-day", "item: first-dya")
    found = problems(project)
    assert {(p.path, p.line) for p in found} == {("roles/broken.yml", 1), (PATH, project.line_of(PATH, "first-dya"))}


# -- one run reports everything -----------------------------------------------------------------------

def test_many_errors_in_many_files_are_all_reported_in_one_run(project):
    project.write("scenarios/second.yml", CASE_TEXT.replace("id: first-day", "id: second-day")
                  .replace("spectrum: early-intervention", "spectrum: early-intervension"))  # enum
    project.replace(CASE, "        goto: wait\n", "        goto: wiat\n")  # graph
    project.replace(POL, "title: Consent protocol\n", "")  # missing field
    project.replace(WORKSHOP, "  - minutes: 45", "  - minutes: 40")  # minutes
    project.replace(PATH, "item: first-day", "item: first-dya")  # reference
    project.replace(ROLE_FILE, "also_known_as:", "also_knwn_as:")  # unknown key
    project.write("roles/tabs.yml", "id: tabs\ntitle: Tabs\n\tsummary: x\n")  # not YAML
    project.write("roles/empty.yml", "")  # empty
    project.replace("glossary.yml", "  - id: early-help\n", "  - id: Early_Help\n")  # bad id

    expected = [
        f"scenarios/second.yml:{project.line_of('scenarios/second.yml', 'spectrum:')}:",
        f"{CASE}:{project.line_of(CASE, 'goto: wiat')}:",
        f"{POL}:1:",
        f"{WORKSHOP}:{project.line_of(WORKSHOP, 'duration_minutes')}:",
        f"{PATH}:{project.line_of(PATH, 'first-dya')}:",
        f"{ROLE_FILE}:{project.line_of(ROLE_FILE, 'also_knwn_as')}:",
        "roles/tabs.yml:3:",
        "roles/empty.yml:1:",
        f"glossary.yml:{project.line_of('glossary.yml', 'Early_Help')}:",
    ]
    result = project.run("validate")
    assert result.returncode == 1
    for where in expected:
        assert where in result.stderr, f"{where} missing from:\n{result.output}"
    assert "Traceback" not in result.output
    assert "in 9 file(s)" in result.stderr
    for line in result.stderr.strip().splitlines()[:-2]:
        assert line.split(":")[0].endswith(".yml"), line


# -- relative links in author text ------------------------------------------------------------------

def _link_in_case(project, target):
    project.replace(CASE, "    text: Sam arrives late and quiet.", f"    text: Sam arrives late. See [this]({target}).")
    return project.line_of(CASE, f"[this]({target})")


def test_a_link_to_a_page_that_will_not_exist_is_an_error_at_its_line(project):
    line = _link_in_case(project, "form.pdf")
    problem = only(project)
    assert (problem.path, problem.line) == (CASE, line)
    assert problem.field_path == "nodes.start.text"
    assert "the link 'form.pdf' does not lead anywhere" in problem.message
    assert "e.g. 'drop-in-sessions.md'" in problem.expected


def test_links_to_pages_the_build_will_have_are_fine(project):
    project.write("docs/school-staff/index.md", "# School staff\n")
    for target in ("../protocols/consent-protocol.md#ask", "first-day.md", "../glossary/index.md",
                   "../../school-staff/index.md", "#top", "https://www.gov.uk/", "mailto:a@example.org",
                   "../roles/"):
        fresh = project.read(CASE)
        _link_in_case(project, target)
        assert problems(project) == [], target
        project.write(CASE, fresh)


def test_a_site_absolute_link_is_an_error_because_the_site_also_opens_from_a_folder(project):
    _link_in_case(project, "/library/protocols/consent-protocol.md")
    assert "starts with '/'" in only(project).message


def test_a_public_page_may_not_link_to_an_internal_page(project):
    """An id reference to an internal item is left out of public builds (a warning); a link written
    in the text cannot be left out, so it is an error."""
    project.replace(POL, "id: consent-protocol\n", "id: consent-protocol\nvisibility: internal\n")
    errors = lambda: [p for p in problems(project) if p.severity == ERROR]  # noqa: E731
    assert errors() == []
    line = _link_in_case(project, "../protocols/consent-protocol.md")
    [problem] = errors()
    assert (problem.path, problem.line) == (CASE, line)
    assert "internal item 'consent-protocol'" in problem.message


def test_example_contacts_are_announced_until_the_area_sets_its_own(project):
    """mkdocs.yml 'example_contacts: true' (as shipped): a warning at its line, an error under --strict,
    and a notice on every page; without it (an area's own settings) no notice and no warning."""
    project.replace("mkdocs.yml", "  local:\n", "  example_contacts: true\n  local:\n")
    line = project.line_of("mkdocs.yml", "example_contacts")
    normal = project.run("validate")
    assert normal.returncode == 0, normal.output
    assert f"mkdocs.yml:{line}:21: warning: the contacts under 'extra.local' are still the examples" in normal.stderr
    assert project.run("validate", "--strict").returncode == 1
    built = project.run("build", "--no-packs")
    assert built.returncode == 0, built.output
    for rel in ("site/index.html", f"site/{PAGES['consent-protocol']}.html"):
        assert "Example contacts:</strong> this area has not set its own yet" in project.read(rel), rel

    project.replace("mkdocs.yml", "  example_contacts: true\n", "")
    assert ": warning:" not in project.run("validate").stderr
    assert project.run("build", "--no-packs").returncode == 0
    assert "Example contacts" not in project.read("site/index.html")


def test_example_contacts_must_be_true_or_false(project):
    project.replace("mkdocs.yml", "  local:\n", "  example_contacts: maybe\n  local:\n")
    result = project.run("validate")
    assert result.returncode == 1
    assert f"mkdocs.yml:{project.line_of('mkdocs.yml', 'example_contacts')}:21: 'example_contacts' must be true or false" \
        in result.stderr


# -- parents' guides write abbreviations out ----------------------------------------------------------

def _explainer(project, text: str) -> str:
    rel = "explainers/for-parents.yml"
    new_source(EsswProject(project.root), "explainer", "for-parents")
    project.write(rel, project.read(rel).replace("A short answer in plain words.", text, 1))
    return rel


def test_an_abbreviation_a_parent_meets_unexplained_is_reported_at_its_line(project):
    rel = _explainer(project, "Talk to the\n      school's DSL. They will listen.")
    problem = only(project, WARNING)  # a draft still builds; --strict and the repository's tests refuse it
    assert problem.path.endswith(rel)
    assert problem.line == project.line_of(rel, "school's DSL") and problem.column == column_of(project, rel, "DSL")
    assert problem.field_path == "sections[1].text"  # the first section, as authors count
    assert "'DSL' is not written out where a parent first meets it" in problem.message
    # the glossary knows the words, so the hint gives them
    assert "'Designated safeguarding lead (DSL)'" in problem.expected


def test_an_abbreviation_written_out_first_or_in_its_sentence_is_fine(project):
    _explainer(project, "Talk to the designated safeguarding lead (DSL). The DSL, or the ESSW (Extended Schools "
                        "Social Worker), will listen. A TAC, a Team Around the Child meeting, may help.")
    assert problems(project) == []


def test_only_the_words_section_47_explain_s47(project):
    _explainer(project, "The council makes s47 enquiries.")
    assert "'s47' is not written out" in only(project, WARNING).message


def test_an_abbreviation_inside_code_is_shown_as_written_and_not_checked(project):
    _explainer(project, "Type `HTML` or\n\n      ```\n      XSS\n      ```\n\n      and nothing happens.")
    assert problems(project) == []
