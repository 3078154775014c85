"""What a case study's page and its printed copy show beyond the source itself: the data the browser
engine plays, and conditions in words for readers without JavaScript and for paper.

The web page (templates/pages/case.md.j2) and the print templates (templates/print/case-*.html.j2)
both read these, so a condition reads the same on screen and on paper.
"""

from __future__ import annotations

from typing import Any

from .model.case import node_title
from .model.play import conditions, decisions_left, fingerprint


def case_data(case: Any) -> dict[str, Any]:
    """What the browser engine needs to play a case; the text itself stays in the page's HTML."""
    def when(value: Any) -> Any:
        conds = [c.model_dump(exclude_none=True) for c in conditions(value)]
        return conds or None

    nodes = {}
    for name, node in case.nodes.items():
        nodes[name] = {
            "title": node_title(name, node),
            "kind": node.kind,
            "choices": [{"label": c.label, "goto": c.goto, "rating": c.rating, "set": c.set,
                         "when": when(c.when), "once": c.once} for c in node.choices],
        }
    data = {"id": case.id, "title": case.title, "start": case.start, "outcomes": list(case.learning_outcomes),
            "left": decisions_left(case), "nodes": nodes}
    data["hash"] = fingerprint(case)[:16]  # any edit makes saved progress start again
    return data


def describe_when(case: Any, value: Any) -> str:
    """A condition in words, for readers without JavaScript: 'If Mum agreed to work with you'."""
    parts = []
    for c in conditions(value):
        if c.visited:
            parts.append(f"you have been to '{node_title(c.visited, case.nodes[c.visited])}'" if c.visited in case.nodes else c.visited)
        elif c.not_visited:
            parts.append(f"you have not been to '{node_title(c.not_visited, case.nodes[c.not_visited])}'" if c.not_visited in case.nodes else c.not_visited)
        else:
            meaning = case.flags.get(c.flag, c.flag.replace("_", " "))
            if c.value is True and c.op == "==" or c.value is False and c.op == "!=":
                parts.append(meaning)
            elif c.value is False and c.op == "==" or c.value is True and c.op == "!=":
                parts.append(f"not: {meaning}")
            else:
                parts.append(f"{meaning} {c.op} {c.value}")
    return "If " + " and ".join(parts)
