"""The outbox worker on a real SQLite file against a real loopback SMTP server, time from a FixedClock."""

from __future__ import annotations

import time
from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select, update

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.core.ical_versions import stamp_sequence
from imgcoach.core.locations import data_dir
from imgcoach.reminders import outbox
from imgcoach.reminders.daemon.worker import OutboxWorker
from imgcoach.reminders.mail.settings import MailSettings, SmtpSettings
from imgcoach.reminders.mail.transport import MaildirTransport
from imgcoach.storage.models import Applicant, Reminder
from tests.daemon_helpers import add_due_reminders, add_supervised_rotation, inserted_only, send_due_once
from tests.smtp_server import SmtpServer


def _rows(ctx: Context) -> dict[int, Reminder]:
    with ctx.db.read() as session:
        return {r.id: r for r in session.execute(inserted_only(select(Reminder))).scalars()}  # type: ignore[misc]




@pytest.fixture
def rotation_id(ctx: Context) -> int:
    return add_supervised_rotation(ctx)


def test_due_reminders_are_sent_once_with_calendar_and_ids(ctx: Context, rotation_id: int) -> None:
    now = ctx.clock.now()
    ids = add_due_reminders(ctx, rotation_id, 3, due=now - timedelta(minutes=1))
    add_due_reminders(ctx, rotation_id, 1, due=now + timedelta(hours=1), prefix="future")
    with SmtpServer() as server:
        assert send_due_once(ctx, server) == 3
        assert send_due_once(ctx, server) == 0
    # (How many connections carried them is test_connections_outlive_the_batch_within_a_run's: with three
    # messages, a spare lane for one that looked slow on a loaded machine makes three, as designed.)
    assert len(server.received) == 3
    rows = _rows(ctx)
    for received in server.received:
        msg = received.message
        row = next(r for r in rows.values() if r.message_id == msg["Message-ID"])
        assert row.id in ids and row.status == "sent" and row.sent_at == now and not row.late
        assert received.rcpt_tos == ["applicant@example.com"]
        assert msg["Subject"] == "Thank-you note to Dr. Jane Okafor"
        body = msg.get_body(("plain",)).get_content()
        assert "DKA in a 19-year-old" in body and "mailto:jane.okafor@hospital.example?" in body
        part = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
        cal = icalendar.Calendar.from_ical(part.get_content())
        assert str(cal.walk("VTIMEZONE")[0]["TZID"]) == "America/New_York"
        event = cal.walk("VEVENT")[0]
        # the export's version rule at the sending (tests/test_calendar_versions_truth.py), not the claim count
        assert str(event["UID"]) == row.calendar_uid and int(event["SEQUENCE"]) == stamp_sequence(now)
        assert event.walk("VALARM")
    assert outbox.next_due_at(ctx, now) == now + timedelta(hours=1)


def test_claims_are_exclusive(ctx: Context, rotation_id: int) -> None:
    now = ctx.clock.now()
    add_due_reminders(ctx, rotation_id, 30, due=now)
    first = outbox.claim_due(ctx, "a|1|x", now, limit=20)
    second = outbox.claim_due(ctx, "b|2|y", now, limit=20)
    assert len(first) == 20 and len(second) == 10 and not set(first) & set(second)
    assert outbox.claim_due(ctx, "c|3|z", now) == []
    assert not outbox.mark_sent(ctx, first[0], "b|2|y", now)  # not b's claim
    assert outbox.mark_sent(ctx, first[0], "a|1|x", now)


@pytest.mark.sqlite_only  # traces the sqlite3 connection's statements
def test_a_sent_record_is_one_statement_committed_on_its_own(ctx: Context, rotation_id: int) -> None:
    """On SQLite the "sent" record is one UPDATE in autocommit (no BEGIN/COMMIT round of its own): one call
    that takes the write lock, changes the row and commits, visible at once to another connection."""
    from sqlalchemy import event

    from imgcoach.storage.db import Database

    now = ctx.clock.now()
    add_due_reminders(ctx, rotation_id, 2, due=now)
    claimed = outbox.claim_due(ctx, "a|1|x", now)
    statements: list[str] = []

    @event.listens_for(ctx.db.engine, "connect")
    def _trace(dbapi_conn: object, record: object) -> None:
        dbapi_conn.set_trace_callback(statements.append)  # type: ignore[attr-defined]

    ctx.db.engine.dispose()  # every connection from now on is traced
    assert outbox.mark_sent(ctx, claimed[0], "a|1|x", now)
    # (sqlite3's trace repeats a statement for each trigger it fires: the write counters)
    sql = {s for s in statements if not s.startswith("PRAGMA")}
    assert len(sql) == 1 and sql.pop().startswith("UPDATE reminder SET status='sent'"), statements
    other = Database(ctx.db.url, migrate=False)
    try:
        with other.read() as session:
            assert session.execute(select(Reminder.status).where(Reminder.id == claimed[0])).scalar() == "sent"
    finally:
        other.close()
    assert not outbox.mark_sent(ctx, claimed[0], "a|1|x", now)  # already recorded: nothing changed


