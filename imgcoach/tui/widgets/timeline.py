"""The timeline grid: one column per week, months across, moved by week or month from the keyboard."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from imgcoach.tui import render

LEAD_WEEKS = 4  # weeks shown before today when jumping to today


class TimelineView(Widget):
    """Draws only the weeks in view, so a move redraws a few hundred cells whatever the plan's size."""

    DEFAULT_CSS = "TimelineView { height: auto; }"
    start: reactive[date | None] = reactive(None)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bars: list[render.Bar] = []
        self.today: date | None = None
        self.load: dict[date, int] = {}
        self.overload = 70

    def set_plan(self, bars: list[render.Bar], today: date, load: dict[date, int], overload: int) -> None:
        first_time = self.today is None
        self.bars, self.today, self.load, self.overload = bars, today, load, overload
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

    def watch_start(self) -> None:
        self.refresh(layout=True)

    def render(self) -> Text:
        if self.today is None or self.start is None:
            return Text("Loading the plan…", style="dim")
        return render.timeline(self.bars, self.start, self.weeks, self.today, self.load, self.overload)
