"""What imported events become in the plan: links to rows it holds, one item per series run, identity by UID
across files, and undo. Real SQLite files and real ICS files (fixtures named after the quirk they pin)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
from sqlmodel import select

from imgcoach.calendar.exporting import export_bytes
from imgcoach.calendar.importing import apply_import, import_history, preview_import, undo_last_import
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation
from imgcoach.storage.models import CalendarEvent, ExamResult, Reminder, Rotation, StudyBlock
from imgcoach.storage.readcache import OWN_TABLES
from tests.cli_helpers import run_cli

DATA = Path(__file__).parent / "data" / "ics"


def _all(ctx: Context, model: type) -> list:
    with ctx.db.read() as s:
        return list(s.exec(select(model)).all())


def _planned_rotation(ctx: Context) -> Rotation:
    return add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside General",
                        city="Newark", state="NJ", country="US", start_date=date(2027, 1, 4),
                        end_date=date(2027, 1, 29))


def test_hospital_schedule_links_to_the_planned_rotation_and_a_short_meeting_is_no_rotation(ctx: Context) -> None:
    planned = _planned_rotation(ctx)
    f = DATA / "hospital_schedule_for_planned_rotation.ics"
    preview = preview_import(ctx, f)
    by_summary = {e.summary: e for e in preview.events}
    obs = by_summary["Observership - Internal Medicine"]
    assert obs.suggestion.kind == "rotation" and obs.link is not None and obs.link.id == planned.id
    assert obs.link.reason == "same institution (Lakeside General) and overlapping dates"
    assert obs.describe_target().startswith(f"link to rotation {planned.id}")
    meeting = by_summary["Mid-rotation evaluation with Dr. Okafor"]
    assert meeting.suggestion.kind == "event" and "shorter than a day" in meeting.suggestion.rule
    reminders_before = len(_all(ctx, Reminder))
    report = apply_import(ctx, f, accept=True)
    assert [m["linked"] for m in report.mapped] == ["same institution (Lakeside General) and overlapping dates"]
    assert [r.id for r in _all(ctx, Rotation)] == [planned.id]  # no second rotation
    assert len(_all(ctx, Reminder)) == reminders_before  # and no second set of letter reminders
    linked = {e.summary: (e.mapped_kind, e.mapped_id, e.link_only) for e in _all(ctx, CalendarEvent)}
    assert linked["Observership - Internal Medicine"] == ("rotation", planned.id, True)
    assert linked["Mid-rotation evaluation with Dr. Okafor"][:2] == ("event", None)  # a calendar event, no plan row


def test_keeping_a_linkable_event_separate_makes_its_own_rotation(ctx: Context) -> None:
    planned = _planned_rotation(ctx)
    report = apply_import(ctx, DATA / "hospital_schedule_for_planned_rotation.ics", accept=True,
                          separate={"lakeside-obs-2027-im@hospital.example"})
    (made,) = report.mapped
    assert made["kind"] == "rotation" and made["id"] != planned.id and "linked" not in made
    assert len(_all(ctx, Rotation)) == 2


def test_daily_series_is_one_study_block_over_its_span(ctx: Context) -> None:
    f = DATA / "google_daily_series_uworld_block.ics"
    preview = preview_import(ctx, f)
    (suggested,) = preview.suggestions()  # one suggestion for the series, not fourteen
    assert suggested.suggestion.kind == "study_block" and suggested.occurrences == 14
    assert suggested.span == (date(2027, 2, 1), date(2027, 2, 14))
    report = apply_import(ctx, f, accept=True)
    (block,) = _all(ctx, StudyBlock)
    assert (block.start_date, block.end_date) == (date(2027, 2, 1), date(2027, 2, 14))
    assert report.mapped == [{"kind": "study_block", "id": block.id, "uid": suggested.uid,
                              "summary": "UWorld Step 2 CK block", "occurrences": 14}]
    events = _all(ctx, CalendarEvent)
    assert len(events) == 14 and {(e.mapped_kind, e.mapped_id) for e in events} == {("study_block", block.id)}
    assert apply_import(ctx, f, accept=True).mapped == []  # a re-import makes nothing new


def _calcurse_round_trip(data: bytes) -> bytes:
    """What a trip through calcurse does to an export: multi-day events become daily repeats of one day,
    UIDs are calcurse's own, and our X- properties are dropped."""
    cal = icalendar.Calendar.from_ical(data)
    out = icalendar.Calendar()
    out.add("VERSION", "2.0")
    out.add("PRODID", "-//calcurse//NONSGML v4.8.1//EN")
    for n, ev in enumerate(cal.walk("VEVENT")):
        new = icalendar.Event()
        new.add("UID", f"calcurse-{n}")
        new.add("SUMMARY", str(ev["SUMMARY"]))
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        new.add("DTSTART", start)
        if not hasattr(start, "hour") and (end - start).days > 1:
            new.add("DTEND", start + timedelta(days=1))
            new.add("RRULE", {"FREQ": "DAILY", "COUNT": (end - start).days})
        else:
            new.add("DTEND", end)
        for prop in ("LOCATION", "CATEGORIES", "DESCRIPTION"):
            if prop in ev:
                new[prop] = ev[prop]
        out.add_component(new)
    return out.to_ical()


