"""Attacks found by a hostile tester: restore, backup, amend, void and file names on the command line.

Each ends in one sentence and leaves the supervisor's data where it was.
"""
from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from builders import complete_review
from cpf_desktop.app import main
from cpf_desktop.instance import LOCK_NAME, window_is_open
from cpf_desktop.storage import StorageError, open_store
from cpf_desktop.storage import backups as backups_module
from cpf_desktop.storage.backups import copy_database, restore_backup

ROOT = Path(__file__).resolve().parents[2]


def run(data_dir, *args):
    return main(["--data-dir", str(data_dir), *args])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "unexpected problem" not in err[0]
    return err[0]


@pytest.fixture
def two_reviews(framework, data_dir):
    store = open_store(data_dir)
    first = store.create(complete_review(framework))
    store.finalize(framework, first.id)
    store.create(complete_review(framework, supervisory=False))
    store.close()
    return data_dir


def review_ids(data_dir) -> list[int]:
    store = open_store(data_dir)
    try:
        return sorted(s.id for s in store.list_reviews())
    finally:
        store.close()


def test_restoring_the_live_file_onto_itself_is_refused(two_reviews, capsys):
    db = two_reviews / "cpf-desktop.sqlite3"
    assert run(two_reviews, "restore", str(db)) == 2
    assert "is the data file itself" in error_line(capsys)
    assert review_ids(two_reviews) == [1, 2]
    assert not list(two_reviews.glob("*.before-restore-*"))


def test_a_newer_or_foreign_backup_is_refused_before_anything_moves(two_reviews, tmp_path, capsys):
    store = open_store(two_reviews)
    newer = tmp_path / "newer.sqlite3"
    copy_database(store.db.conn, newer)
    store.close()
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE reviews (id INTEGER PRIMARY KEY, status TEXT)")
    conn.close()
    before = digest(two_reviews / "cpf-desktop.sqlite3")

    assert run(two_reviews, "restore", str(newer)) == 2
    assert "newer version of CPF Desktop" in error_line(capsys)
    assert run(two_reviews, "restore", str(foreign)) == 2
    assert "not a CPF Desktop backup" in error_line(capsys)
    assert digest(two_reviews / "cpf-desktop.sqlite3") == before
    assert review_ids(two_reviews) == [1, 2]


def test_a_backup_that_fails_mid_copy_leaves_the_data_file_in_place(two_reviews, tmp_path, monkeypatch):
    store = open_store(two_reviews)
    good = tmp_path / "good.sqlite3"
    copy_database(store.db.conn, good)
    store.close()
    before = digest(two_reviews / "cpf-desktop.sqlite3")

    def pulled_out(source, target):
        Path(target).write_bytes(b"half")  # what a torn copy would leave, if anything did
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(backups_module, "copy_database", pulled_out)
    with pytest.raises(StorageError, match="was not changed"):
        restore_backup(good, two_reviews / "cpf-desktop.sqlite3")
    assert digest(two_reviews / "cpf-desktop.sqlite3") == before
    assert not list(two_reviews.glob(".*restoring*")) and not list(two_reviews.glob("*.before-restore-*"))


def test_restore_is_refused_while_a_window_holds_the_folder(two_reviews, tmp_path, capsys):
    fcntl = pytest.importorskip("fcntl")
    store = open_store(two_reviews)
    backup = tmp_path / "b.sqlite3"
    copy_database(store.db.conn, backup)
    store.close()
    lock_path = two_reviews / LOCK_NAME
    with open(lock_path, "wb") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what the window's QLockFile holds on Linux
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(two_reviews), "restore",
                               str(backup)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "Close its window first" in done.stderr and "Traceback" not in done.stderr
    assert not list(two_reviews.glob("*.before-restore-*"))
    # A lock file left by a crash (nobody holds it) does not count as an open window.
    assert lock_path.exists() and not window_is_open(two_reviews)


