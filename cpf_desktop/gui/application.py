"""Start the window: one instance per data folder, a usable database, the crash hook, backups."""
from __future__ import annotations

import logging
import signal
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QLockFile, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from .. import APP_NAME, __version__
from ..framework import FrameworkError, load_framework
from ..instance import LOCK_NAME
from ..paths import database_path, ensure_private_dir, resource_path, risky_location
from ..storage import ReviewStore, StorageError, open_store
from ..storage.backups import make_backup, newest_good_backup, restore_backup
from ..storage.database import UnusableDatabase, disk_full_problem, read_only_problem
from .context import AppContext, make_settings
from .interaction import Interaction
from .main_window import MainWindow

log = logging.getLogger(__name__)
EXIT_ALREADY_OPEN = 1
EXIT_DATA = 3


def install_qt_translation(app: QApplication) -> QTranslator | None:
    """Qt's own buttons and dialogs (Cancel, Print ...) in the system language, where bundled."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(), "qtbase", "_", folder):
        app.installTranslator(translator)
        return translator
    return None


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


def acquire_instance_lock(folder: Path) -> QLockFile | None:
    """Lock the data folder for this process; None when another CPF Desktop holds it.

    A lock left by a crashed process is detected (its process is gone) and taken over.
    """
    lock = QLockFile(str(folder / LOCK_NAME))
    lock.setStaleLockTime(0)  # never judge a lock by its age: a window may stay open for days
    if lock.tryLock(0):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None
    raise StorageError(disk_full_problem(folder) or f"The data folder {folder} cannot be locked: it may be read-only.")


def open_store_or_recover(folder: Path, interaction: Interaction) -> ReviewStore | None:
    """Open the store; if the file is unusable, say so and offer the newest good backup."""
    try:
        return open_store(folder)
    except UnusableDatabase as exc:
        backup = newest_good_backup(folder)
        if backup is None:
            interaction.warn(None, f"{APP_NAME} cannot open its data", f"{exc}\n\nNo backup was found in {folder}.")
            return None
        when = f"{backup.made_at:%B %d, %Y at %H:%M}" if backup.made_at else "an unknown date"
        if not interaction.confirm(
            None, f"{APP_NAME} cannot open its data",
            f"{exc}\n\nThe newest good backup is from {when} and holds {backup.reviews} review(s) "
            f"({backup.finalized} finalized). Restore it?"
            + (" The damaged file is kept aside, not deleted." if database_path(folder).exists() else ""),
            "Restore backup",
        ):
            return None
        kept = restore_backup(backup.path, database_path(folder))
        store = open_store(folder)
        aside = f"the damaged file was kept as {kept}" if kept else "there was no data file to keep"
        store.record_restore(f"restored from {backup.path.name}; {aside}")
        log.warning("restored %s after %s; %s", backup.path, exc, aside)
        return store


def close_on_terminate(window: MainWindow) -> None:
    """Treat SIGTERM (a shutdown, a logout, IT's kill) like closing the window: typing is saved first.

    Python sees a signal only when it runs, so a light timer lets it in while Qt's loop waits.
    """
    if not hasattr(signal, "SIGTERM") or sys.platform == "win32":
        return
    signal.signal(signal.SIGTERM, lambda *_: QTimer.singleShot(0, window.close))
    heartbeat = QTimer(window)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(250)


def create_window(folder: Path, interaction: Interaction | None = None) -> MainWindow:
    """Build the main window for a data folder (raises FrameworkError or StorageError)."""
    interaction = interaction or Interaction()
    framework = load_framework()
    store = open_store(folder)
    ctx = AppContext(framework, store, folder, interaction, make_settings(folder))
    return MainWindow(ctx)


def backup_quietly(store: ReviewStore, folder: Path, label: str) -> None:
    """A rolling backup; a failure is logged, never in the supervisor's way."""
    try:
        make_backup(store.db.conn, folder, label)
    except StorageError as exc:
        log.warning("rolling backup failed: %s", exc)


def run_gui(folder: Path, interaction: Interaction | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource_path("icons", "cpf-desktop.png"))))
    install_qt_translation(app)  # the translator is parented to the app, so it lives as long
    interaction = interaction or Interaction()
    title = f"{APP_NAME} cannot start"
    try:
        ensure_private_dir(folder)
        problem = read_only_problem(database_path(folder))
        if problem:  # said plainly, before the lock file fails for the same reason
            raise StorageError(problem)
        lock = acquire_instance_lock(folder)
    except StorageError as exc:
        interaction.warn(None, title, str(exc))
        return EXIT_DATA
    except OSError as exc:
        interaction.warn(None, title, f"The data folder {folder} cannot be used: {exc}")
        return EXIT_DATA
    if lock is None:
        interaction.warn(
            None, f"{APP_NAME} is already open",
            f"{APP_NAME} is already open on this computer (data folder {folder}). "
            "Switch to that window; nothing was changed.",
        )
        return EXIT_ALREADY_OPEN
    try:
        framework = load_framework()
        store = open_store_or_recover(folder, interaction)
    except (FrameworkError, StorageError) as exc:
        log.error("cannot start: %s", exc)
        interaction.warn(None, title, str(exc))
        lock.unlock()
        return EXIT_DATA
    if store is None:
        lock.unlock()
        return EXIT_DATA
    install_crash_hook(interaction)  # first: building the window reads the data too
    window = MainWindow(AppContext(framework, store, folder, interaction, make_settings(folder)))
    close_on_terminate(window)
    window.show()
    window.reopen_last_review()
    warning = risky_location(folder)
    if warning:
        QTimer.singleShot(0, lambda: interaction.warn(
            window, "Data folder not on this computer's own disk",
            f"{warning} SQLite, which keeps your reviews, can lose changes there. Ask IT to move the data "
            "folder to the local disk (or start CPF Desktop with --data-dir pointing there).",
        ))
    QTimer.singleShot(0, lambda: backup_quietly(store, folder, "start"))  # after the window is up
    status = app.exec()
    backup_quietly(store, folder, "exit")
    store.close()
    lock.unlock()
    return status
