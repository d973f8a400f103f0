"""A read-only and a full disk for real (a small tmpfs), not simulated: a sentence, and nothing lost."""
from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from builders import complete_review
from cpf_desktop.review import Rating
from cpf_desktop.storage import StorageError, open_store

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.json"


def cli(data: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data), *args],
                          capture_output=True, text=True, timeout=60)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_sentence(done: subprocess.CompletedProcess) -> str:
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_read_only_disk_is_called_read_only_not_damaged(small_disk, framework):
    data = small_disk.path / "data"
    store = open_store(data)
    store.finalize(framework, store.create(complete_review(framework)).id)
    store.close()
    before = digest(data / "cpf-desktop.sqlite3")
    small_disk.read_only()

    for args in (["list"], ["import-review", str(MINIMAL)], ["verify"]):
        done = cli(data, *args)
        assert done.returncode == 3, (args, done.stderr)
        line = one_sentence(done)
        assert "read-only" in line and "damaged" not in line, line
    assert digest(data / "cpf-desktop.sqlite3") == before


def test_full_disk_says_full_and_loses_nothing(small_disk, framework):
    data = small_disk.path / "data"
    store = open_store(data)
    review = store.create(complete_review(framework, supervisory=False))
    store.close()
    small_disk.fill()

    # Starting on a full disk: SQLite cannot even make its shared-memory file.
    for args in (["list"], ["import-review", str(MINIMAL)]):
        done = cli(data, *args)
        assert done.returncode == 3, (args, done.stderr)
        line = one_sentence(done)
        assert "full" in line and "damaged" not in line, line

    small_disk.free()
    assert cli(data, "list").returncode == 0
    check = sqlite3.connect(data / "cpf-desktop.sqlite3")
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()
    again = open_store(data)
    try:
        assert again.get(review.id).ratings == review.ratings
    finally:
        again.close()


def test_disk_filling_up_while_rating_refuses_the_change_and_keeps_the_rest(small_disk, framework):
    data = small_disk.path / "data"
    store = open_store(data)
    try:
        review = store.create(complete_review(framework, supervisory=False))
        saved = Rating("effective", True, "Saved before the disk filled.")
        store.save_rating(review.id, "attitude", saved)
        small_disk.fill()
        with pytest.raises(StorageError, match="full"):
            for i in range(200):  # long comments: the journal must grow, and cannot
                store.save_rating(review.id, "flexibility", Rating("effective", False, f"{i} " + "x" * 20000))
        small_disk.free()
        assert store.get(review.id).rating("attitude") == saved
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()


def test_pdf_to_a_full_disk_leaves_no_partial_file(small_disk, framework, tmp_path):
    data = tmp_path / "data"  # the database on the ordinary disk, the PDF to the full one
    store = open_store(data)
    review_id = store.create(complete_review(framework)).id
    store.close()
    out = small_disk.path / "out"
    out.mkdir()
    small_disk.fill()
    done = cli(data, "export-pdf", str(review_id), str(out / "review.pdf"))
    assert done.returncode != 0
    line = one_sentence(done)
    assert "review.pdf" in line and "space" in line.lower(), line
    assert list(out.iterdir()) == []
