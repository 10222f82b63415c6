"""Which import `import --undo` would revert: the rule alone, apart from the import code.

The Import screen reads it on every load to offer ctrl+z. Kept out of calendar.importing because that
module loads the iCalendar reader and writer (icalendar, dateutil, click through x_wr_timezone: some
140 modules, 0.15-0.2 s), which the screen's first visit paid for a yes/no it answers with one query.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from imgcoach.core.context import Context
from imgcoach.storage.applicants import current_applicant
from imgcoach.storage.models import CalendarImport


def newest_undoable(session: Session, ctx: Context) -> CalendarImport | None:
    """The one rule for "can the last import be undone": the newest import of the applicant not yet undone."""
    applicant = current_applicant(session, ctx)
    return session.scalars(select(CalendarImport).where(
        col(CalendarImport.applicant_id) == applicant.id, col(CalendarImport.undone_at).is_(None))
        .order_by(col(CalendarImport.id).desc())).first()


def undoable_import(ctx: Context) -> CalendarImport | None:
    """The import `undo_last_import` would revert now, or None: nothing to undo. The app shows its ctrl+z
    ("Undo import") only while this is not None; `imgcoach import --undo` goes through the same rule."""
    with ctx.db.read() as session:
        last = newest_undoable(session, ctx)
        if last is not None:
            session.expunge(last)
        return last
