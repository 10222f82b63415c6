"""Issue 12 point 9 in the app: a form left open while another process changed the same row says so on
save (naming what changed) and offers Reload (lose my edits), Overwrite or Cancel; never a silent lost update.

"Another process" is a second Context on the same database (its own engine and connections), which is what
the CLI or a second window is to the app. Keyboard only, real databases on both engines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from textual.widgets import Input, Static

from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.plan import edit_contact, edit_rotation, edit_study_block, set_profile
from imgcoach.plan.people import list_contacts
from imgcoach.plan.profile import get_profile
from imgcoach.plan.rotations import get_rotation, list_rotations
from imgcoach.plan.study import list_study_blocks
from imgcoach.storage.db import Database
from imgcoach.tui.widgets.dialogs import ConflictScreen
from imgcoach.tui.widgets.form import FormScreen
from tests.tui_helpers import SIZE, app_for, fill, press


@pytest.fixture
def other(demo_ctx: Context) -> Iterator[Context]:
    """Another process on the same database: its own engine, its own connections."""
    db = Database(demo_ctx.db.url)
    yield Context(db=db, clock=demo_ctx.clock, settings=Settings())
    db.close()


def form_text(form: FormScreen, box: str = "#form-error") -> str:
    return str(form.query_one(box, Static).render())


def conflict_text(screen: ConflictScreen) -> str:
    return str(screen.query_one("#conflict-message", Static).render())


async def open_rotation_form(pilot) -> FormScreen:  # type: ignore[no-untyped-def]
    await press(pilot, "r", "e")  # the first rotation (the table's cursor starts there)
    form = pilot.app.screen
    assert isinstance(form, FormScreen)
    return form


async def test_saving_over_a_change_made_elsewhere_asks_and_cancel_keeps_both(demo_ctx: Context,
                                                                              other: Context) -> None:
    first = list_rotations(demo_ctx)[0]
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        form = await open_rotation_form(pilot)
        fill(form, hours_per_week="20")
        edit_rotation(other, first.id, end_date=date(2026, 8, 7))  # meanwhile, in another process
        await press(pilot, "ctrl+s")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConflictScreen), "the save is refused with a question, not written over"
        text = conflict_text(dialog)
        assert first.institution in text and "changed elsewhere" in text
        assert f"end date: {first.end_date:%d %b %Y} → 07 Aug 2026" in text, text
        labels = [str(b.label) for b in dialog.query("Button")]
        assert labels[:3] == ["Reload (lose my edits) (r)", "Overwrite (o)", "Cancel (x)"]
        await press(pilot, "x")
        assert pilot.app.screen is form, "Cancel goes back to the form"
        assert form.query_one("#field-hours_per_week", Input).value == "20", "the edits are kept"
        assert "Not saved" in form_text(form)
    now = get_rotation(demo_ctx, first.id)
    assert (now.end_date, now.hours_per_week) == (date(2026, 8, 7), first.hours_per_week), \
        "the other change stands and nothing of the form was written"


async def test_overwrite_saves_my_edits_over_the_change(demo_ctx: Context, other: Context) -> None:
    first = list_rotations(demo_ctx)[0]
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        form = await open_rotation_form(pilot)
        fill(form, hours_per_week="20")
        edit_rotation(other, first.id, end_date=date(2026, 8, 7))
        await press(pilot, "ctrl+s")
        assert isinstance(pilot.app.screen, ConflictScreen)
        await press(pilot, "o")
        assert not isinstance(pilot.app.screen, (FormScreen, ConflictScreen)), "saved and closed"
    now = get_rotation(demo_ctx, first.id)
    # Overwrite means the form's values win, every field the form shows: the end date it showed too.
    assert (now.end_date, now.hours_per_week) == (first.end_date, 20)


async def test_reload_shows_the_stored_row_and_drops_my_edits(demo_ctx: Context, other: Context) -> None:
    first = list_rotations(demo_ctx)[0]
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        form = await open_rotation_form(pilot)
        fill(form, hours_per_week="20")
        edit_rotation(other, first.id, end_date=date(2026, 8, 7))
        await press(pilot, "ctrl+s")
        await press(pilot, "r")
        assert pilot.app.screen is form, "Reload goes back to the form, now showing what is stored"
        assert form.query_one("#field-end_date", Input).value == "2026-08-07"
        assert form.query_one("#field-hours_per_week", Input).value == str(first.hours_per_week)
        assert "your edits were dropped" in form_text(form)
    now = get_rotation(demo_ctx, first.id)
    assert (now.end_date, now.hours_per_week) == (date(2026, 8, 7), first.hours_per_week)


async def test_edit_conflict_reload_edit_again_save(demo_ctx: Context, other: Context) -> None:
    """The person's sequence: edit, a conflict, reload, edit again, save: both changes are kept."""
    first = list_rotations(demo_ctx)[0]
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        form = await open_rotation_form(pilot)
        fill(form, hours_per_week="20")
        edit_rotation(other, first.id, end_date=date(2026, 8, 7))
        await press(pilot, "ctrl+s")
        await press(pilot, "r")
        fill(form, hours_per_week="24")
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, (FormScreen, ConflictScreen)), "no second conflict: saved"
        await press(pilot, "e")  # and a form opened now shows both changes
        reopened = pilot.app.screen
        assert isinstance(reopened, FormScreen)
        assert reopened.query_one("#field-end_date", Input).value == "2026-08-07"
        assert reopened.query_one("#field-hours_per_week", Input).value == "24"
    now = get_rotation(demo_ctx, first.id)
    assert (now.end_date, now.hours_per_week) == (date(2026, 8, 7), 24)


