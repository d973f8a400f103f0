"""A review as a printable PDF form (reportlab platypus, US Letter).

The form follows the Classified Performance Framework: header fields, the rating scale, every
applicable competency with its description and four boxes (Developing, Effective, Highly
Effective, "+"), the overall rating, the narrative sections and a signature block. Every page
carries "Confidential personnel document" and "Page X of Y"; a draft carries a DRAFT watermark
and says it is not for signature.

Rules kept here:
- the PDF is built in memory (``render_review_pdf``): personnel records never pass through a
  temporary file outside the target folder;
- every piece of text that reaches the page goes through ``text.py`` (cleaning, unprintable
  characters) and then ``para_text`` (escaping, line breaks, font runs), so no user input is ever
  read as markup and the warnings of ``export_warnings`` match what is printed;
- only bundled fonts are used: DejaVu Sans, and Droid Sans Fallback for the Chinese, Japanese and
  Korean characters DejaVu lacks (chosen per run of characters); a character neither has prints
  as U+FFFD and is named by ``export_warnings``.

This module imports reportlab and is loaded lazily by the app; it never imports Qt.
"""
from __future__ import annotations

import io
import os
import re
import threading
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as _ReportlabParagraph
from reportlab.platypus.doctemplate import LayoutError

from ..framework import Framework
from ..integrity import verification_code
from ..paths import resource_path
from . import bidi_text
from .files import FileWriteError, write_file_atomically
from .text import (
    FONT_FILES as _RUN_FONT_FILES,
    PLACEHOLDER,
    clean_block,
    clean_line,
    covered_characters,
    export_warnings,
    font_runs,
    printable,
    unprintable_characters,
)
from ..review import REVIEW_TYPES, TEXT_SECTIONS, Rating, Review, applicable_clusters

__all__ = [
    "PLACEHOLDER",
    "PdfExportError",
    "draw_user_line",
    "export_warnings",
    "para_text",
    "render_review_pdf",
    "unprintable_characters",
    "write_review_pdf",
]

MARKED = "\u2612"  # ☒
UNMARKED = "\u2610"  # ☐
DASH = "\u2014"  # —
ACKNOWLEDGMENT = (
    "The employee's signature acknowledges receipt of this review and that it was discussed with the "
    "employee; it does not necessarily indicate agreement."
)
CONFIDENTIAL = "Confidential personnel document"
DRAFT_NOTE = f"DRAFT {DASH} not for signature"

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)

# Layout -------------------------------------------------------------------------------------
PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN_X = 0.7 * inch
MARGIN_TOP = 0.85 * inch  # room for the running header
MARGIN_BOTTOM = 0.8 * inch  # room for the footer
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

INK = colors.HexColor("#1a1a1a")
HEADING = colors.HexColor("#1f3550")  # a dark, sober navy for headings only
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
LIGHT_RULE = colors.HexColor("#c8c8c8")
LABEL_FILL = colors.HexColor("#f0f0f0")
MARK_FILL = colors.HexColor("#d6d6d6")
WATERMARK = colors.HexColor("#e4e4e4")

# Fonts --------------------------------------------------------------------------------------
FONT = "CPF-DejaVuSans"
FONT_BOLD = "CPF-DejaVuSans-Bold"
FONT_ITALIC = "CPF-DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "CPF-DejaVuSans-BoldOblique"
FONT_FALLBACK = "CPF-DroidSansFallback"  # Chinese, Japanese, Korean; one face (no bold or italic)
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    FONT_FALLBACK: "DroidSansFallback.ttf",
}
# The fonts of text.FONT_FILES, in the same order: font_runs() answers with an index into this.
_RUN_FONTS = (FONT, FONT_FALLBACK)
assert tuple(_FONT_FILES[name] for name in _RUN_FONTS) == _RUN_FONT_FILES
_font_lock = threading.Lock()
_fonts_ready = False


