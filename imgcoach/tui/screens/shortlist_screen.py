"""Shortlist: the programs chosen under the budget, the match chance, and what changed since last seen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from imgcoach.core.errors import UserError
from imgcoach.matching import display_name, pct, provenance_note, shortlist_sentence, specialty_note_lines
from imgcoach.tui import dates
from imgcoach.tui.widgets.filter_bar import FilterableScreen
from imgcoach.tui.widgets.table import DetailsTable

if TYPE_CHECKING:
    from imgcoach.core.context import Context

NOTE = {"conditional": "needs your plan", "uncertain": "unknowns"}


def sponsored_visas(explained: dict[str, Any]) -> list[str]:
    """The visas the program's data says it sponsors ("yes"), for `visa:j1` / `visa:h1b`; unknown is not yes."""
    stated = {fact["field"]: fact["value"] for fact in explained.get("facts", [])}
    return [visa for visa, name in (("j1", "visa_j1"), ("h1b", "visa_h1b")) if stated.get(name) == "yes"]


class ShortlistScreen(FilterableScreen):
    FETCH_WRITES_BOOKKEEPING = True  # refresh_if_stale and mark_seen: only this screen reads them
    KEY: ClassVar[str] = "shortlist"
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
        yield Static("Loading shortlist...", id="shortlist-summary")
        yield Static("", id="shortlist-changes")
        yield from self.filtered(DetailsTable(id="shortlist-table", cursor_type="row", zebra_stripes=True,
                                              sortable=True))
        yield Static("", id="shortlist-detail")
        yield Static("", id="shortlist-provenance")

    def on_mount(self) -> None:
        # No reload here: the base screen loads whenever the screen becomes current (also the first time).
        self.query_one(DataTable).add_columns("#", "Program", "State", "Tier", "Interview", "Fee", "Note")

    def show_missing_profile(self, error: UserError) -> None:
        """A missing profile is the base screen's toast; missing or unreadable program data is said once, in
        place (a stored program this code cannot read: named with its field, as the CLI says it)."""
        from imgcoach.matching import NoProgramData, StoredProgramError

        if not isinstance(error, NoProgramData | StoredProgramError):
            self.query_one("#shortlist-summary", Static).update(str(error))
            super().show_missing_profile(error)
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

    def fetch(self, ctx: Context) -> Any:
        from imgcoach import matching as service
        from imgcoach.matching import explain_program as explain

        service.refresh_if_stale(ctx)
        changes = service.changes_since_seen(ctx)
        result, _, _, _ = service.compute(ctx, words=dates.WORDS)
        explained = {e.program_id: explain(result.ranking, e.program_id) for e in result.entries}
        service.mark_seen(ctx)
        return {"shortlist": result, "changes": changes, "explained": explained}

    def show(self, data: Any) -> None:
        self._data = data
        result = data["shortlist"]
        budget = (f"{result.budget_programs} programs" if result.budget_programs is not None
                  else f"${result.budget_usd:,.0f}")
        # The same words as `imgcoach shortlist` (imgcoach.matching.present): the range where inputs are unknown,
        # only a range where a specialty has no public figure, cited figures and assumptions named.
        sentence = shortlist_sentence(result)
        self.query_one("#shortlist-summary", Static).update(
            sentence[:1].upper() + sentence[1:]
            + f"\n{len(result.entries)} of {result.eligible_count} eligible programs, budget {budget}, "
            f"ERAS fees ${result.total_fee_usd:,.0f}, about {result.expected_interviews:.0f} interviews expected"
        )
        changes = data["changes"]
        lines = [f"{len(changes)} change(s) since you last looked:"] if changes else ["No changes since you last looked."]
        for c in changes[:3]:
            lines.append(f"  {c['kind']} {c['program_id']}: {c['why']}")
        self.query_one("#shortlist-changes", Static).update("\n".join(lines))
        table = self.query_one(DetailsTable)
        selected = table.cursor_key()
        table.clear()
        self._ids = []
        self.query_one("#shortlist-provenance", Static).update(
            "\n".join([*specialty_note_lines(result.specialty_notes), provenance_note()]))
        for n, e in enumerate(result.entries, start=1):
            table.add_row(str(n), display_name(e.name, e.synthetic, 40), e.state, e.tier, pct(e.probability), f"${e.fee_usd:g}",
                          NOTE.get(e.status, ""), key=e.program_id,
                          facets={"state": [e.state], "tier": [e.tier],
                                  "visa": sponsored_visas(data["explained"][e.program_id])},
                          flags=["plan"] if e.status == "conditional" else [],
                          search_also=[e.name])  # the whole name, not the clipped one
            self._ids.append(e.program_id)
        if selected is not None:
            table.move_to_key(selected)  # the same program after a reload, unless it left the list
        if self._ids:
            self._detail(self._index_of(table.cursor_key()))
        else:
            self.query_one("#shortlist-detail", Static).update(result.disclaimer)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(self._index_of(event.row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a program: its whole explanation in a scrollable dialog."""
        from imgcoach.tui.widgets.dialogs import TextScreen

        lines = self._detail_lines(self._index_of(event.row_key.value))
        if lines:
            self.app.push_screen(TextScreen(lines[0], "\n".join(lines[1:])))

    def _index_of(self, program_id: str | None) -> int:
        """The row's place in the ranking, whatever order the table is sorted in."""
        return self._ids.index(program_id) if program_id in self._ids else -1

    def _detail_lines(self, index: int) -> list[str]:
        if not 0 <= index < len(self._ids):
            return []
        info = self._data["explained"][self._ids[index]]
        lines = [f"{info['id']} {info['name']}: interview {pct(info['probability'])} ({info['tier']})"]
        lines += [f"  {f['logodds']:+.2f} {f['text']}" for f in info.get("top_factors", [])]
        lines += [f"  - {r}" for r in info["reasons"]]
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
        if placed.if_signalled is not None and advice.effect is not None:
            low, high = placed.if_signalled
            lines.append(f"    interview {pct(placed.probability)} now; {pct(low)} to {pct(high)} if the cited odds "
                         f"ratio held for you ({advice.effect.size()}, {advice.effect.season}) [{advice.effect.cite}]; "
                         "observational")
        else:
            lines.append(f"    effect: {advice.effect_text()}")
        lines.append(f"    {SIGNAL_CHANCES_BASIS}")
        return lines

    def _detail(self, index: int) -> None:
        lines = self._detail_lines(index)
        if lines:
            self.query_one("#shortlist-detail", Static).update("\n".join(lines))
