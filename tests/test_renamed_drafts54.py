"""A new name reaches the e-mails not sent yet that carry it, and an approved one waits for approval again.

`contacts edit ID --name` (and the app's person form) left the old name in the drafts stored for that person: a
progress update awaiting approval still said "Dear Dr. James Whitaker", and one approved went out so. An approved
supervisor draft (a feedback request, written when the daemon sends it) went out with the new name, words the
applicant never approved. The same for the applicant's own name (`profile set --name`, the app's profile form and
its set-up): the progress updates stayed signed with the old one. Now coach.edit_contact_and_drafts and
coach.save_profile_and_drafts redraft them (coach.redraft_progress_updates) and withdraw the approval of those
approved (reminders.approve_again, the rule an address change already used). Sent messages are history. Real
SQLite/PostgreSQL, the CLI, the app under Pilot, the test's FixedClock.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_contact, add_rotation
from imgcoach.plan.people import list_contacts
from imgcoach.reminders import approve_draft
from imgcoach.storage.models import Reminder
from tests.cli_helpers import run_cli
from tests.tui_helpers import SIZE, app_for, fill, highlight_person, press, record_toasts, settle

NEW_NAME = "Dr. James Whitaker-Hale (fictional)"


def _row(ctx: Context, reminder_id: int) -> Reminder:
    with ctx.db.read() as session:
        row = session.get(Reminder, reminder_id)
    assert row is not None
    return row


def _whitaker_update(ctx: Context) -> tuple[int, str, int]:
    """The demo's progress update to Dr. Whitaker (awaiting approval): (contact id, his name, the reminder's id)."""
    whitaker = next(c for c in list_contacts(ctx) if "Whitaker" in c.name)
    with ctx.db.read() as session:
        (update,) = session.exec(select(Reminder).where(Reminder.recipient == whitaker.email,
                                                        Reminder.kind == "progress_update")).all()
    assert whitaker.id is not None and update.id is not None
    assert f"Dear {whitaker.name}" in str(update.payload["draft_body"]), update.payload
    return whitaker.id, whitaker.name, update.id


def test_contacts_edit_name_redrafts_the_progress_update(demo_ctx: Context, cli_clock: FixedClock,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    contact_id, old, update_id = _whitaker_update(demo_ctx)
    before = _row(demo_ctx, update_id)
    edited = run_cli(capsys, "contacts", "edit", str(contact_id), "--name", NEW_NAME, "--db", demo_ctx.db.url)
    assert edited.code == 0, edited.err
    assert edited.out == (f"contact {contact_id} ({NEW_NAME}) updated; 1 e-mail awaiting your approval was drafted "
                          "again with it\n"), edited.out
    row = _row(demo_ctx, update_id)
    assert f"Dear {NEW_NAME}" in str(row.payload["draft_body"]) and old not in str(row.payload["draft_body"])
    assert row.payload["draft_to_name"] == NEW_NAME
    assert row.note == f"Progress update to {NEW_NAME}: waits for your approval"
    assert (row.recipient, row.due_at, row.approved_at) == (before.recipient, before.due_at, None)


def test_an_approved_progress_update_needs_approval_again(demo_ctx: Context, cli_clock: FixedClock,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    contact_id, old, update_id = _whitaker_update(demo_ctx)
    approve_draft(demo_ctx, update_id)
    edited = run_cli(capsys, "contacts", "edit", str(contact_id), "--name", NEW_NAME, "--json", "--db",
                     demo_ctx.db.url)
    assert edited.code == 0, edited.err
    again = f"the name changed from {old} to {NEW_NAME}"
    assert edited.json()["redrafted"] == {
        "change": again, "approval_again": [update_id], "redrafted": [],
        "words": f"1 approved e-mail not sent yet needs your approval again: {again}"}
    row = _row(demo_ctx, update_id)
    assert (row.approved_at, row.note) == (None, f"needs your approval again: {again}")
    assert f"Dear {NEW_NAME}" in str(row.payload["draft_body"])
    listed = run_cli(capsys, "reminders", "list", "--json", "--db", demo_ctx.db.url).json()
    assert next(r for r in listed if r["id"] == update_id)["awaiting_approval"] is True


def test_a_sent_progress_update_is_history(demo_ctx: Context, cli_clock: FixedClock,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A guard: a sent message keeps the words it went with."""
    contact_id, old, update_id = _whitaker_update(demo_ctx)
    with demo_ctx.db.transaction() as session:
        row = session.get(Reminder, update_id)
        assert row is not None
        row.status = "sent"
        session.add(row)
    assert run_cli(capsys, "contacts", "edit", str(contact_id), "--name", NEW_NAME, "--db",
                   demo_ctx.db.url).code == 0
    row = _row(demo_ctx, update_id)
    assert row.status == "sent" and f"Dear {old}" in str(row.payload["draft_body"])


