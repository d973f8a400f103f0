"""A performance review and its rules, free of Qt so the window, the command line and tests share them.

The rules:
- a rating is one of the three levels or not rated; "+" only goes with Effective or Highly Effective,
  and lowering a rating to Developing (or clearing it) clears the "+";
- Leadership competencies apply only to a supervisory review; otherwise they are not applicable and
  are never counted as unrated;
- a draft may be incomplete in any way; finalizing needs everything listed by ``finalize_problems``
  and locks the review.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .framework import LEVEL_IDS, Cluster, Competency, Framework
from .integrity import content_hash

PLUS_LEVELS = ("effective", "highly_effective")
REVIEW_TYPES = {"probationary": "Probationary", "annual": "Annual", "interim": "Interim"}
DRAFT = "draft"
FINAL = "final"
STATUSES = (DRAFT, FINAL)
TEXT_SECTIONS = {
    "strengths": "Strengths",
    "growth_areas": "Areas for growth",
    "goals": "Goals for the next period",
    "employee_comments": "Employee's comments",
}


_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029\x85]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def single_line(text: str) -> str:
    """Return a one-line field's value: line breaks and tabs become one space, control characters go, ends trimmed."""
    return _LINE_BREAKS.sub(" ", _CONTROLS.sub("", text)).strip()


def employee_key(employee: "Employee") -> tuple[str, str]:
    """Who an employee is, across reviews typed on different days: the employee number without spaces or
    hyphens ("200-002" is "200002"), or, without a number, the name with its spacing and case folded.
    The site summary, History and "Start next review" all go by this."""
    number = re.sub(r"[\s\-]", "", employee.employee_number).casefold()
    if number:
        return "number", number
    return "name", " ".join(employee.name.split()).casefold()


def default_period(today: date) -> tuple[date, date]:
    """The district's school year (July 1 to June 30) that contains ``today``."""
    start_year = today.year if today.month >= 7 else today.year - 1
    return date(start_year, 7, 1), date(start_year + 1, 6, 30)


# How much text one field holds, the same in the window, the hand-off file and the database: a comment
# five times the longest we test with; a name or title far longer than any real one.
MAX_TEXT_LENGTH = 100_000
MAX_LINE_LENGTH = 1_000


def lifecycle_reason(text: str, what: str) -> str:
    """The reason given to amend or void a review, as kept in its audit log: one line, not empty, not endless."""
    reason = single_line(text)
    if not reason:
        raise RuleError(f"Say why the review is {what}; the reason is kept with it.")
    if len(reason) > MAX_LINE_LENGTH:
        raise RuleError(f"The reason is {len(reason):,} characters long; keep it under {MAX_LINE_LENGTH:,} "
                        "(the review's comments can hold the details).")
    return reason


PROBATION_DUE_SOON_DAYS = 14
PROBATION_FINAL_LEAD_DAYS = 14


def probation_due_dates(start: date | None, end: date | None) -> list[tuple[str, date]]:
    """When a probationer's evaluations are due, for a probationary review over ``start``..``end``.

    The district evaluates probationers at least twice during probation. We schedule the first at
    the middle of the probationary period and the final one two weeks before it ends, so there is
    time to act on it before the employee becomes permanent.
    """
    if not (start and end) or end < start:
        return []
    middle = start + (end - start) / 2
    final = max(end - timedelta(days=PROBATION_FINAL_LEAD_DAYS), middle)
    return [("first evaluation", middle), ("final evaluation", final)]


def probation_status(review_type: str | None, status: str, start: date | None, end: date | None,
                     today: date) -> tuple[str, date] | None:
    """("overdue" | "due", date) for an unfinished probationary review whose final evaluation nears."""
    if review_type != "probationary" or status != DRAFT:
        return None
    dates = probation_due_dates(start, end)
    if not dates:
        return None
    due = dates[-1][1]
    if today > due:
        return "overdue", due
    if (due - today).days <= PROBATION_DUE_SOON_DAYS:
        return "due", due
    return None


MAX_PERIOD_DAYS = 549  # about 18 months