def test_calcurse_round_trip_of_the_demo_plan_multiplies_nothing(demo_ctx: Context, tmp_path: Path) -> None:
    """Quirk: one trip through calcurse gave 67 rotations, 91 study blocks and 90 pending reminder e-mails."""
    f = tmp_path / "calcurse-export.ics"
    f.write_bytes(_calcurse_round_trip(export_bytes(demo_ctx)))

    def counts() -> tuple[int, ...]:
        pending = [r for r in _all(demo_ctx, Reminder) if r.status == "pending"]
        return (len(_all(demo_ctx, Rotation)), len(_all(demo_ctx, StudyBlock)), len(_all(demo_ctx, ExamResult)),
                len(pending))

    before = counts()
    report = apply_import(demo_ctx, f, accept=True)
    assert report.status == "imported"
    assert counts() == before
    assert [m for m in report.mapped if "linked" not in m] == []


def test_same_uid_from_another_file_updates_and_a_moved_event_moves_its_rotation(ctx: Context,
                                                                                   tmp_path: Path) -> None:
    """Quirk: the same events imported from a second file were stored twice (54 rows for 27 UIDs)."""
    first = tmp_path / "schedule.ics"
    shutil.copyfile(DATA / "hospital_schedule_for_planned_rotation.ics", first)
    apply_import(ctx, first, accept=True)
    (rotation,) = _all(ctx, Rotation)
    copy = tmp_path / "schedule (1).ics"
    shutil.copyfile(first, copy)
    again = apply_import(ctx, copy)
    assert (again.created, again.updated) == (0, 2)  # the rows now come from the newer file
    assert len(_all(ctx, CalendarEvent)) == 2
    moved = tmp_path / "schedule-moved.ics"  # moved a week later in another app, saved under a new name
    moved.write_bytes(first.read_bytes().replace(b"DTSTART;VALUE=DATE:20270104", b"DTSTART;VALUE=DATE:20270111")
                      .replace(b"DTEND;VALUE=DATE:20270130", b"DTEND;VALUE=DATE:20270206"))
    report = apply_import(ctx, moved)
    assert (report.created, report.updated) == (0, 2)  # both now come from this file; one also moved
    (rotation,) = _all(ctx, Rotation)
    assert (rotation.start_date, rotation.end_date) == (date(2027, 1, 11), date(2027, 2, 5))
    assert len(_all(ctx, CalendarEvent)) == 2


