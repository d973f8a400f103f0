"""Site summary: which reviews count, the cells, and counts that equal the reviews' ratings."""
import io
import random
from dataclasses import replace
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from builders import complete_review
from cpf_desktop.review import FINAL, Employee, Rating, finalize
from cpf_desktop.summary import (
    BUCKETS, NOT_APPLICABLE, Period, bucket, build_summary, counts_text, select_reviews, summary_for_period,
)

YEAR = Period.school_year(2026)


def varied_review(framework, seed: int, supervisory: bool, name: str | None = None, number: str | None = None):
    """A complete review with random levels and "+" (seeded), for employee ``name``."""
    rnd = random.Random(seed)
    review = complete_review(framework, supervisory=supervisory)
    for comp_id in list(review.ratings):
        level = rnd.choice(("developing", "effective", "highly_effective"))
        review.ratings[comp_id] = Rating(level, level != "developing" and rnd.random() < 0.4)
    overall = rnd.choice(("developing", "effective", "highly_effective"))
    review.overall = Rating(overall, overall != "developing" and rnd.random() < 0.5)
    review.employee = Employee(name or f"Employee {seed:02d}", number if number is not None else f"E{seed:06d}")
    return review


def finalized(framework, review, review_id, when=datetime(2026, 6, 1, 12, 0)):
    done = finalize(framework, review, when)
    done.id = review_id
    return done


@pytest.fixture(scope="module")
def staff(framework):
    """Twelve finalized reviews with mixed levels; four are supervisory (0, 3, 6, 9), eight are not."""
    return [
        finalized(framework, varied_review(framework, i, supervisory=i % 3 == 0), i + 1) for i in range(12)
    ]


def test_counts_equal_the_reviews_ratings(framework, staff):
    summary = build_summary(framework, staff, YEAR)
    assert len(summary.rows) == 12
    for comp in framework.competencies():
        counts = summary.counts[comp.id]
        leadership = framework.cluster(comp.cluster_id).supervisors_only
        expected = {b: 0 for b in BUCKETS}
        not_applicable = 0
        for review in staff:
            if leadership and not review.supervisory:
                not_applicable += 1
                continue
            expected[bucket(review.rating(comp.id))] += 1
        assert {b: counts.of(b) for b in BUCKETS} == expected, comp.id
        assert counts.not_applicable == not_applicable and counts.not_rated == 0
        # N/A is counted nowhere else: the five levels and N/A add up to the staff, once each.
        assert counts.rated + counts.not_applicable == len(staff)
    overall = {b: sum(1 for r in staff if bucket(r.overall) == b) for b in BUCKETS}
    assert {b: summary.overall_counts.of(b) for b in BUCKETS} == overall


def test_leadership_is_na_for_non_supervisory_rows(framework, staff):
    summary = build_summary(framework, staff, YEAR)
    leadership = [i for i, c in enumerate(summary.competencies) if c.cluster_id == "leadership"]
    assert len(leadership) == 3
    n_non_supervisory = sum(1 for r in staff if not r.supervisory)
    assert n_non_supervisory == 8
    for row in summary.rows:
        for i, cell in enumerate(row.cells):
            if i in leadership and not row.supervisory:
                assert cell.short == NOT_APPLICABLE and cell.bucket is None and not cell.applicable
            else:
                assert cell.applicable and cell.short in ("D", "E", "E+", "HE", "HE+")
    for i in leadership:
        assert summary.counts[summary.competencies[i].id].not_applicable == n_non_supervisory


def test_cells_match_each_review(framework, staff):
    summary = build_summary(framework, staff, YEAR)
    by_id = {r.id: r for r in staff}
    short = {"developing": "D", "effective": "E", "highly_effective": "HE"}
    for row in summary.rows:
        review = by_id[row.review_id]
        assert row.employee_name == review.employee.name and row.employee_number == review.employee.employee_number
        for comp, cell in zip(summary.competencies, row.cells):
            rating = review.rating(comp.id)
            if cell.applicable:
                assert cell.short == short[rating.level] + ("+" if rating.plus else "")
    assert [r.employee_name for r in summary.rows] == sorted(r.employee.name for r in staff)


