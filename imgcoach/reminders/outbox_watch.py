"""Whether a poll of the daemon has anything to do, asked with one statement (issue 17: an idle daemon at CPU ~0).

A full poll (`OutboxWorker.run_due`) runs a dozen statements: recover the claims of stopped daemons, mark expired
reminders missed, cancel superseded letter openings, refresh due digests, claim, then find the next due time. All of
them act on reminder rows and the clock alone. The rows change only by a write; the clock changes what they find
only when it reaches one of the rows' moments (`due_at`, `next_attempt_at`, `expires_at`, `lease_until`). So once a
full poll has found nothing left to do, a later poll has nothing to do either while

- no write has reached the reminder table since that poll began (`OutboxWatch.marker`), and
- the clock is before the first moment that could change what it found (`Horizon.quiet_until`).

The marker counts every committed insert, update and delete, whoever writes (the app, the CLI, another daemon, raw
SQL): on SQLite migration 0007's read_version counter, with the row count and the highest id (`db restore` copies an
older file in under a running daemon, whose counter may climb back to a value seen before with other rows); on
PostgreSQL the count and the sum of the xmin of the rows a poll acts on (the transaction that last wrote each row;
`_server_marker`). The daemon's heartbeat writes daemon_state, which the marker does not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    or_,
    select,
)

from imgcoach.core.context import Context
from imgcoach.reminders.mail.digest import DIGEST_KIND
from imgcoach.reminders.outbox import R, aware, superseded_opening
from imgcoach.storage.readcache import OPERATIONS, trigger_sql

# No moment ahead can change what a poll finds: only a write can (an empty outbox, or only sent rows).
QUIET_FOREVER = datetime.max.replace(tzinfo=UTC)

_SQLITE_MARKER = ("SELECT (SELECT n FROM read_version WHERE name = 'reminder'), (SELECT count(*) FROM reminder), "
                  "(SELECT max(id) FROM reminder), (SELECT schema_version FROM pragma_schema_version)")
# The triggers that count the reminder table's writes, as migration 0007 makes them (storage.readcache's text).
_REMINDER_TRIGGERS = {(f"read_version_reminder_{op}", trigger_sql("reminder", op)) for op in OPERATIONS}


@dataclass(frozen=True)
class Horizon:
    """What a full poll found at its end: the next due time (as outbox.next_due_at says it) and until when a
    poll that finds the marker unchanged has nothing to do (None: the next poll looks again in full)."""

    next_due: datetime | None
    quiet_until: datetime | None


class OutboxWatch:
    """The daemon's cheap look at the outbox, for one database."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._counted_schema: Any = None  # the SQLite schema_version whose reminder triggers were found in place

    def marker(self) -> tuple[Any, ...] | None:
        """A value that differs after any committed write to the reminder table; None when writes cannot be told
        (a SQLite file whose counting triggers are missing or not this code's: then every poll looks in full)."""
        db = self.ctx.db
        if not db.is_sqlite:
            with db.engine.connect() as conn:
                return tuple(conn.execute(_server_marker()).one())
        raw = db.engine.raw_connection()  # one read of four numbers: sqlite3 alone, not a session's layers
        try:
            sqlite = raw.driver_connection
            assert sqlite is not None
            row = sqlite.execute(_SQLITE_MARKER).fetchone()
            if row[0] is None:  # no counter row: the triggers' writes land nowhere
                return None
            if row[-1] != self._counted_schema:  # the schema changed (or first look): are the triggers there?
                found = set(sqlite.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                                           "name LIKE 'read_version_reminder_%'").fetchall())
                if found != _REMINDER_TRIGGERS:
                    return None
                self._counted_schema = row[-1]
        finally:
            raw.close()
        return tuple(row)

    def horizon(self, now: datetime) -> Horizon:
        """After a full poll that claimed everything it could: the next due time, and until when nothing falls due,
        expires or is superseded (the moments ahead of `now`); None if something is still left to do at `now` (a row
        being sent, whose owner may die; a row an applicant's lock kept from a claim, expiry or cancel on
        PostgreSQL; a due digest waiting for a retry, whose list each poll refreshes)."""
        with self.ctx.db.engine.connect() as conn:
            send, lease, sending, expiry, ahead, superseded, digest = conn.execute(_horizon(), {"now": now}).one()
        send, lease, expiry, ahead = (aware(m) if m is not None else None for m in (send, lease, expiry, ahead))
        next_due = min((m for m in (send, lease) if m is not None), default=None)
        if sending or superseded or digest or any(m is not None and m <= now for m in (send, expiry)):
            return Horizon(next_due, None)
        return Horizon(next_due, min((m for m in (send, expiry, ahead) if m is not None), default=QUIET_FOREVER))


# The statuses a full poll acts on or reads (claims, recoveries, expiries, superseded openings, digests); a row
# sent, missed or cancelled is history to it, and an outbox is mostly history after months.
_LIVE = ("pending", "sending", "failed", "unconfirmed")


@cache
def _server_marker() -> Any:
    """PostgreSQL has no triggers counting writes: an update gives the row a newer xmin, the transaction's. Over the
    live rows alone (`_LIVE`, read through the status index): summing every row's xmin scanned the whole table at
    each idle poll, 5 ms with 10,800 reminders and 70 ms with 108,000 (19 and 223 MB, docs/performance.md).

    Exact still: a write moves a row into, out of or within the live set. If the count stays, as many rows left as
    came (an edit in place is both), each coming with this transaction's id, newer than any that left: the sum
    grows. A write among history rows changes nothing a poll does."""
    return (select(func.count(), func.sum(literal_column("xmin::text::bigint"))).select_from(R)
            .where(R.c.status.in_(_LIVE)))


@cache
def _horizon() -> Any:
    """Built once with `now` bound: the statement is the same at every poll."""
    now: BindParameter[datetime] = bindparam("now")
    later = case((R.c.next_attempt_at > R.c.due_at, R.c.next_attempt_at), else_=R.c.due_at)
    pending = R.c.status == "pending"
    live = or_(R.c.expires_at.is_(None), R.c.expires_at > now)
    return select(
        # the next send (outbox.next_due_at's two moments)
        select(func.min(later)).where(pending, or_(R.c.requires_approval.is_(False), R.c.approved_at.is_not(None)))
        .scalar_subquery(),
        select(func.min(R.c.lease_until)).where(R.c.status == "sending").scalar_subquery(),
        exists().where(R.c.status == "sending"),
        # expire_missed's moment; and every due time ahead, when a letter opening may meet its due last call
        select(func.min(R.c.expires_at)).where(R.c.status.in_(("pending", "failed"))).scalar_subquery(),
        select(func.min(R.c.due_at)).where(pending, R.c.due_at > now).scalar_subquery(),
        exists().where(superseded_opening(now)),
        exists().where(and_(pending, R.c.kind == DIGEST_KIND, R.c.due_at <= now, live)),  # refresh_due_digests'
    )
