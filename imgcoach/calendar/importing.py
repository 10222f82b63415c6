"""Import calendar files: a preview of what each event becomes, then one transaction per file.

Events are keyed by (source file, UID, RECURRENCE-ID), so a re-import updates rows instead of
adding copies. Parsing happens before the write transaction (it can take seconds on a big
file and must not hold the database's write lock); rows are written in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlmodel import Session, col

from imgcoach.calendar.exporting import own_uids
from imgcoach.calendar.mapping import KINDS, Suggestion, suggest
from imgcoach.calendar.model import ParsedEvent, ParseResult, Problem
from imgcoach.calendar.reader import read_ics_file
from imgcoach.calendar.targets import (
    TARGET_KINDS,
    create_target,
    exported_fields,
    remove_target,
    update_target,
)
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.storage.applicants import current_applicant
from imgcoach.storage.models import Applicant, CalendarEvent, CalendarSource

COMPARED = ("component", "summary", "description", "location", "categories", "all_day", "start_at", "end_at",
            "start_date", "end_date", "tzid", "status", "sequence", "suggested_kind")
_T = CalendarEvent.__table__  # type: ignore[attr-defined]


@dataclass
class EventPlan:
    """One line of the preview: what the event is, what happens to it, what it will become."""

    uid: str
    recurrence_id: str
    summary: str
    start: datetime | date
    end: datetime | date
    all_day: bool
    action: str  # create | update | unchanged
    suggestion: Suggestion
    kind: str  # what it becomes on apply: "" (plain event, undecided) or one of KINDS
    mapped_kind: str = ""  # what it already is, from an earlier import
    line: int | None = None

    @property
    def key(self) -> str:
        return f"{self.uid}#{self.recurrence_id}" if self.recurrence_id else self.uid


@dataclass
class ImportReport:
    file: str
    status: str = "preview"  # preview | imported | refused
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: list[dict[str, Any]] = field(default_factory=list)
    gone: list[dict[str, Any]] = field(default_factory=list)  # no longer in the file, kept (no --prune)
    skipped: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # why nothing was imported
    warnings: list[Problem] = field(default_factory=list)
    mapped: list[dict[str, Any]] = field(default_factory=list)
    events: list[EventPlan] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        def prob(p: Problem) -> dict[str, Any]:
            return {"line": p.line, "uid": p.uid, "summary": p.summary, "reason": p.message, "severity": p.severity}

        return {
            "file": self.file, "status": self.status, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "removed": self.removed, "gone": self.gone,
            "skipped": [prob(p) for p in self.skipped], "problems": [prob(p) for p in self.problems],
            "warnings": [prob(p) for p in self.warnings], "mapped": self.mapped,
        }


def read_calendar_file(ctx: Context, path: Path, tz: str) -> ParseResult:
    """Parse with the size limit from the settings and the applicant's zone for floating times."""
    return read_ics_file(Path(path), now=ctx.clock.now(), default_tz=tz, max_bytes=ctx.settings.import_max_bytes)


def preview_import(ctx: Context, path: Path, *, skip_invalid: bool = False, accept: bool = False,
                   kinds: dict[str, str] | None = None, parsed: ParseResult | None = None) -> ImportReport:
    """What an import would do, without writing anything."""
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        parsed = parsed or read_calendar_file(ctx, path, applicant.timezone)
        report = _check(parsed, skip_invalid)
        if report.status == "refused":
            return report
        plan = _Plan.build(session, applicant, _source_path(path), parsed, skip_invalid, accept, _kinds(kinds))
        plan.fill(report)
        return report


def apply_import(ctx: Context, path: Path, *, skip_invalid: bool = False, prune: bool = False, accept: bool = False,
                 kinds: dict[str, str] | None = None, parsed: ParseResult | None = None) -> ImportReport:
    """Import one file in one transaction: all of it, or (with skip_invalid) all that parses, or nothing."""
    kinds_ok = _kinds(kinds)
    if parsed is None:
        with ctx.db.read() as session:
            tz = current_applicant(session, ctx).timezone
        parsed = read_calendar_file(ctx, path, tz)
    report = _check(parsed, skip_invalid)
    if report.status == "refused":
        return report
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        applicant = current_applicant(session, ctx)
        plan = _Plan.build(session, applicant, _source_path(path), parsed, skip_invalid, accept, kinds_ok)
        plan.write(session, ctx, applicant, now, prune=prune)
        report.status = "imported"
        plan.fill(report)
    _refresh_feeds(ctx, report)
    return report


