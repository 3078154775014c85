"""The rules of a case study, as plain functions: conditions, the choices on offer, the play-through
of every way through a case, and the distances the progress line reads.

These are exactly the rules the browser engine (assets/case-engine.js) follows. The checks
(checks/casegraph.py) turn what these find into problems, the generator hands the engine the
distances, and nothing here knows about files, messages or pages.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Hashable, Iterator, TypeVar

from .case import Condition

if TYPE_CHECKING:
    from .case import Case

MAX_STATES = 20_000
"""Enough for any hand-written case; beyond it only the plain graph is checked."""

State = tuple[str, tuple, frozenset, frozenset]
"""One moment of play: (node, flags set, nodes visited that a condition reads, once-only choices used)."""

K = TypeVar("K", bound=Hashable)


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


def choice_conditions(case: "Case") -> Iterator[tuple[tuple, Any, Any]]:
    """(loc, when, set) for every choice and variant: the conditions and flags a case uses."""
    for name, node in case.nodes.items():
        for i, choice in enumerate(node.choices):
            yield ("nodes", name, "choices", i), choice.when, choice.set
        for i, variant in enumerate(node.variants):
            yield ("nodes", name, "variants", i), variant.when, {}


def reverse_reach(edges: dict[K, list[K]], targets: Any) -> dict[K, int]:
    """Everything that can reach one of ``targets`` along ``edges``, with the fewest steps it takes.

    One backward search answers three questions: which nodes can reach an ending (the plain
    graph), which played states can (the trap check), and the fewest decisions left (the
    progress line's fallback for a case too large to play through).
    """
    reverse: dict[K, list[K]] = {}
    for src, dsts in edges.items():
        for dst in dsts:
            reverse.setdefault(dst, []).append(src)
    dist = {t: 0 for t in targets}
    queue = deque(dist)
    while queue:
        here = queue.popleft()
        for prev in reverse.get(here, []):
            if prev not in dist:
                dist[prev] = dist[here] + 1
                queue.append(prev)
    return dist


def endings(case: "Case") -> set[str]:
    return {n for n, node in case.nodes.items() if node.kind == "end"}


def graph_reach(case: "Case") -> tuple[set[str], set[str]]:
    """Plain graph, conditions ignored: nodes reachable from the start, and nodes that can reach an ending."""
    edges = {n: [c.goto for c in node.choices if c.goto in case.nodes] for n, node in case.nodes.items()}
    reachable = {case.start}
    queue = deque([case.start])
    while queue:
        for nxt in edges[queue.popleft()]:
            if nxt not in reachable:
                reachable.add(nxt)
                queue.append(nxt)
    return reachable, set(reverse_reach(edges, endings(case)))


def watched_inputs(case: "Case") -> tuple[set[str], set[str]]:
    """Only flags and nodes that some condition reads make two states different."""
    flags = {c.flag for _, when, _ in choice_conditions(case) for c in conditions(when) if c.flag}
    nodes = {t for _, when, _ in choice_conditions(case) for c in conditions(when)
             for t in (c.visited, c.not_visited) if t}
    return flags, nodes


def start_state(case: "Case", watched_nodes: set[str]) -> State:
    return (case.start, (), frozenset({case.start} & watched_nodes), frozenset())


@dataclass(frozen=True)
class Offer:
    """One choice as play reads it, worked out once per case rather than at every state."""

    choice: Any
    key: str                      # "node/index": how a once-only choice is remembered as used
    goto: str
    conditions: tuple[Condition, ...]
    sets: tuple[tuple[str, Any], ...]  # only the flags some condition reads
    reveals: frozenset[str]       # the node it leads to, if some condition asks whether it was visited


Offers = dict[str, tuple[Offer, ...]]


def offers(case: "Case", watched: tuple[set[str], set[str]]) -> Offers:
    """For each node that is not an ending, its choices that lead to a node of the case."""
    watched_flags, watched_nodes = watched
    table: Offers = {}
    for name, node in case.nodes.items():
        if node.kind == "end":
            table[name] = ()
            continue
        table[name] = tuple(
            Offer(choice, f"{name}/{i}", choice.goto, tuple(conditions(choice.when)),
                  tuple((k, v) for k, v in choice.set.items() if k in watched_flags),
                  frozenset({choice.goto} & watched_nodes))
            for i, choice in enumerate(node.choices) if choice.goto in case.nodes)
    return table


def moves(case: "Case", state: State, watched: tuple[set[str], set[str]],
          table: Offers | None = None) -> Iterator[tuple[Any, State]]:
    """The choices on offer in a state and where each leads, by the browser engine's rules.
    ``table`` is :func:`offers` for the case, when the caller asks for many states."""
    name, flag_items, visited, used = state
    offered = (table if table is not None else offers(case, watched))[name]
    if not offered:
        return
    flags = dict(flag_items)
    for offer in offered:
        if offer.choice.once and offer.key in used:
            continue
        if offer.conditions and not holds(list(offer.conditions), flags, visited):
            continue
        if offer.sets:
            new_flags = dict(flags)
            new_flags.update(offer.sets)
            new_items = tuple(sorted(new_flags.items()))
        else:
            new_items = flag_items
        new_used = used | {offer.key} if offer.choice.once else used
        new_visited = visited | offer.reveals if offer.reveals else visited
        yield offer.choice, (offer.goto, new_items, new_visited, new_used)


def explore(case: "Case", limit: int = MAX_STATES, follow: Any = None
            ) -> tuple[dict[State, tuple[State, str] | None], dict[State, list[State]], bool]:
    """Play every way through the case (only the choices ``follow`` accepts, if given).
    Returns parents (for example paths), edges, and completeness."""
    watched = watched_inputs(case)
    table = offers(case, watched)
    start = start_state(case, watched[1])
    parents: dict[State, tuple[State, str] | None] = {start: None}
    edges: dict[State, list[State]] = {}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        edges[state] = targets = []
        for choice, nxt in moves(case, state, watched, table):
            if follow is not None and not follow(choice):
                continue
            targets.append(nxt)
            if nxt not in parents:
                if len(parents) >= limit:
                    return parents, edges, False
                parents[nxt] = (state, choice.label)
                queue.append(nxt)
    return parents, edges, True


def fingerprint(case: "Case") -> str:
    """A hash of everything the case says: any edit changes it (saved progress starts again, and
    what was worked out from the old case is worked out again)."""
    source = json.dumps(case.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


_LEFT: dict[str, dict[str, int]] = {}
MAX_REMEMBERED = 5_000


def decisions_left(case: "Case", explored: Any = None) -> dict[str, int]:
    """:func:`count_decisions_left`, remembered by the case's fingerprint: the checks play each case
    through already (and pass ``explored``, what they found), so the page does not play it again."""
    key = fingerprint(case)
    if key not in _LEFT:
        if len(_LEFT) >= MAX_REMEMBERED:
            _LEFT.clear()
        _LEFT[key] = count_decisions_left(case, explored)
    return dict(_LEFT[key])


def remembered_decisions_left() -> dict[str, dict[str, int]]:
    """What :func:`decisions_left` has worked out, by fingerprint: a worker process hands it back."""
    return dict(_LEFT)


def forget_decisions_left() -> None:
    _LEFT.clear()


def remember_decisions_left(found: dict[str, dict[str, int]]) -> None:
    """Keep what a worker process worked out, so the pages do not play those cases through again."""
    if len(_LEFT) + len(found) > MAX_REMEMBERED:
        _LEFT.clear()
    _LEFT.update(found)


def count_decisions_left(case: "Case", explored: Any = None) -> dict[str, int]:
    """For each node, the median number of decisions still to make, over every way through the
    case that passes it (played with the engine's rules, so once-only choices and conditions
    count). The progress line uses it: the fewest decisions to an ending would count the quickest
    way out, usually a risky ending, and tell a learner on a long path "about 2 more" for ages.

    A state revisited on the same path (a learner going round a loop) is not counted twice, so
    the ways through are finite. A case too large to play through falls back to the plain graph."""
    parents, edges, complete = explored or explore(case)
    if not complete:
        return fewest_decisions(case)
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


def fewest_decisions(case: "Case") -> dict[str, int]:
    """Fewest choices from each node to an ending (plain graph): the fallback for huge cases."""
    edges = {n: [c.goto for c in node.choices if c.goto in case.nodes] for n, node in case.nodes.items()}
    return reverse_reach(edges, endings(case))


def is_strong(choice: Any) -> bool:
    """A choice on a path of strong practice: rated strong, or not rated at all (a neutral step)."""
    return choice.rating in (None, "strong")


def progress_shown(made: int, left: int, best: int) -> tuple[int, int]:
    """The progress line's rule, shared with the browser engine (case-engine.js, progressShown):
    with ``made`` decisions made and about ``left`` to go, the percentage is made / (made + left),
    rounded down, and never below ``best``, the highest shown so far on this path. Returns
    (percentage, estimated total decisions)."""
    total = made + left
    percent = 100 if total == 0 else (100 * made) // total
    return max(best, percent), total
