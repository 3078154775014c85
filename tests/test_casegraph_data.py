"""The case-study graph checks as data: one folder per case under tests/data/casegraph/.

Each folder holds ``scenarios/test-case.yml``, the whole case source (HEAD, nodes and ending, so a
reader sees the file as an author would), and ``expected.txt``, the exact lines 'essw validate'
prints for it: ``Problem.format()`` of every problem, in ``report.sorted()`` order, one a line.
Lines starting with '#' are comments (the first says why the case is there); an expected.txt with
no other lines means "no problems". To add a case, add a folder; the test below runs it.

Checks that are not a list of formatted problems (explore(), holds(), time limits) stay in
tests/test_casegraph.py.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from conftest import REGISTER
from essw.sources import load_library

DATA = Path(__file__).resolve().parent / "data" / "casegraph"
CASES = sorted(p for p in DATA.iterdir() if p.is_dir()) if DATA.is_dir() else []
CONVERTED = 30  # the folders written when these tests moved out of test_casegraph.py (issue 11)


def _expected(folder: Path) -> list[str]:
    lines = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("folder", CASES, ids=[p.name for p in CASES])
def test_case_reports_exactly_the_expected_problems(folder: Path, tmp_path: Path):
    shutil.copytree(folder / "scenarios", tmp_path / "scenarios")
    (tmp_path / "publications.yml").write_text(REGISTER, encoding="utf-8")  # what the cases' sources cite
    _, report = load_library(tmp_path)
    actual = [p.format() for p in report.sorted()]
    expected = _expected(folder)
    if actual != expected:
        diff = "\n".join(difflib.unified_diff(expected, actual, f"{folder.name}/expected.txt", "reported",
                                              lineterm=""))
        pytest.fail(f"the problems reported for {folder.name} differ from expected.txt:\n{diff}", pytrace=False)


def test_every_converted_case_is_still_there():
    """Deleting or emptying the data folder must not let the checks above pass by running nothing."""
    assert len(CASES) >= CONVERTED, f"{len(CASES)} case folders in {DATA}, expected at least {CONVERTED}"
    for folder in CASES:
        assert (folder / "scenarios" / "test-case.yml").is_file(), f"{folder.name} has no scenarios/test-case.yml"
        assert (folder / "expected.txt").is_file(), f"{folder.name} has no expected.txt"