class Paragraph(_ReportlabParagraph):
    """reportlab's Paragraph, remembering its line breaks for the width it was last laid out at.

    KeepTogether, tables and the frame each ask a paragraph for its height at the same width, and
    reportlab breaks the lines anew every time (in Python): with 24 competencies that was most of
    an export. The layout depends on the width only, so the last one is reused.
    """

    def wrap(self, availWidth, availHeight):  # noqa: N803 (reportlab's names)
        laid = getattr(self, "_laid", None)
        if laid is not None and laid[0] == availWidth:
            _, self.width, self.height, self.blPara, self._wrapWidths = laid
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if getattr(self, "blPara", None) is not None:
            self._laid = (availWidth, self.width, self.height, self.blPara, self._wrapWidths)
        return size


class _MeasuredTTFont(TTFont):
    """reportlab's TrueType font, remembering the width of each short text it has measured.

    reportlab sums TrueType widths character by character in Python (it has no C accelerator for
    TrueType), and line breaking asks for the same words again and again. The arithmetic is
    reportlab's own, in the same order, so every width (and so every PDF) is exactly the same.
    """

    _CACHED_TEXT_MAX = 64  # words and short runs; long texts are measured rarely
    _CACHE_ENTRIES_MAX = 200_000  # a bound on memory in a long session (a few MB)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._units: dict[str, float] = {}

    def stringWidth(self, text, size, encoding="utf8"):  # noqa: N802 (reportlab's name)
        if not isinstance(text, str):
            text = text.decode(encoding or "utf8")
        units = self._units.get(text)
        if units is None:
            width_of, default = self.face.charWidths.get, self.face.defaultWidth
            units = sum(width_of(ord(ch), default) for ch in text)
            if len(text) <= self._CACHED_TEXT_MAX and len(self._units) < self._CACHE_ENTRIES_MAX:
                self._units[text] = units
        return 0.001 * size * units


class PdfExportError(Exception):
    """The PDF could not be made or written; the message is a sentence for the user."""


def register_fonts() -> None:
    """Register the bundled fonts once, so <b> and <i> markup pick the right faces."""
    global _fonts_ready
    with _font_lock:
        if _fonts_ready:
            return
        for name, filename in _FONT_FILES.items():
            path = resource_path("fonts", filename)
            try:
                pdfmetrics.registerFont(_MeasuredTTFont(name, str(path)))
            except Exception as exc:  # reportlab raises TTFError, IOError, ... for a bad or missing file
                raise PdfExportError(
                    f"The font file {path} is missing or damaged, so the PDF cannot be made. "
                    "Reinstall CPF Desktop to restore it."
                ) from exc
        try:
            covered_characters()
        except (OSError, ValueError) as exc:
            raise PdfExportError(
                f"A font file in {resource_path('fonts')} is missing or damaged, so the PDF cannot be made. "
                "Reinstall CPF Desktop to restore it."
            ) from exc
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
        )
        # Chinese, Japanese and Korean inside <b> or <i> stay regular: the fallback has one face.
        pdfmetrics.registerFontFamily(
            FONT_FALLBACK, normal=FONT_FALLBACK, bold=FONT_FALLBACK, italic=FONT_FALLBACK, boldItalic=FONT_FALLBACK
        )
        _fonts_ready = True


# Text ---------------------------------------------------------------------------------------
def plain_text(s: object) -> str:
    """Return ``s`` as one clean line (document metadata, the running header)."""
    return clean_line(s)


def para_text(s: object) -> str:
    """Return ``s`` ready for a reportlab Paragraph: cleaned, escaped, line breaks and blank lines
    kept, each run of characters in a font that draws it, unprintable characters as U+FFFD.

    Every string that goes into a Paragraph passes through here, user text and framework text
    alike; markup is only ever added around the result. Escaping ``&``, ``<`` and ``>`` is all
    reportlab's paragraph parser needs: quotes only matter inside tags, and none is left.
    """
    return "<br/>".join(_line_markup(line) for line in printable(clean_block(s)).split("\n"))


_BLANKS = re.compile("^ +| {2,}")


