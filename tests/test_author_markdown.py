"""Author Markdown as the page really gets it: links, images, requests to other hosts, and code.

- Every link Markdown makes from author text is checked, however it is written (inline, by
  reference with the definition in a list item, a quote or another field, autolink, image), and a
  link or image the site must not have is an error at the source's file and line.
- Nothing is requested from another host: not by WeasyPrint while the packs are made, not by a
  browser viewing a page.
- Code spans and fenced blocks show the author's characters exactly, while no HTML, attribute list,
  template or snippet can come of them, wherever the page puts the field.
"""

from __future__ import annotations

import http.server
import json
import struct
import threading
import zlib
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest
import yaml

from conftest import REPO, Project, SiteServer, indexed_text, make_project, offline_index
from test_injection import DOM_CHECK, MARKER, TEMPLATE_MARK, Watch, dangerous_in_html, write_hostile_project

CASE_FILE = "scenarios/first-day.yml"
START = "    text: Sam arrives late and quiet."
TALK = "    text: Sam says home has been difficult."
LABEL = "      - label: Talk to Sam at break"
ZWSP = "\u200b"


def png() -> bytes:
    """A valid 1x1 PNG, for an image that is a file of the site."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def put(project: Project, old: str, key: str, text: str) -> int:
    """Write author text into one field of the case (as one YAML line) and return that line."""
    line = f"{old.split(':')[0]}: {json.dumps(text)}"
    project.replace(CASE_FILE, old, line)
    return project.line_of(CASE_FILE, line)


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(f"{CASE_FILE}:")]


# -- task 1 and 2: the links and images Markdown makes --------------------------------------------------

BAD_LINKS = {
    "reference-in-a-list-item": "- [r]: file:///etc/passwd\n\nSee [the list][r].",
    "reference-in-a-quote": "> [q]: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\n\nSee [x][q].",
    "reference-nested": "- a list\n\n    > - [n]: javascript:alert(1)\n\nSee [x][n].",
    "reference-in-angle-brackets": "See [x][v].\n\n[v]: <vbscript:msgbox(1)>",
    "autolink-file": "See <file:///etc/passwd>.",
    "autolink-script": "See <javascript:alert(1)>.",
    "protocol-relative-inline": "See [x](//evil.example.net/x).",
    "protocol-relative-reference": "See [x][pr].\n\n[pr]: //evil.example.net/y",
    "protocol-relative-backslashes": "See [x](\\\\\\\\evil.example.net/x).",  # the href is '\\evil...'
    "image-inline-remote": "![pixel](https://tracker.example.net/p.png)",
    "image-inline-http": "![pixel](http://tracker.example.net/p.png \"a title\")",
    "image-reference-remote": "![pixel][t]\n\n[t]: https://tracker.example.net/p.png",
    "image-shortcut-reference": "![t]\n\n[t]: https://tracker.example.net/p.png",
    "image-protocol-relative": "![pixel](//tracker.example.net/p.png)",
    "image-data": "![pixel](data:image/png;base64,iVBORw0KGgo=)",
    "image-file": "![pixel](file:///etc/hosts)",
    "entity-tab-javascript": "[x](jav&#x09;ascript:alert(1))",
    "entity-newline-capitals": "[x](JaVa&#x0A;ScRiPt:alert(1))",
    "spaces-tab-and-title": "[x]( \tjavascript:alert(1) 'a title')",
    "file": "[passwords](file:///etc/passwd)",
    "file-capitals": "[passwords](FILE:///etc/passwd)",
    "data": "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "blob": "[x](blob:https://example.org/0b8e6a1c)",
    "ftp": "[x](ftp://example.org/file)",
    "vbscript": "[x](vbscript:msgbox(1))",
}


@pytest.mark.parametrize("text", BAD_LINKS.values(), ids=BAD_LINKS.keys())
def test_a_link_or_image_the_site_must_not_have_is_an_error_at_its_line(project, cli, text):
    line = put(project, START, "text", text)
    result = cli(project, "validate")
    assert result.returncode == 1, result.output
    assert "Traceback" not in result.output
    assert error_lines(result), result.stderr
    assert all(problem.startswith(f"{CASE_FILE}:{line}:") for problem in error_lines(result)), result.stderr


def test_a_remote_image_tells_the_author_to_add_the_file_to_the_project(project, cli):
    line = put(project, START, "text", "![pixel](https://tracker.example.net/p.png)")
    [problem] = error_lines(cli(project, "validate"))
    assert problem.startswith(f"{CASE_FILE}:{line}:")
    assert "another site" in problem and "docs/assets/" in problem


def test_a_reference_defined_in_another_field_is_checked_where_it_is_defined_and_used(project, cli):
    used = put(project, START, "text", "See [the form][far].")
    defined = put(project, TALK, "text", "Home is difficult.\n\n[far]: vbscript:msgbox(1)")
    lines = {p.split(":")[1] for p in error_lines(cli(project, "validate"))}
    assert lines == {str(used), str(defined)}


def test_an_image_whose_definition_is_in_another_field_is_an_error_where_it_is_shown(project, cli):
    used = put(project, START, "text", "Sam arrives late. ![pixel][img]")
    put(project, TALK, "text", "Home is difficult.\n\n[img]: https://tracker.example.net/p.png")
    [problem] = error_lines(cli(project, "validate"))
    assert problem.startswith(f"{CASE_FILE}:{used}:"), problem
    assert "tracker.example.net" in problem


def test_a_link_the_page_completes_around_a_label_is_an_error_at_the_label(project, cli):
    """case.md.j2 writes '[{{ label }}](#node-...)': a label 'a](javascript:...) [b' makes a link there."""
    line = put(project, LABEL, "label", "Talk](javascript:alert(1)) [to Sam")
    assert [p.split(":")[1] for p in error_lines(cli(project, "validate"))] == [str(line)]


def test_a_definition_the_page_completes_around_a_label_is_an_error_at_the_label(project, cli):
    """'[{{ label }}](#node-...)' starts a line: a label 'x]: javascript:...' makes it a definition."""
    line = put(project, LABEL, "label", "x]: javascript:alert(1)")
    put(project, START, "text", "Sam arrives late. See [x].")
    assert str(line) in [p.split(":")[1] for p in error_lines(cli(project, "validate"))]


GOOD_LINKS = {
    "https-and-http": "[GOV.UK](https://www.gov.uk/) and [a page](http://example.org/page)",
    "mailto-and-tel": "[email](mailto:a@example.org) and [phone](tel:+441632960000)",
    "pages-of-the-site": "[protocol](../protocols/consent-protocol.md#ask), [roles](../roles/) and [here](#node-talk)",
    "reference-to-a-web-page": "Read [the guidance][g].\n\n[g]: https://www.gov.uk/",
    "local-image": "![A child's drawing](../../assets/pic.png)",
    "local-image-by-reference": "![A child's drawing][pic]\n\n[pic]: ../../assets/pic.png",
    "autolink-to-a-web-page": "<https://www.gov.uk/> is shown as text.",
    "links-in-code": "Code is not a link: `[x](file:///etc/passwd)` and `![p](https://tracker.example.net/p.png)`",
    "words-in-prose": "Mentioning javascript: or data: or // in a sentence is fine.",
}


@pytest.mark.parametrize("text", GOOD_LINKS.values(), ids=GOOD_LINKS.keys())
def test_links_to_web_pages_email_phones_and_the_site_and_local_images_are_fine(project, cli, text):
    project.write("docs/assets/pic.png", png())
    put(project, START, "text", f"Sam arrives late. {text}")
    result = cli(project, "validate")
    assert result.returncode == 0, result.output


def test_a_local_image_that_is_not_there_is_an_error(project, cli):
    line = put(project, START, "text", "![A drawing](../../assets/missing.png)")
    [problem] = error_lines(cli(project, "validate"))
    assert problem.startswith(f"{CASE_FILE}:{line}:") and "missing.png" in problem


def test_the_check_renders_with_the_sites_markdown_extensions():
    from essw.markdown_text import EXTENSION_CONFIGS, EXTENSIONS

    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "python"))
    site = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert EXTENSIONS == [e for e in site if e != "pymdownx.snippets"]
    for entry in config["markdown_extensions"]:
        if isinstance(entry, dict) and next(iter(entry)) in EXTENSION_CONFIGS:
            name, options = next(iter(entry.items()))
            assert EXTENSION_CONFIGS[name] == options, name


# -- task 2: no request to another host -----------------------------------------------------------------

@pytest.fixture
def listener():
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    hits: list[str] = []

    class Record(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_HEAD = do_POST = do_GET  # noqa: N815

        def log_message(self, format, *args):  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def remote_html(url: str) -> str:
    """A pack's HTML made to reach for the listener in every way HTML and CSS can."""
    host = url.split("//", 1)[1]
    return (f'<style>@import url({url}/import.css); body {{ background: url({url}/background.png) }}'
            f' @font-face {{ font-family: Remote; src: url({url}/font.woff) }} p {{ font-family: Remote }}</style>'
            f'<link rel="stylesheet" href="{url}/link.css">'), \
           (f'<img src="{url}/pixel.png"><img src="//{host}/protocol-relative.png">'
            f'<img src="file:///etc/passwd"><img src="data:image/png;base64,iVBORw0KGgo=">'
            f'<object data="{url}/object.svg"></object><iframe src="{url}/frame.html"></iframe>')


