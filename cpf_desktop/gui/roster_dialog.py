"""The roster's dialogs: the import preview, one employee typed in by hand, and "who is this review for?".

Only ``Interaction`` opens them (tests answer for them instead); each is usable without showing it,
so tests and screenshots can fill and inspect them.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from ..review import Employee
from ..roster import MAX_FIELD_LENGTH, RosterPreview, employee_problems

_REFUSED = QColor("#a00000")
_NOTE_STYLE = "color: #555;"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def preview_headline(preview: RosterPreview) -> str:
    """One or two plain sentences: what clicking Import will do."""
    parts = []
    if preview.to_add:
        parts.append(f"{_plural(len(preview.to_add), 'employee')} will be added")
    if preview.to_update:
        parts.append(f"{_plural(len(preview.to_update), 'employee')} will be updated")
    text = (" and ".join(parts) + ".") if parts else "Nothing will change: there is nobody new to add or update."
    if preview.refused:
        text += (f" {_plural(len(preview.refused), 'row')} cannot be imported"
                 " (the reason is shown for each; correct the file and import it again).")
    if preview.unchanged:
        verb = "is" if len(preview.unchanged) == 1 else "are"
        text += f" {_plural(len(preview.unchanged), 'employee')} already on the roster {verb} unchanged."
    return text


class RosterPreviewDialog(QDialog):
    """What importing a roster file would do; nothing is stored unless the user clicks Import."""

    def __init__(self, preview: RosterPreview, file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle("Import roster")
        layout = QVBoxLayout(self)
        title = QLabel(f"Import employees from {file_name}")
        title.setStyleSheet("font-size: 13pt; font-weight: 700;")
        title.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(title)
        self.headline = QLabel(preview_headline(preview))
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)

        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Roster preview")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Row", "Employee number", "Name", "Details"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.tree.header()
        header.setStretchLastSection(True)
        for column, width in enumerate((90, 130, 200)):
            header.resizeSection(column, width)
        self._add_group("Will be added", [
            (r.row, r.employee.employee_number, r.employee.name, _details(r.employee), None)
            for r in preview.to_add
        ])
        self._add_group("Will be updated", [
            (u.row, u.new.employee_number, u.new.name,
             "; ".join(f"{c.label}: {_quoted(c.old)} → {_quoted(c.new)}" for c in u.changes), None)
            for u in preview.to_update
        ])
        self._add_group("Cannot be imported", [
            (r.row, r.employee.employee_number, r.employee.name, _sentence(r.reason), _REFUSED)
            for r in preview.refused
        ], color=_REFUSED)
        self._add_group("Already on the roster, unchanged", [
            (r.row, r.employee.employee_number, r.employee.name, _details(r.employee), None)
            for r in preview.unchanged
        ], expanded=False)
        layout.addWidget(self.tree, 1)

        self.notes = QLabel("\n".join(preview.notes))
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(_NOTE_STYLE)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.notes)

        if preview.has_changes:
            hint = QLabel("Nothing is stored until you click “Import”.")
            hint.setStyleSheet(_NOTE_STYLE)
            layout.addWidget(hint)
        buttons = QDialogButtonBox(self)  # in the dialog before a default is set, or the dialog never knows
        layout.addWidget(buttons)
        count = len(preview.to_add) + len(preview.to_update)
        self.import_button = QPushButton(f"Import {_plural(count, 'employee')}")
        self.cancel_button = buttons.addButton(
            QDialogButtonBox.StandardButton.Cancel if preview.has_changes else QDialogButtonBox.StandardButton.Close
        )
        if preview.has_changes:
            buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        else:
            self.import_button.hide()
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        # Enter imports (what the user came for); with nothing to import, Enter closes.
        start = self.import_button if preview.has_changes else self.cancel_button
        start.setDefault(True)
        start.setFocus()
        self.resize(980, 540)

    def _add_group(self, label: str, rows: list[tuple], expanded: bool = True, color: QColor | None = None) -> None:
        if not rows:
            return
        group = QTreeWidgetItem([f"{label} ({len(rows)})"])
        font = QFont(group.font(0))
        font.setBold(True)
        group.setFont(0, font)
        if color is not None:
            group.setForeground(0, QBrush(color))
        self.tree.addTopLevelItem(group)
        group.setFirstColumnSpanned(True)
        for row, number, name, details, color in rows:
            item = QTreeWidgetItem([f"Row {row}", number, name, details])
            item.setToolTip(3, details)
            if color is not None:
                item.setForeground(3, QBrush(color))
            group.addChild(item)
        group.setExpanded(expanded)

    def group_texts(self) -> dict[str, list[list[str]]]:
        """Every group's rows as shown (for tests): {"Will be added (2)": [["Row 2", "1001", ...]], ...}."""
        out = {}
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            out[group.text(0)] = [[group.child(j).text(c) for c in range(4)] for j in range(group.childCount())]
        return out


