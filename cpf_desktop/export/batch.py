"""Export many reviews at once: one PDF per review into a folder, and/or one combined PDF.

No Qt here; the window and the command line drive it with a progress callback.

The rules:
- Only **finalized, not voided** reviews are exported unless the reviews were chosen one by one
  (``selected=True``): then drafts (marked DRAFT on every page) and voided reviews (marked VOID)
  are exported as they are, because the user asked for exactly those. Otherwise a draft or a
  voided review is listed in ``skipped`` with the reason.
- A review that cannot be loaded, rendered or written is listed in ``failed`` with a sentence; the
  others go on.
- ``progress(done, total, name) -> bool`` is called before each review (``done`` finished so far,
  ``name`` the next employee) and once at the end with ``done == total``. Returning False cancels:
  the files already written stay (each is whole: written atomically), nothing more is written, and
  the combined file is not written at all — there is never a partial file.
- Each review's PDF is the very document ``pdf.render_review_pdf`` makes, with its own
  "Page X of Y"; the combined PDF is those documents one after the other (pypdf), with a bookmark
  per review.
- File names: ``CPF_review_<Name>_<year the period ends>_<id>.pdf``, with only letters, digits,
  "-" and "_" in the name part (safe on Windows, macOS and Linux); the review's id makes it unique.
  An older file of the same name (an earlier export of the same review) is replaced.
- Recording the export in each review's audit log is the caller's part (it holds the store): one
  "exported" entry per item of ``exported``.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from ..framework import Framework
from ..review import REVIEW_TYPES, Review
from .files import FileWriteError, write_file_atomically
from .names import review_file_name
from .pdf import PdfExportError, export_warnings, render_review_pdf

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], bool]


class BatchError(Exception):
    """The batch cannot start (no such folder, nothing to write to); the message is for the user."""


@dataclass(frozen=True)
class Exported:
    review_id: int | None
    employee: str
    path: Path  # the review's own file, or the combined file it is part of
    warnings: tuple[str, ...] = ()  # characters that printed as U+FFFD (see pdf.export_warnings)


@dataclass(frozen=True)
class NotExported:
    review_id: int | None
    employee: str
    reason: str


@dataclass
class BatchResult:
    total: int = 0
    exported: list[Exported] = field(default_factory=list)
    skipped: list[NotExported] = field(default_factory=list)
    failed: list[NotExported] = field(default_factory=list)
    cancelled: bool = False
    combined_path: Path | None = None  # set once the combined file is written
    combined_pages: int = 0
    combined_pdf: bytes | None = None  # with ``in_memory=True`` (printing)
    combined_reviews: list[int] = field(default_factory=list)  # ids in the combined document

    @property
    def files(self) -> list[Path]:
        """The per-review files written (not the combined one)."""
        return [e.path for e in self.exported if e.path != self.combined_path]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.cancelled


def bookmark_title(review: Review) -> str:
    """The combined PDF's bookmark: "Rosa Martínez — Annual 2026 (review 17)"."""
    what = " ".join(p for p in (REVIEW_TYPES.get(review.review_type or "", ""),
                                str(review.period_end.year) if review.period_end else "") if p)
    name = " ".join(review.employee.name.split()) or "(no name)"
    return f"{name} \u2014 {what} (review {review.id})" if what else f"{name} (review {review.id})"