def test_weasyprint_fetches_nothing_but_the_print_templates(listener, tmp_path):
    import weasyprint

    from essw.packs import TEMPLATES, _render_pdf, local_file

    url, hits = listener
    head, body = remote_html(url)
    html = f"<html><head>{head}</head><body><p>A pack.</p>{body}</body></html>"
    _render_pdf((html, str(tmp_path / "pack.pdf")))
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF-")
    assert hits == []
    # the listener and the HTML really do reach out: WeasyPrint on its own fetches from it
    weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf(str(tmp_path / "unguarded.pdf"))
    assert hits
    roots = (str(TEMPLATES),)
    assert local_file((TEMPLATES / "pack.css").as_uri(), roots)
    for refused in ("file:///etc/passwd", f"{url}/x.png", "https://example.org/x.png", "data:image/png;base64,AA==",
                    "ftp://example.org/x", "file://example.org/etc/passwd", (TEMPLATES / "../../x").as_uri()):
        assert not local_file(refused, roots), refused


def test_essw_build_with_packs_requests_nothing_from_another_host(project, cli, monkeypatch, listener):
    """Even a print template or CSS that pointed elsewhere could not make WeasyPrint fetch it."""
    from essw import packs

    url, hits = listener
    head, body = remote_html(url)
    render = packs.PackMaker._render

    def with_remote_references(self, *args, **kwargs):
        html = render(self, *args, **kwargs)
        assert "</head>" in html and "<body>" in html
        return html.replace("</head>", head + "</head>", 1).replace("<body>", "<body>" + body, 1)

    monkeypatch.setattr(packs.PackMaker, "_render", with_remote_references)
    result = cli(project, "build")
    assert result.returncode == 0, result.output
    pdfs = sorted(project.path("docs/library/packs").glob("*.pdf"))
    assert len(pdfs) == 5, pdfs  # the workshop: guide, handouts, evaluation; the case: two parts
    assert all(pdf.read_bytes().startswith(b"%PDF-") for pdf in pdfs)
    assert hits == [], hits