def test_only_finalized_not_voided_reviews_ending_in_the_period(framework):
    base = varied_review(framework, 1, True)
    draft = replace(base.copy(), id=1, employee=Employee("Draft Person", "1"))
    voided = replace(finalized(framework, base.copy(), 2), employee=Employee("Voided Person", "2"), void_reason="practice")
    before = base.copy()
    before.period_start, before.period_end = date(2024, 7, 1), date(2025, 6, 30)
    before = replace(finalized(framework, before, 3), employee=Employee("Last Year", "3"))
    first_day = base.copy()
    first_day.period_start, first_day.period_end = date(2025, 3, 1), date(2025, 7, 1)  # ends on the first day
    first_day = replace(finalized(framework, first_day, 4), employee=Employee("First Day", "4"))
    last_day = replace(finalized(framework, base.copy(), 5), employee=Employee("Last Day", "5"))  # ends June 30
    after = base.copy()
    after.period_start, after.period_end = date(2026, 1, 1), date(2026, 7, 1)
    after = replace(finalized(framework, after, 6), employee=Employee("Next Year", "6"))
    summary = build_summary(framework, [draft, voided, before, first_day, last_day, after], YEAR)
    assert [r.employee_name for r in summary.rows] == ["First Day", "Last Day"]
    assert summary.left_out == ()


def test_latest_review_per_employee_and_amendments(framework):
    probation = varied_review(framework, 1, False, "Rosa Martínez", "E123456")
    probation.review_type, probation.period_start, probation.period_end = "probationary", date(2025, 7, 1), date(2026, 1, 31)
    probation = finalized(framework, probation, 10, datetime(2026, 2, 1))
    annual = finalized(framework, varied_review(framework, 2, False, "Rosa  Martinez", "E-123456"), 11,
                       datetime(2026, 6, 20))  # same number, spelled differently: the same employee
    original = finalized(framework, varied_review(framework, 3, False, "Daniel Kim", ""), 20, datetime(2026, 6, 1))
    amended = varied_review(framework, 4, False, "Daniel Kim", "")
    amended.version, amended.supersedes_id = 2, 20
    amended = finalized(framework, amended, 21, datetime(2026, 5, 1))  # finalized "earlier" but it amends 20
    chosen, left_out = select_reviews([probation, annual, original, amended], YEAR)
    assert [r.id for r in chosen] == [21, 11]
    assert {(l.review_id, l.reason.split()[0]) for l in left_out} == {(10, "a"), (20, "amended")}
    summary = build_summary(framework, [probation, annual, original, amended], YEAR)
    assert summary.review_ids == [21, 11] and len(summary.left_out) == 2


def test_period_parsing():
    assert Period.parse("2025-07-01..2026-06-30") == YEAR
    assert Period.parse("2025-26") == YEAR == Period.parse("2025-2026") == Period.parse(" 2025–26 ")
    assert Period.parse("2026-01-01..2026-03-31").label == "January 1, 2026 \u2013 March 31, 2026"
    assert YEAR.label == "2025\u201326 school year" and YEAR.text == "2025-07-01..2026-06-30"
    assert Period.school_year_of(date(2025, 7, 1)) == YEAR == Period.school_year_of(date(2026, 6, 30))
    for bad in ("2025", "2025-27", "2026-06-30..2025-07-01", "2025-13-01..2026-01-01", "yesterday"):
        with pytest.raises(ValueError):
            Period.parse(bad)


