"""A case study is a graph of nodes: it must start, lead somewhere, and always be able to end.

Conditions and once-only choices mean the graph alone does not tell whether a learner can get
stuck, so the case is also played through in every possible way (every reachable combination
of node, flags, visited nodes and used choices), with exactly the rules the browser engine uses.
That finds nodes whose choices can all be hidden and loops with no way out, and names a path
that leads there. A case too large to play exhaustively is still checked as a plain graph.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, Iterator

from ..model.case import Condition, node_title
from ..problems import WARNING, Problem, did_you_mean, join_hint

if TYPE_CHECKING:
    from ..model import Case
    from ..sources import Entry, Library

MAX_STATES = 20_000
"""Enough for any hand-written case; beyond it the graph-only checks still run."""


def conditions(when: Any) -> list[Condition]:
    if when is None:
        return []
    return list(when) if isinstance(when, list) else [when]


def _is_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def holds(when: Any, flags: dict[str, Any], visited: frozenset[str]) -> bool:
    """The browser engine's rule, exactly: unset flags are null; equality is strict about type."""
    for cond in conditions(when):
        if cond.visited is not None:
            ok = cond.visited in visited
        elif cond.not_visited is not None:
            ok = cond.not_visited not in visited
        else:
            have, want = flags.get(cond.flag), cond.value
            same = have is not None and type(have) is type(want) and have == want
            if cond.op == "==":
                ok = same
            elif cond.op == "!=":
                ok = not same
            else:  # ordered comparisons are between whole numbers only; an unset flag counts as lowest
                numbers = _is_number(have) and _is_number(want)
                if cond.op == ">":
                    ok = numbers and have > want
                elif cond.op == ">=":
                    ok = numbers and have >= want
                elif cond.op == "<":
                    ok = have is None or (numbers and have < want)
                else:
                    ok = have is None or (numbers and have <= want)
        if not ok:
            return False
    return True


def _choice_locs(case: "Case") -> Iterator[tuple[tuple, Any, Any]]:
    """(loc, when, set) for every choice and variant, to check the flags they name."""
    for name, node in case.nodes.items():
        for i, choice in enumerate(node.choices):
            yield ("nodes", name, "choices", i), choice.when, choice.set
        for i, variant in enumerate(node.variants):
            yield ("nodes", name, "variants", i), variant.when, {}


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

    set_somewhere = {flag for _, _, sets in _choice_locs(case) for flag in sets}
    for loc, when, sets in _choice_locs(case):
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


def _graph_reach(case: "Case") -> tuple[set[str], set[str]]:
    """Plain graph, conditions ignored: nodes reachable from the start, and nodes that can reach an ending."""
    edges = {n: [c.goto for c in node.choices if c.goto in case.nodes] for n, node in case.nodes.items()}
    reachable = {case.start}
    queue = deque([case.start])
    while queue:
        for nxt in edges[queue.popleft()]:
            if nxt not in reachable:
                reachable.add(nxt)
                queue.append(nxt)
    reverse: dict[str, list[str]] = {n: [] for n in case.nodes}
    for src, targets in edges.items():
        for dst in targets:
            reverse[dst].append(src)
    can_end = {n for n, node in case.nodes.items() if node.kind == "end"}
    queue = deque(can_end)
    while queue:
        for prev in reverse[queue.popleft()]:
            if prev not in can_end:
                can_end.add(prev)
                queue.append(prev)
    return reachable, can_end


State = tuple[str, tuple, frozenset, frozenset]


def _watched(case: "Case") -> tuple[set[str], set[str]]:
    """Only flags and nodes that some condition reads make two states different."""
    flags = {c.flag for _, when, _ in _choice_locs(case) for c in conditions(when) if c.flag}
    nodes = {t for _, when, _ in _choice_locs(case) for c in conditions(when)
             for t in (c.visited, c.not_visited) if t}
    return flags, nodes


def _start_state(case: "Case", watched_nodes: set[str]) -> State:
    return (case.start, (), frozenset({case.start} & watched_nodes), frozenset())


def _moves(case: "Case", state: State, watched: tuple[set[str], set[str]]) -> Iterator[tuple[Any, State]]:
    """The choices on offer in a state and where each leads, by the browser engine's rules."""
    watched_flags, watched_nodes = watched
    name, flag_items, visited, used = state
    node = case.nodes[name]
    if node.kind == "end":
        return
    flags = dict(flag_items)
    for i, choice in enumerate(node.choices):
        key = f"{name}/{i}"
        if (choice.once and key in used) or not holds(choice.when, flags, visited):
            continue
        if choice.goto not in case.nodes:
            continue
        new_flags = dict(flags)
        new_flags.update({k: v for k, v in choice.set.items() if k in watched_flags})
        new_used = used | {key} if choice.once else used
        new_visited = visited | ({choice.goto} & watched_nodes)
        yield choice, (choice.goto, tuple(sorted(new_flags.items())), new_visited, new_used)


def explore(case: "Case", limit: int = MAX_STATES, follow: Any = None
            ) -> tuple[dict[State, tuple[State, str] | None], dict[State, list[State]], bool]:
    """Play every way through the case (only the choices ``follow`` accepts, if given).
    Returns parents (for example paths), edges, and completeness."""
    watched = _watched(case)
    start = _start_state(case, watched[1])
    parents: dict[State, tuple[State, str] | None] = {start: None}
    edges: dict[State, list[State]] = {}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        edges[state] = []
        for choice, nxt in _moves(case, state, watched):
            if follow is not None and not follow(choice):
                continue
            edges[state].append(nxt)
            if nxt not in parents:
                if len(parents) >= limit:
                    return parents, edges, False
                parents[nxt] = (state, choice.label)
                queue.append(nxt)
    return parents, edges, True


