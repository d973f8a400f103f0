"""The command line: import, list, export (JSON and PDF), finalize; invalid input exits 2 and stores nothing."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from builders import complete_review
from cpf_desktop.app import main
from cpf_desktop.exchange import review_to_dict
from cpf_desktop.storage import open_store

ROOT = Path(__file__).resolve().parents[2]


def run(data_dir, *args):
    return main(["--data-dir", str(data_dir), *args])


def write_json(tmp_path, data, name="review.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def stored_count(data_dir):
    store = open_store(data_dir)
    try:
        return len(store.list_reviews())
    finally:
        store.close()


def test_import_list_export_round_trip(framework, data_dir, tmp_path, capsys):
    source = review_to_dict(complete_review(framework))
    assert run(data_dir, "import-review", str(write_json(tmp_path, source))) == 0
    review_id = int(capsys.readouterr().out.strip())
    assert run(data_dir, "list") == 0
    line = capsys.readouterr().out.strip()
    assert line == f"{review_id}\tdraft\tRosa Martínez\tAnnual\t2025-07-01..2026-06-30"
    out = tmp_path / "out.json"
    assert run(data_dir, "export-review", str(review_id), str(out)) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == source  # export then import gives the same review


def test_finalize_lists_everything_missing(framework, data_dir, tmp_path, capsys):
    data = review_to_dict(complete_review(framework))
    del data["ratings"]["safety-focus"]
    data["rater"]["name"] = ""
    run(data_dir, "import-review", str(write_json(tmp_path, data)))
    review_id = capsys.readouterr().out.strip()
    assert run(data_dir, "finalize", review_id) == 2
    err = capsys.readouterr().err
    assert "The rater's name is missing." in err and "Safety Focus is not rated (id safety-focus)." in err


def test_finalize_then_export_pdf(framework, data_dir, tmp_path, capsys):
    run(data_dir, "import-review", str(write_json(tmp_path, review_to_dict(complete_review(framework)))))
    review_id = capsys.readouterr().out.strip()
    assert run(data_dir, "finalize", review_id) == 0
    assert "finalized and locked" in capsys.readouterr().out
    pdf = tmp_path / "review.pdf"
    assert run(data_dir, "export-pdf", review_id, str(pdf)) == 0
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    for comp in framework.competencies():
        assert comp.name in text
    assert "DRAFT" not in text


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d["ratings"].update({"no-such-thing": {"level": "effective"}}), "unknown competency 'no-such-thing'"),
        (lambda d: d["ratings"]["attitude"].update(level="developing", plus=True), "ratings.attitude"),
        (lambda d: d["period"].update(start="2026-07-01", end="2026-01-01"), "ends before it starts"),
        (lambda d: d.update(supervisory="yes"), "'supervisory' must be true or false"),
        (lambda d: d["employee"].update(name=42), "'employee.name' must be text"),
        (lambda d: d["period"].update(start="07/01/2025"), "'period.start' is \"07/01/2025\"; write dates as YYYY-MM-DD"),
        (lambda d: d.update(review_type="yearly"), "'review_type'"),
        (lambda d: d["overall"].update(level="Great"), "'overall.level'"),
        (lambda d: d.update(format="something-else"), "'format' must be"),
        (lambda d: d.update(status="final", overall={"level": None}), "The overall rating is missing"),
    ],
)
def test_invalid_import_exits_2_and_stores_nothing(framework, data_dir, tmp_path, capsys, change, expected):
    data = review_to_dict(complete_review(framework))
    change(data)
    assert run(data_dir, "import-review", str(write_json(tmp_path, data))) == 2
    err = capsys.readouterr().err
    assert expected in err and "Nothing was stored." in err
    assert stored_count(data_dir) == 0


def test_bad_json_exits_2(data_dir, tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "cpf-review/1", ', encoding="utf-8")
    assert run(data_dir, "import-review", str(path)) == 2
    assert "is not valid JSON" in capsys.readouterr().err
    assert stored_count(data_dir) == 0


def test_final_import_is_locked(framework, data_dir, tmp_path, capsys):
    data = review_to_dict(complete_review(framework))
    data["status"] = "final"
    assert run(data_dir, "import-review", str(write_json(tmp_path, data))) == 0
    capsys.readouterr()
    run(data_dir, "list")
    assert "\tfinal\t" in capsys.readouterr().out


def test_unknown_review_exits_1(data_dir, tmp_path, capsys):
    assert run(data_dir, "export-pdf", "99", str(tmp_path / "x.pdf")) == 1
    assert "There is no review number 99." in capsys.readouterr().err


def test_real_entry_point_in_a_child_process(framework, tmp_path):
    """main.py as a user runs it, with the data folder from the environment."""
    path = write_json(tmp_path, review_to_dict(complete_review(framework, supervisory=False)))
    env = {**__import__("os").environ, "CPF_DATA_DIR": str(tmp_path / "d")}
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "import-review", str(path)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    listed = subprocess.run([sys.executable, str(ROOT / "main.py"), "list"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert listed.stdout.startswith(done.stdout.strip() + "\tdraft\tRosa Martínez")


def test_export_pdf_warns_about_unprintable_characters(framework, data_dir, tmp_path, capsys):
    data = review_to_dict(complete_review(framework))
    data["employee"]["name"] = "Rosa 😀 Martínez"
    run(data_dir, "import-review", str(write_json(tmp_path, data)))
    review_id = capsys.readouterr().out.strip()
    assert run(data_dir, "export-pdf", review_id, str(tmp_path / "x.pdf")) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: ") and "U+1F600" in err


def test_empty_lists_say_so_on_stderr_only(data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "list"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "no reviews yet" in err
    assert main(["--data-dir", str(data_dir), "list-employees"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "no employees yet" in err


def test_finalize_warns_of_leadership_ratings_left_out(framework, data_dir, capsys):
    review = complete_review(framework, supervisory=True)
    review.supervisory = False  # rated as a supervisor, then unticked
    store = open_store(data_dir)
    try:
        review_id = store.create(review).id
    finally:
        store.close()
    assert main(["--data-dir", str(data_dir), "finalize", str(review_id)]) == 0
    err = capsys.readouterr().err
    assert "not part of the finalized review" in err and "Financial Management" in err
