"""The command line, for IT staff, HR, batch work and tests. No Qt here.

Exit status: 0 done; 1 could not be done (no such review, file not writable); 2 invalid input or
refused by the rules (nothing stored); 3 the data file cannot be used.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .exchange import ExchangeError, dumps, read_review_file
from .framework import Framework, FrameworkError, load_framework
from .review import REVIEW_TYPES, FinalizeRefused, RuleError, period_text
from .storage import ReviewNotFound, ReviewStore, StorageError, open_store

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_DATA = 0, 1, 2, 3
COMMANDS = ("list", "import-review", "export-review", "export-pdf", "finalize")


def add_commands(parser: argparse.ArgumentParser) -> None:
    """Add the subcommands to the program's argument parser."""
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("list", help="list every review: id, status, employee, type, period")
    p = sub.add_parser("import-review", help="store a review from a cpf-review/1 JSON file and print its id")
    p.add_argument("file", type=Path)
    p = sub.add_parser("export-review", help="write a review as a cpf-review/1 JSON file")
    p.add_argument("id", type=int)
    p.add_argument("file", type=Path)
    p = sub.add_parser("export-pdf", help="write a review as a PDF form (drafts are marked DRAFT)")
    p.add_argument("id", type=int)
    p.add_argument("file", type=Path)
    p = sub.add_parser("finalize", help="finalize and lock a review, or list what is missing")
    p.add_argument("id", type=int)


def run(args: argparse.Namespace, data_folder: Path) -> int:
    """Run one command; print results to stdout and problems to stderr as one plain sentence each."""
    try:
        framework = load_framework()
    except FrameworkError as exc:
        return _fail(str(exc), EXIT_DATA)
    try:
        store = open_store(data_folder)
    except StorageError as exc:
        return _fail(str(exc), EXIT_DATA)
    try:
        return _HANDLERS[args.command](args, framework, store)
    except ReviewNotFound as exc:
        return _fail(str(exc), EXIT_FAILED)
    except StorageError as exc:
        return _fail(str(exc), EXIT_DATA)
    finally:
        store.close()


def _fail(message: str, status: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


def _list(args, framework: Framework, store: ReviewStore) -> int:
    for s in store.list_reviews():
        start = s.period_start.isoformat() if s.period_start else "?"
        end = s.period_end.isoformat() if s.period_end else "?"
        period = f"{start}..{end}" if (s.period_start or s.period_end) else "-"
        kind = REVIEW_TYPES.get(s.review_type or "", "-")
        print(f"{s.id}\t{s.status}\t{s.employee_name or '(no name)'}\t{kind}\t{period}")
    return EXIT_OK


def _import_review(args, framework: Framework, store: ReviewStore) -> int:
    try:
        review = read_review_file(args.file, framework)
        stored = store.create(review, framework)
    except ExchangeError as exc:
        return _fail(f"{args.file}: {exc} Nothing was stored.", EXIT_INVALID)
    except FinalizeRefused as exc:
        return _fail(f"{args.file} is marked final, but {exc} Nothing was stored.", EXIT_INVALID)
    except RuleError as exc:
        return _fail(f"{args.file}: {exc} Nothing was stored.", EXIT_INVALID)
    print(stored.id)
    return EXIT_OK


def _export_review(args, framework: Framework, store: ReviewStore) -> int:
    from .export.files import FileWriteError, write_file_atomically

    review = store.get(args.id)
    try:
        write_file_atomically(args.file, dumps(review).encode("utf-8"))
    except FileWriteError as exc:
        return _fail(str(exc), EXIT_FAILED)
    print(f"wrote {args.file}")
    return EXIT_OK


def _export_pdf(args, framework: Framework, store: ReviewStore) -> int:
    from .export.pdf import PdfExportError, write_review_pdf  # reportlab is heavy: load it only here

    review = store.get(args.id)
    try:
        write_review_pdf(framework, review, args.file)
    except PdfExportError as exc:
        return _fail(str(exc), EXIT_FAILED)
    note = "" if review.is_final else " (a draft: every page is marked DRAFT)"
    print(f"wrote {args.file}{note}")
    return EXIT_OK


def _finalize(args, framework: Framework, store: ReviewStore) -> int:
    review = store.get(args.id)
    if review.is_final:
        print(f"review {args.id} is already final (finalized {review.finalized_at:%Y-%m-%d %H:%M})")
        return EXIT_OK
    try:
        done = store.finalize(framework, args.id)
    except FinalizeRefused as exc:
        print(f"error: review {args.id} cannot be finalized yet; missing:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem.message}", file=sys.stderr)
        return EXIT_INVALID
    print(f"review {done.id} finalized and locked ({done.employee.name}, {period_text(done)})")
    return EXIT_OK


_HANDLERS = {
    "list": _list,
    "import-review": _import_review,
    "export-review": _export_review,
    "export-pdf": _export_pdf,
    "finalize": _finalize,
}


def version_text() -> str:
    return f"CPF Desktop {__version__}"
