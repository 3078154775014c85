"""Parents' guides write every abbreviation out where a reader first meets it.

A parent who meets "DSL" or "CAF" with nothing around it cannot ask what it means, and a
tooltip is no help on paper or to many phone readers. So, in an explainer, the first use of an
abbreviation must come with its words: either its glossary term (e.g. "designated safeguarding
lead (DSL)") or words whose first letters spell it ("Extended Schools Social Worker, ESSW"), in
the same field or earlier on the page. The site's own frame (safety block, footer, tags) is
checked on the built pages by tests/test_parents_and_packs.py. A warning, so a draft still builds;
``essw validate --strict`` (and the repository's tests) treat it as an error.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator

from ..problems import WARNING, Problem

if TYPE_CHECKING:
    from ..library import Library

ABBREVIATION = re.compile(r"\b(?:[A-Z]{2,}[0-9]*|[A-Z][a-z]?[0-9]+|s\.?[0-9]{2,3}[A-Z]?)(?=s?\b)")
"""Capital-letter abbreviations (DSL, EHCP, TAC), a letter with a number (s47, S17) and 'section' short forms."""

EVERYDAY = frozenset({"TV", "OK", "UK", "NHS", "GP", "ID"})
"""Short forms a parent uses every day; writing them out would read oddly."""

SMALL_WORDS = frozenset({"and", "of", "the", "for", "in", "to", "on", "a", "with"})


def _texts(item: Any) -> Iterator[tuple[tuple, str]]:
    """Each text field of an explainer with its place in the file, in the order the page shows them."""
    yield ("title",), item.title
    yield ("summary",), item.summary
    for i, section in enumerate(item.sections):
        yield ("sections", i, "heading"), section.heading
        yield ("sections", i, "text"), section.text
    for i, step in enumerate(item.what_to_do_next):
        yield ("what_to_do_next", i), step
    for i, question in enumerate(item.questions):
        yield ("questions", i), question


def spelt_by_initials(words: list[str], letters: str) -> bool:
    """Whether some run of words, skipping small words, starts with the abbreviation's letters."""
    letters = letters.lower()
    for start in range(len(words)):
        got, i = "", start
        while i < len(words) and len(got) < len(letters):
            word = words[i].lower()
            if word in SMALL_WORDS and got and not letters[len(got):].startswith(word[0]):
                i += 1
                continue
            got += word[0]
            if not letters.startswith(got):
                break
            i += 1
        if got == letters:
            return True
    return False


def written_out(abbreviation: str, before: str, terms: dict[str, str]) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", abbreviation)
    term = terms.get(abbreviation.lower())
    if term and term.lower() in before.lower():
        return True
    if not letters.isalpha() or letters.lower() == "s":  # 's47': only the words 'section 47' explain it
        return bool(re.search(r"\bsection\s+" + re.escape(re.sub(r"\D", "", abbreviation)), before, re.I))
    return spelt_by_initials(re.findall(r"[A-Za-z][A-Za-z'’-]*", before), letters)


CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.S)
"""Code is shown exactly as written, so what is inside it is not prose to spell out."""


def unexplained(texts: list[tuple[tuple, str]], terms: dict[str, str]) -> Iterator[tuple[tuple, int, str]]:
    """(field, offset, abbreviation) for each abbreviation whose first use is not written out."""
    seen: set[str] = set()
    page = ""
    for loc, text in texts:
        text = CODE.sub(lambda m: " " * len(m.group(0)), text)  # same offsets, no code
        for found in ABBREVIATION.finditer(text):
            abbreviation = found.group(0)
            key = abbreviation.lower().replace(".", "").replace(" ", "")
            if abbreviation in EVERYDAY or key in seen:
                continue
            seen.add(key)
            # the words may come just before it ("designated safeguarding lead (DSL)") or just after
            # ("DSL, the designated safeguarding lead"): up to the end of its sentence
            end = re.search(r"[.!?](\s|$)", text[found.end():])
            context = page + " " + text[:found.end() + (end.start() if end else len(text))]
            if not written_out(abbreviation, context.replace(abbreviation, " "), terms):
                yield loc, found.start(), abbreviation
        page += " " + text


def check(library: "Library") -> list[Problem]:
    terms = {t.abbreviation.lower(): t.term for t in library.terms.values() if t.abbreviation}
    problems = []
    for entry in library.of_kind("explainer"):
        for loc, at, abbreviation in unexplained(list(_texts(entry.item)), terms):
            term = terms.get(abbreviation.lower())
            example = f"'{term} ({abbreviation})'" if term else f"the words, then '({abbreviation})'"
            problems.append(entry.doc.problem(
                (*entry.loc, *loc), f"'{abbreviation}' is not written out where a parent first meets it",
                expected=f"write {example} the first time, or use everyday words instead", at=at,
                severity=WARNING))
    return problems
