"""Faults a supervisor can meet: a second window, a damaged file, a failing disk, a synced folder."""
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from builders import complete_review
from cpf_desktop.gui.application import (
    EXIT_ALREADY_OPEN, EXIT_DATA, acquire_instance_lock, open_store_or_recover, run_gui,
)

from cpf_desktop.storage import StorageError, open_store
from cpf_desktop.storage.backups import make_backup

ROOT = Path(__file__).resolve().parents[2]


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def start_window_process(data_dir):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not (data_dir / "cpf-desktop.lock").exists():
        assert child.poll() is None, "the first window exited"
        assert time.monotonic() < deadline, "the first window never took the lock"
        time.sleep(0.05)
    return child


def test_second_instance_says_so_and_touches_nothing(qapp, data_dir, interaction):
    first = start_window_process(data_dir)
    try:
        time.sleep(0.5)  # let it finish opening the database
        before = digest(data_dir / "cpf-desktop.sqlite3")
        assert run_gui(data_dir, interaction) == EXIT_ALREADY_OPEN
        kind, title, text = interaction.last("warn")
        assert title == "CPF Desktop is already open" and "nothing was changed" in text
        assert digest(data_dir / "cpf-desktop.sqlite3") == before
    finally:
        first.terminate()
        first.wait(timeout=30)


def test_command_line_restore_refuses_while_the_window_is_open(qapp, framework, data_dir, tmp_path):
    """The window's real QLockFile is seen by the Qt-free command line: a restore under an open
    window would leave the window saving into the file kept aside."""
    store = open_store(data_dir)
    store.create(complete_review(framework))
    backup = make_backup(store.db.conn, data_dir)
    store.close()
    window = start_window_process(data_dir)
    try:
        time.sleep(0.5)
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir), "restore",
                               str(backup)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 1 and "Close its window first" in done.stderr, done.stderr
        assert not list(data_dir.glob("*.before-restore-*"))
    finally:
        window.terminate()
        window.wait(timeout=30)
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir), "restore",
                           str(backup)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "restored" in done.stdout, done.stderr


def test_lock_left_by_a_crash_does_not_block_the_next_start(qapp, data_dir):
    crashed = start_window_process(data_dir)
    crashed.send_signal(signal.SIGKILL)
    crashed.wait(timeout=30)
    assert (data_dir / "cpf-desktop.lock").exists()
    lock = acquire_instance_lock(data_dir)
    assert lock is not None
    lock.unlock()


def test_damaged_file_offers_newest_backup_and_keeps_it_aside(qapp, framework, data_dir, interaction):
    store = open_store(data_dir)
    kept_review = store.create(complete_review(framework))
    make_backup(store.db.conn, data_dir)
    store.close()
    db = data_dir / "cpf-desktop.sqlite3"
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    db.write_bytes(os.urandom(40_000))
    damaged = digest(db)

    interaction.confirm_answer = False
    assert open_store_or_recover(data_dir, interaction) is None
    kind, title, text = interaction.last("confirm")
    assert "damaged or is not a CPF Desktop database" in text and "holds 1 review(s)" in text
    assert digest(db) == damaged  # declining changes nothing

    interaction.confirm_answer = True
    store = open_store_or_recover(data_dir, interaction)
    try:
        assert store.get(kept_review.id).employee.name == "Rosa Martínez"
        assert store.audit_log(kept_review.id)[-1].event == "restored"
    finally:
        store.close()
    aside = list(data_dir.glob("cpf-desktop.sqlite3.before-restore-*"))
    assert [digest(p) for p in aside if not p.name.endswith(("-wal", "-shm"))] == [damaged]


def test_damaged_file_without_backup_is_reported(qapp, data_dir, interaction):
    data_dir.mkdir(parents=True)
    (data_dir / "cpf-desktop.sqlite3").write_bytes(b"not a database" * 500)
    assert run_gui(data_dir, interaction) == EXIT_DATA
    kind, title, text = interaction.last("warn")
    assert "cannot open its data" in title and "No backup was found" in text


@pytest.mark.parametrize("fault, words", [("read_only", "read-only"), ("fill", "full")])
def test_window_on_a_read_only_or_full_disk_says_which_and_offers_no_restore(qapp, small_disk, framework,
                                                                              interaction, fault, words):
    """A real read-only or full disk (tmpfs), with a backup there: no "damaged file", no restore offered."""
    data = small_disk.path / "data"
    store = open_store(data)
    store.create(complete_review(framework))
    make_backup(store.db.conn, data)
    store.close()
    before = digest(data / "cpf-desktop.sqlite3")
    getattr(small_disk, fault)()
    assert run_gui(data, interaction) == EXIT_DATA
    assert [kind for kind, _, _ in interaction.messages] == ["warn"]  # no "Restore backup?" question
    _, title, text = interaction.last("warn")
    assert "cannot start" in title and words in text and "damaged" not in text
    assert digest(data / "cpf-desktop.sqlite3") == before


