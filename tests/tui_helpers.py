"""Driving the planner in tests: build the app, wait for its workers, type into forms."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any, TypeVar

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static
from textual.worker import WorkerCancelled

from imgcoach.core.context import Context
from imgcoach.tui.app import PlannerApp, make_app

SIZE = (100, 32)
T = TypeVar("T")


def app_for(ctx: Context) -> PlannerApp:
    return make_app(context=ctx, cursor_blink=False, poll_seconds=0)


def at_each_frame(app: Any, mode: str, measure: Callable[[Any], T | None]) -> list[T]:
    """`measure(app)` at each frame written to the terminal (Textual's App._display) while screen `mode` is shown,
    kept unless None: what a first visit made before its first frame is counted there, never timed."""
    found: list[T] = []
    display = app._display

    def counted(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None and not app._batch_count and app.current_mode == mode:
            value = measure(app)
            if value is not None:
                found.append(value)

    app._display = counted
    return found


def tables_sized(app: Any) -> bool:
    """No DataTable, on the top screen or under a dialog, still waits for the idle pass that measures
    its new cells: an unmeasured table under the set-up's dialog is 0 rows high, which moves the
    scrollbar of the pane it sits in (a snapshot then caught the thumb one row short). Nor for the
    refit of its elastic column (PlannerTable._refit, after the next refresh): until then its names
    are cut to the width measured before the other columns grew with the rows. Nor for the rows a table adds
    after its first paint (PlannerTable.add_rows_visible_first)."""
    return not any(table._require_update_dimensions or table._new_rows or table._updated_cells
                   or getattr(table, "_refit_queued", False) or getattr(table, "_rows_to_come", None) is not None
                   for screen in app.screen_stack for table in screen.query(DataTable))


def cards_made(app: Any) -> bool:
    """No list (the Letters board's columns) still waits for the cards it makes after its first paint."""
    return not any(getattr(column, "_cards_to_come", None) for screen in app.screen_stack
                   for column in screen.query(OptionList))


def lay_out_background(app: Any) -> bool:
    """True when no screen under a dialog waits for a layout; else lays them out and returns False.
    Textual lays out only the current screen, so a load that lands under a dialog (the guided set-up
    pushes step 2 while the profile reloads) leaves the background half laid out: its pane's scrollbar
    then came and went with the machine's speed. A snapshot shows it as it is drawn once laid out."""
    waiting = [screen for screen in app.screen_stack[:-1] if screen._layout_required]
    for screen in waiting:
        screen._layout_required = False
        screen._refresh_layout()
    return not waiting


async def settle(pilot: Pilot[Any]) -> None:
    """Until every screen's loads have been shown, no worker runs (a load can start another) and
    every table's columns have been measured: a snapshot then never catches header-wide columns."""
    quiet = 0
    for _ in range(200):
        await pilot.pause()
        with suppress(WorkerCancelled):  # a form's save worker is cancelled with its dialog once it has answered
            await pilot.app.workers.wait_for_complete()
        # A detail read waits for the paint before its worker starts: not yet a worker, but not quiet either.
        pending = sum(getattr(s, "loads_pending", 0) + getattr(s, "paint_waits", 0) for s in pilot.app.screen_stack)
        if not pending and lay_out_background(pilot.app) and not any(w.is_running for w in pilot.app.workers) \
                and tables_sized(pilot.app) and cards_made(pilot.app):
            quiet += 1
            # Quiet three times in a row: a worker's result posted with call_from_thread (a form's save
            # closing it, whose callback starts a reload) lands between two checks, not after the last.
            if quiet >= 3:
                break
        else:
            quiet = 0
    await pilot.pause()
    await pilot.pause()


async def until(pilot: Pilot[Any], done: Callable[[], bool], seconds: float = 10.0) -> None:
    """Let the app run until ``done()`` holds or ``seconds`` pass (the caller asserts it after): a resize is
    handled over several idle passes (the footer fits its keys, then the screen lays them out), and on a loaded
    machine `settle` saw a quiet app between two of them."""
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await pilot.pause(0.05)


async def press(pilot: Pilot[Any], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def preview_import(pilot: Pilot[Any], path: Path | str, *then: str) -> Any:
    """The walk an import test starts with, as a person takes it: the Import screen (i), the path field (ctrl+o),
    `path` typed, Enter for its preview, then each key of `then` (ctrl+a, y, ctrl+s...), the app settled after each
    key. Returns the Import screen."""
    await press(pilot, "i", "ctrl+o")
    screen = pilot.app.screen
    screen.query_one("#import-path", Input).value = str(path)
    await press(pilot, "enter", *then)
    return screen


def fill(screen: Any, **values: str) -> None:
    for name, value in values.items():
        screen.query_one(f"#field-{name}", Input).value = value


def error_of(screen: Any, name: str) -> str:
    found = screen.query(f"#error-{name}")  # mounted on a field's first error
    if not found:
        return ""
    box = found.first(Static)
    return str(box.render()) if box.has_class("shown") else ""


def record_toasts(app: Any) -> list[str]:
    """Every toast's message as it is posted, in order, from now on. One read from the app after an action may
    find a toast already timed out and gone (a fresh clone's parallel run under load lost a save's toast)."""
    said: list[str] = []
    notify = app.notify

    def recorded(message: str, *args: object, **kwargs: object) -> None:
        said.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recorded
    return said


async def scroll_to_its_end(pilot: Pilot[Any], pane: Any) -> None:
    """Tab until `pane` has focus (at most six presses), then End: a detail pane's last line is reachable from
    the keyboard. Fails if focus never reaches it or it does not scroll."""
    for _ in range(6):
        if pilot.app.focused is pane:
            break
        await press(pilot, "tab")
    assert pilot.app.focused is pane
    await press(pilot, "end")
    await until(pilot, lambda: pane.scroll_y == pane.max_scroll_y)
    assert pane.scroll_y == pane.max_scroll_y > 0


def highlight_person(pilot: Pilot[Any], contact_id: int) -> None:
    """On the open "People, letters and cases" dialog: highlight the supervisor `contact_id` (for e or d)."""
    items = pilot.app.screen
    items.query_one(OptionList).highlighted = next(i for i, item in enumerate(items.items)  # type: ignore[attr-defined]
                                                  if item.kind == "supervisor" and item.ref == contact_id)


async def ask_to_delete_person(pilot: Pilot[Any], contact_id: int) -> str:
    """On the open "People, letters and cases" dialog: highlight the supervisor `contact_id`, press d, and return
    the confirmation's message on one line (the dialog stays open for the test's y or n)."""
    highlight_person(pilot, contact_id)
    await press(pilot, "d")
    return " ".join(str(pilot.app.screen.query_one("#confirm-message", Static).render()).split())


async def readiness_detail(pilot: Pilot[Any], check_key: str) -> str:
    """Open Readiness (y), move down to the check `check_key` ("letters", "feedback", ...) and return its detail
    pane's text on one line, as a person reads it after those keys."""
    await press(pilot, "y")
    screen = pilot.app.screen
    index = next(i for i, check in enumerate(screen._checks) if check.key == check_key)  # type: ignore[attr-defined]
    await press(pilot, *["down"] * index)
    return " ".join(str(screen.query_one("#readiness-detail", Static).content).split())
