"""Reports ▸ Export or print a period: every finalized review of a school year (or the selected one)
into a folder, one combined PDF, or the printer — with a progress bar and Cancel.

The export runs in the window's thread, one review at a time; between reviews the progress
callback updates the bar and lets Qt handle events, so Cancel is clicked as usual. It never starts a
modal loop of its own: tests call ``start()`` and cancel from the ``progressed`` signal.
What is exported and how files are named is decided in ``cpf_desktop.export.batch``.
"""
from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication, QButtonGroup, QComboBox, QDialog, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QProgressBar,
    QPushButton, QRadioButton, QVBoxLayout, QWidget,
)

from ..storage import StorageError
from ..summary import Period, drop_superseded
from .context import AppContext
from .summary_page import default_school_year, school_years

log = logging.getLogger(__name__)

FOLDER, COMBINED, PRINT = "folder", "combined", "print"


class BatchDialog(QDialog):
    """Choose what (a school year, or the selected review) and where (folder, one file, printer); then run."""

    progressed = Signal(int, int)  # done, total: after the bar moved (tests cancel from here)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, selected_id: int | None = None,
                 today: date | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.selected_id = selected_id
        self.last_result = None  # the last BatchResult
        self.running = False
        self._cancelled = False
        self.setWindowTitle("Export or print a period")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        layout = QVBoxLayout(self)

        what = QGroupBox("Which reviews")
        grid = QGridLayout(what)
        self.period_radio = QRadioButton("Every finalized review of the school year")
        self.year_combo = QComboBox()
        self.year_combo.setAccessibleName("School year")
        today = today or date.today()
        for year in school_years(ctx.store, today):
            self.year_combo.addItem(Period.school_year(year).label, year)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(default_school_year(ctx.store, today))))
        self.selected_radio = QRadioButton("Only the review selected in the list")
        self.selected_radio.setEnabled(selected_id is not None)
        if selected_id is not None:
            try:
                chosen = ctx.store.get(selected_id)
                state = "void" if chosen.is_void else ("final" if chosen.is_final else "draft, printed as DRAFT")
                self.selected_radio.setText(f"Only the review selected in the list: {chosen.employee.name or 'no name'}"
                                            f" ({state})")
            except StorageError:
                self.selected_radio.setEnabled(False)
        self.period_radio.setChecked(True)
        grid.addWidget(self.period_radio, 0, 0)
        grid.addWidget(self.year_combo, 0, 1)
        grid.addWidget(self.selected_radio, 1, 0, 1, 2)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")
        grid.addWidget(self.count_label, 2, 0, 1, 2)
        layout.addWidget(what)

        where = QGroupBox("Where to")
        box = QVBoxLayout(where)
        self.mode_group = QButtonGroup(self)
        self.mode_buttons = {
            FOLDER: QRadioButton("One PDF file per review, into a folder…"),
            COMBINED: QRadioButton("All in one PDF file… (each review keeps its own page numbers)"),
            PRINT: QRadioButton("Print them all (one print job)…"),
        }
        for button in self.mode_buttons.values():
            self.mode_group.addButton(button)
            box.addWidget(button)
        self.mode_buttons[FOLDER].setChecked(True)
        layout.addWidget(where)

        self.status = QLabel(" ")
        self.status.setAccessibleName("Progress")
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.bar.setFormat("%v of %m")
        self.bar.setVisible(False)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.start_button = QPushButton("Export…")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self._close_or_cancel)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        for widget in (self.period_radio, self.selected_radio):
            widget.toggled.connect(self._update)
        self.year_combo.currentIndexChanged.connect(self._update)
        self.mode_group.buttonToggled.connect(self._update)
        self.resize(560, self.sizeHint().height())
        self._update()

    # -- choices -------------------------------------------------------------------------------

    @property
    def period(self) -> Period:
        return Period.school_year(self.year_combo.currentData())

    @property
    def mode(self) -> str:
        return next(mode for mode, button in self.mode_buttons.items() if button.isChecked())

    def set_mode(self, mode: str) -> None:
        self.mode_buttons[mode].setChecked(True)

    def review_ids(self) -> list[int]:
        """What would be exported now: the period's current finalized reviews, or the selected one."""
        if self.selected_radio.isChecked() and self.selected_id is not None:
            return [self.selected_id]
        found = self.ctx.store.finalized_in_period(self.period.start, self.period.end)
        return [s.id for s in drop_superseded(found, self.ctx.store.superseded_ids())]

    def _update(self, *_args) -> None:
        self.year_combo.setEnabled(self.period_radio.isChecked() and not self.running)
        try:
            n = len(self.review_ids())
        except StorageError as exc:
            self.count_label.setText(str(exc))
            n = 0
        if self.selected_radio.isChecked():
            self.count_label.setText("1 review, exactly as it is (a draft is marked DRAFT on every page).")
        else:
            self.count_label.setText(f"{n} finalized review(s) whose period ends in the {self.period.label} "
                                     "(voided reviews and amended originals are left out).")
        self.start_button.setText("Print…" if self.mode == PRINT else "Export…")
        self.start_button.setEnabled(n > 0 and not self.running)

    # -- running -------------------------------------------------------------------------------

    def cancel(self) -> None:
        """Stop after the review being made now; what is written stays whole, nothing partial is left."""
        if self.running:
            self._cancelled = True
            self.status.setText("Cancelling…")

    def _close_or_cancel(self) -> None:
        if self.running:
            self.cancel()
        else:
            self.close()

    def reject(self) -> None:  # Esc or the window's close button
        if self.running:
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.running:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)

    def _progress(self, done: int, total: int, name: str) -> bool:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)
        if done < total:
            self.status.setText(f"Making {done + 1} of {total}: {name}")
        else:
            self.status.setText("Writing…" if self.mode != PRINT else "Preparing the print job…")
        self.progressed.emit(done, total)
        QApplication.processEvents()  # paint the bar; let Cancel be clicked
        return not self._cancelled

    def start(self) -> None:
        """Ask where (folder, file or printer), then export with the progress bar; report what happened."""
        if self.running:
            return
        from ..export.batch import BatchError, export_batch, result_text

        try:
            ids = self.review_ids()
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Nothing exported", str(exc))
            return
        if not ids:
            return
        selected = self.selected_radio.isChecked()
        mode = self.mode
        target = self._ask_target(mode)
        if target is None:
            return
        kwargs = {FOLDER: {"folder": target}, COMBINED: {"combined": target}, PRINT: {"in_memory": True}}[mode]
        self._set_running(True)
        try:
            result = export_batch(self.ctx.framework, ids, load=self.ctx.store.get, selected=selected,
                                  progress=self._progress, **kwargs)
        except BatchError as exc:
            self._set_running(False)
            self.ctx.interaction.warn(self, "Nothing exported", str(exc))
            return
        self.last_result = result
        printed_pages = 0
        if mode == PRINT and result.combined_pdf and not result.cancelled:
            printed_pages = self._print(result, target)
        self._set_running(False)
        self._record(result, mode, printed_pages)
        self._report(result, mode, printed_pages, result_text(result))
        self.accept()

    def _ask_target(self, mode: str):
        interaction = self.ctx.interaction
        folder = self.ctx.settings.value("export_folder", str(Path.home()))
        if mode == FOLDER:
            path = interaction.choose_folder(self, "Export the reviews into a folder", folder)
            if path:
                self.ctx.settings.setValue("export_folder", path)
            return Path(path) if path else None
        if mode == COMBINED:
            label = (f"{self.period.start.year}-{str(self.period.end.year)[-2:]}" if not self.selected_radio.isChecked()
                     else "selected")
            path = interaction.save_file(self, "Export the reviews as one PDF",
                                         str(Path(folder) / f"CPF_reviews_{label}.pdf"), "PDF files (*.pdf)")
            if not path:
                return None
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.ctx.settings.setValue("export_folder", str(Path(path).parent))
            return Path(path)
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"CPF reviews {self.period.label}")
        return printer if interaction.print_setup(self, printer) else None

    def _print(self, result, printer) -> int:
        from .printing import print_pdf

        self.status.setText(f"Sending {result.combined_pages} page(s) to the printer…")
        QApplication.processEvents()
        try:
            return print_pdf(result.combined_pdf, printer)
        except Exception as exc:  # printer drivers fail in many ways; say so
            log.exception("batch printing failed")
            self.ctx.interaction.warn(self, "Not printed", f"The reviews could not be printed: {exc}")
            return 0

    def _set_running(self, running: bool) -> None:
        self.running = running
        self._cancelled = False if running else self._cancelled
        for widget in (self.period_radio, self.selected_radio, *self.mode_buttons.values()):
            widget.setEnabled(not running and (widget is not self.selected_radio or self.selected_id is not None))
        self.bar.setVisible(running)
        self.close_button.setText("Cancel" if running else "Close")
        self._update()

    def _record(self, result, mode: str, printed_pages: int) -> None:
        try:
            if mode == PRINT:
                if printed_pages:
                    for review_id in result.combined_reviews:
                        self.ctx.store.record_event(review_id, "printed",
                                                    f"one print job of {len(result.combined_reviews)} review(s)")
                return
            for item in result.exported:
                self.ctx.store.record_event(item.review_id, "exported", f"PDF {item.path.name} (batch)")
        except StorageError as exc:  # the files are written; the log entry is secondary
            log.warning("audit entry not written: %s", exc)

    def _report(self, result, mode: str, printed_pages: int, text: str) -> None:
        interaction = self.ctx.interaction
        if mode == PRINT and printed_pages:
            text = f"{len(result.combined_reviews)} review(s), {printed_pages} page(s), were sent to the printer."
            if result.failed:
                text += "\n\n" + "\n".join(f"• {f.employee or f.review_id}: {f.reason}" for f in result.failed)
        if result.failed:
            interaction.warn(self, "Some reviews were not exported", text)
        elif result.cancelled:
            interaction.inform(self, "Export cancelled", text)
        else:
            interaction.inform(self, "Reviews printed" if mode == PRINT else "Reviews exported", text)
