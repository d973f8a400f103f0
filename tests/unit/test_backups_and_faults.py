"""Backups, restore, migration from the first schema, and files the program must refuse untouched."""
import hashlib
import os
import shutil
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from builders import complete_review
from cpf_desktop.app import main
from cpf_desktop.review import Review
from cpf_desktop.storage import open_store
from cpf_desktop.storage.backups import (
    inspect_backup, list_backups, make_backup, newest_good_backup, prune_backups,
)
from cpf_desktop.storage.database import SCHEMA_VERSION, UnusableDatabase

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def run(data_dir, *args):
    return main(["--data-dir", str(data_dir), *args])


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_rolling_backup_is_private_and_consistent(framework, store, data_dir):
    store.create(complete_review(framework))
    path = make_backup(store.db.conn, data_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    info = inspect_backup(path)
    assert info.usable and info.reviews == 1 and info.finalized == 0


def test_prune_keeps_one_a_day_for_14_days_and_the_last_5(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2026, 11, 1, 8, 0, 0)
    names = []
    for day in range(30):
        for hour in (8, 17):
            stamp = start + timedelta(days=day, hours=hour - 8)
            name = f"cpf-desktop-{stamp:%Y%m%d-%H%M%S}.sqlite3"
            (folder / name).write_bytes(b"x")
            names.append(name)
    prune_backups(folder, (start + timedelta(days=29)).date())
    kept = sorted(p.name for p in folder.iterdir())
    newest_five = sorted(names)[-5:]
    assert set(newest_five) <= set(kept)
    days = {n[12:20] for n in kept}
    assert len(days) == 14  # one per day for the last 14 days
    assert len(kept) == 14 + 2  # plus the extra same-day ones among the last five


def test_backup_and_restore_commands(framework, store, data_dir, tmp_path, capsys):
    first = store.create(complete_review(framework))
    store.close()
    backup = tmp_path / "copy.sqlite3"
    assert run(data_dir, "backup", str(backup)) == 0
    assert "backed up 1 review(s)" in capsys.readouterr().out
    other = open_store(data_dir)
    other.create(Review())
    other.close()
    assert run(data_dir, "restore", str(backup)) == 0
    out = capsys.readouterr().out
    assert "1 review(s), 0 finalized" in out and "kept as" in out
    again = open_store(data_dir)
    try:
        assert [s.id for s in again.list_reviews()] == [first.id]
        assert again.audit_log(first.id)[-1].event == "restored"
    finally:
        again.close()
    kept = list(data_dir.glob("cpf-desktop.sqlite3.before-restore-*"))
    assert kept and not kept[0].name.endswith(("-wal", "-shm"))


def test_restore_refuses_a_bad_backup_and_changes_nothing(store, data_dir, tmp_path, capsys):
    store.create(Review())
    store.close()
    before = digest(data_dir / "cpf-desktop.sqlite3")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(os.urandom(4096))
    assert run(data_dir, "restore", str(bad)) == 2
    assert "cannot be restored" in capsys.readouterr().err
    assert digest(data_dir / "cpf-desktop.sqlite3") == before


def test_random_bytes_file_list_exits_3_and_file_unchanged(data_dir, capsys):
    data_dir.mkdir(parents=True)
    db = data_dir / "cpf-desktop.sqlite3"
    db.write_bytes(os.urandom(50_000))
    before = digest(db)
    assert run(data_dir, "list") == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "damaged or is not a CPF Desktop database" in err
    assert digest(db) == before
    assert sorted(p.name for p in data_dir.iterdir() if p.name != "logs") == ["cpf-desktop.sqlite3"]


def test_foreign_sqlite_file_refused_untouched(data_dir, capsys):
    data_dir.mkdir(parents=True)
    db = data_dir / "cpf-desktop.sqlite3"
    raw = sqlite3.connect(db)
    raw.execute("CREATE TABLE songs (title TEXT)")
    raw.commit()
    raw.close()
    before = digest(db)
    assert run(data_dir, "list") == 3
    assert "another program" in capsys.readouterr().err
    assert digest(db) == before


@pytest.mark.parametrize("version", [1, 2, 3, SCHEMA_VERSION, SCHEMA_VERSION + 7])
def test_another_programs_file_with_a_schema_number_is_refused_untouched(data_dir, version, capsys):
    """Many programs set user_version; one that says 1-4 must not be migrated or switched to WAL."""
    data_dir.mkdir(parents=True)
    db = data_dir / "cpf-desktop.sqlite3"
    raw = sqlite3.connect(db)
    raw.execute("CREATE TABLE settings (k TEXT, v TEXT)")
    raw.execute(f"PRAGMA user_version = {version}")
    raw.commit()
    raw.close()
    before = digest(db)
    assert run(data_dir, "list") == 3
    err = capsys.readouterr().err
    assert "another program" in err and len(err.strip().splitlines()) == 1, err
    assert digest(db) == before
    assert not (data_dir / "cpf-desktop.sqlite3-wal").exists()


def test_an_emptied_data_file_is_not_taken_for_a_new_one(framework, data_dir, capsys):
    """0 bytes with good backups beside it: say so and keep the backups, never start afresh."""
    store = open_store(data_dir)
    store.create(complete_review(framework))
    make_backup(store.db.conn, data_dir)
    store.close()
    db = data_dir / "cpf-desktop.sqlite3"
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    db.write_bytes(b"")
    assert run(data_dir, "list") == 3
    err = capsys.readouterr().err
    assert "empty (0 bytes)" in err and "restore" in err
    assert db.stat().st_size == 0
    assert newest_good_backup(data_dir).reviews == 1


def test_an_empty_file_without_backups_is_a_new_data_file(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "cpf-desktop.sqlite3").write_bytes(b"")  # e.g. a first start killed before its first write
    store = open_store(data_dir)
    assert store.list_reviews() == []
    store.close()


def test_newer_schema_refused_untouched(data_dir):
    open_store(data_dir).close()  # a real data file, as a newer CPF Desktop would have left it
    db = data_dir / "cpf-desktop.sqlite3"
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.execute("PRAGMA journal_mode = DELETE")
    raw.close()
    before = digest(db)
    with pytest.raises(UnusableDatabase, match="newer version"):
        open_store(data_dir)
    assert digest(db) == before


def test_migrates_a_first_schema_database_after_backing_it_up(data_dir):
    data_dir.mkdir(parents=True)
    shutil.copy(FIXTURES / "schema1.sqlite3", data_dir / "cpf-desktop.sqlite3")
    store = open_store(data_dir)
    try:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        review = store.get(1)
        assert review.employee.name == "Draft Person" and review.version == 1
        assert review.rating("ethics-values").comment == "Kept from schema 1"
        assert store.audit_log(1) == []
    finally:
        store.close()
    backups = list_backups(data_dir)
    assert len(backups) == 1 and "before-schema-2" in backups[0].name
    raw = sqlite3.connect(backups[0])
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 1  # the backup is the untouched original
    raw.close()


def test_newest_good_backup_skips_damaged_ones(framework, store, data_dir):
    store.create(Review())
    good = make_backup(store.db.conn, data_dir, now=datetime(2026, 12, 1, 9, 0))
    damaged = good.with_name("cpf-desktop-20261202-090000.sqlite3")
    damaged.write_bytes(b"garbage" * 1000)
    assert newest_good_backup(data_dir).path == good


def test_a_deleted_data_file_is_not_replaced_by_an_empty_one(framework, data_dir, capsys):
    store = open_store(data_dir)
    store.create(complete_review(framework))
    make_backup(store.db.conn, data_dir)
    store.close()
    for side in ("", "-wal", "-shm"):
        Path(f"{data_dir / 'cpf-desktop.sqlite3'}{side}").unlink(missing_ok=True)
    assert run(data_dir, "list") == 3
    assert "is missing, although backups of your reviews exist" in capsys.readouterr().err
    assert not (data_dir / "cpf-desktop.sqlite3").exists()


def test_a_data_file_deleted_while_open_refuses_writes_instead_of_losing_them(framework, data_dir):
    """SQLite writes on into the deleted file and says all is well; every change would be gone at restart."""
    from cpf_desktop.review import Rating
    from cpf_desktop.storage import StorageError

    store = open_store(data_dir)
    try:
        review = store.create(complete_review(framework))
        os.unlink(data_dir / "cpf-desktop.sqlite3")
        with pytest.raises(StorageError, match="moved, replaced or deleted"):
            store.save_rating(review.id, "attitude", Rating("effective", False, "after the delete"))
    finally:
        store.close()


def test_a_newer_schema_that_reshaped_its_tables_is_still_called_newer(data_dir):
    open_store(data_dir).close()
    db = data_dir / "cpf-desktop.sqlite3"
    raw = sqlite3.connect(db)
    raw.execute("DROP TABLE voids")
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    raw.execute("PRAGMA journal_mode = DELETE")
    raw.close()
    with pytest.raises(UnusableDatabase, match="newer version"):
        open_store(data_dir)


def test_a_passing_refusal_to_stat_the_file_is_not_taken_for_a_lost_file(framework, data_dir, monkeypatch):
    """Antivirus or a network drive may refuse a stat for a moment: the save goes on, nothing is claimed."""
    from cpf_desktop.review import Rating
    from cpf_desktop.storage import database

    store = open_store(data_dir)
    try:
        review = store.create(complete_review(framework))

        def refused(path, *args, **kwargs):
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(database.os, "stat", refused)
        store.save_rating(review.id, "attitude", Rating("effective", False, "saved all the same"))
        monkeypatch.undo()
        assert store.get(review.id).rating("attitude").comment == "saved all the same"
    finally:
        store.close()