def _keep_blanks(line: str) -> str:
    """Indentation and runs of blanks (tabs) as no-break spaces: reportlab folds plain blanks to one.

    A run keeps one ordinary space at its end, so the line can still wrap there.
    """
    def repl(m: re.Match) -> str:
        n = len(m.group())
        return "\u00a0" * n if m.start() == 0 else "\u00a0" * (n - 1) + " "

    return _BLANKS.sub(repl, line)


def _line_markup(line: str) -> str:
    parts = []
    for index, run in font_runs(_keep_blanks(line)):
        run = escape(run)
        parts.append(f'<font face="{_RUN_FONTS[index]}">{run}</font>' if index else run)
    return "".join(parts)


class BidiParagraph(Flowable):
    """User text holding right-to-left characters: wrapped in reading order, each line shown in
    display order (see ``bidi_text``), right-aligned when the line's direction is right-to-left.

    Same cleaning, fonts and placeholder as ``para_text``; no markup is parsed, so none is needed.
    """

    def __init__(self, text: object, style: ParagraphStyle, _pieces: list[tuple[str, bool]] | None = None):
        super().__init__()
        self.style = style
        # (line in reading order, right-to-left?) to wrap; a split-off part gets its printed lines.
        self._pieces = _pieces if _pieces is not None else bidi_text.paragraphs(printable(clean_block(text)))
        self._lines: list[tuple[str, bool]] = []
        self._laid_for: float | None = None
        self.width = 0

    def _measure(self, text: str) -> float:
        return _runs_width(text, self.style.fontSize)

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        if self._laid_for != avail_width:
            self._lines = bidi_text.wrap(self._pieces, avail_width, self._measure)
            self._laid_for = avail_width
        self.height = len(self._lines) * self.style.leading
        return avail_width, self.height

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        fits = int(avail_height // self.style.leading)
        if fits <= 0 or fits >= len(self._lines):
            return []
        return [BidiParagraph("", self.style, self._lines[:fits]), BidiParagraph("", self.style, self._lines[fits:])]

    def draw(self):
        size, leading = self.style.fontSize, self.style.leading
        self.canv.setFillColor(self.style.textColor)
        for index, (line, rtl) in enumerate(self._lines):
            y = self.height - (index + 1) * leading + (leading - size) / 2 + size * 0.2
            x = self.width - self._measure(line) if rtl else 0
            _draw_runs(self.canv, x, y, bidi_text.display_line(line, rtl), size)


def user_paragraph(text: object, style: ParagraphStyle) -> Flowable:
    """The flowable for one piece of user text: a Paragraph, or a BidiParagraph for Hebrew, Arabic …"""
    if bidi_text.has_rtl(str(text or "")):
        return BidiParagraph(text, style)
    return Paragraph(para_text(text), style)


def _runs_width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(run, _RUN_FONTS[i], size) for i, run in font_runs(text))


def _draw_runs(canv, x: float, y: float, text: str, size: float) -> None:
    """Draw one line of printable text at (x, y), each run in a font that has it."""
    for index, run in font_runs(text):
        font = _RUN_FONTS[index]
        canv.setFont(font, size)
        canv.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, font, size)


def draw_user_line(canv, x: float, y: float, text: object, size: float, width: float | None = None) -> float:
    """Draw user text as one line on a canvas (running headers, anything not a Paragraph).

    The text takes the same path as ``para_text``: cleaned to one line, unprintable characters as
    U+FFFD, each run in a bundled font that draws it; shortened with an ellipsis to ``width``
    when given. Return the width drawn. Call after ``register_fonts`` (any render does it).
    """
    line = printable(clean_line(text))
    if width is not None:
        line = _fit(line, size, width)
    if bidi_text.has_rtl(line):
        line = bidi_text.single_line(line)
    _draw_runs(canv, x, y, line, size)
    return _runs_width(line, size)


def _long_date(d: date | datetime | None) -> str:
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = d.date()
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"  # not strftime: the locale may not be English


