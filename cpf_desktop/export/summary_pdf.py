"""The site summary as a PDF: landscape US Letter, a chart of the levels per competency and the table.

Page 1 is the chart: one horizontal stacked bar per competency (and the overall rating), its
segments Developing / Effective / Effective + / Highly Effective / Highly Effective +, each with
its count written on it; the "+" segments are hatched, so the chart reads in greyscale too. The
table follows: one row per employee, one numbered column per competency (the chart's labels and a
key give the numbers' names), D / E / HE with "+", N/A shaded.

Same fonts and text rules as the review form (``pdf.py``): every name goes through
``pdf.para_text`` before it reaches a Paragraph. Every page carries "Confidential personnel
document" and "Page X of Y". Built in memory; written atomically.
"""
from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

from reportlab.graphics.shapes import Drawing, Hatching, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    BaseDocTemplate, Frame, KeepTogether, PageBreak, PageTemplate, Spacer, Table, TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from ..framework import Framework
from ..summary import (
    BUCKET_FILLS, BUCKET_HATCHED, BUCKET_INK, BUCKET_LABELS, BUCKETS, NOT_APPLICABLE, Counts, SiteSummary, long_date,
)
from . import pdf as review_pdf
from .files import FileWriteError, write_file_atomically
from .pdf import (
    CONFIDENTIAL, FONT, FONT_BOLD, FONT_ITALIC, Paragraph, PdfExportError, para_text, plain_text, user_paragraph,
)

__all__ = ["render_summary_pdf", "write_summary_pdf", "PdfExportError"]

PAGE_WIDTH, PAGE_HEIGHT = landscape(LETTER)
MARGIN_X = 0.5 * inch
MARGIN_TOP = 0.75 * inch
MARGIN_BOTTOM = 0.7 * inch
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

INK = review_pdf.INK
HEADING = review_pdf.HEADING
MUTED = review_pdf.MUTED
RULE = review_pdf.RULE
LIGHT_RULE = review_pdf.LIGHT_RULE
LABEL_FILL = review_pdf.LABEL_FILL
NA_FILL = colors.HexColor("#e6e6e6")
NA_INK = colors.HexColor("#777777")
# Table cells get a pale tint of the chart colour; the letters carry the meaning.
CELL_TINTS = {
    "developing": colors.HexColor("#fbedd0"),
    "effective": colors.HexColor("#e3edf6"),
    "effective_plus": colors.HexColor("#e3edf6"),
    "highly_effective": colors.HexColor("#c9d6e6"),
    "highly_effective_plus": colors.HexColor("#c9d6e6"),
}
DASH = "\u2014"


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("sum-body", fontName=FONT, fontSize=9, leading=11.5, textColor=INK)
    return {
        "body": base,
        "title": ParagraphStyle("sum-title", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20,
                                textColor=HEADING, spaceAfter=1),
        "subtitle": ParagraphStyle("sum-subtitle", parent=base, fontSize=8.5, leading=11, textColor=MUTED),
        "section": ParagraphStyle("sum-section", parent=base, fontName=FONT_BOLD, fontSize=12, leading=15,
                                  textColor=HEADING, spaceAfter=4, keepWithNext=1),
        "cluster": ParagraphStyle("sum-cluster", parent=base, fontName=FONT_BOLD, fontSize=6.2, leading=7.2,
                                  textColor=HEADING, alignment=1),
        "num": ParagraphStyle("sum-num", parent=base, fontName=FONT_BOLD, fontSize=7, leading=8.5, alignment=1),
        "name": ParagraphStyle("sum-name", parent=base, fontSize=7.6, leading=9.2),
        "number": ParagraphStyle("sum-number", parent=base, fontSize=6.5, leading=8, textColor=MUTED),
        "cell": ParagraphStyle("sum-cell", parent=base, fontSize=7, leading=8.5, alignment=1),
        "key": ParagraphStyle("sum-key", parent=base, fontSize=7.2, leading=9),
        "note": ParagraphStyle("sum-note", parent=base, fontName=FONT_ITALIC, fontSize=8, leading=10.5,
                               textColor=MUTED),
    }


# The chart ----------------------------------------------------------------------------------
LABEL_W = 180.0
RIGHT_W = 84.0
ROW_H = 14.5
BAR_H = 10.5
LEGEND_H = 22.0
AXIS_H = 16.0
GAP_H = 7.0  # between the competencies and the overall rating


def _hex(value: str):
    return colors.HexColor(value)


