"""Switching screens: a visit loads once; going back to a screen whose data did not change keeps what it shows
(no load); after a write, in the app or by another connection (the daemon, the CLI), going back loads and shows
the new data. Pilot, keyboard only, on the demo data (both engines)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from imgcoach import plan
from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.storage.db import Database
from imgcoach.tui.registry import SCREENS
from imgcoach.tui.widgets.timeline import TimelineView
from tests.tui_helpers import SIZE, app_for, press


@pytest.fixture(autouse=True)
def trust_the_whole_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """A return within TRUST_SECONDS of the last load keeps what it shows; on a loaded machine one round of every
    screen took longer than the 30 s, so the next return loaded again and "no load" failed. Each test here runs
    inside one trust period unless it sets its own (the trust-period test does)."""
    from imgcoach.tui.screens import base

    monkeypatch.setattr(base, "TRUST_SECONDS", 3600.0)


def loads(app: Any) -> dict[str, int]:
    """Fetches run so far, per screen created."""
    return {key: getattr(app._screen_stacks[key][0], "loads", 0) for key in app._screen_stacks
            if app._screen_stacks[key]}


async def test_a_visit_loads_once_and_an_unchanged_screen_is_not_loaded_again(demo_ctx: Context,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from imgcoach.tui.screens import outbox_screen

    # The Outbox reloads on a timer while shown (a dead daemon's "running" turns false without a write): not here.
    # (Nor does a return past the trust period: the module's autouse fixture.)
    monkeypatch.setattr(outbox_screen, "DAEMON_REFRESH_SECONDS", 3600.0)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        for item in SCREENS:
            await press(pilot, item.binding)
            assert pilot.app.current_mode == item.key
            await press(pilot, "escape")  # home (the Import screen's path field takes letters)
        first = loads(pilot.app)
        assert first == {item.key: 1 for item in SCREENS}, first
        for item in SCREENS:  # round again: nothing changed, nothing is read again
            await press(pilot, item.binding, "escape")
        assert loads(pilot.app) == first


async def test_a_write_in_the_app_makes_the_next_visit_load(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "t", "r")
        before = loads(pilot.app)
        rotation = plan.list_rotations(demo_ctx)[0]
        await press(pilot, "d", "y")  # delete the first rotation; its screen reloads after the act
        assert rotation.id not in pilot.app.screen.rotations  # type: ignore[attr-defined]
        await press(pilot, "t")
        after = loads(pilot.app)
        assert after["timeline"] == before["timeline"] + 1
        view = pilot.app.screen.query_one(TimelineView)
        shown = {bar.ref for bar in view.bars if bar.kind == "rotation"}
        assert rotation.id not in shown
        await press(pilot, "r", "t")
        assert loads(pilot.app)["timeline"] == after["timeline"], "nothing changed since: no load"


async def test_a_write_by_another_connection_makes_the_next_visit_load(demo_ctx: Context) -> None:
    other_db = Database(demo_ctx.db.url)  # another process's connection (the daemon, the CLI)
    other = Context(db=other_db, clock=demo_ctx.clock, settings=Settings())
    try:
        async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
            await press(pilot, "s", "t")
            before = loads(pilot.app)["study"]
            block = plan.add_study_block(other, exam="Step 2 CK", start_date=date(2027, 9, 6),
                                         end_date=date(2027, 9, 26), hours_per_week=20)
            await press(pilot, "s")
            assert loads(pilot.app)["study"] == before + 1
            assert block.id in pilot.app.screen.blocks  # type: ignore[attr-defined]
            await press(pilot, "t", "s")
            assert loads(pilot.app)["study"] == before + 1
    finally:
        other_db.close()


async def test_an_exam_added_by_another_connection_shows_on_return(demo_ctx: Context) -> None:
    """The change marker once watched only reminders, rotations, letters, the applicant and study blocks: an
    exam (or a person, a case, an event) written by the CLI left a returning Profile screen showing old data."""
    other_db = Database(demo_ctx.db.url)
    other = Context(db=other_db, clock=demo_ctx.clock, settings=Settings())
    try:
        async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
            await press(pilot, "p", "t")
            before = loads(pilot.app)["profile"]
            exam = plan.add_exam(other, "PLAB 1", date(2027, 8, 2))  # the demo has Step 3 booked already
            await press(pilot, "p")
            assert loads(pilot.app)["profile"] == before + 1
            assert exam.id in pilot.app.screen.exams  # type: ignore[attr-defined]
    finally:
        other_db.close()


async def test_a_return_after_the_trust_period_loads_even_with_nothing_seen_to_change(
        demo_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit in place of a table without a version column (a case's text) does not move the marker: past
    TRUST_SECONDS a return loads anyway, so what a screen shows is never older than that."""
    from imgcoach.tui.screens import base

    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "t")
        before = loads(pilot.app)["rotations"]
        await press(pilot, "r", "t")
        assert loads(pilot.app)["rotations"] == before
        monkeypatch.setattr(base, "TRUST_SECONDS", 0.0)
        await press(pilot, "r")
        assert loads(pilot.app)["rotations"] == before + 1
