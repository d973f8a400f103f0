"""The roster: a messy CSV from Excel gives the right preview, nothing is stored before it is applied,
employees typed in by hand, the command line, and the migration that adds the roster."""
import shutil
import sqlite3
from pathlib import Path

import pytest

from builders import complete_review
from cpf_desktop.app import main
from cpf_desktop.review import Employee, RuleError
from cpf_desktop.roster import (
    Change, Refusal, RosterError, RosterRow, RosterUpdate, employee_problems, parse_roster, read_roster_file,
)
from cpf_desktop.storage import EmployeeExists, EmployeeStore, RosterChanged, open_store
from cpf_desktop.storage.backups import list_backups
from cpf_desktop.storage.database import SCHEMA_VERSION

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MESSY = FIXTURES / "roster-excel-1252.csv"
BOM = FIXTURES / "roster-bom.csv"

MARY = Employee("Mary Smith", "1002", "Custodian", "Garfield HS")
ANA = Employee("Ana Núñez", "1003", "Office Technician", "Roosevelt HS")


def run(data_dir, *args):
    return main(["--data-dir", str(data_dir), *args])


@pytest.fixture
def roster(store):
    employees = EmployeeStore.of(store)
    employees.add(MARY)
    employees.add(ANA)
    return employees


def test_the_fixture_is_what_excel_writes():
    raw = MESSY.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b";" in raw
    assert "José Peña".encode("cp1252") in raw  # Windows-1252, not UTF-8
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert BOM.read_bytes().startswith(b"\xef\xbb\xbf")


def test_messy_excel_roster_gives_the_right_preview_and_stores_nothing_before_confirmation(roster):
    before = roster.list_employees()
    preview = read_roster_file(MESSY, before)

    assert preview.encoding == "Windows-1252 (Excel)" and preview.delimiter == ";"
    assert preview.columns == {"name": "Employee Name", "employee_number": "Emp #", "classification": "Job Title"}
    assert preview.to_add == (
        RosterRow(2, Employee("José Peña", "1001", "Custodian", "")),
        RosterRow(10, Employee("Tom Baker", "1006", "Custodian", "")),  # the control character is gone
    )
    assert preview.to_update == (
        RosterUpdate(3, MARY, Employee("Mary Smith", "1002", "Senior Custodian", "Garfield HS")),
    )
    assert preview.to_update[0].changes == (Change("classification", "Custodian", "Senior Custodian"),)
    assert preview.unchanged == (RosterRow(5, ANA),)  # no Location column: Ana keeps hers
    # Row 4 is blank and row 9 is ";;;" (an empty Excel row): both skipped without a word.
    assert preview.refused == (
        Refusal(6, "the name of employee 1004 is empty.", Employee("", "1004", "Gardener", "")),
        Refusal(7, "employee number 1001 already appears in row 2; only that row is used.",
                Employee("Bob Jones", "1001", "Plant Manager", "")),
        Refusal(8, "the employee number of Zoë Ångström is empty.", Employee("Zoë Ångström", "", "Clerk", "")),
    )
    assert preview.notes == (
        "Text encoding: Windows-1252 (Excel); columns separated by semicolons.",
        "Columns used: “Employee Name” as the name, “Emp #” as the employee number, "
        "“Job Title” as the classification.",
        "The file has no Location column: new employees are added without a location; "
        "stored employees keep theirs.",
        "Columns not used: “Phone”.",
    )
    assert preview.summary() == "\n".join([
        "2 to add, 1 to update, 1 unchanged, 3 refused.",
        "",
        "Notes:",
        *(f"  {note}" for note in preview.notes),
        "",
        "To add:",
        "  Row 2: 1001 José Peña (Custodian)",
        "  Row 10: 1006 Tom Baker (Custodian)",
        "",
        "To update:",
        "  Row 3: 1002 Mary Smith: classification “Custodian” → “Senior Custodian”",
        "",
        "Refused (not imported; correct them in the file and import it again):",
        "  Row 6: the name of employee 1004 is empty.",
        "  Row 7: employee number 1001 already appears in row 2; only that row is used.",
        "  Row 8: the employee number of Zoë Ångström is empty.",
    ])

    assert roster.list_employees() == before  # a preview stores nothing
    result = roster.apply_roster(preview)
    assert (result.added, result.updated) == (2, 1)
    assert roster.list_employees() == [
        ANA,
        Employee("José Peña", "1001", "Custodian", ""),
        Employee("Mary Smith", "1002", "Senior Custodian", "Garfield HS"),
        Employee("Tom Baker", "1006", "Custodian", ""),
    ]
    again = read_roster_file(MESSY, roster.list_employees())
    assert not again.has_changes and len(again.unchanged) == 4 and len(again.refused) == 3