def _segment(drawing: Drawing, bucket: str, x: float, y: float, w: float, h: float, count: int | None) -> None:
    drawing.add(Rect(x, y, w, h, fillColor=_hex(BUCKET_FILLS[bucket]), strokeColor=colors.white, strokeWidth=0.6))
    ink = _hex(BUCKET_INK[bucket])
    if bucket in BUCKET_HATCHED:
        drawing.add(Hatching(spacings=2.6, angles=45, xyLists=[x, y, x + w, y, x + w, y + h, x, y + h],
                             strokeColor=ink, strokeWidth=0.45))
    if count is None:
        return
    text = str(count)
    size = 6.8
    tw = pdfmetrics.stringWidth(text, FONT_BOLD, size)
    if tw + 3 > w:
        return  # too narrow for its number; the table and the text export have it
    if bucket in BUCKET_HATCHED:  # a clear patch under the number, so hatching never crosses it
        drawing.add(Rect(x + w / 2 - tw / 2 - 1.3, y + 1.2, tw + 2.6, h - 2.4,
                         fillColor=_hex(BUCKET_FILLS[bucket]), strokeColor=None))
    drawing.add(String(x + w / 2, y + (h - size) / 2 + 1.1, text, fontName=FONT_BOLD, fontSize=size,
                       fillColor=ink, textAnchor="middle"))


def _fit(text: str, font: str, size: float, width: float) -> str:
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def chart_drawing(summary: SiteSummary, width: float = FRAME_WIDTH) -> Drawing:
    """The stacked bars: one per competency, then the overall rating; scaled to the number of employees."""
    staff = max(len(summary.rows), 1)
    rows: list[tuple[str, Counts, bool]] = [
        (f"{i}  {comp.name}", summary.counts[comp.id], False) for i, comp in enumerate(summary.competencies, start=1)
    ]
    rows.append(("Overall rating", summary.overall_counts, True))
    height = LEGEND_H + AXIS_H + len(rows) * ROW_H + GAP_H + 4
    d = Drawing(width, height)
    bar_x = LABEL_W
    bar_w = width - LABEL_W - RIGHT_W

    # Legend, across the top.
    x = 0.0
    ly = height - 12
    for b in BUCKETS:
        _segment(d, b, x, ly - 1, 20, 9, None)
        d.add(String(x + 24, ly, BUCKET_LABELS[b], fontName=FONT, fontSize=7.6, fillColor=INK))
        x += 24 + pdfmetrics.stringWidth(BUCKET_LABELS[b], FONT, 7.6) + 16
    note = _fit("N/A (Leadership, non-supervisory review) is counted in no bar", FONT_ITALIC, 7.2, width - x)
    d.add(String(x, ly, note, fontName=FONT_ITALIC, fontSize=7.2, fillColor=MUTED))

    # Scale: gridlines at whole numbers of staff.
    top = height - LEGEND_H
    bottom = top - AXIS_H - len(rows) * ROW_H - GAP_H
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 10**9) if staff / s <= 10)
    for n in range(0, staff + 1, step):
        gx = bar_x + bar_w * n / staff
        d.add(Line(gx, bottom, gx, top - AXIS_H + 3, strokeColor=LIGHT_RULE, strokeWidth=0.4))
        d.add(String(gx, top - AXIS_H + 6, str(n), fontName=FONT, fontSize=6.8, fillColor=MUTED, textAnchor="middle"))
    d.add(String(bar_x + bar_w + 6, top - AXIS_H + 6, "rated \u00b7 N/A", fontName=FONT, fontSize=6.8,
                 fillColor=MUTED))
    d.add(String(0, top - AXIS_H + 6, "Competency (number in the table)", fontName=FONT, fontSize=6.8,
                 fillColor=MUTED))

    y = top - AXIS_H
    previous_cluster = None
    for index, (label, counts, overall) in enumerate(rows):
        if overall:
            y -= GAP_H
            d.add(Line(0, y + 2.5, width, y + 2.5, strokeColor=RULE, strokeWidth=0.6))
        elif index < len(summary.competencies):
            cluster = summary.competencies[index].cluster_id
            if previous_cluster is not None and cluster != previous_cluster:
                d.add(Line(0, y, width, y, strokeColor=LIGHT_RULE, strokeWidth=0.5))
            previous_cluster = cluster
        y -= ROW_H
        font = FONT_BOLD if overall else FONT
        d.add(String(0, y + (ROW_H - 7.6) / 2 + 0.8, _fit(label, font, 7.6, LABEL_W - 8), fontName=font,
                     fontSize=7.6, fillColor=INK))
        bx = bar_x
        by = y + (ROW_H - BAR_H) / 2
        for b in BUCKETS:
            n = counts.of(b)
            if n:
                w = bar_w * n / staff
                _segment(d, b, bx, by, w, BAR_H, n)
                bx += w
        right = f"{counts.rated}"
        if counts.not_applicable:
            right += f" \u00b7 N/A {counts.not_applicable}"
        if counts.not_rated:
            right += f" \u00b7 not rated {counts.not_rated}"
        d.add(String(bar_x + bar_w + 6, y + (ROW_H - 7.2) / 2 + 0.8, right, fontName=FONT, fontSize=7.2,
                     fillColor=MUTED if not overall else INK))
    d.add(Line(bar_x, bottom, bar_x, top - AXIS_H + 3, strokeColor=RULE, strokeWidth=0.6))
    return d


