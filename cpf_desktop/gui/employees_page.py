"""The roster page: every employee, to find, add, edit by hand, import from a file, or start a review for."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from ..review import Employee

COLUMNS = ("Name", "Employee number", "Classification", "Location")


class EmployeesPage(QWidget):
    """Signals carry the employee number (the roster's key)."""

    back_requested = Signal()
    add_requested = Signal()
    import_requested = Signal()
    edit_requested = Signal(str)
    review_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.employees: list[Employee] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton("◀ All reviews")
        self.back_button.clicked.connect(self.back_requested)
        title = QLabel("Employees")
        title.setStyleSheet("font-size: 15pt; font-weight: 700;")
        top.addWidget(self.back_button)
        top.addWidget(title)
        top.addStretch(1)
        layout.addLayout(top)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find: name, number, classification or location")
        self.search.setAccessibleName("Find employees")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        layout.addWidget(self.search)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Employees")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # by name, as the roster is read
        for column, width in ((1, 140), (2, 220), (3, 240)):
            header.resizeSection(column, width)
        self.table.doubleClicked.connect(lambda _index: self._emit_for(self.edit_requested))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        self.empty_hint = QLabel(
            "No employees yet. “Import roster…” reads them from a CSV file saved from Excel "
            "(columns: Name, Employee Number, Classification, Location); “Add employee…” types one in."
        )
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: #555; padding: 8px;")
        layout.addWidget(self.empty_hint)

        buttons = QHBoxLayout()
        self.review_button = QPushButton("New review for this employee")
        self.edit_button = QPushButton("Edit…")
        self.add_button = QPushButton("Add employee…")
        self.import_button = QPushButton("Import roster…")
        self.review_button.clicked.connect(lambda: self._emit_for(self.review_requested))
        self.edit_button.clicked.connect(lambda: self._emit_for(self.edit_requested))
        self.add_button.clicked.connect(self.add_requested)
        self.import_button.clicked.connect(self.import_requested)
        for button in (self.review_button, self.edit_button, self.add_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_employees(self, employees: list[Employee]) -> None:
        chosen = self.selected_number()
        self.employees = list(employees)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.employees))
        for row, e in enumerate(self.employees):
            for column, value in enumerate((e.name, e.employee_number, e.classification, e.location)):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, e.employee_number)
                self.table.setItem(row, column, item)
        self.table.setSortingEnabled(True)
        self.empty_hint.setVisible(not self.employees)
        self._filter(self.search.text())
        if chosen:
            self.select_number(chosen)
        self._update_buttons()

    def selected_number(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(Qt.ItemDataRole.UserRole) if rows else None

    def select_number(self, number: str) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == number:
                self.table.selectRow(row)
                return

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        for row in range(self.table.rowCount()):
            cells = " ".join(self.table.item(row, c).text() for c in range(len(COLUMNS))).casefold()
            self.table.setRowHidden(row, not all(w in cells for w in words))

    def _emit_for(self, signal) -> None:
        number = self.selected_number()
        if number is not None:
            signal.emit(number)

    def _update_buttons(self) -> None:
        chosen = self.selected_number() is not None
        self.review_button.setEnabled(chosen)
        self.edit_button.setEnabled(chosen)
