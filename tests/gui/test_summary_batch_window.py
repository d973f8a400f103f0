"""Reports menu: the site summary (chart, table, PDF) and exporting or printing a whole period."""
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from builders import complete_review
from cpf_desktop.gui.batch_dialog import COMBINED, PRINT
from cpf_desktop.review import FINAL, Employee
from cpf_desktop.summary import NOT_APPLICABLE

NAMES = ["Rosa Martínez", "Daniel Okafor", "Mei-Ling Chen", "José Hernández", "Aaliyah Johnson", "Tuan Nguyen"]


def add_finalized(window, framework, names=NAMES):
    ids = []
    for i, name in enumerate(names):
        review = complete_review(framework, supervisory=i < 2)
        review.employee = Employee(name, f"E{500 + i}")
        review.status = FINAL
        ids.append(window.ctx.store.create(review, framework).id)
    return ids


def events(window, review_id):
    return [(e.event, e.detail) for e in window.ctx.store.audit_log(review_id)]


def test_site_summary_shows_table_and_chart_and_exports(window, interaction, framework, tmp_path):
    ids = add_finalized(window, framework)
    window.ctx.store.create(complete_review(framework))  # a draft: not in the summary
    window.refresh_list()
    window.summary_action.trigger()
    dialog = window.summary_dialog
    assert dialog.isVisible() and "2025\u201326 school year" in dialog.year_combo.currentText()
    summary = dialog.summary
    assert len(summary.rows) == 6 and sorted(summary.review_ids) == sorted(ids)
    model = dialog.model
    assert model.rowCount() == 6 and model.columnCount() == 2 + 24 + 1
    assert model.headerData(2 + 21, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == "22. Culture/Environment"
    na_rows = [r for r in range(6) if model.index(r, 2 + 21).data() == NOT_APPLICABLE]
    assert len(na_rows) == 4  # the four non-supervisory reviews
    cell = model.index(na_rows[0], 2 + 21)
    assert cell.data(Qt.ItemDataRole.BackgroundRole).name() == "#e6e6e6"
    assert cell.data(Qt.ItemDataRole.ForegroundRole).name() == "#777777"
    assert summary.counts["people-management"].not_applicable == 4
    assert summary.counts["people-management"].rated == 2
    assert dialog.chart.summary is summary
    image = dialog.chart.grab().toImage()
    assert not image.isNull() and image.height() > 400

    interaction.save_path = str(tmp_path / "summary")
    dialog.export_pdf()
    pdf = tmp_path / "summary.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert all(name in text for name in NAMES)
    assert interaction.last("inform")[1] == "Site summary exported"
    assert ("exported", "site summary PDF summary.pdf") in events(window, ids[0])


def test_site_summary_of_a_year_without_reviews(window, interaction, framework):
    add_finalized(window, framework, NAMES[:1])
    window.summary_action.trigger()
    dialog = window.summary_dialog
    assert dialog.export_button.isEnabled()
    empty = next(i for i in range(dialog.year_combo.count()) if dialog.year_combo.itemData(i) != 2026)
    dialog.year_combo.setCurrentIndex(empty)
    assert dialog.summary.rows == () and dialog.model.rowCount() == 0
    assert not dialog.export_button.isEnabled()
    dialog.chart.grab()  # paints the empty state without error


def test_export_period_into_a_folder(window, interaction, framework, tmp_path):
    ids = add_finalized(window, framework)
    tmp_path = tmp_path / "out"  # the data folder is in tmp_path itself
    tmp_path.mkdir()
    window.batch_action.trigger()
    dialog = window.batch_dialog
    assert "6 finalized review(s)" in dialog.count_label.text()
    interaction.folder_path = None
    dialog.start()  # the folder question was cancelled: nothing happens
    assert interaction.last("choose_folder") and list(tmp_path.iterdir()) == [] and dialog.isVisible()
    interaction.folder_path = str(tmp_path)
    seen = []
    dialog.progressed.connect(lambda done, total: seen.append((done, total, dialog.bar.isVisible())))
    dialog.start()
    assert seen[0] == (0, 6, True) and seen[-1] == (6, 6, True)
    files = sorted(tmp_path.glob("*.pdf"))
    assert len(files) == 6
    assert interaction.last("inform")[1] == "Reviews exported" and "6 PDF file(s) written" in interaction.last("inform")[2]
    assert not dialog.isVisible() and not dialog.running
    assert any(event == "exported" and "(batch)" in detail for event, detail in events(window, ids[3]))


def test_export_period_can_be_cancelled(window, interaction, framework, tmp_path):
    add_finalized(window, framework)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    window.batch_action.trigger()
    dialog = window.batch_dialog
    interaction.folder_path = str(tmp_path)
    dialog.progressed.connect(lambda done, total: dialog.cancel() if done == 2 else None)
    dialog.start()
    assert len(list(tmp_path.glob("*.pdf"))) == 2 and list(tmp_path.glob(".*")) == []
    kind, title, text = interaction.last("inform")
    assert title == "Export cancelled" and "Cancelled after 2 of 6" in text
    assert dialog.last_result.cancelled


def test_export_period_as_one_combined_file(window, interaction, framework, tmp_path):
    add_finalized(window, framework, NAMES[:3])
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    window.batch_action.trigger()
    dialog = window.batch_dialog
    dialog.set_mode(COMBINED)
    assert dialog.start_button.text() == "Export…"
    interaction.save_path = str(tmp_path / "all")
    dialog.start()
    assert "CPF_reviews_2025-26.pdf" in interaction.last("save_file")[2]
    reader = PdfReader(tmp_path / "all.pdf")
    assert len(reader.pages) == dialog.last_result.combined_pages and len(reader.outline) == 3
    assert list(tmp_path.iterdir()) == [tmp_path / "all.pdf"]


def test_print_a_period(window, interaction, framework, tmp_path, monkeypatch):
    ids = add_finalized(window, framework, NAMES[:2])
    out = tmp_path / "printed.pdf"
    original = QPrinter.__init__

    def pdf_printer(self, *args):
        original(self, *args)
        self.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.setOutputFileName(str(out))

    monkeypatch.setattr(QPrinter, "__init__", pdf_printer)
    window.batch_action.trigger()
    dialog = window.batch_dialog
    dialog.set_mode(PRINT)
    assert dialog.start_button.text() == "Print…"
    interaction.print_answer = True
    dialog.start()
    assert len(PdfReader(out).pages) == dialog.last_result.combined_pages
    assert interaction.last("inform")[1] == "Reviews printed"
    assert any(event == "printed" for event, _ in events(window, ids[1]))


def test_export_the_selected_draft(window, interaction, framework, tmp_path):
    add_finalized(window, framework, NAMES[:2])
    draft = complete_review(framework)
    draft.employee = Employee("Draft Person", "E9")
    draft_id = window.ctx.store.create(draft).id
    window.refresh_list()
    window.list_page.select_id(draft_id)
    window.batch_action.trigger()
    dialog = window.batch_dialog
    assert dialog.selected_radio.isEnabled() and "Draft Person" in dialog.selected_radio.text()
    dialog.selected_radio.setChecked(True)
    assert dialog.review_ids() == [draft_id] and not dialog.year_combo.isEnabled()
    dialog.set_mode(COMBINED)
    interaction.save_path = str(tmp_path / "draft.pdf")
    dialog.start()
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "draft.pdf").pages)
    assert "Draft Person" in text and "DRAFT" in text and "Rosa" not in text


def test_an_open_site_summary_exports_todays_figures(window, interaction, framework, tmp_path):
    """The summary window stays open beside the reviews; a review voided meanwhile is not in its PDF."""
    ids = add_finalized(window, framework)
    window.summary_action.trigger()
    dialog = window.summary_dialog
    assert len(dialog.summary.rows) == 6
    window.ctx.store.void(ids[0], "a practice review")
    interaction.save_path = str(tmp_path / "summary.pdf")
    dialog.export_pdf()
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "summary.pdf").pages)
    assert NAMES[0] not in text and NAMES[1] in text
    assert len(dialog.summary.rows) == 5  # and the window shows the same figures as the PDF
