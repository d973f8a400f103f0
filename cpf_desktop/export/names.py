"""File names for exported reviews: safe on every system, whatever the employee's name holds.

Light on purpose (no reportlab): the window suggests these names before anything is rendered.
"""
from __future__ import annotations

import re
import unicodedata

from ..review import Review

MAX_NAME_CHARS = 60  # of the employee's name; the whole name stays far under every system's limit


def review_file_name(review: Review) -> str:
    """``CPF_review_Rosa_Martínez_2026_17.pdf``: a safe, unique file name for a review."""
    name = unicodedata.normalize("NFC", review.employee.name)
    name = re.sub(r"[^\w\- ]+", "", name, flags=re.UNICODE)  # \w keeps letters of every script, digits and _
    name = re.sub(r"\s+", "_", name.strip()).strip("._-")[:MAX_NAME_CHARS].rstrip("._-") or "review"
    parts = ["CPF_review", name]
    if review.period_end:
        parts.append(str(review.period_end.year))
    parts.append(str(review.id) if review.id is not None else "new")
    return "_".join(parts) + ".pdf"
