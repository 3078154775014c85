"""The privacy lint sees through disguises (essw/checks/privacy.py, issue 10 part 9).

Text copied from a word processor, a phone or a web page hides identifiers behind no-break, thin
and zero-width spaces, full-width and other-script digits, odd dashes and dots, and email addresses
spelt out as "[at]" and "dot". Each disguise below is caught with the right kind, is reported at
the identifier's own file, line and column, and never appears in a report, neither as written nor
as the lint reads it. Ordinary prose with "at", "dot", versions, times, money, years and page ranges
is not flagged, nor are drama numbers and NHS test numbers however they are written.

Every identifier here is made up for the test.
"""

from __future__ import annotations

import re
import time

import pytest

from essw.checks import privacy
from essw.checks.privacy import find_identifiers, mask, normalise, normalise_with_map

CASE = "scenarios/first-day.yml"
CASE_LINE = "    text: Sam arrives late and quiet."
GLOSSARY = "glossary.yml"
GLOSSARY_LINE = "    definition: A social worker based in a school."

NBSP, THIN, NNBSP = "\u00a0", "\u2009", "\u202f"  # no-break, thin and narrow no-break spaces
ZWSP, ZWNJ, ZWJ, WJ, BOM = "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"  # zero-width characters
EN, EM, NBHY, FIG = "\u2013", "\u2014", "\u2011", "\u2012"


