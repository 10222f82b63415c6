"""Shortlist: the programs chosen under the budget, the match chance, and what changed since last seen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from imgcoach.core.errors import UserError
from imgcoach.core.words import counted
from imgcoach.matching import (
    chosen_words,
    display_name,
    entry_note,
    exclusion_line,
    fee_words,
    interview_chance_text,
    match_year_words,
    one_time_fee_block,
    pct,
    pct_span,
    provenance_note,
    shortlist_sentence,
    specialty_note_lines,
)
from imgcoach.tui import dates
from imgcoach.tui.widgets.detail_pane import DetailPane
from imgcoach.tui.widgets.filter_bar import FilterableScreen
from imgcoach.tui.widgets.table import DetailsTable, NewRow

if TYPE_CHECKING:
    from imgcoach.core.context import Context

def sponsored_visas(explained: dict[str, Any]) -> list[str]:
    """The visas the program's data says it sponsors ("yes"), for `visa:j1` / `visa:h1b`; unknown is not yes."""
    stated = {fact["field"]: fact["value"] for fact in explained.get("facts", [])}
    return [visa for visa, name in (("j1", "visa_j1"), ("h1b", "visa_h1b")) if stated.get(name) == "yes"]



def fit_program_name(shown: str, width: int) -> str:
    """A shown program name cut to the column's width; a synthetic row keeps its "(synthetic)" whole."""
    return display_name(shown, shown.endswith(" (synthetic)"), width)

