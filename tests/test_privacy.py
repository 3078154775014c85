"""The privacy lint: no source may hold a real person's identifiers (essw/checks/privacy.py).

Every identifier below is made up for the test. Each kind is planted in a case study and in a
glossary term of the fixture project, and must be reported at its own file, line and column, in
plain words, without the report repeating it.
"""

from __future__ import annotations

import re
import time

import pytest

from conftest import REPO
from essw.checks import privacy
from essw.checks.privacy import find_identifiers, nhs_check_digit_ok, upn_check_letter
from essw.problems import ERROR
from essw.sources import load_library

CASE = "scenarios/first-day.yml"
CASE_LINE = "    text: Sam arrives late and quiet."
GLOSSARY = "glossary.yml"
GLOSSARY_LINE = "    definition: A social worker based in a school."
TERM_LINE = "    definition: The member of school staff who leads on safeguarding."

# kind -> (sentence planted in a source, the identifier in it, the words the message must use)
KINDS = {
    "nhs": ("Her NHS number is 943 476 5919 on the referral.", "943 476 5919", "an NHS number"),
    "upn": ("The school record shows B801200005001 for Sam.", "B801200005001", "a unique pupil number (UPN)"),
    "phone": ("Mum's mobile is 07911 123456 if needed.", "07911 123456", "a UK phone number"),
    "phone-international": ("Dad can be reached on +44 20 7123 4567 at work.", "+44 20 7123 4567",
                            "a UK phone number"),
    "email": ("Mum wrote from jo.bloggs@eastborough.sch.uk last week.", "jo.bloggs@eastborough.sch.uk",
              "an email address"),
    "postcode": ("The family live near SW1A 1AA in a flat.", "SW1A 1AA", "a UK postcode"),
    "dob": ("Sam was born on 12/03/2015 in Leeds.", "12/03/2015", "a date of birth"),
}


def privacy_problems(project):
    _, report = project.library()
    return [p for p in report.sorted() if p.message.startswith("this looks like")]


def all_problems(project):
    _, report = project.library()
    return report.sorted()


def where(project, rel, needle):
    """(line, column), 1-based, of the only line holding ``needle``."""
    line = project.line_of(rel, needle)
    return line, project.read(rel).splitlines()[line - 1].index(needle) + 1


def plant(project, rel, old_line, sentence):
    project.replace(rel, old_line + "\n", f"{old_line} {sentence}\n")


def forms(identifier):
    """The identifier as written, without spaces, and as bare digits: none may appear in a report."""
    out = {identifier, re.sub(r"\s+", "", identifier)}
    digits = re.sub(r"\D", "", identifier)
    if len(digits) >= 8:
        out.add(digits)
    return out


# -- every kind, in a case study and in a glossary term -------------------------------------------------

@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("rel, old_line", [(CASE, CASE_LINE), (GLOSSARY, GLOSSARY_LINE)], ids=["case", "glossary"])
def test_each_identifier_is_reported_at_its_file_line_and_column(project, cli, kind, rel, old_line):
    sentence, identifier, words = KINDS[kind]
    plant(project, rel, old_line, sentence)
    found = all_problems(project)
    assert len(found) == 1, "\n".join(p.format() for p in found)
    problem = found[0]
    line, column = where(project, rel, identifier)
    assert (problem.path, problem.line, problem.column, problem.severity) == (rel, line, column, ERROR)
    assert problem.message.startswith(f"this looks like {words} (")
    assert "composites" in problem.expected and "remove it" in problem.expected
    assert problem.field_path == ("nodes.start.text" if rel == CASE else "terms[2].definition")

    result = cli(project, "validate")
    assert result.returncode == 1
    assert f"{rel}:{line}:{column}: this looks like {words}" in result.output
    for form in forms(identifier):
        assert form not in result.output


