"""What goes in the weekly digest, from plain values: which week, when it is due, and the week's items.

No database here (imgcoach.reminders.digest gathers the facts); "now" comes from an injected clock. Weeks run
Monday to Sunday in the applicant's zone, so a week with a daylight-saving change is 167 or 169 hours long
and every boundary is computed per date, never by adding hours.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from imgcoach.core.clock import Clock, local_today
from imgcoach.core.settings import ReminderTiming
from imgcoach.reminders.kinds import FOLLOW_UP_KIND, reminder_heading
from imgcoach.reminders.mail.context import DigestItem
from imgcoach.reminders.rules import end_of_day, local_moment

DIGEST_KIND = "weekly_digest"
EXPIRES_AFTER_DAYS = 2  # a digest not sent by the end of Wednesday is no longer worth sending
SHORTLIST_LINES = 10

@dataclass(frozen=True)
class DigestWeek:
    applicant_id: int
    week_start: date  # Monday
    tz: str
    due_at: datetime  # UTC: Monday at the reminder hour in the applicant's zone
    expires_at: datetime  # UTC: end of Monday + EXPIRES_AFTER_DAYS days

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def key(self) -> str:
        return f"digest:{self.applicant_id}:{self.week_start.isoformat()}"

    @property
    def starts_at(self) -> datetime:
        """Monday 00:00 local, in UTC."""
        return _local_midnight(self.week_start, self.tz)

    @property
    def ends_at(self) -> datetime:
        """The next Monday 00:00 local, in UTC (exclusive end)."""
        return _local_midnight(self.week_start + timedelta(days=7), self.tz)

    def contains(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at

    def contains_day(self, day: date) -> bool:
        return self.week_start <= day <= self.week_end


def _local_midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def digest_week(applicant_id: int, week_start: date, tz: str, timing: ReminderTiming) -> DigestWeek:
    if week_start.weekday() != 0:
        raise ValueError(f"a digest week starts on a Monday, not {week_start:%A} {week_start}")
    return DigestWeek(
        applicant_id=applicant_id, week_start=week_start, tz=tz,
        due_at=local_moment(week_start, tz, timing),
        expires_at=end_of_day(week_start + timedelta(days=EXPIRES_AFTER_DAYS), tz),
    )


def current_digest_week(clock: Clock, applicant_id: int, tz: str, timing: ReminderTiming) -> DigestWeek:
    """The week whose digest should exist now: this week's until it expires (Wednesday night), then next week's."""
    week = digest_week(applicant_id, monday_of(local_today(clock, tz)), tz, timing)
    if clock.now() >= week.expires_at:
        week = digest_week(applicant_id, week.week_start + timedelta(days=7), tz, timing)
    return week


# --- the facts a week is made of (plain values the service reads from the database) ---------------
@dataclass(frozen=True)
class ReminderFact:
    id: int
    due: datetime  # aware
    kind: str
    about: str = ""  # e.g. "Internal Medicine, Lakeside General" or the supervisor's name
    awaiting_approval: bool = False
    template_key: str = ""  # an approved supervisor draft carries its reminder's kind: "Approved: ..."
    refusal: str = ""  # why `reminders approve` refuses a draft awaiting approval (outbox.approval_refusal), if it does


@dataclass(frozen=True)
class RotationFact:
    start: date
    end: date
    title: str  # "Internal Medicine observership, Lakeside General"


@dataclass(frozen=True)
class StudyFact:
    start: date
    exam: str
    hours_per_week: int = 0
    goal: str = ""


@dataclass(frozen=True)
class ExamFact:
    on: date
    exam: str


@dataclass(frozen=True)
class FollowUpFact:
    due: datetime  # aware
    institution: str
    contact: str = ""


def digest_items(
    week: DigestWeek,
    *,
    reminders: Iterable[ReminderFact] = (),
    rotations: Iterable[RotationFact] = (),
    study: Iterable[StudyFact] = (),
    exams: Iterable[ExamFact] = (),
    follow_ups: Iterable[FollowUpFact] = (),
) -> list[DigestItem]:
    """The week's items in time order; whole-day items sort at the start of their day."""

    def day_item(day: date, title: str, detail: str = "") -> DigestItem:
        return DigestItem(_local_midnight(day, week.tz), title, detail, all_day=True)

    items: list[DigestItem] = []
    for r in reminders:
        if r.kind == DIGEST_KIND or not week.contains(r.due):
            continue
        detail = r.about
        if r.awaiting_approval:
            # Offered only where approve approves it; else why not, in approve's words (its "reminder N: " said once)
            act = (f"it cannot be approved: {r.refusal.removeprefix(f'reminder {r.id}: ')}" if r.refusal
                   else f"approve it with `imgcoach reminders approve {r.id}`")
            detail = f"{r.about}; {act}" if r.about else act
        # The one label (reminders.reminder_heading), not a table of the digest's own ("Ask for mid-rotation
        # feedback" for the Outbox's "Ask for feedback"; an approved e-mail to a supervisor read as the reminder).
        items.append(DigestItem(r.due.astimezone(UTC), reminder_heading(r.kind, r.template_key,
                                                                        awaiting=r.awaiting_approval), detail))
    for rot in rotations:
        if week.contains_day(rot.start):
            items.append(day_item(rot.start, f"Rotation starts: {rot.title}"))
        if week.contains_day(rot.end):
            items.append(day_item(rot.end, f"Rotation ends: {rot.title}"))
    for block in study:
        if week.contains_day(block.start):
            detail = ", ".join(x for x in (f"{block.hours_per_week} h/week" if block.hours_per_week else "",
                                           block.goal) if x)
            items.append(day_item(block.start, f"Study block starts: {block.exam}", detail))
    for exam in exams:
        if week.contains_day(exam.on):
            items.append(day_item(exam.on, f"Exam: {exam.exam}"))
    for f in follow_ups:
        if week.contains(f.due):
            items.append(DigestItem(f.due.astimezone(UTC), f"{reminder_heading(FOLLOW_UP_KIND)}: {f.institution}",
                                    f.contact))
    return sorted(items, key=lambda i: (i.when, not i.all_day, i.title))


def digest_payload(week: DigestWeek, items: list[DigestItem], shortlist: list[str], computed_at: datetime,
                   since: datetime | None) -> dict[str, Any]:
    """The JSON stored in the reminder row (imgcoach.reminders.outgoing turns it back into a Digest)."""
    lines = shortlist[:SHORTLIST_LINES]
    if len(shortlist) > SHORTLIST_LINES:
        lines.append(f"... and {len(shortlist) - SHORTLIST_LINES} more: run `imgcoach shortlist`")
    return {
        "digest": {
            "week_start": week.week_start.isoformat(),
            "week_end": week.week_end.isoformat(),
            "items": [{"when": i.when.astimezone(UTC).isoformat(), "title": i.title, "detail": i.detail,
                       "all_day": i.all_day} for i in items],
            "shortlist": lines,
        },
        "computed_at": computed_at.astimezone(UTC).isoformat(),
        "since": since.astimezone(UTC).isoformat() if since else None,
    }


def same_content(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """True when a stored payload already says what ``new`` says (its computation time aside)."""
    if not old:
        return False
    return old.get("digest") == new.get("digest") and old.get("since") == new.get("since")
