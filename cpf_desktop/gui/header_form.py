"""The review header (employee, rater, reviewer, type, period, supervisory), from ui/header_form.ui."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QWidget

from ..review import REVIEW_TYPES, Employee, Person, Review
from .forms.ui_header_form import Ui_HeaderForm

# Which widget to focus for a finalize problem naming a header field.
FIELD_WIDGETS = {
    "employee.name": "employeeName",
    "rater.name": "raterName",
    "review_type": "reviewType",
    "period": "periodStart",
}


def default_period(today: date) -> tuple[date, date]:
    """The district's school year (July 1 to June 30) that contains ``today``."""
    start_year = today.year if today.month >= 7 else today.year - 1
    return date(start_year, 7, 1), date(start_year + 1, 6, 30)


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
        for edit in self._line_edits():
            edit.textEdited.connect(self._emit)
            edit.setAccessibleName(self._label_text(edit))
        self.ui.reviewType.currentIndexChanged.connect(self._emit)
        self.ui.periodStart.dateChanged.connect(self._emit)
        self.ui.periodEnd.dateChanged.connect(self._emit)
        self.ui.supervisory.toggled.connect(self._emit)
        self.ui.reviewType.setAccessibleName("Review type")
        self.ui.periodStart.setAccessibleName("Period from")
        self.ui.periodEnd.setAccessibleName("Period to")

    def _label_text(self, widget: QWidget) -> str:
        label = getattr(self.ui, f"{widget.objectName()}Label", None)
        return label.text().replace("&", "").rstrip(":") if label else widget.objectName()

    def _line_edits(self):
        u = self.ui
        return (u.employeeName, u.employeeNumber, u.classification, u.location,
                u.raterName, u.raterTitle, u.reviewerName, u.reviewerTitle)

    def _emit(self, *_args) -> None:
        if not self._loading:
            self.edited.emit()

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

    def apply_to(self, review: Review) -> None:
        """Copy the fields into ``review`` (single-line fields trimmed)."""
        u = self.ui
        review.employee = Employee(u.employeeName.text().strip(), u.employeeNumber.text().strip(),
                                   u.classification.text().strip(), u.location.text().strip())
        review.rater = Person(u.raterName.text().strip(), u.raterTitle.text().strip())
        review.reviewer = Person(u.reviewerName.text().strip(), u.reviewerTitle.text().strip())
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