def test_utf8_with_bom_commas_and_quoted_commas(roster):
    preview = read_roster_file(BOM, roster.list_employees())
    assert preview.encoding == "UTF-8 (with byte-order mark)" and preview.delimiter == ","
    assert preview.columns == {"name": "Full name", "employee_number": "Employee ID", "classification": "Position",
                               "location": "School"}
    assert preview.to_add == (RosterRow(2, Employee("José Peña", "1001", "Custodian", "Garfield HS")),)
    # An empty cell never erases: Mary keeps her location.
    assert preview.to_update[0].new == Employee("Mary Smith", "1002", "Senior Custodian", "Garfield HS")
    # "Núñez, Ana" is another spelling of the stored name: the roster file wins, and says so.
    assert preview.to_update[1].changes == (Change("name", "Ana Núñez", "Núñez, Ana"),)
    assert "Empty cells never erase what is stored" in preview.notes[-1]
    assert preview.refused == ()


@pytest.mark.parametrize("header, expected", [
    ("Name,Number", ("name", "employee_number")),
    ("EMPLOYEE NAME,EMPLOYEE NUMBER,CLASSIFICATION,LOCATION",
     ("name", "employee_number", "classification", "location")),
    ("employee_name,emp_no,job_title,work_location", ("name", "employee_number", "classification", "location")),
    ("Full Name,EIN,Title,Site", ("name", "employee_number", "classification", "location")),
    ("  Name ,Employee #,Position,Work Location ", ("name", "employee_number", "classification", "location")),
    ("Employee,Emp. ID,Job Title,School", ("name", "employee_number", "classification", "location")),
])
def test_column_names_are_matched_loosely(header, expected):
    preview = parse_roster(f"{header}\nKim Lee,77\n".encode(), [])
    assert tuple(preview.columns) == expected
    assert preview.to_add[0].employee.employee_number == "77"


@pytest.mark.parametrize("data, encoding, delimiter", [
    ("Name,Number\nJosé,1\n".encode("utf-8"), "UTF-8", ","),
    ("\ufeffName;Number\nJosé;1\n".encode("utf-8"), "UTF-8 (with byte-order mark)", ";"),
    ("Name\tNumber\r\nJosé\t1\r\n".encode("utf-16"), "UTF-16", "\t"),  # Excel's "Unicode Text"
    ("Name;Number\nJosé;1\n".encode("cp1252"), "Windows-1252 (Excel)", ";"),
])
def test_encodings_and_delimiters(data, encoding, delimiter):
    preview = parse_roster(data, [])
    assert (preview.encoding, preview.delimiter) == (encoding, delimiter)
    assert preview.to_add == (RosterRow(2, Employee("José", "1")),)


