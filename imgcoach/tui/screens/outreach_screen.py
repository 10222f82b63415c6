"""Outreach: where the applicant wrote for observerships and externships, follow-ups due, offers to check.

Keyboard-first: a adds an entry, e (or Enter) moves it along the pipeline, v shows the e-mails drafted for it,
ctrl+a turns an offer into a rotation in one step, b records that the follow-up went out. The
letters the app uses to switch screens (t r s l o p y u i m) are left alone.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from imgcoach.core.errors import FieldError, UserError, ValidationError
from imgcoach.tui import dates
from imgcoach.tui.forms import ASSUMED_NOTE, NEW_ROTATION_HOURS
from imgcoach.tui.widgets.detail_pane import DetailPane
from imgcoach.tui.widgets.filter_bar import FilterableScreen
from imgcoach.tui.widgets.form import DATE_HINT, FormField
from imgcoach.tui.widgets.table import PlannerTable

if TYPE_CHECKING:
    from imgcoach.coach import OutreachWays
    from imgcoach.core.context import Context

OUTREACH_KINDS = ("observership", "externship", "clinical_job")
# The statuses the pipeline moves to by itself (follow_up_due) are not offered as a manual choice.
AUTOMATIC_STATUSES = frozenset({"follow_up_due"})

ADD_FORM = [
    FormField("institution", "Institution", required=True, placeholder="Hospital or clinic"),
    FormField("department", "Department", placeholder="Internal Medicine"),
    FormField("specialty", "Specialty", placeholder="if not the department's"),
    FormField("coordinator", "Coordinator", placeholder="Ms. …"),
    FormField("contact_email", "Contact e-mail", placeholder="gme@hospital.org"),
    FormField("kind", "Kind", "choice", tuple((k.replace("_", " "), k) for k in OUTREACH_KINDS)),
    FormField("status", "Status", "choice", (("drafted", "drafted"), ("sent", "sent"))),
    FormField("written_on", "Date written", "date", placeholder="blank: today if sent; +2d works"),
    FormField("cost_usd", "Cost (USD)", placeholder="e.g. 1500, 0 if free, blank if unknown"),
    FormField("visa_requirement", "Visa requirement", placeholder="e.g. B-1/B-2 visitor visa accepted"),
    FormField("role_in_writing", "Role in writing", "bool"),
    FormField("verified_legitimate", "Verified legitimate", "bool"),
    FormField("notes", "Notes"),
]
ACCEPT_FORM = [
    FormField("start_date", "Start date", "date", required=True, placeholder=DATE_HINT),
    FormField("end_date", "End date", "date", required=True, placeholder="blank: start + 4 weeks",
              default_from="start_date"),
    NEW_ROTATION_HOURS,
    FormField("specialty", "Specialty", placeholder="blank: the entry's specialty or department"),
    FormField("setting", "Setting", "choice", (("inpatient", "inpatient"), ("outpatient", "outpatient"),
                                                ("mixed", "mixed"))),
    FormField("supervisor", "Supervisor", placeholder="Dr. … (optional)"),
    FormField("supervisor_email", "Supervisor e-mail"),
]


def status_label(value: str) -> str:
    """The CLI's words for a status ("follow-up due"): one rule, coach.outreach_status_words."""
    from imgcoach.coach import outreach_status_words

    return outreach_status_words(value)


def next_statuses(current: str) -> list[str]:
    """The moves the domain allows from `current`, in pipeline order, minus the automatic ones."""
    from imgcoach.coach import TRANSITIONS, OutreachStatus

    allowed = TRANSITIONS[OutreachStatus(current)]
    return [s.value for s in OutreachStatus if s in allowed and s.value not in AUTOMATIC_STATUSES]


def field_error(exc: UserError, fields: list[FormField], aliases: dict[str, str] | None = None) -> UserError:
    """A service's "field: message" error as a FieldError, so the form shows it beside that field."""
    if isinstance(exc, FieldError | ValidationError):
        return exc
    name, sep, message = str(exc).partition(": ")
    name = (aliases or {}).get(name, name)
    if sep and name in {f.name for f in fields}:
        return FieldError(name, "", message)
    return exc