def _refresh_feeds(ctx: Context, report: ImportReport) -> None:
    """Subscribed feed files follow the import at once (the daemon also refreshes them periodically)."""
    from imgcoach.calendar.exporting import refresh_feed

    try:
        refresh_feed(ctx.db, ctx.settings, ctx.clock)
    except UserError as exc:  # the import is committed; a feed we cannot write is worth a warning
        report.warnings.append(Problem(report.file, f"calendar feed not updated: {exc}", "warning"))


def _source_path(path: Path) -> str:
    return str(Path(path).expanduser().resolve())


def _kinds(kinds: dict[str, str] | None) -> dict[str, str]:
    for key, kind in (kinds or {}).items():
        if kind not in KINDS:
            raise UserError(f"--as {key}={kind}: unknown kind (choose from {', '.join(KINDS)})")
    return dict(kinds or {})


def _check(parsed: ParseResult, skip_invalid: bool) -> ImportReport:
    report = ImportReport(parsed.file, warnings=list(parsed.warnings))
    if parsed.fatal or (parsed.errors and not skip_invalid):
        report.status, report.problems = "refused", parsed.errors
    else:
        report.skipped = [*parsed.skipped, *parsed.errors]
    return report


def _row(e: ParsedEvent, suggestion: Suggestion) -> dict[str, Any]:
    timed = not e.all_day
    return {
        "uid": e.uid, "recurrence_id": e.recurrence_id, "component": e.kind, "summary": e.summary,
        "description": e.description, "location": e.location, "categories": list(e.categories),
        "all_day": e.all_day,
        "start_at": e.start if timed else None, "end_at": e.end if timed else None,
        "start_date": None if timed else e.start, "end_date": None if timed else e.end,
        "tzid": e.tzid, "status": e.status, "sequence": e.sequence, "suggested_kind": suggestion.kind,
    }


def _when(row: dict[str, Any]) -> datetime | date | None:
    return row["start_date"] if row["all_day"] else row["start_at"]


def _bulk_insert(conn: Any, rows: list[dict[str, Any]]) -> None:
    """One executemany of prepared tuples. On SQLite this skips SQLAlchemy's per-row parameter
    compilation (about 25 us a row, most of the write time for a 10,000-event file) while still
    converting each value with the column type's own bind processor, so rows read back alike."""
    names = list(rows[0])
    if conn.dialect.name != "sqlite":
        conn.execute(insert(_T), rows)
        return
    procs = [_T.c[n].type.bind_processor(conn.dialect) for n in names]
    pairs = list(zip(names, procs, strict=True))
    data = [tuple(p(r[n]) if p is not None and r[n] is not None else r[n] for n, p in pairs) for r in rows]
    sql = f"INSERT INTO calendar_event ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    conn.exec_driver_sql(sql, data)


