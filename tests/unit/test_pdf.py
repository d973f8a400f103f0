"""The review PDF: content read back with pypdf, drafts marked, long text flowing, safe writing."""
from __future__ import annotations

import io
import os
import re
import stat
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from cpf_desktop.export import files as files_module
from cpf_desktop.export.pdf import PdfExportError, para_text, render_review_pdf, write_review_pdf
from cpf_desktop.framework import load_framework
from cpf_desktop.review import Employee, Person, Rating, Review, applicable_competencies

MARKUP_COMMENT = "Tom & Jerry <b>not bold</b>"
ACCENT_COMMENT = "Ñandú café — Nguyễn"
MULTILINE_COMMENT = "First line of the comment.\nSecond line, after a break.\n\nThird, after a blank line."
ACKNOWLEDGMENT = (
    "The employee's signature acknowledges receipt of this review and that it was discussed with the "
    "employee; it does not necessarily indicate agreement."
)
LEVEL_LABELS = {"developing": "Developing", "effective": "Effective", "highly_effective": "Highly Effective"}
LEVEL_CYCLE = ("developing", "effective", "highly_effective")


@pytest.fixture(scope="module")
def framework():
    return load_framework()


def norm(text: str) -> str:
    return " ".join(text.split())


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def all_text(data: bytes) -> str:
    return norm(" ".join(page_texts(data)))


MONTHS = ("January", "February", "March", "April", "May", "June",
          "July", "August", "September", "October", "November", "December")


