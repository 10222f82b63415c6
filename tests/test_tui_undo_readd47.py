"""Add a rotation in the app, delete it, add the same one again (same kind, place and days), press ctrl+z: the undo
brought the deleted row back beside its re-added twin, two rows for one rotation (which an add refuses: doubled
hours, experience and reminders), and its toast only noted that they overlapped. It is now refused, naming the
rotation to edit, and nothing changes. Pilot at 80x24, keyboard only, both engines."""

from __future__ import annotations

from typing import Any

from imgcoach import plan
from imgcoach.core.context import Context
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from imgcoach.tui.widgets.form import FormScreen
from tests.tui_helpers import app_for, error_of, fill, press, record_toasts


async def _add_mercy(pilot: Any) -> None:
    await press(pilot, "a")
    form = pilot.app.screen
    assert isinstance(form, FormScreen)
    fill(form, specialty="Internal Medicine", institution="Mercy Hospital", start_date="2027-01-04",
         end_date="2027-01-29")
    await press(pilot, "ctrl+s")
    assert not isinstance(pilot.app.screen, FormScreen), "saved and closed"


async def _first_mercy(pilot: Any, ctx: Context) -> Any:
    """On the Rotations screen, the Mercy rotation added through the form: the plan's only rotation."""
    await press(pilot, "r")
    await _add_mercy(pilot)
    (first,) = plan.list_rotations(ctx)
    return first


async def test_undoing_a_delete_after_the_same_rotation_was_added_again_is_refused(ctx: Context) -> None:
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        said = record_toasts(app)
        first = await _first_mercy(pilot, ctx)
        await press(pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "y")
        assert plan.list_rotations(ctx) == []
        await _add_mercy(pilot)  # no "already in the plan": the deleted one is gone
        (again,) = plan.list_rotations(ctx)
        assert again.id != first.id
        pending = {r.id: r.status for r in plan.rotation_detail(ctx, again.id).reminders}
        await press(pilot, "ctrl+z")
        refusal = list(app._notifications)[-1]
        assert refusal.title == "Not undone" and refusal.severity == "error"
        assert said[-1] == ("cannot undo “Deleted rotation ‘Internal Medicine observership at Mercy Hospital’ and "
                            "cancelled 4 reminders”: rotation ‘Internal Medicine at Mercy Hospital’ is in the plan "
                            f"again as rotation {again.id}, added since: edit that one instead; nothing was changed")
        assert [r.id for r in plan.list_rotations(ctx)] == [again.id], "one row for one rotation"
        assert {r.id: r.status for r in plan.rotation_detail(ctx, again.id).reminders} == pending
        assert list(app.screen.rotations) == [again.id]  # type: ignore[attr-defined]
        await press(pilot, "ctrl+z")
        assert said[-1].startswith("Nothing to undo"), "a refused undo leaves the stack"


async def test_delete_undo_then_adding_the_same_again_names_the_one_back(ctx: Context) -> None:
    """The other order: the undo brings the rotation back, so the same one typed again is refused by the form,
    naming the rotation that came back."""
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        said = record_toasts(app)
        first = await _first_mercy(pilot, ctx)
        await press(pilot, "d", "y", "ctrl+z")
        assert said[-1].startswith("Rotation ‘Internal Medicine observership at Mercy Hospital’ is back"), said
        assert "overlaps" not in said[-1]
        await press(pilot, "a")
        form = app.screen
        fill(form, specialty="Internal Medicine", institution="Mercy Hospital", start_date="2027-01-04",
             end_date="2027-01-29")
        await press(pilot, "ctrl+s")
        assert app.screen is form, "refused: the form stays open with what was typed"
        assert error_of(form, "institution").startswith(f"↑ this rotation is already in the plan (rotation {first.id},")
    assert [r.id for r in plan.list_rotations(ctx)] == [first.id]


async def test_undoing_an_exam_delete_after_the_same_sitting_was_added_again_is_refused(ctx: Context) -> None:
    """The same for an exam on the Profile screen: delete the Step 2 CK booking, book it again for the same day,
    ctrl+z put the first back beside it, two rows for one sitting (both "attempt 1"), which an add refuses."""
    from datetime import date

    plan.add_exam(ctx, "Step 2 CK", date(2027, 3, 15))
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        said = record_toasts(app)
        await press(pilot, "p")
        app.screen.query_one("#exam-table").focus()
        await press(pilot, "d", "y")
        assert plan.list_exams(ctx) == []
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, FormScreen)
        fill(form, exam="Step 2 CK", taken_on="2027-03-15")
        await press(pilot, "ctrl+s")
        (again,) = plan.list_exams(ctx)
        await press(pilot, "ctrl+z")
        refusal = list(app._notifications)[-1]
        assert refusal.title == "Not undone" and refusal.severity == "error"
        assert said[-1] == ("cannot undo “Deleted Step 2 CK (15 Mar 2027)”: Step 2 CK is already recorded on "
                            f"2027-03-15 (exam {again.id}): edit that row instead; nothing was changed"), said
    assert [(e.id, e.exam, e.taken_on, e.attempt) for e in plan.list_exams(ctx)] == [
        (again.id, "Step 2 CK", date(2027, 3, 15), 1)]


async def test_an_edit_that_makes_a_rotation_the_copy_of_another_is_refused(ctx: Context) -> None:
    """Two Mercy rotations, the second typed ending a day late; its end corrected in the edit form made it the
    first one again, saved as a second row (the add refuses the same, naming the one to edit)."""
    from datetime import date

    first = plan.add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital",
                              start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    second = plan.add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital",
                               start_date=date(2027, 1, 4), end_date=date(2027, 1, 30))
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "r")
        await press(pilot, *["down"] * [r.id for r in plan.list_rotations(ctx)].index(second.id))
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, FormScreen)
        fill(form, end_date="2027-01-29")
        await press(pilot, "ctrl+s")
        assert app.screen is form, "refused: the form stays open with what was typed"
        # under the field the edit changed (it was under the institution, which the user had not touched)
        assert error_of(form, "end_date") == (f"↑ this rotation is already in the plan (rotation {first.id}, "
                                              "2027-01-04 to 2027-01-29): edit that one instead")
        assert not error_of(form, "institution")
        fill(form, end_date="2027-01-30", responsibilities="rounds")  # a change beside it is saved as ever
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, FormScreen)
    assert {(r.id, r.end_date, r.responsibilities) for r in plan.list_rotations(ctx)} == {
        (first.id, date(2027, 1, 29), ""), (second.id, date(2027, 1, 30), "rounds")}


def test_the_cli_names_the_option_the_edit_changed(ctx: Context, capsys: Any) -> None:
    """`rotations edit 2 --end 2027-01-29` refused as the copy of rotation 1 said "--institution: ...", an option
    not typed."""
    from datetime import date

    from tests.cli_helpers import database_state, run_cli

    first = plan.add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital",
                              start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    second = plan.add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital",
                               start_date=date(2027, 1, 4), end_date=date(2027, 1, 30))
    before = database_state(ctx.db.url)
    refused = run_cli(capsys, "rotations", "edit", str(second.id), "--end", "2027-01-29", "--db", ctx.db.url)
    assert refused.code == 2
    assert refused.err.startswith(f"imgcoach: error: --end: this rotation is already in the plan (rotation {first.id},"
                                  ), refused.err
    assert database_state(ctx.db.url) == before
