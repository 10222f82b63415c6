"""Nothing records or sends a follow-up the entry no longer asks for (issue 15).

Stop 51 made `outreach set-status N sent` refuse a third follow-up and the app withhold b. Two ways were left:
`outreach set-status N follow_up_due`, while the last follow-up's wait ran, said "follow-up due" of a follow-up the
rule does not ask for (and the lists then read "better closed" days early); and a follow-up reminder a daemon failed
to deliver (or could not confirm) stayed failed once the follow-up went out, the place answered or the rule's last
follow-up was sent: `reminders retry` (the Outbox's R) put it back, and the daemon told the applicant to follow up
again. The tests' clock: 25 Nov 2026 14:00 UTC (09:00 in New York)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from imgcoach.coach import add_outreach, set_outreach_status
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.reminders import outbox
from imgcoach.storage.models import Reminder
from tests.cli_helpers import database_state, run_cli

PLACE = "Harbour Light Hospital (fictional)"
OWNER = "host|1|x"


def _sent(ctx: Context, written: date, *follow_ups: date) -> int:
    row = add_outreach(ctx, PLACE, status="sent", written_on=written, contact_email="desk@example.org")
    assert row.id is not None
    for day in follow_ups:
        set_outreach_status(ctx, row.id, "sent", on=day)
    return row.id


def _reminders(ctx: Context, entry: int) -> list[Reminder]:
    from sqlmodel import col, select

    with ctx.db.read() as session:
        return list(session.exec(select(Reminder).where(col(Reminder.key).startswith(f"outreach:{entry}:follow_up:"))
                                 .order_by(col(Reminder.id))).all())


def test_a_follow_up_is_not_marked_due_after_the_last(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                      cli_clock: FixedClock) -> None:
    """The last follow-up went out on 22 Nov; its wait ends on 02 Dec (past the month's end). Marking a follow-up
    due by hand said "follow-up due" and the list then "better closed" at once: refused, exit 2, the database
    byte-identical; the list still says the wait runs."""
    entry = _sent(ctx, date(2026, 11, 1), date(2026, 11, 11), date(2026, 11, 22))
    before = database_state(ctx.db.url)
    for typed in ("follow_up_due", "follow-up due"):
        refused = run_cli(capsys, "outreach", "set-status", str(entry), typed, "--db", ctx.db.url)
        assert (refused.code, refused.out) == (2, ""), refused.out
        assert (f"outreach {entry} ({PLACE}): 2 follow-ups went out and the rule asks for 2 follow-ups at most, so no "
                "other follow-up falls due: if no answer comes by 02 Dec 2026, the entry is better closed"
                ) in refused.err, refused.err
        assert database_state(ctx.db.url) == before
    listed = run_cli(capsys, "outreach", "list", "--json", "--db", ctx.db.url).json()
    assert (listed[0]["status_today"], listed[0]["better_closed"]) == ("sent", False)
    # An answer is still taken, as before the last follow-up.
    assert run_cli(capsys, "outreach", "set-status", str(entry), "replied", "--db", ctx.db.url).code == 0


def test_before_the_last_a_follow_up_may_be_marked_due(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                      cli_clock: FixedClock) -> None:
    """A guard: with one follow-up left, marking it due by hand is still a move."""
    entry = _sent(ctx, date(2026, 11, 1), date(2026, 11, 22))
    moved = run_cli(capsys, "outreach", "set-status", str(entry), "follow_up_due", "--db", ctx.db.url)
    assert (moved.code, moved.out) == (0, f"outreach {entry}: follow-up due\n"), moved.err


def _fail(ctx: Context, clock: FixedClock, reminder_id: int, outcome: str) -> None:
    """What a daemon's try leaves: a refusal (failed), or twice no confirmation (unconfirmed)."""
    now = clock.now()
    assert outbox.claim_due(ctx, OWNER, now) == [reminder_id]
    if outcome == "failed":
        assert outbox.mark_failed(ctx, reminder_id, OWNER, now, "550 mailbox unavailable")
        return
    assert outbox.mark_unknown(ctx, reminder_id, OWNER, now, "no reply after DATA") == "pending"
    later = now + timedelta(hours=2)  # past the backoff
    assert outbox.claim_due(ctx, OWNER, later) == [reminder_id]
    assert outbox.mark_unknown(ctx, reminder_id, OWNER, later, "no reply after DATA") == "unconfirmed"


@pytest.mark.parametrize("outcome", ["failed", "unconfirmed"])
@pytest.mark.parametrize(("follow_ups", "then"), [
    ((), "sent"),  # the first follow-up went out: a new wait, a new reminder
    ((date(2026, 11, 13),), "sent"),  # the rule's last follow-up went out: no reminder asks for another
    ((), "replied"),
], ids=["follow-up-sent", "last-follow-up-sent", "replied"])
def test_an_undelivered_follow_up_reminder_is_not_sent_after_all(
    ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, outcome: str,
    follow_ups: tuple[date, ...], then: str
) -> None:
    """The reminder due 23 Nov (ten days after 13 Nov) was not delivered; then the follow-up went out (or the place
    answered). It stayed failed or unconfirmed, and `reminders retry` sent it: now it is cancelled with the rest,
    its earlier status kept, and the retry is refused."""
    entry = _sent(ctx, date(2026, 11, 13) if not follow_ups else date(2026, 11, 1), *follow_ups)
    undelivered = _reminders(ctx, entry)[-1]
    assert undelivered.id is not None and undelivered.status == "pending"
    _fail(ctx, cli_clock, undelivered.id, outcome)
    moved = run_cli(capsys, "outreach", "set-status", str(entry), then, "--db", ctx.db.url)
    assert moved.code == 0, moved.err
    row = next(r for r in _reminders(ctx, entry) if r.id == undelivered.id)
    assert (row.status, row.payload.get("cancelled_from")) == ("cancelled", outcome), (row.status, row.note)
    retried = run_cli(capsys, "reminders", "retry", str(undelivered.id), "--db", ctx.db.url)
    assert retried.code == 2 and "is cancelled" in retried.err, retried.out + retried.err
    pending = [r.key for r in _reminders(ctx, entry) if r.status == "pending"]
    assert pending == ([f"outreach:{entry}:follow_up:1"] if then == "sent" and not follow_ups else []), pending