@pytest.mark.parametrize("data, message", [
    (b"", "the file is empty"),
    (b"\r\n ;;\r\n", "the file is empty"),
    (b"PK\x03\x04\x14\x00rest-of-a-zip", "Excel workbook (.xlsx)"),
    (b"\x00\x01\x02binary", "not a text file"),
    (b"Name,Classification\nKim,Clerk\n", "no column for the employee number was found in row 1"),
    (b"Phone,Email\n555,a@b\n", "the employee's name and the employee number"),
])
def test_unusable_files_are_refused_whole(data, message):
    with pytest.raises(RosterError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        parse_roster(data, [])


def test_refused_rows_say_why_and_count_rows_as_excel_does():
    long_name = "X" * 201
    data = "\n".join([
        "Name,Number,Title",
        f"{long_name},1,Clerk",
        "Al,1.23457E+11,Clerk",  # what Excel makes of a long number in a General column
        '"Kim\nLee",2,"Campus\nAide"',  # one Excel row, two lines of text
        "Sam,3,Clerk",
        ",,",
    ]).encode()
    preview = parse_roster(data, [])
    assert [r.row for r in preview.refused] == [2, 3]
    assert preview.refused[0].reason == "the name is 201 characters long; at most 200 fit."
    assert "shortened by Excel (scientific notation)" in preview.refused[1].reason
    assert preview.to_add == (
        RosterRow(4, Employee("Kim Lee", "2", "Campus Aide")), RosterRow(5, Employee("Sam", "3", "Clerk")))


def test_a_header_only_file_says_there_is_nobody():
    preview = parse_roster(b"Name,Number\n", [])
    assert not preview.has_changes and "no employees" in preview.notes[-1]
    assert preview.summary().endswith("Nothing to import.")


def test_apply_is_all_or_nothing_when_the_roster_changed_after_the_preview(roster):
    preview = read_roster_file(MESSY, roster.list_employees())
    roster.add(Employee("Someone Else", "1006"))  # typed in by hand while the preview was open
    before = roster.list_employees()
    with pytest.raises(RosterChanged, match="1006 .row 10. was added to the roster after the preview"):
        roster.apply_roster(preview)
    assert roster.list_employees() == before  # José was not added, Mary not updated

    preview = read_roster_file(MESSY, roster.list_employees())
    roster.update(Employee("Mary Smith", "1002", "Custodian", "Another School"))
    with pytest.raises(RosterChanged, match="1002 .row 3. was changed or removed"):
        roster.apply_roster(preview)
    assert roster.find_by_number("1001") is None


def test_employees_typed_in_by_hand(store):
    employees = EmployeeStore.of(store)
    assert employees.add(Employee("  Kim   Lee ", " 2001 ", "Clerk\t", "")) == Employee("Kim Lee", "2001", "Clerk", "")
    with pytest.raises(EmployeeExists, match="2001 is already on the roster .Kim Lee."):
        employees.add(Employee("Other", "2001"))
    with pytest.raises(RuleError, match="The name is missing."):
        employees.add(Employee("", "2002"))
    employees.update(Employee("Kim Lee-Park", "2001", "Senior Clerk", "Garfield HS"))
    assert employees.get("2001") == Employee("Kim Lee-Park", "2001", "Senior Clerk", "Garfield HS")
    assert employees.find_by_number("9999") is None and employees.count() == 1
    assert employee_problems(Employee()) == ["The name is missing.", "The employee number is missing."]


def test_a_roster_change_never_alters_a_review(framework, store):
    employees = EmployeeStore.of(store)
    review = complete_review(framework)
    employees.add(review.employee)
    stored = store.create(review)
    store.finalize(framework, stored.id)
    employees.update(Employee("Somebody Else", review.employee.employee_number, "Other", "Other School"))
    assert store.get(stored.id).employee == review.employee
    assert store.integrity_problems() == []


def test_migrating_a_schema_2_database_adds_the_roster_after_a_backup(data_dir):
    from cpf_desktop.storage.database import TRIGGERS

    store = open_store(data_dir)
    store.close()
    raw = sqlite3.connect(data_dir / "cpf-desktop.sqlite3")
    raw.execute("DROP TABLE employees")
    for name in TRIGGERS[4]:  # what schema 2 did not have yet
        raw.execute(f"DROP TRIGGER {name}")
    raw.execute("PRAGMA user_version = 2")
    raw.close()
    store = open_store(data_dir)
    try:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        EmployeeStore.of(store).add(MARY)
        with pytest.raises(sqlite3.IntegrityError):  # the number is unique in the database itself
            store.db.execute("INSERT INTO employees (employee_number, name, created_at, updated_at)"
                             " VALUES ('1002', 'x', 'now', 'now')")
    finally:
        store.close()
    backups = list_backups(data_dir)
    assert len(backups) == 1 and "before-schema-3" in backups[0].name


def test_a_first_schema_database_gets_the_roster_too(data_dir):
    data_dir.mkdir(parents=True)
    shutil.copy(FIXTURES / "schema1.sqlite3", data_dir / "cpf-desktop.sqlite3")
    store = open_store(data_dir)
    try:
        assert EmployeeStore.of(store).list_employees() == []
        assert store.get(1).employee.name == "Draft Person"
    finally:
        store.close()
    backups = list_backups(data_dir)
    assert len(backups) == 1 and "before-schema-2" in backups[0].name  # one backup, before the first step


# -- the command line ----------------------------------------------------------------------------


def test_import_roster_and_list_employees(data_dir, capsys):
    assert run(data_dir, "import-roster", str(MESSY)) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"roster {MESSY}: 4 to add, 0 to update, 0 unchanged, 3 refused.")
    assert "Row 6: the name of employee 1004 is empty." in out  # refused rows are listed, and the exit is 0
    assert "Row 7: employee number 1001 already appears in row 2" in out
    assert out.rstrip().endswith("stored: 4 employee(s) added, 0 updated")
    assert run(data_dir, "list-employees") == 0
    assert capsys.readouterr().out.splitlines() == [
        "1003\tAna Núñez\tOffice Technician\t",
        "1001\tJosé Peña\tCustodian\t",
        "1002\tMary Smith\tSenior Custodian\t",
        "1006\tTom Baker\tCustodian\t",
    ]


