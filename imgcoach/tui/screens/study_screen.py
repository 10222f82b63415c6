"""Study plan: blocks per exam with weekly goals, the generator, and hours per week across study and work."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from imgcoach.core.words import counted
from imgcoach.plan import OVERLOAD_HOURS
from imgcoach.tui import dates
from imgcoach.tui.screens.base import PlannerScreen
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from imgcoach.tui.widgets.form import DATE_HINT, FormField
from imgcoach.tui.widgets.proposal import ProposalScreen
from imgcoach.tui.widgets.table import PlannerTable

if TYPE_CHECKING:
    from imgcoach.core.context import Context

LOAD_WEEKS = 26  # weeks shown in the hours table, from this week on
LOAD_TITLE = f"Hours per week: clinical + study (over {OVERLOAD_HOURS} is overload)"
BLOCK_FORM = [
    FormField("exam", "Exam", required=True, placeholder="Step 2 CK, Step 3, OET…"),
    FormField("start_date", "Start date", "date", required=True, placeholder=DATE_HINT),
    FormField("end_date", "End date", "date", required=True, placeholder=DATE_HINT),
    FormField("hours_per_week", "Hours per week", "int", required=True),
    FormField("weekly_goal", "Weekly goal", placeholder="e.g. 2 question blocks a day, 1 practice test"),
]
GENERATOR_FORM = [
    FormField("exam", "Exam", required=True),
    FormField("exam_date", "Exam date", "date", required=True, placeholder=DATE_HINT),
    FormField("hours_per_day", "Hours per study day", "int", required=True),
    FormField("rest_days", "Rest days", placeholder="sun (or: sat, sun)"),
]


class BlockTable(PlannerTable):
    """The study blocks: Enter (or e) opens the selected block's form, and the footer says "⏎ Edit" while the table has
    the focus. Enter did open it (the row chosen), unsaid: the footer said e alone."""

    BINDINGS = [Binding("enter,e", "screen.edit", "Edit", key_display="⏎", id="study-block-edit")]


class StudyScreen(PlannerScreen):
    KEY = "study"
    UNDO_TABLE = "study_block"
    WARM = ("imgcoach.plan:load_plan",)
    TITLE_TEXT = "Study plan"
    CSS_PATH = "study_screen.tcss"
    BINDINGS = [
        Binding("g", "generate", "Generate plan", id="study-generate"),
        Binding("a", "add", "Add block", id="study-add"),
        Binding("e", "edit", "Edit", id="study-edit"),
        Binding("d", "delete", "Delete", id="study-delete"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.blocks: dict[int, Any] = {}
        self.next_exam: tuple[str, Any] | None = None

    def body(self) -> ComposeResult:
        with Vertical(id="study-top"):
            yield Static("Study blocks", classes="panel-title")
            yield BlockTable(id="block-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="study-past")  # blocks left after a booked exam that moved earlier
        with Vertical(id="study-bottom"):
            yield Static(LOAD_TITLE, classes="panel-title",
                         id="load-title")
            yield PlannerTable(id="load-table", cursor_type="row")

    def on_mount(self) -> None:
        blocks = self.query_one("#block-table", PlannerTable)
        blocks.add_columns("Exam", "From", "To", "h/wk", "Weekly goal")
        # The goal takes the room left and is cut with "…": at 80 columns it ran off the edge mid-word.
        blocks.make_elastic(4)
        self.query_one("#load-table", DataTable).add_columns("Week of", "Clinical", "Study", "Total", "")

    def fetch(self, ctx: Context) -> Any:
        from imgcoach.plan import load_plan

        plan = load_plan(ctx, reminders=False)  # the screen shows none
        if plan.applicant is None:
            from imgcoach.core.errors import UserError
            from imgcoach.plan import NO_PROFILE

            raise UserError(NO_PROFILE)
        return plan

    def show(self, plan: Any) -> None:
        from imgcoach.plan import ASSUMED_IN_CELLS, blocks_past_exam, hours_cell, monday_of

        table = self.query_one("#block-table", PlannerTable)
        mark = table.cursor_mark()
        table.clear()
        self.blocks = {b.id: b for b in plan.study_blocks}
        for b in plan.study_blocks:
            table.add_row(b.exam, dates.day(b.start_date), dates.day(b.end_date), str(b.hours_per_week),
                          b.weekly_goal, key=str(b.id))
        # A reload (another process wrote) put the cursor back on the first block, and e or d then acted on it; after
        # a delete or its undo too (the block after the deleted one, the block put back).
        table.put_cursor_back(mark, self.row_put_back())
        # The same rule `exams edit` warns with: a plan made for an exam date since moved earlier keeps its
        # later blocks (a "Final review" after the exam) until the applicant changes them.
        past = blocks_past_exam(plan.study_blocks, plan.exams, dates.WORDS, today=plan.today)
        said = Text()
        for item in past[:2]:
            said.append(f"! {item.message}\n", style="bold red")
        if len(past) > 2:
            said.append(f"! … and {len(past) - 2} more blocks that no longer fit their exam\n", style="bold red")
        said.rstrip()
        box = self.query_one("#study-past", Static)
        box.update(said)
        box.set_class(bool(past), "shown")
        scheduled = [e for e in plan.exams if e.taken_on > plan.today and e.score is None and e.result is None]
        self.next_exam = (scheduled[0].exam, scheduled[0].taken_on) if scheduled else None
        load = self.query_one("#load-table", DataTable)
        load.clear()
        first = monday_of(plan.today)
        weeks = {w.week_start: w for w in plan.load}
        shown_assumed = False
        if not plan.rotations and not plan.study_blocks:
            # A new plan: eight weeks of "0 0 0" read as hours counted, with nothing yet to count.
            load.add_row("—", "", "", "", "Nothing yet: add a rotation (r) or block (a)", key="none")  # fits 80
        for i in range(LOAD_WEEKS if plan.rotations or plan.study_blocks else 0):
            start = first + timedelta(weeks=i)
            week = weeks.get(start)
            clinical, study = (week.clinical_hours, week.study_hours) if week else (0, 0)
            total = clinical + study
            guessed = week.assumed_hours if week else 0
            flag = Text("OVERLOAD", style="bold red") if week and week.overloaded else Text("█" * (total // 10))
            load.add_row(dates.day(start), hours_cell(clinical, guessed), str(study), str(total), flag)
            shown_assumed = shown_assumed or bool(guessed)
        self.query_one("#load-title", Static).update(LOAD_TITLE + (f"; {ASSUMED_IN_CELLS}" if shown_assumed else ""))
        if not plan.study_blocks:
            table.add_row("—", "", "", "", "No study blocks yet: press g to generate a plan", key="none")

    def selected_block(self) -> int | None:
        table = self.query_one("#block-table", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key and key.isdigit() else None

    def action_generate(self) -> None:
        from imgcoach.plan import propose_plan

        exam, day = self.next_exam or ("", None)
        values = {"exam": exam, "exam_date": day, "hours_per_day": 4, "rest_days": "sun"}

        def propose(ctx: Context, v: dict[str, Any]) -> Any:
            return propose_plan(ctx, exam=v["exam"], exam_date=v["exam_date"], hours_per_day=v["hours_per_day"],
                                rest_days=v["rest_days"], words=dates.WORDS)

        self.open_form("Generate a study plan", GENERATOR_FORM, values, propose, then=self.preview,
                       hint="Blocks go around your rotations: no study on full-time rotation days.",
                       save_label="Preview")

    def preview(self, proposal: Any) -> None:
        from imgcoach.plan import accept_plan

        def decided(accept: bool | None) -> None:
            if accept:
                self.act(lambda ctx: accept_plan(ctx, proposal),
                         lambda rows: self.notify(f"Added {counted(len(rows), 'study block')}"))
            else:
                self.notify("Proposal dropped")

        self.app.push_screen(ProposalScreen(proposal), decided)

    def action_add(self) -> None:
        from imgcoach.plan import add_study_block

        self.open_form("Add a study block", BLOCK_FORM, {"hours_per_week": 20},
                       lambda ctx, v: _with_overlaps(ctx, add_study_block(ctx, **v)),
                       then=lambda saved: self._saved("Study block added", saved[1]))

    @on(DataTable.RowSelected, "#block-table")  # a click on a row; Enter is the table's own key (BlockTable)
    def action_edit(self) -> None:
        from imgcoach.plan import edit_study_block

        block_id = self.selected_block()
        if block_id is None:
            self.notify("No study block selected", severity="warning")
            return
        self.open_edit_form(f"Edit study block {block_id}", BLOCK_FORM, self.blocks[block_id],
                            lambda ctx, v: _with_overlaps(ctx, edit_study_block(ctx, block_id, **v)),
                            then=lambda saved: self._saved("Saved", saved[1]))

    def _saved(self, done: str, warnings: list[str]) -> None:
        """The save, and the full-time rotations the block sits on (the timeline's conflicts for it)."""
        self.notify(done)
        if warnings:
            self.notify("\n".join(warnings), title="Over a full-time rotation", severity="warning", timeout=12)

    def action_delete(self) -> None:
        from imgcoach.plan import delete_with_undo

        block_id = self.selected_block()
        if block_id is None:
            self.notify("No study block selected", severity="warning")
            return
        block = self.blocks[block_id]

        def answered(yes: bool | None) -> None:
            if yes:
                self.act(lambda ctx: delete_with_undo(ctx, "study_block", block_id), self.undoable)

        message = f"Delete the {block.exam} block {dates.day_range(block.start_date, block.end_date)}? No reminders depend on it."
        self.app.push_screen(ConfirmScreen("Delete study block", message, yes="Delete"), answered)


def _with_overlaps(ctx: Context, block: Any) -> tuple[Any, list[str]]:
    """Runs in the form's worker: the saved block and the full-time rotations it sits on."""
    from imgcoach.plan import block_overlap_warnings

    return block, block_overlap_warnings(ctx, block, dates.WORDS)
