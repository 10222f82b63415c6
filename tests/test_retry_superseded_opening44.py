"""A retried "Ask for a letter" whose last call is due too is refused, saying the last call goes instead (stop 44).

A two-week observership (2 to 13 November) entered before it began; on Wednesday 11 November its letter window has
opened (Monday) and its last call fallen due (Tuesday). The opening failed (the server refused it) and the last call
waits. `reminders retry ID` made the opening pending and said it "goes out once `imgcoach daemon` runs"; the daemon's
next run cancelled it instead (outbox.supersede_letter_openings: the last call says the same), so the confirmation was
false. The CLI and the app's Outbox (R) said it alike, from one use case (outbox.retry_reminder). Real SQLite and
PostgreSQL, the real CLI in process, the app under Pilot, the injected clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update
from textual.widgets import DataTable

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.locations import data_dir
from imgcoach.plan.rotations import add_rotation
from imgcoach.reminders.daemon.daemon import ReminderDaemon
from imgcoach.reminders.daemon.worker import OutboxWorker
from imgcoach.reminders.mail.settings import MailSettings
from imgcoach.storage.models.outbox import Reminder
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, press, record_toasts, settle

OPENING, LAST_CALL = "letter_request_open", "letter_request_last_call"
REFUSED = "its “Letter: last call” is due too and goes instead, saying the same"


def _opening_failed(ctx: Context, clock: FixedClock) -> int:
    """The opening failed as a daemon leaves a refused message (status failed, the server's answer); its id."""
    clock.set(datetime(2026, 10, 20, 14, tzinfo=UTC))
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Bayview (synthetic)",
                 start_date=date(2026, 11, 2), end_date=date(2026, 11, 13), hours_per_week=40)
    clock.set(datetime(2026, 11, 11, 15, tzinfo=UTC))  # Wednesday 10:00 EST
    with ctx.db.transaction(ctx.applicant_id) as session:
        (rid,) = session.execute(update(Reminder).where(Reminder.kind == OPENING)  # type: ignore[arg-type]
                                 .values(status="failed", attempts=1, last_error="550 mailbox unavailable",
                                         updated_at=datetime(2026, 11, 9, 15, tzinfo=UTC))
                                 .returning(Reminder.id)).scalars().all()  # type: ignore[arg-type]
    return int(rid)


def _statuses(capsys: pytest.CaptureFixture[str], db: str) -> dict[str, str]:
    return {r["kind"]: r["status"] for r in run_cli(capsys, "reminders", "list", "--db", db, "--json").json()}


def test_reminders_retry_of_a_superseded_opening_says_the_last_call_goes_instead(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    rid = _opening_failed(ctx, cli_clock)
    db = ctx.db.url
    retried = run_cli(capsys, "reminders", "retry", str(rid), "--db", db)
    assert "goes out once" not in retried.out, retried.out
    assert retried.code == 2 and f"reminder {rid}: {REFUSED}" in retried.err, retried
    assert _statuses(capsys, db)[OPENING] == "failed"  # refused: nothing changed
    # What the words say is what a daemon's run does: the last call goes, the opening is not sent.
    settings = MailSettings(maildir=data_dir() / "Maildir", sender="reminders@example.org")
    ReminderDaemon(OutboxWorker(ctx, settings), cli_clock, tasks=[]).run_once()
    after = _statuses(capsys, db)
    assert (after[OPENING], after[LAST_CALL]) == ("failed", "sent"), after


async def test_the_outbox_retry_says_the_same(ctx: Context, clock: FixedClock) -> None:
    rid = _opening_failed(ctx, clock)
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "o")
        await settle(pilot)
        await press(pilot, "F")  # the "failed" filter
        await settle(pilot)
        table = pilot.app.screen.query_one(DataTable)
        assert [str(table.get_row_at(i)[1]) for i in range(table.row_count)] == ["Ask for a letter"]
        said = record_toasts(app)
        await press(pilot, "R")
        await settle(pilot)
    assert any(REFUSED in x for x in said) and not any("goes out once" in x for x in said), said
    assert said == [f"reminder {rid}: {REFUSED}: a daemon would cancel this “Ask for a letter”, not send it"], said


def test_retry_all_failed_leaves_a_superseded_opening_failed_and_says_why(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    """`--all-failed` said "1 failed reminder pending again: N" of the same opening, and a daemon's next run
    cancelled it (helper truth44b reproduced it): it now stays failed, said with the single retry's words."""
    rid = _opening_failed(ctx, cli_clock)
    db = ctx.db.url
    retried = run_cli(capsys, "reminders", "retry", "--all-failed", "--db", db)
    assert retried.code == 0, retried
    assert "0 failed reminders pending again" in retried.out and f"1 stay failed ({rid}): {REFUSED}" in retried.out
    assert _statuses(capsys, db)[OPENING] == "failed"
    as_json = run_cli(capsys, "reminders", "retry", "--all-failed", "--db", db, "--json").json()
    assert (as_json["retried"], as_json["superseded"]) == ([], [rid]), as_json


def test_an_opening_is_not_retried_after_its_last_call_was_sent(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    """The other half: with the last call already sent (Tuesday 10 November), a retried opening was pending again
    and a daemon sent it, "the window opens", after the last call had said the window closes. `superseded_opening`
    covers a last call still pending or sending only. Both retries now leave it failed, saying when the last call
    went."""
    rid = _opening_failed(ctx, cli_clock)
    with ctx.db.transaction(ctx.applicant_id) as session:
        session.execute(update(Reminder).where(Reminder.kind == LAST_CALL)  # type: ignore[arg-type]
                        .values(status="sent", sent_at=datetime(2026, 11, 10, 14, 0, 5, tzinfo=UTC)))
    db = ctx.db.url
    went = "its “Letter: last call” was sent on 2026-11-10 09:00 EST; this “Ask for a letter” would come after it"
    one = run_cli(capsys, "reminders", "retry", str(rid), "--db", db)
    assert one.code == 2 and f"reminder {rid}: {went}" in one.err, one
    every = run_cli(capsys, "reminders", "retry", "--all-failed", "--db", db)
    assert every.code == 0 and f"reminder {rid} stays failed: {went}" in every.out, every
    assert _statuses(capsys, db)[OPENING] == "failed"
    settings = MailSettings(maildir=data_dir() / "Maildir", sender="reminders@example.org")
    ReminderDaemon(OutboxWorker(ctx, settings), cli_clock, tasks=[]).run_once()
    assert _statuses(capsys, db)[OPENING] == "failed"  # nothing sent after the last call
