"""Helper for mail tests: render + build one reminder message the way the outbox does."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage

from imgcoach.reminders.daemon.worker import calendar_part
from imgcoach.reminders.mail.context import ReminderMail
from imgcoach.reminders.mail.message import Mailbox, build_message
from imgcoach.reminders.mail.render import MailRenderer
from tests.mail_samples import sample

_RENDERER = MailRenderer()
NOW = datetime(2026, 7, 29, 13, 0, 5, tzinfo=UTC)


def build(mail: ReminderMail | None = None, *, sender: Mailbox | None = None) -> EmailMessage:
    mail = mail or sample()
    out = _RENDERER.render(mail)
    sender = sender or Mailbox("imgcoach", "reminders@example.org")
    cal = calendar_part(mail, out.subject, out.draft.body if out.draft else out.text, NOW, organizer=sender.email)
    return build_message(
        sender=sender,
        recipient=Mailbox(mail.applicant.name, mail.applicant.email),
        subject=out.subject, text=out.text, html=out.html, message_id=mail.message_id, date=NOW,
        calendar=cal,
    )
