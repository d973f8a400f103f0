"""What CPF Desktop's executable leaves out, shared by cpf_desktop.spec and measure_startup.py.

The program uses QtCore, QtGui, QtWidgets and QtPrintSupport only (plus a platform plugin,
the print-support plugin and a few image formats); everything else in the PySide6 wheel, and
the optional extras of its other dependencies, is excluded here so the one-file executable
stays small and starts faster. Imported by the spec files (not by the program).
"""
from __future__ import annotations

import re
from pathlib import Path

# Python modules never imported by the program; optional imports of its dependencies included.
EXCLUDED_MODULES = [
    # Qt for Python modules the program does not use (listed whether or not the wheel has them).
    *(f"PySide6.{name}" for name in (
        "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtAxContainer",
        "QtBluetooth", "QtCanvasPainter", "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus", "QtDesigner",
        "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLabsStyleKit", "QtLocation", "QtMultimedia",
        "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf",
        "QtPdfWidgets", "QtPositioning", "QtQml", "QtQmlFeatures", "QtQuick", "QtQuick3D", "QtQuickControls2",
        "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort",
        "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvgWidgets", "QtTest", "QtTextToSpeech",
        "QtUiTools", "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets",
        "QtWebView", "QtXml",
    )),
    "PySide6.scripts", "PySide6.support.deprecated",
    # Other GUI toolkits and Pillow's bridges to them.
    "tkinter", "_tkinter", "PyQt5", "PyQt6", "PySide2", "PIL.ImageQt", "PIL.ImageTk", "PIL._imagingtk",
    # Pillow features the program never needs (it only hands PDFium's bitmaps to Qt): saves ~9 MB of codecs.
    "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin", "PIL._imagingcms", "PIL.ImageCms",
    "PIL._imagingft", "PIL.ImageFont", "PIL._imagingmath", "PIL.ImageMath", "PIL._imagingmorph", "PIL.ImageMorph",
    # Numerical and data stacks that dependencies import only if present (sqlite-utils, Pillow, reportlab).
    "numpy", "pandas", "scipy", "sympy", "matplotlib", "pyarrow",
    # pypdf's optional encryption back-ends: the self-check reads an unencrypted PDF made by reportlab.
    "cryptography", "Crypto", "Cryptodome",
    # OpenSSL (~6 MB): the program opens no network connection, and hashlib falls back to its built-in
    # SHA-256/MD5 without it (urllib, http.client and asyncio import ssl only if present).
    "ssl", "_ssl", "_hashlib",
    # Test and development tools.
    "pytest", "_pytest", "pytestqt", "hypothesis", "pluggy._manager_test", "IPython", "jedi", "parso",
    "setuptools", "pkg_resources", "pip", "distutils", "lib2to3", "pydoc_data", "unittest", "doctest",
    "PyInstaller",
]

# Qt plugin folders kept (others, e.g. qmltooling, sqldrivers, tls, networkinformation, designer,
# egldeviceintegrations, wayland-graphics-integration-server, are dropped).
KEPT_PLUGIN_TYPES = {
    "platforms", "platformthemes", "platforminputcontexts", "printsupport", "imageformats", "iconengines",
    "styles", "xcbglintegrations", "wayland-decoration-client", "wayland-graphics-integration-client",
    "wayland-shell-integration",
}
# Within kept folders, plugins nobody needs: embedded-device and VNC platforms, image formats the
# program never reads (it shows PNG icons; PNG support is built into QtGui), Wayland compositor
# side plugins, and the GTK 3 theme (it would load the system's GTK against the bundled GLib, a
# classic source of crashes; Qt's own dialogs or the desktop portal are used instead).
DROPPED_PLUGINS = re.compile(
    r"(eglfs|linuxfb|vnc|vkkhrdisplay|minimalegl|direct2d|qtiff|qwebp|qwbmp|qtga|qicns|qjp2|qmng|qpdf|qsvg\.|qmacheif"
    r"|qmacjp2|qgtk3|-server\.|ivi-shell|fullscreen-shell|qt-shell)",
    re.IGNORECASE,
)
# Qt libraries that only the excluded modules or plugins use (matched in the file name).
DROPPED_QT_LIBRARIES = re.compile(
    r"Qt6?(Qml|Quick|Designer|Help|Labs|Lottie|Sql|Test|UiTools|Network|EglFS|WaylandCompositor|WaylandEgl"
    r"CompositorHwIntegration|OpenGLWidgets|Concurrent|Xml|Pdf|VirtualKeyboard|ShaderTools|Multimedia|WebEngine"
    r"|Positioning|3D)",
)
# Windows: the software OpenGL fallback (~20 MB) serves OpenGL/Quick scenes; a widgets program draws with raster.
DROPPED_FILES = {"opengl32sw.dll"}

