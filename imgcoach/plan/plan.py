"""The whole plan in one read, for the timeline, the dashboard and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import col, select

from imgcoach.core.context import Context
from imgcoach.plan.rules.conflicts import Conflict, find_conflicts
from imgcoach.plan.rules.load import WeekLoad, weekly_load
from imgcoach.storage.applicants import find_applicant
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
