"""Reviews in the database: every function takes or returns core objects (``Review``, ``Rating``)."""
from __future__ import annotations

import logging
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from ..framework import Framework
from ..paths import database_path, ensure_private_dir
from ..integrity import content_hash
from ..review import (
    DRAFT, Employee, Person, Rating, Review, ReviewLocked, RuleError, employee_key, finalize, lifecycle_reason,
)
from .database import (
    StorageError, describe_sqlite_error, ensure_same_file, file_identity, open_database, query, query_tuples,
    restore_missing_triggers, sqlite_utils,
)

log = logging.getLogger(__name__)


class ReviewNotFound(StorageError):
    """No review has that id."""


class ReviewSummary(NamedTuple):
    """One row of the review list (a named tuple: thousands are made at once, and cheaply)."""

    id: int
    status: str
    employee_name: str
    employee_number: str
    classification: str
    location: str
    review_type: str | None
    period_start: date | None
    period_end: date | None
    updated_at: datetime | None
    version: int = 1
    supersedes_id: int | None = None
    voided: bool = False

    @property
    def status_text(self) -> str:
        """E.g. "Draft", "Final", "Void", "Final (v2)"."""
        text = "Void" if self.voided else self.status.capitalize()
        return f"{text} (v{self.version})" if self.version > 1 else text


@dataclass(frozen=True)
class IntegrityProblem:
    """A review that is not as CPF Desktop left it; ``text`` completes "Review N (name) …"."""

    review_id: int
    employee_name: str
    text: str


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    event: str
    detail: str


def now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):  # written by another tool: shown as no date, never a crash
        log.warning("ignored an impossible date %r in the data file", text)
        return None


