"""The roster: employees read from a CSV file, checked and compared before anything is stored.

No Qt and no SQL here, so the window, the command line and tests share one reading of a file:

- the bytes are decoded as UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order
  mark (Excel's "Unicode Text"), else Windows-1252 (Excel's "CSV" on a US Windows); the preview
  says which;
- the columns are separated by commas, semicolons or tabs (whichever splits the first row best);
- the first non-blank row names the columns, matched loosely ("Emp #", "EMPLOYEE ID" and
  "Employee Number" are all the employee number);
- each row is trimmed and checked; a row that cannot be used is refused with a reason that names
  its row as Excel shows it (the column names are row 1), and the others still count;
- compared with the employees already stored, the preview lists who is added, who is updated (what
  changes, old → new), who is unchanged and which rows are refused. Nothing is stored here: the
  caller stores ``to_add`` and ``to_update`` once the user agrees.

An empty cell, or a column the file does not have, never erases what is already stored: a roster
with names and numbers only keeps the classification and location typed in by hand.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from .files_in import UnreadableFile, read_user_file
from .review import Employee, RuleError, single_line

FIELDS = ("name", "employee_number", "classification", "location")
FIELD_LABELS = {
    "name": "Name",
    "employee_number": "Employee number",
    "classification": "Classification",
    "location": "Location",
}
REQUIRED = ("name", "employee_number")
MAX_FIELD_LENGTH = 200  # characters: far beyond any name, title or school, short of a pasted paragraph
MAX_ROSTER_BYTES = 10_000_000  # a district-wide roster of 100,000 employees is about 8 MB

# Column names, compared after ``_header_key`` (lower case, letters and digits only, "#" = "number").
SYNONYMS = {
    "name": {"employeename", "name", "fullname", "employee", "employeefullname", "staffname"},
    "employee_number": {
        "employeenumber", "empnumber", "employeeid", "empid", "ein", "number", "employeeno", "empno",
        "employeenum", "empnum", "idnumber",
    },
    "classification": {"classification", "jobtitle", "title", "position", "jobclassification", "class", "job"},
    "location": {"location", "worklocation", "site", "school", "worksite", "locationname", "schoolname"},
}
_DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}
_EXCEL_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+\d+$", re.IGNORECASE)


class RosterError(RuleError):
    """The file cannot be used at all (unreadable, not text, no name or number column); nothing was read."""


@dataclass(frozen=True)
class RosterRow:
    """An employee as read from row ``row`` of the file (row 1 holds the column names)."""

    row: int
    employee: Employee


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.field]

    def __str__(self) -> str:
        return f"{self.label.lower()} {_shown(self.old)} → {_shown(self.new)}"


@dataclass(frozen=True)
class RosterUpdate:
    """A stored employee that the file changes: ``old`` as stored, ``new`` as it will be stored."""

    row: int
    old: Employee
    new: Employee

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(
            Change(f, getattr(self.old, f), getattr(self.new, f))
            for f in FIELDS if getattr(self.old, f) != getattr(self.new, f)
        )


@dataclass(frozen=True)
class Refusal:
    """A row that is not imported; ``employee`` holds what could be read of it, for showing."""

    row: int
    reason: str
    employee: Employee = Employee()

    def __str__(self) -> str:
        return f"Row {self.row}: {self.reason}"


@dataclass(frozen=True)
class RosterPreview:
    """What importing the file would do. Nothing is stored until the caller applies it."""

    to_add: tuple[RosterRow, ...]
    to_update: tuple[RosterUpdate, ...]
    unchanged: tuple[RosterRow, ...]
    refused: tuple[Refusal, ...]
    notes: tuple[str, ...]
    encoding: str  # as shown to the user, e.g. "Windows-1252 (Excel)"
    delimiter: str  # ",", ";" or "\t"
    columns: dict  # field -> the column name as written in the file (only the fields found)

    @property
    def has_changes(self) -> bool:
        return bool(self.to_add or self.to_update)

    @property
    def counts(self) -> str:
        """E.g. "2 to add, 1 to update, 3 unchanged, 2 refused"."""
        return (f"{len(self.to_add)} to add, {len(self.to_update)} to update, "
                f"{len(self.unchanged)} unchanged, {len(self.refused)} refused")

    def summary(self) -> str:
        """The preview as plain text: what the command line prints and the window shows."""
        lines = [f"{self.counts}."]
        if self.notes:
            lines += ["", "Notes:"] + [f"  {note}" for note in self.notes]
        if self.to_add:
            lines += ["", "To add:"] + [f"  Row {r.row}: {describe(r.employee)}" for r in self.to_add]
        if self.to_update:
            lines += ["", "To update:"]
            for u in self.to_update:
                changes = "; ".join(str(c) for c in u.changes)
                lines.append(f"  Row {u.row}: {u.new.employee_number} {u.new.name}: {changes}")
        if self.refused:
            lines += ["", "Refused (not imported; correct them in the file and import it again):"]
            lines += [f"  {refusal}" for refusal in self.refused]
        if not self.has_changes:
            who = "everyone else" if self.refused else "everyone"
            lines += ["", f"Nothing to import: {who} in this file is already on the roster, unchanged."
                      if self.unchanged else "Nothing to import."]
        return "\n".join(lines)


def describe(employee: Employee) -> str:
    """E.g. "1002 Mary Smith (Custodian, Garfield HS)"."""
    details = ", ".join(v for v in (employee.classification, employee.location) if v)
    return f"{employee.employee_number} {employee.name}" + (f" ({details})" if details else "")


def _shown(value: str) -> str:
    return f"“{value}”" if value else "(empty)"


# -- reading -------------------------------------------------------------------------------------


def read_roster_file(path: Path, existing: Iterable[Employee]) -> RosterPreview:
    """Read a roster file and compare it with the stored employees; raise RosterError if it cannot be used."""
    try:
        data = read_user_file(Path(path), MAX_ROSTER_BYTES, "a roster file")
    except UnreadableFile as exc:
        raise RosterError(str(exc)) from exc
    return parse_roster(data, existing)


def decode_roster(data: bytes) -> tuple[str, str]:
    """Return (text, encoding as shown to the user); raise RosterError for a file that is not text."""
    if data.startswith(b"PK\x03\x04"):
        raise RosterError(
            "this is an Excel workbook (.xlsx), not a CSV file. In Excel choose File ▸ Save As, "
            "type “CSV (Comma delimited)”, and import that file."
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterError(
            "this is an old Excel workbook (.xls), not a CSV file. In Excel choose File ▸ Save As, "
            "type “CSV (Comma delimited)”, and import that file."
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise RosterError(f"the file says it is UTF-16 text but is not (at byte {exc.start}).") from exc
    if b"\x00" in data:
        raise RosterError("this is not a text file (it contains NUL bytes). Save the roster as CSV and try again.")
    try:
        text = data.decode("utf-8-sig")
        return text, "UTF-8 (with byte-order mark)" if data.startswith(codecs.BOM_UTF8) else "UTF-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few damaged bytes: read as Windows-1252, every "é" of the file would turn into
    # "Ã©". Its good characters show it is UTF-8; the damaged ones become U+FFFD and their rows
    # are refused by name (see ``_refusal``).
    text = data.decode("utf-8-sig", errors="replace")
    if any(ch > "\x7f" and ch != DAMAGED for ch in text):
        return text, "UTF-8, with damaged characters"
    # Excel's "CSV (Comma delimited)" on a US Windows. The five bytes Windows-1252 leaves undefined
    # are dropped, as control characters are, so one stray byte does not refuse a whole roster.
    return data.decode("cp1252", errors="ignore"), "Windows-1252 (Excel)"


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("#", " number ")).lower()
    return "".join(ch for ch in text if ch.isalnum() and ch.isascii())


def _pick_delimiter(first_line: str, row: int) -> str:
    """The delimiter that splits the column-name row (row ``row``) into the most cells (commas on a tie).

    A delimiter that leaves a cell too long for the csv module is passed over; if every one does, the
    row cannot be the column names and the file is refused naming the row.
    """
    best, best_count, problem = ",", 0, None
    for delimiter in _DELIMITERS:
        try:
            count = len(next(csv.reader([first_line], delimiter=delimiter, strict=False), []))
        except csv.Error as exc:  # e.g. a field larger than the csv module's limit
            problem = problem or exc
            continue
        if count > best_count:
            best, best_count = delimiter, count
    if best_count == 0:
        raise RosterError(_unreadable(row, problem))
    return best


def _unreadable(row: int, exc: Exception | None) -> str:
    """Why row ``row`` cannot be read at all (the csv module gave up on it), as a sentence."""
    if exc is None or "field larger than field limit" in str(exc):
        return (f"row {row} holds a cell of more than {csv.field_size_limit():,} characters, far more than a roster "
                f"holds, so the file cannot be read; check that every quotation mark (\") in row {row} is closed, "
                "or that this is the right file.")
    return (f"row {row} cannot be read as CSV text ({exc}); in Excel choose File ▸ Save As, type “CSV (Comma "
            "delimited)”, and import that file.")


def _read_records(text: str, delimiter: str) -> list[list[str]]:
    """Every CSV record (one Excel row each); raise RosterError naming the row the csv module gives up on."""
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        for cells in reader:
            records.append(cells)
    except csv.Error as exc:  # e.g. a field larger than the csv module's limit
        raise RosterError(_unreadable(len(records) + 1, exc)) from exc
    return records


def _width(cells: list[str]) -> int:
    """The number of cells up to the last one that is not empty (Excel often adds empty ones at the end)."""
    return next((i + 1 for i in range(len(cells) - 1, -1, -1) if cells[i].strip()), 0)


def clean(value: str) -> str:
    """A cell as stored: control characters gone, line breaks and runs of spaces one space, ends trimmed."""
    return " ".join(unicodedata.normalize("NFC", single_line(value)).split())


def parse_roster(data: bytes, existing: Iterable[Employee]) -> RosterPreview:
    """Read a roster from the file's bytes and compare it with ``existing``; raise RosterError if unusable."""
    text, encoding = decode_roster(data)
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip(" \t,;")), None)
    if header_index is None:
        raise RosterError("the file is empty: there is no row of column names and no employee.")
    # The lines before it are blank (no quotation marks), so each is one Excel row.
    delimiter = _pick_delimiter(lines[header_index], header_index + 1)
    records = _read_records(text, delimiter)

    # Excel counts every line, blank ones too, and shows a quoted cell with line breaks in one row:
    # one CSV record is one Excel row.
    numbered = list(enumerate(records, start=1))
    header_at = next((i for i, (_, cells) in enumerate(numbered) if any(c.strip() for c in cells)), None)
    if header_at is None:
        raise RosterError("the file is empty: there is no row of column names and no employee.")
    header_row, header = numbered[header_at]
    header_width = _width(header)  # the columns the header names; empty cells after them do not count
    columns, ignored, duplicates = _match_columns(header)
    missing_required = [f for f in REQUIRED if f not in columns]
    if missing_required:
        found = ", ".join(f"“{clean(h)}”" for h in header if clean(h)) or "nothing"
        wanted = " and ".join({"name": "the employee's name", "employee_number": "the employee number"}[f]
                              for f in missing_required)
        raise RosterError(
            f"no column for {wanted} was found in row {header_row} (it holds {found}). The first row must "
            "name the columns, for example: Name, Employee Number, Classification, Location."
        )

    notes = [f"Text encoding: {encoding}; columns separated by {_DELIMITERS[delimiter]}.",
             "Columns used: " + ", ".join(f"“{clean(header[i])}” as the {FIELD_LABELS[f].lower()}"
                                          for f, i in sorted(columns.items(), key=lambda item: item[1])) + "."]
    absent = [f for f in ("classification", "location") if f not in columns]
    if absent:
        names = " and ".join(FIELD_LABELS[f] for f in absent)
        what = " and ".join(f"a {FIELD_LABELS[f].lower()}" for f in absent)
        notes.append(f"The file has no {names} column{'s' if len(absent) > 1 else ''}: new employees are added "
                     f"without {what}; stored employees keep theirs.")
    for field, name in duplicates:
        notes.append(f"Only the first column for the {FIELD_LABELS[field].lower()} is used; “{name}” is ignored.")
    if ignored:
        notes.append("Columns not used: " + ", ".join(f"“{name}”" for name in ignored) + ".")

    stored = {e.employee_number: e for e in existing}
    first_seen: dict[str, int] = {}
    to_add: list[RosterRow] = []
    to_update: list[RosterUpdate] = []
    unchanged: list[RosterRow] = []
    refused: list[Refusal] = []
    kept_blank = False
    for row, cells in numbered[header_at + 1:]:
        if not any(c.strip() for c in cells):
            continue  # a blank line, or ";;;" that Excel writes for an empty row
        runaway = next((c for c in cells if ("\n" in c or "\r" in c) and delimiter in c), None)
        if runaway is not None:
            # A quotation mark that is never closed: the rest of the file would read as one cell.
            raise RosterError(
                f"row {row} opens a quotation mark (\") that is not closed, so the rows after it would be read "
                f"as one cell. Check the quotation marks in row {row} (it starts “{clean(runaway)[:40]}…”), "
                "save the file and import again."
            )
        width = _width(cells)
        if width > header_width:
            # More cells than columns: most likely a comma inside an unquoted name ("Lee, Ana"), which moves
            # every cell after it one column along. Read as it is, the number would be part of the name.
            refused.append(Refusal(row, _too_many_cells(width, header_width, header_row, delimiter),
                                   Employee(name=clean(delimiter.join(cells[:width]))[:MAX_FIELD_LENGTH])))
            continue
        values = {f: clean(cells[i]) if i < len(cells) else "" for f, i in columns.items()}
        employee = Employee(**{f: values.get(f, "") for f in FIELDS})
        reason = _refusal(values, row, first_seen)
        if employee.employee_number and employee.employee_number not in first_seen:
            first_seen[employee.employee_number] = row
        if reason:
            refused.append(Refusal(row, reason, employee))
            continue
        old = stored.get(employee.employee_number)
        if old is None:
            to_add.append(RosterRow(row, employee))
            continue
        # A missing column or an empty cell keeps what is stored.
        new = replace(old, **{f: v for f, v in values.items() if v})
        kept_blank = kept_blank or any(not values.get(f) and getattr(old, f) for f in columns)
        if new == old:
            unchanged.append(RosterRow(row, old))
        else:
            to_update.append(RosterUpdate(row, old, new))
    if kept_blank:
        notes.append("Empty cells never erase what is stored: those employees keep the value they have.")
    if not (to_add or to_update or unchanged or refused):
        notes.append("The file holds column names but no employees.")
    return RosterPreview(
        tuple(to_add), tuple(to_update), tuple(unchanged), tuple(refused), tuple(notes),
        encoding, delimiter, {f: clean(header[i]) for f, i in columns.items()},
    )


