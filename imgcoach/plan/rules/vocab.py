"""The fixed vocabularies of the plan, in one place for forms, CLI choices and validation."""

from __future__ import annotations

ROTATION_KINDS = ("observership", "externship", "clinical_job", "research", "volunteer")
SETTINGS = ("inpatient", "outpatient", "mixed")
# "j1_or_h1b": either will do, the most common case for non-U.S. IMGs (programs sponsoring either stay eligible).
VISAS = ("none", "j1", "h1b", "j1_or_h1b")
LETTER_STATUSES = ("planned", "requested", "agreed", "uploaded", "declined")
EXAM_RESULTS = ("pass", "fail")
CONTACT_ROLES = ("supervisor", "attending", "coordinator", "program_director", "mentor")
CASE_TAGS = (
    "challenging patient",
    "ethical dilemma",
    "teamwork",
    "system differences",
    "guideline in practice",
)
# Rotation kinds that keep the applicant busy full time, so a study block beside them is double load.
FULL_TIME_HOURS = 35