def parse_cost(raw: str) -> float | None:
    """'1,500', '$1500' or '0'; blank means unknown (the offer checklist asks about it)."""
    text = raw.strip().replace(",", "").removeprefix("$").strip()
    if not text:
        return None
    try:
        cost = float(text)
    except ValueError:
        raise FieldError("cost_usd", raw, "must be an amount in US dollars, e.g. 1500") from None
    if cost < 0:
        raise FieldError("cost_usd", raw, "cannot be negative")
    return cost


def add_entry(ctx: Context, values: dict[str, Any]) -> Any:
    """The add form's submit: typed values to `record_outreach`, its errors beside their fields."""
    from imgcoach.coach import record_outreach

    values = dict(values)
    values["cost_usd"] = parse_cost(values.get("cost_usd") or "")
    try:
        return record_outreach(ctx, values.pop("institution"), words=dates.WORDS, **values)
    except UserError as exc:
        raise field_error(exc, ADD_FORM) from exc


ACCEPT_KEY = "ctrl+a"  # named in the toast after an entry is marked accepted: it said "press k", bound to nothing


def _withdraw_here(entry_id: int) -> str:
    return "press e and choose withdrawn"


def _take_offer_here(entry_id: int) -> str:
    return (f"check the warnings in its details, then {ACCEPT_KEY} accepts it and plans the rotation; v then drafts "
            "the confirmation")


@cache
def keys_here() -> OutreachWays:
    """The app's keys where coach's sentences name what to do (the CLI's commands there): the "better closed"
    warning said `imgcoach outreach set-status 3 withdrawn` where e edits the status, and an offer's toast
    `imgcoach outreach accept 5 ...` where ctrl+a accepts. Made on first use: coach is loaded with the rows."""
    from imgcoach.coach import OutreachWays

    return OutreachWays(_withdraw_here, _take_offer_here)


class OutreachTable(PlannerTable):
    """The outreach entries: Enter (or e) opens the selected entry's status form, and the footer says "⏎ Edit status"
    while the table has the focus. Enter did open it (the row chosen), unsaid: the footer said its letter alone."""

    BINDINGS = [Binding("enter,e", "screen.change_status", "Edit status", key_display="⏎", id="outreach-status-enter")]


