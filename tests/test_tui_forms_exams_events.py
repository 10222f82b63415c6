"""Issue 15, "Editing" and "Keys": relative dates in every date field with the date shown beside it, an
empty end date of start + 4 weeks, Enter to the next field and ctrl+s to save (the footer says so, in the
button's words), exams edited and deleted, imported calendar events deleted. Real databases on both
engines, keys typed through Pilot."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select
from textual.widgets import Button, Input, Static

from imgcoach.calendar import list_events, remove_events
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import NotFound, UserError, ValidationError
from imgcoach.plan import add_exam, edit_exam, list_exams, list_rotations, set_profile
from imgcoach.storage.db import table_counts
from imgcoach.storage.models import CalendarEvent, CalendarSource
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from imgcoach.tui.widgets.form import FormScreen
from tests.cli_helpers import run_cli
from tests.test_calendar_tui import text as shown_text
from tests.test_tui_quickread import add_events
from tests.tui_helpers import SIZE, app_for, error_of, fill, press, settle

# The fixed clock is Wed 25 Nov 2026 14:00 UTC: 09:00 that day in New York (the `ctx` applicant).
TODAY_NY = date(2026, 11, 25)


async def type_text(pilot: Any, text: str) -> None:
    """Type `text` key by key into the focused field, as a person would."""
    await pilot.press(*text)
    await settle(pilot)


def preview(form: FormScreen, name: str) -> str:
    return str(form.query_one(f"#preview-{name}", Static).render())


def footer_keys(screen: Any) -> dict[str, str]:
    """What the footer offers: key -> description, for the bindings it shows as enabled."""
    return {key: active.binding.description for key, active in screen.active_bindings.items()
            if active.binding.show and active.enabled}


# --- relative dates, the date beside the field, an end date of start + 4 weeks, Enter, ctrl+s -------------


async def test_relative_dates_are_read_shown_and_saved_with_a_four_week_default_end(ctx: Context) -> None:
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        assert "blank" in (form.query_one("#field-end_date", Input).placeholder or "")
        fill(form, specialty="Internal Medicine", institution="Mercy Hospital")
        form.query_one("#field-start_date", Input).focus()
        await type_text(pilot, "next monday")
        assert preview(form, "start_date") == "= 30 Nov 2026", "Monday after Wed 25 Nov, read on the applicant's day"
        assert preview(form, "end_date") == "blank: 27 Dec 2026 (4 weeks)", "the empty end says what it will be"
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is not form, "ctrl+s saved and closed the form"
        rotation = next(r for r in list_rotations(ctx) if r.institution == "Mercy Hospital")
        assert (rotation.start_date, rotation.end_date) == (date(2026, 11, 30), date(2026, 12, 27))
        assert (rotation.end_date - rotation.start_date).days + 1 == 28


async def test_a_typed_end_wins_and_a_wrong_date_is_named_beside_its_field(ctx: Context) -> None:
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "a")
        form = pilot.app.screen
        fill(form, specialty="Family Medicine", institution="Lakeview Clinic", start_date="today")
        form.query_one("#field-end_date", Input).focus()
        await type_text(pilot, "+6w")
        assert preview(form, "start_date") == "= 25 Nov 2026" and preview(form, "end_date") == "= 06 Jan 2027"
        fill(form, start_date="soon")
        await settle(pilot)
        assert preview(form, "start_date") == "? not a date"
        before = table_counts(ctx.db)["rotation"]
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is form, "nothing saved"
        assert "is not a date: use YYYY-MM-DD, today, tomorrow, +4w" in error_of(form, "start_date")
        assert table_counts(ctx.db)["rotation"] == before
        fill(form, start_date="2026-12-07")
        await press(pilot, "ctrl+s")
        rotation = next(r for r in list_rotations(ctx) if r.institution == "Lakeview Clinic")
        assert (rotation.start_date, rotation.end_date) == (date(2026, 12, 7), TODAY_NY + timedelta(weeks=6))


async def test_a_leap_day_in_a_common_year_is_named_not_told_to_use_the_form_it_is_in(ctx: Context) -> None:
    """29 Feb 2027 typed as YYYY-MM-DD was answered "use YYYY-MM-DD, today, ...": the form's reason says which
    part the calendar lacks (plan.parse_day's, the CLI's too)."""
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "a")
        form = pilot.app.screen
        fill(form, specialty="Family Medicine", institution="Lakeview Clinic", start_date="2027-02-01",
             end_date="2027-02-29")
        before = table_counts(ctx.db)["rotation"]
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is form, "nothing saved"
        error = error_of(form, "end_date")
        assert "is not a date: February 2027 has 28 days" in error and "use YYYY-MM-DD" not in error, error
        assert table_counts(ctx.db)["rotation"] == before


async def test_today_is_the_applicants_day_not_the_machines(ctx: Context) -> None:
    """14:00 UTC on 25 Nov is already 26 Nov in Auckland: "today" in a form is the applicant's day."""
    set_profile(ctx, name="Test Applicant", email="applicant@example.com", timezone="Pacific/Auckland")
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "p", "a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, exam="Step 2 CK", taken_on="today")
        await settle(pilot)
        assert preview(form, "taken_on") == "= 26 Nov 2026"
        await press(pilot, "ctrl+s")
    assert [(e.exam, e.taken_on) for e in list_exams(ctx)] == [("Step 2 CK", date(2026, 11, 26))]


