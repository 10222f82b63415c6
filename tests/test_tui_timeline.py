"""The timeline grid: only the visible window is read and packed, series are one bar, the month axis
never collides, titles stay readable, and zoom / fit / resize keep the range label true."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from imgcoach.core.context import Context
from imgcoach.tui import render
from imgcoach.tui.render import Bar, BarIndex, Window
from imgcoach.tui.screens.timeline_screen import TimelineScreen
from imgcoach.tui.widgets.timeline import TimelineView
from tests.tui_helpers import app_for, press, settle

MONDAY = date(2026, 11, 30)
MONTHS = {date(2026, m, 1).strftime("%b") for m in range(1, 13)}


def text_of(lines: list) -> list[str]:
    return [line.plain for line in lines]


def hundred_thousand_events() -> list[Bar]:
    """Unrelated one-off events, one every ~40 minutes for five years: none merges into a series."""
    return [Bar(MONDAY + timedelta(days=i // 36), MONDAY + timedelta(days=i // 36), f"Event {i}", "event", False, i)
            for i in range(100_000)]


def test_a_window_reads_only_its_own_bars() -> None:
    index = {"event": BarIndex(hundred_thousand_events())}
    window = Window(MONDAY + timedelta(weeks=100), 1, 12)  # 12 days of 36 events: packed one by one
    lines = text_of(render.timeline_lines(index, window, MONDAY, {}, 70)[0])
    assert index["event"].examined == 12 * 36, "reads the window's bars, not 100,000"
    first = next(i for i, line in enumerate(lines) if line.startswith("Cal"))
    more = next(i for i, line in enumerate(lines) if line.startswith("more"))  # the rest is counted
    assert more - first == render.MAX_LANES, "a crowded day shows six lanes, not 36"


def test_a_crowded_window_is_drawn_as_counts_without_reading_a_bar() -> None:
    index = {"event": BarIndex(hundred_thousand_events())}
    window = Window(MONDAY + timedelta(weeks=100), 7, 110)  # ~27,700 events in view
    lines = text_of(render.timeline_lines(index, window, MONDAY, {}, 70)[0])
    assert index["event"].examined == 0
    calendar = next(line for line in lines if line.startswith("Cal"))
    assert set(calendar[render.GUTTER:]) <= set(render.LOAD_CHARS) and "█" in calendar


def test_long_bars_are_found_from_any_window() -> None:
    year = Bar(date(2026, 1, 1), date(2027, 12, 31), "Research year", "rotation", False, 1)
    index = BarIndex([year, Bar(date(2026, 3, 2), date(2026, 3, 3), "Course", "rotation", False, 2)])
    assert index.between(date(2027, 6, 1), date(2027, 6, 30)) == [year]


def test_a_daily_series_is_one_bar_with_its_count() -> None:
    days = [Bar(MONDAY + timedelta(days=d), MONDAY + timedelta(days=d), "Morning Report", "event", False, d)
            for d in range(60) if (MONDAY + timedelta(days=d)).weekday() < 5]
    lone = [Bar(MONDAY + timedelta(days=3), MONDAY + timedelta(days=3), "Interview: Mercy IM", "event", False, 99)]
    merged = render.merge_series(days + lone)
    series = [b for b in merged if b.label.startswith("Morning Report")]
    assert len(series) == 1 and series[0].label == f"Morning Report ×{len(days)}"
    assert series[0].start == MONDAY and series[0].end == days[-1].end
    assert [b.label for b in merged if b.ref == 99] == ["Interview: Mercy IM"]
    lines = text_of(render.timeline_lines(render.index_bars(merged), Window(MONDAY, 7, 20), MONDAY, {}, 70)[0])
    assert not any("MMM" in line for line in lines)


@pytest.mark.parametrize("scale", render.SCALES)
@pytest.mark.parametrize("cols", [20, 74, 114, 194])
def test_month_axis_labels_never_touch(scale: int, cols: int) -> None:
    for offset in range(0, 400, 23):  # many starts, across year ends
        start = render.align(date(2027, 1, 1) + timedelta(days=offset), scale)
        axis = render.axis_row(Window(start, scale, cols)).plain[render.GUTTER:]
        for word in axis.split():  # every word is one month or one year: nothing run together, no lone initial
            assert word in MONTHS or (word.isdigit() and len(word) == 4) or (
                word.startswith("’") and len(word) == 3), axis


def test_year_wins_over_month_and_keeps_a_gap() -> None:
    axis = render.axis_row(Window(date(2026, 11, 2), 7, 20)).plain
    assert "Dec" in axis and ("2027" in axis or "’27" in axis)
    assert "2027Feb" not in axis and "Dec2027" not in axis


def test_titles_run_on_instead_of_being_cut_to_the_bar() -> None:
    rotation = Bar(MONDAY, MONDAY + timedelta(weeks=4, days=-1), "Internal medicine observership", "rotation")
    line = render.lane_row("Clin", [(0, 3, rotation)], 60, None).plain
    assert "Internal medicine observership" in line


def test_touching_bars_do_not_read_as_one_word() -> None:
    a = Bar(MONDAY, MONDAY + timedelta(weeks=4, days=-1), "Step 3 20h", "study")
    b = Bar(MONDAY + timedelta(weeks=4), MONDAY + timedelta(weeks=8, days=-1), "Step 3 25h", "study")
    line = render.lane_row("Study", render.pack_lanes([a, b], Window(MONDAY, 7, 30))[0], 30, None).plain
    assert "StepStep" not in line and "▌" in line


def test_fit_shows_the_whole_plan() -> None:
    bars = [Bar(date(2026, 1, 5), date(2026, 2, 1), "A", "rotation"), Bar(date(2029, 6, 1), date(2029, 7, 1), "B", "study")]
    window = render.fit(bars, 74, date(2026, 1, 1))
    assert window.start <= date(2026, 1, 5) and window.end >= date(2029, 7, 1)
    assert window.scale == 28


async def test_zoom_fit_and_resize_keep_the_range_label_true(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        view = screen.query_one(TimelineView)

        def label() -> str:
            return str(screen.query_one("#range-label").render())

        assert view.scale == 7 and "1 week per column" in label()
        await press(pilot, "plus")
        assert view.scale == 2 and "2 days per column" in label()
        await press(pilot, "minus", "minus")
        assert view.scale == 14
        await press(pilot, "f")
        assert all(view.in_view(b) for b in view.bars if b.kind != "event")
        before = label()
        await pilot.resize_terminal(140, 32)
        await settle(pilot)
        assert label() != before and f"{view.end:%d %b %Y}" in label()


@pytest.mark.parametrize("scale", render.SCALES)
def test_the_gutter_never_shows_a_cut_scale_name(scale: int) -> None:
    shown = render.today_row(Window(MONDAY, scale, 20), MONDAY).plain[:render.GUTTER].strip()
    full = render.SCALE_NAMES[scale]
    assert shown == full or not full.startswith(shown), f"{full!r} shown as {shown!r}"  # "2 weeks" was "2 wee"


@pytest.mark.parametrize("width", [80, 63])
async def test_the_range_label_fits_its_pane_with_both_years(demo_ctx: Context, width: int) -> None:
    """At 80 columns the label was cut to "...  ·  2 days per", and at 63 to "18 Aug 2025 – 18 Jul": a
    range whose end reads as another year. Whatever the width and zoom, the end date keeps its year."""
    app = app_for(demo_ctx)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        view = screen.query_one(TimelineView)
        label = screen.query_one("#range-label")
        for keys in ([], ["plus"], ["minus", "minus", "minus"], ["f"]):
            await press(pilot, *keys)
            shown = str(label.render())
            assert len(shown) <= label.content_region.width, (keys, shown)
            assert f"{view.end:%d %b %Y}" in shown, (keys, shown)
            if width == 80:  # room for the zoom beside the range
                assert f"{render.SCALE_NAMES[view.scale]} per column" in shown, (keys, shown)
