"""The real window, driven with pytest-qt: rating, "+", clearing, Leadership N/A, finalize, lock, autosave."""
import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from builders import complete_review
from cpf_desktop.review import Rating
from cpf_desktop.storage import open_store

ROOT = Path(__file__).resolve().parents[2]


def on_disk(data_dir, review_id):
    """Read the review through a second connection, as another process would."""
    store = open_store(data_dir)
    try:
        return store.get(review_id)
    finally:
        store.close()


def new_review(window):
    window.new_review()
    return window.editor


def type_into(qtbot, widget, text):
    """Type like a keyboard does, one key event per character (QTest.keyClicks is ASCII-only)."""
    widget.setFocus()
    for ch in text:
        key = Qt.Key.Key_Return if ch == "\n" else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def test_rate_by_clicking_is_on_disk_at_once(window, qtbot, data_dir):
    editor = new_review(window)
    editor.select("competency:ethics-values")
    qtbot.mouseClick(editor.card("ethics-values").selector.button("highly_effective"), Qt.MouseButton.LeftButton)
    # No event processing in between: the click's save has already committed.
    assert on_disk(data_dir, editor.review.id).rating("ethics-values").level == "highly_effective"
    assert editor.tree_model.value_text("cluster:behavior-conduct") == "1 / 3 rated"
    assert editor.tree_model.value_text("competency:ethics-values") == "Highly Effective"


def test_plus_disabled_for_developing_and_cleared_when_rating_drops(window, qtbot, data_dir):
    editor = new_review(window)
    editor.select("competency:attitude")
    selector = editor.card("attitude").selector
    assert not selector.plus.isEnabled()
    assert "only to Effective or Highly Effective" in selector.plus.toolTip()
    qtbot.mouseClick(selector.button("developing"), Qt.MouseButton.LeftButton)
    assert not selector.plus.isEnabled()
    qtbot.mouseClick(selector.button("effective"), Qt.MouseButton.LeftButton)
    assert selector.plus.isEnabled()
    qtbot.mouseClick(selector.plus, Qt.MouseButton.LeftButton)
    assert on_disk(data_dir, editor.review.id).rating("attitude") == Rating("effective", True)
    qtbot.mouseClick(selector.button("developing"), Qt.MouseButton.LeftButton)
    assert not selector.plus.isChecked() and not selector.plus.isEnabled()
    assert on_disk(data_dir, editor.review.id).rating("attitude") == Rating("developing", False)


