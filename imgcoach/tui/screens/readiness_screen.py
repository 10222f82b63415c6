"""Readiness: each check with its status, the evidence from the database and the dated next action."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from imgcoach.reminders import rotation_kind_label
from imgcoach.tui import dates
from imgcoach.tui.screens.base import PlannerScreen
from imgcoach.tui.widgets.detail_pane import DetailPane
from imgcoach.tui.widgets.dialogs import DetailsScreen
from imgcoach.tui.widgets.form import FormField
from imgcoach.tui.widgets.table import DetailsTable

if TYPE_CHECKING:
    from imgcoach.core.context import Context

COLOUR = {"met": "bold green", "at_risk": "bold yellow", "missing": "bold red"}
GAUGE_WIDTH = 36


def badge(status: str) -> Text:
    """The status in its colour, with a mark that still reads without colour."""
    from imgcoach.coach import readiness_label  # loaded by then: the screen's load ran the checks

    mark = {"met": "✓", "at_risk": "!", "missing": "✗"}[status]
    word = readiness_label(status)
    return Text(f"{mark} {word.upper() if status == 'missing' else word}", style=COLOUR[status])


def gauge(done: float, planned: float, low: float, high: float, width: int = GAUGE_WIDTH) -> Text:
    """Months done (solid) and planned (shaded) against the target range (the ┃ marks) on one line."""
    scale = max(high * 1.25, done + planned) / width
    cells = []
    for i in range(width):
        middle = (i + 0.5) * scale
        cells.append("█" if middle <= done else "▒" if middle <= done + planned else "·")
    text = Text()
    for i, cell in enumerate(cells):
        edge = any(int(mark / scale) == i for mark in (low, high))
        colour = "green" if cell == "█" else "cyan" if cell == "▒" else "dim"
        text.append("┃" if edge and cell == "·" else cell, style="bold" if edge and cell == "·" else colour)
    # The figures as the check's evidence prints them (whole weeks of 4 a month: 0.75, not a rounded 0.8).
    text.append(f"  {done:g} done + {planned:g} planned of {low:g}-{high:g} months", style="bold")
    return text


def check_text(check: Any) -> Text:
    """A check's status, its gauge, its whole evidence, the next action and the source: the pane and Enter's dialog."""
    text = Text.assemble((f"{check.title}: ", "bold"), badge(check.status.value), "\n")
    if check.gauge is not None:
        text.append_text(gauge(*check.gauge))
        text.append("\n")
    text.append("\n".join(check.evidence))
    if check.action:
        text.append(f"\nNext: {check.action.text} ({check.action.when(dates.day)})", style="bold")
    if check.source:  # as `readiness --sources`: the figures above are cited, most of them rules of thumb
        text.append(f"\n\nSource: {check.source}", style="dim")
    return text


# Where each check (its key up to ":") is acted on: the dialog's key (a screen's, or the feedback form's) and its words.
FIXED_ON = {
    "usce_months": ("rotations", "r opens Rotations, where clinical experience is added and edited"),
    "recency": ("rotations", "r opens Rotations, where clinical experience is added and edited"),
    "specialty": ("rotations", "r opens Rotations, where clinical experience is added and edited"),
    "letters": ("letters", "l opens Letters, where letter requests are planned and moved on"),
    "feedback": ("feedback", "a adds the feedback received on a rotation"),
    "graduation": ("profile", "p opens the Profile, where the graduation year is set (e)"),
    "exam": ("profile", "p opens the Profile, where exam dates and scores are recorded"),
    "visa": ("profile", "p opens the Profile, where the visa you need is set (e)"),
}


class CheckDetailsScreen(DetailsScreen):
    """Enter on a check: its whole evidence, with the key that goes where it is fixed (the screens' own letters)."""

    BINDINGS = [
        Binding("r", "choose('rotations')", "Rotations", id="check-rotations"),
        Binding("l", "choose('letters')", "Letters", id="check-letters"),
        Binding("p", "choose('profile')", "Profile", id="check-profile"),
        Binding("a", "choose('feedback')", "Add feedback", id="check-feedback"),
    ]


class ReadinessScreen(PlannerScreen):
    KEY: ClassVar[str] = "readiness"
    WARM = ("imgcoach.coach:readiness_and_rotations",)
    CSS_PATH = "readiness_screen.tcss"
    BINDINGS = [Binding("a", "record_feedback", "Add feedback", id="readiness-feedback")]  # a: Add, as on every screen

    def __init__(self) -> None:
        super().__init__()
        self._checks: list[Any] = []
        self._rotations: list[Any] = []  # for the feedback form's choice
        self._today: Any = None

    def body(self) -> ComposeResult:
        yield Static("Loading readiness...", id="readiness-summary", markup=False)  # "[coach] match_year" is text
        yield DetailsTable(id="readiness-table", cursor_type="row", zebra_stripes=True)
        with DetailPane(id="readiness-detail-pane"):  # long evidence scrolls (Tab, then the arrow keys), never cut
            yield Static("", id="readiness-detail")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Status", "Check", "Next action")  # each day says "by" or "from": not all are deadlines
        # no load here: the screen's resume loads it (once a visit)

    def fetch(self, ctx: Context) -> Any:
        from imgcoach.coach import readiness_and_rotations

        # One read: the report and the feedback form's rotations (read a second time before, issue 15).
        return readiness_and_rotations(ctx, words=dates.WORDS)

    def show(self, data: Any) -> None:
        report, self._rotations = data
        self._today = report.today
        season = report.season
        # A year the config file sets is said so (the shortlist says it too); the next season's is what the
        # submission date beside it shows, and the line stays one line at 80 columns.
        configured = f" ({report.match_year_reason})" if report.match_year_reason.startswith("set in") else ""
        self.query_one("#readiness-summary", Static).update(
            f"Match {season.match_year}{configured} - submission {dates.day(season.submission)}"
            f"{' (estimated)' if season.estimated else ''}: "
            f"{report.counts_text()}"
        )
        table = self.query_one(DetailsTable)
        selected = table.cursor_key()
        table.clear()
        self._checks = list(report.checks)
        for check in self._checks:
            due = check.action.when(dates.day) if check.action else ""
            table.add_row(badge(check.status.value), check.title, due, key=check.key)
        # A reload (the poll saw the daemon or the CLI write) keeps the check being read: it went back to the first
        # row, so the detail of "Mid-rotation feedback" just recorded elsewhere gave way to another check's.
        if selected is not None and table.move_to_key(selected):
            self._detail(table.cursor_row)
        elif self._checks:
            self._detail(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, index: int) -> None:
        if not 0 <= index < len(self._checks):
            return
        check = self._checks[index]
        self.draw_detail_once(check, lambda: self._draw_detail(check))
        self.query_one(DetailPane).scroll_home(animate=False)  # another check's evidence, from its top

    def _draw_detail(self, check: Any) -> None:
        self.query_one(DetailPane).show_first_lines(self.query_one("#readiness-detail", Static), check_text(check))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a check: its whole evidence and source in a dialog, with the key that goes where it is fixed."""
        index = event.cursor_row
        if not 0 <= index < len(self._checks):
            return
        check = self._checks[index]
        fix = FIXED_ON.get(check.key.split(":", 1)[0])
        text = check_text(check)
        if fix is not None:
            text.append(f"\n\n{fix[1]}", style="dim")
        self.app.push_screen(CheckDetailsScreen(check.title, text, frozenset({fix[0]} if fix else ()),
                                                self._details_key))

    def _details_key(self, name: str) -> None:
        if name == "feedback":
            self.action_record_feedback()
        else:
            self.app.switch_mode(name)

    def action_record_feedback(self) -> None:
        """The feedback received on a rotation: readiness counts mid-rotation feedback as met only once written."""
        from imgcoach.coach import record_feedback

        today = self._today
        started = [r for r in self._rotations if today is None or r.start_date <= today]
        if not started:
            self.notify("No rotation has started yet: feedback comes once one has", severity="warning")
            return
        current = max(started, key=lambda r: r.start_date)
        fields = [
            FormField("rotation_id", "Rotation", "choice", tuple(
                (f"{r.specialty} {rotation_kind_label(r.kind)}, {r.institution} ({dates.day_range(r.start_date, r.end_date)})",
                 r.id)
                for r in started)),
            FormField("week_of", "Week of", "date", placeholder="YYYY-MM-DD: any day of that week", required=True),
            FormField("feedback", "Feedback received", required=True, placeholder="What you were told"),
            FormField("change_after_feedback", "What you changed", placeholder="What you did differently after"),
        ]
        week = min(today, current.end_date) if today else current.end_date
        self.open_form(
            "Record feedback", fields, {"rotation_id": current.id, "week_of": week},
            lambda ctx, v: record_feedback(ctx, v["rotation_id"], v["week_of"], v.get("feedback") or "",
                                           v.get("change_after_feedback") or ""),
            then=self._feedback_recorded,
        )

    def _feedback_recorded(self, entry: Any) -> None:
        self.notify(f"Feedback recorded for the week of {dates.day(entry.week_of)}")
        self.reload()
