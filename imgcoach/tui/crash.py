"""Unexpected errors in the app: written to a log file the user can send, summed up in one line.

The app must never die with a traceback and exit status 0. An error in a worker (a load, a save,
an action) leaves the app usable, so it is shown as a notification and the app goes on; an error
anywhere else may have left a widget dead, so the app closes with status 1 and says where the
details are. An error the file, the machine or another writer caused (a database locked past the
busy timeout, a full disk, a read-only file) is not a bug: it is told in plain words (`storage_problem`),
and a form keeps what was typed so that saving again works once the cause is gone.
"""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path


def error_log_path() -> Path:
    from imgcoach.core.locations import data_dir

    return data_dir() / "app-errors.log"


def log_unexpected(error: BaseException) -> Path | None:
    """Append the traceback to the log; the path, or None when even that failed (disk full)."""
    path = error_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(f"--- {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n")
            out.write("".join(traceback.format_exception(error)))
    except OSError:
        return None
    return path


def summary(error: BaseException) -> str:
    """One line: the exception's type and first line of its message."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def storage_problem(error: BaseException) -> str | None:
    """The one-line message for an error of the database's file, machine or another writer; None for a bug."""
    from imgcoach.composition import storage_error_message

    return storage_error_message(error)
