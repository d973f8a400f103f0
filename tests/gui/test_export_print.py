"""Export and print from the window: the same document either way, through the interaction seam."""
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from builders import complete_review


def open_complete(window, framework, final=False):
    stored = window.ctx.store.create(complete_review(framework))
    if final:
        window.ctx.store.finalize(framework, stored.id)
    window.open_review(stored.id)
    return stored


def test_export_pdf_from_window(window, interaction, framework, tmp_path):
    stored = open_complete(window, framework)
    interaction.save_path = str(tmp_path / "rosa")  # the user typed no extension
    window.export_pdf()
    target = tmp_path / "rosa.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Rosa Martínez" in text and "DRAFT" in text
    assert "PDF exported" == interaction.last("inform")[1]
    # The same name as a batch export gives it: the period's end year and the review number.
    assert f"CPF_review_Rosa_Martínez_2026_{stored.id}.pdf" in interaction.last("save_file")[2]


def test_export_cancelled_writes_nothing(window, interaction, framework, tmp_path):
    open_complete(window, framework)
    interaction.save_path = None
    window.export_pdf()
    assert list(tmp_path.glob("*.pdf")) == [] and interaction.last("inform") is None


def test_export_failure_is_a_sentence(window, interaction, framework, tmp_path):
    open_complete(window, framework)
    interaction.save_path = str(tmp_path / "missing-folder" / "x.pdf")
    window.export_pdf()
    kind, title, text = interaction.last("warn")
    assert title == "PDF not written" and "does not exist" in text


def test_print_sends_every_page_of_the_pdf(window, interaction, framework, tmp_path, monkeypatch):
    """The printer gets the exported document page for page (a PDF printer stands in for paper)."""
    open_complete(window, framework, final=True)
    out = tmp_path / "printed.pdf"
    original = QPrinter.__init__

    def pdf_printer(self, *args):
        original(self, *args)
        self.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.setOutputFileName(str(out))

    monkeypatch.setattr(QPrinter, "__init__", pdf_printer)
    interaction.print_answer = True
    window.print_review()
    from cpf_desktop.export.pdf import render_review_pdf
    import io

    expected = len(PdfReader(io.BytesIO(render_review_pdf(framework, window.editor.review))).pages)
    assert len(PdfReader(out).pages) == expected
    assert interaction.last("print") is not None


def test_print_cancelled(window, interaction, framework):
    open_complete(window, framework)
    interaction.print_answer = False
    window.print_review()
    assert interaction.last("warn") is None


def test_unprintable_characters_are_named_on_export_and_before_printing(window, interaction, framework, tmp_path):
    from cpf_desktop.review import Rating

    review = complete_review(framework)
    review.ratings["attitude"] = Rating("effective", False, "Always smiling 😀")
    stored = window.ctx.store.create(review)
    window.open_review(stored.id)
    interaction.save_path = str(tmp_path / "emoji.pdf")
    window.export_pdf()
    kind, title, text = interaction.last("warn")
    assert title == "PDF exported with placeholders" and "U+1F600" in text and "Attitude" in text
    assert (tmp_path / "emoji.pdf").exists()
    interaction.confirm_answer = False
    window.print_review()
    assert interaction.last("confirm")[1] == "Print with placeholders?" and interaction.last("print") is None


def test_a_very_long_name_suggests_a_short_file_name(window, interaction, framework, tmp_path):
    """A 264-character name made a file name too long for the system: the crash dialog, before."""
    from dataclasses import replace

    review = complete_review(framework)
    review.employee = replace(review.employee, name="Maria " * 44)
    stored = window.ctx.store.create(review)
    window.open_review(stored.id)
    interaction.save_path = None
    window.export_pdf()
    suggested = interaction.last("save_file")[2]
    assert len(suggested.rsplit("/", 1)[-1]) < 100
    interaction.save_path = str(tmp_path / ("x" * 300 + ".pdf"))  # typed by the user: a sentence, no crash
    window.export_pdf()
    kind, title, text = interaction.last("warn")
    assert title == "PDF not written" and "shorter name" in text
