"""Validate, generate, then let the site engine build into a fresh folder and swap it in.

A failed build never touches the existing ``site/``: the engine writes to a temporary sibling
folder, and only a complete, successful build replaces ``site/`` (two renames). Where the site
may go, the build lock and the recovery after a killed build live in :mod:`essw.output`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .generate import generate
from .output import WORK_PREFIX, ZENSICAL_CONFIG_PREFIX, build_lock, check_site_dir, recover, swap_in
from .plugin import COMPRESS_ENV, INTERNAL_ENV, SEARCH_IN_ENGINE_ENV
from .problems import Report, SourceError
from .project import Project
from .publish import write_gzip_copies
from .search import PAGEFIND_DIR, SearchIndexError, index_site
from .sources import load_library

ENGINES = ("mkdocs", "zensical")


@dataclass
class BuildResult:
    report: Report
    counts: dict[str, int]
    site_dir: Path
    recovered: list[str] = field(default_factory=list)


class EngineError(Exception):
    """The site engine failed; carries its own output for the user."""


def validate_and_generate(project: Project, *, strict: bool = False, internal: bool = False,
                          packs: bool = True, keep_packs: bool = False) -> tuple[Report, dict[str, int]]:
    """Load and check every source; write the Markdown only if there are no errors."""
    library, report = load_library(project.root, for_pages=True)
    failing = report.errors + (report.warnings if strict else [])
    if failing:
        raise SourceError(sorted(set(report.problems)))
    counts = generate(library, project.docs_dir, internal=internal, packs=packs, keep_packs=keep_packs)
    return report, counts


def _engine_command(engine: str, project: Project, out_dir: Path, config: Path) -> list[str]:
    if engine == "mkdocs":
        return [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
                "--site-dir", str(out_dir)]
    return [sys.executable, "-m", "zensical", "build", "--config-file", str(config), "--clean"]


def build_site(project: Project, *, engine: str = "mkdocs", strict: bool = False, internal: bool = False,
               site_dir: Path | None = None, packs: bool = True) -> BuildResult:
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    target = check_site_dir(project, site_dir or project.site_dir)  # refuse before touching anything
    with build_lock(project):
        recovered = recover(project, target)
        target = check_site_dir(project, target)  # again: the other build may have changed it
        report, counts = validate_and_generate(project, strict=strict, internal=internal, packs=packs)
        target.parent.mkdir(parents=True, exist_ok=True)
        # The engine writes into a work folder inside the project (Zensical insists on that); only a
        # complete build is moved into place.
        work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=project.root))
        out_dir = work / "site"
        config = project.config_file
        env = dict(os.environ, ESSW_ALREADY_GENERATED="1", **{INTERNAL_ENV: "1" if internal else "",
                   SEARCH_IN_ENGINE_ENV: "1" if engine == "mkdocs" else "", COMPRESS_ENV: "1"})
        try:
            if engine == "zensical":
                # Zensical has no --site-dir: a small config that inherits ours points it at the work
                # folder. It must sit in the project root, which Zensical takes to be the config's folder.
                config = project.root / f"{ZENSICAL_CONFIG_PREFIX}{work.name}.yml"
                config.write_text(f"INHERIT: mkdocs.yml\nsite_dir: {json.dumps(str(out_dir))}\n", encoding="utf-8")
            result = subprocess.run(_engine_command(engine, project, out_dir, config), cwd=project.root, env=env,
                                    capture_output=True, text=True)
            if result.returncode != 0 or not (out_dir / "index.html").is_file():
                raise EngineError((result.stdout + result.stderr).strip() or f"{engine} build failed")
            # The same search for both engines: the MkDocs plugin adds it as it builds (unless it is
            # turned off in mkdocs.yml); Zensical runs no plugins, so it is added here.
            if engine == "zensical" or not (out_dir / PAGEFIND_DIR).is_dir():
                try:
                    index_site(out_dir)
                except SearchIndexError as error:
                    raise EngineError(str(error)) from None
            write_gzip_copies(out_dir)  # last: the copies include the search files
            swap_in(out_dir, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
            if engine == "zensical":
                config.unlink(missing_ok=True)
    return BuildResult(report, counts, target, recovered)
