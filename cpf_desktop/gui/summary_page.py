"""Reports ▸ Site summary: the levels of every employee of a school year, as a chart and as a table.

The numbers come from ``cpf_desktop.summary`` (the rules of which reviews count are there); this
module only shows them. The chart is painted with QPainter (QtCharts is not in PySide6-Essentials)
in the same colours as the PDF: "+" is the level's colour hatched, so it reads in greyscale too.
"""
from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QScrollArea, QTableView,
    QTabWidget, QToolTip, QVBoxLayout, QWidget,
)

from ..storage import StorageError
from ..summary import (
    BUCKET_FILLS, BUCKET_HATCHED, BUCKET_INK, BUCKET_LABELS, BUCKETS, Counts, Period, SiteSummary, long_date,
    school_year_end, summary_for_period,
)
from .context import AppContext

log = logging.getLogger(__name__)

_NA_FILL = QColor("#e6e6e6")
_NA_INK = QColor("#777777")
_MUTED = QColor("#555555")
_GRID = QColor("#d0d0d0")
_RULE = QColor("#9a9a9a")
_TINTS = {
    "developing": QColor("#fbedd0"),
    "effective": QColor("#e3edf6"),
    "effective_plus": QColor("#e3edf6"),
    "highly_effective": QColor("#c9d6e6"),
    "highly_effective_plus": QColor("#c9d6e6"),
}


def paint_segment(painter: QPainter, bucket: str, rect: QRectF, count: int | None) -> None:
    """One segment of a bar (or a legend swatch): the level's colour, hatched for "+", and its count."""
    fill = QColor(BUCKET_FILLS[bucket])
    ink = QColor(BUCKET_INK[bucket])
    painter.fillRect(rect, fill)
    if bucket in BUCKET_HATCHED:  # diagonal lines, clipped to the segment (pattern brushes vary by platform)
        painter.save()
        painter.setClipRect(rect)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(ink, 1))
        h = rect.height()
        x = rect.left() - h
        while x < rect.right():
            painter.drawLine(QPointF(x, rect.bottom()), QPointF(x + h, rect.top()))
            x += 4.5
        painter.restore()
    painter.setPen(QPen(QColor("white"), 1))
    painter.drawLine(rect.topRight(), rect.bottomRight())
    if count is None:
        return
    text = str(count)
    fm = painter.fontMetrics()
    width = fm.horizontalAdvance(text)
    if width + 6 > rect.width():
        return
    if bucket in BUCKET_HATCHED:  # a clear patch under the number
        patch = QRectF(0, 0, min(width + 10, rect.width() - 2), rect.height())
        patch.moveCenter(rect.center())
        painter.fillRect(patch, fill)
    painter.setPen(ink)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