def long_date(d: date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def body_text(data: bytes, review: Review) -> str:
    """The text of every page without the running header and footer, joined across pages."""
    header = f"Classified Performance Review — {review.employee.name}"
    period = f"Review period: {long_date(review.period_start)} – {long_date(review.period_end)}"
    footer = re.compile(r"Confidential personnel document( · DRAFT — not for signature)? Page \d+ of \d+")
    parts = []
    for text in page_texts(data):
        text = norm(text).replace(header, " ", 1).replace(period, " ", 1)
        parts.append(footer.sub(" ", text))
    return norm(" ".join(parts))


def build_review(framework, *, supervisory=True, final=False) -> tuple[Review, dict[str, Rating]]:
    """A complete review: every applicable competency rated, some with "+", varied comments."""
    review = Review(
        employee=Employee("María-José Nguyễn", "E7654321", "Senior Office Technician", "Local District Central"),
        rater=Person("Pat Rater", "Principal"),
        reviewer=Person("Ana Díaz", "Director, Operations"),
        review_type="annual",
        period_start=date(2024, 7, 1),
        period_end=date(2025, 6, 30),
        supervisory=supervisory,
    )
    comments = [MARKUP_COMMENT, ACCENT_COMMENT, MULTILINE_COMMENT, ""]
    chosen: dict[str, Rating] = {}
    for i, comp in enumerate(applicable_competencies(framework, review)):
        level = LEVEL_CYCLE[i % 3]
        plus = level != "developing" and i % 2 == 0
        rating = Rating(level, plus, comments[i % len(comments)])
        review.ratings[comp.id] = rating
        chosen[comp.id] = rating
    review.overall = Rating("highly_effective", True, "A strong year.\nWell done.")
    review.strengths = "Calm & reliable under pressure."
    review.growth_areas = "Delegating <more> work."
    review.goals = "Finish the records project."
    review.employee_comments = ""
    if final:
        review.status = "final"
        review.finalized_at = datetime(2025, 6, 30, 15, 30)
        review.framework_version = framework.version
    return review, chosen


def leadership_names(framework) -> list[str]:
    return [comp.name for comp in framework.cluster("leadership").competencies]


# Content -------------------------------------------------------------------------------------------------------------
def test_complete_supervisory_review_reads_back(framework):
    review, chosen = build_review(framework, supervisory=True, final=True)
    data = render_review_pdf(framework, review)
    assert data.startswith(b"%PDF-")
    text = all_text(data)

    for comp in applicable_competencies(framework, review):
        assert comp.name in text, comp.name
    for name in leadership_names(framework):
        assert name in text

    # The marks: one box per level per competency, plus the overall rating.
    expected = {label: 0 for label in LEVEL_LABELS.values()}
    expected_plus = 0
    for rating in [*chosen.values(), review.overall]:
        expected[LEVEL_LABELS[rating.level]] += 1
        expected_plus += rating.plus
    for label, count in expected.items():
        assert text.count(f"☒ {label}") == count, label
    assert text.count("☒ +") == expected_plus
    boxes = len(chosen) + 1
    assert text.count("☒ ") + text.count("☐ ") == 4 * boxes

    body = body_text(data, review)
    for comment in (MARKUP_COMMENT, ACCENT_COMMENT, MULTILINE_COMMENT, "A strong year. Well done."):
        assert norm(comment) in body, comment
    assert "Calm & reliable under pressure." in body
    assert "Delegating <more> work." in body

    assert "Classified Performance Review" in text
    assert framework.title in text and framework.source in text
    assert f"Framework version: {framework.version}" in text
    assert "Final — finalized on June 30, 2025" in text
    assert "July 1, 2024 – June 30, 2025" in text
    for heading in ("Strengths", "Areas for growth", "Goals for the next period", "Employee's comments"):
        assert heading in text
    for role in ("Rater", "Reviewer", "Employee"):
        assert role in text
    assert text.count("Signature") >= 3 and text.count("Date") >= 3
    assert ACKNOWLEDGMENT in text
    assert "Page 1 of" in text
    pages = page_texts(data)
    for number, page in enumerate(pages, start=1):
        assert "Confidential personnel document" in page
        assert f"Page {number} of {len(pages)}" in page


def test_markup_in_user_text_is_printed_not_obeyed(framework):
    review, _ = build_review(framework, final=True)
    review.employee = Employee("<i>Eve</i> & Co", "<br/>", "a < b", "x > y")
    data = render_review_pdf(framework, review)
    text = all_text(data)
    for value in ("<i>Eve</i> & Co", "<br/>", "a < b", "x > y"):
        assert value in text


def test_para_text_escapes_and_keeps_line_breaks():
    assert para_text("Tom & Jerry <b>x</b>") == "Tom &amp; Jerry &lt;b&gt;x&lt;/b&gt;"
    assert para_text("one\ntwo\r\nthree\rfour") == "one<br/>two<br/>three<br/>four"
    assert para_text("bell\x07 nul\x00 ok") == "bell nul ok"
    assert para_text(None) == ""


def test_metadata(framework):
    review, _ = build_review(framework)
    review.rater = Person("Pat\x00 Rater", "Principal")
    info = PdfReader(io.BytesIO(render_review_pdf(framework, review))).metadata
    assert info.title == "CPF review — María-José Nguyễn"
    assert info.author == "Pat Rater"


def test_non_supervisory_review_has_no_leadership_competency(framework):
    review, chosen = build_review(framework, supervisory=False, final=True)
    # A stray Leadership rating left over from when the review was supervisory must not print either.
    for comp in framework.cluster("leadership").competencies:
        review.ratings[comp.id] = Rating("effective", False, "stray leadership comment")
    text = all_text(render_review_pdf(framework, review))
    for name in leadership_names(framework):
        assert name not in text, name
    assert "stray leadership comment" not in text
    assert "Leadership cluster: not applicable (non-supervisory review)" in text
    for comp in applicable_competencies(framework, review):
        assert comp.name in text
    assert "Supervisory review No" in text


def test_draft_is_marked_on_every_page_and_final_is_not(framework):
    draft, _ = build_review(framework, final=False)
    pages = page_texts(render_review_pdf(framework, draft))
    assert len(pages) > 1
    for page in pages:
        assert "DRAFT" in page
        assert "not for signature" in page

    final, _ = build_review(framework, final=True)
    for page in page_texts(render_review_pdf(framework, final)):
        assert "DRAFT" not in page
        assert "not for signature" not in page


def test_unrated_draft_shows_empty_boxes_and_blank_lines(framework):
    review = Review()
    data = render_review_pdf(framework, review)
    text = all_text(data)
    assert "☒" not in text
    assert "Reviewer (name, title) —" in text
    assert "Status Draft" in text
    for comp in applicable_competencies(framework, review):
        assert comp.name in text


def test_long_comment_flows_over_pages(framework):
    review, _ = build_review(framework, final=True)
    words = ["Lorem", "ipsum", "dolor", "sit", "amet,", "Ñandú", "&", "<café>", "consectetur", "adipiscing."]
    long_comment = " ".join(words[i % len(words)] + str(i) for i in range(3000))[:20000]
    assert len(long_comment) == 20000
    first = framework.competencies()[0]
    review.ratings[first.id] = Rating("effective", True, long_comment)
    review.employee_comments = long_comment
    data = render_review_pdf(framework, review)
    assert len(PdfReader(io.BytesIO(data)).pages) >= 10
    body = body_text(data, review)
    assert body.count(norm(long_comment)) == 2


def test_unbreakable_text_and_huge_fields_do_not_fail(framework):
    review, _ = build_review(framework, final=False)
    review.employee = Employee("N" * 5000, "1" * 5000, "C " * 3000, "L" * 5000)
    review.rater = Person("R" * 5000, "T" * 5000)
    review.ratings[framework.competencies()[0].id] = Rating("developing", False, "W" * 20000)
    review.overall = Rating("effective", False, "emoji 😀 and CJK 中文 and a lone \ud800 surrogate")
    data = render_review_pdf(framework, review)
    assert len(PdfReader(io.BytesIO(data)).pages) > 1


# Writing -------------------------------------------------------------------------------------------------------------
def test_write_review_pdf(framework, tmp_path):
    review, _ = build_review(framework, final=True)
    target = tmp_path / "review.pdf"
    write_review_pdf(framework, review, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.pdf"]
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(data)).pages) > 1
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600

    # Writing again replaces the file.
    review.strengths = "Replaced text."
    write_review_pdf(framework, review, str(target))
    assert "Replaced text." in all_text(target.read_bytes())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.pdf"]


