"""Radio buttons for the three levels plus "Not rated", and the "+" checkbox."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QCheckBox, QHBoxLayout, QRadioButton, QVBoxLayout, QWidget

from ..framework import Framework
from ..review import plus_allowed

NOT_RATED = "Not rated"


class RatingSelector(QWidget):
    """Choose a level (or none) and the "+"; emits ``changed(level_or_None, plus)`` on a user change."""

    changed = Signal(object, bool)

    def __init__(self, framework: Framework, subject: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._framework = framework
        self._level: str | None = None
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(2)
        layout = QHBoxLayout()
        rows.addLayout(layout)
        # Exclusive group with an explicit "Not rated" choice: a checked radio in an exclusive
        # group cannot be unchecked, so clearing a rating means choosing "Not rated".
        self._group = QButtonGroup(self)
        self._buttons: dict[str | None, QRadioButton] = {}
        for level in framework.rating_levels:
            button = QRadioButton(level.label)
            button.setToolTip(f"{level.label}: {level.meaning}")
            button.setAccessibleName(f"{subject}: {level.label}")
            self._buttons[level.id] = button
        clear = QRadioButton(NOT_RATED)
        clear.setToolTip("Clear the rating")
        clear.setAccessibleName(f"{subject}: not rated")
        self._buttons[None] = clear
        for index, (level_id, button) in enumerate(self._buttons.items()):
            self._group.addButton(button, index)
            layout.addWidget(button)
            button.toggled.connect(lambda checked, lid=level_id: checked and self._on_level(lid))
        layout.addStretch(1)
        # On a row of its own: beside the levels, the framework's full wording made the card wider than
        # the pane at 200 % scaling and cut the description off behind a scroll bar.
        self.plus = QCheckBox(f"{framework.plus.label}  builds capacity of co-workers and peers")
        self.plus.setAccessibleName(f"{subject}: plus")
        self.plus.toggled.connect(self._on_plus)
        rows.addWidget(self.plus, 0, Qt.AlignmentFlag.AlignLeft)  # as wide as its words, which take a click
        self.set_rating(None, False)

    def button(self, level_id: str | None) -> QRadioButton:
        return self._buttons[level_id]

    def level(self) -> str | None:
        return self._level

    def set_rating(self, level: str | None, plus: bool) -> None:
        """Show a rating without emitting ``changed``."""
        self._level = level
        for button in (*self._buttons.values(), self.plus):
            button.blockSignals(True)
        self._buttons[level].setChecked(True)
        self.plus.setChecked(plus and plus_allowed(level))
        for button in (*self._buttons.values(), self.plus):
            button.blockSignals(False)
        self._update_plus_state()

    def set_read_only(self, read_only: bool) -> None:
        for button in self._buttons.values():
            button.setEnabled(not read_only)
        self._read_only = read_only
        self._update_plus_state()

    def _update_plus_state(self) -> None:
        allowed = plus_allowed(self._level) and not getattr(self, "_read_only", False)
        self.plus.setEnabled(allowed)
        if plus_allowed(self._level):
            self.plus.setToolTip(f"{self._framework.plus.label}: {self._framework.plus.meaning}")
        else:
            self.plus.setToolTip('"+" can be added only to Effective or Highly Effective. Choose one of those first.')

    def _on_level(self, level_id: str | None) -> None:
        self._level = level_id
        plus = self.plus.isChecked() and plus_allowed(level_id)
        if not plus_allowed(level_id) and self.plus.isChecked():
            self.plus.blockSignals(True)
            self.plus.setChecked(False)  # lowering to Developing or clearing drops the "+"
            self.plus.blockSignals(False)
        self._update_plus_state()
        self.changed.emit(level_id, plus)

    def _on_plus(self, checked: bool) -> None:
        if plus_allowed(self._level):
            self.changed.emit(self._level, checked)
