"""Window fixtures: the real main window on a private data folder, with scripted dialogs."""
from __future__ import annotations

import pytest


class ScriptedInteraction:
    """Stands in for every dialog: records what was shown and answers as the test says."""

    def __init__(self):
        self.messages: list[tuple[str, str, str]] = []
        self.confirm_answer = True
        self.save_path: str | None = None
        self.print_answer = False
        self.text_answer: str | None = None
        self.open_path: str | None = None
        self.folder_path: str | None = None  # choose_folder: a folder, or None = Cancel
        self.roster_answer = False  # the roster preview: True = Import
        self.employee_answers: list = []  # edit_employee answers in turn (an Employee, or None = Cancel)
        self.chosen_employee = None  # choose_employee: an Employee, Employee() = blank review, None = Cancel

    def confirm(self, parent, title, text, ok_text="OK"):
        self.messages.append(("confirm", title, text))
        return self.confirm_answer

    def inform(self, parent, title, text):
        self.messages.append(("inform", title, text))

    def warn(self, parent, title, text, details=""):
        self.messages.append(("warn", title, text))

    def show_help(self, parent, title, html):
        self.messages.append(("help", title, html))

    def about(self, parent, title, html, folder):
        self.messages.append(("about", title, html + "\n" + folder))

    def ask_text(self, parent, title, label):
        self.messages.append(("ask_text", title, label))
        return self.text_answer

    def open_file(self, parent, caption, folder, file_filter):
        self.messages.append(("open_file", caption, folder))
        return self.open_path

    def save_file(self, parent, caption, suggested, file_filter):
        self.messages.append(("save_file", caption, suggested))
        return self.save_path

    def preview_roster(self, parent, preview, file_name):
        self.messages.append(("preview_roster", file_name, preview.summary()))
        self.last_preview = preview
        return self.roster_answer

    def edit_employee(self, parent, title, employee, number_editable):
        self.messages.append(("edit_employee", title, employee.employee_number))
        return self.employee_answers.pop(0) if self.employee_answers else None

    def choose_employee(self, parent, employees):
        self.messages.append(("choose_employee", "", "\n".join(e.name for e in employees)))
        return self.chosen_employee

    def choose_folder(self, parent, caption, folder):
        self.messages.append(("choose_folder", caption, folder))
        return self.folder_path

    def print_setup(self, parent, printer):
        self.messages.append(("print", "", ""))
        return self.print_answer

    def last(self, kind):
        return next((m for m in reversed(self.messages) if m[0] == kind), None)


@pytest.fixture
def interaction():
    return ScriptedInteraction()


@pytest.fixture
def window(qtbot, data_dir, interaction):
    from cpf_desktop.gui.application import create_window

    w = create_window(data_dir, interaction)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.ctx.store.close()
