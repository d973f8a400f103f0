"""JSON import of odd files: each is refused with a message naming the problem, or accepted as a user expects."""
import json

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
    assert "the key 'strengths' appears twice" in capsys.readouterr().err
    assert stored(data_dir) == []


def test_huge_file_refused_quickly(data_dir, tmp_path, capsys):
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.write(b'{"format": "cpf-review/1", "strengths": "')
        handle.write(b"x" * 50_000_000)
        handle.write(b'"}')
    assert run(data_dir, "import-review", str(path)) == 2
    assert "is 50 MB; a review file is at most 5 MB" in capsys.readouterr().err
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
