"""`import --history` said "N plan items" of every import, made, linked and moved together: an import that only
linked a hospital's schedule to a rotation already planned read as if it had made one. Each kind is said apart
now, by the rule the undo says it by (calendar.plan_counts), and `--json` adds made, moved and linked_or_moved
beside the old keys. An import recorded before links were counted apart (upgrade 0014) says its other changes
were links or moves, not which."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.test_import_undo_links43 import planned_observership

DATA = Path(__file__).parent / "data" / "ics"
TWO = "outlook_two_rotation_schedules_timed_and_allday.ics"
HOSPITAL = "hospital_schedule_for_planned_rotation.ics"


def _import(ctx: Context, capsys: pytest.CaptureFixture[str], path: Path, *accept: str) -> None:
    res = run_cli(capsys, "import", str(path), *accept, "--db", ctx.db.url)
    assert res.code == 0, res.err


def _history(ctx: Context, capsys: pytest.CaptureFixture[str], *json_flag: str) -> str:
    res = run_cli(capsys, "import", "--history", *json_flag, "--db", ctx.db.url)
    assert res.code == 0, res.err
    return res.out


def test_history_says_made_linked_and_moved_apart(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    planned_observership(ctx, "Riverside General Hospital (fictional)", date(2027, 3, 1), date(2027, 3, 26))
    _import(ctx, capsys, DATA / TWO, "--accept-suggestions")  # the Pediatrics rotation made, the planned one linked
    planned_observership(ctx, "Lakeside General", date(2027, 1, 4), date(2027, 1, 29))
    _import(ctx, capsys, DATA / HOSPITAL, "--accept-suggestions")  # linked only: nothing made
    moved = tmp_path / "schedule-moved.ics"  # the same schedule a week later, saved in another app
    moved.write_bytes((DATA / HOSPITAL).read_bytes().replace(b"DTSTART;VALUE=DATE:20270104", b"DTSTART;VALUE=DATE:20270111")
                      .replace(b"DTEND;VALUE=DATE:20270130", b"DTEND;VALUE=DATE:20270206"))
    _import(ctx, capsys, moved)  # the linked rotation moves with its event
    lines = _history(ctx, capsys).splitlines()
    assert len(lines) == 3, lines
    assert lines[0].endswith("0 removed; moved 1 plan item"), lines[0]
    assert lines[1].endswith("0 removed; linked 1 plan item already there"), lines[1]
    assert lines[2].endswith("0 removed; made 1 rotation and linked 1 plan item already there"), lines[2]
    assert "plan items" not in "\n".join(lines)
    rows = json.loads(_history(ctx, capsys, "--json"))
    assert [(r["plan_items"], r["linked"], r["made"], r["moved"], r["linked_or_moved"]) for r in rows] == [
        (1, 0, {"rotation": 0, "study_block": 0, "exam": 0}, 1, 0),
        (1, 1, {"rotation": 0, "study_block": 0, "exam": 0}, 0, 0),
        (2, 1, {"rotation": 1, "study_block": 0, "exam": 0}, 0, 0)]


def test_an_import_with_no_plan_item_says_so(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    _import(ctx, capsys, DATA / "allday_multiday.ics")  # events only: no suggestion accepted
    (line,) = _history(ctx, capsys).splitlines()
    assert line.endswith("0 removed; no plan item"), line


def test_an_import_recorded_before_the_upgrade_says_what_is_known(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    planned_observership(ctx, "Riverside General Hospital (fictional)", date(2027, 3, 1), date(2027, 3, 26))
    _import(ctx, capsys, DATA / TWO, "--accept-suggestions")
    with ctx.db.transaction(ctx.applicant_id) as session:  # as upgrade 0014 leaves an older row: not counted
        session.execute(text("UPDATE calendar_import SET linked = NULL"))
    (line,) = _history(ctx, capsys).splitlines()
    assert line.endswith("0 removed; made 1 rotation and 1 other change to plan items (links or moves: this import "
                         "was recorded before imgcoach counted them apart)"), line
    (row,) = json.loads(_history(ctx, capsys, "--json"))
    assert (row["plan_items"], row["linked"], row["made"]["rotation"], row["moved"], row["linked_or_moved"]) == (
        2, None, 1, None, 1)
