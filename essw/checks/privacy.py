"""Privacy lint: no source may hold a real person's identifiers.

Case studies must be composites, and nothing else on the site should name a real family either.
Every text value in every loaded source (valid or not) is scanned for NHS numbers, unique pupil
numbers, UK phone numbers, email addresses, UK postcodes and dates of birth. Each hit is an error
at the file, line and column of the identifier itself, with the identifier masked so the report
never repeats it in full.

Made-up values that are safe by design pass: NHS test numbers (999 000 0000 to 999 999 9999),
Ofcom's drama phone ranges, and addresses at reserved example domains. Deliberate public contacts
go in ``privacy.yml`` at the project root::

    allow:
      - "0300 000 0000"

Entries are matched after normalising spaces (phone numbers also after normalising +44, brackets
and hyphens). A missing file is an empty list; a malformed one is itself reported.

Text copied from a word processor, a phone or a web page is read through its disguises first (see
``normalise``): Unicode NFKC forms (full-width digits and letters, the full-width '@'), every Unicode
decimal digit as its ASCII digit, no-break, thin and zero-width spaces, dashes of every kind, dots,
spaces and dashes between digit groups, digits spaced out one by one, and email addresses spelt out
as ``jo [at] school [dot] uk`` or ``jo dot bloggs at school dot uk``. A map from each character of
the normalised text back to the author's text keeps every report at the identifier's own line and
column, and the masked excerpt is made from the author's own characters.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, NamedTuple, Sequence

import yaml

from ..load import Document, LoadError, load_text, read_source
from ..problems import Problem, did_you_mean, format_field_path, join_hint
from .walk import leaves

try:  # the same event parser essw.load uses
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

if TYPE_CHECKING:
    from ..library import Library

ALLOW_FILE = "privacy.yml"

MAX_REPORTED_PER_FILE = 50
"""After this many hits in one file the rest are counted in one last problem, not listed."""

# -- the identifiers ----------------------------------------------------------------------------------

NHS, UPN, PHONE, EMAIL, POSTCODE, DOB = "nhs", "upn", "phone", "email", "postcode", "dob"

_WHAT = {
    NHS: "an NHS number",
    UPN: "a unique pupil number (UPN)",
    PHONE: "a UK phone number",
    EMAIL: "an email address",
    POSTCODE: "a UK postcode",
    DOB: "a date of birth",
}

_COMPOSITE = "sources must not describe real people (case studies must be composites)"
_ALLOW = f"or if it is a deliberate public contact add it to {ALLOW_FILE}"
_EXPECTED = {
    NHS: f"{_COMPOSITE}: remove it, or use an NHS test number (999 000 0000 to 999 999 9999)",
    UPN: f"{_COMPOSITE}: remove it; a story never needs a pupil's number",
    PHONE: f"{_COMPOSITE}: remove it, use an Ofcom drama number such as 01632 960 123, {_ALLOW}",
    EMAIL: f"{_COMPOSITE}: remove it, use an address at example.org, {_ALLOW}",
    POSTCODE: f"{_COMPOSITE}: remove it or name only the town, {_ALLOW}",
    DOB: f"{_COMPOSITE}: remove it, or give the child's age or school year instead",
}

# When two candidates overlap the longer wins; on equal length, the earlier kind here.
_PRIORITY = {EMAIL: 0, UPN: 1, NHS: 2, PHONE: 3, POSTCODE: 4, DOB: 5}

# Speed: each pattern starts with a character class, so the regex engine skips quickly to where a
# match could begin; the "not in the middle of a longer word" test comes just after that character.

# Between two digit groups (in normalised text, where every dash is '-' and every space ' '): one or
# two spaces, or a dot or hyphen with perhaps a space either side ("943.476.5919", "07912 - 345678").
_SEP = r"(?:[ ]?[.\-][ ]?|[ ]{1,2})"
_DIGIT_SEP_RE = re.compile(r"(?<=\d)[ .\-]+(?=\d)")

# NHS number: 10 digits, plain or 3-3-4 with spaces, hyphens or dots (two dots, if dots).
_NHS_RE = re.compile(rf"[0-9](?<![\w.,/].)\d{{2}}(?P<s1>{_SEP})?\d{{3}}(?P<s2>{_SEP})?\d{{4}}(?!\w|[.,/-]\d)")

# UPN: check letter (A-Z without I, O, S), LA code (3), establishment (4), year (2), serial (3);
# a temporary UPN ends in a letter instead of the last serial digit.
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
# The 12 characters after the letter may be split by one kind of separator into groups of three or
# more digits ("B801-200-005-001"; see _upn_groups_ok), and a separator may follow the letter.
_UPN_BODY = rf"{_SEP}?\d(?:{_SEP}?\d){{10}}(?:{_SEP}?\d|[A-HJ-NP-RT-Z])"
_UPN_RE = re.compile(rf"[A-HJ-NP-RT-Z](?<![A-Za-z0-9].){_UPN_BODY}(?![A-Za-z0-9])")
_UPN_LABELLED_RE = re.compile(
    r"\bUPN\b[^\w\n]{0,3}(?:(?:number|no)\b\.?[^\w\n]{0,3})?"
    rf"(?P<upn>[A-Z]{_SEP}?\d(?:{_SEP}?\d){{10}}(?:{_SEP}?\d|[A-Z]))(?![A-Za-z0-9])",
    re.IGNORECASE)

# UK phone number: national (0...) or international (+44 / 0044, perhaps with "(0)"), the area code
# perhaps in brackets, digits separated by spaces, hyphens or dots (_SEP). Lengths are checked
# afterwards, and dots only count if they are the only separator after the first group.
_INTERNATIONAL = rf"{_SEP}?44{_SEP}?(?:\(0\){_SEP}?)?\(?[1-9]\d{{0,3}}\)?"
_PHONE_RE = re.compile(
    r"[+0(](?<![\w+].)"
    rf"(?:(?<=\+){_INTERNATIONAL}|(?<=0)0{_INTERNATIONAL}|(?<=\()0\d{{1,4}}\)?|(?<=0)\d{{1,4}}\)?)"
    rf"(?:{_SEP}?\d){{4,10}}(?!\w)")

# Ofcom's numbers for drama: 11-digit national numbers starting with these 8 digits (1,000 each).
_DRAMA_PREFIXES = frozenset({
    "07700900", "01632960", "02079460", "01134960", "01144960", "01154960", "01164960",
    "01174960", "01184960", "01214960", "01314960", "01414960", "01514960", "01614960",
    "01914980", "02896496", "02920180", "08081570", "09098790",
})

# Email address: found by its '@', then the name before it and the domain after it, each bounded,
# so text full of '@' or dots still takes linear time.
_EMAIL_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_EMAIL_LOCAL_MAX = 64
_EMAIL_DOMAIN_RE = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])")
_EMAIL_DOMAIN_MAX = 255
_EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")
_RESERVED_TLDS = ("example", "test", "invalid", "localhost")

# Full UK postcode: the standard outward-code shapes (A9, A99, AA9, AA99, A9A, AA9A), then the inward
# code: a digit and two letters (never C, I, K, M, O or V), with or without a space (or two, or a
# hyphen). Found by the inward code (digits are rare in prose), then the outward code is checked
# just before it.
_INWARD_RE = re.compile(r"[0-9][ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}(?![A-Za-z0-9])")
_OUTWARD_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR|[A-PR-UWYZ](?:[0-9][0-9]?|[A-HK-Y][0-9][0-9]?|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY]))(?:[ ]{0,2}|[ ]?-[ ]?)\Z",
    re.IGNORECASE)
_ORDINAL_RE = re.compile(r"[0-9](?:st|nd|rd|th)")  # "Y6 2nd" is not a postcode
_OUTWARD_REACH = 8  # the longest outward code and separator before an inward code ("SW1A - ")

# Date of birth: a full date within a few words after "born", "DOB", "D.O.B" or "date of birth".
_DOB_TRIGGER_RE = re.compile(r"\b(?:born\b|d\.?o\.?b\b\.?|date\s+of\s+birth\b)", re.IGNORECASE)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE_RE = re.compile(
    r"(?<![\w/-])(?:"
    r"(?P<a>\d{1,2})(?P<sep>[ ]?[/.-][ ]?|[ ])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"  # 12/03/2015, 12 - 03 - 15
    r"|\d{4}(?P<isep>[ ]?[/.-][ ]?)(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})"  # 2015-03-12, 2015/03/12
    rf"|(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{4}}"  # 12 March 2015
    rf"|{_MONTH}\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+\d{{4}}"  # March 12, 2015
    r")(?![\w/]|-\d)",
    re.IGNORECASE)
_DOB_WINDOW = 80  # characters between the trigger word and the date
_DOB_MAX_WORDS = 5  # words allowed between the trigger and the date ("born in Leeds on")
_WORD_RE = re.compile(r"[^\W_]+")
_SENTENCE_END_RE = re.compile(r"[.!?;]\s|\n\s*\n")

_NON_DIGITS = re.compile(r"\D")
_SPACES = re.compile(r"\s+")
_NUMBER_ONLY = re.compile(r"[\d\s()+.-]+")


def _maybe_plain(text: str) -> bool:
    """In normalised text every identifier has a digit or an '@' (plain 'in' is fastest)."""
    return ("0" in text or "1" in text or "2" in text or "3" in text or "4" in text or "5" in text
            or "6" in text or "7" in text or "8" in text or "9" in text or "@" in text)


def _maybe(text: str) -> bool:
    """Whether a text could hold an identifier, perhaps disguised: other text is skipped at once."""
    return _maybe_plain(text) or not text.isascii() or _spelt_hints(text)[0]


def _unseparated(text: str) -> str:
    return _SEPARATORS_RE.sub("", text)


class Hit(NamedTuple):
    """One identifier found in a piece of text: its kind and where it is (start, end offsets).

    ``text`` is what the author wrote; ``normal`` is the same identifier as it was recognised, with
    its disguises undone ('07912.345.678' for '０７９１２．３４５．６７８'); the allow-list compares
    that."""

    kind: str
    start: int
    end: int
    text: str
    allowed: bool = False  # safe by design (a test or drama number); still claims its span
    normal: str = ""


def nhs_check_digit_ok(digits: str) -> bool:
    """Modulus 11 with weights 10..2 over the first nine digits; 11 means 0, 10 means invalid."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def upn_check_letter(body: str) -> str | None:
    """The check letter for the 12 characters after it (modulus 23, weights 2..13), or None."""
    if len(body) != 12 or not body[:11].isdigit():
        return None
    values = [int(c) for c in body[:11]]
    last = body[11]
    if last.isdigit():
        values.append(int(last))
    elif last in _UPN_LETTERS:  # a temporary UPN's final letter counts as its place in the alphabet
        values.append(_UPN_LETTERS.index(last))
    else:
        return None
    return _UPN_LETTERS[sum(v * w for v, w in zip(values, range(2, 14))) % 23]


