"""Turning an imported calendar event into the plan row the user accepted (rotation, study block, exam).

Runs inside the import's transaction, with the foundation's validation and reminder sync, so a
rotation made from an event gets its reminders at once and keeps them in step on re-import.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from imgcoach.calendar.mapping import Suggestion, exam_detail
from imgcoach.calendar.series import UNSPECIFIED
from imgcoach.core.clock import local_date
from imgcoach.core.context import Context
from imgcoach.core.ids import saved_id
from imgcoach.core.oneline import one_line
from imgcoach.core.vocab.specialties import specialty_in
from imgcoach.plan import (
    ROTATION_KINDS,
    LogWeeksMoved,
    attempt_number,
    check_one_sitting,
    fill_rotation_defaults,
    in_date_order,
    move_log_weeks_in,
    normalise_rotation,
    renumber_later,
    validate_rotation,
    validate_study_block,
)
from imgcoach.reminders import cancel_pending_for_rotation, sync_rotation_reminders
from imgcoach.storage.models import Applicant, CalendarEvent, ExamResult, Rotation, StudyBlock

TARGET_KINDS = ("rotation", "study_block", "exam")  # kinds that own a row of their own
DEFAULT_STUDY_HOURS = 40  # an all-day study block with no hours of its own: a full-time week; editable


def local_days(row: CalendarEvent | dict[str, Any], tz: str) -> tuple[date, date]:
    """First and last day (inclusive) the event covers, in the applicant's zone."""
    get: Callable[[str], Any] = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    if get("all_day"):
        start, end = get("start_date"), get("end_date")
        return start, max(start, end - timedelta(days=1))
    zone = ZoneInfo(tz)
    start_at: datetime = get("start_at")
    end_at: datetime = get("end_at")
    last = end_at - timedelta(microseconds=1) if end_at > start_at else end_at
    return start_at.astimezone(zone).date(), last.astimezone(zone).date()


def exported_fields(x_fields: str) -> dict[str, Any]:
    """Fields our own export wrote into X-IMGCOACH-FIELDS (round trip); {} for anything else."""
    try:
        data = json.loads(x_fields) if x_fields else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _exam_name(summary: str, detail: str) -> str:
    # The suggestion's own rules name the exam: a second pattern here missed what they read ("Step II CK").
    return detail or exam_detail(summary) or one_line(summary)[:60] or "Exam"


_KIND_WORDS = ("rotation", "observership", "externship", "clerkship", "elective", "sub-internship", "sub internship",
               "research", "volunteer", "shadowing")


def _specialty(summary: str, categories: list[str]) -> str:
    """The specialty the title (or a category) names wherever it stands (core.vocab's list and fellowships),
    else "unspecified": the text after " - " was taken as the specialty, so "Cardiology Externship - Mount
    Sinai" became a rotation in "Mount Sinai" and "Cardiology observership" one in "unspecified"."""
    for text in (summary, *categories):
        found = specialty_in(text)
        if found is not None:
            return found
    return UNSPECIFIED


def _institution(summary: str, location: str) -> str:
    """The LOCATION's first line; with none, the part of the title beside the specialty and the kind
    ("Cardiology Externship - Mount Sinai", "Observership: Internal Medicine at Lakeside General"), else
    "unspecified"."""
    if location.strip():  # one line as a name is: a tab or an escape in the text would refuse the rotation
        return one_line(location.strip().splitlines()[0]) or UNSPECIFIED
    for sep in (" - ", " – ", ": ", " at ", " @ ", ", "):
        if sep in summary:
            parts = [part.strip() for part in summary.rsplit(sep, 1)]
            for part in reversed(parts):
                if part and specialty_in(part) is None and not any(w in part.lower() for w in _KIND_WORDS):
                    return one_line(part)[:80]
    return UNSPECIFIED


def _rotation_kind(detail: str) -> str:
    if detail in ROTATION_KINDS:
        return detail
    return "externship" if detail in ("sub-internship",) else "observership"


def _week_hours(weekly: float) -> int:
    return int(weekly + 0.5)  # half up: 42.5 is 43, not round()'s banker's 42


def schedule_hours(weekly: float | None) -> int | None:
    """A rotation's hours a week from its series' timed occurrences (series.weekly_hours); None when they give
    none (all-day, or a single event) or more than a rotation may hold (validation's 80): then assumed."""
    if weekly is None:
        return None
    hours = _week_hours(weekly)
    return hours if 1 <= hours <= 80 else None


