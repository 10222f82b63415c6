"""Form definitions shared by screens and the first-run set-up, so each field is described once."""

from __future__ import annotations

from imgcoach.plan import EXAM_RESULTS, ROTATION_KINDS, SETTINGS
from imgcoach.reminders import kind_label
from imgcoach.tui.widgets.form import FormField

ROTATION_FORM = [
    FormField("kind", "Kind", "choice", tuple((kind_label(k), k) for k in ROTATION_KINDS)),
    FormField("specialty", "Specialty", placeholder="Internal Medicine"),
    FormField("institution", "Institution", placeholder="Hospital or clinic"),
    FormField("department", "Department"),
    FormField("city", "City"),
    FormField("state", "State", placeholder="NY"),
    FormField("country", "Country", placeholder="US"),
    FormField("start_date", "Start date", "date", placeholder="YYYY-MM-DD", required=True),
    FormField("end_date", "End date", "date", placeholder="YYYY-MM-DD (4 to 8 weeks is typical)", required=True),
    FormField("setting", "Setting", "choice", tuple((s, s) for s in SETTINGS)),
    FormField("hours_per_week", "Hours per week", "int", required=True),
    FormField("hands_on", "Hands-on", "bool"),
    FormField("responsibilities", "Responsibilities"),
    FormField("learned", "What you learned"),
]
EXAM_FORM = [
    FormField("exam", "Exam", required=True, placeholder="Step 1, Step 2 CK, Step 3, OET…"),
    FormField("taken_on", "Date", "date", required=True, placeholder="YYYY-MM-DD (a future date schedules it)"),
    FormField("score", "Score", "int", placeholder="three-digit score, if scored"),
    FormField("result", "Result", "choice", tuple((r, r) for r in EXAM_RESULTS)),
]
# The first-run set-up asks only for what a first rotation needs.
ROTATION_STEP = [f for f in ROTATION_FORM if f.name in {
    "kind", "specialty", "institution", "start_date", "end_date", "setting", "hours_per_week"}]
