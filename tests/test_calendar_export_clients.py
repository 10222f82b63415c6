"""Exported calendars read the same in other parsers: vobject (like ical.js, it reads only the first
date of an RDATE list) and icalendar agree with the instants we wrote (issue 13)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from imgcoach.calendar.reader import read_ics_bytes
from imgcoach.calendar.writer import ExportItem, to_ics_bytes
from imgcoach.core.context import Context
from imgcoach.reminders.mail.ics import build_calendar as build_mail_calendar

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_vobject_zones() -> Iterator[None]:
    """Each test reads as a client that has not read another calendar first.

    vobject keeps the first VTIMEZONE it reads for a TZID for the rest of the process (registerTzinfo adds only
    unknown TZIDs): after a test on the same xdist worker had read a Europe/Berlin export spanning fewer years,
    this file's summers three years ahead read an hour off, and the tests failed or passed by distribution."""
    registry: dict[str, object] = vars(vobject.icalendar)["__tzidMap"]
    kept = dict(registry)
    registry.clear()
    registry["UTC"] = kept["UTC"]
    yield
    registry.clear()
    registry.update(kept)
THREE_YEARS_AHEAD = NOW.year + 3


def _timed_items(tzid: str) -> list[ExportItem]:
    zone = ZoneInfo(tzid)
    starts = [datetime(NOW.year, 12, 10, 9, tzinfo=zone)]  # this winter: the VTIMEZONE spans every year between
    starts += [datetime(year, 7, day, 9, 30, tzinfo=zone) for year in range(NOW.year + 1, THREE_YEARS_AHEAD + 1)
               for day in (1, 15)]
    return [ExportItem(uid=f"t{i}@test", summary=f"Interview {i}", start=s, end=s + timedelta(hours=1), tzid=tzid)
            for i, s in enumerate(starts)]


def _vobject_instants(data: bytes) -> dict[str, datetime]:
    [cal] = list(vobject.readComponents(data.decode()))
    return {str(ev.uid.value): ev.dtstart.value.astimezone(UTC) for ev in cal.vevent_list}


def _icalendar_instants(data: bytes) -> dict[str, datetime]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(ev["UID"]): ev["DTSTART"].dt.astimezone(UTC) for ev in cal.walk("VEVENT")}


@pytest.mark.parametrize("tzid", ["America/New_York", "Europe/Berlin"])
def test_summer_events_three_years_ahead_read_the_same_in_vobject_and_icalendar(tzid: str) -> None:
    items = _timed_items(tzid)
    expected = {item.uid: item.start.astimezone(UTC) for item in items}  # type: ignore[union-attr]
    data = to_ics_bytes(items, now=NOW)
    assert any(f"{THREE_YEARS_AHEAD}07" in line and "DTSTART" in line for line in data.decode().splitlines())
    assert _icalendar_instants(data) == expected
    assert _vobject_instants(data) == expected
    for line in data.decode().splitlines():
        assert not (line.startswith("RDATE") and "," in line), line


def test_mail_calendar_part_reads_the_same_in_vobject() -> None:
    start = datetime(THREE_YEARS_AHEAD, 7, 15, 13, tzinfo=UTC)
    data = build_mail_calendar(uid="r1@test", start=start, tz="America/New_York", summary="Send thank-you",
                               description="", stamp=NOW)
    assert _vobject_instants(data) == {"r1@test": start} == _icalendar_instants(data)


def test_fields_json_is_escaped_text_that_vobject_and_our_reader_keep() -> None:
    fields = {"city": "Newark", "hours": 60, "note": 'a;b,c\\d "q"', "setting": "inpatient"}
    item = ExportItem(uid="rot@test", summary="Rotation", start=datetime(2027, 7, 1).date(),
                      end=datetime(2027, 8, 1).date(), all_day=True,
                      extra={"X-IMGCOACH-KIND": "rotation", "X-IMGCOACH-FIELDS": json.dumps(fields)})
    data = to_ics_bytes([item], now=NOW)
    assert b'X-IMGCOACH-FIELDS:{"city": "Newark"\\, ' in data
    [cal] = list(vobject.readComponents(data.decode()))
    assert json.loads(cal.vevent.contents["x-imgcoach-fields"][0].value) == fields
    [event] = read_ics_bytes(data, file="plan.ics", now=NOW, default_tz="UTC").events
    assert json.loads(event.x("X-IMGCOACH-FIELDS")) == fields


def test_sequence_grows_when_the_row_changes_and_stays_when_it_does_not() -> None:
    start = datetime(2027, 7, 1, 9, tzinfo=UTC)

    def sequence(stamp: datetime) -> int:
        item = ExportItem(uid="s@test", summary="Rotation", start=start, end=start + timedelta(hours=1), stamp=stamp)
        return int(icalendar.Calendar.from_ical(to_ics_bytes([item], now=NOW)).walk("VEVENT")[0]["SEQUENCE"])

    first = sequence(datetime(2026, 11, 1, 8, tzinfo=UTC))
    assert first == sequence(datetime(2026, 11, 1, 8, tzinfo=UTC))  # unchanged row: same version
    assert sequence(datetime(2026, 11, 1, 8, 5, tzinfo=UTC)) > first  # edited five minutes later: newer


