"""Synthetic, valid sources for the benchmark: case studies and protocols of realistic size.

Text comes from a small word-level Markov chain trained on the repository's own case studies
and protocols, so every page has different sentences (the search index and gzip see realistic,
varied text) written in the site's vocabulary. Everything is seeded, so a run is repeatable.

A synthetic case has 15 nodes (start, four layers of 3/3/3/2 steps, three endings), two to four
choices per step with feedback and a rating, two flags, a conditional choice, text variants
(flag and visited conditions) and a debrief on every ending, so it exercises the same checks and
templates as a hand-written case. It is built so that `essw validate` passes with no warnings.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path
from typing import Any, Iterator

import yaml

STEP_LAYERS = [1, 3, 3, 3, 2]  # 'start', then the layers of step nodes
ENDINGS = 3                    # 12 steps + 3 endings = 15 nodes

NAMES = """Aisha Ben Chloe Dylan Ella Farah Grace Harvey Imran Jade Kai Leah Mason Nadia Owen Priya
Quinn Rosie Sami Tariq Una Vikram Willow Yusuf Zara Amir Bethany Connor Daisy Elijah Freya George
Hana Isaac Jasmine Kyle Lily Mohammed Niamh Oscar Poppy Rhys Sofia Theo Uzma Vera Wyatt Yasmin Zain
Alfie Bilal Cara Declan Esme Finn Gabriel Holly Ibrahim Jacob Kezia Logan Maya Noah Olivia""".split()

TAGS = ["consent", "recording", "early help", "domestic abuse", "levels of need", "housing",
        "attendance", "exclusion", "bullying", "neglect", "online safety", "transition",
        "mental health", "young carers", "fathers", "SEND", "exploitation", "information sharing",
        "supervision", "disclosure", "team around the family", "parenting", "poverty", "racism",
        "contextual safeguarding", "behaviour", "friendships", "bereavement", "substance use",
        "private fostering"]
AUDIENCES = ["essw", "school-staff", "dsl", "school-leaders", "parents", "trainers", "social-care"]
SPECTRUM = ["prevention", "early-intervention", "statutory", "post-statutory"]
PROCESSES = ["respond", "consent", "record", "decide", "work-together", "school-policy", "escalate"]
RATINGS = ["strong", "acceptable", "risky"]
SPEAKERS = ["The class teacher", "The DSL", "Your manager", "The head of year", "The school nurse",
            "The parent", "The pupil", "The SENCO", "A teaching assistant", "The family support worker"]
SOURCES = [  # ids of the repository's register (publications.yml), which the benchmark copies
    {"publication": "working-together", "part": "Chapter 3"},
    {"publication": "kcsie", "part": "Part one"},
    {"publication": "information-sharing"},
    {"publication": "cwdc-2010"},
    {"publication": "children-act-1989", "part": "section 47"},
    {"publication": "attendance"},
]
FLAGS = {"asked_parent": "you asked the parent before doing anything else",
         "told_manager": "you talked it through with your manager the same day"}

_WORD = re.compile(r"^[a-z]{3,12}$")


# -- text -------------------------------------------------------------------------------------------
class Chain:
    """An order-2 word Markov chain over the repository's own prose."""

    def __init__(self, texts: list[str]):
        self.next: dict[tuple[str, str], list[str]] = {}
        self.starts: list[tuple[str, str]] = []
        words: set[str] = set()
        for text in texts:
            tokens = [t for t in (_clean(w) for w in text.split()) if t]
            for i in range(len(tokens) - 2):
                key = (tokens[i], tokens[i + 1])
                self.next.setdefault(key, []).append(tokens[i + 2])
                if i == 0 or tokens[i - 1].endswith((".", "?", "!")):
                    if tokens[i][:1].isupper():
                        self.starts.append(key)
            words.update(t.lower().strip(".,;:?!'\"()") for t in tokens)
        self.slugs = sorted(w for w in words if _WORD.match(w))
        if not self.starts:
            raise ValueError("no text to learn from")

    def sentence(self, rng: random.Random, lo: int = 8, hi: int = 28) -> str:
        a, b = rng.choice(self.starts)
        out = [a, b]
        while len(out) < hi:
            if out[-1].endswith((".", "?", "!")) and len(out) >= lo:
                break
            options = self.next.get((out[-2], out[-1]))
            if not options:
                break
            out.append(rng.choice(options))
        text = " ".join(out).rstrip(",;:")
        return text if text.endswith((".", "?", "!")) else text + "."

    def text(self, rng: random.Random, chars: int, paragraphs: int = 1) -> str:
        """About ``chars`` characters of prose in up to ``paragraphs`` paragraphs (Markdown)."""
        sentences: list[str] = []
        total = 0
        while total < chars:
            s = self.sentence(rng)
            sentences.append(s)
            total += len(s) + 1
        if paragraphs <= 1 or len(sentences) < 2:
            return " ".join(sentences)
        cuts = sorted(rng.sample(range(1, len(sentences)), min(paragraphs - 1, len(sentences) - 1)))
        parts, prev = [], 0
        for cut in cuts + [len(sentences)]:
            parts.append(" ".join(sentences[prev:cut]))
            prev = cut
        return "\n\n".join(parts)

    def line(self, rng: random.Random, lo: int = 40, hi: int = 180) -> str:
        """One line (a label, a title): a sentence cut to at most ``hi`` characters."""
        for _ in range(20):
            s = self.sentence(rng, 6, 30)
            if lo <= len(s) <= hi:
                return s
        return s[:hi].rsplit(" ", 1)[0].rstrip(",;:") + "."

    def slug(self, rng: random.Random, words: int = 2) -> str:
        return "-".join(rng.choice(self.slugs) for _ in range(words))


