"""The help text: every screen's key, then the keys of the screen that asked for help."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from imgcoach.tui.registry import SCREENS

GLOBAL_KEYS = (
    ("?", "this help"),
    ("ctrl+p", "command palette: every command by name"),
    ("T", "switch light / dark theme"),
    ("escape", "close a dialog, or go back to the timeline"),
    ("q / ctrl+q", "quit (q is left to a dialog while one is open; ctrl+q always quits)"),
    ("tab / shift+tab", "move between fields and panels"),
)


def help_text(screen: Any) -> Text:
    text = Text()
    text.append("Screens\n", style="bold underline")
    for item in SCREENS:
        text.append(f"  {item.binding:<8}", style="bold")
        text.append(f"{item.title}: {item.description}\n")
    text.append("\nEverywhere\n", style="bold underline")
    for key, what in GLOBAL_KEYS:
        text.append(f"  {key:<16}", style="bold").append(f"{what}\n")
    focused = getattr(screen, "focused", None)
    bindings = [*getattr(screen, "BINDINGS", []), *(getattr(focused, "BINDINGS", []) if focused is not None else [])]
    own = [(b.key_display or b.key, b.description) for b in bindings if getattr(b, "description", "")]
    if own:
        text.append(f"\nOn this screen ({getattr(screen, 'TITLE_TEXT', type(screen).__name__)})\n",
                    style="bold underline")
        for key, what in own:
            text.append(f"  {key:<16}", style="bold").append(f"{what}\n")
    text.append("\nPlanning advice built in\n", style="bold underline")
    text.append(
        "  Clinical experiences in 4 to 8 week blocks, study in separate dedicated blocks;\n"
        "  a weekly goal per block; ask for feedback mid-rotation; ask for letters 2 to 4\n"
        "  weeks before a rotation ends, with your CV, statement draft and cases; follow up.\n"
    )
    return text