def _match_columns(header: list[str]) -> tuple[dict[str, int], list[str], list[tuple[str, str]]]:
    """Return (field -> column index, names of unused columns, (field, name) of second matches)."""
    columns: dict[str, int] = {}
    ignored: list[str] = []
    duplicates: list[tuple[str, str]] = []
    for index, name in enumerate(header):
        key = _header_key(name)
        field = next((f for f, names in SYNONYMS.items() if key in names), None)
        if field is None:
            if clean(name):
                ignored.append(clean(name))
        elif field in columns:
            duplicates.append((field, clean(name)))
        else:
            columns[field] = index
    return columns, ignored, duplicates


DAMAGED = "\ufffd"  # what a byte that is not UTF-8 becomes in a UTF-8 file


def _too_many_cells(width: int, header_width: int, header_row: int, delimiter: str) -> str:
    """Why a row with more cells than the header names columns is refused."""
    if delimiter == ",":
        hint = ("is there a comma inside a name? Put that name in quotes (\"Lee, Ana\") or separate the columns "
                "with semicolons.")
    else:
        hint = (f"is there a {_DELIMITERS[delimiter][:-1]} inside a name? Put that name in quotes, or take "
                f"the {_DELIMITERS[delimiter][:-1]} out.")
    return (f"the row has {width} cells but row {header_row} names only {header_width} columns, so its cells "
            f"cannot be matched to the columns — {hint}")


