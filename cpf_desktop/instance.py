"""Whether a CPF Desktop window holds a data folder, asked without Qt (by the command line).

The window locks the folder with Qt's QLockFile on ``LOCK_NAME``: on Linux and macOS Qt also
holds an ``flock`` on that file while the window is open, and on Windows it keeps the file open
without sharing it for writing. Either is released by the operating system when the process ends,
so a lock file left by a crash does not count as an open window.
"""
from __future__ import annotations

from pathlib import Path

LOCK_NAME = "cpf-desktop.lock"


def window_is_open(folder: Path) -> bool:
    path = Path(folder) / LOCK_NAME
    try:
        handle = open(path, "r+b")
    except FileNotFoundError:
        return False
    except PermissionError:
        return True  # Windows: the window's lock keeps the file to itself
    except OSError:
        return False
    with handle:
        try:
            import fcntl
        except ImportError:  # Windows, and the file could be opened: nobody holds it
            return False
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
