"""Profile: who the applicant is, exam scores and targets; the first run's guided set-up starts here."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from imgcoach.plan import VISA_WORDS, VISAS
from imgcoach.tui import dates
from imgcoach.tui.forms import COUNTRY_SUGGESTIONS, EXAM_FORM, PLACE_HOW, SPECIALTY_SUGGESTIONS, notify_place
from imgcoach.tui.screens.base import PlannerScreen
from imgcoach.tui.widgets.detail_pane import DetailPane
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from imgcoach.tui.widgets.form import FormField
from imgcoach.tui.widgets.table import PlannerTable

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from imgcoach.core.context import Context

PROFILE_FORM = [
    FormField("name", "Full name", required=True),
    FormField("email", "E-mail", required=True, placeholder="reminders are sent here"),
    FormField("timezone", "Time zone", required=True, placeholder="IANA zone, e.g. Asia/Kolkata"),
    FormField("graduation_year", "Graduation year", "int"),
    FormField("visa", "Visa need", "choice", tuple((VISA_WORDS[v], v) for v in VISAS)),
    FormField("school", "Medical school"),
    FormField("school_country", "School country", placeholder="e.g. India", suggestions=COUNTRY_SUGGESTIONS),
    FormField("target_specialties", "Specialties", "list", placeholder="e.g. Internal Medicine, Family Medicine",
              suggestions=SPECIALTY_SUGGESTIONS),
    FormField("target_countries", "Countries", "list", placeholder="e.g. US, Canada", suggestions=COUNTRY_SUGGESTIONS),
    FormField("target_states", "US states", "list", placeholder="NY, NJ"),
    FormField("cv_path", "CV file"),
    FormField("personal_statement_path", "Statement draft"),
    # Blank (or "none") is no budget: the shortlist then uses its default, which the save says.
    FormField("application_budget_programs", "Budget: programs", "int", placeholder="blank: no budget"),
    FormField("application_budget_usd", "Budget: US dollars", "number", placeholder="blank: no budget"),
]
WELCOME = (
    "Welcome to imgcoach. Four short steps plan your application year:\n"
    "  1. your profile: where you live sets when reminders arrive;\n"
    "  2. an exam score or the date of your next exam (a here adds more later);\n"
    "  3. your first clinical rotation (r, then a adds more later);\n"
    "  4. where reminders go: e-mail, or a local mailbox folder.\n"
    "Then a study plan: s, then g. Everything works from the keyboard; ? shows every key."
)


def document_line(path: str | None) -> str:
    """A document's path as the profile shows it, with what `profile set` warns of it when the packet would leave
    it out: the path alone read as a CV ready to attach."""
    from imgcoach.plan import document_problem

    if not path:
        return "— (the letter packet needs it)"
    problem = document_problem(path)
    return f"{path} — {problem}" if problem else path


def field_label(field: str) -> str:
    """A profile field as the form names it ("CV file"): what a save's warning calls it."""
    return next((f.label for f in PROFILE_FORM if f.name == field), field)


def say_saved(node: Any, saved: Any, *, plain_save: bool = True) -> None:
    """After a profile form's save: what `profile set` prints, from the same use case's words (plan.ProfileSaved):
    the floating imported events a change of zone re-placed, and a document path the packet would leave out. The
    form said "Profile saved; pending reminders follow your time zone and e-mail" and neither of those.
    `plain_save` False (the guided set-up, whose next step shows it was saved): nothing when there is no more
    to say than "saved"."""
    words = saved.saved_words()
    if plain_save or saved.zone_words():
        node.notify(words[:1].upper() + words[1:], timeout=10 if saved.zone_words() else 5)
    for warning in saved.document_warnings(field_label):
        node.notify(warning, severity="warning", timeout=15)
    unbudgeted = saved.budget_words()  # `profile set --budget-programs none` says the same (plan.ProfileSaved)
    if unbudgeted:
        node.notify(unbudgeted[:1].upper() + unbudgeted[1:], timeout=10)
    for note in saved.place_words(PLACE_HOW):  # rotations whose reminders the new zone times out of their day
        notify_place(node, note)


