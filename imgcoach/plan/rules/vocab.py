"""The fixed vocabularies of the plan, in one place for forms, CLI choices and validation."""

from __future__ import annotations

from collections.abc import Iterable

ROTATION_KINDS = ("observership", "externship", "clinical_job", "research", "volunteer")
# Kinds that are hands-on care unless the rotation says otherwise (an externship or a clinical job), the
# one default the plan stores, readiness counts and the shortlist reads.
HANDS_ON_KINDS = frozenset({"externship", "clinical_job"})
# Kinds that are clinical experience (research and volunteering are not): readiness counts these, and an imported
# clinical event is never linked to a rotation of another kind.
CLINICAL_KINDS = frozenset({"observership", "externship", "clinical_job"})
SETTINGS = ("inpatient", "outpatient", "mixed")
# "j1_or_h1b": either will do, the most common case for non-U.S. IMGs (programs sponsoring either stay eligible).
VISAS = ("none", "j1", "h1b", "j1_or_h1b")
# What a person reads and types for each code (the CLI's show text, the app's form and profile pane).
VISA_WORDS = {"none": "no visa needed", "j1": "J-1", "h1b": "H-1B", "j1_or_h1b": "J-1 or H-1B"}
_VISA_TYPED = {"none": "none", "novisa": "none", "novisaneeded": "none", "citizen": "none",
               "j1": "j1", "h1b": "h1b", "j1orh1b": "j1_or_h1b", "h1borj1": "j1_or_h1b", "either": "j1_or_h1b",
               "j1h1b": "j1_or_h1b", "h1bj1": "j1_or_h1b"}
LETTER_STATUSES = ("planned", "requested", "agreed", "uploaded", "declined")
EXAM_RESULTS = ("pass", "fail")
# The names stored before the closed list existed (readiness and matching read these); here, not in
# plan.exams, so the app's forms offer them without importing the database stack (the first run's
# set-up opens before that stack has loaded).
STORED_NAMES = {"step1": "Step 1", "step2ck": "Step 2 CK", "step3": "Step 3", "oet": "OET"}
# A milestone recorded beside the exams (pass only, no score), dated the day it was granted: no day anyone sits.
CERTIFICATION = "ECFMG certification"
CONTACT_ROLES = ("supervisor", "attending", "coordinator", "program_director", "mentor")
CASE_TAGS = (
    "challenging patient",
    "ethical dilemma",
    "teamwork",
    "system differences",
    "guideline in practice",
)
# What a rotation whose hours nobody gave counts for (`rotations add` without --hours, an accepted offer, a
# rotation made from a calendar event): a full-time week, stored with hours_assumed so no view passes it off
# as the applicant's own figure.
ASSUMED_HOURS = 40


def hours_text(hours: int, assumed: bool) -> str:
    """A rotation's hours as every view writes them: an assumed figure says so."""
    return f"{hours} h/week (assumed)" if assumed else f"{hours} h/week"


def hours_cell(hours: int, assumed: int | bool) -> str:
    """Hours in a table's narrow column: "40?" when they (or, for a week, some of them) were assumed."""
    return f"{hours}?" if assumed else str(hours)


ASSUMED_IN_CELLS = "? = some hours assumed"  # the legend where a table shows "80?" (fits a title line at 80 columns)


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


def parse_visa(text: str, field: str = "visa") -> str:
    """The visa code for what a person types: a code ("j1_or_h1b") or its words ("J-1 or H-1B", "J1", "H-1B",
    "no visa"), any case and punctuation; anything else is refused naming the accepted forms."""
    from imgcoach.core.errors import FieldError
    from imgcoach.core.vocab._lookup import key

    code = _VISA_TYPED.get(key(text))
    if code is None:
        accepted = ", ".join(f"'{w}'" for w in VISA_WORDS.values())
        raise FieldError(field, text, f"unknown visa need (accepted: {accepted}, or {', '.join(VISAS)})")
    return code
