"""Command-palette entries: every registered screen, every key of the current screen, and every other screen's
keys, by name (issue 15: the palette offered only the current screen's actions)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from functools import partial
from typing import Any

from textual.app import SystemCommand

from imgcoach.tui.help import (
    app_can_undo,
    available,
    class_bindings,
    declared_bindings,
    key_names,
    next_undo,
    why_unavailable,
)
from imgcoach.tui.registry import SCREENS


def planner_commands(app: Any, screen: Any) -> Iterable[SystemCommand]:
    for item in SCREENS:
        yield SystemCommand(f"Go to {item.title}", f"{item.description} (key {item.binding})",
                            partial(app.action_open, item.key))
    yield SystemCommand("Help", "Every key and screen (key ?)", app.action_help)
    if app_can_undo(screen):  # like the footer: only while there is something to undo
        last = next_undo(screen)  # which one, from any screen: "the last delete" named none
        yield SystemCommand("Undo", (f"Undo: {last}" if last else "Put back the last delete or letter-card move made "
                                     "since the app started") + " (key ctrl+z)", app.action_undo)
    yield SystemCommand("Light / dark theme", "Switch between the light and dark theme (key T)",
                        app.action_toggle_theme)
    title = getattr(screen, "TITLE_TEXT", "")
    focused = getattr(screen, "focused", None)  # e.g. the timeline's bar cursor
    offered: set[str] = set()  # the screen's actions: a focused table's key for one of them is not a second command
    for owner in (o for o in (screen, focused) if o is not None):
        for binding, keys in one_per_action(b for b in declared_bindings(owner) if available(owner, b)):
            action = binding.action.removeprefix("screen.") if owner is focused else binding.action
            if owner is focused and action in offered:
                continue  # the Study plan's Enter on a block ("screen.edit") is the screen's e ("edit")
            offered.add(action)
            yield SystemCommand(f"{title}: {binding.tooltip or binding.description}".strip(": "), f"key {keys}",
                                partial(owner.run_action, binding.action))
    current = getattr(screen, "KEY", "")
    if getattr(screen, "is_modal", False):
        return  # a dialog's palette: its own keys only (a screen switch under a dialog is refused)
    for item in SCREENS:
        if item.key == current:
            continue
        for binding, keys in one_per_action(b for b in class_bindings(item.load()) if b.id != "go-home"):
            yield SystemCommand(f"{item.title}: {binding.tooltip or binding.description}",
                                f"goes to {item.title}, then key {keys}", partial(run_on_screen, app, item.key, binding))


def one_per_action(bindings: Iterable[Any]) -> list[tuple[Any, str]]:
    """Each described action once, with every key that runs it ("tab / shift+tab"): two keys for one action
    (the Letters board's Tab and its mirror) were two palette entries of the same name."""
    keys: dict[str, list[str]] = {}
    first: dict[str, Any] = {}
    for binding in bindings:
        if binding.description and binding.action:
            first.setdefault(binding.action, binding)
            keys.setdefault(binding.action, []).append(key_names(binding))
    return [(binding, " / ".join(dict.fromkeys(keys[action]))) for action, binding in first.items()]


LOAD_WAIT_SECONDS = 10.0  # a first visit on a loaded machine; past it the action runs on what is shown


async def run_on_screen(app: Any, key: str, binding: Any) -> None:
    """Switch to screen `key`, wait for its data (an Edit or Delete acts on the selected row, which a first
    visit has not shown yet), then run the action if the screen offers it now, or say why not."""
    await app.switch_mode(key)
    screen = app.screen
    for _ in range(int(LOAD_WAIT_SECONDS / 0.05)):
        loaded = getattr(screen, "shown_number", 1) or getattr(screen, "last_error", None) is not None
        if loaded and not getattr(screen, "loads_pending", 0) and not getattr(screen, "in_flight", 0):
            break
        await asyncio.sleep(0.05)
    if app.screen is not screen:
        return  # the user went elsewhere meanwhile
    if available(screen, binding):
        await screen.run_action(binding.action)
    else:
        # why, as the help says it ("not on this row: only a failed or unconfirmed reminder"), where the screen knows
        why = why_unavailable(screen, binding) or "nothing to act on here now"
        app.notify(f"{binding.description}: {why}", severity="warning")
