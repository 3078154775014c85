"""`essw new KIND ID`: write a valid, commented source file for an author to fill in."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jinja2
import yaml

from .checks.ids import id_problem
from .load import LoadError, load_file, load_text
from .kinds import SCAFFOLDS
from .project import Project

TEMPLATES = Path(__file__).parent / "templates" / "new"
SCAFFOLD_KINDS = tuple(SCAFFOLDS)
"""What 'essw new' can write, in the registry's order."""
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ScaffoldError(Exception):
    pass


def yaml_text(value: str) -> str:
    """Write text plainly when YAML reads it back unchanged, else quoted ('2026', 'true', '[draft]', '1e3').

    Both readings must agree: essw's own (YAML 1.2 values) and YAML 1.1's, which editors may use.
    """
    try:
        plain = f"x: {value}"
        if "#" not in value and yaml.safe_load(plain) == {"x": value} and load_text(plain, "x").data == {"x": value}:
            return value
    except (yaml.YAMLError, LoadError):
        pass
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid quoted YAML string


def _render(kind: str, item_id: str, title: str) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    today = dt.date.today()
    review_by = today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) else today + dt.timedelta(days=365)
    return env.get_template(f"{kind}.yml.j2").render(id=yaml_text(item_id), title=yaml_text(title), today=today.isoformat(),
                                                     review_by=review_by.isoformat())


def new_source(project: Project, kind: str, item_id: str, title: str | None = None) -> Path:
    if kind not in SCAFFOLD_KINDS:
        raise ScaffoldError(f"unknown kind '{kind}'; choose one of: {', '.join(SCAFFOLD_KINDS)}")
    if not ID_PATTERN.match(item_id):
        raise ScaffoldError(f"'{item_id}' is not a valid id: use lower-case letters, digits and single hyphens, "
                            "e.g. 'consent-protocol'")
    if len(item_id) > 80:
        raise ScaffoldError(f"'{item_id}' is {len(item_id)} characters long; an id can have at most 80")
    reserved = id_problem(item_id, kind) if kind != "term" else None
    if reserved:
        raise ScaffoldError(f"{reserved[0]}; {reserved[1]}")
    title = title or item_id.replace("-", " ").capitalize()
    if SCAFFOLDS[kind].single_page:  # a term is added to the one glossary file
        return _append_term(project, item_id, title)
    path = project.root / SCAFFOLDS[kind].folder / f"{item_id}.yml"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(project.root)} already exists; choose another id")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_render(kind, item_id, title), encoding="utf-8")
    return path


def _append_term(project: Project, item_id: str, title: str) -> Path:
    path = project.root / SCAFFOLDS["term"].folder
    if not path.exists():
        raise ScaffoldError("glossary.yml does not exist yet; create it with owner, reviewed, review_by and terms")
    try:
        doc = load_file(path, path.name)
    except LoadError as exc:
        raise ScaffoldError(f"fix glossary.yml first: {exc.problem.format()}") from None
    data = doc.data if isinstance(doc.data, dict) else {}
    if list(data)[-1:] != ["terms"]:
        raise ScaffoldError("'terms:' must be the last field in glossary.yml for 'essw new term' to add to it")
    if any(isinstance(t, dict) and t.get("id") == item_id for t in data.get("terms") or []):
        raise ScaffoldError(f"the glossary already has a term with the id '{item_id}'")
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + _render("term", item_id, title).lstrip("\n"), encoding="utf-8")
    return path
