"""Export from a real database: stable UIDs, two parsers agree, round trip, and the feed file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject
from sqlmodel import select

from imgcoach.calendar.exporting import add_feed, export_bytes, export_to, refresh_feed
from imgcoach.calendar.importing import apply_import
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.plan.rotations import edit_rotation, list_rotations
from imgcoach.storage.db import Database
from imgcoach.storage.models import (
    CalendarEvent,
    Contact,
    ExamResult,
    LetterRequest,
    Reminder,
    Rotation,
    StudyBlock,
)
from tests.cli_helpers import run_cli


def _all(ctx: Context, model: type) -> list:
    with ctx.db.read() as s:
        return list(s.exec(select(model)).all())


def test_export_has_every_plan_item_with_stable_uids(demo_ctx: Context) -> None:
    data = export_bytes(demo_ctx)
    cal = icalendar.Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    kinds = [str(e.get("X-IMGCOACH-KIND")) for e in events]
    assert kinds.count("rotation") == len(_all(demo_ctx, Rotation)) > 0
    assert kinds.count("study_block") == len(_all(demo_ctx, StudyBlock))
    assert kinds.count("exam") == len(_all(demo_ctx, ExamResult))
    pending = [r for r in _all(demo_ctx, Reminder) if r.status == "pending"]
    assert kinds.count("reminder") == len(pending) > 0
    open_letters = [x for x in _all(demo_ctx, LetterRequest) if x.due_on and x.status in ("planned", "requested", "agreed")]
    assert kinds.count("letter_deadline") == len(open_letters)
    # all-day items are DATE values; timed reminders are local times with their VTIMEZONE
    for e in events:
        if str(e["X-IMGCOACH-KIND"]) == "reminder":
            assert e["DTSTART"].params["TZID"] == "America/New_York"
        else:
            assert not isinstance(e["DTSTART"].dt, datetime) and b"DTSTART;VALUE=DATE:" in e.to_ical()
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["America/New_York"]
    today = demo_ctx.clock.now().date()  # 09:00 in New York: the same day there
    dated = [e for e in events if str(e["X-IMGCOACH-KIND"]) in ("exam", "letter_deadline")]
    assert any(e["DTSTART"].dt > today + timedelta(days=1) for e in dated)  # some alarms are still ahead
    assert all(bool(e.walk("VALARM")) == (e["DTSTART"].dt > today + timedelta(days=1)) for e in dated)
    assert {str(r.calendar_uid) for r in pending} <= {str(e["UID"]) for e in events}
    again = icalendar.Calendar.from_ical(export_bytes(demo_ctx))
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(str(e["UID"]) for e in events)
    [parsed] = list(vobject.readComponents(data.decode()))
    assert len(parsed.vevent_list) == len(events)


def test_export_then_import_gives_the_same_plan(demo_ctx: Context, tmp_path: Path, clock: FixedClock,
                                                 new_db_url: Callable[[str], str]) -> None:
    f = tmp_path / "plan.ics"
    f.write_bytes(export_bytes(demo_ctx))
    other = Context(db=Database(new_db_url("other")), clock=clock, settings=demo_ctx.settings)
    from imgcoach.plan.profile import set_profile

    set_profile(other, name="Copy", email="copy@example.com", timezone="America/New_York")
    report = apply_import(other, f, accept=True)
    assert report.status == "imported" and report.problems == []

    def rot(r: Rotation) -> tuple:
        return (r.kind, r.specialty, r.institution, r.city, r.state, r.start_date, r.end_date, r.hours_per_week,
                r.hands_on, r.setting)

    assert sorted(map(rot, _all(other, Rotation))) == sorted(map(rot, _all(demo_ctx, Rotation)))
    assert sorted((b.exam, b.start_date, b.end_date, b.hours_per_week, b.weekly_goal) for b in _all(other, StudyBlock)) \
        == sorted((b.exam, b.start_date, b.end_date, b.hours_per_week, b.weekly_goal) for b in _all(demo_ctx, StudyBlock))
    assert sorted((e.exam, e.taken_on) for e in _all(other, ExamResult)) == sorted(
        (e.exam, e.taken_on) for e in _all(demo_ctx, ExamResult))
    other.db.close()


def test_feed_is_rewritten_only_when_the_plan_changes(demo_ctx: Context, tmp_path: Path) -> None:
    (tmp_path / "feed").mkdir()  # a missing folder is refused (tests/test_output_folders44.py)
    feed = add_feed(demo_ctx, tmp_path / "feed" / "plan.ics")
    first = feed.read_bytes()
    assert refresh_feed(demo_ctx.db, demo_ctx.settings, demo_ctx.clock) == []
    rotation = list_rotations(demo_ctx)[0]
    edit_rotation(demo_ctx, rotation.id, end_date=rotation.end_date + timedelta(days=7))
    assert refresh_feed(demo_ctx.db, demo_ctx.settings, demo_ctx.clock) == [str(feed)]
    assert feed.read_bytes() != first
    feed.unlink()
    assert refresh_feed(demo_ctx.db, demo_ctx.settings, demo_ctx.clock) == [str(feed)] and feed.exists()


def test_a_feed_that_cannot_be_written_leaves_the_other_feeds_current(ctx: Context, tmp_path: Path) -> None:
    """The first feed whose file could not be written stopped the refresh: every feed after it, here another
    applicant's, kept a rotation deleted from the plan for as long as that one file failed. The others are
    written now, and the failure is still reported (a UserError naming that file)."""
    from datetime import date

    from imgcoach.plan.profile import add_applicant
    from imgcoach.plan.rotations import add_rotation, remove_rotation

    broken_folder = tmp_path / "unmounted"
    broken_folder.mkdir()  # a missing folder is refused (tests/test_output_folders44.py)
    add_feed(ctx, broken_folder / "first.ics")
    other = Context(db=ctx.db, clock=ctx.clock, settings=ctx.settings)
    other.applicant_id = add_applicant(other, name="Ben Ortiz", email="ben@example.org",
                                       timezone="America/Chicago").id
    rotation = add_rotation(other, institution="Lakeside General", specialty="Internal Medicine",
                            kind="observership", start_date=date(2027, 3, 1), end_date=date(2027, 3, 28),
                            hours_per_week=40)
    feed = add_feed(other, tmp_path / "ben.ics")
    shutil.rmtree(broken_folder)
    broken_folder.write_text("a file where the feed's folder was")  # no folder can be made there again
    remove_rotation(other, rotation.id)  # type: ignore[arg-type]

    with pytest.raises(UserError, match="first.ics: cannot write the calendar file"):
        refresh_feed(ctx.db, ctx.settings, ctx.clock)
    left = icalendar.Calendar.from_ical(feed.read_bytes())
    assert [str(e["SUMMARY"]) for e in left.walk("VEVENT")] == []


def test_a_rotation_made_from_an_event_with_no_location_is_exported_with_none(ctx: Context, tmp_path: Path) -> None:
    """The hospital's event named no place, so its rotation's institution is "unspecified"; the export wrote
    LOCATION:unspecified, which a calendar app shows (and offers to map) as where the rotation is."""
    f = tmp_path / "hospital.ics"
    f.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Hospital//EN\r\nBEGIN:VEVENT\r\n"
                  b"UID:obs-1@hospital.example\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;VALUE=DATE:20270301\r\n"
                  b"DTEND;VALUE=DATE:20270329\r\nSUMMARY:Cardiology observership\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    report = apply_import(ctx, f, kinds={"obs-1@hospital.example": "rotation"})
    assert [m["kind"] for m in report.mapped] == ["rotation"]
    (rotation,) = list_rotations(ctx)
    assert rotation.institution == "unspecified"
    (event,) = [e for e in icalendar.Calendar.from_ical(export_bytes(ctx)).walk("VEVENT")
                if str(e["X-IMGCOACH-KIND"]) == "rotation"]
    assert "LOCATION" not in event
    assert (event["DTSTART"].dt.isoformat(), event["DTEND"].dt.isoformat()) == ("2027-03-01", "2027-03-29")


def test_cli_export(demo_ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path, cli_clock: FixedClock) -> None:
    out = tmp_path / "plan.ics"
    res = run_cli(capsys, "export", "-o", str(out), "--db", demo_ctx.db.url)
    assert res.code == 0 and out.read_bytes().startswith(b"BEGIN:VCALENDAR")
    res = run_cli(capsys, "export", "--db", demo_ctx.db.url)
    assert res.code == 0 and res.out.startswith("BEGIN:VCALENDAR")
    res = run_cli(capsys, "export", "--feed", str(tmp_path / "feed.ics"), "--db", demo_ctx.db.url)
    assert res.code == 0 and (tmp_path / "feed.ics").exists() and "daemon" in res.err
    bad = run_cli(capsys, "export", "-o", str(tmp_path / "missing-dir-file" / "x" / "\0bad"), "--db", demo_ctx.db.url)
    assert bad.code != 0 and "Traceback" not in bad.err


def test_export_takes_the_file_as_import_does(demo_ctx: Context, capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path, cli_clock: FixedClock) -> None:
    """`imgcoach export plan.ics` (as `imgcoach import plan.ics` reads one) said "Got unexpected extra argument"."""
    out = tmp_path / "plan.ics"
    res = run_cli(capsys, "export", str(out), "--db", demo_ctx.db.url)
    assert res.code == 0 and out.read_bytes().startswith(b"BEGIN:VCALENDAR") and f"wrote {out}" in res.err
    assert run_cli(capsys, "export", str(out), "-o", str(out), "--db", demo_ctx.db.url).code == 0  # the same file
    two = run_cli(capsys, "export", str(tmp_path / "a.ics"), "-o", str(tmp_path / "b.ics"), "--db", demo_ctx.db.url)
    assert two.code == 2 and "two files to write" in two.err and not (tmp_path / "a.ics").exists()


def test_a_file_where_the_folder_should_be_is_named_as_what_stops_the_export(
        ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`export -o exports/plan.ics` with a file called `exports` said "cannot write the calendar file: File exists",
    which read as plan.ics being in the way (mkdir's words for the folder it could not make); it names the file."""
    from tests.cli_helpers import database_state

    (tmp_path / "exports").write_text("notes")
    before = database_state(ctx.db.url)
    for option in ("-o", "--feed"):
        res = run_cli(capsys, "export", option, str(tmp_path / "exports" / "plan.ics"), "--db", ctx.db.url)
        assert res.code == 2
        assert f"cannot write the calendar file: {tmp_path / 'exports'} is a file, not a folder" in res.err
        assert "File exists" not in res.err
    assert database_state(ctx.db.url) == before


