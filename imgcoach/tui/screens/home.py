"""Home: the applicant's timeline and the next reminders (a first dashboard)."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static


class HomeScreen(Screen[None]):
    CSS_PATH = "home.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home-body"):
            yield Static("Loading the plan…", id="timeline")
            yield DataTable(id="upcoming", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#upcoming", DataTable).add_columns("due", "reminder")
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        from imgcoach.services.plan import load_plan

        snapshot = load_plan(self.app.open_context())  # type: ignore[attr-defined]
        self.app.call_from_thread(self.show, snapshot)

    def show(self, snapshot: Any) -> None:
        from imgcoach.tui.render import timeline_text

        self.query_one("#timeline", Static).update(timeline_text(snapshot))
        table = self.query_one("#upcoming", DataTable)
        table.clear()
        from zoneinfo import ZoneInfo

        tz = ZoneInfo(snapshot.applicant.timezone) if snapshot.applicant else None
        for reminder in snapshot.upcoming(12):
            due = reminder.due_at.astimezone(tz) if tz else reminder.due_at
            table.add_row(due.strftime("%Y-%m-%d %H:%M"), reminder.kind.replace("_", " "))
