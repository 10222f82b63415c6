"""Issue 12 point 6 in the app: a rotation form whose dates overlap another full-time rotation warns inside
the form at once (before saving), naming both by place and dates, with the rule the CLI warns with."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from imgcoach.core.context import Context
from imgcoach.plan import add_rotation, overlap_warnings, set_profile
from imgcoach.plan.rotations import list_rotations
from imgcoach.tui import dates
from imgcoach.tui.widgets.form import FormScreen
from tests.tui_helpers import SIZE, app_for, fill, press, settle


def warning_of(form: FormScreen) -> str:
    box = form.query_one("#form-warning", Static)
    return str(box.render()) if box.has_class("shown") else ""


async def test_add_form_warns_of_a_full_time_overlap_while_typing(ctx: Context) -> None:
    add_rotation(ctx, kind="externship", specialty="IM", institution="Lakeside Hospital",
                 start_date=date(2027, 1, 4), end_date=date(2027, 1, 29), hours_per_week=50)
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, specialty="Family Medicine", institution="Hilltop Clinic", start_date="2027-02-01",
             end_date="2027-02-26")
        await settle(pilot)
        assert warning_of(form) == "", "no overlap: no warning"
        fill(form, start_date="2027-01-25")
        await settle(pilot)
        shown = warning_of(form)
        assert pilot.app.screen is form, "warned inside the open form, nothing saved yet"
        assert "Hilltop Clinic (25 Jan – 26 Feb 2027)" in shown, "the app's date words"
        assert "full-time Lakeside Hospital (04 Jan – 29 Jan 2027)" in shown
        assert "for 25 Jan – 29 Jan 2027" in shown
        assert len(list_rotations(ctx)) == 1
        fill(form, start_date="2027-02")  # half-typed: the advice waits, no error
        await settle(pilot)
        assert warning_of(form) == shown
        fill(form, start_date="2027-01-25")
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, FormScreen), "a warning, not a refusal: it saves"
    saved = next(r for r in list_rotations(ctx) if r.institution == "Hilltop Clinic")
    assert [f"⚠ {w}" for w in overlap_warnings(ctx, saved, dates.WORDS)] == shown.splitlines(), \
        "the same rule as the CLI's stderr warning, its dates in the app's words"


async def test_edit_form_does_not_warn_about_the_rotation_itself(ctx: Context) -> None:
    set_profile(ctx, timezone="America/New_York")
    add_rotation(ctx, kind="observership", specialty="IM", institution="Lakeside Hospital",
                 start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "e")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        await settle(pilot)
        assert warning_of(form) == ""
        fill(form, end_date="2027-02-12")
        await settle(pilot)
        assert warning_of(form) == ""