# -- task 3: code shows what the author wrote -----------------------------------------------------------

SPAN = "a && b <br> {x}"
BLOCK = "<script>alert(1)</script>\n&amp;\n{: onclick=x}"
PROSE = "prose a && b <br> {y} &amp; <i>z</i>"
SOURCE_URL = "https://www.gov.uk/guidance"


@pytest.fixture(scope="module")
def showcase(tmp_path_factory) -> Project:
    """The fixture project with code in several kinds of field, links to web pages and a local image,
    built once with 'essw build --no-packs'."""
    from test_injection import EXPLAINER, EXPLAINER_FILE

    project = Project(make_project(tmp_path_factory.mktemp("code") / "project"))
    project.write("docs/assets/pic.png", png())
    put(project, START, "text", f"Inline `{SPAN}` and {PROSE}.\n\n```\n{BLOCK}\n```\n\n"
                                f"See [GOV.UK](https://www.gov.uk/) and ![A drawing](../../assets/pic.png).")
    # a fence at the very start of a field the page writes after '**Feedback:** '
    project.replace(CASE_FILE, "        feedback: A calm, private conversation helps.",
                    "        feedback: " + json.dumps("~~~\n<img src=x onerror=alert(1)>\n~~~\nThen talk."))
    put(project, LABEL, "label", "Talk `<b>bold?</b>` at break")
    put(project, TALK, "text", "Jinja `{{ 7*7 }}` and a snippet:\n\n```\n--8<-- \"mkdocs.yml\"\n```")
    project.replace("policies/consent-protocol.yml", "    basis: Children Act 1989, section 47",
                    "    basis: " + json.dumps("Children Act 1989, `s.47 <b>`"))
    project.replace("policies/consent-protocol.yml", "  Ask first, explain why",
                    "  ```\n  <u>in a box</u>\n  ```\n\n  Ask first, explain why")
    project.write_raw(EXPLAINER_FILE, EXPLAINER.replace(
        "text: We help families.",
        "text: " + json.dumps("Code on a macro page: `{{ 7*7 }}`, `{% if x %}` and `{# c #}`.\n\n```\n{{ 7*7 }}\n```")))
    result = project.run("build", "--no-packs")
    assert result.returncode == 0, result.output
    return project


