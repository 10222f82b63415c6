"""The weekly digest offers "approve it with `imgcoach reminders approve N`" only where approve approves it (approve's
own rule, outbox.approval_refusal, as the daemon's e-mail asks it); else it says why not. It offered it of a progress
update whose supervisor has no address, which approve refuses. Real SQLite/PostgreSQL, `daemon --once` on the
test's clock writing to the local Maildir, and `reminders approve` on the same clock."""

from __future__ import annotations

import mailbox
from datetime import timedelta

import pytest

from imgcoach.coach.outreach_actions import mark_progress
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.locations import data_dir
from imgcoach.storage.models import Reminder
from tests.cli_helpers import run_cli
from tests.daemon_helpers import add_supervised_rotation


def _digest_text() -> str:
    """The text of the one weekly digest in the local Maildir, in one line."""
    found = []
    for message in mailbox.Maildir(data_dir() / "Maildir", create=False):
        if "digest" in str(message["Subject"]).lower() or "week" in str(message["Subject"]).lower():
            body = message.get_payload(decode=True) if not message.is_multipart() else next(
                part.get_payload(decode=True) for part in message.walk() if part.get_content_type() == "text/plain")
            found.append(" ".join(body.decode("utf-8").split()))
    assert len(found) == 1, found
    return found[0]


def _draft(ctx: Context, clock: FixedClock, *, address: bool) -> int:
    add_supervised_rotation(ctx)
    draft = mark_progress(ctx, "exam_score", detail="Step 2 CK passed").drafts[0]
    with ctx.db.transaction() as session:
        row = session.get(Reminder, draft.id)
        assert row is not None and row.requires_approval and row.approved_at is None
        row.due_at = clock.now() + timedelta(days=1)  # in this week, still to come
        row.expires_at = clock.now() + timedelta(days=20)
        if not address:
            row.recipient = ""
        session.add(row)
    return draft.id


def test_a_draft_with_no_address_is_not_offered_for_approval_and_the_digest_says_why(
        ctx: Context, clock: FixedClock, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    rid = _draft(ctx, clock, address=False)
    ran = run_cli(capsys, "daemon", "--once", "--db", ctx.db.url)
    assert ran.code == 0, (ran.out, ran.err)
    text = _digest_text()
    assert f"imgcoach reminders approve {rid}" not in text, text
    assert ("to Dr. Jane Okafor; it cannot be approved: the draft has no recipient address; add one with `imgcoach "
            "contacts`") in text, text
    refused = run_cli(capsys, "reminders", "approve", str(rid), "--db", ctx.db.url)
    assert refused.code == 2 and "the draft has no recipient address" in refused.err, refused


def test_a_draft_approve_would_approve_is_offered(ctx: Context, clock: FixedClock, cli_clock: FixedClock,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    rid = _draft(ctx, clock, address=True)
    assert run_cli(capsys, "daemon", "--once", "--db", ctx.db.url).code == 0
    assert f"to Dr. Jane Okafor; approve it with `imgcoach reminders approve {rid}`" in _digest_text()
    assert run_cli(capsys, "reminders", "approve", str(rid), "--db", ctx.db.url).code == 0
