"""The Import screen read at 80x24 and 120x40 (issue 15):

- At 80 columns the table's "Why" column took what the other columns left: 'title mentions "ob', with a sideways
  scrollbar, and the Event column squeezed. The table now fits the width and the selected row's title, why it was
  suggested (or kept a calendar event) and what accepting does are said in full below it.
- k on a later row of a series showed "Rotation" on it, and the import made it what the series' first row became
  (a calendar event); choosing Rotation on the first row left its later rows saying "Calendar event (series)"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from imgcoach.core.context import Context
from imgcoach.storage.models import CalendarEvent, Rotation
from imgcoach.tui.app import PlannerApp
from tests.test_calendar_tui import text
from tests.tui_helpers import app_for, press, preview_import, settle

TWO_SCHEDULES = Path(__file__).parent / "data" / "ics" / "outlook_two_rotation_schedules_timed_and_allday.ics"
SIZES = [(80, 24), (120, 40)]


async def _preview(app: PlannerApp, pilot: Pilot[Any]) -> DataTable[Any]:
    await preview_import(pilot, TWO_SCHEDULES)
    table = app.screen.query_one("#import-table", DataTable)
    assert table.row_count == 30
    return table


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_import_table_fits_and_says_why_in_full(ctx: Context, size: tuple[int, int]) -> None:
    app = app_for(ctx)
    async with app.run_test(size=size) as pilot:
        table = await _preview(app, pilot)
        # every column inside the table: no sideways scrolling to find out why
        assert table.virtual_size.width <= table.scrollable_content_region.width, (table.virtual_size, table.size)
        assert not table.show_horizontal_scrollbar
        shot = " ".join(text(app).split())
        # the first row, selected: its whole title, the rule that fired and what accepting it makes
        assert "Externship - Internal Medicine · Why:" in shot, shot
        assert ('title mentions "externship". Accepting it (ctrl+a, with every suggestion): new rotation over 01 Mar–26 Mar 2027 '
                "(20 occurrences).") in shot, shot
        await press(pilot, "down")
        shot = " ".join(text(app).split())
        assert table.cursor_row == 1 and "Externship - Internal Medicine · Why:" in shot, shot
        assert ("One of a series: it becomes what the series' first row (01 Mar 2027 07:00) becomes.") in shot, shot
        # the Event column is not squeezed to a stub: at 80 columns it keeps more than its 16-cell floor
        event = table.ordered_columns[1]
        assert event.get_render_width(table) - 2 * table.cell_padding >= 20, event.get_render_width(table)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_series_row_becomes_what_its_first_row_becomes(ctx: Context, size: tuple[int, int]) -> None:
    app = app_for(ctx)
    async with app.run_test(size=size) as pilot:
        table = await _preview(app, pilot)
        await press(pilot, "down", "k")  # a later row of the Externship series
        assert str(table.get_row_at(1)[3]) == "Calendar event (series)"  # not "Rotation": the import would not
        said = [str(n.message) for n in app._notifications]
        assert said[-1] == "One of a series: it becomes what the series' first row becomes (k on that row changes it)"
        await press(pilot, "up", "k")  # the first row: Rotation, and its series with it
        assert str(table.get_row_at(0)[3]) == "Rotation"
        assert [str(table.get_row_at(i)[3]) for i in range(1, 20)] == ["Rotation (series)"] * 19
        assert str(table.get_row_at(20)[3]) == "Rotation?"  # the other schedule, not chosen
        why = str(app.screen.query_one("#import-why", Static).render())
        assert "Accepted: new rotation over 01 Mar–26 Mar 2027 (20 occurrences)." in " ".join(why.split()), why
        await press(pilot, "ctrl+s")
        await settle(pilot)
        why = " ".join(str(app.screen.query_one("#import-why", Static).render()).split())
        assert why.endswith("Imported before as a rotation: it stays one."), why  # not "Accepted: new rotation"
        # the import's notes below the rows and the why: the screen still fits the window (it scrolled at 80x24,
        # the footer's row under its scrollbar)
        assert app.screen.max_scroll_y == 0 and not app.screen.show_vertical_scrollbar
    with ctx.db.read() as session:
        rotations = session.exec(select(Rotation)).all()
        events = session.exec(select(CalendarEvent).where(CalendarEvent.summary == "Externship - Internal Medicine")).all()
    assert [(r.start_date.isoformat(), r.end_date.isoformat()) for r in rotations] == [("2027-03-01", "2027-03-26")]
    assert len(events) == 20 and {e.mapped_id for e in events} == {rotations[0].id}


async def test_accept_all_counts_in_plural(ctx: Context, tmp_path: Path) -> None:
    """"Accept 3 suggestions: 3 new rotation": the count's noun is plural past one."""
    days = [f"202703{d:02d}" for d in (1, 3, 5)]
    events = "".join(f"BEGIN:VEVENT\r\nUID:obs-{d}@example.com\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;VALUE=DATE:{d}\r\n"
                     f"DTEND;VALUE=DATE:{int(d) + 1}\r\nSUMMARY:Observership at Hospital {d}\r\nEND:VEVENT\r\n"
                     for d in days)
    path = tmp_path / "three.ics"
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n")
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await preview_import(pilot, path, "ctrl+a")
        message = " ".join(str(app.screen.query_one("#confirm-message", Static).render()).split())
    assert message.startswith("Accept 3 suggestions: 3 new rotations (times in America/New_York)"), message


async def test_a_long_title_and_the_import_notes_still_fit_80x24(ctx: Context, tmp_path: Path) -> None:
    """A title long enough to take the why to its three lines, a file name that takes the summary to two, and the
    notes an import leaves (a full pane): the screen fits the window with rows shown (it scrolled under the footer)."""
    title = "Observership in Internal Medicine at Riverside General Hospital, inpatient teaching service, week {}"
    events = "".join(f"BEGIN:VEVENT\r\nUID:long-{n}@example.com\r\nDTSTAMP:20261101T000000Z\r\n"
                     f"DTSTART;VALUE=DATE:2027{month}01\r\nDTEND;VALUE=DATE:2027{month}20\r\n"
                     f"SUMMARY:{title.format(n)}\r\nEND:VEVENT\r\n" for n, month in ((1, "03"), (2, "05")))
    path = tmp_path / "riverside_general_observership_schedule_spring_2027.ics"
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n")
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await preview_import(pilot, path, "ctrl+a", "y", "ctrl+s")
        why = app.screen.query_one("#import-why", Static)
        assert why.size.height == 3 and title.format(1) in " ".join(str(why.render()).split()), why.size
        assert app.screen.query_one("#import-summary").size.height >= 2
        assert app.screen.max_scroll_y == 0 and not app.screen.show_vertical_scrollbar
        assert app.screen.query_one("#import-table", DataTable).size.height >= 2  # its header and a row
