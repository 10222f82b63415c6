"""Form definitions shared by screens and the first-run set-up, so each field is described once."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from imgcoach.plan import ASSUMED_HOURS, EXAM_RESULTS, ROTATION_KINDS, SETTINGS
from imgcoach.reminders import rotation_kind_label
from imgcoach.tui.widgets.form import DATE_HINT, FormField

if TYPE_CHECKING:
    from textual.screen import Screen


def _vocab() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The closed lists the forms complete from: exams, specialties, countries (names)."""
    from imgcoach.core.vocab.countries import country_codes, country_name
    from imgcoach.core.vocab.exams import EXAMS
    from imgcoach.core.vocab.specialties import specialty_names
    from imgcoach.plan import EXAM_NAMES as STORED_NAMES

    exams = tuple(dict.fromkeys([*STORED_NAMES.values(), *(e.name for e in EXAMS)]))
    return exams, tuple(specialty_names().values()), tuple(country_name(c) for c in country_codes())


EXAM_SUGGESTIONS, SPECIALTY_SUGGESTIONS, COUNTRY_SUGGESTIONS = _vocab()

ROTATION_FORM = [
    FormField("kind", "Kind", "choice", tuple((rotation_kind_label(k), k) for k in ROTATION_KINDS)),
    FormField("specialty", "Specialty", placeholder="e.g. Internal Medicine (type to complete)",
              suggestions=SPECIALTY_SUGGESTIONS),
    FormField("institution", "Institution", placeholder="Hospital or clinic"),
    FormField("department", "Department"),
    FormField("city", "City"),
    FormField("state", "State", placeholder="e.g. NY"),
    FormField("country", "Country", placeholder="e.g. United States (blank: US)",
              suggestions=COUNTRY_SUGGESTIONS),
    FormField("start_date", "Start date", "date", placeholder=DATE_HINT, required=True),
    FormField("end_date", "End date", "date", placeholder="blank: start + 4 weeks",
              required=True, default_from="start_date"),
    FormField("setting", "Setting", "choice", tuple((s, s) for s in SETTINGS)),
    FormField("hours_per_week", "Hours per week", "int", required=True),
    FormField("hands_on", "Hands-on", "bool"),
    FormField("responsibilities", "Responsibilities"),
    FormField("learned", "What you learned"),
]
# Editing also records the day the mid-rotation feedback was asked (`rotations edit --feedback-asked`): only the demo
# could set it, so the reminder to ask was never settled by an asked request (reminders.feedback_settled).
ROTATION_EDIT_FORM = [*ROTATION_FORM, FormField("feedback_requested_on", "Feedback asked on", "date",
                                                placeholder="day you asked; blank: not asked")]
# A new rotation's hours start blank, as `rotations add` without --hours: left blank, 40 is assumed and marked so
# (plan.fill_rotation_defaults; the CV leaves it out). A 40 filled in beforehand was saved as the applicant's own.
ASSUMED_NOTE = f"; {ASSUMED_HOURS} h/week assumed until you give the hours (e edits it)"  # the toast after such a save
# How the app's place note (plan.place_note) tells the applicant to have reminders at 09:00 where a rotation is.
PLACE_HOW = "set your profile's time zone to {zone} (p)"


def notify_place(screen: Screen[Any], note: str | None) -> None:
    """The toast of plan.place_note, after a rotation is added or moved on the Rotations screen."""
    if note:
        screen.notify(note[:1].upper() + note[1:], title="Reminder times", severity="warning", timeout=30)


NEW_ROTATION_HOURS = FormField("hours_per_week", "Hours per week", "int",
                               placeholder=f"blank: {ASSUMED_HOURS} assumed, left off the CV")
# A new rotation's hands-on starts "by kind", the rule `rotations add` applies (plan.fill_rotation_defaults):
# a plain "no" here stored every externship added in the app as observing, which readiness then counted so.
ROTATION_ADD_FORM = [
    replace(f, kind="choice", choices=(("by kind (yes: externship, clinical job)", None), ("no", False),
                                       ("yes", True)))
    if f.name == "hands_on" else NEW_ROTATION_HOURS if f.name == "hours_per_week" else f
    for f in ROTATION_FORM
]
EXAM_FORM = [
    FormField("exam", "Exam", required=True, placeholder="e.g. Step 2 CK (type to complete)",
              suggestions=EXAM_SUGGESTIONS),
    FormField("taken_on", "Date", "date", required=True, placeholder="a future date schedules it (+6w)"),
    FormField("score", "Score", placeholder="e.g. 246; OET: 350/360/300/370"),
    FormField("result", "Result", "choice", tuple((r, r) for r in EXAM_RESULTS)),
]
# The first-run set-up asks only for what a first rotation needs.
ROTATION_STEP = [f for f in ROTATION_ADD_FORM if f.name in {
    "kind", "specialty", "institution", "start_date", "end_date", "setting", "hours_per_week"}]

# One residency program typed by hand (the app's `programs add` / `programs edit`): the program file's columns,
# as text, so a cell may say "unknown", "none" (a limit the program says it does not have) or "35%", as in a file.
_YES_NO = (("unknown", "unknown"), ("yes", "yes"), ("no", "no"))
PROGRAM_FORM = [
    FormField("program_id", "Program id", required=True, placeholder="e.g. the ACGME number; cannot change later"),
    FormField("name", "Name", required=True),
    FormField("specialty", "Specialty", required=True, placeholder="e.g. Internal Medicine (type to complete)",
              suggestions=SPECIALTY_SUGGESTIONS),
    FormField("state", "State", required=True, placeholder="e.g. NY"),
    FormField("city", "City"),
    FormField("institution", "Institution"),
    FormField("program_type", "Program type", "choice",
              (("unknown", "unknown"), ("university", "university"), ("community", "community"),
               ("community-based, university-affiliated", "community_based_university"))),
    FormField("positions", "First-year positions", placeholder="blank: unknown"),
    FormField("interviews_last_year", "Interviews last season", placeholder="blank: unknown"),
    FormField("applications_last_year", "Applications last season", placeholder="with interviews, caps the chance"),
    FormField("img_share_pct", "IMG residents %", placeholder="e.g. 35%; blank: unknown"),
    FormField("us_img_pct", "U.S. IMG residents %", placeholder="blank: unknown"),
    FormField("non_us_img_pct", "Non-U.S. IMG residents %", placeholder="blank: unknown"),
    FormField("visa_j1", "Sponsors J-1", "choice", _YES_NO),
    FormField("visa_h1b", "Sponsors H-1B", "choice", _YES_NO),
    FormField("h1b_evidence", "H-1B evidence", placeholder="e.g. H-1B residents listed on the website"),
    FormField("h1b_evidence_source", "H-1B evidence from", placeholder="where you saw it (URL, call)"),
    FormField("step2_min", "Step 2 CK minimum", placeholder="a score, none, or blank: unknown"),
    FormField("step2_typical", "Typical Step 2 CK", placeholder="blank: unknown"),
    FormField("yog_cutoff_years", "Years since graduation, at most", placeholder="a number, none, or blank"),
    FormField("application_deadline", "Application deadline", placeholder="YYYY-MM-DD or MM/DD/YYYY"),
    FormField("source", "Source", placeholder="blank: entered by hand"),
]
PROGRAM_EDIT_FORM = [f for f in PROGRAM_FORM if f.name != "program_id"]

