"""Batch export: 20 finalized reviews give 20 correct PDFs (or one combined PDF); cancel leaves no partial file."""
import io
from datetime import date

import pytest
from pypdf import PdfReader

from builders import complete_review
from cpf_desktop.app import main
from cpf_desktop.export import batch as batch_module
from cpf_desktop.export.batch import BatchError, export_batch, review_file_name
from cpf_desktop.review import FINAL, Employee
from cpf_desktop.storage import open_store

NAMES = [
    "Rosa Martínez", "Daniel Okafor", "Mei-Ling Chen", "José Hernández", "Aaliyah Johnson", "Tuan Nguyen",
    "Karen O'Brien", "Samuel Abebe", "Guadalupe Ramírez", "Priya Natarajan", "Robert Kowalski", "Fatima Al-Sayed",
    "Ana López", "Kim Soo-jin", "Maria Lopez-Garcia", "Olu Adeyemi", "Grace Park", "Luis Ortega", "Nina Petrova",
    "Omar Haddad",
]


def text_of(data_or_path) -> str:
    source = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path
    return "\n".join(page.extract_text() for page in PdfReader(source).pages)


def store_finalized(store, framework, names, supervisory=lambda i: i % 2 == 0):
    ids = []
    for i, name in enumerate(names):
        review = complete_review(framework, supervisory=supervisory(i))
        review.employee = Employee(name, f"E{700000 + i}", "Custodian", "Roosevelt High School")
        review.status = FINAL
        ids.append(store.create(review, framework).id)
    return ids


@pytest.fixture(scope="module")
def twenty(framework, tmp_path_factory):
    """A data folder with 20 finalized reviews, exported once into a folder and a combined file."""
    root = tmp_path_factory.mktemp("batch")
    store = open_store(root / "data")
    ids = store_finalized(store, framework, NAMES)
    calls = []
    out = root / "out"
    out.mkdir()
    result = export_batch(framework, ids, load=store.get, folder=out, combined=root / "all.pdf",
                          progress=lambda done, total, name: calls.append((done, total, name)) or True)
    yield store, ids, result, out, root / "all.pdf", calls
    store.close()


def test_twenty_reviews_give_twenty_correct_pdfs(twenty):
    store, ids, result, out, combined, calls = twenty
    assert result.ok and not result.skipped and not result.failed
    files = sorted(out.iterdir())
    assert len(files) == 20 and len(result.files) == 20
    assert {f.name for f in files} == {review_file_name(store.get(i)) for i in ids}
    for review_id in ids:
        review = store.get(review_id)
        path = out / review_file_name(review)
        text = text_of(path)
        assert review.employee.name in text and review.employee.employee_number in text
        assert "DRAFT" not in text and "Page 1 of" in text
        assert path.stat().st_mode & 0o777 == 0o600
    # progress: before each review, then once at the end
    assert [c[0] for c in calls] == list(range(21)) and all(c[1] == 20 for c in calls)
    assert calls[0][2] == store.get(ids[0]).employee.name and calls[-1][2] == ""


def test_combined_pdf_holds_every_page_and_each_review_keeps_its_page_numbers(twenty):
    store, ids, result, out, combined, calls = twenty
    per_file = {p.name: len(PdfReader(p).pages) for p in out.iterdir()}
    reader = PdfReader(combined)
    assert len(reader.pages) == sum(per_file.values()) == result.combined_pages
    assert result.combined_path == combined and result.combined_reviews == ids
    assert [item.title.split(" \u2014 ")[0] for item in reader.outline] == [store.get(i).employee.name for i in ids]
    first = store.get(ids[0])
    n = per_file[review_file_name(first)]
    assert f"Page {n} of {n}" in reader.pages[n - 1].extract_text()
    assert "Page 1 of" in reader.pages[n].extract_text() and NAMES[1] in reader.pages[n].extract_text()


