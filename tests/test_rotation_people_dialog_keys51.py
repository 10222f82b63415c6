"""Enter on a rotation with no supervisors, letters or cases opened a dialog saying "w adds a supervisor, c a case":
c noted a case on Rotations until 8cf5259 gave it to Copy (one verb per key, issue 15) and the case to n, and
neither key does anything in the dialog itself. What it says now is what the keys do, checked by pressing them."""

from __future__ import annotations

import re

from textual.widgets import OptionList

from imgcoach.core.context import Context
from imgcoach.tui.widgets.form import FormScreen
from imgcoach.tui.widgets.items import ItemsScreen
from tests.tui_helpers import SIZE, app_for, press


async def test_the_empty_people_dialog_names_the_keys_that_add(ctx: Context, rotation_under_way: int) -> None:
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "enter")
        dialog = pilot.app.screen
        assert isinstance(dialog, ItemsScreen)
        listing = dialog.query_one(OptionList)
        said = str(listing.get_option_at_index(0).prompt)
        found = re.search(r"(\w) adds a supervisor, (\w) a case", said)
        assert found, said
        supervisor_key, case_key = found.groups()
        assert "Escape" in said, "the keys act on the Rotations screen, behind the dialog: it says how to get there"
        for key, title in ((case_key, "A case worth remembering"), (supervisor_key, "Add a supervisor")):
            await press(pilot, "escape")
            assert not isinstance(pilot.app.screen, ItemsScreen)
            await press(pilot, key)
            form = pilot.app.screen
            assert isinstance(form, FormScreen) and form.form_title == title, (key, said)
            await press(pilot, "escape", "enter")  # the form closed unsaved, the dialog open again
