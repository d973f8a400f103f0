"""Hostile text in every user field of the PDF: it exports, prints as typed, and what cannot print is named.

Each case of ``CORPUS`` goes into every user field of one review (header fields, every competency
comment, the overall comment, the narrative sections), each copy between two ASCII tags, so the
text read back from the PDF can be compared field by field. The very long cases go into a
representative set of fields instead (a header field, a competency comment, the overall comment
and the employee's comments) to keep the run short.

The oracle is independent of ``cpf_desktop.export.text``: a character prints as itself when it is
in the Basic Multilingual Plane and reportlab's own character map of DejaVu Sans or Droid Sans
Fallback has it; otherwise it prints as U+FFFD and must be reported. Cases whose control or
invisible characters are removed say what prints in ``PRINTED`` and what is reported in
``REPORTED``.

Comparisons ignore whitespace: line breaks chosen by the layout (and the spaces pypdf guesses at
font changes) are not content. pypdf reverses runs of Hebrew and Arabic (it assumes a PDF stores
them in visual order; ours are in logical order, see ``cpf_desktop/export/text.py``), so for
those cases the characters are compared as a multiset.
"""
from __future__ import annotations

import io
import re
import string
import unicodedata
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFont

from cpf_desktop.export.pdf import (
    FONT,
    PLACEHOLDER,
    export_warnings,
    para_text,
    render_review_pdf,
    unprintable_characters,
)
from cpf_desktop.export.text import (
    FONT_FILES,
    clean_block,
    clean_line,
    covered_characters,
    describe_character,
    unprintable_fields,
    user_texts,
)
from cpf_desktop.review import TEXT_SECTIONS, Employee, Person, Rating, Review

FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"

# The corpus -----------------------------------------------------------------------------------------------------------
LONG_WORDS = ["Lorem", "ipsum", "Ñandú", "&", "<café>", "Nguyễn", "Привет", "Բարև", "안녕", "中文", "דוד", "“q”"]
LONG_COMMENT = " ".join(LONG_WORDS[i % len(LONG_WORDS)] + str(i) for i in range(3000))[:20000]
EMAIL = (
    "From: Ana López <ana.lopez@example.org>\r\n"
    "Sent: Monday, May 5, 2025 9:14 AM\r\n"
    "To: Pat Rater <pat@example.org>; \"Kim, D.\" <dkim@example.org>\r\n"
    "Subject: RE: Review & next steps [#1234]\r\n"
    "\r\n"
    "Hi Pat,\r\n"
    "\r\n"
    "> On Fri, May 2, 2025 at 4:01 PM Pat wrote:\r\n"
    ">> Please see the <attached> notes & let me know.\r\n"
    ">> -- \r\n"
    "> Thanks!\r\n"
    "\r\n"
    "Regards,\r\n"
    "Ana\r\n"
)
ZALGO = "Z\u0337\u0322\u031b\u032e\u031e\u0344a\u0338\u0321\u0319\u0313l\u0336\u0330\u0308g\u0335\u0331\u0344o\u0334\u0318\u035d"

