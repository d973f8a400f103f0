""""Start next review": the next period follows the calendar, not the old period's length in days."""
from datetime import date

import pytest

from builders import complete_review
from cpf_desktop.history import next_review
from cpf_desktop.review import Review


def next_period(framework, start, end, review_type="annual"):
    previous = complete_review(framework)
    previous.review_type, previous.period_start, previous.period_end = review_type, start, end
    nxt = next_review(previous, date(2030, 1, 1))
    return nxt.period_start, nxt.period_end


@pytest.mark.parametrize(
    "start, end, expected",
    [
        # School years: July 1 – June 30, whatever the leap days inside.
        (date(2026, 7, 1), date(2027, 6, 30), (date(2027, 7, 1), date(2028, 6, 30))),  # next one holds Feb 29, 2028
        (date(2023, 7, 1), date(2024, 6, 30), (date(2024, 7, 1), date(2025, 6, 30))),  # old one held Feb 29, 2024
        (date(2025, 7, 1), date(2026, 6, 30), (date(2026, 7, 1), date(2027, 6, 30))),
        # A six-month probationary period, and the next six months.
        (date(2026, 1, 1), date(2026, 6, 30), (date(2026, 7, 1), date(2026, 12, 31))),
        (date(2026, 7, 1), date(2026, 12, 31), (date(2027, 1, 1), date(2027, 6, 30))),
        # Years ending on the last day of February: into and out of a leap year.
        (date(2023, 3, 1), date(2024, 2, 29), (date(2024, 3, 1), date(2025, 2, 28))),
        (date(2026, 3, 1), date(2027, 2, 28), (date(2027, 3, 1), date(2028, 2, 29))),
        # Mid-month periods keep their day; a day that does not exist is clamped to the month's last.
        (date(2026, 2, 15), date(2026, 8, 14), (date(2026, 8, 15), date(2027, 2, 14))),
        (date(2025, 9, 1), date(2026, 8, 30), (date(2026, 8, 31), date(2027, 8, 30))),
        (date(2026, 3, 1), date(2026, 8, 30), (date(2026, 8, 31), date(2027, 2, 28))),
        # A late start (hired mid-July): the next period is a full school year.
        (date(2025, 7, 15), date(2026, 6, 30), (date(2026, 7, 1), date(2027, 6, 30))),
    ],
)
def test_next_period_follows_the_calendar(framework, start, end, expected):
    assert next_period(framework, start, end) == expected


def test_after_probation_the_next_period_is_the_same_number_of_months(framework):
    start, end = next_period(framework, date(2024, 1, 1), date(2024, 6, 30), review_type="probationary")
    assert (start, end) == (date(2024, 7, 1), date(2024, 12, 31))


def test_a_period_shorter_than_half_a_month_is_copied_by_days(framework):
    assert next_period(framework, date(2026, 6, 1), date(2026, 6, 10)) == (date(2026, 6, 11), date(2026, 6, 20))


def test_no_start_means_a_year_after_the_end(framework):
    assert next_period(framework, None, date(2024, 6, 30)) == (date(2024, 7, 1), date(2025, 6, 30))
    assert next_period(framework, None, date(2024, 2, 29)) == (date(2024, 3, 1), date(2025, 2, 28))


def test_no_period_at_all_starts_today_for_a_year(framework):
    previous = complete_review(framework)
    previous.period_start = previous.period_end = None
    nxt = next_review(previous, date(2024, 3, 1))
    assert (nxt.period_start, nxt.period_end) == (date(2024, 3, 1), date(2025, 2, 28))


@pytest.mark.parametrize("today, end", [
    (date(2028, 2, 29), date(2029, 2, 28)),
    (date(2027, 3, 1), date(2028, 2, 29)),
    (date(2026, 7, 1), date(2027, 6, 30)),
    (date(2026, 12, 4), date(2027, 12, 3)),
])
def test_without_a_previous_period_the_next_runs_a_year_from_today(today, end):
    review = next_review(Review(review_type="annual"), today)
    assert (review.period_start, review.period_end) == (today, end)
