"""A read-only fast path to what the timeline shows first, with the stdlib sqlite3 module only.

Why: importing SQLAlchemy and SQLModel takes about 0.6 s, longer than Textual needs to paint a
frame. The app paints the timeline from this quick read, then its normal worker loads the full
snapshot through the services and replaces it. The quick read is only used when it can be
trusted: a SQLite file that exists, or a PostgreSQL database reached with psycopg alone (about 0.1 s to
import, against SQLAlchemy's 0.6 s plus the pool and the migration check), whose ``alembic_version`` rows
are exactly the heads this code's models match (storage.schema_heads.SCHEMA_HEADS, recorded when a
migration is added; no Alembic import, no migration file parsed). Anything else returns None and the app
takes the normal path. Nothing here writes: the SQLite file is opened read-only, the PostgreSQL transaction
is READ ONLY. The Quick* classes mirror columns of the SQLModel tables: tests/test_tui_quickread.py checks
every field against its table (same name, same type, nullability).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from imgcoach.storage.event_window import EventRange, EventRow, read_range
from imgcoach.storage.quickconn import at_current_schema as _at_current_schema
from imgcoach.storage.quickconn import server_conninfo, sqlite_file

__all__ = ["QuickPlan", "has_no_applicant", "read_plan", "server_conninfo", "sqlite_file"]

# The records are NamedTuples, not frozen dataclasses: this module is imported before the app's first frame, where
# making the seven dataclasses (their methods compiled at import) took about 4 ms, and a frozen dataclass's instance,
# set field by field, is about three times a tuple's to make (2,000 reminders on the large plan: 5 ms against 2).


class QuickApplicant(NamedTuple):
    id: int
    name: str
    timezone: str


class QuickRotation(NamedTuple):
    id: int
    kind: str
    specialty: str
    institution: str
    start_date: date
    end_date: date
    hours_per_week: int
    hours_assumed: bool = False  # 40 put in for hours nobody gave (the conflicts say so)


class QuickStudyBlock(NamedTuple):
    id: int
    exam: str
    start_date: date
    end_date: date
    hours_per_week: int
    weekly_goal: str


class QuickExam(NamedTuple):
    id: int
    exam: str
    taken_on: date
    score: int | None
    result: str | None


class QuickLetter(NamedTuple):
    id: int
    writer_id: int
    rotation_id: int | None
    status: str
    due_on: date | None


class QuickContact(NamedTuple):
    id: int
    name: str


class QuickReminder(NamedTuple):
    id: int
    kind: str
    status: str
    due_at: datetime
    rotation_id: int | None
    requires_approval: bool = False  # a message to someone else, sent only once approved (reminders.awaits_approval)
    approved_at: datetime | None = None
    template_key: str = ""  # an approved supervisor draft's is reminders.SUPERVISOR_DRAFT
    expires_at: datetime | None = None  # past it no daemon sends the reminder (reminders.is_expired)


QuickEvent = EventRow  # an imported event as the timeline reads it (storage.event_window)


@dataclass
class QuickPlan:
    """The attributes of plan.plan.PlanSnapshot the timeline reads, as plain values.

    `reminders` holds the pending, sending and failed ones, as the full snapshot does (the timeline counts those
    past due: the first ten alone said "10 overdue" for 14; a last call left sending supersedes its opening);
    conflicts and weekly load are left to
    the pure rules (None here), which the timeline computes from the rotations and blocks; imported events
    are read for the days in view only (`event_range`).
    """

    applicant: QuickApplicant
    today: date
    rotations: list[QuickRotation] = field(default_factory=list)
    study_blocks: list[QuickStudyBlock] = field(default_factory=list)
    exams: list[QuickExam] = field(default_factory=list)
    letters: list[QuickLetter] = field(default_factory=list)
    contacts: dict[int, QuickContact] = field(default_factory=dict)
    reminders: list[QuickReminder] = field(default_factory=list)
    event_range: EventRange | None = None  # the imported events of the days asked for (None: not asked)
    conflicts: None = None
    load: None = None

    def upcoming(self, limit: int = 10) -> list[QuickReminder]:
        return self.reminders[:limit]


Days = tuple[date, date]


def read_plan(url: str, now: datetime, *, applicant: str | None = None,
              heads: frozenset[str] | None = None, events: Days | None = None) -> QuickPlan | None:
    """The timeline's data, or None when the fast path cannot be trusted (then use the services).

    `events`: the first and last local day whose imported events to read (None: none)."""
    return _at_current_schema(url, heads, lambda conn, text: _read(conn, now, applicant, events, text=text))


def has_no_applicant(url: str, *, heads: frozenset[str] | None = None) -> bool:
    """True only when it is certain that nobody has set up a profile yet: the plain SQLite file is not
    there (the app's own default file, created on first run), or the database is at the current schema
    and its applicant table is empty. Anything unsure (an older schema to migrate, a locked or odd file,
    no server) is False: the services decide, as before. The app uses it to open the first run's
    set-up at once instead of after the full load (seconds on a loaded machine)."""
    path = sqlite_file(url)
    if server_conninfo(url) is None and path is not None and not path.exists():
        return True
    empty = _at_current_schema(url, heads,
                               lambda conn, _text: conn.execute("SELECT 1 FROM applicant LIMIT 1").fetchone() is None)
    return empty is True


def _read(conn: Any, now: datetime, applicant: str | None, days: Days | None, *, text: bool) -> QuickPlan | None:
    """`applicant` is an id or e-mail as --applicant takes it; None: the first applicant."""
    if applicant is None:
        row = conn.execute("SELECT id, name, timezone FROM applicant ORDER BY id LIMIT 1").fetchone()
    else:
        ref = applicant.strip()
        row = conn.execute("SELECT id, name, timezone FROM applicant WHERE id = ? OR lower(email) = lower(?) "
                           "ORDER BY (id = ?) DESC, id LIMIT 1",
                           (int(ref) if ref.isdigit() else -1, ref, int(ref) if ref.isdigit() else -1)).fetchone()
    if row is None:
        return None
    found = QuickApplicant(row[0], row[1], row[2])
    today = now.astimezone(ZoneInfo(found.timezone)).date()
    aid = (found.id,)
    rotations = [
        QuickRotation(r[0], r[1], r[2], r[3], _date(r[4]), _date(r[5]), r[6], bool(r[7]))
        for r in conn.execute(
            "SELECT id, kind, specialty, institution, start_date, end_date, hours_per_week, hours_assumed FROM rotation "
            "WHERE applicant_id = ? ORDER BY start_date", aid)
    ]
    blocks = [
        QuickStudyBlock(r[0], r[1], _date(r[2]), _date(r[3]), r[4], r[5])
        for r in conn.execute(
            "SELECT id, exam, start_date, end_date, hours_per_week, weekly_goal FROM study_block "
            "WHERE applicant_id = ? ORDER BY start_date", aid)
    ]
    exams = [
        QuickExam(r[0], r[1], _date(r[2]), r[3], r[4])
        for r in conn.execute(
            "SELECT id, exam, taken_on, score, result FROM exam_result WHERE applicant_id = ? ORDER BY taken_on", aid)
    ]
    letters = [
        QuickLetter(r[0], r[1], r[2], r[3], _date(r[4]) if r[4] else None)
        for r in conn.execute(
            "SELECT id, writer_id, rotation_id, status, due_on FROM letter_request WHERE applicant_id = ?", aid)
    ]
    contacts = {r[0]: QuickContact(r[0], r[1])
                for r in conn.execute("SELECT id, name FROM contact WHERE applicant_id = ?", aid)}
    due = [
        QuickReminder(r[0], r[1], r[2], _utc(r[3]), r[4], bool(r[5]), _utc(r[6]), r[7], _utc(r[8]))  # type: ignore[arg-type]
        for r in conn.execute(
            "SELECT id, kind, status, due_at, rotation_id, requires_approval, approved_at, template_key, expires_at "
            "FROM reminder "
            "WHERE applicant_id = ? "
            "AND status IN ('pending', 'sending', 'failed') ORDER BY due_at, id", aid)
    ]
    events = None
    if days is not None:
        events = read_range(conn.execute, found.id, ZoneInfo(found.timezone), *days, text=text)
    return QuickPlan(found, today, rotations, blocks, exams, letters, contacts, due, events)


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _utc(value: Any) -> datetime | None:
    """Stored naive UTC text (as UTCDateTime writes it) to an aware UTC datetime."""
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