def test_importing_our_own_export_links_to_the_plan_instead_of_copying_it(demo_ctx: Context, tmp_path: Path) -> None:
    """A calendar that contains this database's own export (a re-import, or a calendar app's export)."""
    f = tmp_path / "plan.ics"
    f.write_bytes(export_bytes(demo_ctx))
    before = {m.__name__: len(_all(demo_ctx, m)) for m in (Rotation, StudyBlock, ExamResult)}
    report = apply_import(demo_ctx, f, accept=True)
    assert report.status == "imported" and report.problems == [] and report.mapped == []
    assert {m.__name__: len(_all(demo_ctx, m)) for m in (Rotation, StudyBlock, ExamResult)} == before
    linked = {(e.mapped_kind, e.mapped_id) for e in _all(demo_ctx, CalendarEvent) if e.mapped_kind}
    assert {(k, i) for k, i in linked if k == "rotation"} == {("rotation", r.id) for r in _all(demo_ctx, Rotation)}
    # The link is live: the event moved in the calendar app moves the rotation on the next import.
    rotation = min(_all(demo_ctx, Rotation), key=lambda r: r.start_date)
    edit_rotation(demo_ctx, rotation.id, end_date=rotation.end_date + timedelta(days=7))
    f.write_bytes(export_bytes(demo_ctx))
    edit_rotation(demo_ctx, rotation.id, end_date=rotation.end_date)
    again = apply_import(demo_ctx, f, accept=True)
    assert again.updated >= 1 and again.mapped == []
    moved = next(r for r in _all(demo_ctx, Rotation) if r.id == rotation.id)
    assert moved.end_date == rotation.end_date + timedelta(days=7)
    assert {m.__name__: len(_all(demo_ctx, m)) for m in (Rotation, StudyBlock, ExamResult)} == before


