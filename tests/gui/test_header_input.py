"""Header fields take any text; one-line fields turn line breaks into spaces and say so; checks name the field."""
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QGuiApplication

from cpf_desktop.storage import open_store


def saved(data_dir, review_id):
    store = open_store(data_dir)
    try:
        return store.get(review_id)
    finally:
        store.close()


def paste_into(qtbot, edit, text):
    QGuiApplication.clipboard().setText(text)
    edit.setFocus()
    edit.selectAll()
    edit.paste()


def test_pasted_paragraph_becomes_one_line_and_is_told(window, qtbot, data_dir):
    window.new_review()
    header = window.editor.header
    paste_into(qtbot, header.ui.classification, "Plant Manager II\r\n(night shift)\tRoosevelt")
    assert header.ui.classification.text() == "Plant Manager II (night shift) Roosevelt"
    assert "one-line field" in header.note_texts() and "Classification / job title" in header.note_texts()
    window.editor.flush()
    assert saved(data_dir, window.editor.review.id).employee.classification == "Plant Manager II (night shift) Roosevelt"


def test_any_script_and_markup_pasted_is_kept_exactly(window, qtbot, data_dir):
    window.new_review()
    header = window.editor.header
    name = "Nguyễn Thị Ánh <b>&amp;</b> Արամ 김민준 王小明 Иван O'Brien “Q”"
    paste_into(qtbot, header.ui.employeeName, "  " + name + "  ")
    window.editor.flush()
    assert saved(data_dir, window.editor.review.id).employee.name == name  # trimmed, nothing else changed
    assert window.editor.title.text().startswith(name)


def test_comment_keeps_line_breaks_and_blank_lines(window, qtbot, data_dir):
    window.new_review()
    editor = window.editor
    editor.select("competency:attitude")
    comment = editor.card("attitude").comment
    text = "First paragraph.\n\nSecond after a blank line.\n\tIndented & <tagged>"
    QGuiApplication.clipboard().setText(text)
    comment.setFocus()
    comment.paste()
    editor.flush()
    assert saved(data_dir, editor.review.id).rating("attitude").comment == text


def test_period_backwards_and_long_period_and_lettered_number_are_named(window, qtbot):
    window.new_review()
    header = window.editor.header
    header.ui.periodStart.setDate(QDate(2026, 7, 1))
    header.ui.periodEnd.setDate(QDate(2026, 1, 1))
    assert "Period: The review period ends before it starts." in header.note_texts()
    header.ui.periodEnd.setDate(QDate(2028, 6, 30))
    assert "about 24 months long" in header.note_texts() and "ends before" not in header.note_texts()
    header.ui.employeeNumber.setText("E12-34X")
    header.ui.employeeNumber.textEdited.emit("E12-34X")
    assert "Employee number: The employee number “E12-34X” contains letters" in header.note_texts()
    window.editor.flush()
    assert window.editor.review.period_end == date(2028, 6, 30)  # a warning, not a refusal


def test_backwards_period_blocks_finalize_with_the_field_named(window, interaction, framework):
    from builders import complete_review

    stored = window.ctx.store.create(complete_review(framework))
    window.open_review(stored.id)
    window.editor.header.ui.periodEnd.setDate(QDate(2025, 1, 1))
    assert window.editor.finalize() is False
    assert "The review period ends before it starts." in interaction.last("warn")[2]


def test_a_comment_too_long_is_refused_whole_and_told(window, interaction, data_dir):
    from cpf_desktop.review import MAX_TEXT_LENGTH

    window.new_review()
    editor = window.editor
    editor.select("competency:attitude")
    comment = editor.card("attitude").comment
    QGuiApplication.clipboard().setText("Kept.")
    comment.setFocus()
    comment.paste()
    QGuiApplication.clipboard().setText("x" * (MAX_TEXT_LENGTH + 10))
    comment.paste()
    assert comment.toPlainText() == "Kept."  # the whole paste taken back, nothing cut
    title, text = interaction.last("warn")[1:]
    assert title == "Text too long" and "Attitude" in text and f"{MAX_TEXT_LENGTH:,}" in text
    editor.flush()
    assert saved(data_dir, editor.review.id).rating("attitude").comment == "Kept."
    QGuiApplication.clipboard().setText(" more" * 1000)  # an ordinary long paste still goes in
    comment.paste()
    assert comment.toPlainText().endswith("more")


def test_a_header_field_past_its_limit_says_so(window, qtbot, data_dir):
    from cpf_desktop.review import MAX_LINE_LENGTH

    window.new_review()
    header = window.editor.header
    paste_into(qtbot, header.ui.location, "L" * 500)  # 500 characters are taken as they are
    assert header.ui.location.text() == "L" * 500 and "holds at most" not in header.note_texts()
    paste_into(qtbot, header.ui.location, "M" * (MAX_LINE_LENGTH + 200))
    assert header.ui.location.text() == "L" * 500  # the whole paste taken back, nothing cut
    assert "Work location" in header.note_texts() and f"at most {MAX_LINE_LENGTH:,}" in header.note_texts()
    paste_into(qtbot, header.ui.location, "N" * MAX_LINE_LENGTH)  # exactly at the limit: taken, no note
    assert header.ui.location.text() == "N" * MAX_LINE_LENGTH
    window.editor.flush()
    assert saved(data_dir, window.editor.review.id).employee.location == "N" * MAX_LINE_LENGTH
    header.show_review(window.editor.review)
    assert "at most" not in header.note_texts()
    qtbot.keyClicks(header.ui.location, "x")  # typing past the end: refused and said
    assert header.ui.location.text() == "N" * MAX_LINE_LENGTH and "at most" in header.note_texts()


def test_an_older_longer_header_value_is_shown_whole_and_kept(window, qtbot, data_dir):
    """Stored before the limit (imports took longer names): never cut when shown or saved again."""
    from dataclasses import replace

    from cpf_desktop.review import MAX_LINE_LENGTH

    window.new_review()
    review = window.editor.review
    long_name = "Ñ" * (MAX_LINE_LENGTH + 500)
    store = window.ctx.store
    review.employee = replace(review.employee, name=long_name)
    store.save(review)
    window.open_review(review.id)
    header = window.editor.header
    assert header.ui.employeeName.text() == long_name
    qtbot.keyClicks(header.ui.location, "Roosevelt")
    window.editor.flush()
    assert saved(data_dir, review.id).employee.name == long_name


def test_typing_past_a_comments_limit_keeps_everything_that_fits(window, qtbot, interaction, data_dir):
    from cpf_desktop.review import MAX_TEXT_LENGTH

    window.new_review()
    editor = window.editor
    editor.select("competency:attitude")
    comment = editor.card("attitude").comment
    QGuiApplication.clipboard().setText("y" * (MAX_TEXT_LENGTH - 5))
    comment.setFocus()
    comment.paste()
    qtbot.keyClicks(comment, "abcdefghij")
    assert comment.toPlainText() == "y" * (MAX_TEXT_LENGTH - 5) + "abcde"
    assert interaction.last("warn")[1] == "Text too long"
    editor.flush()
    assert len(saved(data_dir, editor.review.id).rating("attitude").comment) == MAX_TEXT_LENGTH
