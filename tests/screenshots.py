"""Make the README's screenshots from the real window (a script, not a test).

    QT_QPA_PLATFORM=offscreen python tests/screenshots.py [OUT_DIR]
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from builders import complete_review
    from cpf_desktop.gui.application import create_window
    from cpf_desktop.review import Rating

    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        window = create_window(Path(tmp))
        window.resize(1280, 800)
        window.show()
        review = complete_review(window.ctx.framework, supervisory=False)
        for comp_id in ("written-communication", "presentation-skills", "attitude", "planning-organizing"):
            review.ratings.pop(comp_id)
        review.ratings["eliciting-information"] = Rating("effective", True, "Listens carefully to teachers' requests.")
        stored = window.ctx.store.create(review)
        window.ctx.store.create(complete_review(window.ctx.framework))
        window.open_review(stored.id)
        window.editor.select("competency:eliciting-information")
        app.processEvents()
        out.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(out / "main-window.png"))
        window.show_list()
        app.processEvents()
        window.grab().save(str(out / "review-list.png"))
        window.ctx.store.close()
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "screenshots")
