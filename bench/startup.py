"""Start-up time: process start -> main window shown and the event loop idle.

Compares CPF Desktop (through its real entry point, cpf_desktop.app.main) with a bare PySide6
window holding a tree and a few radio buttons, alternating runs in the same interpreter.

    python bench/startup.py [--runs 10] [--reviews 0]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each child prints the seconds since the parent started it, once the window is shown and idle.
CPF_CHILD = r"""
import os, sys, time
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
def idle():
    print(time.time() - float(os.environ["BENCH_T0"]), flush=True)
    app.quit()
QTimer.singleShot(0, idle)
from cpf_desktop.app import main
main(["--data-dir", {data!r}])
"""

BARE_CHILD = r"""
import os, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QMainWindow, QRadioButton, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)
app = QApplication(sys.argv)
w = QMainWindow()
central = QWidget(); layout = QHBoxLayout(central)
tree = QTreeWidget(); tree.setHeaderLabels(["Competency", "Rating"])
for c in range(7):
    item = QTreeWidgetItem(tree, [f"Cluster {c}", ""])
    for k in range(4):
        QTreeWidgetItem(item, [f"Competency {c}.{k}", ""])
layout.addWidget(tree)
right = QVBoxLayout()
for label in ("Developing", "Effective", "Highly Effective", "Not rated"):
    right.addWidget(QRadioButton(label))
layout.addLayout(right)
w.setCentralWidget(central); w.resize(1280, 800); w.show()
def idle():
    print(time.time() - float(os.environ["BENCH_T0"]), flush=True)
    app.quit()
QTimer.singleShot(0, idle)
app.exec()
"""


def time_child(code: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env["BENCH_T0"] = repr(time.time())
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return float(done.stdout.strip().splitlines()[-1])


def measure(runs: int, data_dir: Path) -> dict:
    cpf_code = CPF_CHILD.format(root=str(ROOT), data=str(data_dir))
    time_child(cpf_code)  # first run creates the database and warms the file cache
    time_child(BARE_CHILD)
    cpf, bare = [], []
    for _ in range(runs):
        bare.append(time_child(BARE_CHILD))
        cpf.append(time_child(cpf_code))
    return {"cpf_median_s": statistics.median(cpf), "bare_median_s": statistics.median(bare),
            "ratio": statistics.median(cpf) / statistics.median(bare), "runs": runs}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        result = measure(args.runs, Path(tmp))
    print(f"start-up to idle window (median of {result['runs']}): CPF Desktop {result['cpf_median_s'] * 1000:.0f} ms, "
          f"bare PySide6 window {result['bare_median_s'] * 1000:.0f} ms, ratio {result['ratio']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
