"""Finding the applicant a call is about."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from imgcoach.core.context import Context
from imgcoach.core.errors import NotFound, UserError
from imgcoach.storage.applicant_ref import NO_PROFILE, email_key, id_in, not_yours, unknown_applicant
from imgcoach.storage.locking import LOCK_SCOPE_INFO, locked_applicant
from imgcoach.storage.models import Applicant

__all__ = ["NO_PROFILE", "current_applicant", "find_applicant", "owned", "resolve_applicant"]


def current_applicant(session: Session, ctx: Context) -> Applicant:
    if ctx.applicant_id is not None:
        applicant = session.get(Applicant, ctx.applicant_id)
        if applicant is None:
            raise NotFound(f"applicant {ctx.applicant_id} does not exist")
        return _locked_for(session, applicant)
    applicant = session.exec(select(Applicant).order_by(col(Applicant.id)).limit(1)).first()
    if applicant is None:
        raise UserError(NO_PROFILE)
    return _locked_for(session, applicant)


def _locked_for(session: Session, applicant: Applicant) -> Applicant:
    """The applicant, after checking that a write session opened for one applicant was opened for this one.

    A write transaction locked for applicant 3 that acted on applicant 4 would not exclude applicant 4's other
    writers on PostgreSQL (storage/db.py): a programming error, refused before anything is written.
    """
    locked = locked_applicant(session.info.get(LOCK_SCOPE_INFO))
    if locked is not None and locked != applicant.id:
        raise RuntimeError(f"a write transaction locked for applicant {locked} acted on applicant {applicant.id}")
    return applicant


def find_applicant(session: Session, ctx: Context) -> Applicant | None:
    try:
        return current_applicant(session, ctx)
    except UserError:
        return None


def owned(session: Session, model: type, row_id: int, applicant: Applicant, what: str):
    """The row with this id if it belongs to the applicant, else a NotFound naming it."""
    row = session.get(model, row_id)
    if row is None or getattr(row, "applicant_id", applicant.id) != applicant.id:
        raise not_yours(what, row_id)  # the quick read's words too (storage.quicklist.read_rotation)
    return row


def resolve_applicant(session: Session, ref: str) -> int:
    """The id of the applicant named by `ref`: an id ("12") or an e-mail address (any case); the rule and the
    refusal are storage.applicant_ref's, which the quick read (storage.quicklist) shares."""
    ref = ref.strip()
    row: Applicant | None = None
    wanted = id_in(ref)
    if wanted is not None:
        row = session.get(Applicant, wanted)
    if row is None and ref:
        row = session.exec(select(Applicant).where(func.lower(Applicant.email) == email_key(ref))
                           .order_by(Applicant.id).limit(1)).first()  # type: ignore[arg-type]
    if row is None or row.id is None:
        raise unknown_applicant(ref)
    return row.id
