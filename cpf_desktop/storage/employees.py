"""The roster in the database: employees, keyed by their employee number. Takes and returns ``Employee``.

The employee number is the key: it is set when an employee is added and never changes afterwards.
Reviews copy an employee's fields and never point at this table (see migration 3), so nothing
done here can change a review.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..review import Employee, RuleError
from ..roster import RosterPreview, cleaned_employee, employee_problems
from .database import StorageError, describe_sqlite_error, ensure_same_file, file_identity, query, sqlite_utils
from .reviews import ReviewStore, now


class EmployeeNotFound(StorageError):
    """No employee has that number."""


class EmployeeExists(RuleError):
    """An employee with that number is already on the roster."""


class RosterChanged(RuleError):
    """The stored roster changed between the preview and the import; nothing was stored."""


@dataclass(frozen=True)
class RosterResult:
    added: int
    updated: int

    def __str__(self) -> str:
        return f"{self.added} employee(s) added, {self.updated} updated"


class EmployeeStore:
    """The employees of one data folder, on the review store's connection (one file, one transaction)."""

    def __init__(self, db: sqlite_utils.Database, path: Path, identity: tuple[int, int] | None = None):
        self.db = db
        self.path = path
        self.identity = identity if identity is not None else file_identity(path)

    @classmethod
    def of(cls, store: ReviewStore) -> "EmployeeStore":
        """The roster beside ``store``'s reviews (cheap: it holds no state of its own)."""
        return cls(store.db, store.path, store.identity)

    # -- reading -------------------------------------------------------------------------------

    def list_employees(self) -> list[Employee]:
        """Every employee, by name (then number)."""
        rows = self._query(
            "SELECT employee_number, name, classification, location FROM employees"
            " ORDER BY name COLLATE NOCASE, employee_number"
        )
        return [_employee(r) for r in rows]

    def count(self) -> int:
        return self._query("SELECT count(*) AS n FROM employees")[0]["n"]

    def find_by_number(self, employee_number: str) -> Employee | None:
        rows = self._query(
            "SELECT employee_number, name, classification, location FROM employees WHERE employee_number = ?",
            [employee_number],
        )
        return _employee(rows[0]) if rows else None

    def get(self, employee_number: str) -> Employee:
        found = self.find_by_number(employee_number)
        if found is None:
            raise EmployeeNotFound(f"There is no employee number {employee_number} on the roster.")
        return found

    # -- writing -------------------------------------------------------------------------------

    def add(self, employee: Employee) -> Employee:
        """Store a new employee (fields cleaned); raise EmployeeExists for a number already on the roster."""
        employee = self._checked(employee)
        stamp = now().isoformat()
        with self._writing():
            with self.db.atomic():
                self._refuse_existing(employee.employee_number)
                self._insert(employee, stamp)
        return employee

    def update(self, employee: Employee) -> Employee:
        """Store new name, classification and location for the employee with ``employee.employee_number``."""
        employee = self._checked(employee)
        with self._writing():
            with self.db.atomic():
                cursor = self.db.execute(
                    "UPDATE employees SET name = ?, classification = ?, location = ?, updated_at = ?"
                    " WHERE employee_number = ?",
                    [employee.name, employee.classification, employee.location, now().isoformat(),
                     employee.employee_number],
                )
                if cursor.rowcount != 1:
                    raise EmployeeNotFound(f"There is no employee number {employee.employee_number} on the roster.")
        return employee

    def apply_roster(self, preview: RosterPreview) -> RosterResult:
        """Store a roster preview's additions and updates in one transaction: all of them or none.

        If the roster changed since the preview was made (an employee added or edited meanwhile),
        RosterChanged is raised and nothing is stored: the user previews the file again.
        """
        stamp = now().isoformat()
        with self._writing():
            with self.db.atomic():
                for added in preview.to_add:
                    employee = added.employee
                    if self.find_by_number(employee.employee_number) is not None:
                        raise RosterChanged(
                            f"Employee number {employee.employee_number} (row {added.row}) was added to the roster "
                            "after the preview was made. Nothing was stored; import the file again."
                        )
                    self._insert(employee, stamp)
                for update in preview.to_update:
                    old, new = update.old, update.new
                    cursor = self.db.execute(
                        "UPDATE employees SET name = ?, classification = ?, location = ?, updated_at = ?"
                        " WHERE employee_number = ? AND name = ? AND classification = ? AND location = ?",
                        [new.name, new.classification, new.location, stamp,
                         old.employee_number, old.name, old.classification, old.location],
                    )
                    if cursor.rowcount != 1:
                        raise RosterChanged(
                            f"Employee number {old.employee_number} (row {update.row}) was changed or removed after "
                            "the preview was made. Nothing was stored; import the file again."
                        )
        return RosterResult(len(preview.to_add), len(preview.to_update))

    # -- helpers -------------------------------------------------------------------------------

    def _checked(self, employee: Employee) -> Employee:
        problems = employee_problems(employee)
        if problems:
            raise RuleError(" ".join(problems))
        return cleaned_employee(employee)

    def _refuse_existing(self, employee_number: str) -> None:
        found = self.find_by_number(employee_number)
        if found is not None:
            raise EmployeeExists(f"Employee number {employee_number} is already on the roster ({found.name}).")

    def _insert(self, employee: Employee, stamp: str) -> None:
        self.db.execute(
            "INSERT INTO employees (employee_number, name, classification, location, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [employee.employee_number, employee.name, employee.classification, employee.location, stamp, stamp],
        )

    def _query(self, sql: str, params: list | None = None) -> list[dict[str, Any]]:
        return query(self.db.conn, self.path, sql, params)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Turn SQLite errors raised while writing into a StorageError with a plain sentence."""
        ensure_same_file(self.path, self.identity)
        try:
            yield
        except sqlite3.IntegrityError as exc:
            if "unique" in str(exc).lower():  # another program added the same number meanwhile
                raise EmployeeExists("That employee number is already on the roster.") from exc
            raise StorageError(describe_sqlite_error(exc, self.path)) from exc
        except sqlite3.Error as exc:
            raise StorageError(describe_sqlite_error(exc, self.path)) from exc


def _employee(row: dict[str, Any]) -> Employee:
    return Employee(row["name"] or "", row["employee_number"] or "", row["classification"] or "", row["location"] or "")