def full_width(text: str) -> str:
    """ASCII letters, digits, '@' and '.' as their full-width forms (U+FF01..U+FF5E)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


def digits_in(text: str, zero: int) -> str:
    """The ASCII digits of a text written in another script whose zero is at ``zero``."""
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in text)


ARABIC_INDIC, EXTENDED_ARABIC_INDIC, DEVANAGARI, BENGALI, THAI = 0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50
MATHEMATICAL_BOLD = 0x1D7CE

# (kind, text around the identifier, the identifier exactly as the author wrote it). The text has
# "{}" where the identifier goes; most sit in an ordinary sentence.
SENTENCE = "Mum said {} when we spoke."
DISGUISES = [
    # -- phone numbers: 07912 345678 and friends
    ("phone", SENTENCE, "07912.345.678"),
    ("phone", SENTENCE, f"07912{NBSP}345678"),
    ("phone", SENTENCE, f"07912{THIN}345{THIN}678"),
    ("phone", SENTENCE, f"07912{NNBSP}345{NNBSP}678"),
    ("phone", SENTENCE, "0 7 9 1 2 3 4 5 6 7 8"),
    ("phone", SENTENCE, "0.7.9.1.2.3.4.5.6.7.8"),
    ("phone", SENTENCE, f"0{ZWSP}7{ZWSP}9{ZWSP}1{ZWSP}2{ZWSP}3{ZWSP}4{ZWSP}5{ZWSP}6{ZWSP}7{ZWSP}8"),
    ("phone", SENTENCE, f"07912{ZWNJ}345{ZWJ}678"),
    ("phone", SENTENCE, f"0791{WJ}2345678"),
    ("phone", SENTENCE, f"079{BOM}12 345 678"),
    ("phone", SENTENCE, full_width("07912 345678")),
    ("phone", SENTENCE, digits_in("07912 345678", ARABIC_INDIC)),
    ("phone", SENTENCE, digits_in("07912 345678", EXTENDED_ARABIC_INDIC)),
    ("phone", SENTENCE, digits_in("07912 345678", DEVANAGARI)),
    ("phone", SENTENCE, digits_in("01234 567890", BENGALI)),
    ("phone", SENTENCE, digits_in("0300 123 4567", THAI)),
    ("phone", SENTENCE, digits_in("07912 345678", MATHEMATICAL_BOLD)),
    ("phone", SENTENCE, f"07912{EN}345{EN}678"),
    ("phone", SENTENCE, f"07912 {EM} 345 {EM} 678"),
    ("phone", SENTENCE, f"07912{NBHY}345{NBHY}678"),
    ("phone", SENTENCE, f"0300{FIG}123{FIG}4567"),
    ("phone", SENTENCE, "0161.497.0123"),
    ("phone", SENTENCE, "07912  345  678"),
    ("phone", SENTENCE, f"+44{NBSP}7912{NBSP}345678"),
    ("phone", SENTENCE, full_width("+44 7912 345678")),
    ("phone", SENTENCE, full_width("(0161) 497 0123")),
    ("phone", SENTENCE, "07912\u00b7345\u00b7678"),
    ("phone", SENTENCE, f"07912\u00ad345678"),  # a soft hyphen
    # -- NHS numbers: 943 476 5919 has a valid check digit
    ("nhs", SENTENCE, "943.476.5919"),
    ("nhs", SENTENCE, f"943{NBSP}476{NBSP}5919"),
    ("nhs", SENTENCE, f"943{THIN}476{THIN}5919"),
    ("nhs", SENTENCE, "9 4 3 4 7 6 5 9 1 9"),
    ("nhs", SENTENCE, f"943{ZWSP}476{ZWSP}5919"),
    ("nhs", SENTENCE, f"9{WJ}4{WJ}34765919"),
    ("nhs", SENTENCE, full_width("943 476 5919")),
    ("nhs", SENTENCE, digits_in("943 476 5919", ARABIC_INDIC)),
    ("nhs", SENTENCE, f"943{EN}476{EN}5919"),
    ("nhs", SENTENCE, f"943{NBHY}476{NBHY}5919"),
    ("nhs", SENTENCE, "943 - 476 - 5919"),
    # -- email addresses
    ("email", SENTENCE, "jane.doe\uff20gmail.com"),
    ("email", SENTENCE, "jane.doe\ufe6bgmail.com"),
    ("email", SENTENCE, "jane.doe [at] gmail [dot] com"),
    ("email", SENTENCE, "jane.doe (at) gmail (dot) com"),
    ("email", SENTENCE, "jane.doe{at}gmail{dot}com"),
    ("email", SENTENCE, "jane.doe <at> gmail <dot> com"),
    ("email", SENTENCE, "jane.doe[@]gmail[.]com"),
    ("email", SENTENCE, "jane.doe@gmail[.]com"),
    ("email", SENTENCE, "jane.doe [ at ] gmail [ dot ] co [ dot ] uk"),
    ("email", SENTENCE, "jane.doe(at)eastborough.sch.uk"),
    ("email", SENTENCE, "jane.doe AT gmail DOT com"),
    ("email", SENTENCE, "jane dot doe at gmail dot com"),
    ("email", SENTENCE, "jane_doe at outlook dot co dot uk"),
    ("email", SENTENCE, "jane.doe at gmail.com"),
    ("email", SENTENCE, "jane.doe @ gmail.com"),
    ("email", SENTENCE, "jane.doe@gmail dot com"),
    ("email", SENTENCE, full_width("jane.doe@gmail.com")),
    ("email", SENTENCE, f"jane{ZWSP}.doe@gm{ZWSP}ail.com"),
    ("email", SENTENCE, "j\u0430ne.doe@gmail.com"),  # a Cyrillic 'а'
    # -- postcodes
    ("postcode", "The family live near {} in a flat.", f"SW1A{NBSP}1AA"),
    ("postcode", "The family live near {} in a flat.", f"SW1A{THIN}1AA"),
    ("postcode", "The family live near {} in a flat.", f"SW1A{NNBSP}1AA"),
    ("postcode", "The family live near {} in a flat.", f"SW1A{ZWSP}1AA"),
    ("postcode", "The family live near {} in a flat.", f"sw1a{BOM}1aa"),
    ("postcode", "The family live near {} in a flat.", full_width("SW1A 1AA")),
    ("postcode", "The family live near {} in a flat.", "SW1A  1AA"),
    ("postcode", "The family live near {} in a flat.", "SW1A-1AA"),
    ("postcode", "The family live near {} in a flat.", f"EC1A{EN}1BB"),
    ("postcode", "The family live near {} in a flat.", f"B33{THIN}8TH"),
    ("postcode", "The family live near {} in a flat.", "\u0405W1\u0410 1\u0410\u0410"),  # Cyrillic S and A
    # -- unique pupil numbers: B801200005001 is DfE's published example
    ("upn", "The school record shows {} for Sam.", full_width("B801200005001")),
    ("upn", "The school record shows {} for Sam.", "B" + digits_in("801200005001", ARABIC_INDIC)),
    ("upn", "The school record shows {} for Sam.", f"B801{ZWSP}200{ZWSP}005{ZWSP}001"),
    ("upn", "The school record shows {} for Sam.", "\u0412801200005001"),  # a Cyrillic 'В'
    ("upn", "The school record shows {} for Sam.", "B 801200005001"),
    ("upn", "The school record shows {} for Sam.", "B801-200-005-001"),
    ("upn", "The school record shows {} for Sam.", "B 8 0 1 2 0 0 0 0 5 0 0 1"),
    ("upn", f"UPN:{NBSP}{{}} on file.", "A801200005001"),
    # -- dates of birth
    ("dob", "Sam was born on {} in Leeds.", full_width("12/03/2015")),
    ("dob", "Sam was born on {} in Leeds.", digits_in("12/03/2015", ARABIC_INDIC)),
    ("dob", f"Sam was born{NBSP}on {{}} in Leeds.", f"12{NBSP}March{NBSP}2015"),
    ("dob", f"DOB:{ZWSP}{{}}.", "12/03/2015"),
    ("dob", "Sam was born on {} in Leeds.", f"12{ZWSP}/03/2015"),
    ("dob", "Sam was born on {} in Leeds.", "12 / 03 / 2015"),
    ("dob", "Sam was born on {} in Leeds.", f"12{EN}03{EN}2015"),
    ("dob", "Sam was born on {} in Leeds.", f"12{NBHY}03{NBHY}2015"),
    ("dob", "Sam was born {} in Leeds.", "12. 03. 2015"),
    ("dob", "Sam was born {} in Leeds.", "12 03 2015"),
    ("dob", f"Sam (D.O.B.{NBSP}{{}}) is in Year 1.", "12.03.2015"),
    ("dob", "Sam was born on {} in Leeds.", "2015/03/12"),
    ("dob", f"The date{NBSP}of{NBSP}birth is {{}}.", f"12th{THIN}March 2015"),
    ("dob", "Sam was born on {} in Leeds.", full_width("12") + " March " + full_width("2015")),
]

WORDS = {"phone": "a UK phone number", "nhs": "an NHS number", "email": "an email address",
         "postcode": "a UK postcode", "upn": "a unique pupil number (UPN)", "dob": "a date of birth"}

INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


def case_id(case):
    kind, _, written = case
    return f"{kind}-{written.encode('unicode_escape').decode('ascii')}"


def forms(written: str, normal: str) -> set[str]:
    """What a report must never contain: the identifier as written and as read, with and without
    spaces and invisible characters, its digits, and for an address its name and domain."""
    out = {written, normal, INVISIBLE.sub("", written), re.sub(r"\s+", "", normal)}
    digits = re.sub(r"\D", "", normal)
    if len(digits) >= 6:
        out.add(digits)
    if "@" in normal:
        name, domain = normal.split("@")
        out |= {name, domain, domain.split(".")[0]}
    return out


def test_there_are_at_least_forty_distinct_disguises_of_every_kind():
    written = [w for _, _, w in DISGUISES]
    assert len(set(written)) == len(written) >= 40
    assert {kind for kind, _, _ in DISGUISES} == set(WORDS)


@pytest.mark.parametrize("case", DISGUISES, ids=case_id)
def test_each_disguise_is_caught_with_its_kind_and_exact_span(case):
    kind, template, written = case
    text = template.format(written)
    hits = [h for h in find_identifiers(text) if not h.allowed]
    assert [h.kind for h in hits] == [kind], (normalise(text), hits)
    (hit,) = hits
    # the hit is the author's own characters, at their own place in the text
    assert text[hit.start:hit.end] == hit.text
    assert INVISIBLE.sub("", hit.text) == INVISIBLE.sub("", written)
    assert hit.start == text.index(written) + len(written) - len(written.lstrip("\ufeff\u200b"))
    # and it was read as a plain identifier
    assert hit.normal.isascii() and hit.normal != ""
    masked = mask(hit.text)
    for form in forms(written, hit.normal):
        assert form not in masked


# -- reported through the real command, at the identifier's own place ------------------------------------

def where(project, rel, needle):
    line = project.line_of(rel, needle)
    return line, project.read(rel).splitlines()[line - 1].index(needle) + 1


CLI_CASES = [  # one of each kind, planted in a case study or a glossary term
    ("phone", CASE, CASE_LINE, "Mum's mobile is {} if needed.", full_width("07912 345678")),
    ("phone", GLOSSARY, GLOSSARY_LINE, "Ring {} for the office.", "0 7 9 1 2 3 4 5 6 7 8"),
    ("nhs", CASE, CASE_LINE, "Her NHS number is {} on the referral.", "943.476.5919"),
    ("email", GLOSSARY, GLOSSARY_LINE, "Mum wrote from {} last week.", "jane.doe [at] gmail [dot] com"),
    ("email", CASE, CASE_LINE, "Dad wrote from {} last week.", "jane.doe\uff20gmail.com"),
    ("postcode", CASE, CASE_LINE, "The family live near {} in a flat.", f"SW1A{NBSP}1AA"),
    ("upn", GLOSSARY, GLOSSARY_LINE, "The school record shows {} for Sam.",
     "B" + digits_in("801200005001", ARABIC_INDIC)),
    ("dob", CASE, CASE_LINE, "Sam was born on {} in Leeds.", f"12{EN}03{EN}2015"),
    ("phone", CASE, CASE_LINE, "Mum's mobile is {} if needed.", f"07912{ZWSP}345{ZWSP}678"),
]


@pytest.mark.parametrize("kind, rel, old_line, template, written", CLI_CASES,
                         ids=[case_id((k, t, w)) for k, _, _, t, w in CLI_CASES])
def test_a_disguise_in_a_source_is_reported_at_its_own_place_and_masked(project, cli, kind, rel, old_line,
                                                                        template, written):
    project.replace(rel, old_line + "\n", f"{old_line} {template.format(written)}\n")
    (hit,) = [h for h in find_identifiers(template.format(written)) if not h.allowed]
    line, column = where(project, rel, written)

    result = cli(project, "validate")
    assert result.returncode == 1
    reported = [row for row in result.output.splitlines() if "this looks like" in row]
    assert len(reported) == 1, result.output
    assert reported[0].startswith(f"{rel}:{line}:{column}: this looks like {WORDS[kind]} (")
    for form in forms(written, hit.normal):
        assert form not in result.output
    assert not INVISIBLE.search(result.output)  # the masked excerpt has no invisible characters
    excerpt = reported[0].split(f"{WORDS[kind]} (", 1)[1].split(")", 1)[0]
    assert sum(c.isalnum() and c != "x" for c in excerpt) <= 2, excerpt  # at most two characters shown


def test_every_kind_in_disguise_in_one_file_is_reported_in_one_run(project):
    sentences = [template.format(written) for _, rel, _, template, written in CLI_CASES if rel == CASE]
    project.replace(CASE, CASE_LINE + "\n", f"{CASE_LINE} {' '.join(sentences)}\n")
    result = project.run("validate")
    assert result.returncode == 1
    line = project.line_of(CASE, "Sam arrives")
    text = project.read(CASE).splitlines()[line - 1]
    for kind, rel, _, _, written in CLI_CASES:
        if rel == CASE:
            assert f"{CASE}:{line}:{text.index(written) + 1}: this looks like {WORDS[kind]}" in result.stderr
    assert f"{sum(rel == CASE for _, rel, _, _, _ in CLI_CASES)} error(s)" in result.stderr


@pytest.mark.parametrize("escaped, written_start", [
    ("Ring 07912\\u00a0345\\u00a0678 now.", "07912"),  # no-break spaces written as escapes
    ("Ring 07912\\_345\\_678 now.", "07912"),  # YAML's own escape for a no-break space
    ("Ring \\uFF10\\uFF17\\uFF19\\uFF11\\uFF12 345678 now.", "\\uFF10"),  # full-width digits, escaped
    ("Ring 0\\u200b7912 345678 now.", "0\\u200b"),  # a zero-width space, escaped
    ("Post to jane.doe\\uff20gmail.com soon.", "jane.doe"),
])
def test_a_disguise_written_with_yaml_escapes_is_placed_exactly(project, escaped, written_start):
    project.replace(CASE, CASE_LINE + "\n", f'    text: "Sam arrives. {escaped}"\n')
    _, report = project.library()
    found = [p for p in report.sorted() if p.message.startswith("this looks like")]
    assert len(found) == 1, [p.format() for p in report.sorted()]
    assert (found[0].line, found[0].column) == where(project, CASE, written_start)


def test_a_spelt_out_address_folded_over_two_lines_points_at_its_start(project):
    project.replace(CASE, CASE_LINE + "\n", """\
    text: >
      Sam arrives late and quiet. Mum says to write to jane dot doe at
      gmail dot com, or to ring
      0\u200b7\u200b9\u200b1\u200b2 3\u200b4\u200b5\u200b6\u200b7\u200b8 after school.
