"""Ready-compressed copies of a built site's text files, for hosts that serve them as they are.

A site served without compression was measured three to five times slower on a phone (issue 13:
Lighthouse 51-68 instead of 87-99). Servers such as nginx (``gzip_static on``), Caddy
(``file_server { precompressed gzip }``) and many static hosts send ``page.html.gz`` for
``page.html`` when the browser accepts gzip, without compressing on every request. So
``essw build`` writes those copies next to each text file (README, "Publishing the site").
"""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TEXT_SUFFIXES = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".map")
"""Files worth compressing; Pagefind's index files, images and PDFs are compressed already."""


NOT_FETCHED = ("search/search_index.json",)
"""Material's own search index, which no page fetches (the site searches with Pagefind and its own
folder-copy index). The essw plugin stops it being written (essw/plugin.py); this covers a build
with the plugin turned off: no copy is worth making."""


def compress_copy(path: Path) -> tuple[int, int]:
    """Write ``name.gz`` beside one file if that is smaller; return (raw, compressed) bytes, or zeros."""
    data = path.read_bytes()
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    if len(packed) >= len(data):
        return 0, 0
    path.with_name(path.name + ".gz").write_bytes(packed)
    return len(data), len(packed)


def write_gzip_copies(site: Path) -> dict[str, int]:
    """Write ``name.gz`` beside each text file where it is smaller. Returns counts for the summary.

    The files are compressed by a few threads at once (zlib lets go of the interpreter while it
    works), so on a 2-core machine this takes about half the time; every copy is the same bytes on
    every build."""
    skipped = {site / rel for rel in NOT_FETCHED}
    todo = [path for path in sorted(site.rglob("*"))
            if path.is_file() and not path.is_symlink() and path.suffix.lower() in TEXT_SUFFIXES
            and path not in skipped and not path.with_name(path.name + ".gz").exists()]  # MkDocs writes sitemap.xml.gz

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        sizes = [s for s in pool.map(compress_copy, todo) if s[0]]
    return {"files": len(sizes), "raw_bytes": sum(s[0] for s in sizes), "gzip_bytes": sum(s[1] for s in sizes)}