def period_warnings(start: date | None, end: date | None) -> list[str]:
    """Return sentences about a period that is allowed but unusual."""
    if start and end and end >= start and (end - start).days > MAX_PERIOD_DAYS:
        months = round((end - start).days / 30.44)
        return [f"The review period is about {months} months long; a review period is normally a year or less."]
    return []


def employee_number_warnings(number: str) -> list[str]:
    """A number with letters is allowed (formats vary) but worth a second look."""
    if number and not number.replace("-", "").replace(" ", "").isdigit():
        return [f"The employee number “{number}” contains letters or symbols; district employee numbers are usually digits."]
    return []


class RuleError(ValueError):
    """A change the rules do not allow (e.g. "+" with Developing); the message is for the user."""


class ReviewLocked(RuleError):
    """The review is finalized and can no longer change."""


@dataclass(frozen=True)
class Rating:
    """One rating: a level id or None (not rated), the "+" and a comment."""

    level: str | None = None
    plus: bool = False
    comment: str = ""

    def __post_init__(self) -> None:
        if self.level is not None and self.level not in LEVEL_IDS:
            raise RuleError(f"'{self.level}' is not a rating level; use one of {', '.join(LEVEL_IDS)}.")
        if self.plus and self.level not in PLUS_LEVELS:
            raise RuleError('"+" can only be added to Effective or Highly Effective.')

    def with_level(self, level: str | None) -> "Rating":
        """Return this rating at ``level``; the "+" goes when the new level does not allow it."""
        keep_plus = self.plus and level in PLUS_LEVELS
        return Rating(level, keep_plus, self.comment)

    def with_plus(self, plus: bool) -> "Rating":
        if plus and self.level not in PLUS_LEVELS:
            raise RuleError('"+" can only be added to Effective or Highly Effective.')
        return Rating(self.level, plus, self.comment)

    def with_comment(self, comment: str) -> "Rating":
        return Rating(self.level, self.plus, comment)

    @property
    def is_rated(self) -> bool:
        return self.level is not None

    @property
    def is_empty(self) -> bool:
        return self.level is None and not self.plus and not self.comment


def plus_allowed(level: str | None) -> bool:
    return level in PLUS_LEVELS


@dataclass(frozen=True)
class Employee:
    name: str = ""
    employee_number: str = ""
    classification: str = ""
    location: str = ""


@dataclass(frozen=True)
class Person:
    name: str = ""
    title: str = ""


@dataclass
class Review:
    """A review as the supervisor sees it; ``id`` is None until stored."""

    id: int | None = None
    employee: Employee = field(default_factory=Employee)
    rater: Person = field(default_factory=Person)
    reviewer: Person = field(default_factory=Person)
    review_type: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    supervisory: bool = False
    ratings: dict[str, Rating] = field(default_factory=dict)
    overall: Rating = field(default_factory=Rating)
    strengths: str = ""
    growth_areas: str = ""
    goals: str = ""
    employee_comments: str = ""
    status: str = DRAFT
    created_at: datetime | None = None
    updated_at: datetime | None = None
    finalized_at: datetime | None = None
    framework_version: str | None = None
    content_hash: str | None = None  # SHA-256 of the canonical content, set when finalized
    version: int = 1  # 2, 3 ... for amendments of a finalized review
    supersedes_id: int | None = None  # the finalized review this one amends
    void_reason: str | None = None  # set when the review has been voided (it is then read-only)

    @property
    def is_final(self) -> bool:
        return self.status == FINAL

    @property
    def is_void(self) -> bool:
        return self.void_reason is not None

    @property
    def is_locked(self) -> bool:
        return self.is_final or self.is_void

    def rating(self, competency_id: str) -> Rating:
        return self.ratings.get(competency_id, Rating())

    def ensure_editable(self) -> None:
        if self.is_void:
            raise ReviewLocked("This review has been voided; it can no longer be changed.")
        if self.is_final:
            raise ReviewLocked("This review is finalized and locked; it can no longer be changed.")

    def set_rating(self, competency_id: str, rating: Rating) -> None:
        self.ensure_editable()
        if rating.is_empty:
            self.ratings.pop(competency_id, None)
        else:
            self.ratings[competency_id] = rating

    def copy(self) -> "Review":
        return dataclasses.replace(self, ratings=dict(self.ratings))


