"""Pilot tests: the timeline cursor and calendar events, editing and deleting supervisors, letters and
cases, and the study proposal's hours per week. Real SQLite files; keyboard only."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, OptionList, Static

from imgcoach import plan as planner
from imgcoach.core.context import Context
from imgcoach.core.errors import NotFound, ValidationError
from imgcoach.plan.people import list_contacts, list_letters
from imgcoach.plan.rotations import list_rotations, rotation_detail
from imgcoach.reminders.sync import list_reminders
from imgcoach.tui.help import plain
from imgcoach.tui.widgets.dialogs import ConfirmScreen, TextScreen
from imgcoach.tui.widgets.form import FormScreen
from imgcoach.tui.widgets.items import ItemsScreen
from imgcoach.tui.widgets.proposal import ProposalScreen
from tests.test_tui_quickread import add_events
from tests.tui_helpers import SIZE, app_for, error_of, fill, press, settle

LETTER_KINDS = {"letter_request_open", "letter_request_last_call"}


def pending_letter_reminders(ctx: Context, rotation_id: int) -> int:
    return sum(1 for r in list_reminders(ctx, "pending") if r.rotation_id == rotation_id and r.kind in LETTER_KINDS)


# --- the timeline: cursor, Enter, calendar events --------------------------------------------------


async def test_timeline_cursor_walks_the_bars_and_enter_opens_them(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        view = screen.query_one("#timeline")
        assert view.has_focus and view.selected is None
        await press(pilot, "down")
        first = view.selected
        assert first is not None and first.kind == "rotation" and view.in_view(first)
        assert "Family Medicine" in str(screen.query_one("#selection", Static).render())
        await press(pilot, "enter")
        dialog = pilot.app.screen
        assert isinstance(dialog, TextScreen)
        text = str(dialog.query_one("#text-content", Static).content)
        assert "Lakeview" in text and "People" in text and "Cases worth remembering" in text
        await press(pilot, "escape")
        assert pilot.app.screen is screen, "Escape closes the details"
        while view.selected.kind != "study":
            await press(pilot, "down")
        study = view.selected
        await press(pilot, "enter")
        text = str(pilot.app.screen.query_one("#text-content", Static).content)
        assert "Step 3" in text and "Hours per week: this block, all study that week" in text
        await press(pilot, "escape", "up")
        assert view.selected == view.order[view.order.index(study) - 1]


async def test_cursor_scrolls_the_window_to_bars_out_of_view(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = pilot.app.screen.query_one("#timeline")
        await press(pilot, "down")
        for _ in range(len(view.order)):
            await pilot.press("up")
        await settle(pilot)
        assert view.selected == view.order[0] and view.in_view(view.order[0])
        assert view.start <= view.order[0].start, "the window moved back to the earliest bar"


async def test_imported_calendar_events_are_drawn_and_open(demo_ctx: Context) -> None:
    add_events(demo_ctx)
    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        view = screen.query_one("#timeline")
        events = [bar for bar in view.bars if bar.kind == "event"]
        assert sorted(bar.label for bar in events) == ["BLS course", "Interview: Mercy IM"]
        shot = pilot.app.export_screenshot()
        assert "Cal" in shot and "calendar" in str(screen.query_one("#legend", Static).render())
        while view.selected is None or view.selected.kind != "event":
            await press(pilot, "down")
        await press(pilot, "enter")
        text = str(pilot.app.screen.query_one("#text-content", Static).content)
        assert "BLS course" in text and "all day" in text and "Import screen" in text


# --- supervisors, letters and cases: edit and delete -----------------------------------------------


async def test_edit_a_supervisor_and_delete_a_case_from_the_rotation(demo_ctx: Context) -> None:
    rotation = list_rotations(demo_ctx)[0]
    cases_before = rotation_detail(demo_ctx, rotation.id).cases
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "enter")
        items = pilot.app.screen
        assert isinstance(items, ItemsScreen)
        assert [item.kind for item in items.items] == ["supervisor", "letter", "case", "case"]
        await press(pilot, "e")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, email="not-mail")
        await press(pilot, "ctrl+s")
        assert "not a valid e-mail" in error_of(form, "email")
        fill(form, email="jw@example.org", title="MD, Program Director")
        form.query_one("#field-role").value = "program_director"  # type: ignore[attr-defined]
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is items
        assert "program director" in str(items.items[0].label)
        await press(pilot, "down", "down", "d")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert len(rotation_detail(demo_ctx, rotation.id).cases) == len(cases_before), "No keeps it"
        await press(pilot, "d", "y")
        assert [item.kind for item in pilot.app.screen.items] == ["supervisor", "letter", "case"]  # type: ignore[attr-defined]
        await press(pilot, "escape")
        detail = str(pilot.app.screen.query_one("#rotation-detail", Static).content)
        assert "program director" in detail
    detail = rotation_detail(demo_ctx, rotation.id)
    (contact, role), = detail.supervisors
    assert (contact.email, contact.title, role) == ("jw@example.org", "MD, Program Director", "program_director")
    assert [c.id for c in detail.cases] == [c.id for c in cases_before[1:]]


async def test_edit_a_case_keeps_errors_next_to_the_field(demo_ctx: Context) -> None:
    rotation = list_rotations(demo_ctx)[0]
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "enter", "down", "down", "e")
        form = pilot.app.screen
        fill(form, occurred_on="2020-01-01", tags="teamwork, leadership")
        await press(pilot, "ctrl+s")
        assert "outside the rotation" in error_of(form, "occurred_on")
        assert "unknown tag 'leadership'" in error_of(form, "tags"), "the same tag rule as `imgcoach cases add`"
        fill(form, occurred_on=rotation.start_date.isoformat(), tags="teamwork, Guideline in practice")
        await press(pilot, "ctrl+s")
        assert isinstance(pilot.app.screen, ItemsScreen)
    case = rotation_detail(demo_ctx, rotation.id).cases[0]
    assert (case.tags, case.occurred_on) == (["teamwork", "guideline in practice"], rotation.start_date)


async def test_delete_a_supervisor_with_their_letter(demo_ctx: Context) -> None:
    rotation = list_rotations(demo_ctx)[1]  # Lakeview: a planned letter, so no "time to ask" reminders stop
    nair = next(c for c in list_contacts(demo_ctx) if "Nair" in c.name)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "down", "enter")
        items = pilot.app.screen
        target = next(i for i, item in enumerate(items.items) if item.kind == "supervisor" and item.ref == nair.id)  # type: ignore[attr-defined]
        items.query_one(OptionList).highlighted = target
        await press(pilot, "d")
        message = str(pilot.app.screen.query_one("#confirm-message", Static).render())
        assert "Delete Dr. Priya Nair" in message and "their 1 letter request;" in message
        await press(pilot, "y")
        assert all(item.ref != nair.id for item in items.items if item.kind == "supervisor")  # type: ignore[attr-defined]
    assert nair.id not in {c.id for c in list_contacts(demo_ctx)}
    assert all(lt.writer_id != nair.id for lt, _, _ in list_letters(demo_ctx))
    assert pending_letter_reminders(demo_ctx, rotation.id) == 2, "the ask reminders stay: still no letter asked"


async def test_letter_board_edit_and_delete(demo_ctx: Context) -> None:
    letter = next(lt for lt, _, _ in list_letters(demo_ctx) if lt.status == "planned")
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "l", "e")
        form = pilot.app.screen
        assert isinstance(form, FormScreen) and form.form_title == "Edit letter request"
        fill(form, due_on="2027-01-15", notes="ask after grand rounds")
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, FormScreen)
        edited = next(lt for lt, _, _ in list_letters(demo_ctx) if lt.id == letter.id)
        assert (edited.due_on, edited.notes) == (date(2027, 1, 15), "ask after grand rounds")
        await press(pilot, "d")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await press(pilot, "y")
        column = pilot.app.screen.query_one("#column-planned", OptionList)
        assert str(letter.id) not in {column.get_option_at_index(i).id for i in range(column.option_count)}
    assert letter.id not in {lt.id for lt, _, _ in list_letters(demo_ctx)}


def test_deleting_a_requested_letter_brings_the_ask_reminders_back(demo_ctx: Context) -> None:
    letter = next(lt for lt, _, _ in list_letters(demo_ctx) if lt.status == "planned")
    planner.move_letter(demo_ctx, letter.id, 1)
    assert pending_letter_reminders(demo_ctx, letter.rotation_id) == 0
    planner.remove_letter(demo_ctx, letter.id)
    assert pending_letter_reminders(demo_ctx, letter.rotation_id) == 2
    with pytest.raises(NotFound):
        planner.remove_letter(demo_ctx, letter.id)


def test_edit_letter_moves_reminders_between_rotations(demo_ctx: Context) -> None:
    brookside, lakeview, *rest = list_rotations(demo_ctx)
    letter = next(lt for lt, _, _ in list_letters(demo_ctx) if lt.rotation_id == lakeview.id)
    planner.move_letter(demo_ctx, letter.id, 1)  # requested: Lakeview's ask reminders stop
    assert pending_letter_reminders(demo_ctx, lakeview.id) == 0
    target = next(r for r in rest if pending_letter_reminders(demo_ctx, r.id) == 2)
    planner.edit_letter(demo_ctx, letter.id, writer_id=letter.writer_id, rotation_id=target.id, due_on=None)
    assert pending_letter_reminders(demo_ctx, lakeview.id) == 2, "no letter asked there any more"
    # The requested letter now belongs there too, but the target's own planned letter (another writer's) is still
    # to ask: its reminders stay until that one is asked as well (test_letter_two_writers41).
    assert pending_letter_reminders(demo_ctx, target.id) == 2, "another writer's letter there is still to ask"
    own = next(lt for lt, _, _ in list_letters(demo_ctx) if lt.rotation_id == target.id and lt.id != letter.id)
    planner.move_letter(demo_ctx, own.id, 1)
    assert pending_letter_reminders(demo_ctx, target.id) == 0, "every letter there asked"
    with pytest.raises(ValidationError):
        planner.edit_contact(demo_ctx, letter.writer_id, name=" ")


# --- the study proposal shows the weeks with the plan applied ---------------------------------------


async def test_study_preview_shows_hours_per_week_with_the_proposal(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "s", "g")
        fill(pilot.app.screen, exam="Step 3", exam_date="2027-05-20", hours_per_day="9", rest_days="")
        await press(pilot, "ctrl+s")
        preview = pilot.app.screen
        assert isinstance(preview, ProposalScreen)
        weeks = preview.proposal.weeks
        table = preview.query_one("#proposal-weeks", DataTable)
        assert table.row_count == len(weeks) > 0
        first = table.get_row_at(0)
        assert first[3] == f"+{weeks[0].added}" and str(first[4]) == str(weeks[0].total)
        assert weeks[0].total == weeks[0].clinical + weeks[0].study + weeks[0].added
        covered = {w.week_start for w in weeks}
        assert all(b.start_date - date.resolution * b.start_date.weekday() in covered for b in preview.proposal.blocks)
        title = str(preview.query_one("#proposal-load-title", Static).render())
        # The generator caps study so no week passes the overload line, and each day counts once (issue 12
        # point 5): before, a week where two blocks met counted both in full and showed a false overload.
        assert preview.proposal.overloaded_weeks == 0 and "overloaded" not in title
        assert all(w.total <= 70 for w in weeks)
        await press(pilot, "escape")


async def test_new_keys_are_in_the_palette_and_the_help(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Timeline: Next bar", "Timeline: Details", "Timeline: Zoom in", "Timeline: Fit plan"} <= titles
        await press(pilot, "question_mark")
        assert "Next bar" in plain(app.screen.query_one("#text-content", Static).content)
        await press(pilot, "escape", "r")
        assert "Rotations: Details" in {c.title for c in app.get_system_commands(app.screen)}
        await press(pilot, "l")
        assert {"Letters: Edit", "Letters: Delete"} <= {c.title for c in app.get_system_commands(app.screen)}