def phone_key(text: str) -> str:
    """A phone number as national digits: '+44 (0)20 7946 0000' -> '02079460000'."""
    international = text.lstrip().startswith("+") or _NON_DIGITS.sub("", text).startswith("0044")
    digits = _NON_DIGITS.sub("", text.replace("(0)", "") if international else text)
    if international:
        digits = digits[4:] if digits.startswith("0044") else digits[2:] if digits.startswith("44") else digits
        return "0" + digits
    return digits


def _is_uk_phone(national: str) -> bool:
    if not national.isdigit() or not national.startswith("0"):
        return False
    if national.startswith("01"):
        return len(national) in (10, 11)
    return national[:2] in ("02", "03", "07") and len(national) == 11


def _is_drama(national: str) -> bool:
    return len(national) == 11 and national[:8] in _DRAMA_PREFIXES


def _dots_alone(separators: Sequence[str]) -> bool:
    """Dots between digit groups only count if every separator is the same: '07912.345.678' is a
    phone number, '01.30 02.30 03.30' is a timetable."""
    return not any("." in sep for sep in separators) or len(set(separators)) == 1


def _upn_groups_ok(body: str) -> bool:
    """The 12 characters after a UPN's letter, perhaps with separators: one kind of separator, and
    groups of at least three digits but the last ('801 200 005 001', never 'Y6 2019 2020 12 3')."""
    body = body.lstrip(" .-")
    separators = _DIGIT_SEP_RE.findall(body)
    if not separators:
        return True
    groups = _DIGIT_SEP_RE.split(body)
    return len(set(separators)) == 1 and all(len(group) >= 3 for group in groups[:-1])


