"""Imported calendar events one by one: removing the ones the applicant does not want on the plan.

The Import screen and `imgcoach import` bring events in by file; this takes single events (or a
whole series, as the timeline draws it) out again, for the app and the CLI alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from imgcoach.calendar.quick_list import event_start
from imgcoach.calendar.targets import TARGET_KINDS, target_days
from imgcoach.core.context import Context
from imgcoach.core.errors import NotFound, UserError
from imgcoach.storage.applicants import current_applicant
from imgcoach.storage.models import CalendarEvent

if TYPE_CHECKING:
    from imgcoach.plan import Undoable


@dataclass(frozen=True)
class RemovedEvents:
    """What was deleted: how many occurrences, and their titles (each once, in order)."""

    count: int
    titles: list[str]


def list_events(ctx: Context) -> list[CalendarEvent]:
    """The applicant's imported events (every occurrence), earliest first."""
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        rows = list(session.exec(select(CalendarEvent).where(col(CalendarEvent.applicant_id) == applicant.id)).all())
    return sorted(rows, key=lambda row: (_start(row), row.id or 0))


def remove_events(ctx: Context, event_ids: Sequence[int]) -> RemovedEvents:
    """Delete the applicant's imported events `event_ids`, all or none.

    An event that became (or was linked to) a rotation, study block or exam is refused: that plan item
    is deleted on its own screen, and the event goes with a re-import or `import --undo`. The file is
    not touched, so importing it again brings a deleted event back.
    """
    wanted = sorted(set(event_ids))
    if not wanted:
        raise UserError("give the id of one or more imported events")
    with ctx.db.transaction(ctx.applicant_id) as session:
        return _delete_events_in(session, ctx, wanted)


def _delete_events_in(session: Any, ctx: Context, wanted: list[int]) -> RemovedEvents:
    applicant = current_applicant(session, ctx)
    rows = list(session.exec(select(CalendarEvent).where(
        col(CalendarEvent.applicant_id) == applicant.id, col(CalendarEvent.id).in_(wanted))).all())
    missing = sorted(set(wanted) - {row.id for row in rows})
    if missing:
        raise NotFound(f"no imported calendar event {', '.join(map(str, missing))}")
    # A link to a row deleted before deletes freed their events (plan.event_links) names nothing: no refusal.
    planned = [row for row in rows if row.mapped_kind in TARGET_KINDS and row.mapped_id is not None
               and target_days(session, row.mapped_kind, row.mapped_id) is not None]
    if planned:
        row = planned[0]
        raise UserError(f"calendar event {row.id} ({row.summary or 'no title'}) is the plan's "
                        f"{row.mapped_kind.replace('_', ' ')} {row.mapped_id}: delete that instead")
    for row in rows:
        session.delete(row)
    session.flush()
    titles = list(dict.fromkeys(row.summary or "(no title)" for row in sorted(rows, key=_start)))
    return RemovedEvents(len(rows), titles)


def remove_events_with_undo(ctx: Context, event_ids: Sequence[int]) -> Undoable:
    """`remove_events`, recorded so `plan.undo_change` can put the events back (same ids, as they were)."""
    from imgcoach.plan import UndoRecorder

    wanted = sorted(set(event_ids))
    if not wanted:
        raise UserError("give the id of one or more imported events")
    with ctx.db.transaction(ctx.applicant_id) as session:
        recorder = UndoRecorder(session)
        recorder.capture("calendar_event", wanted)
        removed = _delete_events_in(session, ctx, wanted)
        what = f"{removed.count} imported event{'s' if removed.count != 1 else ''}"
        return recorder.finish(ctx, what=what, done=f"Deleted {what}: {', '.join(removed.titles)}",
                               table="calendar_event", result=removed)


def _start(row: CalendarEvent) -> str:
    return event_start(row.start_at, row.start_date)
