"""Command-palette entries: every registered screen and every key of the current screen, by name."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from textual.app import SystemCommand

from imgcoach.tui.help import app_can_undo, available, declared_bindings
from imgcoach.tui.registry import SCREENS


def planner_commands(app: Any, screen: Any) -> Iterable[SystemCommand]:
    for item in SCREENS:
        yield SystemCommand(f"Go to {item.title}", f"{item.description} (key {item.binding})",
                            partial(app.action_open, item.key))
    yield SystemCommand("Help", "Every key and screen (key ?)", app.action_help)
    if app_can_undo(screen):  # like the footer: only while there is something to undo
        yield SystemCommand("Undo", "Put back the last delete or letter-card move made since the app started "
                            "(key ctrl+z)", app.action_undo)
    yield SystemCommand("Light / dark theme", "Switch between the light and dark theme (key T)",
                        app.action_toggle_theme)
    title = getattr(screen, "TITLE_TEXT", "")
    focused = getattr(screen, "focused", None)  # e.g. the timeline's bar cursor
    for owner in (o for o in (screen, focused) if o is not None):
        for binding in declared_bindings(owner):
            if binding.description and binding.action and available(owner, binding):
                yield SystemCommand(f"{title}: {binding.tooltip or binding.description}".strip(": "),
                                    f"key {binding.key_display or binding.key}",
                                    partial(owner.run_action, binding.action))
