"""`imgcoach programs ...` and `imgcoach shortlist`: output for people and scripts, exit 2 on bad input."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli, run_subprocess
from tests.matching_support import HEADER, csv_text, row


def _rows(n: int) -> list[dict[str, str]]:
    return [row(program_id=f"C{i:02d}", name=f"Program {i}", yog_cutoff_years="none", state=["NY", "NJ"][i % 2],
                step2_typical=str(225 + i)) for i in range(n)]


@pytest.fixture
def db(ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = tmp_path / "programs.csv"
    path.write_text(csv_text(*_rows(12)))
    result = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    assert result.code == 0, result.err
    assert "12 added, 0 updated, 0 unchanged, 0 skipped" in result.out
    return db_url


def test_shortlist_json_has_the_contract(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "shortlist", "--json", "--budget", "5", "--db", db)
    assert result.code == 0, result.err
    data = result.json()
    assert "not a promise" in data["disclaimer"]
    assert 0 < data["chance_of_at_least_one_match"] <= 1 and data["total_fee_usd"] == 55
    assert len(data["programs"]) == 5
    first = data["programs"][0]
    assert {"id", "tier", "probability", "reasons", "unknown_fields"} <= set(first)
    assert first["tier"] in ("reach", "target", "likely")


def test_shortlist_budget_usd_and_csv(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "shortlist", "--csv", "--budget-usd", "33", "--db", db)
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 3 and {r["fee_usd"] for r in rows} == {"11.0"}


def test_shortlist_text_explain_and_what_ifs(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = run_cli(capsys, "shortlist", "--db", db)
    assert text.code == 0 and "estimated chance of at least one match" in text.out and "not a promise" in text.out
    explained = run_cli(capsys, "shortlist", "--explain", "C03", "--db", db)
    assert "interview chance" in explained.out and "top factors" in explained.out
    assert "source: test fixture" in explained.out
    what_if = run_cli(capsys, "shortlist", "--json", "--what-if-step2", "200", "--db", db)
    assert what_if.json()["what_if"]["alternative"]["label"] == "if your Step 2 CK were 200"
    completed = run_cli(capsys, "shortlist", "--completed-only", "--db", db)
    assert completed.code == 0 and "with the rotations you have planned" in completed.out


def test_override_and_list(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "programs", "override", "C01", "visa_h1b", "yes", "--note", "called", "--db", db)
    assert result.code == 0 and "(your override)" in result.out
    listed = run_cli(capsys, "programs", "list", "--json", "--db", db)
    c01 = next(p for p in listed.json() if p["program_id"] == "C01")
    assert c01["overridden_fields"] == ["visa_h1b"] and c01["visa_h1b"] == "yes"
    bad = run_cli(capsys, "programs", "override", "C01", "visa_h1b", "maybe", "--db", db)
    assert bad.code == 2 and "visa_h1b" in bad.err


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (csv_text(row(), header=HEADER.replace(",source", "")), "line 1, column source: missing column"),
        (csv_text(row(), row(program_id="Z2", positions="many")), "line 3, column 8 (positions)"),
        (csv_text(row(), row()), "duplicate id 'P1'"),
        (csv_text(row(state="ZZ")), "line 2, column 6 (state): unknown state 'ZZ'"),
        (csv_text(row(specialty="cardiac_magic")), "unknown specialty (got 'cardiac_magic')"),
    ],
    ids=["missing_column", "wrong_type", "duplicate_id", "unknown_state", "unknown_specialty"],
)
def test_bad_csv_exits_2_and_leaves_the_database_unchanged(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, needle: str
) -> None:
    before = _dump(db)
    path = tmp_path / "bad.csv"
    path.write_text(text)
    result = run_cli(capsys, "programs", "import", str(path), "--db", db)
    assert result.code == 2 and needle in result.err and "Traceback" not in result.err
    assert _dump(db) == before


def _dump(db: str) -> list[tuple]:
    state = database_state(db)
    return state if isinstance(state, str) else state["program"] + state["program_import"]


def test_subprocess_error_has_no_traceback(db: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(row(positions="x")))
    result = run_subprocess("programs", "import", str(path), "--db", db)
    assert result.code == 2 and "line 2, column 8 (positions)" in result.err and "Traceback" not in result.err


def test_a_long_strong_list_is_shown_at_the_ceiling_never_as_100_percent(
    ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Independence used to print 99.9% here; the shared component caps it, and the words say so."""
    from datetime import date

    from imgcoach.plan.exams import add_exam
    from imgcoach.plan.rotations import add_rotation

    add_exam(ctx, "Step 2 CK", date(2026, 6, 1), score=265)
    add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="Test Hospital", state="NY",
                 country="US", start_date=date(2026, 1, 5), end_date=date(2026, 6, 28), hands_on=True)
    path = tmp_path / "easy.csv"
    path.write_text(csv_text(*[row(program_id=f"E{i:03d}", step2_typical="215", img_share_pct="90", step2_min="200",
                                   yog_cutoff_years="none", state=["NY", "NJ", "PA"][i % 3]) for i in range(150)]))
    assert run_cli(capsys, "programs", "import", str(path), "--db", db_url).code == 0
    data = run_cli(capsys, "shortlist", "--json", "--budget", "150", "--db", db_url).json()
    assert data["chance_of_at_least_one_match"] < data["chance_ceiling"] == 0.93
    # Within a point of the ceiling (the IMG-share reference is the 62% of IMG-heavy programs since 2026.3).
    assert data["at_ceiling"] and data["chance_display"] in ("about 92%", "about 93%")
    assert "assumption" in data["chance_note"] and "93%" in data["chance_note"]
    text = run_cli(capsys, "shortlist", "--budget", "150", "--db", db_url).out
    assert re.search(r"estimated chance of at least one match: about 9[23]%, at the model's ceiling", text)
    assert "more programs cannot raise it" in text
    assert "100%" not in text and "99." not in text


def test_present_rounds_and_never_says_certain() -> None:
    from imgcoach.matching.present import chance_sentence, chance_text, pct

    assert chance_text(0.8705) == "about 87%" and chance_text(0.9999) == ">99%" and pct(0.001) == "<1%"
    assert pct(0.996) == ">99%" and pct(0.5) == "50%"
    assert chance_sentence(0.87, 0.93).endswith("(model ceiling 93%)")
    assert "at the model's ceiling" in chance_sentence(0.925, 0.93)


def _forget_facts(ctx: Context, program_id: str) -> None:
    """The row as a database from before program facts were stored keeps it (matching_0001 added `facts`
    as {}): name, specialty and the other required facts read as unknown."""
    from sqlalchemy import update

    from imgcoach.storage.models import Program as ProgramRow

    with ctx.db.transaction() as session:
        session.execute(update(ProgramRow).where(ProgramRow.id == program_id).values(facts={}))


def test_a_stored_program_the_code_cannot_read_is_named_not_an_internal_error(db: str, ctx: Context) -> None:
    _forget_facts(ctx, "C03")
    result = run_subprocess("shortlist", "--db", db)  # a fresh process, as after an upgrade (no program cache)
    assert result.code == 2, result.err
    assert "internal error" not in result.err and "ValueError" not in result.err
    assert "program C03: the stored name 'unknown' is required and cannot be 'unknown'" in result.err
    assert "imgcoach programs import" in result.err