def _with_past(ctx: Any, row: Any) -> tuple[Any, list[Any], list[str]]:
    """A saved exam row, the study blocks that now end after its booking and the full-time rotations whose working
    day it falls on (read in the form's worker)."""
    from imgcoach.plan import exam_overlap_warnings, study_past_exam

    return row, study_past_exam(ctx, dates.WORDS, exam=row.exam), exam_overlap_warnings(ctx, row, dates.WORDS)


def _outcome(exam: Any, today: date | None) -> str:
    if exam.sub_scores:  # OET: the four sub-tests, then what they add up to
        return f"{exam.sub_scores}: {exam.result}" if exam.result else str(exam.sub_scores)
    if exam.score is not None or exam.result:
        return str(exam.score) if exam.score is not None else exam.result
    # A booking whose day has passed was sat (or missed): "scheduled" beside readiness's "Sat on ...; no result
    # recorded" told two stories about one row.
    return "no result yet" if today is not None and exam.taken_on < today else "scheduled"


def guess_timezone() -> str:
    """The machine's zone name when it can be read, so the first form is one less field to type."""
    name = os.environ.get("TZ", "")
    if "/" in name:
        return name.lstrip(":")
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return "UTC"
    return target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else "UTC"


class ExamTable(PlannerTable):
    """The exams; while it has focus, e and d (and Enter) act on the selected exam, as on every other table."""

    BINDINGS = [
        Binding("e,enter", "screen.edit_exam", "Edit exam", id="exam-edit"),
        Binding("d", "screen.delete_exam", "Delete exam", id="exam-delete"),
    ]


