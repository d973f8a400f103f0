"""Amend, void, verify, audit log and restore from the window's menus."""
import sqlite3

from builders import complete_review
from cpf_desktop.review import Review
from cpf_desktop.storage.backups import make_backup


def finalized(window, framework):
    stored = window.ctx.store.create(complete_review(framework))
    window.ctx.store.finalize(framework, stored.id)
    window.open_review(stored.id)
    return stored.id


def test_amend_opens_a_new_version_and_keeps_the_original(window, interaction, framework):
    original = finalized(window, framework)
    assert window.amend_action.isEnabled()
    interaction.text_answer = None
    window.amend_review()
    assert window.editor.review.id == original  # cancelled: nothing happened
    interaction.text_answer = "The period was typed wrong."
    window.amend_review()
    draft = window.editor.review
    assert draft.id != original and draft.version == 2 and not draft.is_final
    assert "amends review" in window.editor.banner.text() and "(version 2)" in window.editor.title.text()
    assert window.ctx.store.get(original).is_final


def test_void_makes_the_review_read_only_and_marks_the_list(window, interaction, framework):
    window.new_review()
    review_id = window.editor.review.id
    interaction.text_answer = "Practice review"
    window.void_review()
    editor = window.editor
    assert editor.review.is_void and "Voided: Practice review" in editor.banner.text()
    assert editor.header.ui.employeeName.isReadOnly() and not editor.finalize_button.isEnabled()
    window.show_list()
    window.list_page.select_id(review_id)
    assert window.list_page.model.rows[0].status_text == "Void"
    assert not window.list_page.delete_button.isEnabled()


def test_audit_log_shown(window, interaction, framework):
    finalized(window, framework)
    window.show_audit_log()
    kind, title, text = interaction.last("inform")
    assert "Audit log" in title and "created" in text and "finalized" in text


def test_verify_reports_a_review_changed_outside(window, interaction, framework):
    review_id = finalized(window, framework)
    window.verify()
    assert "exactly as they were finalized" in interaction.last("inform")[2]
    raw = sqlite3.connect(window.ctx.store.path)
    raw.execute("DROP TRIGGER reviews_final_locked")
    raw.execute("UPDATE reviews SET goals = 'rewritten' WHERE id = ?", [review_id])
    raw.commit()
    raw.close()
    window.verify()
    kind, title, text = interaction.last("warn")
    assert title == "Finalized reviews changed" and f"Review {review_id} (Rosa Martínez) was changed" in text


def test_restore_from_backup_in_the_window(window, interaction, framework, data_dir):
    kept = window.ctx.store.create(complete_review(framework))
    backup = make_backup(window.ctx.store.db.conn, data_dir)
    window.ctx.store.create(Review())
    interaction.open_path = str(backup)
    interaction.confirm_answer = False
    window.restore()
    assert len(window.ctx.store.list_reviews()) == 2
    interaction.confirm_answer = True
    window.restore()
    assert "holds 1 review(s), 0 finalized" in interaction.last("confirm")[2]
    assert [s.id for s in window.ctx.store.list_reviews()] == [kept.id]
    assert window.stack.currentWidget() is window.list_page and window.list_page.model.rowCount() == 1
    assert "kept as" in interaction.last("inform")[2]
