"""Internal items never reach the public build; the internal build shows them, marked. Review
dates: 'essw review' lists items overdue first, and an overdue page tells its readers."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest

from conftest import REVIEW_BY, offline_index

pytestmark = pytest.mark.slow

SECRET_TITLE = "Staff escalation contacts Zebrafinch"
INTERNAL_ROLE = f"""\
id: zebrafinch-internal
title: {SECRET_TITLE}
summary: Internal notes on who to call when a threshold decision is disputed, Zebrafinch.
audiences: [essw]
owner: ESSW team manager
reviewed: 2025-01-15
review_by: {REVIEW_BY}
visibility: internal
what_they_do:
  - Holds the escalation rota, Zebrafinch.
working_with_essw: Only for staff.
related:
  policies: [consent-protocol]
  cases: [first-day]
"""


def every_file_text(folder) -> str:
    """Every file's text, Pagefind's compressed index files (gzip) unpacked, so a leak there is seen."""
    out = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            out.append(data.decode("utf-8", errors="ignore"))
    return "\n".join(out)


def test_internal_items_never_reach_the_public_build(project):
    project.write("roles/zebrafinch-internal.yml", INTERNAL_ROLE)
    # A public item that links to it gets a warning, and the public page leaves the link out.
    project.replace("roles/dsl-role.yml", "  cases: [first-day]\n", "  cases: [first-day]\n  roles: [zebrafinch-internal]\n")
    result = project.run("build")
    assert result.returncode == 0, result.output
    assert "zebrafinch-internal' is an internal item" in result.stderr
    public = every_file_text(project.path("site")) + every_file_text(project.path("docs/library"))
    assert "Zebrafinch" not in public
    assert "zebrafinch" not in public


def test_the_internal_build_includes_internal_items_visibly_marked(project):
    project.write("roles/zebrafinch-internal.yml", INTERNAL_ROLE)
    result = project.run("build", "--internal")
    assert result.returncode == 0, result.output
    page = project.path("site/library/roles/zebrafinch-internal.html").read_text(encoding="utf-8")
    assert SECRET_TITLE in page
    assert "Internal: staff only" in page
    assert "library/roles/zebrafinch-internal.html" in [d["url"] for d in offline_index(project.path("site"))]


def test_review_lists_items_by_review_date_overdue_first(project):
    project.replace("policies/consent-protocol.yml", f"review_by: {REVIEW_BY}", "review_by: 2025-06-01")
    project.replace("roles/dsl-role.yml", f"review_by: {REVIEW_BY}", "review_by: 2030-01-01")
    result = project.run("review")
    assert result.returncode == 0
    lines = [line for line in result.stdout.splitlines()[1:] if line.strip()]
    assert lines[0].startswith("2025-06-01") and "OVERDUE" in lines[0] and "consent-protocol" in lines[0]
    dates = [line.split()[0] for line in lines]
    assert dates == sorted(dates)
    assert "1 overdue" in result.stderr
    assert project.run("review", "--fail-if-overdue").returncode == 1


def test_an_overdue_page_shows_last_reviewed_and_a_notice(project):
    project.replace("policies/consent-protocol.yml", f"review_by: {REVIEW_BY}", "review_by: 2025-06-01")
    result = project.run("build")
    assert result.returncode == 0, result.output
    assert "warning: this content was due for review on 2025-06-01" in result.stderr
    page = project.path("site/library/protocols/consent-protocol.html").read_text(encoding="utf-8")
    assert "This page is due for review" in page
    assert "Last reviewed: 15 January 2025" in page
    fresh = project.path("site/library/roles/dsl-role.html").read_text(encoding="utf-8")
    assert "This page is due for review" not in fresh
    assert "Last reviewed: 15 January 2025" in fresh
    assert dt.date.today() > dt.date(2025, 6, 1)
