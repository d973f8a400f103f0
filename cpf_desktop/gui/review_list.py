"""The home page: every review with employee, type, period, status and last change."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from ..review import REVIEW_TYPES
from ..storage import ReviewSummary

COLUMNS = ("Employee", "Employee number", "Type", "Period", "Status", "Last changed")
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


def _period(s: ReviewSummary) -> str:
    if not (s.period_start or s.period_end):
        return ""
    start = f"{s.period_start:%m/%d/%Y}" if s.period_start else "?"
    end = f"{s.period_end:%m/%d/%Y}" if s.period_end else "?"
    return f"{start} – {end}"


class ReviewListModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[ReviewSummary] = []

    def set_rows(self, rows: list[ReviewSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        s = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            sort = role == SORT_ROLE
            if column == 0:
                return s.employee_name or ("" if sort else "(no name yet)")
            if column == 1:
                return s.employee_number
            if column == 2:
                return REVIEW_TYPES.get(s.review_type or "", "")
            if column == 3:
                return (s.period_start.isoformat() if s.period_start else "") if sort else _period(s)
            if column == 4:
                return s.status_text
            if column == 5:
                if sort:
                    return s.updated_at.isoformat() if s.updated_at else ""
                return f"{s.updated_at:%m/%d/%Y %H:%M}" if s.updated_at else ""
        if role == Qt.ItemDataRole.UserRole:
            return s.id
        if role == Qt.ItemDataRole.ForegroundRole and column == 4 and s.status == "final":
            from PySide6.QtGui import QColor

            return QColor("#1b6b2a")
        return None


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
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Reviews")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
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
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(Qt.ItemDataRole.UserRole) == review_id:
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
