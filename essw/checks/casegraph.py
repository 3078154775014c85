"""A case study is a graph of nodes: it must start, lead somewhere, and always be able to end."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from ..problems import Problem, did_you_mean, join_hint

if TYPE_CHECKING:
    from ..model import Case
    from ..sources import Entry, Library


def _edges(case: "Case") -> dict[str, list[str]]:
    return {name: [c.goto for c in node.choices if c.goto in case.nodes] for name, node in case.nodes.items()}


def check_case(entry: "Entry") -> list[Problem]:
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
                problems.append(doc.problem(("nodes", name), f"the ending '{name}' has no debrief",
                                            expected="add 'debrief:' with good_practice and questions"))
        else:
            if not node.choices:
                problems.append(doc.problem(("nodes", name), f"the node '{name}' has no choices and is not an ending",
                                            expected="add choices, or write 'kind: end' and a debrief"))
            if node.debrief is not None:
                problems.append(doc.problem(("nodes", name, "debrief"), "only an ending can have a debrief",
                                            expected="add 'kind: end' to this node, or move the debrief"))
    if case.start not in case.nodes:
        return problems

    edges = _edges(case)
    reachable = {case.start}
    queue = deque([case.start])
    while queue:
        for nxt in edges[queue.popleft()]:
            if nxt not in reachable:
                reachable.add(nxt)
                queue.append(nxt)
    for name in names:
        if name not in reachable:
            problems.append(doc.problem(("nodes", name), f"no choice ever leads to the node '{name}'",
                                        key=True, expected="link to it from another node, or remove it"))

    # Walk backwards from the endings: a node that cannot reach one traps the learner.
    reverse: dict[str, list[str]] = {n: [] for n in names}
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
    for name in names:
        if name in reachable and name not in can_end and case.nodes[name].choices:
            problems.append(doc.problem(("nodes", name), f"from the node '{name}' there is no way to reach an ending",
                                        key=True, expected="give one of its paths a choice that leads to a 'kind: end' node"))
    return problems


def check(library: "Library") -> list[Problem]:
    problems: list[Problem] = []
    for entry in library.of_kind("case"):
        problems.extend(check_case(entry))
    return problems
