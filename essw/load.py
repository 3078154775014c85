"""Read one YAML source into plain data that remembers where every value came from.

Why not ``yaml.safe_load``: it forgets line numbers, silently keeps the last of two duplicate
keys, follows anchors and aliases (the "billion laughs" bomb) and crashes on impossible dates.
We build the data ourselves from the parser's event stream, so each of those becomes a
:class:`~essw.problems.Problem` with a file, line and column, and nothing can blow up.

Values mean what the author wrote (the YAML 1.2 core schema, not PyYAML's YAML 1.1 rules). Only
an unquoted value is ever anything but text, and then only when it is written like this:

* a whole number in plain decimal digits, ``10``, ``-3`` or ``+1``. A number with a leading zero
  (``010``, ``0755``) stays text: YAML 1.1 read it as octal (``0755`` became 493) and YAML 1.2 as
  decimal, so what it means depends on the reader; and a leading zero usually marks an identifier
  such as a phone number (``07700900123``), whose zero must not vanish before the privacy check
  sees it. A number field then reports it, quoting it, with "write it without the leading zero".
  ``0x1F``, ``0o17``, ``1_000`` and ``1:20`` (YAML 1.1's base 60, which made ``12:30`` 750) are text;
* a decimal fraction or exponent, ``1.5``, ``.5``, ``1e3``, and ``.inf`` / ``.nan``;
* ``true`` or ``false`` in any mix of capitals. ``yes``, ``no``, ``on`` and ``off`` stay words;
* ``~``, ``null``, ``Null``, ``NULL`` or nothing at all for "no value";
* a date written exactly ``YYYY-MM-DD`` (an impossible one such as 2026-13-45 stays text, so the
  schema says "not a date"); a date with a time stays text.

Field names are always text. :attr:`Document.raw` keeps what the author wrote for every value
(with its quotes, if quoted), so messages can quote ``'12:30'`` rather than a converted 750.

Only the project's own ordinary files are read (:func:`read_source`): a link, a folder, a named
pipe, a device or a socket is refused with a plain reason and never opened, and a file is opened
without following links (``O_NOFOLLOW``) and without waiting (``O_NONBLOCK``), then checked again
through the open handle, so nothing can be swapped in between the check and the read.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
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

EXCERPT = 40
"""At most this many characters of the author's text are quoted in a message."""


@dataclass
class Document:
    """One loaded source file: its data plus the position of every value and key."""

    path: str
    data: Any
    positions: dict[Loc, Position] = field(default_factory=dict)
    key_positions: dict[Loc, Position] = field(default_factory=dict)
    raw: dict[Loc, str] = field(default_factory=dict)
    """What the author wrote for each value that is not a list or mapping, quotes included
    ('2' written in quotes is "'2'"); block text ('|' or '>') is not kept."""
    literal_blocks: dict[Loc, Position] = field(default_factory=dict)
    """Where the first line of each '|' block's text starts: its lines are the file's lines, one for one."""
    digest: str = ""
    """A hash of the text it was loaded from (set by sources.py): checks that depend on one file only
    keep their findings by it, so an unchanged file is not checked again on the next run."""

    def value_at(self, loc: Loc) -> Any:
        """The loaded value at a field path, or :data:`MISSING`."""
        value = self.data
        for part in loc:
            if isinstance(value, dict) and isinstance(part, str) and part in value:
                value = value[part]
            elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
                value = value[part]
            else:
                return MISSING
        return value

    def raw_text(self, loc: Loc, value: Any = None, *, check: bool = True) -> str | None:
        """What the author wrote at ``loc``, if it is the scalar ``value`` (so a message about a
        validated or changed value never quotes the wrong text)."""
        loc = tuple(loc)
        raw = self.raw.get(loc)
        if raw is None:
            return None
        if check:
            here = self.value_at(loc)
            if here is not value and not (type(here) is type(value) and here == value):
                return None
        return raw

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

    def position_in(self, loc: Loc, offset: int) -> Position:
        """The file position of a character of a text value: exact inside a '|' block, else the value's own."""
        value, block = self.value_at(tuple(loc)), self.literal_blocks.get(tuple(loc))
        if block is None or not isinstance(value, str) or not 0 <= offset <= len(value):
            return self.position(loc)
        before = value[:offset]
        line_start = before.rfind("\n") + 1
        return block[0] + before.count("\n"), block[1] + offset - line_start

    def problem(self, loc: Loc, message: str, *, expected: str = "", field_path: str | None = None,
                key: bool = False, severity: str = "error", at: int | None = None) -> Problem:
        """A problem at a field; ``at`` is an offset into its text, for a message about one place in it."""
        from .problems import format_field_path

        line, column = self.position(loc, key=key) if at is None else self.position_in(loc, at)
        return Problem(self.path, line, column, message,
                       format_field_path(loc) if field_path is None else field_path, expected, severity)