class ProfileScreen(PlannerScreen):
    KEY = "profile"
    UNDO_TABLE = "exam_result"
    WARM = ("imgcoach.plan:get_profile", "imgcoach.plan:list_exams")
    TITLE_TEXT = "Profile"
    CSS_PATH = "profile_screen.tcss"
    BINDINGS = [
        # Enter too: the profile's pane, focused as the screen opens, took no Enter and the screen did nothing with it.
        # The exams' table, once focused, has its own (its exam's form), and the footer then says its keys.
        Binding("enter,e", "edit", "Edit profile", key_display="⏎", id="profile-edit"),
        Binding("a", "add_exam", "Add exam", id="profile-exam"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.profile: Any = None
        self.exams: dict[int, Any] = {}
        self.exam_to_open: int | None = None  # Enter on the timeline's Next up: this exam's edit form, once shown
        self._today: date | None = None  # the applicant's day, read with the exams
        self.setup = False
        self.resumed = False

    def load_on_resume(self) -> bool:
        first = self.planner.first_run and not self.resumed
        self.resumed = True
        if first:
            # The app opened here for its first run: nobody is set up (the quick read said so), so no load
            # competes with painting the set-up's first form; the app loads once that form is on screen.
            self.show((None, [], None))
        return not first

    def body(self) -> ComposeResult:
        # The profile, then its exams: a long one (many exams, long lists) runs past 80x24. The pane was a Tab stop
        # that ↓ scrolled, but nothing showed its focus or said its keys; shift+Tab goes to the exams, as Tab does.
        with DetailPane(id="profile-pane", titles=("tab: scroll the profile", "tab: to the exams")):
            yield Static("", id="welcome")
            yield Static("Loading…", id="profile-text")
            yield Static("Exams (Tab to the table: e edits, d deletes the selected exam)", classes="panel-title",
                         id="exam-title")
            yield ExamTable(id="exam-table", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#exam-table", DataTable).add_columns("Exam", "Date", "Score / result", "Attempt")

    def fetch(self, ctx: Context) -> tuple[Any, list[Any], date | None]:
        from imgcoach.core.clock import local_today
        from imgcoach.plan import get_profile, list_exams

        profile = get_profile(ctx)
        today = local_today(ctx.clock, profile.timezone) if profile else None  # the applicant's day
        return profile, list_exams(ctx) if profile else [], today

    def show(self, data: tuple[Any, list[Any], date | None]) -> None:
        self.profile, exams, self._today = data
        self._show_welcome()
        if self.profile is not None:
            self.query_one("#profile-text", Static).update(self._profile_text(self.profile))
        table = self.query_one("#exam-table", ExamTable)
        mark = table.cursor_mark()
        table.clear()
        self.exams = {exam.id: exam for exam in exams}
        for exam in exams:
            table.add_row(exam.exam, dates.day(exam.taken_on), _outcome(exam, self._today), str(exam.attempt),
                          key=str(exam.id))
        # The exam it was on, the one an undo put back, or after a delete the one that took its place.
        table.put_cursor_back(mark, self.row_put_back())
        self._open_wanted_exam()

    def open_exam(self, exam_id: int) -> None:
        """The exam selected and its edit form open, as Enter on its row does (the timeline's Next up asks)."""
        self.exam_to_open = exam_id
        self._open_wanted_exam()

    def _open_wanted_exam(self) -> None:
        if self.exam_to_open is None or self.exam_to_open not in self.exams or self.app.screen is not self:
            return  # not shown yet: show() opens it
        table = self.query_one("#exam-table", DataTable)
        table.move_cursor(row=table.get_row_index(str(self.exam_to_open)))
        self.exam_to_open = None
        table.focus()
        self.action_edit_exam()

    def _profile_text(self, p: Any) -> Text:
        from imgcoach.core.budget import profile_budget_words

        text = Text()
        rows = [
            ("Name", p.name + ("  (synthetic demo data)" if p.synthetic and "synthetic" not in p.name else "")),
            ("E-mail", p.email), ("Time zone", p.timezone),
            ("Graduated", f"{p.graduation_year or '—'} · {p.school or '—'} {f'({p.school_country})' if p.school_country else ''}"),
            ("Visa need", VISA_WORDS.get(p.visa, p.visa)), ("Specialties", ", ".join(p.target_specialties) or "—"),
            ("Countries", ", ".join(p.target_countries) or "—"), ("US states", ", ".join(p.target_states) or "—"),
            ("Budget", profile_budget_words(p.application_budget_programs, p.application_budget_usd)),
            ("CV", document_line(p.cv_path)),
            ("Statement", document_line(p.personal_statement_path)),
        ]
        for label, value in rows:
            text.append(f"{label:<13}", style="bold").append(f"{value}\n")
        return text

    def begin_setup(self) -> AwaitMount | None:
        """The first run: the guided set-up (profile, an exam, the first rotation), then the timeline.
        Returns the first form's mount to await (None when the set-up is already running)."""
        from imgcoach.tui.setup import GuidedSetup

        if self.setup:
            return None
        self.setup = True  # until the set-up ends or is paused
        self._show_welcome()
        values = {"timezone": guess_timezone(), "visa": "none"}
        return GuidedSetup(self, PROFILE_FORM, values, self._setup_done).start()

    def _show_welcome(self) -> None:
        """The welcome above the profile: before a profile exists, and behind the set-up's later steps. Not
        behind its first step, whose dialog says it (at 80x24 the dialog covered this box; at 120x40 both said
        it)."""
        shown = self.profile is not None if self.setup else self.profile is None
        welcome = self.query_one("#welcome", Static)
        welcome.update(Text(WELCOME, style="bold") if shown else "")
        welcome.set_class(shown, "shown")
        if self.profile is None:
            # While the set-up's first form is open, e would not open another: the form is where it is made.
            empty = ("No profile yet: the set-up's first step makes it." if self.setup
                     else "No profile yet: press e to create it.")
            self.query_one("#profile-text", Static).update(Text(empty, style="dim"))

    def setup_paused(self) -> None:
        """Escape on the set-up's first step: nothing saved; the screen says how to start again."""
        self.setup = False
        self._show_welcome()
        self.notify("Set-up paused: press e on the Profile screen to start it again", timeout=8)

    def _setup_done(self) -> None:
        self.setup = False
        self.app.switch_mode("timeline")

    def action_edit(self) -> None:
        from imgcoach.coach import save_profile_and_drafts

        if self.profile is None and not self.setup:  # no profile yet: the guided set-up
            self.begin_setup()
            return
        values = self.profile.model_dump() if self.profile else {"timezone": guess_timezone(), "visa": "none"}
        title = "Your profile"
        loaded = values if self.profile else None  # an edit: checked against what is stored when saved
        self.open_form(title, PROFILE_FORM, values, lambda ctx, v: save_profile_and_drafts(ctx, **v),
                       then=lambda saved: say_saved(self, saved), loaded=loaded)

    def selected_exam(self) -> Any:
        """The exam row under the table's cursor, or None."""
        table = self.query_one("#exam-table", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.exams.get(int(key)) if key is not None else None

    def action_edit_exam(self) -> None:
        from imgcoach.plan import edit_exam

        exam = self.selected_exam()
        if exam is None:
            self.notify("No exam selected: press a to add one", severity="warning")
            return
        exam_id = exam.id
        recorded = exam.score if exam.score is not None else exam.sub_scores
        values = {"exam": exam.exam, "taken_on": exam.taken_on, "score": recorded if recorded is not None else "",
                  "result": exam.result if recorded is None else None}
        self.open_form(f"Edit {exam.exam} ({dates.day(exam.taken_on)})", EXAM_FORM, values,
                       lambda ctx, v: _with_past(ctx, edit_exam(ctx, exam_id, v["exam"], v["taken_on"],
                                                                score=v["score"], result=v["result"])),
                       hint="A score sets pass or fail by the exam's rule; leave it empty to record a result.",
                       then=lambda saved: self._saved(f"Saved {saved[0].exam} on {dates.day(saved[0].taken_on)}",
                                                      saved[1], saved[2]))

    def action_delete_exam(self) -> None:
        from imgcoach.plan import delete_with_undo, renumbered_line

        exam = self.selected_exam()
        if exam is None:
            self.notify("No exam selected", severity="warning")
            return
        exam_id, what = exam.id, f"{exam.exam} on {dates.day(exam.taken_on)} ({_outcome(exam, self._today)})"

        def answered(yes: bool | None) -> None:
            if yes:
                self.act(lambda ctx: delete_with_undo(ctx, "exam", exam_id),
                         # the rows renumbered after it are named, as `exams remove` names them
                         lambda record: self.undoable(record, "; ".join([f"Deleted {what}",
                                                                         *map(renumbered_line, record.result)])))

        self.app.push_screen(ConfirmScreen("Delete exam", f"Delete {what}?\n\nReadiness and the shortlist stop "
                                           "counting it.", yes="Delete"), answered)

    def action_add_exam(self) -> None:
        from imgcoach.plan import add_exam

        if self.profile is None:
            self.notify("Create your profile first (e)", severity="warning")
            return
        self.open_form("Add an exam score or date", EXAM_FORM, {},
                       lambda ctx, v: _with_past(ctx, add_exam(ctx, v["exam"], v["taken_on"], score=v["score"],
                                                               result=v["result"])),
                       then=lambda saved: self._saved(f"Added {saved[0].exam}", saved[1], saved[2]))

    def _saved(self, done: str, past: list[Any], overlaps: list[str]) -> None:
        """The save, the full-time rotations it falls on and the study blocks it leaves after the booked exam (as
        `exams edit` warns)."""
        self.notify(done)
        for warning in overlaps:  # as the rotation form says its overlaps
            self.notify(warning, title="Overlap", severity="warning", timeout=20)
        if past:
            more = f"\n… and {len(past) - 2} more" if len(past) > 2 else ""
            self.notify("\n".join(p.message for p in past[:2]) + more + "\nThe Study plan (s) edits them.",
                        title="Study blocks that no longer fit the exam", severity="warning", timeout=12)
