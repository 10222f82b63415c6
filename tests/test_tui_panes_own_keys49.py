"""The detail pane and the Outbox's daemon line bind only their own keys, as their classes say.

Both declared `inherit_bindings = False` as a class attribute, which Textual ignores (it reads the class keyword):
they still bound ScrollableContainer's ← → and ctrl+PgUp/PgDn, a sideways scroll that cannot move, and only
Textual's SkipAction passed those keys on to the screen (the Letters board's ← →). enter49 noticed; now the
keyword is given and the keys are the screen's. What a user sees does not change: this pins the classes' claim.
"""

from __future__ import annotations

import pytest

from imgcoach.tui.screens.outbox_screen import DaemonLinePane
from imgcoach.tui.widgets.detail_pane import DetailPane


@pytest.mark.parametrize("pane", [DetailPane, DaemonLinePane])
def test_a_pane_binds_no_sideways_scroll(pane: type) -> None:
    keys = set(pane._merge_bindings().key_to_bindings)
    assert keys.isdisjoint({"left", "right", "ctrl+pageup", "ctrl+pagedown"}), keys
    assert {"up", "down", "pageup", "pagedown", "home", "end"} <= keys, keys
