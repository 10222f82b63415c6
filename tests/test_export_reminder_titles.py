"""The exported calendar names each reminder's rotation, and tells a message to someone else from a reminder.

Before: every reminder was "Reminder: <kind>", so a plan of three rotations put three identical "Reminder: thank
you" events in the applicant's calendar app; an approved e-mail to a supervisor (it carries its reminder's kind)
was a second "Reminder: mid rotation feedback" there; and a progress update waiting for the applicant's approval
read as a reminder that simply comes. Renaming a rotation left its reminders at the same SEQUENCE, which tells a
calendar app it already has them."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from imgcoach.calendar.exporting import export_bytes
from imgcoach.core.context import Context
from imgcoach.plan.rotations import edit_rotation, list_rotations
from imgcoach.reminders import approve_draft, outbox_view


def reminders(ctx: Context) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(export_bytes(ctx))
    return {str(e["UID"]): e for e in cal.walk("VEVENT") if str(e.get("X-IMGCOACH-KIND")) == "reminder"}


def test_each_reminder_names_its_rotation_and_what_it_is(demo_ctx: Context) -> None:
    before = reminders(demo_ctx)
    titles = [str(e["SUMMARY"]) for e in before.values()]
    thanks = [t for t in titles if t.startswith("Reminder: Thank-you note")]
    assert len(thanks) > 1 and len(set(thanks)) == len(thanks), thanks
    for rotation in list_rotations(demo_ctx):
        if any(rotation.institution in t for t in titles):
            break
    else:
        raise AssertionError(f"no reminder names its rotation: {titles}")
    assert any(t.startswith("Progress update: to approve · ") for t in titles), titles

    view = outbox_view(demo_ctx, "pending")
    feedback = next(r for r in view.reminders if r.kind == "mid_rotation_feedback" and r.id in view.awaiting
                    and r.due_at > demo_ctx.clock.now())
    draft = approve_draft(demo_ctx, feedback.id)  # type: ignore[arg-type]
    after = reminders(demo_ctx)
    assert str(after[draft.calendar_uid]["SUMMARY"]).startswith("Approved: Ask for feedback · ")
    assert str(after[feedback.calendar_uid]["SUMMARY"]).startswith("Reminder: Ask for feedback · ")


def test_renaming_a_rotation_is_a_new_version_of_its_reminders(demo_ctx: Context) -> None:
    rotation = next(r for r in list_rotations(demo_ctx)
                    if any(r.institution in str(e["SUMMARY"]) for e in reminders(demo_ctx).values()))
    before = {uid: (str(e["SUMMARY"]), int(e["SEQUENCE"])) for uid, e in reminders(demo_ctx).items()
              if rotation.institution in str(e["SUMMARY"])}
    demo_ctx.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
    edit_rotation(demo_ctx, rotation.id, institution="Renamed Hospital (fictional)")  # type: ignore[arg-type]
    after = reminders(demo_ctx)
    for uid, (title, sequence) in before.items():
        assert "Renamed Hospital (fictional)" in str(after[uid]["SUMMARY"]), after[uid]["SUMMARY"]
        assert int(after[uid]["SEQUENCE"]) > sequence, (title, sequence, after[uid]["SEQUENCE"])
