"""Ready-compressed copies of a built site's text files, for hosts that serve them as they are.

A site served without compression was measured three to five times slower on a phone (issue 13:
Lighthouse 51-68 instead of 87-99). Servers such as nginx (``gzip_static on``), Caddy
(``file_server { precompressed gzip }``) and many static hosts send ``page.html.gz`` for
``page.html`` when the browser accepts gzip, without compressing on every request. So
``essw build`` writes those copies next to each text file (README, "Publishing the site").
"""

from __future__ import annotations

import gzip
from pathlib import Path

TEXT_SUFFIXES = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".map")
"""Files worth compressing; Pagefind's index files, images and PDFs are compressed already."""


def write_gzip_copies(site: Path) -> dict[str, int]:
    """Write ``name.gz`` beside each text file where it is smaller. Returns counts for the summary."""
    written = raw_total = gz_total = 0
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.is_symlink() or path.suffix.lower() not in TEXT_SUFFIXES:
            continue
        copy = path.with_name(path.name + ".gz")
        if copy.exists():  # the engine's own (MkDocs writes sitemap.xml.gz)
            continue
        data = path.read_bytes()
        packed = gzip.compress(data, compresslevel=9, mtime=0)  # the same bytes on every build
        if len(packed) >= len(data):
            continue
        copy.write_bytes(packed)
        written += 1
        raw_total += len(data)
        gz_total += len(packed)
    return {"files": written, "raw_bytes": raw_total, "gzip_bytes": gz_total}
