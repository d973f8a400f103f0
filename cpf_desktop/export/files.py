"""Writing an exported file safely: a temporary file in the same folder, then an atomic replace.

A target open in another program (a PDF viewer on Windows) or a read-only folder gives a sentence
that says so, and the old file stays as it was; no partial file is ever left behind.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


class FileWriteError(Exception):
    """The file could not be written; the message is for the user."""


# The first bytes of an SQLite database, of its write-ahead log (two byte orders) and of its rollback
# journal: an export must never replace the data file, a backup or their companions.
_DATABASE_MAGIC = (b"SQLite format 3\x00", b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83",
                   b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7")
_COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


def is_database_file(path: Path) -> bool:
    """Whether ``path`` is an SQLite database (ours or any other program's) or one of its side files."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        head = b""
    if any(head.startswith(magic) for magic in _DATABASE_MAGIC):
        return True
    name = path.name
    for suffix in _COMPANION_SUFFIXES:  # a -wal written by us would be read by SQLite as the database's log
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return is_database_file(path.with_name(name[: -len(suffix)]))
    return False


def _checked_target(target: Path) -> Path:
    """The file to write (a link's target), or a FileWriteError for what must not be written or replaced."""
    if target.is_symlink():
        target = target.resolve()  # write the file the link points to; never replace the link itself
    if target.exists() and not target.is_file() and not target.is_dir():
        raise FileWriteError(f"Could not write {target}: it is not an ordinary file (a device or pipe).")
    if not target.parent.is_dir():
        raise FileWriteError(f"Could not write {target}: the folder {target.parent} does not exist.")
    if target.is_dir():
        raise FileWriteError(f"Could not write {target}: that is a folder. Choose a file name.")
    if is_database_file(target):  # also a -wal/-shm beside a database that does not exist yet
        raise FileWriteError(
            f"{target} is a database file (CPF Desktop's data or a backup); an export never replaces it. "
            "Choose another file name; nothing was changed."
        )
    return target


def write_file_atomically(target: Path | str, data: bytes) -> None:
    """Write ``data`` to ``target`` (readable by the user only) so that it is whole or untouched."""
    target = Path(target)
    try:
        target = _checked_target(target)
        folder = target.parent
        handle = tempfile.NamedTemporaryFile(dir=folder, prefix=f".{target.name}.", suffix=".part", delete=False)
    except PermissionError as exc:
        raise FileWriteError(
            f"Could not write {target}: the folder {target.parent} is read-only or you may not write there. "
            "Choose another folder and try again."
        ) from exc
    except OSError as exc:  # a name too long for the system, a read-only disk …
        raise FileWriteError(f"Could not write {target}: {exc.strerror or exc}. Choose a shorter name or "
                             "another folder; nothing was written.") from exc
    temp = Path(handle.name)
    replacing = False
    try:
        with handle:
            os.chmod(temp, 0o600)  # personnel records: readable by the user only
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        replacing = True
        os.replace(temp, target)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        if replacing and isinstance(exc, PermissionError):
            raise FileWriteError(
                f"Could not write {target}: the file may be open in another program (a PDF viewer?). "
                "Close it and try again; the old file is unchanged."
            ) from exc
        reason = exc.strerror or str(exc)
        unchanged = " The old file is unchanged." if target.exists() else ""
        raise FileWriteError(f"Could not write {target}: {reason}.{unchanged}") from exc
