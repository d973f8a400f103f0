"""The command line, for IT staff, HR, batch work and tests. No Qt here.

Exit status: 0 done; 1 could not be done (no such review, file not writable); 2 invalid input or
refused by the rules (nothing stored); 3 the data file cannot be used; 4 verification failed (a
finalized review no longer matches its fingerprint, or a printout's code does not match).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .exchange import ExchangeError, dumps, read_review_file
from .framework import Framework, FrameworkError, load_framework
from .review import REVIEW_TYPES, FinalizeRefused, RuleError, dropped_at_finalize, period_text
from .storage import ReviewNotFound, ReviewStore, StorageError, open_store

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_DATA, EXIT_TAMPERED = 0, 1, 2, 3, 4


def add_commands(parser: argparse.ArgumentParser) -> None:
    """Add the subcommands to the program's argument parser."""
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("list", help="list every review: id, status, employee, type, period")
    p = sub.add_parser("import-review", help="store a review from a cpf-review/1 JSON file and print its id")
    p.add_argument("file", type=Path)
    p = sub.add_parser("export-review", help="write a review as a cpf-review/1 JSON file")
    p.add_argument("id", type=review_id)
    p.add_argument("file", type=Path)
    p = sub.add_parser(
        "export-pdf",
        help="write a review as a PDF form (drafts are marked DRAFT); with --all --period, every finalized "
        "review of a period, one file each into --folder and/or all in one --combined file",
        usage="%(prog)s ID FILE.pdf | --all --period START..END (--folder DIR | --combined FILE.pdf)",
    )
    p.add_argument("id", type=review_id, nargs="?")
    p.add_argument("file", type=Path, nargs="?")
    p.add_argument("--all", action="store_true", help="every finalized, not voided review whose period ends in --period")
    p.add_argument("--period", type=_period_arg, metavar="START..END", help="e.g. 2025-07-01..2026-06-30 or 2025-26")
    p.add_argument("--folder", type=Path, metavar="DIR", help="write one PDF per review into DIR")
    p.add_argument("--combined", type=Path, metavar="FILE.pdf", help="write all the reviews into one PDF")
    p = sub.add_parser(
        "summary",
        help="site summary of a period: how many staff are at each level per competency (finalized reviews, "
        "the latest per employee); --pdf also writes the table and chart",
    )
    p.add_argument("--period", type=_period_arg, metavar="START..END", required=True,
                   help="e.g. 2025-07-01..2026-06-30 or 2025-26")
    p.add_argument("--pdf", type=Path, metavar="FILE.pdf", help="also write the summary as a PDF")
    p = sub.add_parser("finalize", help="finalize and lock a review, or list what is missing")
    p.add_argument("id", type=review_id)
    p = sub.add_parser("amend", help="open a finalized review again as a new draft version")
    p.add_argument("id", type=review_id)
    p.add_argument("--reason", required=True, help="why it is amended (kept with both versions)")
    p = sub.add_parser("void", help="void a review (e.g. a practice review); it stays read-only")
    p.add_argument("id", type=review_id)
    p.add_argument("--reason", required=True)
    p = sub.add_parser("log", help="show a review's audit log")
    p.add_argument("id", type=review_id)
    p = sub.add_parser(
        "verify",
        help="check finalized reviews against their fingerprints; with --code and --json, check a printout",
    )
    p.add_argument("id", type=review_id, nargs="?")
    p.add_argument("--code", help="the verification code printed on the PDF")
    p.add_argument("--json", type=Path, help="the review's cpf-review/1 file (from export-review)")
    p = sub.add_parser("backup", help="write a consistent copy of the database to FILE")
    p.add_argument("file", type=Path)
    p = sub.add_parser("restore", help="replace the database with a backup (the current file is kept aside)")
    p.add_argument("file", type=Path)
    p = sub.add_parser(
        "import-roster",
        help="add and update employees from a CSV file (name, employee number, classification, location); "
        "prints what was added, updated and refused",
    )
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="only show what would change; store nothing")
    sub.add_parser("list-employees", help="list the roster: number, name, classification, location")


