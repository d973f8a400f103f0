"""Reviews for tests, built from the real framework."""
from __future__ import annotations

from datetime import date

from cpf_desktop.review import Employee, Person, Rating, Review

LEVEL_CYCLE = ("developing", "effective", "highly_effective")


def complete_review(framework, supervisory: bool = True) -> Review:
    """A review that passes every finalize check, with a different level, "+" and comment per competency."""
    ratings = {}
    for i, comp in enumerate(framework.competencies()):
        if comp.cluster_id == "leadership" and not supervisory:
            continue
        level = LEVEL_CYCLE[i % 3]
        ratings[comp.id] = Rating(level, level != "developing" and i % 2 == 0, f"Comment on {comp.name} #{i}")
    return Review(
        employee=Employee("Rosa Martínez", "E123456", "Plant Manager II", "Roosevelt High School"),
        rater=Person("Daniel Kim", "Principal"),
        reviewer=Person("Ana López", "Director"),
        review_type="annual",
        period_start=date(2025, 7, 1),
        period_end=date(2026, 6, 30),
        supervisory=supervisory,
        ratings=ratings,
        overall=Rating("effective", True, "A steady year & more <ahead>."),
        strengths="Keeps the campus safe.\nTrains new custodians.",
        growth_areas="Written reports.",
        goals="Finish the safety certificate.",
        employee_comments="Thank you — ¡gracias!",
    )
