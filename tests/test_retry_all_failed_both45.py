"""`reminders retry --all-failed` with both an "Ask for a letter" and its "Letter: last call" failed and due
(stop 45): it said "2 failed reminders pending again" and a daemon's next run cancelled the opening (the last
call, pending again too, says the same: outbox.supersede_letter_openings). The rule that leaves such an opening
failed (911b064) read the last call as it stood before the retry (failed), not as the retry leaves it (pending).
Now the opening stays failed, said as when its last call was pending already. Real SQLite and PostgreSQL, the
real CLI in process, a daemon's run, the injected clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.locations import data_dir
from imgcoach.plan.rotations import add_rotation
from imgcoach.reminders.daemon.daemon import ReminderDaemon
from imgcoach.reminders.daemon.worker import OutboxWorker
from imgcoach.reminders.mail.settings import MailSettings
from imgcoach.storage.models.outbox import Reminder
from tests.cli_helpers import run_cli

OPENING, LAST_CALL = "letter_request_open", "letter_request_last_call"
REFUSED = "its “Letter: last call” is due too and goes instead, saying the same"


def _both_failed(ctx: Context, clock: FixedClock) -> dict[str, int]:
    """A two-week observership entered before it began; on Wednesday 11 November its opening (Monday) and last call
    (Tuesday) are both due, and both failed as a daemon leaves a refused message. Their ids by kind."""
    clock.set(datetime(2026, 10, 20, 14, tzinfo=UTC))
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Bayview (synthetic)",
                 start_date=date(2026, 11, 2), end_date=date(2026, 11, 13), hours_per_week=40)
    clock.set(datetime(2026, 11, 11, 15, tzinfo=UTC))  # Wednesday 10:00 EST
    with ctx.db.transaction(ctx.applicant_id) as session:
        rows = session.execute(update(Reminder).where(Reminder.kind.in_((OPENING, LAST_CALL)))  # type: ignore[attr-defined]
                               .values(status="failed", attempts=1, last_error="550 mailbox unavailable",
                                       updated_at=datetime(2026, 11, 10, 15, tzinfo=UTC))
                               .returning(Reminder.kind, Reminder.id)).all()  # type: ignore[arg-type]
    return {kind: int(rid) for kind, rid in rows}


def _statuses(capsys: pytest.CaptureFixture[str], db: str) -> dict[str, str]:
    return {r["kind"]: r["status"] for r in run_cli(capsys, "reminders", "list", "--db", db, "--json").json()}


def test_retry_all_failed_does_not_requeue_an_opening_its_retried_last_call_supersedes(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _both_failed(ctx, cli_clock)
    db = ctx.db.url
    retried = run_cli(capsys, "reminders", "retry", "--all-failed", "--db", db)
    assert retried.code == 0, retried
    assert f"1 failed reminder pending again: {ids[LAST_CALL]}" in retried.out, retried.out
    assert f"1 stay failed ({ids[OPENING]}): {REFUSED}" in retried.out, retried.out
    assert _statuses(capsys, db)[OPENING] == "failed"
    # What the words say is what a daemon's run does: the last call goes, the opening is not sent nor cancelled.
    settings = MailSettings(maildir=data_dir() / "Maildir", sender="reminders@example.org")
    ReminderDaemon(OutboxWorker(ctx, settings), cli_clock, tasks=[]).run_once()
    after = _statuses(capsys, db)
    assert (after[OPENING], after[LAST_CALL]) == ("failed", "sent"), after


def test_the_json_says_the_same(ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _both_failed(ctx, cli_clock)
    data = run_cli(capsys, "reminders", "retry", "--all-failed", "--db", ctx.db.url, "--json").json()
    assert (data["retried"], data["superseded"]) == ([ids[LAST_CALL]], [ids[OPENING]]), data
