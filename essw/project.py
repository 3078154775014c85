"""Where things are: the project root and the folders the pipeline reads and writes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .problems import UsageError


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def schema_dir(self) -> Path:
        return self.root / "schemas"

    @classmethod
    def at(cls, root: Path) -> "Project":
        """The project in ``root``, which must be a folder holding mkdocs.yml (for --root)."""
        if not root.exists():
            raise UsageError(f"--root {root}: there is no such folder")
        if not root.is_dir():
            raise UsageError(f"--root {root} is a file; give the project folder (the one with mkdocs.yml)")
        if not (root / "mkdocs.yml").is_file():
            raise UsageError(f"--root {root} has no mkdocs.yml, so it is not a project folder; give the folder "
                                "that holds mkdocs.yml")
        return cls(root.resolve())

    @classmethod
    def find(cls, start: Path | None = None) -> "Project":
        """The nearest folder at or above ``start`` that holds mkdocs.yml."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "mkdocs.yml").is_file():
                return cls(folder)
        raise UsageError("no mkdocs.yml found here or in any folder above; run essw inside the project, "
                         "or give the project folder with --root")
