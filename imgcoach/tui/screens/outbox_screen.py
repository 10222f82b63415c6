"""Reminders / outbox: pending, failed and sent reminders in the applicant's zone; preview, retry, cancel."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from imgcoach.core.ids import saved_id
from imgcoach.core.words import clip
from imgcoach.reminders import (
    AWAITING_WORDS,
    DELIVERY_LABELS,
    SUPERSEDED_WORDS,
    awaits_approval,
    is_expired,
    is_overdue,
    status_words,
)
from imgcoach.tui import dates, reminder_keys, render
from imgcoach.tui.widgets.detail_pane import DetailPane
from imgcoach.tui.widgets.filter_bar import FilterableScreen
from imgcoach.tui.widgets.table import DetailsTable, NewRow

if TYPE_CHECKING:
    from imgcoach.core.context import Context
    from imgcoach.reminders import OutboxView

FILTERS = ("pending", "failed", "sent", "all")
# The Outbox of a new plan: where its reminders will come from (each rotation plans its own; an outreach
# e-mail marked sent plans its follow-up).
NONE_YET = ("No reminders yet. A rotation plans its own (feedback, letter, thank-you): add one on the Rotations "
            "screen (r, then a); an outreach e-mail marked sent (u) plans its follow-up.")


def status_label(reminder: Any, now: Any = None, superseded: Collection[int] = ()) -> str:
    """The Outbox's status column: the CLI's words (reminders.status_words), short, by the same rules (a draft
    that awaits the applicant's approval is not overdue: no daemon sends it; nor is an opening in `superseded`,
    the daemon status's reminders.superseded_openings of every pending and sending reminder)."""
    awaiting = awaits_approval(reminder.status, reminder.requires_approval, reminder.approved_at)
    replaced = now is not None and reminder.id in superseded
    overdue = now is not None and is_overdue(reminder.status, reminder.due_at, now, awaiting=awaiting,
                                             expires_at=reminder.expires_at, superseded=replaced)
    expired = now is not None and is_expired(reminder.status, reminder.expires_at, now)
    return status_words(reminder.status, reminder.delivered_via, overdue, short=True, awaiting=awaiting,
                        expired=expired, superseded=replaced)


MONTH_MARK = " · "  # between a rotation's name and its start month in the Rotation column (fit_rotation)


def rotation_cell(name: str, days: tuple[Any, Any] | None) -> str:
    """The Rotation column's whole text: "Family Medicine, Lakeview … · Nov 2026", the name and its start month."""
    return f"{name}{MONTH_MARK}{dates.month(days[0])}" if days else name


def fit_rotation(shown: str, width: int) -> str:
    """The Rotation cell cut to `width`, its start month kept whole: at 80 columns the names alone were cut to
    "Family Medicine, …" for two different rotations (Lakeview's and Harbor Street's), and read the same."""
    if len(shown) <= width or MONTH_MARK not in shown:
        return clip(shown, width)
    name, month = shown.rsplit(MONTH_MARK, 1)
    mark = MONTH_MARK if width >= 24 else " "  # a narrow cell spends no room on the dot
    return f"{clip(name, max(1, width - len(mark) - len(month)))}{mark}{month}"


STATUS_STYLE = {"pending": "bold", "failed": "bold red", "sent": "green", "missed": "yellow", "cancelled": "dim",
                "sending": "cyan", "unconfirmed": "bold magenta", "overdue": "bold yellow", "expired": "yellow",
                SUPERSEDED_WORDS: "dim",
                AWAITING_WORDS: "bold cyan"}
class DaemonLinePane(VerticalScroll, inherit_bindings=False):  # the keys below only (a class keyword)
    """The daemon's line (`#outbox-daemon`), up to 8 rows (outbox_screen.tcss). It was a Static with a maximum
    height, which does not scroll: a paused daemon's long server error was cut at the eighth row, the rest on no
    screen. In this pane it scrolls; while it runs past its rows it is a stop on shift+Tab from the list, says
    so on its lower edge (with the lines below) and scrolls with the keys. A line that fits is no stop on Tab."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "Scroll up", key_display="↑", id="daemon-line-up"),
        Binding("down", "scroll_down", "Scroll down", key_display="↓", id="daemon-line-down"),
        Binding("pageup", "page_up", "Page up", key_display="PgUp", show=False, id="daemon-line-page-up"),
        Binding("pagedown", "page_down", "Page down", key_display="PgDn", show=False, id="daemon-line-page-down"),
        Binding("home", "scroll_home", "To the top", key_display="Home", show=False, id="daemon-line-top"),
        Binding("end", "scroll_end", "To the end", key_display="End", show=False, id="daemon-line-end"),
    ]
    can_focus = False  # until the line runs past its rows (_offer)

    def watch_virtual_size(self) -> None:
        self._offer()

    def on_resize(self, event: events.Resize) -> None:
        self._offer()

    def watch_has_focus(self, has_focus: bool) -> None:
        super().watch_has_focus(has_focus)
        self._titled(has_focus)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._titled()

    def _offer(self) -> None:
        scrolls = self.max_scroll_y > 0
        self.can_focus = scrolls
        self.set_class(scrolls, "-scrolls")  # its lower edge, which says how to read it (tcss)
        if not scrolls and self.has_focus:
            self.screen.focus_next()
        self._titled()

    def _titled(self, focused: bool | None = None) -> None:
        if not self.can_focus:
            self.border_subtitle = None
            return
        below = max(0, round(self.max_scroll_y - self.scroll_y))
        more = f" · {below} more line{'s' if below != 1 else ''}" if below else ""
        focused = self.has_focus if focused is None else focused
        self.border_subtitle = ("tab: back to the list" if focused else "shift+tab: read the whole line") + more


DAEMON_REFRESH_SECONDS = 15.0  # "running" turns false without a database write when a daemon dies


class OutboxScreen(FilterableScreen):
    KEY = "outbox"
    WARM = ("imgcoach.reminders:outbox_view", "imgcoach.reminders:reminder_preview")
    TITLE_TEXT = "Outbox"
    CSS_PATH = "outbox_screen.tcss"
    FILTER_EMPTY_PANE = "#outbox-preview"
    BINDINGS = [
        Binding("F", "filter", "Filter", id="outbox-filter"),  # f is the timeline's Fit plan (help.KEY_VERBS)
        Binding("R", "retry", "Retry", id="outbox-retry"),
        Binding("x", "cancel_reminder", "Cancel", id="outbox-cancel"),
        Binding("A", "approve", "Approve", id="outbox-approve"),  # a is Add on every screen
        Binding("v", "view", "E-mail", show=False, id="outbox-view")  # Enter shows it too,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = "pending"
        self.reminders: dict[int, Any] = {}
        self.superseded: frozenset[int] = frozenset()  # the daemon line's superseded openings (DaemonStatus)
        # The rows `approve_draft` has a message for, each with whom it goes to (reminders.outbox_view).
        self.awaiting: dict[int, str] = {}
        self.names: dict[int, str] = {}  # rotation id -> "Specialty, Institution"
        self.rotation_days: dict[int, tuple[Any, Any]] = {}  # rotation id -> (first day, last day)
        self.now: Any = None
        self.tz: Any = None
        self.preview: Any = None

    def body(self) -> ComposeResult:
        with DaemonLinePane(id="outbox-daemon-pane"):
            yield Static("", id="outbox-daemon")
        yield Static("", id="outbox-filters")
        yield from self.filtered(DetailsTable(id="outbox-table", cursor_type="row", zebra_stripes=True, sortable=True))
        with DetailPane(id="outbox-preview-pane", titles=("tab: scroll the message", "shift+tab: back to the list")):
            # the message is some 50 lines under a 7-line pane at 80x24: Tab reaches it, the keys scroll it
            yield Static("", id="outbox-preview")

    def on_mount(self) -> None:
        table = self.query_one(DetailsTable)
        table.add_columns("Due (your time)", "Reminder", "Rotation", "Status", "Tries")
        table.make_elastic(2, fit_rotation, min_width=16)
        self.set_interval(DAEMON_REFRESH_SECONDS, self._refresh_while_shown)

    def _refresh_while_shown(self) -> None:
        if self.is_current:
            self.reload()

    def fetch(self, ctx: Context) -> OutboxView:
        from imgcoach.reminders import outbox_view

        shown = self.filter  # read once: a filter changed meanwhile starts its own load (action_filter)
        # One read transaction (issue 17): the rows of the status shown, every status's count, and the rest.
        return outbox_view(ctx, None if shown == "all" else shown)

    def show(self, data: OutboxView) -> None:
        from zoneinfo import ZoneInfo

        shown_filter = data.status or "all"
        if shown_filter != self.filter:
            return  # read for a filter since left: the load action_filter started shows the one chosen
        reminders, names, daemon, now = data.reminders, data.rotations, data.daemon, data.now
        counts = {f: sum(data.counts.values()) if f == "all" else data.counts.get(f, 0) for f in FILTERS}
        self.tz = ZoneInfo(data.timezone)
        self.names, self.now, self.awaiting, self.rotation_days = names, now, data.awaiting, data.rotation_days
        self.query_one("#outbox-daemon", Static).update(
            Text(daemon.summary(self.tz, dates.WORDS), style="bold red" if daemon.needs_attention() else "dim"))
        bar = Text("Show (F): ")
        for name in FILTERS:
            bar.append(f" {name} {counts[name]} ", style="bold reverse" if name == self.filter else "")
        # "pending 14  failed 0  sent 0  all 18" left 4 unaccounted for: name what "all" holds beside them.
        rest = [f"{n} {status}" for status, n in sorted(data.counts.items()) if status not in FILTERS and n]
        if rest:
            bar.append(f" ({', '.join(rest)})", style="dim")
        self.query_one("#outbox-filters", Static).update(bar)
        table = self.query_one(DetailsTable)
        selected = self.selected_id()
        self.forget_detail()  # new data: the selected row's e-mail is read again
        table.clear()
        shown = list(reminders)  # the status shown, read as such (fetch)
        if self.filter == "sent":
            shown.reverse()  # most recent first
        self.reminders = {saved_id(r.id): r for r in shown}
        # The daemon line's, not the rows': the "pending" filter lacks a sending last call, and called its opening
        # "overdue" beside the line's "not to be sent" and the "all" filter's "superseded".
        self.superseded = daemon.superseded if now is not None else frozenset()
        tz, superseded, days = self.tz, self.superseded, data.rotation_days  # as read: later rows come after paint
        # Every row's status now, once: the Status column is sized from them before the first frame.
        labels = [status_label(r, now, superseded) for r in shown]

        def rotation_of(rotation_id: int | None) -> str:
            return rotation_cell(names.get(rotation_id or 0, "—"), days.get(rotation_id or 0))  # 0: no rotation

        def row(n: int) -> NewRow:
            r, label = shown[n], labels[n]
            return NewRow((dates.moment(r.due_at, tz),
                           render.reminder_label(r.kind, r.template_key, approved=r.approved_at is not None),
                           rotation_of(r.rotation_id),
                           Text(label, style=STATUS_STYLE.get(label, STATUS_STYLE.get(r.status, ""))),
                           str(r.attempts)), str(r.id))

        # The rows the first frame shows now, the rest after it (issue 15: 789 rows made before a frame showing 9),
        # the columns sized for every row from their few distinct values: each moment has one width (`moment`'s
        # zero-padded day, hour and minute; its three-letter month, the C locale's: the app sets none), so the
        # first row's stands for all.
        widest = ([dates.moment(shown[0].due_at, tz)] if shown else [],
                  {render.reminder_label(k, t, approved=a)
                   for k, t, a in {(r.kind, r.template_key, r.approved_at is not None) for r in shown}},
                  [rotation_of(i) for i in {r.rotation_id for r in shown}], set(labels),
                  [str(max((r.attempts for r in shown), default=0))])
        table.add_rows_visible_first(range(len(shown)), row, widest)
        if selected in self.reminders:
            table.move_to_key(str(selected))  # unless the search hides it
        if not shown:
            # None at all (a new plan): say where reminders come from, not "No pending reminders." as if some
            # were missing.
            self.query_one("#outbox-preview", Static).update(Text(
                f"No {self.filter} reminders." if counts["all"] else NONE_YET, style="dim"))
        else:
            self.load_preview()

    def selected_id(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0) or None

    @on(DataTable.RowHighlighted)
    def load_preview(self) -> None:
        reminder_id = self.selected_id()
        if reminder_id is None:
            return

        def read() -> Any:
            from imgcoach.reminders import reminder_preview  # in the thread, after the paint

            return reminder_preview(self.planner.open_context(), reminder_id)

        self.read_detail_once(reminder_id, read,
                              lambda rid, preview: self.show_preview(rid, preview, ""),
                              lambda rid, exc: self.show_preview(rid, None, str(exc)))

    def show_preview(self, reminder_id: int, preview: Any, error: str) -> None:
        reminder = self.reminders.get(reminder_id)
        self.preview = preview
        text = Text()
        if reminder is not None:
            text.append(f"Due {dates.moment(reminder.due_at, self.tz, zone=True)}", style="bold")
            if reminder.expires_at:
                from imgcoach.reminders import last_useful_day

                text.append(f" · not sent after {dates.day(last_useful_day(reminder.expires_at, self.tz))}")
            text.append(f" · to {reminder.recipient}\n", style="dim")
            days = self.rotation_days.get(reminder.rotation_id or 0)
            if days is not None:  # the whole name the Rotation column may cut; its days first, so no wrap splits them
                text.append(f"Rotation {dates.day_range(*days)}: {self.names.get(reminder.rotation_id or 0, '')}\n",
                            style="dim")
            if reminder.sent_at:
                how = DELIVERY_LABELS.get(reminder.delivered_via, "sent").capitalize()
                text.append(f"{how} {dates.moment(reminder.sent_at, self.tz)}", style="green")
                if reminder.delivered_via == "local_mailbox":
                    text.append(" (not e-mailed: no SMTP host is set)", style="yellow")
                text.append("\n")
            if reminder.last_error:
                text.append(f"Last error: {reminder.last_error}\n", style="red")
            if reminder.note:
                text.append(f"Note: {reminder.note}\n", style="dim")
        if preview is not None:
            text.append(f"\nSubject: {preview.subject}\n\n", style="bold").append(preview.text)
        elif error:
            text.append(f"\nNo preview: {error}", style="red")
        self.query_one("#outbox-preview", Static).update(text)
        self.query_one("#outbox-preview-pane", DetailPane).scroll_home(animate=False)  # another message: its top

    def action_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.reload()

    def offered(self, reminder: Any) -> frozenset[str]:
        """approve / cancel / retry as the reminders package's rule allows them on this row (offered_actions)."""
        from imgcoach.reminders import offered_actions

        return offered_actions(reminder, self.can_approve(reminder)) if reminder is not None else frozenset()

    def rotation_of(self, reminder: Any) -> str | None:
        """The row's rotation, "Specialty, Institution", for the approve question (the demo has three "Ask for
        feedback")."""
        return self.names.get(reminder.rotation_id) if reminder.rotation_id is not None else None

    def action_retry(self) -> None:
        reminder_id = self.selected_id()
        if reminder_id is None or "retry" not in self.offered(self.reminders[reminder_id]):
            self.notify("Only failed or unconfirmed reminders can be retried (F shows them)", severity="warning")
            return
        reminder_keys.retry(self, reminder_id)

    def action_cancel_reminder(self) -> None:
        reminder_id = self.selected_id()
        if reminder_id is None:  # x did nothing at all on an empty list: say why, as R does
            self.notify(f"No {self.filter} reminder here to cancel (F shows the others)", severity="warning")
            return
        reminder = self.reminders[reminder_id]
        if "cancel" not in self.offered(reminder):
            self.notify(f"This reminder is {reminder.status}: nothing to cancel", severity="warning")
            return
        reminder_keys.cancel(self, reminder, self.tz)

    def action_approve(self) -> None:
        """Approve one message to someone other than you: nothing else ever leaves for a supervisor."""
        reminder_id = self.selected_id()
        if reminder_id is None:
            return
        reminder = self.reminders[reminder_id]
        if reminder.requires_approval and reminder.approved_at is not None:
            self.notify("Already approved: the daemon sends it at its due time", severity="warning")
            return
        reminder_keys.approve(self, reminder, self.rotation_of(reminder), self.tz, to=self.awaiting.get(reminder_id, ""))

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self.action_view()  # Enter on a row: the e-mail, with copy / mail program / editor

    def can_approve(self, reminder: Any) -> bool:
        """Something waits for the applicant's approval: `approve_draft`'s own rule (reminders.approval_refusal),
        applied to the rows when they were read (reminders.outbox_view)."""
        return reminder is not None and reminder.id in self.awaiting

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "approve":  # A is offered (in the footer) only where there is something to approve
            return self.can_approve(self.reminders.get(self.selected_id() or 0))
        if action in ("retry", "cancel_reminder"):
            # R and x are offered by the rule `reminders retry` / `reminders cancel` act by (offered_actions), as A
            # is: they showed on every row, and on a sent, pending or cancelled one said they could not. On an
            # empty list they stay and say why (F shows the other statuses), as e and d do on the other screens.
            reminder = self.reminders.get(self.selected_id() or 0)
            return reminder is None or ("retry" if action == "retry" else "cancel") in self.offered(reminder)
        return super().check_action(action, parameters)

    def why_unavailable(self, action: str) -> str:
        """What the help says beside a key `check_action` withholds on this row: the rows the rule offers it on."""
        from imgcoach.reminders import offered_only_on

        rule = {"approve": "approve", "retry": "retry", "cancel_reminder": "cancel"}.get(action)
        return f"not on this row: only {offered_only_on(rule)}" if rule else ""

    @on(DataTable.RowHighlighted)
    def _offer_keys(self) -> None:
        self.refresh_bindings()

    def action_view(self) -> None:
        from imgcoach.tui.widgets.draft import reminder_screen

        reminder = self.reminders.get(self.selected_id() or 0)
        if reminder is None:
            self.notify(f"No {self.filter} reminder here to show (F shows the others)", severity="warning")
            return
        if self.preview is not None:
            rotation = self.rotation_of(reminder)
            # Its status in the title: a cancelled or sent reminder's e-mail read as one still to go out (its text
            # even says how to approve it), with nothing in the dialog to say otherwise.
            label = (f"{render.reminder_label(reminder.kind, reminder.template_key, approved=reminder.approved_at is not None)}"
                     f" · {status_label(reminder, self.now, self.superseded)}")
            self.app.push_screen(reminder_screen(
                label, reminder.recipient, self.preview, self.offered(reminder),
                lambda key: reminder_keys.from_dialog(self, key, reminder, rotation, self.tz,
                                                      to=self.awaiting.get(reminder.id, ""))))
