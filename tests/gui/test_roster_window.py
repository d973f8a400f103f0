"""The roster in the window: import with a preview (declined, then confirmed), employees by hand, and a
new review that starts from an employee."""
from pathlib import Path

from PySide6.QtCore import Qt

from cpf_desktop.gui.roster_dialog import ChooseEmployeeDialog, EmployeeDialog, RosterPreviewDialog
from cpf_desktop.review import Employee
from cpf_desktop.roster import read_roster_file
from cpf_desktop.storage import EmployeeStore

MESSY = Path(__file__).resolve().parents[1] / "fixtures" / "roster-excel-1252.csv"
MARY = Employee("Mary Smith", "1002", "Custodian", "Garfield HS")
ANA = Employee("Ana Núñez", "1003", "Office Technician", "Roosevelt HS")


def roster(window) -> EmployeeStore:
    return EmployeeStore.of(window.ctx.store)


def menu_actions(window, title):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == title)
    return {a.text().replace("&", ""): a for a in menu.actions() if a.text()}


def test_import_roster_from_the_menu_declined_then_confirmed(window, interaction):
    roster(window).add(MARY)
    roster(window).add(ANA)
    before = roster(window).list_employees()
    actions = menu_actions(window, "Employees")
    assert list(actions) == ["Import roster…", "Add employee…", "Employees…"]

    interaction.open_path = None
    actions["Import roster…"].trigger()  # no file chosen: nothing happens
    assert interaction.last("preview_roster") is None

    interaction.open_path = str(MESSY)
    interaction.roster_answer = False
    actions["Import roster…"].trigger()
    kind, file_name, summary = interaction.last("preview_roster")
    assert file_name == "roster-excel-1252.csv"
    assert summary.startswith("2 to add, 1 to update, 1 unchanged, 3 refused.")
    assert "Row 7: employee number 1001 already appears in row 2; only that row is used." in summary
    assert roster(window).list_employees() == before  # declined: nothing stored

    interaction.roster_answer = True
    actions["Import roster…"].trigger()
    assert interaction.last("inform")[1:] == ("Roster imported", "Roster imported: 2 employee(s) added, 1 updated.")
    assert [e.name for e in roster(window).list_employees()] == ["Ana Núñez", "José Peña", "Mary Smith", "Tom Baker"]
    assert roster(window).get("1002").classification == "Senior Custodian"


def test_an_unusable_roster_file_is_refused_with_a_sentence(window, interaction, tmp_path):
    path = tmp_path / "staff.xlsx"
    path.write_bytes(b"PK\x03\x04 a workbook")
    interaction.open_path = str(path)
    window.import_roster()
    kind, title, text = interaction.last("warn")
    assert title == "Roster not imported" and "staff.xlsx: this is an Excel workbook" in text
    assert interaction.last("preview_roster") is None


def test_new_review_starts_from_an_employee_and_fills_the_header(window, interaction):
    roster(window).add(MARY)
    roster(window).add(ANA)
    count = len(window.ctx.store.list_reviews())

    interaction.chosen_employee = None  # cancelled: no review
    window.list_page.new_button.click()
    assert interaction.last("choose_employee")[2] == "Ana Núñez\nMary Smith"
    assert len(window.ctx.store.list_reviews()) == count

    interaction.chosen_employee = MARY
    window.new_action.trigger()
    ui = window.editor.header.ui
    assert (ui.employeeName.text(), ui.employeeNumber.text(), ui.classification.text(), ui.location.text()) == (
        "Mary Smith", "1002", "Custodian", "Garfield HS")
    assert ui.raterName.hasFocus()  # the employee is done: on to the rater
    saved = window.ctx.store.get(window.editor.review.id)
    assert saved.employee == MARY and saved.period_start is not None

    interaction.chosen_employee = Employee()  # "Blank review"
    window.new_review()
    assert window.editor.header.ui.employeeName.text() == ""
    assert window.ctx.store.get(window.editor.review.id).employee == Employee()


def test_without_a_roster_new_review_asks_nothing(window, interaction):
    window.new_review()
    assert interaction.last("choose_employee") is None
    assert window.editor.review.employee == Employee()