class OutreachScreen(FilterableScreen):
    KEY: ClassVar[str] = "outreach"
    WARM = ("imgcoach.coach:list_outreach",)
    TITLE_TEXT = "Outreach"
    CSS_PATH = "outreach_screen.tcss"
    FILTER_EMPTY_PANE = "#outreach-detail"
    BINDINGS = [
        Binding("a", "add", "Add", id="outreach-add"),
        # e and v as on every screen (edit, the e-mail); c was Status here and Copy in the e-mail dialogs
        Binding("e", "change_status", "Edit status", id="outreach-status"),
        Binding("v", "view_draft", "E-mail", id="outreach-draft"),
        Binding(ACCEPT_KEY, "accept", "Accept offer", id="outreach-accept"),
        Binding("b", "mark_sent", "Mark sent", id="outreach-follow-up-sent"),
    ]

    def __init__(self) -> None:
        super().__init__()
        # row key (the entry's id) -> (row, status, follow-up due, warnings, coach.ListedFollowUp)
        self._rows: dict[str, Any] = {}

    def body(self) -> ComposeResult:
        yield from self.filtered(OutreachTable(id="outreach-table", cursor_type="row", zebra_stripes=True,
                                              sortable=True))
        # An offer to check runs past its room (4 checks and a note under 3 lines of facts): Tab reaches it.
        with DetailPane(id="outreach-detail-pane"):
            yield Static("", id="outreach-detail")

    def on_mount(self) -> None:
        table = self.query_one(PlannerTable)
        table.add_columns("Institution", "Status", "Follow-up")
        table.make_elastic(0)
        # no load here: the screen's resume loads it (once a visit)

    def fetch(self, ctx: Context) -> Any:
        from imgcoach.coach import follow_up_for_list, list_outreach

        return [(row, status, due, warnings, follow_up_for_list(status, due, row.follow_ups_sent, dates.WORDS))
                for row, status, due, warnings in list_outreach(ctx, keys_here())]

    def show(self, rows: Any) -> None:
        table = self.query_one(PlannerTable)
        selected = table.cursor_key()
        table.clear()
        self._rows = {str(entry[0].id): entry for entry in rows}
        for key, (row, _, _, warnings, shown) in self._rows.items():
            flag = " !" if warnings else ""
            table.add_row(row.institution, shown.status + flag, shown.column, key=key)
        if not self._rows:
            self.query_one("#outreach-detail", Static).update(
                "No outreach yet. Press a to add a hospital or clinic you wrote (or will write) to.")
            return
        if selected is not None:
            table.move_to_key(selected)  # unless the search hides it
        self._detail(table.cursor_key())
        self.refresh_bindings()  # the row under the cursor may have moved on (b, ctrl+a are offered by status)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.row_key.value)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept":  # in the footer only on an offer not yet planned (it showed on every row)
            selected = self._selected() if self.is_mounted else None
            if selected is None or selected[0].rotation_id is not None:
                return False
            from imgcoach.coach import BECOMES_ROTATION  # loaded with the rows shown

            return selected[1] in BECOMES_ROTATION
        if action == "mark_sent":
            # Only where the pipeline lets an e-mail go out (drafted, or a follow-up due): it showed on every row,
            # and on an offer, an interview or a declined entry answered "status: cannot go from offered to sent".
            # Nor after the rule's last follow-up (the entry is better closed): b counted a follow-up it does not ask for.
            selected = self._selected() if self.is_mounted else None
            if selected is None:
                return True  # an empty list: b says to add an entry first
            from imgcoach.coach import OutreachStatus

            return OutreachStatus.SENT in self._rows[str(selected[0].id)][4].moves
        return super().check_action(action, parameters)

    def why_unavailable(self, action: str) -> str:
        """What the help says beside a key `check_action` withholds on this row."""
        if action == "accept":
            return "not on this row: only an offered or accepted entry not yet planned as a rotation"
        if action == "mark_sent":
            return ("not on this row: only a drafted entry, or one whose follow-up is due (not after the last follow-up "
                    "the rule allows)")
        return ""

    def _detail(self, key: str | None) -> None:
        if key not in self._rows:
            return
        row, _, _, warnings, _ = self._rows[key]
        cost = "unknown" if row.cost_usd is None else f"${row.cost_usd:,.0f}"
        lines = [f"{row.institution} - {row.department} ({row.kind.replace('_', ' ')})",
                 f"Coordinator: {row.coordinator or '-'} <{row.contact_email or '-'}>",
                 f"Written {dates.day(row.written_on) if row.written_on else '-'}; cost {cost}; visa: {row.visa_requirement or 'unknown'}"]
        if row.rotation_id is not None:
            lines.append(f"Became rotation {row.rotation_id}")
        lines += [f"! {w}" for w in warnings]
        if row.notes:
            lines.append(f"Notes: {row.notes}")
        self.query_one("#outreach-detail", Static).update("\n".join(lines))
        self.query_one(DetailPane).scroll_home(animate=False)  # another entry's details, from their top

    def _selected(self) -> tuple[Any, Any] | None:
        """(stored row, effective status) under the cursor, or None with no row shown."""
        key = self.query_one(PlannerTable).cursor_key()
        if key not in self._rows:
            return None
        row, status, _, _, _ = self._rows[key]
        return row, status

    def _require(self) -> tuple[Any, Any] | None:
        selected = self._selected()
        if selected is None:
            self.notify("No outreach entry selected: press a to add one", severity="warning")
        return selected

    def action_add(self) -> None:
        defaults = {"kind": "observership", "status": "drafted", "role_in_writing": False,
                    "verified_legitimate": False}
        self.open_form("Add an outreach entry", ADD_FORM, defaults, add_entry,
                       hint="Status sent schedules a follow-up reminder; a drafted entry waits for you to send it.",
                       then=lambda added: self.notify(f"Added {added.added()}", timeout=8))

    @on(DataTable.RowSelected)  # a click on a row; Enter is the table's own key (OutreachTable)
    def action_change_status(self) -> None:
        """A choice of the moves the pipeline allows from the entry's current status."""
        selected = self._require()
        if selected is None:
            return
        row, status = selected
        shown = self._rows[str(row.id)][4]  # after the rule's last follow-up: "unanswered", and "sent" is no move
        choices = [s for s in next_statuses(status.value) if s in shown.moves]
        if not choices:
            self.notify(f"{row.institution} is {status_label(status.value)}: a final status", severity="warning")
            return
        fields = [FormField("status", "New status", "choice", tuple((status_label(s), s) for s in choices)),
                  FormField("on", "On", "date", placeholder="blank: today; +1w works")]
        row_id = row.id

        def submit(ctx: Context, values: dict[str, Any]) -> Any:
            from imgcoach.coach import change_outreach_status

            try:
                return change_outreach_status(ctx, row_id, values["status"], on=values["on"], words=dates.WORDS,
                                              ways=keys_here())
            except UserError as exc:
                raise field_error(exc, fields) from exc

        def done(result: Any) -> None:
            moved = result.row
            hint = f"; press {ACCEPT_KEY} to plan the rotation" if moved.status == "accepted" and not moved.rotation_id else ""
            self.notify(f"{moved.institution}: {result.said}{hint}")

        self.open_form(f"{row.institution}: {shown.status} →", fields, {"status": choices[0]},
                       submit, then=done)

    def action_view_draft(self) -> None:
        """The entry's e-mails (coach.outreach_emails: what `imgcoach outreach draft` prints first, first) in the draft
        dialog (c copies, M opens the mail program, E $EDITOR), with v for the other where it has two (the first
        e-mail and its follow-up) and, above them, where they stand today in the CLI's words; with none, a toast says
        why in the CLI's words."""
        selected = self._require()
        if selected is None:
            return
        row, _status = selected
        row_id, institution = row.id, row.institution

        def work(ctx: Context) -> Any:
            from imgcoach.coach import outreach_emails

            return outreach_emails(ctx, row_id, words=dates.WORDS, ways=keys_here())

        def done(emails: Any) -> None:
            from imgcoach.tui.widgets.draft import outreach_screen

            try:
                emails.position()
            except UserError as exc:  # no e-mail: why, the CLI's words
                self.notify(str(exc), severity="warning", timeout=10)
                return
            self.app.push_screen(outreach_screen(institution, emails))

        self.act(work, done, reload=False)

    def action_accept(self) -> None:
        """Accept the offer and plan its rotation (with reminders) in one step."""
        selected = self._require()
        if selected is None:
            return
        row, status = selected
        if row.rotation_id is not None:
            self.notify(f"{row.institution} already became rotation {row.rotation_id}", severity="warning")
            return
        if status.value not in ("offered", "accepted"):
            self.notify(f"{row.institution} is {status_label(status.value)}: only an offer can be accepted",
                        severity="warning")
            return
        row_id, institution = row.id, row.institution

        def submit(ctx: Context, values: dict[str, Any]) -> Any:
            from imgcoach.coach import accept_offer

            start, end = values.pop("start_date"), values.pop("end_date")
            if end < start:  # checked here too, so the message lands beside the end date
                raise FieldError("end_date", dates.day(end), f"is before the start date {dates.day(start)}")
            try:
                return accept_offer(ctx, row_id, start, end, **values)
            except UserError as exc:
                raise field_error(exc, ACCEPT_FORM) from exc

        def done(rotation: Any) -> None:
            from imgcoach.coach import accepted_said

            self.notify(f"{institution}: {accepted_said(rotation, dates.WORDS)}"
                        f"{ASSUMED_NOTE if rotation.hours_assumed else ''}", timeout=8)

        warnings = self._rows[str(row_id)][3]
        self.open_form(f"Accept {row.institution}", ACCEPT_FORM, {},
                       submit, then=done, save_label="Accept", hint="\n".join(f"Check: {w}" for w in warnings))

    def action_mark_sent(self) -> None:
        """Record that the follow-up (or the first e-mail) went out; the next reminder is scheduled."""
        selected = self._require()
        if selected is None:
            return
        from_id = selected[0].id

        def work(ctx: Context) -> Any:
            from imgcoach.coach import change_outreach_status

            return change_outreach_status(ctx, from_id, "sent", words=dates.WORDS, ways=keys_here())

        self.act(work, lambda r: self.notify(f"{r.row.institution}: {r.said}", timeout=8))
