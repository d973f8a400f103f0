"""Finding reviews among many, and probationary reviews that are due."""
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt

from builders import complete_review
from cpf_desktop.review import Employee, Review


def add(store, name, number, review_type="annual", start=date(2025, 7, 1), end=date(2026, 6, 30), classification="Custodian"):
    return store.create(Review(employee=Employee(name, number, classification, "Roosevelt High School"),
                               review_type=review_type, period_start=start, period_end=end))


def visible_names(window):
    return sorted(s.employee_name for s in window.list_page.model.rows)


def test_filter_by_text_status_type_and_year(window, framework):
    store = window.ctx.store
    add(store, "Ana Ruiz", "1001")
    add(store, "Bo Chen", "1002", classification="Office Technician")
    add(store, "Cy Park", "1003", review_type="interim", start=date(2024, 7, 1), end=date(2025, 6, 30))
    final = store.create(complete_review(framework))
    store.finalize(framework, final.id)
    window.show_list()
    page = window.list_page
    page.search.setText("office")  # classification
    assert visible_names(window) == ["Bo Chen"]
    page.search.setText("100")  # employee number
    assert visible_names(window) == ["Ana Ruiz", "Bo Chen", "Cy Park"]
    page.search.clear()
    page.status_filter.setCurrentIndex(page.status_filter.findData("final"))
    assert visible_names(window) == ["Rosa Martínez"]
    page.status_filter.setCurrentIndex(0)
    page.type_filter.setCurrentIndex(page.type_filter.findData("interim"))
    assert visible_names(window) == ["Cy Park"]
    page.type_filter.setCurrentIndex(0)
    page.year_filter.setCurrentIndex(page.year_filter.findData(2025))
    assert page.year_filter.currentText() == "2024–25 school year" and visible_names(window) == ["Cy Park"]


def test_sort_by_any_column(window):
    store = window.ctx.store
    for name, number in (("Zoe Alba", "3"), ("Al Young", "1"), ("Mia Ortiz", "2")):
        add(store, name, number)
    window.show_list()
    table = window.list_page.table
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [s.employee_name for s in window.list_page.model.rows] == ["Al Young", "Mia Ortiz", "Zoe Alba"]
    table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert [s.employee_number for s in window.list_page.model.rows] == ["3", "2", "1"]


def test_probationary_reviews_due_and_overdue_are_highlighted(window):
    today = date.today()
    store = window.ctx.store
    add(store, "Due Soon", "1", "probationary", today - timedelta(days=170), today + timedelta(days=20))
    add(store, "Overdue", "2", "probationary", today - timedelta(days=200), today - timedelta(days=5))
    add(store, "Far Away", "3", "probationary", today, today + timedelta(days=180))
    add(store, "Annual", "4")
    window.show_list()
    model = window.list_page.model
    by_name = {s.employee_name: row for row, s in enumerate(model.rows)}
    due_text = lambda name: model.index(by_name[name], 5).data()  # noqa: E731
    assert due_text("Due Soon").startswith("Due ") and due_text("Overdue").startswith("Overdue since ")
    assert due_text("Far Away") == "" and due_text("Annual") == ""
    assert model.index(by_name["Overdue"], 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    page = window.list_page
    page.status_filter.setCurrentIndex(page.status_filter.findData("due"))
    assert visible_names(window) == ["Due Soon", "Overdue"]


def test_probationary_review_shows_its_due_dates(window):
    window.new_review()
    header = window.editor.header
    header.ui.reviewType.setCurrentIndex(header.ui.reviewType.findData("probationary"))
    header.ui.periodStart.setDate(QDate(2030, 7, 1))
    header.ui.periodEnd.setDate(QDate(2031, 1, 1))
    assert "Probation: first evaluation due 10/01/2030; final evaluation due 12/18/2030." in header.note_texts()


def test_find_ignores_accents_and_how_they_were_typed(window):
    import unicodedata

    store = window.ctx.store
    add(store, "Rosa Martínez", "2001")
    add(store, unicodedata.normalize("NFD", "José Peña"), "2002")  # pasted from a Mac: decomposed accents
    window.show_list()
    page = window.list_page
    page.search.setText("martinez")
    assert visible_names(window) == ["Rosa Martínez"]
    page.search.setText("PEÑA")
    assert [unicodedata.normalize("NFC", n) for n in visible_names(window)] == ["José Peña"]


def test_a_half_year_review_is_listed_in_its_school_year(window):
    """July to December 2025 belongs to 2025-26, as in the site summary, not to the calendar year 2025."""
    add(window.ctx.store, "Ana Ruiz", "3001", review_type="probationary", start=date(2025, 7, 1),
        end=date(2025, 12, 31))
    window.show_list()
    page = window.list_page
    page.year_filter.setCurrentIndex(page.year_filter.findData(2026))
    assert page.year_filter.currentText() == "2025–26 school year" and visible_names(window) == ["Ana Ruiz"]


def test_employee_numbers_sort_in_number_order(window):
    for name, number in (("A", "10"), ("B", "9"), ("C", "E100"), ("D", "E20"), ("E", "")):
        add(window.ctx.store, name, number)
    window.show_list()
    window.list_page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [s.employee_number for s in window.list_page.model.rows] == ["", "9", "10", "E20", "E100"]
