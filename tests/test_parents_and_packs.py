"""Parents' pages read easily, and every printable pack is a real, complete A4 PDF.

The readability gate measures each parents' page on its own prose: the paragraphs and list items
of the article, without the navigation, the site-wide safety block, tags, sources or footer.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from essw.sources import load_library

pytestmark = pytest.mark.slow

MAX_GRADE = 6.0
MIN_EASE = 60.0
MAX_SENTENCE_WORDS = 25
# GOV.UK's words to avoid (foster is fine for foster carers, so it is checked apart).
WORDS_TO_AVOID = {"agenda", "collaborate", "deliver", "deploy", "empower", "facilitate", "impact", "key",
                  "leverage", "liaise", "overarching", "robust", "streamline", "tackle", "utilise"}


@pytest.fixture(scope="module")
def site(repo_site) -> Path:
    return repo_site


@pytest.fixture(scope="module")
def library():
    library, report = load_library(REPO)
    assert not report.errors
    return library


class Prose(HTMLParser):
    """Sentences from <p> and <li> in the article, stopping at the Sources heading."""

    SKIP_CLASSES = ("essw-danger", "essw-exit", "md-tags", "md-source-file")

    def __init__(self):
        super().__init__()
        self.in_article = False
        self.stack: list[tuple[str, bool]] = []
        self.done = False
        self.blocks: list[str] = []
        self.current: list[str] | None = None

    def skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.in_article = True
        if not self.in_article or self.done:
            return
        if tag in ("h2",) and (attrs.get("id") or "") == "sources":
            self.done = True
            return
        classes = attrs.get("class") or ""
        skip = tag in ("small", "script", "style", "nav", "h1") or any(c in classes for c in self.SKIP_CLASSES)
        self.stack.append((tag, skip))
        if tag in ("p", "li") and not self.skipping() and self.current is None:
            self.current = []

    def handle_endtag(self, tag):
        if not self.in_article or self.done:
            if tag == "article":
                self.in_article = False
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if tag in ("p", "li") and self.current is not None:
            text = " ".join("".join(self.current).split())
            if text:
                self.blocks.append(text)
            self.current = None

    def handle_data(self, data):
        if self.current is not None and not self.skipping():
            self.current.append(data)


def prose(page: Path) -> list[str]:
    parser = Prose()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.blocks


def sentences(blocks: list[str]) -> list[str]:
    out = []
    for block in blocks:
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", block) if s.strip()]
    return out


def parents_pages(site: Path, library) -> list[Path]:
    pages = sorted((site / "parents-and-carers").glob("*.html"))
    pages += [site / "library" / "parents" / f"{e.item.id}.html" for e in library.of_kind("explainer")]
    return pages


def test_there_are_at_least_eight_explainers(library):
    assert len(library.of_kind("explainer")) >= 8


def test_textstat_works_offline_without_a_pronunciation_download():
    from importlib.metadata import version

    import textstat

    assert version("textstat") == "0.7.4", "later versions download cmudict at first use and fail offline"
    assert textstat.syllable_count("family") == 3


def test_every_parents_page_reads_at_a_reading_age_of_9_to_11(site, library):
    import textstat

    failures = []
    for page in parents_pages(site, library):
        text = " ".join(sentences(prose(page)))
        assert len(text.split()) > 60, f"{page.name}: too little prose found to measure"
        grade = textstat.flesch_kincaid_grade(text)
        ease = textstat.flesch_reading_ease(text)
        if grade > MAX_GRADE or ease < MIN_EASE:
            failures.append(f"{page.relative_to(site)}: grade {grade}, ease {ease}")
    assert not failures, "hard to read: " + "; ".join(failures)


def test_no_sentence_on_a_parents_page_runs_past_25_words(site, library):
    long = []
    for page in parents_pages(site, library):
        for sentence in sentences(prose(page)):
            if len(sentence.split()) > MAX_SENTENCE_WORDS:
                long.append(f"{page.name}: {sentence}")
    assert not long, "\n".join(long)


def test_parents_pages_avoid_govuk_words_to_avoid(site, library):
    found = []
    for page in parents_pages(site, library):
        words = re.findall(r"[a-z]+", " ".join(prose(page)).lower())
        for word in words:
            stem = re.sub(r"(s|d|ed|ing|es)$", "", word)
            if word in WORDS_TO_AVOID or stem in WORDS_TO_AVOID:
                found.append(f"{page.name}: {word}")
    assert not found, found


def test_each_explainer_ends_with_what_to_do_next_and_the_local_contact(site, library):
    extra = re.search(r"^extra:\n.*", (REPO / "mkdocs.yml").read_text(encoding="utf-8"), re.S | re.M).group(0)
    local = yaml.safe_load(extra)["extra"]["local"]
    for entry in library.of_kind("explainer"):
        html = (site / "library" / "parents" / f"{entry.item.id}.html").read_text(encoding="utf-8")
        assert 'id="what-to-do-next"' in html, entry.item.id
        tail = html[html.index('id="what-to-do-next"'):]
        assert local["front_door_phone"] in tail, entry.item.id
        assert local["front_door_name"].replace("'", "&#39;") in tail or local["front_door_name"] in tail


# -- printable packs ----------------------------------------------------------------------------

def test_at_least_six_workshops_with_timings_that_add_up(library):
    workshops = library.of_kind("workshop")
    assert len(workshops) >= 6
    for entry in workshops:
        w = entry.item
        assert sum(step.minutes for step in w.plan) == w.duration_minutes, w.id


def _pdf_text(path: Path) -> tuple[int, str, object]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages), reader


def _squash(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


def test_every_workshop_has_a_facilitator_guide_and_handouts_pdf(site, library):
    for entry in library.of_kind("workshop"):
        w = entry.item
        packs = site / "library" / "packs"
        pages, text, reader = _pdf_text(packs / f"{w.id}-facilitator-guide.pdf")
        assert pages > 1
        assert _squash(w.title) in _squash(text)
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842), "not A4"
        assert "Page 2 of" in text, "no page numbers"
        pages, text, _ = _pdf_text(packs / f"{w.id}-handouts.pdf")
        assert pages >= len(w.handouts)
        for handout in w.handouts:
            assert _squash(handout.title) in _squash(text), (w.id, handout.title)
        assert "evaluation form" not in _squash(text)  # the form is a document of its own
        pages, text, _ = _pdf_text(packs / f"{w.id}-evaluation-form.pdf")
        for question in w.evaluation:
            assert _squash(question)[:40] in _squash(text), (w.id, question)


def test_every_step_of_every_workshop_finds_its_materials_in_the_packs(site, library):
    """What the plan uses is printed: cards on the cards sheet, answer sheets with the handouts,
    answers, scenario notes and slide outlines in the guide, and every item in the guide's checklist."""
    for entry in library.of_kind("workshop"):
        w = entry.item
        packs = site / "library" / "packs"
        guide = _squash(_pdf_text(packs / f"{w.id}-facilitator-guide.pdf")[1])
        handouts = _squash(_pdf_text(packs / f"{w.id}-handouts.pdf")[1])
        cards_pdf = packs / f"{w.id}-cards.pdf"
        cards = _squash(_pdf_text(cards_pdf)[1]) if cards_pdf.exists() else ""
        for step in w.plan:
            for used in step.uses:
                material = w.material(used)
                assert material is not None, (w.id, used)
                assert _squash(material.title)[:40] in guide, (w.id, used, "not in the guide's plan or checklist")
                kind = getattr(material, "kind", "handout")
                if kind == "quiz-cards":
                    for card in material.quiz:
                        assert _squash(card.statement)[:40] in cards, (w.id, card.statement)
                        assert _squash(card.explanation)[:40] in guide, (w.id, "answer missing", card.statement)
                elif kind == "scenario-cards":
                    for card in material.scenarios:
                        assert _squash(card.title)[:40] in cards, (w.id, card.title)
                elif kind in ("handout", "answer-sheet"):
                    assert _squash(material.title)[:40] in handouts, (w.id, material.title)