def run(args: argparse.Namespace, data_folder: Path) -> int:
    """Run one command; print results to stdout and problems to stderr as one plain sentence each."""
    try:
        framework = load_framework()
    except FrameworkError as exc:
        return _fail(str(exc), EXIT_DATA)
    if args.command == "restore":  # must work when the current file is damaged: no store opened first
        try:
            return _restore(args, framework, data_folder)
        except OSError as exc:
            return _fail(_file_problem(exc), EXIT_FAILED)
    if args.command == "verify" and (args.code is not None or args.json is not None):
        return _verify_printout(args, framework)  # it says what is missing, if one of the two is
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
    except RuleError as exc:  # e.g. finalizing a voided review: the rules say no, in their own words
        return _fail(str(exc), EXIT_INVALID)
    except OSError as exc:  # a file the user named: no permission, a name too long, a folder …
        return _fail(_file_problem(exc), EXIT_FAILED)
    finally:
        store.close()


def _file_problem(exc: OSError) -> str:
    """One sentence for a file the system refused, naming the file."""
    name = exc.filename or "a file"
    reason = exc.strerror or str(exc)
    if isinstance(exc, PermissionError):
        return f"You do not have permission to use {name} ({reason}). Choose a folder of your own."
    return f"Could not use {name}: {reason}."


