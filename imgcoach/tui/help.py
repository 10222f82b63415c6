"""The help text: every screen's key, then the keys of the screen that asked for help (those the selected row
does not offer dim, with why).

Keys and what they do sit in two columns (a Rich grid), so a description that wraps keeps its indent
instead of running back under the keys; the advice paragraph is one paragraph that wraps to the width.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.keys import format_key, key_to_character

from imgcoach.tui.registry import SCREENS

GLOBAL_KEYS = (
    ("?", "this help"),
    ("ctrl+p", "command palette: every command by name"),
    ("T", "switch light / dark theme"),
    ("ctrl+z", "undo the last delete or letter-card move made since the app started (on Import: the last import)"),
    ("escape", "close a dialog, or go back to the timeline"),
    ("q / ctrl+q", "quit, from any screen or read-only dialog (in a form q is a letter: ctrl+q quits there)"),
    ("tab / shift+tab", "move between fields and panels"),
)
# One verb per key (issue 15): a key means the same on every screen and dialog that offers it, so what one footer
# teaches holds on the next. A verb of one screen alone takes a key no other screen uses for another verb, and never
# a screen's letter (t r s l o p y u i m), ?, q, ctrl+q or ctrl+z. The exceptions, by their nature: Enter opens what
# is selected (its details or its form; in a form, the next field), Escape closes or goes back, the arrows, [ ] and
# PgUp/PgDn move along the screen's own axis, ctrl+s writes what a form or the Import preview prepared (saying the
# button's word), and a question's answers (y / n; Reload r / Overwrite o). tests/test_tui_key_verbs50.py checks every
# binding of every screen, dialog and widget against this table. (key as Textual names it, verb: the first word of
# each binding's description, what it acts on)
KEY_VERBS = (
    ("a", "Add", "a rotation, study block, exam, program, letter request, outreach entry, feedback"),
    ("e", "Edit", "the selected row (Enter opens it too where the footer says ⏎)"),
    ("d", "Delete", "the selected row, after a yes (undo puts it back)"),
    ("v", "E-mail", "the e-mail of the selected letter request, reminder or outreach entry"),
    ("c", "Copy", "the e-mail v shows (M opens your mail program, E your $EDITOR)"),
    ("x", "Cancel", "a reminder, a proposed study plan, a form's save that met a change made elsewhere"),
    ("A", "Approve", "a message to someone else (a supervisor, a letter writer): none goes unapproved"),
    ("R", "Retry", "a failed or unconfirmed reminder"),
    ("ctrl+a", "Accept", "an outreach offer, a proposed study plan, every import suggestion"),
    ("slash", "Search", "narrow a list as you type"),
)
ADVICE = (
    "Clinical experiences in 4 to 8 week blocks, study in separate dedicated blocks; a weekly goal per "
    "block; ask for feedback mid-rotation; ask for letters 2 to 4 weeks before a rotation ends, with your "
    "CV, statement draft and cases; follow up."
)


UNDO_KEY = "ctrl+z"  # in GLOBAL_KEYS only while the app has something to undo


def available(node: Any, binding: Binding) -> bool:
    """The binding's action can run now: its owner's `check_action` does not hide it (ctrl+z with nothing to
    undo). What the footer shows, the help and the palette show too."""
    try:
        return node.app._check_action_state(binding.action, node) is not False
    except Exception:  # not mounted (a test building the help alone): offer it, as before
        return True


def why_unavailable(node: Any, binding: Binding) -> str:
    """Why the binding's action cannot run now ("not on this row: only a failed or unconfirmed reminder"), from its
    owner's `why_unavailable`; "" when the owner gives no reason (the key is not this screen's at all: a table that
    does not sort, the search key typed into the search field)."""
    why = getattr(node, "why_unavailable", None)
    try:
        return str(why(binding.action) or "") if why is not None else ""
    except Exception:  # not mounted (a test building the help alone): say nothing
        return ""


def app_can_undo(node: Any) -> bool:
    try:
        return node.app.check_action("undo", ()) is not False
    except Exception:
        return True


def next_undo(node: Any) -> str:
    """What ctrl+z undoes next, and on which screen it was done (PlannerApp.next_undo); "" if unknown."""
    try:
        return str(node.app.next_undo())
    except Exception:  # not mounted (a test building the help alone)
        return ""


def declared_bindings(node: Any) -> list[Binding]:
    """The bindings the node's own classes declare, a subclass's first; a key a subclass binds again is
    the subclass's. `node.BINDINGS` alone misses what a base screen adds (the `/` search of
    FilterableScreen). Escape (go-home) is one of the keys for everywhere, said once there."""
    return class_bindings(type(node))


def class_bindings(owner: type[Any]) -> list[Binding]:
    """`declared_bindings` of a class not built yet (another screen's keys, for the command palette)."""
    found: list[Binding] = []
    taken: set[str] = set()
    for cls in owner.__mro__:
        if not cls.__module__.startswith("imgcoach."):
            continue  # Textual's own (tab, focus) are in the keys for everywhere
        declared = [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
        found += [b for b in declared if b.key not in taken and b.id != "go-home"]
        taken |= {b.key for b in declared}
    return found


def key_names(binding: Binding) -> str:
    """Every key that runs the binding ("[ / shift+←"), its footer key first: the help showed the footer's "[" alone
    for the Letters board's move, so shift+← was nowhere, and a binding with no footer key showed "e,enter"."""
    keys = [k.strip() for k in binding.key.split(",") if k.strip()]
    if not binding.key_display:
        return " / ".join(keys)
    names = [binding.key_display]
    for key in keys:
        *modifiers, base = key.split("+")
        name = "+".join([*modifiers, format_key(base)])
        if name not in names and key_to_character(key) != binding.key_display:
            names.append(name)
    return " / ".join(names)


def _keys(rows: Sequence[tuple[str, str | Text]]) -> Table:
    grid = Table.grid(padding=(0, 2), pad_edge=False)
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(ratio=1)
    for key, what in rows:
        # a key not available now is dim, as its description says why
        grid.add_row(Text(f"  {key}", style="dim") if isinstance(what, Text) and what.style == "dim" else f"  {key}", what)
    return grid


def help_text(screen: Any) -> Group:
    focused = getattr(screen, "focused", None)
    bindings = [*((screen, b) for b in declared_bindings(screen)),
                *((focused, b) for b in (declared_bindings(focused) if focused is not None else []))]
    # a footer label may be a short word ("Kind"); its tooltip, where there is one, says what the key does
    own: list[tuple[str, str | Text]] = []
    for owner, b in bindings:
        what = getattr(b, "tooltip", "") or b.description if getattr(b, "description", "") else ""
        if not what:
            continue
        if available(owner, b):
            own.append((key_names(b), what))
        elif why := why_unavailable(owner, b):
            # Listed with why it does nothing here now: the help listed only the current row's keys, so on an
            # empty list or another row a user could not learn what the screen can do.
            own.append((key_names(b), Text(f"{what} — {why}", style="dim")))
    everywhere = [(key, f"{what}; next: {next_undo(screen)}" if key == UNDO_KEY and next_undo(screen) else what)
                  for key, what in GLOBAL_KEYS if key != UNDO_KEY or app_can_undo(screen)]
    parts: list[Any] = [
        Text("Screens", style="bold underline"),
        _keys([(item.binding, f"{item.title}: {item.description}") for item in SCREENS]),
        Text("\nEverywhere", style="bold underline"),
        _keys(everywhere),
        Text("\nOne verb per key, on every screen that offers it", style="bold underline"),
        _keys([(format_key(key), f"{verb}: {what}") for key, verb, what in KEY_VERBS]),
    ]
    if own:
        # The registry's title when the screen sets none: Readiness and Import said "(ReadinessScreen)".
        titles = {item.key: item.title for item in SCREENS}
        title = getattr(screen, "TITLE_TEXT", None) or titles.get(getattr(screen, "KEY", ""), type(screen).__name__)
        parts += [Text(f"\nOn this screen ({title})", style="bold underline"), _keys(own)]
    # indented as a whole: "  " written before it indented its first line only, the rest ran back to the edge
    parts += [Text("\nPlanning advice built in", style="bold underline"), Padding(Text(ADVICE), (0, 0, 0, 2))]
    return Group(*parts)


def plain(renderable: Any, width: int = 100) -> str:
    """Any Rich renderable as plain text at `width` columns (what a dialog shows, for tests)."""
    import io

    from rich.console import Console

    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()
