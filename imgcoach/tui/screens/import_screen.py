"""Import a calendar file: type its path, see what every event will become, change it, then import.

Nothing is written until "Import": the preview runs the same rules as `imgcoach import`, and the
import itself is one transaction, done in a worker thread. A broken event is skipped and named; only a
file damaged as a whole imports nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, DataTable, Input, Static

from imgcoach.calendar import KIND_LABELS, KINDS
from imgcoach.core.words import counted
from imgcoach.tui import dates
from imgcoach.tui.screens.base import PlannerScreen
from imgcoach.tui.widgets.detail_pane import DetailPane
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from imgcoach.tui.widgets.path_suggester import CalendarPathSuggester
from imgcoach.tui.widgets.table import PlannerTable
from imgcoach.tui.widgets.text_input import PlannerInput

if TYPE_CHECKING:
    from imgcoach.core.context import Context

START_HINT = "Press ctrl+o, type the path of a calendar file (.ics; → completes it) and press Enter to preview it."
CYCLE = ("", *KINDS)  # "" = leave as an imported event, decide later
ACTION_STYLE = {"create": "green", "update": "yellow", "unchanged": "dim"}


def kind_text(kind: str, suggested: str = "event") -> str:
    """What the row becomes; undecided rows show the suggestion with a question mark."""
    if kind:
        return KIND_LABELS.get(kind, kind)  # type: ignore[call-overload]
    return f"{KIND_LABELS.get(suggested, suggested)}?" if suggested != "event" else "Calendar event"  # type: ignore[call-overload]


def _give_hours(rotation_id: int) -> str:
    """How the app gives a rotation's real hours (the CLI names `rotations edit --hours`)."""
    return f"give them on Rotations: e edits rotation {rotation_id}"


# How the app removes events gone from the file (the CLI says `import with --prune`): ImportReport.gone_words
PRUNE_HERE = 'tick "Remove events gone from the file"'


def _start_key(event: Any) -> str:
    start = event.start
    return start.isoformat() if isinstance(start, datetime) else f"{start.isoformat()}T00:00:00+00:00"