def _phone_hits(text: str) -> Iterator[Hit]:
    for match in _PHONE_RE.finditer(text):
        span = match.group()
        # The pattern takes every digit group it can; if that is too many (another number follows),
        # give back whole groups from the end until the rest is a phone number.
        while True:
            national = phone_key(span)
            if _is_uk_phone(national) and _dots_alone(_DIGIT_SEP_RE.findall(span)[1:]):
                yield Hit(PHONE, match.start(), match.start() + len(span), span, allowed=_is_drama(national))
                break
            cut = max(span.rfind(" "), span.rfind("-"), span.rfind("."))
            if cut <= 0 or len(_NON_DIGITS.sub("", span)) < 10:
                break
            span = span[:cut].rstrip(" -.")


def _email_allowed(address: str) -> bool:
    domain = address.rsplit("@", 1)[1].lower()
    return (domain in _EXAMPLE_DOMAINS or domain.endswith(tuple("." + d for d in _EXAMPLE_DOMAINS))
            or domain.rsplit(".", 1)[-1] in _RESERVED_TLDS)


def _plausible_date(match: re.Match[str]) -> bool:
    if match.group("a"):
        if match.group("sep") == " " and len(match.group("y")) != 4:  # "born 12 03 2015", not "1 2 15"
            return False
        a, b = int(match.group("a")), int(match.group("b"))
        return (1 <= a <= 31 and 1 <= b <= 12) or (1 <= b <= 31 and 1 <= a <= 12)  # UK or US order
    if match.group("im"):
        return 1 <= int(match.group("im")) <= 12 and 1 <= int(match.group("id")) <= 31
    day = match.group("dd") or match.group("md")
    return 1 <= int(day) <= 31


def _postcode_hits(text: str) -> Iterator[Hit]:
    for inward in _INWARD_RE.finditer(text):
        if _ORDINAL_RE.fullmatch(inward.group()):
            continue
        outward = _OUTWARD_RE.search(text, max(0, inward.start() - _OUTWARD_REACH), inward.start())
        if outward is None:
            continue
        if outward.group().upper().startswith("GIR") and inward.group().upper() != "0AA":
            continue
        yield Hit(POSTCODE, outward.start(), inward.end(), text[outward.start():inward.end()])


def _dob_hits(text: str) -> Iterator[Hit]:
    """Dates with a trigger word shortly before them and no other date in between.

    Dates and trigger words are each found once, then paired, so the time stays linear however
    many of either a text holds."""
    trigger_ends = [m.end() for m in _DOB_TRIGGER_RE.finditer(text)]
    if not trigger_ends:
        return
    previous_date_end = -1
    for date in _DATE_RE.finditer(text):
        if not _plausible_date(date):
            continue
        nearest = bisect.bisect_right(trigger_ends, date.start()) - 1
        if nearest >= 0:
            trigger_end = trigger_ends[nearest]
            gap = text[trigger_end:date.start()]
            if (trigger_end >= previous_date_end and len(gap) <= _DOB_WINDOW
                    and len(_WORD_RE.findall(gap)) <= _DOB_MAX_WORDS and not _SENTENCE_END_RE.search(gap)):
                yield Hit(DOB, date.start(), date.end(), date.group())
        previous_date_end = date.end()