@pytest.mark.parametrize("x_props", ["kept", "dropped"])
def test_our_own_reminders_and_letter_deadlines_come_back_as_nothing_new(
        demo_ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], x_props: str, cli_clock: FixedClock) -> None:
    """Quirk: importing a calendar that holds our export (a calendar service subscribed to the feed, or our own
    file) copied every pending reminder and letter deadline into calendar events: drawn beside the reminders
    they copy, and left behind at the old days once a rotation moved. A service may drop X- properties, so the
    UID alone tells them."""
    data = export_bytes(demo_ctx)
    if x_props == "dropped":
        calendar = icalendar.Calendar.from_ical(data)
        for event in calendar.walk("VEVENT"):
            for name in [n for n in event if n.startswith("X-IMGCOACH")]:
                del event[name]
        data = calendar.to_ical()
        assert b"X-IMGCOACH" not in data
    f = tmp_path / "google-export.ics"
    f.write_bytes(data)
    pending = {r.calendar_uid for r in _all(demo_ctx, Reminder) if r.status == "pending"}
    letters = [letter for letter in _all(demo_ctx, LetterRequest) if letter.due_on and letter.status != "uploaded"]
    in_file = {str(c["UID"]) for c in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    assert pending and letters and pending <= in_file
    report = apply_import(demo_ctx, f)
    assert report.status == "imported"
    copied = {e.uid for e in _all(demo_ctx, CalendarEvent)}
    assert not copied & pending
    assert not [e for e in _all(demo_ctx, CalendarEvent) if e.summary.startswith(("Reminder:", "Letter deadline:"))]
    assert {a["uid"] for a in report.already} >= pending
    assert len(report.already) >= len(pending) + len(letters)
    # A rotation moves and the service's calendar follows the feed; imported again, still nothing is copied.
    rotation = min(list_rotations(demo_ctx), key=lambda r: r.start_date)
    edit_rotation(demo_ctx, rotation.id, end_date=rotation.end_date + timedelta(days=14))
    f.write_bytes(export_bytes(demo_ctx))
    res = run_cli(capsys, "import", str(f), "--db", demo_ctx.db.url)
    assert res.code == 0 and "already in the plan, not imported" in res.out
    assert not {e.uid for e in _all(demo_ctx, CalendarEvent)} & {r.calendar_uid for r in _all(demo_ctx, Reminder)}


def test_feed_and_export_keep_an_existing_files_mode(demo_ctx: Context, tmp_path: Path) -> None:
    """Quirk: the atomic rewrite replaced a 0644 feed with a 0600 temp file the web server could not read."""
    feed = tmp_path / "plan-feed.ics"
    feed.write_bytes(b"old")
    feed.chmod(0o644)
    add_feed(demo_ctx, feed)
    assert feed.stat().st_mode & 0o777 == 0o644
    rotation = list_rotations(demo_ctx)[0]
    edit_rotation(demo_ctx, rotation.id, end_date=rotation.end_date + timedelta(days=7))
    assert refresh_feed(demo_ctx.db, demo_ctx.settings, demo_ctx.clock) == [str(feed)]
    assert feed.stat().st_mode & 0o777 == 0o644
    out = tmp_path / "plan.ics"
    out.write_bytes(b"")
    out.chmod(0o640)
    export_to(demo_ctx, out)
    assert out.stat().st_mode & 0o777 == 0o640 and out.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_export_reads_each_kind_of_item_with_one_query_of_its_own_columns(demo_ctx: Context) -> None:
    """Issue 17 (export under 1 s): the plan is read as rows of the columns the items are made of, one SELECT
    per kind of item plus the applicant; the letter writers' names come with the letters (they were a query of
    every contact). A reminder's JSON payload, which the calendar never shows, is not read."""
    from sqlalchemy import event

    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(" ".join(statement.split()))

    event.listen(demo_ctx.db.engine, "before_cursor_execute", record)
    try:
        data = export_bytes(demo_ctx)
    finally:
        event.remove(demo_ctx.db.engine, "before_cursor_execute", record)
    kinds = {str(e["X-IMGCOACH-KIND"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    assert kinds == {"rotation", "study_block", "exam", "letter_deadline", "reminder"}  # the demo has every kind
    assert len(statements) == 1 + len(kinds), statements
    assert not any("payload" in s for s in statements), statements
    letters = {str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
               if str(e["X-IMGCOACH-KIND"]) == "letter_deadline"}
    writers = {c.name for c in _all(demo_ctx, Contact)}
    assert letters and all(s.removeprefix("Letter deadline: ") in writers for s in letters), letters


def _alarm_days(data: bytes) -> dict[str, list[int]]:
    """SUMMARY -> the days before the start each VALARM fires."""
    return {str(e["SUMMARY"]): sorted(-a["TRIGGER"].dt.days for a in e.walk("VALARM"))
            for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def test_alarms_already_past_are_left_out_of_the_export(ctx: Context, clock: FixedClock) -> None:
    """A passed Step 1 from a year before was exported with its "7 days before" and "1 day before" alarms, and so
    was a rotation that had started: a calendar app shows each such alarm as a missed reminder on import. Only
    alarms still ahead are written; an exam a week away keeps its "1 day before"."""
    from datetime import date

    from imgcoach.plan.exams import add_exam
    from imgcoach.plan.rotations import add_rotation

    assert clock.now().date() == date(2026, 11, 25)  # 09:00 in New York
    add_exam(ctx, "Step 1", date(2025, 11, 20), result="pass")
    add_exam(ctx, "Step 2 CK", date(2026, 12, 2))  # its 7-day alarm fell at midnight today
    add_exam(ctx, "OET", date(2026, 12, 20))
    add_rotation(ctx, institution="Started Hospital", specialty="Internal Medicine", kind="observership",
                 start_date=date(2026, 11, 23), end_date=date(2026, 12, 18), hours_per_week=40)
    add_rotation(ctx, institution="Coming Hospital", specialty="Internal Medicine", kind="observership",
                 start_date=date(2027, 1, 4), end_date=date(2027, 1, 29), hours_per_week=40)
    days = _alarm_days(export_bytes(ctx))
    assert days["Exam: Step 1"] == []
    assert days["Exam: Step 2 CK"] == [1]
    assert days["Exam: OET"] == [1, 7]
    assert days["Observership: Internal Medicine at Started Hospital"] == []
    assert days["Observership: Internal Medicine at Coming Hospital"] == [7]


def test_which_alarms_are_past_is_decided_by_the_applicants_day(ctx: Context, clock: FixedClock) -> None:
    """At 22:00 in New York it is already the next day in UTC: an alarm firing at midnight tomorrow (New York)
    is still ahead and stays."""
    from datetime import UTC, date

    from imgcoach.plan.exams import add_exam

    add_exam(ctx, "OET", date(2026, 12, 3))
    clock.set(datetime(2026, 11, 26, 3, 0, tzinfo=UTC))  # 25 Nov, 22:00 in New York
    assert _alarm_days(export_bytes(ctx))["Exam: OET"] == [1, 7]
    clock.set(datetime(2026, 11, 26, 5, 0, tzinfo=UTC))  # 26 Nov, 00:00 in New York: the 7-day alarm has fired
    assert _alarm_days(export_bytes(ctx))["Exam: OET"] == [1]
