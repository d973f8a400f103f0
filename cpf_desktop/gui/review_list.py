"""The home page: every review with employee, type, period, status and last change."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout,
    QWidget,
)

from ..review import REVIEW_TYPES, probation_status
from ..storage import ReviewSummary
from ..summary import school_year_end

COLUMNS = ("Employee", "Employee number", "Type", "Period", "Status", "Probation", "Last changed")
CHANGED_COLUMN = 6


@lru_cache(maxsize=4096)
def _us_date(d) -> str:
    # Not strftime: it imports a module on every call, which PySide6's import hook makes slow.
    # Cached: thousands of reviews share a few dozen period dates.
    return f"{d.month:02d}/{d.day:02d}/{d.year}"


def _period(s: ReviewSummary) -> str:
    if not (s.period_start or s.period_end):
        return ""
    start = _us_date(s.period_start) if s.period_start else "?"
    end = _us_date(s.period_end) if s.period_end else "?"
    return f"{start} – {end}"


def _display(s: ReviewSummary, due: tuple[str, date] | None) -> tuple[str, ...]:
    """The row's texts, made when the view first shows the row (of 10,000, it shows a screenful)."""
    kind = REVIEW_TYPES.get(s.review_type or "", "")
    changed = f"{_us_date(s.updated_at.date())} {s.updated_at.hour:02d}:{s.updated_at.minute:02d}" if s.updated_at else ""
    when = ""
    if due:
        when = f"Overdue since {_us_date(due[1])}" if due[0] == "overdue" else f"Due {_us_date(due[1])}"
    return (s.employee_name or "(no name yet)", s.employee_number, kind, _period(s), s.status_text, when, changed)


