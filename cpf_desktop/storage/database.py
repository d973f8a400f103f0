"""Opening the database: verified pragmas, numbered migrations, private file permissions."""
from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

import sqlite_utils

log = logging.getLogger(__name__)


class StorageError(Exception):
    """The database cannot do what was asked; the message is a sentence for the user."""


def describe_sqlite_error(exc: sqlite3.Error, path: Path | str) -> str:
    """Turn an SQLite error into a sentence a supervisor understands."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return f"The data file {path} cannot be written: the folder or file is read-only."
    if "disk is full" in text or "database or disk is full" in text:
        return "The disk is full, so the change could not be saved. Free some space; your typing is still in the window."
    if "locked" in text or "busy" in text:
        return f"The data file {path} is in use by another program. Close it and try again."
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return f"The data file {path} is damaged or is not a CPF Desktop database."
    if "finalized" in text:
        return "This review is finalized and locked; it can no longer be changed."
    if "unable to open" in text:
        return f"The data file {path} cannot be opened (check that the folder exists and is yours)."
    return f"The data file {path} reported an error: {exc}."


# Each migration takes the database from version N-1 to N; never edit one that has shipped.
def _migration_1(db: sqlite_utils.Database) -> None:
    db["reviews"].create(
        {
            "id": int,
            "status": str,
            "employee_name": str,
            "employee_number": str,
            "classification": str,
            "location": str,
            "rater_name": str,
            "rater_title": str,
            "reviewer_name": str,
            "reviewer_title": str,
            "review_type": str,
            "period_start": str,
            "period_end": str,
            "supervisory": int,
            "overall_level": str,
            "overall_plus": int,
            "overall_comment": str,
            "strengths": str,
            "growth_areas": str,
            "goals": str,
            "employee_comments": str,
            "created_at": str,
            "updated_at": str,
            "finalized_at": str,
            "framework_version": str,
        },
        pk="id",
        not_null={"status", "created_at", "updated_at"},
        defaults={"status": "draft", "supervisory": 0, "overall_plus": 0},
    )
    db["ratings"].create(
        {"review_id": int, "competency_id": str, "level": str, "plus": int, "comment": str},
        pk=("review_id", "competency_id"),
        foreign_keys=[("review_id", "reviews", "id")],
        not_null={"plus"},
        defaults={"plus": 0, "comment": ""},
    )
    db["reviews"].create_index(["updated_at"])
    # The database itself keeps a finalized review locked, whatever tool writes to it.
    db.executescript(
        """
        CREATE TRIGGER reviews_final_locked BEFORE UPDATE ON reviews WHEN OLD.status = 'final'
        BEGIN SELECT RAISE(ABORT, 'review is finalized'); END;
        CREATE TRIGGER reviews_final_undeletable BEFORE DELETE ON reviews WHEN OLD.status = 'final'
        BEGIN SELECT RAISE(ABORT, 'review is finalized'); END;
        CREATE TRIGGER ratings_final_no_insert BEFORE INSERT ON ratings
        WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'final'
        BEGIN SELECT RAISE(ABORT, 'review is finalized'); END;
        CREATE TRIGGER ratings_final_no_update BEFORE UPDATE ON ratings
        WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final'
        BEGIN SELECT RAISE(ABORT, 'review is finalized'); END;
        CREATE TRIGGER ratings_final_no_delete BEFORE DELETE ON ratings
        WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final'
        BEGIN SELECT RAISE(ABORT, 'review is finalized'); END;
        """
    )


MIGRATIONS = [_migration_1]
SCHEMA_VERSION = len(MIGRATIONS)


def _make_private(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if p.exists():
                os.chmod(p, 0o600)
        except OSError:
            pass


def open_database(path: Path) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path``, set and verify its pragmas, migrate it."""
    path = Path(path)
    try:
        # Autocommit mode: every multi-step write is an explicit ``db.atomic()`` block.
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=5.0)
    except sqlite3.Error as exc:
        raise StorageError(describe_sqlite_error(exc, path)) from exc
    try:
        _make_private(path)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            log.warning("SQLite refused WAL journal mode (answered %r); using a rollback journal", mode)
        # FULL: every commit is on disk before the call returns; a supervisor's click is never lost.
        conn.execute("PRAGMA synchronous = FULL")
        db = sqlite_utils.Database(conn)
        _migrate(db)
        _make_private(path)
    except sqlite3.Error as exc:
        conn.close()
        raise StorageError(describe_sqlite_error(exc, path)) from exc
    return db


def _migrate(db: sqlite_utils.Database) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StorageError(
            f"This data file was written by a newer version of CPF Desktop (schema {version}); "
            f"this program knows schema {SCHEMA_VERSION}. Please update CPF Desktop."
        )
    for number in range(version + 1, SCHEMA_VERSION + 1):
        with db.atomic():  # one transaction per migration: all of it or none
            MIGRATIONS[number - 1](db)
            db.execute(f"PRAGMA user_version = {number}")
        log.info("database migrated to schema %d", number)
