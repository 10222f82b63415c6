"""Write transactions lock one applicant on PostgreSQL, not the whole database (issue 18, item 4).

An organisation's writers (the app, the CLI, several daemons) used to queue behind one advisory lock. Now a
user action takes its applicant's lock (after the write lock, shared): another applicant's writer does not
wait for it, the same applicant's writer still does (a read-then-write never loses an update), a writer that
needs the whole database (a new applicant, shared tables) waits for all of them, and a daemon's claim leaves a
busy applicant's rows for the next round. Waits are seen in pg_locks (a backend waiting for an advisory lock),
or as a lock timeout; never as a ratio of timings.

The check that a transaction locked for one applicant writes only that applicant's rows runs on both engines.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import OperationalError

import imgcoach.storage.db as storage_db
from imgcoach.core.context import Context
from imgcoach.plan.people import add_contact, list_contacts
from imgcoach.plan.profile import add_applicant, list_applicants
from imgcoach.reminders import outbox
from imgcoach.storage.applicants import current_applicant
from imgcoach.storage.db import Database, storage_error_message
from imgcoach.storage.locking import APPLICANT_LOCK_NAMESPACE, WRITE_LOCK_KEY
from imgcoach.storage.models import Contact, Program, Reminder

A = 1  # the ctx fixture's applicant


def _second_applicant(ctx: Context) -> int:
    added = add_applicant(ctx, name="Second Applicant", email="second@example.org", timezone="Asia/Kolkata")
    assert added.id is not None
    return added.id


def _reminder(ctx: Context, applicant_id: int, key: str, due: datetime) -> int:
    """One pending reminder of the applicant, due at `due` (inserted as a rotation's sync would)."""
    now = ctx.clock.now()
    with ctx.db.transaction(applicant_id) as session:
        return int(session.execute(insert(Reminder).values(
            applicant_id=applicant_id, key=key, kind="digest", template_key="digest", recipient="x@example.org",
            due_at=due, expires_at=due + timedelta(days=7), status="pending", attempts=0, last_error="",
            claimed_by="", message_id=f"<{key}@imgcoach.test>", calendar_uid=f"{key}@imgcoach", late=False,
            note="", payload={}, requires_approval=False, created_at=now, updated_at=now,
        ).returning(Reminder.id)).scalar_one())


def _waiting_advisory_locks(observer: Database) -> set[tuple[int, int, int, str]]:
    """(classid, objid, objsubid, mode) of every advisory lock a backend is waiting for right now."""
    with observer.read() as session:
        rows = session.execute(text(
            "SELECT classid::bigint, objid::bigint, objsubid::int, mode FROM pg_locks "
            "WHERE locktype = 'advisory' AND NOT granted")).all()
    return {(int(c), int(o), int(s), str(m)) for c, o, s, m in rows}


def _applicant_lock(applicant_id: int) -> tuple[int, int, int, str]:
    return (APPLICANT_LOCK_NAMESPACE, applicant_id, 2, "ExclusiveLock")  # the two-key form: objsubid 2


def _write_lock(mode: str) -> tuple[int, int, int, str]:
    return (WRITE_LOCK_KEY >> 32, WRITE_LOCK_KEY & 0xFFFF_FFFF, 1, mode)  # the 64-bit form: objsubid 1


def _wait_until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"after {timeout:.0f} s: {what}")
        time.sleep(0.02)


