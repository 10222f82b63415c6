"""The planner's one-line text field: an Input whose cursor blinks only if the app's does.

`make_app(cursor_blink=False)` (the tests, the snapshots) must mean no blinking cursor anywhere. Textual has no
app-wide setting: each Input blinks unless told, its cursor drawn or not every 0.5 s by a timer. The search
bar's field blinked, so the filtered Shortlist snapshot lost the cursor's cell whenever the picture came more
than 0.5 s after the last key, as it does on a loaded machine (CI failed on it once).
"""

from __future__ import annotations

from contextlib import suppress

from textual.suggester import Suggester
from textual.types import NoActiveAppError
from textual.widgets import Input


class PlannerInput(Input):
    """Every text field of the planner (search bar, import path, form fields) is one of these."""

    def __init__(self, value: str | None = None, placeholder: str = "", *, suggester: Suggester | None = None,
                 compact: bool = False, select_on_focus: bool = True, disabled: bool = False,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(value, placeholder, suggester=suggester, compact=compact, select_on_focus=select_on_focus,
                         disabled=disabled, id=id, classes=classes)
        # Set before mounting (a compose runs inside the app): Input's mount then starts its blink timer paused,
        # and neither a focus nor a key restarts it (Input._restart_blink looks at cursor_blink).
        with suppress(NoActiveAppError):  # built outside a running app: Textual's default, blinking
            self.cursor_blink = bool(getattr(self.app, "cursor_blink", True))
