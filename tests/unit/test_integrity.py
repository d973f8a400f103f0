"""Fingerprints of finalized reviews, `verify`, printout codes, amend, void and the audit log."""
import json
import shutil
import sqlite3
import subprocess

import pytest

from builders import complete_review
from cpf_desktop.app import main

from cpf_desktop.integrity import content_hash, normalise_code, verification_code
from cpf_desktop.review import Rating, ReviewLocked, RuleError
from cpf_desktop.storage import open_store


def run(data_dir, *args):
    return main(["--data-dir", str(data_dir), *args])


@pytest.fixture
def final_id(framework, store):
    review = store.create(complete_review(framework))
    return store.finalize(framework, review.id).id


def tamper(path, sql):
    """Edit the file as someone with an outside SQLite tool would: drop the lock, change a row."""
    raw = sqlite3.connect(path)
    for name, in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        raw.execute(f"DROP TRIGGER {name}")
    raw.execute(sql)
    raw.commit()
    raw.close()


def test_finalize_stores_hash_and_version(framework, store, final_id):
    review = store.get(final_id)
    assert review.content_hash == content_hash(review) and len(review.content_hash) == 64
    assert review.framework_version == framework.version
    assert [e.event for e in store.audit_log(final_id)] == ["created", "finalized"]


def test_verify_ok_then_tampered_comment_is_named(framework, store, final_id, data_dir, capsys):
    assert run(data_dir, "verify") == 0
    assert "1 finalized review(s) match" in capsys.readouterr().out
    store.close()
    tamper(data_dir / "cpf-desktop.sqlite3",
           f"UPDATE ratings SET comment = 'changed later' WHERE review_id = {final_id} AND competency_id = 'attitude'")
    assert run(data_dir, "verify") == 4
    err = capsys.readouterr().err
    assert f"review {final_id} (Rosa Martínez) was changed after it was finalized" in err
    assert run(data_dir, "verify", str(final_id)) == 4


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 command-line tool is not installed")
def test_verify_after_edit_with_the_sqlite3_tool(framework, store, final_id, data_dir, capsys):
    store.close()
    db = str(data_dir / "cpf-desktop.sqlite3")
    refused = subprocess.run(["sqlite3", db, "UPDATE reviews SET strengths = 'x'"], capture_output=True, text=True)
    assert "finalized" in refused.stderr  # the database's own triggers say no
    subprocess.run(["sqlite3", db, "DROP TRIGGER reviews_final_locked; UPDATE reviews SET strengths = 'x';"], check=True)
    assert run(data_dir, "verify") == 4
    assert f"review {final_id}" in capsys.readouterr().err


def test_printout_code_checked_against_exported_json(framework, store, final_id, data_dir, tmp_path, capsys):
    review = store.get(final_id)
    code = verification_code(review.content_hash)
    exported = tmp_path / "review.json"
    assert run(data_dir, "export-review", str(final_id), str(exported)) == 0
    assert run(data_dir, "verify", "--code", code.lower().replace("-", " "), "--json", str(exported)) == 0
    assert "matches" in capsys.readouterr().out
    assert run(data_dir, "verify", "--code", "0000-0000-0000", "--json", str(exported)) == 4
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["ratings"]["attitude"]["comment"] = "forged"
    exported.write_text(json.dumps(data), encoding="utf-8")
    assert run(data_dir, "verify", "--code", code, "--json", str(exported)) == 4
    assert "changed after it was finalized" in capsys.readouterr().err


def test_pdf_of_final_prints_its_code(framework, store, final_id):
    from io import BytesIO

    from pypdf import PdfReader

    from cpf_desktop.export.pdf import render_review_pdf

    review = store.get(final_id)
    pages = PdfReader(BytesIO(render_review_pdf(framework, review))).pages
    code = verification_code(review.content_hash)
    assert all(f"Verification code {code}" in page.extract_text() for page in pages)


def test_code_normalisation():
    assert normalise_code(" 3f9a 0c41-b7d2 ") == "3F9A-0C41-B7D2"
    assert normalise_code("123") == ""


def test_amend_keeps_original_and_makes_a_new_version(framework, store, final_id):
    with pytest.raises(RuleError, match="Say why"):
        store.amend(final_id, "  ")
    original = store.get(final_id)
    draft = store.amend(final_id, "Wrong period typed")
    assert draft.version == 2 and draft.supersedes_id == final_id and draft.status == "draft"
    store.save_rating(draft.id, "attitude", Rating("highly_effective"))
    assert store.get(final_id).ratings == original.ratings  # the original is untouched
    assert store.integrity_problems() == []
    assert store.audit_log(final_id)[-1].event == "amended"
    summaries = {s.id: s for s in store.list_reviews()}
    assert summaries[draft.id].status_text == "Draft (v2)"
    done = store.finalize(framework, draft.id)
    assert done.version == 2 and done.content_hash


def test_void_locks_a_draft_for_good(framework, store):
    review = store.create(complete_review(framework))
    store.void(review.id, "Practice review")
    assert store.get(review.id).is_void
    with pytest.raises(ReviewLocked, match="voided"):
        store.save_rating(review.id, "attitude", Rating("developing"))
    with pytest.raises(ReviewLocked):
        store.delete(review.id)
    with pytest.raises(RuleError, match="already voided"):
        store.void(review.id, "again")
    assert [s.status_text for s in store.list_reviews()] == ["Void"]
    assert store.audit_log(review.id)[-1].detail == "Practice review"


