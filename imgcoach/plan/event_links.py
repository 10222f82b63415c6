"""Imported calendar events made into (or linked to) a plan row lose that link when the row is deleted.

`calendar_event.mapped_id` names a rotation, study block or exam by id, not by foreign key (the table varies
with `mapped_kind`), so nothing emptied it when the row went: `events list` went on saying the event "became
rotation 1", `events remove` refused it as "the plan's rotation 1: delete that instead" (already deleted: a
dead end), and the timeline hid it as drawn by a row that no longer exists. Unlinked, it is what it is again:
an imported event, listed, shown and removable, its suggestion open for the next import to offer. (Links a
database kept from before this were freed by upgrade 0011.)

Also here, as the other rule plan's use cases apply to imported events: floating events follow the applicant's
zone (`replace_floating_events`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

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


def replace_floating_events(session: Any, applicant_id: int | None, zone: str) -> int:
    """Place each floating event of the applicant (a time with no zone in its file, RFC 5545) at its clock time
    in `zone`, the applicant's zone now; returns how many rows moved.

    A floating row's tzid names the zone its UTC times were placed in (the applicant's when it was read), so
    every row not placed in `zone` moves from there: after a change of zone (the profile change calls this in
    its own transaction) and after an undo that put back rows placed in an earlier zone (calendar import undo).
    Without it an 09:00 ward round imported in London read 03:00 after a move to Chicago. Each time is placed by
    its own date's offsets (a series crossing a clock change keeps 09:00 on both sides), its RECURRENCE-ID key
    (the UTC of its floating original start, calendar.values.recurrence_key) with it, so the next import of
    the file, read in the new zone, finds the same rows. Here in plan, not in calendar: the profile use case may
    not import the calendar feature (layers), and the rule is only this arithmetic. All-day events are dates
    and never move."""
    new = ZoneInfo(zone)
    rows = list(session.exec(select(CalendarEvent).where(
        col(CalendarEvent.applicant_id) == applicant_id, col(CalendarEvent.floating).is_(True),
        col(CalendarEvent.all_day).is_(False), col(CalendarEvent.tzid) != zone)).all())
    keys: list[tuple[CalendarEvent, str]] = []
    moved = 0
    for event in rows:
        try:
            old = ZoneInfo(event.tzid)
        except (ValueError, KeyError, OSError):  # not a zone key (never written so): leave the row as it is
            continue
        event.start_at = _same_clock(event.start_at, old, new)
        event.end_at = _same_clock(event.end_at, old, new)
        event.tzid = zone
        rid = _same_clock_key(event.recurrence_id, old, new)
        if rid != event.recurrence_id:
            # Through a key no row has: occurrences an hour apart would swap keys, and the unique index
            # (applicant, UID, RECURRENCE-ID) is checked row by row.
            keys.append((event, rid))
            event.recurrence_id = f"{_MOVING}{event.id}"
        session.add(event)
        moved += 1
    session.flush()
    for event, rid in keys:
        event.recurrence_id = rid
        session.add(event)
    session.flush()
    return moved


_MOVING = "moving-"  # a passing RECURRENCE-ID key while floating keys move (never a real key: those are digits)


def _same_clock(moment: datetime | None, old: ZoneInfo, new: ZoneInfo) -> datetime | None:
    """The UTC instant with the clock time `moment` had in `old`, in `new` (fold 0, as the reader reads a
    floating time)."""
    if moment is None:
        return None
    wall = moment.astimezone(old).replace(tzinfo=None)
    return wall.replace(tzinfo=new, fold=0).astimezone(UTC)


def _same_clock_key(key: str, old: ZoneInfo, new: ZoneInfo) -> str:
    """A RECURRENCE-ID key "YYYYMMDDTHHMMSSZ" of a floating occurrence, placed as `_same_clock` places times."""
    if len(key) != 16 or not key.endswith("Z"):
        return key  # none (a single event) or a date
    try:
        moment = datetime.strptime(key, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return key
    moved = _same_clock(moment, old, new)
    assert moved is not None
    return f"{moved.year:04}{moved.month:02}{moved.day:02}T{moved.hour:02}{moved.minute:02}{moved.second:02}Z"
