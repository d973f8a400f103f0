"""Child program for the kill test (tests/unit/test_kill_durability.py).

    python tests/kill_child.py DATA_DIR SEED [COUNT]

Opens the review store of DATA_DIR through the real ``open_store``, creates the review (or, when
the folder already holds one, resets it through a whole-review save), then applies the
deterministic stream ``changes(SEED)`` through the real save paths: ``ReviewStore.save_rating``
for single ratings and ``ReviewStore.save`` for whole-review saves (about one change in ten).

After each save call RETURNS, one JSON line describing the change (exactly what is now guaranteed
saved) is written to stdout and flushed; the parent kills this process with SIGKILL at a random
moment and checks that every acknowledged change survived.

The stream is a pure function of SEED, so the parent imports ``changes``, ``apply`` and
``snapshot`` from this file and recomputes what the database must hold. Only the generator's own
modules are imported at the top; the storage package is imported inside ``main``.
"""
from __future__ import annotations

import json
import random
import sys
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cpf_desktop.framework import LEVEL_IDS, load_framework  # noqa: E402
from cpf_desktop.review import PLUS_LEVELS, REVIEW_TYPES  # noqa: E402

DEFAULT_COUNT = 100_000
FULL_SAVE_SHARE = 0.1  # about every tenth change saves the whole review

TEXT_FIELDS = ("strengths", "growth_areas", "goals", "employee_comments")
SHORT_FIELDS = (
    "employee_name",
    "employee_number",
    "classification",
    "location",
    "rater_name",
    "rater_title",
    "reviewer_name",
    "reviewer_title",
)
HEADER_FIELDS = SHORT_FIELDS + ("review_type", "period_start", "period_end", "supervisory", "overall") + TEXT_FIELDS

# Pieces of text: ASCII, accents, CJK, Hangul, Cyrillic, Arabic/Hebrew (right-to-left), emoji (also a
# ZWJ sequence), a combining accent, zero-width characters, quotes, SQL and markup fragments, CR/LF.
_PIECES = (
    "a", "e", "o", "s", "t", "n", "R", "Z", "0", "7", " ", " ", " ", ".", ",", "\n", "\t", "\r\n",
    "é", "ß", "ñ", "ü", "Ø", "ç", "漢", "字", "한", "글", "Ж", "я", "ع", "ש", "😀", "👩‍🔧",
    "\u0301", "\u200b", "\ufeff", "'", '"', "\\", "%", "_", ";", "--", "'); DROP TABLE ratings;--",
    "<b>", "&amp;", "—", "¡", "¿",
)


@lru_cache(maxsize=1)
def competency_ids() -> tuple[str, ...]:
    """The competency ids of the real framework, in document order."""
    return tuple(c.id for c in load_framework().competencies())


def _text(rng: random.Random, long_share: float = 0.05) -> str:
    roll = rng.random()
    if roll < 0.12:
        return ""
    if roll < 1 - long_share - 0.15:
        size = rng.randint(1, 80)
    elif roll < 1 - long_share:
        size = rng.randint(200, 3_000)
    else:
        size = rng.randint(10_000, 30_000)
    return "".join(rng.choices(_PIECES, k=size))


def _rating(rng: random.Random) -> list:
    """[level, plus, comment]; "+" only with Effective or Highly Effective; all-empty clears it."""
    if rng.random() < 0.08:
        return [None, False, ""]
    level = rng.choice((None,) + LEVEL_IDS)
    plus = level in PLUS_LEVELS and rng.random() < 0.5
    return [level, plus, _text(rng, long_share=0.02)]


def _is_empty(value: list) -> bool:
    return value[0] is None and not value[1] and not value[2]


def _field(rng: random.Random, name: str) -> Any:
    if name in SHORT_FIELDS:
        return _text(rng, long_share=0.02)
    if name in TEXT_FIELDS:
        return _text(rng, long_share=0.2)
    if name == "review_type":
        return rng.choice((None,) + tuple(REVIEW_TYPES))
    if name in ("period_start", "period_end"):
        if rng.random() < 0.15:
            return None
        return (date(2020, 1, 1) + timedelta(days=rng.randint(0, 3_000))).isoformat()
    if name == "supervisory":
        return rng.random() < 0.5
    if name == "overall":
        return _rating(rng)
    raise KeyError(name)


def changes(seed: int, count: int = DEFAULT_COUNT) -> Iterator[dict]:
    """The deterministic stream of changes for ``seed``: change 0 is the initial review.

    Kinds: "create" and "save" carry the whole review ("header" and every non-empty rating in
    "ratings"); "rating" sets one competency ([None, False, ""] clears it, which deletes the row).
    """
    rng = random.Random(seed)
    ids = competency_ids()
    header = {name: _field(rng, name) for name in HEADER_FIELDS}
    ratings: dict[str, list] = {}
    for cid in rng.sample(ids, rng.randint(0, len(ids))):
        value = _rating(rng)
        if not _is_empty(value):
            ratings[cid] = value
    yield {"n": 0, "kind": "create", "header": dict(header), "ratings": dict(ratings)}
    for n in range(1, count):
        if rng.random() < FULL_SAVE_SHARE:
            # The window's whole save: some header fields and texts changed, some ratings changed too.
            for name in rng.sample(HEADER_FIELDS, rng.randint(1, len(HEADER_FIELDS))):
                header[name] = _field(rng, name)
            for cid in rng.sample(ids, rng.randint(0, 8)):
                value = _rating(rng)
                if _is_empty(value):
                    ratings.pop(cid, None)
                else:
                    ratings[cid] = value
            yield {"n": n, "kind": "save", "header": dict(header), "ratings": dict(ratings)}
        else:
            cid = rng.choice(ids)
            level, plus, comment = _rating(rng)
            if _is_empty([level, plus, comment]):
                ratings.pop(cid, None)
            else:
                ratings[cid] = [level, plus, comment]
            yield {"n": n, "kind": "rating", "competency": cid, "level": level, "plus": plus, "comment": comment}


