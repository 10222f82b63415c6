"""Imported calendar events made into (or linked to) a plan row lose that link when the row is deleted.

`calendar_event.mapped_id` names a rotation, study block or exam by id, not by foreign key (the table varies
with `mapped_kind`), so nothing emptied it when the row went: `events list` went on saying the event "became
rotation 1", `events remove` refused it as "the plan's rotation 1: delete that instead" (already deleted: a
dead end), and the timeline hid it as drawn by a row that no longer exists. Unlinked, it is what it is again:
an imported event, listed, shown and removable, its suggestion open for the next import to offer.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from imgcoach.core.ids import saved_id
from imgcoach.storage.models import CalendarEvent


def linked_events(session: Any, applicant_id: int | None, kind: str, row_id: int) -> list[CalendarEvent]:
    """The applicant's imported events that made or are linked to the `kind` row `row_id`."""
    return list(session.exec(select(CalendarEvent).where(
        col(CalendarEvent.applicant_id) == applicant_id, col(CalendarEvent.mapped_kind) == kind,
        col(CalendarEvent.mapped_id) == row_id)).all())


def linked_event_ids(session: Any, applicant_id: int | None, kind: str, row_id: int) -> list[int]:
    """`linked_events`' ids: the rows an undo records before the delete unlinks them."""
    return [saved_id(e.id) for e in linked_events(session, applicant_id, kind, row_id)]


def unlink_events(session: Any, applicant_id: int | None, kind: str, row_id: int) -> int:
    """Before the `kind` row `row_id` is deleted: its events become plain imported events; returns how many."""
    events = linked_events(session, applicant_id, kind, row_id)
    for event in events:
        event.mapped_kind, event.mapped_id, event.link_only = "", None, False
        session.add(event)
    return len(events)
