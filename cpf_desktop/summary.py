"""The site summary: for the reviews of a period, each employee's levels and how many staff are at each level.

Free of Qt and of SQL, so the window, the command line, the PDF and the tests share it.

Which reviews count (the rules, in this order):

1. Only **finalized** reviews that are **not voided**: a draft is not a rating yet, a voided review
   does not count by definition.
2. A review belongs to the period when its **review period ends within it** (both ends included).
   A school year runs July 1 to June 30, so an annual review of 2025-07-01..2026-06-30 belongs to the
   2025–26 school year, and so does a probationary review that ends in March 2026.
3. A finalized review that a later finalized version **amends** is left out (the amendment replaces it).
4. If one employee still has several reviews in the period (say a probationary and an annual one),
   the **latest** counts: the one whose period ends last, then the one finalized last. An employee
   is recognised by the employee number, or by the name when there is no number.

Cells and counts: a competency is rated at one of five levels — Developing, Effective, Effective +,
Highly Effective, Highly Effective + (each counted in exactly one of the five). Leadership on a
non-supervisory review is **N/A**: it is counted in ``not_applicable`` and nowhere else (not in any
level, not as unrated). A rated-nowhere applicable competency (impossible for a finalized review,
kept for safety) shows "—" and is counted in ``not_rated``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Protocol, Sequence

from .framework import Competency, Framework
from .review import Rating, Review, employee_key, is_applicable

# The five places a rating can be counted, lowest to highest.
BUCKETS = ("developing", "effective", "effective_plus", "highly_effective", "highly_effective_plus")
BUCKET_LABELS = {
    "developing": "Developing",
    "effective": "Effective",
    "effective_plus": "Effective +",
    "highly_effective": "Highly Effective",
    "highly_effective_plus": "Highly Effective +",
}
BUCKET_SHORT = {
    "developing": "D",
    "effective": "E",
    "effective_plus": "E+",
    "highly_effective": "HE",
    "highly_effective_plus": "HE+",
}
# Chart colours, shared by the window and the PDF. Light, middle and dark (amber, blue, navy), so the
# three levels differ in greyscale too; the "+" of a level is its colour with diagonal hatching.
BUCKET_FILLS = {
    "developing": "#f3cf86",
    "effective": "#86b2d6",
    "effective_plus": "#86b2d6",
    "highly_effective": "#2b4f7a",
    "highly_effective_plus": "#2b4f7a",
}
BUCKET_HATCHED = {"effective_plus", "highly_effective_plus"}
BUCKET_INK = {  # the count written on a segment; hatching is drawn in the same colour
    "developing": "#1a1a1a",
    "effective": "#1a1a1a",
    "effective_plus": "#1a1a1a",
    "highly_effective": "#ffffff",
    "highly_effective_plus": "#ffffff",
}
NOT_APPLICABLE = "N/A"
NOT_RATED = "\u2014"  # —


# Periods ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """A span of dates, both ends included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"The period {self.start.isoformat()}..{self.end.isoformat()} ends before it starts.")

    @classmethod
    def school_year(cls, end_year: int) -> "Period":
        """The school year that ends on June 30 of ``end_year`` (2026 -> 2025-07-01..2026-06-30)."""
        return cls(date(end_year - 1, 7, 1), date(end_year, 6, 30))

    @classmethod
    def school_year_of(cls, day: date) -> "Period":
        """The school year (July 1 to June 30) that holds ``day``."""
        return cls.school_year(school_year_end(day))

    @classmethod
    def parse(cls, text: str) -> "Period":
        """Read "2025-07-01..2026-06-30", or a school year "2025-26" / "2025-2026"; raise ValueError with a sentence."""
        text = text.strip()
        m = re.fullmatch(r"(\d{4})\s*[-\u2013/]\s*(\d{2}|\d{4})", text)
        if m:
            first, second = int(m.group(1)), m.group(2)
            end_year = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
            if end_year != first + 1:
                raise ValueError(f"'{text}' is not a school year: write it like 2025-26.")
            return cls.school_year(end_year)
        start_text, sep, end_text = text.partition("..")
        if not sep:
            raise ValueError(f"'{text}' is not a period: write START..END (e.g. 2025-07-01..2026-06-30) or a school year (2025-26).")
        dates = []
        for part in (start_text.strip(), end_text.strip()):
            # Only YYYY-MM-DD: Python also reads week dates (2025-W27-1) and 20250701, which nobody means here.
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
                raise ValueError(f"'{text}' is not a period: the dates must look like 2025-07-01.")
            try:
                dates.append(date.fromisoformat(part))
            except ValueError:
                raise ValueError(f"'{text}' is not a period: {part} is not a day of the calendar.") from None
        return cls(dates[0], dates[1])

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @property
    def is_school_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (7, 1, 6, 30) and (
            self.end.year == self.start.year + 1
        )

    @property
    def text(self) -> str:
        """The machine form: 2025-07-01..2026-06-30."""
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """For people: "2025–26 school year" or "March 1, 2026 – June 30, 2026"."""
        if self.is_school_year:
            return f"{self.start.year}\u2013{str(self.end.year)[-2:]} school year"
        return f"{long_date(self.start)} \u2013 {long_date(self.end)}"


