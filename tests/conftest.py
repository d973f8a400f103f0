"""Shared test set-up: headless Qt, a private data folder per test, no real dialogs."""
from __future__ import annotations

import os
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
