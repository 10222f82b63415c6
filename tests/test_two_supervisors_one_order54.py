"""With two supervisors on a rotation, the coach and the reminders name the same one: the first linked.

The coach (fetch_coach_rows, the quick read) and the rotation's details take a role's first person by the
rotation_contact rows' id; reminders.addressees took the lowest contact id. Where the two orders differ (a person
recorded before they were linked: an imported plan lists its links in its own order, an undo restores a link),
the feedback reminder's draft was written to, and approved for, one supervisor while readiness advised asking the
other. One order now (core.addressee): the link's. The links are written here as such a plan stores them. The
tests' clock: 25 Nov 2026.
"""

from __future__ import annotations

from datetime import date

from imgcoach.coach import load_coach_data
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_contact, add_rotation
from imgcoach.reminders import approve_draft, list_reminders, reminder_preview
from imgcoach.storage.models import RotationContact


def test_the_reminder_and_the_coach_name_the_same_supervisor(ctx: Context, cli_clock: FixedClock) -> None:
    rotation = add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="St Luke Clinic",
                            state="TX", start_date=date(2026, 11, 2), end_date=date(2026, 12, 25), hours_per_week=50)
    zed = add_contact(ctx, "Dr Zed Older (synthetic)", email="zed@example.org")  # recorded first, linked second
    amy = add_contact(ctx, "Dr Amy First (synthetic)", email="amy@example.org")
    assert rotation.id is not None and zed.id is not None and amy.id is not None and zed.id < amy.id
    with ctx.db.transaction() as session:
        for contact_id in (amy.id, zed.id):
            session.add(RotationContact(rotation_id=rotation.id, contact_id=contact_id, role="supervisor"))
            session.flush()
    (coached,) = load_coach_data(ctx).plan.rotations
    assert coached.supervised_by == "Dr Amy First (synthetic)"
    feedback = next(r.id for r in list_reminders(ctx) if r.kind == "mid_rotation_feedback" and r.status == "pending")
    assert feedback is not None
    text = reminder_preview(ctx, feedback).text
    assert "Dear Dr Amy First (synthetic)," in text and "Dr Zed" not in text, text
    assert approve_draft(ctx, feedback).recipient == "amy@example.org"
