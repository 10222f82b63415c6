"""The fixed vocabularies of the plan, in one place for forms, CLI choices and validation."""

from __future__ import annotations

from collections.abc import Iterable

ROTATION_KINDS = ("observership", "externship", "clinical_job", "research", "volunteer")
SETTINGS = ("inpatient", "outpatient", "mixed")
# "j1_or_h1b": either will do, the most common case for non-U.S. IMGs (programs sponsoring either stay eligible).
VISAS = ("none", "j1", "h1b", "j1_or_h1b")
LETTER_STATUSES = ("planned", "requested", "agreed", "uploaded", "declined")
EXAM_RESULTS = ("pass", "fail")
# The names stored before the closed list existed (readiness and matching read these); here, not in
# plan.exams, so the app's forms offer them without importing the database stack (the first run's
# set-up opens before that stack has loaded).
STORED_NAMES = {"step1": "Step 1", "step2ck": "Step 2 CK", "step3": "Step 3", "oet": "OET"}
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


def parse_case_tags(raw: str | Iterable[str] | None) -> list[str]:
    """The one tag rule for a case, whoever stores it (the CLI's ``cases add``, the app's case form, the demo).

    Comma-separated text or a list; normalised ('Ethical_Dilemma' -> 'ethical dilemma'), duplicates dropped,
    an unknown tag refused naming it and the allowed ones.
    """
    from imgcoach.core.errors import FieldError

    items = (raw or "").split(",") if isinstance(raw, str | None) else list(raw)
    tags: list[str] = []
    for item in items:
        tag = " ".join(item.strip().lower().replace("-", " ").replace("_", " ").split())
        if not tag:
            continue
        if tag not in CASE_TAGS:
            raise FieldError("tags", item.strip(), f"unknown tag {item.strip()!r} (allowed: {', '.join(CASE_TAGS)})")
        if tag not in tags:
            tags.append(tag)
    return tags