def _contents(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as raw:
        tables = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        # sqlite_sequence stays advanced after an undo, by design: an id the import handed out is never reused
        return {t: sorted(raw.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables if t not in ("calendar_import", "alembic_version", "sqlite_sequence", *OWN_TABLES)}


@pytest.mark.sqlite_only  # compares every table except the import journal, read with sqlite3
def test_undo_restores_the_database_exactly(demo_ctx: Context, db_path: Path, tmp_path: Path) -> None:
    """Import (creating rotations, study blocks and their reminders, updating and linking), then undo."""
    _planned = add_rotation(demo_ctx, kind="observership", specialty="Internal Medicine",
                            institution="Lakeside General", start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    apply_import(demo_ctx, DATA / "allday_multiday.ics", accept=True)
    before = _contents(db_path)
    for name in ("hospital_schedule_for_planned_rotation.ics", "google_daily_series_uworld_block.ics",
                 "allday_multiday.ics"):
        f = tmp_path / name
        data = (DATA / name).read_bytes()
        f.write_bytes(data.replace(b"20270104", b"20270105") if name == "allday_multiday.ics" else data)
    states = [before]
    for name in ("hospital_schedule_for_planned_rotation.ics", "google_daily_series_uworld_block.ics"):
        report = apply_import(demo_ctx, tmp_path / name, accept=True, prune=True)
        assert report.import_id is not None and report.mapped
        states.append(_contents(db_path))
    assert states[-1] != before
    history = import_history(demo_ctx)
    assert [h.file for h in history[:2]] == [str(tmp_path / "google_daily_series_uworld_block.ics"),
                                              str(tmp_path / "hospital_schedule_for_planned_rotation.ics")]
    undone = undo_last_import(demo_ctx)
    assert undone.file.endswith("google_daily_series_uworld_block.ics")
    assert _contents(db_path) == states[1]
    undo_last_import(demo_ctx)
    assert _contents(db_path) == before
    assert all(h.undone_at is not None for h in import_history(demo_ctx)[:2])


def test_cli_preview_shows_local_times_with_the_zone_and_json_has_the_suggestions(
        ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str, cli_clock: FixedClock) -> None:
    """Quirk: the preview printed UTC without saying so (09:00 New York read as 14:00)."""
    f = str(DATA / "google_daily_series_uworld_block.ics")
    res = run_cli(capsys, "import", f, "--dry-run", "--db", db_url)
    assert res.code == 0, res.err
    assert "times in America/New_York" in res.out
    assert "2027-02-01 09:00 EST  UWorld Step 2 CK block" in res.out
    assert "new study block over 01 Feb–14 Feb 2027 (14 occurrences)" in res.out
    res = run_cli(capsys, "import", f, "--dry-run", "--json", "--db", db_url)
    data = json.loads(res.out)
    assert data["timezone"] == "America/New_York"
    (s,) = data["suggestions"]
    assert s["start"] == "2027-02-01T09:00:00-05:00" and s["kind"] == "study_block" and s["occurrences"] == 14


def test_cli_accept_all_lists_every_item_first_then_history_and_undo(
        ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path, cli_clock: FixedClock) -> None:
    _planned_rotation(ctx)
    many = tmp_path / "many-rotations.ics"  # more rows than the preview shows on one screen
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:elective-{n}@test\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Elective - Cardiology {n}\r\n"
        f"DTSTART;VALUE=DATE:{(date(2028, 1, 3) + timedelta(weeks=2 * n)):%Y%m%d}\r\n"
        f"DTEND;VALUE=DATE:{(date(2028, 1, 3) + timedelta(weeks=2 * n, days=12)):%Y%m%d}\r\nEND:VEVENT\r\n"
        for n in range(45))
    many.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" + events.encode()
                     + b"END:VCALENDAR\r\n")
    res = run_cli(capsys, "import", str(many), "--accept-suggestions", "--db", db_url)
    assert res.code == 0, res.err
    assert "will accept 45 suggestions: 45 new rotations" in res.out
    assert "Elective - Cardiology 44" in res.out.split("will accept", 1)[1]  # the 45th, past one screen
    res = run_cli(capsys, "import", str(DATA / "hospital_schedule_for_planned_rotation.ics"),
                  "--accept-suggestions", "--db", db_url)
    assert "will accept 2 suggestions" not in res.out  # the meeting is not a rotation
    assert "1 link rotation" in res.out and "linked to rotation 1 (same institution" in res.out
    res = run_cli(capsys, "import", "--history", "--db", db_url)
    lines = res.out.splitlines()
    assert len(lines) == 2 and "hospital_schedule_for_planned_rotation.ics" in lines[0] and "EST" in lines[0]
    assert "45 created" in lines[1] and lines[1].endswith("made 45 rotations"), lines[1]
    res = run_cli(capsys, "import", "--undo", "--db", db_url)
    assert res.code == 0 and "undid import 2" in res.out
    res = run_cli(capsys, "import", "--undo", "--db", db_url)
    assert res.code == 0 and len(_all(ctx, Rotation)) == 1
    res = run_cli(capsys, "import", "--undo", "--db", db_url)
    assert res.code == 2 and "no import to undo" in res.err


def _moved_schedule(tmp_path: Path, name: str = "schedule-moved.ics") -> Path:
    """The hospital schedule with the observership a week later, saved in another app under a new name."""
    moved = tmp_path / name
    moved.write_bytes((DATA / "hospital_schedule_for_planned_rotation.ics").read_bytes()
                      .replace(b"DTSTART;VALUE=DATE:20270104", b"DTSTART;VALUE=DATE:20270111")
                      .replace(b"DTEND;VALUE=DATE:20270130", b"DTEND;VALUE=DATE:20270206"))
    return moved


def _pending(ctx: Context) -> list[tuple[str, object]]:
    return sorted((r.kind, r.due_at) for r in _all(ctx, Reminder) if r.status == "pending")


def test_a_linked_rotation_moves_with_its_event_and_undo_puts_it_back(ctx: Context, tmp_path: Path) -> None:
    """Quirk: an event linked to a planned rotation, moved in another app and re-imported under a new file name,
    was updated while the rotation it is kept the old dates (and its reminders the old days), silently."""
    planned = _planned_rotation(ctx)
    apply_import(ctx, DATA / "hospital_schedule_for_planned_rotation.ics", accept=True)
    before = _pending(ctx)
    report = apply_import(ctx, _moved_schedule(tmp_path))
    assert report.moved == [{"kind": "rotation", "id": planned.id, "uid": "lakeside-obs-2027-im@hospital.example",
                             "summary": "Observership - Internal Medicine", "from": ["2027-01-04", "2027-01-29"],
                             "to": ["2027-01-11", "2027-02-05"], "linked": True}]
    (rotation,) = _all(ctx, Rotation)
    assert (rotation.start_date, rotation.end_date) == (date(2027, 1, 11), date(2027, 2, 5))
    assert [due for _, due in _pending(ctx)] == [due + timedelta(weeks=1) for _, due in before]  # reminders too
    assert import_history(ctx)[0].plan_items == 1
    undo_last_import(ctx)
    (rotation,) = _all(ctx, Rotation)
    assert (rotation.start_date, rotation.end_date) == (date(2027, 1, 4), date(2027, 1, 29))
    assert _pending(ctx) == before


def test_a_linked_rotation_the_user_changed_since_keeps_its_dates_and_the_move_is_named(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    from imgcoach.plan.rotations import edit_rotation

    planned = _planned_rotation(ctx)
    apply_import(ctx, DATA / "hospital_schedule_for_planned_rotation.ics", accept=True)
    edit_rotation(ctx, planned.id, end_date=date(2027, 1, 22))  # type: ignore[arg-type]  # the user's own change
    res = run_cli(capsys, "import", str(_moved_schedule(tmp_path)), "--db", db_url)
    assert res.code == 0, res.err
    (rotation,) = _all(ctx, Rotation)
    assert (rotation.start_date, rotation.end_date) == (date(2027, 1, 4), date(2027, 1, 22))
    assert (f"the event now covers 11 Jan–05 Feb 2027; rotation {planned.id}, which it is linked to, keeps "
            "04 Jan–22 Jan 2027") in res.err


def test_a_series_that_grows_extends_the_study_block_it_made_with_hours_of_every_occurrence(
        ctx: Context, tmp_path: Path) -> None:
    """A daily 4-hour series over 14 days is 28 h a week (it was 2: one occurrence's hours over two weeks); two
    more occurrences later extend the block, and the new occurrences belong to it."""
    f = tmp_path / "uworld.ics"
    f.write_bytes((DATA / "google_daily_series_uworld_block.ics").read_bytes())
    apply_import(ctx, f, accept=True)
    (block,) = _all(ctx, StudyBlock)
    assert (block.end_date, block.hours_per_week) == (date(2027, 2, 14), 28)
    f.write_bytes(f.read_bytes().replace(b"COUNT=14", b"COUNT=16"))
    report = apply_import(ctx, f)
    assert [(m["kind"], m["to"]) for m in report.moved] == [("study_block", ["2027-02-01", "2027-02-16"])]
    (block,) = _all(ctx, StudyBlock)
    assert block.end_date == date(2027, 2, 16)
    assert {(e.mapped_kind, e.mapped_id) for e in _all(ctx, CalendarEvent)} == {("study_block", block.id)}


def test_a_real_calcurse_export_of_the_plan_links_every_item_and_makes_each_once(ctx: Context, tmp_path: Path) -> None:
    """Quirk, with calcurse's own bytes (4.7.1: no UIDs, multi-day items as daily repeats): imported into the
    plan it came from, it links to the rotation, study block and exam and makes nothing; into an empty plan it
    makes each of them once, over its whole span, never one per day."""
    f = DATA / "calcurse_multiday_as_daily_repeats.ics"
    fresh = apply_import(ctx, f, accept=True)
    made = sorted((m["kind"], m["occurrences"]) for m in fresh.mapped)
    assert made == [("exam", 1), ("rotation", 26), ("study_block", 42)]
    (rotation,) = _all(ctx, Rotation)
    (block,) = _all(ctx, StudyBlock)
    assert (rotation.start_date, rotation.end_date) == (date(2027, 1, 4), date(2027, 1, 29))
    assert (block.start_date, block.end_date) == (date(2027, 2, 1), date(2027, 3, 14))
    assert [(x.exam, x.taken_on) for x in _all(ctx, ExamResult)] == [("Step 2 CK", date(2027, 3, 22))]
    undo_last_import(ctx)
    assert _all(ctx, Rotation) == _all(ctx, StudyBlock) == _all(ctx, ExamResult) == []

    from imgcoach.plan import add_exam, add_study_block

    _planned_rotation(ctx)
    add_study_block(ctx, exam="Step 2 CK", start_date=date(2027, 2, 1), end_date=date(2027, 3, 14), hours_per_week=30)
    add_exam(ctx, "Step 2 CK", date(2027, 3, 22))
    pending = _pending(ctx)
    report = apply_import(ctx, f, accept=True)
    assert sorted(m["kind"] for m in report.mapped if "linked" in m) == ["exam", "rotation", "study_block"]
    assert [m for m in report.mapped if "linked" not in m] == []
    assert (len(_all(ctx, Rotation)), len(_all(ctx, StudyBlock)), len(_all(ctx, ExamResult))) == (1, 1, 1)
    assert _pending(ctx) == pending  # no second set of reminder e-mails
    assert apply_import(ctx, f, accept=True).mapped == []


def test_an_older_copy_of_our_export_does_not_undo_the_users_change_to_a_rotation(
        ctx: Context, tmp_path: Path) -> None:
    """An item made from (or known by) an event follows the event only while it has the event's old days:
    an older copy of our own export, saved under another name, would have moved an edited rotation back."""
    from imgcoach.plan.rotations import edit_rotation

    planned = _planned_rotation(ctx)
    old_copy = tmp_path / "plan-last-month.ics"
    old_copy.write_bytes(export_bytes(ctx))
    apply_import(ctx, old_copy)  # our own UIDs: linked to the rotation it came from, nothing copied
    edit_rotation(ctx, planned.id, end_date=date(2027, 2, 12))  # type: ignore[arg-type]
    again = tmp_path / "plan-last-month (1).ics"
    shutil.copyfile(old_copy, again)
    report = apply_import(ctx, again)
    assert report.updated and report.moved == []
    (rotation,) = _all(ctx, Rotation)
    assert (rotation.start_date, rotation.end_date) == (date(2027, 1, 4), date(2027, 2, 12))
    assert any(f"rotation {planned.id}, made from it, keeps 04 Jan–12 Feb 2027" in w.message for w in report.warnings)


def test_a_series_for_one_exam_is_not_linked_to_a_study_block_for_another(ctx: Context) -> None:
    """"UWorld Step 2 CK block" was offered as "link to study block N Step 3 (overlapping dates)": accepting it
    tied the Step 2 CK series to the Step 3 block, which then moved with it. A block for the exam it names, or
    any block when the title names no exam, is still linked."""
    from imgcoach.plan import add_study_block

    f = DATA / "google_daily_series_uworld_block.ics"
    other = add_study_block(ctx, exam="Step 3", start_date=date(2027, 1, 15), end_date=date(2027, 3, 10),
                            hours_per_week=25)
    (suggested,) = preview_import(ctx, f).suggestions()
    assert suggested.link is None and suggested.describe_target().startswith("new study block")
    report = apply_import(ctx, f, accept=True)
    assert [m for m in report.mapped if m.get("linked")] == []
    assert {b.id: b.exam for b in _all(ctx, StudyBlock)}[other.id] == "Step 3"
    assert sorted(b.exam for b in _all(ctx, StudyBlock)) == ["Step 2 CK", "Step 3"]
    undo_last_import(ctx)
    same = add_study_block(ctx, exam="USMLE Step 2 CK", start_date=date(2027, 1, 20), end_date=date(2027, 2, 20),
                           hours_per_week=30)
    (suggested,) = preview_import(ctx, f).suggestions()
    assert suggested.link is not None and suggested.link.id == same.id


def _schedule(tmp_path: Path, name: str, *events: tuple[str, str, str, str]) -> Path:
    """A hospital's schedule: (uid, summary, extra properties, 'first-day/day-after') per all-day event."""
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261120T000000Z\r\nSUMMARY:{summary}\r\n{extra}"
        f"DTSTART;VALUE=DATE:{days.split('/')[0]}\r\nDTEND;VALUE=DATE:{days.split('/')[1]}\r\nEND:VEVENT\r\n"
        for uid, summary, extra, days in events)
    f = tmp_path / name
    f.write_bytes(("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" + body + "END:VCALENDAR\r\n").encode())
    return f


def test_an_event_at_another_institution_is_not_linked_on_overlapping_dates(ctx: Context, tmp_path: Path) -> None:
    """Quirk: a Lakeside General observership was offered as "link to rotation 3 Northgate Medical Center
    (overlapping dates)"; accepting it merged two rotations. The institution may be named in the location, in the
    title or only by the organizer; each is now a rotation of its own."""
    northgate = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                             institution="Northgate Medical Center (fictional)", start_date=date(2027, 1, 19),
                             end_date=date(2027, 3, 15))
    f = _schedule(tmp_path, "lakeside.ics",
                  ("in-location@t", "Observership - Internal Medicine", "LOCATION:Lakeside General Hospital\\, 4 West\r\n",
                   "20270201/20270227"),
                  ("in-title@t", "Externship at Lakeside General", "", "20270208/20270213"),
                  ("by-organizer@t", "Clerkship - Cardiology",
                   "ORGANIZER;CN=Riverside University Hospital GME:mailto:gme@riverside.example\r\n",
                   "20270301/20270313"))
    preview = preview_import(ctx, f)
    assert {e.uid: e.link for e in preview.suggestions()} == {"in-location@t": None, "in-title@t": None,
                                                             "by-organizer@t": None}
    assert all(e.describe_target() == "new rotation" for e in preview.suggestions())
    report = apply_import(ctx, f, accept=True)
    assert [m for m in report.mapped if "linked" in m] == []
    rotations = {r.id: (r.institution, r.start_date) for r in _all(ctx, Rotation)}
    assert len(rotations) == 4 and rotations[northgate.id] == ("Northgate Medical Center (fictional)",
                                                               date(2027, 1, 19))


