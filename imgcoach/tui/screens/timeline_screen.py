"""Home: months across with rotations and study blocks as bars, today marked, what is due next beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from imgcoach.tui import render
from imgcoach.tui.screens.base import PlannerScreen
from imgcoach.tui.widgets.timeline import TimelineView

NEXT_ITEMS = 10
PANEL = 28  # side panel text width (30 minus padding)


@dataclass
class TimelineData:
    bars: list[render.Bar]
    today: date
    load: dict[date, int]
    overload: int
    conflicts: list[Any]
    upcoming: list[tuple[str, str, str]]  # when (local), what, detail
    name: str
    has_profile: bool = True
    notes: list[str] = field(default_factory=list)


class TimelineScreen(PlannerScreen):
    KEY = "timeline"
    TITLE_TEXT = "Timeline"
    CSS_PATH = "timeline_screen.tcss"
    BINDINGS = [
        Binding("q", "app.quit", "Quit", id="quit"),
        Binding("left", "week(-1)", "Week", key_display="←", id="week-back"),
        Binding("right", "week(1)", "Week", key_display="→", id="week-forward"),
        Binding("left_square_bracket,pageup", "month(-1)", "Month", key_display="[", id="month-back"),
        Binding("right_square_bracket,pagedown", "month(1)", "Month", key_display="]", id="month-forward"),
        Binding("full_stop,home", "today", "Today", key_display=".", id="today"),
    ]

    def body(self) -> ComposeResult:
        with Horizontal(id="home-body"):
            with Vertical(id="timeline-pane"):
                yield Static("", id="range-label")
                with VerticalScroll(id="timeline-scroll"):
                    yield TimelineView(id="timeline")
                yield Static("", id="conflicts")
                yield Static(render.legend(), id="legend")
            with Vertical(id="side-panel"):
                yield Static("Next up", classes="panel-title")
                yield Static("", id="next-list")

    def fetch(self, ctx: Any) -> TimelineData | None:
        from zoneinfo import ZoneInfo

        from imgcoach.rules.load import OVERLOAD_HOURS
        from imgcoach.services.plan import load_plan

        plan = load_plan(ctx)
        if plan.applicant is None:
            return None
        tz = ZoneInfo(plan.applicant.timezone)
        clashing = {("rotation", c.first_id) for c in plan.conflicts if c.kind == "rotation_overlap"}
        clashing |= {("rotation", c.second_id) for c in plan.conflicts}
        clashing |= {("study", c.first_id) for c in plan.conflicts if c.kind == "study_over_full_time"}
        bars = [render.Bar(r.start_date, r.end_date, f"{r.specialty} {r.kind.replace('_', ' ')}", "rotation",
                           ("rotation", r.id) in clashing, r.id) for r in plan.rotations]
        bars += [render.Bar(b.start_date, b.end_date, f"{b.exam} {b.hours_per_week}h", "study",
                            ("study", b.id) in clashing, b.id) for b in plan.study_blocks]
        upcoming: list[tuple[Any, str, str, str]] = []
        institutions = {r.id: r.institution for r in plan.rotations}
        now = ctx.clock.now()
        for reminder in plan.upcoming(NEXT_ITEMS):
            moment = reminder.due_at.astimezone(tz)
            flag = " (failed)" if reminder.status == "failed" else " (overdue)" if reminder.due_at < now else ""
            upcoming.append((moment.date(), moment.strftime("%d %b"), render.reminder_label(reminder.kind) + flag,
                             institutions.get(reminder.rotation_id, "")))
        for letter in plan.letters:
            if letter.due_on and letter.due_on >= plan.today and letter.status in ("planned", "requested", "agreed"):
                writer = plan.contacts.get(letter.writer_id)
                upcoming.append((letter.due_on, f"{letter.due_on:%d %b}", "Letter due",
                                 writer.name if writer else ""))
        for exam in plan.exams:
            if exam.taken_on >= plan.today and exam.score is None and exam.result is None:
                upcoming.append((exam.taken_on, f"{exam.taken_on:%d %b}", f"Exam: {exam.exam}", ""))
        upcoming.sort(key=lambda item: item[0])
        return TimelineData(
            bars, plan.today, {w.week_start: w.total for w in plan.load}, OVERLOAD_HOURS, plan.conflicts,
            [item[1:] for item in upcoming[:NEXT_ITEMS]], plan.applicant.name,
        )

    def show(self, data: TimelineData | None) -> None:
        if data is None:
            self.app.start_setup()  # type: ignore[attr-defined]
            return
        view = self.query_one(TimelineView)
        view.set_plan(data.bars, data.today, data.load, data.overload)
        self._show_range()
        conflicts = Text()
        for conflict in data.conflicts[:3]:
            conflicts.append(f"! {conflict.message}\n", style="bold red")
        if len(data.conflicts) > 3:
            conflicts.append(f"! … and {len(data.conflicts) - 3} more conflicts\n", style="bold red")
        conflicts.rstrip()
        self.query_one("#conflicts", Static).update(conflicts)
        side = Text()
        for when, what, detail in data.upcoming:
            side.append(f"{when} ", style="bold").append(f"{render.clip(what, PANEL - 7)}\n")
            if detail:
                side.append(f"       {render.clip(detail, PANEL - 7)}\n", style="dim")
        if not data.upcoming:
            side.append("Nothing due. Add a rotation (r) or a study plan (s).", style="dim")
        self.query_one("#next-list", Static).update(side)

    def _show_range(self) -> None:
        view = self.query_one(TimelineView)
        if view.start and view.end:
            self.query_one("#range-label", Static).update(
                Text.assemble(("Timeline ", "bold"), f"{view.start:%d %b %Y} – {view.end:%d %b %Y}")
            )

    def action_week(self, step: int) -> None:
        self.query_one(TimelineView).move_weeks(step)
        self._show_range()

    def action_month(self, step: int) -> None:
        self.query_one(TimelineView).move_months(step)
        self._show_range()

    def action_today(self) -> None:
        self.query_one(TimelineView).jump_today()
        self._show_range()