def test_the_reasonable_chastisement_pack_has_its_quiz_with_answers_and_its_scenario_cards(site, library):
    from pypdf import PdfReader

    w = library.entries["reasonable-chastisement"].item
    quiz = [m for m in w.materials if m.kind == "quiz-cards"]
    scenarios = [m for m in w.materials if m.kind == "scenario-cards"]
    assert quiz and scenarios and sum(len(m.quiz) for m in quiz) >= 8 and sum(len(m.scenarios) for m in scenarios) >= 4
    reader = PdfReader(str(site / "library" / "packs" / f"{w.id}-cards.pdf"))
    pages = [_squash(page.extract_text()) for page in reader.pages]
    text = " ".join(pages)
    for card in [c for m in quiz for c in m.quiz]:
        # the sentence, then (on the fold-over half of the same card) its answer and the law behind it
        start = text.index(_squash(card.statement)[:40])
        after = text[start:start + 1500]
        answer = "true." if card.answer else "false."
        assert after.index(answer) < after.index(_squash(card.explanation)[:30]), card.statement
        if card.law:
            assert _squash(card.law)[:30] in after, card.law
    for card in [c for m in scenarios for c in m.scenarios]:
        assert _squash(card.title) in text and _squash(card.questions[0])[:40] in text, card.title
        if card.notes:
            assert _squash(card.notes)[:40] not in text, "facilitator notes belong in the guide, not on the card"
    assert len(reader.pages) <= len(quiz[0].quiz) // 2 + len(scenarios[0].scenarios), "several cards to a page"


