"""packaging/build.py and packaging/pyi_options.py without building anything (fast)."""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str):
    """Import packaging/<name>.py by path (packaging/ is no package: it would shadow PyPI's `packaging`)."""
    spec = importlib.util.spec_from_file_location(f"cpf_packaging_{name}", ROOT / "packaging" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load("build")
options = _load("pyi_options")


def test_the_version_comes_from_the_package():
    from cpf_desktop import __version__

    assert build.read_version() == __version__


@pytest.mark.parametrize("text, numbers", [
    ("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("2.0.1rc1", (2, 0, 1, 0)), ("1.2.3.4.5", (1, 2, 3, 4)),
])
def test_windows_file_version_numbers(text, numbers):
    assert build.version_numbers(text) == numbers


def test_the_windows_version_resource_is_a_valid_vsversioninfo(tmp_path):
    """PyInstaller eval()s the file with its versioninfo classes (which need pefile, Windows only): check its shape."""
    path = build.write_version_file(tmp_path, "1.4.2")
    tree = ast.parse(path.read_text(encoding="utf-8"), mode="eval")
    calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert calls == {"VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
                     "VarFileInfo", "VarStruct"}
    strings = {node.args[0].value: node.args[1].value for node in ast.walk(tree)
               if isinstance(node, ast.Call) and node.func.id == "StringStruct"}
    assert strings["ProductVersion"] == strings["FileVersion"] == "1.4.2"
    assert strings["OriginalFilename"] == "CPF-Desktop.exe"
    fixed = next(node for node in ast.walk(tree) if isinstance(node, ast.Call) and node.func.id == "FixedFileInfo")
    assert {k.arg: ast.literal_eval(k.value) for k in fixed.keywords}["filevers"] == (1, 4, 2, 0)


def test_options_default_to_dist_and_build():
    args = build.parse_args([])
    assert (args.onedir, args.distpath, args.workpath) == (False, ROOT / "dist", ROOT / "build")
    assert build.parse_args(["--onedir", "--distpath", "x"]).onedir


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/plugins/platforms/qwindows.dll", "PySide6/plugins/styles/qmodernwindowsstyle.dll",
    "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/translations/qtbase_es.qm", "PySide6/translations/qtbase_en.qm",
    "PySide6/Qt/lib/libQt6Widgets.so.6", "PySide6/Qt/lib/libQt6PrintSupport.so.6", "PySide6/Qt/lib/libQt6Svg.so.6",
    "resources/framework.json", "pypdfium2_raw/libpdfium.so",
    "PySide6/Qt/lib/QtGui.framework/Versions/A/Resources/Info.plist", "PySide6/Qt/lib/QtWidgets.framework/QtWidgets",
    "PySide6/Qt/plugins/platforms/libqcocoa.dylib", "PySide6/Qt/plugins/styles/libqmacstyle.dylib",
])
def test_kept(dest):
    assert options.keep_entry(dest)


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/plugins/qmltooling/libqmldbg_debugger.so", "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so", "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/imageformats/libqtiff.so", "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt/translations/qtdeclarative_es.qm", "PySide6/Qt/translations/qt_es.qm", "PySide6/Qt/lib/libQt6Qml.so.6", "libQt6Network.so.6",
    "PySide6/Qt6Quick.dll", "PySide6/opengl32sw.dll", "PySide6/Qt/qml/QtQuick/qmldir",
    "PySide6/Qt/lib/QtNetwork.framework/Versions/A/Resources/Info.plist", "PySide6/Qt/lib/QtQml.framework/QtQml",
])
def test_dropped(dest):
    assert not options.keep_entry(dest)


def test_everything_the_program_imports_from_qt_is_kept():
    used = set()
    for path in (ROOT / "cpf_desktop").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] in ("from", "import") and words[1].startswith("PySide6."):
                used.add(words[1])
    assert used, "no Qt import found"
    assert not used & set(options.EXCLUDED_MODULES), used & set(options.EXCLUDED_MODULES)
