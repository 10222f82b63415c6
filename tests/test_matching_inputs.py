"""Inputs on the matching side that used to mislead without a word: specialty names, exam rows, budgets.

Each test failed before the shared vocabularies were used here (issue 14, "Inputs that mislead").
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.matching import programs as programs_service
from imgcoach.matching import runs as service
from imgcoach.matching.csv_reader import ProgramCsvError
from imgcoach.storage.models import Applicant, ExamResult
from tests.cli_helpers import database_state, run_cli
from tests.matching_support import csv_text, row


def _import(ctx: Context, tmp_path: Path, *rows: dict[str, str]) -> None:
    path = tmp_path / "programs.csv"
    path.write_text(csv_text(*rows))
    programs_service.import_programs(ctx, path)


def _set_targets(ctx: Context, targets: list[str]) -> None:
    """Store the profile's targets as typed (another screen may have saved them before validation existed)."""
    with ctx.db.transaction() as session:
        applicant = session.exec(select(Applicant)).one()
        applicant.target_specialties = targets
        session.add(applicant)


def _exam_rows(ctx: Context, *rows: tuple[str, date, int | None, str | None]) -> None:
    with ctx.db.transaction() as session:
        applicant = session.exec(select(Applicant)).one()
        for exam, on, score, result in rows:
            session.add(ExamResult(applicant_id=applicant.id, exam=exam, taken_on=on, score=score, result=result))


@pytest.mark.parametrize("typed", ["Obstetrics and Gynecology", "OB/GYN", "obstetrics_gynecology", "Ob-Gyn"])
def test_importer_accepts_display_names_and_aliases(ctx: Context, tmp_path: Path, typed: str) -> None:
    _import(ctx, tmp_path, row(program_id="OB1", specialty=typed))
    [stored] = programs_service.list_programs(ctx)
    assert stored.specialty == "obstetrics_gynecology"
    assert [p.program_id for p in programs_service.list_programs(ctx, specialty="OBGYN")] == ["OB1"]