class ImportScreen(PlannerScreen):
    KEY = "import"
    WARM = ("imgcoach.plan:get_profile", "imgcoach.calendar:undoable_import")
    CSS_PATH = "import_screen.tcss"
    # The table, not the path: a path field focused on arrival took every navigation letter typed next
    # ("m" for the Shortlist landed in the path). ctrl+o goes to the path; Escape there comes back.
    AUTO_FOCUS = "#import-table"
    # The end of the app's "Nothing to undo" toast here, where ctrl+z is first this screen's "Undo import": the
    # app's words elsewhere point to this screen's ctrl+z, which had just found nothing (calendar.undoable_import).
    NOTHING_TO_UNDO = "; no import is left to undo either (each one made has been undone, or none was made)"
    BINDINGS = [
        # ctrl+o (open a file), ctrl+a (accept) and j: f, a and n are the timeline's Fit plan, Add and Rotations' Note
        # a case elsewhere (one verb per key: help.KEY_VERBS)
        Binding("ctrl+o", "choose_file", "File", tooltip="Type the path of a calendar file",
                id="import-choose-file"),
        Binding("escape", "leave_path_or_home", "Leave the path, or go home", show=False, id="go-home"),
        # short labels: with a preview, all of them fit the footer at 80 columns; help and the palette say
        # what they do in the tooltip's words
        Binding("k", "cycle_kind", "Kind", tooltip="Change what the row becomes", id="import-cycle-kind"),
        Binding("ctrl+a", "accept_all", "Accept all", tooltip="Accept every suggestion (listed first, to confirm)",
                id="import-accept-all"),
        Binding("j", "keep_separate", "Separate", tooltip="Keep the row apart from the plan item it would link to",
                id="import-separate"),
        Binding("ctrl+s", "apply", "Import", id="import-apply"),
        # ctrl+z, the app's undo key (u is the Outreach screen everywhere else); shown only while the last
        # import can be undone (calendar.undoable_import), else the key is the app's (a delete, or "Nothing to undo")
        Binding("ctrl+z", "undo_import", "Undo import", key_display="^z", id="import-undo"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tz: Any = None
        self.path: Path | None = None
        self.parsed: Any = None
        self.read_in: str | None = None  # the zone `parsed` read the file's floating times in
        self.report: Any = None
        self.kinds: dict[str, str] = {}
        self.separate: set[str] = set()  # events the user keeps as new plan items instead of linking them
        self.import_undoable = False  # calendar.undoable_import, read with every load (after an import, an undo)
        # which import ctrl+z would undo, (id, file), for its question: it asked "Undo the last import" of none named
        self.undo_target: tuple[int | None, str] | None = None
        self.said: Text | None = None  # what just happened (an undo), put above the next preview's notes
        # ImportReport.overlaps of the preview shown, by (prune ticked, every suggestion accepted); emptied when a
        # choice changes
        self.overlap_words: dict[tuple[bool, bool], dict[str, list[str]]] = {}
        self.moves_said = 0  # how many plan items the preview shown moves with their events (its notes say them)

    def body(self) -> ComposeResult:
        with Horizontal(id="import-bar"):
            yield PlannerInput(placeholder="Path to an .ics file (→ completes), then Enter", id="import-path",
                               suggester=CalendarPathSuggester())
            yield Button("Preview", id="import-preview")
            yield Button("Import", id="import-apply", variant="primary", disabled=True)
        with Horizontal(id="import-options"):
            yield Checkbox("Remove events gone from the file", id="import-prune")
        yield Static(START_HINT, id="import-summary")
        yield PlannerTable(id="import-table", cursor_type="row", zebra_stripes=True)
        # Why the selected row was suggested (or kept a plain event), and what accepting it does, in words that
        # wrap: a "Why" column took what was left of 80 columns and showed 'title mentions "ob' (issue 15).
        yield Static("", id="import-why")
        # A real file's notes run to 40 lines under a 6-line pane at 80x24: Tab reaches them after the rows.
        with DetailPane(id="import-notes-pane", titles=("tab: scroll the notes", "shift+tab: back to the rows")):
            yield Static("", id="import-notes")

    def on_mount(self) -> None:
        table = self.query_one(PlannerTable)
        table.add_columns("When (your time)", "Event", "Change", "Becomes")
        table.make_elastic(1, min_width=16)
        self.query_one(DetailPane).offer(False)  # no file read yet: no notes

    def on_resize(self, event: events.Resize) -> None:
        """Under 30 rows the notes pane shows 4 lines, not 6: with the selected row's why below the rows, an
        import's notes and a long path's summary ran the screen past 24 rows, and it scrolled under the footer.
        An inline style on the pane (a screen breakpoint class restyled the whole screen: 10 ms more CPU on the
        first visit, bench_tui --ab)."""
        self.query_one(DetailPane).styles.max_height = 7 if event.size.height >= 30 else 5

    def action_choose_file(self) -> None:
        self.query_one("#import-path", Input).focus()

    def action_leave_path_or_home(self) -> None:
        """Escape in the path gives the keys back to the screen (navigation letters, k, j, and ctrl+a, which moves to
        the path's start there); elsewhere: home."""
        if isinstance(self.focused, Input):
            self.query_one(DataTable).focus()
        else:
            self.planner.action_go_home()

    def fetch(self, ctx: Context) -> tuple[Any, tuple[int | None, str] | None]:
        from zoneinfo import ZoneInfo

        from imgcoach.calendar import undoable_import
        from imgcoach.plan import get_profile

        applicant = get_profile(ctx)
        last = undoable_import(ctx)
        return ZoneInfo(applicant.timezone if applicant else "UTC"), None if last is None else (last.id, last.file)

    def show(self, data: tuple[Any, tuple[int | None, str] | None]) -> None:
        self.tz, self.undo_target = data
        undoable = self.undo_target is not None
        if undoable != self.import_undoable:
            self.import_undoable = undoable
            self.refresh_bindings()
        if self.report is not None and self.path is not None and self.read_in not in (None, self.tz.key):
            # The profile's zone changed since the preview: its rows said the old zone's times ("Times in" the
            # old zone) and ctrl+s would have imported floating times read in it. Read the file again in the new.
            self.parsed = None
            self.said = Text(f"Your time zone is now {self.tz.key}: {self.path.name} was read again in it.",
                             style="yellow")
            self.run_worker(self._preview, thread=True, exclusive=True, group="import", name="import-preview")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo_import":
            return self.import_undoable
        if action == "apply":
            # A file refused as a whole has nothing to import: its Import button is disabled, and the footer's
            # ctrl+s offered the same import, to answer "Preview a file without errors first".
            return self.report is not None and self.report.status != "refused"
        if action in ("cycle_kind", "accept_all", "keep_separate"):
            return self.report is not None  # they act on a preview's rows: offered once there is one
        return super().check_action(action, parameters)

    def why_unavailable(self, action: str) -> str:
        """What the help says beside a key `check_action` withholds now."""
        if action == "undo_import":
            return "not now: no import to undo (ctrl+z then undoes the last delete, as everywhere)"
        if action == "apply" and self.report is not None:
            return "not now: nothing in this file can be imported (its problems are in the notes)"
        if action in ("cycle_kind", "accept_all", "keep_separate", "apply"):
            return "not yet: preview a calendar file first (ctrl+o)"
        return ""

    # --- preview ----------------------------------------------------------------------------------

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#import-preview")
    def start_preview(self) -> None:
        raw = self.query_one("#import-path", Input).value.strip()
        if not raw:
            self.notify("Type the path of an .ics file first", severity="warning")
            return
        self.path = Path(raw).expanduser()
        self.kinds, self.parsed = {}, None  # Enter reads the file again: it may have changed
        self.separate = set()
        self.said = None  # a file asked for by the user: its notes alone
        self.query_one("#import-summary", Static).update(Text(f"Reading {self.path} ...", style="dim"))
        self.query_one("#import-apply", Button).disabled = True
        self.run_worker(self._preview, thread=True, exclusive=True, group="import", name="import-preview")

    def _options(self) -> dict[str, Any]:
        return {"kinds": dict(self.kinds), "separate": set(self.separate)}

    def _preview(self) -> None:
        from imgcoach.calendar import import_timezone, preview_import, read_calendar_file
        from imgcoach.core.errors import UserError

        ctx = self.planner.open_context()
        assert self.path is not None
        try:
            if self.parsed is None:
                tz = import_timezone(ctx)
                self.parsed, self.read_in = read_calendar_file(ctx, self.path, tz), tz
            report = preview_import(ctx, self.path, parsed=self.parsed, **self._options())
        except UserError as exc:
            self.app.call_from_thread(self.not_previewed, self.path, str(exc))
            return
        self.app.call_from_thread(self.show_report, report)

    def not_previewed(self, path: Path, error: str) -> None:
        """A preview refused as a whole (not a damaged file: that is a report with its problems). The last file's
        rows and notes stayed under "Reading FILE ...", and ctrl+s was offered for them: none of it is current."""
        line = Text(f"Could not preview {path.name}: {error}", style="red")
        self.notify(line.plain, severity="error", timeout=8)
        self.query_one("#import-summary", Static).update(line)
        self._forget(line)

    def _forget(self, line: Text) -> None:
        """No preview shown any more: no rows, nothing to import, and the notes say only `line`."""
        self.report, self.parsed = None, None
        self.refresh_bindings()
        self.query_one(DataTable).clear()
        self._show_why()
        self.query_one("#import-apply", Button).disabled = True
        self._show_notes(line)

    def _show_notes(self, notes: Text) -> None:
        self.query_one("#import-notes", Static).update(notes)
        pane = self.query_one(DetailPane)
        pane.offer(bool(notes.plain))
        pane.scroll_home(animate=False)  # another file's notes, from the first

    def show_report(self, report: Any) -> None:
        self.report = report
        self.moves_said = len(report.moving())
        self.overlap_words = {}
        self.refresh_bindings()
        summary = Text()
        if report.status == "refused":
            summary.append(f"{report.file}: {counted(len(report.problems), 'problem')}. Nothing will be imported", style="bold red")
            advice = report.blocker.advice if report.blocker else ""  # the problems themselves are in the notes
            summary.append(f" ({advice})." if advice else ".")
        else:
            summary.append(f"{report.file}: ", style="bold")
            summary.append(f"{report.created} new, {report.updated} changed, {report.unchanged} unchanged")
            if report.removed:
                summary.append(f", {len(report.removed)} cancelled", style="yellow")
            if report.gone:
                summary.append(f", {len(report.gone)} gone from the file", style="yellow")
            if report.skipped:
                summary.append(f", {len(report.skipped)} skipped", style="red")
            if report.already:
                summary.append(f", {len(report.already)} already in the plan", style="dim")
            if report.others_reminders:
                summary.append(f", {len(report.others_reminders)} another plan's reminders left out", style="dim")
            summary.append(f". Times in {report.timezone}.")  # the keys are in the footer (and help)
        self.query_one("#import-summary", Static).update(summary)
        self.query_one("#import-apply", Button).disabled = report.status == "refused"
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for e in sorted(report.events, key=_start_key):
            table.add_row(self._when(e), e.summary or "(no title)", Text(e.action, style=ACTION_STYLE.get(e.action, "")),
                          self._becomes(e), key=e.key)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
            if isinstance(self.focused, Input):  # k and j act on the rows: typed in the path they were text
                table.focus()
        self._show_why()
        notes = self._notes(report)
        if self.said is not None:  # the undo just done, then the file as it would import now
            notes = Text("\n").join([self.said, notes]) if notes.plain else self.said
            self.said = None
        self._show_notes(notes)

    def _when(self, e: Any) -> str:
        """An event's start as every line of this screen writes it, the app's way (tui.dates): "01 Mar 2027", or
        "01 Mar 2027 07:00" in the applicant's zone, which the summary names. Accept all listed "2027-03-01 07:00
        EST" beside the table's "01 Mar 2027 07:00" (issue 15)."""
        return dates.day(e.start) if e.all_day else dates.moment(e.start, self.tz)

    def _start_words(self, start: datetime | date) -> str:
        """A stored start (UTC, or a day) the way this screen's rows write it: the gone events' notes and the line
        ImportReport.gone_words says, which gave the CLI's "2027-01-12 17:00 EST" beside rows of "12 Jan 2027 17:00"."""
        return dates.moment(start, self.tz) if isinstance(start, datetime) else dates.day(start)

    @staticmethod
    def _becomes(e: Any) -> str:
        """The kind, and whether it links to a plan row that exists or joins its series' first occurrence."""
        label = kind_text(e.kind, e.suggestion.kind)
        if e.follows:
            return f"{label} (series)" if e.kind else "Calendar event (series)"
        how = e.how()
        if how == "link" and e.link is not None:
            return f"{label} → link {e.link.id}"
        if how == "not made":  # the import keeps it a calendar event (the why says why)
            return f"{label} not made"
        return label

    def _import_said(self, report: Any) -> Text | None:
        """What the import itself said that its preview had not (a linked rotation keeping other days than its
        event, a plan item not made), as the CLI prints it: the preview that follows the import has none of it,
        so without this the app said only the counts."""
        shown = {p.describe() for p in self.report.warnings} if self.report is not None else set()
        new = [p for p in report.warnings if p.describe() not in shown]
        # What it made, linked or moved, in the CLI's lines (with where a rotation's hours a week came from): they
        # were shown only when a rotation had an hours note, so a link or a study block made went unnamed.
        made = report.mapped_lines(_give_hours) + report.moved_lines() + report.unmade_lines()
        kept = report.gone_words(PRUNE_HERE, self._start_words)
        if not new and not made and not kept:
            return None
        said = Text(f"The import of {self.path.name if self.path else 'the file'} said:\n", style="yellow")
        for p in new:
            said.append(f"note: {p.describe()}\n", style="yellow" if p.severity == "warning" else "dim")
        for line in made:
            said.append(f"{line}\n", style="dim")
        if kept:
            said.append(f"{kept}\n", style="yellow")
        return said

    def _notes(self, report: Any) -> Text:
        notes = Text()
        for p in report.problems:
            notes.append(f"error: {p.describe()}\n", style="red")
        for p in report.skipped:
            notes.append(f"skipped: {p.describe()}\n", style="red")
        for p in report.warnings:
            notes.append(f"note: {p.describe()}\n", style="yellow" if p.severity == "warning" else "dim")
        for line in report.change_lines():  # what "changed" changes, in the CLI's words
            notes.append(f"{line}\n", style="dim")
        if report.status == "preview":  # the items that move with their events: said only once imported
            for line in report.moved_lines():
                notes.append(f"{line}\n", style="yellow")
        for r in report.removed:  # with the plan item made from it, which goes too (it went unsaid until the import)
            note = report.removal_note(r.get("also_removed"))
            notes.append(f"cancelled, will be removed: {r['summary'] or r['uid']}" + (f"; {note}" if note else "")
                         + "\n", style="yellow")
        for g in report.gone:
            note = report.gone_note(g)
            start = g["start"]  # stored in UTC: shown as the rows are, in the applicant's zone (it printed the UTC value)
            when = "" if start is None else f" ({self._start_words(start)})"
            notes.append(f"gone from the file: {g['summary'] or g['uid']}{when}" + (f"; {note}" if note else "")
                         + "\n", style="yellow")
        if report.already:
            notes.append(f"{report.already_note()}\n", style="dim")
        if report.others_reminders:
            notes.append(f"{report.others_note()}\n", style="dim")
        if report.own_linked:
            notes.append(f"{report.own_note()}\n", style="dim")
        return notes

    @on(DataTable.RowHighlighted, "#import-table")
    def _row_highlighted(self) -> None:
        self._show_why()

    def _show_why(self) -> None:
        """The selected row in full: its title (cut in the table at 80 columns), why the rules suggested what
        they did, and what it becomes; nothing without a row."""
        event = self._selected()
        line = self.query_one("#import-why", Static)
        line.display = event is not None
        line.update(Text() if event is None else self._why(event))

    def _why(self, e: Any) -> Text:
        why = Text()
        why.append(e.summary or "(no title)", style="bold")  # its day is the row's first column, never cut
        why.append(" · Why: ", style="bold")
        why.append(e.suggestion.rule)
        if e.follows:
            first = next((f for f in self.report.events if f.key == e.follows), None) if self.report else None
            start = "" if first is None else (
                f" ({self._when(first)})")
            why.append(f". One of a series: it becomes what the series' first row{start} becomes.")
        elif e.kind and e.kind == e.mapped_kind:  # imported before: accepting made it then, nothing new now
            why.append(f". Imported before as a {kind_text(e.kind).lower()}: it stays one.")
        elif e.kind and e.kind != e.suggestion.kind:
            why.append(f". You chose {kind_text(e.kind)} (k changes it)")
            # the plan item an earlier import made from it goes, or none is made (the import said them only afterwards)
            said = (e.made and e.kind != e.mapped_kind) or e.how(e.kind) == "not made"
            why.append(f": {e.describe_target()}." if said else ".")
        elif e.kind or e.suggested:
            why.append(f". {'Accepted' if e.kind else 'Accepting it (ctrl+a, with every suggestion)'}: {e.describe_target()}.")
        else:
            why.append(".")
        # What the rotation it makes collides with, in the words the import says once it has made it: they came
        # only then, after ctrl+s. Undecided, as ctrl+a would accept it (with every suggestion).
        for overlap in self._overlaps(accept_all=not e.kind).get(e.key, ()):
            why.append(f" {overlap}.", style="yellow")
        return why

    def _overlaps(self, accept_all: bool) -> dict[str, list[str]]:
        """What each rotation the import would make collides with (ImportReport.overlaps), with the choices made
        here and the prune box as it is, or with every suggestion accepted (`accept_all`)."""
        if self.report is None:
            return {}
        prune = self.query_one("#import-prune", Checkbox).value
        key = (prune, accept_all)
        if key not in self.overlap_words:
            self.overlap_words[key] = self.report.overlaps(prune, accept_all)
        return self.overlap_words[key]

    @on(Checkbox.Changed, "#import-prune")
    def _prune_changed(self) -> None:
        self._show_why()  # a rotation made from a pruned event goes: what a new one collides with may change

    # --- choices -----------------------------------------------------------------------------------

    def _selected(self) -> Any:
        table = self.query_one(DataTable)
        if self.report is None or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((e for e in self.report.events if e.key == key), None)

    def action_cycle_kind(self) -> None:
        event = self._selected()
        if event is None:
            return
        if event.follows:
            # The import makes a series' rows what its first row becomes, whatever was chosen here: k on a later
            # row showed "Rotation" on it, and the import then kept it a calendar event of its series.
            self.notify("One of a series: it becomes what the series' first row becomes (k on that row changes it)")
            return
        event.kind = CYCLE[(CYCLE.index(event.kind) + 1) % len(CYCLE)] if event.kind in CYCLE else ""
        self.kinds[event.key] = event.kind or "event"
        if not event.kind:
            self.kinds.pop(event.key)
        self._show_becomes([event])

    def _show_becomes(self, changed: list[Any]) -> None:
        """The Becomes of rows whose choice changed, and of the later rows of their series, which become what their
        first row becomes (the import's rule): they went on saying "Calendar event (series)" after a Rotation."""
        assert self.report is not None
        self.overlap_words = {}  # what a rotation made collides with follows the choices
        keys = {e.key for e in changed}
        followers = [e for e in self.report.events if e.follows in keys and not e.mapped_kind]
        leaders = {e.key: e for e in changed}
        for e in followers:
            e.kind = leaders[e.follows].kind
        table = self.query_one(DataTable)
        for e in changed + followers:
            table.update_cell(e.key, table.ordered_columns[3].key, self._becomes(e))
        self._show_why()
        if self.report.moved and len(self.report.moving()) != self.moves_said:  # k made one no longer move: notes anew
            self.moves_said = len(self.report.moving())
            self._show_notes(self._notes(self.report))

    def action_keep_separate(self) -> None:
        """Toggle: the selected event becomes a new plan item instead of linking to the one the rules found."""
        event = self._selected()
        if event is None:
            return
        if event.link is None:
            self.notify("This event links to nothing in your plan: it is already an item of its own")
            return
        event.separate = event.key not in self.separate
        if event.separate:
            self.separate.add(event.key)
            self.notify(f"{event.summary[:40] or 'This event'}: a new item, not linked to {event.link.label} "
                        "(n again links it)")
        else:
            self.separate.discard(event.key)
            self.notify(f"{event.summary[:40] or 'This event'}: linked to {event.link.label} again")
        self._show_becomes([event])

    def action_accept_all(self) -> None:
        """Say what accepting all will do, every item (also rows off screen), then do it on "yes"."""
        if self.report is None:
            return
        pending = [e for e in self.report.events if not e.kind and e.suggested]
        if not pending:
            self.notify(self._nothing_to_accept(), severity="information")
            return
        counts: dict[tuple[str, str], int] = {}  # (one, many): "25 new rotation" was said of 25
        for e in pending:
            label = KIND_LABELS[e.suggestion.kind].lower()
            how = e.how(e.suggestion.kind)
            what = (f"link to an existing {label}", f"links to existing {label}s") if how == "link" else \
                (f"{label} not made", f"{label}s not made") if how == "not made" else (f"new {label}", f"new {label}s")
            counts[what] = counts.get(what, 0) + 1
        lines = [f"Accept {counted(len(pending), 'suggestion')}: "
                 + ", ".join(counted(n, one, many) for (one, many), n in sorted(counts.items())),
                 f"(times in {self.report.timezone})", ""]
        overlaps = self._overlaps(accept_all=True)  # under each rotation, what it would collide with
        for e in sorted(pending, key=_start_key):
            lines.append(f"{self._when(e)}  {e.summary[:40] or '(no title)'}  → {e.describe_target()}")
            lines += [f"    {overlap}" for overlap in overlaps.get(e.key, ())]

        def answered(yes: bool | None) -> None:
            if yes:
                self._accept(pending)

        self.app.push_screen(ConfirmScreen("Accept all suggestions", "\n".join(lines), yes="Accept"), answered)

    def _nothing_to_accept(self) -> str:
        """Why `a` has nothing to accept. "No suggestions left to accept" was said also of a file none of whose
        events had one, as if some had been accepted."""
        assert self.report is not None
        suggested = self.report.suggestions()
        if not suggested:
            return (f"Nothing to accept: imgcoach suggests no plan item for any event of {Path(self.report.file).name} "
                    "(k sets a row's kind)")
        already = sum(1 for e in suggested if e.mapped_kind and e.kind == e.mapped_kind)
        parts = [f"{already} already in your plan"] if already else []
        if len(suggested) - already:
            parts.append(f"{len(suggested) - already} accepted or chosen here")
        every = "its one suggestion is" if len(suggested) == 1 else f"all {len(suggested)} suggestions are"
        return f"Nothing left to accept: {every} decided ({', '.join(parts)}; k changes a row)"

    def _accept(self, pending: list[Any]) -> None:
        for e in pending:
            e.kind = e.suggestion.kind
            self.kinds[e.key] = e.kind
        self._show_becomes(pending)

    def action_undo_import(self) -> None:
        """Revert the last import (events, the plan items it made or changed, their reminders), after a yes."""

        # The import the question names is the one undone, or none (undo_last_import refuses another): one made
        # meanwhile from the command line was undone under the name of the one before.
        named = self.undo_target[0] if self.undo_target is not None else None

        def answered(yes: bool | None) -> None:
            if not yes:
                return

            def work(ctx: Context) -> Any:
                from imgcoach.calendar import undo_last_import

                return undo_last_import(ctx, named)

            self.act(work, self.undone)

        # Which import, by the number `imgcoach import --history` lists and its file (the title stays short at 80
        # columns; the body wraps): after a second import that wrote nothing, ctrl+z undoes the one before it.
        title, which = "Undo the last import", "The last import"
        if self.undo_target is not None:
            number, file = self.undo_target
            title = f"Undo import {number}" if number is not None else title
            which = f"{'Import ' + str(number) if number is not None else 'The last import'} of {Path(file).name}"
        self.app.push_screen(ConfirmScreen(
            title, f"{which}: remove the events it added, put back what it changed or removed, and remove the "
            "rotations, study blocks and exams it made (if any), with their reminders.", yes="Undo"), answered)

    def undone(self, done: Any) -> None:
        """The notes say the undo at once: those shown were of the file before it (the rows said "unchanged")."""
        name = Path(done.file).name
        # what the import had done, now undone, in the counts `imgcoach import --undo` prints: the name alone
        # did not say whether the rotation it made (and its reminders) had gone too
        from imgcoach.calendar import undone_counts

        self.notify(f"Undid the import of {name} ({undone_counts(done)})", timeout=6)
        # Not this import any more: the reload that follows reads the one before, if any (a ctrl+z meanwhile asks
        # of "the last import", and undoes whichever that is).
        self.undo_target = None
        self.said = Text(f"Import of {name} undone.", style="yellow")
        if self.path is not None and self.parsed is not None:  # the file shown, read against the plan as it is now
            self._show_notes(self.said + Text(f" Previewing {self.path.name} again…", style="dim"))
            self.run_worker(self._preview, thread=True, exclusive=True, group="import", name="import-preview")
        else:
            self._show_notes(self.said)
            self.said = None

    # --- import ------------------------------------------------------------------------------------

    @on(Button.Pressed, "#import-apply")
    def action_apply(self) -> None:
        if self.report is None or self.report.status == "refused" or self.path is None:
            self.notify("Preview a file without errors first", severity="warning")
            return
        prune = self.query_one("#import-prune", Checkbox).value
        options = self._options()
        path, parsed, read_in = self.path, self.parsed, self.read_in

        def work(ctx: Context) -> Any:
            from imgcoach.calendar import apply_import, import_timezone
            from imgcoach.core.errors import UserError

            zone = import_timezone(ctx)
            if parsed is not None and read_in != zone:  # changed elsewhere since the preview shown
                raise UserError(f"Nothing imported: your time zone is now {zone}, not {read_in} as in this preview; "
                                "the file is read again in it (the reload after a refusal): check it, then ctrl+s")
            return apply_import(ctx, path, parsed=parsed, prune=prune, **options)

        self.act(work, self.imported)

    def imported(self, report: Any) -> None:
        if report.status == "refused":
            self.notify(f"Nothing imported: {counted(len(report.problems), 'problem')}", severity="error")
            self.show_report(report)
            return
        if report.import_id is None:
            # Nothing written (the file as the plan already holds it): "Imported: 0 new, 0 changed, 0 removed"
            # read as an import, and the ctrl+z offered next undoes the import before it, not this one.
            name = self.path.name if self.path else report.file
            if report.unchanged:
                said = f"{name} has nothing new for your plan ({counted(report.unchanged, 'event')} unchanged)"
            else:  # "nothing new ... (0 events unchanged)" of a file whose events all fell outside the import window
                why = " (the notes say why)" if self._notes(report).plain else ""
                said = f"{name} has no event this import can take{why}"
            kept = report.gone_words(PRUNE_HERE, self._start_words)  # still in the plan, though the file no longer has them
            self.notify(f"Nothing imported: {said}" + (f"; {kept}" if kept else ""), timeout=6)
            self.kinds, self.separate = {}, set()
            self.said = self._import_said(report)
            self.run_worker(self._preview, thread=True, exclusive=True, group="import", name="import-preview")
            return
        # A link to a plan item that was there already made nothing: said apart, as the CLI's "linked to" lines.
        linked = sum(1 for m in report.mapped if m.get("linked"))
        made = f", made {report.made_words()}" if len(report.mapped) > linked else ""
        made += f", linked {counted(linked, 'event')} to your plan" if linked else ""
        made += f", moved {len(report.moved)} with their events" if report.moved else ""
        kept = report.gone_words(PRUNE_HERE, self._start_words)
        self.notify(f"Imported: {report.created} new, {report.updated} changed, {len(report.removed)} removed{made}"
                    + (f"; {kept}" if kept else ""), timeout=6)
        self.kinds, self.separate = {}, set()
        self.said = self._import_said(report)
        self.import_undoable = True  # this import, at once: the reload that follows reads the rule again
        self.undo_target = (report.import_id, report.file)
        self.refresh_bindings()
        self.run_worker(self._preview, thread=True, exclusive=True, group="import", name="import-preview")
