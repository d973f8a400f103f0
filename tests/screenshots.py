"""Make screenshots of the real window (a script, not a test).

    QT_QPA_PLATFORM=offscreen python tests/screenshots.py [OUT_DIR]
    QT_QPA_PLATFORM=offscreen QT_SCALE_FACTOR=2 python tests/screenshots.py OUT_DIR --scaled

The README's pictures live in resources/screenshots/. Each picture is taken once the event loop
has laid the window out, as a user would see it.
"""
from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def settle(app, ms: int = 200) -> None:
    """Let queued layout requests run, as the event loop would before the user sees anything."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def sample_data(window) -> int:
    from builders import complete_review
    from cpf_desktop.review import Rating

    framework, store = window.ctx.framework, window.ctx.store
    for year, level in ((2024, "developing"), (2025, "effective")):
        old = complete_review(framework, supervisory=False)
        old.period_start, old.period_end = date(year - 1, 7, 1), date(year, 6, 30)
        old.ratings["attitude"] = Rating(level, False, f"Attitude in {year}.")
        store.finalize(framework, store.create(old).id)
    review = complete_review(framework, supervisory=False)
    for comp_id in ("written-communication", "presentation-skills", "attitude", "planning-organizing"):
        review.ratings.pop(comp_id)
    review.ratings["eliciting-information"] = Rating("effective", True, "Listens carefully to teachers' requests.")
    return store.create(review).id


def main(out: Path, scaled: bool) -> None:
    from PySide6.QtWidgets import QApplication

    from cpf_desktop.gui.application import create_window

    app = QApplication.instance() or QApplication(sys.argv)
    if scaled:
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)  # and a large system font on top of 200 %
        app.setFont(font)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        window = create_window(Path(tmp))
        window.resize(1280, 720 if scaled else 800)
        window.show()
        review_id = sample_data(window)
        window.open_review(review_id)
        window.editor.select("competency:eliciting-information")
        settle(app)
        prefix = "scaled-200-" if scaled else ""
        window.grab().save(str(out / f"{prefix}main-window.png"))
        if not scaled:
            window.editor.select("competency:attitude")
            settle(app)
            window.grab().save(str(out / "last-review-beside.png"))
            window.show_history()
            settle(app)
            window.grab().save(str(out / "history.png"))
            window.show_list()
            settle(app)
            window.grab().save(str(out / "review-list.png"))
        window.ctx.store.close()
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(Path(args[0]) if args else ROOT / "resources" / "screenshots", "--scaled" in sys.argv)