class SummaryChart(QWidget):
    """Stacked horizontal bars: per competency (and the overall rating), how many staff are at each level."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary: SiteSummary | None = None
        self.setAccessibleName("Chart: staff at each level per competency")
        self.setMouseTracking(True)
        self.setMinimumWidth(720)
        self._row_rects: list[tuple[QRectF, str, Counts]] = []

    def set_summary(self, summary: SiteSummary | None) -> None:
        self.summary = summary
        self.updateGeometry()
        self.update()

    def _rows(self) -> list[tuple[str, Counts, bool]]:
        s = self.summary
        rows = [(f"{i}  {c.name}", s.counts[c.id], False) for i, c in enumerate(s.competencies, start=1)]
        rows.append(("Overall rating", s.overall_counts, True))
        return rows

    def _metrics(self) -> tuple[int, int, int]:
        fm = self.fontMetrics()
        row_h = fm.height() + 9
        return row_h, fm.height() + 14, fm.height() + 10  # row, legend, axis

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        row_h, legend_h, axis_h = self._metrics()
        rows = len(self._rows()) if self.summary and self.summary.rows else 3
        return QSize(980, legend_h + axis_h + rows * row_h + 22)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(720, self.sizeHint().height())

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(self.rect(), QColor("white"))
        s = self.summary
        if s is None or not s.rows:
            painter.setPen(_MUTED)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "There are no finalized reviews in this period.")
            painter.end()
            return
        fm = self.fontMetrics()
        row_h, legend_h, axis_h = self._metrics()
        rows = self._rows()
        margin = 10
        width = self.width() - 2 * margin
        label_w = max(fm.horizontalAdvance(label) for label, _, _ in rows) + 18
        right_w = fm.horizontalAdvance("rated 000 · N/A 000") + 14
        bar_x = margin + label_w
        bar_w = max(100, width - label_w - right_w)
        staff = max(len(s.rows), 1)

        # Legend.
        x = margin
        y = margin
        swatch_h = fm.height() - 4
        for b in BUCKETS:
            paint_segment(painter, b, QRectF(x, y + 2, 26, swatch_h), None)
            painter.setPen(QColor("#1a1a1a"))
            painter.drawText(int(x + 32), int(y + fm.ascent()), BUCKET_LABELS[b])
            x += 32 + fm.horizontalAdvance(BUCKET_LABELS[b]) + 18
        painter.setPen(_MUTED)
        italic = QFont(self.font())
        italic.setItalic(True)
        painter.setFont(italic)
        note = "N/A (Leadership, non-supervisory review) is counted in no bar"
        painter.drawText(int(x), int(y + fm.ascent()), QFontMetrics(italic).elidedText(
            note, Qt.TextElideMode.ElideRight, int(margin + width - x)))
        painter.setFont(self.font())

        # Axis and grid.
        top = margin + legend_h
        rows_top = top + axis_h
        bottom = rows_top + len(rows) * row_h + 8
        step = next(st for st in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 10**9) if staff / st <= 10)
        for n in range(0, staff + 1, step):
            gx = bar_x + bar_w * n / staff
            painter.setPen(QPen(_GRID, 1))
            painter.drawLine(int(gx), int(rows_top - 2), int(gx), int(bottom))
            painter.setPen(_MUTED)
            painter.drawText(QRectF(gx - 30, top, 60, axis_h - 4), Qt.AlignmentFlag.AlignCenter, str(n))
        painter.drawText(QRectF(bar_x + bar_w + 8, top, right_w, axis_h - 4),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, "rated · N/A")
        painter.drawText(QRectF(margin, top, label_w, axis_h - 4),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, "Competency (column in the table)")

        # Bars.
        self._row_rects = []
        bold = QFont(self.font())
        bold.setBold(True)
        y = rows_top
        previous_cluster = None
        for index, (label, counts, overall) in enumerate(rows):
            if overall:
                y += 8
                painter.setPen(QPen(_RULE, 1))
                painter.drawLine(margin, int(y - 4), margin + width, int(y - 4))
            else:
                cluster = s.competencies[index].cluster_id
                if previous_cluster is not None and cluster != previous_cluster:
                    painter.setPen(QPen(_GRID, 1))
                    painter.drawLine(margin, int(y), margin + width, int(y))
                previous_cluster = cluster
            row_rect = QRectF(margin, y, width, row_h)
            self._row_rects.append((row_rect, label, counts))
            painter.setFont(bold if overall else self.font())
            painter.setPen(QColor("#1a1a1a"))
            painter.drawText(QRectF(margin, y, label_w - 8, row_h),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, label)
            painter.setFont(self.font())
            bx = float(bar_x)
            bar_h = row_h - 8
            for b in BUCKETS:
                n = counts.of(b)
                if n:
                    w = bar_w * n / staff
                    paint_segment(painter, b, QRectF(bx, y + 4, w, bar_h), n)
                    bx += w
            right = str(counts.rated) + (f" · N/A {counts.not_applicable}" if counts.not_applicable else "")
            if counts.not_rated:
                right += f" · not rated {counts.not_rated}"
            painter.setPen(_MUTED)
            painter.drawText(QRectF(bar_x + bar_w + 8, y, right_w, row_h),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, right)
            y += row_h
        painter.setPen(QPen(_RULE, 1))
        painter.drawLine(int(bar_x), int(rows_top - 2), int(bar_x), int(bottom))
        painter.end()

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            pos = event.position() if hasattr(event, "position") else event.pos()
            for rect, label, counts in self._row_rects:
                if rect.contains(pos):
                    QToolTip.showText(event.globalPos(), row_tooltip(label, counts), self)
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)


def row_tooltip(label: str, counts: Counts) -> str:
    parts = [f"{BUCKET_LABELS[b]}: {counts.of(b)}" for b in BUCKETS]
    if counts.not_applicable:
        parts.append(f"Not applicable: {counts.not_applicable}")
    if counts.not_rated:
        parts.append(f"Not rated: {counts.not_rated}")
    return f"{label.strip()}\n" + "\n".join(parts)


class SummaryTableModel(QAbstractTableModel):
    """Employees × competencies: D / E / HE with "+", N/A greyed; the overall rating last."""

    FIXED = 2  # employee, number

    def __init__(self, parent=None):
        super().__init__(parent)
        self.summary: SiteSummary | None = None

    def set_summary(self, summary: SiteSummary | None) -> None:
        self.beginResetModel()
        self.summary = summary
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.summary is None else len(self.summary.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.summary is None else self.FIXED + len(self.summary.competencies) + 1

    def _cell(self, row: int, column: int):
        r = self.summary.rows[row]
        index = column - self.FIXED
        return r.overall if index == len(r.cells) else r.cells[index]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or self.summary is None:
            return None
        comps = self.summary.competencies
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Employee"
            if section == 1:
                return "Number"
            return "Overall" if section - self.FIXED == len(comps) else str(section - self.FIXED + 1)
        if role == Qt.ItemDataRole.ToolTipRole and section >= self.FIXED:
            index = section - self.FIXED
            return "Overall rating" if index == len(comps) else f"{index + 1}. {comps[index].name}"
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if self.summary is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        r = self.summary.rows[row]
        if column < self.FIXED:
            if role == Qt.ItemDataRole.DisplayRole:
                return (r.employee_name or "(no name)") if column == 0 else r.employee_number
            if role == Qt.ItemDataRole.ToolTipRole and column == 0:
                return " · ".join(p for p in (r.employee_name, r.employee_number, r.classification) if p)
            return None
        cell = self._cell(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.short
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and not cell.applicable:
            return _NA_INK
        if role == Qt.ItemDataRole.BackgroundRole:
            if not cell.applicable:
                return _NA_FILL
            if cell.bucket:
                return _TINTS[cell.bucket]
        if role == Qt.ItemDataRole.ToolTipRole:
            comps = self.summary.competencies
            i = column - self.FIXED
            what = "Overall rating" if i == len(comps) else comps[i].name
            return f"{r.employee_name}: {what} — {cell.label}"
        if role == Qt.ItemDataRole.FontRole and column - self.FIXED == len(self.summary.competencies):
            font = QFont()
            font.setBold(True)
            return font
        return None


def school_years(store, today: date) -> list[int]:
    """The school years (by the year they end) that hold a review's period end, and the current one; newest first."""
    years = {school_year_end(today)}
    for s in store.list_reviews():
        if s.period_end:
            years.add(school_year_end(s.period_end))
    return sorted(years, reverse=True)


