"""Readiness says at which attempt an exam was passed, as `exams list` numbers it.

Found on 5 December: Step 2 CK failed in June and passed in October read "[MET] USMLE Step 2 CK score: Passed on
2025-10-31, score 246", while `exams list` said attempt 2 and the shortlist excluded programs that allow one
attempt: the green line read as a first-attempt pass. Real SQLite/PostgreSQL, the context's FixedClock; the CLI's
quick read and the full path say the same.
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.coach import check_readiness
from imgcoach.core.context import Context
from imgcoach.plan import add_exam
from tests.cli_helpers import run_cli


def _evidence(ctx: Context, key: str) -> tuple[str, ...]:
    return next(c for c in check_readiness(ctx).checks if c.key == key).evidence


def test_a_pass_at_a_retake_says_its_attempt(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    add_exam(ctx, "Step 2 CK", date(2025, 6, 1), score=200)
    add_exam(ctx, "Step 2 CK", date(2025, 10, 31), score=246)
    add_exam(ctx, "Step 1", date(2025, 3, 25), result="pass")
    assert _evidence(ctx, "exam:step2ck") == ("Passed on 2025-10-31, score 246 (attempt 2)",)
    assert _evidence(ctx, "exam:step1") == ("Passed on 2025-03-25",)  # a first attempt says nothing more
    listed = run_cli(capsys, "exams", "list", "--db", ctx.db.url, "--json").json()
    assert [(r["taken_on"], r["attempt"]) for r in listed if r["exam"] == "Step 2 CK"] == [("2025-06-01", 1),
                                                                                         ("2025-10-31", 2)]
    shown = run_cli(capsys, "readiness", "--db", ctx.db.url).out
    assert "Passed on 2025-10-31, score 246 (attempt 2)" in shown, shown
