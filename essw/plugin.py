"""The thin MkDocs adapter: generate pages at build start, and again when a source changes.

Everything real happens in the generator, so Zensical (which runs no MkDocs plugins) builds the
same tree after ``essw generate``. Registered as the ``essw`` plugin through a package entry point.
Its settings are MkDocs config options, written under the plugin in ``mkdocs.yml``::

    plugins:
      - essw:
          enabled: true               # false: build the docs/ tree as it is, without generating
          internal: false             # true: include items marked 'visibility: internal'
          packs_while_serving: false  # true: 'mkdocs serve' makes the PDF packs too (slow to start)

The methods are named after the MkDocs events they handle.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import yaml
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from .generate import generate
from .kinds import KINDS
from .layout import NAV_FILE, OUTPUT
from .search import PAGEFIND_DIR, PageReader, SearchIndexError, index_site
from .sources import load_library

log = logging.getLogger("mkdocs.plugins.essw")

INTERNAL_ENV = "ESSW_INTERNAL"
"""Set by 'essw serve --internal' and 'essw build --internal' for the MkDocs they start."""
SEARCH_IN_ENGINE_ENV = "ESSW_SEARCH_IN_ENGINE"
"""Set by 'essw build' for MkDocs: the plugin adds the search while the pages are written."""
COMPRESS_ENV = "ESSW_COMPRESS"
"""Set by 'essw build': each page's ready-compressed copy is written as it is read."""


THEME_SEARCH = "material/search"
THEME_SEARCH_WORK = ("page_context", "post_build")
"""The events in which Material's search plugin reads every page and writes ``search/search_index.json``."""


def skip_theme_search_index(config) -> bool:
    """Keep Material's search plugin listed but stop it building its index.

    The theme's header shows a search box only while that plugin is listed and enabled, and the
    site's own box (overrides/partials/search.html) takes its place. The index the plugin builds
    (it parses every page: about 10 s and 40 MB at 1,000 case studies) is fetched by no page, since
    the site searches with Pagefind and the folder-copy index (essw/search.py). So its page and
    end-of-build handlers are taken off MkDocs' event lists; everything else it does stays.
    Returns whether anything was taken off."""
    plugin = config.plugins.get(THEME_SEARCH) if hasattr(config.plugins, "get") else None
    if plugin is None:
        return False
    removed = False
    for event in THEME_SEARCH_WORK:
        handlers = config.plugins.events.get(event, [])
        method = getattr(plugin, f"on_{event}", None)
        if method in handlers:
            handlers.remove(method)
            removed = True
    return removed


class EsswConfig(Config):
    enabled = config_options.Type(bool, default=True)
    internal = config_options.Type(bool, default=False)
    packs_while_serving = config_options.Type(bool, default=False)


class EsswPlugin(BasePlugin[EsswConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.serving = False
        self.dirty = False
        self.indexed = False
        self.reader: PageReader | None = None
        self.last_page: Path | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """MkDocs says which command runs: while serving, the PDF packs wait for 'essw build' (a
        first page in seconds, not minutes) unless ``packs_while_serving`` asks for them. Defining
        this event also keeps one plugin for the whole 'serve', so what the checks found in
        unchanged sources is reused at each rebuild."""
        self.serving = command == "serve"
        self.dirty = dirty

    def on_config(self, config):
        if not self.config.enabled:
            return config
        skip_theme_search_index(config)
        root = Path(config.config_file_path).parent
        docs_dir = Path(config.docs_dir)
        if not os.environ.get("ESSW_ALREADY_GENERATED"):
            library, report = load_library(root, for_pages=True)
            for warning in report.warnings:
                log.info("essw: %s", warning.format())
            if report.errors:
                lines = "\n".join("  " + p.format() for p in sorted(set(report.errors)))
                raise PluginError(f"the content sources have {len(report.errors)} problem(s):\n{lines}")
            internal = self.config.internal or bool(os.environ.get(INTERNAL_ENV))
            packs = not self.serving or self.config.packs_while_serving
            if not packs:
                log.info("essw: the PDF packs are not made while serving ('essw build' makes them, or set "
                         "packs_while_serving: true)")
            generate(library, docs_dir, internal=internal, packs=packs, keep_packs=self.serving)
        nav_file = docs_dir / OUTPUT / NAV_FILE
        if nav_file.is_file():  # the nav may have changed since mkdocs.yml INHERITed it
            config.nav = yaml.safe_load(nav_file.read_text(encoding="utf-8"))["nav"]
        return config

    def _indexes_here(self) -> bool:
        """``essw build`` asks MkDocs to add the search (SEARCH_IN_ENGINE_ENV); Zensical runs no
        plugins, so there ``essw build`` adds it after the engine."""
        if not self.config.enabled:
            return False
        return not os.environ.get("ESSW_ALREADY_GENERATED") or bool(os.environ.get(SEARCH_IN_ENGINE_ENV))

    def on_pre_build(self, config):
        """A full build reads its pages for the folder-copy index as they are written, on another core."""
        self.reader = None
        if self._indexes_here() and not self.serving:
            self.reader = PageReader.start(Path(config.site_dir), compress=bool(os.environ.get(COMPRESS_ENV)))
            self.last_page = None

    def on_post_page(self, output, page, config):
        if self.reader is not None:
            if self.last_page is not None:  # MkDocs writes each page after this event: the one before is written
                self.reader.written(self.last_page)
            self.last_page = Path(page.file.abs_dest_path)
        return output

    def on_build_error(self, error, **kwargs):
        if self.reader is not None:
            self.reader.abandon()
            self.reader = None

    def on_post_build(self, config):
        """Add the search index (``essw serve``, ``mkdocs build``, ``essw build`` with MkDocs)."""
        if not self._indexes_here():
            return
        if self.serving and self.dirty and (self.indexed or (Path(config.site_dir) / PAGEFIND_DIR).is_dir()):
            return  # a dirty build rewrites only the changed pages: the preview keeps the index it has
        reader, self.reader = self.reader, None
        if reader is not None and self.last_page is not None:
            reader.written(self.last_page)
        try:
            index_site(Path(config.site_dir), replace=True, reader=reader)
        except SearchIndexError as error:
            raise PluginError(str(error)) from None
        self.indexed = True

    def on_serve(self, server, config, builder):
        """Watch the sources, and the hand-written docs but not the generator's own folder: the
        generator writes there during each build, and MkDocs would take those writes for an edit
        and build everything a second time."""
        if not self.config.enabled:
            return server
        root = Path(config.config_file_path).parent
        for kind in KINDS.values():
            place = root / kind.folder
            if place.exists():
                server.watch(str(place))
        docs_dir = Path(config.docs_dir)
        if os.path.abspath(docs_dir) in getattr(server, "_watched_paths", {}):
            server.unwatch(str(docs_dir))
            server.watch(str(docs_dir), recursive=False)  # top-level pages; new folders show on restart
            for child in sorted(docs_dir.iterdir()):
                if child.is_dir() and child.name != OUTPUT:
                    server.watch(str(child))
        return server
