"""The case-study graph checks (essw/checks/casegraph.py) where a list of problems does not say it all.

Most checks are tested as data: a case source and the exact lines 'essw validate' prints for it, one
folder each under tests/data/casegraph/, run by tests/test_casegraph_data.py. What stays here checks
other things: the engine's rule for conditions (holds()), how far explore() plays, how long big cases
take to check, and the rule that every shipped case has a path of only strong practice.
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from conftest import GOVERNANCE, REGISTER
from essw.model.play import MAX_STATES, explore, holds
from essw.model.case import Condition
from essw.problems import ERROR, WARNING
from essw.sources import load_library

REL = "scenarios/test-case.yml"

HEAD = f"""\
id: test-case
title: Test case
summary: A case written by a test.
audiences: [essw]
composite: true
level_of_need: 2
spectrum: prevention
minutes: 5
learning_outcomes:
  - Something to learn.
{GOVERNANCE}"""

# The ending every case gets unless it asks not to (end=False), at the level of a node name.
END = """\
done:
  kind: end
  text: It is over.
  debrief:
    good_practice: Good practice.
    questions: [What did you learn?]
"""


class CaseFile:
    """One case source in a folder of its own, and what validating it reports."""

    def __init__(self, root: Path, text: str):
        self.root = root
        self.text = text
        path = root / REL
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        (root / "publications.yml").write_text(REGISTER, encoding="utf-8")  # what GOVERNANCE cites
        _, report = load_library(root)
        self.problems = report.sorted()

    def line_of(self, needle: str) -> int:
        lines = [i for i, line in enumerate(self.text.splitlines(), 1) if needle in line]
        assert len(lines) == 1, f"{needle!r} is on lines {lines}, expected exactly one"
        return lines[0]

    def formatted(self) -> str:
        return "\n".join(p.format() for p in self.problems) or "(no problems)"

    def only(self, severity: str = ERROR):
        assert len(self.problems) == 1, self.formatted()
        assert self.problems[0].severity == severity, self.formatted()
        assert self.problems[0].path == REL
        return self.problems[0]


@pytest.fixture
def case(tmp_path):
    """case(nodes, flags=..., start=...) -> CaseFile, validated."""
    counter = iter(range(1000))

    def make(nodes: str, *, flags: str = "", start: str = "start", end: bool = True) -> CaseFile:
        text = HEAD
        if flags:
            text += "flags:\n" + textwrap.indent(textwrap.dedent(flags), "  ")
        text += f"start: {start}\nnodes:\n" + textwrap.indent(textwrap.dedent(nodes) + (END if end else ""), "  ")
        return CaseFile(tmp_path / f"p{next(counter)}", text)

    return make


# -- holds(): the engine's rule ----------------------------------------------------------------------

def C(**kw) -> Condition:
    return Condition(**kw)


NONE = frozenset()


def test_holds_unset_flags():
    assert holds(None, {}, NONE) is True
    assert holds(C(flag="a"), {}, NONE) is False                               # == true, unset
    assert holds(C(flag="a", value=False), {}, NONE) is False                  # unset is not false
    assert holds(C(flag="a", op="!=", value=True), {}, NONE) is True
    assert holds(C(flag="a", op="!=", value=False), {}, NONE) is True
    assert holds(C(flag="a", op="<", value=3), {}, NONE) is True                # unset counts as below
    assert holds(C(flag="a", op="<=", value=0), {}, NONE) is True
    assert holds(C(flag="a", op=">", value=0), {}, NONE) is False
    assert holds(C(flag="a", op=">=", value=0), {}, NONE) is False


def test_holds_equality_is_strict_about_type():
    assert holds(C(flag="a", value=1), {"a": True}, NONE) is False
    assert holds(C(flag="a", value=True), {"a": 1}, NONE) is False
    assert holds(C(flag="a", value=True), {"a": True}, NONE) is True
    assert holds(C(flag="a", value=1), {"a": 1}, NONE) is True
    assert holds(C(flag="a", value="1"), {"a": 1}, NONE) is False
    assert holds(C(flag="a", op="!=", value=1), {"a": True}, NONE) is True
    assert holds(C(flag="a", op="!=", value=0), {"a": False}, NONE) is True
    assert holds(C(flag="a", value="agreed"), {"a": "agreed"}, NONE) is True


def test_holds_comparisons():
    assert holds(C(flag="n", op=">", value=1), {"n": 2}, NONE) is True
    assert holds(C(flag="n", op=">", value=2), {"n": 2}, NONE) is False
    assert holds(C(flag="n", op=">=", value=2), {"n": 2}, NONE) is True
    assert holds(C(flag="n", op="<", value=2), {"n": 2}, NONE) is False
    assert holds(C(flag="n", op="<=", value=2), {"n": 2}, NONE) is True
    assert holds(C(flag="n", op=">", value=0), {"n": "many"}, NONE) is False


def test_holds_visited_and_lists():
    seen = frozenset({"talk"})
    assert holds(C(visited="talk"), {}, seen) is True
    assert holds(C(visited="wait"), {}, seen) is False
    assert holds(C(not_visited="talk"), {}, seen) is False
    assert holds(C(not_visited="wait"), {}, seen) is True
    both = [C(visited="talk"), C(flag="a")]
    assert holds(both, {"a": True}, seen) is True
    assert holds(both, {}, seen) is False          # a list means all of them
    assert holds([], {}, NONE) is True


# -- size ---------------------------------------------------------------------------------------------

def test_too_many_combinations_gives_a_warning_not_a_crash(case):
    count = 16  # 2**16 = 65,536 combinations of flags at the last node, well over MAX_STATES
    assert 2 ** count > MAX_STATES
    nodes = ""
    for i in range(count):
        nxt = f"q{i + 1}" if i + 1 < count else "done"
        name = "start" if i == 0 else f"q{i}"
        nodes += (f"{name}:\n  text: Question {i}.\n  choices:\n"
                  f"    - label: Yes {i}\n      goto: {nxt}\n      feedback: Yes.\n      set: {{f{i}: true}}\n"
                  f"    - label: No {i}\n      goto: {nxt}\n      feedback: No.\n      set: {{f{i}: false}}\n")
    end = END.replace("  text: It is over.\n", "  text: It is over.\n  variants:\n" + "".join(
        f"    - when: {{flag: f{i}}}\n      text: You said yes to {i}.\n" for i in range(count)))
    flags = "".join(f"f{i}: Answer {i}\n" for i in range(count))
    started = time.perf_counter()
    found = case(nodes + end, flags=flags, end=False)
    assert time.perf_counter() - started < 30
    problem = found.only(severity=WARNING)
    assert problem.message == (f"this case has more than {MAX_STATES:,} combinations of node and flags, "
                               "so only its plain graph was checked")
    assert (problem.line, problem.column) == (found.line_of("nodes:"), 1)
    assert "fewer flags" in problem.expected


def test_a_chain_at_the_node_limit_validates_quickly(case):
    from essw.model.case import MAX_NODES

    count = MAX_NODES - 1  # plus the ending
    parts = []
    for i in range(count):
        name = "start" if i == 0 else f"n{i}"
        nxt = f"n{i + 1}" if i + 1 < count else "done"
        parts.append(f"{name}:\n  text: Step {i}.\n  choices:\n    - label: On\n      goto: {nxt}\n      feedback: Ok.\n")
    started = time.perf_counter()
    found = case("".join(parts))
    elapsed = time.perf_counter() - started
    assert found.problems == [], found.formatted()[:2000]
    assert elapsed < 5, f"validating a {MAX_NODES}-node chain took {elapsed:.1f} s"



def test_explore_reports_whether_it_played_every_way(case):
    # 'Pick n' sets n to one of 30 values: the start, then 30 kitchen states and 30 ending states.
    choices = "".join(f"    - label: Pick {i}\n      goto: kitchen\n      feedback: Ok.\n      set: {{n: {i}}}\n"
                      for i in range(30))
    found = case("start:\n  text: Begin.\n  choices:\n" + choices +
                 "kitchen:\n  text: Here.\n  variants:\n    - when: {flag: n, op: '>', value: 10}\n      text: Big.\n"
                 "  choices:\n    - label: Finish\n      goto: done\n      feedback: Ok.\n",
                 flags="n: A number\n")
    assert found.problems == [], found.formatted()
    library, _ = load_library(found.root)
    item = library.entries["test-case"].item
    parents, edges, complete = explore(item)
    assert complete is True and len(parents) == 61
    parents, edges, complete = explore(item, limit=10)
    assert complete is False and len(parents) == 10


# -- a path of strong practice ------------------------------------------------------------------------

def test_every_real_case_has_a_path_of_only_strong_practice():
    """The rule holds for the shipped case studies (a CPD record can show all strong practice)."""
    from essw.checks.casegraph import strong_path_problem
    library, _ = load_library(Path(__file__).resolve().parent.parent)
    cases = library.of_kind("case")
    assert len(cases) >= 18
    assert [e.item.id for e in cases if strong_path_problem(e) is not None] == []


# -- two processes share a long list of cases ------------------------------------------------------

def test_two_processes_find_the_same_problems_and_decisions_left_as_one(tmp_path, monkeypatch):
    """The repository's cases with a trap added to one: checked in two forked processes (what a large
    library gets) and in one, the problems, their order and the decisions left the pages read agree."""
    import shutil

    from essw.checks import casegraph
    from essw.model import play

    repo = Path(__file__).resolve().parent.parent
    root = tmp_path / "p"
    for name in ("scenarios", "policies", "roles", "glossary.yml", "register.yml", "mkdocs.yml"):
        src = repo / name
        if src.is_dir():
            shutil.copytree(src, root / name)
        elif src.exists():
            shutil.copy2(src, root / name)
    trap = root / "scenarios" / "abdi.yml"
    text = trap.read_text(encoding="utf-8")
    ending = "  a-plan-that-fits:\n    kind: end\n"
    assert ending in text
    loop = ("  a-plan-that-fits:\n    choices:\n      - label: Go round again\n        goto: a-plan-that-fits\n"
            "        feedback: Round again.\n")
    trap.write_text(text.replace(ending, loop), encoding="utf-8")  # an ending that became a loop
    seen = {}
    for label, threshold in (("two", 1), ("one", 10**9)):
        casegraph.CHECKED.clear()
        play.forget_decisions_left()
        monkeypatch.setattr(casegraph, "PARALLEL_FROM", threshold)
        # other tests' servers may hold threads in this process; the workers only play cases through
        monkeypatch.setattr("essw.forking.threading.active_count", lambda: 1)
        forks = []
        original = casegraph.multiprocessing.get_context
        monkeypatch.setattr(casegraph.multiprocessing, "get_context", lambda m: forks.append(m) or original(m))
        library, report = load_library(root, for_pages=True)
        seen[label] = ([p.format() for p in report.problems], play.remembered_decisions_left(), forks)
    assert seen["two"][2] == ["fork"] and seen["one"][2] == []
    assert seen["two"][0] == seen["one"][0]
    assert any("abdi.yml" in p and "no way to reach an ending" in p for p in seen["one"][0]), seen["one"][0]
    assert seen["two"][1] == seen["one"][1] and len(seen["one"][1]) >= 10
