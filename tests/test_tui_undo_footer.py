"""ctrl+z in the footer only while there is something to undo: "^z Undo" after a delete, gone after the undo,
"Nothing to undo" when pressed anyway; the help and the palette follow the footer. On Import, "^z Undo import"
while the last import can be undone (calendar.undoable_import, the rule `imgcoach import --undo` uses). Every
footer still fits at 80 and 120 columns with the undo key in it. Pilot, keyboard only, both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach import calendar
from imgcoach.core.context import Context
from imgcoach.tui.commands import planner_commands
from imgcoach.tui.help import help_text, plain
from imgcoach.tui.registry import SCREENS, entry
from imgcoach.tui.widgets.footer import PlannerFooter
from tests.test_tui_footer import footer_row
from tests.tui_helpers import app_for, press

ICS = Path(__file__).parent / "data" / "ics" / "hospital_schedule_for_planned_rotation.ics"


def toasts(pilot: object) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]  # type: ignore[attr-defined]


def offers_undo(app: object) -> tuple[bool, bool, bool]:
    """Whether the footer, the help and the palette offer ctrl+z (the app's undo) now."""
    screen = app.screen  # type: ignore[attr-defined]
    footer = "^z Undo" in footer_row(app)[0]
    helped = "ctrl+z" in plain(help_text(screen), width=120)
    palette = any(c.title == "Undo" for c in planner_commands(app, screen))
    return footer, helped, palette


async def test_undo_key_shows_after_a_delete_and_goes_after_the_undo(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "r")
        assert offers_undo(pilot.app) == (False, False, False)
        await press(pilot, "ctrl+z")
        assert toasts(pilot)[-1].startswith("Nothing to undo")
        await press(pilot, "d", "y")
        assert toasts(pilot)[-1].endswith("press ctrl+z to undo")
        assert offers_undo(pilot.app) == (True, True, True)
        await press(pilot, "l")  # on another screen too: the stack is the app's
        assert offers_undo(pilot.app) == (True, True, True)
        await press(pilot, "r", "ctrl+z")
        assert " is back with " in toasts(pilot)[-1]
        assert offers_undo(pilot.app) == (False, False, False)
        await press(pilot, "ctrl+z")
        assert toasts(pilot)[-1].startswith("Nothing to undo")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_footer_fits_with_the_undo_key(demo_ctx: Context, size: tuple[int, int]) -> None:
    async with app_for(demo_ctx).run_test(size=size) as pilot:
        await press(pilot, "s", "d", "y")  # a study block deleted: ctrl+z has something to undo everywhere
        for item in SCREENS:
            await press(pilot, entry(item.key).binding)
            keys, row_end, palette_x = footer_row(pilot.app)
            footer = pilot.app.screen.query_one(PlannerFooter)
            assert "^z Undo" in keys or "^z Undo import" in keys, (item.key, size, keys)
            assert row_end <= palette_x <= size[0], (item.key, size, keys)
            assert footer.scroll_x == 0 and footer.virtual_size.width <= size[0] + 1, (item.key, size, keys)
            palette = str(footer.query_one(".-command-palette").render())
            assert palette.strip().startswith("^p"), palette
            if size[0] >= 120:
                assert "palette" in palette, (item.key, palette)
            await press(pilot, "escape")


async def test_import_screen_offers_undo_import_only_while_the_last_import_can_be_undone(ctx: Context) -> None:
    assert calendar.undoable_import(ctx) is None
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "i")
        keys = footer_row(pilot.app)[0]
        assert not any(k.startswith("^z") for k in keys), keys
        assert not any("Undo import" in c.title for c in planner_commands(pilot.app, pilot.app.screen))
        await press(pilot, "ctrl+z")
        assert toasts(pilot)[-1].startswith("Nothing to undo")
    calendar.apply_import(ctx, ICS)
    done = calendar.undoable_import(ctx)
    assert done is not None
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "i")
        assert "^z Undo import" in footer_row(pilot.app)[0]
        assert any(c.title.endswith("Undo import") for c in planner_commands(pilot.app, pilot.app.screen))
        assert "Undo import" in plain(help_text(pilot.app.screen), width=120)
        await press(pilot, "ctrl+z", "y")
        assert calendar.undoable_import(ctx) is None
        assert not any(k.startswith("^z") for k in footer_row(pilot.app)[0])


def test_undoable_import_is_the_rule_undo_last_import_follows(ctx: Context) -> None:
    from imgcoach.core.errors import UserError

    assert calendar.undoable_import(ctx) is None
    with pytest.raises(UserError, match="no import to undo"):
        calendar.undo_last_import(ctx)
    calendar.apply_import(ctx, ICS)
    second = calendar.apply_import(ctx, ICS)  # nothing new: an import all the same
    last = calendar.undoable_import(ctx)
    assert last is not None
    assert calendar.undo_last_import(ctx).id == last.id
    assert second is not None
