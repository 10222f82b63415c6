"""The applicant's profile."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import select

from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.plan.rules import validation as v
from imgcoach.plan.rules.vocab import VISAS
from imgcoach.reminders import resync_all
from imgcoach.storage.applicants import NO_PROFILE as NO_PROFILE  # re-exported by the plan API for the faces
from imgcoach.storage.applicants import current_applicant, find_applicant
from imgcoach.storage.models import Applicant

PROFILE_FIELDS = (
    "name", "email", "timezone", "school", "school_country", "graduation_year", "visa", "us_citizen",
    "target_specialties", "target_countries", "target_states", "cv_path", "personal_statement_path",
    "application_budget_programs", "application_budget_usd", "synthetic",
)


def get_profile(ctx: Context) -> Applicant | None:
    with ctx.db.read() as session:
        return find_applicant(session, ctx)


def validate_profile(values: dict[str, Any], today) -> None:  # type: ignore[no-untyped-def]
    v.raise_if_any(
        v.check_required(values.get("name", ""), field="name"),
        v.check_email(values.get("email", "")),
        v.check_timezone(values.get("timezone", "")),
        v.check_graduation_year(values["graduation_year"], today) if values.get("graduation_year") is not None else None,
        v.check_choice(values.get("visa", "none"), VISAS, field="visa"),
    )


def set_profile(ctx: Context, **changes: Any) -> Applicant:
    """Create the profile or change any subset of its fields; pending reminders follow."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise UserError(f"unknown profile field(s): {', '.join(sorted(unknown))}")
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        applicant = find_applicant(session, ctx)
        current: dict[str, Any] = applicant.model_dump() if applicant else {"timezone": "UTC", "visa": "none"}
        merged = {**current, **changes}
        validate_profile(merged, now.date())
        if applicant is None:
            applicant = Applicant(**{k: merged[k] for k in PROFILE_FIELDS if k in merged}, created_at=now)
        else:
            for key, value in changes.items():
                setattr(applicant, key, value)
        applicant.updated_at = now
        session.add(applicant)
        session.flush()
        if applicant.id is not None and {"timezone", "email"} & set(changes):
            resync_all(session, ctx, applicant, now)
        return applicant


# --- Several applicants in one database (an organisation): `imgcoach applicants ...`


def list_applicants(ctx: Context) -> list[Applicant]:
    with ctx.db.read() as session:
        return list(session.exec(select(Applicant).order_by(Applicant.id)).all())  # type: ignore[arg-type]


def add_applicant(ctx: Context, **fields: Any) -> Applicant:
    """A new applicant beside the others; the e-mail must be new, since --applicant finds people by it."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise UserError(f"unknown profile field(s): {', '.join(sorted(unknown))}")
    now = ctx.clock.now()
    values = {"timezone": "UTC", "visa": "none", **fields}
    validate_profile(values, now.date())
    with ctx.db.transaction() as session:
        taken = session.exec(select(Applicant.id).where(
            func.lower(Applicant.email) == str(values["email"]).lower())).first()  # type: ignore[arg-type]
        if taken is not None:
            raise UserError(f"--email: applicant {taken} already has the e-mail {values['email']!r}")
        applicant = Applicant(**values, created_at=now, updated_at=now)
        session.add(applicant)
        session.flush()
        return applicant


def remove_applicant(ctx: Context) -> Applicant:
    """Delete the context's applicant and everything of theirs (the foreign keys cascade)."""
    with ctx.db.transaction() as session:
        applicant = current_applicant(session, ctx)
        session.delete(applicant)
        return applicant
