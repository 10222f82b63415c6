"""Cases worth remembering: one add, one edit, one delete, one tag rule, whichever face calls them.

The CLI (`imgcoach cases add`), the app's case forms and the demo all store cases here; the tag rule is
`rules.vocab.parse_case_tags`, so a tag one face refuses the other refuses too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from imgcoach.core.clock import local_today
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, NotFound, ValidationError
from imgcoach.plan.rules import validation as v
from imgcoach.plan.rules.vocab import parse_case_tags
from imgcoach.storage.applicants import current_applicant, owned
from imgcoach.storage.models import CaseNote, Rotation


def _checked_tags(tags: str | Iterable[str] | None, errors: list[FieldError]) -> list[str]:
    try:
        return parse_case_tags(tags)
    except FieldError as exc:
        errors.append(exc)
        return []


def _check(rotation: Rotation, occurred_on: date | None, errors: list[FieldError], today: date,
           adding: bool = True) -> None:
    """Raise every field error at once (a tag and a date), so the form can show each next to its field.

    A case is a patient already seen: one dated ahead, or on a rotation that has not begun, would be an
    interview story that has not happened."""
    if occurred_on is not None and not rotation.start_date <= occurred_on <= rotation.end_date:
        errors.append(FieldError("occurred_on", occurred_on.isoformat(),
                                 f"outside the rotation ({rotation.start_date} to {rotation.end_date})"))
    elif (late := v.check_not_after(occurred_on, today, field="occurred_on",
                                    then="log a case once you have seen the patient")) is not None:
        errors.append(late)
    elif adding and rotation.start_date > today:  # an edit keeps a case recorded before the rotation moved
        errors.append(FieldError("rotation_id", rotation.id, f"the rotation at {rotation.institution} has not "
                                 f"started yet (it starts {rotation.start_date}): log a case once you have seen the patient"))
    if errors:
        raise ValidationError(errors)


def add_case(ctx: Context, rotation_id: int, title: str, *, summary: str = "",
             tags: str | Iterable[str] | None = None, occurred_on: date | None = None) -> CaseNote:
    """A case on one of the applicant's rotations; tags are checked by the one tag rule."""
    errors = [e for e in (v.check_required(title, field="title"),) if e is not None]
    clean_tags = _checked_tags(tags, errors)
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        rotation = owned(session, Rotation, rotation_id, applicant, "rotation")
        _check(rotation, occurred_on, errors, local_today(ctx.clock, applicant.timezone))
        case = CaseNote(rotation_id=rotation_id, title=title, summary=summary, tags=clean_tags,
                        occurred_on=occurred_on)
        session.add(case)
        session.flush()
        return case


def _owned_case(session: Any, ctx: Context, case_id: int) -> tuple[CaseNote, Rotation]:
    case = session.get(CaseNote, case_id)
    rotation = session.get(Rotation, case.rotation_id) if case is not None else None
    if case is None or rotation is None or rotation.applicant_id != current_applicant(session, ctx).id:
        raise NotFound(f"no case with id {case_id}")
    return case, rotation


def edit_case(ctx: Context, case_id: int, *, title: str, summary: str = "", tags: str | Iterable[str] | None = None,
              occurred_on: date | None = None) -> CaseNote:
    errors = [e for e in (v.check_required(title, field="title"),) if e is not None]
    clean_tags = _checked_tags(tags, errors)
    with ctx.db.transaction(ctx.applicant_id) as session:
        case, rotation = _owned_case(session, ctx, case_id)
        _check(rotation, occurred_on, errors, local_today(ctx.clock, current_applicant(session, ctx).timezone),
               adding=False)
        case.title, case.summary, case.tags, case.occurred_on = title, summary, clean_tags, occurred_on
        session.add(case)
        session.flush()
        return case


def remove_case(ctx: Context, case_id: int) -> CaseNote:
    with ctx.db.transaction(ctx.applicant_id) as session:
        return delete_case_in(session, ctx, case_id)


def delete_case_in(session: Any, ctx: Context, case_id: int) -> CaseNote:
    """`remove_case` inside the caller's transaction (undo records around it)."""
    case, _ = _owned_case(session, ctx, case_id)
    session.delete(case)
    session.flush()
    return case
