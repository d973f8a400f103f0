"""The main window: the review list (home) and the review editor, with the menus."""
from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from .. import APP_NAME
from ..review import Review
from ..storage import ReviewNotFound, StorageError
from .context import AppContext
from .header_form import default_period
from .review_editor import ReviewEditor
from .review_list import ReviewListPage

log = logging.getLogger(__name__)


def suggested_pdf_name(review: Review) -> str:
    name = re.sub(r"[^\w\- ]+", "", review.employee.name, flags=re.UNICODE).strip().replace(" ", "_") or "review"
    period = review.period_end.year if review.period_end else ""
    return f"CPF_review_{name}_{period}.pdf".replace("__", "_")


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(APP_NAME)
        self.stack = QStackedWidget()
        self.list_page = ReviewListPage()
        self.editor = ReviewEditor(ctx)
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.editor)
        self.setCentralWidget(self.stack)

        self.list_page.new_requested.connect(self.new_review)
        self.list_page.open_requested.connect(self.open_review)
        self.list_page.delete_requested.connect(self.delete_review)
        self.editor.back_requested.connect(self.show_list)
        self.editor.finalize_button.clicked.connect(self.editor.finalize)
        self.editor.export_button.clicked.connect(self.export_pdf)
        self.editor.print_button.clicked.connect(self.print_review)
        self._build_menus()
        self.resize(1280, 800)
        self._restore_state()
        self.refresh_list()

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

    # -- pages ---------------------------------------------------------------------------------

    def refresh_list(self) -> None:
        try:
            self.list_page.set_reviews(self.ctx.store.list_reviews())
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Reviews not shown", str(exc))

    def show_list(self) -> None:
        self.editor.flush()
        self.refresh_list()
        if self.editor.review is not None:
            self.list_page.select_id(self.editor.review.id)
        self.stack.setCurrentWidget(self.list_page)
        self.ctx.settings.setValue("last_review", 0)
        self._update_actions()

    def new_review(self) -> None:
        self.editor.flush()
        try:
            start, end = default_period(date.today())
            review = self.ctx.store.create(Review(period_start=start, period_end=end))
        except StorageError as exc:
            self.ctx.interaction.warn(self, "No new review", str(exc))
            return
        self.open_review(review.id)
        self.editor.header.ui.employeeName.setFocus()

    def open_review(self, review_id: int) -> None:
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
        if review.is_final:
            self.ctx.interaction.warn(self, "Not deleted", "A finalized review is a signed record and cannot be deleted.")
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
        editing = self.stack.currentWidget() is self.editor
        self.export_action.setEnabled(editing)
        self.print_action.setEnabled(editing)

    # -- export and print ----------------------------------------------------------------------

    def _current_review(self) -> Review | None:
        if self.stack.currentWidget() is not self.editor or self.editor.review is None:
            return None
        if not self.editor.flush():
            return None
        return self.editor.review

    def export_pdf(self) -> None:
        review = self._current_review()
        if review is None:
            return
        folder = self.ctx.settings.value("export_folder", str(Path.home()))
        path = self.ctx.interaction.save_file(
            self, "Export review as PDF", str(Path(folder) / suggested_pdf_name(review)), "PDF files (*.pdf)"
        )
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        from ..export.pdf import PdfExportError, write_review_pdf  # reportlab only when exporting

        try:
            write_review_pdf(self.ctx.framework, review, Path(path))
        except PdfExportError as exc:
            self.ctx.interaction.warn(self, "PDF not written", str(exc))
            return
        self.ctx.settings.setValue("export_folder", str(Path(path).parent))
        note = "" if review.is_final else "\n\nThis is a draft: every page is marked DRAFT."
        self.statusBar().showMessage(f"Saved {path}", 8000)
        self.ctx.interaction.inform(self, "PDF exported", f"The review was saved as\n{path}{note}")

    def print_review(self) -> None:
        review = self._current_review()
        if review is None:
            return
        from PySide6.QtPrintSupport import QPrinter

        from ..export.pdf import render_review_pdf
        from .printing import print_pdf

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(suggested_pdf_name(review))
        if not self.ctx.interaction.print_setup(self, printer):
            return
        try:
            pages = print_pdf(render_review_pdf(self.ctx.framework, review), printer)
        except Exception as exc:  # printer drivers fail in many ways; say so and keep the review
            log.exception("printing failed")
            self.ctx.interaction.warn(self, "Not printed", f"The review could not be printed: {exc}")
            return
        self.statusBar().showMessage(f"Sent {pages} page(s) to the printer", 8000)

    # -- state ---------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        s = self.ctx.settings
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = s.value("editor/splitter")
        if splitter is not None:
            self.editor.splitter.restoreState(splitter)

    def reopen_last_review(self) -> None:
        last = int(self.ctx.settings.value("last_review", 0) or 0)
        if last and self.ctx.store.exists(last):
            self.open_review(last)
        else:
            self.show_list()

    def closeEvent(self, event) -> None:
        # Save typing first; if it cannot be saved, the message has been shown and the window stays.
        if not self.editor.flush():
            if not self.ctx.interaction.confirm(
                self, "Close without saving?",
                "The last changes could not be saved (see the previous message). Close anyway and lose them?",
                "Close and lose changes",
            ):
                event.ignore()
                return
        s = self.ctx.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("editor/splitter", self.editor.splitter.saveState())
        s.sync()
        super().closeEvent(event)
