"""First visits read only what the screen shows (issue 15 and 17: first visits of the app's screens).

Counted, never timed: the modules a first visit loads and the rows it reads. The Import screen's first
visit loaded the iCalendar reader and writer (some 140 modules) to learn whether ctrl+z may undo an import
(checked in a process of its own: this one has long loaded every module); the Outbox read every reminder
to show one status's rows and count the others."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event
from textual.widgets import DataTable, Static

from imgcoach.core.context import Context
from imgcoach.storage.models import Reminder
from tests.tui_helpers import app_for, press, settle

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


@pytest.mark.sqlite_only
def test_import_screen_first_visit_does_not_load_the_icalendar_stack(tmp_path: Path) -> None:
    """Its load asks one thing of the calendar feature (calendar.undoable_import): that answer needs no parser."""
    proc = subprocess.run([sys.executable, "-c", VISIT, str(tmp_path / "plan.sqlite"), "i", "ImportScreen"],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1:] in ([], [""]), f"loaded on the first visit: {proc.stdout[-500:]}"


def _reminders(ctx: Context, statuses: dict[str, int]) -> None:
    """Reminders of the profile's applicant in the given statuses, bulk-inserted (as the benchmark's plan)."""
    from sqlalchemy import insert

    from imgcoach.core.uids import calendar_uid_for
    from imgcoach.reminders import message_id_for
    from imgcoach.storage.applicants import current_applicant

    now = ctx.clock.now()
    rows = []
    with ctx.db.read() as session:
        applicant_id = current_applicant(session, ctx).id
    for status, count in statuses.items():
        for n in range(count):
            key = f"first-visit:{status}:{n}"
            due = now + timedelta(days=n + 1) if status == "pending" else now - timedelta(days=n + 1)
            rows.append({"applicant_id": applicant_id, "key": key, "kind": "thank_you", "template_key": "thank_you",
                         "recipient": "applicant@example.com", "due_at": due, "expires_at": due + timedelta(days=14),
                         "status": status, "attempts": 0, "last_error": "", "claimed_by": "",
                         "message_id": message_id_for(key, "test"), "calendar_uid": calendar_uid_for(key, "test"),
                         "late": False, "note": "", "payload": {}, "requires_approval": False, "created_at": now,
                         "updated_at": now})
    with ctx.db.transaction() as session:
        session.execute(insert(Reminder), rows)


async def test_outbox_first_visit_reads_the_rows_of_the_status_shown_and_counts_the_rest(ctx: Context) -> None:
    """The counts in the filter bar come from one grouped query; only the shown status's reminders are read
    (each Reminder row built by the ORM is counted, whatever thread reads it). Before: all of them, to count."""
    _reminders(ctx, {"sent": 30, "pending": 6, "failed": 2})
    read: list[str] = []

    def loaded(target: Reminder, _context: object) -> None:
        read.append(target.status)

    event.listen(Reminder, "load", loaded)
    try:
        async with app_for(ctx).run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            read.clear()  # the timeline's own reads (its next-up and warnings)
            await press(pilot, "o")
            screen = pilot.app.screen
            assert screen.query_one(DataTable).row_count == 6
            assert "pending 6" in str(screen.query_one("#outbox-filters", Static).render())
            assert "sent 30" in str(screen.query_one("#outbox-filters", Static).render())
            assert "all 38" in str(screen.query_one("#outbox-filters", Static).render())
            assert read and set(read) == {"pending"}, sorted(set(read))  # the preview reads the selected one too
            read.clear()
            await press(pilot, "F")  # failed: its two rows, read now
            assert screen.query_one(DataTable).row_count == 2
            assert set(read) == {"failed"}
            await press(pilot, "F", "F")  # sent, then all: every row
            assert screen.query_one(DataTable).row_count == 38
            assert "all 38" in str(screen.query_one("#outbox-filters", Static).render())
    finally:
        event.remove(Reminder, "load", loaded)


IDLE = """
import asyncio, sys
from datetime import UTC, datetime
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.plan.profile import set_profile
from imgcoach.storage.db import Database
from imgcoach.tui.app import make_app
from tests.tui_helpers import settle

db = sys.argv[1]
ctx = Context(Database(f"sqlite:///{db}"), FixedClock(datetime(2026, 11, 25, 14, tzinfo=UTC)), Settings())
set_profile(ctx, name="Idle (synthetic)", email="idle@example.com", timezone="America/New_York", synthetic=True)
ctx.db.close()