async def test_enter_moves_to_the_next_field_and_the_footer_says_so(ctx: Context) -> None:
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "a")
        form = pilot.app.screen
        specialty = form.query_one("#field-specialty", Input)
        specialty.focus()
        await settle(pilot)
        keys = footer_keys(form)
        assert keys.get("enter") == "Next field" and keys.get("ctrl+s") == "Save"
        await type_text(pilot, "Pediatrics")
        await press(pilot, "enter")
        assert form.focused is form.query_one("#field-institution", Input), "Enter went to the next field"
        assert pilot.app.screen is form and specialty.value == "Pediatrics", "and did not save"
        form.query_one("#field-kind").focus()  # a choice field: Enter moves on too
        await press(pilot, "enter")
        assert form.focused is form.query_one("#field-specialty", Input)
        form.query_one("#field-learned", Input).focus()  # the last field: Enter goes on to the button
        await press(pilot, "enter")
        assert isinstance(form.focused, Button) and str(form.focused.label) == "Save"


async def test_the_set_up_footer_says_next_where_the_button_says_next(empty_ctx: Context) -> None:
    async with app_for(empty_ctx).run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, FormScreen), "the first run opens the set-up"
        button = str(form.query_one("#form-save", Button).label)
        assert button == "Next" and footer_keys(form).get("ctrl+s") == "Next"


# --- exams: edit and delete in the app, through the same feature API as the CLI ------------------------------


async def test_edit_then_delete_an_exam_on_the_profile_screen(ctx: Context) -> None:
    add_exam(ctx, "Step 2 CK", date(2026, 10, 1))  # a booking, no score yet
    add_exam(ctx, "OET", date(2026, 3, 2), result="pass")
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "p")
        screen = pilot.app.screen
        table = screen.query_one("#exam-table")
        for _ in range(2):  # as the hint says: Tab to the table (the profile text scrolls, then the table)
            if not table.has_focus:
                await press(pilot, "tab")
        assert table.has_focus
        assert footer_keys(screen).get("e") == "Edit exam" and footer_keys(screen).get("d") == "Delete exam"
        await press(pilot, "down")  # Step 2 CK (by date: OET first)
        await press(pilot, "e")
        form = pilot.app.screen
        assert isinstance(form, FormScreen) and "Step 2 CK" in form.form_title
        assert form.query_one("#field-taken_on", Input).value == "2026-10-01"
        fill(form, score="250", taken_on="2026-10-02")
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is screen
        step2 = next(e for e in list_exams(ctx) if e.exam == "Step 2 CK")
        assert (step2.taken_on, step2.score, step2.result) == (date(2026, 10, 2), 250, "pass")
        assert "02 Oct 2026" in shown_text(pilot.app)
        await press(pilot, "d")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert "Step 2 CK on 02 Oct 2026 (250)" in str(dialog.query_one("#confirm-message", Static).render())
        await press(pilot, "n")
        assert len(list_exams(ctx)) == 2, "No keeps it"
        await press(pilot, "d", "y")
        assert [e.exam for e in list_exams(ctx)] == ["OET"]


