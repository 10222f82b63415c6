"""Readiness says "Passed" only of a pass: a score whose outcome is not known is a score, with the result to record.

Found by a new applicant's sequence: `exams add --exam "Step 2 CK" --date 2026-08-01 --score 216` stored no result
(216 is inside 214-218, where the sources on the standard from 1 July 2025 disagree: `exams list` leaves the
result blank), yet readiness said "Passed on 2026-08-01, score 216" and marked the check met.
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.coach import check_readiness
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.plan.exams import add_exam, edit_exam
from tests.cli_helpers import run_cli


def _step2(ctx: Context) -> tuple[str, tuple[str, ...], str]:
    (check,) = (c for c in check_readiness(ctx).checks if c.key == "exam:step2ck")
    return check.status.value, check.evidence, check.action.text if check.action else ""


def test_a_score_inside_the_disputed_range_is_not_called_a_pass(ctx: Context) -> None:
    row = add_exam(ctx, "Step 2 CK", date(2026, 8, 1), score=216)
    assert row.result is None  # the exams' own rule: not known
    status, evidence, action = _step2(ctx)
    assert status == "at_risk"
    assert not any("Passed" in line for line in evidence)
    assert "Score 216 on 2026-08-01" in evidence[0] and "214 to 218" in evidence[0]
    assert "--result pass" in action
    # The score report says pass: both are kept (a result alone dropped the score, and readiness then asked
    # for the score again, whose entry cleared the result).
    kept = edit_exam(ctx, row.id or 0, "Step 2 CK", date(2026, 8, 1), score=216, result="pass")
    assert (kept.score, kept.result) == (216, "pass")
    assert _step2(ctx) == ("met", ("Passed on 2026-08-01, score 216",), "")


def test_a_result_beside_a_score_that_decides_is_refused(ctx: Context) -> None:
    with pytest.raises(UserError, match="not both"):
        add_exam(ctx, "Step 2 CK", date(2026, 8, 1), score=200, result="pass")  # 200 fails by any standard
    assert add_exam(ctx, "Step 2 CK", date(2026, 8, 1), score=216, result="fail").result == "fail"


def test_cli_result_keeps_the_score(capsys: pytest.CaptureFixture[str], ctx: Context, db_url: str) -> None:
    row = add_exam(ctx, "Step 2 CK", date(2026, 8, 1), score=216)
    said = run_cli(capsys, "exams", "edit", "--db", db_url, str(row.id), "--result", "pass")
    assert said.code == 0, said.err
    (shown,) = run_cli(capsys, "exams", "list", "--db", db_url, "--json").json()
    assert (shown["score"], shown["result"]) == (216, "pass")
    assert "[  MET  ] USMLE Step 2 CK score" in run_cli(capsys, "readiness", "--db", db_url).out


def test_a_clear_pass_and_a_clear_fail_keep_their_words(ctx: Context) -> None:
    add_exam(ctx, "Step 2 CK", date(2026, 8, 1), score=240)
    status, evidence, _ = _step2(ctx)
    assert status == "met" and evidence[0] == "Passed on 2026-08-01, score 240"


def test_text_and_json_agree(capsys: pytest.CaptureFixture[str], ctx: Context, db_url: str) -> None:
    add_exam(ctx, "Step 2 CK", date(2026, 8, 1), score=216)
    text = run_cli(capsys, "readiness", "--db", db_url)
    data = run_cli(capsys, "readiness", "--db", db_url, "--json").json()
    (check,) = (c for c in data["checks"] if c["key"] == "exam:step2ck")
    assert check["status"] == "at_risk" and data["counts"]["at_risk"] >= 1
    assert "[AT RISK] USMLE Step 2 CK score" in text.out and "Passed on 2026-08-01" not in text.out


def test_the_action_names_the_exam_row_it_read(ctx: Context) -> None:
    """Readiness read the exam row and still said "imgcoach exams edit ID --result pass|fail (ids in imgcoach exams
    list)": the command now names the row (found walking the study side, stop 40); on the quick path too, since
    both build the report with coach.loading."""
    add_exam(ctx, "Step 1", date(2025, 5, 1), result="pass")
    row = add_exam(ctx, "Step 2 CK", date(2026, 8, 1), score=216)
    assert f"imgcoach exams edit {row.id} --result pass|fail" in _step2(ctx)[2]
    assert "ids in imgcoach exams list" not in _step2(ctx)[2]
    sat = add_exam(ctx, "OET Medicine", date(2026, 11, 2))  # sat, no result yet
    (oet,) = (c for c in check_readiness(ctx).checks if c.key == "exam:oet")
    assert oet.action is not None and f"imgcoach exams edit {sat.id} --score N or --result pass|fail" \
        in oet.action.text, oet.action.text
