"""The outbox as the daemon sees it: atomic claims with a lease, results, retries, approvals, heartbeats.

Every state change is one write transaction (BEGIN IMMEDIATE on SQLite; on PostgreSQL the daemon's are
``rows_only``: its statements are atomic by themselves, see storage/db.py) and claims lock their rows, so two
daemons on one database never claim the same row; a claim carries ``claimed_by`` and ``lease_until`` so a daemon
killed mid-batch leaves nothing stuck: its rows go back to pending when the lease runs out, or at once
when its process is known to be dead on this host.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, Protocol, cast

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CursorResult,
    Result,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlmodel import col

from imgcoach.core.clock import ensure_utc
from imgcoach.core.context import Context
from imgcoach.core.datewords import moment_words
from imgcoach.core.errors import UserError
from imgcoach.core.ids import saved_id
from imgcoach.core.uids import calendar_uid_for
from imgcoach.reminders.addressees import Addressees, addressees
from imgcoach.reminders.daemon.backoff import next_attempt_at
from imgcoach.reminders.daemon_view import DaemonStatus, owner_is_dead, status_of
from imgcoach.reminders.kinds import (
    APPROVE_AGAIN,
    FOLLOW_UP_KIND,
    SUPERVISOR_DRAFT,
    approval_again_words,
    reminder_label,
    sent_kind,
    status_words,
)
from imgcoach.reminders.rules import (
    LATE_AFTER,
    LETTER_KINDS,
    LETTER_LAST_CALL,
    LETTER_OPEN,
    MID_FEEDBACK,
    RETRIED_AT,
    ROTATION_KINDS,
    message_id_for,
)
from imgcoach.reminders.sync import (
    CANCELLABLE,
    PLANNED_LATE,
    SUPERSEDED,
    feedback_settled_of,
    follow_address_change,
    letter_settled_of,
    reminders_of,
    salt_for,
    status_counts,
    sync_rotation_reminders,
)
from imgcoach.storage.applicants import current_applicant, owned
from imgcoach.storage.models import Applicant, DaemonState, Reminder, Rotation

DEFAULT_LEASE = timedelta(minutes=10)
# SQLModel sets __table__ on table classes at run time but does not declare it for type checkers.
R = Reminder.__table__  # type: ignore[attr-defined]
D = DaemonState.__table__  # type: ignore[attr-defined]


# --- owners ---------------------------------------------------------------------------------------
def new_owner() -> str:
    """``host|pid|token``: unique per daemon run, and tells a later daemon whether that process is dead."""
    return f"{socket.gethostname()}|{os.getpid()}|{secrets.token_hex(4)}"


# --- housekeeping ---------------------------------------------------------------------------------
IN_DOUBT = "in doubt: "  # last_error of a claimed row whose final dot went out and whose reply is late
RECOVERED_IN_DOUBT = ("the daemon stopped while waiting for the server's reply to this message: it may have "
                      "arrived; will be sent once more, then held for you to decide")


def recover_claims(ctx: Context, now: datetime) -> int:
    """Put back rows whose lease ran out or whose (local) owner died; returns how many.

    A row marked in doubt (``mark_in_doubt``) counts as a message whose fate is unknown, as ``mark_unknown``
    does: sent once more, and held as ``unconfirmed`` if that happened before. A row whose contact's address changed
    while its daemon was sending it follows the change (``follow_address_change``), as after any try that did not
    deliver it: taken over as it was, it went to the old address.
    """
    with ctx.db.read() as session:
        owners = session.execute(select(R.c.claimed_by).where(R.c.status == "sending").distinct()).scalars().all()
    dead = [o for o in owners if o and owner_is_dead(o)]
    expired = and_(R.c.status == "sending", or_(col(Reminder.lease_until) < now, R.c.claimed_by.in_(dead)))
    in_doubt = col(Reminder.last_error).startswith(IN_DOUBT)
    with ctx.db.transaction(rows_only=True) as session:
        taken_back = session.execute(select(R.c.id).where(expired)).scalars().all()
        doubted = session.execute(select(R.c.id, R.c.unknown_outcomes).where(expired, in_doubt)).all()
        for rid, unknown in doubted:
            held = unknown >= 1
            session.execute(update(Reminder).where(R.c.id == rid, expired).values(
                status="unconfirmed" if held else "pending", unknown_outcomes=unknown + 1,
                last_error=(f"{RECOVERED_IN_DOUBT.split(';')[0]}; {UNCONFIRMED_HELP.format(id=rid)}" if held
                            else RECOVERED_IN_DOUBT),
                claimed_by="", lease_until=None, updated_at=now))
        result = session.execute(
            update(Reminder).where(expired).values(status="pending", claimed_by="", lease_until=None, updated_at=now)
        )
        follow_address_change(session, taken_back, now)
        return len(doubted) + _rowcount(result)


def mark_in_doubt(ctx: Context, reminder_id: int, owner: str, now: datetime) -> bool:
    """The final dot went out and the reply is late: say so in the row before another message goes out, so a
    crash now leaves a message known to be of unknown fate (see ``recover_claims``), not a silent duplicate."""
    with ctx.db.transaction(rows_only=True) as session:
        result = session.execute(
            update(Reminder).where(_mine(reminder_id, owner))
            .values(last_error=f"{IN_DOUBT}the server has the whole message; its reply was late at "
                               f"{now:%Y-%m-%d %H:%M:%S} UTC", updated_at=now))
        return bool(_rowcount(result))


EXPIRED_UNAPPROVED = "expired before you approved it: a message to someone else goes only once you approve it"


def expire_missed(ctx: Context, now: datetime, kinds: Counter[str] | None = None) -> int:
    """Pending reminders past their expiry become ``missed``: shown to the user, never sent. So do failed ones,
    their failure kept in the reason: a retry refuses them, and "1 failed" stayed on every status line (the
    Outbox's "needs attention" with it) for a message nothing could send any more.

    Like a claim, a row moves out of ``pending`` only under its applicant's lock, taken if free (PostgreSQL):
    a user action that has read it and is about to move it (a rotation's new dates) finishes first, and the
    row is looked at again on the next wake.

    `kinds`, when given, counts the rows by what they were (kinds.sent_kind, or "unapproved" for a message to
    someone else nobody approved): `daemon --once` names them, not "N reminders" for a digest or a draft.
    """
    expired = and_(R.c.status.in_(("pending", "failed")), col(Reminder.expires_at).is_not(None),
                   col(Reminder.expires_at) <= now)
    with ctx.db.transaction(rows_only=True) as session:
        candidates = session.execute(select(R.c.id, R.c.applicant_id).where(expired)
                                     .with_for_update(skip_locked=True)).all()
        free = ctx.db.lock_applicants_or_skip(session, {applicant for _, applicant in candidates})
        if not free:
            return 0
        result = session.execute(
            update(Reminder)
            .where(expired, R.c.applicant_id.in_(sorted(free)))  # every row of an applicant whose lock we hold
            .values(status="missed", claimed_by="", lease_until=None, updated_at=now,
                    last_error=case(
                        (R.c.status == "failed", literal("failed, then expired before a retry: ") + R.c.last_error),
                        # A draft nobody approved was never the daemon's to send: blaming it was false.
                        (and_(R.c.requires_approval.is_(True), R.c.approved_at.is_(None)),
                         literal(EXPIRED_UNAPPROVED)),
                        else_=literal("expired before it could be sent (the daemon was not running or delivery kept "
                                      "failing)")))
            .returning(R.c.kind, R.c.requires_approval, R.c.approved_at)
        ).all()
        for kind, requires_approval, approved_at in result:
            if kinds is not None:
                kinds["unapproved" if requires_approval and approved_at is None
                      else sent_kind(kind, bool(requires_approval))] += 1
        return len(result)


SUPERSEDED_NOTE = "not sent: the last call for this letter was due too, and says the same"


def superseded_opening(now: datetime | BindParameter[datetime], statuses: tuple[str, ...] = ("pending",),
                       last_call_statuses: tuple[str, ...] = ("pending", "sending")) -> ColumnElement[bool]:
    """The rows `supersede_letter_openings` cancels at `now`: a due, pending "letter window opens" whose rotation's
    last call is due too. The weekly digest leaves them out by the same rule: made in the same run, before the
    outbox, it listed an opening that run then cancelled. `statuses` ("failed"): the rows a retry would make
    pending only for the next run to cancel them (`retry_all_failed`); `last_call_statuses` with "failed": a last
    call that same retry makes pending too."""
    last = R.alias("last_call")
    return and_(
        R.c.status.in_(statuses), R.c.kind == LETTER_OPEN, R.c.template_key == LETTER_OPEN,
        R.c.rotation_id.is_not(None), R.c.due_at <= now,
        exists().where(last.c.rotation_id == R.c.rotation_id, last.c.applicant_id == R.c.applicant_id,
                       last.c.kind == LETTER_LAST_CALL, last.c.template_key == LETTER_LAST_CALL,
                       last.c.status.in_(last_call_statuses), last.c.due_at <= now,
                       or_(last.c.expires_at.is_(None), last.c.expires_at > now)),
    )


def supersede_letter_openings(ctx: Context, now: datetime) -> int:
    """A due "letter window opens" whose rotation's last call is due too is cancelled, not sent; returns how many.

    Both fall due together when a rotation is entered late, moved into the past, or the daemon was down through
    the window: two e-mails about one letter in the same minute, the first saying there is time. The last call
    says what the opening would (the draft, what is missing, the last day), so it alone goes out. The row is kept
    as ``cancelled`` with a note (the outbox shows why) and marked so that editing the rotation does not revive
    it late (sync_rotation_reminders); new dates that put its moment ahead do. Under the applicant's lock, as
    ``expire_missed``.
    """
    covered = superseded_opening(now)
    with ctx.db.transaction(rows_only=True) as session:
        candidates = session.execute(select(R.c.id, R.c.applicant_id, R.c.payload).where(covered)
                                     .with_for_update(skip_locked=True)).all()
        free = ctx.db.lock_applicants_or_skip(session, {applicant for _, applicant, _ in candidates})
        done = 0
        for rid, applicant, payload in candidates:
            if applicant not in free:
                continue
            marked = {**(payload if isinstance(payload, dict) else {}), SUPERSEDED: now.isoformat()}
            done += _rowcount(session.execute(
                update(Reminder).where(R.c.id == rid, covered)
                .values(status="cancelled", note=SUPERSEDED_NOTE, payload=marked, updated_at=now)))
        return done


def _rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE changed: Session.execute is typed as returning Result; for DML it is a CursorResult."""
    return cast("CursorResult[Any]", result).rowcount or 0


def _sendable(now: datetime | BindParameter[Any]) -> Any:
    return and_(
        R.c.status == "pending",
        col(Reminder.due_at) <= now,
        or_(col(Reminder.next_attempt_at).is_(None), col(Reminder.next_attempt_at) <= now),
        or_(col(Reminder.expires_at).is_(None), col(Reminder.expires_at) > now),
        or_(R.c.requires_approval.is_(False), col(Reminder.approved_at).is_not(None)),
    )


def claim_due(ctx: Context, owner: str, now: datetime, *, limit: int = 20,
              lease: timedelta = DEFAULT_LEASE) -> list[int]:
    """Atomically mark up to ``limit`` due rows as ``sending`` for ``owner``; returns their ids, oldest first.

    Only ids whose UPDATE changed the row are returned (RETURNING), so a row another daemon took between
    the SELECT and the UPDATE is never reported as ours. On PostgreSQL the SELECT locks its rows and skips
    rows locked by another claimer (FOR UPDATE SKIP LOCKED); on SQLite BEGIN IMMEDIATE already serialises.

    On PostgreSQL a row is claimed only under its applicant's lock, taken if free (never waited for while
    rows are locked): a user action of that applicant that has read the pending row and is about to move or
    cancel it holds that lock, so the claim leaves the row to the next round rather than send what the user
    is changing. If that left nothing to claim, this waits for that applicant's writer to finish (holding
    no row) and tries once more, so a busy applicant costs a short wait, not a busy loop.
    """
    ids, busy = _claim(ctx, owner, now, limit, lease)
    if not ids and busy is not None:
        ctx.db.wait_for_applicant(busy)
        ids, _ = _claim(ctx, owner, now, limit, lease)
    return ids


# A claim runs for every batch, so its two statements are built once with bound parameters (building and
# hashing them again each time cost about as much as running them).
_NOW: BindParameter[datetime] = bindparam("now")
_CLAIM_UPDATE = (
    update(R)
    .where(R.c.id.in_(bindparam("ids", expanding=True)), _sendable(_NOW))
    .values(status="sending", claimed_by=bindparam("owner"), lease_until=bindparam("lease_until"),
            attempts=R.c.attempts + 1, late=or_(R.c.late, R.c.due_at < bindparam("late_before")), updated_at=_NOW)
    .returning(R.c.id)
)


@lru_cache(maxsize=8)
def _claim_candidates(limit: int) -> Any:
    return (select(R.c.id, R.c.applicant_id).where(_sendable(_NOW)).order_by(R.c.due_at, R.c.id).limit(limit)
            .with_for_update(skip_locked=True))


def _claim(ctx: Context, owner: str, now: datetime, limit: int, lease: timedelta) -> tuple[list[int], int | None]:
    """(ids claimed, an applicant whose rows were skipped because a writer of theirs held their lock)."""
    with ctx.db.transaction(rows_only=True) as session:
        candidates = session.execute(_claim_candidates(limit), {"now": now}).all()
        free = ctx.db.lock_applicants_or_skip(session, {applicant for _, applicant in candidates})
        ids = [rid for rid, applicant in candidates if applicant in free]
        busy = next((applicant for _, applicant in candidates if applicant not in free), None)
        if not ids:
            return [], busy
        claimed = set(session.execute(_CLAIM_UPDATE, {
            "ids": ids, "now": now, "owner": owner, "lease_until": now + lease, "late_before": now - LATE_AFTER,
        }).scalars().all())
        return [i for i in ids if i in claimed], busy


def due_now_count(ctx: Context, now: datetime) -> int:
    """Pending reminders due by ``now`` that may be sent (approved where needed), backoff or not."""
    with ctx.db.read() as session:
        return int(session.execute(select(func.count()).where(
            R.c.status.in_(("pending", "sending")), col(Reminder.due_at) <= now,
            or_(col(Reminder.expires_at).is_(None), col(Reminder.expires_at) > now),
            or_(R.c.requires_approval.is_(False), col(Reminder.approved_at).is_not(None)),
        )).scalar() or 0)


def awaiting_due_count(ctx: Context, now: datetime) -> int:
    """Messages to someone else due by ``now`` and not yet approved (not expired): no daemon sends them, so a run
    that sent everything it could still leaves them (`daemon --once` says so: "nothing due" read as if they went)."""
    with ctx.db.read() as session:
        return int(session.execute(select(func.count()).where(
            R.c.status == "pending", col(Reminder.due_at) <= now, R.c.requires_approval.is_(True),
            col(Reminder.approved_at).is_(None),
            or_(col(Reminder.expires_at).is_(None), col(Reminder.expires_at) > now),
        )).scalar() or 0)


def next_due_at(ctx: Context, now: datetime) -> datetime | None:
    """Earliest moment something may become sendable (due, retry time, or a lease to recover)."""
    # The later of due_at and next_attempt_at, written with CASE: SQLite's two-argument max() does not
    # exist on PostgreSQL (GREATEST there), and CASE works on both.
    later = case((R.c.next_attempt_at > R.c.due_at, R.c.next_attempt_at), else_=R.c.due_at)
    with ctx.db.read() as session:
        due = session.execute(
            select(func.min(later)).where(
                R.c.status == "pending",
                or_(R.c.requires_approval.is_(False), R.c.approved_at.is_not(None)),
            )
        ).scalar()
        lease = session.execute(select(func.min(R.c.lease_until)).where(R.c.status == "sending")).scalar()
    return min((aware(m) for m in (due, lease) if m), default=None)


def aware(value: datetime | str) -> datetime:
    """Aggregates may come back as text on SQLite; stored values are naive UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return ensure_utc(value)


# --- results --------------------------------------------------------------------------------------
def _mine(reminder_id: int, owner: str) -> Any:
    return and_(R.c.id == reminder_id, R.c.status == "sending", R.c.claimed_by == owner)


# Runs once per message, right after each send, so it is built once: a core UPDATE with bound parameters
# costs about 0.1 ms against 0.25 ms for an ORM update built per call (measured by bench/bench_daemon.py).
_MARK_SENT = (
    update(R)
    .where(R.c.id == bindparam("rid"), R.c.status == "sending", R.c.claimed_by == bindparam("owner"))
    .values(status="sent", sent_at=bindparam("now"), claimed_by="", lease_until=None, last_error="",
            delivered_via=bindparam("via"), updated_at=bindparam("now"))
)
EMAIL, LOCAL_MAILBOX = "email", "local_mailbox"


def mark_sent(ctx: Context, reminder_id: int, owner: str, now: datetime, via: str = EMAIL) -> bool:
    """Record a delivery; False if the claim was lost meanwhile (lease expired and another daemon took it).

    Committed alone, before the next message is sent: after a crash at most the one message in flight is
    delivered twice.
    """
    return bool(ctx.db.write_alone(_MARK_SENT, {"rid": reminder_id, "owner": owner, "now": now, "via": via}))


def mark_retry(ctx: Context, reminder_id: int, owner: str, now: datetime, error: str) -> datetime | None:
    """A temporary failure: back to pending with the next attempt after exponential backoff."""
    with ctx.db.transaction(rows_only=True) as session:
        attempts = session.execute(select(R.c.attempts).where(_mine(reminder_id, owner))).scalar()
        if attempts is None:
            return None
        when = next_attempt_at(max(attempts, 1), now)
        session.execute(
            update(Reminder).where(_mine(reminder_id, owner))
            .values(status="pending", claimed_by="", lease_until=None, next_attempt_at=when,
                    last_error=error[:1000], updated_at=now)
        )
        follow_address_change(session, [reminder_id], now)
        return when


UNCONFIRMED_HELP = ("check your inbox: if it arrived, `imgcoach reminders cancel {id}`; if not, "
                    "`imgcoach reminders retry {id}` sends it again")


def mark_unknown(ctx: Context, reminder_id: int, owner: str, now: datetime, error: str) -> str | None:
    """The server got the whole message but never confirmed it: it may have arrived.

    The first time, retried once more with backoff (RFC 5321 says to treat it as a 451); the second time
    held as ``unconfirmed`` for the user to decide, so a server that accepts but never answers does not
    receive the same message again and again. Returns the new status, None if the claim was lost.
    """
    with ctx.db.transaction(rows_only=True) as session:
        row = session.execute(select(R.c.attempts, R.c.unknown_outcomes).where(_mine(reminder_id, owner))).first()
        if row is None:
            return None
        attempts, unknown = row
        if unknown >= 1:
            values: dict[str, Any] = {"status": "unconfirmed",
                                      "last_error": f"{error[:600]}; {UNCONFIRMED_HELP.format(id=reminder_id)}"}
        else:
            values = {"status": "pending", "next_attempt_at": next_attempt_at(max(attempts, 1), now),
                      "last_error": f"{error[:900]}; will be sent once more, then held for you to decide"}
        session.execute(update(Reminder).where(_mine(reminder_id, owner)).values(
            claimed_by="", lease_until=None, unknown_outcomes=unknown + 1, updated_at=now, **values))
        follow_address_change(session, [reminder_id], now)
        return str(values["status"])


def mark_failed(ctx: Context, reminder_id: int, owner: str, now: datetime, error: str) -> bool:
    """A permanent failure (5xx, bad address, broken template): visible in the app and `reminders list`."""
    with ctx.db.transaction(rows_only=True) as session:
        result = session.execute(
            update(Reminder).where(_mine(reminder_id, owner))
            .values(status="failed", claimed_by="", lease_until=None, last_error=error[:1000], updated_at=now)
        )
        follow_address_change(session, [reminder_id], now)
        return bool(_rowcount(result))


def release(ctx: Context, reminder_ids: list[int], owner: str, now: datetime, held: str = "") -> int:
    """Give back claims not attempted (shutdown mid-batch, delivery paused): pending again, attempt not counted.

    `held`: the problem that paused delivery, kept as the last error of a row it held at its time: with no try
    counted, such a reminder sent after the pause said "late because the reminder daemon was not running then",
    though one ran and was held. A row already late when claimed (downtime) keeps its reason: no daemon then."""
    if not reminder_ids:
        return 0
    on_time = R.c.due_at >= now - LATE_AFTER
    values: dict[str, Any] = {"last_error": case((on_time, held[:1000]), else_=R.c.last_error)} if held else {}
    with ctx.db.transaction(rows_only=True) as session:
        result = session.execute(
            update(Reminder)
            .where(R.c.id.in_(reminder_ids), R.c.status == "sending", R.c.claimed_by == owner)
            .values(status="pending", claimed_by="", lease_until=None, attempts=R.c.attempts - 1, updated_at=now,
                    **values)
        )
        follow_address_change(session, reminder_ids, now)
        return _rowcount(result)


# --- user actions ---------------------------------------------------------------------------------
RETRYABLE = ("failed", "unconfirmed")


def _requeue(row: Reminder, now: datetime) -> None:
    retried = f"retry requested after: {row.last_error}"
    # Why it waits for approval again (its person's address changed) stays first: it is what holds it now.
    row.note = (f"{row.note.split('; retry requested after: ')[0]}; {retried}" if row.note.startswith(APPROVE_AGAIN)
                else retried)[:500]
    # The failure kept it from going at its time when it came then, or after earlier tries; one that came in a
    # late catch-up (no daemon at its time) keeps that reason.
    failed_at = ensure_utc(row.updated_at) if row.updated_at else now
    if row.attempts > 1 or failed_at - ensure_utc(row.due_at) <= LATE_AFTER:
        row.payload = {**(row.payload if isinstance(row.payload, dict) else {}), RETRIED_AT: now.isoformat()}
    row.status, row.attempts, row.next_attempt_at, row.updated_at = "pending", 0, None, now
    row.unknown_outcomes, row.last_error = 0, ""


def retry_reminder(ctx: Context, reminder_id: int) -> Reminder:
    """`imgcoach reminders retry ID`: a failed or unconfirmed reminder goes back to the outbox, due now."""
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        row = owned(session, Reminder, reminder_id, applicant, "reminder")
        if row.status not in RETRYABLE:
            raise UserError(f"reminder {reminder_id} is {row.status}; only failed or unconfirmed reminders can be "
                            "retried")
        if row.expires_at is not None and row.expires_at <= now:
            raise UserError(f"reminder {reminder_id} expired on {_local(row.expires_at, applicant.timezone)}; it would "
                            "be missed")
        if (done := _purpose_done(session, row)) is not None:
            raise UserError(f"reminder {reminder_id}: {_purpose_words(done)}; a retry would ask again")
        if (went := _last_call_sent(session, row)) is not None:
            raise UserError(f"reminder {reminder_id}: {_after_last_call_words(went, applicant.timezone)}")
        _requeue(row, now)
        session.add(row)
        session.flush()
        # Pending again, would the daemon's next run send it? Not an opening whose last call is due too: the run
        # cancels it (the daemon's own rule, `superseded_opening`), and "it goes out once `imgcoach daemon` runs"
        # was false. Refused (the transaction rolls back: it stays as it was), saying what goes instead.
        if session.execute(select(R.c.id).where(R.c.id == row.id, superseded_opening(now))).first() is not None:
            raise UserError(f"reminder {reminder_id}: {_superseded_words()}")
        return row


def _last_call_sent(session: Any, row: Reminder) -> datetime | None:
    """When the rotation's "Letter: last call" was sent, for an "Ask for a letter" opening (None otherwise): the
    opening retried after it went would tell the applicant the window "opens" after its last call was said.
    (`superseded_opening` covers a last call still pending or sending; the daemon sends an opening whose last
    call went.)"""
    if row.rotation_id is None or row.kind != LETTER_OPEN or row.template_key != LETTER_OPEN:
        return None
    sent = session.execute(select(R.c.sent_at, R.c.updated_at).where(
        R.c.applicant_id == row.applicant_id, R.c.rotation_id == row.rotation_id, R.c.kind == LETTER_LAST_CALL,
        R.c.template_key == LETTER_LAST_CALL, R.c.status == "sent").order_by(R.c.id.desc())).first()
    return None if sent is None else ensure_utc(sent[0] or sent[1])


def _after_last_call_words(went: datetime, tz: str) -> str:
    """Why an opening whose last call went is not retried (`reminders retry`, `--all-failed`, the Outbox's R)."""
    opening, last_call = reminder_label(LETTER_OPEN), reminder_label(LETTER_LAST_CALL)
    return (f"its “{last_call}” was sent on {_local(went, tz)}; this “{opening}” would come after it, saying "
            "the window opens")


def _superseded_words() -> str:
    """Why an opening is not retried: the `reminders retry` line and the Outbox's R (one use case) say it."""
    opening, last_call = reminder_label(LETTER_OPEN), reminder_label(LETTER_LAST_CALL)
    return (f"its “{last_call}” is due too and goes instead, saying the same: a daemon would cancel this "
            f"“{opening}”, not send it")


def _purpose_done(session: Any, row: Reminder) -> str | None:
    """Why a rotation's feedback reminder (or its supervisor draft), or its own letter-request reminder, has nothing
    left to ask: sync.feedback_settled's reason, or the letter requested (sync's LETTER_REQUESTED). The rotation's
    save cancels such a row; one that failed before that was recorded under an older version stayed failed, and a
    retry would have sent it."""
    if row.rotation_id is None:
        return None
    if row.kind in LETTER_KINDS and row.template_key in (*LETTER_KINDS, SUPERVISOR_DRAFT):  # its draft asks too
        return letter_settled_of(session, [row.rotation_id]).get(row.rotation_id)
    if row.kind != MID_FEEDBACK:
        return None
    return feedback_settled_of(session, [row.rotation_id]).get(row.rotation_id)


def _purpose_words(reason: str) -> str:
    """A settled reason as a refusal's clause: "feedback already asked on 20 Nov 2026", "the letter was requested"."""
    return reason.removeprefix("not sent: ").removeprefix("no longer needed: ")


@dataclass(frozen=True)
class RetryAllFailed:
    """What `retry_all_failed` did with each failed reminder: a retry that says only "N pending again" hid the ones
    it cancelled because their purpose was done (the feedback asked or received, the letter requested)."""

    requeued: list[int]
    expired: list[int]  # left failed: past their time, a retry would only miss them
    cancelled: dict[int, str]  # id -> why (the note it was cancelled with)
    # Left failed: an "Ask for a letter" whose last call is due too; pending again, the daemon's next run would
    # cancel it, not send it ("N pending again" was said of it). `retry_reminder` refuses it with the same words.
    superseded: list[int] = field(default_factory=list)
    # Left failed: an "Ask for a letter" whose last call was sent; id -> why (`_after_last_call_words`).
    after_last_call: dict[int, str] = field(default_factory=dict)

    def superseded_words(self) -> str:
        """The line said of `superseded` ("" when none)."""
        if not self.superseded:
            return ""
        return (f"{len(self.superseded)} stay failed ({', '.join(map(str, self.superseded))}): "
                f"{_superseded_words()}")


def retry_all_failed(ctx: Context) -> RetryAllFailed:
    """`imgcoach reminders retry --all-failed`: every failed reminder not yet expired goes back to the outbox.

    Unconfirmed ones are not included: each may have arrived, so the user decides one by one. A feedback or
    letter reminder whose purpose is done is cancelled with that reason (`sync_rotation_reminders`, as the
    rotation's save does), not sent, and reported as cancelled.
    """
    now = ctx.clock.now()
    requeued: list[int] = []
    expired: list[int] = []
    cancelled: dict[int, str] = {}
    after_last_call: dict[int, str] = {}
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        rows = session.execute(select(Reminder).where(col(Reminder.applicant_id) == applicant.id,
                                                      R.c.status == "failed").order_by(R.c.id)).scalars().all()
        failed = {row.id for row in rows}
        settled = {row.rotation_id for row in rows if _purpose_done(session, row) is not None}
        for rotation in session.execute(select(Rotation).where(col(Rotation.id).in_(settled))).scalars():
            for changed in sync_rotation_reminders(session, ctx, applicant, rotation, now):  # cancels, saying why
                if changed.id in failed and changed.status == "cancelled":
                    cancelled[saved_id(changed.id)] = changed.note
        session.flush()
        # A failed last call due and not expired is made pending by this very retry (below): its opening is
        # superseded as by a pending one ("2 pending again" was said, and the next run cancelled the opening).
        superseded = set(session.execute(select(R.c.id).where(
            R.c.applicant_id == applicant.id,
            superseded_opening(now, ("failed",), ("pending", "sending", "failed")))).scalars())
        for row in rows:
            if row.status != "failed" or row.id in superseded:
                continue
            if row.id is not None and (went := _last_call_sent(session, row)) is not None:
                after_last_call[row.id] = _after_last_call_words(went, applicant.timezone)
                continue
            if row.expires_at is not None and row.expires_at <= now:
                expired.append(row.id)
                continue
            _requeue(row, now)
            session.add(row)
            requeued.append(row.id)
    return RetryAllFailed(requeued, expired, dict(sorted(cancelled.items())), sorted(superseded),
                          dict(sorted(after_last_call.items())))


DRAFT_VALID_FOR = timedelta(days=7)


# A rotation reminder's supervisor draft in one of these is not queued again: `approve_draft` refuses it.
LIVE_DRAFT = ("pending", "sending", "sent")


def _local(moment: datetime, tz: str) -> str:
    """A stored (UTC) moment as the applicant reads it, as every screen shows times: "2026-11-02 00:00 EST"."""
    return moment_words(ensure_utc(moment), tz or "UTC")


class ApprovalRow(Protocol):
    """What `approval_refusal` reads of a reminder: a stored Reminder, or the daemon's light copy of a claimed row
    as it will be once sent (outgoing.SentRow: building a Reminder per row of a batch cost 0.13 ms each)."""

    @property
    def id(self) -> int | None: ...
    @property
    def key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def template_key(self) -> str: ...
    @property
    def rotation_id(self) -> int | None: ...
    @property
    def recipient(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def note(self) -> str: ...
    @property
    def expires_at(self) -> datetime | None: ...
    @property
    def requires_approval(self) -> bool: ...
    @property
    def approved_at(self) -> datetime | None: ...
    @property
    def payload(self) -> dict[str, Any]: ...


def approval_refusal(row: ApprovalRow, now: datetime, addressed: Addressees, live_drafts: Mapping[str, str], *,
                     tz: str = "UTC") -> str | None:
    """Why `approve_draft` refuses `row`, or None when it approves it: the one rule that both the approval and
    the Outbox's offer of `a` (`awaiting_approval`) apply, so the key is never offered for an error.
    `addressed`: who each rotation reminder's draft goes to (`addressees`); `live_drafts`: the supervisor
    drafts already queued or sent, key -> its state in words (`_live_drafts`); `tz`: the applicant's, for the
    times the refusal names (they said UTC where every screen says the applicant's time)."""
    reminder_id = row.id
    if row.requires_approval:  # the row is itself the message to someone else (a progress update)
        if row.approved_at is not None:
            return (f"reminder {reminder_id} was already approved on {_local(row.approved_at, tz)} "
                    f"(it is {row.status})")
        if row.status != "pending":
            return f"reminder {reminder_id} is {row.status}; only a pending draft can be approved"
        if row.expires_at is not None and ensure_utc(row.expires_at) <= now:
            return (f"reminder {reminder_id} expired on {_local(row.expires_at, tz)}; "
                    "it can no longer be sent")
        if not row.recipient or "@" not in row.recipient:
            return f"reminder {reminder_id}: the draft has no recipient address; add one with `imgcoach contacts`"
        return None
    if row.rotation_id is None or row.kind not in ROTATION_KINDS:
        # An outreach follow-up carries a draft to the coordinator, sent by the applicant (a progress update, the
        # other kind written with its draft, is approved above and sent by the daemon); a weekly digest (or a
        # reminder of another kind) carries none, and "send its draft" sent them looking for one.
        then = ("send its draft from your own mail program" if row.kind == FOLLOW_UP_KIND
                else "it is only for you, with nothing to send to anyone")
        return (f"reminder {reminder_id} ({reminder_label(row.kind, row.template_key)}) is a reminder to you with no "
                f"supervisor draft to approve; {then}")
    if (done := addressed.done(row.kind, row.rotation_id)) is not None:
        # The reminder's purpose is done (sync.feedback_settled, the letter asked for): approving would e-mail the
        # supervisor (or the letter's writer) for it.
        return f"reminder {reminder_id}: {_purpose_words(done)}; there is no request left to approve"
    if row.status == "cancelled" and (late := row.payload.get(PLANNED_LATE)):  # e.g. its mid-point gone when entered
        return f"reminder {reminder_id} was {late}; there is no request to approve"
    if row.status == "cancelled":  # by the applicant, or its rotation changed: its draft was offered all the same
        why = f" ({row.note})" if row.note else ""
        return f"reminder {reminder_id} is cancelled{why}; there is no request to approve"
    if row.expires_at is not None and ensure_utc(row.expires_at) <= now:
        # Missed, or sent and past its use: its draft, queued now with a validity of its own, asked the supervisor
        # for mid-rotation feedback after the rotation had ended.
        return (f"reminder {reminder_id} expired on {_local(row.expires_at, tz)} (its moment has passed); "
                "there is no request left to approve")
    contact = addressed.of(row.kind, row.rotation_id)
    if contact is None:
        return (f"reminder {reminder_id}: the rotation has no supervisor or attending to write to; add one with "
                f"`imgcoach contacts add --rotation {row.rotation_id} --name NAME --email ADDRESS`")
    if not contact.email:
        return f"reminder {reminder_id}: {addressed.role(row.kind, row.rotation_id)}, {contact.name}, has no e-mail address"
    if (live := live_drafts.get(draft_key(row))) is not None:
        return f"the draft of reminder {reminder_id} is already {live}"
    return None


def approval_offer(row: ApprovalRow, existing: Reminder | None, now: datetime, addressed: Addressees,
                   tz: str = "UTC") -> tuple[bool, str]:
    """What a reminder's e-mail may say of its supervisor draft: whether `reminders approve` approves it
    (`approval_refusal`, the rule approve applies), and, when the applicant approved it already, the draft's row in
    words ("reminder 12 in your outbox (pending)"). The daemon's e-mail said "or approve it with ..." of a draft
    approved before the reminder went out (approve then refused it) and told the applicant to send it themselves."""
    live = _live_of(existing)
    approvable = approval_refusal(row, now, addressed, live, tz=tz) is None
    if existing is None or not live:
        return approvable, ""
    return approvable, (f"reminder {existing.id} in your outbox "
                        f"({status_words(existing.status, existing.delivered_via, False)})")


def approval_offer_in(session: Any, row: Reminder, now: datetime, tz: str = "UTC", *,
                      addressed: Addressees | None = None,
                      drafts: Mapping[str, Reminder | None] | None = None) -> tuple[bool, str]:
    """`approval_offer` for one stored row (the preview), its addressee and queued draft read from `session`,
    unless the caller read them in it already: `addressed` (`addressees` of the row's rotation), `drafts` (draft
    key -> its row or None, for each key looked for)."""
    addressed, existing = _approval_inputs(session, row, addressed, drafts)
    return approval_offer(row, existing, now, addressed, tz)


def _approval_inputs(session: Any, row: Reminder, addressed: Addressees | None = None,
                     drafts: Mapping[str, Reminder | None] | None = None) -> tuple[Addressees, Reminder | None]:
    """Whom `row`'s supervisor draft goes to, and that draft's row if one was queued already."""
    if row.requires_approval or row.rotation_id is None:
        return Addressees(), None
    key = draft_key(row)
    existing = drafts[key] if drafts is not None and key in drafts else session.execute(
        select(Reminder).where(col(Reminder.key) == key)).scalars().first()
    return addressed if addressed is not None else addressees(session, [row.rotation_id]), existing


def _live_of(existing: Reminder | None) -> dict[str, str]:
    if existing is None or existing.status not in LIVE_DRAFT:
        return {}
    return {existing.key: f"{existing.status} (reminder {existing.id})"}


def awaiting_approval(row: Reminder, live_drafts: Mapping[str, str], now: datetime, addressed: Addressees) -> bool:
    """Whether `approve_draft` has a message to approve for `row` (`approval_refusal` has no objection). The
    Outbox offered `a` on a rotation reminder whose draft was already queued, or whose rotation has no supervisor
    to write to, and the yes ended in an error."""
    return approval_refusal(row, now, addressed, live_drafts) is None


def _live_drafts(session: Any, applicant_id: int) -> dict[str, str]:
    """The applicant's supervisor drafts already queued or sent: key -> "pending (reminder 12)"."""
    rows = session.execute(select(col(Reminder.key), col(Reminder.status), col(Reminder.id)).where(
        col(Reminder.applicant_id) == applicant_id, col(Reminder.key).like("%:draft"),
        col(Reminder.status).in_(LIVE_DRAFT))).all()
    return {key: f"{status} (reminder {rid})" for key, status, rid in rows}


def draft_key(row: ApprovalRow) -> str:
    """The key of the row that carries `row`'s supervisor draft (one per rotation reminder)."""
    return f"{row.key}:draft"


def approve_draft(ctx: Context, reminder_id: int) -> Reminder:
    """`imgcoach reminders approve ID`: approve one message to someone other than the applicant.

    Two cases. A row that is itself a draft waiting for approval (a progress update to a former
    supervisor) gets ``approved_at`` and is sent at its due time. A rotation reminder queues a new row
    with its supervisor draft, addressed to the supervisor (a letter request: to the planned letter's writer, if
    any; reminders.addressees). This is the only way mail reaches anyone but
    the applicant: one approval per message.
    """
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        row = owned(session, Reminder, reminder_id, applicant, "reminder")
        key = draft_key(row)
        addressed, existing = _approval_inputs(session, row)
        supervisor = None if row.rotation_id is None else addressed.of(row.kind, row.rotation_id)  # or the writer
        if (refusal := approval_refusal(row, now, addressed, _live_of(existing), tz=applicant.timezone)) is not None:
            raise UserError(refusal)
        if row.requires_approval:
            row.approved_at, row.updated_at = now, now
            row.note = f"approved by you; sent to {row.recipient} when due"[:500]
            return row
        assert supervisor is not None and supervisor.email  # approval_refusal checked it
        salt = salt_for(applicant)
        draft = existing or Reminder(
            applicant_id=saved_id(applicant.id), key=key, kind=row.kind, template_key=SUPERVISOR_DRAFT,
            rotation_id=row.rotation_id, letter_id=row.letter_id, recipient=supervisor.email,
            message_id=message_id_for(key, salt), calendar_uid=calendar_uid_for(key, salt),
            due_at=now, created_at=now, requires_approval=True,
        )
        draft.recipient, draft.status, draft.due_at, draft.approved_at = supervisor.email, "pending", now, now
        draft.expires_at, draft.attempts, draft.next_attempt_at = now + DRAFT_VALID_FOR, 0, None
        draft.payload = {"draft_of": row.id}
        draft.note, draft.updated_at = f"draft of reminder {row.id}, approved by you", now
        session.add(draft)
        session.flush()
        return draft


def queued_words(ctx: Context, row: Reminder) -> str:
    """What happens next to a message just put in the outbox (approved, or retried), for the app's notice and the
    CLI's line alike. The app said "the daemon sends it at its next pass" beside the Outbox's own "daemon: NOT
    running": nothing sends it until a daemon runs."""
    now = ctx.clock.now()
    if row.requires_approval and row.approved_at is None:  # a retried one whose person's address changed since
        why = approval_again_words(row.note)
        return "it waits for your approval before any daemon sends it" + (f" ({why})" if why else "")
    state = daemon_status(ctx, now, mine=True)
    if row.requires_approval and not _smtp_set(ctx, state):
        # With no SMTP host the daemon writes every message to the local Maildir: "will be sent to" the supervisor
        # was false, and the row then read "in local mailbox (not e-mailed)".
        return (f"no SMTP host is set: a daemon would write it to your local mailbox, never send it to "
                f"{row.recipient}; set one with `imgcoach mail setup`")
    if not state.running:
        return "no daemon is running: it goes out once `imgcoach daemon` (or `imgcoach daemon --once`) runs"
    if ensure_utc(row.due_at) > now:
        return f"the running daemon sends it at its time, {_local(row.due_at, _zone_of(ctx))}"
    return "the running daemon sends it at its next pass"


def _smtp_set(ctx: Context, state: DaemonStatus) -> bool:
    """Whether messages go out by e-mail: the running daemon's own delivery, else the settings a daemon started now
    reads (a settings error is the daemon's to report: not guessed here)."""
    if state.running:
        return not state.delivers_to.startswith("local mailbox")
    from imgcoach.core.locations import data_dir
    from imgcoach.reminders.mail.errors import MailError
    from imgcoach.reminders.mail.settings import load_mail_settings

    try:
        return load_mail_settings(ctx.settings.extra, data_dir=data_dir()).smtp is not None
    except MailError:
        return True


def _zone_of(ctx: Context) -> str:
    with ctx.db.read() as session:
        return current_applicant(session, ctx).timezone or "UTC"


def offered_actions(row: Reminder, awaiting: bool) -> frozenset[str]:
    """Which of "approve", "cancel", "retry" the applicant is offered on `row`: those whose use case accepts it
    (`approve_draft` when `awaiting`, see `awaiting_approval`; `cancel_reminder`; `retry_reminder`), so the Outbox
    and the Next-up dialog offer the same keys and neither offers one that ends in an error. Expiry is left to
    `retry_reminder`, which says when the reminder expired."""
    offered = {"approve"} if awaiting else set()
    if row.status in CANCELLABLE:
        offered.add("cancel")
    if row.status in RETRYABLE:
        offered.add("retry")
    return frozenset(offered)


def offered_only_on(action: str) -> str:
    """Which rows `offered_actions` offers `action` ("retry") on, in words ("a failed or unconfirmed reminder"),
    from the same statuses: the app's help says it beside a key the selected row does not offer."""
    if action == "approve":
        return "a message that waits for your approval"
    statuses = {"retry": RETRYABLE, "cancel": CANCELLABLE}[action]
    return f"a {', '.join(statuses[:-1])} or {statuses[-1]} reminder" if len(statuses) > 1 else f"a {statuses[0]} reminder"


@dataclass(frozen=True)
class ReminderActions:
    """One reminder and what may be done with it (`reminder_actions`), for a dialog opened outside the Outbox."""

    reminder: Reminder
    rotation: str | None  # "Specialty, Institution"; None: no rotation
    timezone: str  # the applicant's, for the times the confirmations write
    offered: frozenset[str]  # `offered_actions`
    to: str = ""  # whom approving sends the draft to ("Dr. Sam Reyes <sam@...>"); "" for a row with no such draft


def reminder_actions(ctx: Context, reminder_id: int) -> ReminderActions:
    """The reminder `reminder_id` and the actions offered on it, read in one transaction with the approval rule's
    inputs (its rotation's supervisor address, the drafts already queued), as `outbox_view` reads them for its rows."""
    now = ctx.clock.now()
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        row = owned(session, Reminder, reminder_id, applicant, "reminder")
        rotation = session.get(Rotation, row.rotation_id) if row.rotation_id is not None else None
        addressed = addressees(session, [row.rotation_id]) if row.rotation_id is not None else Addressees()
        awaiting = awaiting_approval(row, _live_drafts(session, saved_id(applicant.id)), now, addressed)
        return ReminderActions(row, f"{rotation.specialty}, {rotation.institution}" if rotation else None,
                               applicant.timezone or "UTC", offered_actions(row, awaiting),
                               addressed.words(row.kind, row.rotation_id) if awaiting else "")


# --- daemon heartbeat -----------------------------------------------------------------------------
# How long a daemon run's row is kept once its last heartbeat is older: past the waits of reminders (a late row's
# reason asks whether a daemon ran at its due time, `outgoing._RAN`), and a cron user's `daemon --once` every 5
# minutes adds 288 rows a day, every one of which each status line read (a year: 100,000 rows).
DAEMON_ROWS_KEPT = timedelta(days=60)


def register_daemon(ctx: Context, owner: str, now: datetime, poll_seconds: float, delivers_to: str = "") -> None:
    host, _, rest = owner.partition("|")
    with ctx.db.transaction(rows_only=True) as session:
        # The newest row stays whatever its age: "last heartbeat" and "last run" still say when a daemon last ran.
        newest = select(D.c.owner).order_by(D.c.heartbeat_at.desc()).limit(1).scalar_subquery()
        session.execute(delete(DaemonState).where(D.c.heartbeat_at < now - DAEMON_ROWS_KEPT, D.c.owner != newest))
        session.add(DaemonState(owner=owner, host=host, pid=int(rest.partition("|")[0]), poll_seconds=poll_seconds,
                                started_at=now, heartbeat_at=now, delivers_to=delivers_to))


# Written every poll interval by the daemon's heartbeat thread, idle or not, so built once and written alone (as
# _MARK_SENT): through an ORM session it was most of an idle daemon's CPU once a poll had nothing to do (issue 17).
# (The parameters are not named after columns: an UPDATE reserves those names on PostgreSQL.)
_BEAT_VALUES: dict[str, Any] = {"heartbeat_at": bindparam("now"), "sent": D.c.sent + bindparam("sent_now"),
                                "failed": D.c.failed + bindparam("failed_now")}
_HEARTBEAT = update(D).where(D.c.owner == bindparam("me")).values(**_BEAT_VALUES)
_HEARTBEAT_RAN = update(D).where(D.c.owner == bindparam("me")).values(**_BEAT_VALUES, last_run_at=bindparam("now"))


def heartbeat(ctx: Context, owner: str, now: datetime, *, ran: bool = False, sent: int = 0, failed: int = 0) -> None:
    ctx.db.write_alone(_HEARTBEAT_RAN if ran else _HEARTBEAT,
                       {"me": owner, "now": now, "sent_now": sent, "failed_now": failed})


def record_problem(ctx: Context, owner: str, now: datetime, error: str, *,
                   paused_until: datetime | None = None) -> None:
    """The last delivery problem (and, for a settings problem, until when delivery is paused)."""
    with ctx.db.transaction(rows_only=True) as session:
        session.execute(update(DaemonState).where(D.c.owner == owner).values(
            last_error=error[:1000], last_error_at=now, paused_until=paused_until))


def clear_pause(ctx: Context, owner: str) -> None:
    with ctx.db.transaction(rows_only=True) as session:
        session.execute(update(DaemonState).where(D.c.owner == owner, D.c.paused_until.is_not(None))
                        .values(paused_until=None))


def unregister_daemon(ctx: Context, owner: str, now: datetime) -> None:
    with ctx.db.transaction(rows_only=True) as session:
        session.execute(update(DaemonState).where(D.c.owner == owner).values(stopped_at=now, heartbeat_at=now))


def daemon_status(ctx: Context, now: datetime, *, mine: bool = False) -> DaemonStatus:
    """Whether a daemon runs on this database (fresh heartbeat, process alive), its last problem, the counts
    (the rule: reminders.daemon_view.status_of, which the CLI's quick read uses too).

    `mine`: count the current applicant's reminders only, as the list under the line does (`reminders list`,
    the Outbox). An applicant of an organisation was told "3 failed" of other applicants' reminders, and found
    none in their own list; `daemon status` and `daemon --once` speak of the daemon's whole outbox."""
    with ctx.db.read() as session:
        return _daemon_status(session, now, saved_id(current_applicant(session, ctx).id) if mine else None)


_STATUS_FIELDS = ("id", "kind", "template_key", "rotation_id", "status", "due_at", "expires_at", "requires_approval",
                  "approved_at")  # what daemon_view.status_of reads of a pending or sending row
_LIVE = ("pending", "sending")


def _daemon_status(session: Any, now: datetime, applicant_id: int | None = None, *,
                   counts: Mapping[str, int] | None = None, read: list[Reminder] | None = None,
                   read_status: str | None = None) -> DaemonStatus:
    """`counts`: the scope's reminders per status, as the caller read them in this transaction; `read`: the scope's
    rows of `read_status` (None: every status) the caller read too (the Outbox's load). What they hold is not
    read again: the Outbox sent the grouped count twice, and read its pending rows a second time."""
    rows = session.execute(select(DaemonState)).scalars().all()
    scope = (R.c.applicant_id == applicant_id,) if applicant_id is not None else ()
    if counts is None:
        counts = dict(session.execute(select(R.c.status, func.count()).where(*scope).group_by(R.c.status)).all())
    # The rows daemon_view.status_of counts overdue, expired, superseded and awaiting approval by (one rule for
    # this path and the CLI's quick read); a sending last call still supersedes its opening.
    known = () if read is None else _LIVE if read_status is None else (read_status,)
    pending = [SimpleNamespace(**{name: getattr(row, name) for name in _STATUS_FIELDS})
               for row in read or () if row.status in _LIVE and row.status in known]
    unread = tuple(status for status in _LIVE if status not in known and counts.get(status))
    if unread:  # none at all (the counts say so): no query
        pending += [SimpleNamespace(**row._mapping) for row in session.execute(select(
            *(R.c[name] for name in _STATUS_FIELDS)).where(R.c.status.in_(unread), *scope))]
    for row in pending:
        row.due_at, row.expires_at = ensure_utc(row.due_at), ensure_utc(row.expires_at) if row.expires_at else None
    if not counts.get("sent"):
        delivered = None  # nothing sent (the counts say so): no query
    elif read is not None and read_status in (None, "sent"):
        delivered = max((r.sent_at for r in read if r.status == "sent" and r.sent_at is not None), default=None)
    else:
        delivered = session.execute(select(func.max(R.c.sent_at)).where(R.c.status == "sent", *scope)).scalar()
    applicants = 0 if applicant_id is not None else int(session.execute(
        select(func.count()).select_from(Applicant)).scalar() or 0)
    return status_of(list(rows), dict(counts), pending, now, ensure_utc(delivered) if delivered is not None else None,
                     applicants)


@dataclass(frozen=True)
class OutboxView:
    """Everything the Outbox shows, read in one transaction (`outbox_view`)."""

    status: str | None  # the status whose rows these are; None: every status
    reminders: list[Reminder]  # by due time
    counts: dict[str, int]  # the applicant's reminders per status
    rotations: dict[int, str]  # rotation id -> "Specialty, Institution"
    timezone: str  # the applicant's, for the times shown
    daemon: DaemonStatus
    now: datetime
    # The rows `approve_draft` has a message to approve for (`awaiting_approval`), each with whom it goes to
    # ("Dr. Sam Reyes <sam@...>"; "" for a draft that is itself the row, which names its recipient).
    awaiting: dict[int, str]
    # rotation id -> its first and last day: two rotations at one place (or of one specialty) read the same once
    # their names are cut to a narrow column; their months tell them apart.
    rotation_days: dict[int, tuple[date, date]] = field(default_factory=dict)


def outbox_view(ctx: Context, status: str | None = None) -> OutboxView:
    """The Outbox's screen in one read transaction: the rows of `status` (every status when None), the count of
    each status, the rotations' names, the applicant's zone, the daemon's state, and which rows await approval.
    The screen made seven calls, each its own transaction (a first visit on a five-year plan spent its load
    opening them), and a write between two could show counts that disagree with the rows."""
    now = ctx.clock.now()
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        applicant_id = saved_id(applicant.id)
        rows = reminders_of(session, applicant_id, status)
        own = list(session.execute(select(Rotation).where(col(Rotation.applicant_id) == applicant_id)).scalars())
        rotations = {saved_id(r.id): f"{r.specialty}, {r.institution}" for r in own}
        # The applicant's rotations only, their feedback_requested_on as read above.
        addressed = addressees(session, rotations, {saved_id(r.id): r.feedback_requested_on for r in own})
        live = _live_drafts(session, applicant_id)
        counts = status_counts(session, applicant_id)
        return OutboxView(status, rows, counts, rotations, applicant.timezone or "UTC",
                          _daemon_status(session, now, applicant_id, counts=counts, read=rows, read_status=status),
                          now,
                          {saved_id(r.id): "" if r.requires_approval else addressed.words(r.kind, r.rotation_id)
                           for r in rows if awaiting_approval(r, live, now, addressed)},
                          {saved_id(r.id): (r.start_date, r.end_date) for r in own})
