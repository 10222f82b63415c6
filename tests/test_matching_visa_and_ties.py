"""Visa "J-1 or H-1B", the H-1B Step 3 warning (shortlist and readiness), research projects, home-state ties."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from imgcoach.coach import actions as coach
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.matching import programs as programs_service
from imgcoach.matching import runs as service
from imgcoach.plan import exams
from imgcoach.plan.profile import set_profile
from imgcoach.storage.models import Applicant
from tests.cli_helpers import run_cli
from tests.matching_support import csv_text, row


@pytest.fixture
def three_visa_kinds(ctx: Context, tmp_path: Path) -> Context:
    path = tmp_path / "programs.csv"
    path.write_text(csv_text(
        row(program_id="J1ONLY", visa_j1="yes", visa_h1b="no", yog_cutoff_years="none"),
        row(program_id="H1BONLY", visa_j1="no", visa_h1b="yes", yog_cutoff_years="none"),
        row(program_id="NEITHER", visa_j1="no", visa_h1b="no", yog_cutoff_years="none"),
    ))
    programs_service.import_programs(ctx, path)
    return ctx


def _facts(ctx: Context):  # type: ignore[no-untyped-def]
    with ctx.db.read() as session:
        applicant = session.exec(select(Applicant)).one()
        return service.gather(session, ctx, applicant, date(2026, 11, 25)).facts


def test_j1_or_h1b_keeps_either_sponsor_and_warns_about_step3(
    three_visa_kinds: Context, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    result = run_cli(capsys, "profile", "set", "--visa", "j1_or_h1b", "--db", db_url)
    assert result.code == 0, result.err
    shortlist, _, _, _ = service.compute(three_visa_kinds)
    assert sorted(shortlist.ids()) == ["H1BONLY", "J1ONLY"]
    by_id = {e.program_id: e for e in shortlist.entries}
    assert [r.code for r in by_id["H1BONLY"].reasons if r.code == "h1b_step3"] == ["h1b_step3"]
    assert not [r for r in by_id["J1ONLY"].reasons if r.code == "h1b_step3"]
    excluded = {a.index for a in shortlist.ranking.excluded}
    assert len(excluded) == 1  # NEITHER
    # This applicant has no Step 2 CK score either: that warning is the other one (test_matching_cli)
    [warning] = [w for w in shortlist.warnings if w.startswith("H-1B:")]
    assert "Step 3" in warning and "rank order list" in warning and "count on J-1 programs" in warning
    data = run_cli(capsys, "shortlist", "--json", "--db", db_url).json()
    assert data["warnings"] == list(shortlist.warnings) and len(data["warnings"]) == 2
    text = run_cli(capsys, "shortlist", "--db", db_url).out
    assert "WARNING H-1B:" in text


def test_step3_passed_clears_the_warning_and_the_reason(three_visa_kinds: Context) -> None:
    set_profile(three_visa_kinds, visa="h1b")
    exams.add_exam(three_visa_kinds, "USMLE Step 3", date(2026, 9, 1), score=225)
    shortlist, _, _, _ = service.compute(three_visa_kinds)
    assert shortlist.ids() == ["H1BONLY"] and not [w for w in shortlist.warnings if w.startswith("H-1B:")]
    assert not [r for r in shortlist.entries[0].reasons if r.code == "h1b_step3"]


def test_readiness_shows_the_h1b_step3_check(three_visa_kinds: Context) -> None:
    set_profile(three_visa_kinds, visa="h1b")
    exams.add_exam(three_visa_kinds, "Step 3", date(2027, 1, 20))  # booked, no result yet
    check = next(c for c in coach.readiness(three_visa_kinds).checks if c.key == "visa:h1b_step3")
    assert check.status.value == "at_risk" and "booked for 2027-01-20" in check.evidence[0]
    assert check.action is not None and check.action.due == date(2027, 1, 20)
    set_profile(three_visa_kinds, visa="j1")
    assert not [c for c in coach.readiness(three_visa_kinds).checks if c.key == "visa:h1b_step3"]


def test_research_counts_coach_projects_too(ctx: Context) -> None:
    assert _facts(ctx).research_items == 0
    coach.add_project(ctx, "case_report", "Unusual presentation of a common disease")
    coach.add_project(ctx, "research", "Retrospective cohort on readmissions")
    assert _facts(ctx).research_items == 2


def test_home_states_give_ties_and_bad_states_exit_2(
    ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "profile", "set", "--home-states", "tx, ca", "--db", db_url)
    assert result.code == 0, result.err
    standing = _facts(ctx).standing()
    assert standing.tie_states == frozenset({"TX", "CA"}) and standing.tie_regions == frozenset({"south", "west"})
    bad = run_cli(capsys, "profile", "set", "--home-states", "TX,Texas", "--db", db_url)
    assert bad.code == 2 and "--home-states" in bad.err and "Traceback" not in bad.err  # the option typed
    assert _facts(ctx).home_states == frozenset({"TX", "CA"})


def test_the_h1b_step3_action_books_a_sitting_in_time_not_by_today(three_visa_kinds: Context) -> None:
    """With nothing booked the action read "Sit USMLE Step 3 so the result is in before the rank order list
    deadline (by <today>)", 15 months before ranking; and a sitting booked after ranking closed was "at risk"
    with "Sit" by that late date."""
    set_profile(three_visa_kinds, visa="h1b")
    report = coach.readiness(three_visa_kinds)
    check = next(c for c in report.checks if c.key == "visa:h1b_step3")
    year = next(c for c in report.checks if c.key == "visa:h1b_step3").evidence[1].split("assumed ")[1][:4]
    ranking = date(int(year), 3, 1)
    assert check.status.value == "missing" and check.action is not None
    latest = ranking - timedelta(days=28)
    assert check.action.text.startswith(f"Book USMLE Step 3: a sitting on or before {latest.isoformat()}")
    assert check.action.due == latest - timedelta(days=28) > date(2026, 11, 25)  # not "by today"
    exams.add_exam(three_visa_kinds, "Step 3", ranking + timedelta(days=20))  # after ranking closes
    late = next(c for c in coach.readiness(three_visa_kinds).checks if c.key == "visa:h1b_step3")
    assert late.status.value == "missing" and late.action is not None
    assert late.action.text.startswith(f"Move the USMLE Step 3 sitting to {latest.isoformat()} or earlier")


def test_a_step3_sitting_already_past_asks_for_its_result_in_the_h1b_check(three_visa_kinds: Context) -> None:
    """The H-1B check had its own copy of the exams' sitting rule, without the exam milestones' case of a
    sitting already past: a Step 3 sat a week ago with no result read "Sit USMLE Step 3 ..." due on that past
    day. It now asks for the result, as the exam milestones do."""
    set_profile(three_visa_kinds, visa="h1b")
    exams.add_exam(three_visa_kinds, "Step 3", date(2026, 12, 10))  # booked; the clock stands at 2026-11-25
    later = replace(three_visa_kinds, clock=FixedClock(datetime(2026, 12, 17, 15, tzinfo=UTC)))
    check = next(c for c in coach.readiness(later).checks if c.key == "visa:h1b_step3")
    assert check.status.value == "at_risk" and check.action is not None
    assert check.action.text.startswith("Record the result of USMLE Step 3 once you have it")
    assert check.action.due == date(2026, 12, 17)
    assert any(line.startswith("Sat on 2026-12-10; no result recorded") for line in check.evidence)


def test_readiness_reads_a_stored_roman_numeral_step_as_the_shortlist_does(ctx: Context) -> None:
    """Readiness had its own spelling rule for stored exam rows: "Step II CK" (written by an older version or
    another tool) counted in the shortlist, through the shared vocabulary, and was "not recorded" in readiness."""
    from imgcoach.core.vocab.exams import parse_exam
    from imgcoach.storage.models import ExamResult

    with ctx.db.transaction() as session:
        applicant = session.exec(select(Applicant)).one()
        session.add(ExamResult(applicant_id=applicant.id, exam="USMLE Step II CK", taken_on=date(2026, 6, 1),
                               score=245, result="pass", attempt=1))
    assert parse_exam("USMLE Step II CK").code == "step2ck"  # what the shortlist reads it as
    check = next(c for c in coach.readiness(ctx).checks if c.key == "exam:step2ck")
    assert check.status.value == "met", check.evidence
    assert check.evidence[0].startswith("Passed on 2026-06-01, score 245")