def test_cancel_after_five_leaves_exactly_five_whole_files(framework, twenty, tmp_path):
    store, ids, *_ = twenty
    out = tmp_path / "out"
    out.mkdir()
    combined = tmp_path / "all.pdf"
    result = export_batch(framework, ids, load=store.get, folder=out, combined=combined,
                          progress=lambda done, total, name: done < 5)
    assert result.cancelled and not result.ok
    files = sorted(out.iterdir())
    assert len(files) == 5 and len(result.files) == 5
    for f in files:
        assert len(PdfReader(f).pages) > 1  # whole documents
    assert not combined.exists() and list(tmp_path.glob("*.part")) == [] and list(out.glob(".*")) == []


def test_drafts_and_voided_reviews_are_skipped_unless_selected(framework, store, tmp_path):
    final_id, void_id = store_finalized(store, framework, ["Final Person", "Voided Person"])
    store.void(void_id, "practice review")
    draft = complete_review(framework)
    draft.employee = Employee("Draft Person", "E9")
    draft_id = store.create(draft).id
    result = export_batch(framework, [final_id, void_id, draft_id], load=store.get, folder=tmp_path)
    assert [e.review_id for e in result.exported] == [final_id]
    assert {(s.review_id, s.reason) for s in result.skipped} == {(void_id, "voided"), (draft_id, "a draft (not finalized)")}
    chosen = export_batch(framework, [void_id, draft_id], load=store.get, in_memory=True, selected=True)
    text = text_of(chosen.combined_pdf)
    assert "VOID" in text and "DRAFT" in text and chosen.combined_reviews == [void_id, draft_id]


def test_one_failing_review_does_not_stop_the_others(framework, store, tmp_path, monkeypatch):
    ids = store_finalized(store, framework, ["Good One", "Broken One", "Good Two"])
    real = batch_module.render_review_pdf

    def render(framework, review):
        if review.employee.name == "Broken One":
            raise RuntimeError("simulated layout failure")
        return real(framework, review)

    monkeypatch.setattr(batch_module, "render_review_pdf", render)
    result = export_batch(framework, [*ids, 999_999], load=store.get, folder=tmp_path)
    assert [e.employee for e in result.exported] == ["Good One", "Good Two"]
    assert [(f.review_id, f.reason) for f in result.failed] == [
        (ids[1], "simulated layout failure"), (999_999, "There is no review number 999999.")]
    assert len(list(tmp_path.glob("*.pdf"))) == 2


def test_file_names_are_safe_and_unique(framework):
    review = complete_review(framework)
    review.id = 7
    review.employee = Employee('  CON <ana>/..\\:*?"|  Lo\u0301pez ', "1")
    name = review_file_name(review)
    assert name == "CPF_review_CON_ana_López_2026_7.pdf"
    assert not set('<>:"/\\|?*') & set(name)
    review.employee = Employee("A" * 300)
    assert len(review_file_name(review)) < 100
    review.employee = Employee("...")
    review.period_end = None
    assert review_file_name(review) == "CPF_review_review_7.pdf"


def test_nowhere_to_write_is_refused_before_anything(framework, tmp_path):
    with pytest.raises(BatchError, match="does not exist"):
        export_batch(framework, [complete_review(framework)], folder=tmp_path / "missing")
    with pytest.raises(BatchError):
        export_batch(framework, [complete_review(framework)])


# Command line ---------------------------------------------------------------------------------
def run(data_dir, *args):
    return main(["--data-dir", str(data_dir), *args])