def test_every_case_has_a_facilitator_copy_with_every_branch(site, library):
    for entry in library.of_kind("case"):
        c = entry.item
        pages, text, _ = _pdf_text(site / "library" / "packs" / f"{c.id}-facilitator-copy.pdf")
        assert pages > 0
        flat = _squash(text)
        assert _squash(c.title)[:40] in flat
        for node in c.nodes.values():
            for choice in node.choices:
                assert _squash(choice.label)[:30] in flat, (c.id, choice.label)


def _plain(text: str) -> str:
    """Text as a PDF shows it, for comparing: one space between words, straight quotes."""
    for curly, straight in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(curly, straight)
    return " ".join(text.split())


LEADS_TO = re.compile(r"\(leads to: (.+?), card (\d+), page (\d+)\)")


def test_every_leads_to_in_a_facilitator_copy_gives_the_page_of_that_node(site, library):
    for entry in library.of_kind("case"):
        c = entry.item
        from pypdf import PdfReader

        reader = PdfReader(str(site / "library" / "packs" / f"{c.id}-facilitator-copy.pdf"))
        pages = [_plain(page.extract_text()) for page in reader.pages]
        found = LEADS_TO.findall(" ".join(pages))
        choices = sum(len(node.choices) for node in c.nodes.values())
        assert len(found) == choices, (c.id, len(found), choices)
        numbers = {str(i): name for i, name in enumerate(c.nodes, 1)}
        for title, card, page in found:
            name = numbers[card]
            from essw.model.case import node_title

            assert _plain(node_title(name, c.nodes[name])) == title, (c.id, title, card)
            heading = f"{title} (card {card})"
            assert heading in pages[int(page) - 1], (c.id, heading, "is not on page", page)


def test_an_ending_is_never_split_from_its_debrief(site, library):
    from pypdf import PdfReader

    for entry in library.of_kind("case"):
        c = entry.item
        reader = PdfReader(str(site / "library" / "packs" / f"{c.id}-facilitator-copy.pdf"))
        pages = [_plain(page.extract_text()) for page in reader.pages]
        for i, name in enumerate(c.nodes, 1):
            node = c.nodes[name]
            if node.kind != "end":
                continue
            from essw.model.case import node_title

            heading = f"Ending: {_plain(node_title(name, node))} (card {i})"
            [at] = [i for i, p in enumerate(pages) if heading in p]
            last_question = _plain(re.sub(r"[*_`]", "", node.debrief.questions[-1]))[:30]
            together = last_question in pages[at][pages[at].index(heading):]
            # an ending too long for one page starts a page of its own and runs on to the next
            too_long = pages[at].startswith(heading) and at + 1 < len(pages) and last_question in pages[at + 1]
            assert together or too_long, (c.id, name, "debrief split from its ending")


def test_participants_cards_have_every_situation_and_choice_and_no_rating(site, library):
    for entry in library.of_kind("case"):
        c = entry.item
        pages, text, _ = _pdf_text(site / "library" / "packs" / f"{c.id}-participant-cards.pdf")
        flat = _squash(text)
        for node in c.nodes.values():
            for choice in node.choices:
                assert _squash(choice.label)[:30] in flat, (c.id, choice.label)
                assert _squash(choice.feedback)[:40] not in flat, (c.id, "feedback on a participant's card")
        for giveaway in ("strong practice", "[acceptable]", "[risky]", "feedback:", "leads to:", "debrief"):
            assert giveaway not in flat, (c.id, giveaway)


def test_every_pack_is_a_tagged_pdf_with_its_title_shown(site):
    from pypdf import PdfReader

    packs = sorted((site / "library" / "packs").glob("*.pdf"))
    assert len(packs) >= 50
    for pdf in packs:
        reader = PdfReader(str(pdf))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root, pdf.name
        assert bool(root["/MarkInfo"]["/Marked"]), pdf.name
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]), pdf.name
        assert root["/Lang"] == "en-GB", pdf.name
        assert reader.metadata.title and len(reader.metadata.title) > 3, pdf.name
        # headings and lists are tagged as such, so a screen reader can move through them
        tree = str(_struct_kinds(root["/StructTreeRoot"]))
        assert "/H1" in tree or "/H2" in tree, pdf.name


def _struct_kinds(node, seen=None) -> set:
    seen = set() if seen is None else seen
    node = node.get_object()
    if "/S" in node:
        seen.add(str(node["/S"]))
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get"):
            _struct_kinds(kid, seen)
    return seen


