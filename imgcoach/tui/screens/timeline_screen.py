"""Home: months across with rotations, study blocks and imported calendar events as bars, today marked,
what is due next beside it, and a cursor on one bar (Enter shows its details).

The first frame with data comes from the storage quick read (stdlib sqlite3, no SQLAlchemy);
the full snapshot from the services replaces it a moment later.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from imgcoach.tui import dates, render
from imgcoach.tui.screens.base import PlannerScreen
from imgcoach.tui.timeline_model import NextItem, TimelineData, build_timeline
from imgcoach.tui.widgets.timeline import LEAD_WEEKS, TimelineView
from imgcoach.tui.wrap import keep_indent

if TYPE_CHECKING:
    from imgcoach.core.context import Context

ZOOM = Binding.Group("Zoom")
# The side panel's narrowest (timeline_screen.tcss: min-width) and the timeline pane's padding: the grid is
# at most this much narrower than the window, so a width guessed from it is at least the grid's.
BESIDE_GRID = 30 + 2


class RangeLabel(Static):
    """The longest of its texts that fits its width, chosen at each render so it follows a resize: the
    terminal cut the one long text at the pane's edge ("18 Aug 2025 – 18 Jul", "2 days per"), which reads
    as another date or hides the zoom."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.texts: tuple[Text, ...] = ()

    def show(self, *texts: Text) -> None:
        self.texts = texts
        self.refresh()

    def render(self) -> Any:
        width = self.content_region.width
        if not self.texts:
            return super().render()
        return next((text for text in self.texts if text.cell_len <= width), self.texts[-1])


