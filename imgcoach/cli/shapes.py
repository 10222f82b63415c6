"""One JSON shape per object, and one way to write a moment, for every `--json` output.

A rotation, reminder, letter, case, contact or applicant has the same keys whichever command prints it
(`rotations show` nests them under their names instead of adding keys to them). Moments (stored in UTC)
are written by `local_iso`: ISO 8601 in the applicant's time zone with its UTC offset, e.g.
"2026-12-02T09:00:00-05:00". Calendar days stay YYYY-MM-DD: a day has no zone.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, tzinfo
from typing import Any

# Bookkeeping columns no reader acts on; left out of every shape so each object keeps one.
# version: the forms' edit check, not data; calendar_uid: the UID a moved row keeps for the export, not data.
_BOOKKEEPING = {"created_at", "updated_at", "version", "calendar_uid"}


def local_iso(value: datetime | None, tz: tzinfo) -> str | None:
    """A stored instant as local ISO 8601 with its offset; None stays None. Naive values are UTC (storage rule)."""
    if value is None:
        return None
    if value.tzinfo is None:
        from datetime import UTC

        value = value.replace(tzinfo=UTC)
    return value.astimezone(tz).isoformat()


def to_jsonable(value: Any, tz: tzinfo) -> Any:
    """Datetimes through `local_iso`, dates as YYYY-MM-DD, containers walked; everything else as is."""
    if isinstance(value, datetime):
        return local_iso(value, tz)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: to_jsonable(v, tz) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v, tz) for v in value]
    return value


def row_json(row: Any) -> dict[str, Any]:
    """A stored row's fields in the model's declared order (a loaded row's own order follows the query).

    A row the quick read made (a namespace of every column in the model's field order, storage.quicklist) has
    no model: its own attributes are already in that order."""
    if not hasattr(type(row), "model_fields"):
        return bookkeeping_free(vars(row))
    data = row.model_dump(exclude=_BOOKKEEPING)
    return {name: data[name] for name in type(row).model_fields if name in data}


def bookkeeping_free(row: dict[str, Any]) -> dict[str, Any]:
    """`row_json` of a row read as a dict of every column in the model's field order (storage.quicklist)."""
    return {name: value for name, value in row.items() if name not in _BOOKKEEPING}


def rotation_json(rotation: Any) -> dict[str, Any]:
    return row_json(rotation)


def applicant_json(applicant: Any) -> dict[str, Any]:
    return row_json(applicant)


def contact_json(contact: Any) -> dict[str, Any]:
    return row_json(contact)


def letter_json(letter: Any, writer: Any, rotation: Any | None) -> dict[str, Any]:
    return letter_shape(row_json(letter), writer.name,
                        rotation_label(rotation.specialty, rotation.institution) if rotation else None)


def letter_shape(fields: dict[str, Any], writer: str, rotation: str | None) -> dict[str, Any]:
    """A letter's fields (row_json) with its writer's name and its rotation's label (cli.quick builds it too)."""
    return {**fields, "writer": writer, "rotation": rotation}


def rotation_label(specialty: str, institution: str) -> str:
    return f"{specialty}, {institution}"


def case_json(*, id: int | None, rotation_id: int | None, title: str, summary: str, tags: Any,
              occurred_on: date | None) -> dict[str, Any]:
    """Keyword fields: `cases list` reads the coach's cases, `rotations show` the stored rows."""
    return {"id": id, "rotation_id": rotation_id, "title": title, "summary": summary, "tags": list(tags),
            "occurred_on": occurred_on}


def stored_case_json(case: Any) -> dict[str, Any]:
    """A stored case (plan's CaseNote) in `case_json`'s shape: `cases add` and `rotations show`."""
    return case_json(id=case.id, rotation_id=case.rotation_id, title=case.title, summary=case.summary,
                     tags=case.tags, occurred_on=case.occurred_on)


def outreach_json(row: Any, status: Any, due: date | None, warnings: list[str]) -> dict[str, Any]:
    """One entry of coach.list_outreach: `outreach list` and every outreach command's --json. ``follow_up_due`` is
    the day the wait since the last e-mail ends; ``next_follow_up`` the day a follow-up is asked for (null where none
    is: no answer awaited, or the rule's last follow-up went out) and ``better_closed`` whether the entry is better
    closed (coach.follow_up_for_list; follow_up_due alone read as a follow-up asked for after the last one)."""
    from imgcoach.coach import follow_up_for_list

    shown = follow_up_for_list(status, due, row.follow_ups_sent)
    return {**row_json(row), "status_today": status.value, "follow_up_due": due, "next_follow_up": shown.next_due,
            "better_closed": shown.better_closed, "warnings": warnings}


def program_json(program: Any) -> dict[str, Any]:
    """One program (its facts with the applicant's overrides laid over): `programs list|add|edit|override`."""
    return {**program.to_row(), "unknown_fields": list(program.unknown_fields()),
            "overridden_fields": sorted(program.overridden), "synthetic": program.synthetic}


def rotation_show_json(detail: Any, tz: tzinfo, window: tuple[date, date], now: datetime) -> dict[str, Any]:
    """`rotations show --json` (both paths): the rotation (plan.rotation_detail's shape) with its relations beside
    it, each object in the shape it has everywhere else; `window` is reminders.letter_window's."""
    from imgcoach.reminders import superseded_openings

    gone = superseded_openings(detail.reminders, now)
    return {
        "rotation": rotation_json(detail.rotation),
        "letter_window": {"opens": window[0], "last_call": window[1]},
        "supervisors": [{"role": role, "contact": contact_json(c)} for c, role in detail.supervisors],
        "letters": [letter_json(lt, c, detail.rotation) for lt, c in detail.letters],
        "cases": [stored_case_json(c) for c in detail.cases],
        "reminders": [reminder_json(r, tz, now, gone) for r in detail.reminders],
    }


# The stored fields reminder_json reads: `reminders list` reads only these (cli.quick), not the 28 columns of
# which 12 (payload, leases, bookkeeping) it would convert for nothing (issue 17). A field read below and
# missing here fails the quick read, which then answers on the full path (tests/test_cli_json.py).
REMINDER_READS = ("id", "kind", "status", "rotation_id", "recipient", "due_at", "expires_at", "sent_at",
                  "next_attempt_at", "attempts", "last_error", "late", "note", "message_id", "delivered_via",
                  "requires_approval", "approved_at", "template_key")


def reminder_json(row: Any, tz: tzinfo, now: datetime | None, superseded: Collection[int]) -> dict[str, Any]:
    """Times in the applicant's zone, ISO 8601 with the UTC offset.

    ``overdue``: pending past its due time (nobody sent it: no daemon running, or delivery failing).
    ``delivered_via``: "email" or "local_mailbox" (written to the Maildir only, not e-mailed).
    ``awaiting_approval``: a message to someone else that no daemon sends before you approve it (never overdue).
    ``expired``: pending past ``expires_at``: no daemon will send it (a daemon's next run marks it missed; never overdue).
    ``superseded``: an "Ask for a letter" whose last call is due too: a daemon's next run cancels it and sends the
    last call (never overdue). `superseded`: the ids reminders.superseded_openings gives of every pending and sending
    reminder of the applicant (DaemonStatus.superseded), not of a filtered list's rows alone: no default, as a row
    shown alone said false of what the list called superseded.
    ``label``: the reminder as the app names it ("Ask for a letter", "Approved: Ask for a letter"); ``kind`` stays.
    """
    from imgcoach.reminders import awaits_approval, is_expired, is_overdue, reminder_label

    awaiting = awaits_approval(row.status, row.requires_approval, row.approved_at)
    local = {key: local_iso(getattr(row, key), tz) for key in ("due_at", "expires_at", "sent_at", "next_attempt_at")}
    return {
        "id": row.id, "kind": row.kind, "status": row.status, "rotation_id": row.rotation_id,
        "recipient": row.recipient, **local, "attempts": row.attempts, "last_error": row.last_error,
        "late": row.late, "note": row.note, "message_id": row.message_id,
        "overdue": now is not None and is_overdue(row.status, row.due_at, now, awaiting=awaiting,
                                                  expires_at=row.expires_at, superseded=row.id in superseded),
        "expired": now is not None and is_expired(row.status, row.expires_at, now),
        "superseded": now is not None and row.id in superseded,
        "delivered_via": row.delivered_via or None,
        "awaiting_approval": awaiting,
        "label": reminder_label(row.kind, row.template_key, approved=row.approved_at is not None),
    }
