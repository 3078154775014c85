"""The `essw` command: validate, generate, build, serve, review and scaffold content."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .problems import Report, SourceError, UsageError
from .project import Project


def _print_report(report: Report, *, strict: bool = False, stream=None) -> None:
    stream = stream or sys.stderr  # looked up now, so redirected or captured output sees it
    problems = report.sorted()
    for problem in problems:
        print(problem.format(), file=stream)
    errors = len(report.errors) + (len(report.warnings) if strict else 0)
    warnings = 0 if strict else len(report.warnings)
    files = len({p.path for p in problems})
    if problems:
        print(f"\n{errors} error(s) and {warnings} warning(s) in {files} file(s).", file=stream)


def cmd_validate(project: Project, args: argparse.Namespace) -> int:
    from .sources import load_library

    library, report = load_library(project.root)
    _print_report(report, strict=args.strict)
    failing = report.errors + (report.warnings if args.strict else [])
    if failing:
        return 1
    count = len(library.entries) + len(library.terms)
    print(f"All sources are valid: {count} items checked.", file=sys.stderr)
    return 0


def cmd_generate(project: Project, args: argparse.Namespace) -> int:
    from .build import validate_and_generate
    from .output import build_lock

    with build_lock(project):
        report, counts = validate_and_generate(project, strict=args.strict, internal=args.internal,
                                               packs=not args.no_packs)
    _print_report(report)
    print(f"Generated docs/library: {counts['written']} written, {counts['unchanged']} unchanged, "
          f"{counts['removed']} removed.", file=sys.stderr)
    return 0


def cmd_build(project: Project, args: argparse.Namespace) -> int:
    from .build import build_site

    if args.site_dir is not None and not args.site_dir.strip():
        raise UsageError("--site-dir needs the name of a folder, for example 'site'")
    site_dir = Path(args.site_dir) if args.site_dir else None
    result = build_site(project, engine=args.engine, strict=args.strict, internal=args.internal, site_dir=site_dir,
                        packs=not args.no_packs)
    for note in result.recovered:
        print(f"essw: {note}.", file=sys.stderr)
    _print_report(result.report)
    print(f"Built the site with {args.engine} into {result.site_dir}.", file=sys.stderr)
    return 0


def cmd_serve(project: Project, args: argparse.Namespace) -> int:
    """A live preview (essw/preview.py): MkDocs' live-reload server on a preview folder kept between
    runs, where only changed pages are built again; the essw plugin validates and generates at each
    build. Only a project never generated is generated here first, because mkdocs.yml inherits the
    generated menu and MkDocs reads it before any plugin runs."""
    from . import preview
    from .build import validate_and_generate
    from .layout import NAV_FILE, OUTPUT
    from .output import build_lock
    from .plugin import INTERNAL_ENV

    os.environ[INTERNAL_ENV] = "1" if args.internal else ""
    if not (project.docs_dir / OUTPUT / NAV_FILE).is_file():
        with build_lock(project):
            validate_and_generate(project, internal=args.internal, packs=False, keep_packs=True)
    from mkdocs.exceptions import MkDocsException

    preview.setup_logging()
    try:
        preview.serve(project, args.dev_addr, internal=args.internal, full=args.full)
    except MkDocsException as error:  # the sources or mkdocs.yml have problems: the message says which
        print(f"essw: the preview could not be built: {error}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:  # an address in use, a dev_addr that is not host:port
        raise UsageError(f"the preview could not start: {error}") from None
    return 0


def cmd_new(project: Project, args: argparse.Namespace) -> int:
    from .scaffold import new_source

    path = new_source(project, args.kind, args.id, args.title)
    print(f"Wrote {path.relative_to(project.root)}. Edit it, then run 'essw validate'.", file=sys.stderr)
    return 0


def cmd_review(project: Project, args: argparse.Namespace) -> int:
    """Every item by its review date, overdue first, so owners know what to check next."""
    import datetime as dt

    from .sources import load_library

    library, report = load_library(project.root)
    today = dt.date.today()
    rows = sorted((item.review_by, kind, item_id, item.owner, doc.path, item.visibility)
                  for kind, item_id, item, doc, _ in library.governed())
    overdue = sum(1 for r in rows if r[0] < today)
    print(f"{'review by':<11} {'status':<16} {'kind':<9} {'id':<36} {'owner':<24} file")
    for review_by, kind, item_id, owner, path, visibility in rows:
        days = (review_by - today).days
        status = f"OVERDUE {-days}d" if days < 0 else f"due in {days}d"
        note = " (internal)" if visibility == "internal" else ""
        print(f"{review_by.isoformat():<11} {status:<16} {kind:<9} {item_id:<36} {owner[:24]:<24} {path}{note}")
    print(f"\n{len(rows)} items, {overdue} overdue.", file=sys.stderr)
    if report.errors:
        print(f"{len(report.errors)} source error(s) hide some items: run 'essw validate'.", file=sys.stderr)
    return 1 if overdue and args.fail_if_overdue else 0


def cmd_schemas(project: Project, args: argparse.Namespace) -> int:
    from .schemas import write_schemas

    for path in write_schemas(project.schema_dir):
        print(f"Wrote {path.relative_to(project.root)}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    from .scaffold import SCAFFOLD_KINDS

    p = argparse.ArgumentParser(prog="essw", description="Build the ESSW knowledge base from its YAML sources.")
    p.add_argument("--root", help="project folder (default: the nearest folder with mkdocs.yml)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("validate", help="check every source and report all problems")
    s.add_argument("--strict", action="store_true", help="treat warnings (such as overdue reviews) as errors")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("generate", help="write the Markdown pages from the sources (no site build)")
    s.add_argument("--strict", action="store_true", help="treat warnings as errors")
    s.add_argument("--internal", action="store_true", help="include items marked 'visibility: internal'")
    s.add_argument("--no-packs", action="store_true", help="skip the printable PDF packs")
    s.set_defaults(func=cmd_generate)

    s = sub.add_parser("build", help="validate, generate and build the site into site/")
    s.add_argument("--engine", choices=["mkdocs", "zensical"], default="mkdocs", help="site engine (default mkdocs)")
    s.add_argument("--strict", action="store_true", help="treat warnings as errors")
    s.add_argument("--internal", action="store_true", help="include items marked 'visibility: internal'")
    s.add_argument("--site-dir", help="where to write the site (default: site/)")
    s.add_argument("--no-packs", action="store_true", help="skip the printable PDF packs (faster previews)")
    s.set_defaults(func=cmd_build)

    s = sub.add_parser("serve", help="live preview that rebuilds when a source changes")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    s.add_argument("--internal", action="store_true", help="include items marked 'visibility: internal'")
    s.add_argument("--full", action="store_true",
                   help="build every page again after each save (slower; menus, lists and search stay current)")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("new", help="write a new, commented source file to fill in")
    s.add_argument("kind", help=", ".join(SCAFFOLD_KINDS))
    s.add_argument("id", help="the new item's id, e.g. consent-protocol")
    s.add_argument("--title", help="the page title (default: made from the id)")
    s.set_defaults(func=cmd_new)

    s = sub.add_parser("review", help="list every item by its review date, overdue first")
    s.add_argument("--fail-if-overdue", action="store_true", help="exit 1 when anything is overdue")
    s.set_defaults(func=cmd_review)

    s = sub.add_parser("schemas", help="write the JSON Schemas for editors into schemas/")
    s.set_defaults(func=cmd_schemas)
    return p


def main(argv: list[str] | None = None) -> int:
    from .build import EngineError
    from .scaffold import ScaffoldError

    args = parser().parse_args(argv)
    try:
        project = Project.at(Path(args.root)) if args.root is not None else Project.find()
        return args.func(project, args)
    except UsageError as exc:
        print(f"essw: {exc}. Nothing was changed.", file=sys.stderr)
        return 2
    except SourceError as exc:
        report = Report(exc.problems)
        _print_report(report, strict=getattr(args, "strict", False))
        print("Nothing was built: fix the problems above and run the command again.", file=sys.stderr)
        return 1
    except EngineError as exc:
        print(f"The site engine reported a problem; the previous site/ is unchanged.\n{exc}", file=sys.stderr)
        return 1
    except (ScaffoldError, FileNotFoundError, RuntimeError) as exc:
        print(f"essw: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in essw, not in the content: say so plainly, no traceback
        if os.environ.get("ESSW_DEBUG"):
            raise
        print(f"essw: unexpected internal error ({type(exc).__name__}: {exc}). Nothing was changed. "
              "Please report this; run again with ESSW_DEBUG=1 for details.", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
