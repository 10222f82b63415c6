"""A reminder is named the same way wherever the applicant meets it: the weekly digest e-mail, the exported
calendar, the import preview's "copy of reminder N (...)" and undo's words use the Outbox's one label
(reminders.reminder_label / reminder_heading). Before, the digest listed "Send a thank-you note" and "Progress
update waiting for your approval", the calendar "Reminder: mid rotation feedback", for what the Outbox and
`reminders list` call "Thank-you note", "Progress update" and "Ask for feedback"; each e-mail's subject now starts
with that label too. Real SQLite/PostgreSQL, a real Maildir written by `daemon --once` and a real exported ICS read
back with icalendar, on the test's FixedClock."""

from __future__ import annotations

import mailbox
from datetime import date
from email.header import decode_header, make_header
from pathlib import Path

import icalendar
import pytest

from imgcoach.calendar.exporting import export_bytes
from imgcoach.coach.outreach_actions import add_outreach, mark_progress
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.reminders import approve_draft, list_reminders, outbox_view, reminder_label
from tests.cli_helpers import run_cli
from tests.daemon_helpers import add_supervised_rotation


def _digest_text(maildir: Path) -> str:
    """The digest's text; its subject is named by the label too ("Your week ahead" before)."""
    (digest,) = [m for m in mailbox.Maildir(maildir, create=False)
                 if str(make_header(decode_header(m["Subject"]))).startswith("Weekly digest: ")]  # its first: not late
    for part in digest.walk():
        if part.get_content_type() == "text/plain":
            return str(part.get_payload(decode=True).decode())
    raise AssertionError("no text part")


