"""A log week is labelled by its first day, whichever day of it was typed.

Weeks run from the rotation's first day (coach.logbook.week_days, as rotation_weeks counts them), and a second
entry on another day of a week already joins that week. But the first day typed was kept as the week's label:
`log add 1 --week 2026-11-11` (a Wednesday of a rotation begun on Monday 2 November) said and listed "week of
2026-11-11" beside "week of 2026-11-02", and readiness said the feedback came in "the week of 2026-11-12".
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from tests.cli_helpers import run_cli


def _rotation(ctx: Context, start: date, end: date) -> int:
    rotation = add_rotation(ctx, kind="externship", specialty="Internal Medicine",
                            institution="Riverside General (fictional)", start_date=start, end_date=end)
    assert rotation.id is not None
    return rotation.id


def test_a_midweek_day_is_logged_as_its_week_s_first_day(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                         db_url: str, cli_clock: FixedClock) -> None:
    # Today is Wednesday 25 November 2026; the rotation runs Monday 2 to Friday 27 November.
    rotation_id = str(_rotation(ctx, date(2026, 11, 2), date(2026, 11, 27)))
    said = run_cli(capsys, "log", "add", "--db", db_url, rotation_id, "--week", "2026-11-11", "--hours", "40")
    assert said.code == 0 and "week of 2026-11-09" in said.out, said.out + said.err
    run_cli(capsys, "log", "add", "--db", db_url, rotation_id, "--week", "2026-11-02", "--hours", "38")
    fed = run_cli(capsys, "log", "feedback", "--db", db_url, rotation_id, "--week", "2026-11-19",
                  "--feedback", "Lead with the assessment")
    assert fed.code == 0 and "week of 2026-11-16" in fed.out, fed.out + fed.err
    listed = run_cli(capsys, "log", "list", "--db", db_url, "--json").json()
    assert [(e["week_of"], e["hours"], e["feedback"]) for e in listed] == [
        ("2026-11-02", 38, ""), ("2026-11-09", 40, ""), ("2026-11-16", 0, "Lead with the assessment")]
    readiness = run_cli(capsys, "readiness", "--db", db_url)
    assert "feedback recorded in the log, week of 2026-11-16" in readiness.out, readiness.out


def test_a_rotation_begun_midweek_labels_its_weeks_by_its_own_first_day(capsys: pytest.CaptureFixture[str],
                                                                        ctx: Context, db_url: str,
                                                                        cli_clock: FixedClock) -> None:
    # Begun Friday 13 November: its weeks run Friday to Thursday, so Tuesday 17 November is in the week of the 13th
    # (not the calendar week of Monday 16 November), and a second entry that week replaces the first.
    rotation_id = str(_rotation(ctx, date(2026, 11, 13), date(2026, 12, 10)))
    run_cli(capsys, "log", "add", "--db", db_url, rotation_id, "--week", "2026-11-17", "--hours", "30")
    run_cli(capsys, "log", "add", "--db", db_url, rotation_id, "--week", "2026-11-19", "--hours", "35")
    listed = run_cli(capsys, "log", "list", "--db", db_url, "--json").json()
    assert [(e["week_of"], e["hours"]) for e in listed] == [("2026-11-13", 35)]


def test_the_help_says_what_a_week_is(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("add", "feedback"):
        shown = " ".join(run_cli(capsys, "log", command, "--help").out.split())
        assert "weeks run from the rotation's first day" in shown and "names a week by its first day" in shown


@pytest.mark.sqlite_only  # an SQLite file taken back to 0015 and upgraded
def test_the_upgrade_labels_rows_logged_before_by_their_week_s_first_day(
        capsys: pytest.CaptureFixture[str], ctx: Context, db_url: str, cli_clock: FixedClock) -> None:
    """Rows written before the fix keep the day typed unless migration 0016 moves them; a week logged twice (before
    the rows were found by the week's days) keeps both rows as they are, since one label per week is unique."""
    import sqlite3
    from pathlib import Path

    from alembic import command

    from imgcoach.coach import log_week
    from tests.migration_helpers import migrate_file

    rotation_id = _rotation(ctx, date(2026, 11, 2), date(2026, 11, 27))
    for week, hours in ((date(2026, 11, 2), 38), (date(2026, 11, 9), 40), (date(2026, 11, 16), 36),
                        (date(2026, 11, 23), 20)):
        log_week(ctx, rotation_id, week, hours)
    ctx.db.close()
    path = Path(db_url.removeprefix("sqlite:///"))
    migrate_file(path, command.downgrade, "0015_us_citizen_said")
    with sqlite3.connect(path) as raw:  # as the code before stored them: the day typed
        raw.execute("UPDATE coach_weekly_entry SET week_of = '2026-11-11' WHERE week_of = '2026-11-09'")
        raw.execute("UPDATE coach_weekly_entry SET week_of = '2026-11-26' WHERE week_of = '2026-11-23'")
        raw.execute("UPDATE coach_weekly_entry SET week_of = '2026-11-18' WHERE week_of = '2026-11-16'")
        raw.execute("INSERT INTO coach_weekly_entry (rotation_id, week_of, hours, activities, feedback, presentations, "
                    "procedures_observed, procedures_performed, change_after_feedback) "
                    "SELECT rotation_id, '2026-11-19', 0, '', 'Lead with the assessment', '[]', '[]', '[]', '' "
                    "FROM coach_weekly_entry WHERE week_of = '2026-11-18'")  # a second row of that week
    listed = run_cli(capsys, "log", "list", "--db", db_url, "--json").json()  # opening it upgrades it
    assert [(e["week_of"], e["hours"]) for e in listed] == [
        ("2026-11-02", 38), ("2026-11-09", 40), ("2026-11-18", 36), ("2026-11-19", 0), ("2026-11-23", 20)]