def test_failed_save_keeps_typing_and_saves_it_later(window, qtbot, interaction, data_dir, monkeypatch):
    window.new_review()
    editor = window.editor
    editor.select("competency:attitude")
    card = editor.card("attitude")
    real_save_rating = type(window.ctx.store).save_rating

    def disk_full(self, *args):
        raise StorageError("The disk is full, so the change could not be saved.")

    monkeypatch.setattr(type(window.ctx.store), "save_rating", disk_full)
    qtbot.mouseClick(card.selector.button("effective"), Qt.MouseButton.LeftButton)
    kind, title, text = interaction.last("warn")
    assert title == "Not saved" and "disk is full" in text and "still in the window" in text
    assert editor.save_state.text().startswith("Not saved")
    assert card.selector.button("effective").isChecked()  # what the user chose is still on screen
    monkeypatch.setattr(type(window.ctx.store), "save_rating", real_save_rating)
    assert editor.flush()
    store = open_store(data_dir)
    try:
        assert store.get(editor.review.id).rating("attitude").level == "effective"
    finally:
        store.close()


def test_synced_folder_warning(qapp, tmp_path, interaction, monkeypatch):
    from cpf_desktop.gui import application

    folder = tmp_path / "OneDrive - LAUSD" / "CPF"
    monkeypatch.setattr(application.QApplication, "exec", lambda self: 0)  # do not enter the event loop
    assert run_gui(folder, interaction) == 0
    qapp.processEvents()
    warning = interaction.last("warn")
    assert warning and "synced folder (OneDrive)" in warning[2]


def test_start_and_exit_make_rolling_backups(qapp, data_dir, interaction, monkeypatch):
    from cpf_desktop.gui import application

    def run_loop(self):
        self.processEvents()  # the deferred start-up backup runs here
        return 0

    monkeypatch.setattr(application.QApplication, "exec", run_loop)
    assert run_gui(data_dir, interaction) == 0
    names = sorted(p.name for p in (data_dir / "backups").iterdir())
    assert any(n.endswith("-start.sqlite3") for n in names) and any(n.endswith("-exit.sqlite3") for n in names)


def _reachable_by_others(path: Path) -> bool:
    return all(os.stat(p).st_mode & 0o001 for p in Path(path).resolve().parents)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0 or not _reachable_by_others(sys.executable),
                    reason="drops to an unprivileged user: needs root and an interpreter other users can run")
def test_read_only_data_folder_as_another_user(tmp_path):
    folder = tmp_path / "readonly"
    folder.mkdir()
    open_store(folder).close()
    os.chmod(tmp_path, 0o755)
    os.chmod(folder, 0o755)
    for p in folder.iterdir():
        os.chmod(p, 0o644 if p.is_file() else 0o755)
    before = digest(folder / "cpf-desktop.sqlite3")

    def as_nobody():
        os.setgid(65534)
        os.setuid(65534)

    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(folder), "list"],
                          capture_output=True, text=True, timeout=60, preexec_fn=as_nobody,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "read-only" in lines[0] and "Traceback" not in done.stderr
    assert digest(folder / "cpf-desktop.sqlite3") == before


