"""The planner app. Built by `make_app` so tests, the demo and users go through one door."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding

from imgcoach.tui.screens.home import HomeScreen


class PlannerApp(App[None]):
    """Opens at once; the database (and its heavy imports) loads in a worker thread."""

    CSS_PATH = "app.tcss"
    TITLE = "imgcoach"
    BINDINGS = [Binding("q", "quit", "Quit", id="quit")]

    def __init__(self, db: str | None = None, clock: Any = None, context: Any = None) -> None:
        super().__init__()
        self.db_arg = db
        self.clock = clock
        self.context: Any = context  # imgcoach.context.Context once loaded

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())

    def open_context(self) -> Any:
        """Called from worker threads: opens the database on first use."""
        if self.context is None:
            from imgcoach.context import open_context

            self.context = open_context(self.db_arg, clock=self.clock)
        return self.context


def make_app(db: str | None = None, clock: Any = None, context: Any = None) -> PlannerApp:
    return PlannerApp(db=db, clock=clock, context=context)
