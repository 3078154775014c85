"""What changed: every item's recorded changes as one list, a 'What's new' page and an Atom feed.

Services that rely on the site follow its updates the way they follow a procedures manual's
amendment list: the page for people, the feed (Atom, RFC 4287) for feed readers and email alerts.
Links in the feed are absolute, made from mkdocs.yml's ``site_url``; without one there is no feed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

FEED_ENTRIES = 50
"""The feed carries the latest changes only; the page lists them all."""


@dataclass(frozen=True)
class Listed:
    date: dt.date
    item_id: str
    title: str
    note: str
    path: str  # the item's page under docs/, e.g. library/protocols/consent.md


def all_changes(entries: list[tuple[str, str, str, list[Any]]]) -> list[Listed]:
    """(id, title, page path, changes) of each item -> every change, newest first, then by title."""
    out = [Listed(c.date, item_id, title, c.note, path) for item_id, title, path, changes in entries for c in changes]
    return sorted(out, key=lambda c: (-c.date.toordinal(), c.title.lower(), c.note))


def html_path(md_path: str) -> str:
    return md_path[: -len(".md")] + ".html" if md_path.endswith(".md") else md_path


def usable_site_url(site_url: Any) -> str | None:
    """The site's address with one trailing slash, or None when it is not a full http(s) address."""
    if not isinstance(site_url, str):
        return None
    parts = urlsplit(site_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return site_url.strip().rstrip("/") + "/"


def atom_feed(changes: list[Listed], *, site_url: str, site_name: str, page_path: str, feed_path: str) -> str:
    """The Atom document for the latest changes; ids are tag URIs that stay the same between builds."""
    host = urlsplit(site_url).hostname or "localhost"
    latest = changes[0].date if changes else dt.date(2000, 1, 1)

    def stamp(day: dt.date) -> str:
        return f"{day.isoformat()}T00:00:00Z"

    def tag(change: Listed) -> str:
        digest = hashlib.sha256(change.note.encode("utf-8")).hexdigest()[:10]
        return f"tag:{host},{change.date.isoformat()}:{change.item_id}/{digest}"

    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB">',
             f"  <title>{escape(site_name)}: what's new</title>",
             f"  <subtitle>Substantive changes to the protocols, guides, case studies and workshops.</subtitle>",
             f"  <id>{escape(site_url + html_path(page_path))}</id>",
             f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(site_url + feed_path)}/>",
             f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(site_url + html_path(page_path))}/>",
             f"  <updated>{stamp(latest)}</updated>",
             f"  <author><name>{escape(site_name)}</name></author>"]
    for change in changes[:FEED_ENTRIES]:
        lines += ["  <entry>",
                  f"    <title>{escape(change.title)}</title>",
                  f"    <id>{escape(tag(change))}</id>",
                  f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(site_url + html_path(change.path))}/>",
                  f"    <updated>{stamp(change.date)}</updated>",
                  f"    <summary>{escape(change.note)}</summary>",
                  "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"
