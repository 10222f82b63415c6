"""What the timeline shows, built from a plan: the full PlanSnapshot or the storage quick read.

Both carry the same attribute names, so one function serves the first (quick) frame and the full
load that replaces it, and a test can check that they agree. Only pure rules are imported here:
the first frame must not wait for the database stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from imgcoach.core.event_days import event_days
from imgcoach.plan import OVERLOAD_HOURS, Conflict, blocks_past_exam, find_conflicts, weekly_load
from imgcoach.reminders import (
    awaits_approval,
    is_expired,
    is_overdue,
    reminder_heading,
    rotation_kind_label,
    superseded_openings,
)
from imgcoach.tui import dates, render

NEXT_ITEMS = 10
OWN_ROW_KINDS = ("rotation", "study_block", "exam")  # imported events that became plan rows: drawn as those


class NextItem(NamedTuple):
    """One line of "Next up", with what Enter on it opens: kind is reminder | letter | exam | study (a study
    block) | notice (the reminders not sent: the Outbox), ref the row's id (None for the notice)."""

    day: date | None  # local day (None: a notice)
    what: str
    detail: str
    kind: str = "notice"
    ref: int | None = None


@dataclass
class TimelineData:
    bars: list[render.Bar]
    today: date
    load: dict[date, int]
    overload: int
    conflicts: list[Conflict]
    upcoming: list[NextItem]
    name: str
    notes: list[str] = field(default_factory=list)  # study blocks that no longer fit their booked exam
    events: render.EventSlice | None = None  # the days whose imported events were read (None: none read)
    timezone: str = "UTC"  # the applicant's: events read later are placed on its days


def calendar_bars(events: list[Any], tz: ZoneInfo) -> list[render.Bar]:
    bars = []
    for event in events:
        if (event.mapped_kind in OWN_ROW_KINDS and event.mapped_id is not None) or event.status == "CANCELLED":
            continue
        days = event_days(event, tz)
        if days is not None:
            bars.append(render.Bar(days[0], days[1], event.summary or "(no title)", "event", False, event.id))
    return render.merge_series(bars)


def event_slice(read: Any, tz: ZoneInfo) -> tuple[list[render.Bar], render.EventSlice | None]:
    """The bars and the read days of a storage EventRange (its rows, or per-day counts past a screenful)."""
    if read is None:
        return [], None
    if read.rows is None:
        return [], render.EventSlice(read.first, read.last, dict(read.starts))
    return calendar_bars(read.rows, tz), render.EventSlice(read.first, read.last, None)