def test_the_same_institution_still_links_whatever_its_spelling(ctx: Context, tmp_path: Path) -> None:
    """"(fictional)", case, punctuation and "Hospital"/"Medical Center" do not make another institution, and the
    reason names the institution: before, "Northgate Medical Center, Philadelphia" linked on dates alone."""
    planned = _planned_rotation(ctx)  # "Lakeside General"
    brigid = add_rotation(ctx, kind="observership", specialty="Cardiology",
                             institution="St. Brigid Medical Center (fictional)", start_date=date(2027, 3, 1),
                             end_date=date(2027, 3, 26))
    f = _schedule(tmp_path, "same.ics",
                  ("lakeside@t", "Observership - Internal Medicine", "LOCATION:LAKESIDE GENERAL HOSPITAL\r\n",
                   "20270104/20270130"),
                  ("brigid@t", "Observership - Cardiology", "LOCATION:St Brigid Hospital\\, Philadelphia\r\n",
                   "20270301/20270327"))
    links = {e.uid: e.link for e in preview_import(ctx, f).suggestions()}
    assert [(links[u].id, links[u].reason) for u in ("lakeside@t", "brigid@t") if links[u] is not None] == [
        (planned.id, "same institution (Lakeside General) and overlapping dates"),
        (brigid.id, "same institution (St. Brigid Medical Center (fictional)) and overlapping dates")]
    apply_import(ctx, f, accept=True)
    assert sorted(r.id for r in _all(ctx, Rotation)) == sorted([planned.id, brigid.id])  # no copy made


