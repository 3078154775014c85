"""The thin MkDocs adapter: generate pages at build start, and again when a source changes.

Everything real happens in the generator, so Zensical (which runs no MkDocs plugins) builds the
same tree after ``essw generate``. Registered as the ``essw`` plugin through a package entry point.
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
from .layout import NAV_FILE, OUTPUT
from .kinds import KINDS
from .search import SearchIndexError, index_site
from .sources import load_library

log = logging.getLogger("mkdocs.plugins.essw")


class EsswConfig(Config):
    internal = config_options.Type(bool, default=False)


class EsswPlugin(BasePlugin[EsswConfig]):
    def on_config(self, config):
        root = Path(config.config_file_path).parent
        docs_dir = Path(config.docs_dir)
        if not os.environ.get("ESSW_ALREADY_GENERATED"):
            library, report = load_library(root)
            for warning in report.warnings:
                log.info("essw: %s", warning.format())
            if report.errors:
                lines = "\n".join("  " + p.format() for p in sorted(set(report.errors)))
                raise PluginError(f"the content sources have {len(report.errors)} problem(s):\n{lines}")
            internal = self.config.internal or bool(os.environ.get("ESSW_INTERNAL"))
            generate(library, docs_dir, internal=internal)
        nav_file = docs_dir / OUTPUT / NAV_FILE
        if nav_file.is_file():  # the nav may have changed since mkdocs.yml INHERITed it
            config.nav = yaml.safe_load(nav_file.read_text(encoding="utf-8"))["nav"]
        return config

    def on_post_build(self, config):
        """Add the search index when MkDocs builds on its own (``essw serve``, plain ``mkdocs build``);
        ``essw build`` adds it itself, after either engine."""
        if os.environ.get("ESSW_ALREADY_GENERATED"):
            return
        try:
            index_site(Path(config.site_dir), replace=True)
        except SearchIndexError as error:
            raise PluginError(str(error)) from None

    def on_serve(self, server, config, builder):
        root = Path(config.config_file_path).parent
        for kind in KINDS.values():
            place = root / kind.folder
            if place.exists():
                server.watch(str(place))
        return server