async def test_a_second_change_during_the_dialog_asks_again(demo_ctx: Context, other: Context) -> None:
    first = list_rotations(demo_ctx)[0]
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        form = await open_rotation_form(pilot)
        fill(form, hours_per_week="20")
        edit_rotation(other, first.id, end_date=date(2026, 8, 7))
        await press(pilot, "ctrl+s")
        edit_rotation(other, first.id, department="Night float")  # while the dialog is up
        await press(pilot, "o")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConflictScreen), "overwrite is checked against what it was shown"
        assert "→ Night float" in conflict_text(dialog) and "end date" not in conflict_text(dialog), \
            "it names what changed since the first dialog, not what the person already saw"
        await press(pilot, "o")
    now = get_rotation(demo_ctx, first.id)
    assert (now.hours_per_week, now.department) == (20, first.department)


async def test_no_conflict_when_nothing_changed_elsewhere(demo_ctx: Context) -> None:
    first = list_rotations(demo_ctx)[0]
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        form = await open_rotation_form(pilot)
        fill(form, hours_per_week="20")
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, (FormScreen, ConflictScreen))
    assert get_rotation(demo_ctx, first.id).hours_per_week == 20


async def test_study_block_form_shares_the_conflict_dialog(demo_ctx: Context, other: Context) -> None:
    block = list_study_blocks(demo_ctx)[0]
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "s", "e")
        form = pilot.app.screen
        assert isinstance(form, FormScreen), form
        fill(form, weekly_goal="Two blocks of UWorld a day")
        edit_study_block(other, block.id, hours_per_week=block.hours_per_week + 5)
        await press(pilot, "ctrl+s")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConflictScreen)
        assert f"hours per week: {block.hours_per_week} → {block.hours_per_week + 5}" in conflict_text(dialog)
        await press(pilot, "x", "escape")
    assert list_study_blocks(demo_ctx)[0].weekly_goal == block.weekly_goal


async def test_profile_form_shares_the_conflict_dialog(demo_ctx: Context, other: Context) -> None:
    profile = get_profile(demo_ctx)
    assert profile is not None
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "p", "e")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, school="Another School")
        set_profile(other, timezone="Europe/London")
        await press(pilot, "ctrl+s")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConflictScreen)
        assert f"timezone: {profile.timezone} → Europe/London" in conflict_text(dialog)
        await press(pilot, "r")
        assert form.query_one("#field-timezone", Input).value == "Europe/London"
        fill(form, school="Another School")
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, (FormScreen, ConflictScreen))
    now = get_profile(demo_ctx)
    assert now is not None and (now.school, now.timezone) == ("Another School", "Europe/London")


def test_contact_edit_refuses_a_stale_form(demo_ctx: Context, other: Context) -> None:
    """The people form passes what it loaded: the same check (the dialog is the form's, tested above)."""
    from imgcoach.core.errors import EditConflict

    contact = list_contacts(demo_ctx)[0]
    loaded = contact.model_dump()
    edit_contact(other, contact.id, email="new@example.org")
    with pytest.raises(EditConflict, match=rf"^contact {re.escape(contact.name)} was changed elsewhere .*email: .* → new@example\.org"):
        edit_contact(demo_ctx, contact.id, loaded=loaded, title="Chief Resident")
    assert list_contacts(demo_ctx)[0].title == contact.title


async def test_reload_keeps_assumed_hours_blank_and_shows_hours_given_elsewhere(ctx: Context) -> None:
    """The edit form shows a rotation's assumed 40 blank, but Reload after a conflict filled in the stored 40, and
    the next save turned the guess into the applicant's own figure (the CV then printed it). Reload shows the row
    as the form first did; hours given meanwhile elsewhere are a figure, and shown."""
    from imgcoach.plan import add_rotation

    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Hill Clinic (fictional)", start_date=date(2027, 3, 1),
                            end_date=date(2027, 3, 26))
    assert rotation.hours_assumed and rotation.id is not None
    other = Context(db=Database(ctx.db.url), clock=ctx.clock, settings=Settings())
    try:
        async with app_for(ctx).run_test(size=SIZE) as pilot:
            form = await open_rotation_form(pilot)
            assert form.query_one("#field-hours_per_week", Input).value == ""
            fill(form, learned="Ward rounds")
            edit_rotation(other, rotation.id, end_date=date(2027, 3, 19))
            await press(pilot, "ctrl+s", "r")  # a conflict; Reload
            assert pilot.app.screen is form
            assert form.query_one("#field-end_date", Input).value == "2027-03-19"
            assert form.query_one("#field-hours_per_week", Input).value == "", "the assumed 40 stays blank"
            fill(form, learned="Ward rounds")
            await press(pilot, "ctrl+s")
            assert not isinstance(pilot.app.screen, (FormScreen, ConflictScreen))
            saved = get_rotation(ctx, rotation.id)
            assert (saved.hours_per_week, saved.hours_assumed, saved.learned) == (40, True, "Ward rounds")

            await press(pilot, "e")
            form = pilot.app.screen
            assert isinstance(form, FormScreen)
            fill(form, learned="Clinic notes")
            edit_rotation(other, rotation.id, hours_per_week=30)  # given, elsewhere
            await press(pilot, "ctrl+s", "r")
            assert form.query_one("#field-hours_per_week", Input).value == "30"
    finally:
        other.db.close()
    assert get_rotation(ctx, rotation.id).hours_assumed is False
