"""Where essw may write, and how it replaces a site without ever losing one.

essw deletes and replaces only folders it made itself. Every site it builds carries a marker file
(:data:`SITE_MARKER`), and an output path is refused, before anything is touched, when replacing it
could destroy someone's work: the project itself or a folder above it, a source folder, the
hand-written ``docs/`` tree, a file, or a non-empty folder without the marker.

One build runs at a time in a project (an advisory lock the operating system drops when the
process ends, even when it is killed), and each build first tidies what a killed build left: a
site moved aside but not replaced is put back, and stale work folders are removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
from pathlib import Path
from typing import Iterator

from .kinds import KINDS
from .problems import UsageError
from .project import Project

SITE_MARKER = ".essw-site"
"""A file in the top folder of every site essw builds: proof that essw may replace that folder."""

LOCK_FILE = ".essw-build.lock"
WORK_PREFIX = ".essw-building-"
ZENSICAL_CONFIG_PREFIX = ".essw-zensical-"

PROTECTED = ("docs", "overrides", "macros", "schemas", "requirements", "essw", "tests", "bench", ".git",
             ".ci", ".venv")
"""Project folders that hold work of people, not of essw, besides the source folders."""


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def protected_places(project: Project) -> list[Path]:
    """Everything in the project that essw must never replace: sources, hand-written pages, code."""
    places = [project.root / kind.folder for kind in KINDS.values()]
    places += [project.root / name for name in PROTECTED]
    return places


def _shown(project: Project, path: Path) -> str:
    try:
        return path.relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return str(path)


def check_site_dir(project: Project, target: Path) -> Path:
    """The resolved folder to build into, or :class:`UsageError` saying why it is not safe.

    Pure checks only: nothing is created or changed here.
    """
    resolved = Path(os.path.abspath(target)).resolve()
    root = project.root.resolve()
    shown = _shown(project, resolved)
    if _is_within(root, resolved):
        raise UsageError(f"--site-dir {shown} is the project folder or a folder that holds it; building there "
                         "would delete the project. Choose a new folder, for example 'site'")
    for place in protected_places(project):
        place = place.resolve() if place.exists() else place
        if _is_within(resolved, place):
            where = "is" if resolved == place else "is inside"
            raise UsageError(f"--site-dir {shown} {where} the project's '{_shown(project, place)}' folder, which holds "
                             "work of its own; essw will not write a site there. Choose a new folder, "
                             "for example 'site'")
    if resolved.exists() and not resolved.is_dir():
        raise UsageError(f"--site-dir {shown} is a file, not a folder; essw will not replace it. "
                         "Choose a new folder, for example 'site'")
    if resolved.is_dir() and any(resolved.iterdir()) and not (resolved / SITE_MARKER).is_file():
        raise UsageError(f"--site-dir {shown} is a folder with files in it that essw did not build (it has "
                         f"no {SITE_MARKER} marker); essw will not delete them. Choose an empty or new "
                         "folder, or move these files away first")
    for parent in resolved.parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(f"--site-dir {shown}: '{_shown(project, parent)}' is a file, not a folder")
            break
    return resolved


def check_generated_dir(out: Path, marker: str) -> None:
    """The generator's folder under docs/ must be a folder essw made (or not exist yet)."""
    if out.parent.exists() and not out.parent.is_dir():
        raise UsageError(f"'{out.parent.name}' is a file, but it must be the folder of the site's pages; "
                            "move or rename the file, then run the command again")
    if out.is_symlink():
        raise UsageError(f"{out.parent.name}/{out.name} is a link to another place; essw writes its generated "
                            "pages only into a real folder of the project. Remove the link")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out.parent.name}/{out.name} is a file, but essw writes its generated pages into a "
                            "folder of that name; move or rename the file, then run the command again")
    if out.is_dir() and any(out.iterdir()) and not (out / marker).exists():
        raise UsageError(f"{out.parent.name}/{out.name} holds files that essw did not make (it has no {marker} "
                            "marker); essw will not overwrite them. Move them elsewhere in docs/")


def staged_names(target: Path) -> tuple[Path, Path]:
    """The two siblings a swap uses: the new site moved beside the target, and the old site moved aside."""
    return target.with_name(f".{target.name}-new"), target.with_name(f".{target.name}-old")


def _made_by_essw(folder: Path) -> bool:
    return folder.is_dir() and (folder / SITE_MARKER).is_file()


def recover(project: Project, target: Path) -> list[str]:
    """Undo what a killed build left behind; returns what was done, in words, for the user."""
    done: list[str] = []
    staged, old = staged_names(target)
    if not target.exists() and _made_by_essw(old):
        old.rename(target)
        done.append(f"restored {_shown(project, target)} from {old.name}, left by an interrupted build")
    for leftover in (staged, old):
        if _made_by_essw(leftover):
            shutil.rmtree(leftover)
            done.append(f"removed {leftover.name}, left by an interrupted build")
    for leftover in project.root.glob(f"{WORK_PREFIX}*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
            done.append(f"removed {leftover.name}, left by an interrupted build")
    for leftover in project.root.glob(f"{ZENSICAL_CONFIG_PREFIX}*.yml"):
        if leftover.is_file() and not leftover.is_symlink():
            leftover.unlink()
    return done


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new``: renames on one disk, so readers never see half a site.

    A kill at any point leaves either the old site, the new one, or the old one moved aside, which
    :func:`recover` puts back at the start of the next build.
    """
    (new / SITE_MARKER).write_text("Built by essw. 'essw build' may replace this folder.\n", encoding="utf-8")
    staged, old = staged_names(target)
    for leftover in (staged, old):
        if leftover.exists():
            if not _made_by_essw(leftover):
                raise UsageError(f"{leftover} is in the way and was not made by essw; move it away")
            shutil.rmtree(leftover)
    shutil.move(str(new), str(staged))  # a rename when on the same disk, a copy otherwise
    if target.exists():
        target.rename(old)
    staged.rename(target)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def build_lock(project: Project) -> Iterator[None]:
    """One build at a time per project: a second one waits, and says why it is waiting."""
    path = project.root / LOCK_FILE
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("essw: another build is running in this project; waiting for it to finish...", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
