"""Shared set-up for daemon tests: a real database with a rotation, a supervisor and N due reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, insert
from sqlmodel import col

from imgcoach.core.context import Context
from imgcoach.plan.cases import add_case
from imgcoach.plan.people import add_contact
from imgcoach.plan.rotations import add_rotation
from imgcoach.reminders import list_reminders
from imgcoach.reminders.rules import LETTER_LAST_CALL
from imgcoach.storage.models import Reminder


def add_supervised_rotation(ctx: Context, start: date = date(2026, 9, 1), end: date = date(2026, 9, 28)) -> int:
    """A synthetic observership with a supervisor and one case; returns the rotation id.

    By default it ended 58 days before the tests' clock (25 Nov 2026), so it has nothing of its own to send: the
    daemon tests send the rows they insert (`add_due_reminders`) and count them with `inserted_only`."""
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Lakeside General (synthetic)", start_date=start, end_date=end)
    add_contact(ctx, "Dr. Jane Okafor", rotation_id=rotation.id, role="supervisor",
                email="jane.okafor@hospital.example")
    add_case(ctx, rotation.id, "DKA in a 19-year-old")
    return rotation.id  # type: ignore[return-value]


def inserted_only(query: Select[Any]) -> Select[Any]:
    """`query` (a select of reminders) without the rows a rotation derives itself (their keys begin "rotation:",
    `rules.rotation_key`): the rows a test inserted. The rotation's own reminders are its business (whether a past
    rotation lists them not planned or none at all), not what a test of the daemon counts."""
    return query.where(~col(Reminder.key).startswith("rotation:"))


def add_due_reminders(ctx: Context, rotation_id: int, count: int, *, due: datetime,
                      expires: datetime | None = None, prefix: str = "bulk") -> list[int]:
    """Insert ``count`` pending thank-you reminders due at ``due`` (one transaction), planned no later than
    that: one due in the past has waited since then (a late e-mail blames no daemon for a row made late)."""
    now = ctx.clock.now()
    rows = [
        dict(applicant_id=1, key=f"{prefix}:{i}", kind="thank_you", template_key="thank_you",
             rotation_id=rotation_id, recipient="applicant@example.com", due_at=due,
             expires_at=expires or due + timedelta(days=30), status="pending", attempts=0, last_error="",
             claimed_by="", message_id=f"<{prefix}.{i}@imgcoach.test>", calendar_uid=f"{prefix}-{i}@imgcoach",
             late=False, note="", payload={}, requires_approval=False, created_at=min(now, due), updated_at=now)
        for i in range(count)
    ]
    with ctx.db.transaction() as session:
        session.execute(insert(Reminder), rows)
    with ctx.db.read() as session:
        from sqlalchemy import select

        return list(session.execute(select(Reminder.id).where(Reminder.key.like(f"{prefix}:%"))).scalars())


def send_due_once(ctx: Context, server: Any, **worker_options: Any) -> int:
    """One `daemon --once` round against a loopback SMTP server (tests.smtp_server.SmtpServer): the count sent."""
    from imgcoach.core.locations import data_dir
    from imgcoach.reminders.daemon.daemon import ReminderDaemon
    from imgcoach.reminders.daemon.worker import OutboxWorker
    from imgcoach.reminders.mail.settings import MailSettings, SmtpSettings

    settings = MailSettings(maildir=data_dir() / "Maildir",
                            smtp=SmtpSettings(host=server.host, port=server.port, security="none", timeout=5),
                            sender="reminders@example.org")
    return ReminderDaemon(OutboxWorker(ctx, settings, **worker_options), ctx.clock, tasks=[]).run_once()


LAST_CALL_SUBJECT = "Letter: last call"


def last_calls_received(server: Any) -> list[str]:
    """The subjects of the "Letter: last call" e-mails a loopback SmtpServer received (a re-added rotation's tests
    count them: the same letter e-mail twice for one stay is the defect they pin)."""
    return [str(r.message["Subject"]) for r in server.received if LAST_CALL_SUBJECT in str(r.message["Subject"])]


def last_call_row(ctx: Context, rotation_id: int) -> Any:
    """The rotation's one "Letter: last call" reminder, as reminders.list_reminders gives it."""
    (row,) = [r for r in list_reminders(ctx) if r.kind == LETTER_LAST_CALL and r.rotation_id == rotation_id]
    return row