# -- the model the parent compares with -----------------------------------------------------------


def _normal_header(header: dict) -> dict:
    return {**header, "overall": tuple(header["overall"])}


def apply(state: dict | None, change: dict) -> dict:
    """Return the stored state after ``change`` (a pure function; ``state`` is not modified)."""
    if change["kind"] in ("create", "save"):
        return {
            "header": _normal_header(change["header"]),
            "ratings": {cid: tuple(value) for cid, value in change["ratings"].items()},
        }
    assert state is not None, "a rating change before the review exists"
    ratings = dict(state["ratings"])
    value = (change["level"], change["plus"], change["comment"])
    if _is_empty(list(value)):
        ratings.pop(change["competency"], None)
    else:
        ratings[change["competency"]] = value
    return {"header": state["header"], "ratings": ratings}


def snapshot(review) -> dict:
    """The state of a stored ``Review`` in the form ``apply`` returns."""
    header = {
        "employee_name": review.employee.name,
        "employee_number": review.employee.employee_number,
        "classification": review.employee.classification,
        "location": review.employee.location,
        "rater_name": review.rater.name,
        "rater_title": review.rater.title,
        "reviewer_name": review.reviewer.name,
        "reviewer_title": review.reviewer.title,
        "review_type": review.review_type,
        "period_start": review.period_start.isoformat() if review.period_start else None,
        "period_end": review.period_end.isoformat() if review.period_end else None,
        "supervisory": review.supervisory,
        "overall": (review.overall.level, review.overall.plus, review.overall.comment),
        **{name: getattr(review, name) for name in TEXT_FIELDS},
    }
    ratings = {cid: (r.level, r.plus, r.comment) for cid, r in review.ratings.items()}
    return {"header": header, "ratings": ratings}


def to_review(review_id: int | None, header: dict, ratings: dict):
    """The ``Review`` a create/save change stores."""
    from cpf_desktop.review import Employee, Person, Rating, Review

    h = header
    return Review(
        id=review_id,
        employee=Employee(h["employee_name"], h["employee_number"], h["classification"], h["location"]),
        rater=Person(h["rater_name"], h["rater_title"]),
        reviewer=Person(h["reviewer_name"], h["reviewer_title"]),
        review_type=h["review_type"],
        period_start=date.fromisoformat(h["period_start"]) if h["period_start"] else None,
        period_end=date.fromisoformat(h["period_end"]) if h["period_end"] else None,
        supervisory=h["supervisory"],
        ratings={cid: Rating(*value) for cid, value in ratings.items()},
        overall=Rating(*h["overall"]),
        strengths=h["strengths"],
        growth_areas=h["growth_areas"],
        goals=h["goals"],
        employee_comments=h["employee_comments"],
    )


# -- the child --------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    data_dir, seed = Path(argv[1]), int(argv[2])
    count = int(argv[3]) if len(argv) == 4 else DEFAULT_COUNT
    sys.stdout.reconfigure(line_buffering=True)

    # sqlite-utils merely *tries* numpy and pandas (for column types of numpy/pandas values); neither
    # is a requirement of CPF Desktop and the save path never uses them. Keeping them out saves a
    # sizeable part of this program's start-up, which bounds how many kills a test run can afford.
    for optional in ("numpy", "pandas"):
        sys.modules.setdefault(optional, None)  # type: ignore[arg-type]

    from cpf_desktop.review import Rating
    from cpf_desktop.storage import open_store

    store = open_store(data_dir)
    existing = store.list_reviews()
    review_id = min(s.id for s in existing) if existing else None
    for change in changes(seed, count):
        kind = change["kind"]
        if kind == "create":
            review = to_review(review_id, change["header"], change["ratings"])
            if review_id is None:
                review_id = store.create(review).id
            else:
                store.save(review)  # a folder from an earlier run: reset the review to change 0
            # Also say how the real open left the connection: the parent checks WAL + FULL.
            conn = store.db.conn
            change = {
                **change,
                "review_id": review_id,
                "journal_mode": conn.execute("PRAGMA journal_mode").fetchone()[0],
                "synchronous": conn.execute("PRAGMA synchronous").fetchone()[0],
            }
        elif kind == "save":
            store.save(to_review(review_id, change["header"], change["ratings"]))
        else:
            store.save_rating(
                review_id, change["competency"], Rating(change["level"], change["plus"], change["comment"])
            )
        # The save call has returned: acknowledge it (ASCII JSON, one line, flushed).
        print(json.dumps(change, separators=(",", ":")), flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
