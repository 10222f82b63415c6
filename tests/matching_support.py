"""Builders shared by the matching tests: programs as CSV text or objects, and applicants."""

from __future__ import annotations

from datetime import date
from typing import Any

from imgcoach.matching.facts import ApplicantFacts, Preferences, RotationFact
from imgcoach.matching.schema import COLUMNS, Program, parse_cell

TODAY = date(2026, 11, 25)
HEADER = ",".join(c.name for c in COLUMNS)

BASE_ROW: dict[str, str] = {
    "program_id": "P1",
    "name": "Test IM Program",
    "specialty": "internal_medicine",
    "institution": "Test Hospital",
    "city": "Testville",
    "state": "NY",
    "program_type": "community",
    "positions": "10",
    "interviews_last_year": "unknown",
    "applications_last_year": "unknown",
    "visa_j1": "yes",
    "visa_h1b": "no",
    "img_share_pct": "50",
    "us_img_pct": "unknown",
    "non_us_img_pct": "unknown",
    "h1b_evidence": "unknown",
    "step2_min": "220",
    "step2_typical": "235",
    "yog_cutoff_years": "5",
    "usce_months_required": "0",
    "usce_hands_on_only": "no",
    "attempts_allowed": "1",
    "application_deadline": "2027-10-15",
    "source": "test fixture",
    "checked_on": "2026-11-01",
}


def row(**changes: Any) -> dict[str, str]:
    out = dict(BASE_ROW)
    out.update({k: str(v) for k, v in changes.items()})
    return out


def csv_text(*rows: dict[str, str], header: str = HEADER) -> str:
    names = header.split(",")
    lines = [header] + [",".join(r.get(n, "") for n in names) for r in rows]
    return "\n".join(lines) + "\n"


def program(**changes: Any) -> Program:
    values = {c.name: parse_cell(c.name, v) for c, v in ((c, row(**changes)[c.name]) for c in COLUMNS)}
    return Program(**values)


def applicant(**changes: Any) -> ApplicantFacts:
    base: dict[str, Any] = {
        "match_year": 2028,
        "step2_score": 240,
        "graduation_year": 2024,
        "visa_need": "j1",
        "rotations": (),
        "us_letters_received": 2,
        "research_items": 1,
        "preferences": Preferences(),
    }
    base.update(changes)
    return ApplicantFacts(**base)


def rotation(label: str, kind: str, start: str, end: str, *, completed: bool, state: str | None = None) -> RotationFact:
    return RotationFact(label, kind, date.fromisoformat(start), date.fromisoformat(end), completed, state)