def school_year_end(day: date) -> int:
    """The year in which the school year holding ``day`` ends (its June 30)."""
    return day.year + 1 if day.month >= 7 else day.year


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def long_date(d: date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"  # not strftime: the locale may not be English


# Choosing the reviews -----------------------------------------------------------------------
class _Versioned(Protocol):
    id: int | None
    supersedes_id: int | None


def drop_superseded(items: Sequence[_Versioned], superseded: Iterable[int] = ()) -> list:
    """Leave out every item that another item of ``items`` amends, or whose id is in ``superseded``
    (amended by a finalized version outside these items: its period may have been corrected to
    another year). Works on Review and ReviewSummary."""
    amended = {item.supersedes_id for item in items if item.supersedes_id is not None} | set(superseded)
    return [item for item in items if item.id not in amended]


def counts_in_period(review: Review, period: Period) -> bool:
    """A finalized, not voided review whose period ends within ``period``."""
    return review.is_final and not review.is_void and period.contains(review.period_end)



@dataclass(frozen=True)
class LeftOut:
    """A review of the period that is not in the summary, and why."""

    review_id: int | None
    employee: str
    reason: str


def select_reviews(reviews: Iterable[Review], period: Period,
                   superseded: Iterable[int] = ()) -> tuple[list[Review], list[LeftOut]]:
    """Return the reviews the summary is made of (one per employee) and those left out of it, with why.

    Reviews outside the period, drafts and voided reviews are simply not part of it (not "left out").
    """
    candidates = [r for r in reviews if counts_in_period(r, period)]
    current = drop_superseded(candidates, superseded)
    kept = {id(r) for r in current}
    left_out = [
        LeftOut(r.id, r.employee.name, "amended by a later finalized version")
        for r in candidates if id(r) not in kept
    ]
    latest: dict[tuple[str, str], Review] = {}
    for review in current:
        key = employee_key(review.employee)
        rank = _recency(review)
        if key not in latest or rank > _recency(latest[key]):
            if key in latest:
                left_out.append(LeftOut(latest[key].id, latest[key].employee.name, "a later review of the same employee counts"))
            latest[key] = review
        else:
            left_out.append(LeftOut(review.id, review.employee.name, "a later review of the same employee counts"))
    chosen = sorted(latest.values(), key=lambda r: (r.employee.name.casefold(), r.employee.employee_number, r.id or 0))
    return chosen, left_out


def _recency(review: Review) -> tuple:
    return (review.period_end or date.min, review.finalized_at.timestamp() if review.finalized_at else 0, review.id or 0)


# Cells and counts ---------------------------------------------------------------------------
def bucket(rating: Rating) -> str | None:
    """The bucket of BUCKETS a rating is counted in; None when not rated."""
    if rating.level is None:
        return None
    return f"{rating.level}_plus" if rating.plus else rating.level


@dataclass(frozen=True)
class Cell:
    """One employee's result for one competency (or the overall rating)."""

    bucket: str | None  # one of BUCKETS, or None (not applicable / not rated)
    applicable: bool = True

    @property
    def short(self) -> str:
        """"E+", "HE", "N/A", "—"."""
        if not self.applicable:
            return NOT_APPLICABLE
        return BUCKET_SHORT[self.bucket] if self.bucket else NOT_RATED

    @property
    def label(self) -> str:
        """"Effective +", "Not applicable (non-supervisory)", "Not rated"."""
        if not self.applicable:
            return "Not applicable (non-supervisory review)"
        return BUCKET_LABELS[self.bucket] if self.bucket else "Not rated"


@dataclass
class Counts:
    """How many staff are at each level of one competency (or of the overall rating)."""

    developing: int = 0
    effective: int = 0
    effective_plus: int = 0
    highly_effective: int = 0
    highly_effective_plus: int = 0
    not_applicable: int = 0  # Leadership on non-supervisory reviews: counted here and nowhere else
    not_rated: int = 0

    def add(self, cell: Cell) -> None:
        if not cell.applicable:
            self.not_applicable += 1
        elif cell.bucket is None:
            self.not_rated += 1
        else:
            setattr(self, cell.bucket, getattr(self, cell.bucket) + 1)

    def of(self, name: str) -> int:
        return getattr(self, name)

    @property
    def rated(self) -> int:
        return sum(getattr(self, b) for b in BUCKETS)

    @property
    def effective_total(self) -> int:
        return self.effective + self.effective_plus

    @property
    def highly_effective_total(self) -> int:
        return self.highly_effective + self.highly_effective_plus

    @property
    def plus_total(self) -> int:
        return self.effective_plus + self.highly_effective_plus


@dataclass(frozen=True)
class SummaryRow:
    review_id: int | None
    employee_name: str
    employee_number: str
    classification: str
    supervisory: bool
    cells: tuple[Cell, ...]  # one per competency, in framework order
    overall: Cell


@dataclass(frozen=True)
class SiteSummary:
    period: Period
    competencies: tuple[Competency, ...]
    rows: tuple[SummaryRow, ...]
    counts: dict[str, Counts]  # by competency id
    overall_counts: Counts
    left_out: tuple[LeftOut, ...] = field(default=())

    @property
    def review_ids(self) -> list[int]:
        return [row.review_id for row in self.rows if row.review_id is not None]

    def number_of(self, competency_id: str) -> int:
        """The competency's number in the table headers (1-based, framework order)."""
        return next(i for i, c in enumerate(self.competencies, start=1) if c.id == competency_id)


def build_summary(framework: Framework, reviews: Iterable[Review], period: Period,
                  superseded: Iterable[int] = ()) -> SiteSummary:
    """Make the summary of ``period`` from any reviews: the rules of this module choose which count."""
    chosen, left_out = select_reviews(reviews, period, superseded)
    competencies = framework.competencies()
    counts = {c.id: Counts() for c in competencies}
    overall_counts = Counts()
    rows = []
    for review in chosen:
        cells = []
        for comp in competencies:
            if is_applicable(framework.cluster(comp.cluster_id), review):
                cell = Cell(bucket(review.rating(comp.id)))
            else:
                cell = Cell(None, applicable=False)
            counts[comp.id].add(cell)
            cells.append(cell)
        overall = Cell(bucket(review.overall))
        overall_counts.add(overall)
        rows.append(SummaryRow(review.id, review.employee.name, review.employee.employee_number,
                               review.employee.classification, review.supervisory, tuple(cells), overall))
    return SiteSummary(period, competencies, tuple(rows), counts, overall_counts, tuple(left_out))


def summary_for_period(framework: Framework, store, period: Period) -> SiteSummary:
    """Load the period's finalized reviews from a ReviewStore and summarise them."""
    reviews = [store.get(s.id) for s in store.finalized_in_period(period.start, period.end)]
    return build_summary(framework, reviews, period, store.superseded_ids())


# Text ---------------------------------------------------------------------------------------
def counts_text(summary: SiteSummary) -> str:
    """The counts as a plain-text table (the command line)."""
    n = len(summary.rows)
    lines = [
        f"Site summary {summary.period.label} ({summary.period.text}): {n} employee(s)",
        "Finalized, not voided reviews whose period ends within the period; the latest per employee.",
    ]
    if summary.left_out:
        lines.append(f"{len(summary.left_out)} other review(s) of the same employees were left out "
                     "(amended, or an earlier review of the employee).")
    if not n:
        lines.append("No finalized reviews in this period.")
        return "\n".join(lines)
    heads = [BUCKET_SHORT[b] for b in BUCKETS] + [NOT_APPLICABLE]
    width = max(len(c.name) for c in summary.competencies) + 4
    lines.append("")
    lines.append(f"{'Competency':<{width}}" + "".join(f"{h:>5}" for h in heads))

    def line(name: str, counts: Counts) -> str:
        values = [counts.of(b) for b in BUCKETS] + [counts.not_applicable]
        return f"{name:<{width}}" + "".join(f"{v:>5}" for v in values)

    for i, comp in enumerate(summary.competencies, start=1):
        lines.append(line(f"{i:>2} {comp.name}", summary.counts[comp.id]))
    lines.append(line("   Overall rating", summary.overall_counts))
    lines.append("")
    lines.append("D Developing, E Effective, HE Highly Effective, + builds capacity of co-workers and peers, "
                 "N/A not applicable (Leadership, non-supervisory review).")
    return "\n".join(lines)