def test_loading_a_claimed_batch_builds_no_orm_reminder_objects(ctx: Context, rotation_id: int) -> None:
    """The daemon reads the columns a message is made of, not whole Reminder objects (one per row of every
    batch, about a quarter of loading it); what it loads is still each row's own."""
    from sqlalchemy import event

    from imgcoach.reminders.outgoing import load_outgoing
    from imgcoach.reminders.packet import WHERE_DAEMON_RUNS

    now = ctx.clock.now()
    ids = add_due_reminders(ctx, rotation_id, 5, due=now - timedelta(minutes=20))
    loaded: list[object] = []

    def on_load(target: object, context: object) -> None:
        loaded.append(target)

    event.listen(Reminder, "load", on_load)
    try:
        items = load_outgoing(ctx, ids, where=WHERE_DAEMON_RUNS)
    finally:
        event.remove(Reminder, "load", on_load)
    assert loaded == []
    rows = _rows(ctx)
    assert sorted(items) == sorted(ids)
    for rid, item in items.items():
        row, mail = rows[rid], item.mail
        assert (mail.reminder_id, mail.kind, mail.due, mail.message_id, mail.calendar_uid, mail.late) \
            == (row.id, row.kind, row.due_at, row.message_id, row.calendar_uid, row.late)
        assert mail.due.tzinfo is not None and mail.rotation is not None and mail.rotation.id == rotation_id
        assert (item.is_draft, item.template_key, item.refused) == (False, row.template_key, "")


def test_421_is_retried_with_backoff_then_delivered(ctx: Context, clock: FixedClock, rotation_id: int) -> None:
    (rid,) = add_due_reminders(ctx, rotation_id, 1, due=clock.now())
    with SmtpServer() as server:
        server.handler.data_replies.append("421 4.7.0 Try again later, closing connection")
        assert send_due_once(ctx, server) == 0
        row = _rows(ctx)[rid]
        assert (row.status, row.attempts) == ("pending", 1)
        assert "421 4.7.0 Try again later" in row.last_error
        assert clock.now() < row.next_attempt_at <= clock.now() + timedelta(minutes=1)  # type: ignore[operator]
        assert send_due_once(ctx, server) == 0  # not yet
        clock.advance(timedelta(minutes=1))
        assert send_due_once(ctx, server) == 1
    assert [r.message["Message-ID"] for r in server.received] == [row.message_id]
    assert _rows(ctx)[rid].status == "sent"


def test_unreachable_server_pauses_delivery_and_keeps_every_reminder_pending(ctx: Context, clock: FixedClock,
                                                                           rotation_id: int) -> None:
    ids = add_due_reminders(ctx, rotation_id, 5, due=clock.now())
    with SmtpServer() as server:
        pass  # stopped: nothing listens on its port any more
    assert send_due_once(ctx, server) == 0
    rows = _rows(ctx)
    assert all(rows[i].status == "pending" and not rows[i].claimed_by for i in ids)
    tried = [i for i in ids if rows[i].attempts]
    # only the message(s) in flight (one per lane) count an attempt and back off; the rest were never tried
    assert 1 <= len(tried) <= 2 and all("cannot reach" in rows[i].last_error for i in tried)
    assert all(rows[i].next_attempt_at > clock.now() for i in tried)  # type: ignore[operator]
    state = outbox.daemon_status(ctx, clock.now())
    assert "cannot reach" in state.last_error


def test_550_marks_failed_with_the_reply_and_retry_puts_it_back(ctx: Context, rotation_id: int) -> None:
    ids = add_due_reminders(ctx, rotation_id, 2, due=ctx.clock.now())
    with SmtpServer() as server:
        server.handler.rcpt_replies.append("550 5.1.1 <applicant@example.com>: Recipient address rejected")
        assert send_due_once(ctx, server) == 1
        failed = [r for r in _rows(ctx).values() if r.status == "failed"]
        assert len(failed) == 1 and "550 5.1.1" in failed[0].last_error
        from imgcoach.reminders.sync import list_reminders

        assert [r.last_error for r in list_reminders(ctx, "failed")] == [failed[0].last_error]
        outbox.retry_reminder(ctx, failed[0].id)  # type: ignore[arg-type]
        with pytest.raises(UserError, match="only failed or unconfirmed reminders"):
            outbox.retry_reminder(ctx, failed[0].id)  # type: ignore[arg-type]
        assert send_due_once(ctx, server) == 1
    assert {r.status for r in _rows(ctx).values() if r.id in ids} == {"sent"}


