"""The shape of the code: no import cycles among essw's modules, and one registry of kinds that
everything else reads (issue 11)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from essw.kinds import ITEM_KINDS, KINDS, SCAFFOLDS

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "essw"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Every essw module this file imports, wherever the import stands (top level, inside a function,
    under TYPE_CHECKING): a cycle through any of them is a cycle a reader has to untangle."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = {f"{target}.{a.name}" for a in node.names} & modules
            # 'from . import reviews' imports the module essw.checks.reviews, not the package
            found.update(submodules or ({target} & modules))
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in files}
    return {module_name(p): imports_of(p, modules) for p in files}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_module_of_essw_imports_one_that_imports_it_back():
    graph = import_graph()
    assert len(graph) > 30, "the test should see every module of the package"
    assert not cycles(graph), f"import cycles: {cycles(graph)}"


def test_the_cycle_finder_finds_a_cycle():
    """The test above would pass on a finder that finds nothing; this one would not."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_reading_and_checking_do_not_import_the_page_writers():
    """Data flows one way: loading and checking sources never needs the code that writes pages or PDFs."""
    graph = import_graph()
    writers = {"essw.generate", "essw.packs", "essw.plugin", "essw.build", "essw.cli"}
    for name, deps in graph.items():
        if name.startswith(("essw.checks", "essw.model", "essw.load", "essw.library", "essw.sources", "essw.kinds")):
            assert not deps & writers, f"{name} imports {sorted(deps & writers)}"


def test_every_kind_has_its_model_template_scaffold_and_pack_templates():
    pages = PACKAGE / "templates" / "pages"
    for kind in KINDS.values():
        assert (pages / kind.template).is_file(), f"{kind.name}: no page template {kind.template}"
        if kind.index == "table":
            assert (pages / f"{kind.name}-index.md.j2").is_file()
        for spec in kind.packs:
            assert (PACKAGE / "templates" / "print" / spec.template).is_file(), f"{kind.name}: {spec.template}"
    for name in SCAFFOLDS:
        assert (PACKAGE / "templates" / "new" / f"{name}.yml.j2").is_file(), f"no scaffold for {name}"
    assert set(ITEM_KINDS) == {k for k, kind in KINDS.items() if not kind.single_page}


def test_essw_new_offers_every_kind_the_registry_can_scaffold():
    """The help once left out 'explainer'; now it is read from the registry."""
    result = subprocess.run([sys.executable, "-m", "essw", "new", "--help"], capture_output=True, text=True, check=True)
    help_text = " ".join(result.stdout.split())
    for name in SCAFFOLDS:
        assert name in help_text
    assert "explainer" in SCAFFOLDS and "term" in SCAFFOLDS


def test_the_macros_know_every_kind_that_has_a_table():
    sys.path.insert(0, str(ROOT))
    try:
        from macros.main import TABLE_OFFERS
    finally:
        sys.path.remove(str(ROOT))
    assert set(TABLE_OFFERS) == {k for k, kind in KINDS.items() if kind.index == "table"}


def test_the_benchmark_copies_every_source_the_registry_knows():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import run as bench_run
    finally:
        sys.path.remove(str(ROOT / "bench"))
    assert set(bench_run.SOURCE_DIRS) | set(bench_run.SOURCE_FILES) == {k.folder for k in KINDS.values()}


@pytest.mark.parametrize("kind", [k for k in KINDS.values() if k.packs])
def test_pack_files_follow_the_registry(kind):
    from essw.packs import pack_files

    class Item:
        id = "x"
        materials = [type("M", (), {"kind": "quiz-cards"})()]

    files = pack_files(kind.name, Item())
    assert [f.filename for f in files] == [f"x-{spec.suffix}.pdf" for spec in kind.packs]
