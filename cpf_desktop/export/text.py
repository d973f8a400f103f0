"""User text on its way to the printed form: cleaning, font coverage and unprintable characters.

This module is pure Python (standard library only: it reads the bundled fonts' character maps
itself), so the window and the command line can ask which characters will not print without
loading reportlab. ``pdf.py`` sends every piece of text through it, so the warnings given here
and the PDF always agree.

The rules, in the order they are applied:

1. Terminal escape sequences (``ESC [ 31 m`` ...) are removed whole.
2. Line breaks: CR LF, CR, vertical tab, form feed, NEL, U+2028 and U+2029 become a line break in
   a multi-line text (comments) and a space in a one-line field (header fields).
3. Control characters (C0/C1 other than tab and line break), invisible formatting characters
   (Unicode "default ignorable" code points: zero-width space and joiners, bidi marks and
   overrides, the byte-order mark U+FEFF, variation selectors, tag characters, soft hyphen),
   lone surrogates and noncharacters are removed. They draw nothing, so removing them changes
   nothing a reader would see; they are not reported.
4. The text is put in Unicode normalization form NFC (so "e" + combining acute prints as the
   font's "é"; the two are the same text).
5. One-line fields: tabs and runs of blanks become one space, the ends are trimmed. Comments:
   a tab becomes ``TAB`` (four spaces), trailing blanks of each line and blank lines before the
   first and after the last line are dropped; every other line break and blank line is kept.
6. A character no bundled font can draw prints as ``PLACEHOLDER`` (U+FFFD, the Unicode
   replacement character: a black diamond with a white question mark, which cannot be mistaken
   for the form's check boxes) and is reported by ``unprintable_characters`` /
   ``export_warnings``. A blank (space separator) no font has simply prints as a space.

Fonts: DejaVu Sans draws Latin (all of Vietnamese), Greek, Cyrillic, Armenian, Georgian, Hebrew,
Arabic and most symbols; Droid Sans Fallback draws what DejaVu lacks in Chinese (simplified and
traditional), Japanese (kana and kanji) and Korean (Hangul). Each run of characters uses the first
font that has them.

Every character outside the Basic Multilingual Plane (above U+FFFF: emoji, mathematical
alphanumerics, rare CJK of Extension B and later) counts as unprintable, even where DejaVu has a
glyph: reportlab 5.1 writes a broken ToUnicode map for them, so a PDF reader could neither copy
nor search them (pypdf reads them back as NUL). Printing a placeholder and saying so is honest;
a glyph that cannot be read back is not.

Right-to-left scripts (Hebrew, Arabic) are reordered for display and Arabic is joined in
``bidi_text`` (python-bidi and arabic-reshaper): reportlab 5.1 does that only with its optional
``rlbidi`` package, which is not on PyPI. See ``resources/fonts/README.md``.
"""
from __future__ import annotations

import re
import struct
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import resource_path

if TYPE_CHECKING:  # only for annotations: no import cost, no cycle
    from ..framework import Framework
    from ..review import Review

__all__ = [
    "FONT_FILES",
    "PLACEHOLDER",
    "TAB",
    "Unprintable",
    "UserText",
    "clean_block",
    "clean_line",
    "covered_characters",
    "describe_character",
    "export_warnings",
    "font_runs",
    "is_printable",
    "printable",
    "unprintable_characters",
    "unprintable_fields",
    "user_texts",
]

PLACEHOLDER = "\ufffd"  # � printed for a character no bundled font can draw
TAB = "    "  # a tab in a comment prints as four spaces (kept visible, see pdf.py)

# The regular faces user text is drawn with, in order of preference (resources/fonts).
FONT_FILES = ("DejaVuSans.ttf", "DroidSansFallback.ttf")

# Cleaning -----------------------------------------------------------------------------------
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves (ESC [ 31 m)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # the same with the one-byte C1 introducer
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[ -/]*[0-~]"  # two- and three-character escapes (ESC c, ESC ( B)
)
_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")