def test_rating_can_be_cleared(window, qtbot, data_dir):
    editor = new_review(window)
    editor.select("competency:flexibility")
    selector = editor.card("flexibility").selector
    qtbot.mouseClick(selector.button("highly_effective"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(selector.plus, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(selector.button(None), Qt.MouseButton.LeftButton)
    assert selector.button(None).isChecked() and not selector.plus.isChecked()
    assert not on_disk(data_dir, editor.review.id).rating("flexibility").is_rated
    assert editor.tree_model.value_text("cluster:adaptability") == "0 / 3 rated"


def test_leadership_not_applicable_for_non_supervisory(window, qtbot):
    editor = new_review(window)
    assert editor.tree_model.value_text("cluster:leadership") == "N/A"
    assert editor.tree_model.value_text("competency:people-management") == "N/A"
    editor.select("cluster:leadership")
    assert editor._cards == {}  # nothing to rate, and nothing counted as unrated
    qtbot.mouseClick(editor.header.ui.supervisory, Qt.MouseButton.LeftButton)
    assert editor.tree_model.value_text("cluster:leadership") == "0 / 3 rated"
    assert set(editor._cards) == {"culture-environment", "financial-management", "people-management"}


def test_comment_typing_saved_after_pause_and_header_on_leaving(window, qtbot, data_dir):
    editor = new_review(window)
    editor.select("competency:safety-focus")
    comment = editor.card("safety-focus").comment
    type_into(qtbot, comment, "Always wears gloves & goggles <3")
    qtbot.waitUntil(lambda: on_disk(data_dir, editor.review.id).rating("safety-focus").comment
                    == "Always wears gloves & goggles <3", timeout=3000)
    type_into(qtbot, editor.header.ui.employeeName, "José Ortiz")
    window.close()  # closing saves whatever is pending
    assert on_disk(data_dir, editor.review.id).employee.name == "José Ortiz"


def test_finalize_refused_lists_everything_and_goes_to_it(window, qtbot, interaction, framework, data_dir):
    review = complete_review(framework, supervisory=False)
    del review.ratings["written-communication"]
    review.overall = Rating()
    stored = window.ctx.store.create(review)
    window.open_review(stored.id)
    assert window.editor.finalize() is False
    kind, title, text = interaction.last("warn")
    assert "Written Communication is not rated." in text and "The overall rating is missing." in text
    assert "People Management" not in text  # N/A is never "missing"
    current = window.editor.tree.currentIndex()
    assert current.data() == "Written Communication"
    assert on_disk(data_dir, stored.id).status == "draft"


def test_finalized_review_is_read_only(window, qtbot, interaction, framework, data_dir):
    stored = window.ctx.store.create(complete_review(framework))
    window.open_review(stored.id)
    assert window.editor.finalize() is True
    editor = window.editor
    assert "Finalize" in interaction.last("confirm")[1]
    assert editor.banner.isVisible() and "locked" in editor.banner.text()
    assert editor.header.ui.employeeName.isReadOnly() and not editor.header.ui.supervisory.isEnabled()
    editor.select("competency:ethics-values")
    card = editor.card("ethics-values")
    assert not card.selector.button("developing").isEnabled() and card.comment.isReadOnly()
    assert not editor.finalize_button.isEnabled()
    before = on_disk(data_dir, stored.id)
    qtbot.mouseClick(card.selector.button("developing"), Qt.MouseButton.LeftButton)
    assert on_disk(data_dir, stored.id).ratings == before.ratings
    window.show_list()
    window.list_page.select_id(stored.id)
    assert not window.list_page.delete_button.isEnabled()


def test_delete_draft_asks_first(window, qtbot, interaction):
    editor = new_review(window)
    review_id = editor.review.id
    window.show_list()
    interaction.confirm_answer = False
    window.delete_review(review_id)
    assert window.ctx.store.exists(review_id)
    interaction.confirm_answer = True
    window.delete_review(review_id)
    assert not window.ctx.store.exists(review_id)
    assert window.list_page.model.rowCount() == 0


def test_changes_survive_a_restart_in_a_fresh_process(window, qtbot, data_dir, tmp_path):
    editor = new_review(window)
    type_into(qtbot, editor.header.ui.employeeName, "Lê Văn Thành")
    editor.header.ui.supervisory.click()
    editor.select("competency:people-management")
    card = editor.card("people-management")
    qtbot.mouseClick(card.selector.button("effective"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(card.selector.plus, Qt.MouseButton.LeftButton)
    type_into(qtbot, card.comment, "Coaches new staff.")
    editor.select("overall")
    qtbot.mouseClick(editor.card("overall").selector.button("highly_effective"), Qt.MouseButton.LeftButton)
    type_into(qtbot, editor.section("goals").edit, "Lead the safety team.\nSecond line.")
    review_id = editor.review.id
    window.close()

    out = tmp_path / "after.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir), "export-review", str(review_id), str(out)],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["employee"]["name"] == "Lê Văn Thành" and data["supervisory"] is True
    assert data["ratings"]["people-management"] == {"level": "effective", "plus": True, "comment": "Coaches new staff."}
    assert data["overall"]["level"] == "highly_effective"
    assert data["goals"] == "Lead the safety team.\nSecond line."


def test_window_state_and_last_review_remembered(qtbot, data_dir, interaction):
    from cpf_desktop.gui.application import create_window

    first = create_window(data_dir, interaction)
    qtbot.addWidget(first)
    first.show()
    first.new_review()
    review_id = first.editor.review.id
    first.editor.splitter.setSizes([300, 700])
    sizes = first.editor.splitter.sizes()
    first.close()
    first.ctx.store.close()

    second = create_window(data_dir, interaction)
    qtbot.addWidget(second)
    second.show()
    second.reopen_last_review()
    assert second.stack.currentWidget() is second.editor and second.editor.review.id == review_id
    restored = second.editor.splitter.sizes()
    # The offscreen test screen is small, so the restored window may be narrower: compare proportions.
    assert abs(restored[0] / sum(restored) - sizes[0] / sum(sizes)) < 0.02
    assert second.ctx.settings.value("window/geometry") is not None
    second.ctx.store.close()


def test_header_typing_not_lost_when_a_rating_is_clicked_before_the_pause(window, qtbot, data_dir):
    editor = new_review(window)
    type_into(qtbot, editor.header.ui.employeeName, "Ana")
    editor.select("competency:dependability")  # no pause, no leaving the field: the header save is pending
    qtbot.mouseClick(editor.card("dependability").selector.button("effective"), Qt.MouseButton.LeftButton)
    saved = on_disk(data_dir, editor.review.id)
    assert saved.employee.name == "Ana" and saved.rating("dependability").level == "effective"


def test_new_review_starts_with_the_school_year_shown(window, data_dir):
    editor = new_review(window)
    saved = on_disk(data_dir, editor.review.id)
    assert saved.period_start == editor.header.ui.periodStart.date().toPython()
    assert saved.period_end == editor.header.ui.periodEnd.date().toPython()
    assert (saved.period_start.month, saved.period_start.day, saved.period_end.month) == (7, 1, 6)


def test_first_start_fits_the_screen_so_the_buttons_show(window):
    """A 1366 x 768 school laptop (or the small offscreen screen here) must show the list's buttons."""
    available = window.screen().availableGeometry()
    assert window.width() <= available.width() and window.height() <= available.height()
    assert window.list_page.new_button.isVisible()
    bottom = window.list_page.new_button.mapTo(window, window.list_page.new_button.rect().bottomLeft()).y()
    assert bottom < window.height()


def test_finalize_names_leadership_ratings_it_leaves_out(window, interaction, framework, data_dir):
    """Rated as a supervisor, then unticked: the confirmation says what will not be signed."""
    stored = window.ctx.store.create(complete_review(framework, supervisory=True))
    window.open_review(stored.id)
    window.editor.header.ui.supervisory.setChecked(False)
    interaction.confirm_answer = False
    assert window.editor.finalize() is False
    text = interaction.last("confirm")[2]
    assert "Not part of it" in text and "Culture/Environment" in text and "People Management" in text
    assert on_disk(data_dir, stored.id).rating("culture-environment").is_rated  # cancelled: nothing lost
    window.editor.header.ui.supervisory.setChecked(True)
    interaction.confirm_answer = True
    assert window.editor.finalize() is True
    assert "Not part of it" not in interaction.last("confirm")[2]
    assert on_disk(data_dir, stored.id).rating("culture-environment").is_rated


def test_a_review_finalized_elsewhere_while_open_is_shown_again_not_promised_a_save(window, qtbot, interaction,
                                                                                     framework, data_dir):
    stored = window.ctx.store.create(complete_review(framework))
    window.open_review(stored.id)
    editor = window.editor
    editor.select("competency:attitude")
    other = open_store(data_dir)  # the command line, say, finalizes it meanwhile
    try:
        other.finalize(framework, stored.id)
    finally:
        other.close()
    qtbot.mouseClick(editor.card("attitude").selector.button("highly_effective"), Qt.MouseButton.LeftButton)
    kind, title, text = interaction.last("warn")
    assert title == "Not saved" and "finalized elsewhere" in text and "will be saved" not in text
    assert "amend it" in text
    qtbot.waitUntil(lambda: editor.banner.isVisible())
    assert editor.review.is_final and not editor.finalize_button.isEnabled()
    assert window.amend_action.isEnabled()  # the menus follow the review as it now stands
    assert on_disk(data_dir, stored.id).rating("attitude") == editor.review.rating("attitude")
    interaction.confirm_answer = False
    window.show_list()  # nothing could ever be saved: leaving does not ask to stay and try again
    assert window.stack.currentWidget() is window.list_page
    assert interaction.last("confirm") is None or interaction.last("confirm")[1] != "Leave without saving?"


def test_a_review_voided_elsewhere_while_open_does_not_suggest_amending(window, qtbot, interaction, framework,
                                                                        data_dir):
    stored = window.ctx.store.create(complete_review(framework))
    window.open_review(stored.id)
    editor = window.editor
    editor.select("competency:attitude")
    other = open_store(data_dir)
    try:
        other.void(stored.id, "a practice review")
    finally:
        other.close()
    qtbot.mouseClick(editor.card("attitude").selector.button("highly_effective"), Qt.MouseButton.LeftButton)
    text = interaction.last("warn")[2]
    assert "voided elsewhere" in text and "amend" not in text
    qtbot.waitUntil(lambda: editor.banner.isVisible())
    assert not window.amend_action.isEnabled()


def test_a_competency_fits_the_pane_with_a_large_font_at_1280_by_720(window, qtbot, framework):
    """Twice the font (as at 200 % scaling): the description is wrapped, never hidden behind a side scroll."""
    stored = window.ctx.store.create(complete_review(framework))
    app = QApplication.instance()
    normal = app.font()
    big = app.font()
    big.setPointSizeF(normal.pointSizeF() * 2)
    app.setFont(big)
    try:
        window.resize(1280, 720)
        window.open_review(stored.id)
        window.editor.select("competency:eliciting-information")
        qtbot.wait(50)
        assert not window.editor.scroll.horizontalScrollBar().isVisible()
    finally:
        app.setFont(normal)
