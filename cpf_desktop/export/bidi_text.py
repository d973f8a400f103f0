"""Right-to-left text (Hebrew, Arabic …) printed in reading order, with Arabic letters joined.

reportlab draws characters left to right in the order they were typed, which mirrors every
right-to-left run and leaves Arabic letters unjoined. Here a text that holds such characters is
wrapped in its logical order (so the first words stay on the first line), each printed line is
then reordered for display (Unicode bidi algorithm, python-bidi) and Arabic is shaped into its
joined forms first (arabic-reshaper). Text without right-to-left characters never comes here.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

RTL_CHARACTERS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def has_rtl(text: str) -> bool:
    return bool(RTL_CHARACTERS.search(text))


@lru_cache(maxsize=1)
def _reshaper():
    """An Arabic shaper that makes only the ligatures our bundled fonts can draw.

    By default arabic-reshaper turns e.g. the name "عبد الله" into U+FDF2 (the ligature ALLAH),
    which no bundled font has: it printed as an empty box, after the unprintable-character check
    (which looks at the typed text) had passed it.
    """
    from arabic_reshaper import ArabicReshaper  # loaded only for text that needs it
    from arabic_reshaper.ligatures import LIGATURES

    from .text import is_printable

    configuration = {name: all(is_printable(form) for form in forms if form)
                     for name, (_, forms) in LIGATURES}
    return ArabicReshaper(configuration=configuration)


def _shaped(line: str) -> str:
    from .text import is_printable

    shaped = _reshaper().reshape(line)
    # Joined letter forms come from DejaVu; should one be missing, print the letters unjoined
    # rather than as a box the missing-character check never saw.
    return shaped if all(is_printable(ch) for ch in shaped if ch not in line) else line


def is_rtl_line(line: str) -> bool:
    """Whether a line's first strong character is right-to-left (its paragraph direction)."""
    from bidi import get_base_level

    return get_base_level(line) == 1 if line.strip() else False


def display_line(line: str, rtl: bool) -> str:
    """One printed line, reordered for display (lines without right-to-left characters unchanged)."""
    if not has_rtl(line):
        return line
    from bidi import get_display

    return get_display(line, base_dir="R" if rtl else "L")


def single_line(line: str) -> str:
    """A one-line text shaped and in display order, for text drawn straight onto the page."""
    if not has_rtl(line):
        return line
    return display_line(_shaped(line), is_rtl_line(line))


def paragraphs(text: str) -> list[tuple[str, bool]]:
    """The logical lines of a cleaned, printable text, shaped: (line, right-to-left?)."""
    return [(_shaped(line) if has_rtl(line) else line, is_rtl_line(line)) for line in text.split("\n")]


def _longest_fitting(word: str, width: float, measure: Callable[[str], float]) -> int:
    """How many leading characters of ``word`` fit in ``width`` (at least one), by bisection."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def wrap_logical(line: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Break one logical line into printed lines no wider than ``width``, in reading order."""
    lines: list[str] = []
    current = ""
    for word in line.split(" "):
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > 1 and measure(word) > width:  # a word wider than the line: cut it
            cut = _longest_fitting(word, width, measure)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    lines.append(current)
    return lines


def wrap(pieces: list[tuple[str, bool]], width: float, measure: Callable[[str], float]) -> list[tuple[str, bool]]:
    """Printed lines, still in reading order, each keeping its paragraph's direction.

    Re-wrapping printed lines at another width only breaks them further, so a split-off part of a
    paragraph can be laid out again without its original text.
    """
    return [(printed, rtl) for line, rtl in pieces for printed in wrap_logical(line, width, measure)]