def test_downtime_catch_up_is_late_and_expired_ones_are_missed(ctx: Context, clock: FixedClock,
                                                               rotation_id: int) -> None:
    now = clock.now()
    (late_id,) = add_due_reminders(ctx, rotation_id, 1, due=now - timedelta(hours=3), prefix="late")
    (gone_id,) = add_due_reminders(ctx, rotation_id, 1, due=now - timedelta(days=20),
                                   expires=now - timedelta(days=6), prefix="gone")
    with SmtpServer() as server:
        assert send_due_once(ctx, server) == 1
    (received,) = server.received
    assert received.message["Subject"].startswith("[late] ")
    text = " ".join(received.message.get_body(("plain",)).get_content().split())
    assert "LATE: this reminder was due on" in text and "because the reminder daemon was not running then" in text
    rows = _rows(ctx)
    assert rows[late_id].late and rows[late_id].status == "sent"
    assert rows[gone_id].status == "missed" and "expired" in rows[gone_id].last_error
    state = outbox.daemon_status(ctx, now)
    assert (state.counts["sent"], state.counts["missed"], state.running) == (1, 1, False)


def test_bad_address_and_header_injection_do_not_stop_the_batch(ctx: Context, rotation_id: int) -> None:
    with ctx.db.transaction() as session:
        session.execute(update(Applicant).values(name="Eve\r\nBcc: victim@evil.example"))
    add_due_reminders(ctx, rotation_id, 2, due=ctx.clock.now())
    with SmtpServer() as server:
        assert send_due_once(ctx, server) == 2
        for received in server.received:
            assert received.message["Bcc"] is None and received.rcpt_tos == ["applicant@example.com"]
        with ctx.db.transaction() as session:
            session.execute(update(Applicant).values(email="not an address"))
        add_due_reminders(ctx, rotation_id, 1, due=ctx.clock.now(), prefix="bad")
        assert send_due_once(ctx, server) == 0
    bad = [r for r in _rows(ctx).values() if r.key.startswith("bad:")][0]
    assert bad.status == "failed" and "invalid e-mail address" in bad.last_error


def test_supervisor_gets_mail_only_after_approval(ctx: Context, rotation_id: int) -> None:
    (rid,) = add_due_reminders(ctx, rotation_id, 1, due=ctx.clock.now())
    with SmtpServer() as server:
        assert send_due_once(ctx, server) == 1
        assert send_due_once(ctx, server) == 0
        draft = outbox.approve_draft(ctx, rid)
        assert draft.recipient == "jane.okafor@hospital.example" and draft.requires_approval
        with pytest.raises(UserError, match="already pending"):
            outbox.approve_draft(ctx, rid)
        assert send_due_once(ctx, server) == 1
    to_applicant, to_supervisor = server.received
    assert to_applicant.rcpt_tos == ["applicant@example.com"]
    assert to_supervisor.rcpt_tos == ["jane.okafor@hospital.example"]
    msg = to_supervisor.message
    assert msg["Reply-To"].addresses[0].addr_spec == "applicant@example.com"
    assert msg.get_content().startswith("Dear Dr. Jane Okafor,")
    assert not [p for p in msg.walk() if p.get_content_type() == "text/calendar"]


def test_unapproved_drafts_to_others_are_never_claimed(ctx: Context, rotation_id: int) -> None:
    (rid,) = add_due_reminders(ctx, rotation_id, 1, due=ctx.clock.now())
    with ctx.db.transaction() as session:
        session.execute(update(Reminder).where(Reminder.id == rid)
                        .values(requires_approval=True, recipient="jane.okafor@hospital.example"))
    assert outbox.claim_due(ctx, "a|1|x", ctx.clock.now()) == []
    assert outbox.next_due_at(ctx, ctx.clock.now()) is None


def test_connections_outlive_the_batch_within_a_run(ctx: Context, rotation_id: int) -> None:
    """12 batches of 5: the lanes that ran out of work hand their open connections to the next batch's lanes
    (before, every batch opened and closed its own: 2 connections per 5 messages)."""
    add_due_reminders(ctx, rotation_id, 60, due=ctx.clock.now() - timedelta(minutes=1))
    with SmtpServer() as server:
        assert send_due_once(ctx, server, batch_size=5) == 60
        assert server.handler.wait_for(60, 10)
    peers = {r.peer for r in server.received}
    # 2 lanes, plus at most MAX_SPARE_LANES (4) if a message looked slow on a loaded machine
    assert len(peers) <= 6, peers
    assert {r.status for r in _rows(ctx).values()} == {"sent"}


