"""The generated study plan, previewed before anything is saved: accept (a / Enter) or drop (Escape).

Below the blocks, the hours per week with the proposal applied (clinical + planned study + the
proposal), so an overloaded week is visible before accepting.
"""

from __future__ import annotations

import textwrap
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label, Static

from imgcoach.core.words import counted
from imgcoach.plan import ASSUMED_IN_CELLS, OVERLOAD_HOURS, day_names, hours_cell
from imgcoach.tui import dates
from imgcoach.tui.widgets.dialogs import QUIT
from imgcoach.tui.widgets.table import PlannerTable


def wrapped(text: str, width: int) -> str:
    """`text` in lines of at most `width` cells, cut between words (a word longer than a line is split)."""
    return "\n".join(textwrap.wrap(text, width)) or text


class ProposalScreen(ModalScreen[bool]):
    BINDINGS = [
        # Accept is ctrl+a, as Outreach's and Import's (a is Add); x cancels, as it cancels a reminder
        Binding("enter,ctrl+a", "decide(True)", "Accept", key_display="⏎", id="proposal-accept"),
        Binding("escape,x", "decide(False)", "Cancel", id="proposal-drop"),
        QUIT,
    ]

    def __init__(self, proposal: Any) -> None:
        super().__init__()
        self.proposal = proposal

    def compose(self) -> ComposeResult:
        request = self.proposal.request
        with Vertical(classes="dialog wide", id="proposal-dialog"):
            yield Label(f"Proposed plan: {request.exam}, exam on {dates.day(request.exam_date)}", classes="dialog-title")
            yield Static(
                f"{counted(len(self.proposal.blocks), 'block')}, about {self.proposal.total_hours} hours · "
                f"{request.hours_per_day} h/day, rest {day_names(request.rest_days)}", classes="muted")
            yield PlannerTable(id="proposal-table", cursor_type="row")
            yield Static(self._load_title(), classes="panel-title", id="proposal-load-title")
            yield PlannerTable(id="proposal-weeks", cursor_type="row")
            notes = Text("\n".join(f"• {n}" for n in self.proposal.notes), style="yellow")
            yield Static(notes, id="proposal-notes")
            yield Static("Enter: accept and save   Escape / x: cancel   Tab: the other table", classes="muted")
        yield Footer(compact=True)

    def _load_title(self) -> Text:
        over = self.proposal.overloaded_weeks
        text = Text(f"Hours per week with this plan (over {OVERLOAD_HOURS} is overload)", style="bold")
        if over:
            text.append(f" · {counted(over, 'week')} overloaded", style="bold red")
        if any(week.clinical_assumed for week in self.proposal.weeks):
            text.append(f" · {ASSUMED_IN_CELLS}", style="dim")  # what the "80?" in the Clinical column means
        return text

    def on_mount(self) -> None:
        table = self.query_one("#proposal-table", PlannerTable)
        table.add_columns("From", "To", "h/wk", "Weekly goal")
        # The goal wraps in the room the dates leave, its row as tall as it needs: at 80 columns it ran off the
        # dialog's edge mid-word ("daily questio") behind a sideways scrollbar, the rest of the week unread.
        table.make_elastic(3, fit=wrapped, min_width=20)
        for block in self.proposal.blocks:
            table.add_row(dates.day(block.start_date), dates.day(block.end_date), str(block.hours_per_week),
                          block.weekly_goal, height=None)
        weeks = self.query_one("#proposal-weeks", DataTable)
        weeks.add_columns("Week of", "Clinical", "Study", "+ Plan", "Total", "")
        for week in self.proposal.weeks:
            flag = Text("OVERLOAD", style="bold red") if week.overloaded else Text("█" * (week.total // 10))
            weeks.add_row(dates.day(week.week_start), hours_cell(week.clinical, week.clinical_assumed),
                          str(week.study), f"+{week.added}",
                          Text(str(week.total), style="bold red" if week.overloaded else ""), flag)
        table.focus()

    @on(DataTable.RowSelected)
    def accept_on_enter(self) -> None:
        self.action_decide(True)

    def action_decide(self, accept: bool) -> None:
        self.dismiss(accept and bool(self.proposal.blocks))