def _clean(word: str) -> str:
    """Drop Markdown markup so generated text is plain prose (no stray lists, links or emphasis)."""
    word = re.sub(r"[*`#\[\]|_<>{}]", "", word)
    return "" if word in ("-", "--") else word


def corpus(root: Path) -> list[str]:
    texts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str) and len(value) > 40:
            texts.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for folder in ("scenarios", "policies", "roles", "explainers"):
        for path in sorted((root / folder).glob("*.yml")):
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return texts


# -- sources ----------------------------------------------------------------------------------------
def _governance(rng: random.Random, today: dt.date) -> dict[str, Any]:
    reviewed = today - dt.timedelta(days=rng.randint(1, 200))
    return {"owner": "ESSW team manager", "reviewed": reviewed,
            "review_by": today + dt.timedelta(days=rng.randint(60, 700)), "visibility": "public",
            "sources": [dict(s, note=None) for s in rng.sample(SOURCES, rng.randint(2, 4))]}


def _strip_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value]
    return value


def make_case(i: int, rng: random.Random, chain: Chain, *, policies: list[str], roles: list[str],
              terms: list[str], today: dt.date) -> dict[str, Any]:
    used: set[str] = {"start"}

    def node_name() -> str:
        while True:
            name = chain.slug(rng)
            if name not in used:
                used.add(name)
                return name

    layers = [["start"]] + [[node_name() for _ in range(n)] for n in STEP_LAYERS[1:]]
    endings = [node_name() for _ in range(ENDINGS)]
    levels = layers + [endings]

    def choice(goto: str) -> dict[str, Any]:
        return {"label": chain.line(rng), "goto": goto, "feedback": chain.text(rng, rng.randint(150, 320)),
                "rating": rng.choice(RATINGS), "tags": rng.sample(TAGS, rng.randint(1, 2))}

    nodes: dict[str, dict[str, Any]] = {}
    for depth, layer in enumerate(layers):
        following = levels[depth + 1]
        # Every node of the next level gets at least one always-shown way in.
        firsts = {name: [] for name in layer}
        for k, target in enumerate(following):
            firsts[layer[k % len(layer)]].append(target)
        for name in layer:
            targets = firsts[name] + [rng.choice(following)
                                      for _ in range(max(0, rng.randint(2, 4) - len(firsts[name])))]
            node: dict[str, Any] = {
                "title": chain.line(rng, 15, 60).rstrip(".") if rng.random() < 0.8 else None,
                "speaker": rng.choice(SPEAKERS) if rng.random() < 0.5 else None,
                "text": chain.text(rng, rng.randint(300, 650), paragraphs=rng.randint(1, 3)),
                "choices": [choice(t) for t in targets],
            }
            nodes[name] = node
    start = nodes["start"]["choices"]
    start[0]["set"] = {"asked_parent": True}
    start[1]["set"] = {"asked_parent": False}
    nodes[layers[2][0]]["choices"][0]["set"] = {"told_manager": True}
    # Text that remembers earlier choices, and a choice only shown when a flag holds.
    nodes[layers[2][1]]["variants"] = [{"when": {"flag": "asked_parent"}, "text": chain.text(rng, 200)}]
    nodes[layers[3][0]]["variants"] = [{"when": {"visited": layers[1][0]}, "text": chain.text(rng, 200)}]
    extra = choice(rng.choice(levels[4]))
    extra["when"] = {"flag": "told_manager", "value": True}
    extra["once"] = True
    nodes[layers[3][1]]["choices"].insert(0, extra)
    for name in endings:
        nodes[name] = {
            "kind": "end",
            "title": chain.line(rng, 15, 60).rstrip("."),
            "text": chain.text(rng, rng.randint(250, 500)),
            "variants": [{"when": {"flag": "asked_parent", "value": False}, "text": chain.text(rng, 150)}],
            "debrief": {"good_practice": chain.text(rng, rng.randint(200, 400)),
                        "protocols": rng.sample(policies, 2),
                        "questions": [chain.sentence(rng) for _ in range(rng.randint(2, 3))]},
        }
    name = NAMES[i % len(NAMES)]
    case = {
        "id": f"bench-case-{i:05d}",
        "title": f"{name}: {chain.line(rng, 30, 90).rstrip('.')}",
        "summary": chain.text(rng, rng.randint(200, 350)),
        "audiences": rng.sample(AUDIENCES, rng.randint(2, 4)),
        "tags": rng.sample(TAGS, rng.randint(3, 6)),
        "composite": True,
        "level_of_need": rng.randint(1, 4),
        "spectrum": rng.choice(SPECTRUM),
        "minutes": rng.randint(10, 40),
        "learning_outcomes": [chain.sentence(rng, 10, 30) for _ in range(rng.randint(3, 6))],
        "related_policies": rng.sample(policies, rng.randint(2, 4)),
        "related_roles": rng.sample(roles, rng.randint(1, 3)),
        "related_terms": rng.sample(terms, rng.randint(3, 6)),
        **_governance(rng, today),
        "flags": dict(FLAGS),
        "start": "start",
        "nodes": nodes,
    }
    return _strip_none(case)


