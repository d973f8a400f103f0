"""An employee's history side by side, and "Start next review" with last period's ratings shown, not copied."""
from datetime import date

from builders import complete_review
from cpf_desktop.history import build_history, next_review
from cpf_desktop.review import Rating


def finalized_years(store, framework, years):
    ids = []
    for year, level in years:
        review = complete_review(framework, supervisory=False)
        review.period_start, review.period_end = date(year - 1, 7, 1), date(year, 6, 30)
        review.ratings["attitude"] = Rating(level, False, f"Attitude in {year}")
        stored = store.create(review)
        store.finalize(framework, stored.id)
        ids.append(stored.id)
    return ids


def test_history_side_by_side_and_start_next_review(window, framework, interaction):
    store = window.ctx.store
    ids = finalized_years(store, framework, [(2024, "developing"), (2025, "effective"), (2026, "highly_effective")])
    window.show_list()
    window.list_page.select_id(ids[0])
    window.show_history()
    page = window._history
    assert window.stack.currentWidget() is page
    headings = [c.heading for c in page.model.history.columns]
    assert headings == ["2023–24 Annual (final)", "2024–25 Annual (final)", "2025–26 Annual (final)"]
    attitude = dict(page.model.history.rows)["Attitude"]
    assert attitude == ["Developing", "Effective", "Highly Effective"]
    assert dict(page.model.history.rows)["People Management"] == ["N/A", "N/A", "N/A"]
    assert "Attitude: Effective → Highly Effective" in page.changes.text()

    page.start_next.click()
    editor = window.editor
    draft = editor.review
    assert window.stack.currentWidget() is editor and not draft.is_final
    assert (draft.period_start, draft.period_end) == (date(2026, 7, 1), date(2027, 6, 30))
    assert draft.employee.name == "Rosa Martínez" and draft.rater.name == "Daniel Kim" and draft.review_type == "annual"
    assert draft.ratings == {} and not draft.overall.is_rated  # nothing copied silently
    editor.select("competency:attitude")
    card = editor.card("attitude")
    assert card.previous.isVisible() and card.previous.text() == "Last review (2025–26): Highly Effective"
    assert "Attitude in 2026" in card.previous.toolTip()


def test_history_marks_versions_drafts_and_not_rated(framework):
    first = complete_review(framework)
    first.id, first.status, first.period_end = 1, "final", date(2025, 6, 30)
    second = complete_review(framework, supervisory=False)
    second.id, second.period_end, second.version = 2, date(2026, 6, 30), 2
    second.ratings.pop("attitude")
    history = build_history(framework, [second, first])
    assert [c.heading for c in history.columns] == ["2024–25 Annual (final)", "2025–26 Annual v2 (draft)"]
    rows = dict(history.rows)
    assert rows["Attitude"][1] == "—" and rows["People Management"][1] == "N/A"


def test_next_review_after_probation_is_annual(framework):
    previous = complete_review(framework)
    previous.review_type, previous.period_start, previous.period_end = "probationary", date(2026, 1, 1), date(2026, 6, 30)
    nxt = next_review(previous, date(2026, 7, 1))
    assert nxt.review_type == "annual" and nxt.period_start == date(2026, 7, 1)
