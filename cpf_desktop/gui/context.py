"""What every widget needs, passed explicitly instead of module globals."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

from ..framework import Framework
from ..paths import settings_path
from ..storage import ReviewStore
from .interaction import Interaction


@dataclass
class AppContext:
    framework: Framework
    store: ReviewStore
    data_folder: Path
    interaction: Interaction
    settings: QSettings


def make_settings(data_folder: Path) -> QSettings:
    """Window geometry and the last review live beside the data, so --data-dir keeps them apart."""
    return QSettings(str(settings_path(data_folder)), QSettings.Format.IniFormat)
