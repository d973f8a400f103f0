"""JSON import of odd files: each is refused with a message naming the problem, or accepted as a user expects."""
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from builders import complete_review
from cpf_desktop.app import main
from cpf_desktop.exchange import review_to_dict
from cpf_desktop.storage import open_store


def run(data_dir, *args):
    return main(["--data-dir", str(data_dir), *args])


def stored(data_dir):
    store = open_store(data_dir)
    try:
        return [store.get(s.id) for s in store.list_reviews()]
    finally:
        store.close()


@pytest.fixture
def source(framework):
    return review_to_dict(complete_review(framework))


def write(tmp_path, text, encoding="utf-8", name="r.json"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def test_byte_order_mark_accepted(data_dir, tmp_path, source, capsys):
    path = write(tmp_path, "\ufeff" + json.dumps(source))
    assert run(data_dir, "import-review", str(path)) == 0
    assert stored(data_dir)[0].employee.name == "Rosa Martínez"



def test_unknown_key_warning_text(data_dir, tmp_path, source, capsys):
    source["extra"] = 1
    run(data_dir, "import-review", str(write(tmp_path, json.dumps(source))))
    err = capsys.readouterr().err
    assert "warning:" in err and "the key 'extra' is not part of cpf-review/1 and was ignored." in err


def test_duplicate_keys_refused(data_dir, tmp_path, source, capsys):
    text = json.dumps(source)[:-1] + ', "strengths": "second"}'
    assert run(data_dir, "import-review", str(write(tmp_path, text))) == 2
    assert "the file names 'strengths' twice; keep one." in capsys.readouterr().err
    assert stored(data_dir) == []


def test_huge_file_refused_quickly(data_dir, tmp_path, capsys):
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.write(b'{"format": "cpf-review/1", "strengths": "')
        handle.write(b"x" * 50_000_000)
        handle.write(b'"}')
    assert run(data_dir, "import-review", str(path)) == 2
    assert "is 50 MB; a review file is at most 20 MB" in capsys.readouterr().err
    assert stored(data_dir) == []


@pytest.mark.parametrize("written", ["Effective", "EFFECTIVE", "effective ", "Highly Effective", "highly-effective"])
def test_level_written_by_a_person_accepted(data_dir, tmp_path, source, written):
    source["ratings"]["attitude"]["level"] = written
    source["ratings"]["attitude"]["plus"] = False
    assert run(data_dir, "import-review", str(write(tmp_path, json.dumps(source)))) == 0
    level = stored(data_dir)[0].rating("attitude").level
    assert level == ("highly_effective" if "ighly" in written else "effective")


def test_review_type_case_and_number_as_employee_number(data_dir, tmp_path, source):
    source["review_type"] = "Annual"
    source["employee"]["employee_number"] = 123456
    assert run(data_dir, "import-review", str(write(tmp_path, json.dumps(source)))) == 0
    review = stored(data_dir)[0]
    assert review.review_type == "annual" and review.employee.employee_number == "123456"


def test_single_line_fields_lose_line_breaks_not_text(data_dir, tmp_path, source):
    source["employee"]["name"] = "  Rosa\r\nMartínez\t "
    assert run(data_dir, "import-review", str(write(tmp_path, json.dumps(source)))) == 0
    assert stored(data_dir)[0].employee.name == "Rosa Martínez"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[1, 2, 3]", "the file must hold one review"),
        ('"just a string"', "the file must hold one review"),
        ("", "is not valid JSON"),
        ('{"format": "cpf-review/1", "employee": "Rosa"}', "'employee' must be an object"),
        ('{"format": "cpf-review/1", "ratings": {"attitude": "effective"}}', "'ratings.attitude' must be an object"),
        ('{"format": "cpf-review/1", "ratings": {"attitude": {"plus": "yes"}}}', "'ratings.attitude.plus' must be true or false"),
        ('{"format": "cpf-review/1", "period": {"start": "2026-02-30"}}', "'period.start' is '2026-02-30', which is not a real date"),
        ('{"format": "cpf-review/1", "supervisory": 1e999}', "'supervisory' must be true or false"),
    ],
)
def test_malformed_content_exits_2_naming_the_problem(data_dir, tmp_path, capsys, text, expected):
    assert run(data_dir, "import-review", str(write(tmp_path, text))) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert stored(data_dir) == []


def test_windows_1252_file_named(data_dir, tmp_path, capsys):
    path = write(tmp_path, '{"format": "cpf-review/1", "employee": {"name": "José"}}', encoding="cp1252")
    assert run(data_dir, "import-review", str(path)) == 2
    assert "is not UTF-8 text" in capsys.readouterr().err


