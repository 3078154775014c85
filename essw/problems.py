"""Problems are values, not exceptions: every check returns them so one run reports everything.

A problem knows the file, line and column it is about, the field path inside the file, what is
wrong and what was expected, in words a content author understands.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Sequence

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    message: str
    field_path: str = ""
    expected: str = ""
    severity: str = ERROR

    def format(self) -> str:
        """One line, whatever the author wrote: control characters are shown escaped."""
        return _one_line(self._format())

    def _format(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        text = f"{where}: {self.severity}: {self.message}" if self.severity == WARNING else f"{where}: {self.message}"
        if self.field_path:
            text += f" ({self.field_path})"
        if self.expected:
            text += f" - {self.expected}"
        return text


def _one_line(text: str) -> str:
    return "".join(ch if ch >= " " and ch != "\x7f" else f"\\x{ord(ch):02x}" for ch in text)


class SourceError(Exception):
    """The project's own error type: raised when sources cannot be turned into a site."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


class UsageError(Exception):
    """The command was asked to do something unsafe or impossible (a path it must not write to, a
    project folder that is not one); refused before anything changed. The CLI exits with status 2."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean' hint for a misspelt key or id, or an empty string."""
    matches = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""


def join_hint(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def format_field_path(loc: Sequence[object]) -> str:
    """('nodes', 'start', 'choices', 0, 'goto') -> 'nodes.start.choices[1].goto' (1-based for people)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass
class Report:
    """All problems found in one run, errors and warnings together."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems), key=lambda p: (p.path, p.line, p.column, p.message))