def _email_hits(text: str) -> Iterator[Hit]:
    at = text.find("@")
    while at != -1:
        start, limit = at, max(0, at - _EMAIL_LOCAL_MAX - 1)
        while start > limit and text[start - 1] in _EMAIL_LOCAL_CHARS:
            start -= 1
        too_long = at - start > _EMAIL_LOCAL_MAX
        while start < at and not text[start].isalnum():  # '.jo@...' starts at 'jo'
            start += 1
        domain = _EMAIL_DOMAIN_RE.match(text[at + 1:at + 1 + _EMAIL_DOMAIN_MAX])
        if start < at and not too_long and domain:
            end = at + 1 + domain.end()
            address = text[start:end]
            yield Hit(EMAIL, start, end, address, allowed=_email_allowed(address))
        at = text.find("@", at + 1)


# -- seeing through disguises -------------------------------------------------------------------------

class _Edits:
    """Where each character of a rewritten text came from.

    Only the pieces that changed length are kept, in order, as (new start, new length, old start,
    old length); every other character was copied one for one, so a position is found with one
    bisection however long the text."""

    __slots__ = ("pieces", "starts")

    def __init__(self, pieces: list[tuple[int, int, int, int]]):
        self.pieces = pieces
        self.starts = [piece[0] for piece in pieces]

    def start(self, pos: int) -> int:
        """Where character ``pos`` of the new text starts in the old one."""
        index = bisect.bisect_right(self.starts, pos) - 1
        if index < 0:
            return pos
        new, new_len, old, old_len = self.pieces[index]
        if pos < new + new_len:
            return old
        return pos - new - new_len + old + old_len

    def end(self, pos: int) -> int:
        """Where character ``pos`` of the new text ends in the old one (exclusive)."""
        index = bisect.bisect_right(self.starts, pos) - 1
        if index >= 0:
            new, new_len, old, old_len = self.pieces[index]
            if pos < new + new_len:
                return old + old_len
        return self.start(pos) + 1


def _rewrite(text: str, changes: list[tuple[int, int, str]]) -> tuple[str, _Edits | None]:
    """Apply (start, end, replacement) changes, in order and not overlapping, and say where each
    character of the result came from (None when every change kept its length)."""
    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    last = length = 0
    for start, end, new in changes:
        out.append(text[last:start])
        length += start - last
        if len(new) != end - start:
            pieces.append((length, len(new), start, end - start))
        out.append(new)
        length += len(new)
        last = end
    out.append(text[last:])
    return "".join(out), (_Edits(pieces) if pieces else None)


# Characters that look like Latin letters in an English text (Cyrillic and Greek capitals and a
# few small letters): 'В801200005001' and 'ЅW1А 1АА' are read as Latin. NFKC leaves these alone.
_LOOKALIKES = dict(zip(
    "АВЕКМНОРСТХУЅІЈҮаеорсухѕіјһԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧο",
    "ABEKMHOPCTXYSIJYaeopcyxsijhdqwABEZHIKMNOPTYXo"))
# Dots of other shapes: middle dots and bullets between digit groups, ideographic full stops.
_DOT_LIKE = frozenset("\u00b7\u2022\u2027\u2219\u22c5\u30fb\uff65\u3002\uff61\ufe52")


@functools.lru_cache(maxsize=4096)
def _char_form(char: str) -> str:
    """One non-ASCII character as the lint reads it (perhaps several characters, perhaps none)."""
    category = unicodedata.category(char)
    if category == "Nd":  # any script's decimal digit: Arabic-Indic, Devanagari, full-width, ...
        return str(unicodedata.decimal(char))
    if category in ("Cf", "Mn", "Me"):  # zero-width spaces, joiners, soft hyphens, marks, keycaps
        return ""
    if category == "Zs":  # no-break, thin, narrow no-break, figure and ideographic spaces
        return " "
    if category in ("Zl", "Zp") or char == "\x85":
        return "\n"
    if category == "Pd" or char in "\u2212\u2043\ufe63\uff0d":  # dashes, non-breaking hyphen, minus
        return "-"
    if char in _DOT_LIKE:
        return "."
    form = unicodedata.normalize("NFKC", char)
    if form != char:  # full-width forms, '＠', ligatures, circled and superscript digits
        return "".join(c if c.isascii() else _char_form(c) for c in form)
    return _LOOKALIKES.get(char, char)


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


def _char_changes(text: str) -> list[tuple[int, int, str]]:
    changes = []
    for match in _NON_ASCII_RE.finditer(text):
        char = match.group()
        form = _char_form(char)
        if form != char:
            changes.append((match.start(), match.end(), form))
    return changes


# Digits spaced out one by one ("0 7 9 1 2 3 4 5 6 7 8", "9.4.3.4.7.6.5.9.1.9"): six or more single
# digits, each separator removed, so the number reads as one. Short runs (a list 1 2 3) stay, and
# only a text with ten digits or more is looked at (the shortest identifier with a spaced-out form).
_SPACED_DIGITS_RE = re.compile(rf"\d(?<![\w.,/-].)(?:{_SEP}\d(?!\w)){{5,}}")
_SEPARATORS_RE = re.compile(r"[ .\-]+")

# Email addresses spelt out. An "at" is '[at]', '(at)', '{at}', '<at>' (or the same around '@'), an
# '@' with spaces round it, or the word "at"; a "dot" is '[dot]', '(dot)', '[.]' and so on, or the
# word "dot". The domain is read forwards and the name backwards from each "at", a bounded way,
# so the time stays linear however many there are; see _spelt_email for when one counts.
_BRACKET_OPEN, _BRACKET_CLOSE = r"[\[({<]", r"[\])}>]"
_SPELT_DOT = (rf"[ \t]{{0,3}}{_BRACKET_OPEN}[ \t]{{0,2}}(?:dot|\.)[ \t]{{0,2}}{_BRACKET_CLOSE}[ \t]{{0,3}}"
              r"|[ \t]{1,3}dot[ \t]{1,3}")
