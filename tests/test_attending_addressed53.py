"""A rotation with its attending recorded and no supervisor: the coach's advice and every draft name the attending.

Found walking an externship under way on 7 December whose attending was filed with the role "attending"
(`contacts add --role attending --rotation 1`; no supervisor): readiness's letters check said "Ask Dr Jane Smith
(...) for a letter" (29b7e52), while its feedback check said "next: Ask your supervisor for mid-rotation feedback",
and `reminders approve` refused the feedback and thank-you drafts with "the rotation has no supervisor to write to;
add one ...", as if nobody were recorded: a draft to nobody. The accepted outreach entry's thank-you note said
"Dear Doctor" to "your supervisor <address unknown>". One rule now (core.rotation_addressee): its supervisor, else
its attending, for the coach (Rotation.supervised_by) and the reminders' drafts (reminders.addressees).
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.coach import accept_offer, add_outreach, draft_outreach, set_outreach_status
from imgcoach.coach.readiness import check_feedback
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.plan.people import add_contact
from imgcoach.plan.rotations import add_rotation
from imgcoach.reminders import approve_draft, list_reminders, reminder_preview, user_renderer
from imgcoach.reminders.compose import compose
from imgcoach.reminders.outgoing import load_outgoing
from imgcoach.reminders.packet import WHERE_THIS_MACHINE
from tests.cli_helpers import run_cli
from tests.test_coach_readiness import SEASON, TODAY, T, plan, rot
from tests.tui_helpers import app_for, readiness_detail, settle


def test_the_feedback_check_names_the_attending() -> None:
    ahead = rot(2, date(2025, 2, 24), 4, attending="Dr Jane Smith")  # midpoint 10 Mar, after TODAY (3 Mar)
    action = check_feedback(plan(ahead), TODAY, T, SEASON).action
    assert action is not None and action.text.startswith("Ask Dr Jane Smith for mid-rotation feedback"), action.text
    asked = rot(2, date(2025, 2, 3), 4, attending="Dr Jane Smith", feedback_asked_on=date(2025, 2, 17))
    action = check_feedback(plan(asked), TODAY, T, SEASON).action
    assert action is not None and action.text.startswith("Write down the feedback from Dr Jane Smith ("), action.text


def test_a_supervisor_is_named_before_the_attending_and_nobody_is_your_supervisor() -> None:
    """A guard: the supervisor first, as before; with nobody recorded, "your supervisor", as before."""
    both = rot(2, date(2025, 2, 24), 4, supervisor="Dr Sup", attending="Dr Jane Smith")
    action = check_feedback(plan(both), TODAY, T, SEASON).action
    assert action is not None and action.text.startswith("Ask Dr Sup for"), action.text
    nobody = rot(2, date(2025, 2, 24), 4)
    action = check_feedback(plan(nobody), TODAY, T, SEASON).action
    assert action is not None and action.text.startswith("Ask your supervisor for"), action.text


def _walk(capsys: pytest.CaptureFixture[str], ctx: Context, email: str = "jane@example.org") -> None:
    """An externship under way (the tests' day is 25 Nov 2026, its midpoint 11 Dec), its attending alone recorded."""
    db = ("--db", ctx.db.url)
    for words in (("rotations", "add", "--kind", "externship", "--specialty", "Internal Medicine", "--institution",
                   "St Luke Clinic", "--state", "TX", "--start", "2026-11-02", "--end", "2026-12-25", "--hours", "50"),
                  ("contacts", "add", "--name", "Dr Jane Smith", "--role", "attending", "--rotation", "1",
                   *(("--email", email) if email else ()))):
        result = run_cli(capsys, *words, *db)
        assert result.code == 0, result


SAID = "next: Ask Dr Jane Smith for mid-rotation feedback (Clinical Externship in Internal Medicine, St Luke Clinic)"


@pytest.mark.parametrize("full_read", [False, True], ids=["quick", "full"])
def test_the_cli_asks_the_attending_for_feedback(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                  cli_clock: FixedClock, monkeypatch: pytest.MonkeyPatch,
                                                  full_read: bool) -> None:
    if full_read:
        monkeypatch.setenv("IMGCOACH_FULL_READ", "1")
    _walk(capsys, ctx)
    out = run_cli(capsys, "readiness", "--db", ctx.db.url).out
    assert "Ask your supervisor" not in out and SAID in out, out


async def test_the_app_asks_the_attending_for_feedback(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                       cli_clock: FixedClock) -> None:
    _walk(capsys, ctx)
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        detail = await readiness_detail(pilot, "feedback")
        assert "Ask your supervisor" not in detail and "Ask Dr Jane Smith for mid-rotation feedback" in detail, detail


def _pending(ctx: Context, kind: str) -> int:
    return next(r.id for r in list_reminders(ctx) if r.kind == kind and r.status == "pending")


def test_the_drafts_go_to_the_attending(capsys: pytest.CaptureFixture[str], ctx: Context,
                                        cli_clock: FixedClock) -> None:
    _walk(capsys, ctx)
    feedback = reminder_preview(ctx, _pending(ctx, "mid_rotation_feedback"))
    assert "Attending:  Dr Jane Smith <jane@example.org>" in feedback.text, feedback.text
    assert "Dear Dr Jane Smith," in feedback.text and "no supervisor" not in feedback.text
    approved = run_cli(capsys, "reminders", "approve", str(_pending(ctx, "mid_rotation_feedback")), "--db", ctx.db.url)
    assert approved.code == 0 and "will be sent to jane@example.org" in approved.out, approved
    assert approve_draft(ctx, _pending(ctx, "thank_you")).recipient == "jane@example.org"
    assert approve_draft(ctx, _pending(ctx, "letter_request_open")).recipient == "jane@example.org"


def test_an_attending_without_an_address_is_named(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                  cli_clock: FixedClock) -> None:
    _walk(capsys, ctx, email="")
    feedback = _pending(ctx, "mid_rotation_feedback")
    assert "Dr Jane Smith, the rotation's attending, has no e-mail address yet" in reminder_preview(ctx, feedback).text
    with pytest.raises(UserError, match="the rotation's attending, Dr Jane Smith, has no e-mail address"):
        approve_draft(ctx, feedback)


def test_a_rotation_with_nobody_recorded_says_so(ctx: Context) -> None:
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Nobody Yet",
                            start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    feedback = next(r.id for r in list_reminders(ctx) if r.rotation_id == rotation.id
                    and r.kind == "mid_rotation_feedback")
    with pytest.raises(UserError, match="the rotation has no supervisor or attending to write to"):
        approve_draft(ctx, feedback)
    # The e-mail to the applicant says the same: nobody is recorded. It said "no supervisor with an e-mail address
    # yet", as if a supervisor were there without an address, and left the attending out.
    composed = compose(load_outgoing(ctx, [feedback], where=WHERE_THIS_MACHINE)[feedback], user_renderer())
    for part in (composed.text, composed.html or ""):
        said = " ".join(part.split())
        assert "This rotation has no supervisor or attending recorded yet. Add one" in said, said
        assert "e-mail address yet" not in said, said


def test_a_role_moved_from_supervisor_to_attending_and_back(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                            cli_clock: FixedClock) -> None:
    """A supervisor added beside the attending takes the drafts; removed, they go to the attending again."""
    _walk(capsys, ctx)
    sup = add_contact(ctx, "Dr Sam Sup", rotation_id=1, role="supervisor", email="sam@example.org")
    assert "Supervisor: Dr Sam Sup <sam@example.org>" in reminder_preview(ctx, _pending(ctx, "thank_you")).text
    removed = run_cli(capsys, "contacts", "remove", str(sup.id), "--db", ctx.db.url)
    assert removed.code == 0, removed
    assert "Attending:  Dr Jane Smith <jane@example.org>" in reminder_preview(ctx, _pending(ctx, "thank_you")).text


def test_the_outreach_thank_you_note_goes_to_the_attending(ctx: Context) -> None:
    row = add_outreach(ctx, "Riverside General (fictional)", specialty="Internal Medicine", status="sent",
                       written_on=date(2026, 9, 1), coordinator="Ms. Ada Stone", contact_email="ada@example.org")
    set_outreach_status(ctx, int(row.id), "offered")
    rotation = accept_offer(ctx, int(row.id), date(2026, 10, 5), date(2026, 11, 1))
    add_contact(ctx, "Dr. Lee", rotation_id=rotation.id, role="attending", email="lee@example.org")
    draft = draft_outreach(ctx, int(row.id))  # the clock: 25 Nov 2026, after the rotation
    assert draft.title == "Thank-you note" and draft.to == "Dr. Lee <lee@example.org>", draft
    assert draft.address == "lee@example.org" and "Dear Dr. Lee," in draft.body


def test_a_progress_update_goes_to_the_attending(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                 cli_clock: FixedClock) -> None:
    """`progress mark` wrote to former supervisors only: a finished observership whose attending alone was recorded
    printed "0 drafts waiting ... no former supervisor yet"."""
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital",
                            start_date=date(2026, 9, 7), end_date=date(2026, 10, 2))
    add_contact(ctx, "Dr. Lee", rotation_id=rotation.id, role="attending", email="lee@example.org")
    marked = run_cli(capsys, "progress", "mark", "exam_score", "--detail", "Step 2 CK: 250", "--db", ctx.db.url)
    assert marked.code == 0 and "1 draft waiting" in marked.out, marked
    (update,) = [r for r in list_reminders(ctx) if r.kind == "progress_update"]
    assert update.recipient == "lee@example.org" and update.requires_approval and update.approved_at is None
    assert "Dear Dr. Lee," in update.payload["draft_body"] and update.payload["draft_to_name"] == "Dr. Lee"