def test_contacts_point_authors_at_the_allow_list(project):
    plant(project, CASE, CASE_LINE, KINDS["phone"][0])
    (problem,) = privacy_problems(project)
    assert "privacy.yml" in problem.expected and "01632 960" in problem.expected


# -- NHS numbers ---------------------------------------------------------------------------------------

def test_modulus_11_check_digit():
    assert nhs_check_digit_ok("9434765919")
    assert not nhs_check_digit_ok("9434765918")
    assert not nhs_check_digit_ok("9434765910")
    # check digit of 10 means "no valid NHS number starts with these nine digits"
    total = sum(int(d) * w for d, w in zip("123456789", range(10, 1, -1)))
    assert 11 - total % 11 == 10 and not any(nhs_check_digit_ok("123456789" + str(d)) for d in range(10))


@pytest.mark.parametrize("written", ["943 476 5919", "943-476-5919", "9434765919"])
def test_a_valid_nhs_number_is_caught_in_any_layout(project, written):
    plant(project, CASE, CASE_LINE, f"NHS no. {written}.")
    (problem,) = privacy_problems(project)
    assert "NHS number" in problem.message and "19)" in problem.message
    assert (problem.line, problem.column) == where(project, CASE, written)


def test_an_unquoted_nhs_number_is_caught_although_yaml_reads_it_as_a_number(project):
    early_help = "    definition: Support for a family as soon as a problem emerges.\n"
    project.replace(GLOSSARY, early_help, early_help + "    abbreviation: 9434765919\n")
    found = privacy_problems(project)
    assert [p.message for p in found] == ["this looks like an NHS number (xxxxxxxx19)"]
    assert (found[0].line, found[0].column) == where(project, GLOSSARY, "9434765919")


def test_a_wrong_check_digit_and_the_nhs_test_range_pass(project, cli):
    plant(project, CASE, CASE_LINE, "Numbers 943 476 5918 and 999 000 0018 and 9990000018 are not real.")
    assert cli(project, "validate").returncode == 0


# -- phone numbers ---------------------------------------------------------------------------------------

DRAMA = ["07700 900000", "07700 900999", "01632 960 000", "01632 960999", "020 7946 0000", "020 7946 0999",
         "0113 496 0123", "0114 496 0123", "0115 496 0123", "0116 496 0123", "0117 496 0123",
         "0118 496 0123", "0121 496 0123", "0131 496 0123", "0141 496 0123", "0151 496 0123",
         "0161 496 0999", "0191 498 0000", "028 9649 6123", "029 2018 0123", "0808 157 0123",
         "0909 879 0123", "+44 7700 900123", "+44 (0)20 7946 0123", "(0161) 496 0123", "0161-496-0123"]


def test_ofcom_drama_numbers_and_emergency_numbers_pass(project, cli):
    text = "; ".join(DRAMA) + ". In an emergency ring 999, else 101 or NHS 111; Childline is 0800 1111."
    project.replace(CASE, CASE_LINE + "\n", f'    text: "{text}"\n')
    result = cli(project, "validate")
    assert result.returncode == 0, result.output


@pytest.mark.parametrize("number", ["07700 901000", "01632 961000", "020 7946 1000", "0161 497 0123"])
def test_numbers_next_to_the_drama_ranges_are_caught(number):
    assert [(h.kind, h.allowed) for h in find_identifiers(f"Call {number} now")] == [("phone", False)]


@pytest.mark.parametrize("number", ["07911 123456", "07911123456", "+447911123456", "0044 7911 123456",
                                    "(01234) 567890", "01234 567890", "0300 123 4567", "+44 (0)113 320 0000"])
def test_phone_layouts(number):
    hits = find_identifiers(f"Ring {number}.")
    assert [(h.kind, h.text) for h in hits] == [("phone", number)]


# -- email addresses ---------------------------------------------------------------------------------------

