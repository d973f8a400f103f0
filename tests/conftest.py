"""Shared test set-up: headless Qt, a private data folder per test, no real dialogs."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import: no display in CI

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from cpf_desktop.framework import load_framework  # noqa: E402


@pytest.fixture(scope="session")
def framework():
    return load_framework()


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A fresh data folder; the real per-user folder is never touched."""
    folder = tmp_path / "data"
    monkeypatch.setenv("CPF_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def store(data_dir):
    from cpf_desktop.storage import open_store

    s = open_store(data_dir)
    yield s
    s.close()


class SmallDisk:
    """A real, tiny file system (tmpfs) that a test can make read-only or fill up."""

    def __init__(self, path: Path):
        self.path = path

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True, capture_output=True)

    def fill(self) -> None:
        """Take every free byte: a file grown until the disk says no."""
        with open(self.path / "filler", "wb", buffering=0) as f:
            for chunk in (65536, 512):
                try:
                    while True:
                        f.write(b"\0" * chunk)
                except OSError:
                    pass

    def free(self) -> None:
        (self.path / "filler").unlink(missing_ok=True)


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs mounted for the test: the real faults, not a simulation. Needs root and mount
    (as in CI and on the developers' machines); elsewhere the test is skipped."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield SmallDisk(mount_point)
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)
