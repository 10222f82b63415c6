"""The whole plan in one read, for the timeline, the dashboard and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import column, func, literal_column, table, text
from sqlalchemy import select as select_columns
from sqlmodel import col, select

from imgcoach.core.context import Context
from imgcoach.core.errors import NotFound
from imgcoach.plan.rules.conflicts import Conflict, find_conflicts
from imgcoach.plan.rules.load import WeekLoad, weekly_load
from imgcoach.storage.applicants import current_applicant, find_applicant
from imgcoach.storage.event_window import EventRange, read_range
from imgcoach.storage.models import (
    Applicant,
    CalendarEvent,
    CalendarSource,
    Contact,
    ExamResult,
    LetterRequest,
    Reminder,
    Rotation,
    StudyBlock,
)
from imgcoach.storage.quickread import QuickReminder
from imgcoach.storage.types import UTCDateTime


@dataclass
class PlanSnapshot:
    """Plain data handed to screens: they render it and never query."""

    applicant: Applicant | None
    today: date
    rotations: list[Rotation] = field(default_factory=list)
    study_blocks: list[StudyBlock] = field(default_factory=list)
    exams: list[ExamResult] = field(default_factory=list)
    letters: list[LetterRequest] = field(default_factory=list)
    contacts: dict[int, Contact] = field(default_factory=dict)
    # The pending, sending and failed ones, by due time, as the plain values the quick read gives too: the rules
    # read five columns of each, and 800 Reminder objects (the large plan) were most of the timeline's full read.
    # Sending: a last call left so (a daemon stopped mid-send) still supersedes its opening (superseded_openings).
    reminders: list[QuickReminder] = field(default_factory=list)
    event_range: EventRange | None = None  # imported calendar events of the days asked for (None: not asked)
    conflicts: list[Conflict] | None = field(default_factory=list)  # None: not looked for (conflicts=False)
    load: list[WeekLoad] = field(default_factory=list)

    def upcoming(self, limit: int = 10) -> list[QuickReminder]:
        return self.reminders[:limit]


def load_plan(ctx: Context, events: tuple[date, date] | None = None, *, reminders: bool = True,
              conflicts: bool = True) -> PlanSnapshot:
    """The plan; `events`: the first and last local day whose imported calendar events to read as well
    (only those: a calendar export can hold 100,000 events, a screen shows a few weeks). `reminders=False`:
    the snapshot's reminders stay empty, for a reader that shows none (2,000 reminders were 60 % of the
    Study screen's read on the large plan). `conflicts=False`: `conflicts` is None, for a reader that finds them
    itself in its own date words (the timeline), so the rule does not run twice on one load."""
    with ctx.db.read() as session:
        applicant = find_applicant(session, ctx)
        if applicant is None:
            return PlanSnapshot(None, ctx.clock.now().date())
        from zoneinfo import ZoneInfo

        today = ctx.clock.now().astimezone(ZoneInfo(applicant.timezone)).date()
        aid = applicant.id
        rotations = list(session.exec(select(Rotation).where(Rotation.applicant_id == aid).order_by(col(Rotation.start_date))).all())
        blocks = list(session.exec(select(StudyBlock).where(StudyBlock.applicant_id == aid).order_by(col(StudyBlock.start_date))).all())
        exams = list(session.exec(select(ExamResult).where(ExamResult.applicant_id == aid).order_by(col(ExamResult.taken_on))).all())
        letters = list(session.exec(select(LetterRequest).where(LetterRequest.applicant_id == aid)).all())
        contacts = {c.id: c for c in session.exec(select(Contact).where(Contact.applicant_id == aid)).all() if c.id}
        # Only those still to send: the sent ones are most of a plan's reminders and nothing here shows them.
        due = ([QuickReminder(*row) for row in session.execute(
                   select_columns(col(Reminder.id), col(Reminder.kind), col(Reminder.status), col(Reminder.due_at),
                                  col(Reminder.rotation_id), col(Reminder.requires_approval),
                                  col(Reminder.approved_at), col(Reminder.template_key), col(Reminder.expires_at))
                   .where(col(Reminder.applicant_id) == aid,
                          col(Reminder.status).in_(("pending", "sending", "failed")))
                   .order_by(col(Reminder.due_at), col(Reminder.id)))]
               if reminders else [])
        window = (_event_range(session, aid, ZoneInfo(applicant.timezone), *events)  # type: ignore[arg-type]
                  if events is not None else None)
    # The rules read each item's dates many times: plain copies, as an ORM attribute read costs ten times more
    # (2,400 items at issue 17's 100x took 0.7 s through the models, 0.1 s as plain values).
    plain_rotations = [_PlainSpan(r.id, r.start_date, r.end_date, r.hours_per_week, r.institution,
                                  hours_assumed=r.hours_assumed) for r in rotations]
    plain_blocks = [_PlainSpan(b.id, b.start_date, b.end_date, b.hours_per_week, exam=b.exam) for b in blocks]
    spans = plain_rotations + plain_blocks
    first = min((s.start_date for s in spans), default=today) - timedelta(days=7)
    last = max((s.end_date for s in spans), default=today) + timedelta(days=7)
    return PlanSnapshot(
        applicant, today, rotations, blocks, exams, letters, contacts, due, window,
        find_conflicts(plain_rotations, plain_blocks, exams=exams) if conflicts else None, weekly_load(plain_rotations, plain_blocks, first, last),
    )


@dataclass(slots=True)
class _PlainSpan:
    """What the conflict and load rules read of a rotation or a study block."""

    id: int | None
    start_date: date
    end_date: date
    hours_per_week: int
    institution: str = ""
    exam: str = ""
    hours_assumed: bool = False


def change_marker(ctx: Context) -> tuple[Any, ...]:
    """A cheap fingerprint of what other processes (the daemon, the CLI) may change.

    One query; the app polls it and reloads the shown screen when it differs, and a screen the user
    returns to keeps its content only while it is the same. So it covers every table a screen shows:
    a row added or deleted changes the table's count or highest id, and an edit its newest `updated_at` or
    its sum of versions where the table keeps one. Those alone missed an edit in place by a writer whose clock
    is behind the one that wrote the newest row (another machine on a shared PostgreSQL, or this one after a
    clock correction): `rotations edit 3 --institution X` left the app showing the old place. So every write
    is counted too, as the engine can: on SQLite read_version's write counters (migration 0007's triggers),
    on PostgreSQL each table's sum of its rows' xmin (the transaction that last wrote the row: an update gives
    the row a newer one, whichever writer commits first, and no clock is read); an imported event edited in
    place through migration 0012's trigger, which counts it under calendar_source (`_WRITES_SEEN_ELSEWHERE`). Left out on purpose: the shortlist's own runs (its screen writes one on every load) and
    the daemon's heartbeat.

    On PostgreSQL those sums scanned every row of every watched table at each call (140 ms with 10,800 reminders
    and 50,000 programs). There the marker is the generation of the engine's listening connection
    (storage.write_notices: migration 0017's triggers notify at each committed write of these tables; the
    connection LISTENs from the first call, before the caller reads what the marker covers), and that call reads
    no table. The sums are read only while the listener cannot vouch (a trigger missing, the connection lost).
    """
    engine = ctx.db.engine
    if engine.dialect.name == "postgresql":
        from imgcoach.storage.write_notices import write_generation

        generation = write_generation(engine, _WATCHED_NAMES)
        if generation is not None:
            return ("writes noticed", generation)
    with ctx.db.read() as session:
        dialect = session.get_bind().dialect.name
        if dialect == "sqlite":
            row = tuple(session.execute(_marker_statement(dialect, counted=True)).one())
            if _writes_counted(session, row[-1]):
                return row
        return tuple(session.execute(_marker_statement(dialect)).one())


# Per engine, the SQLite schema version last checked and whether its counting triggers were in place: checked again
# only when the schema changes (a migration, a trigger dropped or made by hand), not at each poll.
_COUNTED_SCHEMAS: WeakKeyDictionary[Any, tuple[Any, bool]] = WeakKeyDictionary()


def _writes_counted(session: Any, schema_version: Any) -> bool:
    """Whether every write to the watched tables raises a read_version counter in this SQLite file: migration
    0007's triggers on each of them, and 0012's for an imported event edited in place (counted as
    calendar_source's write)."""
    engine = session.get_bind()
    checked = _COUNTED_SCHEMAS.get(engine)
    if checked is not None and checked[0] == schema_version:
        return checked[1]
    from imgcoach.storage.readcache import EXPECTED_TRIGGERS

    names = {name for name, _ in _WATCHED if name not in _WRITES_SEEN_ELSEWHERE}
    wanted = {trigger for trigger in EXPECTED_TRIGGERS if trigger[0].rsplit("_", 1)[0][len("read_version_"):] in names}
    found = {tuple(row) for row in session.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'read_version_%'")).all()}
    edits = session.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
                                 "name = 'calendar_event_edits_counted'")).scalar()
    counters = {name for (name,) in session.execute(text("SELECT name FROM read_version")).all()}
    counted = bool(wanted <= found and edits and names <= counters)
    _COUNTED_SCHEMAS[engine] = (schema_version, counted)
    return counted