CORPUS: list[tuple[str, str]] = [
    # reportlab markup and XML
    ("markup bold", "<b>not bold</b> <i>not italic</i> <u>not underlined</u>"),
    ("markup para close", "</para><para fontSize=40>x</para>"),
    ("markup font", '<font name="Courier" size="40" color="red">big?</font>'),
    ("entity escapes", "&amp; &lt; &gt; &quot; &apos; &#39;"),
    ("numeric entities", "&#x41;&#65; &#x1F600; &#0; &#xD800;"),
    ("named entities", "&nbsp;&copy;&bull;&unknown;"),
    ("br tag", "one<br/>two<br>three<br />four"),
    ("img tag", '<img src="/etc/passwd" width="1000" height="1000"/>'),
    ("link tags", '<a href="javascript:alert(1)">click</a> <link href="http://x">y</link> <a name="n"/>'),
    ("angle runs", "<<<>>> <> < > a<b c>d"),
    ("unclosed tags", "<b><i><u>unclosed <font <para"),
    ("ampersand alone", "Tom & Jerry & & && &;"),
    ("cdata comment pi", "<![CDATA[x]]> <!-- comment --> <?xml version='1.0'?> <!DOCTYPE x>"),
    ("pdf syntax", r"C:\Users\new\table (1) \(x\) ) ( %PDF-1.4 endobj /Type /Page << >> BT ET"),
    ("punctuation soup", "100% #1 $5 @home ~ ^ ` | {} [] ; : ? ! * + = _ -"),
    ("injection", "'; DROP TABLE reviews;-- $(rm -rf /) `id` {{7*7}} ${x} %s %n"),
    # quotes and apostrophes
    ("straight quotes", "She said \"it's fine\" — O'Brien's 'draft'"),
    ("curly quotes", "“Curly” ‘single’ „German“ «guillemets» ‹angle› ‚low‘ ′prime″"),
    # accents
    ("spanish", "Peña Ñandú, José María Castaño-Ibáñez — ¿Qué pasó? ¡Olé! Güell"),
    ("french", "Élodie Lefèvre-Dubois, cœur, naïve, garçon, Œuvre, « déjà vu »"),
    ("vietnamese", "Nguyễn Thị Ánh Tuyết, Trần Quốc Bảo, Phạm Hồng Đức — ặ ẫ ẩ ậ ỡ ự ỹ"),
    ("vietnamese decomposed", "Nguye\u0302\u0303n Thi\u0323 A\u0301nh"),
    # scripts
    ("russian", "Съешь же ещё этих мягких французских булок, да выпей чаю. Ёлка ЯЩЪ"),
    ("armenian", "Բարև ձեզ, Արամ Խաչատրյան։ Հայաստան, Երևան"),
    ("korean", "김민준 선생님, 안녕하세요. 한국어 평가 의견입니다."),
    ("chinese simplified", "王小明的工作表现很好，沟通能力强。"),
    ("chinese traditional", "陳大文的工作表現優異，溝通能力強。"),
    ("japanese", "山田太郎さんはとても真面目です。カタカナ、ひらがな、漢字。"),
    ("greek", "Καλημέρα, Γιώργος Παπαδόπουλος — ΑΒΓΔ αβγδ ς"),
    ("hebrew", "שלום, דוד כהן"),
    ("arabic", "مرحبا، محمد علي"),
    ("tagalog", "Magandang umaga po, Ginang dela Cruz! Salamat sa inyong tulong. Ñ ng mga"),
    ("thai", "สวัสดีครับ"),
    ("mixed scripts", "José 김 Ли 王 Արամ Nguyễn Γιώργος דוד"),
    ("fullwidth and ideographic space", "ＡＢＣ\u3000１２３、「引用」"),
    ("symbols", "∑ ∞ ≠ ≤ ≥ → ← € £ ¥ © ® ™ ° ½ ☐ ☒ ✓"),
    # emoji
    ("emoji", "Great job 😀👍"),
    ("emoji zwj family", "👨\u200d👩\u200d👧\u200d👦 family"),
    ("emoji flags", "🇺🇸 🇲🇽 🇵🇭"),
    ("emoji skin tones", "👍🏽 👋🏿"),
    ("emoji in the bmp", "☺ ☹ ☀ ✔ ♥ ★ ❤\ufe0f"),
    # combining marks
    ("combining acute", "Jose\u0301 Mari\u0301a n\u0303 a\u0300"),
    ("zalgo", ZALGO),
    ("lone combining mark", "\u0301 starts with a mark"),
    # right to left with left to right inside
    ("hebrew with numbers", "הזמנה מספר 12345 בתאריך 2024-05-01 OK"),
    ("arabic with latin", "الموظف John Smith رقم 42"),
    # control and invisible characters
    ("nul", "before\x00after"),
    ("bell and backspace", "ding\x07 back\x08space"),
    ("form feed", "page one\x0cpage two"),
    ("ansi escapes", "\x1b[31mred\x1b[0m normal \x1b]0;title\x07done \x1b(B."),
    ("delete and c1", "a\x7fb\x85c\x90d"),
    ("zero width", "zero\u200bwidth\u200c non\u200djoiner\u2060s"),
    ("byte order mark", "\ufeffBOM at start and\ufeff inside"),
    ("bidi controls", "\u202eevil\u202c \u200eLRM\u200f \u2066iso\u2069"),
    ("lone surrogate", "half \ud83d pair"),
    ("noncharacters and private use", "\ufdd0\uffff x \ue000"),
    ("unassigned", "\u0378\u0379 code points"),
    ("soft hyphen", "super\u00adcali\u00adfragilistic"),
    # length
    ("long comment 20000", LONG_COMMENT),
    ("long word 500", "Supercalifragilistic" * 25),
    ("long cjk", "王小明的工作表现很好沟通能力强" * 200),
    ("header 500", " ".join(f"Custodian{i}" for i in range(50))[:500]),
    # emptiness and whitespace
    ("empty", ""),
    ("whitespace only", "   \t  \u00a0 \u3000 "),
    ("newlines only", "\n\n\n\r\n"),
    ("tabs", "col1\tcol2\t\tcol3\n\tindented"),
    ("crlf", "line one\r\nline two\r\n\r\nline four\rline five"),
    ("leading and trailing blanks", "   padded value   "),
    ("pasted email", EMAIL),
]

