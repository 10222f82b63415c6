"""Importing one's own export says what became of the plan's items, not only "N created".

Found by a new user's sequence: `imgcoach export -o plan.ics`, then `imgcoach import plan.ics` (to check the file,
or a calendar app's export holding it). The import linked each exported rotation, study block and exam to its plan
item without copying it (test_calendar_export pins that), but said "10 created, 0 updated, ..." and, of them,
nothing: read as the plan imported twice. The reminders and letter deadlines in the same file had their line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imgcoach.calendar.exporting import export_bytes
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import list_exams, list_rotations, list_study_blocks
from tests.cli_helpers import run_cli


def test_importing_the_plans_own_export_names_the_items_it_linked(
        demo_ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    f = tmp_path / "plan.ics"
    f.write_bytes(export_bytes(demo_ctx))
    before = (len(list_rotations(demo_ctx)), len(list_study_blocks(demo_ctx)), len(list_exams(demo_ctx)))
    preview = json.loads(run_cli(capsys, "import", str(f), "--dry-run", "--json", "--db", demo_ctx.db.url).out)
    kinds = [item["kind"] for item in preview["own_linked"]]
    rotations, blocks, exams = (kinds.count(k) for k in ("rotation", "study_block", "exam"))
    assert rotations and exams and len(kinds) == rotations + blocks + exams
    result = run_cli(capsys, "import", str(f), "--db", demo_ctx.db.url)
    assert result.code == 0, result.err
    said = f"{rotations} rotation" + ("s" if rotations > 1 else "")
    line = next(x for x in result.out.splitlines() if "this database's own" in x)
    assert line.strip().startswith(f"{len(kinds)} of the events created are this database's own {said}"), line
    assert line.endswith("(from its export): linked to them, not copied into the plan"), line
    assert (len(list_rotations(demo_ctx)), len(list_study_blocks(demo_ctx)), len(list_exams(demo_ctx))) == before
    # Imported again, nothing is new: nothing more is said of them.
    again = run_cli(capsys, "import", str(f), "--db", demo_ctx.db.url)
    assert again.code == 0 and "this database's own" not in again.out, again.out