def _datetime(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        log.warning("ignored an impossible time %r in the data file", text)
        return None


def _header_row(review: Review) -> dict:
    return {
        "status": review.status,
        "employee_name": review.employee.name,
        "employee_number": review.employee.employee_number,
        "classification": review.employee.classification,
        "location": review.employee.location,
        "rater_name": review.rater.name,
        "rater_title": review.rater.title,
        "reviewer_name": review.reviewer.name,
        "reviewer_title": review.reviewer.title,
        "review_type": review.review_type,
        "period_start": _iso(review.period_start),
        "period_end": _iso(review.period_end),
        "supervisory": int(review.supervisory),
        "overall_level": review.overall.level,
        "overall_plus": int(review.overall.plus),
        "overall_comment": review.overall.comment,
        "strengths": review.strengths,
        "growth_areas": review.growth_areas,
        "goals": review.goals,
        "employee_comments": review.employee_comments,
        "finalized_at": _iso(review.finalized_at),
        "framework_version": review.framework_version,
        "content_hash": review.content_hash,
        "version": review.version,
        "supersedes_id": review.supersedes_id,
    }


class ReviewStore:
    """The reviews of one data folder. Holds the connection; pass it around, never make it global."""

    def __init__(self, db: sqlite_utils.Database, path: Path, restored_locks: list[str] | None = None):
        self.db = db
        self.path = path
        self.identity = file_identity(path)  # every write checks the file is still this one
        # Locks (triggers) another tool had dropped, put back when this store opened the file.
        self.restored_locks = restored_locks or []

    def close(self) -> None:
        self.db.close()

    # -- reading -------------------------------------------------------------------------------

    def list_reviews(self) -> list[ReviewSummary]:
        """Return every review, most recently changed first."""
        return self._summaries(
            "EXISTS (SELECT 1 FROM voids WHERE voids.review_id = reviews.id) FROM reviews"
            " ORDER BY updated_at DESC, id DESC"
        )

    def finalized_in_period(self, start: date, end: date) -> list[ReviewSummary]:
        """Finalized, not voided reviews whose period ends within ``start``..``end`` (both included).

        Ordered by employee name, then period end and id. Amended originals are still listed: the
        caller decides (``summary.drop_superseded``).
        """
        return self._summaries(
            "0 FROM reviews WHERE status = 'final' AND period_end >= ? AND period_end <= ?"
            " AND id NOT IN (SELECT review_id FROM voids)"
            " ORDER BY employee_name COLLATE NOCASE, period_end, id",
            [_iso(start), _iso(end)],
        )

    def superseded_ids(self) -> set[int]:
        """Ids of reviews that a finalized, not voided amendment replaces, whatever period it now has."""
        rows = self._query(
            "SELECT supersedes_id FROM reviews WHERE status = 'final' AND supersedes_id IS NOT NULL"
            " AND id NOT IN (SELECT review_id FROM voids)"
        )
        return {r["supersedes_id"] for r in rows}

    def _summaries(self, voided_and_rest: str, params: list | None = None) -> list[ReviewSummary]:
        """ReviewSummary rows: the summary columns, then ``voided_and_rest`` (the voided flag, FROM …)."""
        rows = query_tuples(
            self.db.conn, self.path,
            "SELECT id, status, employee_name, employee_number, classification, location, review_type,"
            " period_start, period_end, updated_at, version, supersedes_id, " + voided_and_rest,
            params,
        )
        return [
            ReviewSummary(
                rid, status, name or "", number or "", classification or "", location or "", kind,
                _date(start), _date(end), _datetime(updated), version or 1, supersedes, bool(voided),
            )
            for rid, status, name, number, classification, location, kind, start, end, updated, version, supersedes,
            voided in rows
        ]

    def exists(self, review_id: int) -> bool:
        return bool(self._query("SELECT 1 FROM reviews WHERE id = ?", [review_id]))

    def get(self, review_id: int) -> Review:
        rows = self._query("SELECT * FROM reviews WHERE id = ?", [review_id])
        if not rows:
            raise ReviewNotFound(f"There is no review number {review_id}.")
        r = rows[0]
        ratings = {
            row["competency_id"]: Rating(row["level"], bool(row["plus"]), row["comment"] or "")
            for row in self._query(
                "SELECT competency_id, level, plus, comment FROM ratings WHERE review_id = ?", [review_id]
            )
        }
        return Review(
            id=r["id"],
            employee=Employee(r["employee_name"] or "", r["employee_number"] or "", r["classification"] or "", r["location"] or ""),
            rater=Person(r["rater_name"] or "", r["rater_title"] or ""),
            reviewer=Person(r["reviewer_name"] or "", r["reviewer_title"] or ""),
            review_type=r["review_type"],
            period_start=_date(r["period_start"]),
            period_end=_date(r["period_end"]),
            supervisory=bool(r["supervisory"]),
            ratings=ratings,
            overall=Rating(r["overall_level"], bool(r["overall_plus"]), r["overall_comment"] or ""),
            strengths=r["strengths"] or "",
            growth_areas=r["growth_areas"] or "",
            goals=r["goals"] or "",
            employee_comments=r["employee_comments"] or "",
            status=r["status"],
            created_at=_datetime(r["created_at"]),
            updated_at=_datetime(r["updated_at"]),
            finalized_at=_datetime(r["finalized_at"]),
            framework_version=r["framework_version"],
            content_hash=r["content_hash"],
            version=r["version"] or 1,
            supersedes_id=r["supersedes_id"],
            void_reason=self._void_reason(review_id),
        )

    # -- writing -------------------------------------------------------------------------------

    def create(self, review: Review, framework: Framework | None = None) -> Review:
        """Store a new review and return it with its id and times, in one transaction.

        A review marked final (an imported one) is finalized through the same rules as the window,
        which needs ``framework``; if the rules refuse, nothing is stored.
        """
        stamp = now()
        draft = review.copy()
        draft.status = DRAFT
        draft.finalized_at = draft.framework_version = draft.content_hash = None
        done = None
        if review.is_final:
            # An exported review keeps its signature: same time, same version, same fingerprint.
            signed = review.finalized_at if review.content_hash else None
            done = finalize(framework, draft, signed or stamp, review.framework_version if signed else None)
            if signed and done.content_hash != review.content_hash:
                raise RuleError("The review's fingerprint does not match its content; it was not stored.")
        row = _header_row(draft) | {"created_at": _iso(stamp), "updated_at": _iso(stamp)}
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self._writing():
            with self.db.atomic():
                cursor = self.db.execute(f"INSERT INTO reviews ({columns}) VALUES ({marks})", list(row.values()))
                draft.id = cursor.lastrowid
                self._write_ratings(draft.id, (done or draft).ratings)
                self._log(draft.id, "created", stamp)
                if done is not None:
                    done.id = draft.id
                    self._lock(done)
                    self._log(done.id, "finalized", stamp, f"SHA-256 {done.content_hash}")
        stored = done or draft
        stored.created_at = stamp
        stored.updated_at = stored.finalized_at or stamp
        return stored

    def save(self, review: Review) -> datetime:
        """Save a whole draft (header, overall, texts and every rating) in one transaction."""
        self._check_draft(review)
        stamp = now()
        row = _header_row(review) | {"updated_at": _iso(stamp)}
        assignments = ", ".join(f"{column} = ?" for column in row)
        with self._writing():
            with self.db.atomic():
                cursor = self.db.execute(
                    f"UPDATE reviews SET {assignments} WHERE id = ? AND status = ?", [*row.values(), review.id, DRAFT]
                )
                if cursor.rowcount != 1:  # deleted or finalized elsewhere since the check above
                    raise ReviewNotFound(f"Review number {review.id} is no longer a draft in the data file.")
                self.db.execute("DELETE FROM ratings WHERE review_id = ?", [review.id])
                self._write_ratings(review.id, review.ratings)
        review.updated_at = stamp
        return stamp

    def save_rating(self, review_id: int, competency_id: str, rating: Rating) -> datetime:
        """Save one competency's rating (the autosave path of a click) in one transaction."""
        stamp = now()
        with self._writing():
            with self.db.atomic():
                self._touch(review_id, stamp)
                if rating.is_empty:
                    self.db.execute(
                        "DELETE FROM ratings WHERE review_id = ? AND competency_id = ?", [review_id, competency_id]
                    )
                else:
                    self.db.execute(
                        "INSERT INTO ratings (review_id, competency_id, level, plus, comment) VALUES (?, ?, ?, ?, ?)"
                        " ON CONFLICT (review_id, competency_id) DO UPDATE SET"
                        " level = excluded.level, plus = excluded.plus, comment = excluded.comment",
                        [review_id, competency_id, rating.level, int(rating.plus), rating.comment],
                    )
        return stamp

    def finalize(self, framework: Framework, review_id: int) -> Review:
        """Finalize and lock a review after the rules agree; raise FinalizeRefused listing what is missing."""
        done = finalize(framework, self.get(review_id), now())
        with self._writing():
            with self.db.atomic():
                # Ratings first: once the status says final, the triggers refuse every change.
                self.db.execute("DELETE FROM ratings WHERE review_id = ?", [review_id])
                self._write_ratings(review_id, done.ratings)
                self._lock(done)
                self._log(review_id, "finalized", done.finalized_at, f"SHA-256 {done.content_hash}")
        done.updated_at = done.finalized_at
        return done

    def amend(self, review_id: int, reason: str) -> Review:
        """Open a finalized review again as a new draft version; the original stays exactly as it was."""
        reason = lifecycle_reason(reason, "amended")
        original = self.get(review_id)
        if not original.is_final or original.is_void:
            raise RuleError("Only a finalized review that is not voided can be amended.")
        newer = self._query(
            "SELECT id, status FROM reviews WHERE supersedes_id = ? AND id NOT IN (SELECT review_id FROM voids)"
            " ORDER BY id LIMIT 1", [review_id],
        )
        if newer:  # two live amendments of one review would be two competing signed records
            raise RuleError(
                f"Review {review_id} already has a newer version (review {newer[0]['id']}, {newer[0]['status']}); "
                "open that one, or amend it once it is finalized."
            )
        stamp = now()
        draft = original.copy()
        draft.status, draft.finalized_at, draft.content_hash = DRAFT, None, None
        draft.framework_version, draft.void_reason = None, None
        draft.version, draft.supersedes_id = original.version + 1, original.id
        row = _header_row(draft) | {"created_at": _iso(stamp), "updated_at": _iso(stamp)}
        with self._writing():
            with self.db.atomic():
                cursor = self.db.execute(
                    f"INSERT INTO reviews ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
                )
                draft.id = cursor.lastrowid
                self._write_ratings(draft.id, draft.ratings)
                self._log(draft.id, "created", stamp, f"version {draft.version}, amending review {original.id}: {reason}")
                self._log(original.id, "amended", stamp, f"new version {draft.version} is review {draft.id}: {reason}")
        draft.created_at = draft.updated_at = stamp
        return draft

    def void(self, review_id: int, reason: str) -> Review:
        """Void a review (e.g. a practice review) with a reason; it then stays read-only for good."""
        reason = lifecycle_reason(reason, "voided")
        review = self.get(review_id)
        if review.is_void:
            raise RuleError("This review is already voided.")
        stamp = now()
        with self._writing():
            with self.db.atomic():
                self.db.execute(
                    "INSERT INTO voids (review_id, reason, voided_at) VALUES (?, ?, ?)", [review_id, reason, _iso(stamp)]
                )
                self._log(review_id, "voided", stamp, reason)
        review.void_reason = reason
        return review

    def reviews_of_employee(self, employee: Employee) -> list[Review]:
        """Every review of one employee (``employee_key``: by number when there is one, else by name), oldest first."""
        key = employee_key(employee)
        if not key[1]:
            return []  # a review with neither name nor number yet is nobody's history
        rows = query_tuples(self.db.conn, self.path,
                            "SELECT id, employee_number, employee_name FROM reviews ORDER BY period_end, id")
        return [self.get(review_id) for review_id, number, name in rows
                if employee_key(Employee(name or "", number or "")) == key]

    def finalized_matches(self, review: Review) -> list[int]:
        """Ids of finalized, not voided reviews of the same employee, type and period."""
        rows = self._query(
            "SELECT id FROM reviews WHERE status = 'final' AND employee_name = ? AND employee_number = ?"
            " AND review_type IS ? AND period_start IS ? AND period_end IS ?"
            " AND id NOT IN (SELECT review_id FROM voids) ORDER BY id",
            [review.employee.name, review.employee.employee_number, review.review_type,
             _iso(review.period_start), _iso(review.period_end)],
        )
        return [r["id"] for r in rows]

    def record_event(self, review_id: int, event: str, detail: str = "") -> None:
        """Add an entry to a review's audit log (exported, printed ...)."""
        with self._writing():
            self._log(review_id, event, now(), detail)

    def audit_log(self, review_id: int) -> list[AuditEntry]:
        rows = self._query("SELECT at, event, detail FROM audit WHERE review_id = ? ORDER BY id", [review_id])
        return [AuditEntry(_datetime(r["at"]), r["event"], r["detail"] or "") for r in rows]

    def integrity_problems(self) -> list[IntegrityProblem]:
        """Every review that is not as CPF Desktop left it: a finalized one whose content no longer
        matches its fingerprint or that has none, and a finalized one turned back into a draft."""
        problems = []
        for rid, status, name, finalized_at, stored_hash in query_tuples(
            self.db.conn, self.path,
            "SELECT id, status, employee_name, finalized_at, content_hash FROM reviews"
            " WHERE status = 'final' OR finalized_at IS NOT NULL OR content_hash IS NOT NULL ORDER BY id",
        ):
            name = name or ""
            if status != "final":
                when = f" on {finalized_at[:10]}" if finalized_at else ""
                problems.append(IntegrityProblem(rid, name, f"was finalized{when} but has been made a draft again "
                                                            "outside CPF Desktop."))
            elif stored_hash is None:
                problems.append(IntegrityProblem(rid, name, "is marked final but has no fingerprint, so it cannot be "
                                                            "verified (written outside CPF Desktop)."))
            elif stored_hash != content_hash(self.get(rid)):
                problems.append(IntegrityProblem(rid, name, "was changed after it was finalized: its content no longer "
                                                            "matches its fingerprint."))
        return problems

    def record_restore(self, detail: str) -> None:
        """Note a restore in every review's audit log."""
        stamp = now()
        with self._writing():
            with self.db.atomic():
                for row in self._query("SELECT id FROM reviews"):
                    self._log(row["id"], "restored", stamp, detail)

    def _lock(self, done: Review) -> None:
        row = _header_row(done) | {"updated_at": _iso(done.finalized_at)}
        assignments = ", ".join(f"{column} = ?" for column in row)
        self.db.execute(f"UPDATE reviews SET {assignments} WHERE id = ?", [*row.values(), done.id])

    def delete(self, review_id: int) -> None:
        """Delete a draft review; a finalized one is refused."""
        review = self.get(review_id)
        review.ensure_editable()
        with self._writing():
            with self.db.atomic():
                self.db.execute("DELETE FROM ratings WHERE review_id = ?", [review_id])
                self.db.execute("DELETE FROM audit WHERE review_id = ?", [review_id])
                self.db.execute("DELETE FROM reviews WHERE id = ?", [review_id])

    # -- helpers -------------------------------------------------------------------------------

    def _check_draft(self, review: Review) -> None:
        if review.id is None:
            raise ReviewNotFound("This review has not been stored yet.")
        rows = self._query("SELECT status FROM reviews WHERE id = ?", [review.id])
        if not rows:
            raise ReviewNotFound(f"There is no review number {review.id}.")
        if rows[0]["status"] != DRAFT:
            raise ReviewLocked("This review is finalized and locked; it can no longer be changed.")
        if self._void_reason(review.id) is not None:
            raise ReviewLocked("This review has been voided; it can no longer be changed.")

    def _void_reason(self, review_id: int) -> str | None:
        rows = self._query("SELECT reason FROM voids WHERE review_id = ?", [review_id])
        return rows[0]["reason"] if rows else None

    def _log(self, review_id: int, event: str, stamp: datetime, detail: str = "") -> None:
        self.db.execute(
            "INSERT INTO audit (review_id, at, event, detail) VALUES (?, ?, ?, ?)", [review_id, _iso(stamp), event, detail]
        )

    def _touch(self, review_id: int, stamp: datetime) -> None:
        cursor = self.db.execute(
            "UPDATE reviews SET updated_at = ? WHERE id = ? AND status = ?", [_iso(stamp), review_id, DRAFT]
        )
        if cursor.rowcount != 1:
            if self.exists(review_id):
                raise ReviewLocked("This review is finalized and locked; it can no longer be changed.")
            raise ReviewNotFound(f"There is no review number {review_id}.")

    def _write_ratings(self, review_id: int, ratings: dict[str, Rating]) -> None:
        rows = [
            (review_id, competency_id, r.level, int(r.plus), r.comment)
            for competency_id, r in ratings.items()
            if not r.is_empty
        ]
        if rows:
            self.db.conn.executemany(
                "INSERT INTO ratings (review_id, competency_id, level, plus, comment) VALUES (?, ?, ?, ?, ?)", rows
            )

    def _query(self, sql: str, params: list | None = None) -> list[dict[str, Any]]:
        return query(self.db.conn, self.path, sql, params)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Turn SQLite errors raised while writing into a StorageError with a plain sentence."""
        ensure_same_file(self.path, self.identity)
        try:
            yield
        except sqlite3.Error as exc:
            if "finalized" in str(exc) or "voided" in str(exc):
                raise ReviewLocked(describe_sqlite_error(exc, self.path)) from exc
            raise StorageError(describe_sqlite_error(exc, self.path)) from exc


def open_store(folder: Path) -> ReviewStore:
    """Open the review store of a data folder, creating the folder (private to the user) if needed."""
    try:
        ensure_private_dir(folder)
    except OSError as exc:
        raise StorageError(f"The data folder {folder} cannot be created ({exc.strerror or exc}).") from exc
    path = database_path(folder)
    db = open_database(path)
    try:
        restored = restore_missing_triggers(db)
    except sqlite3.Error as exc:
        db.close()
        raise StorageError(describe_sqlite_error(exc, path)) from exc
    return ReviewStore(db, path, restored)