def _first_block_line(event: yaml.ScalarEvent, text: str) -> Position:
    """Line and column where a '|' block's text begins (the first line after the indicator that is not blank)."""
    lines = text[event.start_mark.index:event.end_mark.index].split("\n")[1:]
    for line in lines:
        if line.strip():
            return event.start_mark.line + 2, len(line) - len(line.lstrip(" ")) + 1
    return _mark(event.start_mark)


class LoadError(Exception):
    """A file that cannot be read as YAML at all; carries the problem to report."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


def _mark(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _within(text: str, position: Position) -> Position:
    """Keep a position inside the file: libyaml puts an unclosed '[' at a line after the last one."""
    lines = _LINE_BREAK.split(text)
    if position[0] <= len(lines):
        return position
    return len(lines), len(lines[-1]) + 1


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INFINITY = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def plain_value(text: str) -> Any:
    """What an unquoted scalar means (see the module docstring): the YAML 1.2 core schema, with
    leading zeros kept as text and booleans in any case."""
    if text in _NULL:
        return None
    lowered = text.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    try:
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text):
            return float(text)
    except ValueError:  # more digits than Python converts (about 4,300): keep the text
        return text
    if _INFINITY.fullmatch(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.fullmatch(text):
        return float("nan")
    if _DATE_ONLY.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:  # an impossible date such as 2026-13-45: the schema says "not a date"
            return text
    return text


def _scalar(event: yaml.ScalarEvent) -> Any:
    """Only an unquoted value without a tag can be anything but text ('!' is the "plain text" tag)."""
    if event.tag is None and event.implicit[0]:
        return plain_value(event.value)
    return event.value


def _raw(event: yaml.ScalarEvent, text: str) -> str | None:
    """The author's text for a scalar: the value itself if unquoted, with its quotes if quoted."""
    if event.style in ("|", ">"):
        return None
    if event.implicit[0] or not event.style:
        return event.value
    start, end = event.start_mark.index, event.end_mark.index
    written = text[start:end] if 0 <= start < end <= len(text) else ""
    quote = event.style
    if len(written) >= 2 and written[0] == quote and written[-1] == quote:
        return written
    return f"{quote}{event.value}{quote}"


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """At most ``limit`` characters of an author's text, on one line, for quoting in a message."""
    text = " ".join(str(text).split()) if any(ch in str(text) for ch in "\n\r\t") else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def _short_quotes(message: str) -> str:
    """Shorten every quoted piece of a parser message and the message itself (they can quote the file)."""
    message = _QUOTED.sub(lambda m: "'" + excerpt(m.group(1) if m.group(1) is not None else m.group(2)) + "'",
                          message)
    return excerpt(message, 160)


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
    return _mark(mark), f"this is not valid YAML: {_short_quotes(problem)}", hint


