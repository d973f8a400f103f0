"""The review header (employee, rater, reviewer, type, period, supervisory), from ui/header_form.ui."""
from __future__ import annotations

from datetime import date

import re

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from ..review import (
    MAX_LINE_LENGTH, REVIEW_TYPES, Employee, Person, Review, default_period, employee_number_warnings,
    period_problem, period_warnings, probation_due_dates, single_line,
)

_NOT_FOR_ONE_LINE = re.compile(r"[\r\n\t\v\f\u2028\u2029\x00-\x08\x0e-\x1f\x7f-\x9f]")
from .forms.ui_header_form import Ui_HeaderForm

# Which widget to focus for a finalize problem naming a header field.
FIELD_WIDGETS = {
    "employee.name": "employeeName",
    "rater.name": "raterName",
    "review_type": "reviewType",
    "period": "periodStart",
}


class HeaderForm(QWidget):
    """Emits ``edited`` whenever the user changes a header field (text after a pause is the editor's job)."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_HeaderForm()
        self.ui.setupUi(self)
        self.ui.reviewType.addItem("Choose…", None)
        for key, label in REVIEW_TYPES.items():
            self.ui.reviewType.addItem(label, key)
        self._loading = False
        self._accepted: dict[str, str] = {}  # each field's last text within MAX_LINE_LENGTH
        for edit in self._line_edits():
            edit.textEdited.connect(lambda _text, e=edit: self._on_line_edited(e))
            edit.setAccessibleName(self._label_text(edit))
        self.notes = QLabel()
        self.notes.setWordWrap(False)  # one sentence a line; a wrapped label would be clipped by the grid
        self.notes.setAccessibleName("Header notes")
        self.notes.hide()
        self.ui.grid.addWidget(self.notes, self.ui.grid.rowCount(), 0, 1, self.ui.grid.columnCount())
        self._pasted_note = ""
        self.ui.reviewType.currentIndexChanged.connect(self._emit)
        self.ui.periodStart.dateChanged.connect(self._emit)
        self.ui.periodEnd.dateChanged.connect(self._emit)
        self.ui.supervisory.toggled.connect(self._emit)
        self.ui.reviewType.setAccessibleName("Review type")
        self.ui.periodStart.setAccessibleName("Period from")
        self.ui.periodEnd.setAccessibleName("Period to")
        self.ui.supervisory.setAccessibleName("Supervisory position")

    def _label_text(self, widget: QWidget) -> str:
        label = getattr(self.ui, f"{widget.objectName()}Label", None)
        return label.text().replace("&", "").rstrip(":") if label else widget.objectName()

    def _line_edits(self):
        u = self.ui
        return (u.employeeName, u.employeeNumber, u.classification, u.location,
                u.raterName, u.raterTitle, u.reviewerName, u.reviewerTitle)

    def _on_line_edited(self, edit: QLineEdit) -> None:
        """A one-line field takes no line breaks: a pasted paragraph becomes one line, and we say so."""
        text = edit.text()
        if _NOT_FOR_ONE_LINE.search(text):
            cursor = edit.cursorPosition()
            cleaned = re.sub(r"[\r\n\t\v\f\u2028\u2029]+", " ", text)
            cleaned = re.sub(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", "", cleaned)
            edit.setText(cleaned)
            edit.setCursorPosition(min(cursor, len(cleaned)))
            self._pasted_note = (
                f"“{self._label_text(edit)}” is a one-line field: line breaks and tabs were turned into spaces."
            )
        name = edit.objectName()
        if len(edit.text()) > MAX_LINE_LENGTH and len(edit.text()) > len(self._accepted.get(name, "")):
            # Never cut silently (Qt's own limit would): take the whole change back and say why.
            cursor = edit.cursorPosition()
            edit.setText(self._accepted.get(name, ""))
            edit.setCursorPosition(min(cursor, len(edit.text())))
            self._pasted_note = (
                f"“{self._label_text(edit)}” holds at most {MAX_LINE_LENGTH:,} characters; that change would "
                "have made it longer, so it was not made."
            )
        self._accepted[name] = edit.text()
        self._emit()

    def _emit(self, *_args) -> None:
        if not self._loading:
            self.update_notes()
            self.edited.emit()

    def update_notes(self) -> None:
        """Show what is wrong or unusual in the header, each a sentence naming the field."""
        u = self.ui
        start, end = u.periodStart.date().toPython(), u.periodEnd.date().toPython()
        errors, warnings = [], []
        problem = period_problem(start, end)
        if problem:
            errors.append(f"Period: {problem.message} (“Period to” is before “Period from”.)")
        warnings += [f"Period: {w}" for w in period_warnings(start, end)]
        warnings += [f"Employee number: {w}" for w in employee_number_warnings(single_line(u.employeeNumber.text()))]
        if self._pasted_note:
            warnings.append(self._pasted_note)
        if u.reviewType.currentData() == "probationary":
            dues = probation_due_dates(start, end)
            if dues:
                today = date.today()
                parts = [f"{what} due {d.month:02d}/{d.day:02d}/{d.year}" + (" (passed)" if d < today else "")
                         for what, d in dues]
                warnings.append("Probation: " + "; ".join(parts) + ".")
        lines = [f"<span style='color:#a00000'>⚠ {_html(e)}</span>" for e in errors]
        lines += [f"<span style='color:#7a5a00'>ℹ {_html(w)}</span>" for w in warnings]
        self.notes.setText("<br>".join(lines))
        self.notes.setVisible(bool(lines))

    def note_texts(self) -> str:
        return self.notes.text() if self.notes.isVisible() else ""

    def show_review(self, review: Review) -> None:
        self._loading = True
        u = self.ui
        u.employeeName.setText(review.employee.name)
        u.employeeNumber.setText(review.employee.employee_number)
        u.classification.setText(review.employee.classification)
        u.location.setText(review.employee.location)
        u.raterName.setText(review.rater.name)
        u.raterTitle.setText(review.rater.title)
        u.reviewerName.setText(review.reviewer.name)
        u.reviewerTitle.setText(review.reviewer.title)
        index = u.reviewType.findData(review.review_type)
        u.reviewType.setCurrentIndex(max(index, 0))
        start, end = default_period(date.today())
        u.periodStart.setDate(QDate(review.period_start or start))
        u.periodEnd.setDate(QDate(review.period_end or end))
        u.supervisory.setChecked(review.supervisory)
        self._loading = False
        self._accepted = {edit.objectName(): edit.text() for edit in self._line_edits()}
        self._pasted_note = ""
        self.update_notes()

    def apply_to(self, review: Review) -> None:
        """Copy the fields into ``review`` (single-line fields trimmed)."""
        u = self.ui
        review.employee = Employee(single_line(u.employeeName.text()), single_line(u.employeeNumber.text()),
                                   single_line(u.classification.text()), single_line(u.location.text()))
        review.rater = Person(single_line(u.raterName.text()), single_line(u.raterTitle.text()))
        review.reviewer = Person(single_line(u.reviewerName.text()), single_line(u.reviewerTitle.text()))
        review.review_type = u.reviewType.currentData()
        review.period_start = u.periodStart.date().toPython()
        review.period_end = u.periodEnd.date().toPython()
        review.supervisory = u.supervisory.isChecked()

    def set_read_only(self, read_only: bool) -> None:
        for edit in self._line_edits():
            edit.setReadOnly(read_only)
        for widget in (self.ui.reviewType, self.ui.periodStart, self.ui.periodEnd, self.ui.supervisory):
            widget.setEnabled(not read_only)

    def focus_field(self, field: str) -> bool:
        name = FIELD_WIDGETS.get(field)
        if not name:
            return False
        getattr(self.ui, name).setFocus()
        return True




def _html(text: str) -> str:
    from html import escape

    return escape(text)
