"""Links in author text may only go to web pages, email, phone numbers or other pages of the site.

A 'javascript:' or 'data:' link would run code or load content when a reader clicks it, so it is
an error at its file and line, however it is disguised (spaces, tabs, capitals).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator

from ..problems import Problem

if TYPE_CHECKING:
    from ..sources import Library

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_SCRIPT = re.compile(r"(java|vb)script:", re.I)
_DESTINATION = re.compile(r"\]\(\s*<?([^)\s>]*)|^\s*\[[^\]]+\]:\s*<?(\S+)", re.M)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")


def _strings(value: Any, loc: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _strings(child, loc + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _strings(child, loc + (i,))


def check(library: "Library") -> list[Problem]:
    problems: list[Problem] = []
    for doc in library.documents:
        for loc, text in _strings(doc.data, ()):
            squashed = _INVISIBLE.sub("", text)
            if _SCRIPT.search(squashed):
                problems.append(doc.problem(loc, "this text contains a 'javascript:' link, which would run code "
                                                 "when clicked", expected="link to a web page (https://...) or "
                                                                          "another page of this site"))
                continue
            for match in _DESTINATION.finditer(text):
                target = _INVISIBLE.sub("", match.group(1) or match.group(2) or "")
                scheme = _SCHEME.match(target)
                if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
                    problems.append(doc.problem(loc, f"a link here starts with '{scheme.group(1)}:', which is not "
                                                     "allowed", expected="links may start with https://, http://, "
                                                                         "mailto: or tel:, or point at a page of this site"))
                    break
    return problems