def _period(review: Review) -> str:
    if review.period_start is None and review.period_end is None:
        return ""
    start = _long_date(review.period_start) or "?"
    end = _long_date(review.period_end) or "?"
    return f"{start} \u2013 {end}"


def _field(value: object) -> str:
    """A one-line header value: cleaned, blanks folded, ends trimmed, never shortened."""
    return clean_line(value)


def _person(name: str, title: str) -> str:
    return ", ".join(part for part in (_field(name), _field(title)) if part)


# Styles -------------------------------------------------------------------------------------
def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("cpf-body", fontName=FONT, fontSize=9.25, leading=12.2, textColor=INK)
    s = {"body": base}
    s["title"] = ParagraphStyle(
        "cpf-title", parent=base, fontName=FONT_BOLD, fontSize=17, leading=21, textColor=HEADING, spaceAfter=2
    )
    s["subtitle"] = ParagraphStyle("cpf-subtitle", parent=base, fontSize=9, leading=12, textColor=MUTED)
    s["field_label"] = ParagraphStyle(
        "cpf-field-label", parent=base, fontName=FONT_BOLD, fontSize=7.8, leading=9.8, textColor=MUTED
    )
    s["field_value"] = ParagraphStyle("cpf-field-value", parent=base, fontSize=9.25, leading=11.6)
    s["section"] = ParagraphStyle(
        "cpf-section", parent=base, fontName=FONT_BOLD, fontSize=12, leading=15, textColor=HEADING,
        spaceBefore=12, spaceAfter=2, keepWithNext=1,
    )
    s["cluster"] = ParagraphStyle(
        "cpf-cluster", parent=base, fontName=FONT_BOLD, fontSize=12, leading=15, textColor=HEADING,
        spaceBefore=14, spaceAfter=1, keepWithNext=1,
    )
    s["cluster_def"] = ParagraphStyle(
        "cpf-cluster-def", parent=base, fontName=FONT_ITALIC, fontSize=8.8, leading=11.5, textColor=MUTED,
        spaceAfter=4, keepWithNext=1,
    )
    s["competency"] = ParagraphStyle(
        "cpf-competency", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=0, spaceAfter=1.5
    )
    s["description"] = ParagraphStyle("cpf-description", parent=base, fontSize=8.5, leading=11)
    s["aligned"] = ParagraphStyle(
        "cpf-aligned", parent=base, fontName=FONT_ITALIC, fontSize=8, leading=10.5, textColor=MUTED,
        spaceBefore=2, spaceAfter=4,
    )
    s["box"] = ParagraphStyle("cpf-box", parent=base, fontSize=9, leading=11.5)
    s["box_marked"] = ParagraphStyle("cpf-box-marked", parent=s["box"], fontName=FONT_BOLD)
    s["comment_label"] = ParagraphStyle(
        "cpf-comment-label", parent=base, fontName=FONT_BOLD, fontSize=8.5, leading=11, textColor=MUTED,
        spaceBefore=5, spaceAfter=1, keepWithNext=1,
    )
    s["comment"] = ParagraphStyle("cpf-comment", parent=base, leftIndent=0)
    s["legend"] = ParagraphStyle("cpf-legend", parent=base, fontSize=8.5, leading=11)
    s["legend_label"] = ParagraphStyle("cpf-legend-label", parent=s["legend"], fontName=FONT_BOLD)
    s["note"] = ParagraphStyle("cpf-note", parent=base, fontName=FONT_ITALIC, fontSize=8.5, leading=11, textColor=MUTED)
    s["sig_role"] = ParagraphStyle("cpf-sig-role", parent=base, fontName=FONT_BOLD, fontSize=9, leading=11.5)
    s["sig_name"] = ParagraphStyle("cpf-sig-name", parent=base, fontSize=8.5, leading=11)
    s["sig_caption"] = ParagraphStyle("cpf-sig-caption", parent=base, fontSize=7.5, leading=9, textColor=MUTED)
    s["ack"] = ParagraphStyle("cpf-ack", parent=base, fontName=FONT_ITALIC, fontSize=8.5, leading=11, spaceBefore=6)
    return s


