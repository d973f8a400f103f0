"""Where things live: the per-user data folder, the log folder and bundled resources.

Every path the program reads or writes is resolved here, so a frozen build (PyInstaller sets
``sys._MEIPASS``) and the ``--data-dir`` / ``CPF_DATA_DIR`` override for tests and IT staff
behave the same everywhere. Nothing is ever written beside the executable.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

DATA_DIR_ENV = "CPF_DATA_DIR"
DATABASE_NAME = "cpf-desktop.sqlite3"
SETTINGS_NAME = "settings.ini"
_APP_DIR_NAME = "CPF Desktop"


def resource_root() -> Path:
    """Return the folder holding the bundled resources (framework.json, fonts, icons)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Return the path of one bundled resource, e.g. ``resource_path("fonts", "DejaVuSans.ttf")``."""
    return resource_root().joinpath(*parts)


def default_data_dir() -> Path:
    """Return the per-user data folder (e.g. %LOCALAPPDATA%\\CPF Desktop on Windows)."""
    from platformdirs import user_data_path

    return user_data_path(_APP_DIR_NAME, appauthor=False, roaming=False)


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """Return the data folder: the explicit override, then $CPF_DATA_DIR, then the per-user folder."""
    if override is not None:
        if not str(override).strip():
            raise ValueError("--data-dir needs a folder name (it was empty).")
        return Path(override).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` if needed, readable by the current user only (personnel records).

    A folder that already exists keeps its permissions: IT may point ``--data-dir`` at a folder
    others share, and the files we write in it are private anyway.
    """
    if not path.is_dir():
        if path.exists():
            raise NotADirectoryError(20, "it is a file, not a folder", str(path))
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask
        except OSError:
            pass
    return path


def database_path(folder: Path) -> Path:
    return folder / DATABASE_NAME


def settings_path(folder: Path) -> Path:
    return folder / SETTINGS_NAME


def log_dir(folder: Path) -> Path:
    """Return the log folder; logs sit with the data they describe, so an override keeps both together."""
    return folder / "logs"


_SYNCED_MARKERS = {
    "onedrive": "OneDrive", "dropbox": "Dropbox", "google drive": "Google Drive", "googledrive": "Google Drive",
    "icloud": "iCloud", "box sync": "Box", "nextcloud": "Nextcloud", "owncloud": "ownCloud",
}
_NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "sshfs", "fuse.sshfs", "9p", "afs", "davfs", "fuse.davfs2"}


def _mount_type(path: Path, mounts_file: Path = Path("/proc/mounts")) -> str:
    """Return the file-system type of the mount holding ``path`` (Linux), or ""."""
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    best, kind = "", ""
    target = str(path)
    for line in lines:
        parts = line.split()
        if len(parts) >= 3:
            mount_point = parts[1].replace("\\040", " ")
            inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
            if inside and len(mount_point) > len(best):
                best, kind = mount_point, parts[2]
    return kind


def risky_location(folder: Path) -> str | None:
    """Say why ``folder`` is a bad home for an SQLite file (synced or network), or None if it is fine."""
    text = str(folder)
    lowered = text.lower()
    if text.startswith(("\\\\", "//")):
        return f"The data folder {folder} is on a network share."
    for marker, service in _SYNCED_MARKERS.items():
        if marker in lowered:
            return f"The data folder {folder} is inside a synced folder ({service})."
    if sys.platform.startswith("linux") and _mount_type(folder) in _NETWORK_FILESYSTEMS:
        return f"The data folder {folder} is on a network drive."
    return None
