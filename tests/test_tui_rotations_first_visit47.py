"""The Rotations screen's first visit (issue 15: a screen's first visit before the app has built it ahead, at most
100 ms on the 5-year plan). Counted, never timed: the rows made before the first frame, the selected rotation's
detail read, and when."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select
from textual.widgets import Static

from imgcoach.core.context import Context
from imgcoach.storage.models import Applicant, Rotation
from imgcoach.tui.widgets.table import PlannerTable
from tests.test_tui_rows_after_paint45 import rows_at_first_paint
from tests.tui_helpers import app_for, press, settle

HEIGHT = 24


def _rotations(ctx: Context, count: int) -> None:
    """`count` rotations of the profile's applicant, bulk-inserted (as the benchmark's plan)."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with ctx.db.transaction() as session:
        applicant_id = session.execute(select(Applicant.id)).scalars().first()
        start = date(2024, 1, 1)
        session.execute(insert(Rotation), [
            {"applicant_id": applicant_id, "kind": "observership", "specialty": f"Specialty {n % 7}",
             "institution": f"Hospital {n} (synthetic){' of a long name' * (n == count - 1)}",
             "start_date": start + timedelta(days=9 * n),
             "end_date": start + timedelta(days=9 * n + (0 if n == 3 else 28 + 300 * (n == count - 2))),
             "hours_per_week": 20 + n % 3 * 10, "created_at": now, "updated_at": now} for n in range(count)])


async def test_rotations_first_frame_has_the_rows_it_shows_and_the_rest_follow(ctx: Context) -> None:
    """Before: the 5-year plan's rows were all made (cells, search text, layout) before a first frame that shows 9 of
    them at 80x24. The columns are sized for every row from the first frame on: a range across two years, a long
    name and a one-day rotation further down do not widen them afterwards."""
    count = 150
    _rotations(ctx, count)
    app = app_for(ctx)
    async with app.run_test(size=(120, HEIGHT)) as pilot:
        await settle(pilot)
        counts = rows_at_first_paint(app, "rotations")
        widths: list[list[int]] = []
        display = app._display

        def measured(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            tables = screen.query(PlannerTable)
            if renderable is not None and tables and tables.first().row_count and not widths:
                widths.append([c.get_render_width(tables.first()) for c in tables.first().ordered_columns])

        app._display = measured  # type: ignore[method-assign]
        await press(pilot, "r")
        with_rows = [n for n in counts if n]
        assert with_rows and with_rows[0] <= 2 * HEIGHT, f"rows in the table at its first paint with rows: {with_rows}"
        table = app.screen.query_one(PlannerTable)
        assert table.row_count == table.total_rows == count
        assert widths and widths[0] == [c.get_render_width(table) for c in table.ordered_columns]
        assert table.cursor_row == 0


async def test_rotations_first_visit_reads_the_selected_rotations_detail_once(
        ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: the load's show started a thread reading the selected rotation's detail (its people, letters and
    cases) at once, holding the GIL against the first frame with the rows, and the highlight its rows set started
    another (cancelled, unless its thread had begun). Now once, after that frame is written."""
    import imgcoach.plan as plan

    _rotations(ctx, 5)
    real = plan.rotation_detail
    read: list[int] = []
    painted_before: list[bool] = []

    def counted(ctx: Context, rotation_id: int) -> Any:
        read.append(rotation_id)
        painted_before.append(any(counts))
        return real(ctx, rotation_id)

    monkeypatch.setattr(plan, "rotation_detail", counted)
    app = app_for(ctx)
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        await settle(pilot)
        counts = rows_at_first_paint(app, "rotations")
        await press(pilot, "r")
        screen: Any = app.screen
        assert read == [screen.selected_id()]
        assert painted_before == [True], "the detail was read before the first frame with the rows was written"
        assert "Hospital 0 (synthetic)" in str(screen.query_one("#rotation-detail", Static).content)
        await press(pilot, "down")
        assert read == [read[0], screen.selected_id()] and read[1] != read[0]
