"""Opening the database: verified pragmas, numbered migrations, private file permissions."""
from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import sys
from pathlib import Path


def _import_sqlite_utils():
    """sqlite-utils, without numpy and pandas: it imports them if installed only to map their types,
    which we never store; on a machine that has them that was 90 ms of every start-up."""
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # makes ``import numpy`` raise ImportError, which sqlite-utils expects
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            del sys.modules[name]
    return sqlite_utils


sqlite_utils = _import_sqlite_utils()

log = logging.getLogger(__name__)


class StorageError(Exception):
    """The database cannot do what was asked; the message is a sentence for the user."""


class DataFileLost(StorageError):
    """The data file was deleted, moved or replaced under an open connection: no later save can reach it."""


class UnusableDatabase(StorageError):
    """The data file is damaged, foreign or from a newer program; it was not changed in any way."""

    def __init__(self, message: str, path: Path):
        super().__init__(message)
        self.path = path


def disk_full_problem(folder: Path | str) -> str | None:
    """A sentence if the disk holding ``folder`` is (nearly) full.

    SQLite reports a full disk as a plain I/O error when it cannot even create its -shm file, and
    a lock file fails the same way, so the free space is asked for.
    """
    try:
        full = shutil.disk_usage(folder).free < 1_000_000
    except OSError:
        return None
    if not full:
        return None
    return (f"The disk that holds {folder} is full, so CPF Desktop could not save there. "
            "Free some space on the disk and try again.")


def describe_sqlite_error(exc: sqlite3.Error, path: Path | str) -> str:
    """Turn an SQLite error into a sentence a supervisor understands."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return f"The data file {path} cannot be written: the folder or file is read-only."
    full = disk_full_problem(Path(path).parent) if "disk" in text else None
    if full and ("disk is full" in text or "disk i/o error" in text):
        return full
    if "disk is full" in text:
        return "The disk is full, so CPF Desktop could not save. Free some space on the disk and try again."
    if "disk i/o error" in text:
        return f"The disk reported an error while CPF Desktop used {path}. Try again; if it happens again, ask IT to check the disk."
    if "locked" in text or "busy" in text:
        return f"The data file {path} is in use by another program. Close it and try again."
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return f"The data file {path} is damaged or is not a CPF Desktop database."
    if "finalized" in text:
        return "This review is finalized and locked; it can no longer be changed."
    if "voided" in text or "void is permanent" in text:
        return "This review has been voided; it can no longer be changed."
    if "unable to open" in text:
        return f"The data file {path} cannot be opened (check that the folder exists and is yours)."
    return f"The data file {path} reported an error: {exc}."


def file_identity(path: Path) -> tuple[int, int] | None:
    """The data file's (device, inode): which file the connection has open, whatever its name now says.

    None when the system would not say; writes are then not checked.
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def ensure_same_file(path: Path, opened: tuple[int, int] | None) -> None:
    """Refuse to write when the data file was deleted, moved or replaced since it was opened.

    SQLite keeps writing to the open (now nameless) file and reports success, so every change would
    vanish at the next start: say so instead, while what the user typed is still in the window.
    """
    if opened is None:
        return
    try:
        st = os.stat(path)
    except FileNotFoundError:
        pass  # gone: say so below
    except OSError:
        return  # a passing refusal (antivirus, a network drive's hiccup): let SQLite try, and say what it says
    else:
        if (st.st_dev, st.st_ino) == opened:
            return
    raise DataFileLost(
        f"The data file {path} was moved, replaced or deleted by another program while CPF Desktop was open, "
        "so this change could not be saved. What you typed is still in the window. Close CPF Desktop and "
        "start it again; it will offer the newest backup if the file is gone."
    )


def query(conn: sqlite3.Connection, path: Path, sql: str, params: list | None = None) -> list[dict]:
    """Run a read and return its rows as dictionaries; an SQLite error becomes a plain sentence."""
    try:
        cursor = conn.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    except sqlite3.Error as exc:
        raise StorageError(describe_sqlite_error(exc, path)) from exc


