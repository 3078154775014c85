"""A case study is a graph of nodes: it must start, lead somewhere, and always be able to end.

The rules of play live in the model (essw/model/play.py); this module turns what they find into
problems an author can act on.

Conditions and once-only choices mean the graph alone does not tell whether a learner can get
stuck, so the case is also played through in every possible way (every reachable combination
of node, flags, visited nodes and used choices), with exactly the rules the browser engine uses.
That finds nodes whose choices can all be hidden and loops with no way out, and names a path
that leads there. A case too large to play exhaustively is still checked as a plain graph.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import TYPE_CHECKING

from ..model.play import (MAX_STATES, State, choice_conditions, conditions, decisions_left, endings, explore,
                          forget_decisions_left, remember_decisions_left, remembered_decisions_left,
                          graph_reach, is_strong, moves, reverse_reach, watched_inputs)
from ..forking import can_fork
from ..problems import WARNING, Problem, did_you_mean, join_hint

if TYPE_CHECKING:
    from ..library import Entry, Library
    from ..model import Case


def _check_structure(entry: "Entry") -> list[Problem]:
    case: Case = entry.item  # type: ignore[assignment]
    doc = entry.doc
    problems: list[Problem] = []
    names = list(case.nodes)
    if case.start not in case.nodes:
        problems.append(doc.problem(("start",), f"the start node '{case.start}' does not exist",
                                    expected=join_hint(did_you_mean(case.start, names),
                                                       "name one of the nodes under 'nodes:'")))
    for name, node in case.nodes.items():
        for i, choice in enumerate(node.choices):
            if choice.goto not in case.nodes:
                problems.append(doc.problem(("nodes", name, "choices", i, "goto"),
                                            f"this choice leads to '{choice.goto}', but there is no node with that name",
                                            expected=join_hint(did_you_mean(choice.goto, names),
                                                               "use the name of a node under 'nodes:'")))
        if node.kind == "end":
            if node.choices:
                problems.append(doc.problem(("nodes", name, "choices"), "an ending cannot have choices",
                                            expected="remove the choices, or remove 'kind: end'"))
            if node.debrief is None:
                problems.append(doc.problem(("nodes", name), f"the ending '{name}' has no debrief", key=True,
                                            expected="add 'debrief:' with good_practice and questions"))
        else:
            if not node.choices:
                problems.append(doc.problem(("nodes", name), f"the node '{name}' has no choices and is not an ending",
                                            key=True, expected="add choices, or write 'kind: end' and a debrief"))
            if node.debrief is not None:
                problems.append(doc.problem(("nodes", name, "debrief"), "only an ending can have a debrief",
                                            expected="add 'kind: end' to this node, or move the debrief"))

    set_somewhere = {flag for _, _, sets in choice_conditions(case) for flag in sets}
    for loc, when, sets in choice_conditions(case):
        for flag in sets:
            if flag not in case.flags:
                problems.append(doc.problem(loc + ("set", flag), f"the flag '{flag}' is not listed under 'flags:'",
                                            key=True, expected=join_hint(did_you_mean(flag, case.flags),
                                                                         "add it to 'flags:' with what it means")))
        for j, cond in enumerate(conditions(when)):
            cloc = loc + ("when",) + ((j,) if isinstance(when, list) else ())
            if cond.flag is not None:
                if cond.flag not in case.flags:
                    problems.append(doc.problem(cloc + ("flag",), f"the flag '{cond.flag}' is not listed under 'flags:'",
                                                expected=join_hint(did_you_mean(cond.flag, case.flags),
                                                                   "add it to 'flags:' with what it means")))
                elif cond.flag not in set_somewhere:
                    problems.append(doc.problem(cloc + ("flag",), f"no choice ever sets the flag '{cond.flag}'",
                                                expected="add 'set: {" + cond.flag + ": ...}' to the choice that decides it"))
                if cond.op in (">", ">=", "<", "<=") and (isinstance(cond.value, bool) or not isinstance(cond.value, int)):
                    problems.append(doc.problem(cloc + ("value",), f"'{cond.op}' compares numbers, but the value is not a whole number",
                                                expected="use '==' or '!=' for true/false and words"))
            for target in (cond.visited, cond.not_visited):
                if target is not None and target not in case.nodes:
                    problems.append(doc.problem(cloc, f"the condition names the node '{target}', which does not exist",
                                                expected=join_hint(did_you_mean(target, names), "use a node name")))
    return problems


def strong_path_problem(entry: "Entry") -> Problem | None:
    """Every case needs one way through that is strong practice at every step, so a learner can
    see (and a CPD record can show) what good practice looks like from start to end. If there is
    none, name the first node where the strong choices run out."""
    case: Case = entry.item  # type: ignore[assignment]
    parents, edges, complete = explore(case, follow=is_strong)
    if not complete or any(case.nodes[s[0]].kind == "end" for s in edges):
        return None
    blocked = next((s for s in edges if not edges[s]), None)
    if blocked is not None:
        name = blocked[0]
        offered = [c for c, _ in moves(case, blocked, watched_inputs(case))]
        rated = ", ".join(sorted({c.rating for c in offered if c.rating})) or "no"
        return entry.doc.problem(
            ("nodes", name), f"no way through this case is strong practice at every step: at the node '{name}' "
                             f"the choices on offer are rated {rated}, none strong ({example_path(parents, blocked)})",
            key=True, expected="add a choice rated 'strong' here (or re-rate one that deserves it), so a "
                               "learner can see good practice from the start to an ending")
    name = next(iter(edges))[0]
    return entry.doc.problem(
        ("nodes", name), "no way through this case is strong practice at every step: the strong choices only "
                         "lead round in a loop", key=True,
        expected="give the loop a strong-practice way out to an ending")


def example_path(parents: dict[State, tuple[State, str] | None], state: State) -> str:
    steps: list[str] = []
    while parents.get(state) is not None:
        prev, label = parents[state]  # type: ignore[misc]
        steps.append(f"'{label}'")
        state = prev
    if not steps:
        return "right at the start"
    steps.reverse()
    shown = steps if len(steps) <= 6 else steps[:2] + ["..."] + steps[-3:]
    return "for example after choosing " + ", then ".join(shown)


def check_case(entry: "Entry", for_pages: bool = False) -> list[Problem]:
    case: Case = entry.item  # type: ignore[assignment]
    doc = entry.doc
    problems = _check_structure(entry)
    if case.start not in case.nodes:
        return problems

    reachable, can_end = graph_reach(case)
    for name in case.nodes:
        if name not in reachable:
            problems.append(doc.problem(("nodes", name), f"no choice ever leads to the node '{name}'",
                                        key=True, expected="link to it from another node, or remove it"))
        elif name not in can_end and case.nodes[name].choices:
            problems.append(doc.problem(("nodes", name), f"from the node '{name}' there is no way to reach an ending",
                                        key=True, expected="give one of its paths a choice that leads to a 'kind: end' node"))
    if any(p.severity != WARNING for p in problems):
        return problems  # fix the plain graph first; playing it through would repeat the same news

    parents, edges, complete = explore(case)
    if for_pages:  # the page needs it too: play the case through once for both
        decisions_left(case, explored=(parents, edges, complete))
    if not complete:
        problems.append(doc.problem(("nodes",), f"this case has more than {MAX_STATES:,} combinations of node and "
                                                "flags, so only its plain graph was checked", key=True,
                                    severity=WARNING, expected="use fewer flags or once-only choices"))
        return problems

    stuck_nodes: set[str] = set()
    for state, targets in edges.items():
        name = state[0]
        if not targets and case.nodes[name].kind != "end" and name not in stuck_nodes:
            stuck_nodes.add(name)
            problems.append(doc.problem(("nodes", name), f"at the node '{name}' every choice can be hidden by its "
                                                         f"conditions, leaving the learner stuck ({example_path(parents, state)})",
                                        key=True, expected="give it at least one choice that is always shown"))
    # Which states can still reach an ending?
    ends = endings(case)
    good = set(reverse_reach(edges, {s for s in edges if s[0] in ends}))
    trapped: set[str] = set()
    for state in edges:
        name = state[0]
        if state not in good and name not in stuck_nodes and name not in trapped and edges[state]:
            trapped.add(name)
            problems.append(doc.problem(("nodes", name), f"from the node '{name}' the learner can end up going round "
                                                         f"with no way to an ending ({example_path(parents, state)})",
                                        key=True, expected="add a way out that is always shown"))
    played = {s[0] for s in edges}
    for name in case.nodes:
        if name in reachable and name not in played:
            problems.append(doc.problem(("nodes", name), f"the node '{name}' can never be reached: the conditions on "
                                                         "the choices that lead to it never hold", key=True,
                                        expected="check the 'when' conditions and the flags set before it"))
    if not problems:
        strong = strong_path_problem(entry)
        if strong is not None:
            problems.append(strong)
    return problems


CHECKED: dict[tuple[str, str], list[Problem]] = {}
"""(file, hash of its text) -> the problems check_case found: playing a case through is the slowest
check, and an unchanged case gives the same findings. Kept for the latest run's cases only."""

