"""The whole plan in one read, for the timeline, the dashboard and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from imgcoach.core.context import Context
from imgcoach.core.errors import NotFound
from imgcoach.plan.rules.conflicts import Conflict, find_conflicts
from imgcoach.plan.rules.load import WeekLoad, weekly_load
from imgcoach.storage.applicants import current_applicant, find_applicant
from imgcoach.storage.models import (
    Applicant,
    CalendarEvent,
    CalendarSource,
    Contact,
    ExamResult,
    LetterRequest,
    Reminder,
    Rotation,
    StudyBlock,
)


@dataclass
class PlanSnapshot:
    """Plain data handed to screens: they render it and never query."""

    applicant: Applicant | None
    today: date
    rotations: list[Rotation] = field(default_factory=list)
    study_blocks: list[StudyBlock] = field(default_factory=list)
    exams: list[ExamResult] = field(default_factory=list)
    letters: list[LetterRequest] = field(default_factory=list)
    contacts: dict[int, Contact] = field(default_factory=dict)
    reminders: list[Reminder] = field(default_factory=list)  # all, by due time
    events: list[CalendarEvent] = field(default_factory=list)  # imported calendar events
    conflicts: list[Conflict] = field(default_factory=list)
    load: list[WeekLoad] = field(default_factory=list)

    def upcoming(self, limit: int = 10) -> list[Reminder]:
        return [r for r in self.reminders if r.status in ("pending", "failed")][:limit]


def load_plan(ctx: Context) -> PlanSnapshot:
    with ctx.db.read() as session:
        applicant = find_applicant(session, ctx)
        if applicant is None:
            return PlanSnapshot(None, ctx.clock.now().date())
        from zoneinfo import ZoneInfo

        today = ctx.clock.now().astimezone(ZoneInfo(applicant.timezone)).date()
        aid = applicant.id
        rotations = list(session.exec(select(Rotation).where(Rotation.applicant_id == aid).order_by(col(Rotation.start_date))).all())
        blocks = list(session.exec(select(StudyBlock).where(StudyBlock.applicant_id == aid).order_by(col(StudyBlock.start_date))).all())
        exams = list(session.exec(select(ExamResult).where(ExamResult.applicant_id == aid).order_by(col(ExamResult.taken_on))).all())
        letters = list(session.exec(select(LetterRequest).where(LetterRequest.applicant_id == aid)).all())
        contacts = {c.id: c for c in session.exec(select(Contact).where(Contact.applicant_id == aid)).all() if c.id}
        reminders = list(
            session.exec(select(Reminder).where(Reminder.applicant_id == aid).order_by(col(Reminder.due_at), col(Reminder.id))).all()
        )
        events = list(
            session.exec(
                select(CalendarEvent).join(CalendarSource).where(CalendarSource.applicant_id == aid)
            ).all()
        )
    spans = rotations + blocks
    first = min((s.start_date for s in spans), default=today) - timedelta(days=7)
    last = max((s.end_date for s in spans), default=today) + timedelta(days=7)
    return PlanSnapshot(
        applicant, today, rotations, blocks, exams, letters, contacts, reminders, events,
        find_conflicts(rotations, blocks), weekly_load(rotations, blocks, first, last),
    )


def change_marker(ctx: Context) -> tuple[Any, ...]:
    """A cheap fingerprint of what other processes (the daemon, the CLI) may change.

    One small query; the app polls it and reloads the screen when it differs.
    """
    with ctx.db.read() as session:
        row = session.exec(
            # sqlmodel's select() is typed for at most 4 columns; SQLAlchemy's takes any number.
            select(  # type: ignore[call-overload]
                select(func.max(Reminder.updated_at)).scalar_subquery(),
                select(func.count(col(Reminder.id))).scalar_subquery(),
                select(func.max(Rotation.updated_at)).scalar_subquery(),
                select(func.max(LetterRequest.updated_at)).scalar_subquery(),
                select(func.max(Applicant.updated_at)).scalar_subquery(),
                select(func.count(col(StudyBlock.id))).scalar_subquery(),
            )
        ).one()
    return tuple(row)


def calendar_event(ctx: Context, event_id: int) -> CalendarEvent:
    """One imported calendar event of the applicant."""
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        row = session.exec(
            select(CalendarEvent).join(CalendarSource, col(CalendarSource.id) == col(CalendarEvent.source_id))
            .where(CalendarEvent.id == event_id, CalendarSource.applicant_id == applicant.id)
        ).first()
    if row is None:
        raise NotFound(f"no calendar event with id {event_id}")
    return row