def _removed_class() -> str:
    ranges = [
        (0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F),  # C0 and C1 controls (tab and line feed stay)
        (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
        (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
        (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFFB),  # default ignorables
        (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
        (0xD800, 0xDFFF),  # lone surrogates (cannot be encoded)
        (0xFDD0, 0xFDEF),  # noncharacters
    ]
    ranges += [(plane * 0x10000 + 0xFFFE, plane * 0x10000 + 0xFFFF) for plane in range(17)]
    return "[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]"


_REMOVED = re.compile(_removed_class())


def _base(value: object) -> str:
    text = "" if value is None else str(value)
    text = _ESCAPES.sub("", text)
    text = _BREAKS.sub("\n", text)
    return unicodedata.normalize("NFC", _REMOVED.sub("", text))


def clean_line(value: object) -> str:
    """Return a one-line field as printed: controls gone, all blanks folded to one space, trimmed."""
    return " ".join(_base(value).split())


def clean_block(value: object) -> str:
    """Return a multi-line text (a comment) as printed: controls gone, line breaks and blank lines
    kept, tabs as ``TAB``, trailing blanks and blank lines at either end dropped."""
    lines = [line.rstrip() for line in _base(value).replace("\t", TAB).split("\n")]
    first = next((i for i, line in enumerate(lines) if line), len(lines))
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i]), -1)
    return "\n".join(lines[first : last + 1])


# Fonts --------------------------------------------------------------------------------------
def _read_cmap(path: Path) -> frozenset[int]:
    """Return the code points a TrueType font maps to a real glyph (cmap formats 4 and 12)."""
    data = path.read_bytes()
    (num_tables,) = struct.unpack_from(">H", data, 4)
    cmap = None
    for i in range(num_tables):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"cmap":
            cmap = offset
    if cmap is None:
        raise ValueError(f"{path.name} has no character map")
    (_, count) = struct.unpack_from(">HH", data, cmap)
    subtables = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        (fmt,) = struct.unpack_from(">H", data, cmap + offset)
        subtables[(platform, encoding, fmt)] = cmap + offset
    for key in ((3, 10, 12), (0, 6, 12), (0, 4, 12)):
        if key in subtables:
            return _with_nbsp(_format12(data, subtables[key]))
    for key in ((3, 1, 4), (0, 3, 4), (0, 1, 4), (0, 0, 4)):
        if key in subtables:
            return _with_nbsp(_format4(data, subtables[key]))
    raise ValueError(f"{path.name} has no Unicode character map")


def _with_nbsp(codes: frozenset[int]) -> frozenset[int]:
    """reportlab draws a no-break space with the space glyph when a font has no glyph of its own."""
    return codes | {0xA0} if 0x20 in codes else codes


def _format4(data: bytes, at: int) -> frozenset[int]:
    (seg_x2,) = struct.unpack_from(">H", data, at + 6)
    n = seg_x2 // 2
    ends = struct.unpack_from(f">{n}H", data, at + 14)
    starts_at = at + 16 + seg_x2
    starts = struct.unpack_from(f">{n}H", data, starts_at)
    deltas = struct.unpack_from(f">{n}h", data, starts_at + seg_x2)
    offsets_at = starts_at + 2 * seg_x2
    offsets = struct.unpack_from(f">{n}H", data, offsets_at)
    codes = set()
    for i, (start, end, delta, offset) in enumerate(zip(starts, ends, deltas, offsets)):
        for c in range(start, min(end, 0xFFFE) + 1):
            if offset == 0:
                glyph = (c + delta) & 0xFFFF
            else:
                (glyph,) = struct.unpack_from(">H", data, offsets_at + 2 * i + offset + 2 * (c - start))
                if glyph:
                    glyph = (glyph + delta) & 0xFFFF
            if glyph:
                codes.add(c)
    return frozenset(codes)


