"""The program data users really have: the template, optional columns, FREIDA-style exports through a mapping,
one program added or edited by hand, and the upgrade of a database that already holds programs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.matching import programs as programs_service
from imgcoach.matching.schema import COLUMNS, UNKNOWN
from imgcoach.storage.db import Database, _alembic_config
from tests.cli_helpers import database_state, run_cli

FREIDA = Path(__file__).parent / "fixtures" / "programs" / "freida_style_synthetic_300.csv"


def _by_id(ctx: Context) -> dict:
    return {p.program_id: p for p in programs_service.list_programs(ctx, limit=None)}


def _dump(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT * FROM program ORDER BY id").fetchall()


def test_template_lists_every_column_and_what_optional_means(capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # an 80-column terminal: it once printed 212-column lines
    text = run_cli(capsys, "programs", "template")
    assert text.code == 0
    for column in COLUMNS:
        assert column.name in text.out
    assert "--mapping freida" in " ".join(text.out.split())
    assert max(len(line) for line in text.out.splitlines()) <= 80  # meanings wrapped
    header = run_cli(capsys, "programs", "template", "--csv").out.strip()
    assert header.split(",") == [c.name for c in COLUMNS]
    rows = run_cli(capsys, "programs", "template", "--json").json()
    assert {r["column"]: r["required"] for r in rows}["interviews_last_year"] is False


def test_optional_columns_may_be_left_out_and_are_unknown(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("program_id,name,specialty,state,source,checked_on,img_share_pct,application_deadline\n"
                    "M1,My Program,OB/GYN,new york,my notes,2026-11-01,35%,10/01/2026\n")
    programs_service.import_programs(ctx, path)
    program = _by_id(ctx)["M1"]
    assert program.specialty == "obstetrics_gynecology" and program.state == "NY"
    assert program.img_share_pct == 35.0 and program.application_deadline.isoformat() == "2026-10-01"
    assert program.visa_j1 is UNKNOWN and program.interviews_last_year is UNKNOWN and program.positions is UNKNOWN


def test_a_freida_style_export_of_300_programs_imports_in_one_command(
    ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    result = run_cli(capsys, "programs", "import", str(FREIDA), "--mapping", "freida", "--db", db_url)
    assert result.code == 0, result.err
    assert "300 added, 0 updated, 0 unchanged, 0 skipped" in result.out
    programs = _by_id(ctx)
    rows = {r["ACGME Program ID"]: r for r in __import__("csv").DictReader(FREIDA.open(encoding="utf-8"))}
    assert all("(synthetic)" in p.name for p in programs.values())
    for pid, r in rows.items():
        p = programs[pid]
        visas = r["Visa Statuses Accepted"]
        if visas == "":
            assert p.visa_j1 is UNKNOWN and p.visa_h1b is UNKNOWN, pid  # empty list: unknown, not "no"
        elif visas == "None":
            assert (p.visa_j1, p.visa_h1b) == (False, False)
        else:
            assert (p.visa_j1, p.visa_h1b) == ("J-1" in visas, "H-1B" in visas), pid
        share = r["% IMG"].rstrip("%")
        assert p.img_share_pct == (float(share) if share else UNKNOWN)
        assert p.interviews_last_year == (int(r["Interviews Conducted Last Year"])
                                          if r["Interviews Conducted Last Year"] else UNKNOWN)
        assert p.source == "FREIDA-style export" and p.checked_on is not None  # the import date (CLI's clock)
    assert {p.specialty for p in programs.values()} >= {"obstetrics_gynecology", "internal_medicine_pediatrics",
                                                         "preliminary_medicine"}
    shortlist = run_cli(capsys, "shortlist", "--json", "--db", db_url).json()
    assert shortlist["programs"] and all(e["synthetic"] for e in shortlist["programs"])


def test_a_mapping_file_of_your_own(ctx: Context, tmp_path: Path, db_url: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "my.toml"
    mapping.write_text('[columns]\n"Code" = "program_id"\n"Title" = "name"\n"Field" = "specialty"\n'
                       '"ST" = "state"\n"Visas" = "visas"\n"Slots" = "positions"\n'
                       '[defaults]\nsource = "my spreadsheet"\nchecked_on = "2026-10-01"\n'
                       '[options]\nempty_is_unknown = true\n')
    data = tmp_path / "sheet.csv"
    data.write_text("Code,Title,Field,ST,Visas,Slots,Comment\nX1,Program X,Family Medicine,TX,\"J-1, H-1B\",,ok\n")
    result = run_cli(capsys, "programs", "import", str(data), "--mapping", str(mapping), "--db", db_url)
    assert result.code == 0, result.err
    x1 = _by_id(ctx)["X1"]
    assert (x1.visa_j1, x1.visa_h1b, x1.positions, x1.source) == (True, True, UNKNOWN, "my spreadsheet")
    mapping.write_text('[columns]\n"Code" = "program_code"\n')
    bad = run_cli(capsys, "programs", "import", str(data), "--mapping", str(mapping), "--db", db_url)
    assert bad.code == 2 and "'program_code', which is not an imgcoach column" in bad.err


def test_programs_add_and_edit_one_program(ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = db_url
    added = run_cli(capsys, "programs", "add", "H1", "--name", "Hand Program", "--specialty", "IM", "--state", "NJ",
                    "--set", "visa_h1b=yes", "--set", "h1b_evidence=two H-1B residents listed",
                    "--set", "h1b_evidence_source=program website, residents page", "--db", db)
    assert added.code == 0, added.err
    program = _by_id(ctx)["H1"]
    assert program.visa_h1b is True and program.h1b_evidence == "two H-1B residents listed"
    assert program.provenance("h1b_evidence").source == "program website, residents page"
    assert program.source == "entered by hand" and program.visa_j1 is UNKNOWN
    again = run_cli(capsys, "programs", "add", "H1", "--name", "Other", "--specialty", "IM", "--state", "NJ",
                    "--db", db)
    assert again.code == 2 and "exists" in again.err
    edited = run_cli(capsys, "programs", "edit", "H1", "--set", "interviews_last_year=120",
                     "--set", "us_img_pct=10%", "--set", "non_us_img_pct=45", "--db", db)
    assert edited.code == 0, edited.err
    assert "interviews_last_year unknown -> 120" in edited.out
    program = _by_id(ctx)["H1"]
    assert (program.interviews_last_year, program.us_img_pct, program.non_us_img_pct) == (120, 10.0, 45.0)
    assert program.provenance("interviews_last_year").source == "edited by hand"
    history = programs_service.program_history(ctx, "H1")
    assert {h.field for h in history} == {"interviews_last_year", "us_img_pct", "non_us_img_pct"}
    before = database_state(db_url)
    for args, needle in ((["edit", "H1", "--set", "positions=lots"], "positions"),
                         (["edit", "NOPE", "--set", "positions=3"], "no program with id 'NOPE'"),
                         (["edit", "H1", "--set", "colour=red"], "unexpected column 'colour'")):
        bad = run_cli(capsys, "programs", *args, "--db", db)
        assert bad.code == 2 and needle in bad.err and "Traceback" not in bad.err
    assert database_state(db_url) == before
    # One program typed by hand has no file: its problems name the field, not "line 2, column 7"
    bad = run_cli(capsys, "programs", "add", "H2", "--name", "X", "--specialty", "IM", "--state", "NJ",
                  "--set", "positions=many", "--db", db)
    assert bad.code == 2 and "positions: 'many' is not a whole number\n" in bad.err  # the value said once
    assert "line 2" not in bad.err and database_state(db_url) == before


def test_upgrade_of_a_database_holding_programs_keeps_them(tmp_path: Path) -> None:
    """A database at matching_0001 with programs, an import and an override is upgraded: nothing is lost, the
    new facts read as unknown and the old ones as they were."""
    from alembic import command

    path = tmp_path / "old.sqlite"
    db = Database(f"sqlite:///{path}", migrate=False)
    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "matching_0001")
    old_facts = {c.name: "unknown" for c in COLUMNS if c.name not in (
        "program_id", "interviews_last_year", "applications_last_year", "us_img_pct", "non_us_img_pct",
        "h1b_evidence")}
    old_facts.update(name="Old Program", specialty="internal_medicine", state="NY", positions="12", visa_j1="yes",
                     img_share_pct="55", source="old file", checked_on="2026-01-10")
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO applicant (name, email, timezone, school, school_country, visa, target_specialties,"
                    " target_countries, target_states, cv_path, personal_statement_path, synthetic)"
                    " VALUES ('Old User', 'old@example.com', 'UTC', '', '', 'j1', '[]', '[]', '[]', '', '', 0)")
        raw.execute("INSERT INTO program_import (source, added, updated, unchanged, skipped) VALUES ('old.csv', 1, 0,"
                    " 0, 0)")
        raw.execute("INSERT INTO program (id, name, specialty, institution, city, state, program_type, positions,"
                    " source, checked_on, facts, field_sources, last_import_id) VALUES ('OLD1', 'Old Program',"
                    " 'internal_medicine', '', '', 'NY', '', 12, 'old file', '2026-01-10', ?, '{}', 1)",
                    (json.dumps(old_facts),))
        raw.execute("INSERT INTO program_override (applicant_id, program_id, field, value, note) VALUES (1, 'OLD1',"
                    " 'visa_h1b', 'yes', 'called')")
    db.close()
    upgraded = Database(f"sqlite:///{path}")
    with sqlite3.connect(path) as raw:
        facts = json.loads(raw.execute("SELECT facts FROM program").fetchone()[0])
        assert raw.execute("SELECT field, value FROM program_override").fetchall() == [("visa_h1b", "yes")]
        assert raw.execute("SELECT home_states FROM applicant").fetchone() == ("[]",)
    assert facts["interviews_last_year"] == "unknown" and facts["img_share_pct"] == "55"
    with upgraded.read() as session:
        [program] = programs_service.load_programs(session, 1)
    assert program.visa_j1 is True and program.visa_h1b is True and program.img_share_pct == 55.0
    assert program.interviews_last_year is UNKNOWN
    upgraded.close()


def test_loading_the_programs_decodes_their_json_a_chunk_at_a_time(demo_ctx: Context,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Decoding each stored program's facts and field sources on its own (SQLAlchemy's JSON type: two decodes per
    program) was a sixth of the Shortlist's first visit on 5,000 programs (issues 15 and 17). The programs built
    are those each row gives on its own, field sources included; the decodes are counted on a new engine."""
    from sqlalchemy import update
    from sqlmodel import col, func, select

    from imgcoach.storage.models import Program as ProgramRow

    with demo_ctx.db.transaction() as session:  # one program with its own per-field source, as a FREIDA file gives
        first = session.exec(select(ProgramRow.id).order_by(col(ProgramRow.id))).first()
        session.execute(update(ProgramRow).where(col(ProgramRow.id) == first)
                        .values(field_sources={"img_share_pct": ["FREIDA 2026", "2026-03-01"]}))
    with demo_ctx.db.read() as session:
        count = session.exec(select(func.count()).select_from(ProgramRow)).one()
        expected = [programs_service.program_from_row(row)
                    for row in session.exec(select(ProgramRow).order_by(col(ProgramRow.id))).all()]
    assert count > 2 and expected[0].field_sources["img_share_pct"].source == "FREIDA 2026"
    decodes: list[int] = []
    real = json.loads

    def counted(text: str | bytes, *args: object, **kwargs: object) -> object:
        decodes.append(1)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(json, "loads", counted)
    fresh = Database(demo_ctx.db.url)  # its own engine: nothing decoded before the count starts
    try:
        with fresh.read() as session:
            decodes.clear()
            loaded = programs_service.load_programs(session, None)
    finally:
        fresh.close()
    assert loaded == expected
    assert [p.field_sources for p in loaded] == [p.field_sources for p in expected]
    chunks = -(-count // programs_service.LOAD_CHUNK)
    assert len(decodes) <= chunks, f"{len(decodes)} JSON decodes for {count} programs"


@pytest.mark.sqlite_only
def test_a_stored_program_whose_facts_are_not_json_fails_as_before(demo_ctx: Context) -> None:
    """Decoded a chunk at a time, a text that is not JSON still fails the load, not the next row's values."""
    from sqlmodel import col, select

    from imgcoach.storage.models import Program as ProgramRow

    with demo_ctx.db.read() as session:
        second = session.exec(select(ProgramRow.id).order_by(col(ProgramRow.id))).all()[1]
    with sqlite3.connect(demo_ctx.db.url.removeprefix("sqlite:///")) as raw:
        raw.execute("UPDATE program SET facts = ? WHERE id = ?", ('{"name": "x"}, {"name": "y"}', second))
    with demo_ctx.db.read() as session, pytest.raises(json.JSONDecodeError):
        programs_service.load_programs(session, None)


_OVERRIDE_HEADER = "program_id,name,specialty,state,yog_cutoff_years,visa_j1,source,checked_on\n"


def test_a_reimport_of_a_field_you_override_says_your_override_still_applies(
        ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The import said "P1: yog_cutoff_years 5 -> 7" while the shortlist kept using the applicant's override
    (none): a change that never reached them. The stored change is still reported, with the override named."""
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(_OVERRIDE_HEADER + "P1,Alpha IM,Internal Medicine,NY,5,yes,site,2026-10-01\n")
    second.write_text(_OVERRIDE_HEADER + "P1,Alpha IM,Internal Medicine,NY,7,no,site,2026-10-01\n")
    assert run_cli(capsys, "programs", "import", str(first), "--db", db_url).code == 0
    assert run_cli(capsys, "programs", "override", "P1", "yog_cutoff_years", "none", "--db", db_url).code == 0
    again = run_cli(capsys, "programs", "import", str(second), "--db", db_url)
    assert again.code == 0, again.err
    assert "P1: visa_j1 yes -> no; yog_cutoff_years 5 -> 7 (your override none still applies)\n" in again.out
    edited = run_cli(capsys, "programs", "edit", "P1", "--set", "yog_cutoff_years=4", "--db", db_url)
    assert edited.out == "P1: yog_cutoff_years 7 -> 4 (your override none still applies)\n"
    first.write_text(_OVERRIDE_HEADER + "P1,Alpha IM,Internal Medicine,NY,6,yes,site,2026-10-01\n")
    as_json = run_cli(capsys, "programs", "import", str(first), "--json", "--db", db_url).json()
    assert as_json["changes"]["P1"]["yog_cutoff_years"] == {"old": "4", "new": "6"}  # the contract, unchanged
    assert as_json["overridden"] == {"P1": {"yog_cutoff_years": "none"}}
