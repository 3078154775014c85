"""'essw serve': MkDocs' live-reload server on a preview folder that outlives the command.

``mkdocs serve`` builds every page into a new temporary folder each time it starts (45 s at 300
case studies on a 2-core machine). The preview keeps its folder, ``.essw-preview/`` in the project
(git-ignored, marked as essw's own), and builds it with MkDocs' dirty builds: a page is built
again only when its Markdown changed, at start and after each save. The first start builds
everything; later starts serve in seconds. ``--full`` builds every page at start and after each
save (after changing templates, settings or titles that other pages show).

The server, watching and reloading are MkDocs' own (``mkdocs.livereload``); only where the site is
built differs from ``mkdocs.commands.serve``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from .output import SITE_MARKER
from .problems import UsageError
from .project import Project

PREVIEW_DIR = ".essw-preview"
MARKER_TEXT = "The live preview of 'essw serve'. essw may rebuild or delete this folder.\n"

log = logging.getLogger("mkdocs.essw.preview")


def preview_dir(project: Project, internal: bool) -> Path:
    """The preview folder, made if missing; refused if something else already uses the name. The
    public and the internal preview each have their own, so a page of an internal item never stays
    behind in the public preview."""
    top = project.root / PREVIEW_DIR
    for folder in (top, top / ("internal" if internal else "public")):
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise UsageError(f"{_shown(project, folder)} is not a folder essw made; move it away to preview")
        if folder.is_dir() and any(folder.iterdir()) and not (folder / SITE_MARKER).is_file():
            raise UsageError(f"{_shown(project, folder)} holds files essw did not make (no {SITE_MARKER} "
                             "marker); essw will not overwrite them. Move them away to preview")
        folder.mkdir(exist_ok=True)
        (folder / SITE_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return folder


def _shown(project: Project, folder: Path) -> str:
    return folder.relative_to(project.root).as_posix()


def serve(project: Project, dev_addr: str, *, internal: bool = False, full: bool = False) -> None:
    """Build the preview (dirty unless ``full``) and serve it until interrupted."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer, _serve_url

    site_dir = preview_dir(project, internal)
    config_file = str(project.root / "mkdocs.yml")
    dirty = not full

    def get_config():
        return load_config(config_file=config_file, site_dir=str(site_dir), dev_addr=dev_addr)

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=dirty)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    config.site_url = serve_url = _serve_url(host, port, mount_path)

    def builder(config=None):
        log.info("Building documentation...")
        if config is None:
            config = get_config()
            config.site_url = serve_url
        build(config, serve_url=serve_url, dirty=dirty)
        (site_dir / SITE_MARKER).write_text(MARKER_TEXT, encoding="utf-8")  # a full build cleans the folder

    server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site_dir), mount_path=mount_path)

    def error_page(code):
        page = site_dir / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    try:
        builder(config)
        server.watch(config.docs_dir)
        server.watch(config_file)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()


def setup_logging() -> None:
    """MkDocs' own command sets its log format; the preview runs MkDocs in-process, so set one like it."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    root = logging.getLogger("mkdocs")
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if os.environ.get("ESSW_DEBUG") else logging.INFO)
    root.propagate = False