def _format12(data: bytes, at: int) -> frozenset[int]:
    (groups,) = struct.unpack_from(">I", data, at + 12)
    codes = set()
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * i)
        codes.update(range(start + (glyph == 0), end + 1))
    return frozenset(codes)


_cmap_lock = threading.Lock()
_cmaps: tuple[frozenset[int], ...] | None = None


def covered_characters() -> tuple[frozenset[int], ...]:
    """Return, per font of ``FONT_FILES``, the code points it draws (read once, then cached).

    Raises OSError or ValueError for a missing or damaged font file.
    """
    global _cmaps
    with _cmap_lock:
        if _cmaps is None:
            _cmaps = tuple(_read_cmap(resource_path("fonts", name)) for name in FONT_FILES)
        return _cmaps


_primary: frozenset[str] | None = None


def _primary_characters() -> frozenset[str]:
    """Characters the first (main) font draws, plus the line break: the fast path for ordinary text."""
    global _primary
    if _primary is None:
        _primary = frozenset(chr(cp) for cp in covered_characters()[0] if cp <= 0xFFFF) | {"\n"}
    return _primary


def _all_primary(text: str) -> bool:
    # A set comparison runs in C: nearly every text is plain Latin, and a per-character Python
    # loop over 30,000 characters of comments was most of the time a PDF took.
    return set(text) <= _primary_characters()


def _font_of(ch: str) -> int | None:
    """Index into ``FONT_FILES`` of the first font that draws ``ch``, or None."""
    cp = ord(ch)
    if cp > 0xFFFF:
        return None  # see the module's docstring: not readable back from reportlab's PDF
    for index, codes in enumerate(covered_characters()):
        if cp in codes:
            return index
    return None


def is_printable(ch: str) -> bool:
    """Tell whether one (already cleaned) character prints as itself."""
    return ch == "\n" or _font_of(ch) is not None or unicodedata.category(ch) == "Zs"


def printable(text: str) -> str:
    """Return cleaned ``text`` with every character no font draws replaced by ``PLACEHOLDER``
    (a blank that no font has becomes a plain space)."""
    if _all_primary(text):
        return text
    out = []
    for ch in text:
        if ch == "\n" or _font_of(ch) is not None:
            out.append(ch)
        elif unicodedata.category(ch) == "Zs":
            out.append(" ")
        else:
            out.append(PLACEHOLDER)
    return "".join(out)


def font_runs(text: str) -> list[tuple[int, str]]:
    """Split printable ``text`` (the result of ``printable``) into (font index, run) pairs.

    Each character takes the first font that draws it; blanks and combining marks stay in the
    font of the character before them when that font has them, so a Chinese sentence with spaces
    is one run and an accent stays with its letter.
    """
    if _all_primary(text):
        return [(0, text)] if text else []
    runs: list[tuple[int, list[str]]] = []
    fonts = covered_characters()
    for ch in text:
        index = _font_of(ch)
        if index is None:
            index = 0  # a line break or a blank: any font will do
        if runs and runs[-1][0] != index and (ch.isspace() or unicodedata.category(ch).startswith("M")):
            if ch.isspace() or ord(ch) in fonts[runs[-1][0]]:
                index = runs[-1][0]
        if runs and runs[-1][0] == index:
            runs[-1][1].append(ch)
        else:
            runs.append((index, [ch]))
    return [(index, "".join(chars)) for index, chars in runs]


def unprintable_characters(*texts: object) -> list[str]:
    """Return the distinct characters of ``texts`` that will print as ``PLACEHOLDER``, in order of
    first appearance (after cleaning: removed control characters are not listed)."""
    seen: dict[str, None] = {}
    for text in texts:
        base = _base(text)
        if _all_primary(base):
            continue
        for ch in base:
            if ch not in seen and not is_printable(ch) and not ch.isspace():
                seen[ch] = None
    return list(seen)