def default_school_year(store, today: date) -> int:
    """The current school year; early in a year that has no finalized review yet, the latest one that has."""
    current = school_year_end(today)
    done = {school_year_end(s.period_end) for s in store.list_reviews()
            if s.status == "final" and not s.voided and s.period_end}
    earlier = [year for year in done if year <= current]
    return current if current in done or not earlier else max(earlier)


class SiteSummaryDialog(QDialog):
    """A window of its own beside the reviews: choose a school year, read the chart and the table, export."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.summary: SiteSummary | None = None
        self.setWindowTitle("Site summary")
        self.setObjectName("siteSummary")
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.title = QLabel("Site summary")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 700;")
        bar.addWidget(self.title)
        bar.addStretch(1)
        bar.addWidget(QLabel("School year:"))
        self.year_combo = QComboBox()
        self.year_combo.setAccessibleName("School year")
        today = today or date.today()
        for year in school_years(ctx.store, today):
            self.year_combo.addItem(Period.school_year(year).label, year)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(default_school_year(ctx.store, today))))
        self.year_combo.currentIndexChanged.connect(self.reload)
        bar.addWidget(self.year_combo)
        self.export_button = QPushButton("Export PDF…")
        self.export_button.clicked.connect(self.export_pdf)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)

        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        layout.addWidget(self.note)

        self.tabs = QTabWidget()
        self.chart = SummaryChart()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.tabs.addTab(scroll, "Chart")
        self.model = SummaryTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Levels by employee")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)  # "HE+" is never shortened to "H…"
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setMinimumSectionSize(20)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.tabs.addTab(self.table, "Table")
        layout.addWidget(self.tabs, 1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.resize(1200, 860)
        self.reload()

    @property
    def period(self) -> Period:
        return Period.school_year(self.year_combo.currentData())

    def reload(self, *_args) -> None:
        try:
            self.summary = summary_for_period(self.ctx.framework, self.ctx.store, self.period)
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Site summary", str(exc))
            self.summary = None
        s = self.summary
        self.chart.set_summary(s)
        self.model.set_summary(s)
        self._size_columns()
        n = len(s.rows) if s else 0
        self.title.setText(f"Site summary — {self.period.label}")
        note = (f"{n} employee(s): finalized, not voided reviews whose period ends between "
                f"{long_date(self.period.start)} and {long_date(self.period.end)}; the latest review per employee.")
        if s and s.left_out:
            note += f" {len(s.left_out)} other review(s) of the same employees are not counted (amended or earlier)."
        self.note.setText(note)
        self.export_button.setEnabled(n > 0)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        if self.model.columnCount() == 0:
            return
        fm = self.table.fontMetrics()
        names = [r.employee_name for r in self.summary.rows] if self.summary else []
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, min(180, max([fm.horizontalAdvance(n) for n in names] + [120]) + 14))
        header.resizeSection(1, fm.horizontalAdvance("E0000000") + 12)
        width = max(fm.horizontalAdvance("HE+"), fm.horizontalAdvance("N/A")) + 8
        for column in range(2, self.model.columnCount() - 1):
            header.resizeSection(column, width)
        header.resizeSection(self.model.columnCount() - 1, fm.horizontalAdvance("Overall") + 16)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        # The window stays open beside the reviews: show today's figures whenever it comes to the front.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.reload()
        super().changeEvent(event)

    def export_pdf(self) -> None:
        self.reload()  # a review may have been finalized, amended or voided since the window was filled
        s = self.summary
        if not s or not s.rows:
            return
        folder = self.ctx.settings.value("export_folder", str(Path.home()))
        name = f"CPF_site_summary_{self.period.start.year}-{str(self.period.end.year)[-2:]}.pdf"
        path = self.ctx.interaction.save_file(self, "Export site summary as PDF", str(Path(folder) / name),
                                              "PDF files (*.pdf)")
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        from ..export.summary_pdf import PdfExportError, write_summary_pdf

        try:
            write_summary_pdf(self.ctx.framework, s, Path(path))
        except PdfExportError as exc:
            self.ctx.interaction.warn(self, "PDF not written", str(exc))
            return
        self.ctx.settings.setValue("export_folder", str(Path(path).parent))
        for review_id in s.review_ids:
            try:
                self.ctx.store.record_event(review_id, "exported", f"site summary PDF {Path(path).name}")
            except StorageError as exc:  # the file is written; the log entry is secondary
                log.warning("audit entry not written: %s", exc)
        self.ctx.interaction.inform(self, "Site summary exported", f"The site summary was saved as\n{path}")
