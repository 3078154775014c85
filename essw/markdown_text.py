"""Author Markdown as the site renders it, and code that shows the author's characters exactly.

Author text is Markdown, never HTML: essw/generate.py's ``safe_markdown`` and ``inline`` escape
'&', '<', '{' and '}' so no tag, entity trick or attribute list can be injected. Inside code that
escaping would show twice (Markdown escapes code itself), so readers of a code span written as
`a && b` would see 'a &amp;&amp; b'. This module finds the code in a field and shows its
characters as written, but only code that Python-Markdown itself, with the site's extensions,
treats as code:

1. Candidates are found with simple rules: backtick spans on one line (a closing run of exactly
   the opening run's length, backslash escapes respected) and fenced blocks (a fence line and the
   next closing fence line). In a block only candidates with a character that escaping changes
   matter; on one line (``inline``) every span does, see ``author_markdown``.
2. The escaped field is rendered with each candidate's content replaced by a random alphanumeric
   marker. A span is confirmed only where its marker lands, once, in a <code> outside any <pre>,
   a fenced block only where its marker lands, once, in a <pre>.
3. A confirmed span is written as '<code>...</code>' with every ASCII punctuation character of
   its content as a numeric entity ('&#60;' for '<'): the browser shows exactly the author's
   characters, and nothing in it can be read as Markdown, HTML, an attribute list, Jinja or a
   snippet, wherever the page puts it, even beside another field's stray backtick. A confirmed
   fenced block keeps its lines as written (Markdown escapes code blocks, and pymdownx.superfences
   takes them out of the page before anything reads HTML), but for two sequences that tools read
   before Markdown, broken with an invisible U+200B: '{{', '{%' and '{#' (explainer pages are
   rendered by mkdocs-macros, i.e. Jinja, with 'render_macros: true') and '-8<'
   (pymdownx.snippets would include a file in the page).
4. The field is rendered again as written. Outside code, that HTML must be the same as with the
   markers (the same elements, attributes and text), and inside code there may be no element but
   Pygments' <span>s; otherwise the field is escaped as a whole, as it always was.

Steps 2 and 4 render the field in each place the page may put it (``_CONTEXTS``): alone, inside
'<div markdown="block">' elements (as the case page puts nodes and choices) and in an admonition,
each time with page content after it, which must come out the same. md_in_html reads the raw HTML
of the whole page before Markdown finds code, so a '<!--' left in a code block would otherwise
break the page after the field, not the field.

The fields of a page are one Markdown document, so a field must not pair with its neighbours: a
block stands in paragraphs of its own, and one line keeps no backtick at all (spans become
elements, every other backtick '&#96;'), since a label sits beside other fields or, for a
source's web address, inside backticks the template writes.
"""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import markdown

EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "toc",
              "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed"]
"""The site's markdown_extensions (mkdocs.yml) but pymdownx.snippets, which reads files: author
text cannot reach it (its '<' is escaped, an entity in code spans, broken in code blocks).
tests/test_author_markdown.py checks that this list matches mkdocs.yml."""

EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {"pymdownx.tabbed": {"alternate_style": True}}

ZWSP = "\u200b"
_ESCAPES = {"&": "&amp;", "<": "&lt;", "{": "&#123;", "}": "&#125;"}
_ESCAPED = re.compile(r"[&<{}]")
_JINJA_START = re.compile(r"\{(?=[{%#])")
_SNIPPET = re.compile(r"-8(?=<)")
_RUN = re.compile(r"`+")
_BACKTICK = re.compile(r"(\\*)`")
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_FENCE_OPEN = re.compile(r"^( *)(`{3,}|~{3,})(.*)$", re.M)
_CODE_TAGS = ("code", "pre")


@lru_cache(maxsize=1)
def converter() -> markdown.Markdown:
    """One reusable Markdown converter with the site's extensions (use ``render``, which resets it)."""
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


def render(text: str, *, references: dict[str, Any] | None = None) -> str:
    """HTML for Markdown, as the site makes it; ``references`` are link definitions known beforehand."""
    md = converter()
    md.reset()
    if references:
        md.references.update(references)
    return md.convert(text)


def references_of(text: str) -> dict[str, Any]:
    """The link reference definitions ('[id]: url') Markdown finds in text, anywhere in it."""
    md = converter()
    md.reset()
    md.convert(text)
    return dict(md.references)


def escape(text: str) -> str:
    """Prose: '&', '<', '{' and '}' as entities, so no HTML, entity or attribute list is made."""
    return _ESCAPED.sub(lambda m: _ESCAPES[m.group()], text)


def _as_written(code: str) -> str:
    """A code block's lines as written, but for the two sequences other tools read before Markdown."""
    return _SNIPPET.sub("-8" + ZWSP, _JINJA_START.sub("{" + ZWSP, code))


def _code_element(code: str) -> str:
    """A code span as inline HTML that shows exactly ``code`` and that nothing can read as syntax."""
    return "<code>" + _PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", code.strip()) + "</code>"


