"""The Outbox's columns are sized for every row in its first frame (issue 15: "columns are sized to content every
time"). The first visit adds the rows its first frame shows, the rest after it (PlannerTable.add_rows_visible_first):
the columns were sized from those first rows only, so a rotation's long name and its reminders' longer labels further
down the list were cut in that frame, and the columns jumped wider as the rest came. Counted in cells, never timed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from imgcoach.core.context import Context
from imgcoach.core.uids import calendar_uid_for
from imgcoach.plan import add_rotation
from imgcoach.reminders import message_id_for
from imgcoach.storage.applicants import current_applicant
from imgcoach.storage.models import Reminder
from imgcoach.tui.widgets.table import PlannerTable
from tests.tui_helpers import app_for, settle

ROWS = 200
SIZE = (120, 40)  # two windows of rows before the first frame: 80
LONG = "Saint Bartholomew's Community Teaching Hospital of the Greater Valley (fictional)"


def plan_with_a_long_name_last(ctx: Context) -> None:
    """ROWS thank-you reminders of a short-named rotation over the coming months, then (two years on) a rotation
    with a long name, whose own reminders (other labels) come last by due time."""
    today = ctx.clock.now().date()
    short = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeview (fictional)",
                         start_date=today + timedelta(days=3), end_date=today + timedelta(days=30))
    add_rotation(ctx, kind="observership", specialty="Family Medicine", institution=LONG,
                 start_date=today + timedelta(days=730), end_date=today + timedelta(days=757))
    now = ctx.clock.now()
    with ctx.db.read() as session:
        applicant_id = current_applicant(session, ctx).id
    rows = []
    for n in range(ROWS):
        key = f"widths:{n}"
        due = now + timedelta(days=n + 40)
        rows.append({"applicant_id": applicant_id, "key": key, "kind": "thank_you", "template_key": "thank_you",
                     "rotation_id": short.id, "recipient": "applicant@example.com", "due_at": due,
                     "expires_at": due + timedelta(days=14), "status": "pending", "attempts": 0, "last_error": "",
                     "claimed_by": "", "message_id": message_id_for(key, "test"),
                     "calendar_uid": calendar_uid_for(key, "test"), "late": False, "note": "", "payload": {},
                     "requires_approval": False, "created_at": now, "updated_at": now})
    with ctx.db.transaction() as session:
        session.execute(insert(Reminder), rows)


@pytest.fixture
def held_rest(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The rows after the first frame wait until the test adds them, whatever the machine's speed."""
    monkeypatch.setattr(PlannerTable, "_add_next_chunk", lambda table, rest: None)
    yield


def widths(table: PlannerTable) -> list[int]:
    return [column.get_render_width(table) for column in table.ordered_columns]


@pytest.mark.usefixtures("held_rest")
async def test_first_frame_columns_fit_the_rows_further_down(ctx: Context) -> None:
    plan_with_a_long_name_last(ctx)
    app = app_for(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        for _ in range(400):
            tables = app.screen.query(PlannerTable)
            if tables and tables.first().row_count:
                break
            await pilot.pause(0.005)
        table: Any = app.screen.query_one(PlannerTable)
        for _ in range(6):  # laid out, its elastic column refitted for the room it has
            await pilot.pause()
        assert 0 < table.row_count < table.total_rows  # the rest still to come
        shown = [str(table.get_row_at(n)[2]) for n in range(table.row_count)]
        assert not any("Saint Bartholomew" in name for name in shown)  # the long name is further down
        first = widths(table)
        table.add_rows_to_come()
        await settle(pilot)
        assert table.row_count == table.total_rows > ROWS
        last = [str(table.get_row_at(table.row_count - 1)[n]) for n in range(5)]
        assert "Saint Bartholomew" in last[2]
        # Every column as wide in the first frame as once every row is in: nothing jumped, nothing was cut more.
        assert widths(table) == first, (first, widths(table))
        assert len(last[2]) <= first[2]
