"""A guard: an import that moves a rotation renames its logged weeks, and `import --undo` puts the old labels back
(one label per rotation and week_of, a unique constraint). A database upgraded from before 0016 can hold two rows of
one rotation week (a Thursday's feedback beside the week's own row: 0016 leaves both as they were). Checked here
that such a log moves with the import and comes back whole with its undo, and with the undo of a --prune that
removed the rotation with its log, without an internal error: the rename parks every row it moves before writing
the new labels (plan.rotations._rename_log_weeks, calendar.journal._put_log_weeks_back), and two rows of one old
week stay two rows inside the one new week. Nothing failed here before; found true on stop 49.

The database is built with Alembic at 0015 (the revision before 0016), the duplicate rows written there with
sqlite3 as an older imgcoach wrote them, then opened (upgraded to the head) by the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.storage.schema_heads import SCHEMA_HEADS
from tests.cli_helpers import run_cli
from tests.migration_helpers import migrate_file

EVENT = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Lakeside General//Observer Schedule//EN\r\nBEGIN:VEVENT\r\n"
         "UID:lakeside-obs-2026-im@hospital.example\r\nDTSTAMP:20260901T000000Z\r\n"
         "SUMMARY:Observership - Internal Medicine\r\nLOCATION:Lakeside General Hospital\r\n"
         "DTSTART;VALUE=DATE:{start}\r\nDTEND;VALUE=DATE:20261128\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
# Monday 5 October: the weeks of 5 and 12 October logged by `log add`; beside them, from before 0016, a Thursday's
# feedback in each (8 and 15 October) and a Wednesday in the week of 12 October.
BEFORE_0016 = [("2026-10-08", 0, "feedback on Thursday"), ("2026-10-14", 8, "Wednesday clinic"),
               ("2026-10-15", 0, "second feedback")]
UPGRADED = [("2026-10-05", 40.0, "week one"), ("2026-10-08", 0.0, "feedback on Thursday"),
            ("2026-10-12", 40.0, "week two"), ("2026-10-14", 8.0, "Wednesday clinic"),
            ("2026-10-15", 0.0, "second feedback")]


def _cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    res = run_cli(capsys, *args, "--db", str(db))
    assert res.code == 0, (args, res.out, res.err)
    return res.out


def _log(capsys: pytest.CaptureFixture[str], db: Path) -> list[tuple[str, float, str]]:
    return [(e["week_of"], e["hours"], e["activities"]) for e in json.loads(_cli(capsys, db, "log", "list", "--json"))]


def _upgraded(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[Path, Path]:
    from alembic import command

    db, schedule = tmp_path / "imgcoach.sqlite", tmp_path / "schedule.ics"
    _cli(capsys, db, "profile", "set", "--name", "Test Applicant", "--email", "applicant@example.com",
         "--timezone", "America/New_York")
    schedule.write_bytes(EVENT.format(start="20261005").encode())
    assert "made rotation 1 " in _cli(capsys, db, "import", str(schedule), "--accept-suggestions")
    for week, did in (("2026-10-05", "week one"), ("2026-10-12", "week two")):
        _cli(capsys, db, "log", "add", "1", "--week", week, "--hours", "40", "--did", did)
    migrate_file(db, command.downgrade, "0015_us_citizen_said")
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [("0015_us_citizen_said",)]
        raw.executemany("INSERT INTO coach_weekly_entry (rotation_id, week_of, hours, activities, procedures_observed, "
                        "procedures_performed, presentations, feedback, change_after_feedback) VALUES (1, ?, ?, ?, "
                        "'[]', '[]', '[]', '', '')", BEFORE_0016)
    assert _log(capsys, db) == UPGRADED  # opened: upgraded, both rows of each week kept
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [(h,) for h in sorted(SCHEMA_HEADS)]
    return db, schedule


@pytest.mark.sqlite_only  # a SQLite file taken back to an older revision
def test_an_undo_of_a_move_puts_duplicate_weeks_back(capsys: pytest.CaptureFixture[str], cli_clock: FixedClock,
                                                     tmp_path: Path) -> None:
    db, schedule = _upgraded(capsys, tmp_path)
    schedule.write_bytes(EVENT.format(start="20261008").encode())  # the start moved to Thursday 8 October
    assert "moved rotation 1 to 2026-10-08..2026-11-27" in _cli(capsys, db, "import", str(schedule))
    assert _log(capsys, db) == [("2026-10-08", 40.0, "week one"), ("2026-10-09", 0.0, "feedback on Thursday"),
                                ("2026-10-15", 40.0, "week two"), ("2026-10-16", 8.0, "Wednesday clinic"),
                                ("2026-10-17", 0.0, "second feedback")]
    assert "put 5 logged weeks back under their old labels" in _cli(capsys, db, "import", "--undo")
    assert _log(capsys, db) == UPGRADED


@pytest.mark.sqlite_only
def test_an_undo_of_a_prune_brings_duplicate_weeks_back(capsys: pytest.CaptureFixture[str], cli_clock: FixedClock,
                                                        tmp_path: Path) -> None:
    db, schedule = _upgraded(capsys, tmp_path)
    schedule.write_bytes(EVENT.split("BEGIN:VEVENT")[0].encode() + b"END:VCALENDAR\r\n")
    assert "also removed rotation 1" in _cli(capsys, db, "import", str(schedule), "--prune")
    assert _log(capsys, db) == []
    assert "brought back 1 rotation it removed, with 5 logged weeks recorded on it" in _cli(capsys, db, "import",
                                                                                           "--undo")
    assert _log(capsys, db) == UPGRADED
