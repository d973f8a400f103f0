"""Reading a file the user named (a review, a roster) without ever reading forever.

A device (/dev/zero), a pipe or a socket is refused before anything is read: reading one may
never end. A regular file is read to at most its limit plus one byte, so a file that grows while
it is read, or reports a wrong size, still cannot fill the memory.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path


class NotARegularFile(OSError):
    """The path is a device, a pipe or a socket: something that is not a file and may never end."""


class UnreadableFile(Exception):
    """A file the user named cannot be used; the message is a sentence for them (without the file's name)."""


def read_user_file(path: Path, limit: int, kind: str) -> bytes:
    """The bytes of a file the user named (a review file, a roster file …), at most ``limit`` of them.

    Raises UnreadableFile with a sentence for a device or pipe, a folder, a file over the limit
    (also one that grows while it is read) or one that cannot be read.
    """
    megabytes = f"{limit // 1_000_000} MB"
    try:
        size = Path(path).stat().st_size  # a pipe says 0: read_at_most refuses it before reading
        if size > limit:
            raise UnreadableFile(f"the file is {size / 1_000_000:.0f} MB; {kind} is at most {megabytes}. "
                                 "Is it the right file?")
        data = read_at_most(path, limit)
    except NotARegularFile:
        raise UnreadableFile(f"this is a device or a pipe, not {kind}; give the path of the file.") from None
    except IsADirectoryError:
        raise UnreadableFile(f"this is a folder, not {kind}.") from None
    except OSError as exc:
        raise UnreadableFile(f"the file could not be read ({exc.strerror or exc}).") from exc
    if len(data) > limit:
        raise UnreadableFile(f"the file is larger than {megabytes}; {kind} is at most {megabytes}. "
                             "Is it the right file?")
    return data


def is_device_or_pipe(path: Path) -> bool:
    """True for something that exists but is neither a folder nor a regular file (checked without opening it)."""
    path = Path(path)
    return path.exists() and not path.is_dir() and not path.is_file()


def read_at_most(path: Path, limit: int) -> bytes:
    """Return the file's first ``limit + 1`` bytes at most (more than ``limit`` means: too large).

    Raises NotARegularFile for a device, pipe or socket, IsADirectoryError for a folder, and the
    usual OSError when the file cannot be opened. The check is made again on the opened file, so a
    file swapped for a pipe in between is refused too (opened without waiting for a writer).
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    if is_device_or_pipe(path):
        raise NotARegularFile(f"{path} is a device or a pipe")
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise NotARegularFile(f"{path} is a device or a pipe")
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        return handle.read(limit + 1)