class Legend(Static):
    """The colours' key, made for its width at each render (render.legend), as RangeLabel is."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._events = False

    @property
    def events(self) -> bool:
        return self._events

    @events.setter
    def events(self, shown: bool) -> None:
        """Calendar events are on the timeline: their colour joins the key."""
        self._events = shown
        self.refresh()

    def render(self) -> Any:
        return render.legend(self._events, self.content_region.width or None)


class NextUpList(OptionList):
    """ "Next up": a Tab stop, ↑↓ between items, Enter opens the item as its own screen shows it. A line wraps
    within the panel, under its text (the panel grows with the window): it was cut at a fixed 19 characters."""

    BINDINGS = [Binding("enter", "select", "Open", id="next-open", tooltip="open the Next-up item")]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items: list[NextItem] = []

    def show_items(self, items: list[NextItem]) -> None:
        keep = self.highlighted
        self.items = items
        self.clear_options()
        year = None
        for index, item in enumerate(items):
            # "25 Nov" under a "2026" heading: short, and the year is never left to guess.
            if item.day is not None and item.day.year != year:
                year = item.day.year
                self.add_option(Option(Text(f"{year}", style="underline"), disabled=True))
            when = dates.day_in_year(item.day) if item.day is not None else ""  # "!": not sent, before the list
            line = Text()
            line.append(f"{when:<6} " if item.day is not None else "! ", style="bold").append(item.what)
            if item.detail:
                line.append(f"\n{'':7}{item.detail}", style="dim")
            self.add_option(Option(keep_indent(line, hang=7), id=f"next-{index}"))
        if not items:
            self.add_option(Option(Text("Nothing due. Add a rotation (r) or a study plan (s).", style="dim"),
                                   disabled=True))
        elif keep is not None and keep < self.option_count and not self.get_option_at_index(keep).disabled:
            self.highlighted = keep
        else:
            self.highlighted = next(i for i in range(self.option_count) if not self.get_option_at_index(i).disabled)

    def text(self) -> str:
        """What the panel lists, as plain text (for tests and the help)."""
        from imgcoach.tui.help import plain

        return "\n".join(plain(self.get_option_at_index(i).prompt, width=200).rstrip() for i in range(self.option_count))

    def chosen(self, option_id: str | None) -> NextItem | None:
        if option_id is None or not option_id.startswith("next-"):
            return None
        return self.items[int(option_id.removeprefix("next-"))]


class TimelineScreen(PlannerScreen["TimelineData | None"]):
    KEY = "timeline"
    TITLE_TEXT = "Timeline"
    CSS_PATH = "timeline_screen.tcss"
    BINDINGS = [
        Binding("escape", "app.go_home", "Home", show=False, id="go-home"),  # already home
        Binding("left", "week(-1)", "Previous week", key_display="←", show=False, id="week-back"),
        Binding("right", "week(1)", "Next week", key_display="→", show=False, id="week-forward"),
        Binding("left_square_bracket,pageup", "month(-1)", "Previous month", key_display="[", show=False,
                id="month-back"),
        Binding("right_square_bracket,pagedown", "month(1)", "Next month", key_display="]", show=False,
                id="month-forward"),
        Binding("plus,equals_sign", "zoom(1)", "Zoom in", key_display="+", group=ZOOM, id="zoom-in"),
        Binding("minus", "zoom(-1)", "Zoom out", key_display="-", group=ZOOM, id="zoom-out"),
        Binding("f", "fit", "Fit plan", id="zoom-fit"),
        Binding("d", "delete_event", "Delete event", id="timeline-delete-event"),  # shown on imported events only
        Binding("full_stop,home", "today", "Today", key_display=".", show=False, id="today"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data_source = ""  # what the shown data came from: "quick" (storage quick read) or "full"
        self.shown_from: list[str] = []  # every show in order, for tests and the benchmark
        self.has_events = False
        self.quick_started = False
        self.days: tuple[date, date] | None = None  # the days whose imported events the next load reads
        self.timezone = "UTC"  # the applicant's, for events read later (set by show)

    def body(self) -> ComposeResult:
        with Horizontal(id="home-body"):
            with Vertical(id="timeline-pane"):
                yield RangeLabel("", id="range-label")
                with Vertical(id="timeline-scroll"):  # scrolls by CSS, no key bindings of its own
                    yield TimelineView(id="timeline")
                yield Static("", id="selection")
                yield Static("", id="conflicts")
                yield Legend(id="legend")
            with Vertical(id="side-panel"):
                yield Static("Next up", classes="panel-title")
                yield NextUpList(id="next-list")

    def on_mount(self) -> None:
        self.query_one(TimelineView).focus()
        self._quick_before_paint()

    def _quick_before_paint(self) -> None:
        """A local SQLite file is read here, before the first frame (the read and the timeline's rules take
        tens of ms): the first frame painted shows the plan, not an empty grid painted and then painted again
        (about 0.1 s more on the large plan). A server, whose connect may wait, is read by the worker after
        the first frame (reload)."""
        if self.quick_started or not self.planner.quick_read_is_local():
            return
        self.quick_started = True
        self.days = self.event_days()
        data = self._quick_data()
        self.data_source = "quick"
        if data is not None:
            self.show(data, source="quick")

    # --- loading: the quick read first (before the database stack is imported), then the services --

    def event_days(self) -> tuple[date, date]:
        """The days whose imported events a load reads: the window in view and half a window either side;
        before the first paint, the window jump_today will show and two weeks either side, so the first
        frame reads little (the rest follows once it is on screen)."""
        view = self.query_one(TimelineView)
        window = view.window
        if window is not None:
            return view.wanted_days(window)
        today = self.planner.now().date()
        start = render.align(today - timedelta(days=7 * LEAD_WEEKS), render.DEFAULT_SCALE)
        # At least the grid's width: a narrower guess would show "reading" until the next read.
        window = render.Window(start, render.DEFAULT_SCALE, render.columns((self.app.size.width or 80) - BESIDE_GRID))
        pad = timedelta(days=15)  # also covers the day the applicant's time zone is away from UTC
        return window.start - pad, window.end + pad

    def reload(self) -> None:
        self.days = self.event_days()
        if self.quick_started or getattr(self.app, "context", None) is not None:
            super().reload()
            return
        self.quick_started = True
        self.loads_pending += 1
        self.run_worker(self._quick_load, thread=True, group="load", name="load-timeline-quick")

    def _quick_data(self) -> TimelineData | None:
        quick = self.planner.quick_plan(events=self.days)
        return build_timeline(quick, self.planner.now()) if quick is not None else None

    def _quick_load(self) -> None:
        self.app.call_from_thread(self._quick_shown, self._quick_data())

    def _quick_shown(self, data: TimelineData | None) -> None:
        if not self.still_shown():
            self.loads_pending -= 1
            return
        self.data_source = "quick"
        if data is not None:
            self.show(data, source="quick")
        # The full load starts once the quick frame is on screen: its imports hold the GIL for ~0.6 s.
        self.planner.after_painted(self._after_quick)

    def _after_quick(self) -> None:
        self.loads_pending -= 1
        if not self.still_shown():
            return
        self.days = self.event_days()  # the window is on screen now: the full load reads around it
        super().reload()

    def fetch(self, ctx: Context) -> TimelineData | None:
        from imgcoach.plan import read_plan_rows

        plan = read_plan_rows(ctx, events=self.days)  # build_timeline finds the conflicts, in the app's date words
        return build_timeline(plan, ctx.clock.now()) if plan is not None else None

    @on(TimelineView.NeedEvents)
    def _read_events(self, message: TimelineView.NeedEvents) -> None:
        """The window moved near the edge of the days read: read the days around it, off the UI thread."""
        if getattr(self.app, "context", None) is None:
            return  # the first full load is on its way and reads the days around the window then
        first, last, zone = message.first, message.last, self.timezone

        def work(ctx: Context) -> Any:
            from zoneinfo import ZoneInfo

            from imgcoach.plan import calendar_range
            from imgcoach.tui.timeline_model import event_slice

            return event_slice(calendar_range(ctx, first, last), ZoneInfo(zone))

        def done(result: tuple[list[render.Bar], render.EventSlice | None]) -> None:
            bars, events = result
            view = self.query_one(TimelineView)
            if events is not None and (view.asked == (first, last) or (view.window and events.covers(view.window))):
                view.set_events(bars, events)
                self._show_legend(any(bar.kind == "event" for bar in view.bars) or bool(events.counts))

        self.act(work, done, reload=False)

    def show(self, data: TimelineData | None, source: str = "full") -> None:
        if data is None:
            self.planner.start_setup()
            return
        self.data_source = source
        self.shown_from.append(source)
        if source == "full":  # the start-up's work is done: what other screens' first visits import loads now,
            self.planner.after_next_frame(self.planner.warm_screens)  # once this snapshot's frame is written
            self.planner.after_next_frame(self.planner.prebuild_screens)  # then they are built while idle
        view = self.query_one(TimelineView)
        self.timezone = data.timezone
        view.set_plan(data.bars, data.today, data.load, data.overload, data.events)
        self._show_legend(any(bar.kind == "event" for bar in data.bars) or bool(data.events and data.events.counts))
        self._show_range()
        conflicts = Text()
        # Clashes, then blocks that no longer fit an exam: two are written, the rest counted (the large plan's 1,056
        # messages were all written for two, 3-6 ms of the first paint).
        said = [c.message for c in data.conflicts[:2]] + data.notes[:2]
        rest = len(data.conflicts) + len(data.notes) - 2
        for message in said[:2]:
            conflicts.append(f"! {message}\n", style="bold red")
        if rest > 0:
            clashes = max(0, len(data.conflicts) - 2)  # of the rest, how many are clashes (they come first)
            more = ("conflicts" if clashes == rest else "study blocks that no longer fit their exam"
                    if clashes == 0 else "conflicts and study blocks that no longer fit their exam")
            conflicts.append(f"! … and {rest} more {more}\n", style="bold red")
        conflicts.rstrip()
        self.query_one("#conflicts", Static).update(conflicts)
        self.query_one(NextUpList).show_items(data.upcoming)

    def _show_legend(self, events: bool) -> None:
        if events != self.has_events:
            self.has_events = events
            self.query_one(Legend).events = events

    def _show_range(self) -> None:
        view = self.query_one(TimelineView)
        if view.start and view.end:
            days, scale = dates.day_range(view.start, view.end), render.SCALE_NAMES[view.scale]
            self.query_one("#range-label", RangeLabel).show(
                Text.assemble(("Timeline ", "bold"), days, (f"  ·  {scale} per column", "dim")),
                Text.assemble(days, (f"  ·  {scale} per column", "dim")),
                Text.assemble(days, (f" · {scale}/column", "dim")),
                Text(days))
        selection = Text(no_wrap=True, overflow="ellipsis")
        if view.selected is not None:
            selection.append("▶ ", style="bold").append(render.describe(view.selected))
        elif view.order:
            selection.append("↓/↑ select a bar, Enter shows it · Tab: Next up", style="dim")
        self.query_one("#selection", Static).update(selection)

    @on(TimelineView.Moved)
    def _moved(self) -> None:
        self._show_range()
        self.refresh_bindings()  # "d Delete event" is live only on an imported event

    def action_week(self, step: int) -> None:
        self.query_one(TimelineView).move_weeks(step)

    def action_month(self, step: int) -> None:
        self.query_one(TimelineView).move_months(step)

    def action_zoom(self, step: int) -> None:
        self.query_one(TimelineView).zoom(step)

    def action_fit(self) -> None:
        self.query_one(TimelineView).fit_plan()

    def action_today(self) -> None:
        self.query_one(TimelineView).jump_today()

    # --- the selected bar ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete_event":  # only on an imported event (rotations and study blocks: their own screens)
            selected = self.query_one(TimelineView).selected if self.is_mounted else None
            return selected is not None and selected.kind == "event"
        return True

    def why_unavailable(self, action: str) -> str:
        """What the help says beside a key `check_action` withholds on the selected bar."""
        if action == "delete_event":
            return "not on this bar: only an imported calendar event (rotations and study blocks: their own screens)"
        return ""

    def action_delete_event(self) -> None:
        """Delete the selected imported event (a merged series: every occurrence in it), after a yes."""
        from imgcoach.tui.widgets.dialogs import ConfirmScreen  # here: not before the first frame (issue 15)

        bar = self.query_one(TimelineView).selected
        if bar is None or bar.kind != "event" or not bar.all_refs:
            return
        ids = bar.all_refs
        span = dates.day_range(bar.start, bar.end)
        what = (f"“{bar.label}”, {len(ids)} occurrences ({span})" if len(ids) > 1 else f"“{bar.label}” ({span})")

        def answered(yes: bool | None) -> None:
            if not yes:
                return

            def work(ctx: Context) -> Any:
                from imgcoach.calendar import remove_events_with_undo

                return remove_events_with_undo(ctx, ids)

            self.act(work, self.undoable)

        self.app.push_screen(ConfirmScreen(
            "Delete imported event", f"Delete {what} from the plan?\n\nThe calendar file is not changed: "
            "importing it again brings the event back.", yes="Delete"), answered)

    @on(TimelineView.Opened)
    def open_bar(self, event: TimelineView.Opened) -> None:
        bar = event.bar
        if bar.ref is not None:
            many = len(bar.all_refs)  # a merged series opens on its first occurrence: the details say so
            self.open_details(bar.kind, bar.ref, (many, bar.start, bar.end) if bar.kind == "event" and many > 1 else None)

    def open_details(self, kind: str, ref: int, series: tuple[int, date, date] | None = None) -> None:
        """A rotation, study block or imported event in a details box: Enter on its bar, and on a study block in
        Next up (the one way its details are written, tui.details)."""

        def work(ctx: Context) -> tuple[str, Text]:
            from imgcoach.tui import details

            return details.bar_details(ctx, kind, ref, series)

        def done(result: tuple[str, Text]) -> None:
            from imgcoach.tui.widgets.dialogs import TextScreen

            title, text = result
            self.app.push_screen(TextScreen(title, keep_indent(text)))

        self.act(work, done, reload=False)

    # --- Next up: Enter opens the item with the dialog its own screen opens ------------------------

    @on(OptionList.OptionSelected, "#next-list")
    def open_next(self, event: OptionList.OptionSelected) -> None:
        """A reminder: its e-mail as the Outbox shows it on Enter; a letter: its request e-mail as the Letters
        board shows it (v); an exam: the Profile's edit form for it (Enter there); a study block: its details as
        Enter on its bar shows them; the notice: the Outbox."""
        item = self.query_one(NextUpList).chosen(event.option.id)
        if item is None:
            return
        if item.kind == "notice" or item.ref is None:
            self.app.switch_mode("outbox")
            return
        ref = item.ref
        if item.kind == "exam":
            self.planner.open_exam(ref)
            return
        if item.kind == "study":
            self.open_details("study", ref)
            return
        from imgcoach.tui.widgets.draft import letter_screen, reminder_screen

        if item.kind == "letter":
            def letter(ctx: Context) -> Any:
                from imgcoach.plan import letter_draft

                return letter_draft(ctx, ref)

            self.act(letter, lambda draft: self.app.push_screen(letter_screen(draft)), reload=False)
            return

        def reminder(ctx: Context) -> Any:
            from imgcoach.reminders import reminder_actions, reminder_preview

            return reminder_preview(ctx, ref), reminder_actions(ctx, ref)

        def opened(result: Any) -> None:
            preview, actions = result
            self.app.push_screen(reminder_screen(item.what, preview.to, preview, actions.offered,
                                                 lambda key: self._reminder_key(key, actions)))

        self.act(reminder, opened, reload=False)

    def _reminder_key(self, key: str, actions: Any) -> None:
        """a / x / R in a Next-up reminder's dialog: the Outbox's confirmation and use case (tui.reminder_keys);
        the load after it drops a cancelled reminder from Next up."""
        from zoneinfo import ZoneInfo

        from imgcoach.tui import reminder_keys

        reminder_keys.from_dialog(self, key, actions.reminder, actions.rotation, ZoneInfo(actions.timezone),
                                  to=actions.to)