def query_tuples(conn: sqlite3.Connection, path: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Like ``query``, as plain tuples: for reads of thousands of rows, where dictionaries cost."""
    try:
        return conn.execute(sql, params or []).fetchall()
    except sqlite3.Error as exc:
        raise StorageError(describe_sqlite_error(exc, path)) from exc


_FINAL = "BEGIN SELECT RAISE(ABORT, 'review is finalized'); END"
_VOIDED = "BEGIN SELECT RAISE(ABORT, 'review is voided'); END"
# Every lock the database keeps, by the migration that made it. A missing one (dropped by another
# tool) is put back when the file is opened: see ``restore_missing_triggers``.
TRIGGERS: dict[int, dict[str, str]] = {
    1: {
        "reviews_final_locked": f"BEFORE UPDATE ON reviews WHEN OLD.status = 'final' {_FINAL}",
        "reviews_final_undeletable": f"BEFORE DELETE ON reviews WHEN OLD.status = 'final' {_FINAL}",
        "ratings_final_no_insert": "BEFORE INSERT ON ratings "
        f"WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'final' {_FINAL}",
        "ratings_final_no_update": "BEFORE UPDATE ON ratings "
        f"WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final' {_FINAL}",
        "ratings_final_no_delete": "BEFORE DELETE ON ratings "
        f"WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final' {_FINAL}",
    },
    2: {
        "reviews_void_locked": "BEFORE UPDATE ON reviews "
        f"WHEN EXISTS (SELECT 1 FROM voids WHERE review_id = OLD.id) {_VOIDED}",
        "ratings_void_locked_insert": "BEFORE INSERT ON ratings "
        f"WHEN EXISTS (SELECT 1 FROM voids WHERE review_id = NEW.review_id) {_VOIDED}",
        "ratings_void_locked_update": "BEFORE UPDATE ON ratings "
        f"WHEN EXISTS (SELECT 1 FROM voids WHERE review_id = OLD.review_id) {_VOIDED}",
        "ratings_void_locked_delete": "BEFORE DELETE ON ratings "
        f"WHEN EXISTS (SELECT 1 FROM voids WHERE review_id = OLD.review_id) {_VOIDED}",
        "voids_permanent_update": "BEFORE UPDATE ON voids BEGIN SELECT RAISE(ABORT, 'a void is permanent'); END",
        "voids_permanent_delete": "BEFORE DELETE ON voids BEGIN SELECT RAISE(ABORT, 'a void is permanent'); END",
    },
    4: {
        # A review becomes final only with its fingerprint, so verify can always check it.
        "reviews_final_needs_fingerprint_insert": "BEFORE INSERT ON reviews "
        "WHEN NEW.status = 'final' AND NEW.content_hash IS NULL "
        "BEGIN SELECT RAISE(ABORT, 'a finalized review needs its fingerprint'); END",
        "reviews_final_needs_fingerprint_update": "BEFORE UPDATE ON reviews "
        "WHEN NEW.status = 'final' AND NEW.content_hash IS NULL "
        "BEGIN SELECT RAISE(ABORT, 'a finalized review needs its fingerprint'); END",
        # The audit log only grows; a finalized or voided review's entries stay with it.
        "audit_append_only": "BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END",
        "audit_kept_for_records": "BEFORE DELETE ON audit WHEN EXISTS (SELECT 1 FROM reviews WHERE id = OLD.review_id "
        "AND (status = 'final' OR id IN (SELECT review_id FROM voids))) "
        "BEGIN SELECT RAISE(ABORT, 'the audit log of a finalized review cannot be changed'); END",
    },
}


def _create_triggers(db: sqlite_utils.Database, migration: int) -> None:
    for name, body in TRIGGERS[migration].items():
        db.execute(f"CREATE TRIGGER {name} {body}")


def restore_missing_triggers(db: sqlite_utils.Database) -> list[str]:
    """Put back any lock another tool dropped; return the names put back (logged as a warning)."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    missing = [(name, body) for number, triggers in TRIGGERS.items() if number <= version
               for name, body in triggers.items() if name not in present]
    if missing:
        with db.atomic():
            for name, body in missing:
                db.execute(f"CREATE TRIGGER {name} {body}")
        log.warning("the data file's locks %s had been removed by another program; they were put back",
                    ", ".join(name for name, _ in missing))
    return [name for name, _ in missing]


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
    _create_triggers(db, 1)


