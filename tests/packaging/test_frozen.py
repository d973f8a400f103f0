"""The real one-file executable, built by `python packaging/build.py`, works as the installed program.

Slow (one build, 1-3 minutes): marked `packaging`; skipped when PyInstaller is not installed.
Run alone with `python -m pytest -m packaging -s` to see the size and timings.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "minimal.json"
MAX_SIZE_MB = 70  # Linux is ~58 MB today (PySide6 alone is ~43 MB); a jump past this is a regression

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(1800)]


@pytest.fixture
def env(tmp_path) -> dict:
    """A private HOME, data folder and temporary folder: the real ones are never touched."""
    for name in ("home", "tmp"):
        (tmp_path / name).mkdir()
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home"),
            "CPF_DATA_DIR": str(tmp_path / "data"), "TMPDIR": str(tmp_path / "tmp")}


def run(exe: Path, *args: str, env: dict, no_stdio: bool = False, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the executable; ``no_stdio`` closes its stdout and stderr, as a windowed Windows build has none."""
    if no_stdio:
        return subprocess.run([str(exe), *args], env=env, stdin=subprocess.DEVNULL, timeout=timeout,
                              preexec_fn=_close_stdio)
    return subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=timeout)


def _close_stdio() -> None:
    os.close(1)  # Python then starts with sys.stdout = None, like a windowed (console=False) build on Windows
    os.close(2)


def test_self_check_passes_in_the_executable(frozen, env, tmp_path, record_property):
    started = time.perf_counter()
    done = run(frozen["exe"], "--self-check", env=env)
    seconds = time.perf_counter() - started
    print(f"\n[packaging] --self-check in {seconds:.2f} s:\n{done.stdout}{done.stderr}", flush=True)
    record_property("self_check_seconds", round(seconds, 2))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-check ok" in done.stdout
    # The package metadata is bundled: every version is known, none is "?".
    versions = next(line for line in done.stdout.splitlines() if line.startswith("versions:"))
    assert "?" not in versions and "PySide6-Essentials 6." in versions, versions
    assert not (tmp_path / "data").exists()  # the self-check never touches the data folder
    assert list((tmp_path / "tmp").iterdir()) == []  # the unpacked bundle and the check's folder are gone
    assert list((tmp_path / "home").rglob("*")) == []


def test_a_draft_saved_by_the_executable_is_there_after_a_restart(frozen, env, tmp_path):
    data = tmp_path / "D"
    stored = run(frozen["exe"], "--data-dir", str(data), "import-review", str(FIXTURE), env=env)
    assert stored.returncode == 0, stored.stdout + stored.stderr
    review_id = stored.stdout.strip().splitlines()[-1]
    assert review_id.isdigit(), stored.stdout

    listed = run(frozen["exe"], "--data-dir", str(data), "list", env=env)  # a second, separate process
    assert listed.returncode == 0, listed.stdout + listed.stderr
    line = next(line for line in listed.stdout.splitlines() if line.split("\t")[0] == review_id)
    assert "draft" in line and "Ana Ruiz" in line
    assert (data / "cpf-desktop.sqlite3").is_file()
    # Nothing is ever written beside the executable.
    assert sorted(p.name for p in frozen["dist"].iterdir()) == ["CPF-Desktop"]


def test_commands_work_without_stdout_and_stderr(frozen, env, tmp_path):
    """A windowed build on Windows starts with sys.stdout and sys.stderr set to None."""
    data = tmp_path / "D"
    assert run(frozen["exe"], "--self-check", env=env, no_stdio=True).returncode == 0
    assert run(frozen["exe"], "--data-dir", str(data), "import-review", str(FIXTURE), env=env,
               no_stdio=True).returncode == 0
    assert run(frozen["exe"], "--data-dir", str(data), "import-review", str(tmp_path / "missing.json"), env=env,
               no_stdio=True).returncode == 2  # the error message has nowhere to go, the exit status says it
    listed = run(frozen["exe"], "--data-dir", str(data), "list", env=env)
    assert listed.returncode == 0 and "Ana Ruiz" in listed.stdout


