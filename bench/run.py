"""CPF Desktop benchmarks: every figure beside a bare baseline measured in the same run.

    python bench/run.py [--quick] [--json results.json]

Not a test: nothing fails on a timing. Targets are printed beside the figures.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402
import startup  # noqa: E402

ROWS: list[dict] = []


def record(name: str, value: float, unit: str, baseline: float | None = None, target: str = "", note: str = "") -> None:
    ratio = value / baseline if baseline else None
    ROWS.append({"name": name, "value": value, "unit": unit, "baseline": baseline, "ratio": ratio,
                 "target": target, "note": note})
    base = f"{baseline:10.2f}" if baseline is not None else " " * 10
    rat = f"{ratio:6.2f}" if ratio is not None else " " * 6
    print(f"{name:<44} {value:10.2f} {unit:<4} {base} {rat}  {target:<22} {note}", flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# -- start-up ----------------------------------------------------------------------------------

def bench_startup(runs: int, big_folder: Path, reviews: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty = startup.measure(runs, Path(tmp))
    record("start-up to idle window, empty data", empty["cpf_median_s"] * 1000, "ms", empty["bare_median_s"] * 1000,
           "<= 2x bare window", f"median of {runs}")
    big = startup.measure(runs, big_folder)
    record(f"start-up to idle window, {reviews:,} reviews", big["cpf_median_s"] * 1000, "ms", big["bare_median_s"] * 1000,
           "<= 2x bare window", f"median of {runs}")


# -- autosave ----------------------------------------------------------------------------------

def raw_upsert_baseline(folder: Path, changes: int) -> list[float]:
    conn = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, level TEXT, plus INT, comment TEXT)")
    times = []
    for i in range(changes):
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t VALUES ('k', ?, 0, '') ON CONFLICT (k) DO UPDATE SET level = excluded.level",
                     [str(i % 3)])
        conn.execute("COMMIT")
        times.append(time.perf_counter() - started)
    conn.close()
    return times


def bench_autosave(changes: int) -> None:
    from PySide6.QtWidgets import QApplication

    from cpf_desktop.gui.application import create_window

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        window = create_window(Path(tmp) / "data")
        window.show()
        window.new_review()
        window.editor.select("competency:attitude")
        selector = window.editor.card("attitude").selector
        levels = ("developing", "effective", "highly_effective")
        times = []
        for i in range(changes):
            button = selector.button(levels[i % 3])
            started = time.perf_counter()
            button.click()  # the slot saves and commits before click() returns
            times.append(time.perf_counter() - started)
        app.processEvents()
        window.ctx.store.close()
        window.deleteLater()
        app.processEvents()
        base = raw_upsert_baseline(Path(tmp), changes)
    record("autosave click->committed p50", statistics.median(times) * 1000, "ms", statistics.median(base) * 1000)
    record("autosave click->committed p95", percentile(times, 95) * 1000, "ms", percentile(base, 95) * 1000,
           "<= 3x raw and <= 5 ms", f"{changes} clicks")
    record("autosave click->committed max", max(times) * 1000, "ms", max(base) * 1000)


# -- PDF ---------------------------------------------------------------------------------------

def bare_reportlab(texts: list[str]) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from cpf_desktop.paths import resource_path

    # The same font file, as plain reportlab registers it (not through our width cache), registered
    # once outside the timing as in the product.
    if "bench-dejavu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("bench-dejavu", str(resource_path("fonts", "DejaVuSans.ttf"))))
    style = ParagraphStyle("bare", fontName="bench-dejavu", fontSize=9)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=LETTER).build([Paragraph(escape(t).replace("\n", "<br/>"), style) for t in texts])
    return buffer.getvalue()


def long_review(framework):
    from builders import complete_review
    from cpf_desktop.review import Rating

    review = complete_review(framework)
    filler = " ".join(generate.WORDS * 12)
    review.ratings = {cid: Rating(r.level, r.plus, f"{r.comment} {filler}") for cid, r in review.ratings.items()}
    review.strengths = review.goals = review.growth_areas = filler
    return review


def timed(fn, repeat: int) -> float:
    fn()  # warm: fonts, imports
    results = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        results.append(time.perf_counter() - started)
    return statistics.median(results)


def bench_pdf(repeat: int, batch: int) -> None:
    from cpf_desktop.exchange import review_to_dict
    from cpf_desktop.export.pdf import render_review_pdf, write_review_pdf
    from cpf_desktop.framework import load_framework

    framework = load_framework()
    review = long_review(framework)
    texts = [c.description for c in framework.competencies()] + [r.comment for r in review.ratings.values()]
    texts += [review.strengths, review.goals, review.growth_areas, json.dumps(review_to_dict(review)["employee"])]
    ours = timed(lambda: render_review_pdf(framework, review), repeat)
    bare = timed(lambda: bare_reportlab(texts), repeat)
    record("PDF of a 24-competency review, long comments", ours * 1000, "ms", bare * 1000, "<= 1.5x bare reportlab")

    review.status = "final"
    with tempfile.TemporaryDirectory() as tmp:
        single = timed(lambda: write_review_pdf(framework, review, Path(tmp) / "one.pdf"), repeat)
        started = time.perf_counter()
        for i in range(batch):
            write_review_pdf(framework, review, Path(tmp) / f"r{i}.pdf")
        whole = time.perf_counter() - started
    record(f"batch of {batch} PDFs (one after another)", whole, "s", single * batch, "<= 1.1x singles")


# -- scale -------------------------------------------------------------------------------------

def bench_scale(folder: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from cpf_desktop.gui.review_list import ReviewListPage
    from cpf_desktop.storage import open_store

    app = QApplication.instance() or QApplication([])
    store = open_store(folder)
    count = len(store.list_reviews())
    page = ReviewListPage()
    page.show()

    def open_and_filter():
        page.set_reviews(store.list_reviews())
        page.model.set_filter("martínez")
        app.processEvents()
        visible = page.model.rowCount()
        page.model.set_filter("")
        app.processEvents()
        return visible

    visible = open_and_filter()
    seconds = timed(open_and_filter, 5)
    raw = sqlite3.connect(folder / "cpf-desktop.sqlite3")
    baseline = timed(lambda: raw.execute("SELECT * FROM reviews ORDER BY updated_at DESC").fetchall(), 5)
    raw.close()
    store.close()
    record(f"review list open + filter, {count:,} reviews", seconds * 1000, "ms", baseline * 1000, "<= 100 ms",
           f"{visible} matches; baseline: raw SELECT *")
    page.deleteLater()  # Qt objects go before the interpreter finalizes (PySide6 can crash otherwise)
    app.processEvents()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    record("peak memory of this benchmark process", peak, "MB")


def bench_executable() -> None:
    exe = ROOT / "dist" / ("CPF-Desktop.exe" if os.name == "nt" else "CPF-Desktop")
    if not exe.exists():
        print("executable: dist/CPF-Desktop not built (python packaging/build.py); skipped")
        return
    record("one-file executable size", exe.stat().st_size / 1_000_000, "MB", target="<= 50 MB")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and a smaller data set (< 1 min)")
    parser.add_argument("--json", type=Path, help="also write the table as JSON")
    args = parser.parse_args(argv)
    quick = args.quick
    started = time.perf_counter()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'measure':<44} {'value':>10} {'unit':<4} {'baseline':>10} {'ratio':>6}  {'target':<22} note")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big"
        reviews = 2_000 if quick else 10_000
        seconds = generate.fill(big, reviews, 50)
        print(f"(generated {reviews:,} reviews for 50 employees in {seconds:.1f} s)")
        bench_startup(3 if quick else 10, big, reviews)
        bench_autosave(100 if quick else 500)
        bench_pdf(2 if quick else 5, 10 if quick else 200)
        bench_scale(big)
    bench_executable()
    print(f"(total {time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps({"machine": platform.platform(), "quick": quick, "rows": ROWS}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
