"""Backups of the review database: consistent copies made with SQLite's backup API.

A live database is never copied as a file (a copy taken mid-write can be torn). Rolling backups
live in ``<data folder>/backups``: the newest one of each day for 14 days, and always the last 5.
"""
from __future__ import annotations

import logging
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from ..paths import ensure_private_dir
from .database import SCHEMA_VERSION, StorageError, describe_sqlite_error

log = logging.getLogger(__name__)

BACKUP_DIR_NAME = "backups"
KEEP_DAYS = 14
KEEP_LAST = 5
_NAME = re.compile(r"^cpf-desktop-(\d{8})-(\d{6})(?:-[\w-]+)?\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, as shown before a restore."""

    path: Path
    made_at: datetime | None
    reviews: int
    finalized: int
    usable: bool
    problem: str = ""


def backup_dir(data_folder: Path) -> Path:
    return data_folder / BACKUP_DIR_NAME


def copy_database(source: sqlite3.Connection, target: Path) -> Path:
    """Write a consistent copy of ``source`` to ``target`` (0600), whole or not at all."""
    target = Path(target)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    temp = Path(temp_name)
    try:
        os.chmod(temp, 0o600)
        dest = sqlite3.connect(temp)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
        finally:
            dest.close()
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


def write_backup(source: sqlite3.Connection, target: Path, database: Path) -> Path:
    """Write a backup where the user chose (e.g. a USB stick); refuse what would harm the data.

    Never the data file itself or its companions, never over a device or folder; every refusal or
    failure is a StorageError whose message is for the user.
    """
    target = Path(target)
    if target.is_dir():
        raise StorageError(f"{target} is a folder; give the backup a file name, e.g. {target / 'cpf-backup.sqlite3'}.")
    if not target.parent.is_dir():
        raise StorageError(f"Could not write {target}: the folder {target.parent} does not exist.")
    if same_file(target, database):
        raise StorageError(f"{target} is the data file itself; choose another name for the backup.")
    if target.exists() and not target.is_file():
        raise StorageError(f"Could not write {target}: it is not an ordinary file (a device or pipe).")
    if target.exists() and not inspect_backup(target).usable:  # an older backup may be replaced; nothing else
        raise StorageError(f"{target} already exists and is not a CPF Desktop backup; choose another name, "
                           "nothing was changed.")
    try:
        return copy_database(source, target)
    except PermissionError as exc:
        raise StorageError(f"Could not write the backup {target}: the folder is read-only or you may not write "
                           "there. Choose another folder.") from exc
    except OSError as exc:
        raise StorageError(f"Could not write the backup {target}: {exc.strerror or exc}. "
                           "Nothing was written; choose another place.") from exc
    except sqlite3.Error as exc:
        raise StorageError(f"Could not write the backup {target}: {describe_sqlite_error(exc, target)}") from exc


def make_backup(source: sqlite3.Connection, data_folder: Path, label: str = "", now: datetime | None = None) -> Path:
    """Make a rolling backup in the data folder's backups/ and prune old ones; return its path."""
    now = now or datetime.now()
    folder = ensure_private_dir(backup_dir(data_folder))
    suffix = f"-{label}" if label else ""
    target = folder / f"cpf-desktop-{now:%Y%m%d-%H%M%S}{suffix}.sqlite3"
    try:
        copy_database(source, target)
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(f"The backup could not be written to {folder}: {exc}.") from exc
    prune_backups(folder, now.date())
    return target


def _stamp(path: Path) -> datetime | None:
    match = _NAME.match(path.name)
    if not match:
        return None
    return datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")


def list_backups(data_folder: Path) -> list[Path]:
    """Return the rolling backups, newest first."""
    folder = backup_dir(data_folder)
    if not folder.is_dir():
        return []
    found = [(stamp, p) for p in folder.iterdir() if (stamp := _stamp(p)) is not None]
    return [p for _, p in sorted(found, reverse=True)]


def prune_backups(folder: Path, today: date) -> list[Path]:
    """Keep the last KEEP_LAST backups and the newest of each of the last KEEP_DAYS days; remove the rest."""
    dated = sorted(((s, p) for p in folder.iterdir() if (s := _stamp(p)) is not None), reverse=True)
    keep = {p for _, p in dated[:KEEP_LAST]}
    seen_days: set[date] = set()
    for stamp, path in dated:
        if stamp.date() > today - timedelta(days=KEEP_DAYS) and stamp.date() not in seen_days:
            seen_days.add(stamp.date())
            keep.add(path)
    removed = []
    for _, path in dated:
        if path not in keep:
            try:
                path.unlink()
                removed.append(path)
            except OSError as exc:
                log.warning("could not remove old backup %s: %s", path, exc)
    return removed


def inspect_backup(path: Path) -> BackupInfo:
    """Open a backup read-only and say what it holds (never changes the file)."""
    path = Path(path)
    made_at = _stamp(path) or (datetime.fromtimestamp(path.stat().st_mtime) if path.exists() else None)
    if not path.is_file():
        return BackupInfo(path, None, 0, 0, False, f"{path} does not exist or is not a file.")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return BackupInfo(path, made_at, 0, 0, False, describe_sqlite_error(exc, path))
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            return BackupInfo(path, made_at, 0, 0, False, f"{path} is damaged ({check}).")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            return BackupInfo(path, made_at, 0, 0, False,
                              f"{path} was written by a newer version of CPF Desktop (schema {version}); "
                              f"this program knows schema {SCHEMA_VERSION}. Please update CPF Desktop first.")
        if version < 1 or not {"reviews", "ratings"} <= tables:
            return BackupInfo(path, made_at, 0, 0, False, f"{path} is not a CPF Desktop backup.")
        total, final = conn.execute(
            "SELECT count(*), coalesce(sum(status = 'final'), 0) FROM reviews"
        ).fetchone()
        return BackupInfo(path, made_at, total, final, True)
    except sqlite3.OperationalError as exc:  # the disk or a lock, not the file's content
        return BackupInfo(path, made_at, 0, 0, False, describe_sqlite_error(exc, path))
    except sqlite3.DatabaseError:
        return BackupInfo(path, made_at, 0, 0, False,
                          f"{path} is not a CPF Desktop backup: it is damaged or not a database file at all.")
    finally:
        conn.close()


def newest_good_backup(data_folder: Path) -> BackupInfo | None:
    for path in list_backups(data_folder):
        info = inspect_backup(path)
        if info.usable:
            return info
    return None


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (or ``a`` is ``b``'s -wal/-shm companion)."""
    a, b = Path(a), Path(b)
    for candidate in (b, Path(f"{b}-wal"), Path(f"{b}-shm")):
        try:
            if a.resolve() == candidate.resolve() or (a.exists() and candidate.exists() and a.samefile(candidate)):
                return True
        except OSError:
            continue
    return False


def restore_backup(backup: Path, database: Path, now: datetime | None = None) -> Path | None:
    """Replace ``database`` with a copy of ``backup``; the current file is kept aside first.

    The copy is made and checked beside the database before anything is moved, so a backup that
    cannot be read (a pulled USB stick, a full disk) leaves the current file where it was. The
    caller must have closed its own connection. Returns where the old file was kept (None if
    there was none). The backup file itself is never changed.
    """
    database = Path(database)
    if same_file(backup, database):
        raise StorageError(f"{backup} is the data file itself, not a backup; nothing was changed.")
    info = inspect_backup(backup)
    if not info.usable:
        raise StorageError(f"That backup cannot be restored: {info.problem}")
    now = now or datetime.now()
    staged = database.with_name(f".{database.name}.restoring")
    try:
        source = sqlite3.connect(f"{Path(backup).resolve().as_uri()}?mode=ro", uri=True)
        try:
            copy_database(source, staged)
        finally:
            source.close()
    except (OSError, sqlite3.Error) as exc:
        staged.unlink(missing_ok=True)
        raise StorageError(f"The backup could not be restored ({exc}); the data file was not changed.") from exc
    kept = None
    moved: list[tuple[Path, Path]] = []
    try:
        if database.exists():
            kept = database.with_name(f"{database.name}.before-restore-{now:%Y%m%d-%H%M%S}")
            # Keep the current file exactly as it is (it may be damaged: no SQLite involved), with its
            # WAL beside it so nothing committed is lost.
            for extra in ("", "-wal", "-shm"):
                side = Path(f"{database}{extra}")
                if side.exists():
                    os.replace(side, Path(f"{kept}{extra}"))
                    moved.append((Path(f"{kept}{extra}"), side))
        os.replace(staged, database)
    except OSError as exc:
        for aside, original in reversed(moved):  # put the current file back as it was
            os.replace(aside, original)
        staged.unlink(missing_ok=True)
        raise StorageError(f"The backup could not be restored ({exc.strerror or exc}); the data file was not changed.") from exc
    return kept
