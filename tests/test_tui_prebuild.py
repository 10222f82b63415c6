"""Screens built ahead while the app is idle (issue 15: a first visit as fast as a return).

Textual's compose, mount and layout of a new screen took 0.26-1.2 s of a first visit on the large plan; the app
builds each other screen in the background once the timeline is shown and nobody types (PlannerApp.prebuild_screens).
These tests pin what that relies on in Textual (a mode's screen built by `App._init_mode` without a switch stays off
the terminal, and a later `switch_mode` shows that very screen) and what the person must never notice: a frame of
another screen, focus or footer moving, keys acting late, data older than a visit would show.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

import pytest
from textual.widgets import DataTable

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from imgcoach.storage.db import Database
from imgcoach.tui.app import PlannerApp, make_app
from imgcoach.tui.registry import SCREENS
from tests.tui_helpers import SIZE, press, settle, until

OTHERS = [item.key for item in SCREENS if item.key != "timeline"]

pytestmark = pytest.mark.sqlite_only  # the UI's scheduling: the same on both engines


def prebuilding(ctx: Context) -> PlannerApp:
    app = make_app(context=ctx, cursor_blink=False, poll_seconds=0, prebuild=True)
    app.PREBUILD_QUIET = 0.05  # the test waits for no human
    return app


def all_built(app: PlannerApp) -> bool:
    return len(app.prebuilt) == len(OTHERS) and app._prebuilding is None


def where_building(app: PlannerApp) -> str:
    """What the building waits for, for a failed `all_built` (a screen's load, a worker, its tables' idle)."""
    screen: Any = app._prebuilding
    if screen is None:
        return f"built {app.prebuilt}, none under way"
    tables = [(t._require_update_dimensions, bool(t._new_rows), getattr(t, "_refit_queued", None))
              for t in screen.query(DataTable)]
    return (f"built {app.prebuilt}; {type(screen).__name__}: loads pending {screen.loads_pending}, in flight "
            f"{screen.in_flight}, mounted {screen.is_mounted}, layout {screen._layout_required}, tables {tables}, "
            f"unpainted {len(screen._unpainted or [])}; workers {[(w.name, w.state.name) for w in app.workers]}")


class Frames:
    """The screens whose frames the app hands to the terminal (Textual's App._display)."""

    def __init__(self, app: Any) -> None:
        self.screens: list[str] = []
        display = app._display

        def counted(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                self.screens.append(type(screen).__name__)
            display(screen, renderable)

        app._display = counted


async def test_headless_apps_build_nothing_ahead_unless_asked(ctx: Context) -> None:
    """Tests start the app headless: screens built behind them would race with what they check."""
    app = make_app(context=ctx, cursor_blink=False, poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.8)  # past PREBUILD_QUIET
        await settle(pilot)
        assert app.screen.data_source == "full"
        assert app.prebuilt == []
        assert sorted(key for key, stack in app._screen_stacks.items() if stack) == ["timeline"]


async def test_idle_app_builds_every_screen_without_showing_it(demo_ctx: Context,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Each other screen is composed, mounted, loaded, laid out and rendered off the terminal: every frame written is
    the timeline's, the focus and the footer's keys stay; a visit then shows that very screen (no second build) with
    no second load (its first visit is a return: a look at the data version), no table cell rendered anew and no
    footer recomposed (what made the first visits of screens built ahead 100-240 ms on the large plan)."""
    from imgcoach.tui.widgets.footer import PlannerFooter

    calls = {"cells": 0, "footers": 0}
    render_cell, recompose = DataTable._render_cell, PlannerFooter.recompose

    def counted_cell(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls["cells"] += 1
        return render_cell(self, *args, **kwargs)

    async def counted_recompose(self: Any) -> None:
        calls["footers"] += 1
        await recompose(self)

    monkeypatch.setattr(DataTable, "_render_cell", counted_cell)
    monkeypatch.setattr(PlannerFooter, "recompose", counted_recompose)
    app = prebuilding(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        frames = Frames(app)
        focused = app.focused
        footer = [str(key.render()) for key in app.screen.query("PlannerFooter FooterKey")]
        await until(pilot, lambda: all_built(app), 60)
        assert all_built(app), where_building(app)
        await settle(pilot)
        assert app.current_mode == "timeline" and type(app.screen).__name__ == "TimelineScreen"
        assert set(frames.screens) <= {"TimelineScreen"}, frames.screens
        assert app.focused is focused
        assert [str(key.render()) for key in app.screen.query("PlannerFooter FooterKey")] == footer
        built = {key: app._screen_stacks[key][0] for key in OTHERS}
        for key, screen in built.items():
            assert screen.is_mounted and not screen._layout_required, key
            assert (screen.visits, screen.loads) == (0, 1), (key, screen.visits, screen.loads)
        for item in SCREENS[1:]:
            calls.update(cells=0, footers=0)
            await press(pilot, item.binding)
            screen = app.screen
            assert screen is built[item.key], "the visit showed the screen built ahead"
            assert (screen.visits, screen.loads) == (1, 1), (item.key, screen.visits, screen.loads)
            assert calls == {"cells": 0, "footers": 0}, (item.key, calls)
            await press(pilot, "t")


async def test_keys_pressed_while_screens_are_built_act_on_the_timeline(demo_ctx: Context) -> None:
    """A key typed while a screen is being built is served by the timeline at once, and holds the next build
    back; a screen's key opens it, built or not."""
    app = prebuilding(demo_ctx)
    app.PREBUILD_STEP = 0.15  # steps far apart, so the test finds the first screen half built (the demo plan's
    # screens are built in a few steps of 0.01 s each, all of them before `settle` returns)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        timeline = app.screen
        await until(pilot, lambda: app._prebuilding is not None, 20)
        assert app._prebuilding is not None and len(app.prebuilt) == 1
        scale = timeline.query_one("TimelineView").scale
        await pilot.press("minus")  # zoom out: the timeline's key
        await pilot.pause()
        assert timeline.query_one("TimelineView").scale != scale
        assert app.screen is timeline
        await pilot.press("i")  # import, the last one built ahead (PlannerApp.prebuild_order): not built yet
        assert "import" not in app.prebuilt
        await until(pilot, lambda: app.current_mode == "import", 5)
        assert app.current_mode == "import"
        await settle(pilot)
        assert app.screen.loads == 1


async def test_a_dialog_holds_the_building_back(demo_ctx: Context) -> None:
    app = prebuilding(demo_ctx)
    app.PREBUILD_QUIET = 0.3
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")  # the help: a dialog over the timeline
        await settle(pilot)
        assert app.screen.is_modal
        before = list(app.prebuilt)
        await pilot.pause(1.0)
        assert app.prebuilt == before
        await pilot.press("escape")
        await until(pilot, lambda: len(app.prebuilt) > len(before), 20)
        assert len(app.prebuilt) > len(before)


async def test_a_screen_built_ahead_shows_a_row_written_after_it(demo_ctx: Context) -> None:
    """Another process (here another connection) adds a rotation once the Rotations screen is built: its first
    visit shows it, as a return does."""
    app = prebuilding(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: all_built(app), 60)
        await settle(pilot)
        rows = app._screen_stacks["rotations"][0].query_one(DataTable).row_count
        other = Context(db=Database(demo_ctx.db.url), clock=demo_ctx.clock, settings=demo_ctx.settings)
        try:
            add_rotation(other, kind="observership", specialty="Cardiology", institution="Written Elsewhere Hospital",
                         start_date=demo_ctx.clock.now().date(), end_date=demo_ctx.clock.now().date())
        finally:
            other.db.close()
        await press(pilot, "r")
        table = app.screen.query_one(DataTable)
        assert table.row_count == rows + 1
        assert any("Written Elsewhere" in str(cell) for key in table.rows for cell in table.get_row(key))


async def test_a_visit_to_a_screen_built_ahead_looks_as_a_first_visit(demo_ctx: Context) -> None:
    """Every screen, built ahead, looks on its first visit as it does when built by the visit (the snapshots
    are taken of screens built by the visit)."""
    shots: dict[bool, dict[str, str]] = {}
    for ahead in (False, True):
        app = prebuilding(demo_ctx) if ahead else make_app(context=demo_ctx, cursor_blink=False, poll_seconds=0)
        shots[ahead] = {}
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            if ahead:
                await until(pilot, lambda app=app: all_built(app), 60)  # type: ignore[misc]
                await settle(pilot)
            for item in SCREENS[1:]:
                await press(pilot, item.binding)
                shots[ahead][item.key] = app.export_screenshot()
                await press(pilot, "t")
    for key in OTHERS:
        same = [re.sub(r"terminal-\d+", "terminal", shots[ahead][key]).splitlines() for ahead in (False, True)]
        assert same[0] == same[1], (key, "\n".join(difflib.unified_diff(*same, lineterm="", n=0)))


async def test_nothing_is_built_ahead_during_the_first_runs_set_up(db_url: str, clock: FixedClock) -> None:
    """The first run opens on the set-up dialog: no screen is built behind it (building starts once the timeline
    has shown a plan), so the dialog and the keys typed into it wait for nothing."""
    from imgcoach.tui.widgets.form import FormScreen

    Database(db_url).close()  # migrated, nobody set up yet
    app = make_app(db=db_url, clock=clock, cursor_blink=False, poll_seconds=0, prebuild=True)
    app.PREBUILD_QUIET = 0.05
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, FormScreen) and app.screen.is_mounted, 20)
        assert isinstance(app.screen, FormScreen)
        await settle(pilot)
        await pilot.pause(1.0)
        assert app.prebuilt == []
        assert sorted(key for key, stack in app._screen_stacks.items() if stack) == ["profile"]


async def test_a_shortlist_built_ahead_leaves_its_changes_unseen_until_visited(demo_ctx: Context) -> None:
    """The Shortlist's load marks the changes it shows as seen. Built ahead, nobody had read them: they were gone
    from `imgcoach shortlist` and from a visit more than TRUST_SECONDS later (that visit's reload found none)."""
    from textual.widgets import Static

    from imgcoach.matching import changes_since_seen, current, mark_seen
    from imgcoach.plan import edit_exam, list_exams

    current(demo_ctx)
    mark_seen(demo_ctx)
    step2 = next(e for e in list_exams(demo_ctx) if e.exam == "Step 2 CK" and e.score is not None)
    edit_exam(demo_ctx, step2.id, step2.exam, step2.taken_on, score=int(step2.score) - 25, attempt=step2.attempt)
    current(demo_ctx)  # the stored run as the CLI or the daemon leaves it after the change: its changes unseen
    unseen = changes_since_seen(demo_ctx)
    assert unseen, "the demo's stored run has changes nobody has seen (else nothing to test)"
    app = prebuilding(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: all_built(app), seconds=60)
        assert all_built(app)
        assert changes_since_seen(demo_ctx) == unseen, "built ahead: still unseen"
        await press(pilot, "m")
        await settle(pilot)
        shown = str(app.screen.query_one("#shortlist-changes", Static).render())
        assert f"{len(unseen)} change{'' if len(unseen) == 1 else 's'} since you last looked" in shown, shown
        assert changes_since_seen(demo_ctx) == [], "the visit showed them: seen"


async def test_a_screens_off_screen_frame_is_rendered_a_slice_at_a_time(demo_ctx: Context,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The frame rendered and dropped for a screen built ahead (its widgets' render caches) is rendered a few
    widgets per step, the loop serving keys between two: in one step it held the loop 0.1-0.3 s on the large plan.
    With no time allowed per slice, each step renders one widget; the visit still renders no table cell anew
    (test_idle_app_builds_every_screen_without_showing_it)."""
    from textual.widget import Widget

    from imgcoach.tui.screens.base import PlannerScreen

    monkeypatch.setattr(PlannerScreen, "PAINT_SLICE", 0.0, raising=False)
    rendered = {"widgets": 0}
    per_step: dict[str, list[int]] = {}
    render_lines, lay_out = Widget.render_lines, PlannerScreen.lay_out_off_screen

    def counted_render(self: Any, crop: Any) -> Any:
        rendered["widgets"] += 1
        return render_lines(self, crop)

    def counted_step(self: Any) -> bool:
        before = rendered["widgets"]
        done = lay_out(self)
        per_step.setdefault(self.KEY, []).append(rendered["widgets"] - before)
        return done

    monkeypatch.setattr(Widget, "render_lines", counted_render)
    monkeypatch.setattr(PlannerScreen, "lay_out_off_screen", counted_step)
    app = prebuilding(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: all_built(app), 60)
        assert all_built(app), where_building(app)
    for key in OTHERS:
        painting = [n for n in per_step[key] if n]
        assert len(painting) > 1, (key, per_step[key])  # a screen's frame is several widgets: several steps
        assert max(painting) == 1, (key, per_step[key])


async def test_each_screen_built_ahead_is_frozen_before_the_next_is_built(demo_ctx: Context,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """What a screen built ahead holds is moved out of the collector's full passes once it is built, before the
    next one is begun: the collection before each freeze then walks one screen's objects. Frozen once after the
    last screen, that collection walked all nine screens' and held the loop 0.1-0.2 s on the large plan."""
    import gc

    app = prebuilding(demo_ctx)
    frozen_at: list[tuple[int, bool]] = []  # (screens begun, one of them still being built) at each freeze
    freeze = gc.freeze

    def recorded() -> None:
        frozen_at.append((len(app.prebuilt), app._prebuilding is not None))
        freeze()

    monkeypatch.setattr(gc, "freeze", recorded)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: all_built(app), 60)
        assert all_built(app), where_building(app)
        await settle(pilot)
    after_building = [begun for begun, building in frozen_at if begun and not building]
    assert after_building == list(range(1, len(OTHERS) + 1)), frozen_at


async def test_the_screens_whose_first_visit_builds_the_most_are_built_ahead_first(demo_ctx: Context) -> None:
    """Letters, Readiness, Shortlist and Rotations first (0.3-0.46 s first visits on the large plan when the visit
    builds them, the others 0.18-0.27 s), then the rest as registered: a key pressed before the building is over
    more likely finds the slow ones built. Before: in the registry's order, Letters third and Shortlist last."""
    app = prebuilding(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: all_built(app), 60)
        assert all_built(app), where_building(app)
    first = ["letters", "readiness", "shortlist", "rotations"]
    assert app.prebuilt == first + [key for key in OTHERS if key not in first]


async def test_the_building_is_paced_by_the_loop_not_by_pauses(demo_ctx: Context,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Each step of the building (a look at the screen being built, a slice of its off-screen frame) asks for the
    next one less than a frame (1/60 s) later: the loop serves the keys and frames waiting between two steps
    whatever the pause, and a key is held by a step's work, not by the pause. Before: 0.15 s between two looks,
    so the ~11 steps of each screen made the building take 16 s on the large plan, most of it waiting."""
    app = prebuilding(demo_ctx)
    delays: list[float] = []
    later = PlannerApp._prebuild_later

    def recorded(self: PlannerApp, delay: float) -> None:
        if self._prebuilding is not None:  # a screen under way (the quiet wait before each is PREBUILD_QUIET)
            delays.append(delay)
        later(self, delay)

    monkeypatch.setattr(PlannerApp, "_prebuild_later", recorded)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: all_built(app), 60)
        assert all_built(app), where_building(app)
    assert len(delays) > len(OTHERS), delays  # several steps per screen
    assert max(delays) < 1 / 60, sorted(set(delays))