def test_stop_mid_batch_releases_unsent_claims(ctx: Context, rotation_id: int) -> None:
    ids = add_due_reminders(ctx, rotation_id, 20, due=ctx.clock.now())
    with SmtpServer() as server:
        settings = MailSettings(maildir=data_dir() / "M",
                                smtp=SmtpSettings(host=server.host, port=server.port, security="none"))
        worker = OutboxWorker(ctx, settings)
        worker.start(ctx.clock.now())
        # Stop once the server has two messages (not after N calls of should_stop: how often the worker asks
        # depends on its delivery lanes and on timing, which made a call count flaky under load).
        sent = worker.run_due(ctx.clock.now(), lambda: len(server.received) >= 2)
        worker.stop(ctx.clock.now())
    rows = _rows(ctx)
    statuses = [rows[i].status for i in ids]
    assert 2 <= sent < 20 and statuses.count("sent") == sent
    assert statuses.count("pending") == 20 - sent, statuses
    assert all(rows[i].attempts == 0 and rows[i].claimed_by == "" for i in ids if rows[i].status == "pending")


def test_claims_of_dead_or_expired_owners_are_recovered(ctx: Context, clock: FixedClock, rotation_id: int) -> None:
    import socket

    add_due_reminders(ctx, rotation_id, 4, due=clock.now())
    dead = f"{socket.gethostname()}|999999|dead"
    remote = "other-host|123|live"
    assert len(outbox.claim_due(ctx, dead, clock.now(), limit=2)) == 2
    assert len(outbox.claim_due(ctx, remote, clock.now(), limit=2, lease=timedelta(minutes=10))) == 2
    assert outbox.recover_claims(ctx, clock.now()) == 2  # the dead local process, at once
    clock.advance(timedelta(minutes=11))
    assert outbox.recover_claims(ctx, clock.now()) == 2  # the other host's, after its lease
    assert {r.status for r in _rows(ctx).values()} == {"pending"}


def test_daemon_status_sees_a_live_heartbeat(ctx: Context, rotation_id: int, tmp_path) -> None:  # type: ignore[no-untyped-def]
    worker = OutboxWorker(ctx, MailSettings(maildir=tmp_path / "Maildir"))
    worker.start(ctx.clock.now())
    state = outbox.daemon_status(ctx, ctx.clock.now())
    assert state.running and state.owners == [worker.owner] and state.last_run_at is None
    add_due_reminders(ctx, rotation_id, 1, due=ctx.clock.now())
    assert worker.run_due(ctx.clock.now(), lambda: False) == 1
    assert outbox.daemon_status(ctx, ctx.clock.now()).last_run_at == ctx.clock.now()
    worker.stop(ctx.clock.now())
    assert not outbox.daemon_status(ctx, ctx.clock.now()).running


class _SlowDiskMaildir(MaildirTransport):
    """A Maildir on a slow disk (a loaded machine, a network home): each message takes 0.3 s to write."""

    def send(self, msg, envelope=None, *, before_final=None):  # type: ignore[no-untyped-def]
        if before_final is not None:
            before_final(True)
        time.sleep(0.3)
        super().send(msg, envelope)


def test_a_slow_maildir_write_is_not_a_late_reply(ctx: Context, rotation_id: int, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A local mailbox has no server reply to wait for, so a slow write is not "in doubt": it was handed over
    as one (detached, marked in doubt, a kill then meant a second copy held as unconfirmed) and the run
    returned before counting it, which flaked test_daemon_status_sees_a_live_heartbeat on a loaded machine."""
    maildir = tmp_path / "Maildir"
    worker = OutboxWorker(ctx, MailSettings(maildir=maildir), transport_factory=lambda: _SlowDiskMaildir(maildir))
    worker.start(ctx.clock.now())
    try:
        add_due_reminders(ctx, rotation_id, 2, due=ctx.clock.now())
        assert worker.run_due(ctx.clock.now(), lambda: False) == 2
        assert worker.handed_over == 0
        rows = [r for r in _rows(ctx).values() if r.key.startswith("bulk:")]
        assert [(r.status, r.last_error) for r in rows] == [("sent", ""), ("sent", "")]
    finally:
        worker.stop(ctx.clock.now())