# What prints when it is not the text itself (controls and invisible characters removed).
PRINTED = {
    "nul": "beforeafter",
    "bell and backspace": "ding backspace",
    "form feed": "page one\npage two",
    "ansi escapes": "red normal done .",
    "delete and c1": "ab\ncd",
    "zero width": "zerowidth nonjoiners",
    "byte order mark": "BOM at start and inside",
    "bidi controls": "evil LRM iso",
    "lone surrogate": "half  pair",
    "noncharacters and private use": f" x {PLACEHOLDER}",
    "emoji zwj family": f"{PLACEHOLDER * 4} family",
    "emoji in the bmp": "☺ ☹ ☀ ✔ ♥ ★ ❤",
    "soft hyphen": "supercalifragilistic",
}
# What is reported when it is not simply every unprintable character of the text.
REPORTED = {
    "emoji zwj family": ["👨", "👩", "👧", "👦"],
    "noncharacters and private use": ["\ue000"],
}
LONG_CASES = {"long comment 20000", "long word 500", "long cjk", "header 500"}
RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")  # the runs pypdf reverses

assert len(CORPUS) >= 40
assert len({name for name, _ in CORPUS}) == len(CORPUS)
assert set(PRINTED) <= {name for name, _ in CORPUS} and set(REPORTED) <= {name for name, _ in CORPUS}


# The oracle -----------------------------------------------------------------------------------------------------------
def _reportlab_cover() -> frozenset[int]:
    codes: set[int] = set()
    for name in FONT_FILES:
        face = TTFont(f"oracle-{name}", str(FONTS / name)).face
        codes.update(c for c, g in face.charToGlyph.items() if g)
    return frozenset(codes)


COVER = _reportlab_cover()


def drawable(ch: str) -> bool:
    return ord(ch) <= 0xFFFF and ord(ch) in COVER


def printed(name: str, text: str) -> str:
    """What the PDF shows for ``text``, before whitespace normalisation."""
    if name in PRINTED:
        return PRINTED[name]
    text = unicodedata.normalize("NFC", text)
    return "".join(ch if ch.isspace() or drawable(ch) else PLACEHOLDER for ch in text)


def reported(name: str, text: str) -> list[str]:
    if name in REPORTED:
        return REPORTED[name]
    if name in PRINTED:
        return []  # the removed characters are not reported
    found: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if not ch.isspace() and not drawable(ch) and ch not in found:
            found.append(ch)
    return found


def squash(text: str) -> str:
    """Whitespace normalisation for comparing: line breaks and blanks are layout, not content."""
    return "".join(text.split())