def _migration_2(db: sqlite_utils.Database) -> None:
    """Integrity and lifecycle: the finalized content's hash, amendments, voids and an audit log."""
    reviews = db["reviews"]
    reviews.add_column("content_hash", str)
    reviews.add_column("version", int, not_null_default=1)
    reviews.add_column("supersedes_id", int)
    # Voids and the audit log live beside the reviews: a finalized row is never updated, so its
    # hash keeps verifying after it is voided or amended.
    db["voids"].create(
        {"review_id": int, "reason": str, "voided_at": str},
        pk="review_id",
        foreign_keys=[("review_id", "reviews", "id")],
        not_null={"reason", "voided_at"},
    )
    db["audit"].create(
        {"id": int, "review_id": int, "at": str, "event": str, "detail": str},
        pk="id",
        not_null={"review_id", "at", "event"},
        defaults={"detail": ""},
    )
    db["audit"].create_index(["review_id"])
    # A voided review is a record too: the database refuses changes to it, as to a finalized one.
    _create_triggers(db, 2)


def _migration_3(db: sqlite_utils.Database) -> None:
    """The roster: employees a new review can start from.

    A review copies the employee's fields when it starts and never points at this table, so a later
    roster change or a typo fixed here never alters a review, and a finalized one least of all.
    """
    db["employees"].create(
        {
            "id": int,
            "employee_number": str,
            "name": str,
            "classification": str,
            "location": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"employee_number", "name", "classification", "location", "created_at", "updated_at"},
        defaults={"classification": "", "location": ""},
    )
    db["employees"].create_index(["employee_number"], unique=True)
    db["employees"].create_index(["name"])


def _migration_4(db: sqlite_utils.Database) -> None:
    """Locks that close gaps an outside tool could use: final rows without a fingerprint, and the audit log."""
    _create_triggers(db, 4)


MIGRATIONS = [_migration_1, _migration_2, _migration_3, _migration_4]
SCHEMA_VERSION = len(MIGRATIONS)
# The tables a CPF Desktop file of each schema version has: a file claiming a version without them
# is another program's, and is refused before anything (even the journal mode) is written to it.
TABLES_BY_VERSION = {1: {"reviews", "ratings"}, 2: {"reviews", "ratings", "voids", "audit"}}
TABLES_BY_VERSION[3] = TABLES_BY_VERSION[4] = TABLES_BY_VERSION[2] | {"employees"}


