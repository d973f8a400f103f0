"""An employee's reviews over the years, competency by competency, and the start of the next one."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from .framework import Framework
from .review import Employee, Review, is_applicable, level_label

NOT_APPLICABLE = "N/A"
NOT_RATED = "—"


def same_employee(a: Employee, b: Employee) -> bool:
    """The employee number decides when both have one; otherwise the name (case and spacing ignored)."""
    if a.employee_number and b.employee_number:
        return a.employee_number == b.employee_number
    return " ".join(a.name.casefold().split()) == " ".join(b.name.casefold().split()) and bool(a.name.strip())


@dataclass(frozen=True)
class HistoryColumn:
    review_id: int
    heading: str  # e.g. "2025–26 Annual (final)"


@dataclass
class History:
    """Rows: the framework's competencies and the overall rating; columns: reviews, oldest first."""

    columns: list[HistoryColumn] = field(default_factory=list)
    rows: list[tuple[str, list[str]]] = field(default_factory=list)

    def changes(self) -> list[str]:
        """Sentences for ratings that moved between the last two rated reviews, e.g. for a summary line."""
        out = []
        for name, cells in self.rows:
            rated = [c for c in cells if c not in (NOT_APPLICABLE, NOT_RATED)]
            if len(rated) >= 2 and rated[-1] != rated[-2]:
                out.append(f"{name}: {rated[-2]} → {rated[-1]}")
        return out


def _heading(review: Review) -> str:
    end = review.period_end
    year = f"{end.year - 1}–{str(end.year)[-2:]}" if end else "no period"
    kind = (review.review_type or "").capitalize() or "Review"
    state = "void" if review.is_void else ("final" if review.is_final else "draft")
    version = f" v{review.version}" if review.version > 1 else ""
    return f"{year} {kind}{version} ({state})"


def build_history(framework: Framework, reviews: list[Review]) -> History:
    """Side by side, oldest first; N/A where a cluster did not apply, — where it was not rated."""
    ordered = sorted(reviews, key=lambda r: (r.period_end or date.min, r.id or 0))
    history = History(columns=[HistoryColumn(r.id, _heading(r)) for r in ordered])
    for cluster in framework.clusters:
        for comp in cluster.competencies:
            cells = []
            for review in ordered:
                if not is_applicable(cluster, review):
                    cells.append(NOT_APPLICABLE)
                else:
                    rating = review.rating(comp.id)
                    cells.append(level_label(framework, rating) if rating.is_rated else NOT_RATED)
            history.rows.append((comp.name, cells))
    history.rows.append(("Overall rating", [
        level_label(framework, r.overall) if r.overall.is_rated else NOT_RATED for r in ordered
    ]))
    return history


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _add_months(day: date, months: int, keep_month_end: bool = False) -> date:
    """``day`` moved by whole months; a day the month lacks (Jan 31 → Feb) becomes the month's last.

    With ``keep_month_end``, the last day of a month stays the last day (Feb 29 → Feb 28 → Feb 29).
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _last_day(year, month + 1)
    wanted = last if keep_month_end and day.day == _last_day(day.year, day.month) else day.day
    return date(year, month + 1, min(wanted, last))


def next_period(start: date | None, end: date) -> tuple[date, date]:
    """The period after ``start``–``end``, by the calendar.

    It starts the day after ``end`` and ends on ``end`` moved by the old period's length in whole
    months (a school year July 1–June 30 gives the next July 1–June 30, six months January 1–June 30
    give July 1–December 31); a month's last day stays the last day (February 28 ↔ 29). Without a
    start the period is taken as a year; one shorter than half a month is repeated day for day.
    """
    new_start = end + timedelta(days=1)
    if start is None or start > end:
        months = 12
    else:
        months = round((new_start.year - start.year) * 12 + (new_start.month - start.month)
                       + (new_start.day - start.day) / 30.44)
        if months < 1:
            return new_start, new_start + (end - start)
    return new_start, max(_add_months(end, months, keep_month_end=True), new_start)


def next_review(previous: Review, today: date) -> Review:
    """A new draft for the period after ``previous``: the header carried over, every rating empty.

    Last period's ratings are never copied: the editor shows them beside each competency instead.
    """
    if previous.period_end:
        start, end = next_period(previous.period_start, previous.period_end)
    else:
        start = today
        end = _add_months(today - timedelta(days=1), 12, keep_month_end=True)  # a year less a day
    review_type = "annual" if previous.review_type == "probationary" else previous.review_type
    return Review(
        employee=previous.employee, rater=previous.rater, reviewer=previous.reviewer, review_type=review_type,
        period_start=start, period_end=end, supervisory=previous.supervisory,
    )


def previous_review(reviews: list[Review], current: Review) -> Review | None:
    """The latest finalized, not voided review of the same employee that ended before ``current`` starts."""
    candidates = [
        r for r in reviews
        if r.id != current.id and r.is_final and not r.is_void and same_employee(r.employee, current.employee)
        and r.period_end and (current.period_start is None or r.period_end < current.period_start)
    ]
    return max(candidates, key=lambda r: (r.period_end, r.id), default=None)