class ShortlistScreen(FilterableScreen):
    FETCH_WRITES_BOOKKEEPING = True  # the stored run (matching.current) and mark_seen: only this screen reads them
    KEY: ClassVar[str] = "shortlist"
    WARM = ("imgcoach.matching:current", "imgcoach.matching:explain_program", "imgcoach.matching:warm_program_cache",
            "imgcoach.matching:budget_curve")
    # `imgcoach programs add` / `programs edit` in the app: one program typed by hand, the same checks as a file.
    BINDINGS = [
        Binding("a", "add_program", "Add program", id="shortlist-add-program"),
        Binding("e", "edit_program", "Edit program", id="shortlist-edit-program"),
        # Issue 15: the list's chance by budget and by tier as a picture (C: "chance"; b is Outreach's "Mark sent").
        # A short footer word so the footer keeps "^p palette" whole at 80 columns; the palette says it in full.
        Binding("C", "toggle_budget_plot", "Chance plot", id="shortlist-budget-plot",
                tooltip="Chance by budget and by tier (a picture; C again: the list)"),
    ]
    # Shown in the list view and hidden in the picture (and the reverse for the plot pane).
    LIST_PARTS = ("#shortlist-summary", "#shortlist-changes", "#shortlist-table", "#shortlist-detail-pane",
                  "#shortlist-provenance-pane")
    TITLE_TEXT = "Shortlist"
    CSS_PATH = "shortlist_screen.tcss"
    FILTER_FACETS = ("state", "tier", "visa")
    FILTER_FLAGS = ("plan",)
    FILTER_HINT = "words, state:NY,NJ  tier:likely  visa:h1b  plan (needs your plan); Esc clears"
    FILTER_EMPTY_PANE = "#shortlist-detail"

    def __init__(self) -> None:
        super().__init__()
        self._data: dict[str, Any] = {}
        self._ids: list[str] = []

    def body(self) -> ComposeResult:
        # markup=False: the texts are data and the CLI's words, and "[assumption] ..." read as Rich markup vanished
        # from the screen (the label that says a number is an assumption), as would a program name in brackets.
        yield Static("Loading shortlist...", id="shortlist-summary", markup=False)
        yield Static("", id="shortlist-changes", markup=False)
        yield from self.filtered(DetailsTable(id="shortlist-table", cursor_type="row", zebra_stripes=True,
                                              sortable=True))
        with DetailPane(id="shortlist-detail-pane"):  # Tab reaches it: the explanation is longer than 80x24 shows
            yield Static("", id="shortlist-detail", markup=False)
        # Tab reaches it too: with the one-time fees and the excluded counts it is longer than 80x24 shows.
        with DetailPane(id="shortlist-provenance-pane"):
            yield Static("", id="shortlist-provenance", markup=False)
        with DetailPane(id="shortlist-plot-pane"):  # hidden until C; scrolls where the picture is taller
            yield Static("", id="shortlist-plot", markup=False)

    def on_mount(self) -> None:
        # No reload here: the base screen loads whenever the screen becomes current (also the first time).
        table = self.query_one(DetailsTable)
        table.add_columns("#", "Program", "State", "Tier", "Interview", "Fee", "Note")
        table.make_elastic(1, fit_program_name, min_width=20)

    def show_load_error(self, error: UserError) -> None:
        """A missing profile is the base screen's toast; missing or unreadable program data is said once, in
        place (a stored program this code cannot read: named with its field, as the CLI says it)."""
        from imgcoach.matching import NoProgramData, StoredProgramError

        if not isinstance(error, NoProgramData | StoredProgramError):
            self.query_one("#shortlist-summary", Static).update(str(error))
            super().show_load_error(error)
            return
        self._data, self._ids = {}, []
        self.query_one(DataTable).clear()
        self.query_one("#shortlist-summary", Static).update(
            "No shortlist: a stored program cannot be read" if isinstance(error, StoredProgramError)
            else "No shortlist yet")
        self.query_one("#shortlist-changes", Static).update("")
        self.query_one("#shortlist-provenance", Static).update("")
        # The CLI's words (matching.NoProgramData), so both say the same thing.
        message = str(error)
        self.query_one("#shortlist-detail", Static).update(
            message[:1].upper() + message[1:] + ".\nThis screen updates when you come back to it.")
        # The picture says the same: what to do, not an empty plot.
        self.query_one("#shortlist-plot", Static).update(
            "Chance by budget: nothing to draw. " + message[:1].upper() + message[1:] + ".")

    def fetch(self, ctx: Context) -> Any:
        from imgcoach import matching as service
        from imgcoach.matching import explain_program as explain

        # One ranking stored (when stale) and shown, as `imgcoach shortlist` does; the reasons' days in the app's words.
        result = service.current(ctx).shortlist
        changes = service.changes_since_seen(ctx)
        explained = {e.program_id: explain(result.ranking, e.program_id, words=dates.WORDS) for e in result.entries}
        # Seen only by a person on this screen: built ahead (PlannerApp.prebuild_screens) nobody has read the
        # changes, and marking them then hid them from the visit (after TRUST_SECONDS a return reloads) and from
        # `imgcoach shortlist`. Asked last, so a visit that began during this load counts.
        marked = self.is_current
        if marked:
            service.mark_seen(ctx)
        # The picture's numbers, computed here in the worker from the same list (matching.budget_curve).
        return {"shortlist": result, "changes": changes, "explained": explained,
                "curve": service.budget_curve(result), "tiers": service.tier_bars(result), "marked": marked}

    @classmethod
    def warm_data(cls, ctx: Context) -> None:
        """The programs' table, most of the first load's time on the large plan (matching.warm_program_cache)."""
        from imgcoach.matching import warm_program_cache

        warm_program_cache(ctx)

    def show(self, data: Any) -> None:
        self._data = data
        if data["changes"] and not data["marked"]:
            self.seen = None  # the visit loads again, and that load marks the changes it shows as seen
        result = data["shortlist"]
        # The same words as `imgcoach shortlist` (imgcoach.matching.present): the range where inputs are unknown,
        # only a range where a specialty has no public figure, cited figures and assumptions named.
        sentence = shortlist_sentence(result)
        self.query_one("#shortlist-summary", Static).update(
            sentence[:1].upper() + sentence[1:]
            + f"\n{chosen_words(result)}; about {counted(round(result.expected_interviews), 'interview')} expected"
        )
        changes = data["changes"]
        lines = [f"{counted(len(changes), 'change')} since you last looked:"] if changes else ["No changes since you last looked."]
        for c in changes[:3]:
            lines.append(f"  {c['kind']} {c['program_id']}: {c['why']}")
        self.query_one("#shortlist-changes", Static).update("\n".join(lines))
        table = self.query_one(DetailsTable)
        selected = table.cursor_key()
        table.clear()
        self._ids = []
        pgy1 = result.pgy1.lines() if result.pgy1 is not None else []  # the list `imgcoach shortlist` prints beside
        # The CLI's WARNING lines first (no Step 2 CK score yet, H-1B without Step 3): the screen left them out.
        # The Match the list counts for, and why: the Readiness screen names the same one (plan.rules.season).
        year = match_year_words(result)
        fees = fee_words(result)  # the fees' schedule, season and source, as `imgcoach shortlist` prints them
        # The one-time fees and the programs each requirement excluded, as `imgcoach shortlist` prints them: the
        # screen said "(94 excluded by requirements)" and a list's fees with neither.
        excluded = [line[:1].upper() + line[1:] for line in (exclusion_line(result),) if line]
        self.query_one("#shortlist-provenance", Static).update(
            "\n".join([*(f"WARNING {w}" for w in result.warnings), year[:1].upper() + year[1:], fees[:1].upper() + fees[1:],
                       *one_time_fee_block(result), *excluded, *specialty_note_lines(result.specialty_notes), *pgy1,
                       provenance_note()]))
        table.add_keyed_rows(  # in one pass (PlannerTable.add_keyed_rows)
            NewRow((str(n), display_name(e.name, e.synthetic, len(e.name) + 12), e.state, e.tier, pct(e.probability),
                    f"${e.fee_usd:g}", entry_note(e)), e.program_id,
                   facets={"state": [e.state], "tier": [e.tier],
                           "visa": sponsored_visas(data["explained"][e.program_id])},
                   flags=["plan"] if e.status == "conditional" else [],
                   search_also=[e.name])  # the whole name, also when the window cuts it
            for n, e in enumerate(result.entries, start=1))
        self._ids = [e.program_id for e in result.entries]
        if selected is not None:
            table.move_to_key(selected)  # the same program after a reload, unless it left the list
        if self._ids:
            self._detail(self._index_of(table.cursor_key()))
        else:
            # Why the list is empty, as `imgcoach shortlist` says it: only the picture (C) said it, the table and
            # this pane showed an empty list and the disclaimer.
            why = result.why_nothing_eligible() or ""
            self.query_one("#shortlist-detail", Static).update(
                (why[:1].upper() + why[1:] + ".\n\n" if why else "") + result.disclaimer)
        self._draw_plot()

    def _draw_plot(self) -> None:
        """Draw the picture for the window's width (again after a resize); the list's words when it is empty. Only
        while it is shown: C draws it. Drawn at each load behind the list, its module's import and the picture were
        part of every first visit (issue 15), for a pane most visits never show."""
        if not self.showing_plot:
            return
        from imgcoach.tui.widgets.budget_plot import picture, plot_height

        plot = self.query_one("#shortlist-plot", Static)
        result = self._data.get("shortlist")
        if result is None:
            return
        if not result.entries:
            why = result.why_nothing_eligible() or "no program chosen"
            plot.update("Chance by budget: nothing to draw. " + why[:1].upper() + why[1:] + ".")
            return
        synthetic = sum(e.synthetic for e in result.entries)
        # The pane's padding (2) and its scrollbar (2) take from the window's width.
        plot.update(picture(self._data["curve"], self._data["tiers"], synthetic, self.app.size.width - 4,
                            plot_height(self.app.size.height)))

    def on_resize(self, event: events.Resize) -> None:
        """Under 30 rows the panes below the list are shorter (the explanation 3 lines, not 7; the list's fees
        and sources 1, not 3): at 80x24 they and the summary left the table 3 rows of a 60 to 80-row list. Both
        still scroll (Tab) and Enter shows a program's whole explanation. Inline styles, as the Import screen's
        notes: a screen breakpoint class restyles the whole screen on its first visit."""
        small = event.size.height < 30
        self.query_one("#shortlist-detail-pane").styles.height = 4 if small else 8
        self.query_one("#shortlist-provenance-pane").styles.height = 2 if small else 4
        self._draw_plot()

    @property
    def showing_plot(self) -> bool:
        return bool(self.query_one("#shortlist-plot-pane").display)

    def action_toggle_budget_plot(self) -> None:
        """C: the picture in place of the list, and back; the focus goes with it."""
        plot = not self.showing_plot
        for selector in self.LIST_PARTS:
            self.query_one(selector).display = not plot
        self.query_one("#shortlist-plot-pane").display = plot
        self._draw_plot()  # for the data and the window as they are now (drawn only while shown)
        self.query_one("#shortlist-plot-pane" if plot else "#shortlist-table").focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(self._index_of(event.row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a program: its whole explanation in a scrollable dialog."""
        from imgcoach.tui.widgets.dialogs import TextScreen
        from imgcoach.tui.wrap import keep_indent

        lines = self._detail_lines(self._index_of(event.row_key.value))
        if lines:
            self.app.push_screen(TextScreen(lines[0], keep_indent("\n".join(lines[1:]))))

    def _index_of(self, program_id: str | None) -> int:
        """The row's place in the ranking, whatever order the table is sorted in."""
        return self._ids.index(program_id) if program_id in self._ids else -1

    def _detail_lines(self, index: int) -> list[str]:
        if not 0 <= index < len(self._ids):
            return []
        info = self._data["explained"][self._ids[index]]
        result = self._data["shortlist"]
        entry = result.entries[index]
        # The chance as `imgcoach shortlist --json` qualifies it (its range where inputs are unknown), and what in
        # it is assumed (what_is_assumed): a bare "51%" said more than the model knows.
        lines = [f"{info['id']} {info['name']} ({info['tier']}): interview {interview_chance_text(result, entry)}"]
        lines += [f"  {f['logodds']:+.2f} {f['text']}" for f in info.get("top_factors", [])]
        lines += [f"  - {r}" for r in info["reasons"]]
        if entry.assumptions:
            lines.append("  Assumed:")
            lines += [f"    {a}" for a in entry.assumptions]
        lines += self._signal_lines(self._ids[index])
        lines.append(self._data["shortlist"].disclaimer)
        return lines

    def _signal_lines(self, program_id: str) -> list[str]:
        """Where `imgcoach shortlist` suggests a signal, the same suggestion and cited effect on this program."""
        from imgcoach.core.vocab.specialties import specialty_names
        from imgcoach.matching import SIGNAL_CHANCES_BASIS, advise_signals

        if "signals" not in self._data:
            self._data["signals"] = {p.program_id: (a, p) for a in advise_signals(self._data["shortlist"].entries)
                                     for p in a.placements}
        found = self._data["signals"].get(program_id)
        if found is None:
            return []
        advice, placed = found
        name = specialty_names().get(advice.specialty, advice.specialty)
        lines = [f"  Signal: one of your {advice.signals} {name} program signals is suggested here "
                 f"({advice.season}) [{advice.source}]"]
        # The effect as `imgcoach shortlist` words it: whether it is this specialty's own figure, whom it covers
        # (the nine-specialty range excluded IMGs). The pane gave only its size, season and cite.
        lines.append(f"    effect: {advice.effect_text()}")
        if placed.if_signalled is not None:
            low, high = placed.if_signalled
            lines.append(f"    interview {pct(placed.probability)} now; {pct_span(low, high, ' to ')} if the cited odds "
                         "ratio held for you")
        lines.append(f"    {SIGNAL_CHANCES_BASIS}")
        return lines

    def _detail(self, index: int) -> None:
        if not 0 <= index < len(self._ids):
            return
        self.draw_detail_once(self._data["explained"][self._ids[index]], lambda: self._draw_detail(index))
        self.query_one(DetailPane).scroll_home(animate=False)  # another program's explanation, from its top

    def _draw_detail(self, index: int) -> None:
        from imgcoach.tui.wrap import keep_indent  # a wrapped line stays under its indent (issue 15)

        self.query_one("#shortlist-detail", Static).update(keep_indent("\n".join(self._detail_lines(index))))

    def action_add_program(self) -> None:
        from imgcoach.tui.forms import PROGRAM_FORM

        defaults = {"program_type": "unknown", "visa_j1": "unknown", "visa_h1b": "unknown"}
        self.open_form("Add a program", PROGRAM_FORM, defaults, add_typed_program,
                       then=lambda pid: self._programs_changed(f"Added {pid}; the shortlist is recomputed"),
                       hint="Blank fields are unknown. The same columns and checks as `imgcoach programs template`.")

    def action_edit_program(self) -> None:
        from imgcoach.matching import program_values
        from imgcoach.tui.forms import PROGRAM_EDIT_FORM

        program_id = self.query_one(DetailsTable).cursor_key()
        if program_id is None or program_id not in self._ids:
            self.notify("No program selected: press a to add one", severity="warning")
            return
        try:
            current = program_values(self.planner.open_context(), program_id)
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return
        shown = {k: ("" if v == "unknown" and k not in ("program_type", "visa_j1", "visa_h1b") else v)
                 for k, v in current.items()}
        # The specialty as the add form takes it and completes it ("Family Medicine"), not the file's code
        # ("family_medicine"); left as shown it is no change (edit_typed_program compares with `shown`).
        if shown.get("specialty"):
            from imgcoach.core.vocab.specialties import specialty_names

            shown["specialty"] = specialty_names().get(shown["specialty"], shown["specialty"])

        def submit(ctx: Context, values: dict[str, Any]) -> str:
            return edit_typed_program(ctx, program_id, shown, values)

        self.open_form(f"Edit program {program_id}", PROGRAM_EDIT_FORM, shown, submit,
                       then=self._programs_changed, hint="Blank fields are unknown; only the fields you change are "
                                                          "recorded, with 'edited by hand' as their source.")

    def _programs_changed(self, message: str) -> None:
        self.notify(message)
        self.reload()


def _typed(values: dict[str, Any]) -> dict[str, str]:
    """The form's values as program-file cells: a blank cell is `unknown`."""
    return {k: str(v).strip() or "unknown" for k, v in values.items() if k != "loaded"}


def add_typed_program(ctx: Context, values: dict[str, Any]) -> str:
    from imgcoach.matching import add_program, refresh_all

    cells = {k: v for k, v in _typed(values).items() if not (k == "source" and v == "unknown")}
    add_program(ctx, cells)
    refresh_all(ctx, trigger="programs")
    return cells["program_id"]


def edit_typed_program(ctx: Context, program_id: str, shown: dict[str, str], values: dict[str, Any]) -> str:
    """Only the fields changed in the form go to `edit_program`, so the others keep their own provenance."""
    from imgcoach.matching import edit_program, refresh_all

    before = _typed(shown)
    changes = {k: v for k, v in _typed(values).items() if v != before.get(k, "unknown")}
    if not changes:
        return f"{program_id}: no change"
    report = edit_program(ctx, program_id, changes)
    refresh_all(ctx, trigger="programs")
    return f"{program_id}: {report.change_words(program_id)}"