def test_an_edited_study_block_or_exam_reaches_calendar_apps_as_a_newer_version(ctx: Context) -> None:
    """Study blocks and exams have no change time of their own: their SEQUENCE was the applicant's creation
    minute for ever, so an edit never looked newer to a subscribed calendar (issue 13). It now grows with the
    row's version, from where earlier exports left it."""
    from datetime import date

    from imgcoach.calendar import export_bytes
    from imgcoach.plan import add_exam, add_study_block, edit_exam, edit_study_block

    block = add_study_block(ctx, exam="Step 2 CK", start_date=date(2027, 2, 1), end_date=date(2027, 2, 28),
                            hours_per_week=30)
    exam = add_exam(ctx, "Step 2 CK", date(2027, 3, 15))

    def sequences() -> dict[str, int]:
        cal = icalendar.Calendar.from_ical(export_bytes(ctx))
        return {str(e["SUMMARY"]).split(":")[0]: int(e["SEQUENCE"]) for e in cal.walk("VEVENT")
                if str(e["SUMMARY"]).startswith(("Study block", "Exam"))}

    first = sequences()
    assert sequences() == first, "an unchanged plan exports the same versions"
    edit_study_block(ctx, block.id, hours_per_week=35)  # type: ignore[arg-type]
    after_block = sequences()
    assert after_block["Study block"] > first["Study block"] and after_block["Exam"] == first["Exam"]
    edit_exam(ctx, exam.id, "Step 2 CK", date(2027, 3, 22))  # type: ignore[arg-type]
    assert sequences()["Exam"] > first["Exam"]


@pytest.mark.parametrize("tzid", ["America/New_York", "Europe/Berlin"])
def test_every_timed_event_of_a_plan_export_reads_as_the_database_holds_it_three_summers_ahead(
        ctx: Context, tzid: str) -> None:
    """The issue's check on a real export (the database, `export_bytes`), not on hand-built items: every timed
    event (the pending reminders, in the applicant's zone) read by vobject and by icalendar gives the UTC
    instant the database holds, from this winter to a summer month three years ahead."""
    from datetime import date

    from sqlmodel import select

    from imgcoach.calendar import export_bytes
    from imgcoach.plan.profile import set_profile
    from imgcoach.plan.rotations import add_rotation
    from imgcoach.storage.models import Reminder

    set_profile(ctx, timezone=tzid)
    year = ctx.clock.now().year
    for start, end in ((date(year, 12, 7), date(year + 1, 1, 1)), (date(year + 1, 6, 7), date(year + 1, 7, 30)),
                       (date(year + 3, 6, 4), date(year + 3, 7, 27))):
        add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital",
                     start_date=start, end_date=end)
    with ctx.db.read() as session:
        held = {r.calendar_uid: r.due_at.astimezone(UTC)
                for r in session.exec(select(Reminder).where(Reminder.status == "pending"))}
    assert any(when.year == year + 3 and when.month == 7 for when in held.values())
    data = export_bytes(ctx)  # the exported bytes themselves, as a calendar app gets them
    [vcal] = list(vobject.readComponents(data.decode()))
    assert {str(ev.uid.value): ev.dtstart.value.astimezone(UTC) for ev in vcal.vevent_list
            if isinstance(ev.dtstart.value, datetime)} == held
    assert {str(ev["UID"]): ev["DTSTART"].dt.astimezone(UTC) for ev in icalendar.Calendar.from_ical(data).walk("VEVENT")
            if isinstance(ev["DTSTART"].dt, datetime)} == held


