"""The site settings are a source too: ``mkdocs.yml`` is checked like any YAML an author writes.

Its syntax, and the ``extra`` values that pages show (``area`` and the contacts under
``extra.local`` that pages ask for with ``contact("...")``), are reported as
``mkdocs.yml:line:column: ...`` by ``essw validate``, before the site engine would stop with a
traceback of its own. Values must be one line of text: a phone number written without quotes is
read by YAML as a number (``01632960000`` loses its first 0), and a value over several lines would
put headings into every page that shows it.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..load import LoadError, read_source
from ..problems import WARNING, Problem

if TYPE_CHECKING:
    from ..library import Library

CONFIG = "mkdocs.yml"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "pages"
PRINT_TEMPLATES = TEMPLATES.parent / "print"
_CONTACT_CALL = re.compile(r"""contact\(\s*["']([^"']+)["']\s*\)""")
_THEME_USE = re.compile(r"\blocal\.([A-Za-z_][A-Za-z0-9_]*)")
"""The theme override reads contacts as 'local.name' (overrides/main.html sets local = config.extra.local)."""


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may use MkDocs' own tags (!ENV, !relative, !!python/name:...): read them as plain values."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def contacts_used(root: Path) -> dict[str, str]:
    """Each extra.local key a page asks for, with the first file that asks for it."""
    used: dict[str, str] = {}
    places = [(p, p.relative_to(root).as_posix()) for p in sorted((root / "docs").rglob("*.md"))
              if "library" not in p.relative_to(root / "docs").parts[:1]] if (root / "docs").is_dir() else []
    places += [(p, f"the essw page template {p.name}") for p in sorted(TEMPLATES.glob("*.j2"))]
    places += [(p, f"the essw print template {p.name}") for p in sorted(PRINT_TEMPLATES.glob("*.j2"))]
    theme = sorted((root / "overrides").rglob("*.html")) if (root / "overrides").is_dir() else []
    for path, shown in places + [(p, f"the safety block in {p.relative_to(root).as_posix()}") for p in theme]:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeError):
            continue  # a hand-written page that cannot be read is the site engine's to report
        pattern = _THEME_USE if path.suffix == ".html" or path.parent == PRINT_TEMPLATES else _CONTACT_CALL
        for name in pattern.findall(text):
            used.setdefault(name, shown)
    return used


def site_config(root: Path) -> dict:
    """mkdocs.yml as plain values; {} if it cannot be read (check_config has reported why by then)."""
    try:
        data = yaml.load((root / CONFIG).read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (OSError, UnicodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def site_extra(root: Path) -> dict:
    """mkdocs.yml's ``extra`` as plain values, for the printed packs."""
    extra = site_config(root).get("extra")
    return extra if isinstance(extra, dict) else {}


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _mapping(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _one_line_text(node: yaml.Node, field: str) -> Problem | None:
    line, column = _position(node)
    if not isinstance(node, yaml.ScalarNode):
        return Problem(CONFIG, line, column, "this must be one line of text", field, "write it as name: \"text\"")
    if node.tag != "tag:yaml.org,2002:str" and node.style is None:
        return Problem(CONFIG, line, column, f"'{node.value[:40]}' is read as a number or a yes/no value, not as text",
                       field, f"put it in quotes so it stays exactly as written: \"{node.value[:40]}\"")
    if not node.value.strip():
        return Problem(CONFIG, line, column, "this is empty", field, "write the value, or remove the line")
    if "\n" in node.value.strip():
        return Problem(CONFIG, line, column, "this value runs over several lines", field,
                       "write it on one line: pages show it inside a sentence")
    return None


def _example_contacts(node: yaml.Node) -> list[Problem]:
    """'example_contacts: true' ships with the project: the contacts are made-up numbers. Every page
    says so (overrides/main.html); this warning (an error under --strict) reminds the area to set its own."""
    line, column = _position(node)
    value = node.value.strip().lower() if isinstance(node, yaml.ScalarNode) else None
    if value not in ("true", "false"):
        return [Problem(CONFIG, line, column, "'example_contacts' must be true or false", "extra.example_contacts",
                        "write 'example_contacts: true' while the contacts are examples, or delete the line")]
    if value == "false":
        return []
    return [Problem(CONFIG, line, column, "the contacts under 'extra.local' are still the examples the project "
                    "ships with, and every page says so", "extra.example_contacts",
                    "put your area's own names and numbers under 'local:', then delete 'example_contacts: true'",
                    severity=WARNING)]


def check_config(root: Path) -> list[Problem]:
    path = root / CONFIG
    if not path.exists() and not path.is_symlink():
        return []  # no settings to check: the command line refuses such a folder as a project
    try:
        text = read_source(path, CONFIG, root=root)  # an ordinary file of the project's own, never a link
    except LoadError as exc:
        return [exc.problem]
    try:
        node = yaml.compose(text, Loader=_TolerantLoader)
    except yaml.YAMLError as exc:
        from ..load import _describe_yaml_error

        (line, column), message, hint = _describe_yaml_error(exc, text)
        return [Problem(CONFIG, line, column, message, "", hint)]
    if not isinstance(node, yaml.MappingNode):
        return [Problem(CONFIG, 1, 1, "the site settings must be a set of named fields such as 'site_name:'")]
    top = _mapping(node)
    problems: list[Problem] = []
    if "site_name" not in top:
        problems.append(Problem(CONFIG, 1, 1, "the required field 'site_name' is missing", "site_name",
                                "add a line 'site_name: ...' with the site's title"))
    if "extra" not in top:
        problems.append(Problem(CONFIG, 1, 1, "the field 'extra' is missing, so pages have no area or contacts",
                                "extra", "add 'extra:' with 'area:' and 'local:' (see the README)"))
        return problems
    extra_key, extra = top["extra"]
    if not isinstance(extra, yaml.MappingNode):
        line, column = _position(extra)
        return problems + [Problem(CONFIG, line, column, "'extra' must be a set of named fields", "extra",
                                   "indent 'area:' and 'local:' under 'extra:'")]
    fields = _mapping(extra)
    if "area" in fields:
        problem = _one_line_text(fields["area"][1], "extra.area")
        problems += [problem] if problem else []
    if "quick_exit_url" in fields:
        problem = _one_line_text(fields["quick_exit_url"][1], "extra.quick_exit_url")
        value = fields["quick_exit_url"][1]
        if not problem and not re.fullmatch(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[^\s\"'<>]*)?", value.value.strip()):
            line, column = _position(value)
            problem = Problem(CONFIG, line, column, "'Exit this page' must lead to a whole web address starting "
                              "https://", "extra.quick_exit_url", "for example: https://www.bbc.co.uk/weather")
        problems += [problem] if problem else []
    if "example_contacts" in fields:
        problems += _example_contacts(fields["example_contacts"][1])
    used = contacts_used(root)
    if "local" not in fields:
        line, column = _position(extra_key)
        if used:
            problems.append(Problem(CONFIG, line, column, "'extra.local' is missing, but pages show local contacts",
                                    "extra.local", "add 'local:' under 'extra:' with " + ", ".join(sorted(used))))
        return problems
    local_key, local = fields["local"]
    if not isinstance(local, yaml.MappingNode):
        line, column = _position(local)
        return problems + [Problem(CONFIG, line, column, "'extra.local' must be a set of named contacts",
                                   "extra.local", "write each contact on its own line, e.g. front_door_phone: \"...\"")]
    contacts = _mapping(local)
    for name, (_, value) in contacts.items():
        problem = _one_line_text(value, f"extra.local.{name}")
        problems += [problem] if problem else []
    for name, where in sorted(used.items()):
        if name in contacts:
            continue
        near = difflib.get_close_matches(name, [c for c in contacts if c not in used], n=1, cutoff=0.75)
        if near:  # a misspelt key: point at it
            line, column = _position(contacts[near[0]][0])
            problems.append(Problem(CONFIG, line, column, f"no page shows a contact called '{near[0]}', but {where} "
                                                          f"shows '{name}', which is missing", f"extra.local.{near[0]}",
                                    f"did you mean '{name}'?"))
            continue
        line, column = _position(local_key)
        problems.append(Problem(CONFIG, line, column, f"the contact '{name}' is missing from extra.local, but "
                                                      f"{where} shows it", f"extra.local.{name}",
                                f"add a line '{name}: \"...\"' under 'local:'"))
    return problems


def check(library: "Library") -> list[Problem]:
    return check_config(Path(library.root))