class _Writer(threading.Thread):
    """Runs `action` in its own thread, keeping its result or its exception for the test to look at."""

    def __init__(self, action: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.action, self.result, self.error = action, None, None

    def run(self) -> None:
        try:
            self.result = self.action()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            self.error = exc

    def outcome(self) -> Any:
        self.join(30)
        assert not self.is_alive(), "the writer did not finish once the lock was free"
        if self.error is not None:
            raise self.error
        return self.result


@pytest.fixture
def second_db(ctx: Context) -> Iterator[Database]:
    """Another process's view of the same database (its own pool and connections)."""
    db = Database(ctx.db.url)
    yield db
    db.close()


@pytest.mark.postgresql_only
def test_another_applicants_write_does_not_wait_for_an_open_transaction(
        ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """A holds a write transaction open; B's user action completes under a 1.5 s lock timeout (it would fail
    with "lock timeout" had it waited), while A's own next write does wait and times out."""
    b = _second_applicant(ctx)
    monkeypatch.setattr(storage_db, "BUSY_TIMEOUT_MS", 1500)
    short = Database(ctx.db.url)
    try:
        with ctx.db.transaction(A) as held:
            held.add(Contact(applicant_id=A, name="Held open by A"))
            held.flush()
            add_contact(Context(db=short, clock=ctx.clock, applicant_id=b), "Written by B meanwhile")
            with pytest.raises(OperationalError) as refused:
                add_contact(Context(db=short, clock=ctx.clock, applicant_id=A), "A's second writer")
            assert "busy" in (storage_error_message(refused.value) or ""), refused.value
    finally:
        short.close()
    assert [c.name for c in list_contacts(Context(db=ctx.db, applicant_id=b))] == ["Written by B meanwhile"]
    assert [c.name for c in list_contacts(ctx)] == ["Held open by A"]


@pytest.mark.postgresql_only
def test_two_read_then_write_actions_of_one_applicant_run_one_after_another(
        ctx: Context, second_db: Database) -> None:
    """The second writer is seen waiting for A's lock before it reads, so it reads the first one's result."""
    rid = _reminder(ctx, A, "count:1", ctx.clock.now() + timedelta(days=1))
    seen: list[int] = []

    def bump(db: Database) -> None:  # a user action: read a value, then write what it computed from it
        with db.transaction(A) as session:
            row = session.get(Reminder, rid)
            assert row is not None
            seen.append(row.attempts)
            row.attempts += 1
            session.add(row)

    with ctx.db.transaction(A) as session:
        row = session.get(Reminder, rid)
        assert row is not None and row.attempts == 0
        second = _Writer(lambda: bump(second_db))
        second.start()
        _wait_until(lambda: _applicant_lock(A) in _waiting_advisory_locks(ctx.db),
                    "the second writer never waited for applicant 1's lock")
        row.attempts += 1
        session.add(row)
    second.outcome()
    assert seen == [1], "the second writer read the first one's committed value"
    with ctx.db.read() as session:
        assert session.get(Reminder, rid).attempts == 2  # type: ignore[union-attr]


@pytest.mark.postgresql_only
def test_without_the_applicant_lock_the_same_interleaving_loses_an_update(ctx: Context, second_db: Database) -> None:
    """Why the lock above matters: the same two actions in rows-only transactions (no applicant lock) both read
    0 and both write 1. Under PostgreSQL's READ COMMITTED nothing else stops it (Reminder has no version column)."""
    rid = _reminder(ctx, A, "count:2", ctx.clock.now() + timedelta(days=1))
    with ctx.db.transaction(rows_only=True) as first:
        row = first.get(Reminder, rid)
        assert row is not None and row.attempts == 0
        with second_db.transaction(rows_only=True) as other:  # does not wait: nobody holds a lock it needs
            theirs = other.get(Reminder, rid)
            assert theirs is not None and theirs.attempts == 0
            theirs.attempts += 1
            other.add(theirs)
        row.attempts += 1
        first.add(row)
    with ctx.db.read() as session:
        assert session.get(Reminder, rid).attempts == 1, "one of the two increments was lost"  # type: ignore[union-attr]


@pytest.mark.postgresql_only
def test_a_whole_database_writer_and_an_applicants_writer_exclude_each_other(
        ctx: Context, second_db: Database) -> None:
    """Adding an applicant (its e-mail must be new everywhere) waits for the write lock exclusively while A's
    action holds it shared; an applicant's action waits (shared) while a whole-database writer holds it."""
    with ctx.db.transaction(A) as held:
        held.add(Contact(applicant_id=A, name="Held open by A"))
        held.flush()
        adding = _Writer(lambda: add_applicant(Context(db=second_db, clock=ctx.clock), name="New Applicant",
                                               email="new@example.org", timezone="UTC"))
        adding.start()
        _wait_until(lambda: _write_lock("ExclusiveLock") in _waiting_advisory_locks(ctx.db),
                    "adding an applicant did not wait for the write lock")
    new_id = adding.outcome().id
    with ctx.db.transaction() as whole:  # the whole database, as `applicants import` does
        whole.add(Contact(applicant_id=A, name="Whole database"))
        whole.flush()
        editing = _Writer(lambda: add_contact(Context(db=second_db, clock=ctx.clock, applicant_id=new_id), "Later"))
        editing.start()
        _wait_until(lambda: _write_lock("ShareLock") in _waiting_advisory_locks(ctx.db),
                    "an applicant's action did not wait for the whole-database writer")
        with ctx.db.read() as session:  # the write lock comes first: it holds no applicant lock while it waits
            held_by_others = session.execute(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = :ns "
                "AND objid = :id AND objsubid = 2"), {"ns": APPLICANT_LOCK_NAMESPACE, "id": new_id}).scalar()
        assert held_by_others == 0
    editing.outcome()
    assert [a.email for a in list_applicants(ctx)] == ["applicant@example.com", "new@example.org"]
    assert [c.name for c in list_contacts(Context(db=ctx.db, applicant_id=new_id))] == ["Later"]


@pytest.mark.postgresql_only
def test_a_claim_skips_a_busy_applicants_rows_and_never_sends_what_the_user_is_cancelling(
        ctx: Context, second_db: Database) -> None:
    """A's action has read A's pending reminder and is about to cancel it. A daemon's claim takes B's due
    reminder at once and leaves A's; its next claim waits for A's action (seen in pg_locks), then finds the
    reminder cancelled. Without the applicant lock the claim would have marked it sending, and the user's
    write would have set it cancelled while the daemon sent it."""
    b = _second_applicant(ctx)
    due = datetime.now(UTC) - timedelta(minutes=1)
    mine, theirs = _reminder(ctx, A, "claim:a", due), _reminder(ctx, b, "claim:b", due)
    daemon = Context(db=second_db, clock=ctx.clock)
    with ctx.db.transaction(A) as session:
        row = session.get(Reminder, mine)
        assert row is not None and row.status == "pending"
        assert outbox.claim_due(daemon, "host|1|t", datetime.now(UTC)) == [theirs]
        later = _Writer(lambda: outbox.claim_due(daemon, "host|1|t", datetime.now(UTC)))
        later.start()
        _wait_until(lambda: _applicant_lock(A) in _waiting_advisory_locks(ctx.db),
                    "the claim did not wait for applicant 1's writer")
        row.status, row.note = "cancelled", "cancelled by you"
        session.add(row)
    assert later.outcome() == []
    with ctx.db.read() as session:
        statuses = dict(session.execute(select(Reminder.id, Reminder.status)
                                        .where(Reminder.id.in_([mine, theirs]))).all())  # type: ignore[attr-defined]
    assert statuses == {mine: "cancelled", theirs: "sending"}


def test_a_transaction_locked_for_one_applicant_cannot_write_anothers_rows(ctx: Context) -> None:
    """The lock is only true if the transaction stays inside its applicant: anything else is refused at the
    flush (both engines), before it reaches the database; the call site must lock the whole database."""
    b = _second_applicant(ctx)
    with (pytest.raises(RuntimeError, match=f"locked for applicant {A} wrote a contact row of applicant {b}"),
          ctx.db.transaction(A) as session):
        session.add(Contact(applicant_id=b, name="Not mine"))
    with (pytest.raises(RuntimeError, match=f"locked for applicant {A} wrote the shared table program"),
          ctx.db.transaction(A) as session):
        session.add(Program(id="X-1", name="Shared", specialty="Internal Medicine"))
    with (pytest.raises(RuntimeError, match=f"locked for applicant {A} acted on applicant {b}"),
          ctx.db.transaction(A) as session):
        current_applicant(session, Context(db=ctx.db, applicant_id=b))
    assert list_contacts(Context(db=ctx.db, applicant_id=b)) == []
    with ctx.db.read() as session:
        assert session.get(Program, "X-1") is None


@pytest.mark.postgresql_only
def test_expiry_leaves_a_reminder_the_user_is_moving(ctx: Context, second_db: Database) -> None:
    """A's action has read A's expired pending reminder and moves it to next week; the daemon's expiry pass runs
    meanwhile. It marks B's expired reminder missed and leaves A's, which ends pending at its new time; marked
    missed under the action, it would have ended "missed" with next week's dates."""
    b = _second_applicant(ctx)
    now = datetime.now(UTC)
    past = now - timedelta(days=10)
    mine, theirs = _reminder(ctx, A, "expire:a", past), _reminder(ctx, b, "expire:b", past)
    daemon = Context(db=second_db, clock=ctx.clock)
    with ctx.db.transaction(A) as session:
        row = session.get(Reminder, mine)
        assert row is not None and row.status == "pending" and row.expires_at is not None
        assert outbox.expire_missed(daemon, now) == 1  # B's; A's is left for the next pass
        row.due_at, row.expires_at = now + timedelta(days=7), now + timedelta(days=14)
        session.add(row)
    assert outbox.expire_missed(daemon, now) == 0
    with ctx.db.read() as session:
        statuses = dict(session.execute(select(Reminder.id, Reminder.status)
                                        .where(Reminder.id.in_([mine, theirs]))).all())  # type: ignore[attr-defined]
    assert statuses == {mine: "pending", theirs: "missed"}
