"""How `--applicant` / IMGCOACH_APPLICANT names an applicant: one rule for the full path and the quick read.

Why its own module: storage.applicants (SQLAlchemy) and storage.quicklist (sqlite3 / psycopg, no
SQLAlchemy: issue 17) must choose the same applicant for the same text and refuse an unknown one with the
same message, or a command would print different things depending on which path answered it. Stdlib only.

The rule: the text, stripped, is an id when it is ASCII digits below 2**63 ("٣" is not an id; a huge number
names no one) and an applicant has that id; otherwise it is an e-mail address compared case-insensitively
(the database's lower() on the stored address, Python's on the text), the lowest id winning.
"""

from __future__ import annotations

from typing import Any

from imgcoach.core.errors import NotFound, UserError, shown

NO_PROFILE = "no applicant profile yet: run `imgcoach profile set --name NAME --email EMAIL --timezone ZONE`"


def id_in(ref: str) -> int | None:
    """The id `ref` (already stripped) may name, or None when it cannot be one."""
    return int(ref) if ref.isascii() and ref.isdigit() and int(ref) < 2**63 else None


def email_key(ref: str) -> str:
    """What lower(email) is compared with."""
    return ref.lower()


def unknown_applicant(ref: str) -> UserError:
    """The refusal for a `ref` (already stripped) that names nobody."""
    return UserError(f"--applicant / IMGCOACH_APPLICANT: no applicant {shown(ref)} in this database "
                     "(give an id or an e-mail address; `imgcoach applicants list` shows them)")


def not_yours(what: str, row_id: int) -> NotFound:
    """The refusal for an id that names no row of the chosen applicant (theirs or nobody's: the same words)."""
    return NotFound(f"no {what} with id {row_id}")


def choose_applicant(conn: Any, ref: str | None) -> tuple[int, str]:
    """(id, time zone) of the applicant `ref` names by the rule above (sqlite3 or psycopg); of the first applicant
    when `ref` is None or ""; the full path's UserError when there is none."""
    if ref:
        ref = ref.strip()
        row = None
        wanted = id_in(ref)
        if wanted is not None:
            row = conn.execute('SELECT "id", "timezone" FROM "applicant" WHERE "id" = ?', (wanted,)).fetchone()
        if row is None and ref:
            row = conn.execute('SELECT "id", "timezone" FROM "applicant" WHERE lower("email") = ? ORDER BY "id" LIMIT 1',
                               (email_key(ref),)).fetchone()
        if row is None:
            raise unknown_applicant(ref)
        return row[0], row[1]
    row = conn.execute('SELECT "id", "timezone" FROM "applicant" ORDER BY "id" LIMIT 1').fetchone()
    if row is None:
        raise UserError(NO_PROFILE)
    return row[0], row[1]