def test_reserved_example_email_domains_pass(project, cli):
    text = ("Write to duty@example.com, team@example.org, a.b@example.net, head@school.example.org "
            "or x@eastborough.test.")
    plant(project, CASE, CASE_LINE, text)
    assert cli(project, "validate").returncode == 0


def test_a_lookalike_example_domain_is_caught():
    assert [h.kind for h in find_identifiers("mail jo@example.co.uk or jo@myexample.com") if not h.allowed] == [
        "email", "email"]


# -- postcodes ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX",
                                  "EC1A 1BB", "sw1a 1aa", "SW1A1AA", "m11ae"])
def test_full_postcodes_are_caught(code):
    assert [h.kind for h in find_identifiers(f"They live at {code}, by the park.")] == ["postcode"]


@pytest.mark.parametrize("text", ["Year 6 pupils (Y6 2nd half term) and KS2 4th", "MP3 players and A4 paper",
                                  "see the M1 at 3pm", "Section 47 enquiries", "COVID19 1st wave",
                                  "SW1A (a district, not a full postcode)"])
def test_ordinary_words_are_not_postcodes(text):
    assert find_identifiers(text) == []


# -- dates of birth -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, date", [
    ("Sam was born on 12/03/2019.", "12/03/2019"),
    ("Sam was born 12-03-2019 at home.", "12-03-2019"),
    ("Sam was born on 12 March 2019.", "12 March 2019"),
    ("Sam was born on the 2nd of March 2019.", "2nd of March 2019"),
    ("Sam was born in Leeds on 2019-03-12.", "2019-03-12"),
    ("Sam, DOB 12/03/2019, is in Year 1.", "12/03/2019"),
    ("Sam (D.O.B. 12.03.2019) is in Year 1.", "12.03.2019"),
    ("The date of birth given was 12 Mar 2019.", "12 Mar 2019"),
    ("Baby Kai was born on March 3, 2024.", "March 3, 2024"),
])
def test_a_childs_date_of_birth_is_caught_in_each_format(project, sentence, date):
    plant(project, CASE, CASE_LINE, sentence)
    (problem,) = privacy_problems(project)
    assert problem.message.startswith("this looks like a date of birth (")
    assert (problem.line, problem.column) == where(project, CASE, date)
    assert date not in problem.format()


@pytest.mark.parametrize("text", ["The meeting on 12/03/2019 went well.", "She was born. On 12/03/2019 we met.",
                                  "Sam was born in 2019.", "reborn 12/03/2019", "a borne 12/03/2019 cost"])
def test_other_dates_are_not_dates_of_birth(text):
    assert find_identifiers(text) == []


# -- unique pupil numbers -------------------------------------------------------------------------------------

def test_upn_check_letter():
    assert upn_check_letter("801200005001") == "B"  # DfE's published example B801200005001
    assert upn_check_letter("801200005001") != "A"
    assert upn_check_letter("80120000500A") is not None  # a temporary UPN ends in a letter
    assert upn_check_letter("80120000500I") is None  # I, O and S are never used


def test_upns_with_a_valid_check_letter_or_labelled_upn_are_caught():
    temporary = upn_check_letter("93812345678A") + "93812345678A"  # an LA code created after 2019 is fine
    assert [h.text for h in find_identifiers(f"Pupil B801200005001 and {temporary}")] == ["B801200005001", temporary]
    assert find_identifiers("Code A801200005001 is random") == []  # wrong check letter, no label
    assert [h.text for h in find_identifiers("UPN: A801200005001")] == ["A801200005001"]
    assert [h.text for h in find_identifiers("upn no. a801200005001")] == ["a801200005001"]


# -- the allow-list --------------------------------------------------------------------------------------------

def test_the_allow_list_lets_deliberate_public_contacts_through(project, cli):
    plant(project, CASE, CASE_LINE, "Call the duty desk on 0300 123 4567 or write to duty@eastborough.gov.uk.")
    assert len(privacy_problems(project)) == 2
    project.write("privacy.yml", """\
        # deliberate public contacts
        allow:
          - "+44 300 1234567"
          - DUTY@eastborough.gov.uk
        """)
    result = cli(project, "validate")
    assert result.returncode == 0, result.output


