"""Every question, warning, file picker and print dialog goes through here.

Widgets never open a dialog themselves: they call the ``Interaction`` object of the app context,
so tests replace that one object and no modal dialog ever blocks a test run.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget


class Interaction:
    """Real dialogs. Each method returns the user's answer."""

    def _run(self, box: QMessageBox) -> None:
        """Show a message box modally (the one place that blocks; screenshots override it)."""
        box.exec()

    def confirm(self, parent: QWidget | None, title: str, text: str, ok_text: str = "OK") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent)
        ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self._run(box)
        return box.clickedButton() is ok

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        self._run(QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent))

    def warn(self, parent: QWidget | None, title: str, text: str, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
        if details:
            box.setDetailedText(details)  # copyable, for IT staff
        self._run(box)

    def show_help(self, parent: QWidget | None, title: str, html: str) -> None:
        """Show formatted help text (a table of shortcuts, the rating guide)."""
        box = QMessageBox(QMessageBox.Icon.NoIcon, title, html, QMessageBox.StandardButton.Close, parent)
        box.setTextFormat(Qt.TextFormat.RichText)
        self._run(box)

    def about(self, parent: QWidget | None, title: str, html: str, folder: str) -> None:
        """The About box, with a button that opens the data folder in the file manager."""
        box = QMessageBox(QMessageBox.Icon.Information, title, html, QMessageBox.StandardButton.Close, parent)
        box.setTextFormat(Qt.TextFormat.RichText)
        open_button = box.addButton("Open data folder", QMessageBox.ButtonRole.ActionRole)
        self._run(box)
        if box.clickedButton() is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(folder))

    def ask_text(self, parent: QWidget | None, title: str, label: str) -> str | None:
        """Ask for a short text (a reason); None when cancelled."""
        text, ok = QInputDialog.getMultiLineText(parent, title, label)
        return text if ok else None

    def open_file(self, parent: QWidget | None, caption: str, folder: str, file_filter: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, caption, folder, file_filter)
        return path or None

    def save_file(self, parent: QWidget | None, caption: str, suggested: str, file_filter: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, file_filter)
        return path or None

    def choose_folder(self, parent: QWidget | None, caption: str, folder: str) -> str | None:
        """Ask for an existing folder (to export many files into); None when cancelled."""
        path = QFileDialog.getExistingDirectory(parent, caption, folder)
        return path or None

    def preview_roster(self, parent: QWidget | None, preview, file_name: str) -> bool:
        """Show what importing a roster file would do (a ``RosterPreview``); True when the user chose Import."""
        from .roster_dialog import RosterPreviewDialog

        return RosterPreviewDialog(preview, file_name, parent).exec() == QDialog.DialogCode.Accepted

    def edit_employee(self, parent: QWidget | None, title: str, employee, number_editable: bool):
        """Let the user type an employee's fields (an ``Employee``); the edited Employee, or None when cancelled."""
        from .roster_dialog import EmployeeDialog

        dialog = EmployeeDialog(title, employee, number_editable, parent)
        return dialog.employee() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def choose_employee(self, parent: QWidget | None, employees: list):
        """Ask who a new review is for: an ``Employee`` from ``employees``, an empty Employee() for a blank
        review, or None when cancelled."""
        from .roster_dialog import ChooseEmployeeDialog

        dialog = ChooseEmployeeDialog(employees, parent)
        return dialog.choice if dialog.exec() == QDialog.DialogCode.Accepted else None

    def print_setup(self, parent: QWidget | None, printer) -> bool:
        """Show the system print dialog for ``printer``; True when the user chose to print."""
        from PySide6.QtPrintSupport import QPrintDialog

        dialog = QPrintDialog(printer, parent)
        return dialog.exec() == QPrintDialog.DialogCode.Accepted