# Linux: libraries left to the system. CUPS (used by Qt's print-support plugin) is on every Linux
# desktop that prints, and it drags in GnuTLS, Kerberos, Avahi and friends (~4.5 MB compressed):
# security libraries that should get the distribution's updates, not be frozen into the executable.
# Without a system libcups the print dialog can only print to a PDF file.
SYSTEM_LIBRARIES = re.compile(r"^libcups\.so")

# Qt's own strings (dialog buttons, the print dialog) in these languages: qtbase_XX.qm, loaded with
# QTranslator.load(QLocale(), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)).
QT_LANGUAGES = ("en", "es")


def _parts(dest: str) -> list[str]:
    return dest.replace("\\", "/").split("/")


def keep_entry(dest: str) -> bool:
    """Say whether one collected file (its path inside the bundle) belongs in the executable."""
    parts = _parts(dest)
    name = parts[-1]
    if name.lower() in DROPPED_FILES:
        return False
    if DROPPED_QT_LIBRARIES.search(name) and name.startswith(("libQt6", "Qt6", "Qt")):
        return False  # also the top-level symbolic links PyInstaller makes to Qt's libraries
    if any(part.endswith(".framework") and DROPPED_QT_LIBRARIES.search(part) for part in parts[:-1]):
        return False  # macOS: the whole QtNetwork.framework/..., not just its binary
    if "PySide6" in parts or "shiboken6" in parts:
        if "plugins" in parts:
            i = parts.index("plugins")
            if len(parts) > i + 2 and (parts[i + 1] not in KEPT_PLUGIN_TYPES or DROPPED_PLUGINS.search(name)):
                return False
        if "qml" in parts or "metatypes" in parts or "include" in parts or "typesystems" in parts:
            return False
        if "translations" in parts and name.endswith(".qm"):
            match = re.match(r"^qtbase_(\w+)\.qm$", name)  # not qt_XX.qm: that catalog fails without all of Qt's
            return bool(match) and match.group(1) in QT_LANGUAGES
        if DROPPED_QT_LIBRARIES.search(name):
            return False
    return True


def filter_toc(toc: list) -> list:
    """Return a PyInstaller TOC (list of (dest, source, kind)) without the dropped entries."""
    return [entry for entry in toc if keep_entry(entry[0])]


def _prunable(dest: str) -> bool:
    """A shared library that is in the bundle only because something links to it (Linux)."""
    parts = _parts(dest)
    name = parts[-1]
    if "plugins" in parts or "pypdfium2_raw" in parts or name.startswith("libpython"):
        return False  # loaded by Qt, by ctypes or by the bootloader: roots, never pruned
    return ".so" in name


def _needed(path: str) -> list[str]:
    """Return the libraries an ELF file links to directly (its DT_NEEDED entries, via binutils' objdump).

    Not ldd: it lists the whole closure as resolved on the build machine, system libraries' own
    dependencies included, which would keep everything.
    """
    import subprocess

    output = subprocess.run(["objdump", "-p", path], capture_output=True, text=True, check=True).stdout
    return [line.split()[1] for line in output.splitlines() if line.strip().startswith("NEEDED")]


def prune_unlinked_libraries(binaries: list, datas: list) -> tuple[list, list]:
    """Drop SYSTEM_LIBRARIES and the shared libraries no kept binary links to, directly or not (Linux only).

    PyInstaller collects the link-time dependencies of every Qt plugin before the spec can drop the
    plugin (the GTK theme alone brings GTK, Pango, Cairo and their friends): whatever nothing kept
    needs any more goes, and so do PyInstaller's symbolic links to it.
    """
    import os
    import sys

    if not sys.platform.startswith("linux"):
        return binaries, datas
    candidates = [entry for entry in binaries if not SYSTEM_LIBRARIES.match(_parts(entry[0])[-1])]
    by_name: dict[str, list[str]] = {}
    for dest, _source, _kind in candidates:
        by_name.setdefault(_parts(dest)[-1], []).append(dest)
    source_of = {dest: source for dest, source, _kind in candidates}
    reached: set[str] = set()
    pending = [dest for dest, _source, kind in candidates if kind == "EXTENSION" or not _prunable(dest)]
    while pending:
        dest = pending.pop()
        if dest not in reached:
            reached.add(dest)
            for name in _needed(source_of[dest]):
                pending += by_name.get(name, [])
    dropped = {dest for dest, _source, _kind in binaries if dest not in reached}

    def link_target(entry) -> str:
        return os.path.normpath(os.path.join(os.path.dirname(entry[0]), entry[1]))

    binaries = [entry for entry in binaries if entry[0] not in dropped]
    datas = [entry for entry in datas if entry[2] != "SYMLINK" or link_target(entry) not in dropped]
    return binaries, datas
