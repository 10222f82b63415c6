"""What `reminders list` and the app's Outbox say about the daemon, from plain rows: stdlib only.

Why its own module: the rule (is a daemon running, what is overdue, the last problem, the one line people read)
is used by the full path (outbox.daemon_status, rows from SQLAlchemy) and by the CLI's quick read
(`daemon_status_quickly`, rows from sqlite3 or psycopg alone: issue 17, `reminders list` within 5x
`python -c pass`). That line depends on the moment (heartbeat freshness, overdue) and on whether a process is
alive, so it cannot be a kept answer; one implementation serves both paths instead.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from imgcoach.core.datewords import ISO, DateWords, moment_words
from imgcoach.core.record import Record

HEARTBEAT_STALE = timedelta(seconds=30)
# awaiting_approval: pending messages to someone else no daemon sends before the applicant approves them
# (`awaits_approval`; `reminders list --json` marks each such row so); counted among the pending too.
# expired: pending past their expiry (`is_expired`), which no daemon sends; counted among the pending too.
# superseded: pending letter-window openings a daemon cancels, not sends (`superseded_openings`); pending too.
STATUS_COUNTS = ("pending", "overdue", "expired", "superseded", "awaiting_approval", "sending", "sent", "failed", "unconfirmed", "missed")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner_is_dead(owner: str) -> bool:
    """True only when the owner ran on this host and its process is gone (other hosts: wait for the lease)."""
    import socket  # only when a daemon is registered: `reminders list --json` never needs it (issue 17)

    host, _, rest = owner.partition("|")
    pid_text = rest.partition("|")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    return int(pid_text) != os.getpid() and not _pid_alive(int(pid_text))


def awaits_approval(status: str, requires_approval: bool, approved_at: datetime | None) -> bool:
    """A message to someone else (a progress update) that no daemon sends before the applicant approves it.

    It waits for the applicant, not for a daemon: called overdue, it had every screen say "start `imgcoach
    daemon`", which sends nothing of it, and Next up listed it as if it would simply go out."""
    return status == "pending" and bool(requires_approval) and approved_at is None


def is_expired(status: str, expires_at: datetime | None, now: datetime) -> bool:
    """Pending past its expiry: no daemon sends it any more; the next run marks it missed (outbox.expire_missed,
    the same `expires_at <= now`). Called overdue, it had `reminders list` and the Outbox say "start `imgcoach
    daemon`" of a digest or a thank-you that starting it would never send."""
    return status == "pending" and expires_at is not None and expires_at <= now


# rules.LETTER_OPEN and rules.LETTER_LAST_CALL: this module is stdlib only (rules imports the settings).
_OPENING, _LAST_CALL = "letter_request_open", "letter_request_last_call"


def superseded_openings(rows: Iterable[Any], now: datetime) -> frozenset[int]:
    """The ids among `rows` (attributes as the model's: id, kind, template_key, status, rotation_id, due_at,
    expires_at) of the pending "Ask for a letter" openings a daemon's next run cancels, not sends: due, with their
    rotation's last call due too (outbox.superseded_opening, the same rule in SQL, which the daemon applies after
    marking the expired missed). Called overdue, the list and the Outbox said "start `imgcoach daemon`" of a
    reminder that starting it would never send. `rows` must hold the rotation's last call (pending or sending)."""
    rows = list(rows)
    due_last_calls = {r.rotation_id for r in rows
                      if r.kind == _LAST_CALL and r.template_key == _LAST_CALL and r.status in ("pending", "sending")
                      and r.due_at <= now and not (r.expires_at is not None and r.expires_at <= now)}
    return frozenset(r.id for r in rows
                     if r.kind == _OPENING and r.template_key == _OPENING and r.status == "pending"
                     and r.rotation_id is not None and r.rotation_id in due_last_calls and r.due_at <= now
                     and not is_expired(r.status, r.expires_at, now))


def last_useful_day(expires_at: datetime, tz: tzinfo) -> date:
    """The last day, in the applicant's zone, on which a reminder is still sent: `expires_at` is the first
    instant it is not (a local midnight). The templates' `expires` is this day; the Outbox said "useful until
    05 Apr 2027 00:00", without a zone, of a reminder last sent on 04 Apr."""
    return (expires_at - timedelta(seconds=1)).astimezone(tz).date()


def is_overdue(status: str, due_at: datetime, now: datetime, *, awaiting: bool = False,
               expires_at: datetime | None = None, superseded: bool = False) -> bool:
    """Pending and past its due time: nobody sent it (no daemon running, or delivery failing). Not one that
    `awaiting` the applicant's approval (`awaits_approval`): no daemon would have sent it; nor one past its
    `expires_at` (`is_expired`) or `superseded` by its last call (`superseded_openings`): no daemon will."""
    return (status == "pending" and due_at < now and not awaiting and not superseded
            and not is_expired(status, expires_at, now))


class DaemonStatus(Record):  # a record, not a dataclass: `reminders list` and `daemon status` read it (issue 17)
    running: bool
    owners: list[str]
    last_run_at: datetime | None
    last_heartbeat_at: datetime | None
    counts: dict[str, int]
    last_error: str = ""
    last_error_at: datetime | None = None
    paused_until: datetime | None = None
    delivers_to: str = ""
    last_delivered_at: datetime | None = None  # the newest reminder sent (e-mailed or written to the mailbox)
    # Whose reminders the counts are: 0 for one applicant's (`mine`), else how many applicants there are. The
    # whole outbox's "pending: 40" beside one applicant's `reminders list` of 10 read as a contradiction.
    applicants: int = 0
    # The ids of the pending "Ask for a letter" openings counted as superseded (superseded_openings of every
    # pending and sending reminder): a list of one status (`reminders list --status pending`, the Outbox's
    # "pending") lacks a sending last call, and there called its opening OVERDUE beside this line's "not to be sent".
    superseded: frozenset[int] = frozenset()
    # Why `imgcoach daemon` would refuse to start with this config file and environment (mail.settings.
    # daemon_start_problem), "" when it would start: only `daemon status` asks (`with_start_problem`).
    cannot_start: str = ""

    def with_start_problem(self, problem: str | None) -> DaemonStatus:
        """This status with why a daemon cannot start (None or "": it can)."""
        values = {name: getattr(self, name) for name in self.__record_fields__}
        return DaemonStatus(**{**values, "cannot_start": problem or ""})

    @property
    def problem_resolved(self) -> bool:
        """A reminder went out after the last problem: delivery works again (the cause was fixed, the server came
        back), so the problem and its advice ("check the password") are history, not the current state."""
        return bool(self.last_error_at and self.last_delivered_at and self.last_delivered_at > self.last_error_at)

    def state_line(self, tz: tzinfo, words: DateWords = ISO) -> str:
        """Whether a daemon runs and when one last looked, in the words every screen uses: the first line of
        `daemon status`, of `reminders list` and of the app's Outbox. `daemon status` said "daemon:   not running"
        and "last checked the outbox", `reminders list` and the Outbox "NOT running (last heartbeat ...)": two
        names for one state and one moment. `words.moment` writes the moment (the app passes its own)."""
        looked = words.moment(self.last_heartbeat_at, tz) if self.last_heartbeat_at else "never"
        return f"daemon: {'running' if self.running else 'NOT running'} (last checked the outbox: {looked})"

    def delivery_words(self) -> str:
        """Where mail goes: a running daemon's target, or, with none running, where the last one delivered. The
        present tense for a stopped daemon ("delivers to the local Maildir") read as what a daemon started now
        would do, though it reads the mail settings afresh (they may name an SMTP server since)."""
        if self.running:
            return f"delivers to {self.delivers_to}"
        return f"the last daemon delivered to {self.delivers_to} (a daemon started now reads the mail settings again)"

    def summary(self, tz: tzinfo, words: DateWords = ISO) -> str:
        """One line for people (``reminders list``, the app's Outbox): running or not, where mail goes, what
        is overdue, the pause and the last problem; times in the applicant's zone, written by `words.moment` (the
        CLI's "2026-11-02 09:00 EST"; the app passes its own, so its Outbox writes every moment one way)."""

        def local(value: datetime | None) -> str:
            return words.moment(value, tz) if value else "never"

        line = self.state_line(tz, words)
        if self.delivers_to:
            line += f"; {self.delivery_words()}"
        overdue = self.counts.get("overdue", 0)
        if overdue and not self.running:
            line += f"; {overdue} overdue: start `imgcoach daemon` or run `imgcoach daemon --once`"
        elif overdue:
            line += f"; {overdue} overdue"
        expired = self.counts.get("expired", 0)
        if expired:
            line += (f"; {expired} expired: past the last day {'it was' if expired == 1 else 'they were'} useful, "
                     f"{'it' if expired == 1 else 'they'} will not be sent (a daemon's next run marks "
                     f"{'it' if expired == 1 else 'them'} missed)")
        superseded = self.counts.get("superseded", 0)
        if superseded:
            line += (f"; {superseded} “Ask for a letter” not to be sent: {'its' if superseded == 1 else 'their'} "
                     f"last call is due too and goes instead")
        if self.paused_until:
            line += f"; PAUSED until {local(self.paused_until)}"
        problems = {k: self.counts.get(k, 0) for k in ("failed", "unconfirmed") if self.counts.get(k, 0)}
        if problems:
            line += "; " + ", ".join(f"{n} {k}" for k, n in problems.items())
        if self.last_error and (self.paused_until or problems or not (self.running or self.problem_resolved)):
            line += f"; last problem ({local(self.last_error_at)}): {self.last_error}"
        return line

    def report_lines(self, tz: tzinfo) -> list[str]:
        """`imgcoach daemon status` without --json: running or not, heartbeat, last run, delivery, pause, the
        last problem and the counts; times in `tz`."""

        def local(value: datetime | None, never: str = "never") -> str:
            return moment_words(value, tz) if value else never

        # A run that found nothing due still checked the outbox: "last run: never" after a `--once` read as if
        # no daemon had ever looked. The heartbeat is the last look; last_run_at the last time it sent or tried.
        idle = "never (nothing was due when it looked)" if self.last_heartbeat_at else "never"
        lines = [self.state_line(tz)]
        if self.cannot_start:  # "NOT running" alone read as stopped, when starting it would fail too
            lines.append(f"{'a restart would fail' if self.running else 'cannot start'}: {self.cannot_start} "
                         "(`imgcoach daemon` refuses to start until it is fixed)")
        if self.running:
            lines.append(f"process: {', '.join(self.owners)}")
        lines.append(f"last sent or tried to send: {local(self.last_run_at, idle)}")
        if self.delivers_to:
            lines.append(self.delivery_words())  # the Outbox's words
        if self.paused_until:
            lines.append(f"PAUSED until {local(self.paused_until)}: reminders stay pending until this is fixed")
        if self.last_error:
            since = f"; delivered since, last at {local(self.last_delivered_at)}" if self.problem_resolved else ""
            lines.append(f"last problem ({local(self.last_error_at)}{since}): {self.last_error}")
        if self.applicants > 1:
            lines.append(f"counts of all {self.applicants} applicants' reminders (`reminders list` and the Outbox "
                         "show one applicant's)")
        lines.append("  ".join(f"{k.replace('_', ' ')}: {v}" for k, v in self.counts.items()))
        return lines

    def needs_attention(self) -> bool:
        """Something the applicant must act on: overdue with no daemon, a pause, failed or unconfirmed mail."""
        return bool((self.counts.get("overdue") and not self.running) or self.paused_until
                    or self.counts.get("failed") or self.counts.get("unconfirmed"))

    def as_dict(self) -> dict[str, Any]:
        return {"running": self.running, "daemons": self.owners, "last_run_at": self.last_run_at,
                "last_heartbeat_at": self.last_heartbeat_at, "last_error": self.last_error or None,
                "last_error_at": self.last_error_at, "paused_until": self.paused_until,
                "delivers_to": self.delivers_to or None, **self.counts, "last_delivered_at": self.last_delivered_at,
                "applicants": self.applicants, "cannot_start": self.cannot_start or None}


def status_of(rows: list[Any], counts: dict[str, int], pending: Iterable[Any], now: datetime,
              last_delivered_at: datetime | None = None, applicants: int = 0) -> DaemonStatus:
    """The daemon status from the daemon_state rows (attributes as the model's), every reminder's count by
    status, the pending and sending reminders (attributes as the model's, those `superseded_openings` reads and
    requires_approval, approved_at: for the overdue, expired, superseded and awaiting counts), when the newest was
    sent and of how many applicants the reminders are (0: one applicant's, `mine`)."""
    alive = [
        r for r in rows
        if r.stopped_at is None
        and now - r.heartbeat_at <= max(HEARTBEAT_STALE, timedelta(seconds=3 * r.poll_seconds))
        and not owner_is_dead(r.owner)
    ]
    pending = list(pending)
    gone = superseded_openings(pending, now)
    waiting = [awaits_approval(r.status, r.requires_approval, r.approved_at) for r in pending]
    sendable = [r for r, waits in zip(pending, waiting, strict=True) if r.status == "pending" and not waits]
    counts = {**counts,
              "overdue": sum(1 for r in sendable
                             if is_overdue("pending", r.due_at, now, expires_at=r.expires_at, superseded=r.id in gone)),
              "expired": sum(1 for r in sendable if is_expired("pending", r.expires_at, now)),
              "superseded": len(gone), "awaiting_approval": sum(waiting)}
    runs = [r.last_run_at for r in rows if r.last_run_at]
    beats = [r.heartbeat_at for r in rows]
    errors = sorted((r for r in rows if r.last_error and r.last_error_at), key=lambda r: r.last_error_at)
    latest = errors[-1] if errors else None
    paused = [r.paused_until for r in alive if r.paused_until and r.paused_until > now]
    newest = max(rows, key=lambda r: r.started_at, default=None)
    return DaemonStatus(
        running=bool(alive), owners=[r.owner for r in alive], last_run_at=max(runs, default=None),
        last_heartbeat_at=max(beats, default=None),
        counts={s: int(counts.get(s, 0)) for s in STATUS_COUNTS},
        last_error=latest.last_error if latest else "", last_error_at=latest.last_error_at if latest else None,
        paused_until=max(paused, default=None),
        delivers_to=(alive[0].delivers_to if alive else newest.delivers_to if newest else ""),
        last_delivered_at=last_delivered_at, applicants=applicants, superseded=gone,
    )


def daemon_status_quickly(url: str, now: datetime, *, mine: bool = False,
                          applicant: str | None = None) -> DaemonStatus | None:
    """The daemon status read with sqlite3 or psycopg alone (storage.quicklist, every column converted as the
    models do); None when the quick read cannot answer (then the full path does). `mine`: the counts of the
    applicant `applicant` names (None: the first one), as outbox.daemon_status(mine=True)."""
    from types import SimpleNamespace

    from imgcoach.storage.quicklist import read_listing

    daemons = read_listing(url, "daemons", applicant=None)
    outbox = read_listing(url, "own_outbox" if mine else "outbox", applicant=applicant)
    if daemons is None or outbox is None:
        return None
    counts = Counter(r["status"] for r in outbox.rows)
    pending = [SimpleNamespace(**r) for r in outbox.rows if r["status"] in ("pending", "sending")]
    delivered = max((r["sent_at"] for r in outbox.rows if r["status"] == "sent" and r["sent_at"]), default=None)
    everyone = None if mine else read_listing(url, "applicant_ids", applicant=None)
    if everyone is None and not mine:
        return None
    applicants = len(everyone.rows) if everyone is not None else 0
    return status_of([SimpleNamespace(**r) for r in daemons.rows], dict(counts), pending, now, delivered,
                     applicants)