def test_import_roster_updates_and_dry_run_stores_nothing(data_dir, capsys):
    store = open_store(data_dir)
    EmployeeStore.of(store).add(MARY)
    store.close()
    assert run(data_dir, "import-roster", "--dry-run", str(BOM)) == 0
    out = capsys.readouterr().out
    assert "2 to add, 1 to update, 0 unchanged, 0 refused." in out
    assert "Row 3: 1002 Mary Smith: classification “Custodian” → “Senior Custodian”" in out
    assert out.rstrip().endswith("dry run: nothing was stored")
    assert run(data_dir, "list-employees") == 0
    assert capsys.readouterr().out == "1002\tMary Smith\tCustodian\tGarfield HS\n"
    assert run(data_dir, "import-roster", str(BOM)) == 0
    assert "stored: 2 employee(s) added, 1 updated" in capsys.readouterr().out
    run(data_dir, "list-employees")
    assert capsys.readouterr().out.splitlines() == [
        "1001\tJosé Peña\tCustodian\tGarfield HS",
        "1002\tMary Smith\tSenior Custodian\tGarfield HS",
        "1003\tNúñez, Ana\tOffice Technician\tRoosevelt HS",
    ]


@pytest.mark.parametrize("content, message", [
    (None, "could not be read"),
    (b"Phone;Email\n555;a@b\n", "no column for the employee's name"),
])
def test_import_roster_refuses_an_unusable_file_with_exit_2(data_dir, tmp_path, capsys, content, message):
    path = tmp_path / "roster.csv"
    if content is not None:
        path.write_bytes(content)
    assert run(data_dir, "import-roster", str(path)) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err and "Nothing was stored." in captured.err
    assert run(data_dir, "list-employees") == 0 and capsys.readouterr().out == ""


def test_utf8_roster_with_one_damaged_byte_is_read_as_utf8_and_names_the_row():
    """Read as Windows-1252, every "é" of the file would silently become "Ã©"."""
    data = "Name,Employee Number\nJosé Peña,8001\nAna Núñez,8002\n".encode() + b"Bad \xff Byte,8003\n"
    preview = parse_roster(data, [])
    assert preview.encoding == "UTF-8, with damaged characters"
    assert [r.employee.name for r in preview.to_add] == ["José Peña", "Ana Núñez"]
    [refusal] = preview.refused
    assert refusal.row == 4 and "damaged character" in refusal.reason


def test_an_unclosed_quotation_mark_refuses_the_file_naming_its_row():
    rows = ["Name,Employee Number,Classification"]
    rows += [f'"Person {i},{1000 + i},Custodian' if i == 5 else f"Person {i},{1000 + i},Custodian" for i in range(1, 40)]
    with pytest.raises(RosterError, match=r"row 6 opens a quotation mark"):
        parse_roster("\n".join(rows).encode(), [])


