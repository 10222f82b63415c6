"""The calendar UIDs this program mints, and the salt that makes them one applicant's.

Here in the kernel because three layers need the one rule: reminders mint UIDs (and Message-IDs) for their
e-mails' calendar entries, the calendar's export publishes the plan's rows under UIDs, and storage's move of
an applicant to another database (storage.transfer) stores the UID each moved row was published under, so a
subscribed calendar keeps one entry per row after the move (the rule derives UIDs from row ids, and the move
gives every row a new id).
"""

from __future__ import annotations

from datetime import datetime

OWN_UID_SUFFIX = "@imgcoach"  # every calendar UID this program writes ends so: an import looks for its own only then

# The key a plan row's UID is made from, by table: "<prefix>:<row id>".
PLAN_UID_PREFIX = {"rotation": "rotation", "study_block": "study", "exam_result": "exam", "letter_request": "letter"}


def applicant_salt(applicant_id: int | None, created_at: datetime | str | None) -> str:
    """Per-applicant salt so two databases never mint the same Message-ID or UID. `created_at` as stored, or
    as an applicant export writes it (its ISO text, which is what `isoformat` gives here)."""
    created = created_at.isoformat() if isinstance(created_at, datetime) else (created_at or "")
    return f"{applicant_id}:{created}"


def calendar_uid_for(key: str, salt: str) -> str:
    import hashlib  # here: ~3 ms of import a reader of this module's constants does not need

    digest = hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()[:24]
    return f"{digest}-{key.replace(':', '-')}{OWN_UID_SUFFIX}"


def plan_row_uid(table: str, row_id: int, salt: str, stored: str | None = None) -> str:
    """The UID a plan row is published under: the one it keeps from before a move (`stored`), else the one
    made from its id."""
    return stored or calendar_uid_for(f"{PLAN_UID_PREFIX[table]}:{row_id}", salt)