async def test_a_bad_score_in_the_edit_form_changes_nothing(ctx: Context) -> None:
    exam = add_exam(ctx, "Step 2 CK", date(2026, 10, 1), score=240)
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "p")
        pilot.app.screen.query_one("#exam-table").focus()
        await press(pilot, "enter")  # Enter on an exam row edits it too
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, score="999")
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is form and error_of(form, "score")
    again = list_exams(ctx)[0]
    assert (again.id, again.score, again.taken_on) == (exam.id, 240, date(2026, 10, 1))


def test_edit_exam_keeps_one_row_and_checks_like_add(ctx: Context) -> None:
    booking = add_exam(ctx, "Step 2 CK", date(2026, 10, 1))
    saved = edit_exam(ctx, booking.id, "USMLE Step 2", date(2026, 10, 3), score="205")
    assert (saved.id, saved.exam, saved.taken_on, saved.score, saved.result) == (
        booking.id, "Step 2 CK", date(2026, 10, 3), 205, "fail")
    with pytest.raises(ValidationError):
        edit_exam(ctx, booking.id, "Step 9", date(2026, 10, 3))
    with pytest.raises(UserError):
        edit_exam(ctx, booking.id, "Step 2 CK", date(2026, 10, 3), score="240", result="pass")
    with pytest.raises(NotFound):
        edit_exam(ctx, booking.id + 100, "Step 2 CK", date(2026, 10, 3))
    assert [(e.exam, e.score) for e in list_exams(ctx)] == [("Step 2 CK", 205)]


def test_cli_exams_edit_uses_the_same_rules(ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    booking = add_exam(ctx, "Step 2 CK", date(2026, 10, 1))
    ok = run_cli(capsys, "--db", db_url, "exams", "edit", str(booking.id), "--score", "251")
    assert ok.code == 0, ok.err
    row = list_exams(ctx)[0]
    assert (row.score, row.result, row.taken_on) == (251, "pass", date(2026, 10, 1))
    moved = run_cli(capsys, "--db", db_url, "exams", "edit", str(booking.id), "--date", "2026-10-05")
    assert moved.code == 0 and list_exams(ctx)[0].score == 251, "an unnamed field keeps its value"
    bad = run_cli(capsys, "--db", db_url, "exams", "edit", str(booking.id), "--score", "400")
    assert bad.code == 2 and "score" in bad.err and "Traceback" not in bad.err
    missing = run_cli(capsys, "--db", db_url, "exams", "edit", "999")
    assert missing.code == 2 and "no exam 999" in missing.err


# --- imported calendar events: deleted from the timeline, through calendar.remove_events --------------------


def add_series(ctx: Context, title: str, first: date, days: int) -> list[int]:
    """A daily imported series (one UID per day, as some hospital calendars export them)."""
    applicant_id = list_rotations(ctx)[0].applicant_id
    with ctx.db.transaction() as session:
        source = CalendarSource(applicant_id=applicant_id, path="rounds.ics", name="Rounds (synthetic)")
        session.add(source)
        session.flush()
        rows = [CalendarEvent(applicant_id=applicant_id, source_id=source.id, uid=f"rounds-{i}@example",
                              summary=title, start_at=datetime.combine(first + timedelta(days=i), datetime.min.time(),
                                                                       UTC) + timedelta(hours=12),
                              end_at=datetime.combine(first + timedelta(days=i), datetime.min.time(), UTC)
                              + timedelta(hours=13)) for i in range(days)]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows if row.id is not None]


