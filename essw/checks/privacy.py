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
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, NamedTuple

import yaml

from ..load import Document, LoadError, load_text, read_source
from ..problems import Problem, did_you_mean, format_field_path, join_hint
from .walk import leaves

try:  # the same event parser essw.load uses
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

if TYPE_CHECKING:
    from ..sources import Library

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

# NHS number: 10 digits, plain or 3-3-4 with spaces or hyphens.
_NHS_RE = re.compile(r"[0-9](?<![\w.,/].)\d{2}[ -]?\d{3}[ -]?\d{4}(?!\w|[.,/-]\d)")

# UPN: check letter (A-Z without I, O, S), LA code (3), establishment (4), year (2), serial (3);
# a temporary UPN ends in a letter instead of the last serial digit.
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_RE = re.compile(r"[A-HJ-NP-RT-Z](?<![A-Za-z0-9].)\d{11}[0-9A-HJ-NP-RT-Z](?![A-Za-z0-9])")
_UPN_LABELLED_RE = re.compile(
    r"\bUPN\b[^\w\n]{0,3}(?:(?:number|no)\b\.?[^\w\n]{0,3})?(?P<upn>[A-Z]\d{11}[A-Z0-9])(?![A-Za-z0-9])",
    re.IGNORECASE)

# UK phone number: national (0...) or international (+44 / 0044, perhaps with "(0)"), the area code
# perhaps in brackets, digits separated by single spaces or hyphens. Lengths are checked afterwards.
_INTERNATIONAL = r"[ ]?44[ ]?(?:\(0\)[ ]?)?\(?[1-9]\d{0,3}\)?"
_PHONE_RE = re.compile(
    r"[+0(](?<![\w+].)"
    rf"(?:(?<=\+){_INTERNATIONAL}|(?<=0)0{_INTERNATIONAL}|(?<=\()0\d{{1,4}}\)?|(?<=0)\d{{1,4}}\)?)"
    r"(?:[ \-]?\d){4,10}(?!\w)")

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
# code: a digit and two letters (never C, I, K, M, O or V), with or without a space. Found by the
# inward code (digits are rare in prose), then the outward code is checked just before it.
_INWARD_RE = re.compile(r"[0-9][ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}(?![A-Za-z0-9])")
_OUTWARD_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR|[A-PR-UWYZ](?:[0-9][0-9]?|[A-HK-Y][0-9][0-9]?|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY])) ?\Z",
    re.IGNORECASE)
_ORDINAL_RE = re.compile(r"[0-9](?:st|nd|rd|th)")  # "Y6 2nd" is not a postcode

# Date of birth: a full date within a few words after "born", "DOB", "D.O.B" or "date of birth".
_DOB_TRIGGER_RE = re.compile(r"\b(?:born\b|d\.?o\.?b\b\.?|date\s+of\s+birth\b)", re.IGNORECASE)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE_RE = re.compile(
    r"(?<![\w/-])(?:"
    r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?:\d{4}|\d{2})"  # 12/03/2015, 12-03-15
    r"|\d{4}-(?P<im>\d{1,2})-(?P<id>\d{1,2})"  # 2015-03-12
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


def _maybe(text: str) -> bool:
    """Every identifier has a digit or an '@': other text is skipped at once (plain 'in' is fastest)."""
    return ("0" in text or "1" in text or "2" in text or "3" in text or "4" in text or "5" in text
            or "6" in text or "7" in text or "8" in text or "9" in text or "@" in text)


class Hit(NamedTuple):
    """One identifier found in a piece of text: its kind and where it is (start, end offsets)."""

    kind: str
    start: int
    end: int
    text: str
    allowed: bool = False  # safe by design (a test or drama number); still claims its span


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


def _phone_hits(text: str) -> Iterator[Hit]:
    for match in _PHONE_RE.finditer(text):
        span = match.group()
        # The pattern takes every digit group it can; if that is too many (another number follows),
        # give back whole groups from the end until the rest is a phone number.
        while True:
            national = phone_key(span)
            if _is_uk_phone(national):
                yield Hit(PHONE, match.start(), match.start() + len(span), span, allowed=_is_drama(national))
                break
            cut = max(span.rfind(" "), span.rfind("-"))
            if cut <= 0 or len(_NON_DIGITS.sub("", span)) < 10:
                break
            span = span[:cut].rstrip(" -")


def _email_allowed(address: str) -> bool:
    domain = address.rsplit("@", 1)[1].lower()
    return (domain in _EXAMPLE_DOMAINS or domain.endswith(tuple("." + d for d in _EXAMPLE_DOMAINS))
            or domain.rsplit(".", 1)[-1] in _RESERVED_TLDS)


def _plausible_date(match: re.Match[str]) -> bool:
    if match.group("a"):
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
        outward = _OUTWARD_RE.search(text, max(0, inward.start() - 6), inward.start())
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


def find_identifiers(text: str) -> list[Hit]:
    """Every personal identifier in a piece of text, in order, overlaps resolved (allowed ones too)."""
    if not _maybe(text):
        return []
    digits = sum(map(text.count, "0123456789"))
    lower = text.lower()
    candidates: list[Hit] = []
    if "@" in text:
        candidates.extend(_email_hits(text))
    if digits >= 10:  # NHS numbers, UPNs and phone numbers all have at least ten digits
        for m in _UPN_RE.finditer(text):
            if upn_check_letter(m.group()[1:]) == m.group()[0]:
                candidates.append(Hit(UPN, m.start(), m.end(), m.group()))
        if "upn" in lower:
            for m in _UPN_LABELLED_RE.finditer(text):
                candidates.append(Hit(UPN, m.start("upn"), m.end("upn"), m.group("upn")))
        for m in _NHS_RE.finditer(text):
            number = _NON_DIGITS.sub("", m.group())
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
    """How a hit is compared with the allow-list."""
    if hit.kind == PHONE:
        return phone_key(hit.text)
    if hit.kind == NHS:
        return _NON_DIGITS.sub("", hit.text)
    return _squash(hit.text)


def _squash(text: str) -> str:
    return _SPACES.sub("", text).casefold()


def _allow_keys(entry: str) -> set[str]:
    """Every form an allow-list entry can match in (spaces removed; phone and digit forms)."""
    keys = {_squash(entry)}
    if _NUMBER_ONLY.fullmatch(entry.strip()):
        keys.add(_NON_DIGITS.sub("", entry))
        keys.add(phone_key(entry))
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
                pattern = r"\s+".join(re.escape(part) for part in hit.text.split())
                found = re.compile(pattern).search(self.text, cursor, span[1])
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
                                    f"this looks like {_WHAT[hit.kind]} ({mask(hit.text)})",
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
