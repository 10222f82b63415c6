"""What a calendar app is told about one entry over time: SEQUENCE never goes below a version already published
under the same UID, and the time stated is the time meant, also in the hour the clocks go back.

A calendar app (Apple Calendar, Google, Thunderbird, Outlook) keeps the version with the higher SEQUENCE (RFC 5546
2.1.5): a lower one is "out of date" and ignored, so the entry that changed stays as it was in the subscriber's
calendar. The plan's export (and feed) and the reminder e-mail's attachment publish under the same UIDs.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from imgcoach.calendar import apply_import, export_bytes, undo_last_import
from imgcoach.core.context import Context
from imgcoach.reminders.daemon.worker import calendar_part
from imgcoach.reminders.mail.ics import build_calendar
from tests.daemon_helpers import add_due_reminders, add_supervised_rotation, send_due_once
from tests.mail_samples import sample
from tests.smtp_server import SmtpServer

DATA = Path(__file__).parent / "data" / "ics"


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


def _rotation_entry(ctx: Context) -> tuple[str, int]:
    (event,) = [e for e in _exported(ctx).values() if "Rotation" in str(e.get("CATEGORIES").to_ical())]
    return event["DTSTART"].dt.isoformat(), int(event["SEQUENCE"])


def test_import_undo_puts_the_rotation_back_as_a_newer_version(ctx: Context, tmp_path: Path) -> None:
    """A hospital's calendar moved a rotation a week (its import moved the linked rotation), then `import --undo`
    put it back: with its old change time, so its SEQUENCE went back too (3644086 to 3644078 in the demo), and a
    calendar app that had the moved version ignored the rotation put back: it kept showing the wrong week."""
    schedule = tmp_path / "schedule.ics"
    shutil.copyfile(DATA / "hospital_schedule_for_planned_rotation.ics", schedule)
    apply_import(ctx, schedule, accept=True)
    first = _rotation_entry(ctx)
    ctx.clock.advance(timedelta(hours=1))
    schedule.write_bytes(schedule.read_bytes().replace(b"DTSTART;VALUE=DATE:20270104", b"DTSTART;VALUE=DATE:20270111")
                         .replace(b"DTEND;VALUE=DATE:20270130", b"DTEND;VALUE=DATE:20270206"))
    assert apply_import(ctx, schedule).moved
    moved = _rotation_entry(ctx)
    assert moved[0] == "2027-01-11" and moved[1] > first[1]
    ctx.clock.advance(timedelta(hours=1))
    undo_last_import(ctx)
    back = _rotation_entry(ctx)
    assert back[0] == first[0] == "2027-01-04"
    assert back[1] > moved[1], "the rotation put back is a newer version than the moved one"


def _feed_entries(feed: Path) -> dict[str, tuple[str, int]]:
    return {str(e["SUMMARY"]).split(" at ")[1]: (e["DTSTART"].dt.isoformat(), int(e["SEQUENCE"]))
            for e in icalendar.Calendar.from_ical(feed.read_bytes()).walk("VEVENT")
            if str(e["SUMMARY"]).startswith("Observership: ")}


@pytest.mark.sqlite_only  # `db restore` is SQLite's (PostgreSQL: pg_restore)
def test_db_restore_publishes_the_rows_it_puts_back_as_newer_versions(ctx: Context, tmp_path: Path) -> None:
    """A rotation moved after the backup, then `db restore`: the feed got the rotation's old dates with its old
    SEQUENCE, lower than the one it had published for the move, so a subscribed calendar kept the moved dates.
    The rows the restore changed are versions made at the restore; one it left as it was keeps its SEQUENCE."""
    from imgcoach.calendar.exporting import add_feed, refresh_feed
    from imgcoach.composition import backup_database, restore_database
    from imgcoach.plan.rotations import add_rotation, edit_rotation

    url = ctx.db.url
    moved = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside General",
                         start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    add_rotation(ctx, kind="observership", specialty="Pediatrics", institution="Hillcrest Children's",
                 start_date=date(2027, 3, 1), end_date=date(2027, 3, 26))
    feed = add_feed(ctx, tmp_path / "plan.ics")
    backup_database(url, tmp_path / "backup.sqlite")
    ctx.clock.advance(timedelta(hours=1))
    edit_rotation(ctx, moved.id, start_date=date(2027, 1, 11), end_date=date(2027, 2, 5))  # type: ignore[arg-type]
    refresh_feed(ctx.db, ctx.settings, ctx.clock)
    published = _feed_entries(feed)
    assert published["Lakeside General"][0] == "2027-01-11"
    ctx.db.close()
    ctx.clock.advance(timedelta(hours=1))
    restore_database(url, tmp_path / "backup.sqlite", clock=ctx.clock)
    after = _feed_entries(feed)
    assert after["Lakeside General"][0] == "2027-01-04"
    assert after["Lakeside General"][1] > published["Lakeside General"][1], "the restored dates are the newer version"
    assert after["Hillcrest Children's"] == published["Hillcrest Children's"]  # not changed by the restore


def test_two_edits_of_a_rotation_within_one_minute_are_two_versions(ctx: Context) -> None:
    """SEQUENCE counted whole minutes: a rotation moved at 14:00:05 and corrected at 14:00:40 was exported with
    the same SEQUENCE both times (only DTSTAMP moved), and Google Calendar and Outlook, which go by SEQUENCE,
    kept the first edit. An unchanged rotation still exports the same SEQUENCE (byte-stable feeds)."""
    from imgcoach.plan.rotations import add_rotation, edit_rotation

    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside General",
                            start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    ctx.clock.set(datetime(2026, 11, 25, 14, 30, 5, tzinfo=UTC))
    edit_rotation(ctx, rotation.id, start_date=date(2027, 1, 11), end_date=date(2027, 2, 5))  # type: ignore[arg-type]
    first = _rotation_entry(ctx)
    assert _rotation_entry(ctx) == first
    ctx.clock.set(datetime(2026, 11, 25, 14, 30, 40, tzinfo=UTC))
    edit_rotation(ctx, rotation.id, start_date=date(2027, 1, 18), end_date=date(2027, 2, 12))  # type: ignore[arg-type]
    second = _rotation_entry(ctx)
    assert second[0] == "2027-01-18" and second[1] > first[1]
