"""A second booking of an exam booked ahead is refused with advice the user can follow today.

Found walking a new user's sequence (walk54, 8 Dec 2026): with Step 2 CK booked for 2027-01-13, `exams add --exam
"Step 2 CK" --date 2027-01-20` said "change that booking's date instead, or record its result first", and the
result it offered is refused for a day not yet come (`exams edit 2 --result pass`: "after today ... record the
outcome once you have it"). A booking of today can take its result, and keeps the words (a guard).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from imgcoach.core.clock import FixedClock, local_today
from imgcoach.core.context import Context
from imgcoach.plan.exams import add_exam
from tests.cli_helpers import database_state, run_cli


def _today(ctx: Context) -> date:
    return local_today(ctx.clock, "America/New_York")  # the `ctx` applicant's zone


def test_a_booking_ahead_is_not_said_to_take_its_result_now(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                            cli_clock: FixedClock) -> None:
    booked_on = _today(ctx) + timedelta(days=36)
    booked = add_exam(ctx, "Step 2 CK", booked_on)
    before = database_state(ctx.db.url)
    second = run_cli(capsys, "exams", "add", "--exam", "Step 2 CK", "--date", str(booked_on + timedelta(days=7)),
                     "--db", ctx.db.url)
    assert second.code == 2 and "already booked for" in second.err
    assert "or record its result first" not in second.err, second.err
    assert f"or, once it is sat, record its result (from {booked_on}) first" in second.err, second.err
    # What the old words offered is refused today: the advice must not send the user there.
    result = run_cli(capsys, "exams", "edit", str(booked.id), "--result", "pass", "--db", ctx.db.url)
    assert result.code == 2 and "after today" in result.err
    assert database_state(ctx.db.url) == before


def test_a_booking_of_today_can_take_its_result_first(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                      cli_clock: FixedClock) -> None:
    """A guard: sat today, its result can be recorded now, and the refusal says so."""
    today = _today(ctx)
    booked = add_exam(ctx, "Step 2 CK", today)
    second = run_cli(capsys, "exams", "add", "--exam", "Step 2 CK", "--date", str(today + timedelta(days=7)),
                     "--db", ctx.db.url)
    assert second.code == 2 and "change that booking's date instead, or record its result first" in second.err
    result = run_cli(capsys, "exams", "edit", str(booked.id), "--result", "pass", "--db", ctx.db.url)
    assert result.code == 0, result.err