def test_importer_refuses_an_unknown_specialty_with_suggestions(ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(ProgramCsvError, match=r"line 2, column 3 \(specialty\): unknown specialty; did you mean "
                                              r"'Urology'"):
        _import(ctx, tmp_path, row(specialty="Urologyy"))
    assert programs_service.list_programs(ctx) == []


def test_an_unknown_target_specialty_is_refused_not_read_as_every_specialty(
    ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _import(ctx, tmp_path, row(program_id="IM1"), row(program_id="FM1", specialty="family_medicine"))
    _set_targets(ctx, ["Urologyy"])
    with pytest.raises(UserError, match=r"unknown specialty; did you mean 'Urology'.*profile set --specialties"):
        service.compute(ctx)
    result = run_cli(capsys, "shortlist", "--db", db_url)
    assert result.code == 2 and "Urologyy" in result.err and "Traceback" not in result.err


def test_a_comma_list_stored_as_one_item_means_those_specialties(ctx: Context, tmp_path: Path) -> None:
    _import(ctx, tmp_path, row(program_id="IM1", yog_cutoff_years="none"),
            row(program_id="FM1", specialty="family_medicine", yog_cutoff_years="none"),
            row(program_id="PS1", specialty="psychiatry", yog_cutoff_years="none"))
    _set_targets(ctx, ["IM,FM"])
    shortlist, _, inputs, _ = service.compute(ctx)
    assert inputs.facts.preferences.specialties == ("internal_medicine", "family_medicine")
    assert sorted(shortlist.ids()) == ["FM1", "IM1"]


def test_a_booking_and_its_result_are_one_attempt(ctx: Context, tmp_path: Path) -> None:
    # attempts_allowed = 1 in every fixture row: two "attempts" used to exclude all of them
    _import(ctx, tmp_path, *[row(program_id=f"P{i}", yog_cutoff_years="none") for i in range(5)])
    _exam_rows(ctx, ("Step 2 CK", date(2026, 5, 1), None, None), ("Step 2 CK", date(2026, 5, 27), 241, None))
    shortlist, _, inputs, _ = service.compute(ctx)
    assert inputs.facts.max_attempts_any_step == 1 and inputs.facts.failed_attempts == 0
    assert inputs.facts.step2_score == 241
    assert shortlist.excluded_count == 0 and len(shortlist.entries) == 5


@pytest.mark.parametrize("spelling", ["Step 2CK", "USMLE Step 2", "Step2 CK", "step 2 ck", "Step II CK",
                                      "USMLE Step II"])
def test_every_step_2_ck_spelling_keeps_the_score(ctx: Context, spelling: str) -> None:
    _exam_rows(ctx, (spelling, date(2026, 5, 1), 250, None))
    with ctx.db.read() as session:
        applicant = session.exec(select(Applicant)).one()
        facts = service.gather(session, ctx, applicant, date(2026, 11, 25)).facts
    assert facts.step2_score == 250


def test_roman_numeral_step_names_are_recorded_through_the_cli_and_count(
        ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Applicants write "Step II CK", "USMLE Step I", "Step III": `exams add` refused them as unknown exams (exit 2),
    and a stored row so spelled lost its score in the shortlist."""
    from imgcoach.plan.exams import list_exams

    db = ("--db", db_url)
    for args in (("--exam", "USMLE Step I", "--date", "2025-06-01", "--result", "pass"),
                 ("--exam", "Step II CK", "--date", "2025-09-01", "--score", "251"),
                 ("--exam", "Step III", "--date", "2026-02-01", "--score", "230")):
        added = run_cli(capsys, "exams", "add", *db, *args)
        assert added.code == 0, added.err
    assert [(r.exam, r.score, r.result) for r in list_exams(ctx)] == [
        ("Step 1", None, "pass"), ("Step 2 CK", 251, "pass"), ("Step 3", 230, "pass")]
    with ctx.db.read() as session:
        applicant = session.exec(select(Applicant)).one()
        facts = service.gather(session, ctx, applicant, date(2026, 11, 25)).facts
    assert facts.step2_score == 251 and facts.step3_passed is True and facts.failed_attempts == 0
    refused = run_cli(capsys, "exams", "add", *db, "--exam", "Step II CS", "--date", "2020-01-01", "--result", "pass")
    assert refused.code == 2 and "Step 2 CS was discontinued" in refused.err


def test_a_failing_score_is_a_failed_attempt_even_if_marked_pass(ctx: Context) -> None:
    # 205 in 2026 is under the 214 standard of 1 July 2022 (imgcoach.core.vocab.exams)
    _exam_rows(ctx, ("Step 2 CK", date(2026, 1, 10), 205, "pass"), ("Step 2 CK", date(2026, 5, 1), 238, None),
               ("Step 3", date(2026, 8, 1), 190, None))
    with ctx.db.read() as session:
        applicant = session.exec(select(Applicant)).one()
        facts = service.gather(session, ctx, applicant, date(2026, 11, 25)).facts
    assert facts.failed_attempts == 2 and facts.max_attempts_any_step == 2
    assert facts.step3_passed is False and facts.step2_score == 238


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--budget-usd", "nan"], "--budget-usd: must be a number of US dollars from 1 to 1,000,000"),
        (["--budget-usd", "inf"], "--budget-usd: must be a number of US dollars from 1 to 1,000,000"),
        (["--budget-usd", "-5"], "--budget-usd: must be a number of US dollars from 1 to 1,000,000"),
        (["--budget", "0"], "--budget: must be a whole number of programs from 1 to 20,000"),
        (["--what-if-step2", "999"], "--what-if-step2: USMLE Step 2 CK score must be from 1 to 300"),
    ],
    ids=["nan", "inf", "negative", "zero_programs", "step2_999"],
)
def test_bad_budgets_and_what_ifs_exit_2_naming_the_flag_and_the_range(
    ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    _import(ctx, tmp_path, row())
    before = database_state(db_url)
    result = run_cli(capsys, "shortlist", *args, "--db", db_url)
    assert result.code == 2 and needle in result.err and "Traceback" not in result.err
    assert database_state(db_url) == before