_DOT_RE = re.compile(rf"(?P<spelt>{_SPELT_DOT})|\.", re.IGNORECASE)
_DOT_BEFORE_RE = re.compile(rf"(?:{_SPELT_DOT})\Z", re.IGNORECASE)
_AT_WORDS = (
    rf"(?P<bracket>[ \t]{{0,3}}{_BRACKET_OPEN}[ \t]{{0,2}}(?:at|@)[ \t]{{0,2}}{_BRACKET_CLOSE}[ \t]{{0,3}})"
    r"|(?P<spaced>[ \t]{1,3}@[ \t]{0,3}|@[ \t]{1,3})"
    rf"|(?P<spoken>[ \t]{{1,3}}at[ \t]{{1,3}})(?=[A-Za-z0-9][A-Za-z0-9-]{{0,62}}(?:{_SPELT_DOT}|\.)[A-Za-z0-9])")
_AT_RE = re.compile(_AT_WORDS, re.IGNORECASE)
_AT_OR_PLAIN_RE = re.compile(rf"{_AT_WORDS}|(?P<plain>@)", re.IGNORECASE)  # when a spelt dot is about
# Quick tests that a text may spell an address out, before the patterns above look closely. Each
# starts with a fixed string, which the regex engine finds fast; the last two read lower-case text.
_BRACKET_DOT_HINT_RE = re.compile(rf"\.[ \t]{{0,2}}{_BRACKET_CLOSE}")
_BRACKET_AT_HINT_RE = re.compile(rf"at[ \t]{{0,2}}{_BRACKET_CLOSE}")
_SPOKEN_AT_HINT_RE = re.compile(r"at[ \t]{1,3}[a-z0-9][a-z0-9-]{0,62}\.[a-z0-9]")
_LABEL_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?![A-Za-z0-9-])")
_DOTTED_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9%+-]*(?:[._][A-Za-z][A-Za-z0-9%+-]*)+")  # jo.bloggs, not v2.0
# Where only words mark an address ("at", "dot"), it must end in one of these, and not start with
# one of the _NOT_DOMAINS ("look at the dot com boom" is prose).
_KNOWN_TLDS = frozenset("""
    com org net uk gov sch nhs ac edu police mod mil int info biz name pro io me co tv ly ai app dev
    email online site xyz wales cymru scot london ie eu us ca au nz de fr es it nl be ch at se no dk
    fi pl pt in za
""".split())
_NOT_DOMAINS = frozenset("the a an this that these those my your his her our their its any some no".split())


def _spelt_hints(text: str) -> tuple[bool, bool]:
    """Whether a text may spell out an '@', and whether it may spell out a dot (a fast superset)."""
    lower = text.lower()
    dot = "dot" in lower or ("." in text and _BRACKET_DOT_HINT_RE.search(text) is not None)
    if dot:
        return True, True
    at = "at" in lower and (
        (("]" in text or ")" in text or "}" in text or ">" in text) and _BRACKET_AT_HINT_RE.search(lower) is not None)
        or ("." in text and _SPOKEN_AT_HINT_RE.search(lower) is not None))
    return at, False


def _local_part(text: str, end: int, floor: int) -> tuple[int, list[tuple[int, int]]] | None:
    """The start of the name that ends at ``end`` (not before ``floor``) and its spelt dots."""
    dots: list[tuple[int, int]] = []
    start, pos = None, end
    while True:
        chunk = pos
        while chunk > floor and end - chunk <= _EMAIL_LOCAL_MAX * 2 and text[chunk - 1] in _EMAIL_LOCAL_CHARS:
            chunk -= 1
        if chunk == pos or end - chunk > _EMAIL_LOCAL_MAX * 2:
            if dots:  # a spelt dot with no name before it is not part of the address
                dots.pop()
            break
        start = chunk
        dot = _DOT_BEFORE_RE.search(text, max(floor, chunk - 16), chunk)
        if dot is None:
            break
        dots.append(dot.span())
        pos = dot.start()
    if start is None:
        return None
    while start < end and not text[start].isalnum():  # '.jo [at] ...' starts at 'jo'
        start += 1
    if start >= (dots[-1][0] if dots else end):
        return None
    return start, dots


def _domain(text: str, start: int) -> tuple[list[tuple[int, int]], list[tuple[int, int, bool]]] | None:
    """The labels of the domain that starts at ``start`` and the dots between them (spelt or not)."""
    label = _LABEL_RE.match(text, start)
    if label is None:
        return None
    labels, dots = [label.span()], []
    while len(labels) < 127 and label.end() - start <= _EMAIL_DOMAIN_MAX:
        dot = _DOT_RE.match(text, label.end())
        if dot is None:
            break
        label = _LABEL_RE.match(text, dot.end())
        if label is None:
            break
        labels.append(label.span())
        dots.append((dot.start(), dot.end(), dot.group("spelt") is not None))
    return labels, dots