class Code(HTMLParser):
    """The text of each <code> element (inline) and <pre> element (blocks) of a page, and its elements."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.inline: list[str] = []
        self.blocks: list[str] = []
        self.elements: list[tuple[str, dict]] = []
        self.prose: list[str] = []
        self._open: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "pre":
            self.blocks.append("")
        elif tag == "code" and "pre" not in self._open:
            self.inline.append("")
        if tag in ("pre", "code"):
            self._open.append(tag)

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        if "pre" in self._open:
            self.blocks[-1] += data
        elif "code" in self._open:
            self.inline[-1] += data
        else:
            self.prose.append(data)


def page(project: Project, rel: str) -> Code:
    return Code(project.read(f"site/{rel}"))


def test_code_shows_exactly_what_the_author_wrote(showcase):
    case = page(showcase, "library/case-studies/first-day.html")
    assert SPAN in case.inline
    assert BLOCK + "\n" in case.blocks
    assert "<img src=x onerror=alert(1)>\n" in case.blocks  # the fence that opens the feedback
    assert "<b>bold?</b>" in case.inline  # in the text of a link
    assert "{{ 7*7 }}" in case.inline
    assert '--8\u200b<-- "mkdocs.yml"\n' in case.blocks  # a code block's '-8<' is broken by an invisible space
    assert "Jinja 49" not in "".join(case.prose)
    policy = page(showcase, "library/protocols/consent-protocol.html")
    assert "s.47 <b>" in policy.inline
    assert "<u>in a box</u>\n" in policy.blocks  # inside an admonition
    explainer = page(showcase, "library/parents/hostile-explainer.html")
    assert explainer.inline[:3] == ["{{ 7*7 }}", "{% if x %}", "{# c #}"]  # the page is a Jinja template
    assert f"{{{ZWSP}{{ 7*7 }}}}\n" in explainer.blocks  # in a code block, '{{' is broken by an invisible space
    assert "49" not in " ".join(explainer.inline + explainer.blocks)


def test_code_makes_no_element_attribute_template_or_snippet(showcase):
    for rel in ("library/case-studies/first-day.html", "library/protocols/consent-protocol.html",
                "library/parents/hostile-explainer.html"):
        found = page(showcase, rel)
        tags = [tag for tag, _ in found.elements]
        assert "br" not in tags and "u" not in tags and "i" not in tags, rel
        assert not [t for t, attrs in found.elements if t == "b" or t == "img" and attrs.get("src") == "x"], rel
        assert not [(t, a) for t, a in found.elements for name in a if name.startswith("on")], rel
        assert not dangerous_in_html(showcase.read(f"site/{rel}")), rel
        assert "render_by_default" not in showcase.read(f"site/{rel}"), f"mkdocs.yml was included in {rel}"


def test_prose_outside_code_stays_text(showcase):
    case = page(showcase, "library/case-studies/first-day.html")
    assert PROSE in " ".join(" ".join(case.prose).split())


def test_code_in_the_packs_shows_what_the_author_wrote(showcase):
    from essw.packs import PackMaker

    library, _ = showcase.library()
    [pack] = [p for p in PackMaker(library, site_name="Test").packs() if p.filename == "first-day-facilitator-copy.pdf"]
    found = Code(pack.html)
    assert SPAN in found.inline and BLOCK + "\n" in found.blocks
    assert not dangerous_in_html(pack.html)
    assert "br" not in [tag for tag, _ in found.elements]


@pytest.mark.browser
def test_a_page_with_links_images_and_code_requests_nothing_from_another_host(showcase, browser):
    server = SiteServer(showcase.path("site"))
    context = browser.new_context()
    view = context.new_page()
    requested: list[str] = []
    view.on("request", lambda request: requested.append(request.url))
    try:
        site = showcase.path("site")
        for rel in sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")):
            view.goto(f"{server.url}/{rel}", wait_until="networkidle")
    finally:
        context.close()
        server.close()
    assert any(url.endswith("/assets/pic.png") for url in requested), "the local image was not loaded"
    foreign = [url for url in requested if urlparse(url).scheme not in ("data", "blob")
               and urlparse(url).hostname != "127.0.0.1"]
    assert foreign == []


# -- code attacks in every field of every kind ----------------------------------------------------------

CODE_CORPUS = [
    "~~~\n<img src=x onerror=alert(1)>\n~~~",  # first: a field that opens with a fence
    "`<script>alert(1)</script>`",
    f"`<img src=x onerror=\"console.log('{MARKER}-code-img')\">`",
    "``<svg onload=alert(1)>`` and ``a ` b``",
    "`{: onclick=\"alert(1)\" }` then `x`{: onclick=\"alert(1)\" }",
    f"`{TEMPLATE_MARK}{{{{ 7*7 }}}}{TEMPLATE_MARK}` `{{% if true %}}` `{{# c #}}`",
    "```\n<script>alert(1)</script>\n{: onclick=\"alert(1)\" }\n```",
    "```\n--8<-- \"mkdocs.yml\"\n```",
    "`--8<-- \"mkdocs.yml\"`",
    "a `b` `<script>alert(1)</script>` ` unpaired",
    "\\``<script>alert(1)</script>`",
    "`x\n<div markdown=1>\n<script>alert(1)</script>\n</div>`",
    "    `<script>alert(1)</script>` indented",
    "`<!-- unclosed` and `</div></section>` and `<a href=\"x`",
    "`<a href=\"javascript:alert(1)\">x</a>` and `[x](javascript:alert(1))`",
    "ends with a backslash \\",
    "`` <b>`</b> ``",
    "text then a fence\n```\n<script>alert(1)</script>",
]


@pytest.fixture(scope="module")
def code_site(tmp_path_factory) -> Project:
    project = write_hostile_project(tmp_path_factory.mktemp("code-attacks") / "project", CODE_CORPUS)
    _, report = project.library()
    assert [p.format()[:300] for p in report.errors] == [], "code is never a link: the project must be valid"
    result = project.run("build", "--no-packs", timeout=300)
    assert result.returncode == 0, result.output[-3000:]
    return project


def test_code_in_every_field_of_every_kind_makes_no_html(code_site):
    site = code_site.path("site")
    problems = {}
    shown = 0
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        found = dangerous_in_html(text)
        if f"{TEMPLATE_MARK}49{TEMPLATE_MARK}" in text:
            found.append("'{{ 7*7 }}' was evaluated")
        if "render_by_default" in text:
            found.append("mkdocs.yml was included by a snippet")
        parsed = Code(text)
        found += [f"<{tag} {attrs}>" for tag, attrs in parsed.elements if tag in ("iframe", "b")
                  or tag == "svg" and "onload" in attrs or tag == "img" and attrs.get("src") == "x"]
        shown += sum("<script>alert(1)</script>" in c for c in parsed.inline + parsed.blocks)
        if found:
            problems[path.relative_to(site).as_posix()] = found
    assert not problems, json.dumps(problems, indent=1)[:6000]
    assert shown >= 10, "the code was not shown as written"
    # The folder-copy index holds the code as plain text (the search box escapes what it shows), and
    # the script that carries it cannot be ended early by a '</script>' in the text.
    assert any("<script>alert(1)</script>" in indexed_text(d) for d in offline_index(code_site.path("site")))
    assert "</" not in code_site.read("site/search/essw-offline-index.js")


def test_the_page_around_code_keeps_its_structure(code_site):
    """A case's nodes are <section>s inside <div class='essw-case'>: code in a field must not end them."""
    found = Code(code_site.read("site/library/case-studies/first-day.html"))
    sections = [a.get("id") for t, a in found.elements if t == "section" and "essw-node" in (a.get("class") or "")]
    assert sections == ["node-start", "node-talk", "node-wait", "node-the-end"]
    assert not [a for t, a in found.elements if "markdown" in a], "an HTML block was left unparsed"