# Flowables ----------------------------------------------------------------------------------
class HRule(Flowable):
    """A thin horizontal rule across the frame."""

    def __init__(
        self, thickness: float = 0.6, color=RULE, space_before: float = 2, space_after: float = 4, keep_with_next=False
    ):
        super().__init__()
        self.keepWithNext = 1 if keep_with_next else 0
        self.thickness = thickness
        self.color = color
        self.spaceBefore = space_before
        self.spaceAfter = space_after

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.thickness

    def draw(self):
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, 0, self.width, 0)


class RuledLines(Flowable):
    """A few blank ruled lines to write on by hand."""

    def __init__(self, count: int = 3, spacing: float = 20):
        super().__init__()
        self.count = count
        self.spacing = spacing
        self.spaceBefore = 2
        self.spaceAfter = 2

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.count * self.spacing

    def draw(self):
        self.canv.setStrokeColor(LIGHT_RULE)
        self.canv.setLineWidth(0.5)
        for i in range(self.count):
            y = i * self.spacing
            self.canv.line(0, y, self.width, y)


# Page decoration ----------------------------------------------------------------------------
def _fit(text: str, size: float, width: float) -> str:
    """Shorten printable ``text`` with an ellipsis so it fits ``width`` (running header only)."""
    if _runs_width(text, size) <= width:
        return text
    low, high = 0, len(text)  # binary search for the longest prefix that fits with the ellipsis
    while low < high:
        mid = (low + high + 1) // 2
        if _runs_width(text[:mid] + "\u2026", size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "\u2026"


class _PageInfo:
    """What every page shows besides the flowing content."""

    def __init__(self, review: Review):
        self.draft = not review.is_final
        # A finalized review prints its verification code, so a printout can be matched to the record.
        self.code = verification_code(review.content_hash) if review.is_final and review.content_hash else ""
        self.void = review.void_reason is not None
        self.employee = clean_line(review.employee.name) or "(employee not named)"
        period = plain_text(_period(review))
        self.period = f"Review period: {period}" if period else ""

    def draw_background(self, canv, doc) -> None:
        """Drawn first on each page (under the content): watermark and running header."""
        canv.saveState()
        if self.draft or self.void:
            canv.setFillColor(WATERMARK)
            canv.setFont(FONT_BOLD, 150)
            canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canv.rotate(52)
            canv.drawCentredString(0, -52, "VOID" if self.void else "DRAFT")
        canv.restoreState()

        canv.saveState()
        y = PAGE_HEIGHT - 0.55 * inch
        canv.setFillColor(MUTED)
        canv.setFont(FONT, 7.5)
        right = self.period
        right_w = pdfmetrics.stringWidth(right, FONT, 7.5)
        draw_user_line(canv, MARGIN_X, y, f"Classified Performance Review {DASH} {self.employee}", 7.5,
                       FRAME_WIDTH - right_w - 18)
        canv.setFont(FONT, 7.5)
        if right:
            canv.drawRightString(PAGE_WIDTH - MARGIN_X, y, right)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, y - 5, PAGE_WIDTH - MARGIN_X, y - 5)
        canv.restoreState()

    def draw_footer(self, canv, page: int, pages: int) -> None:
        canv.saveState()
        y = 0.5 * inch
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, y + 11, PAGE_WIDTH - MARGIN_X, y + 11)
        canv.setFillColor(MUTED)
        canv.setFont(FONT, 7.5)
        left = CONFIDENTIAL
        if self.void:
            left = f"{CONFIDENTIAL}  \u00b7  VOID {DASH} not valid"
        elif self.draft:
            left = f"{CONFIDENTIAL}  \u00b7  {DRAFT_NOTE}"
        canv.drawString(MARGIN_X, y, left)
        canv.drawRightString(PAGE_WIDTH - MARGIN_X, y, f"Page {page} of {pages}")
        if self.code:
            canv.drawCentredString(PAGE_WIDTH / 2, y, f"Verification code {self.code}")
        canv.restoreState()


