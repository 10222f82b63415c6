"""Suggestions come from visible rules; every suggestion names the rule that fired."""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.calendar.mapping import KINDS, RULES, describe_rules, suggest
from imgcoach.calendar.model import ParsedEvent


def ev(summary: str, categories: tuple[str, ...] = ()) -> ParsedEvent:
    return ParsedEvent("u", "", summary, date(2027, 1, 4), date(2027, 1, 5), True, categories=categories)


@pytest.mark.parametrize(
    ("summary", "kind", "detail"),
    [
        ("Observership - Internal Medicine, Cleveland", "rotation", "observership"),
        ("Externship (hands-on) Cardiology", "rotation", "externship"),
        ("Sub-I Neurology", "rotation", "sub-internship"),
        ("USMLE Step 2 CK", "exam", "Step 2 CK"),
        ("Step 1 exam at Prometric", "exam", "Step 1"),
        ("step 3", "exam", "Step 3"),
        ("USMLE Step II CK - Prometric", "exam", "Step 2 CK"),  # roman numerals, as applicants write them
        ("Step III day 1", "exam", "Step 3"),
        ("USMLE Step I", "exam", "Step 1"),
        ("OET Medicine test", "exam", "OET"),
        ("UWorld Step 2 CK block 12", "study_block", ""),
        ("NBME practice exam 11", "study_block", ""),
        ("Residency interview - Family Medicine", "interview", ""),
        ("Pre-interview dinner", "interview", ""),
        ("Dentist", "event", ""),
    ],
)
def test_keyword_rules(summary: str, kind: str, detail: str) -> None:
    s = suggest(ev(summary))
    assert (s.kind, s.detail) == (kind, detail)
    assert s.rule  # always says why


def test_categories_win_over_title_keywords() -> None:
    s = suggest(ev("Step 2 CK", categories=("Study Block",)))
    assert s.kind == "study_block" and s.rule == 'category "study"'
    assert suggest(ev("Anything", categories=("Observership",))).kind == "rotation"
    assert suggest(ev("Externship - Cardiology", categories=("Rotation",))).detail == "externship"


def test_rules_are_listed_for_the_user() -> None:
    lines = describe_rules()
    assert len(lines) == len(RULES) + 1 and any("observership" in line for line in lines)
    assert {r.kind for r in RULES} <= set(KINDS)
    assert suggest(ev("Lunch")).rule.startswith("no rule matched")