async def main() -> None:
    app = make_app(db=db, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.data_source == "full", app.screen.data_source
        built = sorted(key for key, stack in app._screen_stacks.items() if stack and key != "timeline")
        print("built:" + ",".join(built))
        print("loaded:" + ",".join(m for m in ("imgcoach.coach.actions", "imgcoach.matching.runs",
                                               "imgcoach.tui.screens.letters_screen") if m in sys.modules))

asyncio.run(main())
"""


@pytest.mark.sqlite_only
def test_idle_app_loads_the_code_of_other_screens_first_visits_and_builds_none(tmp_path: Path) -> None:
    """After the timeline's full snapshot the app imports, off the UI thread, the screens' modules and the
    services their loads call (PlannerScreen.WARM): Readiness's coach package and Shortlist's matching were
    0.1-0.2 s of their first visits. No other screen is built before it is opened (the Shortlist's program table
    is read into its cache, checked against the data at each use: test_shortlist_first_visit_after_the_warm_up_...)."""
    proc = subprocess.run([sys.executable, "-c", IDLE, str(tmp_path / "plan.sqlite")],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.strip().splitlines()
    assert "built:" in lines, lines
    assert "loaded:imgcoach.coach.actions,imgcoach.matching.runs,imgcoach.tui.screens.letters_screen" in lines, lines


async def test_a_load_of_many_rows_measures_the_elastic_column_once_and_cuts_every_row_alike() -> None:
    """The room left for the elastic column was measured for every row added (walking every column): a tenth of
    the Outbox's first show of 789 rows. Counted, and the cells are cut as the measure says, resize included."""
    from textual.app import App, ComposeResult

    from imgcoach.tui.widgets.table import DetailsTable

    class Tabled(App[None]):
        def compose(self) -> ComposeResult:
            yield DetailsTable(id="t", cursor_type="row")

    app = Tabled()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(DetailsTable)
        table.add_columns("Due", "What", "Where", "Status")
        table.make_elastic(2, min_width=16)
        await pilot.pause()
        measures = 0
        measure = table.elastic_width

        def counted() -> int:
            nonlocal measures
            measures += 1
            return measure()

        table.elastic_width = counted  # type: ignore[method-assign]
        table.clear()  # as a screen's show() does before its rows: the room is measured again for them
        for n in range(300):
            table.add_row(f"{n:03d} Jan 27", "Thank-you note", f"Specialty {n % 7}, Hospital {n} " + "x" * 60, "pending",
                          key=str(n))
        assert measures == 1
        await pilot.pause()
        await pilot.pause()
        width = measure()
        assert {len(str(table.get_row(str(n))[2])) for n in range(300)} == {width}
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        await pilot.pause()
        wider = measure()
        assert wider > width
        assert {len(str(table.get_row(str(n))[2])) for n in range(300)} == {wider}


async def test_shortlist_first_visit_after_the_warm_up_loads_no_program(demo_ctx: Context,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's warm-up, once the timeline's full snapshot is shown, loads the programs' ranking table
    (ShortlistScreen.warm_data): 0.3-0.5 s of the Shortlist's first visit on the large plan was that load. The
    visit then ranks from that table and loads no program; it shows the same list."""
    from imgcoach.matching import programs

    loads: list[str] = []
    load_programs = programs.load_programs

    def counted(*args: object, **kwargs: object) -> object:
        loads.append("load")
        return load_programs(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(programs, "load_programs", counted)
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(100):
            if app._warm_started and not any(w.is_running for w in app.workers):
                break
            await pilot.pause(0.05)
        assert app._warm_started
        assert loads == ["load"], "the warm-up loaded the programs once"
        await press(pilot, "m")
        await settle(pilot)
        screen = pilot.app.screen
        assert type(screen).__name__ == "ShortlistScreen" and screen.loads == 1
        assert screen.query_one(DataTable).row_count > 0
        assert loads == ["load"], "the visit loaded none"


def test_a_ranking_asked_for_during_the_warm_up_waits_for_its_load(demo_ctx: Context,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A Shortlist opened while the warm-up loads the programs waits for that load and uses it: loading them
    beside it doubled the work while both held the GIL."""
    import threading

    from imgcoach.matching import current, programs, warm_program_cache

    loads: list[str] = []
    began, release = threading.Event(), threading.Event()
    load_programs = programs.load_programs

    def held(*args: object, **kwargs: object) -> object:
        loads.append("load")
        began.set()
        release.wait(30)
        return load_programs(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(programs, "load_programs", held)
    warm = threading.Thread(target=warm_program_cache, args=(demo_ctx,))
    warm.start()
    assert began.wait(30)
    ranked: list[object] = []
    visit = threading.Thread(target=lambda: ranked.append(current(demo_ctx).shortlist))
    visit.start()
    visit.join(0.5)  # it waits on the warm-up's load (no second load begins meanwhile)
    assert loads == ["load"]
    release.set()
    warm.join(30)
    visit.join(30)
    assert not warm.is_alive() and not visit.is_alive()
    assert ranked and loads == ["load"]