# Reviews and read-back ------------------------------------------------------------------------------------------------
HEADER_KEYS = (
    "employee.name", "employee.employee_number", "employee.classification", "employee.location",
    "rater.name", "rater.title", "reviewer.name", "reviewer.title",
)
SECTION_KEYS = tuple(TEXT_SECTIONS)


def all_keys(framework) -> tuple[str, ...]:
    comments = tuple(f"competency:{comp.id}" for comp in framework.competencies())
    return HEADER_KEYS + comments + ("overall",) + SECTION_KEYS


def representative_keys(framework) -> tuple[str, ...]:
    return ("employee.classification", f"competency:{framework.competencies()[0].id}", "overall", "employee_comments")


def make_review(framework, values: dict[str, str], *, final: bool = True) -> Review:
    """A supervisory review (every competency applies) holding ``values`` by field key."""
    get = values.get
    review = Review(
        employee=Employee(get("employee.name", ""), get("employee.employee_number", ""),
                          get("employee.classification", ""), get("employee.location", "")),
        rater=Person(get("rater.name", ""), get("rater.title", "")),
        reviewer=Person(get("reviewer.name", ""), get("reviewer.title", "")),
        review_type="annual",
        period_start=date(2024, 7, 1),
        period_end=date(2025, 6, 30),
        supervisory=True,
    )
    for i, comp in enumerate(framework.competencies()):
        review.ratings[comp.id] = Rating(("developing", "effective", "highly_effective")[i % 3], False,
                                         get(f"competency:{comp.id}", ""))
    review.overall = Rating("effective", True, get("overall", ""))
    for key in SECTION_KEYS:
        setattr(review, key, get(key, ""))
    if final:  # no watermark to read back; no content hash, so no verification code either
        review.status = "final"
        review.finalized_at = datetime(2025, 6, 30, 15, 30)
    return review


# The body of a page lies between the running header (0.55 in from the top) and the footer (0.5 in).
BODY_TOP = 792 - 0.7 * 72
BODY_BOTTOM = 0.65 * 72


def body_text(data: bytes) -> str:
    """The text of every page without its running header and footer, pages joined in order."""
    parts: list[str] = []

    def keep(text, cm, tm, font, size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if BODY_BOTTOM < y < BODY_TOP:
            parts.append(text)

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=keep)
        parts.append("\n")
    return "".join(parts)


