"""`imgcoach applicants export` read with sqlite3 or psycopg alone (issue 17: the full path spent 85 % of its
time importing SQLAlchemy and SQLModel). Stdlib only.

What the export holds is storage.transfer's rule: the applicant's row, then every table applicant_tables()
names, each table's rows ordered by id, every value through `plain`. This module holds the parts of that
rule both paths use (the format, `plain`, the text) and the list of tables as applicant_tables() computes it
from the models (OWNED_TABLES; tests/test_applicants_quickexport.py fails when the two disagree, after a
model change: copy what the test prints). Rows are read as storage.quicklist reads them (every column as the
model holds it), only on a database at this code's schema; None whenever that is not sure, and then the full
path answers.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

FORMAT = "imgcoach-applicant"
VERSION = 1

# (table, the column naming its owned parent or None for applicant_id, that parent's table), parents first:
# storage.transfer.applicant_tables() of this code's models.
OWNED_TABLES: tuple[tuple[str, str | None, str | None], ...] = (
    ("calendar_feed", None, None),
    ("calendar_import", None, None),
    ("calendar_source", None, None),
    ("coach_moment", None, None),
    ("contact", None, None),
    ("exam_result", None, None),
    ("program_override", None, None),
    ("shortlist_run", None, None),
    ("study_block", None, None),
    ("calendar_event", None, None),
    ("shortlist_entry", None, None),
    ("rotation", None, None),
    ("case_note", "rotation_id", "rotation"),
    ("coach_outreach", None, None),
    ("coach_project", None, None),
    ("coach_weekly_entry", "rotation_id", "rotation"),
    ("letter_request", None, None),
    ("rotation_contact", "rotation_id", "rotation"),
    ("reminder", None, None),
)


def plain(value: Any) -> Any:
    """A stored value as the export writes it: days and moments as ISO 8601, everything else as is."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def export_text(data: dict[str, Any]) -> str:
    """The export as `applicants export` prints and writes it (without the final newline): json.dumps's text
    with indent=1 and sorted keys, written by core.jsontext (a sixth of the quick export's run otherwise)."""
    from imgcoach.core.jsontext import indented_json

    return indented_json(data, indent=1, sort_keys=True)


def read_export(url: str, applicant: str | None) -> dict[str, Any] | None:
    """storage.transfer.export_applicant's data for the applicant `applicant` names (storage.applicant_ref's
    rule), read with sqlite3 or psycopg; None when only the full path can answer. Raises the full path's
    UserError for an unknown applicant or none at all."""
    from imgcoach.storage.quickconn import at_current_schema

    return at_current_schema(url, None, lambda conn, text: _read(conn, applicant, text=text))


def _read(conn: Any, ref: str | None, *, text: bool) -> dict[str, Any]:
    from imgcoach.storage.applicant_ref import choose_applicant
    from imgcoach.storage.columns import COLUMNS
    from imgcoach.storage.quicklist import table_rows

    applicant_id, _ = choose_applicant(conn, ref)

    def rows(table: str, where: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        # Only a day or moment column holds a date or datetime as read (storage.quicklist): `plain` changes
        # nothing else, and a call per value was a quarter of the export's run
        moments = [name for name, kind, _ in COLUMNS[table] if kind in ("date", "utc", "datetime")]
        found = table_rows(conn, table, where, params, 't."id"', text=text)
        for row in found:
            for name in moments:
                row[name] = plain(row[name])
        return found

    tables = {"applicant": rows("applicant", 't."id" = ?', (applicant_id,))}
    ids: dict[str, list[int]] = {"applicant": [applicant_id]}
    for table, link, parent in OWNED_TABLES:
        if link is None:
            found = rows(table, 't."applicant_id" = ?', (applicant_id,))
        else:
            parents = ids.get(parent or "", [])
            found = rows(table, f't."{link}" IN ({", ".join("?" * len(parents))})', tuple(parents)) if parents else []
        tables[table] = found
        ids[table] = [row["id"] for row in found]
    return {"format": FORMAT, "version": VERSION, "tables": tables}
