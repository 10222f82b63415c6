"""Outreach: where the applicant wrote for observerships and externships, follow-ups due, offers to check."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from imgcoach.tui.screens.base import PlannerScreen


class OutreachScreen(PlannerScreen):
    KEY: ClassVar[str] = "outreach"
    CSS_PATH = "outreach_screen.tcss"
    BINDINGS = [
        *PlannerScreen.BINDINGS,
        Binding("f", "mark_sent", "Follow-up sent", id="outreach-follow-up-sent"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Any] = []

    def body(self) -> ComposeResult:
        yield DataTable(id="outreach-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="outreach-detail")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Institution", "Status", "Follow-up")
        self.reload()

    def fetch(self, ctx: Any) -> Any:
        from imgcoach.services.outreach import list_outreach

        return list_outreach(ctx)

    def show(self, rows: Any) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self._rows = list(rows)
        for row, status, due, warnings in self._rows:
            flag = " !" if warnings else ""
            table.add_row(row.institution[:38], status.value.replace("_", " ") + flag, due.isoformat() if due else "",
                          key=str(row.id))
        if self._rows:
            self._detail(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, index: int) -> None:
        if not 0 <= index < len(self._rows):
            return
        row, status, due, warnings = self._rows[index]
        lines = [f"{row.institution} - {row.department} ({row.kind})",
                 f"Coordinator: {row.coordinator or '-'} <{row.contact_email or '-'}>; written {row.written_on or '-'}"]
        lines += [f"! {w}" for w in warnings]
        if row.notes:
            lines.append(f"Notes: {row.notes}")
        self.query_one("#outreach-detail", Static).update("\n".join(lines))

    def action_mark_sent(self) -> None:
        """Record that the follow-up (or the first e-mail) went out; the next reminder is scheduled."""
        table = self.query_one(DataTable)
        if not self._rows:
            return
        row = self._rows[table.cursor_row][0]
        from_id = row.id

        def work(ctx: Any) -> Any:
            from imgcoach.services.outreach import set_outreach_status

            return set_outreach_status(ctx, from_id, "sent")

        self.act(work, lambda r: self.notify(f"{r.institution}: marked sent"))
