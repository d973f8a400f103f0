"""Attacks on the command line found by trying it as a new user: each ends in one sentence, not a traceback."""
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from builders import complete_review
from cpf_desktop.app import main
from cpf_desktop.exchange import review_to_dict
from cpf_desktop.storage import open_store

ROOT = Path(__file__).resolve().parents[2]


def run(data_dir, *args):
    return main(["--data-dir", str(data_dir), *args])


def count(data_dir):
    store = open_store(data_dir)
    try:
        return len(store.list_reviews())
    finally:
        store.close()


@pytest.mark.parametrize(
    "payload, expected",
    [
        ('{"format": "cpf-review/1", "review_type": []}', "'review_type'"),
        ('{"format": "cpf-review/1", "employee": {"name": "\\ud800"}}', "broken character"),
        ("[" * 200_000, "nested far too deeply"),
        ('{"format": "cpf-review/1", "goals": ' + "9" * 5000 + "}", "'goals' holds a number far too long to be a value in a review"),
        ('{"format": "cpf-review/1", "period": {"start": "20250701"}}', "write dates as YYYY-MM-DD"),
        ('{"format": "cpf-review/1", "period": {"start": "2026-W26-2"}}', "write dates as YYYY-MM-DD"),
        ('{"format": "cpf-review/1", "period": {"start": "0001-01-01"}}', "review periods lie between"),
        ('{"format": "cpf-review/1", "strengths": "' + "x" * 100_001 + '"}', "a text field holds at most 100,000"),
    ],
)
def test_hostile_files_exit_2_with_a_sentence(data_dir, tmp_path, capsys, payload, expected):
    path = tmp_path / "attack.json"
    path.write_text(payload, encoding="utf-8", errors="surrogatepass")
    assert run(data_dir, "import-review", str(path)) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err and err.count(str(path)) == 1
    assert count(data_dir) == 0


@pytest.mark.parametrize("number", ["9223372036854775808", "99999999999999999999999", "0", "-1", "abc"])
def test_impossible_review_numbers_are_usage_errors(data_dir, number, capsys):
    with pytest.raises(SystemExit) as info:
        run(data_dir, "finalize", number)
    assert info.value.code == 2
    assert "is not a review number" in capsys.readouterr().err


def test_reimporting_a_final_review_is_refused(framework, data_dir, tmp_path, capsys):
    data = review_to_dict(complete_review(framework))
    data["status"] = "final"
    path = tmp_path / "final.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert run(data_dir, "import-review", str(path)) == 0
    first = capsys.readouterr().out.strip()
    assert run(data_dir, "import-review", str(path)) == 2
    assert f"review {first} already holds a finalized annual review of Rosa Martínez" in capsys.readouterr().err
    assert count(data_dir) == 1
    assert run(data_dir, "void", first, "--reason", "Replaced by a corrected import") == 0
    assert run(data_dir, "import-review", str(path)) == 0


def test_existing_folder_keeps_its_permissions(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    assert run(shared, "list") == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert stat.S_IMODE((shared / "cpf-desktop.sqlite3").stat().st_mode) == 0o600


def test_empty_data_dir_is_refused(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--data-dir", "", "list"])
    assert info.value.code == 2 and "--data-dir needs a folder name" in capsys.readouterr().err


def test_export_never_replaces_a_device_or_a_link(framework, data_dir, tmp_path, capsys):
    data = review_to_dict(complete_review(framework))
    (tmp_path / "r.json").write_text(json.dumps(data), encoding="utf-8")
    run(data_dir, "import-review", str(tmp_path / "r.json"))
    review_id = capsys.readouterr().out.strip()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert run(data_dir, "export-pdf", review_id, str(fifo)) == 1
    assert "not an ordinary file" in capsys.readouterr().err
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    real = tmp_path / "real.pdf"
    real.write_bytes(b"old")
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    assert run(data_dir, "export-pdf", review_id, str(link)) == 0
    assert link.is_symlink() and real.read_bytes().startswith(b"%PDF")


def test_unexpected_error_is_one_line_and_logged(data_dir, monkeypatch, capsys):
    from cpf_desktop import cli

    def explode(*args):
        raise KeyError("something nobody expected")

    monkeypatch.setitem(cli._HANDLERS, "list", explode)
    assert run(data_dir, "list") == 1
    err = capsys.readouterr().err
    assert "an unexpected problem stopped 'list'" in err and "Traceback" not in err
    assert "something nobody expected" in (data_dir / "logs" / "cpf-desktop.log").read_text(encoding="utf-8")


def test_window_without_a_display_says_so(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path / "d")],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1 and "needs a desktop session" in done.stderr
