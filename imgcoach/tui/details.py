"""Details of one plan item as Rich text: the rotations pane and the timeline's Enter share them.

`bar_details` runs in a worker thread (it calls services); the text functions only format.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text

from imgcoach.plan import ASSUMED_IN_CELLS, hours_cell, hours_text
from imgcoach.reminders import (
    awaits_approval,
    is_expired,
    is_overdue,
    rotation_kind_label,
    status_words,
    superseded_openings,
    why_not_sent,
)
from imgcoach.tui import dates, render

if TYPE_CHECKING:
    from imgcoach.core.context import Context


def rotation_text(detail: Any, tz: Any, now: datetime | None = None) -> Text:
    """A rotation with its supervisors, letters, reminders and cases worth remembering. `now`: a pending reminder
    past due reads "pending, OVERDUE", the reminders' words (`rotations show`, `reminders list`); "pending"
    alone read as if it would still go out on time."""
    r = detail.rotation
    text = Text()
    text.append(f"{r.specialty} {rotation_kind_label(r.kind)} — {r.institution}\n", style="bold")
    place = ", ".join(x for x in (r.department, r.city, r.state, r.country) if x)
    facts = (dates.day_range(r.start_date, r.end_date), r.setting, hours_text(r.hours_per_week, r.hours_assumed),
             "hands-on" if r.hands_on else "observing")
    text.append(f"{' · '.join(x for x in facts if x)}\n{place}\n", style="dim")
    text.append("\nPeople\n", style="bold underline")  # each with their role, as `rotations show` lists them
    for contact, role in detail.supervisors:
        text.append(f"  {contact.name}", style="bold").append(f" ({role.replace('_', ' ')}) {contact.email}\n")
    if not detail.supervisors:
        text.append("  none yet: press w to add who supervised you\n", style="dim")
    text.append("\nLetters\n", style="bold underline")
    for letter, writer in detail.letters:
        text.append(f"  {writer.name}: ").append(letter.status, style="bold")
        text.append(f"{f' (due {dates.day(letter.due_on)})' if letter.due_on else ''}\n")
    if not detail.letters:
        text.append("  none planned (w adds a supervisor and can plan a letter)\n", style="dim")
    text.append("\nReminders\n", style="bold underline")
    gone = superseded_openings(detail.reminders, now) if now is not None else frozenset()
    for reminder in detail.reminders:
        when = dates.moment(reminder.due_at, tz)
        approved = reminder.approved_at is not None
        text.append(f"  {when}  {render.reminder_label(reminder.kind, reminder.template_key, approved=approved)}  ")
        awaiting = awaits_approval(reminder.status, reminder.requires_approval, reminder.approved_at)
        overdue = now is not None and is_overdue(reminder.status, reminder.due_at, now, awaiting=awaiting,
                                                 expires_at=reminder.expires_at, superseded=reminder.id in gone)
        expired = now is not None and is_expired(reminder.status, reminder.expires_at, now)
        text.append(status_words(reminder.status, reminder.delivered_via, overdue, awaiting=awaiting, expired=expired,
                                 superseded=reminder.id in gone),
                    style="bold" if reminder.status == "pending" else "dim")
        why = why_not_sent(reminder.status, reminder.note, reminder.last_error)
        text.append(f" ({why})\n" if why else "\n", style="dim")
    if not detail.reminders:
        text.append("  none\n", style="dim")
    text.append("\nCases worth remembering\n", style="bold underline")
    for case in detail.cases:
        tags = f" [{', '.join(case.tags)}]" if case.tags else ""
        text.append(f"  • {case.title}", style="bold").append(f"{tags}\n")
        if case.summary:
            text.append(f"    {case.summary}\n", style="dim")
    if not detail.cases:
        text.append("  none yet: press n to note one for interview stories\n", style="dim")
    return text


def study_text(block: Any, weeks: list[Any], own: list[Any]) -> Text:
    """A study block with its weeks: the block's own hours beside all study, clinical and total hours that week
    (`own`: the block alone, week by week as `weeks`), so a week shared with another block is not read as its."""
    text = Text()
    text.append(f"{block.exam}: {dates.day_range(block.start_date, block.end_date)}\n", style="bold")
    text.append(f"{block.hours_per_week} hours per week\n")
    text.append("Weekly goal: ", style="bold").append(f"{block.weekly_goal or '— (e on the Study screen sets one)'}\n")
    if weeks:
        text.append("\nHours per week: this block, all study that week, clinical, total\n", style="bold underline")
        if any(week.assumed_hours for week in weeks):
            text.append(f"  {ASSUMED_IN_CELLS}\n", style="dim")
        mine = {week.week_start: week.study_hours for week in own}
        for week in weeks:
            flag = "  OVERLOAD" if week.overloaded else ""
            clinical = hours_cell(week.clinical_hours, week.assumed_hours)
            text.append(f"  {dates.day(week.week_start)}  this block {mine.get(week.week_start, 0):>3}  all study "
                        f"{week.study_hours:>3}  clinical {clinical:>3}  total {week.total:>3}")
            text.append(f"{flag}\n", style="bold red")
    return text


def _zone_note(event: Any, tz: Any) -> str:
    """Where an event that follows your zone got its time: "(your time)" alone hid that it moves with your zone,
    and that a start your zone skips is shown later than its file says."""
    from datetime import datetime

    zone_assumed, wall = getattr(event, "zone_assumed", ""), getattr(event, "wall_start", "")
    if getattr(event, "floating", False):
        note = "No time zone in its file: kept at its clock time in yours, also if yours changes.\n"
    elif zone_assumed:
        note = (f'Its file\'s time zone "{zone_assumed}" matched no zone: read in yours, and kept at its clock time '
                "if yours changes.\n")
    else:
        return ""
    if wall and event.start_at is not None:
        said = datetime.fromisoformat(wall)
        if event.start_at.astimezone(tz).replace(tzinfo=None) != said:
            note += f"Its file says {dates.clock_time(said)}, a time your zone skips that night (clocks go forward).\n"
    return note


def event_text(event: Any, tz: Any, series: tuple[int, date, date] | None = None) -> Text:
    """`series`: the timeline's merged bar this event opened from (its count, first and last day): the times are
    the first occurrence's, and d deletes every one, which "this one" said of a "×19" bar."""
    from imgcoach.tui.timeline_model import event_days

    text = Text()
    text.append(f"{event.summary or '(no title)'}\n", style="bold")
    if series is not None:
        text.append(f"The first of {series[0]} occurrences, {dates.day_range(series[1], series[2])}:\n")
    days = event_days(event, tz)
    if event.all_day and days:
        text.append(f"{dates.day_range(days[0], days[1])} (all day)\n")
    elif event.start_at is not None:
        text.append(f"{dates.moment(event.start_at, tz)} to {dates.moment(event.end_at, tz)} (your time)\n")
        text.append(_zone_note(event, tz), style="dim")
    if event.location:
        text.append(f"{event.location}\n", style="dim")
    suggestion = event.mapped_kind or event.suggested_kind
    text.append(f"\nImported from a calendar file; looks like: {suggestion or 'an event'}.\n", style="dim")
    text.append("The Import screen (i) turns events into rotations, study blocks or exams; "
                f"d on the timeline deletes {f'all {series[0]}' if series else 'this one'}.\n", style="dim")
    if event.description:
        text.append(f"\n{event.description}\n")
    return text


def bar_details(ctx: Context, kind: str, ref: int,
                series: tuple[int, date, date] | None = None) -> tuple[str, Text]:
    """Title and text for the timeline item `kind` (rotation | study | event) with id `ref` (an event's `series`:
    see event_text)."""
    from zoneinfo import ZoneInfo

    from imgcoach.plan import get_profile

    applicant = get_profile(ctx)
    tz = ZoneInfo(applicant.timezone if applicant else "UTC")
    if kind == "rotation":
        from imgcoach.plan import rotation_detail

        return "Rotation", rotation_text(rotation_detail(ctx, ref), tz, ctx.clock.now())
    if kind == "study":
        from imgcoach.plan import study_block_detail

        return "Study block", study_text(*study_block_detail(ctx, ref))
    from imgcoach.plan import calendar_event

    return "Calendar event", event_text(calendar_event(ctx, ref), tz, series)
