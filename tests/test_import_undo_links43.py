"""Undoing an import that only linked a hospital's schedule to a rotation already planned said "1 plan item"
(the history row kept made, linked and moved plan items as one count): as if the undo had removed a rotation,
which stays. The history row now counts links apart (upgrade 0014_import_links) and the undo says what it did,
in the CLI and the app alike: "undid 1 link", "removed 1 rotation and undid 1 link". An import recorded before
the upgrade still undoes, and says its other changes were links or moves, not which."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation, list_rotations
from tests.cli_helpers import run_cli

DATA = Path(__file__).parent / "data" / "ics"
LINK_WORDS = "undid 1 link to plan items already there (they stay)"


def planned_observership(ctx: Context, institution: str, start: date, end: date) -> int:
    """A planned observership an imported schedule can link to (the history tests use it too)."""
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution=institution,
                            start_date=start, end_date=end, hours_per_week=40)
    assert rotation.id is not None
    return rotation.id


def _imported(ctx: Context, capsys: pytest.CaptureFixture[str], name: str) -> str:
    res = run_cli(capsys, "import", str(DATA / name), "--accept-suggestions", "--db", ctx.db.url)
    assert res.code == 0, res.err
    return res.out


def test_undoing_a_link_says_it_undid_a_link_and_the_rotation_stays(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    planned = planned_observership(ctx, "Mercy Hospital", date(2027, 1, 4), date(2027, 1, 29))
    assert f"linked to rotation {planned}" in _imported(ctx, capsys, "weekday_schedule_monday_holiday.ics")
    undone = run_cli(capsys, "import", "--undo", "--db", ctx.db.url)
    assert undone.code == 0, undone.err
    assert undone.out.rstrip().endswith(f"(19 created, 0 updated, 0 removed; {LINK_WORDS})"), undone.out
    assert "plan item)" not in undone.out
    assert [r.id for r in list_rotations(ctx)] == [planned]


def test_undoing_a_rotation_made_and_one_linked_names_both(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    planned = planned_observership(ctx, "Riverside General Hospital (fictional)", date(2027, 3, 1), date(2027, 3, 26))
    _imported(ctx, capsys, "outlook_two_rotation_schedules_timed_and_allday.ics")
    assert len(list_rotations(ctx)) == 2  # the Pediatrics one made beside the planned one
    undone = run_cli(capsys, "import", "--undo", "--db", ctx.db.url)
    assert undone.code == 0, undone.err
    assert f"0 removed; removed 1 rotation and {LINK_WORDS})" in undone.out, undone.out
    assert [r.id for r in list_rotations(ctx)] == [planned]


def test_an_import_recorded_before_the_upgrade_undoes_without_claiming_what_it_was(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    planned_observership(ctx, "Riverside General Hospital (fictional)", date(2027, 3, 1), date(2027, 3, 26))
    _imported(ctx, capsys, "outlook_two_rotation_schedules_timed_and_allday.ics")
    with ctx.db.transaction(ctx.applicant_id) as session:  # as upgrade 0014 leaves an older row: not counted
        session.execute(text("UPDATE calendar_import SET linked = NULL"))
    undone = run_cli(capsys, "import", "--undo", "--db", ctx.db.url)
    assert undone.code == 0, undone.err
    assert ("0 removed; removed 1 rotation and undid 1 other change to plan items (links or moves: this import was "
            "recorded before imgcoach counted them apart))") in undone.out, undone.out
    assert len(list_rotations(ctx)) == 1


@pytest.mark.sqlite_only  # a SQLite file's own schema text and sqlite_sequence
def test_the_upgrade_adds_the_count_and_the_downgrade_restores_the_table(tmp_path: Path) -> None:
    import sqlite3

    from alembic import command

    from imgcoach.storage.db import Database
    from tests.migration_helpers import migrate_file

    path = tmp_path / "old.sqlite"
    migrate_file(path, command.upgrade, "0013_event_wall_length")
    with sqlite3.connect(path) as raw:
        table_sql = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'calendar_import'").fetchone()[0]
        columns = [r[1] for r in raw.execute("PRAGMA table_info(calendar_import)")]
    raw.close()
    Database(f"sqlite:///{path}").close()  # upgrades to the head
    with sqlite3.connect(path) as raw:
        assert [r[1] for r in raw.execute("PRAGMA table_info(calendar_import)")] == [*columns, "linked"]
        assert "AUTOINCREMENT" in raw.execute("SELECT sql FROM sqlite_master WHERE name = 'calendar_import'").fetchone()[0]
    raw.close()
    migrate_file(path, command.downgrade, "0013_event_wall_length")
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT sql FROM sqlite_master WHERE name = 'calendar_import'").fetchone()[0] == table_sql
    raw.close()
