"""The text/calendar part: one VEVENT with a VALARM, a stable UID and the applicant's VTIMEZONE."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar

PRODID = "-//imgcoach//reminders//EN"


@lru_cache(maxsize=64)
def _vtimezone(tzid: str, year: int) -> icalendar.Timezone:
    """Compact VTIMEZONE covering the event's year ±1; building one costs ~2 ms, so cache it."""
    return icalendar.Timezone.from_tzid(tzid, first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))


def build_calendar(
    *,
    uid: str,
    start: datetime,
    tz: str,
    summary: str,
    description: str,
    stamp: datetime,
    duration: timedelta = timedelta(minutes=30),
    alarm_before: timedelta = timedelta(minutes=15),
    sequence: int = 0,
    method: str = "PUBLISH",
) -> bytes:
    """Return the ICS bytes. Re-sending with the same ``uid`` (and a higher ``sequence``) updates the entry."""
    zone = ZoneInfo(tz)
    local_start = start.astimezone(zone)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add_component(_vtimezone(tz, local_start.year))
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp.astimezone(ZoneInfo("UTC")))
    event.add("dtstart", local_start)
    event.add("dtend", local_start + duration)
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -alarm_before)
    event.add_component(alarm)
    cal.add_component(event)
    return cal.to_ical()
