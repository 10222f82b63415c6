"""A rotation made from a timed hospital series said "40 h/week assumed" although the schedule gives its hours
(a Mon-Fri 07:00-16:00 series is 45 h a week); a study block made from a series already counted its
occurrences. A rotation now takes its hours a week from the series' usual week and says so, in the CLI and in
the app's Import screen alike; an all-day series keeps the assumption and says it is one, and why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable

from imgcoach.core.context import Context
from imgcoach.plan.rotations import list_rotations
from imgcoach.tui.app import make_app
from tests.cli_helpers import run_cli
from tests.test_calendar_tui import _preview, _settle, text

SCHEDULES = Path(__file__).parent / "data" / "ics" / "outlook_two_rotation_schedules_timed_and_allday.ics"
TIMED = '"Externship - Internal Medicine" (45 h/week from its schedule: the usual week of its 20 occurrences)'
ALL_DAY = '"Observership - Pediatrics" (40 h/week assumed: its events are all-day and give no hours'


def _hours(ctx: Context) -> dict[str, tuple[int, bool]]:
    return {r.institution.split(" (")[0]: (r.hours_per_week, r.hours_assumed) for r in list_rotations(ctx)}


def test_a_timed_series_gives_the_rotation_its_hours_and_an_all_day_one_says_they_are_assumed(
        ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(capsys, "import", str(SCHEDULES), "--accept-suggestions", "--db", db_url)
    assert res.code == 0, res.err
    # 9 h a weekday, and one 12-hour Wednesday (an override) that is not the usual week
    assert _hours(ctx) == {"Riverside General Hospital": (45, False), "Lakeshore Children's Hospital": (40, True)}
    ids = {r.specialty: r.id for r in list_rotations(ctx)}
    assert f"made rotation {ids['Internal Medicine']} from {TIMED}" in res.out, res.out
    assert (f"made rotation {ids['Pediatrics']} from {ALL_DAY}; give them with `imgcoach rotations edit "
            f"{ids['Pediatrics']} --hours N`)") in res.out, res.out


def test_the_usual_week_leaves_out_a_holiday_and_a_short_last_week() -> None:
    from imgcoach.calendar.series import weekly_hours

    monday = date(2027, 1, 4)
    weekdays = [date(2027, 1, d) for d in range(4, 30) if date(2027, 1, d).weekday() < 5 and d != 18]
    # four weeks of 9 h weekdays, Monday 18 January out, ending on a Friday: 45, not 48 (all hours over 26 days)
    assert weekly_hours([(d, 9.0) for d in weekdays], monday, date(2027, 1, 29)) == 45.0
    # a run of one short week is its own week
    assert weekly_hours([(monday, 4.0), (date(2027, 1, 5), 4.0)], monday, date(2027, 1, 5)) == 8.0


async def test_the_import_screen_says_where_the_hours_came_from_as_the_cli_does(ctx: Context) -> None:
    app = make_app(context=ctx, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await _preview(app, pilot, SCHEDULES.name)
        table = screen.query_one("#import-table", DataTable)
        await _settle(app, pilot, lambda: table.row_count > 0)
        table.focus()
        await pilot.press("ctrl+a")
        await _settle(app, pilot, lambda: app.screen is not screen)
        await pilot.press("y")
        await _settle(app, pilot, lambda: app.screen is screen)
        await pilot.press("ctrl+s")
        await _settle(app, pilot, lambda: len(list_rotations(ctx)) == 2 and "from its schedule" in text(app))
        shot = " ".join(text(app).split())
        ids = {r.specialty: r.id for r in list_rotations(ctx)}
        assert f"made rotation {ids['Internal Medicine']} from {TIMED}" in shot, shot
        assert (f"made rotation {ids['Pediatrics']} from {ALL_DAY}; give them on Rotations: e edits rotation "
                f"{ids['Pediatrics']})") in shot, shot
    assert _hours(ctx) == {"Riverside General Hospital": (45, False), "Lakeshore Children's Hospital": (40, True)}
