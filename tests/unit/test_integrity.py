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
    assert store.stored_hash_mismatches() == []
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
    assert store.stored_hash_mismatches() == []
    assert run(data_dir, "log", str(final_id)) == 0
    assert "voided\tEntered for the wrong employee" in capsys.readouterr().out
