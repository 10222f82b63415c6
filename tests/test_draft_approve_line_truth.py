"""The daemon's e-mail to the applicant says "or approve it with `imgcoach reminders approve N`" only when that
command will approve it. Approving a reminder's supervisor draft before the reminder went out queued the draft; the
reminder, sent afterwards, still offered the approval, and running it said "the draft of reminder N is already
sent": the e-mail told the applicant to do what could not be done (and to send from their own mail program an
e-mail imgcoach had already sent for them). Real SQLite/PostgreSQL, a real loopback SMTP server, `daemon --once`
and `reminders approve` on the test's FixedClock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.reminders import outbox, reminder_preview
from tests.cli_helpers import run_cli
from tests.daemon_helpers import add_due_reminders, add_supervised_rotation
from tests.smtp_server import SmtpServer

APPROVE = "approve it with `imgcoach reminders approve"


def _smtp(monkeypatch: pytest.MonkeyPatch, server: SmtpServer) -> None:
    monkeypatch.setenv("IMGCOACH_SMTP_HOST", server.host)
    monkeypatch.setenv("IMGCOACH_SMTP_PORT", str(server.port))
    monkeypatch.setenv("IMGCOACH_SMTP_SECURITY", "none")


def _to_applicant(server: SmtpServer) -> str:
    """The text and HTML of the one reminder's e-mail to the applicant (add_due_reminders' first Message-ID), in one
    line."""
    (mail,) = [r.message for r in server.received if r.message["Message-ID"] == "<bulk.0@imgcoach.test>"]
    parts = [mail.get_body(preferencelist=(kind,)) for kind in ("plain", "html")]
    return " ".join(" ".join(str(p.get_content()).split()) for p in parts if p is not None)


def test_an_already_approved_draft_is_not_offered_again_in_the_reminders_e_mail(
        ctx: Context, clock: FixedClock, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    rotation_id = add_supervised_rotation(ctx)
    [rid] = add_due_reminders(ctx, rotation_id, 1, due=clock.now() + timedelta(hours=2))
    draft = outbox.approve_draft(ctx, rid)  # approved from the Outbox before the reminder's time
    # The Outbox's preview says so too (one rule, outbox.approval_offer): it said "send it from your own mail program".
    preview = " ".join(reminder_preview(ctx, rid).text.split())
    assert (f"You approved this draft for Dr. Jane Okafor already: it is reminder {draft.id} in your outbox (pending), "
            "so do not send it again yourself.") in preview, preview
    cli_clock.set(clock.now() + timedelta(hours=2, minutes=1))
    with SmtpServer() as server:
        _smtp(monkeypatch, server)
        sent = run_cli(capsys, "daemon", "--once", "--db", ctx.db.url)
        assert sent.code == 0, sent.err
        text = _to_applicant(server)
    approve = run_cli(capsys, "reminders", "approve", str(rid), "--db", ctx.db.url)
    assert approve.code == 2 and f"the draft of reminder {rid} is already sent (reminder {draft.id})" in approve.err
    assert APPROVE not in text, "approve refuses it: the e-mail must not offer it"
    assert f"You approved this draft for Dr. Jane Okafor already: it is reminder {draft.id} in your outbox" \
        in text, text
    assert "do not send it again yourself" in text and "send it from your own mail program" not in text, \
        "sending it again would e-mail the supervisor twice"
    assert "You approved this draft already: it is reminder" in text, "the HTML part says it too"


def test_a_reminder_sent_before_any_approval_offers_what_approve_then_does(
        ctx: Context, clock: FixedClock, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    rotation_id = add_supervised_rotation(ctx)
    [rid] = add_due_reminders(ctx, rotation_id, 1, due=clock.now() - timedelta(minutes=5))
    with SmtpServer() as server:
        _smtp(monkeypatch, server)
        assert run_cli(capsys, "daemon", "--once", "--db", ctx.db.url).code == 0
        text = _to_applicant(server)
    assert f"{APPROVE} {rid}`" in text, text
    approve = run_cli(capsys, "reminders", "approve", str(rid), "--db", ctx.db.url)
    assert approve.code == 0, approve.err


