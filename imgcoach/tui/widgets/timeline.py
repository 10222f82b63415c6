"""The timeline grid: columns of a day to four weeks (zoom with + and -, f fits the plan), months
across, moved by column or month from the keyboard, with a cursor on one bar (↑/↓ walk the bars in
date order, Enter opens the selected one)."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from imgcoach.tui import render

LEAD_WEEKS = 4  # weeks shown before today when jumping to today


NOTHING_YET = "Nothing on the timeline yet: add a rotation (r), a study block (s) or import a calendar (i)"


class TimelineView(Widget, can_focus=True):
    """Draws only the window in view: bars are looked up by date (an index), so a move costs the
    bars on screen, not the plan's size."""

    DEFAULT_CSS = "TimelineView { height: auto; }"
    BINDINGS = [
        Binding("down", "cursor(1)", "Next bar", key_display="↓", id="bar-next"),
        Binding("up", "cursor(-1)", "Previous bar", key_display="↑", show=False, id="bar-prev"),
        Binding("enter", "open_selected", "Details", id="bar-open"),
    ]
    start: reactive[date | None] = reactive(None)
    scale: reactive[int] = reactive(render.DEFAULT_SCALE)
    selected: reactive[render.Bar | None] = reactive(None)

    class Opened(Message):
        """Enter on a bar: the screen shows its details."""

        def __init__(self, bar: render.Bar) -> None:
            super().__init__()
            self.bar = bar

    class Moved(Message):
        """The window, the zoom or the cursor changed: the screen updates its labels."""

    class NeedEvents(Message):
        """The window nears (or left) the days whose imported events were read: read these days."""

        def __init__(self, first: date, last: date) -> None:
            super().__init__()
            self.first, self.last = first, last

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bars: list[render.Bar] = []
        self.index: dict[str, render.BarIndex] = {}
        self.order: list[render.Bar] = []
        self.position: dict[render.Bar, int] = {}
        self.today: date | None = None
        self.load: dict[date, int] = {}
        self.overload = 70
        self.selected_line: int | None = None
        self.events: render.EventSlice | None = None  # the days whose imported events were read
        self.asked: tuple[date, date] | None = None  # the days last asked for (NeedEvents)

    def set_plan(self, bars: list[render.Bar], today: date, load: dict[date, int], overload: int,
                 events: render.EventSlice | None = None) -> None:
        first_time = self.today is None
        self.bars, self.today, self.load, self.overload = bars, today, load, overload
        self.events, self.asked = events, None
        self._index_bars()
        if first_time or self.start is None:
            self.jump_today()
        self.refresh(layout=True)

    def set_events(self, bars: list[render.Bar], events: render.EventSlice) -> None:
        """Imported events of other days, read as the window moved: they replace the ones held."""
        self.bars = [b for b in self.bars if b.kind != "event"] + bars
        self.events, self.asked = events, None
        self._index_bars()
        self.refresh(layout=True)

    def wanted_days(self, window: render.Window) -> tuple[date, date]:
        """The days to read for a window: itself and half a window either side, so moving stays in what is read."""
        pad = timedelta(days=window.cols * window.scale // 2 + 1)
        first = window.start - pad if window.start - date.min > pad else date.min
        last = window.end + pad if date.max - window.end > pad else date.max
        return first, last

    def _check_events(self, window: render.Window) -> None:
        """Ask for the days around the window when it comes within a quarter window of the read days' edge."""
        if self.events is None:
            return
        near = timedelta(days=window.cols * window.scale // 4)
        if self.events.first <= window.start - near and window.end + near <= self.events.last:
            return
        wanted = self.wanted_days(window)
        if self.asked is not None and self.asked[0] <= window.start and window.end <= self.asked[1]:
            return  # already asked for days that hold this window
        self.asked = wanted
        self.post_message(self.NeedEvents(*wanted))

    def _index_bars(self) -> None:
        bars = self.bars
        self.index = render.index_bars(bars)
        self.order = render.bar_order(bars)
        self.position = {bar: i for i, bar in enumerate(self.order)}
        if self.selected is not None:  # keep the cursor on the same item across reloads
            key = (self.selected.kind, self.selected.ref)
            self.selected = next((b for b in self.order if (b.kind, b.ref) == key), None)

    _measured_width: int | None = None  # get_content_height's width while it renders to measure the height

    @property
    def cols(self) -> int:
        return render.columns(self._measured_width or self.size.width or 80)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The height of the grid drawn for `width`, the width the layout asks about. It was drawn for the widget's
        size, not laid out yet at the first layout (0: 80 columns assumed), then for its width before a scrollbar
        took two of it: three renders of the grid at three widths before the first frame, two of them thrown away."""
        self._measured_width = width
        try:
            return super().get_content_height(container, viewport, width)
        finally:
            self._measured_width = None

    @property
    def window(self) -> render.Window | None:
        return render.Window(self.start, self.scale, self.cols) if self.start else None

    @property
    def end(self) -> date | None:
        return self.window.end if self.window else None

    def jump_today(self) -> None:
        if self.today is not None:
            lead = timedelta(days=max(self.scale, 7) * LEAD_WEEKS // (1 if self.scale >= 7 else 4))
            self.start = render.align(self.today - lead, self.scale)

    def move_columns(self, columns: int) -> None:
        if self.start is not None:
            self.start += timedelta(days=columns * self.scale)

    def move_weeks(self, weeks: int) -> None:
        """One step of the arrow keys: a week, or a column when a column is longer than that."""
        if self.start is not None:
            self.start += timedelta(days=weeks * max(7, self.scale))

    def move_months(self, months: int) -> None:
        """To the first column of the next (or previous) month."""
        if self.start is None:
            return
        middle = self.start + timedelta(days=min(6, self.scale * 2))
        index = middle.year * 12 + middle.month - 1 + months
        self.start = render.align(date(index // 12, index % 12 + 1, 1), self.scale)

    def zoom(self, step: int) -> None:
        """Fewer (step > 0) or more days per column, keeping the middle of the view in place."""
        at = render.SCALES.index(self.scale) if self.scale in render.SCALES else 2
        scale = render.SCALES[max(0, min(len(render.SCALES) - 1, at - step))]
        if scale == self.scale or self.start is None:
            return
        focus = (self.selected.start if self.selected is not None and self.in_view(self.selected)
                 else self.start + timedelta(days=self.cols * self.scale // 2))
        self.scale = scale
        self.start = render.align(focus - timedelta(days=self.cols * scale // 2), scale)

    def fit_plan(self) -> None:
        if self.today is None:
            return
        window = render.fit(self.bars, self.cols, self.today)
        self.scale, self.start = window.scale, window.start

    def in_view(self, bar: render.Bar) -> bool:
        end = self.end
        return self.start is not None and end is not None and bar.end >= self.start and bar.start <= end

    def action_cursor(self, step: int) -> None:
        """Next or previous bar in date order; the first move picks the first bar in view."""
        if not self.order:
            # "↓ Next bar" is in the footer of a new plan too: it did nothing at all where Enter beside it said why
            self.notify(NOTHING_YET)
            return
        if self.selected is None or self.selected not in self.position:
            visible = sorted((b for idx in self.index.values() for b in idx.between(self.start, self.end))
                             if self.start and self.end else [], key=lambda b: self.position.get(b, 0))
            target = (visible[0] if step > 0 else visible[-1]) if visible else self.order[0]
        else:
            index = self.position[self.selected] + step
            target = self.order[max(0, min(len(self.order) - 1, index))]
        self.selected = target
        if not self.in_view(target):
            self.start = render.align(target.start - timedelta(days=max(7, self.scale)), self.scale)

    def action_open_selected(self) -> None:
        """The footer offers "⏎ Details" from the start: with no bar picked yet, Enter did nothing at all. It now
        picks the first bar in view, as ↓ does, and shows it (the line under the grid names the bar shown)."""
        if self.selected is None or self.selected not in self.position:
            self.action_cursor(1)  # on an empty plan it says NOTHING_YET
        if self.selected is not None:
            self.post_message(self.Opened(self.selected))

    def watch_start(self) -> None:
        self.refresh(layout=True)
        self.post_message(self.Moved())

    def watch_scale(self) -> None:
        self.refresh(layout=True)
        self.post_message(self.Moved())

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Moved())  # the range label follows the new width

    def watch_selected(self) -> None:
        self.refresh()
        self.post_message(self.Moved())
        self.call_after_refresh(self._scroll_to_selected)

    def _scroll_to_selected(self) -> None:
        if self.selected_line is not None and self.parent is not None:
            self.parent.scroll_to_region(Region(0, self.selected_line, 1, 1), animate=False)  # type: ignore[attr-defined]

    def render(self) -> Text:
        window = self.window
        if self.today is None or window is None:
            return Text("Loading the plan…", style="dim")
        self._check_events(window)
        lines, self.selected_line = render.timeline_lines(
            self.index, window, self.today, self.load, self.overload, self.selected, self.events)
        return Text("\n").join(lines)
