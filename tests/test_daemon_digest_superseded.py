"""The weekly digest does not list a reminder the same run cancels.

Found by walking the daemon after downtime: a two-week observership (2 to 13 November) had its letter window open
on Monday and its last call on Tuesday; the daemon, off since October, started on Wednesday. Its digest for the
week went out listing "Mon 9 November: Letter request window opens", and in the same run that reminder was
cancelled, not sent, because its last call was due too and says the same: the digest promised an e-mail that
never came. Real SQLite/PostgreSQL, a real loopback SMTP server, time from a FixedClock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.profile import set_profile
from imgcoach.plan.rotations import add_rotation
from imgcoach.reminders.digest import ensure_weekly_digests
from imgcoach.reminders.rules import LETTER_OPEN, MID_FEEDBACK
from imgcoach.reminders.sync import list_reminders
from tests.daemon_helpers import send_due_once
from tests.smtp_server import SmtpServer


@pytest.fixture
def october(empty_ctx: Context, clock: FixedClock) -> Context:
    """The applicant, made on 20 October 2026 (before the rotations below are planned)."""
    clock.set(datetime(2026, 10, 20, 14, 0, tzinfo=UTC))
    set_profile(empty_ctx, name="Test Applicant", email="applicant@example.com", timezone="America/New_York")
    return empty_ctx


def test_a_digest_made_in_a_catch_up_leaves_out_the_opening_its_last_call_replaces(
        october: Context, clock: FixedClock) -> None:
    ctx = october
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Bayview (synthetic)",
                 start_date=date(2026, 11, 2), end_date=date(2026, 11, 13), hours_per_week=40)
    clock.set(datetime(2026, 11, 11, 15, 0, tzinfo=UTC))  # Wednesday 10:00 EST: the daemon starts (`--once`)
    assert ensure_weekly_digests(ctx).created == ["digest:1:2026-11-09"]  # its start-up task, then the outbox
    with SmtpServer() as server:
        send_due_once(ctx, server)
    (opening,) = [r for r in list_reminders(ctx) if r.kind == LETTER_OPEN]
    assert opening.status == "cancelled"
    (digest,) = [r for r in server.received if "Weekly digest: " in r.message["Subject"]]
    text = " ".join(digest.message.get_body(("plain",)).get_content().split())
    assert "Letter: last call" in text and "Ask for a letter" not in text, text


def test_a_digest_made_in_a_catch_up_leaves_out_what_has_expired(october: Context, clock: FixedClock) -> None:
    # A two-day rotation (Monday 9 and Tuesday 10 November): its feedback, due Monday, is useful until it ends.
    # The daemon starts on Wednesday: the feedback is missed, never sent, so the week ahead must not promise it.
    ctx = october
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Bayview (synthetic)",
                 start_date=date(2026, 11, 9), end_date=date(2026, 11, 10), hours_per_week=40)
    clock.set(datetime(2026, 11, 11, 15, 0, tzinfo=UTC))
    assert ensure_weekly_digests(ctx).created == ["digest:1:2026-11-09"]
    with SmtpServer() as server:
        send_due_once(ctx, server)
    (feedback,) = [r for r in list_reminders(ctx) if r.kind == MID_FEEDBACK]
    assert feedback.status == "missed"
    (digest,) = [r for r in server.received if "Weekly digest: " in r.message["Subject"]]
    text = " ".join(digest.message.get_body(("plain",)).get_content().split())
    assert "Rotation ends" in text and "Ask for feedback" not in text, text
