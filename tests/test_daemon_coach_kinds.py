"""Outreach follow-ups and progress updates through the real outbox, a real SQLite file and aiosmtpd.

The rule under test: the daemon e-mails only the applicant; a draft to a supervisor goes out only after the
applicant approves that one message (`imgcoach reminders approve ID`).
"""

from __future__ import annotations

from datetime import date, timedelta
from email.utils import parseaddr

import icalendar
import pytest
from sqlalchemy import insert, select

from imgcoach.coach.outreach_actions import FOLLOW_UP_KIND, PROGRESS_KIND, add_outreach, mark_progress
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.reminders import outbox
from imgcoach.storage.models import Reminder
from tests.cli_helpers import run_cli
from tests.daemon_helpers import add_supervised_rotation, send_due_once
from tests.smtp_server import SmtpServer

SUPERVISOR = "jane.okafor@hospital.example"
APPLICANT = "applicant@example.com"




def _row(ctx: Context, kind: str) -> Reminder:
    with ctx.db.read() as session:
        return session.execute(select(Reminder).where(Reminder.kind == kind)).scalars().one()


def _progress_row(ctx: Context) -> Reminder:
    add_supervised_rotation(ctx)  # finished in September: Dr. Okafor is a former supervisor
    marked = mark_progress(ctx, "exam_score", detail="Step 2 CK passed")
    assert [d.recipient for d in marked.drafts] == [SUPERVISOR]
    return _row(ctx, PROGRESS_KIND)


def test_outreach_follow_up_reaches_the_applicant_with_draft_mailto_and_calendar(ctx: Context,
                                                                                  clock: FixedClock) -> None:
    add_outreach(ctx, "Riverside Clinic (synthetic)", department="Internal Medicine", specialty="Internal Medicine",
                 status="sent", written_on=date(2026, 11, 10), coordinator="Ms. Lee",
                 contact_email="coord@clinic.example")
    row = _row(ctx, FOLLOW_UP_KIND)
    assert row.recipient == APPLICANT and not row.requires_approval and row.due_at <= clock.now()
    with SmtpServer() as server:
        assert send_due_once(ctx, server) == 1
        assert send_due_once(ctx, server) == 0
    (received,) = server.received
    assert received.rcpt_tos == [APPLICANT]
    msg = received.message
    assert msg["Message-ID"] == row.message_id
    assert msg["Subject"] == "[late] Outreach follow-up: Riverside Clinic (synthetic)"
    assert b"=0D" not in received.raw and b"\r\n" in received.raw
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "You wrote to Riverside Clinic (synthetic) on 10 November 2026" in text
    assert f"Subject: {row.payload['draft_subject']}" in text
    assert row.payload["draft_body"].strip() in text
    assert "mailto:coord@clinic.example?subject=" in text
    assert "imgcoach outreach set-status 1 replied" in text
    html = msg.get_body(("html",)).get_content()
    assert 'href="mailto:coord@clinic.example?subject=' in html
    (part,) = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    cal = icalendar.Calendar.from_ical(part.get_content())
    assert str(cal.walk("VTIMEZONE")[0]["TZID"]) == "America/New_York"
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == row.calendar_uid
    # late: the calendar entry sits at the time the reminder is sent, titled without "[late]"
    assert row.due_at < clock.now() and event.decoded("DTSTART") == clock.now().replace(microsecond=0)
    assert str(event["SUMMARY"]) == "Outreach follow-up: Riverside Clinic (synthetic)"
    assert str(event["DESCRIPTION"]) == row.payload["draft_body"].strip() + "\n"
    assert _row(ctx, FOLLOW_UP_KIND).status == "sent"


def test_progress_update_is_never_claimed_before_approval(ctx: Context, clock: FixedClock) -> None:
    row = _progress_row(ctx)
    assert row.requires_approval and row.approved_at is None and row.due_at <= clock.now()
    with SmtpServer() as server:
        for _ in range(3):
            assert send_due_once(ctx, server) == 0
            clock.advance(timedelta(days=1))
    assert server.received == []
    assert outbox.claim_due(ctx, "other|1|x", clock.now()) == []
    assert outbox.next_due_at(ctx, clock.now()) is None
    after = _row(ctx, PROGRESS_KIND)
    assert (after.status, after.attempts, after.claimed_by, after.approved_at) == ("pending", 0, "", None)


