"""The local days an imported calendar event covers: one rule for the storage's window read and the timeline.

Pure: the event's stored columns and the applicant's zone in, dates out."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo


def event_days(event: Any, tz: ZoneInfo) -> tuple[date, date] | None:
    """First and last local day (inclusive) of an event row (``all_day``, ``start_date``/``end_date``,
    ``start_at``/``end_at`` in UTC). All-day ends are exclusive in iCalendar; a timed event ending exactly at
    midnight does not reach into the next day. None for an event with no start."""
    if event.all_day and event.start_date is not None:
        end = event.end_date or event.start_date + timedelta(days=1)
        return event.start_date, max(event.start_date, end - timedelta(days=1))
    if event.start_at is None:
        return None
    end_at = event.end_at or event.start_at
    last = end_at - timedelta(microseconds=1) if end_at > event.start_at else end_at
    return event.start_at.astimezone(tz).date(), last.astimezone(tz).date()
