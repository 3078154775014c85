"""The case-study graph checks (essw/checks/casegraph.py), one by one, on small cases written here.

Each test writes one case into an otherwise empty project (no site build), loads it the way
'essw validate' does and asserts the exact problem: file, line, column where it matters, the
words of the message and the hint.
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

    def column_of(self, needle: str) -> int:
        line = self.text.splitlines()[self.line_of(needle) - 1]
        return line.index(needle) + 1

    def formatted(self) -> str:
        return "\n".join(p.format() for p in self.problems) or "(no problems)"

    def only(self, severity: str = ERROR):
        assert len(self.problems) == 1, self.formatted()
        assert self.problems[0].severity == severity, self.formatted()
        assert self.problems[0].path == REL
        return self.problems[0]

    def with_message(self, fragment: str):
        found = [p for p in self.problems if fragment in p.message]
        assert len(found) == 1, f"{fragment!r} not reported exactly once:\n{self.formatted()}"
        return found[0]


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


def test_a_valid_case_has_no_problems(case):
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Finish
              goto: done
              feedback: Fine.
        """)
    assert found.problems == [], found.formatted()


# -- structure ----------------------------------------------------------------------------------------

def test_missing_start_node_with_did_you_mean(case):
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Finish
              goto: done
              feedback: Fine.
        """, start="strat")
    problem = found.only()
    assert (problem.line, problem.column) == (found.line_of("start: strat"), 8)
    assert problem.message == "the start node 'strat' does not exist"
    assert problem.field_path == "start"
    assert problem.expected.startswith("did you mean 'start'?")


def test_goto_to_a_missing_node_with_did_you_mean(case):
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Finish
              goto: done
              feedback: Fine.
            - label: Elsewhere
              goto: dnoe
              feedback: Lost.
        """)
    problem = found.only()
    assert (problem.line, problem.column) == (found.line_of("goto: dnoe"), found.column_of("dnoe"))
    assert problem.message == "this choice leads to 'dnoe', but there is no node with that name"
    assert problem.field_path == "nodes.start.choices[2].goto"
    assert problem.expected.startswith("did you mean 'done'?")


def test_ending_without_a_debrief(case):
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Finish
              goto: done
              feedback: Fine.
        done:
          kind: end
          text: It is over.
        """, end=False)
    problem = found.only()
    assert (problem.line, problem.column) == (found.line_of("  done:"), 3)
    assert problem.message == "the ending 'done' has no debrief"
    assert "add 'debrief:'" in problem.expected


def test_ending_with_choices(case):
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Finish
              goto: done
              feedback: Fine.
        done:
          kind: end
          text: It is over.
          debrief:
            good_practice: Good practice.
            questions: [Why?]
          choices:
            - label: Play again
              goto: start
              feedback: Again.
        """, end=False)
    problem = found.only()
    assert problem.message == "an ending cannot have choices"
    assert problem.line == found.line_of("label: Play again")
    assert problem.field_path == "nodes.done.choices"


def test_non_ending_without_choices(case):
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Go on
              goto: middle
              feedback: Fine.
            - label: Finish
              goto: done
              feedback: Fine.
        middle:
          text: Nothing to choose here.
        """)
    problem = found.only()
    assert (problem.line, problem.column) == (found.line_of("  middle:"), 3)
    assert problem.message == "the node 'middle' has no choices and is not an ending"
    assert "kind: end" in problem.expected


def test_debrief_on_a_node_that_is_not_an_ending(case):
    found = case("""\
        start:
          text: Begin.
          debrief:
            good_practice: Too early.
            questions: [Why here?]
          choices:
            - label: Finish
              goto: done
              feedback: Fine.
        """)
    problem = found.only()
    assert problem.message == "only an ending can have a debrief"
    assert problem.field_path == "nodes.start.debrief"
    assert problem.line in (found.line_of("Too early.") - 1, found.line_of("Too early."))


def test_unreachable_node(case):
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Finish
              goto: done
              feedback: Fine.
        island:
          text: Nobody comes here.
          choices:
            - label: Leave
              goto: done
              feedback: Fine.
        """)
    problem = found.only()
    assert (problem.line, problem.column) == (found.line_of("  island:"), 3)
    assert problem.message == "no choice ever leads to the node 'island'"