def _is_strong(choice: Any) -> bool:
    """A choice on a path of strong practice: rated strong, or not rated at all (a neutral step)."""
    return choice.rating in (None, "strong")


def strong_path_problem(entry: "Entry") -> Problem | None:
    """Every case needs one way through that is strong practice at every step, so a learner can
    see (and a CPD record can show) what good practice looks like from start to end. If there is
    none, name the first node where the strong choices run out."""
    case: Case = entry.item  # type: ignore[assignment]
    parents, edges, complete = explore(case, follow=_is_strong)
    if not complete or any(case.nodes[s[0]].kind == "end" for s in edges):
        return None
    blocked = next((s for s in edges if not edges[s]), None)
    if blocked is not None:
        name = blocked[0]
        offered = [c for c, _ in _moves(case, blocked, _watched(case))]
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


def check_case(entry: "Entry") -> list[Problem]:
    case: Case = entry.item  # type: ignore[assignment]
    doc = entry.doc
    problems = _check_structure(entry)
    if case.start not in case.nodes:
        return problems

    reachable, can_end = _graph_reach(case)
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
    reverse: dict[State, list[State]] = {s: [] for s in edges}
    for src, targets in edges.items():
        for dst in targets:
            reverse.setdefault(dst, []).append(src)
    good = {s for s in edges if case.nodes[s[0]].kind == "end"}
    queue = deque(good)
    while queue:
        for prev in reverse.get(queue.popleft(), []):
            if prev not in good:
                good.add(prev)
                queue.append(prev)
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


def decisions_left(case: "Case") -> dict[str, int]:
    """For each node, the median number of decisions still to make, over every way through the
    case that passes it (played with the engine's rules, so once-only choices and conditions
    count). The progress line uses it: the fewest decisions to an ending would count the quickest
    way out, usually a risky ending, and tell a learner on a long path "about 2 more" for ages.

    A state revisited on the same path (a learner going round a loop) is not counted twice, so
    the ways through are finite. A case too large to play through falls back to the plain graph."""
    parents, edges, complete = explore(case)
    if not complete:
        return _fewest_decisions(case)
    start = next(iter(edges))
    order: list[State] = []  # states after everything they lead to (depth-first, loops cut)
    on_path: set[State] = set()
    done: set[State] = set()
    onward: dict[State, list[State]] = {}
    stack: list[tuple[State, Iterator[State]]] = [(start, iter(edges[start]))]
    on_path.add(start)
    onward[start] = []
    while stack:
        state, targets = stack[-1]
        nxt = next(targets, None)
        if nxt is None:
            stack.pop()
            on_path.discard(state)
            done.add(state)
            order.append(state)
        elif nxt in on_path:
            continue  # a loop back to a state on this path
        else:
            onward[state].append(nxt)
            if nxt not in done:
                on_path.add(nxt)
                onward[nxt] = []
                stack.append((nxt, iter(edges[nxt])))
    # Lengths from each state to an ending, as {length: number of ways}.
    lengths: dict[State, dict[int, int]] = {}
    for state in order:
        if case.nodes[state[0]].kind == "end":
            lengths[state] = {0: 1}
            continue
        here: dict[int, int] = {}
        for nxt in onward[state]:
            for length, ways in lengths[nxt].items():
                here[length + 1] = here.get(length + 1, 0) + ways
        lengths[state] = here
    # Ways from the start to each state, then every way through each node.
    arriving: dict[State, int] = {start: 1}
    for state in reversed(order):
        for nxt in onward[state]:
            arriving[nxt] = arriving.get(nxt, 0) + arriving.get(state, 0)
    through: dict[str, dict[int, int]] = {}
    for state in order:
        counts = through.setdefault(state[0], {})
        for length, ways in lengths[state].items():
            counts[length] = counts.get(length, 0) + ways * arriving.get(state, 0)
    result = {}
    for name, counts in through.items():
        total, seen = sum(counts.values()), 0
        for length in sorted(counts):
            seen += counts[length]
            if 2 * seen >= total:
                result[name] = length
                break
    return result


def _fewest_decisions(case: "Case") -> dict[str, int]:
    """Fewest choices from each node to an ending (plain graph): the fallback for huge cases."""
    reverse: dict[str, list[str]] = {n: [] for n in case.nodes}
    for name, node in case.nodes.items():
        for choice in node.choices:
            if choice.goto in reverse:
                reverse[choice.goto].append(name)
    dist = {n: 0 for n, node in case.nodes.items() if node.kind == "end"}
    queue = deque(dist)
    while queue:
        here = queue.popleft()
        for prev in reverse[here]:
            if prev not in dist:
                dist[prev] = dist[here] + 1
                queue.append(prev)
    return dist


def progress_shown(made: int, left: int, best: int) -> tuple[int, int]:
    """The progress line's rule, shared with the browser engine (case-engine.js, progressShown):
    with ``made`` decisions made and about ``left`` to go, the percentage is made / (made + left),
    rounded down, and never below ``best``, the highest shown so far on this path. Returns
    (percentage, estimated total decisions)."""
    total = made + left
    percent = 100 if total == 0 else (100 * made) // total
    return max(best, percent), total


def check(library: "Library") -> list[Problem]:
    problems: list[Problem] = []
    for entry in library.of_kind("case"):
        problems.extend(check_case(entry))
    return problems


__all__ = ["check", "check_case", "decisions_left", "explore", "holds", "node_title", "progress_shown"]
