"""One applicant can never reach another's rows (issue 18.6).

Applicant B is the demo applicant (rotations, contacts, letters, cases, reminders, drafts, outreach,
exams, study blocks, a shortlist); applicant A shares the database. Every use case that takes an id is
called as A with B's ids: each must refuse (NotFound / UserError) and the database must be unchanged,
row for row. The check lives in one place (imgcoach.storage.ownership, every flush), so a use case that
forgets its own ownership test is still refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from imgcoach import calendar, coach, matching, plan, reminders
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.storage.models import (
    CalendarEvent,
    CalendarSource,
    CaseNote,
    Contact,
    ExamResult,
    LetterRequest,
    OutreachEntry,
    Reminder,
    Rotation,
    StudyBlock,
)


def database_state(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, through the test's own connection (a SQLite file's bytes would miss the WAL)."""
    from sqlalchemy import text
    from sqlmodel import SQLModel

    from imgcoach.storage.models import register_all

    register_all()  # the models load lazily: every table
    with db.read() as session:
        return {name: sorted((tuple(r) for r in session.execute(text(f'SELECT * FROM "{name}"')).all()), key=repr)
                for name in sorted(SQLModel.metadata.tables)}

ICS = Path(__file__).parent / "data" / "ics" / "allday_multiday.ics"


def _first(ctx: Context, model: type, applicant_id: int, **where: Any) -> Any:
    with ctx.db.read() as session:
        query = select(model)
        if hasattr(model, "applicant_id"):
            query = query.where(model.applicant_id == applicant_id)  # type: ignore[attr-defined]
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        row = session.exec(query.order_by(model.id)).first()  # type: ignore[attr-defined]
    assert row is not None, f"the demo has no {model.__name__} {where}"
    return row


@pytest.fixture
def two(demo_ctx: Context) -> tuple[Context, Context, dict[str, Any]]:
    """(A's context, B's context, B's ids); A has a rotation and a contact of their own."""
    b_id = plan.get_profile(demo_ctx).id  # type: ignore[union-attr]
    b = replace(demo_ctx, applicant_id=b_id)
    calendar.apply_import(b, ICS, accept=True)
    a_row = plan.add_applicant(demo_ctx, name="Other Person", email="other@example.org", timezone="Pacific/Auckland")
    a = replace(demo_ctx, applicant_id=a_row.id)
    own_rotation = plan.add_rotation(a, kind="observership", specialty="Internal Medicine", institution="Own Hospital",
                                     start_date=date(2027, 2, 1), end_date=date(2027, 3, 1))
    own_contact = plan.add_contact(a, "Own Writer", email="own.writer@example.org")
    rotation = _first(b, Rotation, b_id)
    with b.db.read() as session:
        case = session.exec(select(CaseNote).join(Rotation, CaseNote.rotation_id == Rotation.id)  # type: ignore[arg-type]
                            .where(Rotation.applicant_id == b_id)).first()
        event = session.exec(select(CalendarEvent).join(CalendarSource, CalendarEvent.source_id == CalendarSource.id)  # type: ignore[arg-type]
                             .where(CalendarSource.applicant_id == b_id)).first()
    ids = {
        "rotation": rotation.id, "contact": _first(b, Contact, b_id).id, "letter": _first(b, LetterRequest, b_id).id,
        "case": case.id, "exam": _first(b, ExamResult, b_id).id,  # type: ignore[union-attr]
        "block": _first(b, StudyBlock, b_id).id, "reminder": _first(b, Reminder, b_id, status="pending").id,
        "draft": _first(b, Reminder, b_id, requires_approval=True).id, "outreach": _first(b, OutreachEntry, b_id).id,
        "event": event.id, "own_rotation": own_rotation.id, "own_contact": own_contact.id,  # type: ignore[union-attr]
    }
    return a, b, ids