def build_timeline(plan: Any, now: datetime) -> TimelineData:
    """Bars, weekly load, conflicts and the next items, from a plan with an applicant."""
    tz = ZoneInfo(plan.applicant.timezone)
    # Found here rather than taken from the snapshot: the messages write their dates the app's way.
    conflicts = find_conflicts(plan.rotations, plan.study_blocks, dates.WORDS, exams=plan.exams)
    clashing = {("rotation", c.first_id) for c in conflicts if c.kind == "rotation_overlap"}
    clashing |= {("rotation", c.second_id) for c in conflicts}
    clashing |= {("study", c.first_id) for c in conflicts if c.kind == "study_over_full_time"}
    bars = [render.Bar(r.start_date, r.end_date, f"{r.specialty} {rotation_kind_label(r.kind)}", "rotation",
                       ("rotation", r.id) in clashing, r.id) for r in plan.rotations]
    bars += [render.Bar(b.start_date, b.end_date, f"{b.exam} {b.hours_per_week}h", "study",
                        ("study", b.id) in clashing, b.id) for b in plan.study_blocks]
    event_bars, events = event_slice(plan.event_range, tz)
    bars += event_bars
    if plan.load is not None:
        load = {w.week_start: w.total for w in plan.load}
    else:
        spans = plan.rotations + plan.study_blocks
        first = min((s.start_date for s in spans), default=plan.today) - timedelta(days=7)
        last = max((s.end_date for s in spans), default=plan.today) + timedelta(days=7)
        load = {w.week_start: w.total for w in weekly_load(plan.rotations, plan.study_blocks, first, last)}
    upcoming: list[NextItem] = []
    institutions = {r.id: r.institution for r in plan.rotations}
    # Past due and unsent (no daemon, or delivery failing) is not "next": one line says so, first. A draft that awaits
    # the applicant's approval is their next step whatever its time (no daemon sends it before): listed, and said so
    # in the Outbox's words; it read as a message that would simply go out.
    overdue = failed = expired = 0
    pending = plan.upcoming(10_000)
    # An opening its last call supersedes is no step and not overdue: the daemon sends the last call (counted) instead.
    # The set the daemon line, `reminders list` and the Outbox take (DaemonStatus.superseded): the rule over every
    # pending and sending reminder. Read over the pending and failed alone, a last call left sending (a daemon
    # stopped mid-send) superseded nothing here, and its opening was counted overdue.
    gone = superseded_openings(pending, now)
    for reminder in pending:
        if reminder.id in gone or reminder.status == "sending":
            continue  # sending: read for the set above; a daemon's next run finishes it (not overdue, no step)
        if reminder.status == "failed":
            failed += 1
            continue
        if is_expired(reminder.status, reminder.expires_at, now):
            expired += 1  # no daemon sends it: neither overdue (which a daemon would send) nor next
            continue
        awaiting = awaits_approval(reminder.status, reminder.requires_approval, reminder.approved_at)
        if is_overdue(reminder.status, reminder.due_at, now, awaiting=awaiting):
            overdue += 1
            continue
        if len(upcoming) < NEXT_ITEMS:
            moment = reminder.due_at.astimezone(tz)
            upcoming.append(NextItem(moment.date(), reminder_heading(reminder.kind, reminder.template_key,
                                                                     awaiting=awaiting),
                                     institutions.get(reminder.rotation_id, ""), "reminder", reminder.id))
    for letter in plan.letters:
        if letter.due_on and letter.due_on >= plan.today and letter.status in ("planned", "requested", "agreed"):
            writer = plan.contacts.get(letter.writer_id)
            upcoming.append(NextItem(letter.due_on, "Letter due", writer.name if writer else "", "letter", letter.id))
    for exam in plan.exams:
        if exam.taken_on >= plan.today and exam.score is None and exam.result is None:
            upcoming.append(NextItem(exam.taken_on, f"Exam: {exam.exam}", "", "exam", exam.id))
    # A block from its first day: "Step 2 CK, 25 h/week from Monday" was nowhere in Next up. One already begun is
    # left out: the timeline's bar under the today line shows it, and its end is no step to take (a generated
    # plan's blocks follow each other, so "ends" lines would double every "starts").
    for block in plan.study_blocks:
        if block.start_date >= plan.today:
            # No end day: "until 04 Jan 2027" wrapped mid-date in the 30-column panel; Enter shows the range.
            upcoming.append(NextItem(block.start_date, f"Study: {block.exam}", f"{block.hours_per_week} h/week",
                                     "study", block.id))
    upcoming.sort(key=lambda item: item[0] or date.min)
    shown = upcoming[:NEXT_ITEMS]
    if overdue or failed or expired:
        parts = [f"{overdue} overdue" if overdue else "", f"{failed} failed" if failed else "",
                 f"{expired} expired" if expired else ""]
        shown.insert(0, NextItem(None, ", ".join(p for p in parts if p), "reminders not sent: see Outbox"))
    # The study plan against its booked exam (the Study plan screen's and `study list`'s rule): a booking moved
    # left blocks after the exam, or a final review weeks before it, and the home screen said nothing.
    unfit = [p.message for p in blocks_past_exam(plan.study_blocks, plan.exams, dates.WORDS, today=plan.today)]
    return TimelineData(bars, plan.today, load, OVERLOAD_HOURS, list(conflicts), shown, plan.applicant.name,
                        notes=unfit, events=events, timezone=plan.applicant.timezone)
