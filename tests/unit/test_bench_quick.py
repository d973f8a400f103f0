"""The benchmarks keep working: `bench/run.py --quick` runs through and prints every figure with its baseline.

Timings are not judged here (benchmarks are not tests); only that the scripts still run.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(300)
def test_quick_benchmark_runs(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--json", str(out)],
                          capture_output=True, text=True, timeout=280,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    import json

    rows = {row["name"]: row for row in json.loads(out.read_text())["rows"]}
    for name in ("autosave click->committed p95", "PDF of a 24-competency review, long comments"):
        assert rows[name]["baseline"] and rows[name]["ratio"], name
    assert any(name.startswith("start-up to idle window") for name in rows)