def describe_character(ch: str) -> str:
    """Return e.g. "😀 (U+1F600 GRINNING FACE)"; a combining mark is shown on a dotted circle."""
    name = unicodedata.name(ch, "")
    shown = ch
    category = unicodedata.category(ch)
    if category.startswith("M"):
        shown = "\u25cc" + ch
    elif category in ("Cn", "Co", "Cs", "Cc", "Cf"):
        shown = ""  # nothing useful to show: the code is the description
    code = f"U+{ord(ch):04X}"
    label = f"{code} {name}" if name else code
    return f"{shown} ({label})" if shown else label


# The review's user text ----------------------------------------------------------------------
@dataclass(frozen=True)
class UserText:
    """One user-entered text of a review as the PDF prints it.

    ``key`` follows ``review.Problem.field`` ("employee.name", "competency:<id>", "overall",
    "strengths", ...), so the window can take the user to the field.
    """

    key: str
    label: str
    text: str
    multiline: bool


@dataclass(frozen=True)
class Unprintable:
    """The characters of one field that print as ``PLACEHOLDER``."""

    key: str
    label: str
    characters: tuple[str, ...]

    def sentence(self, limit: int = 12) -> str:
        count = len(self.characters)
        shown = ", ".join(describe_character(ch) for ch in self.characters[:limit])
        if count > limit:
            shown += f" and {count - limit} more"
        noun = "character cannot" if count == 1 else "characters cannot"
        return (
            f"{self.label}: {count} {noun} be printed with the bundled fonts and "
            f"appear{'s' if count == 1 else ''} as {PLACEHOLDER} in the PDF: {shown}."
        )


def user_texts(framework: "Framework", review: "Review") -> list[UserText]:
    """Return every user-entered text the PDF prints, in the order it prints them."""
    from ..review import REVIEW_TYPES, TEXT_SECTIONS, applicable_clusters

    emp = review.employee
    texts = [
        UserText("employee.name", "Employee name", emp.name, False),
        UserText("employee.employee_number", "Employee number", emp.employee_number, False),
        UserText("employee.classification", "Classification / job title", emp.classification, False),
        UserText("employee.location", "Work location", emp.location, False),
        UserText("rater.name", "Rater's name", review.rater.name, False),
        UserText("rater.title", "Rater's title", review.rater.title, False),
        UserText("reviewer.name", "Reviewer's name", review.reviewer.name, False),
        UserText("reviewer.title", "Reviewer's title", review.reviewer.title, False),
    ]
    if review.review_type and review.review_type not in REVIEW_TYPES:  # e.g. from an imported file
        texts.append(UserText("review_type", "Review type", review.review_type, False))
    if review.void_reason:
        texts.append(UserText("void_reason", "Reason for voiding", review.void_reason, False))
    for cluster in applicable_clusters(framework, review):
        for comp in cluster.competencies:
            comment = review.rating(comp.id).comment
            texts.append(UserText(f"competency:{comp.id}", f"Comment on {comp.name}", comment, True))
    texts.append(UserText("overall", "Overall comment", review.overall.comment, True))
    for attr, title in TEXT_SECTIONS.items():
        texts.append(UserText(attr, title, getattr(review, attr, "") or "", True))
    return texts


def unprintable_fields(framework: "Framework", review: "Review") -> list[Unprintable]:
    """Return, per field, the characters that will print as ``PLACEHOLDER`` (fields without any
    are left out)."""
    found = []
    for item in user_texts(framework, review):
        chars = unprintable_characters(item.text)
        if chars:
            found.append(Unprintable(item.key, item.label, tuple(chars)))
    return found


def export_warnings(framework: "Framework", review: "Review") -> list[str]:
    """Return one sentence per field holding characters the PDF cannot print (empty when none)."""
    return [item.sentence() for item in unprintable_fields(framework, review)]
