"""Read one YAML source into plain data that remembers where every value came from.

Why not ``yaml.safe_load``: it forgets line numbers, silently keeps the last of two duplicate
keys, follows anchors and aliases (the "billion laughs" bomb) and crashes on impossible dates.
We build the data ourselves from the parser's event stream, so each of those becomes a
:class:`~essw.problems.Problem` with a file, line and column, and nothing can blow up.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

try:  # libyaml is much faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _EventLoader

MAX_BYTES = 2 * 1024 * 1024
"""A source file is a page or a case study; 2 MB is far beyond any real one."""

MAX_DEPTH = 40
"""Real sources nest a handful of levels; deeper means a mistake or an attack."""

Position = tuple[int, int]
Loc = tuple[Any, ...]

_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """One loaded source file: its data plus the position of every value and key."""

    path: str
    data: Any
    positions: dict[Loc, Position] = field(default_factory=dict)
    key_positions: dict[Loc, Position] = field(default_factory=dict)

    def position(self, loc: Loc, *, key: bool = False) -> Position:
        """Best position for a field path: the key or value itself, else its nearest parent."""
        loc = tuple(loc)
        while True:
            if key and loc in self.key_positions:
                return self.key_positions[loc]
            if loc in self.positions:
                return self.positions[loc]
            if loc in self.key_positions:
                return self.key_positions[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]

    def problem(self, loc: Loc, message: str, *, expected: str = "", field_path: str | None = None,
                key: bool = False, severity: str = "error") -> Problem:
        from .problems import format_field_path

        line, column = self.position(loc, key=key)
        return Problem(self.path, line, column, message,
                       format_field_path(loc) if field_path is None else field_path, expected, severity)


class LoadError(Exception):
    """A file that cannot be read as YAML at all; carries the problem to report."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


