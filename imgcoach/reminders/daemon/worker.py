"""The daemon's Worker over the database outbox: claim, render, build, send, record; one message at a time.

Each message is rendered and built right before it is sent, over one SMTP connection per batch, and its
result is committed before the next one starts, so a crash can duplicate at most the one message in
flight (same Message-ID, so recognisable). Building the next message in a second thread while one is on
the wire was measured and gave nothing (the work is CPU-bound under one GIL), so there is none.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import Message

from imgcoach.core.context import Context
from imgcoach.reminders import outbox
from imgcoach.reminders.compose import compose, user_renderer
from imgcoach.reminders.mail.context import ReminderMail
from imgcoach.reminders.mail.errors import DeliveryError, InvalidAddressError, MailError, TemplateError
from imgcoach.reminders.mail.headers import check_address
from imgcoach.reminders.mail.ics import build_calendar
from imgcoach.reminders.mail.message import Mailbox, build_message
from imgcoach.reminders.mail.render import MailRenderer
from imgcoach.reminders.mail.settings import MailSettings
from imgcoach.reminders.mail.transport import Envelope, Transport, open_transport
from imgcoach.reminders.outgoing import Outgoing, load_outgoing

log = logging.getLogger(__name__)


class OutboxWorker:
    """Implements imgcoach.reminders.daemon.daemon.Worker for one database."""

    def __init__(
        self,
        ctx: Context,
        mail_settings: MailSettings,
        *,
        renderer: MailRenderer | None = None,
        owner: str | None = None,
        batch_size: int = 20,
        poll_seconds: float = 5.0,
        transport_factory: Callable[[], Transport] | None = None,
    ) -> None:
        self.ctx = ctx
        self.mail_settings = mail_settings
        self.renderer = renderer or user_renderer()  # the user's template overrides, as the preview uses
        self.owner = owner or outbox.new_owner()
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        timeout = mail_settings.smtp.timeout if mail_settings.smtp else 5.0
        # The lease must outlive a whole batch even if every message hits the SMTP timeout.
        self.lease = max(outbox.DEFAULT_LEASE, timedelta(seconds=2 * batch_size * timeout))
        self._transport_factory = transport_factory or (lambda: open_transport(mail_settings))
        self.registered = False

    # --- Worker protocol ------------------------------------------------------------------------
    def start(self, now: datetime) -> None:
        outbox.register_daemon(self.ctx, self.owner, now, self.poll_seconds)
        self.registered = True
        recovered = outbox.recover_claims(self.ctx, now)
        if recovered:
            log.info("recovered %d reminder(s) left claimed by a stopped daemon", recovered)

    def stop(self, now: datetime) -> None:
        if self.registered:
            outbox.unregister_daemon(self.ctx, self.owner, now)

    def next_due(self, now: datetime) -> datetime | None:
        return outbox.next_due_at(self.ctx, now)

    def run_due(self, now: datetime, should_stop: Callable[[], bool]) -> int:
        outbox.recover_claims(self.ctx, now)
        missed = outbox.expire_missed(self.ctx, now)
        if missed:
            log.warning("%d reminder(s) expired before they could be sent; marked missed", missed)
        sent = failed = 0
        ran = False
        started = time.monotonic()
        transport: Transport | None = None
        recorder: outbox.SentRecorder | None = None
        try:
            while not should_stop():
                ids = outbox.claim_due(self.ctx, self.owner, self.ctx.clock.now(), limit=self.batch_size,
                                       lease=self.lease)
                if not ids:
                    break
                ran = True
                if transport is None:
                    recorder = outbox.SentRecorder(self.ctx)
                    transport = self._transport_factory()
                    transport.__enter__()
                s, f, connection_down = self._send_batch(transport, recorder, ids, should_stop)
                sent, failed = sent + s, failed + f
                if connection_down:
                    break
        finally:
            if recorder is not None:
                recorder.close()
            if transport is not None:
                try:
                    transport.__exit__(None, None, None)
                except Exception:  # closing a broken connection must not hide the real result
                    log.debug("closing the transport failed", exc_info=True)
            if ran:
                log.info("sent %d, failed %d in %.2f s", sent, failed, time.monotonic() - started)
            if self.registered:
                outbox.heartbeat(self.ctx, self.owner, self.ctx.clock.now(), ran=ran, sent=sent, failed=failed)
        return sent

    # --- one batch ------------------------------------------------------------------------------
    def _build_item(self, rid: int, item: Outgoing | None) -> tuple[Message, Envelope]:
        if item is None:
            raise TemplateError(f"reminder {rid} vanished")
        msg = self.build(item, self.ctx.clock.now())
        # build() validated both addresses (cached), so these cannot raise here
        return msg, Envelope(check_address(self.sender_for(item).email, field="sender"),
                             (check_address(item.to.email, field="recipient"),))

    def _send_batch(self, transport: Transport, recorder: outbox.SentRecorder, ids: list[int],
                    should_stop: Callable[[], bool]) -> tuple[int, int, bool]:
        """Send the claimed ``ids`` one by one; each result is committed before the next send starts."""
        sent = failed = 0
        try:
            items = load_outgoing(self.ctx, ids)
        except Exception as exc:
            log.exception("loading reminders %s failed", ids)
            for rid in ids:
                outbox.mark_retry(self.ctx, rid, self.owner, self.ctx.clock.now(), f"internal error: {exc}")
            return 0, 0, True
        for index, rid in enumerate(ids):
            if should_stop():
                outbox.release(self.ctx, ids[index:], self.owner, self.ctx.clock.now())
                break
            try:
                transport.send(*self._build_item(rid, items.get(rid)))
            except DeliveryError as exc:
                now = self.ctx.clock.now()
                if not exc.temporary:
                    outbox.mark_failed(self.ctx, rid, self.owner, now, exc.reply)
                    log.warning("reminder %s failed: %s", rid, exc.reply)
                    failed += 1
                    continue
                when = outbox.mark_retry(self.ctx, rid, self.owner, now, exc.reply)
                log.warning("reminder %s will be retried at %s: %s", rid, when, exc.reply)
                if exc.connection_lost:  # the server is unreachable: everything left waits the same backoff
                    for other in ids[index + 1:]:
                        outbox.mark_retry(self.ctx, other, self.owner, now, exc.reply)
                    return sent, failed, True
                continue
            except (InvalidAddressError, TemplateError, MailError) as exc:
                outbox.mark_failed(self.ctx, rid, self.owner, self.ctx.clock.now(), str(exc))
                log.warning("reminder %s failed: %s", rid, exc)
                failed += 1
                continue
            except Exception as exc:  # a bug must cost one reminder a retry, never the daemon
                log.exception("reminder %s: unexpected error", rid)
                outbox.mark_retry(self.ctx, rid, self.owner, self.ctx.clock.now(),
                                  f"internal error: {type(exc).__name__}: {exc}")
                continue
            if recorder.mark_sent(rid, self.owner, self.ctx.clock.now()):
                sent += 1
            else:
                log.warning("reminder %s was sent but its claim had expired; another daemon may resend it", rid)
        return sent, failed, False

    def sender_for(self, item: Outgoing) -> Mailbox:
        """The configured From address, else the applicant's own (the daemon mails the applicant)."""
        return Mailbox(item.mail.applicant.name if item.is_draft else "imgcoach reminders",
                       self.mail_settings.sender or item.mail.applicant.email)

    def build(self, item: Outgoing, now: datetime) -> Message:
        """Render (``compose``, the same function the app's preview calls) and assemble one message."""
        composed = compose(item, self.renderer)
        mail = item.mail
        reply_to = Mailbox(composed.reply_to.name, composed.reply_to.email) if composed.reply_to else None
        sender = self.sender_for(item)
        calendar = None
        if composed.calendar_description is not None:
            calendar = calendar_part(mail, composed.subject, composed.calendar_description, now, organizer=sender.email)
        return build_message(
            sender=sender, recipient=Mailbox(composed.to.name, composed.to.email),
            subject=composed.subject, text=composed.text, html=composed.html, message_id=mail.message_id,
            date=now, calendar=calendar, reply_to=reply_to,
            auto_submitted=reply_to is None,  # a draft to a person is the applicant's own message, not a robot's
        )


LATE_PREFIX = "[late] "


def calendar_part(mail: ReminderMail, subject: str, description: str, now: datetime, *, organizer: str) -> bytes:
    """The reminder's calendar entry: at its due time, or, for a late one, at the time it is sent (an
    event in the past helps nobody) and titled without the e-mail subject's "[late]" marker."""
    late = mail.late and now > mail.due
    summary = subject.removeprefix(LATE_PREFIX) if mail.late else subject
    return build_calendar(
        uid=mail.calendar_uid, start=now if late else mail.due, tz=mail.tz, summary=summary,
        description=description, stamp=now, sequence=mail.sequence,
        organizer=organizer,
    )