def test_a_quoted_cell_with_a_line_break_is_still_one_row():
    preview = parse_roster(b'Name,Employee Number,Location\nKim Lee,77,"Roosevelt HS\nRoom 5"\nAna Ruiz,78,Site\n', [])
    assert [(r.row, r.employee.location) for r in preview.to_add] == [(2, "Roosevelt HS Room 5"), (3, "Site")]


# -- a first line too long for the csv module, and rows with more cells than the header ----------


def test_a_first_line_too_long_to_read_refuses_the_file_naming_its_row(data_dir, tmp_path, capsys):
    long_header = b"Name,Employee Number," + b"y" * 140_000 + b"\nAna,1,\n"
    with pytest.raises(RosterError, match=r"^row 1 holds a cell of more than 131,072 characters, far more than a "
                                          r"roster holds, so the file cannot be read; check that every quotation"):
        parse_roster(long_header, [])
    with pytest.raises(RosterError, match=r"^row 3 holds a cell of more than"):  # blank lines count, as in Excel
        parse_roster(b"\r\n;;\r\n" + long_header, [])
    with pytest.raises(RosterError, match=r"^row 3 holds a cell of more than"):  # a later row: named the same way
        parse_roster(b'Name,Employee Number\nAna,1\n"' + b"y" * 140_000 + b'",2\n', [])

    path = tmp_path / "longhdr.csv"
    path.write_bytes(long_header)
    assert run(data_dir, "import-roster", "--dry-run", str(path)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (f"error: {path}: row 1 holds a cell of more than 131,072 characters, far more than a "
                            "roster holds, so the file cannot be read; check that every quotation mark (\") in row 1 "
                            "is closed, or that this is the right file. Nothing was stored.\n")


def test_a_row_with_more_cells_than_the_header_is_refused_naming_it(roster):
    data = (b"Name,Employee Number,Classification,Location\r\n"
            b"Lee, Ana,E222,Clerk,X\r\n"  # a comma inside an unquoted name: every cell one column along
            b"Ana Ruiz,E223,Clerk,Site,,\r\n"  # empty cells at the end, as Excel writes them: fine
            b'"Kim, Lee",E224,Clerk,Site\r\n')  # the name in quotes: fine
    preview = parse_roster(data, roster.list_employees())
    [refusal] = preview.refused
    assert str(refusal) == (
        "Row 2: the row has 5 cells but row 1 names only 4 columns, so its cells cannot be matched to the columns — "
        "is there a comma inside a name? Put that name in quotes (\"Lee, Ana\") or separate the columns with "
        "semicolons.")
    assert refusal.employee == Employee(name="Lee, Ana,E222,Clerk,X")  # what the row holds, not Lee / Ana
    assert preview.to_add == (RosterRow(3, Employee("Ana Ruiz", "E223", "Clerk", "Site")),
                              RosterRow(4, Employee("Kim, Lee", "E224", "Clerk", "Site")))
    assert roster.find_by_number("Ana") is None and preview.counts == "2 to add, 0 to update, 0 unchanged, 1 refused"

    # Empty column names at the end of the header do not count as columns; semicolons say so.
    preview = parse_roster(b"Name;Employee Number;;\nLee; Ana;E222;\nKim Lee;E224;;\n", [])
    [refusal] = preview.refused
    assert refusal.row == 2 and refusal.reason.startswith("the row has 3 cells but row 1 names only 2 columns,")
    assert "is there a semicolon inside a name?" in refusal.reason
    assert preview.to_add == (RosterRow(3, Employee("Kim Lee", "E224")),)


def test_import_roster_lists_a_row_with_too_many_cells_as_refused_and_stores_the_rest(data_dir, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_text("Name,Employee Number,Classification,Location\nLee, Ana,E222,Clerk,X\nAna,1,Clerk,X,,\n")
    assert run(data_dir, "import-roster", str(path)) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"roster {path}: 1 to add, 0 to update, 0 unchanged, 1 refused.")
    assert "  Row 2: the row has 5 cells but row 1 names only 4 columns" in out
    assert run(data_dir, "list-employees") == 0
    assert capsys.readouterr().out == "1\tAna\tClerk\tX\n"