def test_void_of_final_keeps_its_fingerprint(framework, store, final_id, data_dir, capsys):
    store.void(final_id, "Entered for the wrong employee")
    assert store.integrity_problems() == []
    assert run(data_dir, "log", str(final_id)) == 0
    assert "voided\tEntered for the wrong employee" in capsys.readouterr().out


# What a hostile tester did with an outside SQLite tool ------------------------------------------------------------
def raw_sql(path, sql):
    raw = sqlite3.connect(path)
    try:
        raw.executescript(sql)
    finally:
        raw.close()


def test_the_database_refuses_a_final_row_without_fingerprint(framework, store, data_dir):
    store.close()
    db = data_dir / "cpf-desktop.sqlite3"
    with pytest.raises(sqlite3.DatabaseError, match="fingerprint"):
        raw_sql(db, "INSERT INTO reviews (status, employee_name, created_at, updated_at)"
                    " VALUES ('final', 'Forged Person', '2026-01-01', '2026-01-01')")
    with pytest.raises(sqlite3.DatabaseError, match="fingerprint"):
        raw_sql(db, "INSERT INTO reviews (status, employee_name, created_at, updated_at)"
                    " VALUES ('draft', 'Forged Person', '2026-01-01', '2026-01-01');"
                    " UPDATE reviews SET status = 'final' WHERE employee_name = 'Forged Person'")


def test_forged_final_and_unfinalized_reviews_are_named_by_verify(framework, store, final_id, data_dir, capsys):
    store.close()
    db = data_dir / "cpf-desktop.sqlite3"
    tamper(db, "INSERT INTO reviews (status, employee_name, created_at, updated_at)"
               " VALUES ('final', 'Forged Person', '2026-01-01', '2026-01-01')")
    tamper(db, f"UPDATE reviews SET status = 'draft' WHERE id = {final_id}")
    assert run(data_dir, "verify") == 4
    err = capsys.readouterr().err
    assert "(Forged Person) is marked final but has no fingerprint" in err
    assert f"review {final_id} (Rosa Martínez) was finalized on" in err and "made a draft again" in err


def test_dropped_locks_are_put_back_and_reported(framework, store, final_id, data_dir, capsys):
    store.close()
    db = data_dir / "cpf-desktop.sqlite3"
    raw_sql(db, "DROP TRIGGER reviews_final_locked; DROP TRIGGER audit_append_only;")
    assert run(data_dir, "verify") == 4
    err = capsys.readouterr().err
    assert "'reviews_final_locked' had been removed" in err and "'audit_append_only' had been removed" in err
    with pytest.raises(sqlite3.DatabaseError, match="finalized"):  # the lock is back
        raw_sql(db, f"UPDATE reviews SET strengths = 'x' WHERE id = {final_id}")
    assert run(data_dir, "verify") == 0  # reported once: the file is whole again


def test_audit_log_of_a_finalized_review_cannot_be_rewritten(framework, store, final_id, data_dir):
    draft = store.create(complete_review(framework))
    store.close()
    db = data_dir / "cpf-desktop.sqlite3"
    with pytest.raises(sqlite3.DatabaseError, match="audit log"):
        raw_sql(db, f"DELETE FROM audit WHERE review_id = {final_id}")
    with pytest.raises(sqlite3.DatabaseError, match="audit log"):
        raw_sql(db, "UPDATE audit SET detail = 'forged'")
    again = open_store(data_dir)
    try:
        again.delete(draft.id)  # a draft goes with its log, as before
        assert [e.event for e in again.audit_log(final_id)] == ["created", "finalized"]
    finally:
        again.close()


def test_a_negative_schema_version_is_refused_unchanged(data_dir, capsys):
    import hashlib

    open_store(data_dir).close()
    db = data_dir / "cpf-desktop.sqlite3"
    raw_sql(db, "PRAGMA user_version = -3; PRAGMA journal_mode = DELETE;")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    assert run(data_dir, "list") == 3
    assert "another program" in capsys.readouterr().err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_an_exported_final_review_imports_elsewhere_with_the_same_signature(framework, store, final_id, tmp_path, capsys):
    original = store.get(final_id)
    exported = tmp_path / "final.json"
    assert run(store.path.parent, "export-review", str(final_id), str(exported)) == 0
    elsewhere = tmp_path / "other"
    assert run(elsewhere, "import-review", str(exported)) == 0
    again = open_store(elsewhere)
    try:
        copy = again.get(1)
        assert (copy.finalized_at, copy.framework_version, copy.content_hash) == (
            original.finalized_at, original.framework_version, original.content_hash)
    finally:
        again.close()
    capsys.readouterr()
    code = verification_code(original.content_hash)
    assert run(elsewhere, "verify") == 0
    assert run(elsewhere, "verify", "--code", code, "--json", str(exported)) == 0


def test_an_exported_final_review_changed_afterwards_is_refused_on_import(framework, store, final_id, tmp_path, capsys):
    exported = tmp_path / "final.json"
    run(store.path.parent, "export-review", str(final_id), str(exported))
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["overall"]["comment"] = "A better year than the signed one says."
    exported.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    assert run(tmp_path / "other", "import-review", str(exported)) == 2
    assert "changed after it was finalized" in capsys.readouterr().err