@cache
def _marker_statement(dialect: str = "sqlite", counted: bool = False) -> Any:
    """Built once per engine kind: building its subqueries cost more than running them. Over the tables (Core),
    not the models: its first run through the ORM's compile took 0.2-0.4 s in a probe at load average ~10, on
    the path of the timeline's first full load (it reads the marker before its fetch); through Core about
    0.07 s. The row read is the same.

    `counted` (SQLite whose counting triggers are in place, `_writes_counted`): each table's counter itself, with
    its row count and highest id, and no newest `updated_at` or sum of versions. Those read every row (no index
    has them): 62 ms for 50,000 programs and 13 ms for 10,800 reminders at each poll and screen return, for
    nothing a counter does not already see. Its last value is the schema version, which says whether the
    triggers were checked."""
    columns: list[Any] = []
    for name, change in _WATCHED:
        # updated_at typed as the models type it: the marker's values are what they were (aware datetimes).
        changed = [column(change, UTCDateTime() if change == "updated_at" else None)] if change is not None else []
        watched = table(name, column("id"), *changed)
        columns.append(select_columns(func.count()).select_from(watched).scalar_subquery())
        columns.append(select_columns(func.max(watched.c.id)).scalar_subquery())
        if change is not None and not counted:
            aggregate = func.sum if change == "version" else func.max
            columns.append(select_columns(aggregate(watched.c[change])).scalar_subquery())
    if counted:
        counters = table("read_version", column("name"), column("n"))
        names = [name for name, _ in _WATCHED]
        columns += [select_columns(counters.c.n).where(counters.c.name == name).scalar_subquery() for name in names
                    if name not in _WRITES_SEEN_ELSEWHERE]
        columns.append(select_columns(literal_column("schema_version")).select_from(
            table("pragma_schema_version")).scalar_subquery())
        return select_columns(*columns)
    # Every write to a watched table, on SQLite: migration 0007's triggers count them in read_version (no row
    # there for calendar_event, whose imports also write calendar_source). Feedback recorded with `log feedback`
    # on a week already logged changed nothing else, and the Readiness screen kept saying "at risk".
    counters = table("read_version", column("name"), column("n"))
    names = [name for name, _ in _WATCHED]
    columns.append(select_columns(func.sum(counters.c.n)).where(counters.c.name.in_(names)).scalar_subquery())
    if dialect == "postgresql":  # when the write notices cannot vouch: the transaction ids of the rows (change_marker)
        for name, _ in _WATCHED:
            if name in _WRITES_SEEN_ELSEWHERE:
                continue
            columns.append(select_columns(func.sum(literal_column("xmin::text::bigint")))
                           .select_from(table(name)).scalar_subquery())
    return select_columns(*columns)


