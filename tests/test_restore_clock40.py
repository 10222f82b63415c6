"""`db restore` marks the rows it brought back as changed at the moment of the clock it is given.

restore_database(url, src, clock=...) replaced the clock it was given with the wall clock (the daemon check
assigned its own SystemClock to the same name), so the rows were marked at the real time: the test of the
restore's versions passed only because the real date was after the test's fixed one. Real SQLite files.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from imgcoach.core.clock import FixedClock, ensure_utc
from imgcoach.core.context import Context
from imgcoach.storage.models import Rotation


@pytest.mark.sqlite_only  # `db restore` is SQLite's (PostgreSQL: pg_restore)
def test_restore_marks_the_rows_it_brought_back_at_the_clock_given(ctx: Context, tmp_path: Path) -> None:
    from imgcoach.composition import backup_database, restore_database
    from imgcoach.plan.rotations import add_rotation, edit_rotation

    url = ctx.db.url
    moved = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside General",
                         start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    backup_database(url, tmp_path / "backup.sqlite")
    ctx.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
    edit_rotation(ctx, moved.id, start_date=date(2027, 1, 11), end_date=date(2027, 2, 5))  # type: ignore[arg-type]
    ctx.db.close()
    at = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)  # after any real date the suite runs on
    restore_database(url, tmp_path / "backup.sqlite", clock=FixedClock(at))
    with ctx.db.read() as session:
        row = session.exec(select(Rotation).where(Rotation.id == moved.id)).one()
    assert (row.start_date, ensure_utc(row.updated_at)) == (date(2027, 1, 4), at)
