"""An employee's reviews side by side, competency by competency, with "Start next review"."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from ..history import NOT_APPLICABLE, History

_GREY = QColor("#888888")


class HistoryModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.history = History()

    def set_history(self, history: History) -> None:
        self.beginResetModel()
        self.history = history
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.history.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.history.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.history.columns[section].heading
        return self.history.rows[section][0]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        cell = self.history.rows[index.row()][1][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell
        if role == Qt.ItemDataRole.ForegroundRole and cell == NOT_APPLICABLE:
            return _GREY
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class HistoryPage(QWidget):
    """Signals ask the main window to act: go back, open a review, start the next one."""

    back_requested = Signal()
    open_requested = Signal(int)
    start_next_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        back = QPushButton("← All reviews")
        back.clicked.connect(self.back_requested)
        top.addWidget(back)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        top.addWidget(self.title, 1)
        self.start_next = QPushButton("Start next review")
        self.start_next.setToolTip("A new draft for the period after the latest review: header filled, ratings empty")
        self.start_next.clicked.connect(self.start_next_requested)
        top.addWidget(self.start_next)
        layout.addLayout(top)
        self.changes = QLabel()
        self.changes.setWordWrap(True)
        self.changes.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.changes)
        self.model = HistoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Ratings over the years")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().sectionDoubleClicked.connect(self._open_column)
        self.table.doubleClicked.connect(lambda index: self._open_column(index.column()))
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("Double-click a column to open that review."))

    def show_history(self, employee_name: str, history: History) -> None:
        self.title.setText(f"History of {employee_name or 'this employee'}")
        self.model.set_history(history)
        changes = history.changes()
        self.changes.setText("Changed since the review before: " + "; ".join(changes) if changes else "")
        self.changes.setVisible(bool(changes))

    def _open_column(self, column: int) -> None:
        if 0 <= column < len(self.model.history.columns):
            self.open_requested.emit(self.model.history.columns[column].review_id)