""")
    _, report = project.library()
    found = [p for p in report.sorted() if p.message.startswith("this looks like")]
    assert [(p.message.split(" (")[0], p.line, p.column) for p in found] == [
        ("this looks like an email address",) + where(project, CASE, "jane dot doe"),
        ("this looks like a UK phone number",) + where(project, CASE, "0\u200b7\u200b9"),
    ]


# -- what is not an identifier ------------------------------------------------------------------------------

NOT_IDENTIFIERS = [
    "Meet at 10.30 in room 2, or at 9.45 if the bus is early.",
    "It costs £1,234.56, or £12,345.67 for the whole year.",
    "Version 1.2.3 of the app, build 10.0.19041.1234.",
    "Pages 12-15 and 123–145; the years 2019–2020 and 1999-2004.",
    "The 2019/20 and 2020/21 school years, and 2021\u20112022.",
    "Look at the dot com boom.",
    "Find out more at gov.uk, e.g. at nhs.uk, or at bbc.co.uk.",
    "v2.0 at github.com has the notes.",
    "Put a sticky dot on the times of day that are hardest at home.",
    "She is good at maths. Dot the i and cross the t.",
    "where it\u2019s at \u2013 dot, dot, dot",
    "at home (dot) nothing to do",
    "Meet @ 10.30 by the gate.",
    "Follow @eastborough for news.",
    "Section 5.2.5 and table 3.1.2.4 of the report.",
    "Rated 4.5 at 3.30pm by 12 parents.",
    "Timetable: 01.30 02.30 03.30 04.30.",
    "Scores of 1 2 3 4 5 6 out of 10.",
    "Count 1 2 3 4 5 6 7 8 9.",
    "Ring 999, 101 or 111; Childline is 0800 1111.",
    "Sam was born in 2015 and is nine.",
    "Sam was born. On 12 03 2015 we met.",
    "The meeting on 12\u00a003\u00a02015 went well.",
    "Year 6 (Y6 2nd half term) and KS2\u00a04th.",
    "A4 paper at £3.50 each, MP3 players.",
    "ISBN 978-0-19-852663-6.",
    f"Room B1.2, 10{NBSP}am {EN} 3{NBSP}pm.",
    "Write to team [at] example [dot] org or duty (at) school.example.",
    "Mail a.b@example.net or x (at) eastborough [dot] test.",
]


@pytest.mark.parametrize("text", NOT_IDENTIFIERS)
def test_ordinary_prose_is_not_flagged(text):
    assert [h for h in find_identifiers(text) if not h.allowed] == []


SAFE_BY_DESIGN = [  # drama numbers and NHS test numbers, however they are written
    "07700.900.123", "07700 900 123", f"01632{NBSP}960{NBSP}123", full_width("020 7946 0123"),
    digits_in("0161 496 0123", ARABIC_INDIC), "0 7 7 0 0 9 0 0 1 2 3", f"0113{EN}496{EN}0123",
    f"+44{NBSP}7700{NBSP}900123", "999.000.0018", full_width("999 000 0018"), "9 9 9 0 0 0 0 0 1 8",
    f"999{ZWSP}000{ZWSP}0018", f"999{EN}000{EN}0018",
]


@pytest.mark.parametrize("written", SAFE_BY_DESIGN)
def test_drama_and_nhs_test_numbers_in_disguise_are_allowed(written):
    hits = find_identifiers(f"Ring {written} now.")
    assert len(hits) == 1 and hits[0].allowed and hits[0].kind in ("phone", "nhs")


def test_safe_numbers_in_disguise_pass_validation(project, cli):
    text = "; ".join(SAFE_BY_DESIGN + NOT_IDENTIFIERS[:6])
    project.replace(CASE, CASE_LINE + "\n", f'    text: "{text}"\n')
    result = cli(project, "validate")
    assert result.returncode == 0, result.output


# -- the allow-list after normalisation ---------------------------------------------------------------------

def test_a_disguise_of_an_allowed_contact_is_allowed(project, cli):
    project.replace(CASE, CASE_LINE + "\n", f"{CASE_LINE} Call {full_width('0300 123 4567')} or 0300.123.4567, "
                                            f"write to duty [at] eastborough [dot] gov [dot] uk, "
                                            f"visit EB1{NBSP}1AA or EB1-1AA.\n")
    assert cli(project, "validate").returncode == 1
    project.write("privacy.yml", 'allow: ["0300 123 4567", "duty@eastborough.gov.uk", "EB1 1AA"]\n')
    result = cli(project, "validate")
    assert result.returncode == 0, result.output


def test_an_allow_list_entry_written_in_disguise_allows_the_plain_form(project, cli):
    project.replace(CASE, CASE_LINE + "\n", f"{CASE_LINE} Call 0300 123 4567 or write to duty@eastborough.gov.uk.\n")
    entries = [full_width("0300 123 4567"), "duty (at) eastborough (dot) gov (dot) uk"]
    project.write("privacy.yml", "allow: [" + ", ".join(f'"{entry}"' for entry in entries) + "]\n")
    result = cli(project, "validate")
    assert result.returncode == 0, result.output


def test_the_allow_list_still_allows_only_itself_in_disguise(project):
    project.replace(CASE, CASE_LINE + "\n", f"{CASE_LINE} Call 0300.123.4567 or 0300.123.4568.\n")
    project.write("privacy.yml", 'allow: ["0300 123 4567"]\n')
    _, report = project.library()
    found = [p for p in report.sorted() if p.message.startswith("this looks like")]
    assert [(p.line, p.column) for p in found] == [where(project, CASE, "0300.123.4568")]


# -- the map back to the author's text -------------------------------------------------------------------------

def test_normalise_reads_through_each_kind_of_disguise():
    assert normalise(full_width("07912 345678")) == "07912 345678"
    assert normalise(f"0{ZWSP}7{ZWJ}9") == "079"
    assert normalise(f"a{NBSP}b{THIN}c{NNBSP}d") == "a b c d"
    assert normalise(f"1{EN}2{EM}3{NBHY}4\u22125") == "1-2-3-4-5"
    assert normalise(digits_in("0123456789", DEVANAGARI)) == "0123456789"
    assert normalise("jo [at] school [dot] uk") == "jo@school.uk"
    assert normalise("0 7 9 1 2 3 4 5 6 7 8") == "07912345678"
    assert normalise("Sam is at school. Pages 1 2 3.") == "Sam is at school. Pages 1 2 3."


def test_every_position_of_the_normalised_text_maps_back_into_the_original():
    text = f"x \ufb01 {full_width('07')}{ZWSP}9 jo [at] a [dot] uk 1 2 3 4 5 6 \u2474 end"
    normal, maps = normalise_with_map(text)
    assert normal == "x fi 079 jo@a.uk 123456 (1) end"
    previous = 0
    for pos in range(len(normal)):
        start, end = pos, pos + 1
        for edits in maps:
            start, end = edits.start(start), edits.end(end - 1)
        assert previous <= start < end <= len(text)
        previous = start
        if normal[pos] in "x079e" and text[start:end].isascii():
            assert text[start:end] == normal[pos]
    assert [(h.kind, h.text, h.normal) for h in find_identifiers(text)] == [
        ("email", "jo [at] a [dot] uk", "jo@a.uk")]


# -- hostile input -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "a [at] " * 50_000, "x dot " * 100_000, "z at a dot " * 30_000, f"0{ZWSP}" * 100_000,
    full_width("0 ") * 100_000, "1.2." * 100_000, "@ " * 100_000, "a.b at c.d " * 20_000,
    "jo (at) x " * 30_000, NBSP * 200_000, "1 2 3 4 5 6 x " * 20_000, f"A1A{NBSP}1AA" * 30_000,
    "9 4 3 4 7 6 5 9 1 9 " * 20_000, "jo [at] " + "a [dot] " * 50_000, " " * 200_000 + "[at]",
], ids=lambda t: repr(t[:12]))
def test_pathological_disguises_are_scanned_in_linear_time(text):
    start = time.perf_counter()
    find_identifiers(text)
    assert time.perf_counter() - start < 5


def test_the_lint_is_not_slower_per_character_on_a_larger_disguised_text():
    unit = f"Ring {full_width('07912 345678')} or jane dot doe at gmail dot com; SW1A{NBSP}1AA. "
    timings = []
    for n in (500, 2000):
        best = float("inf")
        for _ in range(3):  # the best of three, as the machine may be busy
            start = time.perf_counter()
            hits = find_identifiers(unit * n)
            best = min(best, time.perf_counter() - start)
        assert len(hits) == 3 * n
        timings.append(best / n)
    assert timings[1] < timings[0] * 3  # linear: four times the text takes about four times as long


def test_ordinary_text_with_curly_quotes_dashes_and_accents_is_left_alone():
    # the repository's own content is checked (and timed) in tests/test_privacy.py
    for text in ("Sam\u2019s mum \u2013 who works at the school \u2013 came in at 9.30.", "Café at 3pm"):
        assert privacy.find_identifiers(text) == []