def _fail(message: str, status: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


def _list(args, framework: Framework, store: ReviewStore) -> int:
    reviews = store.list_reviews()
    if not reviews:  # said on stderr: a script reading stdout still sees no lines
        print(f"no reviews yet in {store.path}", file=sys.stderr)
    for s in reviews:
        start = s.period_start.isoformat() if s.period_start else "?"
        end = s.period_end.isoformat() if s.period_end else "?"
        period = f"{start}..{end}" if (s.period_start or s.period_end) else "-"
        kind = REVIEW_TYPES.get(s.review_type or "", "-")
        status = "void" if s.voided else s.status
        if s.version > 1:
            status += f" (v{s.version}, amends {s.supersedes_id})"
        print(f"{s.id}\t{status}\t{s.employee_name or '(no name)'}\t{kind}\t{period}")
    return EXIT_OK


def _import_review(args, framework: Framework, store: ReviewStore) -> int:
    warnings: list[str] = []
    try:
        review = read_review_file(args.file, framework, warnings)
        if review.is_final and (same := store.finalized_matches(review)):
            return _fail(
                f"{args.file}: review {same[0]} already holds a finalized {review.review_type or ''} review of "
                f"{review.employee.name or 'this employee'} for the same period; importing it again would make a "
                "second signed record. Void the old one first (void ID --reason ...) if this one replaces it. "
                "Nothing was stored.",
                EXIT_INVALID,
            )
        stored = store.create(review, framework)
    except ExchangeError as exc:
        return _fail(f"{args.file}: {exc} Nothing was stored.", EXIT_INVALID)
    except FinalizeRefused as exc:
        missing = "; ".join(_problem_text(p) for p in exc.problems)
        return _fail(f"{args.file} is marked final, but it cannot be finalized: {missing}. Nothing was stored.",
                     EXIT_INVALID)
    except RuleError as exc:
        return _fail(f"{args.file}: {exc} Nothing was stored.", EXIT_INVALID)
    for warning in warnings:
        print(f"warning: {args.file}: {warning}", file=sys.stderr)
    print(stored.id)
    return EXIT_OK


def _problem_text(problem) -> str:
    """A finalize problem as IT staff need it: a competency also by the id the JSON files use."""
    if problem.field.startswith("competency:"):
        return f"{problem.message.rstrip('.')} (id {problem.field.split(':', 1)[1]})."
    return problem.message


def review_id(text: str) -> int:
    """An argparse type: a review number SQLite can hold, or a clear usage error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a review number (see: list)") from None
    if not 1 <= value <= 2**63 - 1:
        raise argparse.ArgumentTypeError(f"{text} is not a review number (see: list)")
    return value


def _export_review(args, framework: Framework, store: ReviewStore) -> int:
    from .export.files import FileWriteError, write_file_atomically

    review = store.get(args.id)
    try:
        write_file_atomically(args.file, dumps(review).encode("utf-8"))
    except FileWriteError as exc:
        return _fail(str(exc), EXIT_FAILED)
    store.record_event(review.id, "exported", f"JSON {Path(args.file).name} (command line)")
    print(f"wrote {args.file}")
    return EXIT_OK


def _period_arg(text: str):
    """An argparse type: a period START..END or a school year like 2025-26."""
    from .summary import Period

    try:
        return Period.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _export_pdf(args, framework: Framework, store: ReviewStore) -> int:
    from .export.pdf import PdfExportError, write_review_pdf  # reportlab is heavy: load it only here

    batch = args.all or args.period or args.folder or args.combined
    if batch:
        if args.id is not None or args.file is not None:
            return _fail("export-pdf: give either ID FILE.pdf, or --all --period START..END with --folder and/or "
                         "--combined, not both.", EXIT_INVALID)
        if not (args.all and args.period):
            return _fail("export-pdf: to export a period give --all --period START..END (e.g. 2025-26).", EXIT_INVALID)
        if not (args.folder or args.combined):
            return _fail("export-pdf --all: say where: --folder DIR and/or --combined FILE.pdf.", EXIT_INVALID)
        return _export_period(args, framework, store)
    if args.id is None or args.file is None:
        return _fail("export-pdf: give a review number and a file (export-pdf ID FILE.pdf), or --all --period "
                     "START..END --folder DIR.", EXIT_INVALID)
    review = store.get(args.id)
    try:
        warnings = write_review_pdf(framework, review, args.file)
    except PdfExportError as exc:
        return _fail(str(exc), EXIT_FAILED)
    for warning in warnings:  # characters no bundled font draws: printed as a visible placeholder
        print(f"warning: {warning}", file=sys.stderr)
    store.record_event(review.id, "exported", f"PDF {Path(args.file).name} (command line)")
    note = "" if review.is_final else " (a draft: every page is marked DRAFT)"
    print(f"wrote {args.file}{note}")
    return EXIT_OK


def _export_period(args, framework: Framework, store: ReviewStore) -> int:
    from .export.batch import BatchError, export_batch
    from .summary import drop_superseded

    period = args.period
    ids = [s.id for s in drop_superseded(store.finalized_in_period(period.start, period.end), store.superseded_ids())]
    if not ids:
        print(f"no finalized reviews in {period.label} ({period.text}); nothing was written")
        return EXIT_OK
    if args.folder is not None and not args.folder.exists():
        try:  # like any command-line tool writing into DIR: make it (private: it will hold personnel records)
            args.folder.mkdir(mode=0o700, parents=True)
        except OSError as exc:
            return _fail(f"Could not create the folder {args.folder}: {exc.strerror or exc}. Nothing was written.",
                         EXIT_FAILED)
        print(f"created the folder {args.folder}")
    try:
        result = export_batch(framework, ids, load=store.get, folder=args.folder, combined=args.combined)
    except BatchError as exc:
        return _fail(str(exc), EXIT_FAILED)
    for item in result.exported:
        if item.path != result.combined_path:
            print(f"wrote {item.path}")
        store.record_event(item.review_id, "exported", f"PDF {item.path.name} (command line, {period.text})")
    if result.combined_path is not None:
        print(f"wrote {result.combined_path} ({len(result.combined_reviews)} review(s), {result.combined_pages} page(s))")
    for failure in result.failed:
        who = f"review {failure.review_id} ({failure.employee or 'no name'})" if failure.review_id else "combined file"
        print(f"error: {who}: {failure.reason}", file=sys.stderr)
    done = len({e.review_id for e in result.exported})
    print(f"exported {done} of {len(ids)} finalized review(s) of {period.label}"
          + (f"; {len(result.failed)} failed" if result.failed else ""))
    return EXIT_FAILED if result.failed else EXIT_OK


def _summary(args, framework: Framework, store: ReviewStore) -> int:
    from .summary import counts_text, summary_for_period

    summary = summary_for_period(framework, store, args.period)
    print(counts_text(summary))
    if args.pdf:
        from .export.summary_pdf import PdfExportError, write_summary_pdf

        try:
            write_summary_pdf(framework, summary, args.pdf)
        except PdfExportError as exc:
            return _fail(str(exc), EXIT_FAILED)
        for review_id in summary.review_ids:
            store.record_event(review_id, "exported", f"site summary PDF {args.pdf.name} (command line)")
        print(f"wrote {args.pdf}")
    return EXIT_OK


def _finalize(args, framework: Framework, store: ReviewStore) -> int:
    review = store.get(args.id)
    if review.is_final:
        print(f"review {args.id} is already final (finalized {review.finalized_at:%Y-%m-%d %H:%M})")
        return EXIT_OK
    dropped = dropped_at_finalize(framework, review)
    try:
        done = store.finalize(framework, args.id)
    except FinalizeRefused as exc:
        print(f"error: review {args.id} cannot be finalized yet; missing:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {_problem_text(problem)}", file=sys.stderr)
        return EXIT_INVALID
    if dropped:
        print(f"warning: not part of the finalized review (not a supervisory review): {', '.join(dropped)}",
              file=sys.stderr)
    print(f"review {done.id} finalized and locked ({done.employee.name}, {period_text(done)})")
    return EXIT_OK


def _amend(args, framework: Framework, store: ReviewStore) -> int:
    try:
        draft = store.amend(args.id, args.reason)
    except RuleError as exc:
        return _fail(str(exc), EXIT_INVALID)
    print(draft.id)
    return EXIT_OK


def _void(args, framework: Framework, store: ReviewStore) -> int:
    try:
        store.void(args.id, args.reason)
    except RuleError as exc:
        return _fail(str(exc), EXIT_INVALID)
    print(f"review {args.id} voided")
    return EXIT_OK


def _log(args, framework: Framework, store: ReviewStore) -> int:
    store.get(args.id)  # a clear "no such review" first
    for entry in store.audit_log(args.id):
        print(f"{entry.at:%Y-%m-%d %H:%M:%S}\t{entry.event}\t{entry.detail}")
    return EXIT_OK


def _verify(args, framework: Framework, store: ReviewStore) -> int:
    if args.id is not None:
        review = store.get(args.id)
        if not review.is_final:
            return _fail(f"review {args.id} is a draft: only finalized reviews have a fingerprint.", EXIT_INVALID)
    problems = store.integrity_problems()
    if args.id is not None:
        problems = [p for p in problems if p.review_id == args.id]
    for lock in store.restored_locks:
        print(f"error: the data file's lock '{lock}' had been removed by another program; it is back in place.",
              file=sys.stderr)
    for p in problems:
        print(f"error: review {p.review_id} ({p.employee_name or 'no name'}) {p.text}", file=sys.stderr)
    if problems or store.restored_locks:
        return EXIT_TAMPERED
    checked = 1 if args.id is not None else sum(1 for s in store.list_reviews() if s.status == "final")
    print(f"ok: {checked} finalized review(s) match their fingerprints")
    return EXIT_OK


def _verify_printout(args, framework: Framework) -> int:
    from .exchange import read_review_dict
    from .integrity import content_hash_of_dict, normalise_code, verification_code

    if args.code is None:
        return _fail("give the verification code printed on the PDF with --code to check a printout.", EXIT_INVALID)
    code = normalise_code(args.code)
    if not code:
        return _fail(f"'{args.code}' is not a verification code (12 letters and digits, e.g. 3F9A-0C41-B7D2).", EXIT_INVALID)
    if args.json is None:
        return _fail("give the review's JSON file with --json to check a printout's code.", EXIT_INVALID)
    try:
        data = read_review_dict(args.json, framework)
    except ExchangeError as exc:
        return _fail(f"{args.json}: {exc}", EXIT_INVALID)
    recorded = (data.get("finalized") or {}).get("sha256")
    if not recorded:
        return _fail(f"{args.json} is not a finalized review, so it has no fingerprint.", EXIT_INVALID)
    actual = content_hash_of_dict(data)
    if actual != recorded:
        return _fail(f"{args.json} was changed after it was finalized: its content no longer matches its fingerprint.",
                     EXIT_TAMPERED)
    if verification_code(actual) != code:
        return _fail(f"the code {code} does not belong to this review (its code is {verification_code(actual)}).",
                     EXIT_TAMPERED)
    print(f"ok: the printout with code {code} matches {args.json}")
    return EXIT_OK


def _backup(args, framework: Framework, store: ReviewStore) -> int:
    from .storage.backups import write_backup

    try:
        write_backup(store.db.conn, args.file, store.path)
    except StorageError as exc:
        return _fail(str(exc), EXIT_FAILED)
    print(f"backed up {len(store.list_reviews())} review(s) to {args.file}")
    return EXIT_OK


def _restore(args, framework: Framework, data_folder: Path) -> int:
    from .instance import window_is_open
    from .paths import database_path
    from .storage.backups import inspect_backup, restore_backup, same_file

    if window_is_open(data_folder):
        return _fail(f"CPF Desktop is open on this data folder ({data_folder}). Close its window first, then "
                     "restore; nothing was changed.", EXIT_FAILED)
    if same_file(args.file, database_path(data_folder)):
        return _fail(f"{args.file} is the data file itself, not a backup; nothing was changed.", EXIT_INVALID)
    info = inspect_backup(args.file)
    if not info.usable:
        return _fail(f"That backup cannot be restored: {info.problem}", EXIT_INVALID)
    when = f"{info.made_at:%Y-%m-%d %H:%M}" if info.made_at else "unknown date"
    print(f"backup {args.file}: made {when}, {info.reviews} review(s), {info.finalized} finalized")
    try:
        kept = restore_backup(args.file, database_path(data_folder))
        store = open_store(data_folder)
    except StorageError as exc:
        return _fail(str(exc), EXIT_DATA)
    try:
        store.record_restore(f"restored from {args.file}")
    finally:
        store.close()
    if kept:
        print(f"the previous data file was kept as {kept}")
    print("restored")
    return EXIT_OK


def _import_roster(args, framework: Framework, store: ReviewStore) -> int:
    from .roster import RosterError, read_roster_file
    from .storage import EmployeeStore

    employees = EmployeeStore.of(store)
    try:
        preview = read_roster_file(args.file, employees.list_employees())
    except RosterError as exc:
        return _fail(f"{args.file}: {exc} Nothing was stored.", EXIT_INVALID)
    print(f"roster {args.file}: {preview.summary()}")
    if args.dry_run:
        print("dry run: nothing was stored")
        return EXIT_OK
    if preview.has_changes:
        try:
            result = employees.apply_roster(preview)
        except RuleError as exc:
            return _fail(f"{exc}", EXIT_INVALID)
        print(f"stored: {result}")
    return EXIT_OK


def _list_employees(args, framework: Framework, store: ReviewStore) -> int:
    from .storage import EmployeeStore

    employees = EmployeeStore.of(store).list_employees()
    if not employees:
        print("no employees yet (add them with import-roster FILE.csv or in the window)", file=sys.stderr)
    for e in employees:
        print(f"{e.employee_number}\t{e.name}\t{e.classification}\t{e.location}")
    return EXIT_OK


_HANDLERS = {
    "list": _list,
    "import-review": _import_review,
    "export-review": _export_review,
    "export-pdf": _export_pdf,
    "summary": _summary,
    "finalize": _finalize,
    "amend": _amend,
    "void": _void,
    "log": _log,
    "verify": _verify,
    "backup": _backup,
    "import-roster": _import_roster,
    "list-employees": _list_employees,
}


def version_text() -> str:
    return f"CPF Desktop {__version__}"