def event_titles(ctx: Context) -> list[str]:
    with ctx.db.read() as session:
        return sorted(row.summary for row in session.exec(select(CalendarEvent)).all())


async def select_event(pilot: Any, label_start: str) -> Any:
    view = pilot.app.screen.query_one("#timeline")
    for _ in range(len(view.order) + 1):
        await press(pilot, "down")
        if view.selected is not None and view.selected.label.startswith(label_start):
            return view
    raise AssertionError(f"no bar {label_start!r}")


async def test_delete_an_imported_event_from_the_timeline(demo_ctx: Context) -> None:
    add_events(demo_ctx)
    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        view = screen.query_one("#timeline")
        await press(pilot, "down")
        assert view.selected.kind == "rotation"
        assert "d" not in screen.active_bindings, "no d on a rotation (it is deleted on its own screen)"
        await press(pilot, "d")
        assert pilot.app.screen is screen, "d does nothing on a rotation"
        await select_event(pilot, "BLS course")
        assert footer_keys(screen).get("d") == "Delete event"
        await press(pilot, "d")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmScreen)
        message = str(dialog.query_one("#confirm-message", Static).render())
        assert "“BLS course” (14 Dec – 15 Dec 2026)" in message and "importing it again brings" in message
        await press(pilot, "n")
        assert "BLS course" in event_titles(demo_ctx)
        await press(pilot, "d", "y")
        assert event_titles(demo_ctx) == ["Interview: Mercy IM", "Observership"]
        assert "BLS course" not in [bar.label for bar in view.bars]


async def test_deleting_a_merged_series_deletes_every_occurrence(demo_ctx: Context) -> None:
    ids = add_series(demo_ctx, "Morning Report", date(2026, 12, 7), 5)
    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = await select_event(pilot, "Morning Report")
        assert view.selected.label == "Morning Report ×5" and set(view.selected.all_refs) == set(ids)
        await press(pilot, "d")
        assert "5 occurrences (07 Dec – 11 Dec 2026)" in str(pilot.app.screen.query_one("#confirm-message",
                                                                                       Static).render())
        await press(pilot, "y")
    assert "Morning Report" not in event_titles(demo_ctx)


def test_remove_events_refuses_plan_items_and_unknown_ids(demo_ctx: Context) -> None:
    add_events(demo_ctx)
    rows = {row.summary: row for row in list_events(demo_ctx)}
    with pytest.raises(UserError, match="rotation"):
        remove_events(demo_ctx, [rows["Observership"].id, rows["BLS course"].id])
    with pytest.raises(NotFound):
        remove_events(demo_ctx, [rows["BLS course"].id, 999_999])
    assert len(list_events(demo_ctx)) == 3, "all or none"
    removed = remove_events(demo_ctx, [rows["BLS course"].id])
    assert (removed.count, removed.titles) == (1, ["BLS course"])


def test_cli_events_list_and_remove(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    add_events(demo_ctx)
    db_url = demo_ctx.db.url
    listed = run_cli(capsys, "--db", db_url, "events", "list")
    assert listed.code == 0 and "BLS course" in listed.out and "rotation" in listed.out
    course = next(row for row in list_events(demo_ctx) if row.summary == "BLS course")
    done = run_cli(capsys, "--db", db_url, "events", "remove", str(course.id))
    assert done.code == 0 and "removed 1 event: BLS course" in done.out
    again = run_cli(capsys, "--db", db_url, "events", "remove", str(course.id))
    assert again.code == 2 and f"no imported calendar event {course.id}" in again.err
