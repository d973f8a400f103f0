"""Rating with the keyboard alone: which key does what, and the filters that make it so.

In the tree: arrow keys move, 1 2 3 rate, 0 or Delete clears, + toggles "+", Enter goes to the
comment; in a comment, Esc goes back to the tree. Ctrl+Enter anywhere in the editor goes to the
next competency that is not rated yet. Every key acts through the same buttons a mouse clicks.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt

LEVEL_KEYS = {Qt.Key.Key_1: "developing", Qt.Key.Key_2: "effective", Qt.Key.Key_3: "highly_effective"}
CLEAR_KEYS = {Qt.Key.Key_0, Qt.Key.Key_Delete, Qt.Key.Key_Backspace}
PLUS_KEYS = {Qt.Key.Key_Plus, Qt.Key.Key_Equal}  # "=" is "+" without Shift on US keyboards
COMMENT_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter}

SHORTCUTS = (
    ("↑ ↓ ← →", "move through clusters and competencies (in the tree)"),
    ("1  2  3", "rate Developing, Effective, Highly Effective"),
    ("0 or Delete", "clear the rating (Not rated)"),
    ("+", "add or remove the “+” (Effective or Highly Effective only)"),
    ("Enter", "write the comment of the selected competency"),
    ("Esc", "leave the comment and go back to the tree"),
    ("Ctrl+Enter", "go to the next competency that is not rated yet"),
    ("Ctrl+L", "back to the list of reviews"),
    ("Ctrl+N / Ctrl+E / Ctrl+P", "new review / export PDF / print"),
)


class TreeKeys(QObject):
    """Event filter on the tree: rating keys act on the selected competency (or the overall rating)."""

    def __init__(self, editor):
        super().__init__(editor)
        self.editor = editor

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.KeyPress or event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            return False
        key = event.key()
        if key in LEVEL_KEYS:
            return self.editor.rate_current(LEVEL_KEYS[key])
        if key in CLEAR_KEYS:
            return self.editor.rate_current(None)
        if key in PLUS_KEYS:
            return self.editor.toggle_plus_current()
        if key in COMMENT_KEYS:
            return self.editor.focus_comment()
        return False


class CommentKeys(QObject):
    """Event filter on a comment box: Esc goes back to the tree."""

    def __init__(self, editor):
        super().__init__(editor)
        self.editor = editor

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            watched.commit() if hasattr(watched, "commit") else None
            self.editor.tree.setFocus()
            return True
        return False
