"""The plan as the app's first frame reads it: stdlib sqlite3 only, no SQLAlchemy (storage.quickread).

Offered through the plan API so the app (a face) never imports storage; the loaded screen then switches
to the ordinary use cases (load_plan).
"""

from pathlib import Path

from imgcoach.storage.quickread import has_no_applicant as no_applicant_yet
from imgcoach.storage.quickread import read_plan as read_plan_quickly
from imgcoach.storage.quickread import sqlite_file

__all__ = ["local_database_file", "missing_database_file", "no_applicant_yet", "read_plan_quickly"]


def missing_database_file(url: str) -> Path | None:
    """The SQLite file `url` names when nothing is there yet: opening it would create a new, empty database,
    so a face asks first (a mistyped --db must not leave an empty database behind). None otherwise."""
    path = sqlite_file(url)
    return path if path is not None and not path.exists() else None



def local_database_file(url: str) -> Path | None:
    """The SQLite file `url` names when it is there: a quick read of it is local (no server to wait for)."""
    path = sqlite_file(url)
    return path if path is not None and path.is_file() else None
