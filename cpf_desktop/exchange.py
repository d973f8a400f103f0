"""The JSON hand-off format ``cpf-review/1``: a review as a file, for HR, batch work and tests.

Import validates everything before anything is stored and names the offending field in its
message; export then import gives back the same review.
"""
from __future__ import annotations

import json
import re
from collections import deque
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .files_in import UnreadableFile, read_user_file
from .framework import LEVEL_IDS, Framework
from .integrity import content_hash_of_dict
from .review import (
    MAX_LINE_LENGTH, MAX_TEXT_LENGTH, REVIEW_TYPES, STATUSES, Employee, Person, Rating, Review, RuleError,
    period_problem, period_warnings, single_line,
)

FORMAT = "cpf-review/1"
EARLIEST_DATE, LATEST_DATE = date(1990, 1, 1), date(2100, 12, 31)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SURROGATE = re.compile("[\ud800-\udfff]")
# The fullest review the window can hold (30 text fields of MAX_TEXT_LENGTH characters, each up to 4
# bytes in UTF-8) is about 12 MB: anything it can save must come back in through import.
MAX_FILE_BYTES = 20_000_000
KNOWN_KEYS = {
    "format", "employee", "rater", "reviewer", "review_type", "period", "supervisory", "ratings", "overall",
    "strengths", "growth_areas", "goals", "employee_comments", "status", "finalized",
}


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
        raw = read_user_file(path, MAX_FILE_BYTES, "a review file")
    except UnreadableFile as exc:
        raise ExchangeError(str(exc)) from exc
    try:
        text = raw.decode("utf-8-sig")  # Windows editors add a byte-order mark
    except UnicodeDecodeError as exc:
        raise ExchangeError(
            f"the file is not UTF-8 text (an unexpected byte at position {exc.start}). "
            "Save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8) and try again."
        ) from exc
    odd: list[bool] = []  # set when a duplicate key or an overlong number was met: look for where afterwards
    try:
        data = json.loads(text, object_pairs_hook=lambda pairs: _pairs(pairs, odd),
                          parse_int=lambda digits: _int(digits, odd))
    except json.JSONDecodeError as exc:
        raise ExchangeError(f"the file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.") from exc
    except RecursionError:
        raise ExchangeError("the file is not a review: its brackets are nested far too deeply.") from None
    except ValueError:  # nothing known reaches here (numbers are checked above); still one plain sentence
        raise ExchangeError("the file holds a value JSON allows but a review cannot use.") from None
    if not isinstance(data, dict):
        raise ExchangeError("the file must hold one review: a JSON object that starts with {.")
    if odd:
        _refuse_odd_values(data)
    return data


MAX_NUMBER_DIGITS = 1000  # no number in a review comes near; Python refuses to convert past 4,300 digits


class _TooLong:
    """Stands in for a number with too many digits until the reader says where it is."""


class _Duplicates(dict):
    """An object in which a key appeared twice; ``duplicate`` is that key."""

    duplicate: str = ""


def _int(digits: str, odd: list[bool]) -> Any:
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        odd.append(True)
        return _TooLong()
    return int(digits)