def test_the_weekly_digest_names_each_reminder_by_its_one_label(
        ctx: Context, cli_clock: FixedClock, isolated_user_dirs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The week of Monday 23 November 2026 (the clock: Wednesday 25th, 09:00 in New York): the rotation ended on
    # the 25th (its thank-you is due on Friday 27th), a progress update waits for approval, an outreach follows up.
    add_supervised_rotation(ctx)  # September's: its supervisor gets the progress update
    add_supervised_rotation(ctx, start=date(2026, 11, 2), end=date(2026, 11, 25))
    mark_progress(ctx, "exam_score", detail="Step 2 CK passed")
    add_outreach(ctx, "Hillside Clinic (synthetic)", status="sent", written_on=date(2026, 11, 17),
                 coordinator="Ms. Lee", contact_email="coord@clinic.example")
    result = run_cli(capsys, "daemon", "--once", "--db", ctx.db.url)
    assert result.code == 0, result.err
    lines = [line for line in _digest_text(isolated_user_dirs / "data" / "Maildir").splitlines()
             if line.startswith("- ")]
    said = " | ".join(lines)
    assert any(line.split(": ", 1)[1].startswith(f"{reminder_label('thank_you')} (") for line in lines), said
    assert any(": Progress update: to approve (to Dr. Jane Okafor; approve it with" in line for line in lines), said
    assert any(line.endswith(": Outreach follow-up: Hillside Clinic (synthetic) (Ms. Lee)") for line in lines), said
    for old in ("Send a thank-you note", "waiting for your approval", "Follow up with"):
        assert old not in said, said


def _exported(ctx: Context) -> dict[str, str]:
    cal = icalendar.Calendar.from_ical(export_bytes(ctx))
    return {str(e["UID"]): str(e["SUMMARY"]) for e in cal.walk("VEVENT") if str(e.get("X-IMGCOACH-KIND")) == "reminder"}


def test_the_exported_calendar_names_each_reminder_as_the_outbox_does(demo_ctx: Context) -> None:
    view = outbox_view(demo_ctx, "pending")
    feedback = next(r for r in view.reminders if r.kind == "mid_rotation_feedback" and r.id in view.awaiting
                    and r.due_at > demo_ctx.clock.now())
    draft = approve_draft(demo_ctx, feedback.id)  # type: ignore[arg-type]
    titles = _exported(demo_ctx)
    assert titles[feedback.calendar_uid].startswith("Reminder: Ask for feedback · "), titles[feedback.calendar_uid]
    assert titles[draft.calendar_uid].startswith("Approved: Ask for feedback · "), titles[draft.calendar_uid]
    rows = [r for r in list_reminders(demo_ctx) if r.status == "pending"]
    assert rows and all(reminder_label(r.kind, r.template_key) in titles[r.calendar_uid] for r in rows), titles
    assert any(t.startswith("Progress update: to approve · ") for t in titles.values()), titles


def test_importing_the_export_back_names_its_own_reminders_by_their_label(
        demo_ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The import's "already in the plan" entries said "reminder 7 (thank you)" (--json's `what`)."""
    path = tmp_path / "plan.ics"
    path.write_bytes(export_bytes(demo_ctx))
    result = run_cli(capsys, "import", str(path), "--dry-run", "--json", "--db", demo_ctx.db.url)
    assert result.code == 0, result.err
    data = result.json()
    labels = {f"reminder {r.id} ({reminder_label(r.kind, r.template_key)})" for r in list_reminders(demo_ctx)}
    said = [a["what"] for a in data["already_in_plan"] if a["what"].startswith("reminder ")]
    assert said and set(said) <= labels, (said, labels)


def test_a_preview_that_cannot_be_composed_is_titled_by_the_label(demo_ctx: Context) -> None:
    """A reminder whose rotation was deleted (the Outbox lists it, cancelled) has no e-mail to compose: its
    preview was titled "letter request open" and listed "kind: letter_request_open" under the Outbox's "Ask for
    a letter"."""
    from imgcoach.plan.undo import delete_with_undo
    from imgcoach.reminders import reminder_preview

    opening = next(r for r in list_reminders(demo_ctx) if r.kind == "letter_request_open" and r.status == "pending")
    delete_with_undo(demo_ctx, "rotation", opening.rotation_id)  # type: ignore[arg-type]
    preview = reminder_preview(demo_ctx, opening.id)  # type: ignore[arg-type]
    assert preview.subject == "Ask for a letter", preview
    assert "letter_request_open" not in preview.text and "\nreminder: Ask for a letter\n" in preview.text, preview.text


def test_approve_refuses_a_reminder_without_a_draft_naming_it_by_its_label(
        demo_ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    follow_up = next(r for r in list_reminders(demo_ctx) if r.kind == "outreach_follow_up")
    result = run_cli(capsys, "reminders", "approve", str(follow_up.id), "--db", demo_ctx.db.url)
    assert result.code == 2, result
    assert f"reminder {follow_up.id} (Outreach follow-up) is a reminder to you with no supervisor draft" in result.err, \
        result.err


def test_approve_refuses_a_weekly_digest_without_sending_the_applicant_to_find_a_draft(
        demo_ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str],
        isolated_user_dirs: Path) -> None:
    """The refusal said "send its draft from your own mail program" of every reminder without a supervisor draft,
    a weekly digest too, which has no draft at all; an outreach follow-up (which has one) keeps the words."""
    assert run_cli(capsys, "daemon", "--once", "--db", demo_ctx.db.url).code in (0, 1)  # plans this week's digest
    digest = next(r for r in list_reminders(demo_ctx) if r.kind == "weekly_digest")
    result = run_cli(capsys, "reminders", "approve", str(digest.id), "--db", demo_ctx.db.url)
    assert result.code == 2, result
    assert f"reminder {digest.id} (Weekly digest) is a reminder to you with no supervisor draft to approve; it is " \
           "only for you, with nothing to send to anyone" in result.err, result.err
    assert "draft from your own mail program" not in result.err
    follow_up = next(r for r in list_reminders(demo_ctx) if r.kind == "outreach_follow_up")
    result = run_cli(capsys, "reminders", "approve", str(follow_up.id), "--db", demo_ctx.db.url)
    assert "send its draft from your own mail program" in result.err, result.err


def test_the_rotation_kind_words_are_named_for_rotations() -> None:
    """`reminders.kind_label` named rotation kinds beside `reminder_label` for reminder kinds, and the calendar
    export used it on reminder kinds ("Reminder: mid rotation feedback"): the name says what it labels now."""
    import imgcoach.reminders as reminders
    from imgcoach.plan import ROTATION_KINDS

    assert "kind_label" not in reminders.__all__
    assert [reminders.rotation_kind_label(k) for k in ROTATION_KINDS] == [
        "observership", "externship", "clinical job", "research", "volunteer"]


def test_each_reminders_e_mail_subject_starts_with_its_label(demo_ctx: Context) -> None:
    """The subjects were a second table of names ("Send a thank-you note to ...", "Time to ask ... for a letter of
    recommendation", "Time to follow up with ..."); each now starts with the label the Outbox shows beside it.
    reminder_preview composes with the daemon's own function and renderer."""
    from imgcoach.reminders import reminder_preview

    rows = [r for r in list_reminders(demo_ctx) if r.status == "pending" and not r.requires_approval]
    assert {r.kind for r in rows} >= {"mid_rotation_feedback", "letter_request_open", "letter_request_last_call",
                                      "thank_you", "outreach_follow_up"}, {r.kind for r in rows}
    for r in rows:
        subject = reminder_preview(demo_ctx, r.id).subject.removeprefix("[late] ")  # type: ignore[arg-type]
        assert subject.startswith(reminder_label(r.kind, r.template_key)), (r.kind, subject)


async def test_deleting_a_rotation_names_an_approved_e_mail_it_cancels_as_the_outbox_does(demo_ctx: Context) -> None:
    """The app's "Delete ...? This cancels ..." listed an approved e-mail to the supervisor as a second "Ask for
    feedback" (its label without its template), where the Outbox lists "Approved: Ask for feedback"."""
    from textual.widgets import DataTable

    from imgcoach.tui.widgets.dialogs import ConfirmScreen
    from tests.tui_helpers import app_for, press

    view = outbox_view(demo_ctx, "pending")
    feedback = next(r for r in view.reminders if r.kind == "mid_rotation_feedback" and r.id in view.awaiting
                    and r.due_at > demo_ctx.clock.now())
    approve_draft(demo_ctx, feedback.id)  # type: ignore[arg-type]
    async with app_for(demo_ctx).run_test(size=(100, 40)) as pilot:
        await press(pilot, "r")
        table = pilot.app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(str(feedback.rotation_id)))
        await press(pilot, "d")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmScreen)
        listed = [line.rsplit("  ", 1)[-1].strip() for line in dialog.message.splitlines() if line.startswith("  • ")]
        await press(pilot, "n")
    assert listed.count("Approved: Ask for feedback") == 1 and listed.count("Ask for feedback") == 1, listed
