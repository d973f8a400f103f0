"""Storage: reviews round-trip, one transaction per change, finalized reviews locked by the database."""
import os
import sqlite3
import stat

import pytest

from builders import complete_review
from cpf_desktop.review import FinalizeRefused, Rating, Review, ReviewLocked
from cpf_desktop.storage import ReviewNotFound, StorageError, open_store
from cpf_desktop.storage.database import SCHEMA_VERSION


def test_round_trip(framework, store):
    stored = store.create(complete_review(framework))
    again = store.get(stored.id)
    assert again.ratings == stored.ratings
    assert again.employee == stored.employee and again.reviewer == stored.reviewer
    assert (again.period_start, again.period_end) == (stored.period_start, stored.period_end)
    assert again.overall == stored.overall and again.strengths == stored.strengths
    assert again.status == "draft" and again.created_at is not None


def test_pragmas_and_schema_verified(store):
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_files_private_to_user(store, data_dir):
    assert stat.S_IMODE(os.stat(data_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600


def test_save_rating_and_clear(store):
    review = store.create(Review())
    store.save_rating(review.id, "ethics-values", Rating("effective", True, "ok"))
    assert store.get(review.id).rating("ethics-values") == Rating("effective", True, "ok")
    store.save_rating(review.id, "ethics-values", Rating())
    assert "ethics-values" not in store.get(review.id).ratings


def test_save_is_visible_to_a_second_connection(framework, store, data_dir):
    review = store.create(Review())
    store.save_rating(review.id, "safety-focus", Rating("highly_effective"))
    other = open_store(data_dir)
    try:
        assert other.get(review.id).rating("safety-focus").level == "highly_effective"
    finally:
        other.close()


def test_finalize_refused_stores_nothing(framework, store):
    review = store.create(Review())
    with pytest.raises(FinalizeRefused):
        store.finalize(framework, review.id)
    assert store.get(review.id).status == "draft"


def test_finalized_review_locked_in_store_and_database(framework, store):
    review = store.create(complete_review(framework))
    done = store.finalize(framework, review.id)
    assert done.is_final and store.get(review.id).is_final
    with pytest.raises(ReviewLocked):
        store.save_rating(review.id, "ethics-values", Rating("developing"))
    with pytest.raises(ReviewLocked):
        store.save(store.get(review.id))
    with pytest.raises(ReviewLocked):
        store.delete(review.id)
    # An outside SQLite tool is refused by the triggers too.
    raw = sqlite3.connect(store.path)
    try:
        for sql in (
            "UPDATE reviews SET employee_name = 'x'",
            "UPDATE ratings SET level = 'developing'",
            "DELETE FROM ratings",
            "DELETE FROM reviews",
            f"INSERT INTO ratings (review_id, competency_id, level, plus, comment) VALUES ({review.id}, 'zz', NULL, 0, '')",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="finalized"):
                raw.execute(sql)
    finally:
        raw.close()
    assert store.get(review.id).ratings == done.ratings


def test_delete_draft(store):
    review = store.create(Review())
    store.delete(review.id)
    assert not store.exists(review.id)
    with pytest.raises(ReviewNotFound):
        store.get(review.id)


def test_list_most_recent_first(store):
    a = store.create(Review())
    b = store.create(Review())
    store.save_rating(a.id, "attitude", Rating("effective"))
    ids = [s.id for s in store.list_reviews()]
    assert set(ids) == {a.id, b.id}


def test_not_a_database_is_refused_with_a_sentence(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "cpf-desktop.sqlite3").write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StorageError, match="damaged or is not a CPF Desktop database"):
        open_store(data_dir)
    assert (data_dir / "cpf-desktop.sqlite3").read_bytes().startswith(b"this is not")  # untouched


def test_newer_schema_refused(data_dir):
    open_store(data_dir).close()  # a real data file, as a newer CPF Desktop would have left it
    raw = sqlite3.connect(data_dir / "cpf-desktop.sqlite3")
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    raw.close()
    with pytest.raises(StorageError, match="newer version of CPF Desktop"):
        open_store(data_dir)


def test_an_employees_reviews_are_found_as_the_site_summary_counts_them(store):
    """History and the summary agree on who is who: "200-002" is "200002"; spacing and case of a name do not
    matter without a number; a name alone does not take in another employee's numbered review."""
    from datetime import date

    from cpf_desktop.review import Employee, Review

    def add(name, number, year):
        return store.create(Review(employee=Employee(name, number), review_type="annual",
                                   period_start=date(year - 1, 7, 1), period_end=date(year, 6, 30))).id

    a = add("Rosa Martinez", "200-002", 2024)
    b = add("Rosa Martínez", "200002", 2025)
    c = add("Frank  Wang", "", 2024)
    d = add("frank wang", "", 2025)
    e = add("Pat Noname", "", 2025)
    add("Pat Noname", "9", 2025)
    assert [r.id for r in store.reviews_of_employee(Employee("Rosa Martínez", "200002"))] == [a, b]
    assert [r.id for r in store.reviews_of_employee(Employee("frank wang", ""))] == [c, d]
    assert [r.id for r in store.reviews_of_employee(Employee("Pat Noname", ""))] == [e]
    assert store.reviews_of_employee(Employee("", "")) == []