def test_cli_export_pdf_all_period(framework, data_dir, tmp_path, capsys):
    store = open_store(data_dir)
    try:
        ids = store_finalized(store, framework, NAMES[:3])
        old = complete_review(framework)
        old.period_start, old.period_end, old.status = date(2024, 7, 1), date(2025, 6, 30), FINAL
        store.create(old, framework)  # another school year: not exported
        store.create(complete_review(framework))  # a draft: not exported
    finally:
        store.close()
    out = tmp_path / "out"
    out.mkdir()
    combined = tmp_path / "all.pdf"
    assert run(data_dir, "export-pdf", "--all", "--period", "2025-07-01..2026-06-30", "--folder", str(out),
               "--combined", str(combined)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len([l for l in lines if l.startswith(f"wrote {out}")]) == 3
    assert lines[-1] == "exported 3 of 3 finalized review(s) of 2025\u201326 school year"
    assert len(list(out.glob("*.pdf"))) == 3 and len(PdfReader(combined).pages) > 3
    store = open_store(data_dir)
    try:
        assert [e.event for e in store.audit_log(ids[0])].count("exported") == 2  # its file and the combined one
    finally:
        store.close()
    assert run(data_dir, "export-pdf", "--all", "--period", "2030-31", "--folder", str(out)) == 0
    assert "no finalized reviews" in capsys.readouterr().out


def test_cli_export_pdf_all_reports_failures(framework, data_dir, tmp_path, capsys, monkeypatch):
    store = open_store(data_dir)
    try:
        ids = store_finalized(store, framework, ["Good One", "Broken One"])
    finally:
        store.close()
    real = batch_module.render_review_pdf
    monkeypatch.setattr(batch_module, "render_review_pdf", lambda fw, r: (
        (_ for _ in ()).throw(RuntimeError("boom")) if r.employee.name == "Broken One" else real(fw, r)))
    assert run(data_dir, "export-pdf", "--all", "--period", "2025-26", "--folder", str(tmp_path)) == 1
    captured = capsys.readouterr()
    assert f"error: review {ids[1]} (Broken One): boom" in captured.err
    assert "exported 1 of 2" in captured.out and "1 failed" in captured.out


@pytest.mark.parametrize("args, message", [
    (["--all", "--folder", "X"], "--all --period"),
    (["--all", "--period", "2025-26"], "--folder DIR and/or --combined"),
    (["1", "out.pdf", "--all", "--period", "2025-26", "--folder", "X"], "not both"),
    (["--period", "2025-26", "--folder", "X"], "--all --period"),
    (["1"], "give a review number and a file"),
    ([], "give a review number and a file"),
])
def test_cli_export_pdf_usage_errors(data_dir, capsys, args, message):
    assert run(data_dir, "export-pdf", *args) == 2
    assert message in capsys.readouterr().err


def test_cli_bad_period_is_a_usage_error(data_dir, capsys):
    with pytest.raises(SystemExit) as exc:
        run(data_dir, "export-pdf", "--all", "--period", "last year", "--folder", ".")
    assert exc.value.code == 2 and "is not a period" in capsys.readouterr().err


def test_cli_summary(framework, data_dir, tmp_path, capsys):
    store = open_store(data_dir)
    try:
        ids = store_finalized(store, framework, NAMES[:4], supervisory=lambda i: i == 0)
    finally:
        store.close()
    pdf = tmp_path / "summary.pdf"
    assert run(data_dir, "summary", "--period", "2025-26", "--pdf", str(pdf)) == 0
    out = capsys.readouterr().out
    assert "4 employee(s)" in out and f"wrote {pdf}" in out
    assert next(l for l in out.splitlines() if "Financial Management" in l).split()[-1] == "3"
    assert all(name in text_of(pdf) for name in NAMES[:4])
    store = open_store(data_dir)
    try:
        assert "site summary PDF summary.pdf" in [e.detail for e in store.audit_log(ids[0])][-1]
    finally:
        store.close()


def test_cli_export_pdf_all_makes_its_folder(framework, data_dir, tmp_path, capsys):
    store = open_store(data_dir)
    try:
        store_finalized(store, framework, NAMES[:2])
    finally:
        store.close()
    out = tmp_path / "exports" / "2025-26"
    assert run(data_dir, "export-pdf", "--all", "--period", "2025-26", "--folder", str(out)) == 0
    assert f"created the folder {out}" in capsys.readouterr().out
    assert len(list(out.glob("*.pdf"))) == 2 and (out.stat().st_mode & 0o777) == 0o700
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert run(data_dir, "export-pdf", "--all", "--period", "2025-26", "--folder", str(blocked / "sub")) == 1
    assert "Could not create the folder" in capsys.readouterr().err
