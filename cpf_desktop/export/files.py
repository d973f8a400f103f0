"""Writing an exported file safely: a temporary file in the same folder, then an atomic replace.

A target open in another program (a PDF viewer on Windows) or a read-only folder gives a sentence
that says so, and the old file stays as it was.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


class FileWriteError(Exception):
    """The file could not be written; the message is for the user."""


def write_file_atomically(target: Path | str, data: bytes) -> None:
    """Write ``data`` to ``target`` (readable by the user only) so that it is whole or untouched."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileWriteError(f"Could not write {target}: the folder {folder} does not exist.")
    try:
        handle = tempfile.NamedTemporaryFile(dir=folder, prefix=f".{target.name}.", suffix=".tmp", delete=False)
    except OSError as exc:
        raise FileWriteError(f"Could not write {target}: the folder {folder} is read-only or not yours ({exc.strerror}).") from exc
    temp = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except PermissionError as exc:
        temp.unlink(missing_ok=True)
        raise FileWriteError(
            f"Could not write {target}: the file may be open in another program (a PDF viewer?) "
            "or the folder is read-only. Close it and try again; the old file is unchanged."
        ) from exc
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise FileWriteError(f"Could not write {target}: {exc.strerror or exc}. The old file is unchanged.") from exc