@pytest.mark.browser
def test_code_in_every_field_runs_nothing_in_chromium(code_site, browser):
    server = SiteServer(code_site.path("site"))
    context = browser.new_context()
    view = context.new_page()
    watch = Watch(view)
    requested: list[str] = []
    view.on("request", lambda request: requested.append(request.url))
    found = {}
    try:
        for rel in ("index.html", "library/case-studies/first-day.html", "library/protocols/consent-protocol.html",
                    "library/parents/hostile-explainer.html", "library/glossary/index.html",
                    "library/workshops/parents-evening.html"):
            view.goto(f"{server.url}/{rel}", wait_until="load")
            bad = view.evaluate(DOM_CHECK, MARKER)
            if bad or watch.events:
                found[rel] = bad + watch.events
                watch.events = []
        view.goto(f"{server.url}/library/case-studies/first-day.html", wait_until="load")
        view.locator(".essw-player").wait_for(state="visible", timeout=10_000)
    finally:
        context.close()
        server.close()
    assert not found, found
    assert [url for url in requested if urlparse(url).hostname not in ("127.0.0.1", None)] == []


# -- the rules that keep code safe where the page puts it ---------------------------------------------------

def _elements(markdown_text: str) -> list[str]:
    from essw.markdown_text import render

    return [tag for tag, _ in Code(render(markdown_text)).elements]


