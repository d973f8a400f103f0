"""The home page: every review with employee, type, period, status and last change."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from ..review import REVIEW_TYPES
from ..storage import ReviewSummary

COLUMNS = ("Employee", "Employee number", "Type", "Period", "Status", "Last changed")


def _us_date(d) -> str:
    # Not strftime: it imports a module on every call, which PySide6's import hook makes slow.
    return f"{d.month:02d}/{d.day:02d}/{d.year}"


def _period(s: ReviewSummary) -> str:
    if not (s.period_start or s.period_end):
        return ""
    start = _us_date(s.period_start) if s.period_start else "?"
    end = _us_date(s.period_end) if s.period_end else "?"
    return f"{start} – {end}"


def _cells(s: ReviewSummary) -> tuple[tuple[str, ...], tuple]:
    """The row's display texts and its sort keys, computed once (a view asks for them thousands of times)."""
    kind = REVIEW_TYPES.get(s.review_type or "", "")
    changed = f"{_us_date(s.updated_at)} {s.updated_at.hour:02d}:{s.updated_at.minute:02d}" if s.updated_at else ""
    display = (s.employee_name or "(no name yet)", s.employee_number, kind, _period(s), s.status_text, changed)
    keys = (
        s.employee_name.casefold(), s.employee_number, kind, s.period_start.isoformat() if s.period_start else "",
        s.status_text, s.updated_at.isoformat() if s.updated_at else "",
    )
    return display, keys


class ReviewListModel(QAbstractTableModel):
    """All reviews as a table; sorting and filtering happen here, in plain Python over cached cells.

    A QSortFilterProxyModel would call ``data`` for every comparison: with 10,000 reviews that
    was seconds at start-up. Here a sort is one ``list.sort`` over precomputed keys.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[ReviewSummary] = []  # what is shown, in order
        self._all: list[tuple[ReviewSummary, tuple[str, ...], tuple, str]] = []
        self._shown: list[tuple[ReviewSummary, tuple[str, ...], tuple, str]] = []
        self._sort = (5, Qt.SortOrder.DescendingOrder)
        self._filter = ""

    def set_rows(self, rows: list[ReviewSummary]) -> None:
        entries = []
        for s in rows:
            display, keys = _cells(s)
            haystack = " ".join((s.employee_name, s.employee_number, s.classification, s.location)).casefold()
            entries.append((s, display, keys, haystack))
        self._all = entries
        self._rebuild()

    def set_filter(self, text: str) -> None:
        """Show only reviews whose employee, number, classification or location contains ``text``."""
        self._filter = text.strip().casefold()
        self._rebuild()

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._rebuild()

    def _rebuild(self) -> None:
        self.beginResetModel()
        needle = self._filter
        shown = [e for e in self._all if needle in e[3]] if needle else list(self._all)
        column, order = self._sort
        shown.sort(key=lambda e: e[2][column], reverse=order == Qt.SortOrder.DescendingOrder)
        self._shown = shown
        self.rows = [e[0] for e in shown]
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
        if role == Qt.ItemDataRole.DisplayRole:
            return self._shown[index.row()][1][index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return self._shown[index.row()][0].id
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 4:
            s = self._shown[index.row()][0]
            if s.voided:
                return _VOID_COLOUR
            if s.status == "final":
                return _FINAL_COLOUR
        return None


_FINAL_COLOUR = QColor("#1b6b2a")
_VOID_COLOUR = QColor("#8a1c1c")


class ReviewListPage(QWidget):
    """Signals ask the main window to act; the page itself holds no rules and no SQL."""

    new_requested = Signal()
    open_requested = Signal(int)
    delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        title = QLabel("Reviews")
        title.setStyleSheet("font-size: 15pt; font-weight: 700;")
        layout.addWidget(title)
        self.model = ReviewListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Reviews")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        # Fixed row heights and set column widths: measuring 10,000 rows' contents is what makes lists slow.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        for column, width in enumerate((0, 130, 110, 190, 110, 140)):
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
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete a draft. Finalized reviews cannot be deleted.")
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(lambda: self._emit_for(self.open_requested))
        self.delete_button.clicked.connect(lambda: self._emit_for(self.delete_requested))
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_reviews(self, rows: list[ReviewSummary]) -> None:
        self.model.set_rows(rows)
        self.empty_hint.setVisible(not rows)
        self._update_buttons()

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
        self.delete_button.setEnabled(summary is not None and summary.status != "final" and not summary.voided)
