"""The frozen-executable tests: their marker (pytest.ini does not list it) and the one build they share."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT_S = 1500  # a build takes 1-3 minutes on CI's 2 cores; far more means something hangs


def pytest_configure(config):
    config.addinivalue_line("markers", "packaging: builds the executable (slow)")


@pytest.fixture(scope="session")
def frozen(tmp_path_factory):
    """Build the one-file executable once, with the real command, into a temporary dist folder."""
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (pip install -r packaging/requirements.txt)")
    if sys.platform == "win32":
        pytest.skip("the frozen smoke test runs on Linux and macOS (the Windows build is checked in build.yml)")
    base = tmp_path_factory.mktemp("frozen")
    dist, work = base / "dist", base / "build"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--distpath", str(dist), "--workpath", str(work)],
        cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S,
    )
    seconds = time.perf_counter() - started
    assert done.returncode == 0, f"packaging/build.py failed:\n{done.stdout[-4000:]}\n{done.stderr[-8000:]}"
    exe = dist / "CPF-Desktop"
    assert exe.is_file(), done.stdout
    print(f"\n[packaging] built {exe} in {seconds:.0f} s, {exe.stat().st_size / 1e6:.1f} MB", flush=True)
    return {"exe": exe, "dist": dist, "build_seconds": seconds, "build_output": done.stdout}


def pytest_terminal_summary(terminalreporter):
    """Print the executable's size and timings in every run (CI too), not only with -s."""
    figures = []
    for report in terminalreporter.stats.get("passed", []):
        figures += [f"{name} = {value}" for name, value in getattr(report, "user_properties", [])
                    if report.when == "call"]
    if figures:
        terminalreporter.write_sep("-", "packaged executable")
        for line in figures:
            terminalreporter.write_line(line)
