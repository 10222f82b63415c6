"""Misbehaving SMTP servers (aiosmtpd on loopback) against the real outbox worker on a real SQLite file.

One slow or silent message must not hold back the others; a message whose fate is unknown is sent at most
once more, then held as "unconfirmed"; a settings-level 5xx pauses delivery and keeps every reminder pending.
Timeouts are shortened through SmtpSettings (the RFC 5321 defaults are minutes).
"""

from __future__ import annotations

import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.reminders import outbox
from imgcoach.reminders.daemon import worker as worker_module
from imgcoach.reminders.daemon.daemon import ReminderDaemon
from imgcoach.reminders.daemon.worker import MAX_SPARE_LANES, OutboxWorker
from imgcoach.reminders.mail.settings import MailSettings, SmtpSettings
from imgcoach.reminders.sync import cancel_reminder
from imgcoach.storage.models import Reminder
from tests.daemon_helpers import add_due_reminders, add_supervised_rotation, inserted_only
from tests.smtp_server import SmtpServer


def _rows(ctx: Context) -> dict[str, Reminder]:
    with ctx.db.read() as session:
        return {r.message_id: r for r in session.execute(inserted_only(select(Reminder))).scalars()}


def _worker(ctx: Context, server: SmtpServer, *, stall: float = 5.0, data_timeout: float = 5.0) -> OutboxWorker:
    # stall is also the connect timeout: shorter than 5 s, a loaded CI machine's loopback EHLO can miss it
    smtp = SmtpSettings(host=server.host, port=server.port, security="none", timeout=stall,
                        command_timeout=5, data_start_timeout=5, data_block_timeout=5, data_timeout=data_timeout)
    return OutboxWorker(ctx, MailSettings(maildir=Path(tempfile.mkdtemp()) / "Maildir", smtp=smtp,  # type: ignore[union-attr]
                                          sender="reminders@example.org"))


def _once(ctx: Context, server: SmtpServer, **kw: float) -> int:
    return ReminderDaemon(_worker(ctx, server, **kw), ctx.clock, tasks=[]).run_once()


@pytest.fixture
def rotation_id(ctx: Context) -> int:
    return add_supervised_rotation(ctx)


def test_a_late_reply_to_one_message_holds_back_nothing_and_is_not_resent(ctx: Context, rotation_id: int) -> None:
    add_due_reminders(ctx, rotation_id, 12, due=ctx.clock.now())
    with SmtpServer() as server:
        server.handler.data_delays["<bulk.0@imgcoach.test>"] = 2.0  # answers 2 s after the dot (stall: 0.3 s)
        t0 = time.monotonic()
        assert _once(ctx, server) == 12
    by_id = {r.message_id: r for r in server.received}
    assert len(server.received) == 12 == len(by_id), "each message exactly once"
    slow_done = by_id["<bulk.0@imgcoach.test>"].at + 2.0
    others = [r.at for m, r in by_id.items() if m != "<bulk.0@imgcoach.test>"]
    assert max(others) < slow_done, "the other 11 went out while the slow one was still waiting for its reply"
    assert max(others) - t0 < 1.8
    rows = _rows(ctx)
    assert {r.status for r in rows.values()} == {"sent"} and {r.attempts for r in rows.values()} == {1}
    assert {r.delivered_via for r in rows.values()} == {"email"}


def test_late_replies_in_a_row_each_wait_on_their_own_connection_while_the_others_go_on(
        ctx: Context, rotation_id: int) -> None:
    """Issue 17: a message whose reply to the final dot is late (written down as in doubt) leaves its lane at
    once. Before, it kept its lane until smtp.timeout and counted against MAX_SPARE_LANES: six late replies
    in a row took all 2 + 4 lanes and nothing else went out until one came."""
    held = MAX_SPARE_LANES + 2
    add_due_reminders(ctx, rotation_id, held + 10, due=ctx.clock.now())
    with SmtpServer() as server:
        server.handler.hold_first = held  # whichever arrive first: the threads choose the order
        sent: list[int] = []
        # smtp.timeout 30 s: none is detached for its time while the others are being sent
        run = threading.Thread(target=lambda: sent.append(_once(ctx, server, stall=30.0, data_timeout=60.0)))
        run.start()
        try:
            # every other message reaches the server while the first six still wait for their replies
            assert server.handler.wait_for(held + 10, timeout=30), f"{len(server.received)} received"
            held_peers = {r.peer for r in server.received[:held]}
            assert len(held_peers) == held, "each late reply waits on a connection of its own"
            assert not held_peers & {r.peer for r in server.received[held:]}, "no other message queued behind one"
        finally:
            server.handler.release.set()
            run.join(60)
    assert sent == [held + 10]
    assert len({r.message_id for r in server.received}) == len(server.received) == held + 10, "each exactly once"
    rows = _rows(ctx)
    assert {r.status for r in rows.values()} == {"sent"} and {r.attempts for r in rows.values()} == {1}


