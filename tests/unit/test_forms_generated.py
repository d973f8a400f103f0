"""The compiled forms in cpf_desktop/gui/forms are exactly what ui/*.ui compiles to."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_generated_forms_are_up_to_date():
    done = subprocess.run([sys.executable, str(ROOT / "ui" / "compile_forms.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_generated_forms_say_so():
    for module in (ROOT / "cpf_desktop" / "gui" / "forms").glob("ui_*.py"):
        assert module.read_text(encoding="utf-8").startswith("# generated: do not edit")