def test_the_allow_list_matches_after_normalising_spaces(project):
    plant(project, CASE, CASE_LINE, "The office is at SW1A 1AA.")
    project.write("privacy.yml", 'allow: ["sw1a1aa"]\n')
    assert privacy_problems(project) == []


def test_an_allow_list_entry_allows_only_itself(project):
    plant(project, CASE, CASE_LINE, "Call 0300 123 4567 or 0300 123 4568.")
    project.write("privacy.yml", 'allow: ["0300 123 4567"]\n')
    (problem,) = privacy_problems(project)
    assert problem.column == where(project, CASE, "0300 123 4568")[1]


def test_a_missing_or_comment_only_allow_list_is_empty(project, cli):
    assert not (project.root / "privacy.yml").exists()
    assert cli(project, "validate").returncode == 0
    project.write("privacy.yml", "# nothing allowed yet\n")
    assert cli(project, "validate").returncode == 0


@pytest.mark.parametrize("text, line, column, words", [
    ("allow: 0300 123 4567\n", 1, 8, "'allow' must be a list"),
    ("allow:\n  - [a, b]\n", 2, 5, "each entry in 'allow' must be one identifier"),
    ("alow:\n  - 0300 123 4567\n", 1, 1, "unknown field 'alow'"),
    ("allow: [\"0300 123 4567\"\n", 2, 1, "this is not valid YAML"),
    ("- 0300 123 4567\n", 1, 1, "must be a mapping with the field 'allow'"),
])
def test_a_malformed_allow_list_is_a_clear_problem(project, cli, text, line, column, words):
    project.write_raw("privacy.yml", text)
    found = all_problems(project)
    assert len(found) == 1, "\n".join(p.format() for p in found)
    assert (found[0].path, found[0].line, found[0].column) == ("privacy.yml", line, column)
    assert words in found[0].message
    assert cli(project, "validate").returncode == 1
    if "alow" in text:
        assert "did you mean 'allow'?" in found[0].expected


# -- where a hit is reported -------------------------------------------------------------------------------------

def test_hits_inside_block_and_folded_text_point_at_the_identifier(project):
    project.replace(CASE, CASE_LINE + "\n", """\
    text: |
      Sam arrives late and quiet.
      Mum says to ring her on 07911 123456, or email
      jo.bloggs@eastborough.sch.uk.
    summary_for_staff: >
      The family moved to
      SW1A
      1AA in the spring.
""")
    found = privacy_problems(project)
    assert [(p.line, p.column) for p in found] == [
        where(project, CASE, "07911 123456"), where(project, CASE, "jo.bloggs@"),
        where(project, CASE, "      SW1A")[:1] + (7,)]


def test_a_source_that_fails_validation_is_still_scanned(project):
    project.write("scenarios/broken.yml", """\
        id: broken
        title: A draft
        notes: Dad's number is 07911 123456.
        """)
    found = privacy_problems(project)
    assert [(p.path, p.line, p.column) for p in found] == [("scenarios/broken.yml", 3, 24)]


def test_the_same_identifier_twice_in_one_value_is_reported_twice(project):
    plant(project, CASE, CASE_LINE, "Ring 07911 123456 (Mum) or 07911 123456 again.")
    line = project.line_of(CASE, "07911")
    text = project.read(CASE).splitlines()[line - 1]
    first = text.index("07911") + 1
    assert [(p.line, p.column) for p in privacy_problems(project)] == [
        (line, first), (line, text.index("07911", first) + 1)]


# -- never repeating the identifier -------------------------------------------------------------------------------

