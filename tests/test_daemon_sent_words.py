"""What a daemon run says it sent names what went: a weekly digest and an approved e-mail to a supervisor are not
reminders. `daemon --once` said "wrote 4 reminders to the local mailbox" of two reminders, the week's digest and
the applicant's own e-mail to their supervisor, and the log "sent 4". Real SQLite/PostgreSQL, a real Maildir,
the CLI on the test's FixedClock (a Wednesday morning in New York: this week's digest is still due).
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlmodel import select

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.reminders import outbox
from imgcoach.storage.models import Reminder
from tests.cli_helpers import run_cli
from tests.daemon_helpers import add_due_reminders, add_supervised_rotation


def test_sent_words_count_each_kind_and_keep_plain_reminders_plain() -> None:
    from imgcoach.reminders import sent_words

    assert sent_words({"reminder": 3}) == "3 reminders"
    assert sent_words({}) == "0 reminders"
    assert sent_words({"reminder": 2, "approved": 1}) == "3 e-mails (2 reminders, 1 approved e-mail)"
    assert sent_words({"digest": 1}) == "1 e-mail (1 weekly digest)"


def test_once_names_the_digest_and_the_approved_email_apart_from_the_reminders(
        ctx: Context, clock: FixedClock, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock,
        caplog: pytest.LogCaptureFixture) -> None:
    rotation_id = add_supervised_rotation(ctx)
    first, _ = add_due_reminders(ctx, rotation_id, 2, due=clock.now() - timedelta(minutes=5))
    outbox.approve_draft(ctx, first)  # the applicant's own e-mail to Dr. Okafor, queued to go now
    with caplog.at_level(logging.INFO, logger="imgcoach"):
        result = run_cli(capsys, "daemon", "--once", "--db", ctx.db.url)
    assert result.code == 0, result.err
    with ctx.db.read() as session:
        sent = session.exec(select(Reminder).where(Reminder.status == "sent")).all()
    kinds = sorted("digest" if r.kind == "weekly_digest" else "approved" if r.recipient != "applicant@example.com"
                   and r.requires_approval else "reminder" for r in sent)
    assert kinds == ["approved", "digest", "reminder", "reminder"], [(r.kind, r.recipient) for r in sent]
    assert result.out.splitlines()[0].startswith(
        "wrote 4 e-mails (2 reminders, 1 weekly digest, 1 approved e-mail) to the local mailbox "), result.out
    assert "sent 4 e-mails (2 reminders, 1 weekly digest, 1 approved e-mail), failed 0" in caplog.text


def test_once_names_a_draft_nobody_approved_apart_from_the_reminders_it_missed(
        ctx: Context, clock: FixedClock, capsys: pytest.CaptureFixture[str],
        cli_clock: FixedClock, caplog: pytest.LogCaptureFixture) -> None:
    """A message to someone else that expired unapproved was counted among "N reminders expired before they could
    be sent", as if a daemon had failed to send it (its own row says it was never approved)."""
    from sqlalchemy import update

    rotation_id = add_supervised_rotation(ctx)
    now = clock.now()
    add_due_reminders(ctx, rotation_id, 2, due=now - timedelta(days=3), expires=now - timedelta(hours=1))
    [draft] = add_due_reminders(ctx, rotation_id, 1, due=now - timedelta(days=3), expires=now - timedelta(hours=1),
                                prefix="draft")
    with ctx.db.transaction() as session:
        session.execute(update(Reminder).where(Reminder.id == draft).values(
            kind="progress_update", template_key="progress_update", requires_approval=True,
            recipient="jane.okafor@hospital.example"))
    with caplog.at_level(logging.INFO, logger="imgcoach"):
        result = run_cli(capsys, "daemon", "--once", "--db", ctx.db.url)
    said = "2 reminders expired before they could be sent; 1 message to someone else expired before you approved it"
    assert f"{said}; marked missed" in caplog.text  # the daemon's log says it in the same words
    assert ("missed: 2 reminders expired before they could be sent; 1 message to someone else expired before you "
            "approved it (`imgcoach reminders list --status missed`)") in result.out, result.out
