"""Readiness: each check with its status, the evidence from the database and the dated next action."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from imgcoach.tui.screens.base import PlannerScreen
from imgcoach.tui.widgets.table import PlannerTable

BADGE = {"met": "met", "at_risk": "at risk", "missing": "MISSING"}


class ReadinessScreen(PlannerScreen):
    KEY: ClassVar[str] = "readiness"
    CSS_PATH = "readiness_screen.tcss"

    def __init__(self) -> None:
        super().__init__()
        self._checks: list[Any] = []

    def body(self) -> ComposeResult:
        yield Static("Loading readiness...", id="readiness-summary")
        yield PlannerTable(id="readiness-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="readiness-detail")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Status", "Check", "Next action by")
        self.reload()

    def fetch(self, ctx: Any) -> Any:
        from imgcoach.coach.actions import readiness

        return readiness(ctx)

    def show(self, report: Any) -> None:
        counts = report.counts()
        season = report.season
        self.query_one("#readiness-summary", Static).update(
            f"Match {season.match_year} - submission {season.submission}"
            f"{' (estimated)' if season.estimated else ''}: "
            f"{counts['met']} met, {counts['at_risk']} at risk, {counts['missing']} missing"
        )
        table = self.query_one(DataTable)
        table.clear()
        self._checks = list(report.checks)
        for check in self._checks:
            due = check.action.due.isoformat() if check.action else ""
            table.add_row(BADGE[check.status.value], check.title, due, key=check.key)
        if self._checks:
            self._detail(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, index: int) -> None:
        if not 0 <= index < len(self._checks):
            return
        check = self._checks[index]
        lines = [f"{check.title}: {BADGE[check.status.value]}", *check.evidence]
        if check.action:
            lines.append(f"Next: {check.action.text} (by {check.action.due})")
        self.query_one("#readiness-detail", Static).update("\n".join(lines))
