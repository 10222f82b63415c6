"""The Import screen: path, preview, change a row's kind, import; broken files import nothing."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from sqlmodel import select
from textual.widgets import DataTable, Input

from imgcoach.core.context import Context
from imgcoach.storage.db import table_counts
from imgcoach.storage.models import CalendarEvent, ExamResult, Rotation
from imgcoach.tui.app import make_app
from tests.tui_helpers import preview_import

DATA = Path(__file__).parent / "data" / "ics"


def text(app) -> str:  # type: ignore[no-untyped-def]
    """The screen as plain text (the SVG screenshot, unescaped)."""
    return re.sub(r"<[^>]+>", "", html.unescape(app.export_screenshot())).replace("\xa0", " ")


async def _settle(app, pilot, until=lambda: True) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):  # up to ~10 s on a loaded CI machine; returns as soon as `until` holds
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        if until():
            return


async def _preview(app, pilot, name: str):  # type: ignore[no-untyped-def]
    """Open the Import screen, type a corpus file's path and ask for its preview."""
    return await preview_import(pilot, DATA / name)


async def test_preview_change_kind_and_import(ctx: Context) -> None:
    app = make_app(context=ctx, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _preview(app, pilot, "allday_multiday.ics")
        table = screen.query_one("#import-table", DataTable)
        await _settle(app, pilot, lambda: table.row_count == 2)
        assert table.row_count == 2
        shot = text(app)
        assert "Externship - Cardiology" in shot and 'category "rotation"' in shot and "2 new" in shot
        assert table_counts(ctx.db)["calendar_event"] == 0  # the preview wrote nothing

        table.focus()
        await pilot.press("ctrl+a")  # accept both suggestions: rotation, exam (after saying so)
        await _settle(app, pilot, lambda: app.screen is not screen)
        assert "Accept 2 suggestions: 1 new exam, 1 new rotation" in text(app)
        await pilot.press("y")
        await _settle(app, pilot, lambda: app.screen is screen)
        table.move_cursor(row=1)  # the exam row: cycle exam -> interview
        await pilot.press("k")
        assert "Interview" in text(app)
        await pilot.press("ctrl+s")
        await _settle(app, pilot, lambda: table_counts(ctx.db)["calendar_event"] == 2)
        with ctx.db.read() as s:
            assert len(s.exec(select(Rotation)).all()) == 1
            assert s.exec(select(ExamResult)).all() == []
            kinds = {e.uid: e.mapped_kind for e in s.exec(select(CalendarEvent)).all()}
        assert kinds == {"allday-1@test": "rotation", "allday-2@test": "interview"}


async def test_broken_file_shows_problems_and_imports_nothing(ctx: Context) -> None:
    app = make_app(context=ctx, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await _preview(app, pilot, "truncated.ics")
        await _settle(app, pilot, lambda: "problem" in text(app))
        shot = " ".join(text(app).split())  # the summary names the file's full path: where it wraps depends on
        # the checkout's directory (a clone two characters deeper put "whole" on the next line)
        assert "Nothing will be imported" in shot and "truncated" in shot
        assert "damaged as a whole" in shot and "Skip invalid" not in shot  # the box did nothing: broken events
        # are skipped anyway, and a damaged file is refused whatever it said
        before = table_counts(ctx.db)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert table_counts(ctx.db) == before


async def test_a_mistyped_path_is_not_called_a_damaged_file(ctx: Context) -> None:
    """Every refusal said "the file is damaged as a whole: fix it, or export it again", also of a path with no
    file behind it."""
    app = make_app(context=ctx, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await _preview(app, pilot, "no-such-file.ics")
        await _settle(app, pilot, lambda: "problem" in text(app))
        shot = " ".join(text(app).split())
        assert "Nothing will be imported" in shot and "cannot be read: No such file or directory" in shot
        assert "damaged" not in shot and "export it again" not in shot


async def test_our_own_reminders_in_a_calendar_are_named_already_in_the_plan_not_listed(ctx: Context,
                                                                                       tmp_path: Path) -> None:
    """A calendar holding our export (a service subscribed to the feed) listed each pending reminder as a new
    calendar event to import, beside the reminders it copies."""
    from imgcoach.calendar.exporting import export_bytes
    from imgcoach.plan.rotations import add_rotation

    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital",
                 start_date=date(2027, 1, 4), end_date=date(2027, 1, 29), hours_per_week=40)
    own = tmp_path / "subscribed.ics"
    own.write_bytes(export_bytes(ctx))
    app = make_app(context=ctx, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _preview(app, pilot, str(own))
        table = screen.query_one("#import-table", DataTable)
        await _settle(app, pilot, lambda: table.row_count == 1)
        shot = " ".join(text(app).split())
        assert table.row_count == 1 and "Observership" in shot  # the rotation, linked to the plan's own
        assert "4 already in the plan" in shot and "Reminder:" not in shot, shot


async def test_accept_all_confirms_every_item_then_undo_reverts_the_import(ctx: Context) -> None:
    """Accept-all names what it accepts (a link to the planned rotation, not a copy) before doing it; undo in
    the app leaves the database as it was."""
    from datetime import date

    from imgcoach.plan.rotations import add_rotation
    from imgcoach.tui.widgets.dialogs import ConfirmScreen

    planned = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside General",
                           start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    before = table_counts(ctx.db)
    app = make_app(context=ctx, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _preview(app, pilot, "hospital_schedule_for_planned_rotation.ics")
        table = screen.query_one("#import-table", DataTable)
        await _settle(app, pilot, lambda: table.row_count == 2)
        assert "Times in America/New_York" in text(app)
        table.focus()
        await pilot.press("ctrl+a")
        await _settle(app, pilot, lambda: isinstance(app.screen, ConfirmScreen))
        shot = text(app)
        assert "Accept 1 suggestion: 1 link to an existing rotation" in shot
        dialog = str(app.screen.query_one("#confirm-message").render())
        assert f"link to rotation {planned.id} Lakeside General" in dialog and "Okafor" not in dialog
        await pilot.press("y")
        await _settle(app, pilot, lambda: app.screen is screen)
        await pilot.press("ctrl+s")
        await _settle(app, pilot, lambda: table_counts(ctx.db)["calendar_event"] == 2)
        with ctx.db.read() as s:
            assert [r.id for r in s.exec(select(Rotation)).all()] == [planned.id]
        await pilot.press("ctrl+z")
        await _settle(app, pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await _settle(app, pilot, lambda: table_counts(ctx.db)["calendar_event"] == 0)
    after = table_counts(ctx.db)
    assert {k: v for k, v in after.items() if k != "calendar_import"} == {
        k: v for k, v in before.items() if k != "calendar_import"}


async def test_keep_separate_makes_a_new_rotation_instead_of_linking(ctx: Context) -> None:
    """The hospital schedule matches a planned rotation; the user says it is another one (n): the import
    makes a second rotation, as `imgcoach import --separate UID` does."""
    from datetime import date

    from imgcoach.plan.rotations import add_rotation
    from imgcoach.tui.widgets.dialogs import ConfirmScreen

    planned = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside General",
                           start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    app = make_app(context=ctx, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _preview(app, pilot, "hospital_schedule_for_planned_rotation.ics")
        table = screen.query_one("#import-table", DataTable)
        await _settle(app, pilot, lambda: table.row_count == 2)
        table.focus()
        linked = next(i for i in range(table.row_count) if "→ link" in str(table.get_row_at(i)[3]))
        table.move_cursor(row=linked)
        await pilot.press("ctrl+a")
        await _settle(app, pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await _settle(app, pilot, lambda: app.screen is screen)
        assert f"→ link {planned.id}" in str(table.get_row_at(linked)[3])
        await pilot.press("j")
        assert "→ link" not in str(table.get_row_at(linked)[3])
        await pilot.press("ctrl+s")
        await _settle(app, pilot, lambda: table_counts(ctx.db)["calendar_event"] == 2)
    with ctx.db.read() as s:
        rotations = s.exec(select(Rotation)).all()
    assert len(rotations) == 2 and planned.id in [r.id for r in rotations]


def _notes(app) -> str:  # type: ignore[no-untyped-def]
    from textual.widgets import Static

    return str(app.screen.query_one("#import-notes", Static).render())


async def test_a_preview_that_fails_leaves_no_notes_or_rows_of_the_file_before(ctx: Context) -> None:
    """A preview refused with an error (here: the profile was removed by another process meanwhile) left the
    last file's rows, its notes and "Reading FILE ..." on screen, and Import (ctrl+s) offered for those rows."""
    from imgcoach.plan.profile import remove_applicant
    from tests.tui_helpers import app_for, press, settle

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _preview(app, pilot, "calcurse_multiday_as_daily_repeats.ics")
        await settle(pilot)  # the preview's worker done: `press()` of no key waited for nothing (flaky under -n 2)
        table = screen.query_one("#import-table", DataTable)
        assert table.row_count and "has no UID" in _notes(app)
        remove_applicant(ctx)
        path = screen.query_one("#import-path", Input)
        path.focus()
        path.value = str(DATA / "allday_multiday.ics")
        await press(pilot, "enter")
        notes = _notes(app)
        assert "calcurse" not in notes and "has no UID" not in notes, notes
        assert notes.startswith("Could not preview allday_multiday.ics: no applicant profile yet"), notes
        assert table.row_count == 0
        summary = str(screen.query_one("#import-summary").render())
        assert "Reading" not in summary and "allday_multiday.ics" in summary, summary
        assert not screen.check_action("apply", ()) and not screen.check_action("cycle_kind", ())


async def test_after_an_undo_the_notes_say_the_import_was_undone(ctx: Context) -> None:
    """The notes of an undone import's file came back as they were before it, nothing saying the import was
    undone (the rows now say "create" again)."""
    from tests.tui_helpers import app_for, press

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _preview(app, pilot, "calcurse_multiday_as_daily_repeats.ics")
        await press(pilot, "ctrl+s")
        assert table_counts(ctx.db)["calendar_event"]
        await press(pilot, "ctrl+z", "y")
        assert table_counts(ctx.db)["calendar_event"] == 0
        notes = _notes(app)
        assert notes.startswith("Import of calcurse_multiday_as_daily_repeats.ics undone"), notes
        assert "has no UID" in notes, "the file still previewed: its notes, read again, follow"


async def test_an_undo_with_no_file_previewed_says_what_it_undid(ctx: Context) -> None:
    """An import made elsewhere (the command line) undone from the screen before any preview: the notes said
    nothing, only a toast that goes away did."""
    from imgcoach.calendar import apply_import
    from tests.tui_helpers import app_for, press

    apply_import(ctx, DATA / "allday_multiday.ics")
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "i", "ctrl+z", "y")
        assert table_counts(ctx.db)["calendar_event"] == 0
        assert _notes(app).strip() == "Import of allday_multiday.ics undone.", _notes(app)


async def test_a_file_with_no_events_is_refused_by_name_not_called_damaged(ctx: Context) -> None:
    """The CLI refuses a calendar with no event (it said "0 created ... 0 skipped", exit 0); the app, on the same
    rule, says why, and does not call the file damaged: nothing in it is broken."""
    app = make_app(context=ctx, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await _preview(app, pilot, "corpus/icalendar__bom_calendar.ics")  # a BOM, a VCALENDAR, no event
        await _settle(app, pilot, lambda: "problem" in text(app))
        shot = " ".join(text(app).split())
        assert "Nothing will be imported" in shot and "holds no events or to-dos" in shot, shot
        assert "damaged" not in shot
        before = table_counts(ctx.db)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert table_counts(ctx.db) == before