def test_backup_onto_the_live_file_or_a_folder_is_refused(two_reviews, tmp_path, capsys):
    before = digest(two_reviews / "cpf-desktop.sqlite3")
    assert run(two_reviews, "backup", str(two_reviews / "cpf-desktop.sqlite3")) == 1
    assert "is the data file itself" in error_line(capsys)
    assert run(two_reviews, "backup", str(tmp_path)) == 1
    assert "is a folder" in error_line(capsys)
    assert digest(two_reviews / "cpf-desktop.sqlite3") == before


def test_a_review_can_have_only_one_live_amendment(two_reviews, capsys):
    assert run(two_reviews, "amend", "1", "--reason", "wrong period") == 0
    assert capsys.readouterr().out.strip() == "3"
    assert run(two_reviews, "amend", "1", "--reason", "again") == 2
    assert "already has a newer version (review 3" in error_line(capsys)
    assert review_ids(two_reviews) == [1, 2, 3]
    # Once that amendment is voided, the original can be amended again.
    assert run(two_reviews, "void", "3", "--reason", "made by mistake") == 0
    capsys.readouterr()
    assert run(two_reviews, "amend", "1", "--reason", "the right correction") == 0


def test_finalizing_a_voided_draft_is_refused_in_words(two_reviews, capsys):
    assert run(two_reviews, "void", "2", "--reason", "practice review") == 0
    capsys.readouterr()
    assert run(two_reviews, "finalize", "2") == 2
    assert "voided" in error_line(capsys)


def test_list_shows_voided_and_amended_reviews_as_such(two_reviews, capsys):
    run(two_reviews, "void", "2", "--reason", "practice review")
    run(two_reviews, "amend", "1", "--reason", "typo in the name")
    capsys.readouterr()
    assert run(two_reviews, "list") == 0
    status = {int(line.split("\t")[0]): line.split("\t")[1] for line in capsys.readouterr().out.splitlines()}
    assert status == {1: "final", 2: "void", 3: "draft (v2, amends 1)"}


def test_a_file_name_the_system_refuses_gets_a_sentence(two_reviews, tmp_path, capsys):
    too_long = tmp_path / ("x" * 300 + ".pdf")
    assert run(two_reviews, "export-pdf", "1", str(too_long)) == 1
    line = error_line(capsys)
    assert "x" * 50 in line and "Traceback" not in line
    assert run(two_reviews, "export-review", "1", str(tmp_path / ("y" * 300 + ".json"))) == 1
    error_line(capsys)


def test_a_data_dir_that_is_a_file_is_named_as_such(tmp_path, capsys):
    a_file = tmp_path / "reviews.txt"
    a_file.write_text("not a folder")
    assert run(a_file, "list") == 3
    assert "is a file, not a folder" in error_line(capsys)
    assert a_file.read_text() == "not a folder"


def test_verify_with_half_of_a_printout_check_says_what_is_missing(two_reviews, tmp_path, capsys):
    assert run(two_reviews, "verify", "--code", "") == 2
    assert "is not a verification code" in error_line(capsys)
    assert run(two_reviews, "verify", "--json", str(tmp_path / "any.json")) == 2
    assert "with --code" in error_line(capsys)


def test_amend_and_void_reasons_are_one_clean_line_of_bounded_length(framework, data_dir, capsys):
    store = open_store(data_dir)
    try:
        review = store.create(complete_review(framework))
        store.finalize(framework, review.id)
    finally:
        store.close()
    assert run(data_dir, "amend", str(review.id), "--reason", "x" * 1001) == 2
    assert "keep it under 1,000" in capsys.readouterr().err
    assert run(data_dir, "amend", str(review.id), "--reason", "Wrong\x1b[31m period\nsee memo\t") == 0
    draft_id = int(capsys.readouterr().out.split()[-1])
    assert run(data_dir, "void", str(draft_id), "--reason", "\n \x00 ") == 2
    assert "Say why the review is voided" in capsys.readouterr().err
    assert run(data_dir, "log", str(review.id)) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "amended" in line]
    assert len(lines) == 1 and "\x1b" not in lines[0] and lines[0].endswith("Wrong[31m period see memo")