def _pairs(pairs: list[tuple[str, Any]], odd: list[bool]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen and not isinstance(seen, _Duplicates):
            seen = _Duplicates(seen)
            seen.duplicate = key
            odd.append(True)
        seen[key] = value
    return seen


def _refuse_odd_values(data: Any) -> None:
    """Raise ExchangeError for the first duplicate key or overlong number, naming where it is."""
    todo: deque[tuple[str, Any]] = deque([("", data)])  # breadth first: the shallowest problem is named
    while todo:
        where, value = todo.popleft()
        if isinstance(value, _Duplicates):
            place = f" in {where}" if where else ""
            raise ExchangeError(f"the file names '{value.duplicate}' twice{place}; keep one.")
        if isinstance(value, _TooLong):
            field = f"'{where}'" if where else "the file"
            raise ExchangeError(f"{field} holds a number far too long to be a value in a review.")
        if isinstance(value, dict):
            todo += [(f"{where}.{key}" if where else str(key), item) for key, item in value.items()]
        elif isinstance(value, list):
            todo += [(f"{where}[{i + 1}]", item) for i, item in enumerate(value)]


def read_review_file(path: Path, framework: Framework, warnings: list[str] | None = None) -> Review:
    """Read and validate a hand-off file; raise ExchangeError naming the problem."""
    return review_from_dict(read_review_dict(path, framework), framework, warnings)


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
    if _SURROGATE.search(value):
        raise ExchangeError(f"'{where}{key}' holds a broken character (an unpaired UTF-16 surrogate); "
                            "retype that text.")
    if len(value) > MAX_TEXT_LENGTH:
        raise ExchangeError(f"'{where}{key}' is {len(value):,} characters long; a text field holds at most "
                            f"{MAX_TEXT_LENGTH:,}.")
    return value


def _line(obj: dict, key: str, where: str) -> str:
    """A one-line header field; an employee number written as a JSON number is taken as written."""
    value = obj.get(key, "")
    if key == "employee_number" and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    value = single_line(_str({key: value}, key, where))
    if len(value) > MAX_LINE_LENGTH:
        raise ExchangeError(f"'{where}{key}' is {len(value):,} characters long; a one-line field holds at most "
                            f"{MAX_LINE_LENGTH:,}.")
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
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ExchangeError(f"'{where}{key}' is {json.dumps(value)}; write dates as YYYY-MM-DD, e.g. 2026-06-30.")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ExchangeError(f"'{where}{key}' is '{value}', which is not a real date.") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ExchangeError(f"'{where}{key}' is {value}; review periods lie between "
                            f"{EARLIEST_DATE.year} and {LATEST_DATE.year}.")
    return day


def _level(value: Any) -> Any:
    """Accept a level as a person might write it: "Highly Effective", "highly effective", "EFFECTIVE"."""
    if isinstance(value, str):
        key = "_".join(value.strip().lower().replace("-", " ").split())
        if key in LEVEL_IDS:
            return key
    return value


_NESTED_KEYS = {
    "employee": {"name", "employee_number", "classification", "location"},
    "rater": {"name", "title"},
    "reviewer": {"name", "title"},
    "period": {"start", "end"},
    "rating": {"level", "plus", "comment"},
}


def _unknown_keys(obj: dict, kind: str, where: str, warnings: list[str] | None) -> None:
    """A misspelt key inside an object ("levl") is ignored, and said: its value would be lost silently."""
    if warnings is None:
        return
    for key in obj:
        if key not in _NESTED_KEYS[kind]:
            known = ", ".join(sorted(_NESTED_KEYS[kind]))
            warnings.append(f"the key '{where}.{key}' is not part of {FORMAT} and was ignored (known: {known}).")


def _rating(value: Any, where: str, warnings: list[str] | None = None) -> Rating:
    obj = _obj(value, where)
    _unknown_keys(obj, "rating", where, warnings)
    level = _level(obj.get("level"))
    if level is not None and level not in LEVEL_IDS:
        raise ExchangeError(f"'{where}.level' is {json.dumps(level)}; use one of {', '.join(LEVEL_IDS)} or null.")
    plus = _bool(obj, "plus", f"{where}.")
    comment = _str(obj, "comment", f"{where}.")
    try:
        return Rating(level, plus, comment)
    except RuleError as exc:
        raise ExchangeError(f"'{where}': {exc}") from None


def _signed(data: dict, review: Review) -> None:
    """Keep an exported final review's signature (time, framework version, fingerprint) on import.

    The fingerprint must still match the file's content: a file changed after it was finalized is
    refused, as ``verify --code`` would. A final review without one (written by hand) is finalized
    on import instead.
    """
    signed = _obj(data.get("finalized"), "finalized", required=False)
    claimed = signed.get("sha256")
    if not claimed:
        return
    if not isinstance(claimed, str) or content_hash_of_dict(data) != claimed:
        raise ExchangeError(
            "the file says the review was finalized, but its content no longer matches its fingerprint "
            "('finalized.sha256'): it was changed after it was finalized. Import the file as it was exported."
        )
    try:
        at = datetime.fromisoformat(signed.get("at") or "")
    except (TypeError, ValueError):
        raise ExchangeError("'finalized.at' is not a date and time.") from None
    version = signed.get("framework_version")
    if not isinstance(version, str) or not version:
        raise ExchangeError("'finalized.framework_version' is missing.")
    review.finalized_at, review.framework_version, review.content_hash = at, version, claimed


def review_from_dict(data: Any, framework: Framework, warnings: list[str] | None = None) -> Review:
    """Build a Review from hand-off data, checking every field; the review has no id yet.

    Unknown keys are ignored; each is reported in ``warnings`` when a list is given.
    """
    data = _obj(data, "the file")
    for key in data:
        if key not in KNOWN_KEYS and warnings is not None:
            warnings.append(f"the key '{key}' is not part of {FORMAT} and was ignored.")
    if data.get("format") != FORMAT:
        raise ExchangeError(f"'format' must be \"{FORMAT}\" (found {json.dumps(data.get('format'))}).")
    emp = _obj(data.get("employee"), "employee", required=False)  # a draft may be incomplete in any way
    rater = _obj(data.get("rater"), "rater", required=False)
    reviewer = _obj(data.get("reviewer"), "reviewer", required=False)
    period = _obj(data.get("period"), "period", required=False)
    for kind, obj in (("employee", emp), ("rater", rater), ("reviewer", reviewer), ("period", period)):
        _unknown_keys(obj, kind, kind, warnings)
    review_type = data.get("review_type")
    if isinstance(review_type, str):
        review_type = review_type.strip().lower() or None
    if review_type is not None and (not isinstance(review_type, str) or review_type not in REVIEW_TYPES):
        raise ExchangeError(
            f"'review_type' is {json.dumps(review_type)}; use one of {', '.join(REVIEW_TYPES)} or null."
        )
    start, end = _date(period, "start", "period."), _date(period, "end", "period.")
    if start and end:
        problem = period_problem(start, end)
        if problem:
            raise ExchangeError(f"'period': {problem.message}")
    if warnings is not None:
        warnings.extend(period_warnings(start, end))  # allowed but unusual (over 18 months): said, as in the window
    ratings_raw = _obj(data.get("ratings"), "ratings", required=False)
    ratings: dict[str, Rating] = {}
    for competency_id, value in ratings_raw.items():
        if not framework.has_competency(competency_id):
            raise ExchangeError(f"'ratings' names an unknown competency '{competency_id}'.")
        rating = _rating(value, f"ratings.{competency_id}", warnings)
        if not rating.is_empty:
            ratings[competency_id] = rating
    status = data.get("status", "draft")
    if status not in STATUSES:
        raise ExchangeError(f"'status' is {json.dumps(status)}; use draft or final.")
    review = Review(
        employee=Employee(
            _line(emp, "name", "employee."),
            _line(emp, "employee_number", "employee."),
            _line(emp, "classification", "employee."),
            _line(emp, "location", "employee."),
        ),
        rater=Person(_line(rater, "name", "rater."), _line(rater, "title", "rater.")),
        reviewer=Person(_line(reviewer, "name", "reviewer."), _line(reviewer, "title", "reviewer.")),
        review_type=review_type,
        period_start=start,
        period_end=end,
        supervisory=_bool(data, "supervisory", ""),
        ratings=ratings,
        overall=_rating(data.get("overall", {}), "overall", warnings),
        strengths=_str(data, "strengths", ""),
        growth_areas=_str(data, "growth_areas", ""),
        goals=_str(data, "goals", ""),
        employee_comments=_str(data, "employee_comments", ""),
    )
    # A file may say it is final: the store finalizes it through the same rules as the window.
    review.status = status
    if status == "final":
        _signed(data, review)
    if warnings is not None and not review.supervisory:
        leadership = [c.id for c in framework.competencies() if c.cluster_id == "leadership" and c.id in ratings]
        if leadership:
            kept = "are kept in case the review is made supervisory" if status == "draft" else "were not kept"
            warnings.append(f"the review is not supervisory, so the Leadership ratings ({', '.join(leadership)}) "
                            f"do not apply: they are not printed or counted, and {kept}.")
    return review
