"""`--self-check`: prove an installation works end to end without touching the user's data.

Loads and validates the framework, creates a database in a private temporary folder, saves and
reloads a draft, renders a PDF and reads its text back, then removes the temporary folder.
"""
from __future__ import annotations

import io
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from . import __version__


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:  # a frozen build may carry no package metadata
        return "?"


def run_self_check(out=None) -> int:
    """Print each step and ``self-check ok``; return 0, or 1 naming the failing step."""
    out = out or sys.stdout
    started = time.perf_counter()
    step = "start"

    def say(text: str) -> None:
        if out is not None:
            print(text, file=out, flush=True)

    folder = Path(tempfile.mkdtemp(prefix="cpf-self-check-"))
    try:
        step = "load the framework"
        from .framework import load_framework

        framework = load_framework()
        say(f"framework: {framework.title} ({framework.version}), {len(framework.clusters)} clusters, "
            f"{len(framework.competencies())} competencies")

        step = "save and reload a draft"
        from .review import Employee, Rating, Review
        from .storage import open_store

        store = open_store(folder)
        try:
            # Hebrew and Arabic take the right-to-left path of the PDF (python-bidi, arabic-reshaper).
            review = store.create(Review(employee=Employee(name="Self-check Ñandú"), strengths="שלום · مرحبا"))
            store.save_rating(review.id, framework.competencies()[0].id, Rating("effective", True, "ok & <fine>"))
            again = store.get(review.id)
            if again.rating(framework.competencies()[0].id) != Rating("effective", True, "ok & <fine>"):
                raise RuntimeError("the saved rating did not come back")
            journal = store.db.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            store.close()
        say(f"database: saved and reloaded a draft (journal mode {journal})")

        step = "render a PDF and read it back"
        from pypdf import PdfReader  # noqa: F401  (checked below; bundled for this purpose)

        from .export.pdf import render_review_pdf

        data = render_review_pdf(framework, again)
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        if "Self-check Ñandú" not in text or framework.competencies()[0].name not in text:
            raise RuntimeError("the PDF text did not read back")
        say(f"pdf: {len(data)} bytes, text read back")

        say("versions: " + ", ".join(f"{name} {_version(name)}" for name in ("PySide6-Essentials", "reportlab", "sqlite-utils", "pypdf"))
            + f", CPF Desktop {__version__}, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
        say(f"self-check ok ({time.perf_counter() - started:.2f} s)")
        return 0
    except Exception as exc:  # report the step, whatever broke
        say(f"self-check FAILED at step '{step}': {exc}")
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