def test_target_open_elsewhere_keeps_old_file(framework, tmp_path, monkeypatch):
    review, _ = build_review(framework, final=True)
    target = tmp_path / "review.pdf"
    target.write_bytes(b"old file")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files_module.os, "replace", refuse)
    with pytest.raises(PdfExportError) as info:
        write_review_pdf(framework, review, target)
    message = str(info.value)
    assert str(target) in message and "open in another program" in message
    assert target.read_bytes() == b"old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.pdf"]


def test_failed_write_removes_temp_file(framework, tmp_path, monkeypatch):
    review, _ = build_review(framework, final=True)
    target = tmp_path / "review.pdf"

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files_module.os, "fsync", full_disk)
    with pytest.raises(PdfExportError, match="No space left on device"):
        write_review_pdf(framework, review, target)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder(framework, tmp_path):
    review, _ = build_review(framework)
    with pytest.raises(PdfExportError, match="does not exist"):
        write_review_pdf(framework, review, tmp_path / "nowhere" / "review.pdf")


def test_folder_refusing_temp_file(framework, tmp_path, monkeypatch):
    review, _ = build_review(framework)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files_module.tempfile, "NamedTemporaryFile", refuse)
    with pytest.raises(PdfExportError, match="read-only"):
        write_review_pdf(framework, review, tmp_path / "review.pdf")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user")
def test_read_only_folder(framework, tmp_path):
    review, _ = build_review(framework)
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(PdfExportError) as info:
            write_review_pdf(framework, review, folder / "review.pdf")
        assert str(folder / "review.pdf") in str(info.value)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_long_header_fields_are_printed_whole(framework):
    """A 500-character field is not cut: the header flows over lines (and pages) instead."""
    review, _ = build_review(framework, final=False)
    words = " ".join(f"Custodian{i}" for i in range(50))  # about 550 characters
    review.employee = Employee("Rosa Martínez", "E1", words, "Roosevelt High School")
    text = norm(all_text(render_review_pdf(framework, review)))
    assert norm(words) in text
    assert "…" not in text


# Any language --------------------------------------------------------------------------------------------------------
def test_cjk_prints_in_every_kind_of_text(framework):
    """Chinese, Japanese and Korean print with the bundled fallback font, in the body, the running
    header (drawn on the canvas, not a Paragraph) and the metadata."""
    review, _ = build_review(framework, final=True)
    review.employee = Employee("王小明 김민준 やまだ", "E1", "Custodian", "洛杉矶")
    review.rater = Person("Kim\x1b[31m 김\x00", "Principal")
    review.strengths = "沟通能力强。\n한국어 평가 의견입니다。"
    data = render_review_pdf(framework, review)
    pages = page_texts(data)
    for number, page in enumerate(pages, start=1):
        assert norm(page).startswith("Classified Performance Review — 王小明 김민준 やまだ"), number
    text = all_text(data)
    assert "沟通能力强。 한국어 평가 의견입니다。" in text
    assert "\ufffd" not in text
    info = PdfReader(io.BytesIO(data)).metadata
    assert info.title == "CPF review — 王小明 김민준 やまだ"
    assert info.author == "Kim 김"


def test_unprintable_characters_show_the_placeholder(framework):
    review, _ = build_review(framework, final=True)
    review.employee = Employee("Ana 😀 López")
    review.goals = "Thai สวัสดี and 👍🏽"
    text = all_text(render_review_pdf(framework, review))
    assert "Classified Performance Review — Ana \ufffd López" in text
    assert "Thai \ufffd\ufffd\ufffd\ufffd\ufffd\ufffd and \ufffd\ufffd" in text


def test_missing_font_file_is_a_sentence(framework, monkeypatch, tmp_path):
    from cpf_desktop.export import pdf, text

    monkeypatch.setattr(pdf, "_fonts_ready", False)
    monkeypatch.setattr(text, "_cmaps", None)
    monkeypatch.setattr(pdf, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    review, _ = build_review(framework)
    with pytest.raises(PdfExportError, match="missing or damaged"):
        render_review_pdf(framework, review)