def test_employees_page_add_edit_and_start_a_review(window, interaction):
    menu_actions(window, "Employees")["Employees…"].trigger()
    page = window.employees_page
    assert window.stack.currentWidget() is page and page.empty_hint.isVisible() is True

    interaction.employee_answers = [Employee(" Kim  Lee ", "2001", "Clerk", "")]
    page.add_button.click()
    assert interaction.last("edit_employee")[1] == "Add employee"
    assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == "Kim Lee"

    # A number already on the roster: said, and the dialog comes back with what was typed.
    interaction.employee_answers = [Employee("Sam Roe", "2001"), Employee("Sam Roe", "2002")]
    window.add_employee()
    assert "2001 is already on the roster (Kim Lee)" in interaction.last("warn")[2]
    assert [m for m in interaction.messages if m[0] == "edit_employee"][-1] == ("edit_employee", "Add employee", "2001")
    assert roster(window).get("2002").name == "Sam Roe"

    page.select_number("2001")
    interaction.employee_answers = [Employee("Kim Lee-Park", "9999", "Senior Clerk", "Garfield HS")]
    page.edit_button.click()
    assert interaction.last("edit_employee") == ("edit_employee", "Edit employee", "2001")
    # The number is the key: it stays as it was even if a dialog handed back another one.
    assert roster(window).get("2001") == Employee("Kim Lee-Park", "2001", "Senior Clerk", "Garfield HS")
    assert roster(window).find_by_number("9999") is None
    assert page.table.item(page.table.currentRow(), 0).text() == "Kim Lee-Park"

    page.search.setText("sam")
    assert [page.table.isRowHidden(r) for r in range(page.table.rowCount())] == [True, False]
    page.search.clear()
    page.select_number("2001")
    page.review_button.click()
    assert window.stack.currentWidget() is window.editor
    assert window.editor.review.employee == Employee("Kim Lee-Park", "2001", "Senior Clerk", "Garfield HS")
    page.back_button.click()  # the page's own way home
    assert window.stack.currentWidget() is window.list_page


def test_the_real_dialogs_show_and_return_what_the_user_chose(qtbot):
    preview = read_roster_file(MESSY, [MARY, ANA])
    dialog = RosterPreviewDialog(preview, "staff.csv")
    qtbot.addWidget(dialog)
    groups = dialog.group_texts()
    assert list(groups) == ["Will be added (2)", "Will be updated (1)", "Cannot be imported (3)",
                            "Already on the roster, unchanged (1)"]
    assert groups["Will be updated (1)"] == [
        ["Row 3", "1002", "Mary Smith", "Classification: “Custodian” → “Senior Custodian”"]]
    assert groups["Cannot be imported (3)"][1] == [
        "Row 7", "1001", "Bob Jones", "Employee number 1001 already appears in row 2; only that row is used."]
    assert dialog.import_button.text() == "Import 3 employees" and "Windows-1252" in dialog.notes.text()
    assert dialog.headline.text().startswith("2 employees will be added and 1 employee will be updated.")

    nothing = RosterPreviewDialog(read_roster_file(MESSY, preview_all(preview)), "staff.csv")
    qtbot.addWidget(nothing)
    assert nothing.import_button.isHidden() and nothing.headline.text().startswith("Nothing will change")

    edit = EmployeeDialog("Edit employee", MARY, number_editable=False)
    qtbot.addWidget(edit)
    assert edit.number.isReadOnly() and edit.save_button.isEnabled()
    edit.name.setText("  ")
    assert not edit.save_button.isEnabled() and "The name is missing." in edit.problems.text()
    edit.name.setText("Mary Smith-Jones")
    assert edit.employee() == Employee("Mary Smith-Jones", "1002", "Custodian", "Garfield HS")

    choose = ChooseEmployeeDialog([ANA, MARY])
    qtbot.addWidget(choose)
    choose.search.setText("garfield")
    assert choose.list.currentItem().data(Qt.ItemDataRole.UserRole) == MARY
    choose.start_button.click()
    assert choose.choice == MARY
    blank = ChooseEmployeeDialog([ANA])
    qtbot.addWidget(blank)
    blank.search.setText("nobody")
    assert not blank.start_button.isEnabled()
    blank.blank_button.click()
    assert blank.choice == Employee()


def preview_all(preview):
    """The roster as it is after importing ``preview``."""
    stored = {e.employee_number: e for e in (MARY, ANA)}
    stored.update({r.employee.employee_number: r.employee for r in preview.to_add})
    stored.update({u.new.employee_number: u.new for u in preview.to_update})
    return list(stored.values())


def test_employees_shows_the_stored_employees_the_first_time(window):
    roster(window).add(MARY)
    roster(window).add(ANA)
    menu_actions(window, "Employees")["Employees…"].trigger()  # the page is built now, on first use
    page = window.employees_page
    assert window.stack.currentWidget() is page
    assert [page.table.item(r, 0).text() for r in range(page.table.rowCount())] == ["Ana Núñez", "Mary Smith"]
    assert page.empty_hint.isVisible() is False


def test_a_roster_whose_first_line_is_too_long_is_refused_with_a_sentence(window, interaction, tmp_path):
    path = tmp_path / "longhdr.csv"
    path.write_bytes(b"Name,Employee Number," + b"y" * 140_000 + b"\nAna,1,\n")
    interaction.open_path = str(path)
    window.import_roster()
    kind, title, text = interaction.last("warn")
    assert title == "Roster not imported"
    assert text.startswith("longhdr.csv: row 1 holds a cell of more than 131,072 characters") and \
        text.endswith("Nothing was stored.")
    assert interaction.last("preview_roster") is None and roster(window).list_employees() == []
