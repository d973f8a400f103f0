"""`--self-check` proves an installation works and never touches the user's data."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_self_check_ok_and_leaves_data_alone(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "CPF_DATA_DIR": str(tmp_path / "data"), "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--self-check"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-check ok" in done.stdout and "versions:" in done.stdout
    assert not (tmp_path / "data").exists()  # the real data folder is never created or touched
    assert list((tmp_path / "tmp").iterdir()) == []  # nothing left in the temporary folder
    assert list(home.rglob("*")) == []


def test_self_check_names_the_failing_step(monkeypatch, capsys):
    from cpf_desktop import self_check
    from cpf_desktop.framework import FrameworkError

    def broken(*args, **kwargs):
        raise FrameworkError("The framework file is malformed: test.")

    monkeypatch.setattr("cpf_desktop.framework.load_framework", broken)
    assert self_check.run_self_check() == 1
    assert "self-check FAILED at step 'load the framework'" in capsys.readouterr().out
