"""Deleting a person cancels every e-mail to them not sent yet, not only the letter drafts.

Found by a walk of the demo: `contacts remove 1` (Dr. Whitaker) left "Progress update to Dr. James Whitaker:
waits for your approval" pending, and `reminders approve` then queued it to the address of a person the applicant
had deleted. An approved "Ask for feedback" draft to a removed supervisor went the same way. The delete (CLI and
app, plan.delete_with_undo), the app's dialog before it (plan.contact_use) and ctrl+z share one rule,
reminders.mail_to_removed_contact. Real SQLite/PostgreSQL on the demo data, time from the FixedClock.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from imgcoach.core.context import Context
from imgcoach.plan import add_contact, add_rotation, delete_with_undo, undo_change
from imgcoach.plan.people import contact_use, list_contacts
from imgcoach.reminders import approve_draft
from imgcoach.storage.models import Reminder
from tests.tui_helpers import SIZE, app_for, ask_to_delete_person, press

IMGCOACH = str(Path(sys.executable).with_name("imgcoach"))


def _to(ctx: Context, email: str) -> list[tuple[int, str, str]]:
    with ctx.db.read() as session:
        rows = session.exec(select(Reminder).where(Reminder.recipient == email).order_by(Reminder.id)).all()
    return [(r.id, r.kind, r.status) for r in rows]  # type: ignore[misc]


def _whitaker(ctx: Context):  # noqa: ANN202 - a Contact
    return next(c for c in list_contacts(ctx) if "Whitaker" in c.name)


def test_removing_a_person_cancels_the_progress_update_to_them(demo_ctx: Context) -> None:
    whitaker = _whitaker(demo_ctx)
    assert [(kind, status) for _, kind, status in _to(demo_ctx, whitaker.email)] == [("progress_update", "pending")]
    assert contact_use(demo_ctx, whitaker.id).other_emails == 1  # type: ignore[arg-type]
    result = subprocess.run([IMGCOACH, "contacts", "remove", str(whitaker.id), "--db", demo_ctx.db.url, "--json"],
                            capture_output=True, text=True, check=True)
    cancelled = json.loads(result.stdout)["cancelled_reminders"]
    ((update_id, _, status),) = _to(demo_ctx, whitaker.email)
    assert status == "cancelled" and update_id in cancelled
    with demo_ctx.db.read() as session:
        note = session.get(Reminder, update_id).note  # type: ignore[union-attr]
    assert note == "not sent: the person it is addressed to was removed from your contacts"
    refused = subprocess.run([IMGCOACH, "reminders", "approve", str(update_id), "--db", demo_ctx.db.url],
                             capture_output=True, text=True)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert _to(demo_ctx, whitaker.email)[0][2] == "cancelled"


def test_an_approved_feedback_request_to_a_removed_supervisor_is_cancelled_and_undo_brings_it_back(
        demo_ctx: Context) -> None:
    start = demo_ctx.clock.now().date() + timedelta(days=30)  # ahead of the clock: its feedback request is pending
    rotation = add_rotation(demo_ctx, kind="observership", specialty="Internal Medicine",
                            institution="Riverside Clinic (synthetic)", start_date=start,
                            end_date=start + timedelta(weeks=4))
    supervisor = add_contact(demo_ctx, "Dr. Sam Reyes (synthetic)", rotation_id=rotation.id, role="supervisor",
                             email="sam.reyes@example.com")
    with demo_ctx.db.read() as session:
        feedback = session.exec(select(Reminder.id).where(Reminder.rotation_id == rotation.id,
                                                          Reminder.kind == "mid_rotation_feedback")).one()
    draft = approve_draft(demo_ctx, feedback)
    assert draft.recipient == "sam.reyes@example.com" and draft.status == "pending"
    use = contact_use(demo_ctx, supervisor.id)  # type: ignore[arg-type]
    assert (use.approved_emails, use.other_emails) == (0, 1)
    record = delete_with_undo(demo_ctx, "contact", supervisor.id)  # type: ignore[arg-type]
    assert _to(demo_ctx, "sam.reyes@example.com") == [(draft.id, "mid_rotation_feedback", "cancelled")]
    assert "cancelled 1 reminder" in record.done, record.done
    undo_change(demo_ctx, record)  # ctrl+z: the person and the e-mail to them come back as they were
    assert _to(demo_ctx, "sam.reyes@example.com") == [(draft.id, "mid_rotation_feedback", "pending")]


def test_an_address_another_contact_shares_keeps_its_mail(demo_ctx: Context) -> None:
    whitaker = _whitaker(demo_ctx)
    twin = add_contact(demo_ctx, "James Whitaker, MD (synthetic, entered twice)", email=whitaker.email)
    assert contact_use(demo_ctx, twin.id).other_emails == 0  # type: ignore[arg-type]
    delete_with_undo(demo_ctx, "contact", twin.id)  # type: ignore[arg-type]
    assert [status for _, _, status in _to(demo_ctx, whitaker.email)] == ["pending"]  # Dr. Whitaker is still there


async def test_the_app_asks_before_cancelling_it(demo_ctx: Context) -> None:
    whitaker = _whitaker(demo_ctx)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "enter")  # the first rotation, Brookside: Dr. Whitaker is its supervisor
        message = await ask_to_delete_person(pilot, whitaker.id)  # type: ignore[arg-type]
        assert "1 e-mail to them, not sent yet, is cancelled." in message, message
        await press(pilot, "y")
    assert [status for _, _, status in _to(demo_ctx, whitaker.email)] == ["cancelled"]