def test_node_that_cannot_reach_an_ending_in_the_plain_graph(case):
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Into the maze
              goto: maze
              feedback: Hm.
            - label: Finish
              goto: done
              feedback: Fine.
        maze:
          text: Walls.
          choices:
            - label: Further in
              goto: deeper
              feedback: Darker.
        deeper:
          text: More walls.
          choices:
            - label: Back
              goto: maze
              feedback: Round again.
        """)
    assert len(found.problems) == 2, found.formatted()
    assert [(p.line, p.column, p.message) for p in found.problems] == [
        (found.line_of("  maze:"), 3, "from the node 'maze' there is no way to reach an ending"),
        (found.line_of("  deeper:"), 3, "from the node 'deeper' there is no way to reach an ending"),
    ]
    assert all("kind: end" in p.expected for p in found.problems)


def test_a_cycle_with_a_way_out_is_accepted(case):
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Ask again
              goto: again
              feedback: Patience.
        again:
          text: Still thinking.
          choices:
            - label: Back to the start
              goto: start
              feedback: Round we go.
            - label: Decide
              goto: done
              feedback: Fine.
        """)
    assert found.problems == [], found.formatted()


def test_a_cycle_whose_way_out_closes_is_reported_with_a_path(case):
    # Plain graph: fine. In play, once 'Keep going' sets worn_out, 'Leave now' is hidden for good.
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Leave now
              goto: done
              feedback: Fine.
              when: {flag: worn_out, op: "!=", value: true}
            - label: Keep going
              goto: round
              feedback: Tiring.
              set: {worn_out: true}
        round:
          text: Round the block.
          choices:
            - label: Back to the start
              goto: start
              feedback: Again.
        """, flags="worn_out: You are worn out\n")
    assert len(found.problems) == 2, found.formatted()
    start = found.with_message("from the node 'start' the learner can end up going round")
    assert (start.line, start.column) == (found.line_of("  start:"), 3)
    assert start.message.endswith("with no way to an ending (for example after choosing "
                                  "'Keep going', then 'Back to the start')")
    assert start.expected == "add a way out that is always shown"
    round_ = found.with_message("from the node 'round' the learner can end up going round")
    assert round_.line == found.line_of("  round:")
    assert "(for example after choosing 'Keep going')" in round_.message


# -- conditions that hide every choice ----------------------------------------------------------------

def test_node_whose_choices_can_all_be_hidden_is_stuck_with_an_example_path(case):
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Get ready
              goto: talk
              feedback: Good.
              set: {ready: true}
            - label: Rush in
              goto: talk
              feedback: Hasty.
        talk:
          text: Now what?
          choices:
            - label: Speak
              goto: done
              feedback: Fine.
              when: {flag: ready}
            - label: Write
              goto: done
              feedback: Fine.
              when: {flag: ready, value: true}
        """, flags="ready: You got ready\n")
    problem = found.only()
    assert (problem.line, problem.column) == (found.line_of("  talk:"), 3)
    assert problem.message == ("at the node 'talk' every choice can be hidden by its conditions, leaving the "
                               "learner stuck (for example after choosing 'Rush in')")
    assert problem.expected == "give it at least one choice that is always shown"


HUB = """\
    start:
      text: Begin.
      choices:
        - label: Go in
          goto: hub
          feedback: In you go.
    hub:
      text: The kitchen.
      choices:
        - label: Ask about school
          goto: hub
          feedback: Useful.
          once: true
        - label: Ask about home
          goto: side
          feedback: Useful.
          once: true
{extra}    side:
      text: The hallway.
      choices:
        - label: Back to the kitchen
          goto: hub
          feedback: Back.
        - label: Finish here
          goto: done
          feedback: Fine.
"""


def test_once_only_choices_that_run_out_leave_a_node_stuck(case):
    found = case(HUB.format(extra=""))
    problem = found.only()
    assert problem.line == found.line_of("  hub:")
    assert problem.message.startswith("at the node 'hub' every choice can be hidden by its conditions, "
                                      "leaving the learner stuck (for example after choosing 'Go in', then ")
    # the example uses up both once-only choices and comes back to the hub
    path = problem.message.split("for example after choosing ", 1)[1]
    assert "'Ask about school'" in path and "'Ask about home'" in path and "'Back to the kitchen'" in path


