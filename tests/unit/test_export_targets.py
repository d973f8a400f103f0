"""An export or a backup never replaces the data file, its companions or another database."""
import hashlib
import sqlite3

import pytest

from builders import complete_review
from cpf_desktop.app import main
from cpf_desktop.export.files import FileWriteError, is_database_file, write_file_atomically
from cpf_desktop.storage import open_store


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def stored(data_dir, framework):
    store = open_store(data_dir)
    review_id = store.create(complete_review(framework)).id
    yield store, review_id
    store.close()


@pytest.mark.parametrize("command", [
    ["export-pdf", "{id}", "{db}"],
    ["export-review", "{id}", "{db}"],
    ["export-pdf", "{id}", "{db}-wal"],
    ["export-pdf", "{id}", "{db}-shm"],
    ["summary", "--period", "2025-26", "--pdf", "{db}"],
    ["export-pdf", "--all", "--period", "2025-26", "--combined", "{db}"],
])
def test_exports_onto_the_live_database_are_refused(stored, data_dir, command, capsys):
    store, review_id = stored
    db = store.path
    # Make the review final so the batch and summary commands have something to write.
    assert main(["--data-dir", str(data_dir), "finalize", str(review_id)]) == 0
    before = digest(db)
    args = [a.format(id=review_id, db=db) for a in command]
    status = main(["--data-dir", str(data_dir), *args])
    err = capsys.readouterr().err
    assert status != 0
    assert "database file" in err and "nothing was changed" in err, err
    assert digest(db) == before
    assert main(["--data-dir", str(data_dir), "list"]) == 0


def test_another_programs_database_is_not_replaced_either(tmp_path):
    other = tmp_path / "inventory.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE items (name TEXT)")
    conn.commit()
    conn.close()
    assert is_database_file(other)
    with pytest.raises(FileWriteError, match="never replaces it"):
        write_file_atomically(other, b"%PDF-1.4")
    assert is_database_file(other)


def test_ordinary_files_are_still_replaced(tmp_path):
    target = tmp_path / "review.pdf"
    target.write_bytes(b"old")
    assert not is_database_file(target)
    write_file_atomically(target, b"new")
    assert target.read_bytes() == b"new"


@pytest.mark.parametrize("target, expected", [
    ("{db}", "data file itself"),
    ("{db}-wal", "data file itself"),
    ("{folder}", "is a folder"),
    ("{folder}/missing/b.sqlite3", "does not exist"),
    ("/dev/null", "not an ordinary file"),
])
def test_backup_refuses_what_would_harm_the_data(stored, data_dir, target, expected, capsys):
    store, _ = stored
    before = digest(store.path)
    path = target.format(db=store.path, folder=data_dir)
    assert main(["--data-dir", str(data_dir), "backup", path]) != 0
    err = capsys.readouterr().err
    assert expected in err, err
    assert digest(store.path) == before


def test_a_companion_name_beside_a_database_is_refused_even_before_it_exists(tmp_path):
    db = tmp_path / "cpf-desktop.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    for name in ("cpf-desktop.sqlite3-wal", "cpf-desktop.sqlite3-SHM", "cpf-desktop.sqlite3-journal"):
        assert not (tmp_path / name).exists()
        with pytest.raises(FileWriteError, match="never replaces it"):
            write_file_atomically(tmp_path / name, b"%PDF-1.4")
        assert not (tmp_path / name).exists()
    write_file_atomically(tmp_path / "notes-wal", b"fine: nothing called notes is a database")


def test_backup_replaces_an_older_backup_but_nothing_else(stored, data_dir, tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("important notes")
    other = tmp_path / "inventory.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE settings (k)")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    before = digest(other)
    for target in (notes, other):
        assert main(["--data-dir", str(data_dir), "backup", str(target)]) != 0
        assert "is not a CPF Desktop backup" in capsys.readouterr().err
    assert notes.read_text() == "important notes" and digest(other) == before
    usb = tmp_path / "usb.sqlite3"
    assert main(["--data-dir", str(data_dir), "backup", str(usb)]) == 0
    assert main(["--data-dir", str(data_dir), "backup", str(usb)]) == 0  # last week's backup, replaced
