"""`import --undo` of an import recorded before undo kept the plan rows' values after the import (walk38): it
could not tell an edit since, said nothing, and deleted a rotation edited since with the rest. It refuses now,
naming each row the undo would delete or put back and the way on. The old journal is made the old way: an
import's history row with its "$after" part taken out by SQL, on a real database; the CLI runs in process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from imgcoach import plan
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli

EXPORT = Path(__file__).parent / "data" / "ics" / "imgcoach_export_rotation_study_exam.ics"


def _imported_before_the_upgrade(ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "plan.ics"
    copy.write_bytes(EXPORT.read_bytes())
    done = run_cli(capsys, "import", str(copy), "--accept-suggestions", "--db", ctx.db.url)
    assert done.code == 0, done.err
    with ctx.db.transaction(ctx.applicant_id) as session:
        journal = json.loads(session.execute(text("SELECT journal FROM calendar_import")).scalar_one())
        assert journal.pop("$after")  # what an import before walk38 did not write
        session.execute(text("UPDATE calendar_import SET journal = :j"), {"j": json.dumps(journal)})


def test_undo_of_an_old_import_refuses_rather_than_delete_an_edit_it_cannot_see(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    _imported_before_the_upgrade(ctx, tmp_path, capsys)
    (rotation,) = plan.list_rotations(ctx)
    assert run_cli(capsys, "rotations", "edit", str(rotation.id), "--hours", "30", "--db", ctx.db.url).code == 0
    before = database_state(ctx.db.url)
    refused = run_cli(capsys, "import", "--undo", "--db", ctx.db.url)
    assert refused.code == 2, refused.out
    err = " ".join(refused.err.split())
    assert "cannot tell whether they were edited since" in err, err
    assert (f"rotation {rotation.id} (Internal Medicine at Mercy, 2026-12-12 to 2027-01-08), made by it: the undo "
            f"would delete it with any edit" in err and f"`imgcoach rotations remove {rotation.id}`" in err), err
    assert "remove only the other events you do not want: `imgcoach events list`, then `imgcoach events remove ID...`" in err
    assert "nothing was changed" in err, err
    assert database_state(ctx.db.url) == before
    assert plan.list_rotations(ctx)[0].hours_per_week == 30


def test_once_the_rows_it_made_are_removed_the_old_undo_runs(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    _imported_before_the_upgrade(ctx, tmp_path, capsys)
    for command, rows in (("rotations", plan.list_rotations(ctx)), ("study", plan.list_study_blocks(ctx)),
                          ("exams", plan.list_exams(ctx))):
        for row in rows:
            assert run_cli(capsys, command, "remove", str(row.id), "--db", ctx.db.url).code == 0
    undone = run_cli(capsys, "import", "--undo", "--db", ctx.db.url)
    assert undone.code == 0 and "undid import 1" in undone.out, undone.err
    assert run_cli(capsys, "events", "list", "--db", ctx.db.url, "--json").json() == []
