"""The Import screen's "Accept all" confirmation writes its dates as the table beside it does (issue 15: one date
format per kind across screens). It listed "2027-03-01 07:00 EST" and "2027-04-05" under a table of "01 Mar 2027
07:00" and "05 Apr 2027". A real SQLite/PostgreSQL database, the app under Pilot, the injected clock."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import DataTable

from imgcoach.core.context import Context
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from tests.tui_helpers import app_for, press, preview_import, settle

TWO_SCHEDULES = Path(__file__).parent / "data" / "ics" / "outlook_two_rotation_schedules_timed_and_allday.ics"


async def test_accept_all_lists_the_days_as_the_table_writes_them(ctx: Context) -> None:
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await preview_import(pilot, TWO_SCHEDULES)
        table = app.screen.query_one("#import-table", DataTable)
        shown = [(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[1])) for i in range(table.row_count)]
        await press(pilot, "ctrl+a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen), type(app.screen).__name__
        message = app.screen.message
    listed = [line for line in message.splitlines() if "  → " in line]
    assert listed and not re.search(r"\d{4}-\d{2}-\d{2}", message), message
    assert len(listed) == 2, listed  # the two series' first rows: what the table shows of each, day and time alike
    for line in listed:
        assert any(line.startswith(f"{when}  {title[:40]}  → ") for when, title in shown), (line, shown)
    assert any(re.match(r"\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d  ", line) for line in listed), listed  # a timed one
    assert any(re.match(r"\d\d [A-Z][a-z]{2} \d{4}  ", line) for line in listed), listed  # an all-day one