# The table ----------------------------------------------------------------------------------
NAME_W = 140.0
OVERALL_W = 36.0


def _table(framework: Framework, summary: SiteSummary, st: dict[str, ParagraphStyle]) -> Table:
    comps = summary.competencies
    comp_w = (FRAME_WIDTH - NAME_W - OVERALL_W) / len(comps)
    # Header row 0: clusters spanning their competencies; row 1: the competencies' numbers.
    head0: list = [Paragraph("Employee", st["num"])] + [""] * len(comps) + [Paragraph("Overall", st["num"])]
    head1: list = [""] + [Paragraph(str(i), st["num"]) for i in range(1, len(comps) + 1)] + [""]
    commands = [
        ("FONT", (1, 2), (-1, -1), FONT, 7),
        ("FONT", (-1, 2), (-1, -1), FONT_BOLD, 7),
        ("TEXTCOLOR", (1, 2), (-1, -1), INK),
        ("GRID", (0, 0), (-1, -1), 0.35, LIGHT_RULE),
        ("BOX", (0, 0), (-1, -1), 0.8, RULE),
        ("LINEBELOW", (0, 1), (-1, 1), 0.8, RULE),
        ("BACKGROUND", (0, 0), (-1, 1), LABEL_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (0, -1), 4),
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (-1, 0), (-1, 1)),
    ]
    col = 1
    i = 0
    while i < len(comps):
        cluster_id = comps[i].cluster_id
        j = i
        while j < len(comps) and comps[j].cluster_id == cluster_id:
            j += 1
        name = framework.cluster(cluster_id).name
        head0[col + i] = Paragraph(para_text(name), st["cluster"])
        commands.append(("SPAN", (col + i, 0), (col + j - 1, 0)))
        if i:
            commands.append(("LINEBEFORE", (col + i, 0), (col + i, -1), 0.9, RULE))
        i = j
    commands.append(("LINEBEFORE", (len(comps) + 1, 0), (len(comps) + 1, -1), 0.9, RULE))

    rows = [head0, head1]
    for r, row in enumerate(summary.rows, start=2):
        name = _short(row.employee_name)
        who = [user_paragraph(name, st["name"]) if para_text(name) else Paragraph("(no name)", st["name"])]
        number = " \u00b7 ".join(p for p in (row.employee_number, row.classification) if p.strip())
        if number:
            who.append(user_paragraph(_short(number), st["number"]))
        cells: list = [who]
        for c, cell in enumerate((*row.cells, row.overall), start=1):
            cells.append(cell.short)
            if not cell.applicable:
                commands += [("BACKGROUND", (c, r), (c, r), NA_FILL), ("TEXTCOLOR", (c, r), (c, r), NA_INK)]
            elif cell.bucket:
                commands.append(("BACKGROUND", (c, r), (c, r), CELL_TINTS[cell.bucket]))
        rows.append(cells)
        if r % 2 == 1:
            commands.append(("LINEBELOW", (0, r), (-1, r), 0.35, LIGHT_RULE))
    table = Table(rows, colWidths=[NAME_W] + [comp_w] * len(comps) + [OVERALL_W], repeatRows=2, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


# A table row cannot run over pages: a pasted paragraph in a name field is shortened here (the
# review's own form prints it whole).
_CELL_TEXT_MAX = 120


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _CELL_TEXT_MAX else text[: _CELL_TEXT_MAX - 1].rstrip() + "\u2026"


def _key(summary: SiteSummary, framework: Framework, st: dict[str, ParagraphStyle]) -> Table:
    """The competencies' numbers and names, in four columns."""
    items = [Paragraph(f"<b>{i}</b>\u2002{para_text(c.name)}", st["key"]) for i, c in enumerate(summary.competencies, 1)]
    columns = 4
    per = -(-len(items) // columns)
    grid = [[items[c * per + r] if c * per + r < len(items) else "" for c in range(columns)] for r in range(per)]
    table = Table(grid, colWidths=[FRAME_WIDTH / columns] * columns, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5), ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


# Pages --------------------------------------------------------------------------------------
class _Pages:
    def __init__(self, summary: SiteSummary, made: date):
        self.header = f"CPF site summary {DASH} {summary.period.label}"
        self.right = f"{len(summary.rows)} employee(s) \u00b7 made {long_date(made)}"

    def draw_background(self, canv, doc) -> None:
        canv.saveState()
        y = PAGE_HEIGHT - 0.48 * inch
        canv.setFillColor(MUTED)
        canv.setFont(FONT, 7.5)
        review_pdf.draw_user_line(canv, MARGIN_X, y, self.header, 7.5)  # period labels may hold any script
        canv.drawRightString(PAGE_WIDTH - MARGIN_X, y, self.right)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, y - 5, PAGE_WIDTH - MARGIN_X, y - 5)
        canv.restoreState()

    def draw_footer(self, canv, page: int, pages: int) -> None:
        canv.saveState()
        y = 0.42 * inch
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, y + 11, PAGE_WIDTH - MARGIN_X, y + 11)
        canv.setFillColor(MUTED)
        canv.setFont(FONT, 7.5)
        canv.drawString(MARGIN_X, y, CONFIDENTIAL)
        canv.drawRightString(PAGE_WIDTH - MARGIN_X, y, f"Page {page} of {pages}")
        canv.restoreState()


