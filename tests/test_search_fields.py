"""Authors improve search without code: 'questions' on every item and 'also_called' on glossary terms.

Both are shown on the page (so readers benefit and the site's search indexes them), validated like
any other field, and end up in the built search index.
"""

from __future__ import annotations

import re

import pytest

from conftest import PAGES, indexed_text, offline_index, parse_page

PROBLEM_LINE = re.compile(r"^(?P<path>[\w./-]+\.ya?ml):(?P<line>\d+):(?P<column>\d+): \S")

# One source file per item kind in the fixture project, and the line after which to add questions.
ITEM_FILES = {
    "first-day": ("scenarios/first-day.yml", "audiences: [essw, school-staff]\n"),
    "consent-protocol": ("policies/consent-protocol.yml", "tags: [consent]\n"),
    "dsl-role": ("roles/dsl-role.yml", "audiences: [school-staff, dsl]\n"),
    "parents-evening": ("workshops/parents-evening.yml", "audiences: [parents, trainers]\n"),
    "induction": ("paths/induction.yml", "audiences: [essw]\n"),
}

EXPLAINER = """\
id: what-happens-next
title: What happens next
summary: What happens after you talk to the school social worker.
audiences: [parents]
questions:
  - Will social services take my child?
  - Who will you tell about what I say?
owner: ESSW team manager
reviewed: 2025-01-15
review_by: 2035-01-15
sections:
  - heading: Who will you tell?
    text: We only tell people who need to know.
  - heading: Will social services take my child?
    text: Almost always, no. We work with you to keep your child safe at home.
what_to_do_next:
  - Ask the school office.
"""


def add_questions(project, item_id: str, questions: list[str]) -> None:
    rel, after = ITEM_FILES[item_id]
    lines = "".join(f"  - {q}\n" for q in questions)
    project.replace(rel, after, f"{after}questions:\n{lines}")


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if PROBLEM_LINE.match(line)]


def test_every_kind_shows_its_questions_on_its_page(project, cli):
    for item_id in ITEM_FILES:
        add_questions(project, item_id, [f"How does {item_id} help me?", "Can I say *no*?"])
    project.write("explainers/what-happens-next.yml", EXPLAINER)
    result = cli(project, "generate")
    assert result.returncode == 0, result.output
    for item_id in ITEM_FILES:
        page = project.read(f"docs/{PAGES[item_id]}.md")
        assert "## Questions this page answers" in page, item_id
        assert f"- How does {item_id} help me?" in page, item_id
        # Author text passes through the |inline filter, like every other line.
        assert "Can I say *no*?" in page, item_id
    page = project.read("docs/library/parents/what-happens-next.md")
    assert "## Questions this page answers" in page
    assert "- Will social services take my child?" in page
    assert "- Who will you tell about what I say?" in page


def test_a_page_without_questions_has_no_questions_section(project, cli):
    assert cli(project, "generate").returncode == 0
    for item_id in ITEM_FILES:
        assert "Questions this page answers" not in project.read(f"docs/{PAGES[item_id]}.md"), item_id


def test_questions_that_are_not_a_list_give_a_one_line_error(project, cli):
    project.replace("policies/consent-protocol.yml", "tags: [consent]\n", 'tags: [consent]\nquestions: "not a list"\n')
    result = cli(project, "validate")
    assert result.returncode == 1
    found = error_lines(result.output)
    assert len(found) == 1, result.output
    line = project.line_of("policies/consent-protocol.yml", "questions:")
    assert found[0].startswith(f"policies/consent-protocol.yml:{line}:12: "), found[0]
    assert "expected a list" in found[0]


def test_an_empty_question_gives_a_one_line_error(project, cli):
    project.replace("roles/dsl-role.yml", "audiences: [school-staff, dsl]\n",
                    'audiences: [school-staff, dsl]\nquestions:\n  - Who is the safeguarding lead?\n  - ""\n')
    result = cli(project, "validate")
    assert result.returncode == 1
    found = error_lines(result.output)
    assert len(found) == 1, result.output
    line = project.line_of("roles/dsl-role.yml", '- ""')
    assert found[0].startswith(f"roles/dsl-role.yml:{line}:5: "), found[0]
    assert "questions[2]" in found[0] or "empty" in found[0].lower()


def test_too_many_questions_is_an_error(project, cli):
    add_questions(project, "induction", [f"Question number {n}?" for n in range(1, 14)])
    result = cli(project, "validate")
    assert result.returncode == 1
    found = error_lines(result.output)
    assert len(found) == 1 and found[0].startswith("paths/induction.yml:"), result.output


def test_an_unknown_key_near_questions_is_still_caught(project, cli):
    project.replace("paths/induction.yml", "audiences: [essw]\n", "audiences: [essw]\nquestion:\n  - Where do I start?\n")
    result = cli(project, "validate")
    assert result.returncode == 1
    assert "did you mean 'questions'?" in result.output


def test_also_called_shows_on_the_glossary_page(project, cli):
    project.replace("glossary.yml", "    definition: Support for a family as soon as a problem emerges.\n",
                    "    also_called: [CAF support, help early]\n"
                    "    definition: Support for a family as soon as a problem emerges.\n")
    assert cli(project, "generate").returncode == 0
    page = project.read(f"docs/{PAGES['glossary']}.md")
    assert "*Also called: CAF support, help early.*" in page
    # Terms without other names get no 'Also called' line.
    assert page.count("Also called") == 1


def test_also_called_must_be_a_list_of_lines(project, cli):
    project.replace("glossary.yml", "    definition: Support for a family as soon as a problem emerges.\n",
                    "    also_called: help early\n"
                    "    definition: Support for a family as soon as a problem emerges.\n")
    result = cli(project, "validate")
    assert result.returncode == 1
    found = error_lines(result.output)
    assert len(found) == 1 and found[0].startswith(f"glossary.yml:{project.line_of('glossary.yml', 'also_called')}:"), \
        result.output


@pytest.mark.slow
def test_questions_and_also_called_are_in_the_built_page_and_search_index(project):
    add_questions(project, "consent-protocol", ["Zebrafinch question about sharing before consent?"])
    project.replace("glossary.yml", "    definition: Support for a family as soon as a problem emerges.\n",
                    "    also_called: [quokkaword]\n"
                    "    definition: Support for a family as soon as a problem emerges.\n")
    result = project.run("build", "--no-packs", timeout=300)
    assert result.returncode == 0, result.output

    page = parse_page(project.path(f"site/{PAGES['consent-protocol']}.html"))
    assert "Questions this page answers" in page.text
    assert "Zebrafinch question about sharing before consent?" in page.text
    glossary = parse_page(project.path("site/library/glossary/index.html"))
    assert "Also called: quokkaword." in glossary.text

    docs = offline_index(project.path("site"))
    with_question = [d["url"] for d in docs if "Zebrafinch question" in d["questions"]]
    assert with_question == [f"{PAGES['consent-protocol']}.html"], with_question
    with_word = [d["url"] for d in docs if "quokkaword" in indexed_text(d)]
    assert with_word == ["library/glossary/index.html"], with_word
    fragments = list(project.path("site/pagefind/fragment").iterdir())  # and Pagefind indexed the same pages
    assert len(fragments) == len(docs), (len(fragments), len(docs))