def test_a_link_on_dates_alone_says_so_when_the_event_names_no_institution(ctx: Context, tmp_path: Path) -> None:
    planned = _planned_rotation(ctx)
    # "Internal Medicine Clinic" is a service, not an institution; "4 West" a ward.
    f = _schedule(tmp_path, "bare.ics",
                  ("bare@t", "Clerkship - Internal Medicine Clinic", "LOCATION:4 West\r\n", "20270111/20270123"))
    (suggested,) = preview_import(ctx, f).suggestions()
    assert suggested.link is not None and suggested.link.id == planned.id
    assert suggested.link.reason == "overlapping dates alone (04 Jan–29 Jan 2027): the event names no institution"
    assert suggested.describe_target().endswith("(overlapping dates alone (04 Jan–29 Jan 2027): the event names no "
                                                "institution)")


def test_a_clinical_event_is_not_linked_to_a_research_rotation(ctx: Context, tmp_path: Path) -> None:
    """An observership at the institution of a research rotation, on its dates, is clinical time of its own:
    linked, it would be kept as research. A research event there still links."""
    research = add_rotation(ctx, kind="research", specialty="Internal Medicine",
                            institution="Northgate Medical Center (fictional)", start_date=date(2027, 1, 19),
                            end_date=date(2027, 3, 15))
    f = _schedule(tmp_path, "northgate.ics",
                  ("obs@t", "Observership - Cardiology", "LOCATION:Northgate Medical Center\r\n", "20270201/20270213"),
                  ("res@t", "Research - Cardiology", "CATEGORIES:Rotation\r\nLOCATION:Northgate Medical Center\r\n",
                   "20270119/20270316"))
    links = {e.uid: e.link for e in preview_import(ctx, f).suggestions()}
    assert links["obs@t"] is None
    assert links["res@t"] is not None and links["res@t"].id == research.id


