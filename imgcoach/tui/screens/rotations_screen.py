"""Rotations: the table, an add/edit form, delete with confirmation, and the selected rotation's details."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from imgcoach.core.ids import saved_id
from imgcoach.plan import CASE_TAGS, CONTACT_ROLES, hours_cell
from imgcoach.reminders import counted_by_status, rotation_kind_label
from imgcoach.tui import dates, render
from imgcoach.tui.forms import (
    ASSUMED_NOTE,
    NEW_ROTATION_HOURS,
    PLACE_HOW,
    ROTATION_ADD_FORM,
    ROTATION_EDIT_FORM,
    notify_place,
)
from imgcoach.tui.people import CASE_FORM
from imgcoach.tui.widgets.detail_pane import DetailPane
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from imgcoach.tui.widgets.filter_bar import FilterableScreen
from imgcoach.tui.widgets.form import FormField
from imgcoach.tui.widgets.table import DetailsTable, NewRow

if TYPE_CHECKING:
    from imgcoach.core.context import Context

SUPERVISOR_FORM = [
    FormField("name", "Name", required=True, placeholder="Dr. …"),
    FormField("title", "Title", placeholder="MD, Attending Physician"),
    FormField("email", "E-mail"),
    FormField("role", "Role", "choice", tuple((r.replace("_", " "), r) for r in CONTACT_ROLES)),
    FormField("letter", "Plan a letter?", "bool"),
]


def as_shown(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored rotation as the edit form shows it. An assumed 40 is not a value the applicant would save back
    as theirs: the field is blank; left blank the hours stay assumed, any figure typed (40 too) is given."""
    return {**row, "hours_per_week": None} if row.get("hours_assumed") else dict(row)

class Saved(NamedTuple):
    """What the form's worker hands back after a rotation is saved, for the toasts (RotationsScreen._saved)."""

    rotation: Any
    overlaps: list[str]
    specialty_note: str | None
    place_note: str | None


