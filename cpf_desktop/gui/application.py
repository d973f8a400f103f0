"""Start the window: the Qt application, the app context and the crash hook."""
from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import QApplication

from .. import APP_NAME, __version__
from ..framework import FrameworkError, load_framework
from ..storage import StorageError, open_store
from .context import AppContext, make_settings
from .interaction import Interaction
from .main_window import MainWindow

log = logging.getLogger(__name__)
EXIT_DATA = 3


def install_crash_hook(interaction: Interaction) -> None:
    """Log an unexpected exception and show it with copyable details; never recurse.

    The data is already on disk: every change is saved as it happens.
    """
    showing = False

    def hook(exc_type, exc, tb) -> None:
        nonlocal showing
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unexpected error:\n%s", details)
        if sys.stderr is not None:
            sys.stderr.write(details)
        if showing:
            return
        showing = True
        try:
            interaction.warn(
                None, "Something went wrong",
                "CPF Desktop ran into an unexpected problem. Your work so far is saved.\n"
                "If it happens again, send the details below to your IT support.",
                details,
            )
        finally:
            showing = False

    sys.excepthook = hook


def create_window(folder: Path, interaction: Interaction | None = None) -> MainWindow:
    """Build the main window for a data folder (raises FrameworkError or StorageError)."""
    interaction = interaction or Interaction()
    framework = load_framework()
    store = open_store(folder)
    ctx = AppContext(framework, store, folder, interaction, make_settings(folder))
    return MainWindow(ctx)


def run_gui(folder: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    interaction = Interaction()
    try:
        window = create_window(folder, interaction)
    except (FrameworkError, StorageError) as exc:
        log.error("cannot start: %s", exc)
        interaction.warn(None, f"{APP_NAME} cannot start", str(exc))
        return EXIT_DATA
    install_crash_hook(interaction)
    window.show()
    window.reopen_last_review()
    status = app.exec()
    window.ctx.store.close()
    return status
