"""Rotation log rules: weekly entries, cases and projects are checked against their rotation."""

from __future__ import annotations

from datetime import date

from imgcoach.coach.errors import CoachFieldError
from imgcoach.coach.models import PROJECT_KINDS, Rotation
from imgcoach.plan import log_week_first  # a rotation's move keeps a week not begun by it too: one rule

MAX_WEEKLY_HOURS = 7 * 24


def check_within_rotation(rotation: Rotation, day: date, field: str = "week_of") -> None:
    """A log entry must fall within its rotation's dates (inclusive)."""
    if not rotation.start <= day <= rotation.end:
        raise CoachFieldError(field, day.isoformat(),
                              f"outside rotation {rotation.id} ({rotation.title}, {rotation.start} to {rotation.end})")


def check_week_begun(week_of: date, today: date, rotation_start: date | None = None) -> None:
    """A log week (its hours, its feedback) is written once the week is under way: a week ahead logged now
    would count as experience done and feedback received (readiness's "met") before either happened. The week
    is the rotation's where the rotation is known, else the calendar week from Monday (log_week_first)."""
    first = log_week_first(week_of, rotation_start)
    if first > today:
        # Named as the log labels it, by its first day: "the week of 2026-11-29 has not begun" for a week that
        # begins on 27 November read as a different week from the log's "week of 2026-11-27".
        holding = f" (it holds {week_of.isoformat()})" if week_of != first else ""
        raise CoachFieldError("week_of", week_of.isoformat(), f"the week of {first.isoformat()}{holding} has not "
                              f"begun (today is {today.isoformat()}); log it from {first.isoformat()}, once it is "
                              "under way")


def check_weekly_entry(rotation: Rotation, week_of: date, hours: float, procedures_performed: tuple[str, ...] = (),
                       today: date | None = None) -> None:
    """Validate one week of the log before it is stored."""
    check_within_rotation(rotation, week_of)
    if today is not None:
        check_week_begun(week_of, today, rotation.start)
    if not 0 <= hours <= MAX_WEEKLY_HOURS:
        raise CoachFieldError("hours", f"{hours:g}", f"not between 0 and {MAX_WEEKLY_HOURS} (the hours in a week)")
    if procedures_performed and not rotation.hands_on:
        raise CoachFieldError("procedures_performed", "; ".join(procedures_performed),
                              f"rotation {rotation.id} is observing only; record them as observed "
                              "(hands-on work is not permitted there)")


def parse_project_kind(raw: str) -> str:
    kind = raw.strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {"quality_improvement": "qi", "case": "case_report"}
    kind = aliases.get(kind, kind)
    if kind not in PROJECT_KINDS:
        raise CoachFieldError("kind", raw, f"unknown project kind (allowed: {', '.join(PROJECT_KINDS)})")
    return kind