def _make_private(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if p.exists():
                os.chmod(p, 0o600)
        except OSError:
            pass


def _check_usable(conn: sqlite3.Connection, path: Path) -> int:
    """Refuse a damaged, foreign or newer file before anything is written to it; return its schema version."""
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.OperationalError as exc:  # the disk or the folder, not the file: a full disk, a lock, an I/O error
        raise StorageError(describe_sqlite_error(exc, path)) from exc
    except sqlite3.DatabaseError as exc:
        raise UnusableDatabase(
            f"The data file {path} is damaged or is not a CPF Desktop database ({exc}). "
            "It has not been changed.", path,
        ) from exc
    if check != "ok":
        raise UnusableDatabase(f"The data file {path} is damaged ({check}). It has not been changed.", path)
    if version < 0 or (version == 0 and tables):
        raise UnusableDatabase(
            f"The file {path} is an SQLite database of another program, not CPF Desktop's. It has not been changed.",
            path,
        )
    # A newer CPF Desktop may have reshaped its tables; it keeps "reviews". Ours must have them all.
    expected = {"reviews"} if version > SCHEMA_VERSION else TABLES_BY_VERSION.get(version, set())
    missing = expected - tables
    if missing:  # another program's file that happens to set user_version too
        raise UnusableDatabase(
            f"The file {path} is an SQLite database of another program, not CPF Desktop's "
            f"(it has no {', '.join(sorted(missing))} table). It has not been changed.",
            path,
        )
    if version > SCHEMA_VERSION:
        raise UnusableDatabase(
            f"This data file was written by a newer version of CPF Desktop (schema {version}); "
            f"this program knows schema {SCHEMA_VERSION}. Please update CPF Desktop. The file has not been changed.",
            path,
        )
    return version


def read_only_problem(path: Path) -> str | None:
    """A sentence if the data file's folder (or the file) cannot be written: a read-only disk, share or folder.

    Asked before SQLite opens the file: on a read-only folder it fails with "unable to open", which
    must not read as a damaged file. ``os.access`` alone is not enough for root, hence ``statvfs``.
    """
    path = Path(path)
    folder = path.parent
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs on Windows
        read_only = False
    if read_only or not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return (
            f"The data folder {folder} is read-only, so CPF Desktop cannot keep its reviews there; "
            "nothing in it has been changed. Use a folder you can write to, or ask IT to make this one writable."
        )
    return None


def _lost_file(path: Path) -> str | None:
    """Why the data file looks lost, not new: missing or 0 bytes while backups holding reviews exist.

    SQLite would quietly start a new empty database (a deleted or emptied file after a failed disk,
    a sync tool or another program), and the next rolling backups would push the good ones out.
    """
    if path.is_file() and (path.stat().st_size > 0 or Path(f"{path}-wal").exists()):
        return None
    if path.exists() and not path.is_file():
        return None  # a folder or device: SQLite's own error says so
    from .backups import inspect_backup, list_backups  # backups imports this module

    if not any((info := inspect_backup(p)).usable and info.reviews > 0 for p in list_backups(path.parent)):
        return None
    return "is empty (0 bytes)" if path.exists() else "is missing"


def open_database(path: Path) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path``, check it, set and verify its pragmas, migrate it."""
    path = Path(path)
    problem = read_only_problem(path)
    if problem:
        raise StorageError(problem)
    lost = _lost_file(path)
    if lost:
        raise UnusableDatabase(
            f"The data file {path} {lost}, although backups of your reviews exist: it has been deleted, emptied "
            "or damaged. Nothing was changed; restore the newest backup (to start afresh instead, move the "
            "backups folder away first).", path,
        )
    try:
        # Autocommit mode: every multi-step write is an explicit ``db.atomic()`` block.
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=5.0)
    except sqlite3.Error as exc:
        raise StorageError(describe_sqlite_error(exc, path)) from exc
    try:
        version = _check_usable(conn, path)
        _make_private(path)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            log.warning("SQLite refused WAL journal mode (answered %r); using a rollback journal", mode)
        # FULL: every commit is on disk before the call returns; a supervisor's click is never lost.
        conn.execute("PRAGMA synchronous = FULL")
        if conn.execute("PRAGMA synchronous").fetchone()[0] < 2:  # 2 = FULL
            raise StorageError(f"The data file {path} refused safe-write settings (synchronous FULL).")
        # No plugins: nothing installed beside us may hook into the personnel database (and it saves
        # a scan of every installed package at start-up).
        db = sqlite_utils.Database(conn, execute_plugins=False)
        if 0 < version < SCHEMA_VERSION:
            _backup_before_migration(conn, path, version)
        _migrate(db, version)
        _make_private(path)
    except sqlite3.Error as exc:
        conn.close()
        raise StorageError(describe_sqlite_error(exc, path)) from exc
    except BaseException:
        conn.close()
        raise
    return db


def _backup_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> None:
    from .backups import make_backup  # backups imports this module

    target = make_backup(conn, path.parent, label=f"before-schema-{version + 1}")
    log.info("backed up %s to %s before migrating from schema %d", path, target, version)


def _migrate(db: sqlite_utils.Database, version: int) -> None:
    for number in range(version + 1, SCHEMA_VERSION + 1):
        with db.atomic():  # one transaction per migration: all of it or none
            MIGRATIONS[number - 1](db)
            db.execute(f"PRAGMA user_version = {number}")
        log.info("database migrated to schema %d", number)