def test_control_characters_pasted_into_a_name_or_goal_leave_the_exported_calendar_valid(ctx: Context) -> None:
    """A line break pasted from Word is a vertical tab (U+000B), and text copied out of a PDF can hold other
    C0 controls: the export wrote them raw, which RFC 5545 forbids in a TEXT value (3.3.11: no CONTROL but
    HTAB), and a client that splits its input into lines at them (the `ics` library, as Python's splitlines
    does) refused the whole calendar. A line-breaking control is now written as an escaped newline and any
    other control is left out, so every client reads the same two lines and the same name."""
    from datetime import date

    from imgcoach.calendar import export_bytes
    from imgcoach.plan import add_rotation, add_study_block

    add_study_block(ctx, exam="Step 2 CK", start_date=date(2027, 2, 1), end_date=date(2027, 2, 28),
                    hours_per_week=30, weekly_goal="2 blocks a day\x0bCCS cases\x0con weekends")
    rotation = add_rotation(ctx, institution="Brookside Hospital", specialty="Pediatrics", kind="observership",
                            start_date=date(2027, 3, 1), end_date=date(2027, 3, 28), hours_per_week=40)
    # Since stop 43 a name with a control character is refused where it is typed (plan.rules.validation); a row
    # stored before that still holds one, and the export must still write a valid calendar of it.
    from sqlalchemy import update

    from imgcoach.storage.models import Rotation

    with ctx.db.transaction() as session:
        session.execute(update(Rotation).where(Rotation.id == rotation.id)  # type: ignore[arg-type]
                        .values(institution="Brookside\x07 \x1fHospital"))
    data = export_bytes(ctx)
    controls = {chr(c) for c in (*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F)} - {"\r", "\n"}
    assert sorted(controls & set(data.decode("utf-8").replace("\r\n", ""))) == []  # RFC 5545 3.3.11
    unfolded = data.replace(b"\r\n ", b"")
    assert b"DESCRIPTION:2 blocks a day\\nCCS cases\\non weekends\r\n" in unfolded
    assert b"LOCATION:Brookside Hospital\r\n" in unfolded
    vevents = {str(v.summary.value).split(":")[0]: v for v in vobject.readOne(data.decode("utf-8")).vevent_list}
    assert vevents["Study block"].description.value == "2 blocks a day\nCCS cases\non weekends"
    assert vevents["Observership"].summary.value == "Observership: Pediatrics at Brookside Hospital"


@pytest.mark.parametrize("tzid, first, second", [
    ("America/New_York", datetime(2027, 11, 7, 5, 30, tzinfo=UTC), datetime(2027, 11, 7, 6, 30, tzinfo=UTC)),
    ("Europe/London", datetime(2027, 10, 31, 0, 30, tzinfo=UTC), datetime(2027, 10, 31, 1, 30, tzinfo=UTC)),
])
def test_a_reminder_in_the_hour_clocks_go_back_reads_at_its_own_instant(
        tzid: str, first: datetime, second: datetime) -> None:
    """01:30 happens twice the night clocks go back, and a TZID time names the first (RFC 5545 3.3.5): a
    reminder in the second was read an hour early by vobject and icalendar, and one crossing the change was
    written ending (01:00) before it began (01:45), which made the `ics` library refuse the whole calendar.
    Such an item is written in UTC; every other timed item keeps its local time and TZID."""
    crossing = first + timedelta(minutes=15)  # 01:45 the first time round, ending at 01:00 the second
    items = [ExportItem(f"{name}@imgcoach", name, at, at + timedelta(minutes=15), tzid=tzid)
             for name, at in (("first", first), ("second", second), ("crossing", crossing))]
    data = to_ics_bytes(items, now=NOW)
    read = {str(e["UID"]): (e["DTSTART"].dt, e["DTEND"].dt) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    assert read == {i.uid: (i.start, i.end) for i in items}
    for ev in vobject.readOne(data.decode("utf-8")).vevent_list:
        assert ev.dtend.value - ev.dtstart.value == timedelta(minutes=15)
    unfolded = data.replace(b"\r\n ", b"")
    for name, at in (("first", first), ("second", second), ("crossing", crossing)):
        assert f"DTSTART:{at:%Y%m%dT%H%M%S}Z".encode() in unfolded, name
    ordinary = to_ics_bytes([ExportItem("nine@imgcoach", "nine", first + timedelta(hours=13),
                                        first + timedelta(hours=13, minutes=15), tzid=tzid)], now=NOW)
    assert f"DTSTART;TZID={tzid}:".encode() in ordinary


def test_renaming_a_letter_writer_reaches_calendar_apps_as_a_newer_deadline(ctx: Context) -> None:
    """A letter deadline's title names its writer, but its SEQUENCE and DTSTAMP came from the letter row alone:
    correcting the writer's name exported a different title as the same version, which an app that already has
    the deadline may keep (RFC 5546 2.1.5: same SEQUENCE and DTSTAMP, same revision). The writer's edits count."""
    from datetime import date

    from imgcoach.calendar import export_bytes
    from imgcoach.plan import add_contact, add_letter_request, edit_contact

    writer = add_contact(ctx, "Dr. Smtih")
    add_letter_request(ctx, writer.id, status="requested", due_on=date(2027, 2, 15))  # type: ignore[arg-type]

    def deadline() -> tuple[str, int, datetime]:
        (event,) = [e for e in icalendar.Calendar.from_ical(export_bytes(ctx)).walk("VEVENT")
                    if str(e["X-IMGCOACH-KIND"]) == "letter_deadline"]
        return str(event["SUMMARY"]), int(event["SEQUENCE"]), event["DTSTAMP"].dt

    title, sequence, stamp = deadline()
    assert title == "Letter deadline: Dr. Smtih" and deadline() == (title, sequence, stamp)
    edit_contact(ctx, writer.id, name="Dr. Smith")  # type: ignore[arg-type]
    title_after, sequence_after, stamp_after = deadline()
    assert title_after == "Letter deadline: Dr. Smith"
    assert (sequence_after, stamp_after) > (sequence, stamp)
