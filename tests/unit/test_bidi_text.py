"""Right-to-left text in the PDF: display order, joined Arabic, wrapping in reading order."""
from __future__ import annotations

import io
import unicodedata
from collections import Counter
from dataclasses import replace

from pypdf import PdfReader

from cpf_desktop.export import bidi_text
from cpf_desktop.export.pdf import BidiParagraph, render_review_pdf, user_paragraph
from cpf_desktop.review import Employee, Review

HEBREW_HELLO = "שלום"
ARABIC_HELLO = "مرحبا"


def test_hebrew_line_is_reversed_for_display():
    assert bidi_text.display_line(HEBREW_HELLO, rtl=True) == HEBREW_HELLO[::-1]


def test_latin_and_digits_inside_hebrew_keep_their_own_order():
    shown = bidi_text.single_line(f"{HEBREW_HELLO} English 123")
    assert "English" in shown and "123" in shown
    assert shown.endswith(HEBREW_HELLO[::-1])  # a right-to-left line reads from the right


def test_left_to_right_text_never_changes():
    text = "Rosa Martínez & <co>"
    assert not bidi_text.has_rtl(text)
    assert bidi_text.single_line(text) == text
    assert bidi_text.display_line(text, rtl=False) == text


def test_arabic_is_joined_and_unjoins_to_the_same_letters():
    [(shaped, rtl)] = bidi_text.paragraphs(ARABIC_HELLO)
    assert rtl
    assert shaped != ARABIC_HELLO
    assert all("\ufe70" <= ch <= "\ufeff" for ch in shaped)  # presentation (joined) forms
    assert unicodedata.normalize("NFKC", shaped) == ARABIC_HELLO


def test_paragraph_direction_follows_the_first_strong_character():
    assert bidi_text.is_rtl_line(f"{HEBREW_HELLO} abc")
    assert not bidi_text.is_rtl_line(f"abc {HEBREW_HELLO}")
    assert not bidi_text.is_rtl_line("   ")


def test_wrapping_keeps_reading_order_and_every_character():
    words = [f"{HEBREW_HELLO}{i}" for i in range(40)]
    line = " ".join(words)
    measure = len  # one unit per character: easy to reason about
    printed = bidi_text.wrap_logical(line, 30, measure)
    assert len(printed) > 1
    assert all(measure(p) <= 30 for p in printed)
    assert printed[0].startswith(words[0])  # the first words stay on the first line
    assert " ".join(printed).split(" ") == words


def test_a_word_wider_than_the_line_is_cut_not_lost():
    word = HEBREW_HELLO * 20
    printed = bidi_text.wrap_logical(word, 7, len)
    assert "".join(printed) == word
    assert all(len(p) <= 7 for p in printed)


def test_rtl_text_takes_the_bidi_flowable_and_other_text_does_not(framework):
    from cpf_desktop.export.pdf import _styles, register_fonts

    register_fonts()
    style = _styles()["comment"]
    assert isinstance(user_paragraph(HEBREW_HELLO, style), BidiParagraph)
    assert not isinstance(user_paragraph("plain", style), BidiParagraph)


def test_a_long_hebrew_comment_flows_over_pages_with_nothing_lost(framework):
    sentence = "העובד מגיע בזמן ועוזר לעמיתים בכל יום. "
    long_text = sentence * 600  # about 24,000 characters: several pages
    review = replace(Review(employee=Employee(name="דוד כהן")), strengths=long_text)
    data = render_review_pdf(framework, review)
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 4
    hebrew = Counter(ch for ch in long_text if "\u0590" <= ch <= "\u05ff")
    got = Counter(ch for ch in text if "\u0590" <= ch <= "\u05ff")
    # Every letter of the comment is printed (the name in the header and footer adds a few more).
    assert all(got[ch] >= n for ch, n in hebrew.items())


def test_shaping_never_makes_a_character_no_bundled_font_draws():
    """"عبد الله" became U+FDF2 (ligature ALLAH), printed as a box that no warning had named."""
    from arabic_reshaper.ligatures import LIGATURES

    from cpf_desktop.export.bidi_text import _shaped
    from cpf_desktop.export.text import is_printable

    words = ["عبد الله", "لا", "محمد صلى الله عليه وسلم"] + [match for _, (match, _) in LIGATURES]
    for word in (w for w in words if all(is_printable(ch) for ch in w)):  # the others are reported as typed
        shaped = _shaped(word)
        assert all(is_printable(ch) for ch in shaped), (word, [hex(ord(ch)) for ch in shaped])
    assert _shaped("لا") == "\ufefb"  # the ligatures the fonts have are still made: lam-alef