def _story(framework: Framework, summary: SiteSummary, st: dict[str, ParagraphStyle]) -> list:
    period = summary.period
    story: list = [
        Paragraph(para_text(f"Site summary {DASH} {period.label}"), st["title"]),
        Paragraph(para_text(
            f"{framework.title}. Reviews whose period ends between {long_date(period.start)} and "
            f"{long_date(period.end)}: finalized, not voided, the latest per employee "
            f"({len(summary.rows)} employee(s))."), st["subtitle"]),
    ]
    if summary.left_out:
        story.append(Paragraph(para_text(
            f"{len(summary.left_out)} other review(s) of the same employees are not counted: an amended original, "
            "or an earlier review of the same employee in the period."), st["subtitle"]))
    story.append(Spacer(1, 8))
    if not summary.rows:
        story.append(Paragraph(para_text("There are no finalized reviews in this period."), st["body"]))
        return story
    story.append(Paragraph(para_text("How many staff are at each level, per competency"), st["section"]))
    story.append(chart_drawing(summary))
    story.append(PageBreak())
    story.append(Paragraph(para_text("Levels by employee"), st["section"]))
    story.append(_table(framework, summary, st))
    story.append(Spacer(1, 8))
    story.append(KeepTogether([
        Paragraph(para_text(
            f"D Developing \u00b7 E Effective \u00b7 HE Highly Effective \u00b7 {framework.plus.label} "
            f"{framework.plus.meaning} \u00b7 {NOT_APPLICABLE} not applicable (Leadership on a non-supervisory "
            f"review) \u00b7 {DASH} not rated"), st["note"]),
        Spacer(1, 4),
        _key(summary, framework, st),
    ]))
    return story


def render_summary_pdf(framework: Framework, summary: SiteSummary, made: date | None = None) -> bytes:
    """Return the site summary as a PDF document, built in memory."""
    review_pdf.register_fonts()  # the review form's bundled fonts, registered once per process
    st = _styles()
    pages = _Pages(summary, made or date.today())
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN_X, rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
        title=plain_text(f"CPF site summary {DASH} {summary.period.label}"), author="CPF Desktop",
        subject=plain_text(f"{framework.title} site summary"), creator="CPF Desktop", lang="en-US",
        initialFontName=FONT,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=pages.draw_background)])
    try:
        doc.build(_story(framework, summary, st), canvasmaker=review_pdf.numbered_canvas(pages.draw_footer))
    except LayoutError as exc:
        raise PdfExportError("The site summary could not be laid out as a PDF.") from exc
    return buffer.getvalue()


def write_summary_pdf(framework: Framework, summary: SiteSummary, path: str | os.PathLike,
                      made: date | None = None) -> None:
    """Write the site summary's PDF to ``path``: whole and new, or the old file untouched."""
    data = render_summary_pdf(framework, summary, made)
    try:
        write_file_atomically(Path(path), data)
    except FileWriteError as exc:
        raise PdfExportError(str(exc)) from exc
