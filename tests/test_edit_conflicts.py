"""Issue 12 point 9 in the use cases: edits take what the form loaded and refuse a stale save with
EditConflict naming what changed; the CLI (which loads and saves in one command) is unaffected. And the
migration that adds the version counters keeps every row of an old database."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import EditConflict, UserError
from imgcoach.core.settings import Settings
from imgcoach.plan import add_rotation, add_study_block, edit_rotation, edit_study_block, set_profile
from imgcoach.plan.profile import get_profile
from imgcoach.plan.rotations import get_rotation
from imgcoach.storage.db import Database, _alembic_config
from tests.cli_helpers import run_cli
from tests.conftest import FIXED_NOW


def second_process(ctx: Context) -> Context:
    return Context(db=Database(ctx.db.url), clock=ctx.clock, settings=Settings())


def test_every_save_bumps_the_version_and_a_stale_one_names_the_fields(ctx: Context) -> None:
    rotation = add_rotation(ctx, kind="observership", specialty="IM", institution="Lakeside Hospital",
                            start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    assert rotation.version == 1
    loaded = get_rotation(ctx, rotation.id).model_dump()
    other = second_process(ctx)
    try:
        edit_rotation(other, rotation.id, end_date=date(2027, 2, 5), city="Boston")
    finally:
        other.db.close()
    assert get_rotation(ctx, rotation.id).version == 2
    with pytest.raises(EditConflict) as caught:
        edit_rotation(ctx, rotation.id, loaded=loaded, hours_per_week=20)
    conflict = caught.value
    assert isinstance(conflict, UserError), "faces show it as a user error (CLI: exit 2)"
    assert str(conflict) == ("rotation Lakeside Hospital (04 Jan 2027 to 29 Jan 2027) was changed elsewhere since "
                             "you opened it (city: (empty) → Boston; end date: 29 Jan 2027 → 05 Feb 2027)")
    assert set(conflict.changed) == {"city", "end_date"} and conflict.current["version"] == 2
    assert get_rotation(ctx, rotation.id).hours_per_week == 40, "nothing written"
    saved = edit_rotation(ctx, rotation.id, loaded=conflict.current, hours_per_week=20)  # overwrite
    assert (saved.hours_per_week, saved.end_date, saved.version) == (20, date(2027, 2, 5), 3)


def test_a_newer_version_with_the_same_values_loses_nothing(ctx: Context) -> None:
    block = add_study_block(ctx, exam="Step 2 CK", start_date=date(2027, 3, 1), end_date=date(2027, 3, 28),
                            hours_per_week=20)
    loaded = block.model_dump()
    edit_study_block(ctx, block.id, hours_per_week=20)  # saved again elsewhere, same values
    assert edit_study_block(ctx, block.id, loaded=loaded, weekly_goal="UWorld").weekly_goal == "UWorld"


def test_profile_conflict_names_the_field(ctx: Context) -> None:
    loaded = get_profile(ctx).model_dump()  # type: ignore[union-attr]
    set_profile(ctx, timezone="Europe/London")
    with pytest.raises(EditConflict, match=r"^profile of Test Applicant was changed elsewhere .*"
                                           r"timezone: America/New_York → Europe/London"):
        set_profile(ctx, loaded=loaded, school="Another School")


def test_cli_edits_still_work(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    rotation = add_rotation(ctx, kind="observership", specialty="IM", institution="Lakeside Hospital",
                            start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    res = run_cli(capsys, "--db", ctx.db.url, "rotations", "edit", str(rotation.id), "--end", "2027-02-05")
    assert res.code == 0, res.err
    res = run_cli(capsys, "--db", ctx.db.url, "rotations", "edit", str(rotation.id), "--end", "2027-02-12")
    assert res.code == 0, res.err
    now = get_rotation(ctx, rotation.id)
    assert (now.end_date, now.version) == (date(2027, 2, 12), 3)


@pytest.mark.sqlite_only  # an old SQLite file upgraded in place
def test_upgrade_adds_versions_and_keeps_every_row(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old.sqlite"
    db = Database(f"sqlite:///{path}", migrate=False)
    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0003_rotation_country_codes")
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO applicant (name, email, timezone, school, school_country, visa, target_specialties,"
                    " target_countries, target_states, cv_path, personal_statement_path, synthetic, us_citizen)"
                    " VALUES ('Old', 'old@example.com', 'Asia/Kolkata', '', '', 'none', '[]', '[]', '[]', '', '', 0, 0)")
        raw.execute("INSERT INTO rotation (applicant_id, kind, specialty, institution, department, city, state,"
                    " country, start_date, end_date, setting, hours_per_week, hands_on, responsibilities, learned)"
                    " VALUES (1, 'observership', 'Internal Medicine', 'Old Hospital', '', '', '', 'US',"
                    " '2027-01-04', '2027-01-29', 'inpatient', 40, 0, '', '')")
        raw.execute("INSERT INTO study_block (applicant_id, exam, start_date, end_date, hours_per_week, weekly_goal)"
                    " VALUES (1, 'Step 2 CK', '2027-03-01', '2027-03-28', 20, '')")
        raw.execute("INSERT INTO exam_result (applicant_id, exam, taken_on, score, attempt)"
                    " VALUES (1, 'Step 2 CK', '2026-05-01', 246, 1)")
        raw.execute("INSERT INTO contact (applicant_id, name, title, email, phone, institution, notes)"
                    " VALUES (1, 'Dr. Old', '', 'dr@example.com', '', '', '')")
    db.close()
    upgraded = Database(f"sqlite:///{path}")
    with sqlite3.connect(path) as raw:
        for table in ("applicant", "rotation", "study_block", "exam_result", "contact"):
            assert raw.execute(f"SELECT count(*), min(version), max(version) FROM {table}").fetchone() == (1, 1, 1)
        assert raw.execute("SELECT institution FROM rotation").fetchone() == ("Old Hospital",)
    ctx = Context(db=upgraded, clock=FixedClock(FIXED_NOW), settings=Settings())
    assert edit_rotation(ctx, 1, loaded=get_rotation(ctx, 1).model_dump(), city="Pune").version == 2
    upgraded.close()