@dataclass(frozen=True)
class _Code:
    """A candidate: content text[start:end], delimited by a backtick run or by fence lines."""

    start: int
    end: int
    fence: bool
    open_at: int = 0  # where a span's opening run starts
    close_end: int = 0  # where its closing run ends
    indent: str = ""  # a fence's indentation, for its marker line


def _spans(text: str, lo: int, hi: int, out: list[_Code]) -> None:
    """Backtick spans within one line text[lo:hi]: a run, then the next run of exactly its length."""
    runs = [(m.start(), m.end()) for m in _RUN.finditer(text, lo, hi)]
    i = 0
    while i < len(runs):
        start, end = runs[i]
        slashes = 0
        while start - slashes - 1 >= lo and text[start - slashes - 1] == "\\":
            slashes += 1
        if slashes % 2:
            start += 1  # '\`' is a backtick, not the start of code
        ticks = end - start
        closer = next((j for j in range(i + 1, len(runs)) if runs[j][1] - runs[j][0] == ticks), None) \
            if ticks else None
        if closer is None:
            i += 1
            continue
        out.append(_Code(end, runs[closer][0], False, start, runs[closer][1]))
        i = closer + 1


def _candidates(text: str, one_line: bool) -> list[_Code]:
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    found: list[_Code] = []
    n = 0
    while n < len(lines):
        lo, hi = lines[n]
        opening = None if one_line else _FENCE_OPEN.match(text, lo, hi)
        if opening and not (opening.group(2)[0] == "`" and "`" in opening.group(3)):
            fence = opening.group(2)
            closing = re.compile(rf"^ *{re.escape(fence[0])}{{{len(fence)},}} *$", re.M)
            close = next((k for k in range(n + 1, len(lines)) if closing.match(text, *lines[k])), None)
            if close is not None:
                if close > n + 1:
                    found.append(_Code(lines[n + 1][0], lines[close - 1][1], True, indent=opening.group(1)))
                n = close + 1
                continue
        _spans(text, lo, hi, found)
        n += 1
    return found


def _marker(nonce: str, index: int) -> str:
    return f"essw{nonce}x{index}x"