def make_policy(j: int, rng: random.Random, chain: Chain, *, policies: list[str], roles: list[str],
                terms: list[str], cases: list[str], today: dt.date) -> dict[str, Any]:
    policy = {
        "id": f"bench-policy-{j:04d}",
        "title": chain.line(rng, 20, 70).rstrip("."),
        "summary": chain.text(rng, rng.randint(150, 300)),
        "process": rng.choice(PROCESSES),
        "plain_summary": chain.text(rng, rng.randint(300, 600), paragraphs=2),
        "for_parents": chain.text(rng, 300, paragraphs=2) if rng.random() < 0.5 else None,
        "audiences": rng.sample(AUDIENCES, rng.randint(2, 4)),
        "tags": rng.sample(TAGS, rng.randint(2, 4)),
        **_governance(rng, today),
        "legal_basis": [{"strength": rng.choice(["must", "should"]), "text": chain.text(rng, rng.randint(200, 400)),
                         "basis": chain.line(rng, 20, 80)} for _ in range(rng.randint(3, 6))],
        "steps": [{"title": chain.line(rng, 15, 60).rstrip("."), "text": chain.text(rng, rng.randint(300, 700), 2)}
                  for _ in range(rng.randint(4, 7))],
        "decisions": [{"question": chain.line(rng, 30, 120).rstrip(".") + "?", "yes": chain.text(rng, 200),
                       "no": chain.text(rng, 150)} for _ in range(rng.randint(2, 4))],
        "related": {"policies": [p for p in rng.sample(policies, min(3, len(policies))) if p != f"bench-policy-{j:04d}"],
                    "roles": rng.sample(roles, rng.randint(1, 3)),
                    "cases": rng.sample(cases, min(2, len(cases))),
                    "terms": rng.sample(terms, rng.randint(2, 5))},
    }
    return _strip_none(policy)


def dump(data: dict[str, Any], kind: str) -> str:
    header = f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n# Synthetic benchmark source (bench/synth.py).\n"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when available: much faster
    return header + yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


def write_sources(root: Path, repo: Path, cases: int, policies: int, *, seed: int = 1,
                  today: dt.date | None = None) -> dict[str, int]:
    """Write ``cases`` synthetic case studies and ``policies`` protocols into the project at ``root``.

    ``root`` already holds the repository's own sources (whose ids the synthetic ones link to).
    """
    today = today or dt.date.today()
    chain = Chain(corpus(repo))
    roles = sorted(yaml.safe_load(p.read_text(encoding="utf-8"))["id"] for p in (root / "roles").glob("*.yml"))
    terms = [t["id"] for t in yaml.safe_load((root / "glossary.yml").read_text(encoding="utf-8"))["terms"]]
    real_policies = sorted(yaml.safe_load(p.read_text(encoding="utf-8"))["id"]
                           for p in (root / "policies").glob("*.yml") if not p.name.startswith("bench-"))
    policy_ids = [f"bench-policy-{j:04d}" for j in range(1, policies + 1)] + real_policies
    case_ids = [f"bench-case-{i:05d}" for i in range(1, cases + 1)]
    written = 0
    for i in range(1, cases + 1):
        rng = random.Random(seed * 1_000_003 + i)
        data = make_case(i, rng, chain, policies=policy_ids, roles=roles, terms=terms, today=today)
        (root / "scenarios" / f"{data['id']}.yml").write_text(dump(data, "case"), encoding="utf-8")
        written += 1
    for j in range(1, policies + 1):
        rng = random.Random(seed * 2_000_003 + j)
        data = make_policy(j, rng, chain, policies=policy_ids, roles=roles, terms=terms, cases=case_ids, today=today)
        (root / "policies" / f"{data['id']}.yml").write_text(dump(data, "policy"), encoding="utf-8")
        written += 1
    return {"cases": cases, "policies": policies, "files": written}


def iter_sizes(root: Path) -> Iterator[int]:
    for path in (root / "scenarios").glob("bench-case-*.yml"):
        yield path.stat().st_size
