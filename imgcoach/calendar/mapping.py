"""Suggest what an imported event becomes, by simple rules the user can read in the preview.

Rules are data: the first matching rule wins, CATEGORIES before title keywords, because a
category is something the user (or their calendar) set on purpose. Every suggestion names its
rule so the preview can show "why", and the user can override it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from imgcoach.calendar.model import ParsedEvent

Kind = Literal["rotation", "study_block", "exam", "interview", "event"]
KINDS: tuple[Kind, ...] = ("rotation", "study_block", "exam", "interview", "event")
KIND_LABELS: dict[Kind, str] = {
    "rotation": "Rotation",
    "study_block": "Study block",
    "exam": "Exam",
    "interview": "Interview",
    "event": "Calendar event",
}


@dataclass(frozen=True)
class Rule:
    kind: Kind
    field: Literal["categories", "summary"]
    pattern: str  # a regular expression, matched case-insensitively
    label: str  # what the preview shows, e.g. 'title mentions "observership"'
    detail: str = ""  # e.g. the exam or rotation type the rule implies


@dataclass(frozen=True)
class Suggestion:
    kind: Kind
    rule: str  # the label of the rule that fired, or why none did
    detail: str = ""


def _cat(kind: Kind, *names: str) -> Rule:
    alts = "|".join(re.escape(n) for n in names)
    return Rule(kind, "categories", rf"^(?:{alts})$", f'category "{names[0]}"')


def _kw(kind: Kind, pattern: str, word: str, detail: str = "") -> Rule:
    return Rule(kind, "summary", pattern, f'title mentions "{word}"', detail)


RULES: tuple[Rule, ...] = (
    _cat("rotation", "rotation", "observership", "externship", "clerkship", "elective", "usce"),
    _cat("study_block", "study", "study block", "studying", "qbank"),
    _cat("exam", "exam", "usmle", "test date"),
    _cat("interview", "interview", "residency interview"),
    # Study first: "UWorld Step 2 CK" or "NBME practice exam" is studying, not sitting the exam.
    _kw("study_block", r"\b(study|studying|uworld|qbank|nbme|uwsa|anki|review|practice (test|exam)|self[- ]assessment)\b",
        "study / UWorld / NBME"),
    # Roman numerals too ("USMLE Step II CK"), as the exam vocabulary reads them.
    _kw("exam", r"\bstep\s*(?:2|ii)\s*ck\b", "Step 2 CK", "Step 2 CK"),
    _kw("exam", r"\bstep\s*(?:1|i)\b", "Step 1", "Step 1"),
    _kw("exam", r"\bstep\s*(?:3|iii)\b", "Step 3", "Step 3"),
    _kw("exam", r"\boet\b", "OET", "OET"),
    _kw("exam", r"\b(usmle|exam)\b", "USMLE / exam"),
    _kw("interview", r"\binterview", "interview"),
    _kw("rotation", r"\bobservership", "observership", "observership"),
    _kw("rotation", r"\bexternship", "externship", "externship"),
    _kw("rotation", r"\b(sub-?internship|sub-?i)\b", "sub-internship", "sub-internship"),
    _kw("rotation", r"\b(clerkship|elective|usce|clinical rotation|rotation)\b", "rotation / clerkship / elective"),
)

_COMPILED = tuple((rule, re.compile(rule.pattern, re.IGNORECASE)) for rule in RULES)
_BY_CATEGORY = tuple((rule, rx) for rule, rx in _COMPILED if rule.field == "categories")
_BY_TITLE = tuple((rule, rx) for rule, rx in _COMPILED if rule.field == "summary")


def suggest(event: ParsedEvent) -> Suggestion:
    """The first rule that matches the event's CATEGORIES or title; else a plain calendar event."""
    own = event.x("X-IMGCOACH-KIND")
    if own in KINDS:
        return Suggestion(own, f'exported by imgcoach as "{KIND_LABELS[own]}"', event.x("X-IMGCOACH-DETAIL"))
    if own:  # our own reminder or letter deadline: a date to see, not a plan row to create
        return Suggestion("event", f'exported by imgcoach as "{own.replace("_", " ")}": kept as a calendar event')
    if event.categories:  # categories first: set on purpose by the user or their calendar
        for rule, rx in _BY_CATEGORY:
            if any(rx.search(c.strip()) for c in event.categories):
                return Suggestion(rule.kind, rule.label, _detail(rule.kind, event.summary))
    summary = event.summary
    for rule, rx in _BY_TITLE:
        if rx.search(summary):
            return Suggestion(rule.kind, rule.label, rule.detail)
    return _NO_MATCH


_NO_MATCH = Suggestion("event", "no rule matched: kept as a calendar event")


def _detail(kind: Kind, summary: str) -> str:
    """A category names the kind; the title may still say which one ("Externship", "Step 1")."""
    for rule, rx in _BY_TITLE:
        if rule.kind == kind and rule.detail and rx.search(summary):
            return rule.detail
    return ""


def exam_detail(summary: str) -> str:
    """Which exam a title names ("USMLE Step II CK at Prometric" -> "Step 2 CK"), by the same rules as the
    suggestion; "" when it names none."""
    return _detail("exam", summary)


def describe_rules() -> list[str]:
    """The rules in the order they are tried, for the preview's help text."""
    return ["Any kind: written by imgcoach's own export (X-IMGCOACH-KIND)"] + [
        f"{KIND_LABELS[r.kind]}: {r.label}" for r in RULES
    ]
