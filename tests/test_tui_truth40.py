"""What the app says stays true (round 40): a key's footer label says what it does and which way, in the help's
words; an undo made after a screen switch says what it puts back and leaves the cursor on it; the profile form
says what `profile set` says after a save. Pilot, keyboard only, real database files, the fixed clock."""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.widgets._footer import FooterKey

from imgcoach.core.context import Context
from imgcoach.tui.help import help_text, plain
from imgcoach.tui.widgets.footer import PlannerFooter
from tests.tui_helpers import app_for, press


def footer_keys(app: Any) -> list[tuple[str, str]]:
    """The footer's keys as drawn: (key, label); a grouped key has no label of its own."""
    footer = app.screen.query_one(PlannerFooter)
    return [(k.key_display, k.description) for k in footer.query(FooterKey) if k.display]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_letters_move_keys_say_which_way_in_the_helps_words(demo_ctx: Context,
                                                                       size: tuple[int, int]) -> None:
    """The footer read "[ ] Move card": two keys and one label, which looks like an empty checkbox and says no
    direction, while the help said "Move card left" for "[" alone (shift+← was nowhere). Each key now has its
    own label ("[ Move ←", "] Move →"), and the help names both keys and opens with the footer's words."""
    async with app_for(demo_ctx).run_test(size=size) as pilot:
        await press(pilot, "l")
        keys = footer_keys(pilot.app)
        assert ("[", "Move ←") in keys and ("]", "Move →") in keys, keys
        assert all(label for key, label in keys if key in "[]"), keys  # no grouped key without its own label
        helped = plain(help_text(pilot.app.screen), width=size[0])
        assert re.search(r"^ +\[ / shift\+← +Move ←: the card one column left", helped, re.M), helped
        assert re.search(r"^ +\] / shift\+→ +Move →: the card one column right", helped, re.M), helped
        planned = pilot.app.screen.query_one("#title-planned").render()
        assert "Planned (2)" in str(planned)
        await press(pilot, "shift+right")  # the help's other key does what it says
        assert "Planned (1)" in str(pilot.app.screen.query_one("#title-planned").render())
        assert "Requested (1)" in str(pilot.app.screen.query_one("#title-requested").render())