def test_a_hub_with_once_only_choices_and_an_always_shown_choice_is_accepted(case):
    always = ("        - label: Leave the house\n          goto: done\n          feedback: Fine.\n")
    found = case(HUB.format(extra=always))
    assert found.problems == [], found.formatted()


# -- flags ----------------------------------------------------------------------------------------------

def _flag_case(case, *, flags: str, set_line: str, when_line: str):
    return case(f"""\
        start:
          text: Begin.
          choices:
            - label: Agree
              goto: middle
              feedback: Good.
              {set_line}
            - label: Disagree
              goto: middle
              feedback: Hm.
        middle:
          text: Then.
          choices:
            - label: Go on
              goto: done
              feedback: Fine.
              {when_line}
            - label: Stop
              goto: done
              feedback: Fine.
        """, flags=flags)


def test_flag_used_but_not_declared_with_did_you_mean(case):
    found = _flag_case(case, flags="consent_given: Mum agreed\n", set_line="set: {consent_given: true}",
                       when_line="when: {flag: consent_gvien}")
    problem = found.only()
    assert (problem.line, problem.column) == (found.line_of("consent_gvien"), found.column_of("consent_gvien"))
    assert problem.message == "the flag 'consent_gvien' is not listed under 'flags:'"
    assert problem.field_path == "nodes.middle.choices[1].when.flag"
    assert problem.expected.startswith("did you mean 'consent_given'?")


def test_flag_declared_and_used_but_never_set(case):
    found = _flag_case(case, flags="consent_given: Mum agreed\n", set_line="tags: [consent]",
                       when_line="when: {flag: consent_given}")
    problem = found.only()
    assert (problem.line, problem.column) == (found.line_of("when: {flag: consent_given}"),
                                              found.column_of("consent_given}"))
    assert problem.message == "no choice ever sets the flag 'consent_given'"
    assert "set: {consent_given: ...}" in problem.expected


def test_setting_an_undeclared_flag(case):
    found = _flag_case(case, flags="consent_given: Mum agreed\n", set_line="set: {consent_given: true, consnt: true}",
                       when_line="when: {flag: consent_given}")
    problem = found.only()
    assert (problem.line, problem.column) == (found.line_of("consnt: true"), found.column_of("consnt: true"))
    assert problem.message == "the flag 'consnt' is not listed under 'flags:'"
    assert problem.field_path == "nodes.start.choices[1].set.consnt"
    assert problem.expected.startswith("did you mean 'consent_given'?")


def test_a_flag_in_a_variant_is_checked_too(case):
    found = case("""\
        start:
          text: Begin.
          variants:
            - when: {flag: mood}
              text: You feel fine.
          choices:
            - label: Finish
              goto: done
              feedback: Fine.
        """)
    problem = found.only()
    assert problem.message == "the flag 'mood' is not listed under 'flags:'"
    assert problem.field_path == "nodes.start.variants[1].when.flag"
    assert problem.line == found.line_of("{flag: mood}")


@pytest.mark.parametrize("key", ["visited", "not_visited"])
def test_visited_names_a_missing_node(case, key):
    found = _flag_case(case, flags="", set_line="tags: []", when_line=f"when: [{{{key}: midle}}]")
    problem = found.only()
    assert problem.message == "the condition names the node 'midle', which does not exist"
    assert problem.field_path == "nodes.middle.choices[1].when[1]"
    assert problem.line == found.line_of("midle")
    assert problem.expected.startswith("did you mean 'middle'?")


@pytest.mark.parametrize("value", ['"two"', '"3"', "true", "false"])
def test_comparing_with_a_value_that_is_not_a_whole_number(case, value):
    found = _flag_case(case, flags="visits: How often you visited\n", set_line="set: {visits: 2}",
                       when_line=f'when: {{flag: visits, op: ">=", value: {value}}}')
    assert found.problems, "a '>=' against a non-integer was not reported"
    problem = found.with_message("compares numbers")
    assert problem.message == "'>=' compares numbers, but the value is not a whole number"
    assert problem.field_path == "nodes.middle.choices[1].when.value"
    assert (problem.line, problem.column) == (found.line_of("op: \">=\""), found.column_of(value + "}"))


