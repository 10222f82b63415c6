"""What a calendar app is told about one entry over time: SEQUENCE never goes below a version already published
under the same UID, and the time stated is the time meant, also in the hour the clocks go back.

A calendar app (Apple Calendar, Google, Thunderbird, Outlook) keeps the version with the higher SEQUENCE (RFC 5546
2.1.5): a lower one is "out of date" and ignored, so the entry that changed stays as it was in the subscriber's
calendar. The plan's export (and feed) and the reminder e-mail's attachment publish under the same UIDs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from imgcoach.calendar import export_bytes
from imgcoach.core.context import Context
from imgcoach.reminders.daemon.worker import calendar_part
from imgcoach.reminders.mail.ics import build_calendar
from tests.daemon_helpers import add_due_reminders, add_supervised_rotation, send_due_once
from tests.mail_samples import sample
from tests.smtp_server import SmtpServer


def _exported(ctx: Context) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(export_bytes(ctx)).walk("VEVENT")}


def _mailed(server: SmtpServer) -> list[icalendar.Event]:
    out = []
    for received in server.received:
        part = next(p for p in received.message.walk() if p.get_content_type() == "text/calendar")
        out.append(icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0])
    return out


def test_the_reminder_e_mail_is_a_newer_version_of_the_exported_entry_not_an_older_one(ctx: Context) -> None:
    """The e-mail's attachment carried the reminder's exported UID with SEQUENCE 1 (its claim count), while the
    export and feed had published that UID with SEQUENCE 3,6xx,xxx (minutes since 2020): a calendar holding the
    exported entry ignored the e-mail's as out of date, and a late reminder's time (moved to the sending) never
    reached it. A second e-mail about the same reminder, later, goes higher again (`reminders retry` reset the
    claim count, so its SEQUENCE went back to 1)."""
    now = ctx.clock.now()
    rotation_id = add_supervised_rotation(ctx)
    add_due_reminders(ctx, rotation_id, 1, due=now + timedelta(hours=1))
    published = int(_exported(ctx)["bulk-0@imgcoach"]["SEQUENCE"])
    ctx.clock.advance(timedelta(hours=2))  # sent an hour late: its entry moves to the moment it is sent
    with SmtpServer() as server:
        assert send_due_once(ctx, server) == 1
    (event,) = _mailed(server)
    assert str(event["UID"]) == "bulk-0@imgcoach"
    assert int(event["SEQUENCE"]) > published
    assert event["DTSTART"].dt.astimezone(UTC) == ctx.clock.now().replace(microsecond=0)
    mail = sample("thank_you", calendar_uid="bulk-0@imgcoach")
    later = ctx.clock.now() + timedelta(days=1)
    again = icalendar.Calendar.from_ical(calendar_part(mail, "s", "d", later, organizer="r@example.org"))
    assert int(again.walk("VEVENT")[0]["SEQUENCE"]) > int(event["SEQUENCE"])


def test_the_e_mail_states_the_reminder_time_in_the_hour_the_clocks_go_back(ctx: Context) -> None:
    """New York, Sunday 1 November 2026: 01:30 happens twice. A reminder due at the second 01:30 (EST, 06:30 UTC)
    was attached as "DTSTART;TZID=America/New_York:20261101T013000", which names the first one (EDT, RFC 5545
    3.3.5): an hour before the e-mail's own time. Written in UTC, as the export writes such a time."""
    due = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    rotation_id = add_supervised_rotation(ctx)
    add_due_reminders(ctx, rotation_id, 1, due=due)
    ctx.clock.set(due)
    with SmtpServer() as server:
        assert send_due_once(ctx, server) == 1
    (event,) = _mailed(server)
    assert event["DTSTART"].dt.astimezone(UTC) == due
    assert event["DTEND"].dt.astimezone(UTC) == due + timedelta(minutes=30)


@pytest.mark.parametrize(("due", "why"), [
    (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "01:30 GMT, the second 01:30: was stated as 01:30 BST"),
    (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "01:30 BST, the first: its end, a bare 02:00, is 02:00 GMT (90 minutes)"),
    (datetime(2026, 10, 25, 0, 50, tzinfo=UTC), "01:50 BST: its end, 30 minutes on, was 02:20 GMT (90 minutes)"),
])
def test_london_reminders_around_the_change_keep_their_instant_and_their_half_hour(due: datetime, why: str) -> None:
    """Europe/London, last Sunday of October: what the attachment says is the e-mail's own time and lasts 30
    minutes (the end was added as wall-clock time, so an entry crossing the change lasted 90)."""
    data = build_calendar(uid="r-1@imgcoach", start=due, tz="Europe/London", summary="Reminder", description="d",
                          stamp=due)
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert event["DTSTART"].dt.astimezone(UTC) == due, why
    assert event["DTEND"].dt.astimezone(UTC) == due + timedelta(minutes=30), why
    # An ordinary time keeps the applicant's zone (TZID), as before
    noon = build_calendar(uid="r-2@imgcoach", start=datetime(2026, 11, 25, 12, tzinfo=UTC), tz="Europe/London",
                          summary="Reminder", description="d", stamp=due)
    assert b"DTSTART;TZID=Europe/London:20261125T120000" in noon