def test_summary_from_the_store(framework, store):
    ids = []
    for i in range(4):
        review = varied_review(framework, 50 + i, supervisory=i == 0)
        review.status = FINAL
        ids.append(store.create(review, framework).id)
    store.create(varied_review(framework, 60, True))  # a draft: not counted
    store.void(ids[3], "practice review")
    amended = store.amend(ids[2], "typo in the period")
    store.finalize(framework, amended.id)
    summary = summary_for_period(framework, store, YEAR)
    assert sorted(summary.review_ids) == sorted([ids[0], ids[1], amended.id])
    assert [l.review_id for l in summary.left_out] == [ids[2]]
    assert [s.id for s in store.finalized_in_period(date(2026, 7, 1), date(2027, 6, 30))] == []


def test_counts_text(framework, staff):
    text = counts_text(build_summary(framework, staff, YEAR))
    assert "12 employee(s)" in text and "Overall rating" in text
    line = next(l for l in text.splitlines() if "People Management" in l)
    assert line.split()[-1] == "8"  # N/A for the eight non-supervisory reviews
    assert "No finalized reviews" in counts_text(build_summary(framework, [], YEAR))


def test_summary_pdf(framework, staff):
    from cpf_desktop.export.summary_pdf import render_summary_pdf

    tricky = replace(staff[0], employee=Employee("Ana <b>Bold</b> & Co", "E1"))
    pasted = replace(staff[1], employee=Employee("Zed " + "very long pasted name " * 200, "E2", "x" * 5000))
    summary = build_summary(framework, [tricky, pasted, *staff[2:]], YEAR)
    reader = PdfReader(io.BytesIO(render_summary_pdf(framework, summary, made=date(2026, 7, 2))))
    assert len(reader.pages) >= 2
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Ana <b>Bold</b> & Co" in text  # printed as typed, never read as markup
    assert "Confidential personnel document" in text
    assert f"Page 1 of {len(reader.pages)}" in text and f"Page {len(reader.pages)} of {len(reader.pages)}" in text
    assert "N/A" in text and "People Management" in text and "2025\u201326 school year" in text
    for row in summary.rows:
        assert row.employee_number in text


def test_empty_summary_pdf(framework):
    from cpf_desktop.export.summary_pdf import render_summary_pdf

    reader = PdfReader(io.BytesIO(render_summary_pdf(framework, build_summary(framework, [], YEAR))))
    assert "no finalized reviews" in reader.pages[0].extract_text()


def test_an_original_amended_into_another_year_counts_in_neither_year_as_itself(framework, store, data_dir, capsys):
    """The amendment corrected the period: the signed original must not stay in the old year's figures."""
    from cpf_desktop.app import main
    from cpf_desktop.summary import summary_for_period

    original = complete_review(framework)
    original.period_start, original.period_end = date(2024, 7, 1), date(2025, 6, 30)
    original = store.create(original)
    store.finalize(framework, original.id)
    draft = store.amend(original.id, "wrong school year")
    draft.period_start, draft.period_end = date(2025, 7, 1), date(2026, 6, 30)
    store.save(draft)
    old_year = Period.school_year(2025)
    assert [r.review_id for r in summary_for_period(framework, store, old_year).rows] == [original.id]  # draft: not yet
    store.finalize(framework, draft.id)
    assert summary_for_period(framework, store, old_year).rows == ()
    assert [r.review_id for r in summary_for_period(framework, store, YEAR).rows] == [draft.id]
    out = data_dir.parent / "out"
    assert main(["--data-dir", str(data_dir), "export-pdf", "--all", "--period", "2024-25", "--folder", str(out)]) == 0
    assert "no finalized reviews" in capsys.readouterr().out and not out.exists()


@pytest.mark.parametrize("text, words", [
    ("2025-W27-1..2026-06-30", "must look like 2025-07-01"),  # a week date Python would read as June 30
    ("20250701..20260630", "must look like 2025-07-01"),
    ("2025-02-29..2026-01-01", "2025-02-29 is not a day of the calendar"),
])
def test_periods_only_in_the_form_the_help_shows(text, words):
    with pytest.raises(ValueError, match=words):
        Period.parse(text)
