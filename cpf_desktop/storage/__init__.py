"""Storage: the only package that speaks SQL. Functions take and return core objects."""
from .database import SCHEMA_VERSION, DataFileLost, StorageError, open_database
from .reviews import ReviewNotFound, ReviewStore, ReviewSummary, open_store
from .employees import EmployeeExists, EmployeeNotFound, EmployeeStore, RosterChanged, RosterResult

__all__ = [
    "SCHEMA_VERSION",
    "StorageError",
    "DataFileLost",
    "open_database",
    "ReviewNotFound",
    "ReviewStore",
    "ReviewSummary",
    "open_store",
    "EmployeeExists",
    "EmployeeNotFound",
    "EmployeeStore",
    "RosterChanged",
    "RosterResult",
]
