"""A progress update claims nothing the plan does not show.

Found in the demo's outbox: the update to Dr. James Whitaker, the observership supervisor (July), about the Step 2 CK
score said "Your teaching helped me prepare, and I am grateful." The exam was sat the October before the
observership; the moment an applicant marks does not say when an exam was sat, so no update can know it is true.
"""

from __future__ import annotations

from imgcoach.core.context import Context
from imgcoach.reminders.sync import list_reminders


def test_the_exam_update_thanks_without_claiming_the_teaching_prepared_the_exam(demo_ctx: Context) -> None:
    from imgcoach.plan import list_exams, list_rotations

    step2 = next(e for e in list_exams(demo_ctx) if e.exam == "Step 2 CK")
    supervised = [r for r in list_rotations(demo_ctx) if r.end_date < demo_ctx.clock.now().date()]
    assert supervised and all(step2.taken_on < r.start_date for r in supervised)  # the exam came first
    updates = [r for r in list_reminders(demo_ctx) if r.kind == "progress_update"]
    assert updates and all(r.requires_approval for r in updates)
    for update in updates:
        body = str((update.payload or {})["draft_body"])
        assert "I received my Step 2 CK result: 246." in body
        assert "helped me prepare" not in body
        assert "Thank you again for your teaching and your support." in body