@lru_cache(maxsize=65536)
def searchable(text: str) -> str:
    """``text`` as the find box compares it: without accents, case folded, in one Unicode form, so
    "martinez" finds "Martínez" however it was typed or pasted."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _natural(text: str) -> list:
    # re.split with a group alternates text and digits, so like positions always hold like types.
    return [int(part) if i % 2 else part.casefold() for i, part in enumerate(re.split(r"(\d+)", text))]


def _sort_key(column: int):
    """The key one column sorts by: computed per sort, not stored for every row and column."""
    if column == 0:
        return lambda e: e.summary.employee_name.casefold()
    if column == 1:  # numbers in number order ("9" before "10"), whatever letters stand around them
        return lambda e: _natural(e.summary.employee_number)
    if column == 2:
        return lambda e: REVIEW_TYPES.get(e.summary.review_type or "", "")
    if column == 3:
        return lambda e: e.summary.period_start.isoformat() if e.summary.period_start else ""
    if column == 4:
        return lambda e: e.summary.status_text
    if column == 5:
        return lambda e: e.due[1].isoformat() if e.due else "9999"
    # Last changed: a number compares faster than a date; ties keep the store's order (newest id first).
    return lambda e: e.summary.updated_at.timestamp() if e.summary.updated_at else 0.0


class _Entry:
    """One review of the list: its summary, what the find box searches, its probation state."""

    __slots__ = ("summary", "haystack", "due", "_display")

    def __init__(self, summary: ReviewSummary, today: date):
        self.summary = summary
        self.haystack = searchable(" ".join(
            (summary.employee_name, summary.employee_number, summary.classification, summary.location)
        ))
        self.due = None if summary.voided else probation_status(
            summary.review_type, summary.status, summary.period_start, summary.period_end, today
        )
        self._display: tuple[str, ...] | None = None

    @property
    def display(self) -> tuple[str, ...]:
        if self._display is None:
            self._display = _display(self.summary, self.due)
        return self._display


class ReviewListModel(QAbstractTableModel):
    """All reviews as a table; sorting and filtering happen here, in plain Python over cached cells.

    A QSortFilterProxyModel would call ``data`` for every comparison: with 10,000 reviews that
    was seconds at start-up. Here a sort is one ``list.sort`` over precomputed keys.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[ReviewSummary] = []  # what is shown, in order
        self._all: list[_Entry] = []
        self._shown: list[_Entry] = []
        self._sort = (CHANGED_COLUMN, Qt.SortOrder.DescendingOrder)
        self.filters = ReviewFilter()

    def set_rows(self, rows: list[ReviewSummary], today: date | None = None,
                 filters: "ReviewFilter | None" = None) -> None:
        today = today or date.today()
        self._all = [_Entry(s, today) for s in rows]
        if filters is not None:
            self.filters = filters
        self._rebuild()

    def set_filter(self, text: str) -> None:
        """Show only reviews whose employee, number, classification or location contains ``text``."""
        self.set_filters(replace(self.filters, text=text))

    def set_filters(self, filters: "ReviewFilter") -> None:
        self.filters = filters
        self._rebuild()

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._rebuild()

    def _rebuild(self) -> None:
        self.beginResetModel()
        shown = [e for e in self._all if self.filters.accepts(e)]
        column, order = self._sort
        shown.sort(key=_sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        self._shown = shown
        self.rows = [e.summary for e in shown]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        entry = self._shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.display[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return entry.summary.id
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 4:
            if entry.summary.voided:
                return _VOID_COLOUR
            if entry.summary.status == "final":
                return _FINAL_COLOUR
        if role == Qt.ItemDataRole.BackgroundRole and entry.due:
            return _OVERDUE_FILL if entry.due[0] == "overdue" else _DUE_FILL
        if role == Qt.ItemDataRole.ToolTipRole and entry.due:
            return "A probationary review: its final evaluation is due before probation ends."
        return None


@dataclass(frozen=True)
class ReviewFilter:
    """What the list shows: text in employee/number/classification/location, status, type, school year."""

    text: str = ""
    status: str = ""  # "", "draft", "final", "void", "due"
    review_type: str = ""
    school_year: int | None = None  # the year the period ends in (a school year ends June 30)

    def accepts(self, entry: _Entry) -> bool:
        s = entry.summary
        needle = searchable(self.text.strip())
        if needle and needle not in entry.haystack:
            return False
        if self.status == "void" and not s.voided:
            return False
        if self.status in ("draft", "final") and (s.status != self.status or s.voided):
            return False
        if self.status == "due" and not entry.due:
            return False
        if self.review_type and s.review_type != self.review_type:
            return False
        if self.school_year and not (s.period_end and school_year_end(s.period_end) == self.school_year):
            return False
        return True


_FINAL_COLOUR = QColor("#1b6b2a")
_VOID_COLOUR = QColor("#8a1c1c")
_DUE_FILL = QColor("#fff3c4")
_OVERDUE_FILL = QColor("#ffd9d2")


class ReviewListPage(QWidget):
    """Signals ask the main window to act; the page itself holds no rules and no SQL."""

    new_requested = Signal()
    open_requested = Signal(int)
    delete_requested = Signal(int)
    history_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        title = QLabel("Reviews")
        title.setStyleSheet("font-size: 15pt; font-weight: 700;")
        layout.addWidget(title)
        layout.addLayout(self._build_filter_bar())
        self.model = ReviewListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Reviews")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(CHANGED_COLUMN, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        # Fixed row heights and set column widths: measuring 10,000 rows' contents is what makes lists slow.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        for column, width in enumerate((0, 130, 110, 190, 110, 190, 140)):
            if width:
                header.resizeSection(column, width)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self._emit_for(self.open_requested, index))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        self.empty_hint = QLabel("No reviews yet. Click “New review” to start one.")
        self.empty_hint.setStyleSheet("color: #555; padding: 8px;")
        layout.addWidget(self.empty_hint)

        buttons = QHBoxLayout()
        self.new_button = QPushButton("New review")
        self.open_button = QPushButton("Open")
        self.history_button = QPushButton("History…")
        self.history_button.setToolTip("This employee's reviews over the years, and the next review")
        self.history_button.clicked.connect(self.history_requested)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete a draft. Finalized reviews cannot be deleted.")
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(lambda: self._emit_for(self.open_requested))
        self.delete_button.clicked.connect(lambda: self._emit_for(self.delete_requested))
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._update_buttons()

    def _build_filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find: employee, number, classification or location")
        self.search.setAccessibleName("Find reviews")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Show status")
        for label, value in (("All statuses", ""), ("Drafts", "draft"), ("Final", "final"), ("Void", "void"),
                             ("Probation due or overdue", "due")):
            self.status_filter.addItem(label, value)
        self.type_filter = QComboBox()
        self.type_filter.setAccessibleName("Show review type")
        self.type_filter.addItem("All types", "")
        for key, label in REVIEW_TYPES.items():
            self.type_filter.addItem(label, key)
        self.year_filter = QComboBox()
        self.year_filter.setAccessibleName("Show school year")
        self.search.textChanged.connect(self._apply_filters)
        for combo in (self.status_filter, self.type_filter, self.year_filter):
            combo.currentIndexChanged.connect(self._apply_filters)
        bar.addWidget(self.search, 1)
        for widget in (self.status_filter, self.type_filter, self.year_filter):
            bar.addWidget(widget)
        return bar

    def _current_filters(self) -> "ReviewFilter":
        return ReviewFilter(self.search.text(), self.status_filter.currentData(), self.type_filter.currentData(),
                            self.year_filter.currentData())

    def _apply_filters(self, *_args) -> None:
        self.model.set_filters(self._current_filters())
        self._update_buttons()

    def set_reviews(self, rows: list[ReviewSummary]) -> None:
        years = sorted({school_year_end(s.period_end) for s in rows if s.period_end}, reverse=True)
        chosen = self.year_filter.currentData()
        self.year_filter.blockSignals(True)
        self.year_filter.clear()
        self.year_filter.addItem("All school years", None)
        for year in years:
            self.year_filter.addItem(f"{year - 1}–{str(year)[-2:]} school year", year)
        self.year_filter.setCurrentIndex(max(0, self.year_filter.findData(chosen)))
        self.year_filter.blockSignals(False)
        self.model.set_rows(rows, filters=self._current_filters())  # one sort, not two
        self._update_buttons()
        self.empty_hint.setVisible(not rows)

    def selected_id(self) -> int | None:
        indexes = self.table.selectionModel().selectedRows()
        return indexes[0].data(Qt.ItemDataRole.UserRole) if indexes else None

    def select_id(self, review_id: int) -> None:
        for row, summary in enumerate(self.model.rows):
            if summary.id == review_id:
                self.table.selectRow(row)
                return

    def _selected_summary(self) -> ReviewSummary | None:
        review_id = self.selected_id()
        return next((s for s in self.model.rows if s.id == review_id), None)

    def _emit_for(self, signal, index=None) -> None:
        review_id = index.data(Qt.ItemDataRole.UserRole) if index is not None else self.selected_id()
        if review_id is not None:
            signal.emit(review_id)

    def _update_buttons(self, *_args) -> None:
        summary = self._selected_summary()
        self.open_button.setEnabled(summary is not None)
        self.history_button.setEnabled(summary is not None)
        self.delete_button.setEnabled(summary is not None and summary.status != "final" and not summary.voided)