def load_text(text: str, path: str) -> Document:
    """Parse YAML text into a :class:`Document`; raise :class:`LoadError` for unreadable input."""
    doc = Document(path, None)

    def fail(position: Position, message: str, expected: str = "") -> LoadError:
        line, column = _within(text, position)
        return LoadError(Problem(path, line, column, message, "", expected))

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
                raise fail(start, f"the YAML tag '{excerpt(event.tag)}' is not allowed in a source file",
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
                        raise fail(start, f"the field '{excerpt(key)}' appears twice in the same place "
                                          f"(first on line {first[0]})",
                                   "keep one of them; YAML would silently drop the other")
                    parent[5][key] = start
                    parent[3], parent[4] = key, start
                else:
                    loc = attach(_scalar(event), None, start)
                    raw = _raw(event, text)
                    if raw is not None:
                        doc.raw[loc] = raw
                    elif event.style == "|":
                        doc.literal_blocks[loc] = _first_block_line(event, text)
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


_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
"""Open the file itself, never a link's target; never wait on a pipe; never make a terminal ours."""


def project_root_of(path: Path, display: str) -> Path | None:
    """The project folder, when ``display`` is ``path`` relative to it (as every caller passes)."""
    parts = Path(display).parts
    if not parts or Path(display).is_absolute() or ".." in parts or tuple(path.parts[-len(parts):]) != parts:
        return None
    return Path(*path.parts[: len(path.parts) - len(parts)]) if len(path.parts) > len(parts) else Path(".")


def _inside(target: str, root: Path | None) -> str | None:
    """``target`` (a resolved path) relative to the project, or None when it is outside it."""
    if root is None:
        return None
    real_root = os.path.realpath(root)
    try:
        if os.path.commonpath([real_root, target]) != real_root:
            return None
    except ValueError:  # different drives on Windows
        return None
    return Path(os.path.relpath(target, real_root)).as_posix()


def link_refusal(path: Path, root: Path | None, *, folder: bool = False) -> tuple[str, str]:
    """Why a link is not read, in plain words: where it leads is looked up, its target never opened.

    Every link is refused, even one to another file of the project: a link can be changed to point
    anywhere between the moment it is checked and the moment it is read, and opening only
    ordinary files without following links (``O_NOFOLLOW``) is the one way to rule that out. A
    link inside the project is also a second copy of a source, which gives a duplicate id.
    """
    thing = "folder" if folder else "file"
    try:
        target = os.path.realpath(path, strict=True)
    except (OSError, RuntimeError):
        return (f"this {thing} is a link to something that does not exist (a broken link)",
                f"delete the link, or replace it with the {thing} itself")
    inside = _inside(target, root)
    if inside is None:
        where = "a folder" if os.path.isdir(target) else "a file"
        return (f"this {thing} is a link to {where} outside the project; essw only reads files inside the project",
                f"copy the {thing} into the project instead")
    where = "the project folder itself" if inside == "." else f"'{excerpt(inside, 80)}'"
    return (f"this {thing} is a link to {where}; essw reads only ordinary files and folders, not links",
            f"copy the {thing} here instead, or delete the link")


def type_refusal(mode: int, *, want_folder: bool = False) -> tuple[str, str] | None:
    """Why a folder entry that is neither a link nor what is wanted cannot be a source (None: it can)."""
    if stat.S_ISDIR(mode):
        if want_folder:
            return None
        return ("this is a folder, not a file; a source is a text file whose name ends in .yml",
                "rename the folder so its name does not end in .yml or .yaml, or replace it with a source file")
    if stat.S_ISREG(mode):
        if not want_folder:
            return None
        return ("this is a file, but essw expects a folder of that name here", "")
    if stat.S_ISFIFO(mode):
        what = "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    else:
        what = "a special file"
    return (f"this is {what}, not an ordinary file; essw does not open it",
            "delete it and save the source as an ordinary text file" if not want_folder
            else "delete it and make an ordinary folder of that name")


def os_error_words(exc: OSError, display: str, *, folder: bool = False) -> tuple[str, str]:
    """An operating-system refusal in plain words (the system's own wording has no file content)."""
    thing = "folder" if folder else "file"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (f"essw is not allowed to read this {thing} (permission denied)",
                f"make it readable for your user account, e.g. 'chmod u+r{'x' if folder else ''} {display}'")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return (f"this {thing} disappeared while essw was reading the sources", "run the command again")
    reason = (exc.strerror or "unknown reason").lower()
    return (f"this {thing} cannot be read ({reason})", "")


def read_source(path: Path, display: str, *, root: Path | None = None,
                identity: tuple[int, int] | None = None) -> str:
    """Read a source file as UTF-8 text, refusing binary, oversized or mis-encoded files.

    Only an ordinary file is opened: a link (to anywhere, see :func:`link_refusal`), a folder, a
    named pipe, a device or a socket is refused by its path alone, so nothing outside the project is
    ever read and a pipe cannot make essw wait. ``root`` is the project folder (worked out from
    ``display`` when not given); ``identity`` the (device, inode) seen when the folder was listed,
    so a file swapped in afterwards is refused too.
    """

    def fail(line: int, column: int, message: str, expected: str = "") -> LoadError:
        return LoadError(Problem(display, line, column, message, "", expected))

    if root is None:
        root = project_root_of(path, display)
    try:
        seen = os.lstat(path)
    except OSError as exc:
        raise fail(1, 1, *os_error_words(exc, display)) from None
    if stat.S_ISLNK(seen.st_mode):
        raise fail(1, 1, *link_refusal(path, root))
    refusal = type_refusal(seen.st_mode)
    if refusal:
        raise fail(1, 1, *refusal)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # it became a link after it was checked
            raise fail(1, 1, *link_refusal(path, root)) from None
        raise fail(1, 1, *os_error_words(exc, display)) from None
    try:
        opened = os.fstat(fd)
        refusal = type_refusal(opened.st_mode)
        if refusal:
            raise fail(1, 1, *refusal)
        if (opened.st_dev, opened.st_ino) != (seen.st_dev, seen.st_ino) or (
                identity is not None and (opened.st_dev, opened.st_ino) != tuple(identity)):
            raise fail(1, 1, "this file was replaced while essw was reading the sources", "run the command again")
        size = opened.st_size
        if size > MAX_BYTES:
            raise fail(1, 1, f"the file is {size / 1_048_576:.1f} MB, larger than the {MAX_BYTES // 1_048_576} MB "
                             "allowed for one source", "split it into several smaller source files")
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise fail(1, 1, *os_error_words(exc, display)) from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > MAX_BYTES:  # it grew while being read
        raise fail(1, 1, f"the file is larger than the {MAX_BYTES // 1_048_576} MB allowed for one source",
                   "split it into several smaller source files")
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


def load_file(path: Path, display: str, *, root: Path | None = None,
              identity: tuple[int, int] | None = None) -> Document:
    """Load one source file; raise :class:`LoadError` when it cannot be read."""
    return load_text(read_source(path, display, root=root, identity=identity), display)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def looks_like_date(value: Any) -> bool:
    return isinstance(value, dt.date) or (isinstance(value, str) and bool(_DATE.match(value)))
