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
from imgcoach.reminders.mail.errors import DeliveryError, InvalidAddressError, MailError, TemplateError
from imgcoach.reminders.mail.headers import check_address
from imgcoach.reminders.mail.ics import build_calendar
from imgcoach.reminders.mail.message import Mailbox, build_message
from imgcoach.reminders.mail.render import MailRenderer
from imgcoach.reminders.mail.settings import MailSettings
from imgcoach.reminders.mail.transport import Envelope, Transport, open_transport
from imgcoach.reminders.outgoing import SUPERVISOR_DRAFT, Outgoing, load_outgoing

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
        self.renderer = renderer or MailRenderer()
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
        """Render and assemble one message.

        To the applicant: the reminder with its calendar entry. To anyone else (only a row that required
        approval and has it): the approved message itself, Reply-To the applicant, no calendar entry.
        """
        mail = item.mail
        if item.refused:
            raise TemplateError(f"reminder {mail.reminder_id} not sent: {item.refused}")
        if item.is_draft:
            if item.template_key == SUPERVISOR_DRAFT:
                draft = self.renderer.render_draft(mail)
                if draft is None:
                    raise TemplateError(f"reminder {mail.reminder_id}: no draft for kind {mail.kind}")
                subject, text, html = draft.subject, draft.body, None
            else:
                rendered = self.renderer.render(mail)
                subject, text, html = rendered.subject, rendered.text, rendered.html
            return build_message(
                sender=self.sender_for(item), recipient=Mailbox(item.to.name, item.to.email),
                subject=subject, text=text, html=html, message_id=mail.message_id, date=now,
                reply_to=Mailbox(mail.applicant.name, mail.applicant.email), auto_submitted=False,
            )
        rendered = self.renderer.render(mail)
        calendar = build_calendar(
            uid=mail.calendar_uid, start=mail.due, tz=mail.tz, summary=rendered.subject,
            description=rendered.draft.body if rendered.draft else rendered.text, stamp=now, sequence=mail.sequence,
        )
        return build_message(
            sender=self.sender_for(item), recipient=Mailbox(item.to.name, item.to.email),
            subject=rendered.subject, text=rendered.text, html=rendered.html, message_id=mail.message_id,
            date=now, calendar=calendar,
        )