def _use_cases(ids: dict[str, Any]) -> dict[str, Callable[[Context], Any]]:
    r, c, letter = ids["rotation"], ids["contact"], ids["letter"]
    day = date(2027, 3, 3)
    return {
        # rotations
        "edit_rotation": lambda x: plan.edit_rotation(x, r, specialty="Surgery"),
        "remove_rotation": lambda x: plan.remove_rotation(x, r),
        "rotation_detail": lambda x: plan.rotation_detail(x, r),
        "pending_reminders_of": lambda x: plan.pending_reminders_of(x, r),
        # contacts
        "add_contact on their rotation": lambda x: plan.add_contact(x, "Mole", rotation_id=r),
        "edit_contact": lambda x: plan.edit_contact(x, c, name="Renamed"),
        "edit_contact onto their rotation": lambda x: plan.edit_contact(x, ids["own_contact"], rotation_id=r),
        "remove_contact": lambda x: plan.remove_contact(x, c),
        "contact_use": lambda x: plan.contact_use(x, c),
        # letters (the reported bug: letters add --rotation with someone else's rotation)
        "add_letter_request on their rotation": lambda x: plan.add_letter_request(x, ids["own_contact"], rotation_id=r),
        "add_letter_request to their writer": lambda x: plan.add_letter_request(x, c),
        "set_letter_status": lambda x: plan.set_letter_status(x, letter, "requested"),
        "edit_letter": lambda x: plan.edit_letter(x, letter, writer_id=ids["own_contact"], rotation_id=None, due_on=None),
        "move_letter": lambda x: plan.move_letter(x, letter, 1),
        "letter_draft": lambda x: plan.letter_draft(x, letter),
        "remove_letter": lambda x: plan.remove_letter(x, letter),
        # cases
        "add_case": lambda x: plan.add_case(x, r, "Borrowed case"),
        "edit_case": lambda x: plan.edit_case(x, ids["case"], title="Changed"),
        "remove_case": lambda x: plan.remove_case(x, ids["case"]),
        # exams and study blocks
        "remove_exam": lambda x: plan.remove_exam(x, ids["exam"]),
        "study_block_detail": lambda x: plan.study_block_detail(x, ids["block"]),
        "edit_study_block": lambda x: plan.edit_study_block(x, ids["block"], hours_per_week=3),
        "remove_study_block": lambda x: plan.remove_study_block(x, ids["block"]),
        # reminders
        "reminder_preview": lambda x: reminders.reminder_preview(x, ids["reminder"]),
        "reminder_actions": lambda x: reminders.reminder_actions(x, ids["reminder"]),
        "cancel_reminder": lambda x: reminders.cancel_reminder(x, ids["reminder"]),
        "retry_reminder": lambda x: reminders.retry_reminder(x, ids["reminder"]),
        "approve_draft": lambda x: reminders.approve_draft(x, ids["draft"]),
        # coach: weekly log, projects, outreach
        "add_log_entry": lambda x: coach.add_log_entry(x, r, day, 10),
        "list_log": lambda x: coach.list_log(x, r),
        "add_project": lambda x: coach.add_project(x, "case_report", "Borrowed", rotation_id=r),
        "set_outreach_status": lambda x: coach.set_outreach_status(x, ids["outreach"], "declined"),
        "draft_outreach": lambda x: coach.draft_outreach(x, ids["outreach"]),
        "accept_offer": lambda x: coach.accept_offer(x, ids["outreach"], day, date(2027, 4, 1)),
        # imported calendar events
        "calendar_event": lambda x: plan.calendar_event(x, ids["event"]),
    }


@pytest.mark.slow
def test_every_use_case_refuses_another_applicants_ids_and_changes_nothing(two: Any) -> None:
    a, b, ids = two
    before = database_state(a.db)
    accepted = []
    for name, call in _use_cases(ids).items():
        try:
            result = call(a)
        except UserError:
            pass
        else:
            accepted.append(f"{name} -> {result!r}"[:160])
        assert database_state(a.db) == before, f"{name} changed the database"
    assert accepted == []


def test_a_program_override_is_per_applicant(two: Any) -> None:
    """Overrides name a shared program: A's override and A's clearing never touch B's."""
    a, b, _ids = two
    program_id = matching.list_programs(b)[0].program_id
    matching.set_override(b, program_id, "positions", "7")
    assert matching.clear_override(a, program_id, "positions") is False
    assert matching.clear_override(b, program_id, "positions") is True


def test_importing_the_same_calendar_file_keeps_each_applicants_events_apart(two: Any) -> None:
    a, b, ids = two
    before = plan.calendar_event(b, ids["event"])
    calendar.apply_import(a, ICS, accept=True, prune=True)
    after = plan.calendar_event(b, ids["event"])
    assert (after.source_id, after.summary, after.mapped_id) == (before.source_id, before.summary, before.mapped_id)


def test_the_schema_guard_refuses_a_link_a_use_case_forgot_to_check(two: Any) -> None:
    """Writing a cross-applicant link directly through a session is refused at flush and rolled back."""
    a, b, ids = two
    before = database_state(a.db)
    with pytest.raises(UserError, match=f"no rotation with id {ids['rotation']}"), a.db.transaction() as session:
        session.add(LetterRequest(applicant_id=a.applicant_id, writer_id=ids["own_contact"], rotation_id=ids["rotation"]))
        session.flush()
    assert database_state(a.db) == before