def test_folder_and_missing_file(data_dir, tmp_path, capsys):
    assert run(data_dir, "import-review", str(tmp_path)) == 2
    assert "is a folder" in capsys.readouterr().err
    assert run(data_dir, "import-review", str(tmp_path / "nope.json")) == 2
    assert "could not be read" in capsys.readouterr().err


def test_misspelt_keys_inside_objects_and_leadership_on_a_non_supervisory_review_are_said(framework, tmp_path):
    import json

    from cpf_desktop.exchange import read_review_file

    path = tmp_path / "r.json"
    path.write_text(json.dumps({
        "format": "cpf-review/1", "employee": {"name": "Ana", "nmae": "x"}, "supervisory": False,
        "period": {"start": "2025-07-01", "ends": "2026-06-30"},
        "ratings": {"attitude": {"levl": "effective"}, "people-management": {"level": "effective"}},
    }), encoding="utf-8")
    warnings: list[str] = []
    review = read_review_file(path, framework, warnings)
    text = "\n".join(warnings)
    assert "'employee.nmae'" in text and "'period.ends'" in text and "'ratings.attitude.levl'" in text
    assert "Leadership ratings (people-management) do not apply" in text
    assert "attitude" not in review.ratings and review.ratings["people-management"].level == "effective"


# -- devices, pipes and files larger than they say ------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def _limited_memory():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2_000_000_000, 2_000_000_000))  # a runaway read fails, not the machine


def run_in_child(data_dir, path):
    """Run import-review in its own process: a hang or a runaway read must fail the test, not stop it."""
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir), "import-review", str(path)],
        capture_output=True, text=True, timeout=60, preexec_fn=_limited_memory,
    )


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_before_reading(data_dir):
    done = run_in_child(data_dir, "/dev/zero")
    assert done.returncode == 2, done.stderr
    assert "/dev/zero: this is a device or a pipe, not a review file" in done.stderr
    assert "unexpected problem" not in done.stderr and "Traceback" not in done.stderr
    assert stored(data_dir) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_waiting(data_dir, tmp_path):
    pipe = tmp_path / "p"
    os.mkfifo(pipe)
    done = run_in_child(data_dir, pipe)  # before the fix this waited forever for a writer
    assert done.returncode == 2
    assert "this is a device or a pipe, not a review file" in done.stderr
    assert stored(data_dir) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_file_swapped_for_a_pipe_after_the_first_look_is_refused_without_waiting(tmp_path, monkeypatch):
    from cpf_desktop import files_in

    pipe = tmp_path / "p"
    os.mkfifo(pipe)
    monkeypatch.setattr(files_in, "is_device_or_pipe", lambda path: False)  # the check before opening is passed
    with pytest.raises(files_in.NotARegularFile):
        files_in.read_at_most(pipe, 100)  # the opened file is checked again; opening did not wait for a writer


def test_reading_stops_one_byte_after_the_limit(tmp_path):
    from cpf_desktop.files_in import read_at_most

    path = tmp_path / "big"
    path.write_bytes(b"x" * 1_000_000)
    assert len(read_at_most(path, 10)) == 11
    assert read_at_most(path, 2_000_000) == b"x" * 1_000_000


def test_a_file_larger_than_its_size_says_is_still_refused(data_dir, tmp_path, monkeypatch, capsys):
    path = tmp_path / "grows.json"
    path.write_bytes(b'{"format": "cpf-review/1", "strengths": "' + b"x" * 21_000_000 + b'"}')
    real_stat = Path.stat

    def small_stat(self, *args, **kwargs):  # as if the file were still small when it was first looked at
        result = real_stat(self, *args, **kwargs)
        if self.name != "grows.json":
            return result
        values = list(result)
        values[6] = 100  # st_size
        return os.stat_result(values)

    monkeypatch.setattr(Path, "stat", small_stat)
    assert run(data_dir, "import-review", str(path)) == 2
    err = capsys.readouterr().err
    assert "the file is larger than 20 MB; a review file is at most 20 MB" in err
    monkeypatch.undo()
    assert stored(data_dir) == []