def _details(employee: Employee) -> str:
    return " · ".join(v for v in (employee.classification, employee.location) if v)


def _quoted(value: str) -> str:
    return f"“{value}”" if value else "(empty)"


def _sentence(reason: str) -> str:
    return reason[:1].upper() + reason[1:]


class EmployeeDialog(QDialog):
    """Add or edit one employee. The employee number is the key: it cannot change once the employee is added."""

    def __init__(self, title: str, employee: Employee, number_editable: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(employee.name)
        self.number = QLineEdit(employee.employee_number)
        self.classification = QLineEdit(employee.classification)
        self.location = QLineEdit(employee.location)
        for edit, label, hint in (
            (self.name, "&Name:", "e.g. Rosa Martínez"),
            (self.number, "Employee &number:", "e.g. 1002345"),
            (self.classification, "&Classification:", "e.g. Custodian, Office Technician"),
            (self.location, "&Location:", "e.g. Garfield High School"),
        ):
            edit.setMaxLength(MAX_FIELD_LENGTH)
            edit.setPlaceholderText(hint)
            edit.setAccessibleName(label.replace("&", "").rstrip(":"))
            edit.textChanged.connect(self._update)
            form.addRow(label, edit)
        self.number.setReadOnly(not number_editable)
        layout.addLayout(form)
        if not number_editable:
            fixed = QLabel("The employee number cannot be changed once the employee is on the roster.")
            fixed.setWordWrap(True)
            fixed.setStyleSheet(_NOTE_STYLE)
            layout.addWidget(fixed)
        self.problems = QLabel()
        self.problems.setStyleSheet("color: #a00000;")
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.name if number_editable or employee.name else self.classification).setFocus()
        self.resize(480, self.sizeHint().height())
        self._update()

    def employee(self) -> Employee:
        return Employee(self.name.text(), self.number.text(), self.classification.text(), self.location.text())

    def _update(self, *_args) -> None:
        problems = employee_problems(self.employee())
        self.save_button.setEnabled(not problems)
        # Say what is missing only once the user has typed something: an empty form is not an error.
        typed = any((self.name.text(), self.number.text()))
        self.problems.setText(" ".join(problems) if typed else "")


class ChooseEmployeeDialog(QDialog):
    """Who is the new review for? An employee from the roster, or a blank review."""

    def __init__(self, employees: list[Employee], parent: QWidget | None = None):
        super().__init__(parent)
        self.choice: Employee | None = None
        self.setWindowTitle("New review")
        layout = QVBoxLayout(self)
        question = QLabel("Who is this review for? The review starts with the employee’s name, number, "
                          "classification and location; you can still change them in the review.")
        question.setWordWrap(True)
        layout.addWidget(question)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find: name, number, classification or location")
        self.search.setAccessibleName("Find employee")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        layout.addWidget(self.search)
        self.list = QListWidget()
        self.list.setAccessibleName("Employees")
        for e in employees:
            details = " · ".join(v for v in (e.employee_number, e.classification, e.location) if v)
            item = QListWidgetItem(f"{e.name}  —  {details}" if details else e.name)
            item.setData(Qt.ItemDataRole.UserRole, e)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda _item: self._start())
        self.list.currentItemChanged.connect(self._update)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton("Start review", QDialogButtonBox.ButtonRole.AcceptRole)
        self.blank_button = buttons.addButton("Blank review", QDialogButtonBox.ButtonRole.ActionRole)
        self.blank_button.setToolTip("Start a review with an empty header and type the employee in yourself")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.start_button.clicked.connect(self._start)
        self.blank_button.clicked.connect(self._blank)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.search.setFocus()
        self.resize(560, 460)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._update()

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hidden = not all(w in item.text().casefold() for w in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        self.list.setCurrentItem(first)
        self._update()

    def _update(self, *_args) -> None:
        item = self.list.currentItem()
        self.start_button.setEnabled(item is not None and not item.isHidden())

    def _start(self) -> None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return
        self.choice = item.data(Qt.ItemDataRole.UserRole)
        self.accept()

    def _blank(self) -> None:
        self.choice = Employee()
        self.accept()
