"""An applicant records the day they asked for mid-rotation feedback, from the CLI and the app, through one use case
(plan.edit_rotation): the reminder to ask is then not sent, as it is not once the feedback is logged.

Found on 5 December: only the demo data could set `feedback_requested_on`. `rotations show` printed "Feedback asked"
and readiness counted it, but no command or form wrote it, so a real user's "asked" never settled the reminder.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from imgcoach.reminders.rules import MID_FEEDBACK
from imgcoach.storage.models import Reminder
from tests.cli_helpers import database_state, run_cli
from tests.clock_helpers import clock_at
from tests.tui_helpers import SIZE, app_for, fill, press

# Under way on the tests' day (25 Nov 2026): its feedback reminder (16 Nov) is overdue until settled.
STARTED = {"kind": "externship", "specialty": "Internal Medicine", "institution": "Riverside (fictional)",
           "start_date": date(2026, 11, 2), "end_date": date(2026, 11, 30)}


def _rotation(ctx: Context) -> int:
    with clock_at(ctx, datetime(2026, 11, 2, 14, 0, tzinfo=UTC)):  # entered on its first day: its mid-point ahead
        rotation = add_rotation(ctx, **STARTED)
    assert rotation.id is not None
    return rotation.id


def _feedback(ctx: Context, rotation_id: int) -> list[tuple[str, str]]:
    with ctx.db.read() as session:
        return [(r.status, r.note) for r in session.exec(select(Reminder).where(
            Reminder.rotation_id == rotation_id, Reminder.kind == MID_FEEDBACK)).all()]


def test_cli_records_the_day_asked_and_none_clears_it(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                      cli_clock: FixedClock) -> None:
    rotation_id = _rotation(ctx)
    assert _feedback(ctx, rotation_id) == [("pending", "")]
    done = run_cli(capsys, "rotations", "edit", str(rotation_id), "--db", ctx.db.url, "--feedback-asked", "2026-11-20")
    assert done.code == 0, done.err
    assert _feedback(ctx, rotation_id) == [("cancelled", "not sent: feedback already asked on 20 Nov 2026")]
    shown = run_cli(capsys, "rotations", "show", str(rotation_id), "--db", ctx.db.url)
    assert any(line.split() == ["Feedback", "asked", "20", "Nov", "2026"] for line in shown.out.splitlines())
    cleared = run_cli(capsys, "rotations", "edit", str(rotation_id), "--db", ctx.db.url, "--feedback-asked", "none")
    assert cleared.code == 0, cleared.err
    assert _feedback(ctx, rotation_id) == [("pending", "")]


@pytest.mark.parametrize(("day", "said"), [
    ("2026-11-30", "imgcoach: error: --feedback-asked: after today (2026-11-25)"),  # the option typed, not the column
    ("2026-11-01", "imgcoach: error: --feedback-asked: before the rotation starts (2026-11-02)"),
])
def test_a_day_not_yet_come_or_before_the_rotation_is_refused(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                              cli_clock: FixedClock, day: str, said: str) -> None:
    rotation_id = _rotation(ctx)
    before = database_state(ctx.db.url)
    refused = run_cli(capsys, "rotations", "edit", str(rotation_id), "--db", ctx.db.url, "--feedback-asked", day)
    assert refused.code == 2 and said in refused.err, refused.err
    assert database_state(ctx.db.url) == before


async def test_the_apps_rotation_form_records_it_by_the_same_rule(ctx: Context) -> None:
    rotation_id = _rotation(ctx)
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "e")
        fill(pilot.app.screen, feedback_requested_on="2026-11-20")
        await press(pilot, "ctrl+s")
    assert _feedback(ctx, rotation_id) == [("cancelled", "not sent: feedback already asked on 20 Nov 2026")]


@pytest.mark.parametrize(("args", "said"), [
    (["--end", "2026-10-01"], "imgcoach: error: --end: ends before it starts (2026-11-02) (got '2026-10-01')"),
    (["--hours", "200"], "imgcoach: error: --hours: hours per week must be between 1 and 80 (got 200)"),
])
def test_every_rotation_field_error_names_the_option_typed(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                           cli_clock: FixedClock, args: list[str], said: str) -> None:
    """As --feedback-asked: `--end` said "end_date:", `--hours` said "hours_per_week:"."""
    rotation_id = _rotation(ctx)
    refused = run_cli(capsys, "rotations", "edit", str(rotation_id), "--db", ctx.db.url, *args)
    assert (refused.code, refused.err.strip()) == (2, said)
