"""The timeline grid: one column per week, months across, moved by week or month from the keyboard,
with a cursor on one bar (↑/↓ walk the bars in date order, Enter opens the selected one)."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from imgcoach.tui import render

LEAD_WEEKS = 4  # weeks shown before today when jumping to today


class TimelineView(Widget, can_focus=True):
    """Draws only the weeks in view, so a move redraws a few hundred cells whatever the plan's size."""

    DEFAULT_CSS = "TimelineView { height: auto; }"
    BINDINGS = [
        Binding("down,j", "cursor(1)", "Next bar", key_display="↓", id="bar-next"),
        Binding("up,k", "cursor(-1)", "Prev bar", key_display="↑", show=False, id="bar-prev"),
        Binding("enter", "open_selected", "Open", id="bar-open"),
    ]
    start: reactive[date | None] = reactive(None)
    selected: reactive[render.Bar | None] = reactive(None)

    class Opened(Message):
        """Enter on a bar: the screen shows its details."""

        def __init__(self, bar: render.Bar) -> None:
            super().__init__()
            self.bar = bar

    class Moved(Message):
        """The window or the cursor changed: the screen updates its labels."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bars: list[render.Bar] = []
        self.order: list[render.Bar] = []
        self.today: date | None = None
        self.load: dict[date, int] = {}
        self.overload = 70
        self.selected_line: int | None = None

    def set_plan(self, bars: list[render.Bar], today: date, load: dict[date, int], overload: int) -> None:
        first_time = self.today is None
        self.bars, self.today, self.load, self.overload = bars, today, load, overload
        self.order = render.bar_order(bars)
        if self.selected is not None:  # keep the cursor on the same item across reloads
            key = (self.selected.kind, self.selected.ref)
            self.selected = next((b for b in self.order if (b.kind, b.ref) == key), None)
        if first_time or self.start is None:
            self.jump_today()
        self.refresh(layout=True)

    @property
    def weeks(self) -> int:
        return render.columns(self.size.width or 80)

    @property
    def end(self) -> date | None:
        return self.start + timedelta(weeks=self.weeks) - timedelta(days=1) if self.start else None

    def jump_today(self) -> None:
        if self.today is not None:
            self.start = render.monday_of(self.today) - timedelta(weeks=LEAD_WEEKS)

    def move_weeks(self, weeks: int) -> None:
        if self.start is not None:
            self.start += timedelta(weeks=weeks)

    def move_months(self, months: int) -> None:
        """To the first week of the next (or previous) month."""
        if self.start is None:
            return
        sunday = self.start + timedelta(days=6)
        index = sunday.year * 12 + sunday.month - 1 + months
        target = date(index // 12, index % 12 + 1, 1)
        self.start = render.monday_of(target)

    def in_view(self, bar: render.Bar) -> bool:
        return self.start is not None and self.end is not None and bar.end >= self.start and bar.start <= self.end

    def action_cursor(self, step: int) -> None:
        """Next or previous bar in date order; the first move picks the first bar in view."""
        if not self.order:
            return
        if self.selected is None or self.selected not in self.order:
            visible = [b for b in self.order if self.in_view(b)]
            target = (visible[0] if step > 0 else visible[-1]) if visible else self.order[0]
        else:
            index = self.order.index(self.selected) + step
            target = self.order[max(0, min(len(self.order) - 1, index))]
        self.selected = target
        if not self.in_view(target):
            self.start = render.monday_of(target.start) - timedelta(weeks=1)

    def action_open_selected(self) -> None:
        if self.selected is not None:
            self.post_message(self.Opened(self.selected))

    def watch_start(self) -> None:
        self.refresh(layout=True)
        self.post_message(self.Moved())

    def watch_selected(self) -> None:
        self.refresh()
        self.post_message(self.Moved())
        self.call_after_refresh(self._scroll_to_selected)

    def _scroll_to_selected(self) -> None:
        if self.selected_line is not None and self.parent is not None:
            self.parent.scroll_to_region(Region(0, self.selected_line, 1, 1), animate=False)  # type: ignore[attr-defined]

    def render(self) -> Text:
        if self.today is None or self.start is None:
            return Text("Loading the plan…", style="dim")
        lines, self.selected_line = render.timeline_lines(
            self.bars, self.start, self.weeks, self.today, self.load, self.overload, self.selected)
        return Text("\n").join(lines)
