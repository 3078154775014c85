"""Hostile and broken sources, end to end: 'essw build' in a subprocess, as an author runs it.

Each test starts from a copy of the fixture project whose site/ has already been built, drops one
hostile file into it and runs 'essw build' under a 2 GB address-space limit. A refused file must
give a non-zero exit, one clear 'path:line:column:' message, no traceback, and leave the previous
site/ byte-for-byte as it was; and every run must finish in bounded time and memory.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import CASE, ESSW, POLICY, ROLE, Project, Result, make_project, tree_hashes
from essw.model.case import MAX_NODES

MEMORY_LIMIT = 2 * 1024 ** 3  # RLIMIT_AS for the essw process and everything it starts
REFUSAL_SECONDS = 30  # a refused file is refused at validation: far quicker than this
REFUSAL_RSS_MB = 500  # peak resident memory of essw (and its children) while refusing a file


@dataclass
class Run(Result):
    """What a run of essw printed and returned, with its time and peak memory."""

    seconds: float
    max_rss_mb: float


def _limit_memory() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    os.setsid()  # its own process group, so a time-out can stop it and everything it started


def run_essw(root: Path, *args: str, timeout: float = 120) -> Run:
    """Run the installed 'essw' in a subprocess with limited memory; measure wall time and peak RSS.

    The exit status is collected with os.wait4, whose resource usage covers the essw process and
    the children it waited for (the site engine), so max_rss_mb is the peak of the whole build.
    """
    out_path, err_path = root.parent / f".{root.name}.stdout", root.parent / f".{root.name}.stderr"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([*ESSW, "--root", str(root), *args], cwd=root, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, preexec_fn=_limit_memory)
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, stop)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    assert not timed_out.is_set(), f"essw {' '.join(args)} was stopped after {timeout} s\n{stdout}{stderr}"
    return Run(proc.returncode, stdout, stderr, seconds, usage.ru_maxrss / 1024)


@pytest.fixture(scope="module")
def built_template(tmp_path_factory) -> Path:
    """The fixture project with site/ already built once (copied, never changed, by each test)."""
    root = make_project(tmp_path_factory.mktemp("hostile") / "project")
    result = run_essw(root, "build")
    assert result.returncode == 0, result.output
    assert (root / "site" / "index.html").is_file()
    return root


@pytest.fixture
def built(built_template, tmp_path) -> Project:
    root = tmp_path / "project"
    shutil.copytree(built_template, root, symlinks=True)
    return Project(root)


def assert_refused(project: Project, rel: str, line: int | None, *fragments: str,
                   seconds: float = REFUSAL_SECONDS) -> Run:
    """'essw build' refuses the project with a message at rel:line and leaves site/ untouched."""
    site = project.path("site")
    before = tree_hashes(site)
    result = run_essw(project.root, "build")
    output = result.output
    assert result.returncode == 1, f"exit {result.returncode}, expected 1 (a content error)\n{output[-3000:]}"
    assert "Traceback" not in output, output[-3000:]
    assert "unexpected internal error" not in output, output[-3000:]
    where = re.escape(rel) + r":" + (str(line) if line is not None else r"\d+") + r":\d+: "
    lines = [text for text in result.stderr.splitlines() if re.match(where, text)]
    assert lines, f"no '{rel}:{line or 'N'}:C:' message in:\n{output[-3000:]}"
    for fragment in fragments:
        assert any(fragment in text for text in lines), f"{fragment!r} not in {lines}"
    assert all(len(text) < 600 for text in lines), "a message should be one readable line"
    assert "Nothing was built" in result.stderr
    assert tree_hashes(site) == before, "a refused build changed site/"
    assert not list(project.root.glob(".essw-building-*")), "the build's work folder was left behind"
    assert result.seconds < seconds, f"took {result.seconds:.1f} s"
    assert result.max_rss_mb < REFUSAL_RSS_MB, f"peak memory {result.max_rss_mb:.0f} MB"
    return result


# -- the hostile files --------------------------------------------------------------------------------

def _bomb() -> str:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(levels) + "\n"


def _merge_bomb() -> str:
    # the same explosion written with YAML merge keys ('<<: *a') instead of plain aliases
    lines = ["a0: &a0 {x: lol, y: lol}"]
    for i in range(1, 30):
        lines.append(f"a{i}: &a{i} {{p: *a{i - 1}, q: *a{i - 1}}}")
    lines.append("top:\n  <<: *a29\n")
    return "\n".join(lines)


def _latin1_case() -> bytes:
    text = CASE.replace("id: first-day", "id: latin").replace("Sam arrives late and quiet.", "Sam arrives at the caf\u00e9.")
    return text.encode("latin-1")


def _latin1_line() -> int:
    return CASE.splitlines().index("    text: Sam arrives late and quiet.") + 1


def _block_mapping(depth: int) -> str:
    """A block mapping 'depth' levels deep, one more space of indentation per level."""
    return "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "end\n"


DEEP = 10_000

HOSTILE = [
    # (id, file, content, line of the message, words the message must contain)
    ("empty", "scenarios/hostile.yml", "", 1, ["the file is empty"]),
    ("only-blank-lines", "scenarios/hostile.yml", "\n   \n\t\n", 1, ["the file is empty"]),
    ("only-a-comment", "scenarios/hostile.yml", "# nothing here yet\n", 1, []),
    ("binary", "scenarios/hostile.yml", bytes(range(256)) * 64, 1, ["binary"]),
    ("png-named-yml", "scenarios/hostile.yml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, 1, ["binary"]),
    ("utf-16", "scenarios/hostile.yml", CASE.encode("utf-16"), 1, []),
    ("invalid-utf8", "scenarios/hostile.yml", _latin1_case(), _latin1_line(), ["not valid UTF-8"]),
    ("lone-continuation-byte", "scenarios/hostile.yml", b"id: x\ntitle: \x80\n", 2, ["not valid UTF-8"]),
    ("billion-laughs", "scenarios/hostile.yml", _bomb(), 1, ["anchors and aliases"]),
    ("merge-key-bomb", "scenarios/hostile.yml", _merge_bomb(), 1, ["anchors and aliases"]),
    ("python-tag", "scenarios/hostile.yml", "id: x\ntitle: !!python/object/apply:os.system ['echo pwned']\n", 2,
     ["not allowed"]),
    ("20-megabytes", "scenarios/hostile.yml", "summary: " + "x" * (20 * 1024 * 1024) + "\n", 1, ["MB"]),
    ("flow-mappings-10000-deep", "scenarios/hostile.yml", "a: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n", 1,
     ["levels deep"]),
    ("flow-sequences-10000-deep", "scenarios/hostile.yml", "a: " + "[" * DEEP + "]" * DEEP + "\n", 1,
     ["levels deep"]),
    ("unclosed-flow-10000-deep", "scenarios/hostile.yml", "a: " + "{b: [" * DEEP + "\n", 1, ["levels deep"]),
    ("block-sequences-10000-deep", "scenarios/hostile.yml", "- " * DEEP + "a\n", 1, ["levels deep"]),
    # 10,000 levels of block mappings need about 50 MB of indentation, so the size limit refuses it;
    # 1,900 levels fit under the limit, so the depth limit refuses that one at the 41st line.
    ("block-mappings-10000-deep", "scenarios/hostile.yml", _block_mapping(DEEP), 1, ["MB"]),
    ("block-mappings-1900-deep", "scenarios/hostile.yml", _block_mapping(1900), 41, ["levels deep"]),
    ("top-level-list", "scenarios/hostile.yml", "- id: a\n- id: b\n", 1, ["a list at its top level"]),
    ("top-level-string", "scenarios/hostile.yml", "just some words\n", 1, ["top level"]),
    ("top-level-number", "scenarios/hostile.yml", "42\n", 1, ["top level"]),
    ("top-level-null", "scenarios/hostile.yml", "~\n", 1, ["top level"]),
    ("duplicate-keys", "scenarios/hostile.yml",
     CASE.replace("id: first-day", "id: dup").replace("minutes: 10\n", "minutes: 10\nminutes: 12\n"),
     CASE.splitlines().index("minutes: 10") + 2, ["appears twice"]),
    ("duplicate-node-names", "scenarios/hostile.yml",
     CASE.replace("id: first-day", "id: dup").replace("  wait:\n", "  talk:\n"),
     CASE.splitlines().index("  wait:") + 1, ["'talk' appears twice"]),
    ("tab-indentation", "scenarios/hostile.yml", "id: tabs\ntitle: Tabs\nnodes:\n\tstart:\n\t\ttext: x\n", 4, ["tab"]),
    ("two-documents", "scenarios/hostile.yml", CASE.replace("id: first-day", "id: two") + "---\nid: again\n",
     len(CASE.splitlines()) + 1, ["more than one YAML document"]),
    ("valid-policy-in-scenarios", "scenarios/hostile.yml",
     POLICY.replace("id: consent-protocol", "id: another-protocol"), 1, ["looks like a protocol", "policies/"]),
    ("valid-case-in-roles", "roles/hostile.yml", CASE.replace("id: first-day", "id: another-case"), 1,
     ["looks like a case study", "scenarios/"]),
    ("valid-role-as-the-glossary", "glossary.yml", ROLE, 1, ["looks like a role guide"]),
    ("binary-glossary", "glossary.yml", bytes(range(256)) * 8, 1, ["binary"]),
]


@pytest.mark.parametrize("rel, content, line, fragments", [pytest.param(*h[1:], id=h[0]) for h in HOSTILE])
def test_hostile_source_is_refused_clearly_and_site_is_untouched(built, rel, content, line, fragments):
    if isinstance(content, bytes):
        built.path(rel).parent.mkdir(parents=True, exist_ok=True)
        built.path(rel).write_bytes(content)
    else:
        built.write_raw(rel, content)
    assert_refused(built, rel, line, *fragments)


@pytest.mark.parametrize("char", ["\x0b", "\x07", "\x1b", "\x0c", "\x7f", "\x00"],
                         ids=["vertical-tab", "bell", "escape", "form-feed", "delete", "nul-after-8k"])
def test_control_character_is_reported_where_it_is_and_as_a_control_character(built, char):
    """Word processors put a vertical tab (\\x0b) where a manual line break was; terminals leave escape codes.

    The refusal must name the line and column of the character and call it a control character.
    Failed before commit 40a4eb7 (essw/load.py, _describe_yaml_error): PyYAML's ReaderError has no
    problem_mark, so the position fell back to 1:1, and the check 'tab' in lowered matched the word
    'unacceptable' in 'unacceptable character #x000b', so every control character was reported as
    'a tab character is used for indentation'.
    """
    text = CASE.replace("id: first-day", "id: control")
    if char == "\x00":  # a NUL near the start is caught as 'binary'; this one is past the first 8 KB
        text = "# " + "padding " * 1100 + "\n" + text
    needle = "    text: Sam arrives late and quiet."
    line = text.splitlines().index(needle) + 1
    built.write_raw("scenarios/hostile.yml", text.replace(needle, needle.replace("late", f"late{char}")))
    column = needle.index("late") + len("late") + 1
    result = assert_refused(built, "scenarios/hostile.yml", line, "control character")
    assert re.search(rf"^scenarios/hostile\.yml:{line}:{column}: ", result.stderr, re.M), result.stderr
    assert "tab character" not in result.stderr


def test_many_hostile_files_at_once_are_all_reported_in_one_run(built):
    """One run names every hostile file, each at its own line, still quickly."""
    chosen = {"empty", "binary", "invalid-utf8", "billion-laughs", "20-megabytes", "flow-mappings-10000-deep",
              "top-level-list", "duplicate-keys", "tab-indentation", "valid-policy-in-scenarios"}
    expected = []
    for name, _, content, line, _ in HOSTILE:
        if name in chosen:
            rel = f"scenarios/{name}.yml"
            if isinstance(content, bytes):
                built.path(rel).write_bytes(content)
            else:
                built.write_raw(rel, content)
            expected.append((rel, line))
    result = assert_refused(built, expected[0][0], expected[0][1])
    for rel, line in expected:
        assert re.search(rf"^{re.escape(rel)}:{line}:\d+: ", result.stderr, re.M), f"{rel}:{line} missing"
    assert f"in {len(expected)} file(s)" in result.stderr


def test_special_files_in_a_source_folder_are_skipped_and_the_build_completes(built):
    """A symlink loop, a FIFO and a link to /dev/zero are not source files: none of them may hang the build."""
    scenarios = built.path("scenarios")
    (scenarios / "loop").symlink_to("..", target_is_directory=True)
    (scenarios / "zero.yml").symlink_to("/dev/zero")
    os.mkfifo(scenarios / "fifo.yml")
    (scenarios / "dangling.yml").symlink_to(scenarios / "no-such-file.yml")
    result = run_essw(built.root, "build", "--no-packs", timeout=60)
    assert "Traceback" not in result.output
    assert result.returncode == 0 or re.search(r"^scenarios/[^:]+:\d+:\d+: ", result.stderr, re.M), result.output
    assert result.seconds < 60


# -- a very large valid case --------------------------------------------------------------------------

BIG_NODES = 10_000


def big_case(nodes: int) -> str:
    """A valid case of 'nodes' nodes in a chain, each with one choice, ending in a debriefed ending."""
    head = CASE.split("start: start\n")[0].replace("id: first-day", "id: big-case").replace("title: First day back",
                                                                                          "title: A very long case")
    parts = [head, "start: n0\nnodes:\n"]
    for i in range(nodes - 1):
        parts.append(f"  n{i}:\n    text: Step {i}.\n    choices:\n      - label: Go on from {i}\n"
                     f"        goto: n{i + 1}\n        feedback: Fine.\n")
    parts.append(f"  n{nodes - 1}:\n    kind: end\n    text: The end.\n    debrief:\n      good_practice: Done.\n"
                 "      questions: [Why?]\n")
    return "".join(parts)


def test_a_case_with_10000_nodes_is_refused_quickly_at_its_nodes(built):
    """Far more than anyone can play or print: a clear error naming the limit, in seconds."""
    built.write_raw("scenarios/big-case.yml", big_case(BIG_NODES))
    result = run_essw(built.root, "build", timeout=60)
    assert "Traceback" not in result.output
    assert result.returncode == 1, result.output[-3000:]
    line = built.line_of("scenarios/big-case.yml", "  n0:")
    assert re.search(rf"^scenarios/big-case.yml:{line}:\d+: this case has 10,000 nodes, more than the "
                     rf"{MAX_NODES} a case may have", result.stderr, re.M), result.stderr[-2000:]
    assert "split it into shorter case studies" in result.stderr
    assert not built.path("site/library/case-studies/big-case.html").exists()
    assert result.seconds < 30
    assert result.max_rss_mb < 1000


@pytest.mark.slow
def test_the_largest_case_allowed_builds_with_its_printable_pack(built):
    """A case at the node limit builds, pack included, in bounded time and memory."""
    built.write_raw("scenarios/big-case.yml", big_case(MAX_NODES))
    result = run_essw(built.root, "build", timeout=300)
    assert "Traceback" not in result.output, result.output[-3000:]
    assert result.returncode == 0, result.output[-3000:]
    text = built.path("site/library/case-studies/big-case.html").read_text(encoding="utf-8")
    assert 'id="node-n0"' in text and f'id="node-n{MAX_NODES - 1}"' in text
    packs = list(built.path("site/library/packs").glob("*big-case*.pdf"))
    assert packs, "the case's printable pack was not made"
    assert result.seconds < 180, f"the build took {result.seconds:.0f} s"
    assert result.max_rss_mb < 1500, f"peak memory {result.max_rss_mb:.0f} MB"
