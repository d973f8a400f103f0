"""The right-hand side of the editor: a competency with its full description, its rating and comment."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ..framework import Competency, Framework
from ..review import MAX_TEXT_LENGTH, Rating
from .rating_selector import RatingSelector

TYPING_PAUSE_MS = 600  # a comment is saved after this pause in typing (and on leaving the field)


class CommentEdit(QPlainTextEdit):
    """A comment box that reports its text after a pause in typing and when it loses focus."""

    committed = Signal(str)
    too_long = Signal(str)  # a sentence for the user: an edit would pass MAX_TEXT_LENGTH and was undone

    def __init__(self, accessible_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = accessible_name
        self.setAccessibleName(accessible_name)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(70)
        self.setMaximumHeight(140)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.commit)
        self.textChanged.connect(self._on_text_changed)
        self._loading = False
        self._accepted = ""  # the last text within MAX_TEXT_LENGTH

    def set_text(self, text: str) -> None:
        self._loading = True
        self.setPlainText(text)
        self._loading = False
        self._accepted = text

    def _on_text_changed(self) -> None:
        if self._loading:
            return
        text = self.toPlainText()
        if len(text) > MAX_TEXT_LENGTH and len(text) > len(self._accepted):
            # Never cut silently: take the whole change back (a paste, or typing past the end) and say why.
            cursor = self.textCursor().position()
            self._loading = True
            self.setPlainText(self._accepted)
            self._loading = False
            moved = self.textCursor()
            moved.setPosition(min(cursor, len(self._accepted)))
            self.setTextCursor(moved)
            self.too_long.emit(
                f"“{self.title}” holds at most {MAX_TEXT_LENGTH:,} characters; that change would have made it "
                f"{len(text):,} long, so it was not made. Shorten the text and try again."
            )
            return
        self._accepted = text
        self._timer.start()

    def commit(self) -> None:
        self._timer.stop()
        self.committed.emit(self.toPlainText())

    def pending(self) -> bool:
        return self._timer.isActive()

    def focusOutEvent(self, event) -> None:
        if self.pending():
            self.commit()
        super().focusOutEvent(event)


def _wrap_label(text: str, style: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label


class RatingCard(QFrame):
    """A titled rating with an optional description and a comment box.

    Emits ``rating_changed(key, level, plus)`` on a click and ``comment_changed(key, text)`` when
    the comment is committed; ``key`` is a competency id or "overall".
    """

    rating_changed = Signal(str, object, bool)
    comment_changed = Signal(str, str)

    def __init__(self, framework: Framework, key: str, title: str, description: str = "",
                 aligned_with: tuple[str, ...] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.setObjectName("ratingCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        heading = _wrap_label(title, "font-size: 13pt; font-weight: 600;")
        layout.addWidget(heading)
        if aligned_with:
            layout.addWidget(_wrap_label("Aligned with: " + ", ".join(aligned_with), "color: #555;"))
        if description:
            self.description = _wrap_label(description)
            layout.addWidget(self.description)
        self.previous = _wrap_label("", "color: #35557a; background: #eef3fa; padding: 2px 4px;")
        self.previous.hide()
        layout.addWidget(self.previous)
        self.selector = RatingSelector(framework, title)
        self.selector.changed.connect(lambda level, plus: self.rating_changed.emit(self.key, level, plus))
        layout.addWidget(self.selector)
        layout.addWidget(QLabel("Comment:"))
        self.comment = CommentEdit(f"{title}: comment")
        self.comment.committed.connect(lambda text: self.comment_changed.emit(self.key, text))
        layout.addWidget(self.comment)

    def show_previous(self, text: str, comment: str) -> None:
        """Show last period's rating for reference (never copied into this review)."""
        self.previous.setText(text)
        self.previous.setToolTip(f"Last time's comment: {comment}" if comment else "")
        self.previous.setVisible(bool(text))

    def show_rating(self, rating: Rating) -> None:
        self.selector.set_rating(rating.level, rating.plus)
        if self.comment.toPlainText() != rating.comment and not self.comment.pending():
            self.comment.set_text(rating.comment)

    def set_read_only(self, read_only: bool) -> None:
        self.selector.set_read_only(read_only)
        self.comment.setReadOnly(read_only)


def competency_card(framework: Framework, competency: Competency) -> RatingCard:
    return RatingCard(framework, competency.id, competency.name, competency.description, competency.aligned_with)


class TextSection(QWidget):
    """A titled free-text box (strengths, goals ...) that commits like a comment."""

    committed = Signal(str, str)

    def __init__(self, key: str, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(_wrap_label(title, "font-weight: 600;"))
        self.edit = CommentEdit(title)
        self.edit.committed.connect(lambda text: self.committed.emit(self.key, text))
        layout.addWidget(self.edit)
