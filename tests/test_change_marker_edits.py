"""The app's poll (plan.change_marker) sees an edit in place made by another process on PostgreSQL as on SQLite.

On PostgreSQL the marker saw an edit only through a table's newest `updated_at` or its sum of versions: a
`rotations edit ID --institution X` from a machine whose clock is behind the one that wrote the newest rotation
changed neither (the app kept showing the old place), and an edit of a table with neither (a case's text) was
never seen (SQLite's write-counting triggers do not exist there). Real databases; the writer is a second
connection pool, as another process would be."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from imgcoach import plan
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.storage.db import Database

ROTATION = {"kind": "observership", "specialty": "Internal Medicine", "country": "US", "hours_per_week": 40}


@pytest.fixture
def other(ctx: Context) -> Iterator[Context]:
    """Another process on the same database, with a clock of its own (another machine's: an hour behind)."""
    db = Database(ctx.db.url)
    yield Context(db=db, clock=FixedClock(ctx.clock.now() - timedelta(hours=1)), settings=Settings())
    db.close()


def test_an_edit_in_place_from_a_clock_behind_moves_the_marker(ctx: Context, other: Context) -> None:
    first = plan.add_rotation(ctx, institution="Lakeside General", start_date=date(2027, 3, 1),
                              end_date=date(2027, 3, 28), **ROTATION)
    plan.add_rotation(ctx, institution="Mercy Hospital", start_date=date(2027, 5, 3), end_date=date(2027, 5, 30),
                      **ROTATION)  # the newest change time is this one's
    before = plan.change_marker(ctx)
    assert first.id is not None
    plan.edit_rotation(other, first.id, institution="Riverside Clinic")
    assert plan.change_marker(ctx) != before


def test_an_edit_of_a_table_without_a_change_column_moves_the_marker(ctx: Context, other: Context) -> None:
    rotation = plan.add_rotation(ctx, institution="Lakeside General", start_date=date(2026, 10, 5),
                                 end_date=date(2026, 11, 1), **ROTATION)
    assert rotation.id is not None
    case = plan.add_case(ctx, rotation.id, "Chest pain", occurred_on=date(2026, 10, 12))
    before = plan.change_marker(ctx)
    assert case.id is not None
    plan.edit_case(other, case.id, title="Chest pain, NSTEMI", occurred_on=date(2026, 10, 12))
    assert plan.change_marker(ctx) != before


async def test_the_app_shows_a_place_edited_from_a_clock_behind(demo_ctx: Context) -> None:
    """`rotations edit ID --institution X` from another machine, its clock an hour behind: the app's poll reloads
    the Rotations screen and shows the new place (it kept the old one)."""
    from textual.widgets import Static

    from tests.tui_helpers import app_for, press, settle

    behind = Database(demo_ctx.db.url)
    other = Context(db=behind, clock=FixedClock(demo_ctx.clock.now() - timedelta(hours=1)), settings=Settings())
    try:
        app = app_for(demo_ctx)
        async with app.run_test(size=(120, 40)) as pilot:
            await press(pilot, "r")
            screen = app.screen
            rotation_id = int(str(screen.query_one("PlannerTable").cursor_key()))
            app.check_for_changes()  # the first poll records the marker
            await settle(pilot)
            plan.edit_rotation(other, rotation_id, institution="Riverside Clinic (fictional)")
            app.check_for_changes()
            await settle(pilot)
            assert "Riverside Clinic (fictional)" in str(screen.query_one("#rotation-detail", Static).content)
    finally:
        behind.close()
