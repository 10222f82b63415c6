"""Programs and shortlists in a real SQLite file: import, re-import, overrides, runs and their changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, NotFound
from imgcoach.matching import programs as programs_service
from imgcoach.matching import runs as service
from imgcoach.matching.csv_reader import ProgramCsvError
from imgcoach.plan import exams, rotations
from imgcoach.storage.models import Program, ProgramChange, ShortlistRun
from tests.matching_support import csv_text, row


def _write(tmp_path: Path, name: str, *rows: dict[str, str]) -> Path:
    path = tmp_path / name
    path.write_text(csv_text(*rows))
    return path


def _rows(n: int, **changes: str) -> list[dict[str, str]]:
    changes.setdefault("yog_cutoff_years", "none")
    return [row(program_id=f"P{i:03d}", name=f"Program {i}", step2_typical=str(220 + i % 20),
                img_share_pct=str(10 + 3 * i % 80), **changes) for i in range(n)]


def _count(ctx: Context, model: type) -> int:
    with ctx.db.read() as session:
        return len(session.exec(select(model)).all())


@pytest.fixture
def loaded(ctx: Context, tmp_path: Path) -> Context:
    exams.add_exam(ctx, "Step 2 CK", date(2026, 5, 1), score=238)
    programs_service.import_programs(ctx, _write(tmp_path, "p.csv", *_rows(30)))
    return ctx


def test_invalid_file_writes_nothing(ctx: Context, tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.csv", *_rows(3), row(program_id="X1", state="QQ"))
    with pytest.raises(ProgramCsvError, match=r"line 5, column 6 \(state\): unknown state 'QQ'"):
        programs_service.import_programs(ctx, bad)
    assert _count(ctx, Program) == 0
    report = programs_service.import_programs(ctx, bad, skip_invalid=True)
    assert len(report.added) == 3 and [e.line for e in report.skipped] == [5]


def test_reimport_updates_by_id_records_changes_and_keeps_overrides(loaded: Context, tmp_path: Path) -> None:
    programs_service.set_override(loaded, "P001", "visa_h1b", "yes", note="called the coordinator")
    changed = _rows(31)
    changed[1]["positions"] = "14"
    changed[2]["visa_j1"] = "unknown"
    report = programs_service.import_programs(loaded, _write(tmp_path, "p2.csv", *changed))
    assert report.added == ["P030"] and report.unchanged == 28
    assert report.updated == {"P001": {"positions": ("10", "14")}, "P002": {"visa_j1": ("yes", "unknown")}}
    history = programs_service.program_history(loaded, "P001")
    assert [(h.field, h.old, h.new) for h in history] == [("positions", "10", "14")]
    listed = {p.program_id: p for p in programs_service.list_programs(loaded)}
    assert listed["P001"].visa_h1b is True and listed["P001"].overridden == frozenset({"visa_h1b"})
    assert listed["P001"].positions == 14
    assert "called the coordinator" in listed["P001"].provenance("visa_h1b").source
    assert _count(loaded, ProgramChange) == 2


def test_override_validation(loaded: Context) -> None:
    with pytest.raises(FieldError, match="visa_h1b"):
        programs_service.set_override(loaded, "P001", "visa_h1b", "perhaps")
    with pytest.raises(NotFound):
        programs_service.set_override(loaded, "NOPE", "visa_h1b", "yes")


def test_facts_come_from_the_plan(loaded: Context) -> None:
    rotations.add_rotation(loaded, kind="externship", specialty="Internal Medicine", institution="H (fictional)",
                           state="NY", country="US", start_date=date(2026, 6, 1), end_date=date(2026, 7, 26),
                           hands_on=True)
    rotations.add_rotation(loaded, kind="observership", specialty="Cardiology", institution="C (fictional)",
                           state="NJ", country="US", start_date=date(2027, 2, 27), end_date=date(2027, 3, 26))
    _, _, inputs, today = service.compute(loaded)
    facts = inputs.facts
    assert today == date(2026, 11, 25) and facts.match_year == 2028
    assert facts.step2_score == 238 and facts.visa_need == "j1" and facts.graduation_year == 2022
    assert facts.preferences.specialties == ("internal_medicine",)
    standing = facts.standing(include_planned=False)
    assert standing.hands_on_months == 2.0 and standing.observing_months == 0
    assert [r.label for r in standing.planned_rotations] == ["internal medicine observership"]  # Cardiology is stored as IM (department Cardiology)


def test_runs_store_changes_with_reasons_and_refresh_when_inputs_change(loaded: Context, tmp_path: Path) -> None:
    first = service.recompute(loaded)
    assert first.changes == [] and len(first.shortlist.entries) == 30
    assert service.refresh_if_stale(loaded) is None  # nothing changed
    # The program data changes: P003 now needs a score the applicant lacks.
    changed = _rows(30)
    changed[3]["step2_min"] = "250"
    programs_service.import_programs(loaded, _write(tmp_path, "p3.csv", *changed))
    second = service.refresh_if_stale(loaded)
    assert second is not None and second.run.trigger == "programs"
    left = [c for c in second.changes if c["kind"] == "left"]
    assert left == [{"program_id": "P003", "kind": "left", "old_tier": first_tier(first, "P003"), "new_tier": None,
                     "why": "no longer eligible: requires Step 2 CK of at least 250; yours is 238"}]
    keys = ("program_id", "kind", "old_tier", "new_tier", "why")
    assert [{k: c[k] for k in keys} for c in service.changes_since_seen(loaded)] == second.changes
    assert service.digest_lines(loaded)[0].startswith("P003 left your shortlist: no longer eligible")
    # A better score moves programs up a tier; the exams part triggers it.
    exams.remove_exam(loaded, exams.list_exams(loaded)[0].id)
    exams.add_exam(loaded, "Step 2 CK", date(2026, 5, 1), score=262)
    third = service.refresh_if_stale(loaded)
    assert third is not None and "exams" in third.run.trigger
    assert any(c["kind"] in ("moved", "entered") for c in third.changes)
    # P003 is back at the tier the applicant last saw it in: since they last looked, it did not change (the two
    # runs' changes were listed in turn: "P003 left ... no longer eligible" of a program on the list).
    assert [c["program_id"] for c in third.changes] == ["P003"]
    assert service.changes_since_seen(loaded) == [] and service.digest_lines(loaded) == []
    assert service.mark_seen(loaded) == 3 and service.changes_since_seen(loaded) == []


def first_tier(result: service.RunResult, pid: str) -> str:
    return next(e.tier for e in result.shortlist.entries if e.program_id == pid)


def test_nightly_refresh_covers_every_applicant(loaded: Context) -> None:
    from imgcoach.plan.profile import set_profile

    other = Context(db=loaded.db, clock=loaded.clock, settings=loaded.settings, applicant_id=None)
    assert service.refresh_all(other) == 1
    set_profile(loaded, name="Test Applicant", email="applicant@example.com", timezone="America/New_York",
                target_specialties=["Internal Medicine"], application_budget_programs=5)
    assert service.refresh_all(loaded) == 1
    with loaded.db.read() as session:
        runs = session.exec(select(ShortlistRun)).all()
    assert [r.trigger for r in runs] == ["nightly", "nightly"] and runs[-1].budget_programs == 5
    task = service.nightly_task(loaded)
    assert task.name == "shortlist-nightly" and task.interval.total_seconds() == 86400


def test_demo_loads_the_sample_dataset(demo_ctx: Context) -> None:
    with demo_ctx.db.read() as session:
        assert len(session.exec(select(Program.id)).all()) >= 5000
    latest = service.latest_run(demo_ctx)
    assert latest is not None and latest[0].trigger == "demo" and latest[1]


def test_import_writes_programs_in_few_executemany_chunks(ctx: Context, tmp_path: Path) -> None:
    """5,000 new programs, some with positions unknown: at most one INSERT per chunk (was one per group of rows
    with the same unknown columns, about 900 for 5,000 programs), and every row and value stored."""
    from sqlalchemy import event

    from imgcoach.matching.generate import generate_rows, render_csv

    path = tmp_path / "many.csv"
    path.write_text(render_csv(generate_rows(5000, 7)))
    inserts: list[int] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO PROGRAM "):
            inserts.append(len(parameters) if executemany else 1)

    event.listen(ctx.db.engine, "before_cursor_execute", count)
    try:
        report = programs_service.import_programs(ctx, path)
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", count)
    assert len(report.added) == 5000 == _count(ctx, Program) == sum(inserts)
    assert len(inserts) <= -(-5000 // programs_service.INSERT_CHUNK)
    stored = {p.program_id: p for p in programs_service.list_programs(ctx)}
    parsed = generate_rows(5000, 7)
    assert stored[parsed[0]["program_id"]].name == parsed[0]["name"]


def test_loading_programs_makes_no_orm_row_per_program(loaded: Context) -> None:
    """The shortlist rebuilds Programs from three columns; no ORM instance per program stays in the session
    (at 50,000 programs those held most of a 380 MiB peak), and the Programs equal the listed ones."""
    from sqlalchemy import event

    made: list[object] = []

    def count(target: object, context: object) -> None:
        made.append(target)

    event.listen(Program, "load", count)
    try:
        with loaded.db.read() as session:
            programs = programs_service.load_programs(session, None)
    finally:
        event.remove(Program, "load", count)
    assert made == []
    assert len(programs) == 30
    assert programs == programs_service.list_programs(loaded)