def test_an_approved_feedback_request_to_the_renamed_supervisor_needs_approval_again(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    """Its text is written when the daemon sends it: approved as "Dear Dr. Sam Reyes", it would go as the new name."""
    rotation = _rotation_ahead(ctx)
    other = add_contact(ctx, "Dr. Ana Lima (synthetic)", email="ana@example.org")  # on no rotation: not concerned
    supervisor = add_contact(ctx, "Dr. Sam Reyes (synthetic)", rotation_id=rotation.id, role="supervisor",
                             email="sam@example.org")
    with ctx.db.read() as session:
        reminder_id = session.exec(select(Reminder.id).where(Reminder.rotation_id == rotation.id,
                                                             Reminder.kind == "mid_rotation_feedback")).one()
    assert reminder_id is not None and supervisor.id is not None and other.id is not None
    draft = approve_draft(ctx, reminder_id)
    assert draft.id is not None
    assert run_cli(capsys, "contacts", "edit", str(other.id), "--name", "Dr. Ana Lima-Costa (synthetic)", "--db",
                   ctx.db.url).out == f"contact {other.id} (Dr. Ana Lima-Costa (synthetic)) updated\n"
    assert _row(ctx, draft.id).approved_at is not None, "a draft to someone else keeps its approval"
    edited = run_cli(capsys, "contacts", "edit", str(supervisor.id), "--name", "Dr. Samuel Reyes (synthetic)",
                     "--db", ctx.db.url)
    again = "the name changed from Dr. Sam Reyes (synthetic) to Dr. Samuel Reyes (synthetic)"
    assert edited.out.endswith(f"; 1 approved e-mail not sent yet needs your approval again: {again}\n"), edited.out
    row = _row(ctx, draft.id)
    assert (row.status, row.approved_at, row.note) == ("pending", None, f"needs your approval again: {again}")
    assert run_cli(capsys, "reminders", "approve", str(draft.id), "--db", ctx.db.url).code == 0


async def test_the_app_s_person_form_redrafts(demo_ctx: Context) -> None:
    contact_id, old, update_id = _whitaker_update(demo_ctx)
    approve_draft(demo_ctx, update_id)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        toasts = record_toasts(pilot.app)
        await press(pilot, "r", "enter")  # the first rotation, Brookside: Dr. Whitaker is its supervisor
        highlight_person(pilot, contact_id)
        await press(pilot, "e")
        fill(pilot.app.screen, name=NEW_NAME)
        await press(pilot, "ctrl+s")
        await settle(pilot)
    assert (f"Saved; 1 approved e-mail not sent yet needs your approval again: the name changed from {old} to "
            f"{NEW_NAME}") in toasts, toasts
    row = _row(demo_ctx, update_id)
    assert row.approved_at is None and f"Dear {NEW_NAME}" in str(row.payload["draft_body"])


def _rotation_ahead(ctx: Context) -> Any:
    """A 4-week observership starting in 30 days: its feedback and letter reminders are all still to come."""
    start = ctx.clock.now().date() + timedelta(days=30)
    return add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                        institution="Riverside Clinic (synthetic)", start_date=start,
                        end_date=start + timedelta(weeks=4))


def _applicant_name(ctx: Context) -> str:
    from imgcoach.plan import get_profile

    profile = get_profile(ctx)
    assert profile is not None
    return profile.name


def test_profile_set_name_redrafts_and_asks_approval_again(demo_ctx: Context, cli_clock: FixedClock,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """The applicant signs the progress update and every supervisor draft."""
    _, _, update_id = _whitaker_update(demo_ctx)
    old = _applicant_name(demo_ctx)
    assert old in str(_row(demo_ctx, update_id).payload["draft_body"])
    approve_draft(demo_ctx, update_id)
    saved = run_cli(capsys, "profile", "set", "--name", "Amina Rahman-Okoro", "--db", demo_ctx.db.url)
    assert saved.code == 0, saved.err
    again = f"your name changed from {old} to Amina Rahman-Okoro"
    assert f"; 1 approved e-mail not sent yet needs your approval again: {again}\n" in saved.out, saved.out
    row = _row(demo_ctx, update_id)
    body = str(row.payload["draft_body"])
    assert "Amina Rahman-Okoro" in body and old not in body, body
    assert (row.approved_at, row.note) == (None, f"needs your approval again: {again}")


async def test_the_app_s_profile_form_redrafts_the_progress_update(demo_ctx: Context, cli_clock: FixedClock) -> None:
    from imgcoach.tui.widgets.form import FormScreen

    _, _, update_id = _whitaker_update(demo_ctx)
    old = _applicant_name(demo_ctx)
    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "p", "e")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, name="Amina Rahman-Okoro")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, FormScreen)
    row = _row(demo_ctx, update_id)
    body = str(row.payload["draft_body"])
    assert "Amina Rahman-Okoro" in body and old not in body, body
    assert row.approved_at is None and row.note == f"Progress update to {row.payload['draft_to_name']}: waits for your approval"


def test_an_approved_supervisor_draft_waits_when_the_applicant_is_renamed(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    """Signed by the applicant when the daemon sends it: approved under the old name, it would go under the new."""
    rotation = _rotation_ahead(ctx)
    add_contact(ctx, "Dr. Sam Reyes (synthetic)", rotation_id=rotation.id, role="supervisor", email="sam@example.org")
    with ctx.db.read() as session:
        reminder_id = session.exec(select(Reminder.id).where(Reminder.rotation_id == rotation.id,
                                                             Reminder.kind == "mid_rotation_feedback")).one()
    assert reminder_id is not None
    draft = approve_draft(ctx, reminder_id)
    assert draft.id is not None
    assert run_cli(capsys, "profile", "set", "--school", "Other School", "--db", ctx.db.url).code == 0
    assert _row(ctx, draft.id).approved_at is not None, "a field the draft does not carry: still approved"
    saved = run_cli(capsys, "profile", "set", "--email", "new.me@example.com", "--db", ctx.db.url)
    assert saved.code == 0, saved.err
    row = _row(ctx, draft.id)
    assert row.approved_at is None and row.note == ("needs your approval again: your address changed from "
                                                    "applicant@example.com to new.me@example.com"), row.note