def _spelt_email(text: str, at: re.Match[str], floor: int) -> tuple[int, list[tuple[int, int, str]]] | None:
    """The changes that make a spelt-out address plain ('jo [at] x [dot] uk' -> 'jo@x.uk'), and its end."""
    kind = at.lastgroup
    local = _local_part(text, at.start(), floor)
    domain = _domain(text, at.end())
    if local is None or domain is None:
        return None
    local_start, local_dots = local
    labels, dots = domain
    bracketed = kind == "bracket" or any(
        "[" in text[a:b] or "(" in text[a:b] or "{" in text[a:b] or "<" in text[a:b]
        for a, b in local_dots + [(a, b) for a, b, spelt in dots if spelt])
    spelt = bool(local_dots) or any(spelt for _, _, spelt in dots)
    if kind == "plain" and not spelt:
        return None  # a plain address: the email finder reads it as it is
    while len(labels) >= 2:  # the domain ends at the last label that can be a top-level domain
        tld = text[labels[-1][0]:labels[-1][1]]
        if tld.isalpha() and 2 <= len(tld) <= 24 and (bracketed or tld.lower() in _KNOWN_TLDS):
            break
        labels.pop()
        dots.pop()
    if len(labels) < 2:
        return None
    if kind == "spoken":
        first = text[labels[0][0]:labels[0][1]].lower()
        name = text[local_start:at.start()]
        if first in _NOT_DOMAINS or not (spelt or (_DOTTED_NAME_RE.fullmatch(name) and name[-1].isalnum())):
            return None
    changes = [(a, b, ".") for a, b in reversed(local_dots)]
    if kind != "plain":
        changes.append((at.start(), at.end(), "@"))
    changes.extend((a, b, ".") for a, b, spelt in dots if spelt)
    return labels[-1][1], changes


def _disguise_changes(text: str, digits: int) -> list[tuple[int, int, str]]:
    """The changes that undo spelt-out addresses and spaced-out digits (in a text with ``digits``
    ASCII digits), in order."""
    changes: list[tuple[int, int, str]] = []
    at_hint, dot_hint = _spelt_hints(text)
    if at_hint or "@" in text:
        at_re = _AT_OR_PLAIN_RE if dot_hint else _AT_RE
        floor = 0
        for at in at_re.finditer(text):
            if at.start() < floor:
                continue
            email = _spelt_email(text, at, floor)
            if email is not None:
                floor, found = email
                changes.extend(found)
    if len(changes) > 1:
        changes.sort()
    spaced: list[tuple[int, int, str]] = []
    for run in (_SPACED_DIGITS_RE.finditer(text) if digits >= 10 else ()):
        spaced.extend((sep.start() + run.start(), sep.end() + run.start(), "")
                      for sep in _SEPARATORS_RE.finditer(run.group()))
    if not spaced:
        return changes
    if not changes:
        return spaced
    merged, last = [], -1
    for change in sorted(changes + spaced):
        if change[0] >= last:
            merged.append(change)
            last = change[1]
    return merged


def normalise_with_map(text: str) -> tuple[str, list[_Edits]]:
    """The text as the lint reads it, and the maps back to the author's text (last applied first).

    Two steps: each character (NFKC, any decimal digit as ASCII, every space ' ', every dash '-',
    zero-width characters and marks dropped), then spelt-out email addresses and spaced-out digits."""
    return _normalise(text, None)[:2]


def _normalise(text: str, digits: int | None) -> tuple[str, list[_Edits], int]:
    """normalise_with_map, and the number of ASCII digits in the result (``digits``: in ``text``)."""
    maps: list[_Edits] = []
    if not text.isascii():
        changes = _char_changes(text)
        if changes:
            text, edits = _rewrite(text, changes)
            digits = None
            if edits:
                maps.append(edits)
    if digits is None:
        digits = _count_digits(text)
    changes = _disguise_changes(text, digits)
    if changes:
        text, edits = _rewrite(text, changes)
        if edits:
            maps.append(edits)
    maps.reverse()
    return text, maps, digits


def _count_digits(text: str) -> int:
    return sum(map(text.count, "0123456789"))


def normalise(text: str) -> str:
    """The text as the lint reads it: '０７９１２\u00a0３４５６７８' -> '07912 345678',
    'jo [at] example [dot] org' -> 'jo@example.org'."""
    return normalise_with_map(text)[0]


def find_identifiers(text: str) -> list[Hit]:
    """Every personal identifier in a piece of text, in order, overlaps resolved (allowed ones too).

    The text is read through its disguises (``normalise``); each hit's start, end and text are the
    author's own, its ``normal`` the identifier as it was recognised."""
    if not _maybe(text):
        return []
    normal, maps, digits = _normalise(text, None)
    hits = _find_in_normal(normal, digits)
    if not maps:
        return [hit._replace(normal=hit.text) if normal is text else
                hit._replace(text=text[hit.start:hit.end], normal=hit.text) for hit in hits]
    found = []
    for hit in hits:
        start, end = hit.start, hit.end
        for edits in maps:
            start, end = edits.start(start), edits.end(end - 1)
        found.append(hit._replace(start=start, end=end, text=text[start:end], normal=hit.text))
    return found


