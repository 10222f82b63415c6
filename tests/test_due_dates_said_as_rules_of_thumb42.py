"""The exam milestones' due dates are planning rules of thumb (scores on file by the submission date, ECFMG
certification before Match Week), yet `readiness` printed "Not recorded; due 2027-09-03" as if a body had set
that deadline; only `--sources` said "(rule of thumb for the due dates)". The evidence line now says what the
date is and that it is a rule of thumb, in the CLI, its JSON and the app alike (one rule: coach.readiness)."""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.exams import add_exam
from tests.cli_helpers import run_cli

RULE = "a planning rule of thumb"


def test_an_exam_not_recorded_says_its_due_date_is_a_rule_of_thumb(
        ctx: Context, db_url: str, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(capsys, "readiness", "--db", db_url, "--json")
    assert res.code == 0, res.err
    checks = {c["key"]: c for c in res.json()["checks"]}
    step1 = " ".join(checks["exam:step1"]["evidence"])
    assert "Not recorded; due " in step1 and f"(the submission date: {RULE})" in step1
    ecfmg = " ".join(checks["exam:ecfmg_certification"]["evidence"])
    assert f"(the match week date: {RULE})" in ecfmg
    text = run_cli(capsys, "readiness", "--db", db_url).out
    assert text.count(RULE) >= 4, text  # Step 1, Step 2 CK, OET, ECFMG certification


def test_a_booked_sitting_says_it_too(ctx: Context, db_url: str, cli_clock: FixedClock,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    today = cli_clock.now().date()
    add_exam(ctx, "USMLE Step 1", today.replace(year=today.year + 1, month=3, day=1))  # a booking
    res = run_cli(capsys, "readiness", "--db", db_url, "--json")
    step1 = " ".join({c["key"]: c for c in res.json()["checks"]}["exam:step1"]["evidence"])
    assert step1.startswith("Scheduled ") and f"(the submission date: {RULE})" in step1, step1