def _refusal(values: dict[str, str], row: int, first_seen: dict[str, int]) -> str | None:
    """The reason a row cannot be imported, or None."""
    number, name = values.get("employee_number", ""), values.get("name", "")
    damaged = [FIELD_LABELS[f].lower() for f in FIELDS if DAMAGED in values.get(f, "")]
    if damaged:
        return (f"the {' and '.join(damaged)} hold{'s' if len(damaged) == 1 else ''} a damaged character (shown as "
                f"{DAMAGED}) that is not valid text.")
    if not number and not name:
        return "the name and the employee number are empty."
    if not number:
        return f"the employee number of {name} is empty."
    if not name:
        return f"the name of employee {number} is empty."
    if number in first_seen:
        return f"employee number {number} already appears in row {first_seen[number]}; only that row is used."
    if _EXCEL_SCIENTIFIC.match(number):
        return (f"the employee number {number} was shortened by Excel (scientific notation). Format the column "
                "as Text in Excel, type the numbers again and save.")
    for field in FIELDS:
        value = values.get(field, "")
        if len(value) > MAX_FIELD_LENGTH:
            return (f"the {FIELD_LABELS[field].lower()} is {len(value):,} characters long; "
                    f"at most {MAX_FIELD_LENGTH} fit.")
    return None


# -- employees typed in by hand ------------------------------------------------------------------


def cleaned_employee(employee: Employee) -> Employee:
    """The employee as it would be stored: every field cleaned like a roster cell."""
    return Employee(*(clean(getattr(employee, f)) for f in FIELDS))


def employee_problems(employee: Employee) -> list[str]:
    """What keeps an employee typed in by hand from being stored (empty when it can be)."""
    e = cleaned_employee(employee)
    problems = []
    if not e.name:
        problems.append("The name is missing.")
    if not e.employee_number:
        problems.append("The employee number is missing.")
    for field in FIELDS:
        value = getattr(e, field)
        if len(value) > MAX_FIELD_LENGTH:
            problems.append(f"The {FIELD_LABELS[field].lower()} is {len(value):,} characters long; "
                            f"at most {MAX_FIELD_LENGTH} fit.")
    return problems