def test_messages_waiting_for_late_replies_count_against_the_connection_limit(
        ctx: Context, rotation_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server slow to answer every message is not flooded: detached lanes count against MAX_CONNECTIONS
    (before, no limit held them: a new connection every time one was detached)."""
    monkeypatch.setattr(worker_module, "MAX_CONNECTIONS", 4)
    add_due_reminders(ctx, rotation_id, 10, due=ctx.clock.now())
    with SmtpServer() as server:
        server.handler.hold_first = 10  # no reply comes until the test says so
        sent: list[int] = []
        run = threading.Thread(target=lambda: sent.append(_once(ctx, server, stall=30.0, data_timeout=60.0)))
        run.start()
        try:
            assert server.handler.wait_for(4, timeout=30)
            # a fifth message would need a fifth connection (2 s for it to show up if it came)
            assert not server.handler.wait_for(5, timeout=2), f"{len(server.received)} received"
        finally:
            server.handler.release.set()
            run.join(60)
    assert sent == [10]
    assert len({r.message_id for r in server.received}) == len(server.received) == 10, "each exactly once"
    assert len({r.peer for r in server.received}) == 4, "the late replies' connections served the rest"


def test_a_late_reply_is_written_down_before_the_next_message_goes_out_so_a_crash_leaves_it_in_doubt(
        ctx: Context, clock: FixedClock, rotation_id: int) -> None:
    """Only one message at a time may be past its final dot and unrecorded (a SIGKILL duplicates at most
    that one). A late reply gives up that place only after its row says "in doubt"; a daemon that dies
    then leaves a message of unknown fate (sent once more, then held), not a silent duplicate."""
    add_due_reminders(ctx, rotation_id, 5, due=clock.now())
    with SmtpServer() as server:
        # whichever message reaches the server first is the slow one: which lane gets there first is the
        # threads' choice (a fixed Message-ID flaked when another message went first and nothing came after it)
        server.handler.first_delay = 3.0
        worker = _worker(ctx, server, stall=10.0)  # detached once in doubt, not for its time
        worker.start(clock.now())
        # The daemon "dies" below; here it lives on, so it must claim nothing more after that. Without this a
        # starved worker thread sometimes made its next claim after the recovery, took the recovered row back
        # and sent it ("sent" instead of "pending": a flake on a loaded CI machine, never a dead daemon's deed).
        dead = threading.Event()
        run = threading.Thread(target=worker.run_due, args=(clock.now(), dead.is_set))
        run.start()
        try:
            assert server.handler.wait_for(1, timeout=20)
            slow = server.received[0].message_id
            deadline = time.monotonic() + 20
            while len([r for r in server.received if r.message_id != slow]) < 4 and time.monotonic() < deadline:
                time.sleep(0.02)
            row = _rows(ctx)[slow]
            assert (row.status, row.last_error[:len(outbox.IN_DOUBT)]) == ("sending", outbox.IN_DOUBT)
            assert worker.handed_over == 1
            dead.set()
            time.sleep(0.2)  # a claim already under way when it died ends first (it finds the row still claimed)
            # the daemon "dies" here: its lease runs out and another daemon recovers the claim
            assert outbox.recover_claims(ctx, clock.now() + worker.lease + timedelta(seconds=1)) == 1
        finally:
            run.join(30)
            worker.wait_for_detached(30)  # the slow one's reply comes after the recovery: its claim is gone
            worker.stop(clock.now())
    row = _rows(ctx)[slow]
    assert (row.status, row.unknown_outcomes) == ("pending", 1)
    assert row.last_error == outbox.RECOVERED_IN_DOUBT
    assert {r.status for m, r in _rows(ctx).items() if m != slow} == {"sent"}


def test_a_recovered_in_doubt_message_that_was_already_of_unknown_fate_is_held(
        ctx: Context, clock: FixedClock, rotation_id: int) -> None:
    (rid,) = add_due_reminders(ctx, rotation_id, 1, due=clock.now())
    assert outbox.claim_due(ctx, "gone", clock.now()) == [rid]
    with ctx.db.transaction() as session:
        row = session.get(Reminder, rid)
        row.unknown_outcomes = 1  # type: ignore[union-attr]
    assert outbox.mark_in_doubt(ctx, rid, "gone", clock.now())
    assert outbox.recover_claims(ctx, clock.now() + timedelta(days=1)) == 1
    row = _rows(ctx)["<bulk.0@imgcoach.test>"]
    assert row.status == "unconfirmed" and f"reminders retry {rid}" in row.last_error


def test_no_reply_to_the_final_dot_is_sent_once_more_then_held_unconfirmed(
        ctx: Context, clock: FixedClock, rotation_id: int) -> None:
    add_due_reminders(ctx, rotation_id, 4, due=clock.now())
    silent = "<bulk.1@imgcoach.test>"
    with SmtpServer() as server:
        server.handler.data_delays[silent] = 30.0  # never answers within data_timeout (1 s)
        assert _once(ctx, server, data_timeout=1.0) == 3
        row = _rows(ctx)[silent]
        assert (row.status, row.unknown_outcomes) == ("pending", 1)
        assert "may have arrived" in row.last_error and row.next_attempt_at > clock.now()  # type: ignore[operator]
        clock.advance(timedelta(minutes=5))
        assert _once(ctx, server, data_timeout=1.0) == 0
        row = _rows(ctx)[silent]
        assert row.status == "unconfirmed" and f"reminders retry {row.id}" in row.last_error
        clock.advance(timedelta(hours=2))
        assert _once(ctx, server, data_timeout=1.0) == 0  # held: never sent a third time on its own
        assert [r.message_id for r in server.received].count(silent) == 2
        assert outbox.daemon_status(ctx, clock.now()).counts["unconfirmed"] == 1
        # The user decides: retry sends it again (the server now answers)
        outbox.retry_reminder(ctx, row.id)  # type: ignore[arg-type]
        del server.handler.data_delays[silent]
        assert _once(ctx, server) == 1
    assert _rows(ctx)[silent].status == "sent"


def test_unconfirmed_can_be_cancelled(ctx: Context, clock: FixedClock, rotation_id: int) -> None:
    (rid,) = add_due_reminders(ctx, rotation_id, 1, due=clock.now())
    with SmtpServer() as server:
        server.handler.data_delays["<bulk.0@imgcoach.test>"] = 30.0
        _once(ctx, server, data_timeout=0.5)
        clock.advance(timedelta(minutes=5))
        _once(ctx, server, data_timeout=0.5)
    assert _rows(ctx)["<bulk.0@imgcoach.test>"].status == "unconfirmed"
    assert cancel_reminder(ctx, rid).status == "cancelled"


@pytest.mark.parametrize(("where", "reply"), [
    ("mail", "550 5.7.1 Sender address rejected: not owned by user"),
    ("mail", "530 5.7.0 Authentication required"),
    ("data", "554 5.7.1 Message rejected by policy"),
])
def test_a_settings_level_5xx_pauses_delivery_and_keeps_every_reminder_pending(
        ctx: Context, clock: FixedClock, rotation_id: int, where: str, reply: str) -> None:
    add_due_reminders(ctx, rotation_id, 40, due=clock.now())
    with SmtpServer() as server:
        getattr(server.handler, f"{where}_replies").extend([reply] * 4)
        worker = _worker(ctx, server)
        daemon = ReminderDaemon(worker, ctx.clock, tasks=[])
        worker.start(clock.now())
        try:
            assert daemon.wake() is not None and daemon.sent == 0
            rows = _rows(ctx)
            assert {r.status for r in rows.values()} == {"pending"}, "nothing failed"
            assert sum(r.attempts for r in rows.values()) == 0, "no reminder pays an attempt for the settings"
            state = outbox.daemon_status(ctx, clock.now())
            assert reply.split()[0] in state.last_error and "mail test" in state.last_error
            assert state.paused_until is not None and state.paused_until > clock.now()
            daemon.wake()  # still paused: the server is not asked again at once
            server.handler.mail_replies.clear()
            server.handler.data_replies.clear()
            clock.advance(timedelta(minutes=2))
            daemon.wake()
            assert {r.status for r in _rows(ctx).values()} == {"sent"}
            assert outbox.daemon_status(ctx, clock.now()).paused_until is None
        finally:
            worker.stop(clock.now())


def test_only_a_recipient_5xx_fails_a_reminder_and_retry_all_failed_requeues(
        ctx: Context, clock: FixedClock, rotation_id: int) -> None:
    add_due_reminders(ctx, rotation_id, 3, due=clock.now())
    with SmtpServer() as server:
        server.handler.rcpt_replies.extend(["550 5.1.1 <applicant@example.com>: no such user"] * 2)
        assert _once(ctx, server) == 1
        failed = [r.id for r in _rows(ctx).values() if r.status == "failed"]
        assert len(failed) == 2
        done = outbox.retry_all_failed(ctx)
        assert sorted(done.requeued) == sorted(failed) and done.expired == [] and done.cancelled == {}
        assert _once(ctx, server) == 2
    assert {r.status for r in _rows(ctx).values()} == {"sent"}
    with pytest.raises(UserError):
        outbox.retry_reminder(ctx, failed[0])  # type: ignore[arg-type]


def test_cli_retry_all_failed_and_status_json(ctx: Context, clock: FixedClock, rotation_id: int,
                                              capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    from tests.cli_helpers import run_cli

    add_due_reminders(ctx, rotation_id, 2, due=clock.now())
    with SmtpServer() as server:
        server.handler.rcpt_replies.extend(["550 5.1.1 no such user"] * 2)
        _once(ctx, server)
    db = ctx.db.url
    status = run_cli(capsys, "daemon", "status", "--db", db, "--json").json()
    assert status["failed"] == 2 and status["pending"] == 0 and "unconfirmed" in status and "overdue" in status
    assert status["last_heartbeat_at"] is not None and status["running"] is False
    assert run_cli(capsys, "reminders", "retry", "--db", db).code == 2
    done = run_cli(capsys, "reminders", "retry", "--all-failed", "--db", db)
    assert done.code == 0 and "2 failed reminders pending again" in done.out
    assert run_cli(capsys, "daemon", "status", "--db", db, "--json").json()["failed"] == 0
