"""Review dates: content past its review date is flagged; impossible date pairs are errors."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..problems import WARNING, Problem

if TYPE_CHECKING:
    from ..library import Library


def today() -> dt.date:
    return dt.date.today()


def check(library: "Library") -> list[Problem]:
    problems = []
    now = today()
    for _, _, item, doc, loc in library.governed():
        if item.reviewed > now:
            problems.append(doc.problem(loc + ("reviewed",), f"the review date {item.reviewed} is in the future",
                                        expected="give the date the content was actually checked"))
        if item.review_by < item.reviewed:
            problems.append(doc.problem(loc + ("review_by",),
                                        f"'review_by' ({item.review_by}) is before 'reviewed' ({item.reviewed})",
                                        expected="the next review must come after the last one"))
        elif item.review_by < now:
            problems.append(doc.problem(loc + ("review_by",),
                                        f"this content was due for review on {item.review_by}",
                                        expected="check it against current guidance, then update "
                                                 "'reviewed' and 'review_by'", severity=WARNING))
        for index, change in enumerate(getattr(item, "changes", [])):
            if change.date > now:
                problems.append(doc.problem(loc + ("changes", index, "date"), f"the change date {change.date} is in the future",
                                            expected="give the date the change was published"))
    return problems