def is_applicable(cluster: Cluster, review: Review) -> bool:
    """Tell whether a cluster applies: supervisors-only clusters need a supervisory review."""
    return review.supervisory or not cluster.supervisors_only


def applicable_clusters(framework: Framework, review: Review) -> tuple[Cluster, ...]:
    return tuple(c for c in framework.clusters if is_applicable(c, review))


def applicable_competencies(framework: Framework, review: Review) -> tuple[Competency, ...]:
    return tuple(comp for c in applicable_clusters(framework, review) for comp in c.competencies)


def cluster_progress(cluster: Cluster, review: Review) -> tuple[int, int] | None:
    """Return (rated, total) for the cluster, or None when it does not apply to this review."""
    if not is_applicable(cluster, review):
        return None
    rated = sum(1 for comp in cluster.competencies if review.rating(comp.id).is_rated)
    return rated, len(cluster.competencies)


@dataclass(frozen=True)
class Problem:
    """Something that keeps a review from being finalized; ``field`` says where to take the user."""

    field: str
    message: str


def period_problem(start: date | None, end: date | None) -> Problem | None:
    if start is None or end is None:
        return Problem("period", "The review period needs a start date and an end date.")
    if end < start:
        return Problem("period", "The review period ends before it starts.")
    return None


def finalize_problems(framework: Framework, review: Review) -> list[Problem]:
    """Return everything missing before the review can be finalized (empty when it can be)."""
    problems: list[Problem] = []
    if not review.employee.name.strip():
        problems.append(Problem("employee.name", "The employee's name is missing."))
    if not review.rater.name.strip():
        problems.append(Problem("rater.name", "The rater's name is missing."))
    if review.review_type not in REVIEW_TYPES:
        problems.append(Problem("review_type", "The review type (probationary, annual or interim) is missing."))
    bad_period = period_problem(review.period_start, review.period_end)
    if bad_period:
        problems.append(bad_period)
    for comp in applicable_competencies(framework, review):
        if not review.rating(comp.id).is_rated:
            problems.append(Problem(f"competency:{comp.id}", f"{comp.name} is not rated."))
    if not review.overall.is_rated:
        problems.append(Problem("overall", "The overall rating is missing."))
    return problems


def dropped_at_finalize(framework: Framework, review: Review) -> list[str]:
    """Names of competencies rated or commented on that do not apply (Leadership on a non-supervisory
    review): finalizing leaves them out, so the user is told before, not after."""
    applicable = {c.id for c in applicable_competencies(framework, review)}
    return [c.name for c in framework.competencies() if c.id not in applicable
            and (review.rating(c.id).is_rated or review.rating(c.id).comment.strip())]


def finalize(framework: Framework, review: Review, now: datetime, framework_version: str | None = None) -> Review:
    """Return the review finalized, or raise RuleError listing every problem at once.

    ``framework_version`` keeps the one an imported review was signed under (default: this framework's).
    """
    review.ensure_editable()
    problems = finalize_problems(framework, review)
    if problems:
        raise FinalizeRefused(problems)
    done = review.copy()
    # Ratings of competencies that do not apply (Leadership on a non-supervisory review) are not
    # part of the signed review: drop them so they cannot surface anywhere later.
    applicable = {c.id for c in applicable_competencies(framework, review)}
    done.ratings = {k: v for k, v in review.ratings.items() if k in applicable}
    done.status = FINAL
    done.finalized_at = now
    done.framework_version = framework_version or framework.version
    done.content_hash = content_hash(done)
    return done


class FinalizeRefused(RuleError):
    """Finalizing was refused; ``problems`` lists everything that is missing."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("The review cannot be finalized yet:\n" + "\n".join(f"- {p.message}" for p in problems))


def level_label(framework: Framework, rating: Rating) -> str:
    """Return e.g. "Highly Effective +" or "Not rated"."""
    if rating.level is None:
        return "Not rated"
    label = framework.level(rating.level).label
    return f"{label} {framework.plus.label}" if rating.plus else label


def period_text(review: Review) -> str:
    start = review.period_start.isoformat() if review.period_start else "?"
    end = review.period_end.isoformat() if review.period_end else "?"
    return f"{start} to {end}" if (review.period_start or review.period_end) else ""