def test_a_second_rotation_at_the_same_institution_months_later_is_not_linked_to_the_first(
        ctx: Context, tmp_path: Path) -> None:
    """Quirk: a June observership at Lakeside General was offered as "link to rotation 1 (same institution)", the
    January one; accepted, the June weeks became part of a rotation that still read January, and vanished from the
    plan. The same place on other dates is a rotation of its own."""
    planned = _planned_rotation(ctx)  # Lakeside General, 4-29 January 2027
    f = _schedule(tmp_path, "june.ics",
                  ("june@t", "Observership - Internal Medicine", "LOCATION:Lakeside General\r\n", "20270601/20270626"))
    (suggested,) = preview_import(ctx, f).suggestions()
    assert suggested.link is None and suggested.describe_target() == "new rotation"
    apply_import(ctx, f, accept=True)
    spans = sorted((r.institution, r.start_date, r.end_date) for r in _all(ctx, Rotation))
    assert spans == [("Lakeside General", date(2027, 1, 4), date(2027, 1, 29)),
                     ("Lakeside General", date(2027, 6, 1), date(2027, 6, 25))]
    assert planned.id in {r.id for r in _all(ctx, Rotation)}


def test_a_clinical_event_is_not_linked_to_a_volunteer_rotation_on_its_dates(ctx: Context, tmp_path: Path) -> None:
    """Volunteering is no clinical experience (readiness does not count it): an observership on the dates of a
    volunteer rotation was linked to it, and its weeks counted as volunteering."""
    add_rotation(ctx, kind="volunteer", specialty="Internal Medicine", institution="Free Clinic (fictional)",
                 start_date=date(2027, 2, 1), end_date=date(2027, 2, 26))
    f = _schedule(tmp_path, "obs.ics", ("obs@t", "Observership - Internal Medicine", "", "20270208/20270220"))
    (suggested,) = preview_import(ctx, f).suggestions()
    assert suggested.link is None and suggested.describe_target() == "new rotation"