def tags(index: int) -> tuple[str, str]:
    """ASCII around a field's text: nothing in the corpus is made of it, and a digit composes with
    no combining mark (a letter might: "B" + U+0307 is "Ḃ" in NFC)."""
    code = string.ascii_lowercase[index // 26] + string.ascii_lowercase[index % 26]
    return f"QZX{code}0", f"QZX{code}9"


def tagged_values(keys, texts) -> dict[str, str]:
    values = {}
    for index, (key, text) in enumerate(zip(keys, texts)):
        start, end = tags(index)
        values[key] = f"{start}{text}{end}"
    return values


def read_fields(data: bytes, keys) -> dict[str, list[str]]:
    """Every printed copy of each field's text (the signature block repeats the names)."""
    body = squash(body_text(data))
    found = {}
    for index, key in enumerate(keys):
        start, end = tags(index)
        found[key] = re.findall(re.escape(start) + "(.*?)" + re.escape(end), body)
    return found


def same_text(got: str, expected: str) -> bool:
    if RTL.search(expected):
        # Right-to-left lines are printed in display order with Arabic in its joined (presentation)
        # forms; pypdf's guess at reading order varies, so compare the letters, unjoined by NFKC.
        return Counter(unicodedata.normalize("NFKC", got)) == Counter(unicodedata.normalize("NFKC", expected))
    return got == expected


# The corpus, field by field -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, text", CORPUS, ids=[name for name, _ in CORPUS])
def test_hostile_text_in_every_field(framework, name, text):
    keys = representative_keys(framework) if name in LONG_CASES else all_keys(framework)
    review = make_review(framework, tagged_values(keys, [text] * len(keys)))

    data = render_review_pdf(framework, review)

    assert data.startswith(b"%PDF-")
    expected = squash(printed(name, text))
    for key, copies in read_fields(data, keys).items():
        assert copies, f"{name}: the text of {key} is not in the PDF"
        for got in copies:
            assert same_text(got, expected), f"{name} in {key}: printed {got[:200]!r}, expected {expected[:200]!r}"

    want = reported(name, text)
    by_field = {item.key: list(item.characters) for item in unprintable_fields(framework, review)}
    assert by_field == ({key: want for key in keys} if want else {}), name
    assert unprintable_characters(*(t.text for t in user_texts(framework, review))) == want
    warnings = export_warnings(framework, review)
    assert len(warnings) == (len(keys) if want else 0)
    for sentence in warnings:
        assert f"appear{'s' if len(want) == 1 else ''} as {PLACEHOLDER}" in sentence
        for ch in want[:12]:
            assert f"U+{ord(ch):04X}" in sentence


def test_every_review_text_field_is_checked(framework):
    """A new text field on the review must be added to user_texts (and so to the warnings)."""
    import dataclasses

    review = make_review(framework, {key: f"<{key}>" for key in all_keys(framework)}, final=False)
    review.void_reason = "voided"
    keys = {t.key for t in user_texts(framework, review)}
    assert set(all_keys(framework)) | {"void_reason"} <= keys
    for holder, prefix in ((review.employee, "employee."), (review.rater, "rater."), (review.reviewer, "reviewer.")):
        for f in dataclasses.fields(holder):
            assert prefix + f.name in keys
    # Text the program itself writes, or picks from a fixed list, is not user text.
    not_user_text = {"status", "framework_version", "content_hash", "review_type"}
    text_attrs = {f.name for f in dataclasses.fields(Review) if "str" in str(f.type) and "dict" not in str(f.type)}
    assert text_attrs - not_user_text <= keys, text_attrs - not_user_text - keys
    review.review_type = "imported <odd> type"
    assert "review_type" in {t.key for t in user_texts(framework, review)}


# Warnings for the window and the command line -------------------------------------------------------------------------
def test_warning_sentence_names_field_and_characters(framework):
    review = make_review(framework, {"overall": "Great 😀 year 中文 𠮷 ok 😀"}, final=False)
    comp = framework.competencies()[2]
    review.ratings[comp.id] = Rating("effective", False, "ok")
    warnings = export_warnings(framework, review)
    assert warnings == [
        "Overall comment: 2 characters cannot be printed with the bundled fonts and appear as \ufffd in the PDF: "
        "😀 (U+1F600 GRINNING FACE), 𠮷 (U+20BB7 CJK UNIFIED IDEOGRAPH-20BB7)."
    ]
    review.employee = Employee("Ana ☃ López 🙂")
    assert export_warnings(framework, review)[0] == (
        "Employee name: 1 character cannot be printed with the bundled fonts and appears as \ufffd in the PDF: "
        "🙂 (U+1F642 SLIGHTLY SMILING FACE)."
    )


def test_warning_lists_at_most_twelve_characters(framework):
    many = "".join(chr(0x1F600 + i) for i in range(20))
    review = make_review(framework, {"goals": many}, final=False)
    (sentence,) = export_warnings(framework, review)
    assert sentence.startswith("Goals for the next period: 20 characters cannot be printed")
    assert sentence.endswith(" and 8 more.")


def test_no_warnings_for_printable_review(framework):
    values = {key: "Nguyễn 王小明 김민준 Խաչատրյան Ёлка" for key in all_keys(framework)}
    assert export_warnings(framework, make_review(framework, values)) == []


def test_describe_character():
    assert describe_character("😀") == "😀 (U+1F600 GRINNING FACE)"
    assert describe_character("\u0360") == "\u25cc\u0360 (U+0360 COMBINING DOUBLE TILDE)"
    assert describe_character("\ue000") == "U+E000"
    assert describe_character("\u0378") == "U+0378"


def test_write_review_pdf_returns_the_warnings(framework, tmp_path):
    from cpf_desktop.export.pdf import write_review_pdf

    review = make_review(framework, {"strengths": "Team player 🤝"})
    warnings = write_review_pdf(framework, review, tmp_path / "r.pdf")
    assert warnings == export_warnings(framework, review) and len(warnings) == 1
    assert "U+1F91D" in warnings[0]
    assert write_review_pdf(framework, make_review(framework, {}), tmp_path / "s.pdf") == []


# Cleaning rules -------------------------------------------------------------------------------------------------------
def test_clean_line_trims_and_folds():
    assert clean_line("   padded value   ") == "padded value"
    assert clean_line(" a\tb\r\nc\n\nd\x0ce ") == "a b c d e"
    assert clean_line("\x1b[1mbold\x1b[0m\x00") == "bold"
    assert clean_line(" \u3000\u00a0 ") == ""
    assert clean_line(None) == ""


def test_clean_block_keeps_lines_and_blank_lines():
    assert clean_block("\n\n  first\t x  \r\n\r\n\r\nfourth\n\n \n") == "  first     x\n\n\nfourth"
    assert clean_block("a\u2028b\u2029c\x85d\x0be") == "a\nb\nc\nd\ne"
    assert clean_block("   \n\t\n") == ""


def test_para_text_blank_lines_tabs_and_fonts():
    assert para_text("a\n\nb") == "a<br/><br/>b"
    assert para_text("a\tb") == "a\u00a0\u00a0\u00a0 b"
    assert para_text("\tx") == "\u00a0\u00a0\u00a0\u00a0x"
    assert para_text("a  b") == "a\u00a0 b"
    assert para_text("Kim 김민준 & 王") == 'Kim <font face="CPF-DroidSansFallback">김민준 </font>&amp; <font face="CPF-DroidSansFallback">王</font>'
    assert para_text("😀 <b>") == f"{PLACEHOLDER} &lt;b&gt;"


def test_blank_line_is_printed_as_an_empty_line(framework):
    """A double line break leaves one empty line: two leadings between the lines, not one."""
    review = make_review(framework, {"strengths": "Alphaline\nBetaline\n\nGammaline"})
    positions: dict[str, float] = {}

    def visit(text, cm, tm, font, size):
        for word in ("Alphaline", "Betaline", "Gammaline"):
            if word in text:
                positions[word] = tm[5] * cm[3] + cm[5]

    for page in PdfReader(io.BytesIO(render_review_pdf(framework, review))).pages:
        positions.clear()
        page.extract_text(visitor_text=visit)
        if len(positions) == 3:
            break
    step = positions["Alphaline"] - positions["Betaline"]
    assert step > 5
    assert positions["Betaline"] - positions["Gammaline"] == pytest.approx(2 * step, abs=0.5)


def test_fonts_character_maps_match_reportlab():
    """text.py reads the fonts' character maps itself (no reportlab); it must agree with reportlab."""
    ours = covered_characters()
    for name, codes in zip(FONT_FILES, ours):
        face = TTFont(f"check-{name}", str(FONTS / name)).face
        assert codes == {c for c, g in face.charToGlyph.items() if g}, name


def test_bundled_fonts_cover_the_district_languages():
    text = " ".join(t for n, t in CORPUS if n in {
        "spanish", "french", "vietnamese", "russian", "armenian", "korean", "chinese simplified",
        "chinese traditional", "japanese", "greek", "hebrew", "arabic", "tagalog",
    })
    assert unprintable_characters(text) == []
    assert FONT  # DejaVu is the first font


def test_signature_block_stays_on_one_page(framework):
    """Whatever pushes it near a page end, the signature block is never split."""
    for lines in range(0, 64, 9):
        review = make_review(framework, {"employee_comments": "\n".join(f"Line {i}" for i in range(lines))})
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(render_review_pdf(framework, review))).pages]
        holding = [i for i, page in enumerate(pages) if "acknowledges receipt" in page]
        assert len(holding) == 1
        page = pages[holding[0]]
        assert "Signatures" in page and page.count("Signature") >= 4 and page.count("Date") >= 3, lines
        assert "Rater" in page and "Reviewer" in page and "Employee" in page
