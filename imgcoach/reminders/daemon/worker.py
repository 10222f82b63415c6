"""The daemon's Worker over the database outbox: claim, render, build, send, record.

Due reminders go into a queue served by a few *lanes* (each with its own SMTP connection; a lane that runs
out of work leaves its connection open for the next batch's lanes, so a run opens ``lanes`` connections,
not ``lanes`` per batch). Each
message's result is committed right after its send. The lanes overlap everything but the last step: a
lane takes the *gate* before the final dot and keeps it until the result is committed, so at most one
message at a time is in the window where the server may have it and the database does not say so; a
crash (SIGKILL, power cut) therefore sends at most one message twice. A message whose reply is late
gives up the gate only after its doubt is written down (``outbox.mark_in_doubt``): a later restart
treats it as a message whose fate is unknown (sent at most once more). One message never holds back the others: a lane whose message
has waited longer than ``smtp.timeout`` for the server, or whose reply to the final dot is late (once written
down as in doubt), is *detached* (it keeps waiting for that one reply on its own connection, up to the RFC 5321
timeouts, and records what happens; the connection then serves the run's next lane) and a new lane takes over
the rest of the queue at once, up to ``MAX_CONNECTIONS`` open at once. Each reminder keeps its own attempt
count and backoff.

A poll after one that left nothing to do is a single read while the outbox is unchanged and nothing in it has
reached its moment (reminders.outbox_watch): an idle daemon costs next to no CPU.

A settings problem (sender, login or policy refused) pauses delivery with every reminder kept pending;
an unreachable server waits with backoff. Database errors while recording are kept in memory and
written when the database works again, so a sent message is neither resent nor left claimed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import Message
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from imgcoach.core.context import Context
from imgcoach.core.ical_versions import stamp_sequence
from imgcoach.core.words import counted
from imgcoach.reminders import outbox
from imgcoach.reminders.compose import compose, user_renderer
from imgcoach.reminders.daemon.backoff import RepeatedErrors, retry_delay, suggests_corruption
from imgcoach.reminders.digest import refresh_due_digests
from imgcoach.reminders.kinds import missed_words, sent_kind, sent_words, superseded_words
from imgcoach.reminders.mail.context import ReminderMail
from imgcoach.reminders.mail.errors import DeliveryError, InvalidAddressError, MailError, TemplateError
from imgcoach.reminders.mail.headers import check_address
from imgcoach.reminders.mail.ics import build_calendar
from imgcoach.reminders.mail.message import Mailbox, build_message
from imgcoach.reminders.mail.render import MailRenderer
from imgcoach.reminders.mail.settings import MailSettings
from imgcoach.reminders.mail.transport import Envelope, Transport, open_transport
from imgcoach.reminders.outbox_watch import OutboxWatch
from imgcoach.reminders.outgoing import Outgoing, load_outgoing
from imgcoach.reminders.packet import WHERE_DAEMON_RUNS

log = logging.getLogger(__name__)
# Marks a log line `daemon --once` says in its own summary (what was left, failed or unconfirmed, and the last
# problem, in the applicant's words), so that it is not said again on stderr (cli.daemon_cmds drops it there).
SUMMARISED = {"summarised": True}
PAUSE_FIRST = timedelta(minutes=1)  # a settings problem or an unreachable server: first re-try after this
PAUSE_MAX = timedelta(hours=1)
MAX_SPARE_LANES = 4  # extra connections while messages are slow, on top of ``lanes``
# Connections open at once, including those of detached messages waiting for a late reply: Postfix's
# default_destination_concurrency_limit, so a server slow to answer every message is not flooded.
MAX_CONNECTIONS = 20


class _GaveUp(Exception):
    """Raised at the gate when delivery stopped meanwhile: the message is given back unsent."""


class _Lane(threading.Thread):
    """Sends queued reminders one by one over its own connection until the queue is empty or it is detached."""

    def __init__(self, worker: OutboxWorker, number: int) -> None:
        super().__init__(daemon=True, name=f"imgcoach-lane-{number}")
        self.worker = worker
        self.transport = worker._take_transport()
        self.current: int | None = None
        self.busy_since: float | None = None
        self.at_gate = False  # waiting for another message's record: slow because of us, not the server
        self.gate_wait = 0.0  # seconds the current message waited at the gate
        self.detached = False

    def run(self) -> None:
        done = False  # the lane ended as planned (queue empty, or its detached message seen through)
        try:
            self.transport.__enter__()
            while not self.detached and not self.worker._halt.is_set():
                rid = self.worker._next_job()
                if rid is None:
                    break
                self.current, self.busy_since, self.gate_wait = rid, time.monotonic(), 0.0
                try:
                    self.worker._deliver(self, rid)
                finally:
                    self.worker._observe(time.monotonic() - self.busy_since - self.gate_wait)
                    self.current = self.busy_since = None
            done = True
        except Exception:  # a bug in a lane must not lose the reminders: they are re-queued by the lease
            log.exception("delivery lane failed")
        finally:
            # A detached lane's connection is as fit as any other once its reply came: the run's next lane
            # takes it instead of opening one (closed instead when the run is over, see _give_back).
            if done and not self.worker._halt.is_set():
                self.worker._give_back(self.transport)
            else:
                self.worker._close(self.transport)


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
        lanes: int | None = None,
        heartbeat_seconds: float | None = None,
    ) -> None:
        self.ctx = ctx
        self.mail_settings = mail_settings
        self.renderer = renderer or user_renderer()  # the user's template overrides, as the preview uses
        self.owner = owner or outbox.new_owner()
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        smtp = mail_settings.smtp
        self.stall_after = smtp.timeout if smtp else 30.0
        self.via = outbox.EMAIL if smtp else outbox.LOCAL_MAILBOX
        self.delivers_to = (f"e-mail via {smtp.host}:{smtp.port}" if smtp
                            else f"local mailbox {mail_settings.maildir} (no SMTP host set)")
        self.lanes = lanes or (2 if smtp else 1)
        # The lease must outlive a detached message waiting out every RFC 5321 timeout, and a whole batch.
        rfc_total = (smtp.timeout + 2 * smtp.command_timeout + smtp.data_start_timeout + smtp.data_block_timeout
                     + smtp.data_timeout + 60) if smtp else 60.0
        self.lease = max(outbox.DEFAULT_LEASE, timedelta(seconds=rfc_total),
                         timedelta(seconds=2 * batch_size * self.stall_after))
        self._transport_factory = transport_factory or (lambda: open_transport(mail_settings))
        self.registered = False
        self.heartbeat_seconds = heartbeat_seconds or min(poll_seconds, 5.0)
        # state of the current run
        self._jobs: deque[int] = deque()
        self._items: dict[int, Outgoing] = {}
        self._lanes: list[_Lane] = []
        self._spare: list[Transport] = []  # open connections of lanes that ran out of work, for the next batch
        self._running = False  # within run_due: a lane's connection may wait in _spare for the next lane
        self._lane_count = 0
        self._halt = threading.Event()
        self._held = ""  # why delivery halted, when a pause did: written on the rows given back (outbox.release)
        self._lock = threading.Lock()
        self._sent = self._failed = 0
        self.total_sent = 0  # over the worker's life, including messages confirmed after their run ended
        # The same, by what each message was (kinds.sent_kind): `daemon --once` says what went, in words.
        self.total_sent_kinds: Counter[str] = Counter()
        self._sent_kinds: Counter[str] = Counter()  # this run's
        self.total_superseded = 0  # letter-window openings not sent because their last call was due too
        self.total_missed = 0  # reminders found past their expiry and marked missed (`daemon --once` says so)
        self.total_missed_kinds: Counter[str] = Counter()  # the same by what they were (outbox.expire_missed)
        self._paused_until: datetime | None = None
        self._pause_streak = 0
        self._unrecorded: deque[tuple[str, Callable[..., Any], tuple[Any, ...]]] = deque()
        self.db_errors = RepeatedErrors(log, "recording a delivery in the database")
        self._typical_send = 0.1  # seconds, a moving average of how long one message takes
        self._beat_stop = threading.Event()
        self._beat_thread: threading.Thread | None = None
        # The gate: the lane whose message is past the final dot and not yet recorded (see the module doc).
        self._gate = threading.Condition()
        self._gate_holder: _Lane | None = None
        self._gate_since = 0.0
        self._typical_hold = 0.01  # seconds from the final dot to the committed record, a moving average
        self.handed_over = 0  # messages that gave up the gate while waiting for their reply
        # The idle poll (issue 17): the marker and end of quiet of the last full poll that left nothing to do, the
        # next due time it found with this thread's commit count then, and how many polls had nothing to do.
        self._watch = OutboxWatch(ctx)
        self._settled: tuple[tuple[Any, ...], datetime] | None = None
        self._ahead: tuple[datetime | None, int] | None = None
        self.quiet_polls = 0

    # --- Worker protocol ------------------------------------------------------------------------
    def start(self, now: datetime) -> None:
        outbox.register_daemon(self.ctx, self.owner, now, self.poll_seconds, self.delivers_to)
        self.registered = True
        recovered = outbox.recover_claims(self.ctx, now)
        if recovered:
            log.info("recovered %s left claimed by a stopped daemon", counted(recovered, "reminder"))
        self._beat_stop.clear()
        self._beat_thread = threading.Thread(target=self._beat_loop, name="imgcoach-heartbeat", daemon=True)
        self._beat_thread.start()

    def stop(self, now: datetime) -> None:
        self._beat_stop.set()
        self._halt.set()
        self._close_spare()
        try:
            self._flush_unrecorded()
        except Exception as exc:
            log.error("could not record %s at shutdown (%s): %s", counted(len(self._unrecorded), "delivery result"),
                      RepeatedErrors.key(exc), ", ".join(f"{what}" for what, _, _ in self._unrecorded))
        if self.registered:
            try:
                outbox.unregister_daemon(self.ctx, self.owner, now)
            except Exception as exc:
                log.error("could not record the daemon's stop: %s", RepeatedErrors.key(exc))

    def next_due(self, now: datetime) -> datetime | None:
        ahead = self._ahead
        # The last full poll's answer while this thread wrote nothing since (a maintenance task run between
        # run_due and here, by run_once or a test, may add a reminder due sooner); other writers are the next
        # poll's, as they were when this read the table each time.
        if ahead is not None and ahead[1] == self.ctx.db.commits_in_this_thread():
            due = ahead[0]
        else:
            due = outbox.next_due_at(self.ctx, now)
        if self._paused_until is not None and due is not None:
            return max(due, self._paused_until)
        return due

    def _beat_loop(self) -> None:
        """The heartbeat lives in its own thread, so a long send never makes the daemon look stopped."""
        errors = RepeatedErrors(log, "writing the heartbeat")
        while not self._beat_stop.wait(self.heartbeat_seconds):
            try:
                outbox.heartbeat(self.ctx, self.owner, self.ctx.clock.now())
                errors.success()
            except Exception as exc:
                errors.report(exc)

    def abort(self) -> None:
        """Shutdown deadline reached: break every connection (in flight or detached) now."""
        self._halt.set()
        for lane in list(self._lanes):
            try:
                lane.transport.abort()
            except Exception:
                log.debug("abort failed", exc_info=True)

    def wait_for_detached(self, timeout: float | None) -> bool:
        """Wait for lanes still waiting for a slow server's reply; True when none is left."""
        end = None if timeout is None else time.monotonic() + timeout
        for lane in list(self._lanes):
            lane.join(None if end is None else max(0.0, end - time.monotonic()))
        self._lanes = [lane for lane in self._lanes if lane.is_alive()]
        return not self._lanes

    def check_integrity(self) -> list[str]:
        """PRAGMA quick_check, when an error suggests a corrupt file; the problems found ("ok" is none)."""
        from imgcoach.storage.db import quick_check

        try:
            problems = quick_check(self.ctx.db)
        except Exception as exc:
            problems = [f"quick_check could not run: {RepeatedErrors.key(exc)}"]
        if problems:
            log.error("the database %s is damaged: %s; run `imgcoach db check` and restore a backup "
                      "(`imgcoach db restore PATH`)", self.ctx.db.display_name, "; ".join(problems[:5]))
        return problems

    def run_due(self, now: datetime, should_stop: Callable[[], bool]) -> int:
        self._flush_unrecorded()  # raises while the database still fails: the daemon backs off
        # Read before anything else: a write after it, by anyone, changes the next poll's marker.
        marker = self._watch.marker()
        if self._nothing_to_do(marker):
            self.quiet_polls += 1
            if self.registered and not (self._beat_thread is not None and self._beat_thread.is_alive()):
                outbox.heartbeat(self.ctx, self.owner, self.ctx.clock.now())  # else the heartbeat thread's
                if self._ahead is not None:  # that commit wrote no reminder: next_due's answer stands
                    self._ahead = (self._ahead[0], self.ctx.db.commits_in_this_thread())
            return 0
        self._settled = self._ahead = None
        outbox.recover_claims(self.ctx, now)
        kinds: Counter[str] = Counter()
        missed = outbox.expire_missed(self.ctx, now, kinds)
        self.total_missed += missed
        self.total_missed_kinds += kinds
        if missed:
            log.warning("%s; marked missed", missed_words(kinds))
        superseded = outbox.supersede_letter_openings(self.ctx, now)
        self.total_superseded += superseded
        if superseded:
            log.info("%s", superseded_words(superseded))
        if self._paused_until is not None and now < self._paused_until:
            return 0
        refresh_due_digests(self.ctx, now)  # a due digest lists the week as it is now, not as the hourly pass saw it
        self._halt.clear()
        self._held = ""
        self._sent = self._failed = 0
        self._sent_kinds.clear()
        self._running = True
        ran = False
        claimed_all = False  # the claims went on until none was left (not stopped, halted or failed)
        started = time.monotonic()
        try:
            while not should_stop() and not self._halt.is_set():
                ids = outbox.claim_due(self.ctx, self.owner, self.ctx.clock.now(), limit=self.batch_size,
                                       lease=self.lease)
                if not ids:
                    claimed_all = True
                    break
                ran = True
                try:
                    self._items.update(load_outgoing(self.ctx, ids, where=WHERE_DAEMON_RUNS))
                except Exception as exc:
                    log.exception("loading reminders %s failed", ids)
                    for rid in ids:
                        self._record(f"retry {rid}", outbox.mark_retry, self.ctx, rid, self.owner,
                                     self.ctx.clock.now(), f"internal error: {exc}")
                    break
                self._jobs.extend(ids)
                self._drive(should_stop)
            self._drive(should_stop, finish=True)
        finally:
            self._release_queue()
            with self._lock:
                self._running = False
            self._close_spare()
            if ran:
                log.info("sent %s, failed %d in %.2f s", sent_words(self._sent_kinds), self._failed,
                         time.monotonic() - started)
            if self.registered:
                outbox.heartbeat(self.ctx, self.owner, self.ctx.clock.now(), ran=ran, sent=self._sent,
                                 failed=self._failed)
        if claimed_all and not self._halt.is_set():
            self._look_ahead(marker)
        return self._sent

    def _nothing_to_do(self, marker: tuple[Any, ...] | None) -> bool:
        """True when the last full poll left nothing to do, no write has reached the reminder table since it
        began, and the clock has not reached a moment that changes what it found (reminders.outbox_watch)."""
        settled = self._settled
        return (settled is not None and marker is not None and marker == settled[0] and not self._unrecorded
                and self.ctx.clock.now() < settled[1])

    def _look_ahead(self, marker: tuple[Any, ...] | None) -> None:
        """After a full poll: the next due time (next_due answers with it), and until when polls may be quiet."""
        try:
            horizon = self._watch.horizon(self.ctx.clock.now())
        except SQLAlchemyError:
            return  # what was sent stays counted; the next poll looks in full and reports a lasting failure
        self._ahead = (horizon.next_due, self.ctx.db.commits_in_this_thread())
        if marker is not None and horizon.quiet_until is not None:
            self._settled = (marker, horizon.quiet_until)

    # --- lanes ----------------------------------------------------------------------------------
    def _take_transport(self) -> Transport:
        """A connection left open by a lane of this run (no new TCP and EHLO per batch), else a new one."""
        with self._lock:
            if self._spare:
                return self._spare.pop()
        return self._transport_factory()

    def _give_back(self, transport: Transport) -> None:
        with self._lock:
            if self._running:
                self._spare.append(transport)
                return
        self._close(transport)  # a detached message answered after its run: no connection held between polls

    def _close_spare(self) -> None:
        """The run is over: a connection is not held open between polls (servers drop idle ones anyway)."""
        with self._lock:
            spare, self._spare = self._spare, []
        for transport in spare:
            self._close(transport)

    @staticmethod
    def _close(transport: Transport) -> None:
        try:
            transport.__exit__(None, None, None)
        except Exception:  # closing a broken connection must not hide the real result
            log.debug("closing the transport failed", exc_info=True)

    def _next_job(self) -> int | None:
        try:
            return self._jobs.popleft()
        except IndexError:
            return None

    def _observe(self, seconds: float) -> None:
        """Learn how long a message usually takes (slow ones count little, so a stall does not become normal)."""
        self._typical_send += 0.1 * (min(seconds, 4 * self._typical_send) - self._typical_send)

    def _release_queue(self) -> None:
        left = []
        while (rid := self._next_job()) is not None:
            left.append(rid)
        if left:
            self._record(f"release {left}", outbox.release, self.ctx, left, self.owner, self.ctx.clock.now(),
                         self._held)

    def _drive(self, should_stop: Callable[[], bool], *, finish: bool = False) -> None:
        """Serve the queue with up to ``lanes`` active lanes; detach a lane stuck on one message.

        Returns once the queue is down to a few messages (the lanes go on with them while the caller claims
        and loads the next batch, so they do not run dry and stop between batches), or with ``finish`` once
        the queue is empty and every lane is done or detached.
        """
        low = 0 if finish else max(2 * self.lanes, self.batch_size // 2)
        while True:
            if should_stop():
                self._halt.set()
            if self._halt.is_set():
                self._release_queue()
            self._lanes = [lane for lane in self._lanes if lane.is_alive()]
            active = [lane for lane in self._lanes if not lane.detached]
            if len(self._jobs) <= low and (not finish or not active) and (not self._jobs or active):
                return
            mono = time.monotonic()
            for lane in active:
                since = lane.busy_since
                if since is not None and mono - since > self.stall_after:
                    lane.detached = True
                    log.warning("reminder %s: %s has not answered for %.0f s; it keeps waiting on its own "
                                "connection, the others go on over a new one", lane.current,
                                lane.transport.description, mono - since)
            self._hand_over_if_slow(mono)  # (before the count below: its replacement starts in this round)
            active = [lane for lane in active if not lane.detached]
            # A message taking far longer than usual gets company: a spare lane carries on with the queue
            # at once, long before the slow one is detached (which waits for ``smtp.timeout``).
            slow_after = self._slow_after()
            slow = sum(1 for lane in active if lane.busy_since is not None and not lane.at_gate
                       and mono - lane.busy_since - lane.gate_wait > slow_after)
            wanted = min(self.lanes + slow, self.lanes + MAX_SPARE_LANES)
            while (len(active) < wanted and len(self._lanes) < MAX_CONNECTIONS and self._jobs
                   and not self._halt.is_set()):
                self._lane_count += 1
                lane = _Lane(self, self._lane_count)
                self._lanes.append(lane)
                active.append(lane)
                lane.start()
            time.sleep(0.005)

    def _slow_after(self) -> float:
        return min(self.stall_after, max(0.05, 10 * self._typical_send))

    def _enter_gate(self, lane: _Lane, wait: bool = True) -> bool:
        """Wait until no other message is between its final dot and its record; give up if delivery stopped.

        With ``wait`` False, take the place only if it is free now (then the transport sends the message and
        its final dot in one write); False if it is not.
        """
        if not wait:
            with self._gate:
                if self._halt.is_set():
                    raise _GaveUp
                if self._gate_holder is not None:
                    return False
                self._gate_holder, self._gate_since = lane, time.monotonic()
                return True
        waited_from = time.monotonic()
        lane.at_gate = True
        try:
            with self._gate:
                while self._gate_holder is not None and not self._halt.is_set():
                    self._gate.wait(0.05)
                if self._halt.is_set():
                    raise _GaveUp
                self._gate_holder, self._gate_since = lane, time.monotonic()
        finally:
            lane.at_gate = False
            lane.gate_wait += time.monotonic() - waited_from
        return True

    def _leave_gate(self, lane: _Lane) -> None:
        with self._gate:
            if self._gate_holder is lane:
                held = time.monotonic() - self._gate_since
                self._typical_hold += 0.1 * (min(held, 4 * self._typical_hold) - self._typical_hold)
                self._gate_holder = None
                self._gate.notify_all()

    def _hand_over_if_slow(self, mono: float) -> None:
        """A reply to the final dot that is far later than usual: write the doubt down, then let the next go."""
        if self.via != outbox.EMAIL:
            return  # a local mailbox has no reply to wait for: a slow write (a loaded disk) is not in doubt
        holder = self._gate_holder
        rid = holder.current if holder is not None else None
        # The dot's reply and the commit take a millisecond or two: ten times the usual is a late reply.
        late_after = min(self.stall_after, max(0.02, 10 * self._typical_hold))
        if holder is None or rid is None or mono - self._gate_since <= late_after:
            return
        if self._record(f"in doubt {rid}", outbox.mark_in_doubt, self.ctx, rid, self.owner,
                        self.ctx.clock.now()) is None:
            return  # not written (database error, delivery halted): keep the gate
        with self._gate:
            if self._gate_holder is holder:
                self._gate_holder = None
                self._gate.notify_all()
                self.handed_over += 1
                # Nothing is left of its message but the reply: it waits for it on its own and a new lane
                # takes its place now. Kept in place until smtp.timeout, late replies in a row used up
                # MAX_SPARE_LANES and left one lane or none sending (issue 17).
                holder.detached = True
                log.info("reminder %s: no reply %.1f s after the final dot; it waits for it on its own connection "
                         "and the next messages go on (if this daemon is killed now, this one may be sent twice)",
                         rid, mono - self._gate_since)

    # --- one message ----------------------------------------------------------------------------
    def _build_item(self, rid: int, item: Outgoing | None) -> tuple[Message, Envelope]:
        if item is None:
            raise TemplateError(f"reminder {rid} vanished")
        msg = self.build(item, self.ctx.clock.now())
        # build() validated both addresses (cached), so these cannot raise here
        return msg, Envelope(check_address(self.sender_for(item).email, field="sender"),
                             (check_address(item.to.email, field="recipient"),))

    def _deliver(self, lane: _Lane, rid: int) -> None:
        """Send one claimed reminder and record its result (or keep the result for later if the database fails)."""
        try:
            self._send_and_record(lane, rid)
        finally:
            self._leave_gate(lane)

    def _send_and_record(self, lane: _Lane, rid: int) -> None:
        transport = lane.transport
        gave_up = False

        def before_final(wait: bool) -> bool:
            nonlocal gave_up
            try:
                return self._enter_gate(lane, wait)
            except _GaveUp:
                gave_up = True
                raise

        item = self._items.pop(rid, None)
        try:
            transport.send(*self._build_item(rid, item), before_final=before_final)
        except Exception as exc:
            if gave_up:  # delivery stopped while this message waited at the gate: nothing final went out
                self._record(f"release {rid}", outbox.release, self.ctx, [rid], self.owner, self.ctx.clock.now(),
                             self._held)
            else:
                self._record_failure(transport, rid, exc)
            return
        assert item is not None  # _build_item raised for a missing one
        self._record_sent(rid, sent_kind(item.mail.kind, item.is_draft))

    def _record_failure(self, transport: Transport, rid: int, exc: Exception) -> None:
        """Record a failed send as the kind of failure it was."""
        now = self.ctx.clock.now()
        if isinstance(exc, DeliveryError):
            if exc.settings_problem:
                self._record(f"release {rid}", outbox.release, self.ctx, [rid], self.owner, now,
                             f"delivery paused: {exc.reply}")
                self._pause(now, exc.reply)
            elif exc.unknown:
                status = self._record(f"unknown {rid}", outbox.mark_unknown, self.ctx, rid, self.owner, now,
                                      exc.reply)
                log.warning("reminder %s: no reply after the message was sent (now %s): %s", rid, status,
                            exc.reply, extra=SUMMARISED)
            elif not exc.temporary:
                self._record(f"failed {rid}", outbox.mark_failed, self.ctx, rid, self.owner, now, exc.reply)
                with self._lock:
                    self._failed += 1
                log.warning("reminder %s failed: %s", rid, exc.reply, extra=SUMMARISED)
            else:
                when = self._record(f"retry {rid}", outbox.mark_retry, self.ctx, rid, self.owner, now, exc.reply)
                log.warning("reminder %s will be retried at %s: %s", rid, when, exc.reply, extra=SUMMARISED)
                if getattr(transport, "stage", "") == "connect":  # the server itself is unreachable
                    self._pause(now, exc.reply)
        elif isinstance(exc, InvalidAddressError | TemplateError | MailError):
            self._record(f"failed {rid}", outbox.mark_failed, self.ctx, rid, self.owner, now, str(exc))
            log.warning("reminder %s failed: %s", rid, exc)
            with self._lock:
                self._failed += 1
        else:  # a bug must cost one reminder a retry, never the daemon
            log.error("reminder %s: unexpected error", rid, exc_info=exc)
            self._record(f"retry {rid}", outbox.mark_retry, self.ctx, rid, self.owner, now,
                         f"internal error: {type(exc).__name__}: {exc}")

    def _record_sent(self, rid: int, kind: str = "reminder") -> None:
        recorded = self._record(f"sent {rid}", outbox.mark_sent, self.ctx, rid, self.owner, self.ctx.clock.now(),
                                self.via)
        with self._lock:
            self._sent += 1
            self.total_sent += 1
            self._sent_kinds[kind] += 1
            self.total_sent_kinds[kind] += 1
            if self._pause_streak:
                self._pause_streak = 0
                self._paused_until = None
                self._record("clear pause", outbox.clear_pause, self.ctx, self.owner)
        if recorded is False:
            log.warning("reminder %s was sent but its claim had expired; another daemon may resend it", rid)

    def _pause(self, now: datetime, reason: str) -> None:
        """Stop this run, keep everything pending, and try again after a doubling pause."""
        with self._lock:
            if self._halt.is_set() and self._paused_until is not None and self._paused_until > now:
                return  # another lane hit the same problem in this run: one pause, not two
            self._halt.set()
            self._held = f"delivery paused: {reason}"
            self._pause_streak += 1
            until = now + min(PAUSE_MAX, retry_delay(self._pause_streak, first=PAUSE_FIRST, cap=PAUSE_MAX))
            self._paused_until = until
        log.error("delivery paused until %s UTC, every reminder stays pending: %s", f"{until:%Y-%m-%d %H:%M:%S}",
                  reason, extra=SUMMARISED)
        self._record("problem", outbox.record_problem, self.ctx, self.owner, now,
                     f"delivery paused: {reason}", paused_until=until)

    def _record(self, what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Write one result; if the database fails, keep it to write later (never resend, never leave claimed)."""
        try:
            result = fn(*args, **kwargs)
        except SQLAlchemyError as exc:
            self._halt.set()  # results we cannot record: send nothing more until the database works again
            self._db_failed(exc)
            self._unrecorded.append((what, lambda: fn(*args, **kwargs), ()))
            return None
        self.db_errors.success()
        return result

    def _db_failed(self, exc: BaseException) -> None:
        if self.db_errors.report(exc) and suggests_corruption(exc):
            self.check_integrity()

    def _flush_unrecorded(self) -> None:
        while self._unrecorded:
            what, call, _ = self._unrecorded[0]
            try:
                call()
            except SQLAlchemyError as exc:
                self._db_failed(exc)
                raise
            self._unrecorded.popleft()
            log.info("recorded a result kept while the database failed: %s", what)

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
    event in the past helps nobody) and titled without the e-mail subject's "[late]" marker.

    It is the exported reminder's entry (same UID), as the e-mail states it now: its SEQUENCE is the export's
    rule (`stamp_sequence`) at the moment it is sent, so it is never below the version the plan's export or feed
    published (the claim count it carried, 1, was: a calendar holding the export kept the old time), and a
    second e-mail about the same reminder, later, is a newer version again."""
    late = mail.late and now > mail.due
    summary = subject.removeprefix(LATE_PREFIX) if mail.late else subject
    return build_calendar(
        uid=mail.calendar_uid, start=now if late else mail.due, tz=mail.tz, summary=summary,
        description=description, stamp=now, sequence=stamp_sequence(now),
        organizer=organizer,
    )
