"""Screenshots of what a supervisor sees when something goes wrong (a script, not a test).

    QT_QPA_PLATFORM=offscreen python tests/fault_screenshots.py OUT_DIR
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from cpf_desktop.gui.interaction import Interaction  # noqa: E402


class Photographer(Interaction):
    """The real message boxes, photographed instead of waited on; answers "Cancel"."""

    def __init__(self, out: Path):
        self.out = out
        self.count = 0

    def _run(self, box: QMessageBox) -> None:
        box.show()
        QApplication.processEvents()
        self.count += 1
        title = "".join(ch if ch.isalnum() else "-" for ch in box.windowTitle().lower()).strip("-")
        box.grab().save(str(self.out / f"fault-{self.count:02d}-{title}.png"))
        box.close()


def main(out: Path) -> None:
    from builders import complete_review
    from cpf_desktop.gui.application import create_window, run_gui
    from cpf_desktop.storage import StorageError, open_store
    from cpf_desktop.storage.backups import make_backup

    app = QApplication.instance() or QApplication(sys.argv)
    out.mkdir(parents=True, exist_ok=True)
    shots = Photographer(out)
    with tempfile.TemporaryDirectory() as tmp:
        # 1. A second start while the window is open.
        data = Path(tmp) / "one"
        child = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data)],
                                 env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        while not (data / "cpf-desktop.lock").exists():
            time.sleep(0.05)
        time.sleep(0.5)
        run_gui(data, shots)
        child.terminate()
        child.wait()
        # 2. A damaged data file, with a backup on offer.
        data = Path(tmp) / "two"
        store = open_store(data)
        store.create(complete_review(__import__("cpf_desktop.framework").framework.load_framework()))
        make_backup(store.db.conn, data)
        store.close()
        for side in ("-wal", "-shm"):
            Path(f"{data / 'cpf-desktop.sqlite3'}{side}").unlink(missing_ok=True)
        (data / "cpf-desktop.sqlite3").write_bytes(os.urandom(30000))
        run_gui(data, shots)
        # 3. Finalize with things missing, and a save that fails (disk full).
        window = create_window(Path(tmp) / "three", shots)
        window.show()
        window.new_review()
        window.editor.finalize()
        window.editor.select("competency:attitude")

        def disk_full(*args):
            raise StorageError("The disk is full, so the change could not be saved. Free some space on the disk.")

        window.ctx.store.save_rating = disk_full
        window.editor.card("attitude").selector.button("effective").click()
        app.processEvents()
        window.grab().save(str(out / "fault-window-after-failed-save.png"))
        window.ctx.store.close()
    print(f"{shots.count} dialogs photographed into {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()))
