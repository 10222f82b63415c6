"""A log week is one row, whichever day of it is typed: `--week` is "a day of the week logged", and a week runs
from the rotation's first day (as rotation_weeks counts them).

Found by a new applicant's sequence: `log add 1 --week <Monday> --hours 40`, then `log feedback 1 --week
<Thursday of the same week>` stored a second week, of 0 hours, beside the first: the log showed two "week of"
rows for one week (a 0-hour week that was worked), and a second `log add` on another day of the week added its
hours again instead of replacing them, as `log add` promises.
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.coach import add_log_entry, list_log, record_feedback
from imgcoach.coach.errors import CoachInputError
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from tests.cli_helpers import run_cli


def _rotation(ctx: Context, start: date, end: date) -> int:
    rotation = add_rotation(ctx, kind="externship", specialty="Internal Medicine",
                            institution="Riverside General (fictional)", start_date=start, end_date=end)
    assert rotation.id is not None
    return rotation.id


def test_feedback_on_another_day_of_a_logged_week_joins_that_week(ctx: Context) -> None:
    # 25 November 2026 (the fixture's today) is a Wednesday; the rotation runs 2 to 27 November.
    rotation_id = _rotation(ctx, date(2026, 11, 2), date(2026, 11, 27))
    add_log_entry(ctx, rotation_id, date(2026, 11, 9), 40, activities="Ward rounds")
    record_feedback(ctx, rotation_id, date(2026, 11, 12), "Presentations too long")
    (week,) = list_log(ctx)
    assert (week.week_of, week.hours, week.activities, week.feedback) == (
        date(2026, 11, 9), 40, "Ward rounds", "Presentations too long")


def test_logging_a_week_again_on_another_day_replaces_it(ctx: Context) -> None:
    # A week across a month end (the rotation starts on a Monday): 26 October to 1 November 2026.
    rotation_id = _rotation(ctx, date(2026, 9, 28), date(2026, 11, 20))
    add_log_entry(ctx, rotation_id, date(2026, 10, 26), 38)
    add_log_entry(ctx, rotation_id, date(2026, 11, 1), 42)  # Sunday of the same week, in November
    add_log_entry(ctx, rotation_id, date(2026, 11, 2), 36)  # the next Monday: another week
    assert [(e.week_of, e.hours) for e in list_log(ctx)] == [(date(2026, 10, 26), 42), (date(2026, 11, 2), 36)]


def test_the_cli_says_the_week_it_wrote(capsys: pytest.CaptureFixture[str], ctx: Context, db_url: str) -> None:
    rotation_id = _rotation(ctx, date(2026, 11, 2), date(2026, 11, 27))
    run_cli(capsys, "log", "add", "--db", db_url, str(rotation_id), "--week", "2026-11-16", "--hours", "40")
    said = run_cli(capsys, "log", "feedback", "--db", db_url, str(rotation_id), "--week", "2026-11-19",
                   "--feedback", "Good differentials")
    assert said.code == 0 and "week of 2026-11-16" in said.out
    shown = run_cli(capsys, "log", "list", "--db", db_url, "--json")
    assert [(e["week_of"], e["hours"]) for e in shown.json()] == [("2026-11-16", 40)]


def test_a_week_runs_from_the_rotation_s_first_day(ctx: Context) -> None:
    # A rotation starting on Wednesday 4 November 2026 logs its weeks Wednesday to Tuesday (as the demo's log
    # and rotation_weeks count them): Monday 9 November is still its first week, Wednesday 11 November the second.
    rotation_id = _rotation(ctx, date(2026, 11, 4), date(2026, 11, 24))
    add_log_entry(ctx, rotation_id, date(2026, 11, 4), 40)
    record_feedback(ctx, rotation_id, date(2026, 11, 9), "Good differentials")
    add_log_entry(ctx, rotation_id, date(2026, 11, 11), 38)
    assert [(e.week_of, e.hours, e.feedback) for e in list_log(ctx)] == [
        (date(2026, 11, 4), 40, "Good differentials"), (date(2026, 11, 11), 38, "")]


def test_a_rotation_week_not_begun_is_refused(ctx: Context) -> None:
    # Today is Wednesday 25 November 2026; a rotation begun Friday 13 November has its third week from Friday
    # 27 November. Sunday 29 November's calendar week began on Monday 23 November, its rotation week has not.
    rotation_id = _rotation(ctx, date(2026, 11, 13), date(2026, 12, 10))
    # named by its first day, as the log labels weeks, with the day typed (it named only the day typed)
    with pytest.raises(CoachInputError, match=r"the week of 2026-11-27 \(it holds 2026-11-29\) has not begun "
                                              r"\(today is 2026-11-25\); log it from 2026-11-27"):
        add_log_entry(ctx, rotation_id, date(2026, 11, 29), 40)
    with pytest.raises(CoachInputError, match="has not begun"):
        record_feedback(ctx, rotation_id, date(2026, 11, 29), "Good differentials")
    assert add_log_entry(ctx, rotation_id, date(2026, 11, 25), 40).week_of == date(2026, 11, 20)  # week 2: begun