def _mark(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _scalar(event: yaml.ScalarEvent) -> Any:
    """Turn a scalar into str/int/float/bool/None/date the way YAML 1.1 safe loading does."""
    tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # explicit tags were refused
    value = event.value
    if tag == "tag:yaml.org,2002:bool" and event.tag is None and value.lower() not in ("true", "false"):
        return value  # YAML 1.2 rule: 'yes', 'no', 'on' and 'off' stay words (the "Norway problem")
    if tag == "tag:yaml.org,2002:str":
        return value
    node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
    try:
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return _constructor.construct_yaml_bool(node)
        if tag == "tag:yaml.org,2002:int":
            return _constructor.construct_yaml_int(node)
        if tag == "tag:yaml.org,2002:float":
            return _constructor.construct_yaml_float(node)
        if tag == "tag:yaml.org,2002:timestamp":
            return _constructor.construct_yaml_timestamp(node)
    except (ValueError, OverflowError):
        # An impossible date such as 2026-13-45: keep the text, the schema reports "not a date".
        return value
    return value


def _describe_yaml_error(exc: yaml.YAMLError, text: str) -> tuple[Position, str, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    offending = text[mark.index] if mark is not None and 0 <= mark.index < len(text) else ""
    problem = (getattr(exc, "problem", None) or str(exc)).strip()
    context = (getattr(exc, "context", None) or "").strip()
    hint = "check the indentation and punctuation on this line and the one above it"
    lowered = problem.lower()
    if offending == "\t" or "\t" in problem or "tab" in lowered:
        problem = "a tab character is used for indentation"
        hint = "YAML needs spaces for indentation; replace each tab with spaces"
    elif "mapping values are not allowed" in lowered:
        problem = "a colon ':' appears where YAML does not expect one"
        hint = "put text that contains ': ' inside quotes, or check the indentation"
    elif "could not find expected ':'" in lowered:
        problem = "a line is missing the ':' between a field name and its value"
        hint = "write 'name: value'; text that runs over several lines needs '|' or '>' after the colon"
    elif "found character" in lowered and "cannot start any token" in lowered:
        problem = f"the character '{offending}' cannot start a value here" if offending.strip() else "a character here cannot start a value"
        hint = "put this text inside quotes"
    elif "did not find expected key" in lowered or "expected <block end>" in lowered:
        problem = "the indentation here does not line up with the lines above"
        hint = "fields at the same level must start in the same column"
    elif "unacceptable character" in lowered or "special characters are not allowed" in lowered:
        problem = "the file contains a control character that is not allowed in YAML"
        hint = "save the file as plain UTF-8 text"
    elif context:
        problem = f"{context}, {problem}"
    return _mark(mark), f"this is not valid YAML: {problem}", hint


def load_text(text: str, path: str) -> Document:
    """Parse YAML text into a :class:`Document`; raise :class:`LoadError` for unreadable input."""
    doc = Document(path, None)

    def fail(position: Position, message: str, expected: str = "") -> LoadError:
        return LoadError(Problem(path, position[0], position[1], message, "", expected))

    if not text.strip():
        raise fail((1, 1), "the file is empty", "write the fields for this kind of source (run 'essw new' for a template)")

    # Each open container: [kind, value, loc, pending_key, pending_key_pos, seen_keys]
    stack: list[list[Any]] = []
    documents = 0
    root_set = False

    def attach(value: Any, loc_for_child: Loc | None, start: Position) -> Loc:
        """Place a finished or newly opened value into its parent; return the value's loc."""
        nonlocal root_set
        if not stack:
            if root_set:
                raise fail(start, "the file holds more than one YAML document",
                           "remove the '---' line that starts a second document")
            doc.data = value
            root_set = True
            doc.positions[()] = start
            return ()
        parent = stack[-1]
        if parent[0] == "seq":
            loc = parent[2] + (len(parent[1]),)
            parent[1].append(value)
            doc.positions[loc] = start
            return loc
        # mapping
        if parent[3] is _NO_KEY:
            raise fail(start, "a list or mapping is used as a field name",
                       "field names must be plain words such as 'title:'")
        key, key_pos = parent[3], parent[4]
        loc = parent[2] + (key,)
        parent[1][key] = value
        doc.positions[loc] = start
        doc.key_positions[loc] = key_pos
        parent[3] = _NO_KEY
        return loc

    try:
        for event in yaml.parse(text, Loader=_EventLoader):
            start = _mark(event.start_mark)
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent) or anchor:
                raise fail(start, "YAML anchors and aliases ('&name' and '*name') are not allowed",
                           "write the text out in full where it is needed; aliases can make a file "
                           "expand to billions of entries")
            if getattr(event, "tag", None) not in (None, "!"):
                raise fail(start, f"the YAML tag '{event.tag}' is not allowed in a source file",
                           "remove the tag (the word starting with '!'); put text in quotes if needed")
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fail(start, "the file holds more than one YAML document",
                               "remove the '---' line that starts a second document")
            elif isinstance(event, yaml.ScalarEvent):
                if stack and stack[-1][0] == "map" and stack[-1][3] is _NO_KEY:
                    parent = stack[-1]
                    key = event.value  # field names are always text, even 'no' or '2026'
                    if key in parent[5]:
                        first = parent[5][key]
                        raise fail(start, f"the field '{key}' appears twice in the same place "
                                          f"(first on line {first[0]})",
                                   "keep one of them; YAML would silently drop the other")
                    parent[5][key] = start
                    parent[3], parent[4] = key, start
                else:
                    attach(_scalar(event), None, start)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise fail(start, f"the file nests lists and mappings more than {MAX_DEPTH} levels deep",
                               "real sources need only a few levels; check the indentation")
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                loc = attach(container, None, start)
                kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
                stack.append([kind, container, loc, _NO_KEY, None, {}])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a control character
        before = text[: exc.position]
        position = (before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1)
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise fail(position, f"the file contains a control character (U+{code:04X}) that YAML does not allow",
                   "delete it; it often comes from copying text out of another program") from None
    except yaml.YAMLError as exc:
        position, message, hint = _describe_yaml_error(exc, text)
        raise fail(position, message, hint) from None
    except UnicodeError:
        raise fail((1, 1), "the text contains characters that cannot be saved as UTF-8",
                   "save the file again as UTF-8 in a plain text editor") from None
    except LoadError as exc:
        if not exc.problem.path:
            p = exc.problem
            raise LoadError(Problem(path, p.line, p.column, p.message, p.field_path, p.expected)) from None
        raise
    except RecursionError:  # pragma: no cover - the depth limit above stops this first
        raise fail((1, 1), "the file is nested too deeply to read") from None
    return doc


class _NoKey:
    def __repr__(self) -> str:
        return "<no key>"


_NO_KEY = _NoKey()


def read_source(path: Path, display: str) -> str:
    """Read a source file as UTF-8 text, refusing binary, oversized or mis-encoded files."""

    def fail(line: int, column: int, message: str, expected: str = "") -> LoadError:
        return LoadError(Problem(display, line, column, message, "", expected))

    size = path.stat().st_size
    if size > MAX_BYTES:
        raise fail(1, 1, f"the file is {size / 1_048_576:.1f} MB, larger than the {MAX_BYTES // 1_048_576} MB "
                         "allowed for one source", "split it into several smaller source files")
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise fail(1, 1, "this looks like a binary file, not YAML text",
                   "source files must be plain text saved as UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise fail(line, column, "the file is not valid UTF-8 text (perhaps saved from a word processor)",
                   "save it again as UTF-8 in a plain text editor") from None
    return text.removeprefix("\ufeff")


def load_file(path: Path, display: str) -> Document:
    """Load one source file; raise :class:`LoadError` when it cannot be read."""
    return load_text(read_source(path, display), display)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def looks_like_date(value: Any) -> bool:
    return isinstance(value, dt.date) or (isinstance(value, str) and bool(_DATE.match(value)))
