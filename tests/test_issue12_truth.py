"""Issue 12: the planner tells the truth on day one (ids, letter timing, zones, wording)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation, list_rotations, remove_rotation
from imgcoach.reminders.sync import list_reminders
from tests.cli_helpers import run_cli
from tests.tui_helpers import SIZE, app_for, fill, press


def _add(ctx: Context, institution: str, start: date, end: date) -> int:
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution=institution,
                            start_date=start, end_date=end)
    assert rotation.id is not None
    return rotation.id


# --- point 1: keys unique forever -------------------------------------------------------------

def test_delete_then_add_again_and_again(ctx: Context) -> None:
    first = _add(ctx, "Riverside General (fictional)", date(2027, 1, 4), date(2027, 1, 29))
    remove_rotation(ctx, first)
    second = _add(ctx, "Lakeside Clinic (fictional)", date(2027, 1, 4), date(2027, 1, 29))
    assert second == first, "SQLite hands the deleted newest id out again: the case this test pins"
    third = _add(ctx, "Hilltop Hospital (fictional)", date(2027, 3, 1), date(2027, 3, 26))
    rows = list_reminders(ctx)
    assert len({r.key for r in rows}) == len(rows)
    assert len({r.message_id for r in rows}) == len(rows)
    assert len({r.calendar_uid for r in rows}) == len(rows)
    live = {r.rotation_id for r in rows if r.status == "pending"}
    assert live == {second, third}


def test_cli_delete_then_add_again(capsys: pytest.CaptureFixture[str], ctx: Context, db_path: Path) -> None:
    args = ("rotations", "add", "--db", str(db_path), "--kind", "observership", "--specialty", "Internal Medicine",
            "--start", "2027-01-04", "--end", "2027-01-29")
    first = run_cli(capsys, *args, "--institution", "Riverside General (fictional)")
    assert first.code == 0, first.err
    removed = run_cli(capsys, "rotations", "remove", "--db", str(db_path), first.out.strip())
    assert removed.code == 0, removed.err
    for place in ("Lakeside Clinic (fictional)", "Hilltop Hospital (fictional)"):
        again = run_cli(capsys, *args, "--institution", place)
        assert again.code == 0, again.err
    assert [r.institution for r in list_rotations(ctx)] == ["Lakeside Clinic (fictional)",
                                                            "Hilltop Hospital (fictional)"]


async def test_app_delete_then_add_again_and_again(ctx: Context) -> None:
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        for place in ("Riverside General (fictional)", "Lakeside Clinic (fictional)", "Hilltop Hospital (fictional)"):
            await press(pilot, "r", "a")
            fill(pilot.app.screen, specialty="Internal Medicine", institution=place,
                 start_date="2027-01-04", end_date="2027-01-29")
            await press(pilot, "ctrl+s")
            if place.startswith("Riverside"):
                await press(pilot, "d", "y")
        assert pilot.app.is_running
    assert [r.institution for r in list_rotations(ctx)] == ["Lakeside Clinic (fictional)",
                                                            "Hilltop Hospital (fictional)"]


async def test_app_shows_a_failed_save_and_goes_on(ctx: Context, isolated_user_dirs: Path) -> None:
    from imgcoach.tui.widgets.form import FormField, FormScreen

    def broken(_ctx: object, _values: dict[str, object]) -> None:
        raise RuntimeError("disk on fire")

    async with app_for(ctx).run_test(size=SIZE) as pilot:
        form = FormScreen("Broken", [FormField("name", "Name")], {"name": "x"}, broken)
        await pilot.app.push_screen(form)
        await press(pilot, "ctrl+s")
        assert pilot.app.is_running and pilot.app.screen is form, "the app goes on, the form keeps the input"
        shown = [n.message for n in pilot.app._notifications]
        assert any("RuntimeError: disk on fire" in m and "app-errors.log" in m for m in shown), shown
        await press(pilot, "escape", "r")
        assert pilot.app.current_mode == "rotations"
    log = (isolated_user_dirs / "data" / "app-errors.log").read_text()
    assert "disk on fire" in log and "Traceback" in log


async def test_app_exits_non_zero_when_it_cannot_go_on(ctx: Context, isolated_user_dirs: Path) -> None:
    app = app_for(ctx)
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=SIZE) as pilot:
            pilot.app.call_later(lambda: 1 / 0)  # a handler on the app itself, not a worker
            await pilot.pause()
            await pilot.pause()
    assert app.return_code == 1
    assert "ZeroDivisionError" in (isolated_user_dirs / "data" / "app-errors.log").read_text()
