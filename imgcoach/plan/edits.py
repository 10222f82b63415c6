"""Saving an edit made in a form that stayed open: never a silent lost update.

A form loads a row (its values and its `version`), the person edits for a while, then saves. Meanwhile
another process (the CLI, a second window, the calendar import) may have changed the same row. The edit
use cases take what the form loaded (`loaded=`); `check_loaded` compares it with the row as stored and
raises EditConflict naming each field that changed, so the face can offer reload or overwrite.

The check runs inside the write transaction, and the applicant's write transactions are serialised on both
engines (storage.db: BEGIN IMMEDIATE on SQLite, the applicant's advisory lock on PostgreSQL), so nothing can
slip in between the check and the write. The CLI loads and saves in one
command and passes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from imgcoach.core.errors import EditConflict

Loaded = Mapping[str, Any]  # the row's values as a form loaded them (model_dump()), "version" included


class Versioned(Protocol):
    """A row with an edit counter (storage.models: applicant, exam_result, study_block, rotation, contact)."""

    version: int

    def model_dump(self) -> dict[str, Any]: ...


def check_loaded(row: Versioned, loaded: Loaded | None, fields: Sequence[str], what: str, label: str,
                 span: tuple[date, date] | None = None) -> None:
    """Raise EditConflict when the row changed since `loaded` was read, in a field the form shows or saves.

    A newer version whose fields all still equal what the form loaded loses nothing when overwritten
    (another save of the same values), so it is no conflict.
    """
    if loaded is None or loaded.get("version") in (None, row.version):
        return
    changed = {name: (loaded.get(name), getattr(row, name)) for name in fields
               if name in loaded and loaded.get(name) != getattr(row, name)}
    if changed:
        raise EditConflict(what, label, changed, row.model_dump(), span)
