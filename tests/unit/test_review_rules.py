"""The rating rules, Leadership applicability and finalize checks (no Qt, no database)."""
from datetime import date, datetime

import pytest

from builders import complete_review
from cpf_desktop.review import (
    FinalizeRefused, Rating, Review, ReviewLocked, RuleError, applicable_competencies, cluster_progress,
    finalize, finalize_problems, level_label,
)


def test_plus_only_with_effective_or_highly_effective():
    assert Rating("effective", True).plus
    assert Rating("highly_effective", True).plus
    with pytest.raises(RuleError, match="Effective or Highly Effective"):
        Rating("developing", True)
    with pytest.raises(RuleError):
        Rating(None, True)
    with pytest.raises(RuleError):
        Rating("developing").with_plus(True)


def test_lowering_or_clearing_drops_plus_but_keeps_comment():
    r = Rating("highly_effective", True, "kind words")
    assert r.with_level("effective") == Rating("effective", True, "kind words")
    assert r.with_level("developing") == Rating("developing", False, "kind words")
    assert r.with_level(None) == Rating(None, False, "kind words")


def test_unknown_level_refused():
    with pytest.raises(RuleError, match="not a rating level"):
        Rating("Effective")


def test_leadership_not_applicable_unless_supervisory(framework):
    review = Review(supervisory=False)
    ids = {c.id for c in applicable_competencies(framework, review)}
    assert len(ids) == 21 and "people-management" not in ids
    assert cluster_progress(framework.cluster("leadership"), review) is None
    review.supervisory = True
    assert len(applicable_competencies(framework, review)) == 24
    assert cluster_progress(framework.cluster("leadership"), review) == (0, 3)


def test_finalize_reports_everything_missing_at_once(framework):
    review = Review(period_start=date(2026, 6, 30), period_end=date(2025, 7, 1))
    problems = finalize_problems(framework, review)
    fields = [p.field for p in problems]
    assert fields[:4] == ["employee.name", "rater.name", "review_type", "period"]
    assert "The review period ends before it starts." in [p.message for p in problems]
    assert sum(f.startswith("competency:") for f in fields) == 21  # Leadership is N/A, not "unrated"
    assert "competency:people-management" not in fields
    assert fields[-1] == "overall"
    with pytest.raises(FinalizeRefused) as info:
        finalize(framework, review, datetime.now())
    assert len(info.value.problems) == len(problems)


def test_complete_review_finalizes_and_locks(framework):
    review = complete_review(framework, supervisory=False)
    review.ratings["people-management"] = Rating("effective")  # left over from when it was supervisory
    assert finalize_problems(framework, review) == []
    done = finalize(framework, review, datetime(2026, 7, 1, 9, 0))
    assert done.is_final and done.framework_version == framework.version
    assert "people-management" not in done.ratings  # N/A ratings are not part of the signed review
    with pytest.raises(ReviewLocked):
        done.set_rating("ethics-values", Rating("developing"))


def test_level_label(framework):
    assert level_label(framework, Rating("highly_effective", True)) == "Highly Effective +"
    assert level_label(framework, Rating()) == "Not rated"