@pytest.mark.parametrize("before, after", [
    ("x `", "`<b>bold</b>` y"),  # a backtick left in one field must not pair with another's code
    ("ends with \\", "`<b>bold</b>`"),  # nor may a backslash at the end of a field escape it
    ("a", "`` <b>`</b> ``"),
])
def test_code_in_one_line_pairs_only_with_itself(before, after):
    from essw.markdown_text import inline

    for line in (f"{inline(before)}, {inline(after)}", f"[{inline(before)}{inline(after)}](#x)",
                 f"`{inline(before)} {inline(after)}`",  # _parts.md.j2 writes a source's url inside backticks
                 f"*{inline(after)}*"):
        assert "b" not in _elements(line), line


def test_safe_markdown_escapes_prose_and_keeps_confirmed_code():
    from essw.markdown_text import inline, safe_markdown

    assert safe_markdown("`a && b <br> {x}` and a && b <br> {x}") == \
        "<code>a &#38;&#38; b &#60;br&#62; &#123;x&#125;</code> and a &amp;&amp; b &lt;br> &#123;x&#125;"
    assert safe_markdown("```\n<b>\n{{ x }}\n```") == "\n\n```\n<b>\n{\u200b{ x }}\n```"  # a label may come first
    assert safe_markdown("    `<b>` in an indented code block") == "    `&lt;b>` in an indented code block"
    # not code for Markdown, so escaped: a span across lines, a reference title, an unclosed comment
    assert safe_markdown("a `x\n<div markdown=1>` b") == "a `x\n&lt;div markdown=1>` b"
    assert safe_markdown('[r]: /x "a `<b>`"') == '[r]: /x "a `&lt;b>`"'
    # a span is an element whose characters are all entities: nothing of it is read as syntax
    assert safe_markdown("`<!-- x` `y`") == "<code>&#60;&#33;&#45;&#45; x</code> `y`"
    assert inline("a `<b>` c `[x](y)` ` d") == \
        "a <code>&#60;b&#62;</code> c <code>&#91;x&#93;&#40;y&#41;</code> &#96; d"
    assert inline(None) == safe_markdown(None) == ""