def export_batch(
    framework: Framework,
    items: Sequence[Review | int],
    *,
    load: Callable[[int], Review] | None = None,
    folder: str | Path | None = None,
    combined: str | Path | None = None,
    in_memory: bool = False,
    selected: bool = False,
    progress: Progress | None = None,
) -> BatchResult:
    """Export ``items`` (reviews, or ids read with ``load`` one at a time) as PDFs; see the module's rules.

    ``folder``: one PDF per review there. ``combined``: one PDF of them all at that path.
    ``in_memory``: the combined document is returned in ``result.combined_pdf`` (for printing).
    At least one of the three is needed. Raises BatchError only before anything is written.
    """
    folder = Path(folder) if folder is not None else None
    combined = Path(combined) if combined is not None else None
    if folder is None and combined is None and not in_memory:
        raise BatchError("Choose a folder or a file to export to.")
    if folder is not None and not folder.is_dir():
        raise BatchError(f"The folder {folder} does not exist. Choose another folder.")
    if combined is not None and not combined.parent.is_dir():
        raise BatchError(f"Could not write {combined}: the folder {combined.parent} does not exist.")
    writer = None
    if combined is not None or in_memory:
        from pypdf import PdfWriter

        writer = PdfWriter()
    result = BatchResult(total=len(items))
    in_combined: list[tuple[Review, tuple[str, ...]]] = []
    proceed = progress or (lambda done, total, name: True)

    for done, item in enumerate(items):
        try:
            review = item if isinstance(item, Review) else _load(load, item)
        except Exception as exc:  # a missing or unreadable review: say so, go on with the rest
            result.failed.append(NotExported(item if isinstance(item, int) else None, "", _reason(exc)))
            if not proceed(done, len(items), ""):
                result.cancelled = True
                break
            continue
        name = review.employee.name or f"review {review.id}"
        if not proceed(done, len(items), name):
            result.cancelled = True
            break
        if not selected and (review.is_void or not review.is_final):
            why = "voided" if review.is_void else "a draft (not finalized)"
            result.skipped.append(NotExported(review.id, review.employee.name, why))
            continue
        try:
            data = render_review_pdf(framework, review)
            warnings = tuple(export_warnings(framework, review))
            if folder is not None:
                path = folder / review_file_name(review)
                write_file_atomically(path, data)
                result.exported.append(Exported(review.id, review.employee.name, path, warnings))
            if writer is not None:
                from pypdf import PdfReader

                writer.append(PdfReader(io.BytesIO(data)), outline_item=bookmark_title(review))
                in_combined.append((review, warnings))
        except (PdfExportError, FileWriteError) as exc:
            result.failed.append(NotExported(review.id, review.employee.name, str(exc)))
        except Exception as exc:  # never let one review stop the others; the log keeps the details
            log.exception("batch export: review %s failed", review.id)
            result.failed.append(NotExported(review.id, review.employee.name, _reason(exc)))

    if result.cancelled:
        return result
    proceed(len(items), len(items), "")
    if writer is not None and in_combined:
        result.combined_pages = len(writer.pages)
        writer.add_metadata({"/Title": "CPF reviews", "/Creator": "CPF Desktop", "/Producer": "CPF Desktop"})
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()
        result.combined_reviews = [r.id for r, _ in in_combined]
        if in_memory:
            result.combined_pdf = data
        if combined is not None:
            try:
                write_file_atomically(combined, data)
            except FileWriteError as exc:
                result.failed.append(NotExported(None, "", str(exc)))
                return result
            result.combined_path = combined
            result.exported += [Exported(r.id, r.employee.name, combined, w) for r, w in in_combined]
    return result


def _load(load: Callable[[int], Review] | None, review_id: int) -> Review:
    if load is None:
        raise BatchError(f"Review {review_id} was given by number, but there is no way to read it.")
    return load(review_id)


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text if text else f"an unexpected problem ({type(exc).__name__})"


def result_text(result: BatchResult) -> str:
    """A few sentences about a batch for the user: what was written, skipped, failed."""
    lines = []
    files = result.files
    if files:
        lines.append(f"{len(files)} PDF file(s) written to {files[0].parent}.")
    if result.combined_path is not None:
        lines.append(f"{len(result.combined_reviews)} review(s), {result.combined_pages} page(s), "
                     f"in {result.combined_path}.")
    if result.cancelled:
        lines.append(f"Cancelled after {len(files)} of {result.total}: the files written are complete; nothing more "
                     "was written (a combined file is only made once every review is in it).")
    if result.skipped:
        lines.append(f"{len(result.skipped)} not exported (drafts or voided): " +
                     ", ".join(f"{s.employee or 'no name'} ({s.reason})" for s in result.skipped[:10]) +
                     (" …" if len(result.skipped) > 10 else ""))
    if result.failed:
        lines.append(f"{len(result.failed)} failed:")
        lines += [f"• {f.employee or (f'review {f.review_id}' if f.review_id else 'file')}: {f.reason}"
                  for f in result.failed]
    if not lines:
        lines.append("Nothing was exported.")
    return "\n".join(lines)