# Tables whose writes are not counted as their own, on either engine: summing 20,000 events' xmin took the
# PostgreSQL marker from 4 ms to 14 ms. An insert or delete moves the count or the highest id (ids are never
# reused); an update, which moved neither (an event's time changed by any tool but an import: the timeline kept
# the old time), raises calendar_source's counter through migration 0012's trigger, on both engines.
_WRITES_SEEN_ELSEWHERE = frozenset({"calendar_event"})

# Every table a screen shows, with the column an edit changes (None: the table keeps none). By name, not model:
# the marker is read on the path to the app's full snapshot, and the coach's and matching's models would be
# imported for it alone (storage.models loads a module on first use); tests/test_plan_change_marker.py checks the
# names and columns against the models.
_WATCHED: tuple[tuple[str, str | None], ...] = (
    ("applicant", "updated_at"), ("exam_result", "version"), ("study_block", "version"), ("rotation", "updated_at"),
    ("contact", "version"), ("rotation_contact", None), ("letter_request", "updated_at"), ("case_note", None),
    ("reminder", "updated_at"), ("calendar_source", None), ("calendar_event", None), ("calendar_import", None),
    ("coach_outreach", "updated_at"), ("coach_weekly_entry", None), ("coach_project", None), ("coach_moment", None),
    ("program", "updated_at"), ("program_override", None), ("program_import", None),
)
_WATCHED_NAMES = tuple(name for name, _ in _WATCHED)  # each has migration 0017's notifying trigger on PostgreSQL


def calendar_event(ctx: Context, event_id: int) -> CalendarEvent:
    """One imported calendar event of the applicant."""
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        row = session.exec(
            select(CalendarEvent).join(CalendarSource, col(CalendarSource.id) == col(CalendarEvent.source_id))
            .where(CalendarEvent.id == event_id, CalendarSource.applicant_id == applicant.id)
        ).first()
    if row is None:
        raise NotFound(f"no calendar event with id {event_id}")
    return row


def calendar_range(ctx: Context, first: date, last: date) -> EventRange | None:
    """The applicant's imported calendar events touching local days first..last (or, past a screenful,
    how many start on each day), through the date indexes: what the timeline reads as it moves."""
    from zoneinfo import ZoneInfo

    with ctx.db.read() as session:
        applicant = find_applicant(session, ctx)
        if applicant is None or applicant.id is None:
            return None
        return _event_range(session, applicant.id, ZoneInfo(applicant.timezone), first, last)


def _event_range(session: Any, applicant_id: int, tz: Any, first: date, last: date) -> EventRange:
    """storage.event_window's `?`-style SQL on this session's own connection (one snapshot with the rest)."""
    conn = session.connection()
    sqlite = conn.dialect.name == "sqlite"

    def execute(sql: str, params: tuple[Any, ...]) -> Any:
        return conn.exec_driver_sql(sql if sqlite else sql.replace("?", "%s"), params)

    return read_range(execute, applicant_id, tz, first, last, text=sqlite)