def test_no_report_contains_any_full_identifier(project, cli):
    sentences = " ".join(sentence for sentence, _, _ in KINDS.values())
    project.replace(CASE, CASE_LINE + "\n", f'    text: "{sentences} UPN: A801200005001. DOB: 2 March 2019."\n')
    result = cli(project, "validate")
    assert result.returncode == 1
    assert result.output.count("this looks like") == len(KINDS) + 2
    for _, identifier, _ in KINDS.values():
        for form in forms(identifier) | {identifier.lower(), identifier.upper()}:
            assert form not in result.output
    for form in ("A801200005001", "2 March 2019", "March"):
        assert form not in result.output
    for problem in privacy_problems(project):
        assert len(re.findall(r"\d", problem.message)) <= 2, problem.message  # at most two digits shown


# -- one run reports everything -------------------------------------------------------------------------------------

def test_several_hits_in_several_files_are_all_reported_in_one_run(project):
    plant(project, CASE, CASE_LINE, "Mum's mobile is 07911 123456, NHS number 943 476 5919.")
    plant(project, GLOSSARY, TERM_LINE, "Contact jo.bloggs@eastborough.sch.uk.")
    project.replace("roles/dsl-role.yml", "  - A child discloses harm.\n",
                    "  - A child discloses harm.\n  - Sam (born 12/03/2019) lives at SW1A 1AA.\n")
    result = project.run("validate")
    assert result.returncode == 1
    expected = [(CASE, "07911 123456", "a UK phone number"), (CASE, "943 476 5919", "an NHS number"),
                (GLOSSARY, "jo.bloggs@", "an email address"),
                ("roles/dsl-role.yml", "12/03/2019", "a date of birth"),
                ("roles/dsl-role.yml", "SW1A 1AA", "a UK postcode")]
    for rel, needle, words in expected:
        line, column = where(project, rel, needle)
        assert f"{rel}:{line}:{column}: this looks like {words}" in result.stderr
    assert "5 error(s) and 0 warning(s) in 3 file(s)." in result.stderr


# -- the repository itself -------------------------------------------------------------------------------------------

def test_the_repositorys_own_sources_pass_quickly():
    library, _ = load_library(REPO)
    assert len(library.documents) > 10
    start = time.perf_counter()
    found = privacy.check(library)
    elapsed = time.perf_counter() - start
    assert [p.format() for p in found] == []
    assert elapsed < 1.0, f"the privacy lint took {elapsed:.2f}s"


def test_the_repositorys_allow_list_is_well_formed():
    allowed, problems = privacy.load_allow_list(REPO)
    assert problems == []


# -- hostile input ----------------------------------------------------------------------------------------------------

def test_a_file_full_of_identifiers_lists_the_first_ones_and_counts_the_rest(project):
    lines = "".join(f"  - Ring 07911 {100000 + i} today.\n" for i in range(privacy.MAX_REPORTED_PER_FILE + 25))
    project.write_raw("scenarios/many.yml", "id: many\nnotes:\n" + lines)
    found = [p for p in all_problems(project) if p.path == "scenarios/many.yml"]
    listed = [p for p in found if p.message.startswith("this looks like")]
    assert len(listed) == privacy.MAX_REPORTED_PER_FILE
    assert [(p.line, p.column) for p in listed[:2]] == [(3, 10), (4, 10)]
    summary = [p for p in found if "only the first" in p.message]
    assert [(p.line, p.column) for p in summary] == [(1, 1)]
    assert summary[0].message.startswith(f"{privacy.MAX_REPORTED_PER_FILE + 25} things in this file")


@pytest.mark.parametrize("text", ["01-" * 60_000, "a@" * 100_000, "x@" + "a." * 100_000, "born 1/1/2015 " * 15_000,
                                  "UPN B801200005001 " * 10_000, "0 " * 100_000, "A1A 1AA" * 30_000])
def test_pathological_text_is_scanned_in_linear_time(text):
    start = time.perf_counter()
    find_identifiers(text)
    assert time.perf_counter() - start < 5