def test_comparing_with_a_whole_number_is_fine(case):
    found = _flag_case(case, flags="visits: How often you visited\n", set_line="set: {visits: 2}",
                       when_line='when: {flag: visits, op: ">=", value: 2}')
    assert found.problems == [], found.formatted()


def test_node_reachable_in_the_graph_but_never_in_play(case):
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Open the door
              goto: hall
              feedback: In.
              set: {key_found: false}
        hall:
          text: A locked door and a way out.
          choices:
            - label: Use the key
              goto: vault
              feedback: Click.
              when: {flag: key_found}
            - label: Leave
              goto: done
              feedback: Fine.
        vault:
          text: Treasure.
          choices:
            - label: Out
              goto: done
              feedback: Fine.
        """, flags="key_found: You found the key\n")
    problem = found.only()
    assert (problem.line, problem.column) == (found.line_of("  vault:"), 3)
    assert problem.message == ("the node 'vault' can never be reached: the conditions on the choices that "
                               "lead to it never hold")


def test_condition_with_both_flag_and_visited_gets_a_plain_message(case):
    found = _flag_case(case, flags="ready: Ready\n", set_line="set: {ready: true}",
                       when_line="when: {flag: ready, visited: start}")
    problem = found.only()
    assert problem.message == "a condition needs exactly one of 'flag', 'visited' or 'not_visited'"
    assert problem.field_path == "nodes.middle.choices[1].when"
    assert problem.line == found.line_of("visited: start")
    for jargon in ("Value error", "model_validator", "pydantic", "union", "Input should"):
        assert jargon not in problem.message + problem.expected


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

def test_a_case_with_no_all_strong_path_names_the_node_where_strong_choices_run_out(case):
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Listen first
              goto: middle
              rating: strong
              feedback: Good.
            - label: Rush
              goto: done
              rating: risky
              feedback: Too fast.
        middle:
          text: Now what?
          choices:
            - label: Go to the meeting
              goto: done
              rating: acceptable
              feedback: Fine.
        """)
    problem = found.only()
    assert (problem.line, problem.column) == (found.line_of("  middle:"), 3)
    assert problem.message == ("no way through this case is strong practice at every step: at the node 'middle' "
                               "the choices on offer are rated acceptable, none strong "
                               "(for example after choosing 'Listen first')")
    assert "add a choice rated 'strong' here" in problem.expected


def test_a_strong_choice_hidden_by_its_condition_does_not_count(case):
    """The strong way on is shown only after an acceptable detour, so no path is strong all the way."""
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Ask around
              goto: start
              once: true
              rating: acceptable
              set: {asked: true}
              feedback: Slow.
            - label: Decide well
              when: {flag: asked}
              goto: done
              rating: strong
              feedback: Good.
            - label: Decide now
              goto: done
              rating: risky
              feedback: Hasty.
        """, flags="asked: You asked around.\n")
    problem = found.with_message("no way through this case is strong practice")
    assert "at the node 'start' the choices on offer are rated acceptable, risky, none strong" in problem.message
    assert "right at the start" in problem.message


def test_unrated_steps_may_be_part_of_a_strong_path(case):
    found = case("""\
        start:
          text: Begin.
          choices:
            - label: Read the file
              goto: middle
              feedback: Context.
        middle:
          text: Then.
          choices:
            - label: Talk to the child
              goto: done
              rating: strong
              feedback: Good.
        """)
    assert found.problems == [], found.formatted()


def test_every_real_case_has_a_path_of_only_strong_practice():
    """The rule holds for the shipped case studies (a CPD record can show all strong practice)."""
    from essw.checks.casegraph import strong_path_problem
    library, _ = load_library(Path(__file__).resolve().parent.parent)
    cases = library.of_kind("case")
    assert len(cases) >= 18
    assert [e.item.id for e in cases if strong_path_problem(e) is not None] == []