class RotationsScreen(FilterableScreen):
    KEY = "rotations"
    UNDO_TABLE = "rotation"
    WARM = ("imgcoach.plan:get_profile", "imgcoach.plan:list_rotations", "imgcoach.plan:rotation_detail",
            "imgcoach.tui.details:rotation_text")  # the detail's words, imported on the UI thread by the first one
    TITLE_TEXT = "Rotations"
    CSS_PATH = "rotations_screen.tcss"
    FILTER_EMPTY_PANE = "#rotation-detail"
    BINDINGS = [
        Binding("a", "add", "Add", id="rotation-add"),
        Binding("e", "edit", "Edit", id="rotation-edit"),
        Binding("d", "delete", "Delete", id="rotation-delete"),
        Binding("w", "supervisor", "Supervisor", id="rotation-supervisor"),
        # n (note a case): c is Copy in the e-mail dialogs (one verb per key: help.KEY_VERBS)
        Binding("n", "case", "Case", tooltip="Note a case worth remembering from the rotation", id="rotation-case"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rotations: dict[int, Any] = {}
        self.tz: Any = None
        self.detail: Any = None  # the selected rotation's RotationDetail

    def body(self) -> ComposeResult:
        yield from self.filtered(DetailsTable(id="rotation-table", cursor_type="row", zebra_stripes=True, sortable=True))
        with DetailPane(id="rotation-detail-pane"):  # Tab reaches it: supervisors, letters and cases run past 80x24
            yield Static("Loading…", id="rotation-detail")

    def on_mount(self) -> None:
        table = self.query_one(DetailsTable)
        table.add_columns("Dates", "Kind", "Specialty", "Institution", "h/wk")
        table.make_elastic(3)  # the institution takes the room left, so h/wk stays in view at 80 columns

    def fetch(self, ctx: Context) -> tuple[list[Any], Any]:
        from zoneinfo import ZoneInfo

        from imgcoach.plan import get_profile, list_rotations

        applicant = get_profile(ctx)
        return list_rotations(ctx), ZoneInfo(applicant.timezone if applicant else "UTC")

    def show(self, data: tuple[list[Any], Any]) -> None:
        rotations, self.tz = data
        table = self.query_one(DetailsTable)
        mark = table.cursor_mark()
        self.forget_detail()  # new data: the selected rotation's details are read again
        table.clear()
        self.rotations = {r.id: r for r in rotations}

        def row(r: Any) -> NewRow:
            return NewRow((dates.day_range(r.start_date, r.end_date), rotation_kind_label(r.kind), r.specialty,
                           r.institution, hours_cell(r.hours_per_week, r.hours_assumed)),  # "40?": assumed
                          str(r.id))

        # The rows the first frame shows now, the rest after it (issue 15: the 5-year plan's 200 rows were made
        # before a frame showing 9), the columns sized for every row from their few distinct values. A range of
        # days has one width per shape (one day, one year, two years: `day_range`'s zero-padded day, four-digit
        # year and the C locale's three-letter month, the app sets no locale), so one range per shape stands for all.
        shapes = {(r.start_date == r.end_date, r.start_date.year == r.end_date.year): r for r in rotations}
        widest = ([dates.day_range(r.start_date, r.end_date) for r in shapes.values()],
                  {rotation_kind_label(kind) for kind in {r.kind for r in rotations}},
                  {r.specialty for r in rotations}, {r.institution for r in rotations},
                  {hours_cell(*hours) for hours in {(r.hours_per_week, r.hours_assumed) for r in rotations}})
        table.add_rows_visible_first(rotations, row, widest)
        # The row it was on (unless the search hides it), the one an undo put back, or the one after a deleted row.
        table.put_cursor_back(mark, self.row_put_back())
        if not rotations:
            self.query_one("#rotation-detail", Static).update(
                Text("No rotations yet. Press a to add your first clinical experience "
                     "(observerships and externships usually run 4 to 8 weeks).", style="dim"))
        else:
            self.load_detail()

    def selected_id(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(row_key.value) if row_key.value is not None else None

    @on(DataTable.RowHighlighted)
    def load_detail(self) -> None:
        rotation_id = self.selected_id()
        if rotation_id is None:
            return

        def read() -> Any:
            from imgcoach.plan import rotation_detail

            return rotation_detail(self.planner.open_context(), rotation_id)

        def shown(read_id: int, detail: Any) -> None:
            if read_id == self.selected_id():  # not a row the cursor has left meanwhile
                self.show_detail(detail)

        # Once per row and load, after the paint: show() asked, then the highlight it set asked again, and both
        # threads read the rotation, its people, letters and cases against the first frame with the rows. A read
        # that fails (the row deleted meanwhile) shows nothing: the reload that follows shows the truth.
        self.read_detail_once(rotation_id, read, shown, lambda _, __: None)

    def show_detail(self, detail: Any) -> None:
        from imgcoach.tui.details import rotation_text
        from imgcoach.tui.wrap import keep_indent

        self.detail = detail
        self.query_one("#rotation-detail", Static).update(keep_indent(rotation_text(detail, self.tz, self.planner.now())))
        self.query_one(DetailPane).scroll_home(animate=False)  # another rotation's details, from their top

    def _require(self) -> int | None:
        rotation_id = self.selected_id()
        if rotation_id is None:
            self.notify("No rotation selected: press a to add one", severity="warning")
        return rotation_id

    def action_add(self) -> None:
        from imgcoach.plan import add_rotation

        defaults = {"kind": "observership", "hands_on": None}  # setting and hours: not said until given
        self.open_form("Add a rotation", ROTATION_ADD_FORM, defaults,
                       lambda ctx, v: _with_overlaps(ctx, add_rotation(ctx, **v), v),
                       then=lambda saved: self._saved(saved, f"Added {saved.rotation.specialty} at "
                                                             f"{saved.rotation.institution}; reminders planned"
                                                             + (ASSUMED_NOTE if saved.rotation.hours_assumed else "")),
                       advise=self._overlaps_advice(None))

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self.action_manage()  # Enter (or a click) on a row opens its details; Edit is on e

    def action_edit(self) -> None:
        from imgcoach.plan import save_rotation

        rotation_id = self._require()
        if rotation_id is None:
            return
        row = self.rotations[rotation_id]
        fields = ROTATION_EDIT_FORM
        if row.hours_assumed:
            fields = [NEW_ROTATION_HOURS if f.name == "hours_per_week" else f for f in ROTATION_EDIT_FORM]

        def save(ctx: Context, v: dict[str, Any]) -> Any:
            changes = {k: x for k, x in v.items() if not (k == "hours_per_week" and x is None)}
            edited = save_rotation(ctx, rotation_id, **changes)
            return _with_overlaps(ctx, edited.rotation, changes, added=False), edited.saved_words()

        # The use case's words, as `rotations edit` prints them: "Saved; pending reminders moved with the dates"
        # was said of an edit of the hours too, which moves none.
        self.open_form(f"Edit rotation {rotation_id}", fields, as_shown(row.model_dump()), save,
                       then=lambda saved: self._saved(saved[0], saved[1][:1].upper() + saved[1][1:]),
                       loaded=row.model_dump(), advise=self._overlaps_advice(rotation_id), present=as_shown)

    def _overlaps_advice(self, rotation_id: int | None) -> Callable[[dict[str, Any]], list[str]]:
        """The form's live warning: the rule the CLI warns with on stderr, over the rotations on screen."""
        from types import SimpleNamespace

        from imgcoach.plan import ASSUMED_HOURS, full_time_overlaps

        def advise(values: dict[str, Any]) -> list[str]:
            if values.get("start_date") is None or values.get("end_date") is None:
                return []
            # A blank hours field is the assumed 40: on a new rotation (fill_rotation_defaults) and on one whose
            # hours are assumed already (action_edit shows them blank).
            stored = self.rotations.get(rotation_id) if rotation_id is not None else None
            assumed = values.get("hours_per_week") is None and (stored is None or stored.hours_assumed)
            hours = (stored.hours_per_week if stored is not None else ASSUMED_HOURS) if assumed \
                else values.get("hours_per_week") or 0
            draft = SimpleNamespace(id=rotation_id, institution=values.get("institution") or "this rotation",
                                    start_date=values["start_date"], end_date=values["end_date"],
                                    hours_per_week=hours, hours_assumed=assumed)
            return full_time_overlaps(draft, list(self.rotations.values()), dates.WORDS)

        return advise

    def _saved(self, saved: Saved, message: str) -> None:
        """The save message (with what became of a typed subspecialty), and at once a warning for each
        full-time overlap, naming both items (another rotation, or a study block on a full-time rotation's
        days: hence no "rotations" in the title), and when its reminders would reach its place out of their day."""
        self.notify(message + (f"; {saved.specialty_note}" if saved.specialty_note else ""))
        for warning in saved.overlaps:
            self.notify(warning, title="Overlap", severity="warning", timeout=20)
        notify_place(self, saved.place_note)

    def action_delete(self) -> None:
        from imgcoach.plan import delete_with_undo, pending_reminders_of, rotation_reach

        rotation_id = self._require()
        if rotation_id is None:
            return
        rotation = self.rotations[rotation_id]

        def ask(found: tuple[list[Any], Any]) -> None:
            pending, reach = found
            lines = [f"Delete {rotation.specialty} {rotation_kind_label(rotation.kind)} at {rotation.institution} "
                     f"({dates.day_range(rotation.start_date, rotation.end_date)})?", ""]
            # Its cases, log weeks (their feedback) and links to people go with it: the question named only
            # the reminders, and the undo's toast was the first to list them.
            lines += reach.words("rotation")
            if pending:
                lines.append(f"This cancels {counted_by_status([p.status for p in pending])}:")
                lines += [f"  • {dates.moment(p.due_at, self.tz)}  "
                          f"{render.reminder_label(p.kind, p.template_key, approved=p.approved_at is not None)}"
                          + ("" if p.status == "pending" else f" ({p.status})") for p in pending]
            else:
                lines.append("No pending reminders are cancelled.")

            def answered(yes: bool | None) -> None:
                if yes:
                    self.act(lambda ctx: delete_with_undo(ctx, "rotation", rotation_id), self.undoable)

            self.app.push_screen(ConfirmScreen("Delete rotation", "\n".join(lines), yes="Delete"), answered)

        self.act(lambda ctx: (pending_reminders_of(ctx, rotation_id), rotation_reach(ctx, rotation_id)), ask)

    def action_supervisor(self) -> None:
        rotation_id = self._require()
        if rotation_id is None:
            return

        def save(ctx: Context, values: dict[str, Any]) -> Any:
            from imgcoach.plan import add_contact, add_letter_request

            letter = values.pop("letter")
            institution = self.rotations[rotation_id].institution
            contact = add_contact(ctx, values.pop("name"), rotation_id=rotation_id, institution=institution,
                                  role=values.pop("role") or "supervisor", **values)
            if letter:
                add_letter_request(ctx, saved_id(contact.id), rotation_id=rotation_id)
            return contact

        self.open_form("Add a supervisor", SUPERVISOR_FORM, {"role": "supervisor", "letter": True}, save,
                       then=lambda c: self.notify(f"Added {c.name}"))

    def action_case(self) -> None:
        from imgcoach.plan import add_case

        rotation_id = self._require()
        if rotation_id is None:
            return
        self.open_form("A case worth remembering", CASE_FORM, {},
                       lambda ctx, v: add_case(ctx, rotation_id, v.pop("title"), **v),
                       hint="Tags: " + ", ".join(CASE_TAGS),
                       then=lambda c: self.notify(f"Noted: {c.title}"))

    def action_manage(self) -> None:
        """Edit or delete the selected rotation's supervisors, letter requests and cases."""
        from imgcoach.tui import people
        from imgcoach.tui.widgets.items import ItemsScreen

        rotation_id = self._require()
        if rotation_id is None:
            return
        self.app.push_screen(ItemsScreen(
            people.rotation_title(self.rotations[rotation_id]),
            lambda ctx: people.rotation_items(ctx, rotation_id),
            lambda item, refresh: people.edit_item(self, rotation_id, item, refresh),
            lambda item, refresh: people.delete_item(self, item, refresh),
            # the Rotations screen's keys, not the dialog's (c noted a case until 8cf5259 gave it to Copy)
            empty="No supervisors, letters or cases yet: Escape closes this, then w adds a supervisor, n a case.",
        ))


def _with_overlaps(ctx: Context, rotation: Any, typed: dict[str, Any], *, added: bool = True) -> Saved:
    """Runs in the form's worker: the saved rotation, its overlap warnings, what became of the specialty
    typed (plan.specialty_note: "Cardiology is counted as Internal Medicine experience ..."), and, when it was
    added or its place or dates changed, when its reminders reach its place (plan.place_note)."""
    from imgcoach.plan import PLACE_FIELDS, overlap_warnings, place_note, specialty_note

    note = specialty_note(typed.get("specialty"), typed.get("department"))
    place = place_note(ctx, rotation, PLACE_HOW) \
        if added or PLACE_FIELDS & typed.keys() else None
    return Saved(rotation, overlap_warnings(ctx, rotation, dates.WORDS), note, place)