PARALLEL_FROM = 40
"""Cases to play through before a second process is worth starting (about 15 ms each, a fork ~50 ms)."""

_TO_CHECK: list["Entry"] = []
"""The cases a forked worker reads by position (inherited, so nothing large is sent to it)."""


def check(library: "Library") -> list[Problem]:
    problems: list[Problem] = []
    checked_now: dict[tuple[str, str], list[Problem]] = {}
    todo = []
    for entry in library.of_kind("case"):
        key = (entry.doc.path, entry.doc.digest)
        found = CHECKED.get(key) if entry.doc.digest else None
        if found is None:
            todo.append(entry)
        checked_now[key] = found
    for entry, found in zip(todo, _check_cases(todo, library.for_pages)):
        checked_now[(entry.doc.path, entry.doc.digest)] = found
    for entry in library.of_kind("case"):
        problems.extend(checked_now[(entry.doc.path, entry.doc.digest)])
    CHECKED.clear()
    CHECKED.update(checked_now)
    return problems


def _check_cases(entries: list["Entry"], for_pages: bool) -> list[list[Problem]]:
    """check_case for each entry, in order; on several cores, two processes share a long list.

    The play-through is pure Python, so threads would not help; a forked process inherits the
    cases and sends back only the problems and the decisions left the pages need (essw/forking.py)."""
    workers = min(2, os.cpu_count() or 1)
    if len(entries) < PARALLEL_FROM or workers < 2 or not can_fork():
        return [check_case(entry, for_pages) for entry in entries]
    _TO_CHECK[:] = entries
    try:
        context = multiprocessing.get_context("fork")
        halves = [range(0, len(entries), 2), range(1, len(entries), 2)]  # alternate: big cases are spread
        with context.Pool(workers) as pool:
            parts = pool.starmap(_check_positions, [(list(h), for_pages) for h in halves])
    finally:
        _TO_CHECK.clear()
    found: list[list[Problem]] = [[] for _ in entries]
    for half, (results, left) in zip(halves, parts):
        for position, problems in zip(half, results):
            found[position] = problems
        remember_decisions_left(left)
    return found


def _check_positions(positions: list[int], for_pages: bool) -> tuple[list[list[Problem]], dict]:
    """In a worker: check the cases at these positions; return their problems and decisions left."""
    forget_decisions_left()  # the parent's, inherited: only what this worker finds goes back
    results = [check_case(_TO_CHECK[i], for_pages) for i in positions]
    return results, remembered_decisions_left() if for_pages else {}
