"""First visits read only what the screen shows (issue 15 and 17: first visits of the app's screens).

Counted, never timed: the modules a first visit loads and the rows it reads. The Import screen's first
visit loaded the iCalendar reader and writer (some 140 modules) to learn whether ctrl+z may undo an import.
Each check runs the real app in its own process on a real SQLite file: this test process has long loaded
every module already."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only

VISIT = """
import asyncio, sys
from datetime import UTC, datetime
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.plan.profile import set_profile
from imgcoach.storage.db import Database
from imgcoach.tui.app import make_app
from tests.tui_helpers import press

db = sys.argv[1]
ctx = Context(Database(f"sqlite:///{db}"), FixedClock(datetime(2026, 11, 25, 14, tzinfo=UTC)), Settings())
set_profile(ctx, name="First Visit (synthetic)", email="first@example.com", timezone="America/New_York",
            synthetic=True)
ctx.db.close()

async def main() -> None:
    app = make_app(db=db, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, sys.argv[2])
        screen = app.screen
        assert type(screen).__name__ == sys.argv[3] and screen.loads == 1, (screen, screen.loads)
        print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in ("icalendar", "dateutil", "click"))))

asyncio.run(main())
"""


def test_import_screen_first_visit_does_not_load_the_icalendar_stack(tmp_path: Path) -> None:
    """Its load asks one thing of the calendar feature (calendar.undoable_import): that answer needs no parser."""
    proc = subprocess.run([sys.executable, "-c", VISIT, str(tmp_path / "plan.sqlite"), "i", "ImportScreen"],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1:] in ([], [""]), f"loaded on the first visit: {proc.stdout[-500:]}"
