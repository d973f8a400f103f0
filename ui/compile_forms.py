"""Compile the Qt Designer sources in ui/ into cpf_desktop/gui/forms/ (run after editing a .ui file).

    python ui/compile_forms.py          # rewrite the generated modules
    python ui/compile_forms.py --check  # exit 1 if a generated module is out of date
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

UI_DIR = Path(__file__).resolve().parent
FORMS_DIR = UI_DIR.parent / "cpf_desktop" / "gui" / "forms"
HEADER = "# generated: do not edit. Edit ui/{name} in Qt Designer, then run: python ui/compile_forms.py\n"


def uic_command() -> list[str]:
    """Return the uic command of the installed PySide6 (the console script may not be on PATH)."""
    return [sys.executable, "-c", "import sys; from PySide6.scripts.pyside_tool import uic; sys.exit(uic())"]


def compile_form(ui_file: Path) -> str:
    result = subprocess.run(
        [*uic_command(), "--from-imports", str(ui_file)], capture_output=True, text=True, check=True
    )
    return HEADER.format(name=ui_file.name) + result.stdout


def target_for(ui_file: Path) -> Path:
    return FORMS_DIR / f"ui_{ui_file.stem}.py"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for ui_file in sorted(UI_DIR.glob("*.ui")):
        code = compile_form(ui_file)
        target = target_for(ui_file)
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != code:
                stale.append(target.name)
        else:
            target.write_text(code, encoding="utf-8")
            print(f"wrote {target.relative_to(UI_DIR.parent)}")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run python ui/compile_forms.py)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