def test_approved_progress_update_goes_to_the_supervisor_once_reply_to_the_applicant(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    clock = cli_clock
    row = _progress_row(ctx)
    result = run_cli(capsys, "reminders", "approve", str(row.id), "--db", ctx.db.url)
    assert result.code == 0, result.err
    assert f"reminder {row.id} will be sent to {SUPERVISOR}" in result.out
    again = run_cli(capsys, "reminders", "approve", str(row.id), "--db", ctx.db.url)
    assert again.code == 2 and "already approved" in again.err and "Traceback" not in again.err
    with SmtpServer() as server:
        assert send_due_once(ctx, server) == 1
        assert send_due_once(ctx, server) == 0
    (received,) = server.received
    assert received.rcpt_tos == [SUPERVISOR] and received.mail_from == "reminders@example.org"
    msg = received.message
    assert msg["Message-ID"] == row.message_id
    assert parseaddr(str(msg["To"])) == ("Dr. Jane Okafor", SUPERVISOR)
    assert parseaddr(str(msg["Reply-To"])) == ("Test Applicant", APPLICANT)
    assert parseaddr(str(msg["From"]))[0] == "Test Applicant"
    assert msg["Subject"] == row.payload["draft_subject"]
    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.strip() == row.payload["draft_body"].strip()
    assert "Dear Dr. Jane Okafor," in msg.get_body(("html",)).get_content()
    assert not [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    sent = _row(ctx, PROGRESS_KIND)
    assert sent.status == "sent" and sent.approved_at == clock.now()


def test_approval_waits_for_the_due_time_and_refuses_expired_or_other_kinds(ctx: Context,
                                                                            clock: FixedClock) -> None:
    row = _progress_row(ctx)
    with ctx.db.transaction() as session:
        stored = session.get(Reminder, row.id)
        stored.due_at = clock.now() + timedelta(days=2)  # type: ignore[union-attr]
    outbox.approve_draft(ctx, row.id)  # type: ignore[arg-type]
    assert outbox.claim_due(ctx, "a|1|x", clock.now()) == []
    assert outbox.next_due_at(ctx, clock.now()) == clock.now() + timedelta(days=2)
    clock.advance(timedelta(days=2))
    assert outbox.claim_due(ctx, "a|1|x", clock.now()) == [row.id]

    late = mark_progress(ctx, "match_day").drafts[0]
    clock.advance(timedelta(days=40))
    with pytest.raises(UserError, match="expired"):
        outbox.approve_draft(ctx, late.id)  # type: ignore[arg-type]

    add_outreach(ctx, "Riverside Clinic (synthetic)", status="sent", written_on=date(2026, 11, 10),
                 contact_email="coord@clinic.example")
    with pytest.raises(UserError, match="reminder to you"):
        outbox.approve_draft(ctx, _row(ctx, FOLLOW_UP_KIND).id)  # type: ignore[arg-type]


def test_a_supervisor_message_that_skipped_the_gate_is_sent_to_nobody(ctx: Context) -> None:
    """Defence in depth: a progress update inserted without requires_approval is failed, not sent."""
    add_supervised_rotation(ctx)
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        session.execute(insert(Reminder), [dict(
            applicant_id=1, key="progress:99:rotation:1", kind=PROGRESS_KIND, template_key=PROGRESS_KIND,
            rotation_id=1, recipient=SUPERVISOR, due_at=now, expires_at=now + timedelta(days=1), status="pending",
            attempts=0, last_error="", claimed_by="", message_id="<p99@imgcoach.test>", calendar_uid="p99@imgcoach",
            late=False, note="", requires_approval=False, created_at=now, updated_at=now,
            payload={"draft_to": SUPERVISOR, "draft_to_name": "Dr. Jane Okafor", "draft_subject": "News",
                     "draft_body": "Dear Dr. Okafor, ..."},
        )])
    with SmtpServer() as server:
        assert send_due_once(ctx, server) == 0
    assert server.received == []
    row = _row(ctx, PROGRESS_KIND)
    assert row.status == "failed" and "without approval" in row.last_error