def test_read_only_database_file_gets_a_sentence(data_dir, monkeypatch, capsys):
    """A file the user may read but not write (as on a read-only folder or share), simulated for root."""
    import sqlite3

    from cpf_desktop.app import main
    from cpf_desktop.storage import database

    open_store(data_dir).close()
    before = digest(data_dir / "cpf-desktop.sqlite3")
    real_connect = sqlite3.connect

    def read_only(path, *args, **kwargs):
        return real_connect(f"{Path(path).resolve().as_uri()}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(database.sqlite3, "connect", read_only)
    assert main(["--data-dir", str(data_dir), "import-review", str(ROOT / "tests" / "fixtures" / "minimal.json")]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "read-only" in err[0]
    assert digest(data_dir / "cpf-desktop.sqlite3") == before


def test_unexpected_error_is_logged_and_shown_with_details(qapp, tmp_path, interaction, monkeypatch):
    import logging
    import stat

    from cpf_desktop.app import setup_logging
    from cpf_desktop.gui.application import install_crash_hook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    root = logging.getLogger()
    handlers = list(root.handlers)
    setup_logging(tmp_path)
    try:
        install_crash_hook(interaction)
        try:
            raise ZeroDivisionError("boom in a slot")
        except ZeroDivisionError:
            sys.excepthook(*sys.exc_info())
    finally:
        for handler in root.handlers[len(handlers):]:
            handler.close()
        root.handlers[:] = handlers
    kind, title, text = interaction.last("warn")
    assert title == "Something went wrong" and "Your work so far is saved" in text
    log_file = tmp_path / "logs" / "cpf-desktop.log"
    assert "ZeroDivisionError: boom in a slot" in log_file.read_text(encoding="utf-8")
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600


def test_sigterm_closes_like_the_window_and_backs_up(data_dir):
    window = start_window_process(data_dir)
    time.sleep(1.0)  # let it finish starting (and make its start-up backup)
    window.send_signal(signal.SIGTERM)
    assert window.wait(timeout=30) == 0
    assert not (data_dir / "cpf-desktop.lock").exists()
    assert any(p.name.endswith("-exit.sqlite3") for p in (data_dir / "backups").iterdir())


def test_back_up_onto_the_data_file_itself_is_refused(window, interaction, data_dir, tmp_path):
    window.new_review()
    interaction.save_path = str(window.ctx.store.path)
    window.back_up()
    assert interaction.last("warn")[1] == "Backup not written"
    assert "data file itself" in interaction.last("warn")[2]
    assert interaction.last("inform") is None
    interaction.save_path = str(tmp_path / "usb.sqlite3")
    window.back_up()
    assert interaction.last("inform")[1] == "Backup written" and (tmp_path / "usb.sqlite3").is_file()
    assert window.ctx.store.exists(window.editor.review.id)


def rate_while_saves_fail(window, qtbot, framework, monkeypatch):
    """Another review on file; a new one open whose rating click cannot be saved (a full disk).

    Returns the editor, the new review's id, the other review and a function that frees the disk.
    """
    other = window.ctx.store.create(complete_review(framework))
    store_type = type(window.ctx.store)
    originals = {name: getattr(store_type, name) for name in ("save_rating", "save")}
    window.new_review()
    editor = window.editor
    editor.select("competency:attitude")

    def disk_full(self, *args):
        raise StorageError("The disk is full, so the change could not be saved.")

    for name in originals:
        monkeypatch.setattr(store_type, name, disk_full)
    qtbot.mouseClick(editor.card("attitude").selector.button("effective"), Qt.MouseButton.LeftButton)

    def free_the_disk():
        for name, original in originals.items():
            monkeypatch.setattr(store_type, name, original)

    return editor, editor.review.id, other, free_the_disk


def test_a_change_that_could_not_be_saved_is_not_dropped_by_switching_review(window, qtbot, interaction,
                                                                              framework, data_dir, monkeypatch):
    """Opening another review, the list or a new review after a failed save asks first, like closing."""
    editor, mine, other, free_the_disk = rate_while_saves_fail(window, qtbot, framework, monkeypatch)
    interaction.confirm_answer = False  # "Stay on it"
    warnings = [m for m in interaction.messages if m[0] == "warn"]
    for leave in (lambda: window.open_review(other.id), window.show_list, window.new_review,
                  window.show_employees, window.show_history):
        leave()
        kind, title, text = interaction.last("confirm")
        assert title == "Leave without saving?" and "The disk is full" in text  # the reason, in one message
        assert [m for m in interaction.messages if m[0] == "warn"] == warnings  # not a second "Not saved" first
        assert window.stack.currentWidget() is editor and editor.review.id == mine
    free_the_disk()
    window.open_review(other.id)  # the disk has room again: saved on the way out
    assert editor.review.id == other.id
    assert window.ctx.store.get(mine).rating("attitude").level == "effective"


def test_leaving_anyway_after_a_failed_save_is_the_users_choice(window, qtbot, interaction, framework,
                                                                monkeypatch):
    editor, mine, other, free_the_disk = rate_while_saves_fail(window, qtbot, framework, monkeypatch)
    interaction.confirm_answer = True
    window.open_review(other.id)
    assert editor.review.id == other.id and interaction.last("confirm")[1] == "Leave without saving?"
    free_the_disk()
    assert not window.ctx.store.get(mine).rating("attitude").is_rated


def test_history_of_a_review_deleted_by_another_program_gets_a_sentence(window, interaction, framework):
    review = window.ctx.store.create(complete_review(framework))
    window.refresh_list()
    window.list_page.select_id(review.id)
    window.ctx.store.delete(review.id)  # as if deleted from the command line while the list was shown
    window.show_history()
    assert interaction.last("warn")[1] == "History"


def test_a_deleted_data_file_offers_the_newest_backup(qapp, framework, data_dir, interaction):
    store = open_store(data_dir)
    kept_review = store.create(complete_review(framework))
    make_backup(store.db.conn, data_dir)
    store.close()
    for side in ("", "-wal", "-shm"):
        Path(f"{data_dir / 'cpf-desktop.sqlite3'}{side}").unlink(missing_ok=True)
    interaction.confirm_answer = True
    store = open_store_or_recover(data_dir, interaction)
    try:
        assert "is missing" in interaction.last("confirm")[2]
        assert store.get(kept_review.id).employee.name == "Rosa Martínez"
    finally:
        store.close()


def test_a_data_file_deleted_while_the_window_is_open_is_said_not_pretended_saved(window, qtbot, interaction,
                                                                                  data_dir):
    window.new_review()
    editor = window.editor
    editor.select("competency:attitude")
    os.unlink(data_dir / "cpf-desktop.sqlite3")
    qtbot.mouseClick(editor.card("attitude").selector.button("effective"), Qt.MouseButton.LeftButton)
    kind, title, text = interaction.last("warn")
    assert title == "Not saved" and "deleted by another program" in text
    assert "will be saved with your next change" not in text and text.count("still in the window") == 1
    assert editor.save_state.text().startswith("Not saved")
