"""A retake is the next attempt: the number comes from the sittings recorded before it, in one rule.

Found by a new applicant on 5 December: `exams add --exam "Step 1" --date ... --result fail`, then the retake
added the same way, stored two rows that both said "attempt 1" (the option defaulted to 1, and the app's exam
form has no attempt field at all), so `exams list`, its --json and the Profile screen told a record of two
first attempts. A number typed that repeats an earlier sitting's was stored as typed.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from imgcoach.core.clock import FixedClock, local_today
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError
from imgcoach.plan.exams import add_exam, edit_exam, list_exams
from tests.cli_helpers import database_state, run_cli
from tests.tui_helpers import SIZE, app_for, fill, press


def _today(ctx: Context) -> date:
    return local_today(ctx.clock, "America/New_York")


def _attempts(ctx: Context, exam: str) -> list[tuple[date, int]]:
    return [(r.taken_on, r.attempt) for r in list_exams(ctx) if r.exam == exam]


def test_a_retake_added_without_a_number_is_the_second_attempt(ctx: Context) -> None:
    today = _today(ctx)
    add_exam(ctx, "Step 1", today - timedelta(days=300), result="fail")
    add_exam(ctx, "Step 1", today - timedelta(days=150), result="fail")
    booked = add_exam(ctx, "Step 1", today + timedelta(days=40))  # the third sitting, booked
    assert _attempts(ctx, "Step 1") == [(today - timedelta(days=300), 1), (today - timedelta(days=150), 2),
                                        (today + timedelta(days=40), 3)]
    # Its result completes the booking: still the third attempt, not a fourth.
    add_exam(ctx, "Step 2 CK", today - timedelta(days=20), score=250)
    assert booked.attempt == 3
    assert _attempts(ctx, "Step 2 CK") == [(today - timedelta(days=20), 1)]  # another exam counts apart


def test_a_retake_booked_before_the_first_result_is_typed_is_the_second_attempt(ctx: Context) -> None:
    today = _today(ctx)
    add_exam(ctx, "Step 2 CK", today - timedelta(days=30))  # sat a month ago, result not typed yet
    add_exam(ctx, "Step 2 CK", today + timedelta(days=60))  # the retake, booked now
    add_exam(ctx, "Step 2 CK", today - timedelta(days=30), score=205)  # the first result completes its booking
    assert _attempts(ctx, "Step 2 CK") == [(today - timedelta(days=30), 1), (today + timedelta(days=60), 2)]


def test_history_typed_out_of_order_is_numbered_by_date(ctx: Context) -> None:
    today = _today(ctx)
    add_exam(ctx, "Step 2 CK", today - timedelta(days=100), score=250)  # the pass, typed first
    add_exam(ctx, "Step 2 CK", today - timedelta(days=300), score=200)  # then the failed sitting before it
    assert _attempts(ctx, "Step 2 CK") == [(today - timedelta(days=300), 1), (today - timedelta(days=100), 2)]


def test_a_number_that_repeats_an_earlier_sitting_is_refused_and_one_beyond_is_kept(ctx: Context) -> None:
    today = _today(ctx)
    first = add_exam(ctx, "Step 1", today - timedelta(days=300), result="fail")
    with pytest.raises(FieldError, match=rf"attempt 1 on {today - timedelta(days=300)} \(exam {first.id}\)") as no:
        add_exam(ctx, "Step 1", today - timedelta(days=150), result="pass", attempt=1)
    assert no.value.field == "attempt" and "attempt 2 or later" in str(no.value)
    # Earlier sittings not recorded here: a higher number is the applicant's to give.
    third = add_exam(ctx, "Step 1", today - timedelta(days=150), result="pass", attempt=3)
    assert _attempts(ctx, "Step 1") == [(today - timedelta(days=300), 1), (today - timedelta(days=150), 3)]
    with pytest.raises(FieldError, match=r"attempt 1 on"):
        edit_exam(ctx, third.id or 0, "Step 1", third.taken_on, result="pass", attempt=1)
    with pytest.raises(FieldError, match=rf"exam {third.id}\), after this sitting, is recorded as attempt 3"):
        edit_exam(ctx, first.id or 0, "Step 1", first.taken_on, result="fail", attempt=3)


def test_cli_numbers_the_retake_and_refuses_a_second_first_attempt(ctx: Context, db_url: str, cli_clock: FixedClock,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    day = _today(ctx)  # the CLI's day too (cli_clock): these dates are all in its past
    failed, retake = (day - timedelta(days=200)).isoformat(), (day - timedelta(days=60)).isoformat()
    assert run_cli(capsys, "exams", "add", "--db", db_url, "--exam", "Step 1", "--date", failed,
                   "--result", "fail").code == 0
    before = database_state(db_url)
    refused = run_cli(capsys, "exams", "add", "--db", db_url, "--exam", "Step 1", "--date", retake,
                      "--result", "pass", "--attempt", "1")
    assert refused.code == 2 and refused.err.count("\n") == 1 and "attempt" in refused.err, refused.err
    assert database_state(db_url) == before
    added = run_cli(capsys, "exams", "add", "--db", db_url, "--exam", "Step 1", "--date", retake,
                    "--result", "pass", "--json")
    assert added.code == 0 and added.json()["attempt"] == 2
    listed = run_cli(capsys, "exams", "list", "--db", db_url, "--json")
    assert [r["attempt"] for r in listed.json()] == [1, 2]


async def test_the_apps_exam_form_numbers_the_retake(ctx: Context) -> None:
    add_exam(ctx, "Step 2 CK", date(2026, 3, 2), score=200)
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "p", "a")
        fill(pilot.app.screen, exam="Step 2 CK", taken_on="2026-09-01", score="250")
        await press(pilot, "ctrl+s")
        assert "Added Step 2 CK" in " ".join(str(n.message) for n in pilot.app._notifications)
    assert _attempts(ctx, "Step 2 CK") == [(date(2026, 3, 2), 1), (date(2026, 9, 1), 2)]


async def test_the_profile_screen_does_not_call_a_past_booking_scheduled(ctx: Context) -> None:
    """A booking whose day has passed with no result typed read "scheduled" on the Profile screen, while
    readiness said "Sat on ...; no result recorded" of the same row."""
    from textual.widgets import DataTable

    add_exam(ctx, "Step 2 CK", date(2026, 11, 2))  # sat three weeks ago (today is 25 Nov 2026), result not in
    add_exam(ctx, "Step 3", date(2027, 2, 1))  # still ahead
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "p")
        table = pilot.app.screen.query_one("#exam-table", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
    assert rows == [["Step 2 CK", "02 Nov 2026", "no result yet", "1"], ["Step 3", "01 Feb 2027", "scheduled", "1"]]