def _build(text: str, codes: list[_Code], raw: set[int], nonce: str = "", *, one_line: bool = False) -> str:
    """The field as Markdown: prose escaped, code in ``raw`` as written (or markers, given a nonce).

    On one line (``inline``) no backtick is left outside code: each is written '&#96;' (the
    backslash before an escaped one dropped), so none can pair with code of another field.
    """
    out: list[str] = []
    pos = 0

    def prose(upto: int) -> str:
        piece = escape(text[pos:upto])
        return _BACKTICK.sub(lambda m: m.group(1)[:len(m.group(1)) // 2 * 2] + "&#96;", piece) if one_line else piece

    for index, code in enumerate(codes):
        if index not in raw:
            continue  # escaped with the prose around it
        content = text[code.start:code.end]
        if code.fence:
            out.append(prose(code.start))
            out.append(f"{code.indent}{_marker(nonce, index)}" if nonce else _as_written(content))
            pos = code.end
        else:
            out.append(prose(code.open_at))
            ticks = text[code.open_at:code.start]
            out.append(f"{ticks}{_marker(nonce, index)}{ticks}" if nonce else _code_element(content))
            pos = code.close_end
    out.append(prose(len(text)))
    return "".join(out)


class _Outline(HTMLParser):
    """HTML as what matters for safety: everything outside code, and where each marker landed."""

    def __init__(self, html: str, markers: dict[str, int]):
        super().__init__(convert_charrefs=True)
        self.events: list[Any] = []
        self.open: list[str] = []  # the <code> and <pre> elements we are in
        self.bad_in_code = False
        self.markers = markers
        self.landed: dict[int, list[str]] = {}  # marker -> 'pre', 'code' or '' for each time it is found
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if self.open:
            self.bad_in_code |= tag not in ("span", "code") or any(name != "class" for name, _ in attrs)
        else:
            # heading ids (and their permalinks) are made from the heading's text, code included
            self.events.append(("start", tag, [(k, "" if k == "id" or (k == "href" and (v or "").startswith("#"))
                                                else v) for k, v in attrs]))
        if tag in _CODE_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _CODE_TAGS:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag in _CODE_TAGS and tag in self.open:
            while self.open.pop() != tag:
                pass
            if not self.open:
                self.events.append(("end", tag))
        elif not self.open:
            self.events.append(("end", tag))

    def handle_data(self, data):
        where = "pre" if "pre" in self.open else "code" if self.open else ""
        for marker, index in self.markers.items():
            if marker in data:
                self.landed.setdefault(index, []).extend([where] * data.count(marker))
        if not self.open:
            self.events.append(("text", data))


_AFTER = ('\n\n<div class="after" markdown="block">\n\n*After* the "field": it\'s --> or --!> or ]]> or ?> or >.\n\n'
          '</div>\n\n<section class="after" markdown="block">\n\n</section>\n\n<p class="after">End</p>\n')
_CONTEXTS = (
    "{}" + _AFTER,
    '<div markdown="block">\n\n<section class="x" markdown="block">\n\n{}\n\n</section>\n\n</div>' + _AFTER,
    '!!! note "A box"\n{}' + _AFTER,
)
"""Where the page puts a field: on its own, inside HTML blocks whose content is Markdown (md_in_html,
as a case's nodes and choices), indented in an admonition; each time with page content after it.
md_in_html reads raw HTML in the whole page before Markdown finds code, so raw HTML in code that
it sees would change the page around the field, not the field. What comes after holds everything
that could end a construct the field leaves open ('-->', ']]>', '?>', '>', quotes, closing tags):
escaped prose keeps those characters, so a '<!--' in one field's code would otherwise swallow the
page up to a '-->' in another field's text."""


def _outlines(text: str, markers: dict[str, int], one_line: bool) -> list[_Outline]:
    """The field rendered in each of the _CONTEXTS."""
    forms = [_CONTEXTS[0].format(text), _CONTEXTS[1].format(text)]
    if not one_line:
        forms.append(_CONTEXTS[2].format("\n".join("    " + line for line in text.split("\n"))))
    return [_Outline(render(form), markers) for form in forms]


def author_markdown(text: str, *, one_line: bool = False) -> str:
    """Author text as Markdown that makes no HTML of its own, with its code shown as written.

    ``one_line`` is for ``inline``: text the page puts inside a line, beside other fields or inside
    a span of its own ('`{{ s.url | inline }}`'), where a fence is no fence. There every span is
    written as a <code> element and every other backtick as '&#96;', so nothing pairs differently
    on the page than on its own. A block (``safe_markdown``) stands in paragraphs of its own and
    keeps its backticks, but one whose first line opens a fenced block kept as written starts with
    a blank line, because the page may write a label before it ('**Feedback:** ```' is no fence).
    """
    if "`" not in text and "~~~" not in text:
        return escape(text)
    codes = _candidates(text, one_line)
    raw = {i for i, code in enumerate(codes) if one_line or _ESCAPED.search(text, code.start, code.end)}
    marked: list[_Outline] = []
    nonce = secrets.token_hex(8)
    markers = {_marker(nonce, i): i for i in raw}
    for _ in range(3):
        if not raw:
            break
        marked = _outlines(_build(text, codes, raw, nonce, one_line=one_line), markers, one_line)
        confirmed = {i for i in raw if all(outline.landed.get(i) == ["pre" if codes[i].fence else "code"]
                                           for outline in marked)}
        if confirmed == raw:
            break
        raw = confirmed
    else:
        raw = set()
    if not raw:
        return _build(text, codes, raw, one_line=one_line)
    result = _build(text, codes, raw, one_line=one_line)
    written = _outlines(result, {}, one_line)
    if any(w.bad_in_code or w.events != m.events for w, m in zip(written, marked)):
        return _build(text, codes, set(), one_line=one_line)
    first = codes[min(raw)]
    if first.fence and "\n" not in text[:first.start - 1]:
        result = "\n\n" + result
    return result


# -- author text as the generator writes it into pages -------------------------------------------
def safe_markdown(text: Any) -> str:
    """Author text is Markdown, never raw HTML or attributes.

    '<' and '&' are escaped so no tag can be injected, and '{' '}' become entities so the
    attribute-list syntax (``{: onclick=...}``) and template syntax (``{{ }}``) stay plain text.
    Code spans and fenced blocks that Python-Markdown itself confirms as code keep the author's
    characters, since Markdown escapes code on its own (essw/markdown_text.py explains how).
    """
    if text is None:
        return ""
    return author_markdown(_close_fences(str(text)))


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _close_fences(text: str) -> str:
    """Close a code fence the author left open, so it cannot run on into the rest of the page.

    Without this, an unclosed fence in one field and another in a later field turn everything
    between them, the page's own markup included, into one code block.
    """
    open_fence = ""
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if not match:
            continue
        fence = match.group(1)
        if not open_fence:
            open_fence = fence
        elif fence[0] == open_fence[0] and len(fence) >= len(open_fence) and not line.strip(" `~"):
            open_fence = ""
    return f"{text}\n{open_fence}" if open_fence else text


def plain(text: Any) -> str:
    """Text for HTML the theme writes without escaping (page titles, navigation, meta tags)."""
    escaped = html.escape(re.sub(r"\s+", " ", str(text)).strip(), quote=True)
    return escaped.replace("{", "&#123;").replace("}", "&#125;")  # never template syntax either


def inline(text: Any) -> str:
    """Author text for one line (a list entry, a label): Markdown-safe and on one line.

    Several fields may share the line, so its code is written to pair only with itself.
    """
    if text is None:
        return ""
    return author_markdown(re.sub(r"\s*\n\s*", " ", _close_fences(str(text))).strip(), one_line=True)


def attr(text: Any) -> str:
    return html.escape(str(text), quote=True)
