"""A case is a patient already seen: not dated ahead, not on a rotation that has not begun.

Found by a new user's sequence: on 3 December `cases add 1 "Sepsis" --on 2027-01-10` stored a case dated next
month on a January observership, and `stories` offered it as an interview story ("Tell me about working in a
team") before the rotation had begun.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import ValidationError
from imgcoach.plan import add_case, add_rotation, edit_case
from tests.cli_helpers import database_state, run_cli


def _rotation(ctx: Context, start_in_days: int) -> int:
    today = ctx.clock.now().date()
    rotation = add_rotation(ctx, kind="externship", specialty="Internal Medicine",
                            institution="Riverside General (fictional)", start_date=today + timedelta(days=start_in_days),
                            end_date=today + timedelta(days=start_in_days + 27))
    assert rotation.id is not None
    return rotation.id


def test_a_rotation_ahead_takes_no_case(ctx: Context) -> None:
    ahead = _rotation(ctx, 30)
    with pytest.raises(ValidationError, match="has not started yet"):
        add_case(ctx, ahead, "New AF with RVR", tags="teamwork")


def test_a_case_under_way_is_dated_today_at_the_latest(ctx: Context) -> None:
    current = _rotation(ctx, -7)
    today = ctx.clock.now().date()
    assert add_case(ctx, current, "DKA in a 19-year-old", occurred_on=today).occurred_on == today
    with pytest.raises(ValidationError, match="after today"):
        add_case(ctx, current, "Sepsis", occurred_on=today + timedelta(days=2))
    case = add_case(ctx, current, "Sepsis")
    assert case.id is not None
    with pytest.raises(ValidationError, match="after today"):
        edit_case(ctx, case.id, title="Sepsis", occurred_on=today + timedelta(days=2))


def test_cli_refusal_exits_2_and_changes_nothing(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                  db_url: str, cli_clock: FixedClock) -> None:
    ahead = _rotation(ctx, 30)
    before = database_state(db_url)
    refused = run_cli(capsys, "cases", "add", "--db", db_url, str(ahead), "Sepsis", "--tags", "teamwork")
    assert refused.code == 2 and "has not started yet" in refused.err
    assert database_state(db_url) == before