def _start_backups(data: Path) -> set:
    return {(p.name, p.stat().st_mtime_ns) for p in (data / "backups").glob("*-start.sqlite3")}


def test_the_window_comes_up_without_stdout_and_stderr(frozen, env, tmp_path, record_property):
    """The window opens offscreen; its start-up backup (made once the event loop runs) proves it came up."""
    data = tmp_path / "D"
    before = _start_backups(data)
    started = time.perf_counter()
    process = subprocess.Popen([str(frozen["exe"]), "--data-dir", str(data)], env=env, stdin=subprocess.DEVNULL,
                               preexec_fn=_close_stdio)
    try:
        deadline = started + 60
        while not (_start_backups(data) - before):
            assert process.poll() is None, f"the program exited with {process.returncode} before its window was up"
            assert time.perf_counter() < deadline, "the window did not come up within 60 s"
            time.sleep(0.01)
        seconds = time.perf_counter() - started
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    print(f"\n[packaging] window up (cold data folder) in {seconds:.2f} s", flush=True)
    record_property("window_up_seconds", round(seconds, 2))
    assert (data / "logs" / "cpf-desktop.log").is_file()  # the log goes to the data folder, not to the console


def test_the_bundle_holds_what_it_should_and_nothing_more(frozen, record_property):
    from PyInstaller.archive.readers import CArchiveReader

    toc = CArchiveReader(str(frozen["exe"])).toc
    names = {name.replace("\\", "/") for name in toc}
    size_mb = frozen["exe"].stat().st_size / 1e6
    biggest = sorted(((entry[1], name) for name, entry in toc.items()), reverse=True)[:12]
    print(f"\n[packaging] {size_mb:.1f} MB; biggest entries (compressed):\n" + "\n".join(
        f"  {length / 1e6:6.2f} MB  {name}" for length, name in biggest), flush=True)
    record_property("size_mb", round(size_mb, 1))
    record_property("build_seconds", round(frozen["build_seconds"]))

    for wanted in ("resources/framework.json", "resources/fonts/DejaVuSans.ttf", "resources/icons/cpf-desktop.png",
                   "resources/source/classified-performance-framework.txt", "PYZ.pyz"):
        assert wanted in names, wanted
    assert not any(name.startswith("resources/screenshots") for name in names)
    assert any(name.endswith("pypdfium2_raw/libpdfium.so") or name.endswith("pypdfium2_raw/libpdfium.dylib")
               for name in names), "PDFium (printing) is missing"
    for language in ("en", "es"):
        assert any(name.endswith(f"translations/qtbase_{language}.qm") for name in names), language
    for distribution in ("pyside6_essentials", "reportlab", "sqlite_utils", "pypdf"):
        assert any(name.lower().startswith(f"{distribution}-") and name.endswith("METADATA") for name in names), \
            distribution
    unwanted = ("numpy", "tkinter", "_tkinter", "QtQml", "QtQuick", "QtWebEngine", "QtMultimedia", "Qt3D",
                "QtDesigner", "QtCharts", "pytest", "hypothesis", "libcrypto", "qmltooling", "sqldrivers")
    for name in names:
        assert not any(part in name for part in unwanted), name
    assert size_mb <= MAX_SIZE_MB, f"{size_mb:.1f} MB"


def test_the_compiled_forms_and_lazy_imports_are_in_the_archive(frozen, tmp_path):
    from PyInstaller.archive.readers import CArchiveReader, ZlibArchiveReader

    pyz_path = tmp_path / "PYZ.pyz"
    pyz_path.write_bytes(CArchiveReader(str(frozen["exe"])).extract("PYZ.pyz"))
    modules = set(ZlibArchiveReader(str(pyz_path)).toc)
    forms = {f"cpf_desktop.gui.forms.{p.stem}" for p in (ROOT / "cpf_desktop" / "gui" / "forms").glob("ui_*.py")}
    assert forms and forms <= modules, forms - modules
    # Imported inside functions (printing, --self-check), so easy to lose: they must be there all the same.
    assert {"cpf_desktop.gui.printing", "pypdfium2", "pypdf", "cpf_desktop.self_check"} <= modules