def _find_in_normal(text: str, digits: int) -> list[Hit]:
    """find_identifiers on text that is already normalised (ASCII digits, '@', ' ', '-'), which
    has ``digits`` ASCII digits."""
    if not digits and "@" not in text:
        return []
    lower = text.lower()
    candidates: list[Hit] = []
    if "@" in text:
        candidates.extend(_email_hits(text))
    if digits >= 10:  # NHS numbers, UPNs and phone numbers all have at least ten digits
        for m in _UPN_RE.finditer(text):
            body = m.group()[1:]
            if upn_check_letter(_unseparated(body)) == m.group()[0] and _upn_groups_ok(body):
                candidates.append(Hit(UPN, m.start(), m.end(), m.group()))
        if "upn" in lower:
            for m in _UPN_LABELLED_RE.finditer(text):
                if _upn_groups_ok(m.group("upn")[1:]):
                    candidates.append(Hit(UPN, m.start("upn"), m.end("upn"), m.group("upn")))
        for m in _NHS_RE.finditer(text):
            number = _NON_DIGITS.sub("", m.group())
            if not _dots_alone([m.group("s1") or "", m.group("s2") or ""]):  # '943.476 5919'
                continue
            if nhs_check_digit_ok(number) and len(set(number)) > 1:  # 0000000000 etc. are placeholders
                candidates.append(Hit(NHS, m.start(), m.end(), m.group(), allowed=number.startswith("999")))
        candidates.extend(_phone_hits(text))
    if digits >= 2:  # a postcode has a digit in each half
        candidates.extend(_postcode_hits(text))
    if "born" in lower or "birth" in lower or "dob" in lower or "d.o" in lower or "do." in lower:
        candidates.extend(_dob_hits(text))

    if len(candidates) < 2:
        return candidates
    starts: list[int] = []  # the chosen hits, kept in order of start (they never overlap)
    chosen: list[Hit] = []
    for hit in sorted(candidates, key=lambda h: (h.start - h.end, _PRIORITY[h.kind], h.start)):
        place = bisect.bisect_left(starts, hit.start)
        if place < len(chosen) and chosen[place].start < hit.end:
            continue
        if place > 0 and chosen[place - 1].end > hit.start:
            continue
        starts.insert(place, hit.start)
        chosen.insert(place, hit)
    return chosen


def mask(text: str, keep: int = 2) -> str:
    """Hide every letter and digit but the last ``keep``, keeping the punctuation: 'xxx xxx xx04'."""
    total = sum(c.isalnum() for c in text)
    out, seen = [], 0
    for c in text:
        if c.isalnum():
            seen += 1
            out.append(c if seen > total - keep else "x")
        else:
            out.append(c)
    return "".join(out)


def hit_key(hit: Hit) -> str:
    """How a hit is compared with the allow-list: in its normalised form, so a disguise of an
    allowed contact is allowed too."""
    text = hit.normal or normalise(hit.text)
    if hit.kind == PHONE:
        return phone_key(text)
    if hit.kind == NHS:
        return _NON_DIGITS.sub("", text)
    if hit.kind in (POSTCODE, UPN):
        return _alnum(text)
    return _squash(text)


def _squash(text: str) -> str:
    return _SPACES.sub("", text).casefold()


def _alnum(text: str) -> str:
    return _NOT_ALNUM.sub("", text).casefold()


_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def _allow_keys(entry: str) -> set[str]:
    """Every form an allow-list entry can match in (normalised, spaces removed; phone, digit and
    postcode forms)."""
    keys = {_squash(entry)}
    entry = normalise(entry).strip()
    keys.add(_squash(entry))
    if _NUMBER_ONLY.fullmatch(entry):
        keys.add(_NON_DIGITS.sub("", entry))
        keys.add(phone_key(entry))
    elif "@" not in entry:
        keys.add(_alnum(entry))
    return keys


# -- the allow-list -------------------------------------------------------------------------------------

def load_allow_list(root: Path) -> tuple[set[str], list[Problem]]:
    """The normalised entries of privacy.yml and any problems with the file itself."""
    path = Path(root) / ALLOW_FILE
    if not path.is_file():
        return set(), []
    expected = 'write a list of allowed contacts, for example: allow: ["0300 000 0000"]'
    try:
        text = read_source(path, ALLOW_FILE)
        if not text.strip():
            return set(), []
        doc = load_text(text, ALLOW_FILE)
    except LoadError as exc:
        return set(), [exc.problem]
    except OSError as exc:
        return set(), [Problem(ALLOW_FILE, 1, 1, f"the allow-list cannot be read ({exc.strerror})")]
    data = doc.data
    if data is None:  # only comments
        return set(), []
    if not isinstance(data, dict):
        return set(), [doc.problem((), "the privacy allow-list must be a mapping with the field 'allow'",
                                   expected=expected)]
    problems: list[Problem] = []
    for key in data:
        if key != "allow":
            problems.append(doc.problem((key,), f"the privacy allow-list has an unknown field '{key}'",
                                        key=True, expected=join_hint(did_you_mean(key, ["allow"]),
                                                                     "the only field is 'allow'")))
    entries = data.get("allow")
    if entries is None:
        return set(), problems
    if not isinstance(entries, list):
        problems.append(doc.problem(("allow",), "'allow' must be a list of phone numbers, email addresses "
                                                "or other identifiers", expected=expected))
        return set(), problems
    allowed: set[str] = set()
    for index, entry in enumerate(entries):
        if isinstance(entry, bool) or not isinstance(entry, (str, int)) or not str(entry).strip():
            problems.append(doc.problem(("allow", index), "each entry in 'allow' must be one identifier "
                                                          "written as text", expected=expected))
            continue
        allowed |= _allow_keys(str(entry))
    return allowed, problems


