"""`imgcoach readiness` from rows read with the stdlib sqlite3 module, or libpq through ctypes on PostgreSQL
(storage.quickpq): no SQLAlchemy, no SQLModel.

Why: the kept answer (storage.readcache) is stale after any write, and the full path then spent about 35x
`python -c pass` importing SQLAlchemy, SQLModel and every table model just to read the rows (issue 17: every
read command within 5x). This reads the same rows as coach.actions.fetch_coach_rows, in the same order, with
every column decoded as the model holds it (storage.quicklist's decoding: dates, JSON lists, booleans, NULLs),
and hands them to coach.loading, the one conversion and the one set of rules. Only a SQLite file at this
code's schema is read (storage.quickconn.at_current_schema), a SQLite file or a PostgreSQL database; anything
else, and any doubt, is None: the full path answers. (On PostgreSQL no answer is kept, storage.readcache being
SQLite's triggers: every `readiness` there is computed here, about as fast as SQLite's first read after a write.)
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any, NamedTuple

from imgcoach.coach.loading import CoachRows, build_coach_data, readiness_report
from imgcoach.coach.readiness import ReadinessReport
from imgcoach.coach.thresholds import Thresholds, load_thresholds
from imgcoach.core.errors import UserError
from imgcoach.core.settings import Settings
from imgcoach.storage.applicant_ref import choose_applicant
from imgcoach.storage.quickconn import at_current_schema
from imgcoach.storage.quicklist import joined_rows, table_rows


class QuickReadiness(NamedTuple):
    report: ReadinessReport
    timezone: str  # the applicant's: `--json` writes its moments there, as the full path's output_zone


def readiness_quickly(url: str, *, applicant: str | None, now: datetime, settings: Settings,
                      thresholds: Thresholds | None = None) -> QuickReadiness | None:
    """The report `check_readiness` makes at `now` for the applicant `applicant` names (storage.applicant_ref's
    rule; None or "": the first), or None when only the full path can answer: no such file or server, a schema
    to migrate, no such applicant (the full path says so in its words), any error reading."""
    try:
        rows = at_current_schema(url, None, lambda conn, text: _fetch(conn, applicant, text=text))
    except UserError:
        return None
    if rows is None:
        return None
    t = thresholds or load_thresholds()
    return QuickReadiness(readiness_report(build_coach_data(rows, now, settings, t), t), rows.applicant.timezone)


def _row(values: dict[str, Any]) -> SimpleNamespace:
    return SimpleNamespace(**values)


def _fetch(conn: Any, ref: str | None, *, text: bool) -> CoachRows:
    """coach.actions.fetch_coach_rows's rows, with its filters and order, in one read-only snapshot."""
    applicant_id, _zone = choose_applicant(conn, ref)
    mine = (applicant_id,)
    (applicant,) = table_rows(conn, "applicant", 't."id" = ?', mine, 't."id"', text=text)
    theirs = 'IN (SELECT "id" FROM "rotation" WHERE "applicant_id" = ?)'  # the rotations' ids, as the ORM's IN
    rotations = table_rows(conn, "rotation", 't."applicant_id" = ?', mine, 't."start_date", t."id"', text=text)

    def linked(role: str) -> list[Any]:
        return joined_rows(conn, "contact", f'rc."rotation_id" {theirs} AND rc."role" = \'{role}\'', mine, 'rc."id"',
                           text=text, joins='JOIN "rotation_contact" rc ON rc."contact_id" = t."id"',
                           related=('rc."rotation_id"',))

    supervisors, attendings = linked("supervisor"), linked("attending")
    letters = joined_rows(conn, "letter_request", 't."applicant_id" = ?', mine, 't."id"', text=text,
                          joins='JOIN "contact" w ON w."id" = t."writer_id"', related=('w."name"',))
    exams = table_rows(conn, "exam_result", 't."applicant_id" = ?', mine, 't."id"', text=text)
    cases = table_rows(conn, "case_note", f't."rotation_id" {theirs}', mine, 't."id"', text=text)
    projects = table_rows(conn, "coach_project", 't."applicant_id" = ?', mine, 't."id"', text=text)
    entries = table_rows(conn, "coach_weekly_entry", f't."rotation_id" {theirs}', mine, 't."week_of", t."id"',
                         text=text)
    return CoachRows(
        _row(applicant), [_row(r) for r in rotations],
        [(related[0], _row(contact)) for contact, related in supervisors],
        [(_row(letter), SimpleNamespace(name=related[0])) for letter, related in letters],
        [_row(e) for e in exams], [_row(c) for c in cases], [_row(p) for p in projects], [_row(e) for e in entries],
        [(related[0], _row(contact)) for contact, related in attendings],
    )