def test_pack_pages_link_their_pdfs_at_the_top_with_pages_and_size(site, library):
    from pypdf import PdfReader

    from essw.packs import pack_files

    for kind, folder in (("workshop", "workshops"), ("case", "case-studies")):
        for entry in library.of_kind(kind):
            page = (site / "library" / folder / f"{entry.item.id}.html").read_text(encoding="utf-8")
            box = page.index('class="essw-packs"')
            assert box < page.index('id="learning-outcomes"' if kind == "workshop" else 'id="what-you-will-learn"')
            for f in pack_files(kind, entry.item):
                pdf = site / "library" / "packs" / f.filename
                pages = len(PdfReader(str(pdf)).pages)
                size = pdf.stat().st_size
                words = f"{pages} page{'s' if pages != 1 else ''}, {max(1, round(size / 1024)):,} kB"
                link = f'href="../packs/{f.filename}"'
                assert link in page[box:], (entry.item.id, f.filename)
                assert words in page[box:page.index("</div>", box)], (entry.item.id, f.filename, words)
            # printed, the page says where its packs are (the links themselves do not print)
            site_url = yaml.safe_load(re.search(r"^site_url: .*$", (REPO / "mkdocs.yml").read_text(encoding="utf-8"),
                                                re.M).group(0))["site_url"]
            own = f"{site_url}library/{folder}/{entry.item.id}.html"
            assert f'<p class="essw-print-only">The printable packs for this page are on the website: {own}</p>' in page


def test_parents_guides_say_who_checked_them_in_words(site, library):
    """No job titles, abbreviations or 'review due' jargon in a parents' page footer."""
    for entry in library.of_kind("explainer"):
        text = (site / "library" / "parents" / f"{entry.item.id}.html").read_text(encoding="utf-8")
        assert "Checked by the school social work team on " in text, entry.item.id
        assert "Owner:" not in text and "Next review due" not in text, entry.item.id


def test_every_abbreviation_on_a_parents_page_is_written_out_where_it_first_appears(site, library):
    """The whole page a parent sees (exit bar, safety block, article, tags, footer), not only the
    source: without the site menu, which is the same on every page, and the Sources list, which
    cites documents by their titles."""
    from essw.checks.plain_words import unexplained

    terms = {t.abbreviation.lower(): t.term for t in library.terms.values() if t.abbreviation}
    found = []
    for page in parents_pages(site, library):
        text = page.read_text(encoding="utf-8")
        text = text[text.index("<body"):]
        text = re.sub(r"<(script|style|dialog)\b.*?</\1>", " ", text, flags=re.S)
        text = re.sub(r'<nav class="md-nav[ "].*?</nav>\s*</div>\s*</div>\s*</div>', " ", text, flags=re.S)
        text = re.sub(r'<h2 id="sources".*?(?=<hr|<nav class="md-tags)', " ", text, flags=re.S)
        words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
        assert "Checked by the school social work team" in words or "parents-and-carers" in str(page), page
        found += [f"{page.relative_to(site)}: {abbr}" for _, _, abbr in unexplained([((), words)], terms)]
    assert not found, found


def test_handouts_carry_the_areas_numbers_and_no_internal_details_on_the_cover(site, library):
    """A handout goes home with a family: the real numbers (mkdocs.yml extra.local), not 'the number
    is on the school website', and no owner, review dates or audiences on its cover."""
    from pypdf import PdfReader

    extra = re.search(r"^extra:\n.*", (REPO / "mkdocs.yml").read_text(encoding="utf-8"), re.S | re.M).group(0)
    settings = yaml.safe_load(extra)["extra"]
    phone = settings["local"]["front_door_phone"]
    for entry in library.of_kind("workshop"):
        w = entry.item
        reader = PdfReader(str(site / "library" / "packs" / f"{w.id}-handouts.pdf"))
        cover = _squash(reader.pages[0].extract_text())
        for internal in ("owner", "review", w.owner.lower(), "for: "):
            assert internal not in cover, (w.id, internal, cover)
        assert phone in cover and _squash(settings["local"]["front_door_name"]) in cover, (w.id, cover)
        assert ("example contacts" in cover) == bool(settings.get("example_contacts")), w.id
        text = _squash("\n".join(page.extract_text() for page in reader.pages))
        assert "on the school website" not in text and "on their websites" not in text, w.id
        # each handout that promises the numbers has them on its own pages
        for handout in w.handouts:
            if handout.contacts:
                pages = [_squash(p.extract_text()) for p in reader.pages]
                start = next(i for i, p in enumerate(pages) if i and _squash(handout.title)[:40] in p)
                own = " ".join(pages[start:start + 3])
                own = own[:own.find("evaluation form:")] if "evaluation form:" in own else own
                assert phone in own, (w.id, handout.title)
    drop_in = next(e.item for e in library.of_kind("workshop") if e.item.id == "parents-drop-in")
    assert sum(h.contacts for h in drop_in.handouts) >= 3