# -- plain sentences for duplicate keys and overlong numbers --------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"format": "cpf-review/1", "employee": {"name": "Ana", "name": "Rosa"}}',
         "the file names 'name' twice in employee; keep one."),
        ('{"format": "cpf-review/1", "ratings": {"attitude": {"level": "effective", "level": null}}}',
         "the file names 'level' twice in ratings.attitude; keep one."),
        ('{"format": "cpf-review/1", "goals": "a", "goals": "b"}', "the file names 'goals' twice; keep one."),
    ],
)
def test_duplicate_key_is_one_plain_sentence_naming_where(data_dir, tmp_path, capsys, text, expected):
    assert run(data_dir, "import-review", str(write(tmp_path, text))) == 2
    err = capsys.readouterr().err
    assert expected in err and "JSON allows" not in err and "which one is meant" not in err
    assert stored(data_dir) == []


@pytest.mark.parametrize("digits", ["1" + "0" * 5000, "-" + "9" * 5000])
def test_number_with_thousands_of_digits_is_one_plain_sentence(data_dir, tmp_path, capsys, digits):
    text = '{"format": "cpf-review/1", "supervisory": ' + digits + "}"
    assert run(data_dir, "import-review", str(write(tmp_path, text))) == 2
    err = capsys.readouterr().err
    assert "'supervisory' holds a number far too long to be a value in a review." in err
    assert "set_int_max_str_digits" not in err and "Traceback" not in err
    assert stored(data_dir) == []


def test_number_in_a_rating_is_named_by_its_place(data_dir, tmp_path, capsys):
    text = '{"format": "cpf-review/1", "ratings": {"attitude": {"level": ' + "7" * 5000 + "}}}"
    assert run(data_dir, "import-review", str(write(tmp_path, text))) == 2
    assert "'ratings.attitude.level' holds a number far too long" in capsys.readouterr().err


def test_ordinary_numbers_still_read(data_dir, tmp_path, source):
    source["employee"]["employee_number"] = 9876543210
    assert run(data_dir, "import-review", str(write(tmp_path, json.dumps(source)))) == 0
    assert stored(data_dir)[0].employee.employee_number == "9876543210"


# -- a period longer than 18 months: imported, and said -------------------------------------------


def test_long_period_is_imported_with_the_windows_warning(data_dir, tmp_path, source, capsys):
    from cpf_desktop.review import period_warnings

    source["period"] = {"start": "2024-07-01", "end": "2026-06-30"}
    source["status"] = "final"
    assert run(data_dir, "import-review", str(write(tmp_path, json.dumps(source)))) == 0
    out, err = capsys.readouterr()
    expected = period_warnings(date(2024, 7, 1), date(2026, 6, 30))
    assert expected and f"warning: {tmp_path / 'r.json'}: {expected[0]}" in err
    assert "about 24 months long" in err
    review = stored(data_dir)[0]
    assert out.strip() == str(review.id) and review.is_final


def test_a_school_year_gives_no_period_warning(data_dir, tmp_path, source, capsys):
    assert run(data_dir, "import-review", str(write(tmp_path, json.dumps(source)))) == 0
    assert "months long" not in capsys.readouterr().err


def test_the_fullest_review_the_window_can_hold_comes_back_through_export(framework, data_dir, tmp_path, capsys):
    """What the window may save (every text at its limit, in a 4-byte script) must import again."""
    from dataclasses import replace

    from cpf_desktop.review import MAX_LINE_LENGTH, MAX_TEXT_LENGTH, TEXT_SECTIONS

    review = complete_review(framework)
    big = "😀" * MAX_TEXT_LENGTH
    review.ratings = {key: replace(rating, comment=big) for key, rating in review.ratings.items()}
    review.overall = replace(review.overall, comment=big)
    for key in TEXT_SECTIONS:
        setattr(review, key, big)
    review.employee = replace(review.employee, name="Ñ" * MAX_LINE_LENGTH)
    store = open_store(data_dir)
    try:
        review_id = store.create(review).id
    finally:
        store.close()
    out = tmp_path / "full.json"
    assert run(data_dir, "export-review", str(review_id), str(out)) == 0
    capsys.readouterr()
    assert run(data_dir, "import-review", str(out)) == 0, capsys.readouterr().err
    assert len(stored(data_dir)) == 2


def test_a_one_line_field_past_its_limit_is_refused_by_name(data_dir, tmp_path, capsys):
    path = write(tmp_path, json.dumps({"format": "cpf-review/1", "rater": {"name": "R" * 1001}}))
    assert run(data_dir, "import-review", str(path)) == 2
    assert "'rater.name' is 1,001 characters long; a one-line field holds at most 1,000" in capsys.readouterr().err
    assert stored(data_dir) == []
