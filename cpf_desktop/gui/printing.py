"""Printing the very document the PDF export writes: its pages rendered onto a QPrinter.

The PDF is made in memory and rendered page by page with PDFium, so nothing confidential is left
in a temporary folder and the paper matches the exported file exactly.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

MAX_DPI = 300


def print_pdf(pdf_bytes: bytes, printer: QPrinter) -> int:
    """Print every page of ``pdf_bytes`` on ``printer``; return the number of pages printed."""
    import pypdfium2 as pdfium  # loaded only when printing

    document = pdfium.PdfDocument(pdf_bytes)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be started.")
    try:
        dpi = min(printer.resolution(), MAX_DPI)
        for number in range(len(document)):
            if number:
                printer.newPage()
            page = document[number]
            bitmap = page.render(scale=dpi / 72).to_pil().convert("RGB")
            data = bitmap.tobytes("raw", "RGB")
            image = QImage(data, bitmap.width, bitmap.height, bitmap.width * 3, QImage.Format.Format_RGB888)
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), scaled), image)
        return len(document)
    finally:
        painter.end()
        document.close()
