"""The main window: the review list (home) and the review editor, with the menus."""
from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path

from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from .. import APP_NAME
from ..export.names import review_file_name
from ..review import Employee, Review, RuleError, default_period
from ..storage import EmployeeStore, StorageError
from .context import AppContext
from .review_list import ReviewListPage

log = logging.getLogger(__name__)


def _placeholder_text(warnings: list[str]) -> str:
    return ("Some characters cannot be printed with the fonts CPF Desktop carries and appear as � "
            "(a diamond with a question mark):\n\n" + "\n".join(f"• {w}" for w in warnings))


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(APP_NAME)
        self.stack = QStackedWidget()
        self.list_page = ReviewListPage()
        self._editor = None  # a ReviewEditor, built when the first review opens: a faster start
        self._employees_page = None  # the roster page, built when first shown
        self._history = None  # the history page, built when first shown
        self._history_of = None
        self.stack.addWidget(self.list_page)
        self.setCentralWidget(self.stack)

        self.list_page.new_requested.connect(self.new_review)
        self.list_page.open_requested.connect(self.open_review)
        self.list_page.delete_requested.connect(self.delete_review)
        self.list_page.history_requested.connect(self.show_history)
        self._build_menus()
        self._fit_to_screen()
        self._restore_state()
        self.refresh_list()

    @property
    def editor(self):  # -> ReviewEditor (imported lazily)
        if self._editor is None:
            from .review_editor import ReviewEditor

            editor = ReviewEditor(self.ctx)
            editor.back_requested.connect(self.show_list)
            editor.reloaded.connect(self._update_actions)
            editor.finalize_button.clicked.connect(editor.finalize)
            editor.export_button.clicked.connect(self.export_pdf)
            editor.print_button.clicked.connect(self.print_review)
            splitter = self.ctx.settings.value("editor/splitter")
            if splitter is not None:
                editor.splitter.restoreState(splitter)
            self.stack.addWidget(editor)
            self._editor = editor
        return self._editor

    def _editing(self) -> bool:
        return self._editor is not None and self.stack.currentWidget() is self._editor

    def _flush(self) -> bool:
        """Save whatever the editor holds; True when nothing is left unsaved."""
        return self._editor.flush() if self._editor is not None else True

    def _may_leave(self) -> bool:
        """Save the open review before showing something else; if that fails, ask, as closing does.

        Switching away used to drop what could not be saved while the message promised to save it.
        """
        if self._editor is None or self._editor.flush(quiet=True):
            return True
        if not self.ctx.interaction.confirm(
            self, "Leave without saving?",
            f"The last changes to this review could not be saved:\n\n{self._editor.save_problem}\n\n"
            "Stay on it to try again, or leave it and lose those changes?",
            "Leave and lose changes",
        ):
            return False
        self._editor.discard_unsaved()
        return True

    # -- menus ---------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = QAction("&New review", self, shortcut=QKeySequence.StandardKey.New, triggered=self.new_review)
        self.list_action = QAction("&All reviews", self, shortcut="Ctrl+L", triggered=self.show_list)
        self.export_action = QAction("&Export PDF…", self, shortcut="Ctrl+E", triggered=self.export_pdf)
        self.print_action = QAction("&Print…", self, shortcut=QKeySequence.StandardKey.Print, triggered=self.print_review)
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close)
        for action in (self.new_action, self.list_action, self.export_action, self.print_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        review_menu = self.menuBar().addMenu("&Review")
        self.amend_action = QAction("&Amend finalized review…", self, triggered=self.amend_review)
        self.void_action = QAction("&Void review…", self, triggered=self.void_review)
        self.log_action = QAction("Audit &log", self, triggered=self.show_audit_log)
        self.history_action = QAction("Employee &history", self, shortcut="Ctrl+H", triggered=self.show_history)
        for action in (self.amend_action, self.void_action, self.log_action, self.history_action):
            review_menu.addAction(action)

        employees_menu = self.menuBar().addMenu("E&mployees")
        self.import_roster_action = QAction("&Import roster…", self, triggered=self.import_roster)
        self.add_employee_action = QAction("&Add employee…", self, triggered=self.add_employee)
        self.employees_action = QAction("&Employees…", self, triggered=self.show_employees)
        for action in (self.import_roster_action, self.add_employee_action, self.employees_action):
            employees_menu.addAction(action)

        data_menu = self.menuBar().addMenu("&Data")
        data_menu.addAction(QAction("&Back up…", self, triggered=self.back_up))
        data_menu.addAction(QAction("&Restore from backup…", self, triggered=self.restore))
        data_menu.addAction(QAction("&Verify finalized reviews", self, triggered=self.verify))

        reports_menu = self.menuBar().addMenu("Re&ports")
        self.summary_action = QAction("&Site summary…", self, triggered=self.show_site_summary)
        self.batch_action = QAction("&Export or print a period…", self, triggered=self.export_period)
        reports_menu.addAction(self.summary_action)
        reports_menu.addAction(self.batch_action)

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(QAction("&Rating guide", self, shortcut=QKeySequence.StandardKey.HelpContents,
                                    triggered=self.show_rating_guide))
        help_menu.addAction(QAction("&Keyboard shortcuts", self, triggered=self.show_shortcuts))
        help_menu.addAction(QAction(f"&About {APP_NAME}", self, triggered=self.show_about))

    # -- pages ---------------------------------------------------------------------------------

    def refresh_list(self) -> None:
        try:
            self.list_page.set_reviews(self.ctx.store.list_reviews())
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Reviews not shown", str(exc))

    def show_list(self) -> None:
        if not self._may_leave():
            return
        self.refresh_list()
        if self._editor is not None and self._editor.review is not None:
            self.list_page.select_id(self._editor.review.id)
        self.stack.setCurrentWidget(self.list_page)
        self.ctx.settings.setValue("last_review", 0)
        self._update_actions()

    def new_review(self) -> None:
        """Start a review; with employees on the roster, first ask who it is for (or start a blank one)."""
        if not self._may_leave():
            return
        try:
            employees = self._employees().list_employees()
        except StorageError as exc:  # the roster is a convenience: a blank review still works
            log.warning("roster not read: %s", exc)
            employees = []
        employee = Employee()
        if employees:
            chosen = self.ctx.interaction.choose_employee(self, employees)
            if chosen is None:
                return
            employee = chosen
        self.new_review_for(employee)

    def new_review_for(self, employee: Employee) -> None:
        """Start a review whose header holds a copy of ``employee`` (an empty Employee: a blank review)."""
        if not self._may_leave():
            return
        try:
            start, end = default_period(date.today())
            review = self.ctx.store.create(Review(employee=employee, period_start=start, period_end=end))
        except StorageError as exc:
            self.ctx.interaction.warn(self, "No new review", str(exc))
            return
        self.open_review(review.id)
        ui = self.editor.header.ui
        (ui.raterName if employee.name else ui.employeeName).setFocus()

    # -- employees -----------------------------------------------------------------------------

    def _employees(self) -> EmployeeStore:
        return EmployeeStore.of(self.ctx.store)  # ctx.store changes after a restore: never keep one

    @property
    def employees_page(self):  # -> EmployeesPage (imported lazily)
        if self._employees_page is None:
            from .employees_page import EmployeesPage

            page = EmployeesPage()
            page.back_requested.connect(self.show_list)
            page.add_requested.connect(self.add_employee)
            page.import_requested.connect(self.import_roster)
            page.edit_requested.connect(self.edit_employee)
            page.review_requested.connect(self._review_for_number)
            self.stack.addWidget(page)
            self._employees_page = page
        return self._employees_page

    def show_employees(self) -> None:
        if not self._may_leave():
            return
        page = self.employees_page  # built first: _refresh_employees fills only a page that exists
        self._refresh_employees()
        self.stack.setCurrentWidget(page)
        self._update_actions()

    def _refresh_employees(self) -> None:
        if self._employees_page is None:
            return
        try:
            self._employees_page.set_employees(self._employees().list_employees())
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Employees not shown", str(exc))

    def import_roster(self) -> None:
        from ..roster import RosterError, read_roster_file

        folder = self.ctx.settings.value("roster_folder", str(Path.home()))
        path = self.ctx.interaction.open_file(
            self, "Import roster", folder, "CSV files (*.csv *.txt);;All files (*)"
        )
        if not path:
            return
        self.ctx.settings.setValue("roster_folder", str(Path(path).parent))
        employees = self._employees()
        try:
            preview = read_roster_file(Path(path), employees.list_employees())
        except (RosterError, StorageError) as exc:
            self.ctx.interaction.warn(self, "Roster not imported", f"{Path(path).name}: {exc} Nothing was stored.")
            return
        if not self.ctx.interaction.preview_roster(self, preview, Path(path).name) or not preview.has_changes:
            return
        try:
            result = employees.apply_roster(preview)
        except (RuleError, StorageError) as exc:
            self.ctx.interaction.warn(self, "Roster not imported", str(exc))
            return
        self._refresh_employees()
        self.statusBar().showMessage(f"Roster imported: {result}", 8000)
        self.ctx.interaction.inform(self, "Roster imported", f"Roster imported: {result}.")

    def add_employee(self) -> None:
        employee = Employee()
        while True:  # a number already on the roster: say so and let the user correct it
            employee = self.ctx.interaction.edit_employee(self, "Add employee", employee, True)
            if employee is None:
                return
            try:
                stored = self._employees().add(employee)
            except (RuleError, StorageError) as exc:
                self.ctx.interaction.warn(self, "Employee not added", str(exc))
                if isinstance(exc, RuleError):
                    continue
                return
            break
        self._refresh_employees()
        if self._employees_page is not None:
            self._employees_page.select_number(stored.employee_number)
        self.statusBar().showMessage(f"{stored.name} was added to the roster", 8000)

    def edit_employee(self, number: str) -> None:
        try:
            current = self._employees().get(number)
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Employee not changed", str(exc))
            return
        edited = self.ctx.interaction.edit_employee(self, "Edit employee", current, False)
        if edited is None:
            return
        try:
            # The number is the key and stays as it was, whatever the dialog returned.
            self._employees().update(Employee(edited.name, current.employee_number, edited.classification,
                                              edited.location))
        except (RuleError, StorageError) as exc:
            self.ctx.interaction.warn(self, "Employee not changed", str(exc))
            return
        self._refresh_employees()

    def _review_for_number(self, number: str) -> None:
        try:
            employee = self._employees().get(number)
        except StorageError as exc:
            self.ctx.interaction.warn(self, "No new review", str(exc))
            return
        self.new_review_for(employee)

    def open_review(self, review_id: int) -> None:
        if not self._may_leave():
            return
        try:
            self.editor.open_review(review_id)
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Review not opened", str(exc))
            self.show_list()
            return
        self.stack.setCurrentWidget(self.editor)
        self.ctx.settings.setValue("last_review", review_id)
        self._update_actions()

    def delete_review(self, review_id: int) -> None:
        try:
            review = self.ctx.store.get(review_id)
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Not deleted", str(exc))
            return
        if review.is_locked:
            self.ctx.interaction.warn(
                self, "Not deleted",
                "A finalized or voided review is a record and cannot be deleted. A finalized one can be voided "
                "(Review ▸ Void) if it should not count.",
            )
            return
        who = review.employee.name or "this unnamed draft"
        if not self.ctx.interaction.confirm(
            self, "Delete draft", f"Delete the draft review of {who}? This cannot be undone.", "Delete"
        ):
            return
        try:
            self.ctx.store.delete(review_id)
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Not deleted", str(exc))
        self.refresh_list()

    def _update_actions(self) -> None:
        editing = self._editing()
        review = self._editor.review if editing else None
        self.export_action.setEnabled(editing)
        self.print_action.setEnabled(editing)
        self.amend_action.setEnabled(bool(review and review.is_final and not review.is_void))
        self.void_action.setEnabled(bool(review and not review.is_void))
        self.log_action.setEnabled(editing)

    # -- lifecycle -----------------------------------------------------------------------------

    def amend_review(self) -> None:
        review = self._current_review()
        if review is None or not review.is_final:
            return
        reason = self.ctx.interaction.ask_text(
            self, "Amend finalized review",
            "The finalized review stays exactly as it was signed; a new draft version is made from it.\n"
            "Why is it amended? (kept with both versions)",
        )
        if reason is None:
            return
        try:
            draft = self.ctx.store.amend(review.id, reason)
        except (RuleError, StorageError) as exc:
            self.ctx.interaction.warn(self, "Not amended", str(exc))
            return
        self.open_review(draft.id)

    def void_review(self) -> None:
        review = self._current_review()
        if review is None:
            return
        reason = self.ctx.interaction.ask_text(
            self, "Void review",
            "A voided review stays on record, read-only and marked VOID. Why is it voided "
            "(for example: a practice review)?",
        )
        if reason is None:
            return
        try:
            self.ctx.store.void(review.id, reason)
        except (RuleError, StorageError) as exc:
            self.ctx.interaction.warn(self, "Not voided", str(exc))
            return
        self.open_review(review.id)

    def show_audit_log(self) -> None:
        review = self._editor.review if self._editing() else None
        if review is None:
            return
        try:
            entries = self.ctx.store.audit_log(review.id)
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Audit log", str(exc))
            return
        lines = [f"{e.at:%m/%d/%Y %H:%M}  {e.event}" + (f" — {e.detail}" if e.detail else "") for e in entries]
        self.ctx.interaction.inform(self, f"Audit log of review {review.id}", "\n".join(lines) or "No entries.")

    # -- history -------------------------------------------------------------------------------

    def _history_page(self):
        if self._history is None:
            from .history_page import HistoryPage

            page = HistoryPage()
            page.back_requested.connect(self.show_list)
            page.open_requested.connect(self.open_review)
            page.start_next_requested.connect(self.start_next_review)
            self.stack.addWidget(page)
            self._history = page
        return self._history

    def show_history(self) -> None:
        """Show the employee of the open (or selected) review over the years."""
        from ..history import build_history

        if self._editing() and self._editor.review is not None:
            if not self._may_leave():
                return
            review_id = self._editor.review.id  # as stored: changes the user chose to leave are not in it
        else:
            review_id = self.list_page.selected_id()
            if review_id is None:
                return
        try:  # the list may be older than the file: another program may have deleted the review
            review = self.ctx.store.get(review_id)
            reviews = self.ctx.store.reviews_of_employee(review.employee)
        except StorageError as exc:
            self.ctx.interaction.warn(self, "History", str(exc))
            return
        self._history_of = review.employee
        page = self._history_page()
        page.show_history(review.employee.name, build_history(self.ctx.framework, reviews or [review]))
        self.stack.setCurrentWidget(page)
        self._update_actions()

    def start_next_review(self) -> None:
        """A new draft for the period after the employee's latest review; ratings start empty."""
        from ..history import next_review

        try:
            reviews = self.ctx.store.reviews_of_employee(self._history_of)
            if not reviews:
                employee = self._history_of
                why = ("this review has no employee name or number yet: fill in the header first"
                       if not (employee.name or employee.employee_number) else
                       "this employee's reviews are no longer in the data file (deleted by another program?)")
                self.ctx.interaction.warn(self, "No new review", f"No next review could be started: {why}.")
                return
            latest = max(reviews, key=lambda r: (r.period_end or date.min, r.id))
            draft = self.ctx.store.create(next_review(latest, date.today()))
        except StorageError as exc:
            self.ctx.interaction.warn(self, "No new review", str(exc))
            return
        self.open_review(draft.id)

    # -- help ----------------------------------------------------------------------------------

    def show_rating_guide(self) -> None:
        from .help_text import rating_guide_html

        self.ctx.interaction.show_help(self, "Rating guide", rating_guide_html(self.ctx.framework))

    def show_shortcuts(self) -> None:
        from .help_text import shortcuts_html

        self.ctx.interaction.show_help(self, "Keyboard shortcuts", shortcuts_html())

    def show_about(self) -> None:
        from .help_text import about_html

        self.ctx.interaction.about(self, f"About {APP_NAME}", about_html(self.ctx.framework, self.ctx.data_folder),
                                   str(self.ctx.data_folder))

    # -- data ----------------------------------------------------------------------------------

    def back_up(self) -> None:
        from ..storage.backups import write_backup

        self._flush()
        suggested = str(Path(self.ctx.settings.value("export_folder", str(Path.home())))
                        / f"CPF_backup_{date.today():%Y-%m-%d}.sqlite3")
        path = self.ctx.interaction.save_file(self, "Back up all reviews", suggested, "CPF backups (*.sqlite3)")
        if not path:
            return
        try:
            write_backup(self.ctx.store.db.conn, Path(path), self.ctx.store.path)
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Backup not written", str(exc))
            return
        self.ctx.interaction.inform(self, "Backup written", f"All reviews were backed up to\n{path}")

    def restore(self) -> None:
        from ..paths import database_path
        from ..storage import open_store
        from ..storage.backups import backup_dir, inspect_backup, restore_backup

        if not self._flush():
            return
        path = self.ctx.interaction.open_file(
            self, "Restore from backup", str(backup_dir(self.ctx.data_folder)), "CPF backups (*.sqlite3);;All files (*)"
        )
        if not path:
            return
        info = inspect_backup(Path(path))
        if not info.usable:
            self.ctx.interaction.warn(self, "Not restored", f"That backup cannot be restored: {info.problem}")
            return
        when = f"{info.made_at:%B %d, %Y at %H:%M}" if info.made_at else "an unknown date"
        if not self.ctx.interaction.confirm(
            self, "Restore from backup",
            f"The backup was made {when} and holds {info.reviews} review(s), {info.finalized} finalized.\n\n"
            "Replace the current reviews with it? The current data file is kept aside, not deleted.",
            "Restore",
        ):
            return
        self.ctx.store.close()
        try:
            kept = restore_backup(Path(path), database_path(self.ctx.data_folder))
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Not restored", str(exc))
            kept = None
        self.ctx.store = open_store(self.ctx.data_folder)
        if kept is not None:
            self.ctx.store.record_restore(f"restored from {Path(path).name}; the previous file was kept as {kept.name}")
            self.ctx.interaction.inform(self, "Restored", f"The backup was restored. The previous data file was kept as\n{kept}")
        if self._editor is not None:
            self._editor.review = None
        self.show_list()

    def verify(self) -> None:
        try:
            bad = self.ctx.store.integrity_problems()
            finals = sum(1 for s in self.ctx.store.list_reviews() if s.status == "final")
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Not verified", str(exc))
            return
        if bad:
            names = "\n".join(f"• Review {p.review_id} ({p.employee_name or 'no name'}) {p.text}" for p in bad)
            self.ctx.interaction.warn(
                self, "Finalized reviews changed",
                f"These reviews are no longer as they were finalized (changed outside CPF Desktop):\n\n{names}",
            )
        else:
            self.ctx.interaction.inform(self, "Verified", f"All {finals} finalized review(s) are exactly as they were finalized.")

    # -- reports -------------------------------------------------------------------------------

    def show_site_summary(self) -> None:
        """Reports ▸ Site summary: a window of its own, beside the reviews."""
        from .summary_page import SiteSummaryDialog

        self._flush()
        old = getattr(self, "summary_dialog", None)
        if old is not None:  # one summary window at a time, showing today's data
            old.close()
            old.deleteLater()
        self.summary_dialog = SiteSummaryDialog(self.ctx, self)
        self.summary_dialog.show()

    def export_period(self) -> None:
        """Reports ▸ Export or print a period: every finalized review of a school year, or the selected one."""
        from .batch_dialog import BatchDialog

        self._flush()
        selected = self.list_page.selected_id() if self.stack.currentWidget() is self.list_page else None
        if selected is None and self._editing() and self._editor.review is not None:
            selected = self._editor.review.id
        old = getattr(self, "batch_dialog", None)
        if old is not None:
            if old.running:
                return
            old.deleteLater()
        self.batch_dialog = BatchDialog(self.ctx, self, selected_id=selected)
        self.batch_dialog.show()

    # -- export and print ----------------------------------------------------------------------

    def _current_review(self) -> Review | None:
        if not self._editing() or self._editor.review is None:
            return None
        if not self._editor.flush():
            return None
        return self._editor.review

    def export_pdf(self) -> None:
        review = self._current_review()
        if review is None:
            return
        folder = self.ctx.settings.value("export_folder", str(Path.home()))
        path = self.ctx.interaction.save_file(
            self, "Export review as PDF", str(Path(folder) / review_file_name(review)), "PDF files (*.pdf)"
        )
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        from ..export.pdf import PdfExportError, write_review_pdf  # reportlab only when exporting

        try:
            warnings = write_review_pdf(self.ctx.framework, review, Path(path))
        except PdfExportError as exc:
            self.ctx.interaction.warn(self, "PDF not written", str(exc))
            return
        self.ctx.settings.setValue("export_folder", str(Path(path).parent))
        self._record(review, "exported", f"PDF {Path(path).name}")
        note = "" if review.is_final else "\n\nThis is a draft: every page is marked DRAFT."
        self.statusBar().showMessage(f"Saved {path}", 8000)
        if warnings:
            self.ctx.interaction.warn(self, "PDF exported with placeholders",
                                      f"The review was saved as\n{path}{note}\n\n{_placeholder_text(warnings)}")
        else:
            self.ctx.interaction.inform(self, "PDF exported", f"The review was saved as\n{path}{note}")

    def print_review(self) -> None:
        review = self._current_review()
        if review is None:
            return
        from PySide6.QtPrintSupport import QPrinter

        from ..export.pdf import export_warnings, render_review_pdf
        from .printing import print_pdf

        warnings = export_warnings(self.ctx.framework, review)
        if warnings and not self.ctx.interaction.confirm(
            self, "Print with placeholders?", _placeholder_text(warnings) + "\n\nPrint anyway?", "Print anyway",
        ):
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(review_file_name(review))
        if not self.ctx.interaction.print_setup(self, printer):
            return
        try:
            pages = print_pdf(render_review_pdf(self.ctx.framework, review), printer)
        except Exception as exc:  # printer drivers fail in many ways; say so and keep the review
            log.exception("printing failed")
            self.ctx.interaction.warn(self, "Not printed", f"The review could not be printed: {exc}")
            return
        self._record(review, "printed", f"{pages} page(s)")
        self.statusBar().showMessage(f"Sent {pages} page(s) to the printer", 8000)

    def _record(self, review: Review, event: str, detail: str) -> None:
        try:
            self.ctx.store.record_event(review.id, event, detail)
        except StorageError as exc:  # the export itself worked; the log entry is secondary
            log.warning("audit entry not written: %s", exc)

    # -- state ---------------------------------------------------------------------------------

    def _fit_to_screen(self) -> None:
        """Start at 1280 x 800, but never larger than the screen: school laptops often have 1366 x 768,
        and a window taller than the screen hides its bottom row of buttons."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        width, height = 1280, 800
        if screen is not None:
            available = screen.availableGeometry()
            # Leave room for the title bar and frame, which availableGeometry does not include.
            width = min(width, available.width() - 16)
            height = min(height, available.height() - 48)
        self.resize(max(width, 640), max(height, 480))

    def _restore_state(self) -> None:
        s = self.ctx.settings
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def reopen_last_review(self) -> None:
        last = int(self.ctx.settings.value("last_review", 0) or 0)
        if last and self.ctx.store.exists(last):
            self.open_review(last)
        else:
            self.show_list()

    def closeEvent(self, event) -> None:
        # Save typing first; if it cannot be saved, say why and ask (one message), else the window stays.
        if self._editor is not None and not self._editor.flush(quiet=True):
            if not self.ctx.interaction.confirm(
                self, "Close without saving?",
                f"The last changes could not be saved:\n\n{self._editor.save_problem}\n\n"
                "Close anyway and lose them?",
                "Close and lose changes",
            ):
                event.ignore()
                return
        s = self.ctx.settings
        s.setValue("window/geometry", self.saveGeometry())
        if self._editor is not None:
            s.setValue("editor/splitter", self._editor.splitter.saveState())
        s.sync()
        try:
            os.chmod(s.fileName(), 0o600)
        except OSError:
            pass  # settings hold no personnel data; the folder itself is private
        super().closeEvent(event)
