"""A benchmark corpus made of the real project: its sources, hand-written pages and settings, plus
copies of its real case studies, so the figures are those readers and authors meet, only more of them.

Used by bench/search/budget.py and bench/authors_loop.py.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import run as benchrun  # noqa: E402  file lists (from the registry of kinds), hand-written docs


def copy_project(root: Path, n_cases: int) -> int:
    """The repository's project, plus n_cases copies of its real case studies. Returns the case count."""
    root.mkdir(parents=True)
    for name in benchrun.PROJECT_FILES + benchrun.SOURCE_DIRS + benchrun.SOURCE_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, root / name)
    benchrun.hand_written_docs(REPO / "docs", root / "docs")
    real = sorted((REPO / "scenarios").glob("*.yml"))
    for i in range(n_cases):
        source = real[i % len(real)]
        text = source.read_text(encoding="utf-8")
        text, ids = re.subn(r"^id: *(\S+)", lambda m: f"id: {m.group(1)}-copy-{i:04d}", text, count=1, flags=re.M)
        text, titles = re.subn(r'^title: *"?(.*?)"?$', lambda m: f'title: "{m.group(1)} (copy {i + 1})"', text,
                               count=1, flags=re.M)
        assert ids == 1 and titles == 1, source
        (root / "scenarios" / f"{source.stem}-copy-{i:04d}.yml").write_text(text, encoding="utf-8")
    return len(real) + n_cases
