"""The app's program edit form shows the specialty as people name it, and leaves it alone when it is not touched.

Found at 80x24 (helper tui44): `e` on a shortlist row opened "Edit program" with Specialty "family_medicine", the
program file's code, beside an add form that completes "Family Medicine". The value shown is what the form
compares with to record only the fields changed, so the name shown must also be no change when left as it is.
"""

from __future__ import annotations

from textual.widgets import Input

from imgcoach.core.context import Context
from imgcoach.matching import program_values
from imgcoach.tui.app import make_app
from imgcoach.tui.widgets.form import FormScreen
from tests.tui_helpers import press, record_toasts, settle


async def test_the_edit_form_names_the_specialty_and_saves_only_what_changed(demo_ctx: Context) -> None:
    app = make_app(context=demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        await app.workers.wait_for_complete()
        await settle(pilot)
        program_id = app.screen.query_one("DetailsTable").cursor_key()  # type: ignore[attr-defined]
        before = program_values(demo_ctx, program_id)
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, FormScreen)
        shown = form.query_one("#field-specialty", Input).value
        assert shown == {"family_medicine": "Family Medicine", "internal_medicine": "Internal Medicine"}.get(
            before["specialty"], shown) and "_" not in shown, shown
        form.query_one("#field-positions", Input).value = str(int(before["positions"]) + 1)
        said = record_toasts(app)
        await press(pilot, "ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen), said
    after = program_values(demo_ctx, program_id)
    assert after["positions"] == str(int(before["positions"]) + 1)
    assert after["specialty"] == before["specialty"]
    assert any("specialty" not in m and program_id in m for m in said), said