def hours_note(hours: int, assumed: bool, weekly: float | None, occurrences: int, all_day: bool) -> str:
    """Where a rotation made from an event got its hours a week, in the words the CLI and the app both print:
    counted from its schedule, or assumed and why (an assumption is called one)."""
    if not assumed:
        return f"{hours} h/week from its schedule: the usual week of its {occurrences} occurrences"
    if weekly is not None and occurrences > 1:
        # Why the schedule's figure was not taken, in words: "outside 1-80" left the reader to guess what the
        # range was (a rotation's hours a week, validation's check_hours) and which end the schedule missed.
        week = _week_hours(weekly)
        bound = "at most 80" if week > 80 else "at least 1"
        return f"{hours} h/week assumed: its schedule adds up to {week} h a week, and a rotation's hours a week are {bound}"
    if all_day:
        why = "its events are all-day and give no hours" if occurrences > 1 else "the event is all-day and gives no hours"
    else:
        why = "one event spanning days does not say the hours worked"
    return f"{hours} h/week assumed: {why}"


def rotation_values(summary: str, categories: Sequence[str], location: str, detail: str, fields: dict[str, Any],
                    days: tuple[date, date], weekly: float | None) -> dict[str, Any]:
    """The rotation an accepted event makes, as `rotations add` would store it: its kind, specialty and place from
    the title, categories and LOCATION (or from our own export's fields), its hours a week from the schedule
    (`weekly`, else assumed). Raises UserError when they do not validate. Pure: the import saves these values, and
    its preview says what a rotation of these values would overlap before anything is written."""
    first, last = days
    values: dict[str, Any] = {
        "kind": fields.get("kind") or _rotation_kind(detail),
        "specialty": fields.get("specialty") or _specialty(summary, list(categories)),
        "institution": fields.get("institution") or _institution(summary, location),
        "start_date": first, "end_date": last,
    }
    for key in ("department", "city", "state", "country", "setting", "hours_per_week", "hands_on"):
        if key in fields:
            values[key] = fields[key]
    if "hours_per_week" not in values:
        values["hours_per_week"] = schedule_hours(weekly)  # None: assumed below, as `rotations add` does
    fill_rotation_defaults(values)  # `rotations add`'s defaults
    if values["specialty"] != UNSPECIFIED:
        # As `rotations add` stores it: a Cardiology title is Internal Medicine, Cardiology its department
        # (stored as "Cardiology", no readiness check counted it).
        values = normalise_rotation(values)
    validate_rotation(values)
    return values


def study_block_values(summary: str, timed: tuple[datetime, datetime] | None, fields: dict[str, Any],
                       days: tuple[date, date], weekly: float | None) -> dict[str, Any]:
    """The study block an accepted event makes (pure, as `rotation_values`); `timed`: a timed event's start and end
    (None when all-day), whose hours spread over its days when no series gives a usual week. Raises UserError when
    the values do not validate."""
    first, last = days
    hours = fields.get("hours_per_week") or (max(1, min(80, _week_hours(weekly) or 1)) if weekly is not None
                                             else _study_hours(timed, first, last))
    values = {"exam": fields.get("exam") or _exam_name(summary, ""), "start_date": first, "end_date": last,
              "hours_per_week": hours, "weekly_goal": fields.get("weekly_goal", "")}
    validate_study_block(values)
    return values


def item_values(kind: str, row: CalendarEvent | dict[str, Any], detail: str, fields: dict[str, Any],
                days: tuple[date, date], weekly: float | None) -> dict[str, Any]:
    """The rotation or study block (`kind`) an accepted event makes, from its stored or about-to-be-written row: what
    `create_target` saves and an import's preview reads (its overlaps, or why it is not made). Pure; raises UserError
    when the values do not validate."""
    get: Callable[[str], Any] = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    if kind == "rotation":
        return rotation_values(get("summary"), get("categories"), get("location") or "", detail, fields, days, weekly)
    return study_block_values(get("summary"), timed_span(row), fields, days, weekly)


def exam_name(summary: str, detail: str, fields: dict[str, Any]) -> str:
    """The exam an accepted event makes: our own export's field, else the title's (the suggestion's rules)."""
    return fields.get("exam") or _exam_name(summary, detail)


def create_target(
    session: Session, ctx: Context, applicant: Applicant, row: CalendarEvent, kind: str, suggestion: Suggestion,
    fields: dict[str, Any], now: datetime, span: tuple[date, date] | None = None, weekly: float | None = None,
) -> tuple[str, int]:
    """Create the plan row for `kind`; returns (kind, id). Raises UserError when the values do not validate.

    `span` is a series run's first and last day: the row covers the run, not its first occurrence. `weekly` is the run's usual week in hours (series.weekly_hours; None when
    all-day): a study block and a rotation both take their hours a week from it."""
    first, last = span or local_days(row, applicant.timezone)
    if kind == "rotation":
        values = item_values(kind, row, suggestion.detail, fields, (first, last), weekly)
        rotation = Rotation(applicant_id=saved_id(applicant.id), source_event_id=saved_id(row.id), created_at=now, updated_at=now,
                            **values)
        session.add(rotation)
        session.flush()
        sync_rotation_reminders(session, ctx, applicant, rotation, now)
        return kind, saved_id(rotation.id)
    if kind == "study_block":
        values = item_values(kind, row, suggestion.detail, fields, (first, last), weekly)
        block = StudyBlock(applicant_id=saved_id(applicant.id), **values)
        session.add(block)
        session.flush()
        return kind, saved_id(block.id)
    if kind == "exam":
        name = exam_name(row.summary, suggestion.detail, fields)
        # The rule `exams add` keeps: a second booking of one exam is a warning here, not a second attempt.
        today = local_date(now, applicant.timezone)
        check_one_sitting(session, applicant.id, name, first, booking=True, today=today)
        exam = ExamResult(applicant_id=saved_id(applicant.id), exam=name, taken_on=first,
                          attempt=attempt_number(session, applicant.id, name, first, None, today=today))
        session.add(exam)
        session.flush()
        # Dated before sittings already recorded, it pushes their numbers up, as `exams add` does: two rows
        # both said "attempt 1".
        renumber_later(session, applicant.id, name, first, exam.attempt, today=today)
        return kind, saved_id(exam.id)
    raise ValueError(f"{kind} has no row of its own")


