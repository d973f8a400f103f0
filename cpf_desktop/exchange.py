"""The JSON hand-off format ``cpf-review/1``: a review as a file, for HR, batch work and tests.

Import validates everything before anything is stored and names the offending field in its
message; export then import gives back the same review.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from .framework import LEVEL_IDS, Framework
from .review import FINAL, REVIEW_TYPES, STATUSES, Employee, Person, Rating, Review, RuleError, period_problem

FORMAT = "cpf-review/1"


class ExchangeError(ValueError):
    """The hand-off data is not valid; the message names the field."""


def review_to_dict(review: Review) -> dict[str, Any]:
    """Return the review in the hand-off format (ratings of every competency that has one)."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "employee": {
            "name": review.employee.name,
            "employee_number": review.employee.employee_number,
            "classification": review.employee.classification,
            "location": review.employee.location,
        },
        "rater": {"name": review.rater.name, "title": review.rater.title},
        "review_type": review.review_type,
        "period": {
            "start": review.period_start.isoformat() if review.period_start else None,
            "end": review.period_end.isoformat() if review.period_end else None,
        },
        "supervisory": review.supervisory,
        "ratings": {
            cid: {"level": r.level, "plus": r.plus, "comment": r.comment} for cid, r in review.ratings.items()
        },
        "overall": {"level": review.overall.level, "plus": review.overall.plus, "comment": review.overall.comment},
        "strengths": review.strengths,
        "growth_areas": review.growth_areas,
        "goals": review.goals,
        "employee_comments": review.employee_comments,
        "status": review.status,
    }
    if review.reviewer.name or review.reviewer.title:
        data["reviewer"] = {"name": review.reviewer.name, "title": review.reviewer.title}
    if review.is_final:
        # What was signed: when, under which framework version, and its fingerprint (see integrity).
        data["finalized"] = {
            "at": review.finalized_at.isoformat() if review.finalized_at else None,
            "framework_version": review.framework_version,
            "sha256": review.content_hash,
        }
    return data


def dumps(review: Review) -> str:
    return json.dumps(review_to_dict(review), ensure_ascii=False, indent=2) + "\n"


def read_review_dict(path: Path, framework: Framework) -> dict[str, Any]:
    """Read a hand-off file as a dictionary (not yet validated); raise ExchangeError naming the problem."""
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        raise ExchangeError(f"{path} is a folder, not a review file.") from None
    except OSError as exc:
        raise ExchangeError(f"{path} could not be read ({exc.strerror or exc}).") from exc
    try:
        text = raw.decode("utf-8-sig")  # Windows editors add a byte-order mark
    except UnicodeDecodeError as exc:
        raise ExchangeError(f"{path} is not UTF-8 text (bad byte at position {exc.start}).") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExchangeError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.") from exc
    return _obj(data, "the file")


def read_review_file(path: Path, framework: Framework) -> Review:
    """Read and validate a hand-off file; raise ExchangeError naming the problem."""
    return review_from_dict(read_review_dict(path, framework), framework)


def _obj(value: Any, where: str, required: bool = True) -> dict:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise ExchangeError(f"'{where}' must be an object.")
    return value


def _str(obj: dict, key: str, where: str) -> str:
    value = obj.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ExchangeError(f"'{where}{key}' must be text.")
    return value


def _bool(obj: dict, key: str, where: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        raise ExchangeError(f"'{where}{key}' must be true or false.")
    return value


def _date(obj: dict, key: str, where: str) -> date | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ExchangeError(f"'{where}{key}' must be a date written YYYY-MM-DD.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ExchangeError(f"'{where}{key}' is '{value}', which is not a date written YYYY-MM-DD.") from None


def _rating(value: Any, where: str) -> Rating:
    obj = _obj(value, where)
    level = obj.get("level")
    if level is not None and level not in LEVEL_IDS:
        raise ExchangeError(f"'{where}.level' is {json.dumps(level)}; use one of {', '.join(LEVEL_IDS)} or null.")
    plus = _bool(obj, "plus", f"{where}.")
    comment = _str(obj, "comment", f"{where}.")
    try:
        return Rating(level, plus, comment)
    except RuleError as exc:
        raise ExchangeError(f"'{where}': {exc}") from None


def review_from_dict(data: Any, framework: Framework) -> Review:
    """Build a Review from hand-off data, checking every field; the review has no id yet."""
    data = _obj(data, "the file")
    if data.get("format") != FORMAT:
        raise ExchangeError(f"'format' must be \"{FORMAT}\" (found {json.dumps(data.get('format'))}).")
    emp = _obj(data.get("employee"), "employee")
    rater = _obj(data.get("rater"), "rater")
    reviewer = _obj(data.get("reviewer"), "reviewer", required=False)
    period = _obj(data.get("period"), "period", required=False)
    review_type = data.get("review_type")
    if review_type is not None and review_type not in REVIEW_TYPES:
        raise ExchangeError(
            f"'review_type' is {json.dumps(review_type)}; use one of {', '.join(REVIEW_TYPES)} or null."
        )
    start, end = _date(period, "start", "period."), _date(period, "end", "period.")
    if start and end:
        problem = period_problem(start, end)
        if problem:
            raise ExchangeError(f"'period': {problem.message}")
    ratings_raw = _obj(data.get("ratings"), "ratings", required=False)
    ratings: dict[str, Rating] = {}
    for competency_id, value in ratings_raw.items():
        if not framework.has_competency(competency_id):
            raise ExchangeError(f"'ratings' names an unknown competency '{competency_id}'.")
        rating = _rating(value, f"ratings.{competency_id}")
        if not rating.is_empty:
            ratings[competency_id] = rating
    status = data.get("status", "draft")
    if status not in STATUSES:
        raise ExchangeError(f"'status' is {json.dumps(status)}; use draft or final.")
    review = Review(
        employee=Employee(
            _str(emp, "name", "employee.").strip(),
            _str(emp, "employee_number", "employee.").strip(),
            _str(emp, "classification", "employee.").strip(),
            _str(emp, "location", "employee.").strip(),
        ),
        rater=Person(_str(rater, "name", "rater.").strip(), _str(rater, "title", "rater.").strip()),
        reviewer=Person(_str(reviewer, "name", "reviewer.").strip(), _str(reviewer, "title", "reviewer.").strip()),
        review_type=review_type,
        period_start=start,
        period_end=end,
        supervisory=_bool(data, "supervisory", ""),
        ratings=ratings,
        overall=_rating(data.get("overall", {}), "overall"),
        strengths=_str(data, "strengths", ""),
        growth_areas=_str(data, "growth_areas", ""),
        goals=_str(data, "goals", ""),
        employee_comments=_str(data, "employee_comments", ""),
    )
    # A file may say it is final: the store finalizes it through the same rules as the window.
    review.status = status
    return review