# -- scanning the sources -----------------------------------------------------------------------------

def _candidates(data: Any) -> list[tuple[tuple, str]]:
    """Every text value (and whole number, which may be an unquoted NHS number) that could hold an
    identifier, with its loc, in document order."""
    found: list[tuple[tuple, str]] = []
    for loc, value in leaves(data):
        if isinstance(value, str):
            if _maybe(value):
                found.append((loc, value))
        elif isinstance(value, int) and not isinstance(value, bool):
            found.append((loc, str(value)))
    return found


# How YAML can write a character in a double-quoted scalar besides itself.
_YAML_ESCAPES = {"\x00": "0", "\x07": "a", "\x08": "b", "\x1b": "e", "\x85": "N", "\xa0": "_",
                 "\u2028": "L", "\u2029": "P", '"': '"', "/": "/", "\\": "\\"}
# Where a value has white space the source may have a line break and indent (folding), or an escape.
_SOURCE_SPACE = (r"(?:\s|\\(?:[ _tnNLP]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})|\\\n)+")


def _hex_pattern(code: int, digits: int) -> str:
    return "".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in f"{code:0{digits}x}")


@functools.lru_cache(maxsize=1024)
def _char_pattern(char: str) -> str:
    """A character as it can be written in a YAML source: itself, or (double-quoted) an escape."""
    forms = [re.escape(char)]
    if char in _YAML_ESCAPES:
        forms.append(re.escape("\\" + _YAML_ESCAPES[char]))
    code = ord(char)
    if code > 0x7E or code < 0x20:
        if code <= 0xFF:
            forms.append(r"\\x" + _hex_pattern(code, 2))
        if code <= 0xFFFF:
            forms.append(r"\\u" + _hex_pattern(code, 4))
        forms.append(r"\\U" + _hex_pattern(code, 8))
    return forms[0] if len(forms) == 1 else "(?:" + "|".join(forms) + ")"


def _source_pattern(text: str) -> str:
    """A pattern for a value's text in its source: white space may be folded, characters escaped."""
    parts = []
    for piece in _SPACES_OR_CHAR.finditer(text):
        parts.append(_SOURCE_SPACE if piece.group().isspace() else _char_pattern(piece.group()))
    return "".join(parts)


_SPACES_OR_CHAR = re.compile(r"\s+|\S", re.DOTALL)


def _visible(text: str) -> str:
    """The author's text without its invisible characters (zero-width spaces, joiners, marks)."""
    if text.isascii():
        return text
    return "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Mn", "Me"))


class _SourceText:
    """The source text of one document, read again only when it has a hit, to place each hit exactly."""

    def __init__(self, root: Path, doc: Document):
        self.text = ""
        self.spans: dict[tuple[int, int], tuple[int, int]] = {}
        try:
            self.text = read_source(Path(root) / doc.path, doc.path)
            for event in yaml.parse(self.text, Loader=_EventLoader):
                if isinstance(event, yaml.ScalarEvent):
                    start, end = event.start_mark, event.end_mark
                    self.spans[(start.line + 1, start.column + 1)] = (start.index, end.index)
        except (LoadError, OSError, yaml.YAMLError, ValueError):
            self.spans = {}

    def place(self, value_pos: tuple[int, int], hits: list[Hit]) -> list[tuple[int, int]]:
        """The line and column of each hit; the value's own position where it cannot be found."""
        span = self.spans.get(value_pos)
        places = []
        cursor = span[0] if span else 0
        for hit in hits:
            found = None
            if span:
                found = re.compile(_source_pattern(hit.text)).search(self.text, cursor, span[1])
            if found is None:
                places.append(value_pos)
                continue
            cursor = found.end()
            index = found.start()
            line = self.text.count("\n", 0, index) + 1
            places.append((line, index - (self.text.rfind("\n", 0, index) + 1) + 1))
        return places


def check_document(doc: Document, allowed: set[str], root: Path) -> list[Problem]:
    problems: list[Problem] = []
    source: _SourceText | None = None
    unreported = 0
    for loc, value in _candidates(doc.data):
        hits = [h for h in find_identifiers(value) if not h.allowed and hit_key(h) not in allowed]
        if not hits:
            continue
        room = MAX_REPORTED_PER_FILE - len(problems)
        if room < len(hits):
            unreported += len(hits) - max(room, 0)
            hits = hits[:max(room, 0)]
            if not hits:
                continue
        if source is None:
            source = _SourceText(root, doc)
        value_pos = doc.position(loc)
        for hit, (line, column) in zip(hits, source.place(value_pos, hits)):
            problems.append(Problem(doc.path, line, column,
                                    f"this looks like {_WHAT[hit.kind]} ({mask(_visible(hit.text))})",
                                    format_field_path(loc), _EXPECTED[hit.kind]))
    if unreported:  # at the top of the file, so it heads the file's list
        problems.append(Problem(doc.path, 1, 1,
                                f"{len(problems) + unreported} things in this file look like personal "
                                f"identifiers; only the first {MAX_REPORTED_PER_FILE} are listed",
                                "", f"{_COMPOSITE}: remove them"))
    return problems


def check(library: "Library") -> list[Problem]:
    allowed, problems = load_allow_list(library.root)
    for doc in library.documents:
        problems.extend(check_document(doc, allowed, library.root))
    return problems