def numbered_canvas(draw_footer):
    """Return a canvas class that holds pages back until the end, so "Page X of Y" knows Y.

    ``draw_footer(canvas, page, pages)`` is called for every page once the total is known.
    """

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, start=1):
                self.__dict__.update(state)
                draw_footer(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


# Building blocks ----------------------------------------------------------------------------
def _boxes(framework: Framework, rating: Rating, st: dict[str, ParagraphStyle]) -> Table:
    """The four boxes of one rating; the chosen ones read "☒ Label" and are shaded."""
    cells = []
    marks = []
    for level in framework.rating_levels:
        marks.append((level.label, rating.level == level.id))
    marks.append((framework.plus.label, bool(rating.plus)))
    for label, marked in marks:
        glyph = MARKED if marked else UNMARKED
        style = st["box_marked"] if marked else st["box"]
        cells.append(Paragraph(f"{glyph} {para_text(label)}", style))
    widths = [1.35 * inch, 1.35 * inch, 1.6 * inch, 0.75 * inch]
    table = Table([cells], colWidths=widths, hAlign="LEFT")
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    for col, (_, marked) in enumerate(marks):
        if marked:
            commands.append(("BACKGROUND", (col, 0), (col, 0), MARK_FILL))
    table.setStyle(TableStyle(commands))
    return table


# A comment up to this tall stays on one page with what it belongs to; a longer one keeps its first
# lines there and flows on across pages.
_SHORT_TEXT_HEIGHT = 2.5 * inch
_KEEP_LINES = 3


def _with_text(lead: list[Flowable], text: str, st: dict[str, ParagraphStyle], lines: int) -> list[Flowable]:
    """``lead`` (a competency's boxes, a section heading) followed by user text, never orphaned.

    Empty text becomes ``lines`` blank ruled lines. Long text is a Paragraph outside any table, so
    it can run over as many pages as it needs.
    """
    if not clean_block(text):
        return [KeepTogether([*lead, RuledLines(lines)])]
    para = user_paragraph(text, st["comment"])
    _, height = para.wrap(FRAME_WIDTH, PAGE_HEIGHT * 1000)
    if height <= _SHORT_TEXT_HEIGHT:
        return [KeepTogether([*lead, para])]
    parts = para.split(FRAME_WIDTH, st["comment"].leading * _KEEP_LINES + 1)
    if len(parts) == 2:
        return [KeepTogether([*lead, parts[0]]), parts[1]]
    return [KeepTogether(lead), para]


# A header value longer than this is not a table cell's worth (a pasted paragraph): the header is
# then printed as flowing lines, which can run over pages, so nothing is ever cut.
_CELL_TEXT_MAX = 160


def _header(framework: Framework, review: Review, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    emp = review.employee
    reviewer = _person(review.reviewer.name, review.reviewer.title) or DASH
    if review.is_final:
        finalized = _long_date(review.finalized_at)
        status = f"Final {DASH} finalized on {finalized}" if finalized else "Final"
    else:
        status = "Draft"
    if review.version > 1:
        status += f" {DASH} version {review.version}, amending review {review.supersedes_id}"
    if review.void_reason is not None:
        status = f"VOID {DASH} {review.void_reason} (was: {status})"
    fields = [
        ("Employee", _field(emp.name)),
        ("Employee number", _field(emp.employee_number)),
        ("Classification / job title", _field(emp.classification)),
        ("Work location", _field(emp.location)),
        ("Rater (name, title)", _person(review.rater.name, review.rater.title)),
        ("Reviewer (name, title)", reviewer),
        ("Review type", _field(REVIEW_TYPES.get(review.review_type or "", review.review_type or ""))),
        ("Review period", _period(review)),
        ("Supervisory review", "Yes" if review.supervisory else "No"),
        ("Status", status),
    ]

    if any(len(value) > _CELL_TEXT_MAX for _, value in fields):
        lines: list[Flowable] = []
        for name, value in fields:
            if bidi_text.has_rtl(value):  # a right-to-left value gets its own line, in display order
                lines += [Paragraph(f"<b>{para_text(name)}:</b>", st["field_value"]), user_paragraph(value, st["field_value"])]
            else:
                lines.append(Paragraph(f"<b>{para_text(name)}:</b> {para_text(value)}", st["field_value"]))
        return lines

    def label(text):
        return Paragraph(para_text(text), st["field_label"])

    def value(text):
        return user_paragraph(text, st["field_value"])

    rows = []
    for i in range(0, len(fields), 2):
        (l1, v1), (l2, v2) = fields[i], fields[i + 1]
        rows.append([label(l1), value(v1), label(l2), value(v2)])
    label_w = 1.25 * inch
    value_w = (FRAME_WIDTH - 2 * label_w) / 2
    table = Table(rows, colWidths=[label_w, value_w, label_w, value_w], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, RULE),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, LIGHT_RULE),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
                ("BACKGROUND", (2, 0), (2, -1), LABEL_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return [table]


def _legend(framework: Framework, st: dict[str, ParagraphStyle]) -> Table:
    rows = [
        [Paragraph(para_text(level.label), st["legend_label"]), Paragraph(para_text(level.meaning), st["legend"])]
        for level in framework.rating_levels
    ]
    rows.append(
        [Paragraph(para_text(framework.plus.label), st["legend_label"]), Paragraph(para_text(framework.plus.meaning), st["legend"])]
    )
    table = Table(rows, colWidths=[1.35 * inch, FRAME_WIDTH - 1.35 * inch], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, RULE),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, LIGHT_RULE),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _signature_block(review: Review, st: dict[str, ParagraphStyle]) -> KeepTogether:
    people = [
        ("Rater", _person(review.rater.name, review.rater.title)),
        ("Reviewer", _person(review.reviewer.name, review.reviewer.title)),
        ("Employee", _field(review.employee.name)),
    ]
    rows = []
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for i, (role, who) in enumerate(people):
        line_row = len(rows)
        who_cell = [Paragraph(para_text(role), st["sig_role"])]
        if len(who) > _CELL_TEXT_MAX:
            who = "(as named above)"  # the full text is in the header; a signature row cannot span pages
        if who:
            who_cell.append(user_paragraph(who, st["sig_name"]))
        rows.append([who_cell, "", "", ""])
        rows.append(["", Paragraph("Signature", st["sig_caption"]), "", Paragraph("Date", st["sig_caption"])])
        commands += [
            ("LINEBELOW", (1, line_row), (1, line_row), 0.7, INK),
            ("LINEBELOW", (3, line_row), (3, line_row), 0.7, INK),
            ("TOPPADDING", (0, line_row), (-1, line_row), 30 if i else 22),
            ("SPAN", (0, line_row), (0, line_row + 1)),
            ("VALIGN", (0, line_row), (0, line_row + 1), "TOP"),
        ]
    # name | signature line | gap | date line
    widths = [2.1 * inch, FRAME_WIDTH - 2.1 * inch - 0.3 * inch - 1.5 * inch, 0.3 * inch, 1.5 * inch]
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return KeepTogether(
        [
            *_section_heading("Signatures", st),
            table,
            Paragraph(para_text(ACKNOWLEDGMENT), st["ack"]),
        ]
    )


def _section_heading(title: str, st: dict[str, ParagraphStyle], style: str = "section") -> list[Flowable]:
    """A heading and its rule; both stay with whatever follows them."""
    return [
        Paragraph(para_text(title), st[style]),
        HRule(thickness=0.8, color=HEADING, space_before=1, space_after=4, keep_with_next=True),
    ]


def _story(framework: Framework, review: Review, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = []
    story.append(Paragraph(para_text("Classified Performance Review"), st["title"]))
    version = f"Framework version: {framework.version}"
    if review.framework_version and review.framework_version != framework.version:
        version += f" (the review was finalized under version {review.framework_version})"
    story.append(Paragraph(para_text(f"{framework.title} {DASH} {framework.source}"), st["subtitle"]))
    story.append(Paragraph(para_text(version), st["subtitle"]))
    story.append(Spacer(1, 8))
    story += _header(framework, review, st)

    story.append(KeepTogether([*_section_heading("Rating scale", st), _legend(framework, st)]))

    clusters = applicable_clusters(framework, review)
    for cluster in clusters:
        # The cluster's heading and definition travel with its first competency.
        lead: list[Flowable] = [
            *_section_heading(cluster.name, st, "cluster"),
            Paragraph(para_text(cluster.definition), st["cluster_def"]),
        ]
        for index, comp in enumerate(cluster.competencies):
            rating = review.rating(comp.id)
            if index:
                # A thin rule between competencies; after blank writing lines, space reads better.
                previous = review.rating(cluster.competencies[index - 1].id)
                if not clean_block(previous.comment):
                    story.append(Spacer(1, 14))
                else:
                    story.append(HRule(thickness=0.4, color=LIGHT_RULE, space_before=9, space_after=7))
            block: list[Flowable] = [
                *lead,
                Paragraph(para_text(comp.name), st["competency"]),
                Paragraph(para_text(comp.description), st["description"]),
                Paragraph(para_text("Aligned with: " + ", ".join(comp.aligned_with)), st["aligned"]),
                _boxes(framework, rating, st),
                Paragraph(para_text("Comment:"), st["comment_label"]),
            ]
            lead = []
            story += _with_text(block, rating.comment, st, lines=2)
    for cluster in framework.clusters:
        if cluster not in clusters:
            # The cluster's name only: its competencies must not appear on a review they do not apply to.
            story.append(Spacer(1, 12))
            story.append(
                Paragraph(para_text(f"{cluster.name} cluster: not applicable (non-supervisory review)"), st["note"])
            )

    overall = [
        *_section_heading("Overall rating", st),
        Spacer(1, 1),
        _boxes(framework, review.overall, st),
        Paragraph(para_text("Comment:"), st["comment_label"]),
    ]
    story += _with_text(overall, review.overall.comment, st, lines=3)

    for attr, title in TEXT_SECTIONS.items():
        story += _with_text(_section_heading(title, st), getattr(review, attr, "") or "", st, lines=4)

    story.append(Spacer(1, 6))
    story.append(_signature_block(review, st))
    return story


# Public API ---------------------------------------------------------------------------------
def render_review_pdf(framework: Framework, review: Review) -> bytes:
    """Return the review as a complete PDF document, built in memory.

    Characters no bundled font can draw print as U+FFFD; ``export_warnings(framework, review)``
    names them (call it alongside: it is cheap and needs no reportlab).
    """
    register_fonts()
    st = _styles()
    info = _PageInfo(review)
    employee = plain_text(review.employee.name)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"CPF review {DASH} {employee}" if employee else "CPF review",
        author=plain_text(review.rater.name),
        subject=plain_text(f"{framework.title} review"),
        creator="CPF Desktop",
        lang="en-US",
        initialFontName=FONT,
    )
    # No frame padding: the content lines up with the running header and footer rules.
    frame = Frame(
        MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=info.draw_background)])
    try:
        doc.build(_story(framework, review, st), canvasmaker=numbered_canvas(info.draw_footer))
    except LayoutError as exc:
        raise PdfExportError(
            "The review could not be laid out as a PDF: one of its texts is too large for a page. "
            "Shorten the longest field and export again."
        ) from exc
    return buffer.getvalue()


def write_review_pdf(framework: Framework, review: Review, path: str | os.PathLike) -> list[str]:
    """Write the review's PDF to ``path`` (mode 0o600): whole and new, or the old file untouched.

    Return ``export_warnings(framework, review)``: one sentence per field holding characters that
    printed as U+FFFD (empty when everything printed); the caller shows or prints them.
    """
    data = render_review_pdf(framework, review)
    try:
        write_file_atomically(Path(path), data)
    except FileWriteError as exc:
        raise PdfExportError(str(exc)) from exc
    return export_warnings(framework, review)
