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

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlmodel import col, select

from imgcoach.core.clock_times import ended, exact_days_in, length_of, placed, wall_text
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


@dataclass(frozen=True)
class Replaced:
    """What a change of zone did to the imported events that follow the applicant's zone."""

    floating: int = 0  # no zone in their file: placed again at their clock time
    assumed: int = 0  # a TZID no zone matched, read in the applicant's zone: placed again likewise

    def __int__(self) -> int:
        return self.floating + self.assumed


def replace_floating_events(session: Any, applicant_id: int | None, zone: str) -> Replaced:
    """Place each event of the applicant that follows its zone at its clock time in `zone`, the applicant's zone
    now; says how many of each kind moved.

    Those are floating events (a time with no zone in its file, RFC 5545) and events whose TZID no zone matched
    (`zone_assumed`: the import read them in the applicant's zone and said so; keeping their instant after a move
    changed their clock time silently, and the next import of the file moved them anyway). A row's tzid names the
    zone its UTC times were placed in (the applicant's when it was read), so every row not placed in `zone`
    moves: after a change of zone (the profile change calls this in its own transaction) and after an undo that
    put back rows placed in an earlier zone (calendar import undo). The clock time is the one the file gave
    (wall_start/wall_end), placed by core.clock_times.placed as the reader places it: read back from the instant,
    a time the old zone skips (02:30 on a spring-forward night, placed 03:30) came out an hour late. An event
    whose file gave a DURATION ends that long after its new start (core.clock_times.ended, as the reader). Rows
    imported before upgrade 0012 have none and are placed from their instant. Each time is placed by its own
    date's offsets, its RECURRENCE-ID key (the UTC of its original start, calendar.values.recurrence_key) with it,
    so the next import of the file, read in the new zone, finds the same rows. Here in plan, not in calendar: the
    profile use case may not import the calendar feature (layers). All-day events are dates and never move."""
    new = ZoneInfo(zone)
    rows = list(session.exec(select(CalendarEvent).where(
        col(CalendarEvent.applicant_id) == applicant_id,
        or_(col(CalendarEvent.floating).is_(True), col(CalendarEvent.zone_assumed) != ""),
        col(CalendarEvent.all_day).is_(False), col(CalendarEvent.tzid) != zone)).all())
    keys: list[tuple[CalendarEvent, str]] = []
    floating = assumed = 0
    for event in rows:
        try:
            old = ZoneInfo(event.tzid)
        except (ValueError, KeyError, OSError):  # not a zone key (never written so): leave the row as it is
            continue
        old_start = event.start_at
        event.start_at = _same_clock(event.start_at, event.wall_start, old, new)
        if event.wall_length and event.wall_start and event.end_at is not None:
            # Its file gave a DURATION: it lasts that long from its start as placed now (hours elapsed), and its
            # clock end is where that falls in `new`, as an import in `new` reads it.
            event.end_at = ended(datetime.fromisoformat(event.wall_start), length_of(event.wall_length), new,
                                 exact_days=exact_days_in(event.wall_length))
            event.wall_end = wall_text(event.end_at.astimezone(new))
        else:
            event.end_at = _same_clock(event.end_at, event.wall_end, old, new)
        event.tzid = zone
        rid = _same_clock_key(event.recurrence_id, old_start, event.start_at, old, new)
        if rid != event.recurrence_id:
            # Through a key no row has: occurrences an hour apart would swap keys, and the unique index
            # (applicant, UID, RECURRENCE-ID) is checked row by row.
            keys.append((event, rid))
            event.recurrence_id = f"{_MOVING}{event.id}"
        session.add(event)
        if event.floating:
            floating += 1
        else:
            assumed += 1
    session.flush()
    for event, rid in keys:
        event.recurrence_id = rid
        session.add(event)
    session.flush()
    return Replaced(floating, assumed)


_MOVING = "moving-"  # a passing RECURRENCE-ID key while floating keys move (never a real key: those are digits)


def _same_clock(moment: datetime | None, wall: str, old: ZoneInfo, new: ZoneInfo) -> datetime | None:
    """The UTC instant of the file's clock time `wall` in `new`; without one (a row from before upgrade 0012),
    of the clock time `moment` had in `old`."""
    if moment is None:
        return None
    clock = datetime.fromisoformat(wall) if wall else moment.astimezone(old).replace(tzinfo=None)
    return placed(clock, new)


def _same_clock_key(key: str, old_start: datetime | None, new_start: datetime | None, old: ZoneInfo,
                    new: ZoneInfo) -> str:
    """A RECURRENCE-ID key "YYYYMMDDTHHMMSSZ" of an occurrence that follows the zone, placed as its times are.

    An occurrence not moved by an override starts at its original start: its key follows its start (placed
    from the file's clock time). A moved one's key is placed from its instant in `old`."""
    if len(key) != 16 or not key.endswith("Z"):
        return key  # none (a single event) or a date
    try:
        moment = datetime.strptime(key, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return key
    moved = new_start if new_start is not None and moment == old_start else _same_clock(moment, "", old, new)
    assert moved is not None
    return f"{moved.year:04}{moved.month:02}{moved.day:02}T{moved.hour:02}{moved.minute:02}{moved.second:02}Z"