@dataclass
class _Plan:
    """The difference between a parsed file and the rows of its source, computed in one read."""

    source: CalendarSource | None
    parsed: ParseResult
    new_rows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    existing: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    events: list[EventPlan] = field(default_factory=list)
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    gone: list[dict[str, Any]] = field(default_factory=list)
    cancelled: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    removed: list[dict[str, Any]] = field(default_factory=list)
    mapped: list[dict[str, Any]] = field(default_factory=list)
    map_warnings: list[Problem] = field(default_factory=list)
    own_links: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)  # events from our own export

    @classmethod
    def build(cls, session: Session, applicant: Applicant, path: str, parsed: ParseResult, skip_invalid: bool,
              accept: bool, kinds: dict[str, str]) -> _Plan:
        source = session.scalars(select(CalendarSource).where(
            col(CalendarSource.applicant_id) == applicant.id, col(CalendarSource.path) == path)).first()
        plan = cls(source, parsed)
        if source is not None:
            names = ("id", "uid", "recurrence_id", "mapped_kind", "mapped_id", *COMPARED)
            for values in session.execute(select(*(_T.c[n] for n in names)).where(_T.c.source_id == source.id)):
                old = dict(zip(names, values, strict=True))
                plan.existing[(old["uid"], old["recurrence_id"])] = old
        cache: dict[tuple[Any, ...], Suggestion] = {}
        own = own_uids(session, applicant) if any(e.x_props for e in parsed.events) else {}
        for e in parsed.events:
            memo = (e.summary, e.categories, e.x_props)  # a series' occurrences share their suggestion
            suggestion = cache.get(memo) or cache.setdefault(memo, suggest(e))
            row = _row(e, suggestion)
            plan.new_rows[e.key] = row
            plan.fields[e.key] = exported_fields(e.x("X-IMGCOACH-FIELDS"))
            old = plan.existing.get(e.key)
            mapped_kind = old["mapped_kind"] if old else ""
            if old is None and not e.recurrence_id and e.uid in own:
                plan.own_links[e.key] = own[e.uid]  # already in the plan: link, never copy
                mapped_kind = own[e.uid][0]
            override = kinds.get(f"{e.uid}#{e.recurrence_id}") or kinds.get(e.uid)
            kind = override or mapped_kind or (suggestion.kind if accept else "")
            if old is None:
                action = "create"
                plan.creates.append(row)
            elif any(old[c] != row[c] for c in COMPARED):
                action = "update"
                plan.updates.append({"id": old["id"], **row})
            else:
                action = "unchanged"
                plan.unchanged += 1
            plan.events.append(EventPlan(e.uid, e.recurrence_id, e.summary, e.start, e.end, e.all_day, action,
                                         suggestion, kind, mapped_kind, e.line))
        plan._find_gone(skip_invalid)
        plan._find_cancelled(session, applicant)
        return plan

    def _find_gone(self, skip_invalid: bool) -> None:
        """Rows whose event left the file. Occurrences outside the expansion window are not gone, and
        neither are events of a skipped (broken) item: we could not read them, so we do not know."""
        unreadable = self.parsed.unreadable_uids
        lo, hi = self.parsed.window or (None, None)
        for key, old in self.existing.items():
            if key in self.new_rows or old["uid"] in unreadable:
                continue
            when = _when(old)
            if old["recurrence_id"] and lo is not None and hi is not None and when is not None:
                inside = (lo.date() <= when < hi.date()) if isinstance(when, date) and not isinstance(
                    when, datetime) else (lo <= when < hi)
                if not inside:
                    continue
            self.gone.append(old)

    def _find_cancelled(self, session: Session, applicant: Applicant) -> None:
        """METHOD:CANCEL (or STATUS:CANCELLED) removes the event from this file's source, else from any
        of the applicant's sources: an invitation's cancellation arrives in a file of its own."""
        if not self.parsed.cancellations:
            return
        sources = [s for (s,) in session.execute(
            select(CalendarSource.id).where(col(CalendarSource.applicant_id) == applicant.id)).all()]
        if not sources:
            return
        cols = [_T.c.id, _T.c.uid, _T.c.recurrence_id, _T.c.summary, _T.c.mapped_kind, _T.c.mapped_id,
                _T.c.all_day, _T.c.start_at, _T.c.start_date]
        uids = {c.uid for c in self.parsed.cancellations}
        rows = session.execute(select(*cols).where(_T.c.source_id.in_(sources), _T.c.uid.in_(uids))).mappings().all()
        seen: set[int] = set()
        for c in self.parsed.cancellations:
            for r in rows:
                if r["uid"] == c.uid and (not c.recurrence_id or r["recurrence_id"] == c.recurrence_id) and (
                        r["id"] not in seen):
                    seen.add(r["id"])
                    self.cancelled.append(dict(r))
        self.new_rows = {k: v for k, v in self.new_rows.items() if k not in {(r["uid"], r["recurrence_id"]) for r in
                                                                               self.cancelled}}

    def write(self, session: Session, ctx: Context, applicant: Applicant, now: datetime, *, prune: bool) -> None:
        if self.source is None and self.parsed.events:
            self.source = CalendarSource(applicant_id=applicant.id, path=_source_path(Path(self.parsed.file)),
                                         name=Path(self.parsed.file).name)
            session.add(self.source)
            session.flush()
        if self.source is not None:
            self.source.sha256, self.source.imported_at = self.parsed.sha256, now
            session.add(self.source)
            session.flush()
            sid = self.source.id
            conn = session.connection()
            if self.creates:
                for r in self.creates:
                    link = self.own_links.get((r["uid"], r["recurrence_id"]), ("", None))
                    r["source_id"], r["mapped_kind"], r["mapped_id"] = sid, *link
                _bulk_insert(conn, self.creates)
            if self.updates:
                conn.execute(update(_T).where(_T.c.id == bindparam("row_id")),
                             [{"row_id": u["id"], **{k: v for k, v in u.items() if k != "id"}} for u in self.updates])
        cancelled_ids = {c["id"] for c in self.cancelled}
        doomed = self.cancelled + [g for g in self.gone if prune and g["id"] not in cancelled_ids]
        for old in doomed:
            reason = "cancelled" if old["id"] in cancelled_ids else "gone from the file"
            target = remove_target(session, old["mapped_kind"], old["mapped_id"],
                                   f"calendar event {old['uid']} was {reason}", now)
            self.removed.append({"uid": old["uid"], "recurrence_id": old["recurrence_id"], "summary": old["summary"],
                                 "reason": reason, "also_removed": target})
        ids = [old["id"] for old in doomed]
        for i in range(0, len(ids), 500):
            session.execute(delete(CalendarEvent).where(col(CalendarEvent.id).in_(ids[i:i + 500])))
        self._map(session, ctx, applicant, now)

    def _map(self, session: Session, ctx: Context, applicant: Applicant, now: datetime) -> None:
        """Create, move or replace the plan rows the user accepted; keep the link on the event row."""
        if self.source is None:
            return
        work = [p for p in self.events if (p.kind and p.kind != p.mapped_kind) or
                (p.action == "update" and p.mapped_kind in TARGET_KINDS)]
        if not work:
            return
        keys = {(p.uid, p.recurrence_id) for p in work}
        rows = {(r.uid, r.recurrence_id): r for r in session.scalars(
            select(CalendarEvent).where(col(CalendarEvent.source_id) == self.source.id))
            if (r.uid, r.recurrence_id) in keys}
        for p in work:
            row = rows.get((p.uid, p.recurrence_id))
            if row is None:
                continue
            if p.kind == p.mapped_kind:  # same kind, the event changed: move what was made from it
                update_target(session, ctx, applicant, row, now)
                continue
            remove_target(session, row.mapped_kind, row.mapped_id, f"calendar event {row.uid} now maps to {p.kind}",
                          now)
            row.mapped_kind, row.mapped_id = p.kind, None
            if p.kind in TARGET_KINDS:
                try:
                    with session.begin_nested():
                        kind, target_id = create_target(session, ctx, applicant, row, p.kind, p.suggestion,
                                                        self.fields.get((p.uid, p.recurrence_id), {}), now)
                except UserError as exc:
                    row.mapped_kind = ""
                    self.map_warnings.append(Problem(self.parsed.file, f"not made a {p.kind}: {exc}", "warning",
                                                     p.line, p.uid, p.summary))
                    session.add(row)
                    continue
                row.mapped_id = target_id
                self.mapped.append({"kind": kind, "id": target_id, "uid": p.uid, "summary": p.summary})
            session.add(row)

    def fill(self, report: ImportReport) -> None:
        report.created, report.updated, report.unchanged = len(self.creates), len(self.updates), self.unchanged
        report.events = self.events
        report.removed = self.removed
        removed_ids = {r["uid"] + "#" + r["recurrence_id"] for r in self.removed}
        report.gone = [{"uid": g["uid"], "recurrence_id": g["recurrence_id"], "summary": g["summary"],
                        "start": _when(g)} for g in self.gone if g["uid"] + "#" + g["recurrence_id"] not in removed_ids]
        if report.status == "preview":
            report.removed = [{"uid": c["uid"], "recurrence_id": c["recurrence_id"], "summary": c["summary"],
                               "reason": "cancelled"} for c in self.cancelled]
        report.mapped = self.mapped
        report.warnings += self.map_warnings


def import_timezone(ctx: Context) -> str:
    """The zone floating times in an imported file are read in: the applicant's (UserError without a profile)."""
    with ctx.db.read() as session:
        return current_applicant(session, ctx).timezone
