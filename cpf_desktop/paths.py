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
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` if needed, readable by the current user only (personnel records)."""
    path.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass  # e.g. a folder owned by someone else; opening the database will say what is wrong
    return path


def database_path(folder: Path) -> Path:
    return folder / DATABASE_NAME


def settings_path(folder: Path) -> Path:
    return folder / SETTINGS_NAME


def log_dir(folder: Path) -> Path:
    """Return the log folder; logs sit with the data they describe, so an override keeps both together."""
    return folder / "logs"