def timed_span(row: CalendarEvent | dict[str, Any]) -> tuple[datetime, datetime] | None:
    """A timed event's start and end (a stored row or a row about to be written); None when all-day."""
    get: Callable[[str], Any] = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    if get("all_day") or get("start_at") is None or get("end_at") is None:
        return None
    return get("start_at"), get("end_at")


def _study_hours(timed: tuple[datetime, datetime] | None, first: date, last: date) -> int:
    """Hours a week of a single event: its timed hours spread over its days (at least a week). A series run's
    come from its usual week (series.weekly_hours)."""
    if timed is None:
        return DEFAULT_STUDY_HOURS
    hours = (timed[1] - timed[0]).total_seconds() / 3600
    days = (last - first).days + 1
    return max(1, min(80, round(hours * 7 / max(days, 7)) or 1))


def update_target(session: Session, ctx: Context, applicant: Applicant, row: CalendarEvent, now: datetime,
                  span: tuple[date, date] | None = None) -> LogWeeksMoved:
    """The event moved: move the row made from it (dates only: other fields are the user's), reminders too, and a
    rotation's logged weeks by the rule a `rotations edit` follows (returned, to be said): they stayed under the
    old weeks, one labelled before the rotation's new start."""
    first, last = span or local_days(row, applicant.timezone)
    if row.mapped_kind == "rotation" and row.mapped_id:
        rotation = session.get(Rotation, row.mapped_id)
        if rotation is not None and (rotation.start_date, rotation.end_date) != (first, last):
            old = (rotation.start_date, rotation.end_date)
            rotation.start_date, rotation.end_date, rotation.updated_at = first, last, now
            session.add(rotation)
            session.flush()
            log = move_log_weeks_in(session, rotation.id or 0, old, (first, last), local_date(now, applicant.timezone))
            sync_rotation_reminders(session, ctx, applicant, rotation, now)
            return log
    elif row.mapped_kind == "study_block" and row.mapped_id:
        block = session.get(StudyBlock, row.mapped_id)
        if block is not None:
            block.start_date, block.end_date = first, last
            session.add(block)
    elif row.mapped_kind == "exam" and row.mapped_id:
        exam = session.get(ExamResult, row.mapped_id)
        if exam is not None and exam.taken_on != first:
            exam.taken_on = first
            session.add(exam)
            session.flush()
            in_date_order(session, applicant.id, exam.exam)  # moved past another sitting: numbers follow dates
    return LogWeeksMoved()


def target_days(session: Session, kind: str, target_id: int | None) -> tuple[date, date] | None:
    """First and last day of the rotation, study block or exam an event made or is linked to (None: gone)."""
    if not target_id:
        return None
    if kind == "rotation":
        rotation = session.get(Rotation, target_id)
        return (rotation.start_date, rotation.end_date) if rotation is not None else None
    if kind == "study_block":
        block = session.get(StudyBlock, target_id)
        return (block.start_date, block.end_date) if block is not None else None
    if kind == "exam":
        exam = session.get(ExamResult, target_id)
        return (exam.taken_on, exam.taken_on) if exam is not None else None
    return None


def remove_target(session: Session, kind: str, target_id: int | None, reason: str, now: datetime) -> str:
    """Delete the row made from a removed event; a rotation's pending reminders are cancelled first."""
    if not target_id or kind not in TARGET_KINDS:
        return ""
    models: dict[str, type[Rotation] | type[StudyBlock] | type[ExamResult]] = {
        "rotation": Rotation, "study_block": StudyBlock, "exam": ExamResult}
    model = models[kind]
    target = session.get(model, target_id)
    if target is None:
        return ""
    if isinstance(target, Rotation):
        cancel_pending_for_rotation(session, target, reason, now)
        session.flush()
    session.delete(target)
    return f"{kind.replace('_', ' ')} {target_id}"
