"""A letter about a rotation that has not begun cannot be "uploaded".

Found by a new user's sequence: a planned letter for a January observership was set to "uploaded" on 3 December
and readiness counted it as a recent host-country letter ("Dr. Sarah Okafor: uploaded on 2026-12-03") a month
before the writer had met the applicant. Requested and agreed stay possible in advance (a promised letter).
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, ValidationError
from imgcoach.plan import add_contact, add_letter_request, add_rotation, move_letter, set_letter_status
from tests.cli_helpers import database_state, run_cli

# The clock fixture's today is the `clock` fixture's; the rotation is placed relative to it.


def _future_rotation(ctx: Context) -> int:
    today = ctx.clock.now().date()
    start = date(today.year + 1, 1, 4)
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Riverside General (fictional)", start_date=start,
                            end_date=date(start.year, 1, 29))
    assert rotation.id is not None
    return rotation.id


def test_uploaded_before_the_rotation_starts_is_refused_everywhere(ctx: Context) -> None:
    rotation_id = _future_rotation(ctx)
    writer = add_contact(ctx, "Dr. Test Writer (fictional)", rotation_id=rotation_id)
    assert writer.id is not None
    with pytest.raises(FieldError, match="Riverside General .* has not started yet"):
        add_letter_request(ctx, writer.id, rotation_id=rotation_id, status="uploaded")
    letter = add_letter_request(ctx, writer.id, rotation_id=rotation_id)
    assert letter.id is not None
    for status in ("requested", "agreed"):  # a promise in advance is real
        assert set_letter_status(ctx, letter.id, status).status == status
    with pytest.raises(FieldError, match="has not started yet"):
        set_letter_status(ctx, letter.id, "uploaded")
    with pytest.raises(FieldError, match="has not started yet"):  # the board's move right, in the app
        move_letter(ctx, letter.id, +1)
    with pytest.raises(FieldError, match="has not started yet"):  # a past day named with --on counts too
        set_letter_status(ctx, letter.id, "uploaded", on=ctx.clock.now().date())


def test_uploaded_once_the_rotation_has_started(ctx: Context) -> None:
    today = ctx.clock.now().date()
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Lakeside Clinic (fictional)", start_date=today, end_date=today)
    writer = add_contact(ctx, "Dr. Other Writer (fictional)")
    assert rotation.id is not None and writer.id is not None
    letter = add_letter_request(ctx, writer.id, rotation_id=rotation.id, status="uploaded")
    assert letter.uploaded_on == today


def test_cli_refusal_exits_2_and_changes_nothing(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                  db_url: str, cli_clock: FixedClock) -> None:
    rotation_id = _future_rotation(ctx)
    writer = add_contact(ctx, "Dr. Test Writer (fictional)")
    assert writer.id is not None
    letter = add_letter_request(ctx, writer.id, rotation_id=rotation_id)
    before = database_state(db_url)
    refused = run_cli(capsys, "letters", "set-status", "--db", db_url, str(letter.id), "uploaded")
    assert refused.code == 2 and "has not started yet" in refused.err
    assert database_state(db_url) == before


def test_a_status_day_after_today_is_refused(capsys: pytest.CaptureFixture[str], ctx: Context, db_url: str, cli_clock: FixedClock) -> None:
    """`letters set-status ID uploaded --on 2031-02-01` stored the letter as uploaded on a day still to come, for a
    rotation that had not begun (the rule above checks the day given), and readiness counted it as in hand."""
    from datetime import timedelta

    rotation_id = _future_rotation(ctx)
    writer = add_contact(ctx, "Dr. Test Writer (fictional)", rotation_id=rotation_id)
    assert writer.id is not None
    letter = add_letter_request(ctx, writer.id, rotation_id=rotation_id)
    assert letter.id is not None
    before = database_state(db_url)
    # The CLI runs on the machine's clock: a day years ahead is after its today too.
    refused = run_cli(capsys, "letters", "set-status", "--db", db_url, str(letter.id), "uploaded", "--on", "2031-02-01")
    assert refused.code == 2, refused.out
    assert re.fullmatch(r"imgcoach: error: --on: after today \(\d{4}-\d\d-\d\d\): give the day it happened "
                        r"\(got '2031-02-01'\)\n", refused.err), refused.err
    assert database_state(db_url) == before
    today = ctx.clock.now().date()  # the fixed clock: New York's day is UTC's at its hour
    with pytest.raises(ValidationError, match=rf"after today \({today}\)"):
        set_letter_status(ctx, letter.id, "requested", on=today + timedelta(days=1))
    assert set_letter_status(ctx, letter.id, "requested", on=today).requested_on == today


def test_readiness_counts_one_letter_in_the_singular() -> None:
    from imgcoach.coach.models import Applicant, Letter, Plan, Rotation, RotationKind
    from imgcoach.coach.readiness import check_letters
    from imgcoach.coach.thresholds import load_thresholds

    t = load_thresholds()
    season = t.season(2026)
    rotation = Rotation(1, RotationKind.EXTERNSHIP, "Internal Medicine", "Hospital 1", date(2025, 1, 6),
                        date(2025, 2, 2))
    letter = Letter("Dr. Test Writer (fictional)", "uploaded", 1, status_on=date(2025, 2, 10))
    applicant = Applicant("Test Applicant", date(2022, 6, 30), 2026, ("Internal Medicine",))
    result = check_letters(Plan(applicant, (rotation,), (letter,), ()), date(2025, 3, 3), t, season)
    assert result.evidence[0].startswith("1 recent host-country letter agreed or uploaded"), result.evidence[0]


def test_a_letter_is_stamped_with_the_applicants_day_not_utcs(ctx: Context) -> None:
    """At 20:30 UTC it is already tomorrow in Kolkata: "requested" is the applicant's date, and a rotation
    starting that (local) day has begun, as cases and log weeks already count it."""
    from datetime import UTC, datetime

    from imgcoach.plan import set_profile
    from tests.clock_helpers import clock_at

    set_profile(ctx, timezone="Asia/Kolkata")
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Riverside General (fictional)", start_date=date(2027, 1, 4),
                            end_date=date(2027, 1, 29))
    assert rotation.id is not None
    writer = add_contact(ctx, "Dr. Test Writer (fictional)", rotation_id=rotation.id)
    assert writer.id is not None
    with clock_at(ctx, datetime(2027, 1, 3, 20, 30, tzinfo=UTC)):  # 4 January, 02:00 in Kolkata
        letter = add_letter_request(ctx, writer.id, rotation_id=rotation.id, status="requested")
        assert letter.requested_on == date(2027, 1, 4)
        assert letter.id is not None
        uploaded = set_letter_status(ctx, letter.id, "uploaded")
        assert uploaded.uploaded_on == date(2027, 1, 4)
